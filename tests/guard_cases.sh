# The shared-address-space rule of ptraceguard-c, for the host's tests and
# the VM stage's guests alike (sourced after tests/lib.sh).

# guard_target OUT COMMAND...: starts COMMAND, a target that prints "ready"
# once set, in the background with its stdout in OUT and its PID in TARGET;
# waits up to 10 s for that line.
guard_target() {
	local out=$1
	shift
	"$@" >"$out" &
	TARGET=$!
	for _ in $(seq 1 200); do
		grep -q ready "$out" && return 0
		sleep 0.05
	done
	return 1
}

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
	guard_target "$WORK/mm-target.out" "$BIN/ptrace_cases" idle
	target=$TARGET
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

# guard_door_cases LABEL SEEN ACTION [USER]: with ptraceguard-c running
# (TOOL_OUT, text columns), each door tried on a target of its own that
# holds a secret (tests/workloads/door_cases.c), both run by USER when given
# (an unprivileged user against their own process), else by root. What the
# attacker got and whether the target's memory changed are the oracle.
# SEEN: lsm (the LSM hook sees every door) or syscalls (the syscalls' entries
# only: /proc/PID/mem and /proc/PID/stack are not covered, read and written
# unreported). ACTION,
# for the doors seen: denied (EPERM, EACCES), signalled (the caller killed at the
# entry, before a byte moves) or dry-run (through, reported).
NR_READ=$(echo SYS_read | cpp -P -include sys/syscall.h | tail -n 1)
guard_door_cases() {
	local label=$1 seen=$2 action=$3 user=${4:-} as="" door target address attacker status covered column
	local run=() yama_blocks=false said got changed
	if [ -n "$user" ]; then
		run=(setpriv --reuid="$user" --regid="$user" --clear-groups)
		as=" (uid $user, its own process)"
		# Yama's ptrace_scope 1 or more: the kernel itself refuses a
		# non-parent, whatever the guard does.
		[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 0 ] && yama_blocks=true
	fi
	local doors=(vm_readv vm_writev mem_read mem_write getfd)
	# A kernel stack is root's alone (CAP_SYS_ADMIN) whatever the guard does.
	[ -z "$user" ] && doors+=(stack)
	for door in "${doors[@]}"; do
		case $door in
		vm_readv) column=VM_READV ;;
		vm_writev) column=VM_WRITEV ;;
		getfd) column=PIDFD_GETFD ;;
		stack) column="syscall:$NR_READ" ;;
		*) column=PROC_MEM ;;
		esac
		covered=true
		[ "$seen" = syscalls ] && case $door in mem_* | stack) covered=false ;; esac
		guard_target "$WORK/door-target.out" "${run[@]}" "$BIN/door_cases" target
		target=$TARGET
		address=$(awk '$1 == "ready" { print $2 }' "$WORK/door-target.out")
		"${run[@]}" "$BIN/door_cases" "$door" "$target" "$address" >"$WORK/door-attack.out" 2>&1 &
		attacker=$!
		wait "$attacker" 2>/dev/null
		status=$?
		kill -USR1 "$target"
		for _ in $(seq 1 100); do
			grep -q "^buffer: " "$WORK/door-target.out" && break
			sleep 0.05
		done
		kill -KILL "$target"
		wait "$target" 2>/dev/null
		$covered && wait_line " $attacker "
		said=$(cat "$WORK/door-attack.out")
		got=false
		grep -qE "^(got: snoopc-secret|wrote: 8)" "$WORK/door-attack.out" && got=true
		[ "$door" = stack ] && grep -q "^got: ." "$WORK/door-attack.out" && got=true
		changed=true
		grep -qx "buffer: snoopc-secret-0123456789" "$WORK/door-target.out" && changed=false
		if { $covered && [ "$action" = dry-run ]; } || { ! $covered && ! $yama_blocks; }; then
			check "$label: $door$as goes through, as documented ($status: $said)" \
				sh -c "test $status = 0 && $got"
			if [ "$door" = vm_writev ] || [ "$door" = mem_write ]; then
				check "$label: $door$as: the target's memory was written" $changed
			else
				check "$label: $door$as: the target's memory is as it was" test "$changed" = false
			fi
		elif [ "$action" = denied ] || ! $covered; then
			# /proc/PID/mem's open says EACCES for any refused check.
			check "$label: $door$as is denied with EPERM or EACCES ($status: $said)" \
				sh -c "test $status = 1 && ! $got && grep -qE 'Operation not permitted|Permission denied' '$WORK/door-attack.out'"
			check "$label: $door$as: not a byte of the target's memory changed" test "$changed" = false
		else
			check "$label: $door$as: the caller is killed, nothing read out ($status: $said)" \
				sh -c "test $status = 137 && ! $got"
			check "$label: $door$as: not a byte of the target's memory changed" test "$changed" = false
		fi
		if $covered; then
			check "$label: $door$as reported $action, with its target" \
				sh -c "awk -v p=$attacker -v t=$target '\$2 == p && \$6 == \"$column\" && \$7 == t && \$NF == \"$action\"' '$TOOL_OUT' | grep -q ."
		else
			expect_no "$label: $door$as: nothing reported (not covered)" " $attacker "
		fi
	done
}
