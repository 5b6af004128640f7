# shellcheck shell=bash
# Container awareness of every tool: --pidns (and its default inside a PID
# namespace), --cgroup and --mntnsmap, checked from inside and outside with
# namespaces and a cgroup made here. Sourced by tests/run.

SCOPE_SELF=$BASHPID
CGROUP2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
BPFFS_MOUNTED=false
mountpoint -q /sys/fs/bpf || { mount -t bpf bpf /sys/fs/bpf && BPFFS_MOUNTED=true; }

# in_pidns SCRIPT: runs SCRIPT (bash) as PID 1's child in a new PID
# namespace with its own /proc; BIN, WORK and MARK are passed on. After
# NS_SECONDS the namespace is killed whole (its init with unshare), and the
# checks of what SCRIPT left fail.
in_pidns() {
	BIN=$BIN WORK=$WORK MARK=$MARK timeout -s KILL "$NS_SECONDS" \
		unshare --kill-child --pid --fork --mount-proc bash -c "$1"
}

# Inside a PID namespace the tools default to it: its tasks only, its PIDs.
# At the same time a tool outside sees the same exec under its host PID.
tool_start execsnoop-c
OUTSIDE_OUT=$TOOL_OUT
OUTSIDE_PID=$TOOL_PID
in_pidns '
	"$BIN/execsnoop-c" -v >"$WORK/ns-exec.out" 2>"$WORK/ns-exec.err" &
	tool=$!
	for _ in $(seq 1 300); do grep -q " attach " "$WORK/ns-exec.err" && break; sleep 0.1; done
	/bin/true "$MARK.ns" &
	echo "$!" >"$WORK/ns-exec.child"
	wait "$!"
	bash -c "echo \$\$ >$WORK/ns-thread.ppid; exec $BIN/exec_cases thread" >"$WORK/ns-thread.json"
	sleep 1
	kill -INT "$tool"
	wait "$tool"
	' &
NS_SHELL=$!
wait_line "$MARK.ns"
/bin/true "$MARK.host" &
wait $!
wait "$NS_SHELL"
TOOL_PID=$OUTSIDE_PID
tool_stop
TOOL_OUT=$WORK/ns-exec.out
NS_CHILD=$(cat "$WORK/ns-exec.child")
expect_line "execsnoop-c in a PID namespace: its exec, with its PIDs (child of its init, PID 1)" \
	"$(exec_line true "$NS_CHILD" 1 0 "/bin/true $MARK.ns")"
expect_no "execsnoop-c in a PID namespace: nothing from outside it" "$MARK.host"
expect_thread_exec "execsnoop-c in a PID namespace" "$WORK/ns-thread.json" "$(cat "$WORK/ns-thread.ppid")"
check "execsnoop-c in a PID namespace: says so with -v" grep -q "PID namespace [0-9]*: its tasks" "$WORK/ns-exec.err"
TOOL_OUT=$OUTSIDE_OUT
HOST_PID=$(awk -v m="$MARK.ns" '$1 == "true" && $NF == m { print $2 }' "$TOOL_OUT")
check "execsnoop-c outside: the same exec under its host PID ($HOST_PID, not $NS_CHILD)" \
	test -n "$HOST_PID" -a "$HOST_PID" != "$NS_CHILD"

# killsnoop-c and sigsnoop-c with --pidns given: senders and targets in the namespace's PIDs.
for tool in killsnoop-c sigsnoop-c; do
	in_pidns '
		"$BIN/'$tool'" --pidns -v >"$WORK/ns-'$tool'.out" 2>"$WORK/ns-'$tool'.err" &
		tool=$!
		for _ in $(seq 1 300); do grep -q " attach " "$WORK/ns-'$tool'.err" && break; sleep 0.1; done
		sleep 600 &
		target=$!
		bash -c "kill -s WINCH $target; echo \$\$ >$WORK/ns-'$tool'.sender"
		echo "$target" >"$WORK/ns-'$tool'.target"
		sleep 0.3
		kill -INT "$tool"
		wait "$tool"
		kill "$target"
		' &
	NS_SHELL=$!
	sleep 1
	kill -s WINCH "$SCOPE_SELF"	# outside: must not show
	wait "$NS_SHELL"
	TOOL_OUT=$WORK/ns-$tool.out
	SENDER=$(cat "$WORK/ns-$tool.sender")
	TARGET=$(cat "$WORK/ns-$tool.target")
	check "$tool --pidns: the namespace's kill, sender and target in its PIDs ($SENDER -> $TARGET)" \
		grep -qE "^[0-9:]+ +$SENDER +bash +(kill +)?28 +$TARGET +0\$" "$TOOL_OUT"
	check "$tool --pidns: only the namespace's kills" test "$(grep -c ' 28 ' "$TOOL_OUT")" = 1
done

# --cgroup: only the cgroup's tasks; ptraceguard-c guards them alone.
CG=$CGROUP2/$MARK-test
if [ -z "$CGROUP2" ] || ! mkdir "$CG"; then
	fail "scope: a cgroup v2 directory for the tests" "no cgroup2 mount in /proc/mounts"
