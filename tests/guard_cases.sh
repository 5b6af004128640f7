# The shared-address-space rule of ptraceguard-c, for the host's tests and
# the VM stage's guests alike (sourced after tests/lib.sh).

# guard_shared_mm_cases LABEL DENIES: with ptraceguard-c running (TOOL_OUT,
# text columns) and its caller this shell, a caller sharing its target's
# memory (one mm_struct) goes through unreported, and any other is stopped:
# with EPERM where DENIES is true (the LSM hooks), else killed (SIGKILL).
# Ends the guard with SIGINT.
guard_shared_mm_cases() {
	local label=$1 stopped="killed: signal 9" action=signalled target leak
	local vm vm_status fork fork_status other other_status
	if $2; then
		stopped="error: Operation not permitted"
		action=denied
	fi
	"$BIN/ptrace_cases" idle >"$WORK/mm-target.out" &
	target=$!
	for _ in $(seq 1 100); do
		grep -q ready "$WORK/mm-target.out" && break
		sleep 0.1
	done
	# A hang here is the bug itself (LeakSanitizer's helper killed): bounded.
	timeout 300 "$BIN/asan_leak" 2>"$WORK/asan_leak.err"
	leak=$?
	"$BIN/ptrace_cases" vm-attach-parent >"$WORK/mm-vm.out" 2>&1 &
	vm=$!
	wait "$vm"
	vm_status=$?
	"$BIN/ptrace_cases" fork-attach-parent >"$WORK/mm-fork.out" 2>&1 &
	fork=$!
	wait "$fork"
	fork_status=$?
	"$BIN/ptrace_cases" vm-attach "$target" >"$WORK/mm-other.out" 2>&1 &
	other=$!
	wait "$other"
	other_status=$?
	wait_line " $target "
	tool_stop
	check "$label: an ASan program's leak check runs, reports its leak, exits 23 ($leak)" \
		sh -c "test $leak = 23 && grep -q 'Direct leak of 4321 byte(s) in 1 object(s)' '$WORK/asan_leak.err'"
	expect_no "$label: nothing reported for the ASan program" " asan_leak "
	check "$label: a CLONE_VM child attaches to its creator, reads it, detaches ($vm_status)" \
		sh -c "test $vm_status = 0 && grep -qx ok '$WORK/mm-vm.out'"
	check "$label: nothing reported for the CLONE_VM child" \
		sh -c "! awk -v p=$vm '\$4 == p' '$TOOL_OUT' | grep -q ."
	check "$label: a forked child's attach to its parent is stopped" \
		sh -c "test $fork_status = 1 && grep -qx '$stopped' '$WORK/mm-fork.out'"
	check "$label: the forked child reported $action" \
		sh -c "awk -v p=$fork '\$4 == p && \$6 == \"ATTACH\" && \$7 == p && \$NF == \"$action\"' '$TOOL_OUT' | grep -q ."
	check "$label: a CLONE_VM child's attach to another process is stopped" \
		sh -c "test $other_status = 1 && grep -qx '$stopped' '$WORK/mm-other.out'"
	check "$label: the CLONE_VM child reported $action" \
		sh -c "awk -v p=$other -v t=$target '\$4 == p && \$6 == \"ATTACH\" && \$7 == t && \$NF == \"$action\"' '$TOOL_OUT' | grep -q ."
	kill -KILL "$target"
	wait "$target" 2>/dev/null
}
