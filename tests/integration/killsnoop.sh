# shellcheck shell=bash
# killsnoop-c against real kill() calls on this kernel (tracepoint mode). Sourced by tests/run.

SELF=$BASHPID
SELF_COMM=$(cat "/proc/$SELF/comm")

# Two targets that ignore the signals sent to them, and a PID nobody has.
sleep 600 &
T1=$!
sleep 600 &
T2=$!
NONE=$(unused_pid)

tool_start killsnoop-c
send_from S1 "kill -0 $T1; kill -s WINCH $T1; kill -s CONT $T2; kill -s TERM $NONE 2>/dev/null; :"
wait_line " -3" || true
tool_stop
expect_kill "killsnoop-c: signal 0" "$(kill_line "$S1" bash 0 "$T1" 0)"
expect_kill "killsnoop-c: SIGWINCH" "$(kill_line "$S1" bash 28 "$T1" 0)"
expect_kill "killsnoop-c: SIGCONT to another target" "$(kill_line "$S1" bash 18 "$T2" 0)"
expect_kill "killsnoop-c: failing kill (ESRCH)" "$(kill_line "$S1" bash 15 "$NONE" -3)"
check "killsnoop-c: SIGINT exits 0" test "$TOOL_STATUS" = 0
check "killsnoop-c: header" test "$(head -n 1 "$TOOL_OUT")" = \
	"$(printf '%-9s %-*s %-16s %-4s %-*s %s' TIME "$PIDW" PID COMM SIG "$PIDW" TPID RESULT)"
# Where the kernel has bpf_task_pt_regs, the lines above came from exits alone.
if kernel_has_task_pt_regs; then
	check "killsnoop-c: the syscall's exit program alone (the kernel has bpf_task_pt_regs)" \
		grep -q "^killsnoop-c: syscall exits read their arguments back" "$TOOL_ERR"
else
	check "killsnoop-c: entry and exit programs (the kernel has no bpf_task_pt_regs)" \
		grep -q "^killsnoop-c: no bpf_task_pt_regs helper in this kernel's BTF: entry and exit" "$TOOL_ERR"
fi
tool_start killsnoop-c -x
send_from S1 "kill -0 $T1; kill -s TERM $NONE 2>/dev/null; :"
wait_line " -3" || true
tool_stop
expect_kill "killsnoop-c -x: the failed kill" "$(kill_line "$S1" bash 15 "$NONE" -3)"
expect_no_kill "killsnoop-c -x: no successful kill" "$(kill_line "$S1" bash 0 "$T1" 0)"

tool_start killsnoop-c -p "$SELF"
send_from S1 "kill -0 $T1"
kill -s WINCH "$T1"
sleep 0.3
tool_stop
expect_kill "killsnoop-c -p: the sender's kill" "$(kill_line "$SELF" "$SELF_COMM" 28 "$T1" 0)"
expect_no_kill "killsnoop-c -p: not another sender's" "$(kill_line "$S1" bash 0 "$T1" 0)"

tool_start killsnoop-c -T "$T2"
send_from S1 "kill -0 $T1; kill -0 $T2"
sleep 0.3
tool_stop
expect_kill "killsnoop-c -T: kills of the target" "$(kill_line "$S1" bash 0 "$T2" 0)"
expect_no_kill "killsnoop-c -T: not of another target" "$(kill_line "$S1" bash 0 "$T1" 0)"

tool_start killsnoop-c -s 28
send_from S1 "kill -0 $T1; kill -s WINCH $T1; kill -s CONT $T1"
sleep 0.3
tool_stop
expect_kill "killsnoop-c -s by number: that signal" "$(kill_line "$S1" bash 28 "$T1" 0)"
expect_no_kill "killsnoop-c -s by number: no other" "$(kill_line "$S1" bash 18 "$T1" 0)"

tool_start killsnoop-c -s WINCH,SIGCONT
send_from S1 "kill -0 $T1; kill -s WINCH $T1; kill -s CONT $T1"
sleep 0.3
tool_stop
expect_kill "killsnoop-c -s by name: first signal" "$(kill_line "$S1" bash 28 "$T1" 0)"
expect_kill "killsnoop-c -s by SIG name: second signal" "$(kill_line "$S1" bash 18 "$T1" 0)"
expect_no_kill "killsnoop-c -s by name: no other" "$(kill_line "$S1" bash 0 "$T1" 0)"

