# shellcheck shell=bash
# The cache of compiled programs, with real runs of killsnoop-c and
# execsnoop-c: miss then hit, one entry for every filter, damaged entries
# compiled again, --no-cache, an unsafe directory, another libbcc file
# compiled with anew, and libbcc's compiler never mapped. Sourced by tests/run.

CACHE=/var/cache/snoop-c/programs
sleep 600 &
TARGET_SLEEP=$!

# cache_run NAME ARGS...: killsnoop-c with ARGS must show a kill it sees.
cache_run() {
	name=$1
	shift
	tool_start killsnoop-c "$@"
	CACHE_MAPS=$(cat "/proc/$TOOL_PID/maps")
	kill -s WINCH "$TARGET_SLEEP"
	wait_line " $TARGET_SLEEP " || true
	tool_stop
	check "$name: traces the kill" grep -qE " 28 +$TARGET_SLEEP +0\$" "$TOOL_OUT"
}

# The entry the last run of TOOL (killsnoop-c by default) named with -v
# ("cached as PATH" or the "cache" phase).
cache_entry() {
	sed -nE "s#^${1:-killsnoop-c}: (cached as|cache +[0-9.]+ s) +(/[^ ]+)\$#\\2#p" "$TOOL_ERR" |
		tail -n 1
}

# cache_exec ARGS...: /bin/true ARGS run under the started execsnoop-c, which
# is then stopped; its PID in child.
cache_exec() {
	/bin/true "$@" &
	child=$!
	wait "$child"
	wait_line "$1" || true
	tool_stop
}

rm -rf "$CACHE"
cache_run "cache: first run (miss)"
check "cache: first run says miss and stores the entry" \
	grep -q "cache miss (not compiled before)" "$TOOL_ERR"
cp "$TOOL_ERR" "$WORK/first.err"
entry=$(cache_entry)
check "cache: the entry is root's alone to write, in a directory root's alone to write" \
	test -f "$entry" -a "$(stat -c %a:%U "$CACHE")" = 755:root -a "$(stat -c %a:%U "$entry")" = 644:root
check "cache: the compile never maps libbcc or LLVM into the tool" \
	sh -c "! printf '%s' \"\$1\" | grep -qE 'libbcc\\.so|LLVM|clang'" _ "$CACHE_MAPS"

cache_run "cache: second run (hit)"
check "cache: second run loads the entry, no compile" \
	sh -c "grep -qE '^killsnoop-c: cache +[0-9.]+ s +$entry\$' '$TOOL_ERR' && ! grep -q compile '$TOOL_ERR'"
# libbcc_bpf and libbpf are linked in statically: no libbcc library is
# mapped, nor LLVM. (libstdc++ is not either, except under the sanitizers,
# whose runtime maps it.)
check "cache: a hit maps no libbcc library and no LLVM" \
	sh -c "! printf '%s' \"\$1\" | grep -qE 'libbcc|LLVM|clang'" _ "$CACHE_MAPS"

cache_run "cache: other filters (-T, -s, -x not given)" -T "$TARGET_SLEEP" -s WINCH
check "cache: other filters use the same entry" test "$(cache_entry)" = "$entry"

# One compile holds every mode's programs, whatever a run attaches; the
# events' buffer is compiled in.
# (Fentry programs wherever there is BTF: every x86-64 kernel since 4.17 has syscall wrappers.)
modes="tracepoint kprobe"
[ -e /sys/kernel/btf/vmlinux ] && modes="$modes fentry"
check "cache: the entry was compiled for every mode this kernel's build has ($modes)" \
	grep -q "^killsnoop-c: compiled for the modes: $modes, loaded from the cache in any of them" "$WORK/first.err"
cache_run "cache: --ring-buffer" --ring-buffer
ring_entry=$(cache_entry)
check "cache: --ring-buffer is another entry, compiled" \
	sh -c "test -n '$ring_entry' -a '$ring_entry' != '$entry' && grep -q 'cache miss (not compiled before)' '$TOOL_ERR'"
rm -f "$ring_entry"

