# shellcheck shell=bash
# execsnoop-c's lineage and context fields (exec_id, parent_exec_id, euid,
# loginuid) and exitsnoop-c's exec_id, both tools at once against a
# three-level chain, a PID used twice, a setuid exec and a login UID.
# Sourced by tests/run.

LINEAGE_SHELL=$BASHPID
tool_start exitsnoop-c --json
EXITS=("$TOOL_OUT" "$TOOL_PID" "$TOOL_STARTED")
tool_start execsnoop-c --json
$TOOL_STARTED && ${EXITS[2]} || TOOL_STARTED=false

: >"$WORK/chain.out"
tests/workloads/lineage_chain.sh 1 "$WORK/chain.out" &
wait $!
# A PID used twice: the same number, forced through ns_last_pid, for two processes.
python3 - "$WORK/reuse.out" <<'PY'
import os, sys

def run():
    pid = os.fork()
    if pid == 0:
        os.execv("/bin/true", ["/bin/true", "pid-reuse"])
    os.waitpid(pid, 0)
    return pid

first = second = run()
for _ in range(100):
    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
        f.write(str(first - 1))
    second = run()
    if second == first:
        break
with open(sys.argv[1], "w") as f:
    f.write(f"{first}\n{second}\n")
PY
NOBODY=$(id -u nobody)
setpriv --reuid="$NOBODY" --regid="$(id -g nobody)" --clear-groups /usr/bin/mount --version >/dev/null &
SETUID_PID=$!
wait "$SETUID_PID"
/bin/bash -c 'echo 4242 >/proc/self/loginuid && exec /bin/true loginuid' &
LOGIN_PID=$!
wait "$LOGIN_PID"
MARKER=$(sh -c 'echo $$')
wait_line "\"pid\":$MARKER,"
tool_stop
EXEC_JSON=$TOOL_OUT
# shellcheck disable=SC2034 # read by tool_stop (tests/lib.sh)
TOOL_OUT=${EXITS[0]} TOOL_PID=${EXITS[1]} TOOL_NAME=exitsnoop-c
wait_line "\"pid\":$MARKER,"
tool_stop
run_counted "$WORK/lineage.log" tests/lineage_check.py "$EXEC_JSON" "$TOOL_OUT" "$WORK/chain.out" \
	"$LINEAGE_SHELL" "$WORK/reuse.out" "$SETUID_PID" "$NOBODY" "$(stat -c %u /usr/bin/mount)" \
	"$LOGIN_PID" 4242
check "setuid exec: /usr/bin/mount is setuid, as the check assumes" test -u /usr/bin/mount

# --lineage in text: the same fields as columns.
tool_start execsnoop-c -U --lineage
setpriv --reuid="$NOBODY" --regid="$(id -g nobody)" --clear-groups /usr/bin/mount --version >/dev/null &
SETUID_PID=$!
wait "$SETUID_PID"
wait_line " mount --version"
tool_stop
check "execsnoop-c --lineage: UID, EUID, LOGINUID, EXEC_ID and PARENT_EXEC_ID columns" \
	grep -qE "^$NOBODY +mount +$SETUID_PID +$LINEAGE_SHELL +0 +([0-9]+|-) +$SETUID_PID-[0-9]+-[0-9]+ +$LINEAGE_SHELL-[0-9]+-[0-9]+ +0 /usr/bin/mount --version\$" "$TOOL_OUT"
check "execsnoop-c --lineage: header" grep -qE "^UID +COMM +PID +PPID +EUID +LOGINUID +EXEC_ID +PARENT_EXEC_ID +RET ARGS\$" "$TOOL_OUT"

tool_start exitsnoop-c --lineage
sh -c 'exit 6' &
SIX=$!
wait "$SIX"
wait_line " $SIX "
tool_stop
check "exitsnoop-c --lineage: the EXEC_ID column" \
	grep -qE "^sh +$SIX +$LINEAGE_SHELL +$SIX +[0-9.]+ +$SIX-[0-9]+-[0-9]+ +6\$" "$TOOL_OUT"
