# shellcheck shell=bash
# ptraceguard-c against real ptrace() callers on this kernel. Sourced by tests/run.
# Its checks are those of a kernel without BPF LSM, where calls are stopped
# by signalling their caller; the VM stage's guests check the denials.
# run_as_child assigns NAME and NAME_STATUS through eval:
# shellcheck disable=SC2153

# shellcheck source=tests/guard_cases.sh
. tests/guard_cases.sh
GUARD_SELF=$BASHPID
PTRACE_CASES=$BIN/ptrace_cases
# A ptrace() caller that harms nothing: PTRACE_TRACEME, then exit 0.
TRACEME=("$PTRACE_CASES" traceme)

# guard_line PID COMM PPID UID REQUEST TPID SIGNAL ACTION: a line after its TIME column.
guard_line() {
	printf '%-*s %-16s %-*s %-6s %-12s %-*s %-8s %s' "$PIDW" "$1" "$2" "$PIDW" "$3" "$4" "$5" \
		"$PIDW" "$6" "$7" "$8"
}

# run_as_child NAME COMMAND...: runs COMMAND in the background, its PID in
# NAME and its exit status in NAME_STATUS.
run_as_child() {
	local name=$1
	shift
	"$@" >/dev/null 2>&1 &
	eval "$name=\$!"
	wait "$!" 2>/dev/null	# no "Killed" notice from the shell
	eval "${name}_STATUS=\$?"
}

# state PID: the process's state letter (R, S, T...), or "gone".
state() {
	local s
	s=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null)
	echo "${s:-gone}"
}

# settles_to PID WANT: within 2 s the process is in state WANT (a letter, or gone),
# and stays so for a moment (a repair comes once the killed caller is gone).
settles_to() {
	for _ in $(seq 1 20); do
		if [ "$(state "$1")" = "$2" ]; then
			sleep 0.3
			[ "$(state "$1")" = "$2" ] && return 0
		fi
		sleep 0.1
	done
	return 1
}

# A target of its own for each check, ended by PID. It is attached only once
# its exec is over: a traced exec queues a SIGTRAP that would outlive the
# killed tracer and end it (the man page's REPAIRS).
new_target() {
	guard_target "$WORK/target.out" "$PTRACE_CASES" idle
}
end_target() {
	kill -KILL "$TARGET" 2>/dev/null
	wait "$TARGET" 2>/dev/null
}

tool_start ptraceguard-c
if kernel_runs_bpf_lsm; then
	fail "ptraceguard-c: this kernel runs BPF LSM programs" \
		"the checks below expect signalled callers: run them on a kernel without BPF LSM"
else
	check "ptraceguard-c -v: no LSM hooks here (the kernel runs no BPF LSM), calls are signalled" \
		grep -q "no LSM hooks, calls are signalled" "$TOOL_ERR"
fi
run_as_child TRACER strace -o /dev/null /bin/true
wait_line " strace "
# strace's child, the target, waits for strace to trace it: it must not be left waiting.
HELPER=$(awk -v p="$TRACER" '$2 == p && $6 == "SEIZE" { print $7 }' "$TOOL_OUT")
check "ptraceguard-c: strace /bin/true is killed (status 137)" test "$TRACER_STATUS" = 137
expect_kill "ptraceguard-c: the intervention reported" \
	"$(guard_line "$TRACER" strace "$GUARD_SELF" 0 SEIZE "$HELPER" SIGKILL signalled)"
check "ptraceguard-c: strace's child, left waiting to be traced, is ended" \
	settles_to "$HELPER" gone

new_target
run_as_child CALLER "$PTRACE_CASES" attach "$TARGET"
check "ptraceguard-c: a PTRACE_ATTACH caller is killed" test "$CALLER_STATUS" = 137
check "ptraceguard-c: its target, sent SIGSTOP by the attach, runs again" \
	settles_to "$TARGET" S
end_target

new_target
kill -STOP "$TARGET"
# Stopped before the attach: a SIGSTOP still pending when the attach comes
# (a loaded machine) is not a stop the guard can know of.
settles_to "$TARGET" T
run_as_child CALLER "$PTRACE_CASES" attach "$TARGET"
check "ptraceguard-c: a target stopped before the attach stays stopped" settles_to "$TARGET" T
end_target