tool_start killsnoop-c --json
send_from S1 "kill -s WINCH $T1; kill -s TERM $NONE 2>/dev/null; :"
sleep 0.3
tool_stop
if python3 - "$TOOL_OUT" "$S1" "$T1" "$NONE" <<'PY'
import json, sys
path, sender, t1, none = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lines = [json.loads(line) for line in open(path)]
objs = [o for o in lines if o["type"] == "kill"]
mine = [(o["sig"], o["signal"], o["tpid"], o["ret"]) for o in objs if o["pid"] == sender]
assert mine == [(28, "SIGWINCH", t1, 0), (15, "SIGTERM", none, -3)], mine
for o in objs:
    for key in ("time", "timestamp", "tid", "uid", "comm"):
        assert key in o, key
# The last line: the stats at the stop, counting every event written, none lost.
stats = lines[-1]
assert stats["type"] == "stats" and stats["tool"] == "killsnoop-c", stats
assert stats["total"] == {"events": len(objs), "lost": 0, "dropped": 0}, (stats, len(objs))
PY
then pass "killsnoop-c --json: parses, with every field, and the stats at the end"
else fail "killsnoop-c --json: parses, with every field, and the stats at the end" "$(tail -3 "$TOOL_OUT")"; fi
# The common fields against oracles nobody here wrote: the sender (a child
# of this shell) is in this shell's cgroup, as /proc/PID/cgroup says; the
# time is the wall clock's; the host is hostname's.
if python3 - "$TOOL_OUT" "$S1" "$(hostname)" "$(date +%s)" <<'PY'
import datetime, json, sys
path, sender, host, now = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
o = [json.loads(line) for line in open(path) if '"type":"kill"' in line and f'"pid":{sender},' in line][0]
paths = dict(l.strip().split(":", 2)[1:] for l in open("/proc/self/cgroup"))
assert o["cgroup_path"] == paths.get("memory", paths.get("")), (o, paths)
assert o["container_id"] is None and o["pod_uid"] is None, o
assert o["host"] == host, o
t = datetime.datetime.strptime(o["time"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
assert abs(t.timestamp() - now) < 30, (o["time"], now)
PY
then pass "killsnoop-c --json: cgroup path as /proc/PID/cgroup says, host, wall-clock time"
else fail "killsnoop-c --json: cgroup path as /proc/PID/cgroup says, host, wall-clock time" "$(head -3 "$TOOL_OUT")"; fi
# The run's identity: every object numbered from 1 without a gap, events
# and stats alike; one run_id, another at the next start; the kernel's boot ID.
cp "$TOOL_OUT" "$WORK/first-run.json"
tool_start killsnoop-c --json
send_from S1 "kill -s WINCH $T1"
sleep 0.3
tool_stop
check "killsnoop-c --json: seq 1, 2, 3... in every object, one run_id a run, another the next, the kernel's boot_id" \
	python3 -c 'import json, sys
runs = [[json.loads(line) for line in open(path)] for path in sys.argv[1:3]]
boot = open("/proc/sys/kernel/random/boot_id").read().strip()
for objs in runs:
    assert [o["seq"] for o in objs] == list(range(1, len(objs) + 1)), [o["seq"] for o in objs]
    assert len({o["run_id"] for o in objs}) == 1, {o["run_id"] for o in objs}
    assert {o["boot_id"] for o in objs} == {boot}, ({o["boot_id"] for o in objs}, boot)
    assert {o["type"] for o in objs} >= {"kill", "stats"}, objs
assert runs[0][0]["run_id"] != runs[1][0]["run_id"], runs[0][0]["run_id"]' "$WORK/first-run.json" "$TOOL_OUT"

# Lost events are counted exactly, for perf buffers and for the ring
# buffer: with the tool stopped, 20000 kills from one sender (on one CPU)
# overflow a 16-page buffer; shown lines plus reported losses add up. The
# storm's last kills are lost and no event follows them: the kernel's own
# count of a perf buffer's losses would come only with the CPU's next
# event that fits, and the program's count must not wait for one.
sender_script='
read -r _
for _ in $(seq 1 20000); do kill -0 $$; done
: >"$1"
read -r _'
# lost_counted BUFFER_NAME FULL_BUFFER VERBOSE TOOL_OPTION...: FULL_BUFFER as
# the loss report names it, VERBOSE as -v says which buffer it is.
lost_counted() {
	local buffer=$1 full=$2 verbose=$3 shown lost cpu
	shift 3
	# The sender on one CPU: its kills fill that CPU's buffer alone.
	read -r cpu _ <<<"$(two_cpus)"
	rm -f "$WORK/storm.done"
	exec {to_sender}> >(exec taskset -c "$cpu" bash -c "$sender_script" sender "$WORK/storm.done")
	SENDER=$!
	tool_start killsnoop-c -p "$SENDER" --buffer-pages 16 "$@"
	kill -STOP "$TOOL_PID"
	echo go >&"$to_sender"
	for _ in $(seq 1 300); do
		[ -e "$WORK/storm.done" ] && break
		sleep 0.1
	done
	kill -CONT "$TOOL_PID"
	sleep 1
	echo "done" >&"$to_sender"
	exec {to_sender}>&-
	while kill -0 "$SENDER" 2>/dev/null; do sleep 0.1; done
	sleep 0.5
	tool_stop
	check "killsnoop-c -v, $buffer: says how the events come" grep -qx "killsnoop-c: $verbose" "$TOOL_ERR"
	shown=$(grep -c " 0    $SENDER " "$TOOL_OUT")
	lost=$(sed -n "s/^killsnoop-c: \([0-9]*\) events lost ($full full)\$/\1/p" "$TOOL_ERR")
	if [ -n "$lost" ] && [ $((shown + lost)) = 20000 ]; then
		pass "killsnoop-c, $buffer: lost events reported exactly ($shown shown + $lost lost = 20000)"
	else
		fail "killsnoop-c, $buffer: lost events reported exactly" "shown $shown, lost '${lost}'" \
			"$(tail -n 3 "$TOOL_ERR")"
	fi
}
lost_counted "perf buffers" "perf buffers" "events through a perf buffer per CPU"
lost_counted "ring buffer" "the ring buffer was" "events through a BPF ring buffer" --ring-buffer

# A stop while a write is blocked: stdout a pipe that is full and that its
# reader never reads (Ctrl-C on "killsnoop-c | less"). A clean exit, at once.
mkfifo "$WORK/stuck-pipe"
# shellcheck disable=SC2217 # the reader holds the fifo open and never reads it
sleep 300 <"$WORK/stuck-pipe" &
STUCK_READER=$!
tool_start_to "$WORK/stuck-pipe" killsnoop-c
STUCK=$TOOL_PID
python3 -c 'import os
for _ in range(20000): os.kill(os.getpid(), 0)'
sleep 1	# the tool fills the pipe, and blocks writing to it
check "killsnoop-c | a reader that never reads: blocked on the full pipe" \
	grep -q pipe_w "/proc/$STUCK/wchan"
kill -INT "$STUCK"
ends_within "$STUCK" 30
kill -KILL "$STUCK" 2>/dev/null
wait "$STUCK"
STUCK_STATUS=$?
check "killsnoop-c | a reader that never reads: SIGINT exits 0 at once ($STUCK_STATUS)" \
	test "$STUCK_STATUS" = 0
check "killsnoop-c | a reader that never reads: no write error said" \
	bash -c "! grep -q 'writing output failed' '$TOOL_ERR'"
kill "$STUCK_READER"
wait "$STUCK_READER" 2>/dev/null

expect_mode killsnoop-c kprobe "kill -s WINCH $T1" " $T1 "
expect_mode killsnoop-c fentry "kill -s WINCH $T1" " $T1 "

kill "$T1" "$T2" 2>/dev/null
wait "$T1" "$T2" 2>/dev/null
