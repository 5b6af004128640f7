# shellcheck shell=bash
# Command-line behaviour that needs no root: help, version, every bad value
# (exit 2 and a message naming the option), --ebpf output.
# Sourced by tests/run.

ex=$BIN/execsnoop-c
ks=$BIN/killsnoop-c
pg=$BIN/ptraceguard-c
ss=$BIN/sigsnoop-c
xs=$BIN/exitsnoop-c
ALL_TOOLS="execsnoop-c exitsnoop-c killsnoop-c ptraceguard-c sigsnoop-c"

for tool in $ALL_TOOLS; do
	check "$tool --help exits 0" run_status 0 "$BIN/$tool" --help
	help=$OUT_TEXT
	missing=
	for opt in --mode --json --verbose --ebpf --kernel-headers --pidns --cgroup --mntnsmap --help --version; do
		printf '%s' "$help" | grep -qF -- "$opt" || missing="$missing $opt"
	done
	check "$tool --help lists the common options" test -z "$missing"
	check "$tool -V prints the version" run_status 0 "$BIN/$tool" -V
	check "$tool -V names the tool" test "${OUT_TEXT%% *}" = "$tool"
	expect_usage_error "$tool: unknown short option" "unknown option '-z'" "$BIN/$tool" -z
	expect_usage_error "$tool: unknown long option" "unknown option '--bogus'" "$BIN/$tool" --bogus
	expect_usage_error "$tool: missing value" "missing value for option '--mode'" "$BIN/$tool" --mode
	expect_usage_error "$tool: bad mode" "-m/--mode" "$BIN/$tool" -m fentry-ish
	expect_usage_error "$tool: operand" "unexpected argument 'extra'" "$BIN/$tool" extra
	expect_usage_error "$tool: --kernel-headers not a tree" "--kernel-headers" \
		"$BIN/$tool" --kernel-headers /nonexistent
	expect_usage_error "$tool: --cgroup missing" "--cgroup: /nonexistent" "$BIN/$tool" --cgroup /nonexistent
	expect_usage_error "$tool: --cgroup not a cgroup v2 directory" "not a cgroup v2 directory" \
		"$BIN/$tool" --cgroup /tmp
	expect_usage_error "$tool: --mntnsmap missing" "--mntnsmap: /nonexistent" "$BIN/$tool" --mntnsmap /nonexistent
	for bad in 0 3 32768 -4 x; do
		expect_usage_error "$tool --buffer-pages $bad" "--buffer-pages" "$BIN/$tool" --buffer-pages "$bad"
	done
	for bad in -1 x 86401 1.5; do
		expect_usage_error "$tool --json --stats-interval $bad" "--stats-interval" \
			"$BIN/$tool" --json --stats-interval "$bad"
	done
	expect_usage_error "$tool --stats-interval without --json" \
		"--stats-interval: stats objects come only with --json" "$BIN/$tool" --stats-interval 5
	check "$tool --ebpf: --no-cache and --buffer-pages leave the program as it is" \
		test "$("$BIN/$tool" --ebpf 2>/dev/null)" = "$("$BIN/$tool" --ebpf --no-cache --buffer-pages 8 2>/dev/null)"
	check "$tool --ebpf: perf buffers, or a ring buffer with --ring-buffer" \
		eval '"$BIN/$tool" --ebpf 2>/dev/null | head -n 1 | grep -q -- " -DSNOOP_RINGBUF=0" &&
			"$BIN/$tool" --ebpf --ring-buffer 2>/dev/null | head -n 1 | grep -q -- " -DSNOOP_RINGBUF=1"'
	check "$tool --ebpf: --cgroup and --mntnsmap paths never reach the BPF source" \
		test "$("$BIN/$tool" --ebpf 2>/dev/null)" = "$("$BIN/$tool" --ebpf --pidns --mntnsmap /etc/hostname --cgroup "$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)" 2>/dev/null)"
done

for opt in -T -t -x -q -U -C -M --time --timestamp --fails --quote --print-uid --print-cpu \
	--print-pcomm --uid --name --line --ppid --max-args --lineage; do
	printf '%s' "$("$ex" --help)" | grep -qF -- "$opt" || fail "execsnoop-c --help lists $opt"
