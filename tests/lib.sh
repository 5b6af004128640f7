# shellcheck shell=bash
# Shared by the test scripts: counting, and running a tool against a workload.
# Sourced by tests/run; expects BIN (the built tools) and WORK (a scratch dir).

PASSED=0
FAILED=0
SKIPPED=0
# False from a tool_start whose tool did not start until the next one that
# does: meanwhile every check fails, so that none that needed the tool can
# pass on its missing output or go uncounted.
TOOL_STARTED=true

pass() {
	if ! $TOOL_STARTED; then
		fail "$1" "$TOOL_NAME did not start"
		return
	fi
	PASSED=$((PASSED + 1))
	echo "ok   $1"
}

# fail NAME [DETAIL...]
fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL $1"
	shift
	for line in "$@"; do
		printf '     %s\n' "$line"
	done
}

# check_skips LOG: UNFOUNDED, how many of LOG's skip lines ("skip NAME:
# without FACT", as tests/checks.py writes them) want a fact this machine
# has, or name no kernel fact of this file; each is shown as a failure.
check_skips() {
	local line fact
	UNFOUNDED=0
	while IFS= read -r line; do
		fact=${line##*: without }
		case $fact in kernel_has_* | kernel_takes_* | kernel_runs_*) ;; *) fact= ;; esac
		if [ -z "$fact" ] || ! declare -F "$fact" >/dev/null || "$fact"; then
			echo "FAIL ${line#skip }"
			echo "     skipped, yet this machine has what it wants (or it names no kernel fact)"
			UNFOUNDED=$((UNFOUNDED + 1))
		fi
	done < <(grep '^skip ' "$1")
}

# summary_line: the closing line of a run, as every runner writes it.
summary_line() {
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
}

# count_summary LOG [guest]: adds a test program's closing "N passed, N
# failed, N skipped" (tests/report.h, tests/checks.py, this file) to the
# counts; a log without one (the program crashed), or whose program checked
# nothing, counts as a failure, and so does every check of one that read a
# tool that did not start, and every skip of what this machine can do (but
# for a guest's log: the guest tested its own kernel's facts).
count_summary() {
	local summary passed failed skipped
	summary=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p' "$1" |
		tail -n 1)
	if [ -z "$summary" ]; then
		fail "$(basename "$1" .log) ran to its end" "$(tail -n 5 "$1")"
		return
	fi
	read -r passed failed skipped <<<"$summary"
	if [ $((passed + failed + skipped)) = 0 ]; then
		fail "$(basename "$1" .log) checked something" "it closed on: $summary"
		return
	fi
	if [ "${2:-}" != guest ]; then
		check_skips "$1"
		skipped=$((skipped - UNFOUNDED))
		failed=$((failed + UNFOUNDED))
	fi
	if ! $TOOL_STARTED; then
		FAILED=$((FAILED + passed + failed + skipped))
		return
	fi
	PASSED=$((PASSED + passed))
	FAILED=$((FAILED + failed))
	SKIPPED=$((SKIPPED + skipped))
}

# run_counted LOG COMMAND...: runs a test program, its output kept in LOG
# and shown, its closing line added to the counts (count_summary).
run_counted() {
	local log=$1
	shift
	"$@" >"$log" 2>&1
	cat "$log"
	count_summary "$log"
}