# Damage: one byte changed, then the file cut short: each a miss, compiled
# again and stored again, never a crash or a wrong program.
printf 'X' | dd of="$entry" bs=1 seek=200 conv=notrunc status=none
cache_run "cache: corrupt entry"
check "cache: corrupt entry is a miss with its reason" \
	grep -q "cache miss (entry unusable: checksum mismatch" "$TOOL_ERR"
truncate -s 100 "$entry"
cache_run "cache: entry cut short"
check "cache: entry cut short is a miss, then stored whole again" \
	sh -c "grep -q 'cache miss (entry unusable' '$TOOL_ERR' && test \$(stat -c %s '$entry') -gt 100"

before=$(stat -c %Y.%s "$entry")
cache_run "cache: --no-cache" --no-cache
check "cache: --no-cache compiles and leaves the cache alone" \
	sh -c "grep -q ' compile ' '$TOOL_ERR' && ! grep -qE '^killsnoop-c: (cache |cached as)' '$TOOL_ERR' && test '$(stat -c %Y.%s "$entry")' = '$before'"

chmod 0777 "$CACHE"
cache_run "cache: directory writable by others"
check "cache: a directory others may write is not trusted" \
	sh -c "grep -q 'cache miss (programs is not a directory of this user or root that only its owner may write' '$TOOL_ERR' && grep -q 'is not cached' '$TOOL_ERR'"
chmod 0755 "$CACHE"

# An entry of another user: never loaded, compiled again.
chown 1234 "$entry"
cache_run "cache: entry of another user"
check "cache: an entry of another user is not trusted, and is compiled again" \
	sh -c "grep -q 'cache miss (not a regular file of this user or root that only its owner may write)' '$TOOL_ERR' && grep -q ' compile ' '$TOOL_ERR'"
check "cache: the entry compiled again is root's" test "$(stat -c %U "$entry")" = root

# The key holds the libbcc file a compile loads, not only its version: a
# libbcc rebuilt or replaced in place is another compiler. Each run below is
# in a mount namespace of its own, where a private copy of that file is bound
# over it (BIN points at a killsnoop-c that enters one).
LIBBCC=$(readlink -e "$(common/load/libbcc_libdir.sh)/libbcc.so.0")
LIBBCC_COPY=$WORK/libbcc-copy.so
mkdir "$WORK/libbcc-ns"
cp "$LIBBCC" "$LIBBCC_COPY"
# shellcheck disable=SC2016 # expanded by the sh inside the namespace
printf '#!/bin/bash\nexec unshare -m sh -c %q sh %q %q %q "$@"\n' \
	'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
	"$LIBBCC_COPY" "$LIBBCC" "$BIN/killsnoop-c" >"$WORK/libbcc-ns/killsnoop-c"
chmod 0755 "$WORK/libbcc-ns/killsnoop-c"
BIN=$WORK/libbcc-ns cache_run "cache: a copy of libbcc bound over it"
check "cache: a copy of libbcc is another compiler: a miss, compiled" \
	grep -q "cache miss (not compiled before)" "$TOOL_ERR"
copy_entry=$(cache_entry)
check "cache: the copy's entry is not the real libbcc's" \
	test -n "$copy_entry" -a "$copy_entry" != "$entry"
BIN=$WORK/libbcc-ns cache_run "cache: the same copy again"
check "cache: the same copy again loads its entry, no compile" \
	sh -c "grep -qE '^killsnoop-c: cache +[0-9.]+ s +$copy_entry\$' '$TOOL_ERR' && ! grep -q compile '$TOOL_ERR'"
touch "$LIBBCC_COPY"
BIN=$WORK/libbcc-ns cache_run "cache: the copy touched"
check "cache: the copy touched (a newer time) is a miss, compiled again" \
	grep -q "cache miss (not compiled before)" "$TOOL_ERR"
touched_entry=$(cache_entry)
check "cache: the touched copy's entry is another" \
	test -n "$touched_entry" -a "$touched_entry" != "$copy_entry" -a "$touched_entry" != "$entry"
rm -f "$copy_entry" "$touched_entry"
rm -rf "$LIBBCC_COPY" "$WORK/libbcc-ns"

