#!/usr/bin/env bash
# Runs inside a VM stage guest for `make bench` (tests/vm/run with
# SNOOP_VM_SCRIPT=bench/vm_modes.sh): killsnoop-c in each mode the guest's
# kernel has: its start-up, compiling and from the cache, and its cost
# under the kill storm, against the storm alone. The guest is emulated
# (TCG), so the figures compare the modes with each other, not with the
# host's.
# Usage: bench/vm_modes.sh BUILD_DIR WORK_DIR. Writes WORK_DIR/modes.txt,
# lines of "MODE NS_PER_KILL MISSING LOST COMPILING_S FROM_CACHE_S" (MODE
# "none": no tracer, start-ups 0), and ends with "N passed, N failed, N skipped" like
# the test scripts.
set -u

BUILD=$(cd "$1" && pwd)
WORK=$2
KILLS=${BENCH_VM_KILLS:-20000}
REPEATS=${BENCH_VM_REPEATS:-3}
# Room for a whole storm: one emulated CPU runs the storm and the reader.
PAGES=1024
mkdir -p "$WORK" || exit 1
START_TRIES=1800
LINE_TRIES=300
BIN=$BUILD/bin
# shellcheck source=tests/lib.sh
. tests/lib.sh
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

# median of the arguments
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Seconds from the tool's start to its probes attached: its -v phases added up.
startup_s() {
	sed -nE 's/^killsnoop-c: (plan|headers|compile|cache|load|attach) +([0-9.]+) s.*/\2/p' "$TOOL_ERR" |
		awk '{ s += $1 } END { printf "%.3f", s }'
}

results=$WORK/modes.txt
: >"$results"
runs=()
for _ in $(seq 1 "$REPEATS"); do
	runs+=("$("$BUILD/bench/kill_storm" "$KILLS")")
done
echo "none $(median "${runs[@]}") 0 0 0 0" >>"$results"
for mode in tracepoint kprobe fentry; do
	runs=()
	missing=0
	lost=0
	for _ in $(seq 1 "$REPEATS"); do
		tool_start killsnoop-c -m "$mode" --buffer-pages "$PAGES" || continue 2
		runs+=("$("$BUILD/bench/kill_storm" "$KILLS")")
		sleep 1
		tool_stop
		seen=$(grep -c ' kill_storm ' "$TOOL_OUT")
		missing=$((missing + KILLS - seen))
		n=$(sed -nE 's/.*: ([0-9]+) events lost.*/\1/p' "$TOOL_ERR" | head -n 1)
		lost=$((lost + ${n:-0}))
	done
	# The storms' runs filled the cache: a --no-cache run compiles, a plain one loads.
	compiling=()
	cached=()
	for _ in $(seq 1 "$REPEATS"); do
		tool_start killsnoop-c -m "$mode" --no-cache || continue 2
		tool_stop
		compiling+=("$(startup_s)")
		tool_start killsnoop-c -m "$mode" || continue 2
		tool_stop
		grep -q "^killsnoop-c: cache " "$TOOL_ERR" || continue 2
		cached+=("$(startup_s)")
	done
	echo "$mode $(median "${runs[@]}") $missing $lost $(median "${compiling[@]}") $(median "${cached[@]}")" >>"$results"
	pass "killsnoop-c -m $mode: start-up and kill storm measured ($(tail -n 1 "$results"))"
done
summary_line
[ "$FAILED" = 0 ]