# phase NAME: ends the running phase, printing its wall time and the CPU
# time the machine was busy in it ("time PHASE: N s, cpu N s": in a VM stage
# guest, its one CPU's), and starts NAME ("== NAME"); phase "" ends the last
# one.
PHASE_NAME=
phase() {
	local now=${EPOCHREALTIME//[!0-9]/} us cpu
	cpu=$(busy_ticks)
	if [ -n "$PHASE_NAME" ]; then
		us=$((now - PHASE_START))
		printf 'time %s: %d.%d s, cpu %d.%02d s\n' "$PHASE_NAME" $((us / 1000000)) \
			$((us / 100000 % 10)) $(((cpu - PHASE_CPU) / 100)) $(((cpu - PHASE_CPU) % 100))
	fi
	PHASE_NAME=$1
	PHASE_START=$now
	PHASE_CPU=$cpu
	[ -z "$1" ] || echo "== $1"
}

# busy_ticks: the machine's CPU time so far, every CPU's, in 1/100 s
# (/proc/stat's first line: user, nice, system, then idle and iowait, which
# are not busy, then irq, softirq and steal).
busy_ticks() {
	local user nice system irq softirq steal
	read -r _ user nice system _ _ irq softirq steal _ </proc/stat
	echo $((user + nice + system + irq + softirq + steal))
}

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "failed: $*"; fi
}

# run_status WANT_STATUS COMMAND...: runs COMMAND, keeping stdout in OUT_TEXT and
# stderr in ERR_TEXT; true when it exited with WANT_STATUS. A command that
# should have stopped at once but runs on is ended after 2 minutes (124).
run_status() {
	want=$1
	shift
	# shellcheck disable=SC2034 # read by the callers
	OUT_TEXT=$(timeout 120 "$@" 2>"$WORK/stderr")
	got=$?
	ERR_TEXT=$(cat "$WORK/stderr")
	[ "$got" = "$want" ]
}

# usage_error_shape TOOL TEXT: ERR_TEXT is the convention's usage error
# (common/status.h): one line "TOOL: ..." naming TEXT, then the --help hint.
usage_error_shape() {
	local first last
	first=$(printf '%s\n' "$ERR_TEXT" | head -n 1)
	last=$(printf '%s\n' "$ERR_TEXT" | tail -n 1)
	[ "$(printf '%s\n' "$ERR_TEXT" | wc -l)" = 2 ] && [ "${first#"$1: "}" != "$first" ] &&
		printf '%s' "$first" | grep -qF -- "$2" &&
		[ "$last" = "Try '$1 --help' for more information." ]
}

# expect_usage_error NAME OPTION_TEXT COMMAND...: exit 2, and a usage error
# naming the option in the convention's two lines.
expect_usage_error() {
	local name=$1 text=$2 tool
	shift 2
	tool=$(basename "$1")
	if run_status 2 "$@" && usage_error_shape "$tool" "$text"; then
		pass "$name"
	else
		fail "$name" "command: $*" \
			"want exit 2: '$tool: ...$text...', then the --help hint (two lines)" \
			"got: $ERR_TEXT"
	fi
}

# expect_status NAME STATUS TEXT COMMAND...: COMMAND exits STATUS, TEXT on its stderr.
expect_status() {
	local name=$1 status=$2 text=$3
	shift 3
	if run_status "$status" "$@" && printf '%s' "$ERR_TEXT" | grep -qF -- "$text"; then
		pass "$name"
	else
		fail "$name" "command: $*" "want exit $status and '$text' on stderr" "got: $ERR_TEXT"
	fi
}

# How long a tool may take to attach and a line to appear, in tenths of a
# second (the VM stage's emulated guests compile slowly).
START_TRIES=${START_TRIES:-300}
LINE_TRIES=${LINE_TRIES:-50}
# How long a tool may take to end after its stop signal, in tenths of a
# second (a sanitizer build's tools and an emulated guest's end slowly).
STOP_TRIES=${STOP_TRIES:-300}
# How long a script run in a PID namespace of its own may take, in seconds.
NS_SECONDS=${NS_SECONDS:-120}

# child_running PID: PID is a child of this shell that has not ended (a
# zombie, ended but not yet waited for, has; a PID reused since by another
# process is no child of ours).
child_running() {
	local stat state ppid
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	read -r state ppid _ <<<"${stat##*) }"
	[ "$state" != Z ] && [ "$ppid" = "$BASHPID" ]
}

