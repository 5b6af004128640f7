#!/usr/bin/env bash
# Runs inside a VM stage guest (tests/vm/init started it), as root on a
# Debian kernel that has kprobes, fentry and its exact headers:
#   - the BTF reader, the header search and BTF offsets against exact headers;
#   - every tool in every mode (kprobe, fentry, tracepoint), the same workload
#     and the same expected lines in each; execsnoop-c against every kind of
#     exec (tests/workloads/exec_cases.c), 32-bit ones included; exitsnoop-c
#     against every kind of end (tests/workloads/exit_cases.c);
#   - each stopped by SIGINT, SIGTERM or SIGKILL (every mode sees all three),
#     then nothing they attached may remain;
#   - where the BPF LSM runs, deploy/systemd's units booted by systemd as
#     PID 1 in a bookworm root (tests/systemd_units.sh): the guard denies;
#   - with SNOOP_VM_ORACLE=1, BCC's execsnoop-bpfcc and killsnoop-bpfcc side
#     by side with the kprobe mode, the records compared one for one.
# Compiling under emulation is slow, so each tool starts once per mode and
# one workload serves every check of that start.
# Usage: tests/vm/guest.sh BUILD_DIR WORK_DIR (the tools' outputs are kept
# there, for the host to show). The last line is "N passed, N failed, N skipped".
set -u

BUILD_DIR=$(cd "$1" && pwd)
BIN=$BUILD_DIR/bin
WORK=$2
mkdir -p "$WORK" || exit 1
MARK=snoopvm$$
START_TRIES=1800
LINE_TRIES=300
STOP_TRIES=1200
# shellcheck source=tests/lib.sh
. tests/lib.sh
# shellcheck source=tests/guard_cases.sh
. tests/guard_cases.sh
# shellcheck source=tests/unprivileged_cases.sh
. tests/unprivileged_cases.sh
# shellcheck source=tests/systemd_units.sh
. tests/systemd_units.sh

read -r UPTIME _ </proc/uptime
echo "time boot: $UPTIME s (the guest's uptime as its tests begin)"
phase "guest setup: tracefs, BTF dump, what the kernel lacks"
REL=$(uname -r)
ME=$BASHPID
TRACEFS=/sys/kernel/tracing
mountpoint -q "$TRACEFS" || mount -t tracefs nodev "$TRACEFS"

# run_program NAME [ARGS...]: a test program of BIN, its counts added.
run_program() {
	phase "$1"
	run_counted "$WORK/$1.log" "$BIN/$1" "${@:2}"
}

# stop_as SIGNAL TOOL MODE: stops the running tool with SIGNAL; it must exit 0
# on SIGINT and SIGTERM, and nothing it attached may remain after any.
stop_as() {
	local want=0
	tool_stop "$1"
	[ "$1" = KILL ] && want=137
	check "$2 -m $3: exits $want on SIG$1" test "$TOOL_STATUS" = "$want"
	expect_clean "$2 -m $3: nothing left attached after SIG$1"
}

# oracle_start NAME COMMAND...: a BCC tool, unbuffered, ready once its
# header line is out (it prints it after attaching).
oracle_start() {
	ORACLE_OUT=$WORK/$1.out
	PYTHONUNBUFFERED=1 "${@:2}" >"$ORACLE_OUT" 2>"$WORK/$1.err" &
	ORACLE_PID=$!
	for _ in $(seq 1 "$START_TRIES"); do
		[ -s "$ORACLE_OUT" ] && return 0
		kill -0 "$ORACLE_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$1 started" "$(tail -n 5 "$WORK/$1.err")"
	return 1
}

# oracle_stop_after REGEX: once the BCC tool has printed a line matching
# REGEX, stops it. Background jobs of a script ignore SIGINT, and so does
# Python then: TERM, with output unbuffered nothing is lost.
oracle_stop_after() {
	for _ in $(seq 1 "$LINE_TRIES"); do
		grep -qE -- "$1" "$ORACLE_OUT" && break
		sleep 0.1
	done
	kill -TERM "$ORACLE_PID" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$ORACLE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$ORACLE_PID" 2>/dev/null
	wait "$ORACLE_PID"
}

