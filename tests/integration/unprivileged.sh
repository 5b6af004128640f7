# shellcheck shell=bash
# Every tool started as nobody with only the capabilities its man page's
# SECURITY section names for its mode (tests/unprivileged_cases.sh), with
# each kind of buffer; then with each of those capabilities taken away in
# turn: one line naming it, exit 1; and a copy with file capabilities
# refused. Sourced by tests/run.
# got is run_status's exit status, and TOOL_AS is read by tool_start (tests/lib.sh):
# shellcheck disable=SC2154,SC2034

# shellcheck source=tests/unprivileged_cases.sh
. tests/unprivileged_cases.sh
# shellcheck disable=SC2034 # read by expect_clean (tests/lib.sh)
BASELINE=$(settled_probe_state)
sleep 600 &
TARGET_SLEEP=$!
for tool in execsnoop-c exitsnoop-c killsnoop-c sigsnoop-c ptraceguard-c; do
	for buffer in ring perf; do
		buffer_args=(--ring-buffer)
		[ $buffer = perf ] && buffer_args=()
		# Root's start fills the cache that nobody reads, and mounts tracefs.
		tool_start "$tool" --json "${buffer_args[@]}" && tool_stop
		mode=$(sed -nE "s/^$tool: plan +[0-9.]+ s +([a-z]+).*/\\1/p" "$TOOL_ERR")
		mapfile -t caps < <(unprivileged_caps "$tool" "$mode" $buffer)
		unprivileged_start "$tool as nobody, $buffer buffer, with ${caps[*]}" "$TARGET_SLEEP" \
			"${caps[*]}" "$tool" "${buffer_args[@]}"
		for missing in "${caps[@]}"; do
			unprivileged_refused \
				"$tool as nobody, $buffer buffer, without ${missing^^}: one line names it, exit 1" \
				"$missing" "${caps[*]}" "$tool" "${buffer_args[@]}"
		done
	done
done

# What root has not compiled, nobody compiles (without storing it: the cache is root's).
mapfile -t caps < <(unprivileged_caps killsnoop-c tracepoint ring)
mapfile -t TOOL_AS < <(as_nobody "${caps[@]}")
if tool_start killsnoop-c --json --ring-buffer --no-cache; then
	check "killsnoop-c --no-cache as nobody: compiles" grep -qE "^killsnoop-c: compile +[0-9.]+ s" "$TOOL_ERR"
	line=$(unprivileged_workload killsnoop-c "$TARGET_SLEEP")
	check "killsnoop-c --no-cache as nobody: traces its workload" wait_line "$line"
	tool_stop
fi
TOOL_AS=()

# Small perf buffers fit in what the kernel lets a user lock without CAP_IPC_LOCK.
unprivileged_start "killsnoop-c as nobody, 8-page perf buffers, without CAP_IPC_LOCK" \
	"$TARGET_SLEEP" "$(unprivileged_caps killsnoop-c tracepoint ring | tr '\n' ' ')" \
	killsnoop-c --buffer-pages 8

# File capabilities would let any user load programs through a cache and
# header trees of its own: refused, in one line (a copy, given them by setcap).
mkdir "$WORK/file-caps"
chmod 0755 "$WORK/file-caps"
cp "$BIN/execsnoop-c" "$WORK/file-caps/execsnoop-c"
check "setcap gives a copy of execsnoop-c CAP_BPF and CAP_PERFMON" \
	setcap cap_bpf,cap_perfmon+ep "$WORK/file-caps/execsnoop-c"
if run_status 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/file-caps/execsnoop-c" &&
	[ "$ERR_TEXT" = "execsnoop-c: refuses to run set-user-ID or with file capabilities: give it its capabilities as ambient ones (see SECURITY in its man page)" ]; then
	pass "execsnoop-c with file capabilities, as nobody: refused in one line, exit 1"
else
	fail "execsnoop-c with file capabilities, as nobody: refused in one line, exit 1" \
		"got status $got: $ERR_TEXT"
fi
rm -rf "$WORK/file-caps"

kill "$TARGET_SLEEP"
wait "$TARGET_SLEEP" 2>/dev/null
expect_clean "unprivileged starts: nothing left attached"