# ends_within PID TRIES: PID, a child of this shell, ends (or is no child
# of ours) within TRIES tenths of a second.
ends_within() {
	for _ in $(seq 1 "$2"); do
		child_running "$1" || return 0
		sleep 0.1
	done
	! child_running "$1"
}

# stop_pid PID NAME [SIGNAL]: sends SIGNAL (INT) to PID, a child of this
# shell, and waits for it; STOP_STATUS is its exit status. One that runs on
# for STOP_TRIES is a failure, shown with where it and its children wait,
# and is killed with its children: a tool that ignores its stop fails a
# check, and never holds the run until CI's own limit ends it unexplained.
# A PID that is no running child of ours (waited for already) gets no signal.
stop_pid() {
	local pid=$1 sig=${3:-INT} child
	child_running "$pid" && kill "-$sig" "$pid"
	if ! ends_within "$pid" "$STOP_TRIES"; then
		fail "$2 ends within $((STOP_TRIES / 10)) s of SIG$sig" \
			"$(ps -o pid=,stat=,wchan:32=,args= --pid "$pid" --ppid "$pid" 2>&1)" \
			"$(for child in $pid $(pgrep -P "$pid"); do
				echo "$child:"
				cat "/proc/$child/stack"
			done 2>&1)"
		pkill -KILL -P "$pid"
		kill -KILL "$pid" 2>/dev/null
		if ! ends_within "$pid" 50; then
			fail "$2 ends on SIGKILL" "$(ps -o pid=,stat=,wchan:32= --pid "$pid")"
			STOP_STATUS=137
			return
		fi
	fi
	wait "$pid" 2>/dev/null	# no "Killed" notice from the shell
	STOP_STATUS=$?
}

# tool_start TOOL ARGS...: starts a tool in the background (with -v, whose
# "confine" line says the probes are in and the tool confined), output in
# TOOL_OUT and TOOL_ERR.
# A tool that does not start is a failure, and so is every check until the
# next tool_start (TOOL_STARTED): callers go on with their checks.
tool_start() {
	tool_start_to "$WORK/$1.$RANDOM.out" "$@"
}

# tool_start_to OUT TOOL ARGS...: tool_start with stdout to OUT (a fifo, a
# file on a full disk); stderr stays in WORK. TOOL_AS, when set, is the
# command that starts it (setpriv with a user and capabilities), exec'ing it.
TOOL_AS=()
tool_start_to() {
	TOOL_OUT=$1
	tool=$2
	shift 2
	TOOL_ERR=$WORK/$tool.$RANDOM.err
	TOOL_NAME=$tool
	TOOL_JSON=false
	for arg in "$@"; do
		case $arg in --json | -j | -[!-]*j*) TOOL_JSON=true ;; esac
	done
	"${TOOL_AS[@]}" "$BIN/$tool" -v "$@" >"$TOOL_OUT" 2>"$TOOL_ERR" &
	TOOL_PID=$!
	TOOL_STARTED=true
	for _ in $(seq 1 "$START_TRIES"); do
		grep -q ' confine ' "$TOOL_ERR" 2>/dev/null && return 0
		kill -0 "$TOOL_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$tool $* started" "$(tail -n 5 "$TOOL_ERR")"
	# One that runs on without attaching is ended: nothing outlives its test.
	kill -KILL "$TOOL_PID" 2>/dev/null
	wait "$TOOL_PID" 2>/dev/null
	TOOL_STARTED=false
	return 1
}