# same_records NAME MINE THEIRS: the two record lists (one per line, sorted)
# are equal and not empty.
same_records() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		pass "$1 ($(echo "$2" | wc -l) records)"
	else
		fail "$1" "snoop-c:" "$2" "BCC:" "$3"
	fi
}

# workload_execs FILE: the workload's exec lines, sorted (not the test's own
# greps for the mark: BCC may not print the last of those before it stops).
workload_execs() {
	awk -v m="$MARK" '($1 == "true" || $1 == "bash") && index($0, m)' "$1" | sort
}

# execsnoop_mode MODE SIGNAL [oracle]
execsnoop_mode() {
	local mode=$1 sig=$2 oracle=${3:-} c1 c2 c3
	BASELINE=$(settled_probe_state)
	if [ -n "$oracle" ]; then
		oracle_start execsnoop-bpfcc execsnoop-bpfcc -x || oracle=
	fi
	tool_start execsnoop-c -x -m "$mode"
	expect_confined "execsnoop-c -m $mode: confined once attached" "$CAPS_NONE"
	bash -c 'exec /bin/true "$@"' x "$MARK.$mode" "a b" "x=1" &
	c1=$!
	wait "$c1"
	bash -c "exec /nonexistent/$MARK.$mode.fail" 2>/dev/null &
	c2=$!
	wait "$c2"
	/bin/true "$MARK.$mode.end" &
	c3=$!
	wait "$c3"
	wait_line "$MARK.$mode.end"
	[ -n "$oracle" ] && oracle_stop_after "$MARK.$mode.end"
	stop_as "$sig" execsnoop-c "$mode"
	expect_line "execsnoop-c -m $mode: exec with its arguments and PPID" \
		"$(exec_line true "$c1" "$ME" 0 "/bin/true $MARK.$mode a b x=1")"
	expect_line "execsnoop-c -m $mode: the shell's exec before it" \
		"$(exec_line bash "$c1" "$ME" 0 "/usr/bin/bash -c exec /bin/true \"\$@\" x $MARK.$mode a b x=1")"
	expect_line "execsnoop-c -m $mode: failed exec with its error" \
		"$(exec_line bash "$c2" "$ME" -2 "/nonexistent/$MARK.$mode.fail")"
	expect_line "execsnoop-c -m $mode: a plain exec" \
		"$(exec_line true "$c3" "$ME" 0 "/bin/true $MARK.$mode.end")"
	check "execsnoop-c -m $mode: -v names the mode" grep -q "attach .* $mode\$" "$TOOL_ERR"
	if [ -n "$oracle" ]; then
		# (comm, pid, ppid, ret, args): the columns both print the same way.
		same_records "execsnoop-c -m kprobe and BCC's execsnoop-bpfcc: same records" \
			"$(workload_execs "$TOOL_OUT")" "$(workload_execs "$ORACLE_OUT")"
	fi
}

