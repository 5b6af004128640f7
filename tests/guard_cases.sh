# shellcheck shell=bash
# The shared-address-space rule of ptraceguard-c, for the host's tests and
# the VM stage's guests alike (sourced after tests/lib.sh).

# Under emulation every program started costs a good part of a second:
# these helpers wait and read with the shell's builtins.

# nap SECONDS: sleeps, without starting sleep(1): a read that times out on
# a fifo nobody writes (made in /tmp: the guests' results share cannot hold
# one), unlinked once open. sleep(1) where no fifo can be made.
nap() {
	local fifo
	if [ -z "${NAP_FD:-}" ]; then
		fifo=$(mktemp -u /tmp/snoopc-nap.XXXXXX)
		if mkfifo -m 600 "$fifo" 2>/dev/null && exec {NAP_FD}<>"$fifo"; then
			rm -f "$fifo"
		else
			NAP_FD=none
		fi
	fi
	if [ "$NAP_FD" = none ]; then
		sleep "$1"
	else
		read -r -t "$1" -u "$NAP_FD" _ || :
	fi
}

# file_has FILE PATTERN: a line of FILE matches the glob PATTERN.
file_has() {
	local line
	while IFS= read -r line; do
		# shellcheck disable=SC2053	# a glob on purpose
		[[ $line == $2 ]] && return 0
	done <"$1"
	return 1
}