# tool_stop: SIGINT (or the signal given), then TOOL_STATUS holds the exit
# status (stop_pid: one that does not end is a failure). Every line a tool wrote with --json is checked against the schema.
# A tool that made a call outside its seccomp filter fails, whatever the test.
tool_stop() {
	stop_pid "$TOOL_PID" "$TOOL_NAME" "${1:-INT}"
	TOOL_STATUS=$STOP_STATUS
	if grep -q "is outside the tool's seccomp filter" "$TOOL_ERR" 2>/dev/null; then
		fail "$TOOL_NAME: no call outside its seccomp filter" "$(grep seccomp "$TOOL_ERR")"
	fi
	if $TOOL_JSON && [ -f "$TOOL_OUT" ] && [ -s "$TOOL_OUT" ]; then
		check "$TOOL_NAME --json: every line valid against deploy/schema" \
			tests/schema_check.py "$TOOL_OUT"
	fi
}

# The capabilities a confined tool keeps, as /proc/PID/status shows them:
# none, or ptraceguard-c's CAP_KILL (its man page's SECURITY).
CAPS_NONE=0000000000000000
# shellcheck disable=SC2034 # tests/integration/confine.sh and tests/vm/guest.sh
CAPS_KILL=0000000000000020
# Its user and group: root's, but for files (nobody's).
CONFINED_IDS='0	0	0	65534'

# expect_confined NAME CAPS [IDS BOUNDING GIDS]: the tool started last
# (TOOL_PID) keeps exactly CAPS in its permitted and effective sets, and in
# its bounding set (or BOUNDING, where it was not root's to change), none
# inheritable or ambient, has the user IDS and group IDS (or GIDS) (root's
# but for files, nobody's), and runs with no_new_privs under a seccomp filter.
expect_confined() {
	local want got ids=${3:-$CONFINED_IDS}
	want=$(printf 'Uid:\t%s\nGid:\t%s\nCapInh:\t%s\nCapPrm:\t%s\nCapEff:\t%s\nCapBnd:\t%s\nCapAmb:\t%s\nNoNewPrivs:\t1\nSeccomp:\t2' \
		"$ids" "${5:-$ids}" "$CAPS_NONE" "$2" "$2" "${4:-$2}" "$CAPS_NONE")
	got=$(grep -E '^(Uid|Gid|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' "/proc/$TOOL_PID/status" 2>&1)
	if [ "$got" = "$want" ]; then
		pass "$1"
	else
		fail "$1" "want:" "$want" "got:" "$got"
	fi
}

# wait_line FIXED_STRING: waits for a line containing it in TOOL_OUT.
wait_line() {
	for _ in $(seq 1 "$LINE_TRIES"); do
		grep -qF -- "$1" "$TOOL_OUT" && return 0
		sleep 0.1
	done
	return 1
}

# has_line EXACT_LINE: TOOL_OUT holds exactly this line.
has_line() {
	grep -qxF -- "$1" "$TOOL_OUT"
}

# expect_line NAME EXACT_LINE
expect_line() {
	if has_line "$2"; then
		pass "$1"
	else
		fail "$1" "want line: $2" "output:" "$(grep -F "$MARK" "$TOOL_OUT" | head -20)"
	fi
}

# expect_no NAME FIXED_STRING: no line of TOOL_OUT contains it.
expect_no() {
	if grep -qF -- "$2" "$TOOL_OUT"; then
		fail "$1" "unexpected: $(grep -F -- "$2" "$TOOL_OUT")"
	else
		pass "$1"
	fi
}

# exec_line COMM PID PPID RET ARGS: execsnoop-c's default line.
exec_line() {
	printf '%-16s %-7s %-7s %3s %s' "$1" "$2" "$3" "$4" "$5"
}

# killsnoop-c's PID columns: pid_max's digits and one more (wc counts the newline).
PIDW=$(wc -c </proc/sys/kernel/pid_max)

# kill_line PID COMM SIG TPID RESULT: killsnoop-c's line after its TIME column.
kill_line() {
	printf '%-*s %-16s %-4s %-*s %s' "$PIDW" "$1" "$2" "$3" "$PIDW" "$4" "$5"
}

# has_kill_line LINE: a line of TOOL_OUT that is a time, a space, then LINE.
has_kill_line() {
	sed -E 's/^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]  //' "$TOOL_OUT" | grep -qxF -- "$1"
}