# execsnoop-c's --max-args lives in a map: one entry for every value.
tool_start execsnoop-c --max-args 2
cache_exec "$MARK.cache" a b c
expect_line "cache: execsnoop-c --max-args 2 cuts the arguments" \
	"$(exec_line true "$child" "$$" 0 "/bin/true $MARK.cache ...")"
first=$(cache_entry execsnoop-c)
if tool_start execsnoop-c --max-args 5; then
	cache_exec "$MARK.cache5" a b c
	expect_line "cache: execsnoop-c --max-args 5 from the same entry shows them all" \
		"$(exec_line true "$child" "$$" 0 "/bin/true $MARK.cache5 a b c")"
	check "cache: execsnoop-c with other --max-args hits the same entry" \
		grep -qE "^execsnoop-c: cache +[0-9.]+ s +$first\$" "$TOOL_ERR"
fi
# Without -x execsnoop-c attaches no syscall program; with -x it does, from the same entry.
if tool_start execsnoop-c -x; then
	bash -c "exec /nonexistent/$MARK.cachex" 2>/dev/null &
	failed=$!
	wait "$failed"
	cache_exec "$MARK.cachex.end"
	expect_line "cache: execsnoop-c -x from the same entry shows a failed exec" \
		"$(exec_line bash "$failed" "$$" -2 "/nonexistent/$MARK.cachex")"
	check "cache: execsnoop-c -x hits the entry of a run without -x" \
		grep -qE "^execsnoop-c: cache +[0-9.]+ s +$first\$" "$TOOL_ERR"