new_target
run_as_child CALLER "$PTRACE_CASES" seize "$TARGET"
check "ptraceguard-c: a PTRACE_SEIZE caller is killed" test "$CALLER_STATUS" = 137
check "ptraceguard-c: its target runs on" settles_to "$TARGET" S
end_target

run_as_child PEEKER "$PTRACE_CASES" peek "$GUARD_SELF"
check "ptraceguard-c: PTRACE_PEEKDATA of a process not traced fails by itself (ESRCH)" \
	test "$PEEKER_STATUS" = 1
tool_stop
expect_no "ptraceguard-c: that harmless call is not reported" " $PEEKER "
check "ptraceguard-c: SIGINT exits 0" test "$TOOL_STATUS" = 0
check "ptraceguard-c: header" test "$(head -n 1 "$TOOL_OUT")" = \
	"$(printf '%-9s %-*s %-16s %-*s %-6s %-12s %-*s %-8s %s' TIME "$PIDW" PID COMM "$PIDW" PPID UID REQUEST "$PIDW" TPID SIGNAL ACTION)"

tool_start ptraceguard-c --dry-run
run_as_child TRACER strace -o /dev/null /bin/true
wait_line " strace "
tool_stop
check "ptraceguard-c --dry-run: strace /bin/true runs to completion" test "$TRACER_STATUS" = 0
check "ptraceguard-c --dry-run: reported as dry-run" grep -qE "^[0-9:]+ +$TRACER +strace .* SIGKILL +dry-run\$" "$TOOL_OUT"

# --allow by the executable's identity: a copy of the allowed program, or a
# program taking its name, is stopped.
ALLOWED_COPY=$WORK/ptrace_cases.copy
cp "$PTRACE_CASES" "$ALLOWED_COPY"
chmod 755 "$ALLOWED_COPY"
tool_start ptraceguard-c --allow "$PTRACE_CASES" --allow /usr/bin/strace
run_as_child ALLOWED "${TRACEME[@]}"
run_as_child TRACER strace -o /dev/null /bin/true
run_as_child COPY "$ALLOWED_COPY" traceme
run_as_child RENAMED "$ALLOWED_COPY" --name ptrace_cases traceme
run_as_child OTHER python3 -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)'
wait_line " python3 "
tool_stop
check "ptraceguard-c --allow PATH: that executable runs to completion" test "$ALLOWED_STATUS" = 0
check "ptraceguard-c --allow PATH: reported as allowed" \
	grep -qE "^[0-9:]+ +$ALLOWED +ptrace_cases .* allowed\$" "$TOOL_OUT"
check "ptraceguard-c --allow /usr/bin/strace: strace runs to completion" test "$TRACER_STATUS" = 0
check "ptraceguard-c --allow: a copy of the allowed executable is killed" test "$COPY_STATUS" = 137
check "ptraceguard-c --allow: a copy taking the allowed one's name is killed" test "$RENAMED_STATUS" = 137
expect_kill "ptraceguard-c --allow: the renamed copy reported under the name it took" \
	"$(guard_line "$RENAMED" ptrace_cases "$GUARD_SELF" 0 TRACEME 0 SIGKILL signalled)"
check "ptraceguard-c --allow: other callers still killed" test "$OTHER_STATUS" = 137

# --allow PATH:USER: that executable run by that user only.
chmod 755 "$WORK"
tool_start ptraceguard-c --allow "$ALLOWED_COPY:nobody"
run_as_child ROOTS "$ALLOWED_COPY" traceme
run_as_child NOBODYS setpriv --reuid=65534 --regid=65534 --clear-groups "$ALLOWED_COPY" traceme
wait_line " allowed"
tool_stop
check "ptraceguard-c --allow PATH:nobody: root's run of it is killed" test "$ROOTS_STATUS" = 137
check "ptraceguard-c --allow PATH:nobody: nobody's run of it is allowed" test "$NOBODYS_STATUS" = 0

tool_start ptraceguard-c -s USR1 -u nobody
run_as_child ROOTS "${TRACEME[@]}"
run_as_child NOBODYS setpriv --reuid=65534 --regid=65534 --clear-groups "$ALLOWED_COPY" traceme
wait_line " ptrace_cases.co"
tool_stop
check "ptraceguard-c -u nobody: root's caller untouched" test "$ROOTS_STATUS" = 0
check "ptraceguard-c -s USR1 -u nobody: nobody's caller dies of SIGUSR1 (138)" test "$NOBODYS_STATUS" = 138
expect_kill "ptraceguard-c -s USR1: reported with the signal" \
	"$(guard_line "$NOBODYS" ptrace_cases.co "$GUARD_SELF" 65534 TRACEME 0 SIGUSR1 signalled)"