# guard_line_of FIELD WHO COLUMN TARGET ACTION: TOOL_OUT has a line whose
# field FIELD (1: PID, 3: PPID) is WHO, with that REQUEST column, target and
# action (each a glob).
guard_line_of() {
	local f
	while read -r -a f; do
		# shellcheck disable=SC2053	# globs on purpose
		[ "${f[$1]:-}" = "$2" ] && [[ ${f[5]:-} == $3 && ${f[6]:-} == $4 &&
			${f[${#f[@]} - 1]} == $5 ]] && return 0
	done <"$TOOL_OUT"
	return 1
}

# no_guard_line FIELD WHO: TOOL_OUT has no line of WHO (see guard_line_of).
no_guard_line() {
	! guard_line_of "$1" "$2" "*" "*" "*"
}

# guard_target OUT COMMAND...: starts COMMAND, a target that prints "ready"
# once set, in the background with its stdout in OUT and its PID in TARGET;
# waits up to 10 s for that line.
guard_target() {
	local out=$1
	shift
	: >"$out"	# before the background job's own redirection: no stale line counts
	"$@" >"$out" &
	TARGET=$!
	for _ in {1..200}; do
		file_has "$out" "ready*" && return 0
		nap 0.05
	done
	return 1
}

# guard_shared_mm_cases LABEL DENIES: with ptraceguard-c running (TOOL_OUT,
# text columns) and its caller this shell, a caller sharing its target's
# memory (one mm_struct) goes through unreported, and any other is stopped:
# with EPERM where DENIES is true (the LSM hooks), else killed (SIGKILL).
guard_shared_mm_cases() {
	local label=$1 stopped="killed: signal 9" action=signalled target leak
	local vm vm_status readv readv_status fork fork_status other other_status
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
	"$BIN/ptrace_cases" vm-readv-parent >"$WORK/mm-readv.out" 2>&1 &
	readv=$!
	wait "$readv"
	readv_status=$?
	"$BIN/ptrace_cases" fork-attach-parent >"$WORK/mm-fork.out" 2>&1 &
	fork=$!
	wait "$fork"
	fork_status=$?
	"$BIN/ptrace_cases" vm-attach "$target" >"$WORK/mm-other.out" 2>&1 &
	other=$!
	wait "$other"
	other_status=$?
	# Lines come in time order: once the last call's is out, every one is.
	wait_line " $target "
	local leak_said=false vm_said readv_said fork_said other_said
	file_has "$WORK/asan_leak.err" "Direct leak of 4321 byte(s) in 1 object(s)*" && leak_said=true
	check "$label: an ASan program's leak check runs, reports its leak, exits 23 ($leak)" \
		test "$leak" = 23 -a "$leak_said" = true
	check "$label: nothing reported for the ASan program" no_guard_line 2 asan_leak
	IFS= read -r vm_said <"$WORK/mm-vm.out"
	IFS= read -r readv_said <"$WORK/mm-readv.out"
	IFS= read -r fork_said <"$WORK/mm-fork.out"
	IFS= read -r other_said <"$WORK/mm-other.out"
	check "$label: a CLONE_VM child attaches to its creator, reads it, detaches ($vm_status: $vm_said)" \
		test "$vm_status" = 0 -a "$vm_said" = ok
	check "$label: nothing reported for the CLONE_VM child" no_guard_line 3 "$vm"
	check "$label: a CLONE_VM child reads its creator with process_vm_readv ($readv_status: $readv_said)" \
		test "$readv_status" = 0 -a "$readv_said" = ok
	check "$label: nothing reported for the reading CLONE_VM child" no_guard_line 3 "$readv"
	check "$label: a forked child's attach to its parent is stopped ($fork_said)" \
		test "$fork_status" = 1 -a "$fork_said" = "$stopped"
	check "$label: the forked child reported $action" \
		guard_line_of 3 "$fork" ATTACH "$fork" "$action"
	check "$label: a CLONE_VM child's attach to another process is stopped ($other_said)" \
		test "$other_status" = 1 -a "$other_said" = "$stopped"
	check "$label: the CLONE_VM child reported $action" \
		guard_line_of 3 "$other" ATTACH "$target" "$action"
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
# syscall_number NAME: the syscall's number, as the C library says it.
syscall_number() {
	echo "SYS_$1" | cpp -P -include sys/syscall.h | tail -n 1
}

NR_READ=$(syscall_number read)
guard_door_cases() {
	local label=$1 seen=$2 action=$3 user=${4:-} as="" door target address attacker status covered column
	local run=() yama_blocks=false said got changed line
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
		read -r _ address <"$WORK/door-target.out"
		"${run[@]}" "$BIN/door_cases" "$door" "$target" "$address" >"$WORK/door-attack.out" 2>&1 &
		attacker=$!
		wait "$attacker" 2>/dev/null
		status=$?
		kill -USR1 "$target"
		for _ in {1..200}; do
			file_has "$WORK/door-target.out" "buffer: *" && break
			nap 0.05
		done
		kill -KILL "$target"
		wait "$target" 2>/dev/null
		if $covered; then
			for _ in {1..200}; do
				guard_line_of 1 "$attacker" "$column" "$target" "$action" && break
				nap 0.05
			done
		fi
		said=
		IFS= read -r said <"$WORK/door-attack.out"
		got=false
		case $said in "got: snoopc-secret"* | "wrote: 8") got=true ;; esac
		[ "$door" = stack ] && [[ $said == "got: "?* ]] && got=true
		changed=true
		file_has "$WORK/door-target.out" "buffer: snoopc-secret-0123456789" && changed=false
		if { $covered && [ "$action" = dry-run ]; } || { ! $covered && ! $yama_blocks; }; then
			check "$label: $door$as goes through, as documented ($status: $said)" \
				test "$status" = 0 -a "$got" = true
			if [ "$door" = vm_writev ] || [ "$door" = mem_write ]; then
				check "$label: $door$as: the target's memory was written" test "$changed" = true
			else
				check "$label: $door$as: the target's memory is as it was" test "$changed" = false
			fi
		elif [ "$action" = denied ] || ! $covered; then
			# /proc/PID/mem's open says EACCES for any refused check.
			line=false
			case $said in *"Operation not permitted" | *"Permission denied") line=true ;; esac
			check "$label: $door$as is denied with EPERM or EACCES ($status: $said)" \
				test "$status" = 1 -a "$got" = false -a "$line" = true
			check "$label: $door$as: not a byte of the target's memory changed" test "$changed" = false
		else
			check "$label: $door$as: the caller is killed, nothing read out ($status: $said)" \
				test "$status" = 137 -a "$got" = false
			check "$label: $door$as: not a byte of the target's memory changed" test "$changed" = false
		fi
		if $covered; then
			check "$label: $door$as reported $action, with its target" \
				guard_line_of 1 "$attacker" "$column" "$target" "$action"
		else
			check "$label: $door$as: nothing reported (not covered)" no_guard_line 1 "$attacker"
		fi
	done
}
