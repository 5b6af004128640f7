#!/bin/bash
# lineage_chain.sh N OUT: a process chain three deep, each level a bash that
# forks and execs the next, and exits with its level. Each level appends
# "LEVEL PID PPID" to OUT, as bash itself sees them, for the test to hold
# exitsnoop-c's and execsnoop-c's lineage against.
level=$1 out=$2
echo "$level $$ $PPID" >>"$out"
if [ "$level" -lt 3 ]; then
	/bin/bash "$0" $((level + 1)) "$out"
fi
exit "$level"