expect_no "ptraceguard-c -u: no line for root's caller" " $ROOTS "

tool_start ptraceguard-c -P "$GUARD_SELF" --json
run_as_child GRANDPARENT bash -c "$(printf '%q ' "${TRACEME[@]}"); exit \$?"
run_as_child CHILD "${TRACEME[@]}"
wait_line '"ptrace_cases"'
tool_stop
check "ptraceguard-c -P: a grandchild's ptrace() goes through" test "$GRANDPARENT_STATUS" = 0
check "ptraceguard-c -P: the parent's child is killed" test "$CHILD_STATUS" = 137
NR_PTRACE=$(syscall_number ptrace)
if python3 - "$TOOL_OUT" "$CHILD" "$GUARD_SELF" "$NR_PTRACE" <<'PY'
import json, sys
path, child, parent, nr_ptrace = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lines = [json.loads(line) for line in open(path)]
objs = [o for o in lines if o["type"] != "stats"]
assert len(objs) == 1, objs
assert lines[-1]["type"] == "stats", lines[-1]
assert lines[-1]["total"] == {"events": 1, "lost": 0, "dropped": 0}, lines[-1]
o = objs[0]
assert (o["pid"], o["ppid"], o["comm"], o["request"], o["request_name"]) == \
    (child, parent, "ptrace_cases", 0, "PTRACE_TRACEME"), o
assert (o["signal"], o["action"], o["error"], o["uid"]) == ("SIGKILL", "signalled", 0, 0), o
assert (o["door"], o["syscall_nr"]) == ("ptrace", nr_ptrace), o
for key in ("time", "timestamp", "tid", "tpid"):
    assert key in o, key
PY
then pass "ptraceguard-c --json: one object, every field"; else fail "ptraceguard-c --json: one object, every field" "$(cat "$TOOL_OUT")"; fi

# A tracer's other calls. With -P the guard leaves alone the PTRACE_TRACEME
# of ptrace_cases' child (the shell's grandchild), which makes it a tracer.
tool_start ptraceguard-c -P "$GUARD_SELF"
run_as_child PEEKER "$PTRACE_CASES" traced-peek
wait_line " PEEKDATA "
tool_stop
TRACEE=$(awk -v p="$PEEKER" '$2 == p && $6 == "PEEKDATA" { print $7 }' "$TOOL_OUT")
check "ptraceguard-c: a tracer's PTRACE_PEEKDATA: the tracer is killed" \
	test "$PEEKER_STATUS" = 137
expect_kill "ptraceguard-c: the tracer's PTRACE_PEEKDATA reported" \
	"$(guard_line "$PEEKER" ptrace_cases "$GUARD_SELF" 0 PEEKDATA "${TRACEE:-?}" SIGKILL signalled)"
check "ptraceguard-c: its tracee, its own child, is not left behind" settles_to "${TRACEE:-1}" gone

# A caller sharing its target's memory (LeakSanitizer's helper) goes through.
tool_start ptraceguard-c
guard_shared_mm_cases "ptraceguard-c" false
tool_stop

# The other doors into a process: what an attacker gets, what the target keeps.
tool_start ptraceguard-c
guard_door_cases "ptraceguard-c" syscalls signalled
guard_door_cases "ptraceguard-c" syscalls signalled 65534
tool_stop
tool_start ptraceguard-c --dry-run
guard_door_cases "ptraceguard-c --dry-run" syscalls dry-run
tool_stop

# Guarding never depends on the output: a pipe whose reader went away.
mkfifo "$WORK/guard-pipe"
head -n 2 <"$WORK/guard-pipe" >/dev/null &
READER=$!
tool_start_to "$WORK/guard-pipe" ptraceguard-c
GUARD=$TOOL_PID
run_as_child FIRST "${TRACEME[@]}"	# its line (after the header) ends head: the pipe closes
sleep 0.5
run_as_child SECOND "${TRACEME[@]}"	# written into the closed pipe
sleep 0.5
run_as_child THIRD "${TRACEME[@]}"
check "ptraceguard-c | head -2: the first caller is killed" test "$FIRST_STATUS" = 137
check "ptraceguard-c | head -2: still guarding after the pipe closed" \
	test "$SECOND_STATUS" = 137 -a "$THIRD_STATUS" = 137