done
for opt in -x -p -T -s --failed --pid --tpid --signal; do
	printf '%s' "$("$ks" --help)" | grep -qF -- "$opt" || fail "killsnoop-c --help lists $opt"
done
for opt in -x -p -T -s -n -k -D --failed --pid --tpid --signal --name --kernel --delivery; do
	printf '%s' "$("$ss" --help)" | grep -qF -- "$opt" || fail "sigsnoop-c --help lists $opt"
done
for opt in -t -x -p --timestamp --failed --pid --per-thread --lineage; do
	printf '%s' "$("$xs" --help)" | grep -qF -- "$opt" || fail "exitsnoop-c --help lists $opt"
done
for opt in --dry-run -P -u -s --allow --ppid --uid --signal; do
	printf '%s' "$("$pg" --help)" | grep -qF -- "$opt" || fail "ptraceguard-c --help lists $opt"
done

expect_usage_error "execsnoop-c -u unknown user" "no such user" "$ex" -u no-such-user-snoopc
expect_usage_error "execsnoop-c -u bad number" "-u/--uid" "$ex" -u 12abc
expect_usage_error "execsnoop-c -P not a number" "-P/--ppid" "$ex" -P abc
expect_usage_error "execsnoop-c -P negative" "-P/--ppid" "$ex" -P -1
expect_usage_error "execsnoop-c -P out of range" "out of range" "$ex" -P 99999999999
expect_usage_error "execsnoop-c --max-args 0" "--max-args" "$ex" --max-args 0
expect_usage_error "execsnoop-c --max-args too large" "out of range (1-1024)" "$ex" --max-args 1025
expect_usage_error "execsnoop-c --max-args not a number" "--max-args" "$ex" --max-args 2x
expect_usage_error "execsnoop-c -n bad regex" "-n/--name" "$ex" -n '('
expect_usage_error "execsnoop-c -l bad regex" "-l/--line" "$ex" -l '[a'
expect_usage_error "killsnoop-c -p zero" "-p/--pid" "$ks" -p 0
expect_usage_error "killsnoop-c -p not a number" "-p/--pid" "$ks" -p x1
expect_usage_error "killsnoop-c -T not a number" "-T/--tpid" "$ks" -T abc
expect_usage_error "killsnoop-c -T out of range" "out of range" "$ks" -T 99999999999
expect_usage_error "killsnoop-c -s unknown name" "unknown signal 'FOO'" "$ks" -s FOO
expect_usage_error "killsnoop-c -s number too large" "-s/--signal" "$ks" -s 65
expect_usage_error "killsnoop-c -s empty" "-s/--signal" "$ks" -s ''
expect_usage_error "killsnoop-c -s empty list" "no signal given" "$ks" -s ,
expect_usage_error "killsnoop-c -s bad item in a list" "unknown signal 'NOPE'" "$ks" -s 9,NOPE
expect_usage_error "sigsnoop-c -p zero" "-p/--pid" "$ss" -p 0
expect_usage_error "sigsnoop-c -T not a number" "-T/--tpid" "$ss" -T 1x
expect_usage_error "sigsnoop-c -s unknown name" "unknown signal 'FOO'" "$ss" -s FOO
expect_usage_error "sigsnoop-c -s empty list" "no signal given" "$ss" -s ,,
expect_usage_error "sigsnoop-c -D takes no value" "unexpected argument" "$ss" -D 5
expect_usage_error "exitsnoop-c -p zero" "-p/--pid" "$xs" -p 0
expect_usage_error "exitsnoop-c -p not a number" "-p/--pid" "$xs" -p 12x
expect_usage_error "exitsnoop-c -p out of range" "out of range" "$xs" -p 99999999999
expect_usage_error "exitsnoop-c --per-thread takes no value" "--per-thread" "$xs" --per-thread=1
expect_usage_error "ptraceguard-c --allow a command name" "an executable's absolute path" "$pg" --allow gdb
expect_usage_error "ptraceguard-c --allow empty" "--allow" "$pg" --allow ''
expect_usage_error "ptraceguard-c --allow a missing file" "/nonexistent/gdb: No such file" "$pg" --allow /nonexistent/gdb
printf 'data\n' >"$WORK/not-executable"
chmod 644 "$WORK/not-executable"
expect_usage_error "ptraceguard-c --allow a file that is not executable" "is not an executable file" "$pg" --allow "$WORK/not-executable"
expect_usage_error "ptraceguard-c --allow PATH:USER, no such user" "no such user" "$pg" --allow /bin/true:no-such-user-snoopc
expect_usage_error "ptraceguard-c -s 0 sends nothing" "use --dry-run" "$pg" -s 0
expect_usage_error "ptraceguard-c -s unknown" "unknown signal 'NOPE'" "$pg" -s NOPE
expect_usage_error "ptraceguard-c -P not a number" "-P/--ppid" "$pg" -P x
expect_usage_error "ptraceguard-c -u unknown user" "no such user" "$pg" -u no-such-user-snoopc
expect_usage_error "ptraceguard-c --dry-run takes no value" "--dry-run" "$pg" --dry-run=yes

