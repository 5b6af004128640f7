# shellcheck shell=bash
# exitsnoop-c against real process exits on this kernel. Sourced by tests/run.

# Every way a process ends that the tool tells apart, checked against the
# parent's waitpid() and the sender the workload chose, in JSON and text.
exit_cases_check tracepoint json
exit_cases_check tracepoint text
check "exitsnoop-c: SIGINT exits 0" test "$TOOL_STATUS" = 0
check "exitsnoop-c: header" test "$(head -n 1 "$TOOL_OUT")" = \
	"$(printf '%-16s %-*s %-*s %-*s %-8s %s' PCOMM "$PIDW" PID "$PIDW" PPID "$PIDW" TID 'AGE(s)' EXIT_CODE)"

# exit_pid COMMAND...: runs COMMAND in the background, waits for it, prints its PID.
exit_pid() {
	"$@" &
	local pid=$!
	wait "$pid"
	echo "$pid"
}

# -x: only failures and signals; -p: only that process; -t: a TIME column.
tool_start exitsnoop-c -x -t
OK_PID=$(exit_pid sh -c 'exit 0')
FAIL_PID=$(exit_pid sh -c 'exit 4')
wait_line " $FAIL_PID "
tool_stop
check "exitsnoop-c -x -t: a failed exit, after its TIME" \
	grep -qE "^[0-9]{2}:[0-9]{2}:[0-9]{2} +sh +$FAIL_PID +[0-9]+ +$FAIL_PID +[0-9.]+ +4\$" "$TOOL_OUT"
expect_no "exitsnoop-c -x: no successful exit" " $OK_PID "
check "exitsnoop-c -t: header starts with TIME" grep -q "^TIME  *PCOMM " "$TOOL_OUT"

sleep 600 &
LONG=$!
tool_start exitsnoop-c -p "$LONG" --json
OTHER=$(exit_pid sh -c 'exit 5')
kill -s USR1 "$LONG"
wait "$LONG" 2>/dev/null
wait_line "\"pid\":$LONG,"
tool_stop
check "exitsnoop-c -p: that process, ended by SIGUSR1 from this shell's kill" python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
exits = [o for o in lines if o["type"] == "exit"]
assert [o["pid"] for o in exits] == [int(sys.argv[2])], exits
s = exits[0]["sender"]
assert exits[0]["sig"] == 10 and exits[0]["age"] > 0, exits
assert (s["cause"], s["pid"], s["syscall"]) == ("syscall", int(sys.argv[3]), "kill"), s
' "$TOOL_OUT" "$LONG" "$BASHPID"
expect_no "exitsnoop-c -p: no other process" "\"pid\":$OTHER,"

# --per-thread: each of the four threads' exits, one of them the process's leader.
tool_start exitsnoop-c --per-thread --json
"$BIN/exit_cases" >"$WORK/exit-threads.out"
THREADS_PID=$(awk '$1 == "threads_kill" { print $2 }' "$WORK/exit-threads.out")
MARKER=$(exit_pid sh -c 'exit 0')
wait_line "\"pid\":$MARKER,"
tool_stop
check "exitsnoop-c --per-thread: four lines for the four threads killed, one each" python3 -c '
import json, sys
pid = int(sys.argv[2])
exits = [o for o in map(json.loads, open(sys.argv[1])) if o["type"] == "exit" and o["pid"] == pid]
assert len(exits) == 4 and len({o["tid"] for o in exits}) == 4 and pid in {o["tid"] for o in exits}, exits
assert all(o["sig"] == 9 and o["sender"]["syscall"] == "kill" for o in exits), exits
' "$TOOL_OUT" "$THREADS_PID"

# The OOM killer: a process that outgrows its memory cgroup's limit (cgroup
# v2's memory controller, else v1's), told apart from the kernel's other
# SIGKILLs by oom:mark_victim.
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$CG2" ] && grep -qw memory "$CG2/cgroup.controllers" 2>/dev/null; then
	OOM_CG=$CG2/$MARK-oom
	mkdir "$OOM_CG" && echo 32M >"$OOM_CG/memory.max" && { echo 0 >"$OOM_CG/memory.swap.max"; :; } 2>/dev/null
else
	OOM_CG=/sys/fs/cgroup/memory/$MARK-oom
	mkdir "$OOM_CG" && echo 32M >"$OOM_CG/memory.limit_in_bytes" &&
		{ echo 32M >"$OOM_CG/memory.memsw.limit_in_bytes"; :; } 2>/dev/null
fi
if [ -d "$OOM_CG" ]; then
	tool_start exitsnoop-c --json -x
	# bytearray() zeroes its 256 MiB: every page is touched.
	(echo "$BASHPID" >"$OOM_CG/cgroup.procs" && exec python3 -c 'bytearray(256 << 20)') 2>/dev/null &
	HOG=$!
	wait "$HOG" 2>/dev/null
	HOG_STATUS=$?
	wait_line "\"pid\":$HOG,"
	tool_stop
	rmdir "$OOM_CG"
	check "exitsnoop-c: the OOM killer's SIGKILL (the hog exited $HOG_STATUS)" python3 -c '
import json, sys
exits = [o for o in map(json.loads, open(sys.argv[1])) if o["type"] == "exit" and o["pid"] == int(sys.argv[2])]
assert len(exits) == 1 and exits[0]["sig"] == 9, exits
assert exits[0]["sender"]["cause"] == "oom", exits[0]["sender"]
' "$TOOL_OUT" "$HOG"
	check "exitsnoop-c: the hog was killed (waitpid status 137)" test "$HOG_STATUS" = 137
else
	fail "exitsnoop-c: a memory cgroup for the OOM case" "neither cgroup v2's memory controller nor v1's"
fi