fi
# CVE-2024-2314: libbcc 0.26 compiles against /tmp/kheaders-RELEASE when it
# finds no tree itself, and any user can create that. Planted by nobody, with
# a kconfig.h that breaks every compile, it is never used: not by default,
# and not when named.
PLANTED=/tmp/kheaders-$(uname -r)
if [ ! -e "$PLANTED" ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
		"mkdir -p '$PLANTED/include/linux' && printf '#error planted headers\n#define bpf_send_signal(s) 0\n' >'$PLANTED/include/linux/kconfig.h'"
	cache_run "headers: a tree planted in /tmp by another user" --no-cache
	check "headers: the planted tree is not compiled against" \
		sh -c "grep -q ' compile ' '$TOOL_ERR' && ! grep -q 'planted' '$TOOL_ERR'"
	expect_status "headers: --kernel-headers naming the planted tree is refused" 1 \
		"can be changed by users other than root" "$BIN/killsnoop-c" --no-cache --kernel-headers "$PLANTED"
	expect_status "headers: BCC_KERNEL_SOURCE naming the planted tree is refused" 1 \
		"can be changed by users other than root" env BCC_KERNEL_SOURCE="$PLANTED" "$BIN/killsnoop-c" --no-cache
	rm -rf "$PLANTED"
else
	fail "headers: a tree planted in /tmp" "$PLANTED exists already: not touched"
fi

# Five tools starting at once on a machine without a cache: none deletes the
# header tree another is compiling against, and all five start.
rm -rf /var/cache/snoop-c
COLD_TOOLS=(execsnoop-c exitsnoop-c killsnoop-c sigsnoop-c ptraceguard-c)
cold_pids=()
for tool in "${COLD_TOOLS[@]}"; do
	dry=()
	[ "$tool" = ptraceguard-c ] && dry=(--dry-run)	# it guards: here it stops nothing
	"$BIN/$tool" -v "${dry[@]}" >/dev/null 2>"$WORK/cold.$tool.err" &
	cold_pids+=($!)
done
for i in "${!COLD_TOOLS[@]}"; do
	tool=${COLD_TOOLS[i]}
	for _ in $(seq 1 "$START_TRIES"); do
		grep -q ' attach ' "$WORK/cold.$tool.err" 2>/dev/null && break
		kill -0 "${cold_pids[i]}" 2>/dev/null || break
		sleep 0.1
	done
	check "cold start, five tools at once: $tool starts" grep -q ' attach ' "$WORK/cold.$tool.err"
	stop_pid "${cold_pids[i]}" "cold start, five tools at once: $tool"
done

# A stop at each phase of the start (a cache miss: compile, store, load,
# attach): exit 0, and nothing left behind, neither attached nor half made.
for phase in headers compile load; do
	rm -rf "$CACHE"
	# shellcheck disable=SC2034 # read by expect_clean (tests/lib.sh)
	BASELINE=$(settled_probe_state)
	"$BIN/killsnoop-c" -v >/dev/null 2>"$WORK/phase.err" &
	starting=$!
	for _ in $(seq 1 500); do
		grep -qE "^killsnoop-c: $phase +[0-9.]+ s" "$WORK/phase.err" && break
		kill -0 "$starting" 2>/dev/null || break
		sleep 0.01
	done
	stop_pid "$starting" "start-up: killsnoop-c stopped once the $phase phase is done"
	check "start-up: SIGINT once the $phase phase is done exits 0 ($STOP_STATUS)" \
		test "$STOP_STATUS" = 0
	expect_clean "start-up: SIGINT once the $phase phase is done leaves nothing behind"
done

# A compiler that never ends (stopped here with SIGSTOP) keeps no tool from
# its stop: SIGINT ends the tool, which kills the compiler and reaps it.
rm -rf "$CACHE"
"$BIN/killsnoop-c" -v >/dev/null 2>"$WORK/hung.err" &
starting=$!
compiler=
for _ in $(seq 1 "$START_TRIES"); do
	grep -q 'cache miss' "$WORK/hung.err" && compiler=$(pgrep -n -P "$starting") && break
	child_running "$starting" || break
	sleep 0.1
done
if [ -n "$compiler" ] && kill -STOP "$compiler"; then
	stop_pid "$starting" "start-up: killsnoop-c stopped while its compiler hangs"
	check "start-up: SIGINT while the compiler hangs exits 0 ($STOP_STATUS)" \
		test "$STOP_STATUS" = 0
	check "start-up: SIGINT while the compiler hangs ends the compiler" \
		test ! -e "/proc/$compiler"
	check "start-up: a compile stopped midway stores nothing" \
		test -z "$(ls -A "$CACHE" 2>/dev/null)"
	kill -KILL "$compiler" 2>/dev/null	# one the tool left behind (a failure above)
else
	fail "start-up: killsnoop-c's compiler found and stopped" "$(tail -n 3 "$WORK/hung.err")"
	stop_pid "$starting" "start-up: killsnoop-c without its compiler found"
fi

# systemd's CacheDirectory= (CACHE_DIRECTORY, its first directory) is the
# cache's root in place of /var/cache/snoop-c, which stays as it was; one
# that is no absolute path ends the start with one line and status 1.
units_cache=$(mktemp -d "$WORK/units-cache.XXXXXX")
chmod 755 "$units_cache"
touch "$WORK/units-cache.start"
CACHE_DIRECTORY="$units_cache:/var/cache/elsewhere" cache_run "cache: CACHE_DIRECTORY (miss)"
CACHE_DIRECTORY="$units_cache:/var/cache/elsewhere" cache_run "cache: CACHE_DIRECTORY (hit)"
check "cache: CACHE_DIRECTORY's first directory holds the entry, and a second run loads it" \
	grep -qE "^killsnoop-c: cache +[0-9.]+ s +$units_cache/programs/[0-9a-f]+\.prog\$" "$TOOL_ERR"
check "cache: with CACHE_DIRECTORY, nothing in /var/cache/snoop-c changes" \
	test -z "$(find /var/cache/snoop-c -newer "$WORK/units-cache.start")"
if CACHE_DIRECTORY=relative/cache run_status 1 "$BIN/killsnoop-c"; then
	check "cache: a CACHE_DIRECTORY that is no absolute path: one line naming it, status 1" \
		test "$ERR_TEXT" = "killsnoop-c: CACHE_DIRECTORY: relative/cache is not an absolute path of under 4096 bytes"
else
	fail "cache: a CACHE_DIRECTORY that is no absolute path: status 1" "$ERR_TEXT"
fi

kill "$TARGET_SLEEP"
wait "$TARGET_SLEEP" 2>/dev/null
