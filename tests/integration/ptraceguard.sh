# ptraceguard-c against real ptrace() callers on this kernel. Sourced by tests/run.

GUARD_SELF=$BASHPID
# A ptrace() caller that harms nothing: PTRACE_TRACEME, then exit 0 (Debian's
# python3, which any user may run).
TRACEME=(/usr/bin/python3 -c 'import ctypes; ctypes.CDLL(None).ptrace(0, 0, 0, 0)')

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

if tool_start ptraceguard-c; then
	run_as_child TRACER strace -o /dev/null /bin/true
	wait_line " strace "
	tool_stop
	check "ptraceguard-c: strace /bin/true is killed (status 137)" test "$TRACER_STATUS" = 137
	expect_kill "ptraceguard-c: the intervention reported" \
		"$(guard_line "$TRACER" strace "$GUARD_SELF" 0 SEIZE "$((TRACER + 1))" SIGKILL signalled)"
	check "ptraceguard-c: SIGINT exits 0" test "$TOOL_STATUS" = 0
	check "ptraceguard-c: header" test "$(head -n 1 "$TOOL_OUT")" = \
		"$(printf '%-9s %-*s %-16s %-*s %-6s %-12s %-*s %-8s %s' TIME "$PIDW" PID COMM "$PIDW" PPID UID REQUEST "$PIDW" TPID SIGNAL ACTION)"
fi

if tool_start ptraceguard-c --dry-run; then
	run_as_child TRACER strace -o /dev/null /bin/true
	wait_line " strace "
	tool_stop
	check "ptraceguard-c --dry-run: strace /bin/true runs to completion" test "$TRACER_STATUS" = 0
	check "ptraceguard-c --dry-run: reported as dry-run" grep -qE "^[0-9:]+ +$TRACER +strace .* SIGKILL +dry-run\$" "$TOOL_OUT"
fi

if tool_start ptraceguard-c --allow strace --allow gdb; then
	run_as_child TRACER strace -o /dev/null /bin/true
	run_as_child OTHER "${TRACEME[@]}"
	wait_line " python3 "
	tool_stop
	check "ptraceguard-c --allow strace: strace runs to completion" test "$TRACER_STATUS" = 0
	check "ptraceguard-c --allow strace: reported as allowed" grep -qE "^[0-9:]+ +$TRACER +strace .* allowed\$" "$TOOL_OUT"
	check "ptraceguard-c --allow: other callers still killed" test "$OTHER_STATUS" = 137
	expect_kill "ptraceguard-c --allow: the other caller's TRACEME reported" \
		"$(guard_line "$OTHER" python3 "$GUARD_SELF" 0 TRACEME 0 SIGKILL signalled)"
fi

if tool_start ptraceguard-c -s USR1 -u nobody; then
	run_as_child ROOTS "${TRACEME[@]}"
	run_as_child NOBODYS setpriv --reuid=65534 --regid=65534 --clear-groups "${TRACEME[@]}"
	wait_line " python3 "
	tool_stop
	check "ptraceguard-c -u nobody: root's caller untouched" test "$ROOTS_STATUS" = 0
	check "ptraceguard-c -s USR1 -u nobody: nobody's caller dies of SIGUSR1 (138)" test "$NOBODYS_STATUS" = 138
	expect_kill "ptraceguard-c -s USR1: reported with the signal" \
		"$(guard_line "$NOBODYS" python3 "$GUARD_SELF" 65534 TRACEME 0 SIGUSR1 signalled)"
	expect_no "ptraceguard-c -u: no line for root's caller" " $ROOTS "
fi

if tool_start ptraceguard-c -P "$GUARD_SELF" --json; then
	run_as_child GRANDPARENT bash -c "$(printf '%q ' "${TRACEME[@]}"); exit \$?"
	run_as_child CHILD "${TRACEME[@]}"
	wait_line '"python3"'
	tool_stop
	check "ptraceguard-c -P: a grandchild's ptrace() goes through" test "$GRANDPARENT_STATUS" = 0
	check "ptraceguard-c -P: the parent's child is killed" test "$CHILD_STATUS" = 137
	if python3 - "$TOOL_OUT" "$CHILD" "$GUARD_SELF" <<'PY'
import json, sys
path, child, parent = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
objs = [json.loads(line) for line in open(path)]
assert len(objs) == 1, objs
o = objs[0]
assert (o["pid"], o["ppid"], o["comm"], o["request"], o["request_name"]) == \
    (child, parent, "python3", 0, "PTRACE_TRACEME"), o
assert (o["signal"], o["action"], o["error"], o["uid"]) == ("SIGKILL", "signalled", 0, 0), o
for key in ("time", "timestamp", "tid", "tpid"):
    assert key in o, key
PY
	then pass "ptraceguard-c --json: one object, every field"; else fail "ptraceguard-c --json: one object, every field" "$(cat "$TOOL_OUT")"; fi
fi

reap_strace_children
expect_kprobe_refused ptraceguard-c
expect_fentry_refused ptraceguard-c
