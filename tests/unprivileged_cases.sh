# shellcheck shell=bash
# Starting a tool as nobody with only the capabilities its man page's
# SECURITY section names for its mode (common/privileges.h), for the host's
# tests and the VM stage's guests alike (sourced after tests/lib.sh).
# TOOL_AS is read by tool_start (tests/lib.sh):
# shellcheck disable=SC2034

NOBODY_IDS='65534	65534	65534	65534'
# Not root, nobody cannot empty its bounding set (CAP_SETPCAP): it keeps ours.
NOBODY_BOUNDING=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)

# as_nobody CAPS...: the command that runs what follows it as nobody, with
# CAPS (cap_bpf ...) ambient, and so effective; one word a line, for mapfile.
as_nobody() {
	local list=-all cap
	for cap in "$@"; do list="$list,+${cap#cap_}"; done
	printf '%s\n' setpriv --reuid=65534 --regid=65534 --clear-groups \
		"--inh-caps=$list" "--ambient-caps=$list" --
}

# perf_pages_beyond TOOL: true when TOOL's default perf buffers are beyond
# what a user may lock without CAP_IPC_LOCK, by the kernel's count
# (common/output/event_loop.c): pages + 1 a CPU, against
# perf_event_mlock_kb for each CPU plus RLIMIT_MEMLOCK.
perf_pages_beyond() {
	local pages cpus mlock_kb memlock_kb
	case $1 in
	execsnoop-c | killsnoop-c | sigsnoop-c) pages=2048 ;;
	exitsnoop-c) pages=256 ;;
	*) pages=16 ;;
	esac
	cpus=$(nproc)
	# Halved on many CPUs down to 64 pages, for 64 MiB at most (bpf_runtime.c).
	while [ "$pages" -gt 64 ] && [ $((pages * cpus)) -gt 16384 ]; do pages=$((pages / 2)); done
	mlock_kb=$(cat /proc/sys/kernel/perf_event_mlock_kb)
	memlock_kb=$(ulimit -l)
	# shellcheck disable=SC2017 # the kernel's own rounding: per-CPU pages first
	[ "$memlock_kb" != unlimited ] && [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 0 ] &&
		[ $((cpus * (pages + 1))) -gt $((mlock_kb / 4 * cpus + memlock_kb / 4)) ]
}

# unprivileged_caps TOOL MODE BUFFER: the capabilities SECURITY names for
# TOOL in MODE (kprobe, fentry, tracepoint) with BUFFER (perf or ring), one
# a line. After a start by root, which mounts tracefs where it was not.
unprivileged_caps() {
	local tool=$1 mode=$2 buffer=$3 release major minor
	echo cap_bpf
	echo cap_perfmon
	# Every mode's plan reads the syscalls' tracepoints there.
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x /sys/kernel/tracing; then
		echo cap_dac_read_search
	fi
	[ "$tool" = ptraceguard-c ] && echo cap_kill
	# Above 2 (Debian's kernels), perf events take CAP_SYS_ADMIN: perf
	# buffers, the tracepoints and kprobes attached through them, and
	# exitsnoop-c's and sigsnoop-c's own tracepoints in every mode.
	if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -gt 2 ] &&
		{ [ "$buffer" = perf ] || [ "$mode" != fentry ] || [ "$tool" = exitsnoop-c ] ||
			[ "$tool" = sigsnoop-c ]; }; then
		echo cap_sys_admin
	fi
	release=$(uname -r)
	major=${release%%.*}
	minor=${release#*.}
	minor=${minor%%.*}
	if [ "$major" -lt 5 ] || { [ "$major" = 5 ] && [ "$minor" -lt 11 ]; }; then
		# Lifted to unlimited then, which covers the perf buffers too.
		[ "$(ulimit -l)" = unlimited ] || echo cap_sys_resource
	elif [ "$buffer" = perf ] && perf_pages_beyond "$tool"; then
		echo cap_ipc_lock
	fi
}

# unprivileged_workload TOOL TARGET: makes what TOOL traces (TARGET: a
# process of ours to signal), and prints the fixed string of its JSON line.
unprivileged_workload() {
	case $1 in
	execsnoop-c)
		/bin/true "unprivileged-$RANDOM$RANDOM" &
		wait $!
		echo "\"pid\":$!,"
		;;
	exitsnoop-c)
		sh -c 'exit 3' &
		wait $!
		echo "\"pid\":$!,"
		;;
	killsnoop-c | sigsnoop-c)
		kill -s WINCH "$2"
		echo "\"tpid\":$2,"
		;;
	ptraceguard-c)
		"$BIN/ptrace_cases" traceme >/dev/null 2>&1 &
		wait $! 2>/dev/null
		echo "\"pid\":$!,"
		;;
	esac
}

# unprivileged_refused LABEL MISSING CAPS TOOL ARGS...: TOOL started as
# nobody with CAPS (a list) but MISSING (cap_bpf ...) exits 1 with one line
# naming MISSING. CAP_SYS_ADMIN holds CAP_BPF and CAP_PERFMON: it goes with them.
unprivileged_refused() {
	local label=$1 missing=$2 cap_list=$3 tool=$4 caps=() cap as=() expected
	shift 4
	for cap in $cap_list; do
		[ "$cap" = "$missing" ] && continue
		[ "$cap" = cap_sys_admin ] && [[ $missing = cap_bpf || $missing = cap_perfmon ]] && continue
		caps+=("$cap")
	done
	mapfile -t as < <(as_nobody "${caps[@]}")
	expected="$tool: needs ${missing^^} to "
	if run_status 1 timeout -s TERM 60 "${as[@]}" "$BIN/$tool" "$@" &&
		[ "$(printf '%s\n' "$ERR_TEXT" | wc -l)" = 1 ] && [ "${ERR_TEXT#"$expected"}" != "$ERR_TEXT" ]; then
		pass "$label"
	else
		# shellcheck disable=SC2154 # run_status's
		fail "$label" "want one line '$expected...', exit 1" "got status $got: $ERR_TEXT"
	fi
}

# unprivileged_start LABEL TARGET CAPS TOOL ARGS...: TOOL started as nobody
# with CAPS (a list, spaces between) loads root's cache entry (root started
# it with the same ARGS before), is confined once attached, traces its
# workload, and ends with status 0 on SIGINT.
unprivileged_start() {
	local label=$1 target=$2 cap_list=$3 tool=$4 kept=$CAPS_NONE line
	shift 4
	[ "$tool" = ptraceguard-c ] && kept=$CAPS_KILL
	# shellcheck disable=SC2086 # one word a capability
	mapfile -t TOOL_AS < <(as_nobody $cap_list)
	if tool_start "$tool" --json "$@"; then
		check "$label: loads root's cache entry" grep -qE "^$tool: cache +[0-9.]+ s " "$TOOL_ERR"
		expect_confined "$label: confined once attached" "$kept" "$NOBODY_IDS" "$NOBODY_BOUNDING"
		line=$(unprivileged_workload "$tool" "$target")
		check "$label: traces its workload" wait_line "$line"
		tool_stop
		check "$label: SIGINT ends it with status 0" test "$TOOL_STATUS" = 0
	fi
	TOOL_AS=()
}