expect_kill() {
	if has_kill_line "$2"; then
		pass "$1"
	else
		fail "$1" "want: HH:MM:SS  $2" "output:" "$(cat "$TOOL_OUT")"
	fi
}

expect_no_kill() {
	if has_kill_line "$2"; then fail "$1" "unexpected: $2"; else pass "$1"; fi
}

# send_from NAME SCRIPT: runs SCRIPT in a bash whose PID goes into NAME.
send_from() {
	bash -c "$2" &
	eval "$1=\$!"
	wait "$!"
}

# What the kernel takes, found at run time by bpftool's own probes (an
# oracle apart from the tools' planner): KERNEL_FEATURES, read once a run.
# Where bpftool answers nothing, the facts it gives are unknown, and the
# run fails rather than take them as absent.
KERNEL_FEATURES=
read_kernel_features() {
	[ -n "$KERNEL_FEATURES" ] && return 0
	KERNEL_FEATURES=$(bpftool feature probe kernel 2>/dev/null)
	[ -n "$KERNEL_FEATURES" ] && return 0
	fail "kernel facts: bpftool feature probe kernel answered" "nothing (bpftool missing, or not root)"
	return 1
}

# kernel_takes_fentry: the kernel loads fentry (BPF_PROG_TYPE_TRACING) programs.
kernel_takes_fentry() {
	read_kernel_features && grep -qx 'eBPF program_type tracing is available' <<<"$KERNEL_FEATURES"
}

# kernel_has_kprobes: the kernel can attach kprobes (CONFIG_KPROBES).
kernel_has_kprobes() {
	[ -e /sys/bus/event_source/devices/kprobe ] ||
		[ -e "${TRACEFS:-/sys/kernel/tracing}/kprobe_events" ]
}

# kernel_has_task_pt_regs: tracepoint programs may call bpf_task_pt_regs, so
# a syscall's exit program can read its arguments back (5.15 and later).
kernel_has_task_pt_regs() {
	read_kernel_features && awk '/^eBPF helpers supported for program type tracepoint:/ { on = 1; next }
		on && !/^\t- / { exit }
		on && $2 == "bpf_task_pt_regs" { found = 1; exit }
		END { exit !found }' <<<"$KERNEL_FEATURES"
}

# kernel_runs_bpf_lsm: the kernel loads LSM programs and runs them (bpf is
# in its active LSM list, which securityfs shows).
kernel_runs_bpf_lsm() {
	mountpoint -q /sys/kernel/security ||
		mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	read_kernel_features &&
		grep -qx 'eBPF program_type lsm is available' <<<"$KERNEL_FEATURES" &&
		grep -qw bpf /sys/kernel/security/lsm 2>/dev/null
}

# kernel_has_ia32: 32-bit syscalls (int $0x80) work: the kernel has their
# entry points and was not booted with them off.
kernel_has_ia32() {
	grep -q ' __ia32_sys_execve$' /proc/kallsyms &&
		! grep -qE '(^| )ia32_emulation=(0|n|N|false|off)( |$)' /proc/cmdline
}