# killsnoop_mode MODE SIGNAL [oracle]; FROM names the run in its checks.
FROM=
killsnoop_mode() {
	local mode=$1 sig=$2 oracle=${3:-} target none S1
	sleep 600 &
	target=$!
	none=$(unused_pid)
	BASELINE=$(settled_probe_state)
	if [ -n "$oracle" ]; then
		oracle_start killsnoop-bpfcc killsnoop-bpfcc || oracle=
	fi
	tool_start killsnoop-c -m "$mode"
	expect_confined "killsnoop-c -m $mode$FROM: confined once attached" "$CAPS_NONE"
	send_from S1 "kill -0 $target; kill -s WINCH $target; kill -s TERM $none 2>/dev/null; :"
	wait_line " -3"
	[ -n "$oracle" ] && oracle_stop_after " -3\$"
	stop_as "$sig" killsnoop-c "$mode"
	expect_kill "killsnoop-c -m $mode$FROM: signal 0" "$(kill_line "$S1" bash 0 "$target" 0)"
	expect_kill "killsnoop-c -m $mode$FROM: SIGWINCH" "$(kill_line "$S1" bash 28 "$target" 0)"
	expect_kill "killsnoop-c -m $mode$FROM: failing kill (ESRCH)" \
		"$(kill_line "$S1" bash 15 "$none" -3)"
	if [ -n "$oracle" ]; then
		# (pid, comm, sig, tpid, result) of the sender's kills, without the time.
		same_records "killsnoop-c -m kprobe and BCC's killsnoop-bpfcc: same records" \
			"$(awk -v p="$S1" '$2 == p { $1 = ""; print }' "$TOOL_OUT" | sort)" \
			"$(awk -v p="$S1" '$2 == p { $1 = ""; print }' "$ORACLE_OUT" | sort)"
	fi
	kill "$target"
	wait "$target" 2>/dev/null
}

# runs_in_mode MODE TOOL ARGS -- SYSCALLS...: true when TOOL can trace
# SYSCALLS in MODE on this kernel. In fentry mode, where the BTF leaves the
# first argument of one of their kernel functions a bare declaration
# (FWD_ARG_FUNCTIONS), the tool must refuse the mode with its one-line
# reason instead: that is checked, and false returned.
runs_in_mode() {
	local mode=$1 tool=$2 args=() s
	shift 2
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	[ "$mode" = fentry ] || return 0
	for s in "$@"; do
		if printf '%s\n' "$FWD_ARG_FUNCTIONS" | grep -qE "^__(x64|ia32)(_compat)?_sys_$s\$"; then
			expect_status "$tool ${args[*]} -m fentry: refused, the verifier reads no $s argument" 1 \
				"$tool: fentry mode: the kernel refuses fentry programs that read" \
				"$BIN/$tool" "${args[@]}" -m fentry
			return 1
		fi
	done
}

# exact_headers_used: the last tool's -v names this kernel's release as its
# headers', and it gave no warning about them.
exact_headers_used() {
	grep -q "headers .* $REL\$" "$TOOL_ERR" && ! grep -q "not the running kernel's" "$TOOL_ERR"
}

