# shellcheck shell=bash
# sigsnoop-c against real signals on this kernel. Sourced by tests/run.

SIG_SELF=$BASHPID
SIGNALS_PY=tests/integration/signals.py

# sig_line PID COMM SYSCALL SIG TPID RESULT [DELIVERY]: a line after its TIME column.
sig_line() {
	local sig_width=${SIG_WIDTH:-4}
	printf '%-*s %-16s %-17s %-*s %-*s %s' "$PIDW" "$1" "$2" "$3" "$sig_width" "$4" "$PIDW" "$5" \
		"$6${7:+$(printf '%*s' $((6 - ${#6})) '') $7}"
}

sleep 600 &
TARGET=$!
NONE=$(unused_pid)

tool_start sigsnoop-c
"$SIGNALS_PY" "$TARGET" 28 &
SENDER=$!
wait "$SENDER"
send_from S1 "kill -s TERM $NONE 2>/dev/null; :"
wait_line " -3"
tool_stop
for sc in kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal; do
	expect_kill "sigsnoop-c: $sc" "$(sig_line "$SENDER" signals.py "$sc" 28 "$TARGET" 0)"
done
expect_kill "sigsnoop-c: a failed kill" "$(sig_line "$S1" bash kill 15 "$NONE" -3)"
check "sigsnoop-c: SIGINT exits 0" test "$TOOL_STATUS" = 0
check "sigsnoop-c: header" test "$(head -n 1 "$TOOL_OUT")" = \
	"$(printf '%-9s %-*s %-16s %-17s %-4s %-*s %s' TIME "$PIDW" PID COMM SYSCALL SIG "$PIDW" TPID RESULT)"
expect_no "sigsnoop-c: no kernel signals without -k" " kernel "

tool_start sigsnoop-c -x -p "$SIG_SELF" -n
kill -s WINCH "$TARGET"
kill -s USR2 "$NONE" 2>/dev/null
send_from S1 "kill -s USR1 $NONE 2>/dev/null; :"
sleep 0.3
tool_stop
SIG_WIDTH=11 expect_kill "sigsnoop-c -x -p -n: the sender's failed call, signal named" \
	"$(SIG_WIDTH=11 sig_line "$SIG_SELF" "$(cat /proc/$SIG_SELF/comm)" kill SIGUSR2 "$NONE" -3)"
expect_no "sigsnoop-c -x: no successful call" "SIGWINCH"
expect_no "sigsnoop-c -p: no other sender" "SIGUSR1"

tool_start sigsnoop-c -T "$TARGET" -s WINCH,CONT
"$SIGNALS_PY" "$TARGET" 18 &
SENDER=$!
wait "$SENDER"
"$SIGNALS_PY" "$TARGET" 0
kill -s WINCH "$NONE" 2>/dev/null
wait_line " pidfd_send_signal "
tool_stop
check "sigsnoop-c -T -s: every syscall to the target with those signals" \
	test "$(grep -c " 18  *$TARGET  *0\$" "$TOOL_OUT")" = 6
expect_kill "sigsnoop-c -T: pidfd_send_signal's target, found through the signal" \
	"$(sig_line "$SENDER" signals.py pidfd_send_signal 18 "$TARGET" 0)"
expect_no "sigsnoop-c -s: no other signal" " 0  *$TARGET "
expect_no "sigsnoop-c -T: no other target" " $NONE "

# -k: the kernel's own signals, with the task that caused them as sender.
tool_start sigsnoop-c -k -n
/usr/bin/python3 -c 'import ctypes; ctypes.string_at(0)' 2>/dev/null &
SEGV=$!
wait "$SEGV" 2>/dev/null	# no "Segmentation fault" notice from the shell
bash -c 'exit 0' &
CHILD=$!
wait "$CHILD"
wait_line " $CHILD "
wait_line "SIGSEGV"
tool_stop
SIG_WIDTH=11 expect_kill "sigsnoop-c -k: SIGSEGV of a bad access" \
	"$(SIG_WIDTH=11 sig_line "$SEGV" python3 kernel SIGSEGV "$SEGV" -)"
SIG_WIDTH=11 expect_kill "sigsnoop-c -k: SIGCHLD of an exit, to the parent" \
	"$(SIG_WIDTH=11 sig_line "$CHILD" bash kernel SIGCHLD "$SIG_SELF" -)"