check "ptraceguard-c | head -2: the failed write said on stderr" \
	grep -q "writing output failed: Broken pipe; still guarding" "$TOOL_ERR"
stop_pid "$GUARD" "ptraceguard-c | head -2"
wait "$READER" 2>/dev/null
check "ptraceguard-c | head -2: events not written counted at the stop" \
	grep -qE "ptraceguard-c: [0-9]+ events not written \(output failed: Broken pipe\)" "$TOOL_ERR"

# A full disk (a tiny tmpfs of the test's own), with syslog listened to at
# /dev/log when nothing else serves it.
FULL=$WORK/full
mkdir -p "$FULL"
mount -t tmpfs -o size=4k tmpfs "$FULL"	# one page: 80 lines fill it
SYSLOG=
if [ ! -e /dev/log ]; then
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
out = open(sys.argv[1], "ab", buffering=0)
while True:
    out.write(s.recv(4096) + b"\n")' "$WORK/syslog" &
	SYSLOG=$!
	for _ in $(seq 1 50); do [ -S /dev/log ] && break; sleep 0.1; done
fi
tool_start_to "$FULL/out" ptraceguard-c
GUARD=$TOOL_PID
# Lines until the disk is full, then more callers.
{
	for _ in $(seq 1 80); do
		run_as_child CALLER "${TRACEME[@]}"
	done
} 2>/dev/null	# the shell's "Killed" notices for children reaped before wait
sleep 0.3
run_as_child LAST "${TRACEME[@]}"
check "ptraceguard-c on a full disk: still guarding" test "$LAST_STATUS" = 137
check "ptraceguard-c on a full disk: the failed write said on stderr" \
	grep -q "writing output failed: No space left on device; still guarding" "$TOOL_ERR"
if [ -n "$SYSLOG" ]; then
	check "ptraceguard-c on a full disk: the failed write said to syslog" \
		grep -q "ptraceguard-c\[$GUARD\]: writing output failed: No space left on device" "$WORK/syslog"
	kill "$SYSLOG"
	wait "$SYSLOG" 2>/dev/null
	rm -f /dev/log
fi
stop_pid "$GUARD" "ptraceguard-c on a full disk"
check "ptraceguard-c on a full disk: SIGINT exits 0" test "$STOP_STATUS" = 0
umount "$FULL"

# Inside a PID namespace (where the guard numbers PIDs as the namespace
# does): its init is exempt, another caller is not. Killed whole after
# NS_SECONDS, as scope.sh's in_pidns (its status then 137, as a killed
# init's would be: the time tells the two apart).
ns_start=$SECONDS
timeout -s KILL "$NS_SECONDS" unshare --kill-child --pid --fork --mount-proc bash -c '
	"$1/ptraceguard-c" -v >"$2/ns-guard.out" 2>"$2/ns-guard.err" &
	guard=$!
	for _ in $(seq 1 300); do grep -q " attach " "$2/ns-guard.err" && break; sleep 0.1; done
	"$1/ptrace_cases" traceme >/dev/null 2>&1
	echo $? >"$2/ns-other.status"
	kill -INT "$guard"
	wait "$guard"
	# Now PID 1 itself calls ptrace(), under a guard again.
	"$1/ptraceguard-c" -v >"$2/ns-guard1.out" 2>"$2/ns-guard1.err" &
	for _ in $(seq 1 300); do grep -q " attach " "$2/ns-guard1.err" && break; sleep 0.1; done
	exec "$1/ptrace_cases" traceme' x "$BIN" "$WORK" >/dev/null 2>&1
NS_INIT_STATUS=$?
check "ptraceguard-c in a PID namespace: its script ends within $NS_SECONDS s" \
	test $((SECONDS - ns_start)) -lt "$NS_SECONDS"
check "ptraceguard-c in a PID namespace: a caller there is killed" test "$(cat "$WORK/ns-other.status")" = 137
check "ptraceguard-c in a PID namespace: the namespace's init is exempt" test "$NS_INIT_STATUS" = 0
check "ptraceguard-c in a PID namespace: defaults to its PIDs" grep -q "PID namespace [0-9]*: its tasks" "$WORK/ns-guard.err"

expect_mode ptraceguard-c kprobe "$PTRACE_CASES traceme" " ptrace_cases "
expect_mode ptraceguard-c fentry "$PTRACE_CASES traceme" " ptrace_cases "