# ptraceguard_mode MODE SIGNAL: where the kernel runs BPF LSM programs
# (GUEST_LSM), and in the fentry mode where fmod_ret programs take their
# place (GUEST_FMOD_RET), the calls that attach are denied (EPERM): the
# caller goes on, nothing is attached, no target is stopped. Elsewhere their
# caller is killed and the guard repairs what the call left. 32-bit calls
# are seen too. Then the shared-memory rule and the other doors
# (tests/guard_cases.sh), as root and as nobody, and in the tracepoint mode
# with --dry-run too.
ptraceguard_mode() {
	local mode=$1 sig=$2 tracer status target helper caller traceme32 traceme peeker peek
	local action=signalled refused=137 seen
	local denies=$GUEST_LSM
	[ "$mode" = fentry ] && $GUEST_FMOD_RET && denies=true
	$denies && action=denied refused=1
	BASELINE=$(settled_probe_state)
	tool_start ptraceguard-c -m "$mode"
	expect_confined "ptraceguard-c -m $mode: confined once attached, CAP_KILL kept" "$CAPS_KILL"
	if $GUEST_LSM; then
		check "ptraceguard-c -m $mode: LSM hooks attached" \
			grep -q "LSM hooks attached: calls are denied" "$TOOL_ERR"
	elif $denies; then
		check "ptraceguard-c -m $mode: no BPF LSM here, fmod_ret programs deny" \
			grep -q "fmod_ret programs on their security_ functions attached: calls are denied" "$TOOL_ERR"
	else
		check "ptraceguard-c -m $mode: no BPF LSM here, calls are signalled" \
			grep -q "no LSM hooks, calls are signalled" "$TOOL_ERR"
	fi
	strace -o /dev/null /bin/true 2>/dev/null &
	tracer=$!
	wait "$tracer" 2>/dev/null
	status=$?
	guard_target "$WORK/target.$mode" "$BIN/ptrace_cases" idle
	target=$TARGET
	"$BIN/ptrace_cases" attach "$target" >"$WORK/attach.$mode" 2>&1 &
	caller=$!
	wait "$caller" 2>/dev/null
	caller=$?
	"$BIN/ptrace_cases" traceme32 >"$WORK/traceme32.$mode" 2>&1
	traceme32=$?
	"$BIN/ptrace_cases" traceme >/dev/null 2>&1
	traceme=$?
	"$BIN/ptrace_cases" peek "$target" >/dev/null 2>&1 &
	peeker=$!
	wait "$peeker"
	peek=$?
	wait_line " TRACEME "
	sleep 0.5
	# The same guard (each start costs seconds of verifier under emulation):
	# the shared-memory rule, then the other doors, which the LSM hook sees
	# all and the syscalls' entries all but /proc/PID/mem, as root and as
	# nobody.
	guard_shared_mm_cases "ptraceguard-c -m $mode" "$denies"
	seen=syscalls
	$denies && seen=lsm
	guard_door_cases "ptraceguard-c -m $mode" "$seen" "$action"
	guard_door_cases "ptraceguard-c -m $mode" "$seen" "$action" 65534
	stop_as "$sig" ptraceguard-c "$mode"
	if $denies; then
		check "ptraceguard-c -m $mode: strace is refused, and exits by itself ($status)" \
			test "$status" != 0 -a "$status" != 137
		check "ptraceguard-c -m $mode: PTRACE_ATTACH fails with EPERM, the caller goes on" \
			grep -qx "error: Operation not permitted" "$WORK/attach.$mode"
		check "ptraceguard-c -m $mode: a 32-bit PTRACE_TRACEME (int \$0x80) is denied" \
			sh -c "test $traceme32 = 1 && grep -qx 'error: Operation not permitted' '$WORK/traceme32.$mode'"
	else
		check "ptraceguard-c -m $mode: strace is killed ($status)" test "$status" = 137
		check "ptraceguard-c -m $mode: a PTRACE_ATTACH caller is killed ($caller)" test "$caller" = 137
		check "ptraceguard-c -m $mode: a 32-bit PTRACE_TRACEME (int \$0x80) caller is killed" \
			test "$traceme32" = 137
	fi
	check "ptraceguard-c -m $mode: strace's SEIZE reported $action" \
		grep -qE "^[0-9:]+ +$tracer +strace +$ME +0 +SEIZE .* SIGKILL +$action\$" "$TOOL_OUT"
	helper=$(awk -v p="$tracer" '$2 == p && $6 == "SEIZE" { print $7 }' "$TOOL_OUT")
	check "ptraceguard-c -m $mode: strace's child is not left behind" \
		test -n "$helper" -a ! -e "/proc/${helper:-0}"
	check "ptraceguard-c -m $mode: the attach's target is not stopped" \
		test "$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$target/stat")" = S
	check "ptraceguard-c -m $mode: PTRACE_TRACEME is $action ($traceme)" test "$traceme" = "$refused"
	check "ptraceguard-c -m $mode: PTRACE_PEEKDATA of a process not traced fails by itself" \
		test "$peek" = 1
	expect_no "ptraceguard-c -m $mode: that harmless call is not reported" " $peeker "
	if [ "$mode" = tracepoint ]; then
		check "ptraceguard-c -m tracepoint: 32-bit calls taken at raw_syscalls:sys_enter" \
			grep -q "32-bit syscalls taken at raw_syscalls:sys_enter" "$TOOL_ERR"
	fi
	# A tracer's other calls are not the LSM hooks': the tracer is signalled at the
	# entry, 32-bit calls too. -P leaves alone its child's PTRACE_TRACEME.
	tool_start ptraceguard-c -m "$mode" -P "$ME"
	"$BIN/ptrace_cases" traced-peek32 >/dev/null 2>&1 &
	peeker=$!
	wait "$peeker" 2>/dev/null
	peek=$?
	wait_line " PEEKDATA "
	stop_as "$sig" ptraceguard-c "$mode -P"
	check "ptraceguard-c -m $mode: a tracer's 32-bit PTRACE_PEEKDATA: the tracer is killed" \
		test "$peek" = 137
	check "ptraceguard-c -m $mode: the 32-bit PEEKDATA reported signalled" \
		grep -qE "^[0-9:]+ +$peeker +ptrace_cases +$ME +0 +PEEKDATA +[0-9]+ +SIGKILL +signalled\$" \
		"$TOOL_OUT"
	kill "$target"
	wait "$target" 2>/dev/null
	if [ "$mode" = tracepoint ]; then
		tool_start ptraceguard-c -m "$mode" --dry-run
		guard_door_cases "ptraceguard-c -m $mode --dry-run" "$seen" dry-run
		tool_stop
	fi
}