# --ebpf: the program as compiled, and no option value ever in its text.
if run_status 0 "$ex" --ebpf; then
	src=$OUT_TEXT
	ok=true
	for want in "-DSNOOP_OFF_task_struct__real_parent=" "TRACEPOINT_PROBE(syscalls, sys_enter_execve)" \
		"struct exec_piece {"; do
		printf '%s' "$src" | grep -qF -- "$want" || { ok=false; fail "execsnoop-c --ebpf shows $want"; }
	done
	$ok && pass "execsnoop-c --ebpf prints the source and its cflags"
	other=$("$ex" --ebpf -u 0 -P 1 -n evilname -l evilline -q -x 2>/dev/null)
	check "execsnoop-c: filter values never reach the BPF source" \
		test "$src" = "$other"
	check "execsnoop-c --ebpf: -x attaches the failed execs' programs, compiled with or without it" \
		test "$src" = "$("$ex" --ebpf -x 2>/dev/null)"
	check "execsnoop-c --ebpf -m kprobe and -m fentry: one program for every mode" \
		sh -c "test \"\$1\" = \"\$('$ex' --ebpf -m kprobe)\" && test \"\$1\" = \"\$('$ex' --ebpf -m fentry)\"" _ "$src"
	check "execsnoop-c --ebpf: the kprobe programs compiled, wherever they can attach or not" \
		sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q -- ' -DSNOOP_KPROBE=1 '" _ "$src"
	if [ -e /sys/kernel/btf/vmlinux ]; then
		check "execsnoop-c --ebpf: fentry programs named after the kernel's execve function" \
			sh -c "printf '%s' \"\$1\" | head -n 1 | grep -qE -- ' -DSNOOP_FENTRY=1 .*-DSNOOP_FUNC_execve=[a-z_0-9]*sys_execve '" _ "$src"
	fi
	check "execsnoop-c --max-args: not in the compiled program (read from a map)" \
		test "$src" = "$("$ex" --ebpf --max-args 7 2>/dev/null)"
else
	fail "execsnoop-c --ebpf exits 0" "$ERR_TEXT"
fi
if run_status 0 "$ks" --ebpf; then
	src=$OUT_TEXT
	other=$("$ks" --ebpf -p 1 -T 2 -s KILL -x 2>/dev/null)
	check "killsnoop-c: filter values never reach the BPF source" test "$src" = "$other"
	# The kernel has the helper when its BTF names it (enum bpf_func_id).
	exit_args=0
	grep -qa BPF_FUNC_task_pt_regs /sys/kernel/btf/vmlinux 2>/dev/null && exit_args=1
	check "killsnoop-c --ebpf: SNOOP_EXIT_ARGS=$exit_args, as this kernel's BTF says" \
		sh -c "printf '%s' \"\$1\" | head -n 1 | grep -q -- ' -DSNOOP_EXIT_ARGS=$exit_args '" _ "$src"
else
	fail "killsnoop-c --ebpf exits 0" "$ERR_TEXT"