# -D: each signal's fate. A target that ignores SIGWINCH by default, one that
# blocks SIGUSR1 and then exits, and SIGTERM, which kills.
tool_start sigsnoop-c -D
sleep 600 &
VICTIM=$!
/usr/bin/python3 -c 'import signal, time; signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1]); time.sleep(1)' &
BLOCKER=$!
sleep 0.3
send_from S1 "kill -s WINCH $TARGET; kill -s USR1 $BLOCKER; kill -s USR1 $BLOCKER; kill -0 $TARGET; kill -s TERM $VICTIM"
wait "$BLOCKER" "$VICTIM" 2>/dev/null
wait_line " gone"
tool_stop
expect_kill "sigsnoop-c -D: default-ignored signal" "$(sig_line "$S1" bash kill 28 "$TARGET" 0 ignored)"
expect_kill "sigsnoop-c -D: blocked, then its target exits" "$(sig_line "$S1" bash kill 10 "$BLOCKER" 0 gone)"
expect_kill "sigsnoop-c -D: the same signal already pending" "$(sig_line "$S1" bash kill 10 "$BLOCKER" 0 merged)"
expect_kill "sigsnoop-c -D: signal 0 sends nothing" "$(sig_line "$S1" bash kill 0 "$TARGET" 0 -)"
check "sigsnoop-c -D: SIGTERM delivered to the victim's thread, with the delay" \
	grep -qE "^[0-9:]+ +$S1 +bash +kill +15 +$VICTIM +0 +$VICTIM after [0-9]+us\$" "$TOOL_OUT"

tool_start sigsnoop-c -D -j -p "$SIG_SELF"
kill -s WINCH "$TARGET"
kill -s TERM "$NONE" 2>/dev/null
sleep 0.3
tool_stop
if python3 - "$TOOL_OUT" "$SIG_SELF" "$TARGET" "$NONE" <<'PY'
import json, sys
path, me, target, none = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
objs = [o for o in map(json.loads, open(path)) if o["type"] == "signal"]
got = [(o["syscall"], o["sig"], o["signal"], o["tpid"], o["ret"], o["tcomm"], o["delivery"]["fate"])
       for o in objs if o["pid"] == me and o["sig"] != 2]  # not the tool's own stop
assert got == [("kill", 28, "SIGWINCH", target, 0, "sleep", "ignored"),
               ("kill", 15, "SIGTERM", none, -3, None, "not sent")], got
for key in ("time", "timestamp", "tid", "uid", "comm"):
    assert key in objs[0], key
PY
then pass "sigsnoop-c -D --json: every field, the fate as an object"; else fail "sigsnoop-c -D --json: every field, the fate as an object" "$(cat "$TOOL_OUT")"; fi

# -D with more signals pending at once than the kernel side follows
# (SIG_PENDING_MAX): 200 threads with every signal blocked get 60 each.
# Each refused entry is counted and reported, exactly; every signal still
# gets its fate ("gone" with the threads), none is printed as "pending".
# shellcheck disable=SC2154 # top: the repository, set by tests/run
FOLLOWED=$(sed -n 's/^#define SIG_PENDING_MAX \([0-9]*\)$/\1/p' "$top/programs/sigsnoop.h")
mkfifo "$WORK/backlog.go"
exec {backlog_go}<>"$WORK/backlog.go"
"$BIN/signal_backlog" 200 <&"$backlog_go" >"$WORK/backlog.out" &
BACKLOG=$!
# The thread exits settle 12000 signals in one burst, some 1.3 MB of events,
# which the default buffers hold whatever the reader's pace (perf buffers of
# 64 pages lost up to 800 of them on a loaded machine).
tool_start sigsnoop-c -D -p "$BACKLOG"
echo go >&"$backlog_go"
wait "$BACKLOG"
QUEUED=$(cat "$WORK/backlog.out")
# A bound on a hang: the lines come as the threads go, in a second or two.
for _ in $(seq 1 300); do
	[ "$(grep -c ' gone$' "$TOOL_OUT")" -ge "${QUEUED:-1}" ] && break
	sleep 0.1
done
tool_stop
check "sigsnoop-c -D: the workload queued 12000 signals" [ "$QUEUED" = 12000 ]
check "sigsnoop-c -D: a full table's refusals reported exactly ($((QUEUED - FOLLOWED)))" \
	grep -qx "sigsnoop-c: $((QUEUED - FOLLOWED)) events missed or left incomplete (a BPF table was full)" "$TOOL_ERR"
GONE=$(grep -cE "^[0-9:]+ +$BACKLOG +signal_backlog +tgkill +[0-9]+ +[0-9]+ +0 +gone\$" "$TOOL_OUT")
if [ "$GONE" = "$QUEUED" ]; then
	pass "sigsnoop-c -D: every signal of the backlog gone with its thread"
else
	fail "sigsnoop-c -D: every signal of the backlog gone with its thread" \
		"$GONE of $QUEUED; the tool said:" "$(tail -n 5 "$TOOL_ERR")" \
		"other fates: $(grep -E "^[0-9:]+ +$BACKLOG " "$TOOL_OUT" | awk '{ print $NF }' | sort | uniq -c | tr '\n' ' ')"
fi
check "sigsnoop-c -D: exits 0 after a full table" [ "$TOOL_STATUS" = 0 ]
exec {backlog_go}>&-

expect_mode sigsnoop-c kprobe "kill -s WINCH $TARGET" " $TARGET "
expect_mode sigsnoop-c fentry "kill -s WINCH $TARGET" " $TARGET "

kill "$TARGET" 2>/dev/null
wait "$TARGET" 2>/dev/null