else
	tool_start ptraceguard-c --cgroup "$CG"
	(echo "$BASHPID" >"$CG/cgroup.procs" && exec strace -o /dev/null /bin/true) 2>/dev/null &
	INSIDE=$!
	wait "$INSIDE" 2>/dev/null
	INSIDE_STATUS=$?
	strace -o /dev/null /bin/true
	OUTSIDE_STATUS=$?
	wait_line " strace "
	tool_stop
	check "ptraceguard-c --cgroup: strace in the cgroup is killed" test "$INSIDE_STATUS" = 137
	check "ptraceguard-c --cgroup: strace outside runs to completion" test "$OUTSIDE_STATUS" = 0
	check "ptraceguard-c --cgroup: one intervention" test "$(grep -c ' strace ' "$TOOL_OUT")" = 1
	tool_start execsnoop-c --cgroup "$CG"
	(echo "$BASHPID" >"$CG/cgroup.procs" && exec /bin/true "$MARK.cg.in") &
	INSIDE=$!
	wait "$INSIDE"
	/bin/true "$MARK.cg.out"
	wait_line "$MARK.cg.in"
	tool_stop
	expect_line "execsnoop-c --cgroup: the cgroup's exec" "$(exec_line true "$INSIDE" "$SCOPE_SELF" 0 "/bin/true $MARK.cg.in")"
	expect_no "execsnoop-c --cgroup: no exec outside it" "$MARK.cg.out"
	tool_start execsnoop-c --cgroup "$CG"
	(echo "$BASHPID" >"$CG/cgroup.procs" && exec "$BIN/exec_cases" thread >"$WORK/cg-thread.out") &
	INSIDE=$!
	wait "$INSIDE"
	wait_line "t-one t two"
	tool_stop
	expect_thread_exec "execsnoop-c --cgroup" "$WORK/cg-thread.out" "$INSIDE"
	rmdir "$CG"
fi

# --mntnsmap: BCC's pinned hash of mount namespace IDs; a process in a new
# mount namespace is in it, this shell is not.
MAP=/sys/fs/bpf/snoopc_mntns_$$	# bpffs takes no dots in names
if bpftool map create "$MAP" type hash key 8 value 4 entries 16 name mnt_ns_set; then
	mkfifo "$WORK/go"
	unshare --mount bash -c 'stat -L -c %i /proc/self/ns/mnt >"$1"; read -r _ <"$2"; /bin/true "$3"; exec "$4" thread >"$5"' \
		x "$WORK/mntns.id" "$WORK/go" "$MARK.mnt.in" "$BIN/exec_cases" "$WORK/mnt-thread.out" &
	INSIDE=$!
	for _ in $(seq 1 50); do [ -s "$WORK/mntns.id" ] && break; sleep 0.1; done
	KEY=$(python3 -c 'import struct, sys; print(" ".join("%02x" % b for b in struct.pack("<Q", int(sys.argv[1]))))' "$(cat "$WORK/mntns.id")")
	# shellcheck disable=SC2086
	bpftool map update pinned "$MAP" key hex $KEY value hex 01 00 00 00
	tool_start execsnoop-c --mntnsmap "$MAP"
	echo go >"$WORK/go"
	wait "$INSIDE"
	/bin/true "$MARK.mnt.out"
	wait_line "t-one t two"
	tool_stop
	check "execsnoop-c --mntnsmap: the namespace's exec" grep -qF "/bin/true $MARK.mnt.in" "$TOOL_OUT"
	expect_thread_exec "execsnoop-c --mntnsmap" "$WORK/mnt-thread.out" "$INSIDE"
	expect_no "execsnoop-c --mntnsmap: no exec of another mount namespace" "$MARK.mnt.out"
	rm -f "$MAP"
else
	fail "scope: bpftool creates a map for --mntnsmap"
fi
if run_status 2 "$BIN/killsnoop-c" --mntnsmap /etc/hostname &&
	printf '%s' "$ERR_TEXT" | grep -q -- "--mntnsmap: /etc/hostname is not a pinned BPF map"; then
	pass "killsnoop-c --mntnsmap of a file that is no map: exit 2, naming it"
else
	fail "killsnoop-c --mntnsmap of a file that is no map: exit 2, naming it" "$ERR_TEXT"
fi
# A map the kernel refuses as the inner map (a hash map with flags): the
# user's to fix too, not a failure of the tool.
MAP=/sys/fs/bpf/snoopc_mntns_flags_$$
if bpftool map create "$MAP" type hash key 8 value 4 entries 16 name mnt_ns_flags flags 1; then
	expect_status "killsnoop-c --mntnsmap of a map the kernel refuses: exit 2, naming it" 2 \
		"--mntnsmap: $MAP cannot serve as the map of mount namespaces" \
		"$BIN/killsnoop-c" --mntnsmap "$MAP"
	rm -f "$MAP"
else
	fail "scope: bpftool creates a hash map with flags for --mntnsmap"
fi

# The bpf file system, when this mounted it.
"$BPFFS_MOUNTED" && umount /sys/fs/bpf