fi
if run_status 0 "$ss" --ebpf; then
	src=$OUT_TEXT
	other=$("$ss" --ebpf -x -p 1 -T 2 -s KILL,TERM -n -k -D 2>/dev/null)
	check "sigsnoop-c: option values never reach the BPF source" test "$src" = "$other"
else
	fail "sigsnoop-c --ebpf exits 0" "$ERR_TEXT"
fi
if run_status 0 "$xs" --ebpf; then
	src=$OUT_TEXT
	other=$("$xs" --ebpf -t -x -p 1 --per-thread 2>/dev/null)
	check "exitsnoop-c: option values never reach the BPF source" test "$src" = "$other"
else
	fail "exitsnoop-c --ebpf exits 0" "$ERR_TEXT"
fi
if run_status 0 "$pg" --ebpf; then
	src=$OUT_TEXT
	other=$("$pg" --ebpf --allow /bin/true:root -P 5 -u 0 -s TERM --dry-run 2>/dev/null)
	check "ptraceguard-c: option values, allowed executables included, never reach the BPF source" \
		test "$src" = "$other"
else
	fail "ptraceguard-c --ebpf exits 0" "$ERR_TEXT"
fi

# Not root, no capability: one line naming the first it needs, exit 1
# (tested as nobody when we are root).
if [ "$(id -u)" = 0 ]; then
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	as_user=
fi
NO_CAP_BPF="needs CAP_BPF to load its BPF programs, which it does not have (run it as root, or give it CAP_BPF)"
# A copy in the scratch directory, which any user can reach.
chmod 755 "$WORK"
for tool in $ALL_TOOLS; do
	cp "$BIN/$tool" "$WORK/$tool"
	# shellcheck disable=SC2086
	if run_status 1 $as_user "$WORK/$tool" && [ "$ERR_TEXT" = "$tool: $NO_CAP_BPF" ]; then
		pass "$tool: no capability is one line naming CAP_BPF, and exit 1"
	else
		fail "$tool: no capability is one line naming CAP_BPF, and exit 1" "got: $ERR_TEXT"
	fi
done

# Every option of --help is documented in the man page.
for tool in $ALL_TOOLS; do
	missing=
	for opt in $("$BIN/$tool" --help | grep -oE -- '(^| )-(-[a-z-]+|[a-zA-Z])' | tr -d ' ' | sort -u); do
		grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "man/man8/$tool.8" || missing="$missing $opt"
	done
	check "$tool: the man page documents every option${missing:+ (missing:$missing)}" test -z "$missing"
done

# The escapers' code points that act, against Python's own Unicode tables:
# every Cc, Cf, Zl and Zp there is escaped; beyond them only code points
# that Python's Unicode (possibly older than the escapers') leaves unassigned.
"$BIN/unit-tests" --code-points-that-act >"$WORK/acting"
check "text escaping: exactly Unicode's Cc, Cf, Zl and Zp (Python's unicodedata)" \
	python3 - "$WORK/acting" <<'PY'
import sys, unicodedata
acting = {int(line, 16) for line in open(sys.argv[1])}
want = {cp for cp in range(0x110000)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")}
missing = sorted(want - acting)
extra = [cp for cp in sorted(acting - want) if unicodedata.category(chr(cp)) != "Cn"]
assert not missing and not extra, ([hex(c) for c in missing], [hex(c) for c in extra])
PY

# The documented read interval is the code's (POLL_TIMEOUT_MS), everywhere.
poll_ms=$(sed -n 's/^#define POLL_TIMEOUT_MS \([0-9]*\).*/\1/p' common/output/event_loop.c)
# documents_poll_ms FILE: says "every N ms" with the code's N, and no other N.
documents_poll_ms() {
	local text
	text=$(tr '\n' ' ' <"$1")
	printf '%s' "$text" | grep -q "at least every $poll_ms ms" &&
		! printf '%s' "$text" | grep -oE "every [0-9]+ ms" | grep -vqx "every $poll_ms ms"
}
for doc in man/man8/*.8 README.md; do
	check "$(basename "$doc"): the event buffers are read at least every ${poll_ms:-?} ms, as the code does" \
		documents_poll_ms "$doc"
done