# sigsnoop_mode MODE SIGNAL: all six syscalls, and -D's fates.
sigsnoop_mode() {
	local mode=$1 sig=$2 target sender victim
	sleep 600 &
	target=$!
	sleep 600 &
	victim=$!
	BASELINE=$(settled_probe_state)
	tool_start sigsnoop-c -D -m "$mode"
	expect_confined "sigsnoop-c -m $mode: confined once attached" "$CAPS_NONE"
	tests/integration/signals.py "$target" 28 &
	sender=$!
	wait "$sender"
	kill -s TERM "$victim"
	wait "$victim" 2>/dev/null
	wait_line " $victim after "
	stop_as "$sig" sigsnoop-c "$mode"
	check "sigsnoop-c -m $mode: all six syscalls, each SIGWINCH ignored" test \
		"$(grep -cE "^[0-9:]+ +$sender +signals.py +[a-z_]+ +28 +$target +0 +ignored\$" "$TOOL_OUT")" = 6
	check "sigsnoop-c -m $mode -D: SIGTERM delivered, with the delay" \
		grep -qE "^[0-9:]+ +$ME +[^ ]+ +kill +15 +$victim +0 +$victim after [0-9]+us\$" "$TOOL_OUT"
	kill "$target"
	wait "$target" 2>/dev/null
}

# exitsnoop_mode MODE SIGNAL: every way a process ends (exit_cases), the
# senders found by each mode's programs of the six signal syscalls.
exitsnoop_mode() {
	BASELINE=$(settled_probe_state)
	exit_cases_check "$1" json stop_as "$2" exitsnoop-c "$1"
}

