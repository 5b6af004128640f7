# shellcheck shell=bash
# Every tool confined once attached (common/confine.h), with each kind of
# buffer: the capabilities it keeps, no_new_privs and its seccomp filter as
# /proc/PID/status shows them; then a test build whose event loop makes a
# call outside the filter. Sourced by tests/run.

for tool in execsnoop-c exitsnoop-c killsnoop-c sigsnoop-c ptraceguard-c; do
	caps=$CAPS_NONE
	[ "$tool" = ptraceguard-c ] && caps=$CAPS_KILL
	for buffer in perf ring; do
		if [ $buffer = perf ]; then tool_start "$tool"; else tool_start "$tool" --ring-buffer; fi ||
			continue
		expect_confined "$tool, $buffer buffer: confined once attached" "$caps"
		tool_stop
		check "$tool, $buffer buffer: SIGINT ends it, confined, with status 0" \
			test "$TOOL_STATUS" = 0
	done
done

# The test build's loop calls mkdir(2) after its first poll: the filter ends it
# with one line naming the call, the directory is not made (in a directory
# any user may write, so that only the filter stops it), nothing stays attached.
FORBIDDEN=$(mktemp -d "$WORK/forbidden.XXXXXX")
chmod 1777 "$FORBIDDEN"
# shellcheck disable=SC2034 # read by expect_clean (tests/lib.sh)
BASELINE=$(settled_probe_state)
(cd "$FORBIDDEN" && exec "$BIN/killsnoop-c-forbidden-call") >"$FORBIDDEN/out" 2>"$FORBIDDEN/err" &
FORBIDDEN_PID=$!
for _ in $(seq 1 "$START_TRIES"); do
	kill -0 "$FORBIDDEN_PID" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$FORBIDDEN_PID" 2>/dev/null; then
	fail "a call outside the filter ends the tool" "still running after $START_TRIES tries" \
		"$(tail -n 5 "$FORBIDDEN/err")"
	kill -KILL "$FORBIDDEN_PID"
fi
wait "$FORBIDDEN_PID"
FORBIDDEN_STATUS=$?
check "a call outside the filter: exit status 1" test "$FORBIDDEN_STATUS" = 1
check "a call outside the filter: one line names it" grep -qxE \
	"killsnoop-c: system call mkdir(at)? \([0-9]+\) is outside the tool's seccomp filter: stopping \(a bug: please report it\)" \
	"$FORBIDDEN/err"
check "a call outside the filter: it was not made" test ! -e "$FORBIDDEN/forbidden-call"
expect_clean "a call outside the filter: nothing left attached"