# expect_mode TOOL MODE TRIGGER TEXT: where the kernel has MODE (kprobe or
# fentry), TOOL -m MODE traces: TRIGGER (a shell command) makes a line that
# holds TEXT. Where it has not, the tool refuses the mode in one line with its
# reason and the mode to use, and exits 1. A tool that neither refuses nor
# exits (a hang) fails.
expect_mode() {
	local tool=$1 mode=$2 trigger=$3 text=$4 has_mode
	case $mode in
	kprobe) has_mode=kernel_has_kprobes ;;
	fentry) has_mode=kernel_takes_fentry ;;
	*) fail "expect_mode: $mode" "not a mode expect_mode knows" && return ;;
	esac
	if $has_mode; then
		tool_start "$tool" -m "$mode" || return
		sh -c "$trigger" >/dev/null 2>&1
		wait_line "$text"
		tool_stop TERM
		check "$tool -m $mode: traces here (the kernel has $mode)" grep -qF -- "$text" "$TOOL_OUT"
		check "$tool -m $mode: exits 0 on SIGTERM" test "$TOOL_STATUS" = 0
		return
	fi
	local name="$tool -m $mode: refused here with its reason, exit 1"
	if ! run_status 1 timeout 60 "$BIN/$tool" -m "$mode"; then
		fail "$name" "exit $got$([ "$got" = 124 ] && echo ': it ran on until killed')" "$ERR_TEXT"
	elif [ "$mode" = kprobe ] && [ "$ERR_TEXT" != "$tool: kprobe mode: this kernel was built without kprobes (CONFIG_KPROBES is not set); use --mode tracepoint" ]; then
		fail "$name" "$ERR_TEXT"
	elif ! printf '%s\n' "$ERR_TEXT" | grep -qxE "$tool: $mode mode: .+; use --mode tracepoint"; then
		fail "$name" "$ERR_TEXT"
	else
		pass "$name ($ERR_TEXT)"
	fi
}