# What this kernel has, found here and never assumed (Debian's 5.10 has no
# bpf_task_pt_regs and no bpf in its default LSM list): the tools must agree.
mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security
# In the guest's memory: WORK is on 9p, where 5.10 takes minutes to write it.
BTF_RAW=$(mktemp /tmp/snoopvm-btf.XXXXXX)
bpftool btf dump file /sys/kernel/btf/vmlinux >"$BTF_RAW" 2>/dev/null
PT_REGS=false
grep -q "'BPF_FUNC_task_pt_regs'" "$BTF_RAW" && PT_REGS=true
# Kernel functions whose first parameter points to a struct the BTF only
# declares (5.10's __x64_sys_execveat: struct pt_regs): the verifier lets no
# fentry program read that argument.
FWD_ARG_FUNCTIONS=$(awk '
	/^\[[0-9]+\] / {
		cur = substr($1, 2, length($1) - 2); kind[cur] = $2; name[cur] = $3
		for (i = 4; i <= NF; i++) if ($i ~ /^type_id=/) { split($i, v, "="); to[cur] = v[2] }
		next
	}
	kind[cur] == "FUNC_PROTO" && !(cur in arg0) {
		for (i = 1; i <= NF; i++) if ($i ~ /^type_id=/) { split($i, v, "="); arg0[cur] = v[2] }
	}
	END {
		for (id in kind) {
			if (kind[id] != "FUNC") continue
			p = arg0[to[id]]
			if (kind[p] != "PTR") continue
			for (t = to[p]; kind[t] ~ /^(CONST|VOLATILE|RESTRICT|TYPEDEF)$/; t = to[t]) ;
			if (kind[t] == "FWD") print substr(name[id], 2, length(name[id]) - 2)
		}
	}' "$BTF_RAW")
# The guard's LSM programs read the syscall's registers (bpf_task_pt_regs).
GUEST_LSM=false
$PT_REGS && grep -qw bpf /sys/kernel/security/lsm 2>/dev/null && GUEST_LSM=true
# Without it, fmod_ret programs on the hooks' security_ functions (5.7), which
# read the same registers.
GUEST_FMOD_RET=false
$PT_REGS && ! $GUEST_LSM && GUEST_FMOD_RET=true

echo "== guest $REL (BPF LSM: $GUEST_LSM, fmod_ret in its place: $GUEST_FMOD_RET, bpf_task_pt_regs: $PT_REGS)"
# The BTF reader against this kernel's own BTF (unit tests do not depend on
# the kernel, and run on the host).
run_program btf
run_program header_offsets
run_program plan_rows

# CVE-2024-2314: a /tmp/kheaders-RELEASE planted by another user, with a
# kconfig.h that breaks every compile, is never compiled against: it stays
# planted while every tool below compiles (once, in the first mode: the
# other modes load that compile from the cache).
PLANTED=/tmp/kheaders-$REL
setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
	"mkdir -p '$PLANTED/include/linux' && printf '#error planted headers\n' >'$PLANTED/include/linux/kconfig.h'"
expect_status "headers: --kernel-headers naming the planted tree is refused" 1 \
	"can be changed by users other than root" "$BIN/killsnoop-c" --no-cache --kernel-headers "$PLANTED"

signals=(INT TERM KILL)
turn=0
for mode in kprobe fentry tracepoint; do
	ran=() # the tools root ran in this mode, whose cache entries nobody loads below
	oracle=
	[ "$mode" = kprobe ] && [ "${SNOOP_VM_ORACLE:-0}" = 1 ] && oracle=oracle
	phase "$mode mode: execsnoop-c${oracle:+ and execsnoop-bpfcc}"
	if runs_in_mode "$mode" execsnoop-c -x -- execve execveat; then
		execsnoop_mode "$mode" "${signals[turn % 3]}" $oracle
		ran+=(execsnoop-c)
		check "execsnoop-c -m $mode: compiled against the kernel's exact headers" exact_headers_used
		# One compile serves every mode: the first mode's run compiles, the others load it.
		if [ "$mode" = kprobe ]; then
			check "headers: a tree planted in /tmp by nobody is not compiled against" \
				sh -c "grep -q ' compile ' '$TOOL_ERR' && ! grep -q planted '$TOOL_ERR'"
		else
			check "execsnoop-c -m $mode: loaded from the kprobe mode's compile" \
				sh -c "grep -qE '^execsnoop-c: cache +[0-9.]+ s ' '$TOOL_ERR' && ! grep -q ' compile ' '$TOOL_ERR'"
		fi
		# Every kind of exec, 32-bit ones included (this kernel has IA32 emulation).
		phase "$mode mode: exec cases"
		exec_cases_check "$mode"
	fi
	phase "$mode mode: killsnoop-c${oracle:+ and killsnoop-bpfcc}"
	if runs_in_mode "$mode" killsnoop-c -- kill; then
		killsnoop_mode "$mode" "${signals[(turn + 1) % 3]}" $oracle
		ran+=(killsnoop-c)
		# Again, now loaded from the cache of compiled programs, without clang.
		FROM=" from the cache"
		killsnoop_mode "$mode" "${signals[(turn + 2) % 3]}"
		check "killsnoop-c -m $mode: the second run is a cache hit" \
			grep -qE "^killsnoop-c: cache +[0-9.]+ s +/var/cache/snoop-c/programs/" "$TOOL_ERR"
		if $PT_REGS; then
			check "killsnoop-c -m $mode: the syscall's exit program alone (bpf_task_pt_regs)" \
				grep -q "^killsnoop-c: syscall exits read their arguments back" "$TOOL_ERR"
		else
			check "killsnoop-c -m $mode: entry and exit programs, a map between (no bpf_task_pt_regs)" \
				grep -q "^killsnoop-c: no bpf_task_pt_regs helper in this kernel's BTF: entry and exit" "$TOOL_ERR"
		fi
		FROM=
	fi
	phase "$mode mode: ptraceguard-c"
	runs_in_mode "$mode" ptraceguard-c -- ptrace process_vm_readv process_vm_writev pidfd_getfd &&
		{ ptraceguard_mode "$mode" "${signals[(turn + 2) % 3]}"; ran+=(ptraceguard-c); }
	phase "$mode mode: sigsnoop-c"
	runs_in_mode "$mode" sigsnoop-c -D -- kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo \
		pidfd_send_signal && { sigsnoop_mode "$mode" "${signals[turn % 3]}"; ran+=(sigsnoop-c); }
	phase "$mode mode: exitsnoop-c"
	runs_in_mode "$mode" exitsnoop-c -- kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo \
		pidfd_send_signal && { exitsnoop_mode "$mode" "${signals[(turn + 1) % 3]}"; ran+=(exitsnoop-c); }
	phase "$mode mode: each tool started as nobody with the capabilities its man page names"
	sleep 600 &
	nobody_target=$!
	for tool in "${ran[@]}"; do
		mapfile -t caps < <(unprivileged_caps "$tool" "$mode" perf)
		unprivileged_start "$tool -m $mode as nobody, with ${caps[*]}" "$nobody_target" \
			"${caps[*]}" "$tool" -m "$mode"
		if [[ " ${caps[*]} " = *" cap_sys_admin "* ]]; then
			unprivileged_refused "$tool -m $mode as nobody, without CAP_SYS_ADMIN (perf_event_paranoid $(cat /proc/sys/kernel/perf_event_paranoid)): one line names it, exit 1" \
				cap_sys_admin "${caps[*]}" "$tool" -m "$mode"
		fi
	done
	# The fewest: fentry programs and a ring open no perf event (root compiles the ring's entry first).
	if [ "$mode" = fentry ] && [[ " ${ran[*]} " = *" killsnoop-c "* ]]; then
		tool_start killsnoop-c -m fentry --ring-buffer && tool_stop
		mapfile -t caps < <(unprivileged_caps killsnoop-c fentry ring)
		unprivileged_start "killsnoop-c -m fentry --ring-buffer as nobody, with ${caps[*]}" \
			"$nobody_target" "${caps[*]}" killsnoop-c -m fentry --ring-buffer
	fi
	kill "$nobody_target"
	wait "$nobody_target" 2>/dev/null
	turn=$((turn + 1))
done
rm -rf "$PLANTED" "$BTF_RAW"
# The units as a machine boots them, where the guard's default mode denies
# (the host's kernel refuses the BPF LSM): systemd as PID 1 of the bookworm
# root tests/vm/run made, both units compiling at their first start.
if $GUEST_LSM; then
	phase "deploy/systemd under systemd as PID 1"
	BASELINE=$(settled_probe_state)
	UNITS_SECONDS=600 UNITS_GUARD=denied
	if [ -z "${SNOOP_VM_UNITS_ROOT:-}" ]; then
		fail "deploy/systemd: the bookworm root tests/vm/run makes" "none: see its mmdebstrap failure"
	else
		units_boot_here "$SNOOP_VM_UNITS_ROOT" && units_checks
		units_end_here
	fi
	expect_clean "deploy/systemd: no BPF program, link or perf attachment survives systemd"
fi
phase ""

summary_line
[ "$FAILED" = 0 ]
