# The cache of compiled programs, with real runs of killsnoop-c and
# execsnoop-c: miss then hit, one entry for every filter, damaged entries
# compiled again, --no-cache, an unsafe directory, and libbcc's compiler
# never mapped. Sourced by tests/run.

CACHE=/var/cache/snoop-c/programs
sleep 600 &
TARGET_SLEEP=$!

# cache_run NAME ARGS...: killsnoop-c with ARGS must show a kill it sees.
cache_run() {
	name=$1
	shift
	if tool_start killsnoop-c "$@"; then
		CACHE_MAPS=$(cat "/proc/$TOOL_PID/maps")
		kill -s WINCH "$TARGET_SLEEP"
		wait_line " $TARGET_SLEEP " || true
		tool_stop
		check "$name: traces the kill" grep -qE " 28 +$TARGET_SLEEP +0\$" "$TOOL_OUT"
	else
		fail "$name: starts" "$(cat "$TOOL_ERR")"
	fi
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
entry=$(cache_entry)
check "cache: the entry is a private file in a private directory" \
	test -f "$entry" -a "$(stat -c %a "$CACHE")" = 700 -a "$(stat -c %a:%U "$entry")" = 600:root
check "cache: the compile never maps libbcc or LLVM into the tool" \
	sh -c "! printf '%s' \"\$1\" | grep -qE 'libbcc\\.so|LLVM|clang'" _ "$CACHE_MAPS"

cache_run "cache: second run (hit)"
check "cache: second run loads the entry, no compile" \
	sh -c "grep -qE '^killsnoop-c: cache +[0-9.]+ s +$entry\$' '$TOOL_ERR' && ! grep -q compile '$TOOL_ERR'"
check "cache: a hit maps libbcc_bpf only, no LLVM" \
	sh -c "printf '%s' \"\$1\" | grep -q libbcc_bpf && ! printf '%s' \"\$1\" | grep -qE 'libbcc\\.so|LLVM|clang'" _ "$CACHE_MAPS"

cache_run "cache: other filters (-T, -s, -x not given)" -T "$TARGET_SLEEP" -s WINCH
check "cache: other filters use the same entry" test "$(cache_entry)" = "$entry"

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
	sh -c "grep -q 'cache miss (programs is not a private directory' '$TOOL_ERR' && grep -q 'is not cached' '$TOOL_ERR'"
chmod 0700 "$CACHE"

# execsnoop-c's --max-args lives in a map: one entry for every value.
if tool_start execsnoop-c --max-args 2; then
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
fi
kill "$TARGET_SLEEP"
wait "$TARGET_SLEEP" 2>/dev/null