# two_cpus: the first two CPUs this process may run on (Cpus_allowed_list),
# for the tests that load two cores; fewer where it may use fewer.
two_cpus() {
	local list range first last cpu cpus=()
	list=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$BASHPID/status")
	for range in ${list//,/ }; do
		first=${range%-*} last=${range#*-}
		for ((cpu = first; cpu <= last && ${#cpus[@]} < 2; cpu++)); do
			cpus+=("$cpu")
		done
	done
	echo "${cpus[*]}"
}

# A PID that no process has now.
unused_pid() {
	p=$(($(cat /proc/sys/kernel/pid_max) - 7))
	while [ -e "/proc/$p" ]; do p=$((p - 1)); done
	echo "$p"
}

# exec_cases_check MODE: execsnoop-c -m MODE -x --json against every case of
# the exec_cases workload, which reports what each exec passed and what
# /proc showed of each new program; tests/exec_check.py compares them.
exec_cases_check() {
	local mode=$1 cases_out=$WORK/exec-cases.$1.out
	tool_start execsnoop-c -m "$mode" -x --json --max-args 1024
	(cd "$WORK" && TMPDIR=$WORK "$BIN/exec_cases" all >"$cases_out")
	/bin/true "$MARK.cases-end"
	wait_line "$MARK.cases-end"
	tool_stop
	run_counted "$WORK/exec-check.$mode.log" tests/exec_check.py "$TOOL_OUT" "$cases_out" "$mode"
}

# exit_cases_check MODE json|text [STOP...]: exitsnoop-c -m MODE (--json or
# text) against every case of the exit_cases workload, which reports each
# waitpid() status and the sender it had send the signal;
# tests/exit_check.py compares them. STOP stops the tool (tool_stop).
exit_cases_check() {
	local mode=$1 kind=$2 cases_out=$WORK/exit-cases.$1.$2.out log=$WORK/exit-check.$1.$2.log
	local stop=("${@:3}") json=() marker
	[ ${#stop[@]} = 0 ] && stop=(tool_stop)
	[ "$kind" = json ] && json=(--json)
	tool_start exitsnoop-c -m "$mode" "${json[@]}"
	expect_confined "exitsnoop-c -m $mode $kind: confined once attached" "$CAPS_NONE"
	"$BIN/exit_cases" >"$cases_out"
	# Lines come in time order: once this exit shows, every case's has.
	sh -c 'exit 0' &
	marker=$!
	wait "$marker"
	if [ "$kind" = json ]; then wait_line "\"pid\":$marker,"; else wait_line " $marker "; fi
	"${stop[@]}"
	run_counted "$log" tests/exit_check.py "$kind" "$TOOL_OUT" "$cases_out" "exitsnoop-c -m $mode $kind"
}

# expect_thread_exec NAME CASES_OUT PPID: TOOL_OUT shows the exec that
# "exec_cases thread" made from a non-leader thread (its report in CASES_OUT),
# as a child of PPID.
expect_thread_exec() {
	local pid
	pid=$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).read())["pid"])' "$2")
	expect_line "$1: an exec from a non-leader thread" \
		"$(exec_line exe "$pid" "$3" 0 "/proc/self/exe t-one t two")"
}

# probe_state: every BPF program, link and perf attachment, every kprobe
# and uprobe event, and every file a run left half made in the cache, as
# they are now. A file or directory that is not there holds nothing: tracefs
# mounted and the cache made by the first run are no change (their absence
# on a fresh machine must not fail the check made after it).
probe_state() {
	local f
	bpftool prog show | grep -E '^[0-9]+:'
	bpftool link show | grep -E '^[0-9]+:'
	bpftool perf show
	for f in kprobe_events uprobe_events; do
		f=${TRACEFS:-/sys/kernel/tracing}/$f
		if [ -e "$f" ]; then cat "$f"; fi
	done
	if [ -d /var/cache/snoop-c ]; then find /var/cache/snoop-c -name '.*'; fi
}

# settled_probe_state: probe_state once it holds still (five reads 0.2 s
# apart agree, within 10 s): a program of a tool that just exited may still
# be listed while the kernel frees it, for longer than 0.2 s on a loaded
# machine (a sanitizer build's tools exit slowly), and a baseline that
# holds it fails the next check with a program "gone since the start".
settled_probe_state() {
	local before now same=0
	before=$(probe_state 2>&1)
	for _ in $(seq 1 50); do
		sleep 0.2
		now=$(probe_state 2>&1)
		if [ "$now" = "$before" ]; then
			same=$((same + 1))
			[ "$same" -ge 4 ] && break
		else
			same=0
		fi
		before=$now
	done
	echo "$before"
}

# expect_clean NAME: the probe state is back to BASELINE (the kernel frees
# a dead process's programs shortly after its descriptors close).
expect_clean() {
	local now
	for _ in $(seq 1 50); do
		now=$(probe_state 2>&1)
		[ "$now" = "$BASELINE" ] && { pass "$1"; return; }
		sleep 0.1
	done
	fail "$1" "changed (> left behind, < gone since the start):" \
		"$(diff <(echo "$BASELINE") <(echo "$now") | grep '^[<>]')"
}

# test_mounts: mount points and types, but for the tracing and security
# file systems the tools themselves mount when missing (their man pages say so).
test_mounts() {
	awk '{ for (i = 7; i < NF; i++) if ($i == "-") break
	       if ($(i + 1) !~ /^(tracefs|debugfs|securityfs)$/) print $5, $(i + 1) }' \
		/proc/self/mountinfo | sort
}

# check_mounts NAME BEFORE: a check that test_mounts prints BEFORE again; its
# failure names the mounts gained (>) and lost (<).
check_mounts() {
	local now
	now=$(test_mounts)
	if [ "$now" = "$2" ]; then
		pass "$1"
	else
		fail "$1" "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$now") | grep '^[<>]')"
	fi
}

# no_test_processes: true when no process but this shell carries this run's
# SNOOPC_TESTS. Builtins only: a command run here would carry it too.
no_test_processes() {
	local environ var pid left=""
	for environ in /proc/[0-9]*/environ; do
		pid=${environ#/proc/}
		pid=${pid%/environ}
		[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
		while IFS= read -r -d '' var; do
			if [ "$var" = "SNOOPC_TESTS=$SNOOPC_TESTS" ]; then
				left="$left $pid"
				break
			fi
		done 2>/dev/null <"$environ"
	done
	[ -z "$left" ] && return 0
	for pid in $left; do
		echo "     left: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
	return 1
}
