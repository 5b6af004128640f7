# shellcheck shell=bash
# deploy/systemd under systemd as PID 1, in a bookworm root from Debian's
# archive (units_root) with the tools, units and user as `make install` and
# systemd-sysusers put them. tests/container/run boots it under podman
# (units_boot_podman); tests/vm/run makes one for the guests, which boot it
# without a container runtime where the BPF LSM runs (units_boot_here). The
# checks are the same (units_checks): each unit's exposure in
# systemd-analyze security --offline is 2.5 at most; both start at boot as
# the user snoop-c and, once attached, hold what their man pages say;
# execsnoop-c's JSON lines fill the journal and agree with a workload's own
# PIDs; the guard stops strace in the way its journal line says
# (UNITS_GUARD: denied, or either where the BPF LSM may not run); each
# keeps its programs in its own cache and root's is untouched; a stop
# writes execsnoop-c's last stats object. Uses the caller's checks, WORK,
# MARK and BUILD_DIR.

# in_units COMMAND...: runs it in the units' system: UNITS_EXEC is podman
# exec, or nsenter into the namespaces whose PID 1 systemd is.
in_units() {
	"${UNITS_EXEC[@]}" "$@"
}

# root_cache_listing ROOT: root's own program cache in the file system at
# ROOT, owners and times, to see that the units leave it alone.
root_cache_listing() {
	ls -ln --time-style=+%s "$1/var/cache/snoop-c/programs" 2>&1
}

# units_exposure UNIT: true when systemd-analyze rates the installed unit
# file 2.5 or less; UNIT_EXPOSURE holds its words.
units_exposure() {
	UNIT_EXPOSURE=$(in_units systemd-analyze security --offline=yes \
		"/usr/local/lib/systemd/system/$1" 2>&1 | grep "Overall exposure level")
	awk '{ for (i = 1; i < NF; i++) if ($i ~ /:$/) exit !($(i + 1) <= 2.5); exit 1 }' \
		<<<"$UNIT_EXPOSURE"
}

# unit_pid UNIT: this system's PID of the unit's main process, or nothing.
unit_pid() {
	local pid p
	pid=$(in_units systemctl show -P MainPID "$1")
	for p in /proc/[0-9]*; do
		if [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$UNITS_PIDNS" ] &&
		   [ "$(awk '/^NSpid:/ { print $NF }' "$p/status" 2>/dev/null)" = "$pid" ]; then
			echo "${p#/proc/}"
			return
		fi
	done
}

# unit_confined UNIT CAPS BOUNDING: the unit's main process runs as
# snoop-c, keeps exactly CAPS (none, or the guard's CAP_KILL) once attached
# of the unit's bounding set BOUNDING (not a user's to change), with
# no_new_privs under seccomp (the unit's filters, then its own).
unit_confined() {
	local uid gid
	uid=$(in_units id -u snoop-c)
	gid=$(in_units id -g snoop-c)
	# shellcheck disable=SC2034	# expect_confined reads it
	TOOL_PID=$(unit_pid "$1")
	expect_confined "$1: runs as snoop-c, keeps $2 of $3 once attached, no_new_privs, seccomp" \
		"$2" "$(printf '%s\t%s\t%s\t%s' "$uid" "$uid" "$uid" "$uid")" "$3" \
		"$(printf '%s\t%s\t%s\t%s' "$gid" "$gid" "$gid" "$gid")"
}

# unit_attached UNIT CAPS: true once the unit's main process holds CAPS
# alone, which it does only once attached and confined.
unit_attached() {
	local pid
	pid=$(in_units systemctl show -P MainPID "$1" 2>/dev/null)
	[ -n "$pid" ] && [ "$pid" != 0 ] &&
		in_units grep -qx "CapEff:.$2" "/proc/$pid/status" 2>/dev/null
}

# units_root ROOT: a bookworm root at ROOT from Debian's archive
# (mmdebstrap), with make install's files (from BUILD_DIR), the user and
# both units enabled.
units_root() {
	local root=$1 arch mirror
	arch=$(dpkg --print-architecture)
	mirror=${SNOOPC_MIRROR:-http://deb.debian.org/debian}
	# shellcheck disable=SC2016	# "$1" in a hook is mmdebstrap's, the root being built
	if ! mmdebstrap --quiet --variant=minbase --architectures="$arch" \
		--include="systemd,systemd-sysv,libbpfcc,libbpf1,libcap2,libseccomp2,linux-headers-$arch,tar,xz-utils,strace" \
		--customize-hook="make -s -C '$PWD' install BUILD='$BUILD_DIR' DESTDIR=\"\$1\"" \
		--customize-hook='chroot "$1" systemd-sysusers' \
		--customize-hook='chroot "$1" systemctl enable execsnoop-c.service ptraceguard-c.service' \
		bookworm "$root" "$mirror" >"$WORK/mmdebstrap.log" 2>&1; then
		fail "a bookworm root with systemd and make install's files" "$(tail -5 "$WORK/mmdebstrap.log")"
		return 1
	fi
}

# units_boot_podman ROOT: the root units_root made, booted in a podman
# container (UNITS_CTR), which it adds to STARTED.
units_boot_podman() {
	UNITS_ROOT=$1
	UNITS_ROOT_CACHE=$(root_cache_listing "$UNITS_ROOT")
	# systemd needs a privileged container for the sandboxes it builds, and
	# namespaces of its own to be PID 1; the units inside hold only what
	# they name. tracefs and debugfs are the host's.
	if ! UNITS_CTR=$(podman run -d "${OWN_NAMESPACES[@]}" --systemd=always --privileged \
		-v /sys/kernel/tracing:/sys/kernel/tracing -v /sys/kernel/debug:/sys/kernel/debug \
		--rootfs "$UNITS_ROOT" /sbin/init 2>"$WORK/units-run.err"); then
		fail "podman run of systemd in the bookworm root" "$(cat "$WORK/units-run.err")"
		return 1
	fi
	STARTED+=("$UNITS_CTR")
	UNITS_EXEC=(podman exec "$UNITS_CTR")
	UNITS_PID1=$(podman inspect -f '{{.State.Pid}}' "$UNITS_CTR")
	UNITS_PIDNS=$(readlink "/proc/$UNITS_PID1/ns/pid")
}

# units_boot_here ROOT: the root units_root made (a guest sees the host's
# through its overlay, which takes the writes), booted as a container's
# init is, without a container runtime: systemd as PID 1 of new PID, mount
# and cgroup namespaces, in a cgroup of its own (UNITS_CGROUP), with this
# system's /dev and /sys (tracefs, securityfs). Where
# kernel.perf_event_paranoid is 3, each unit gets the drop-in its comment
# asks for, CAP_SYS_ADMIN in both capability lines (UNITS_MORE_BOUND).
units_boot_here() {
	local unit
	UNITS_ROOT=$1
	UNITS_ROOT_CACHE=$(root_cache_listing "$UNITS_ROOT")
	UNITS_MORE_BOUND=0
	if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 3 ]; then
		UNITS_MORE_BOUND=$((1 << 21))
		for unit in execsnoop-c ptraceguard-c; do
			mkdir -p "$UNITS_ROOT/etc/systemd/system/$unit.service.d" &&
				printf '[Service]\nAmbientCapabilities=CAP_SYS_ADMIN\nCapabilityBoundingSet=CAP_SYS_ADMIN\n' \
					>"$UNITS_ROOT/etc/systemd/system/$unit.service.d/perf-paranoid.conf"
		done
	fi
	UNITS_CGROUP_FS=$WORK/units-cgroup2
	UNITS_CGROUP=$UNITS_CGROUP_FS/$MARK-units
	if ! { mkdir -p "$UNITS_CGROUP_FS" && mount -t cgroup2 cgroup2 "$UNITS_CGROUP_FS" &&
		mkdir "$UNITS_CGROUP"; }; then
		fail "a cgroup for the units' systemd" "cannot make $UNITS_CGROUP"
		return 1
	fi
	# Every mount in the new mount namespace, gone with it. The root a
	# mount point of its own, as the units' sandboxes need. A /dev of its
	# own, as a container runtime makes one (this system's device nodes
	# bound in): systemd writes its symlinks and permissions there, not in
	# this system's /dev. systemd sees its cgroup as the root of a cgroup2
	# hierarchy mounted where it looks.
	# shellcheck disable=SC2016	# the inner shells'
	(
		echo "$BASHPID" >"$UNITS_CGROUP/cgroup.procs" &&
			exec unshare --mount --propagation private --cgroup --pid --fork --kill-child \
				sh -c 'set -e
					mount --bind "$0" "$0"
					mount -t tmpfs -o mode=755,nosuid units-dev "$0/dev"
					for node in null zero full random urandom tty; do
						: >"$0/dev/$node"
						mount --bind "/dev/$node" "$0/dev/$node"
					done
					mkdir "$0/dev/pts" "$0/dev/shm"
					mount -t devpts -o newinstance,ptmxmode=0666 devpts "$0/dev/pts"
					ln -s pts/ptmx "$0/dev/ptmx"
					mount -t tmpfs -o mode=1777,nosuid,nodev units-shm "$0/dev/shm"
					mount --rbind /sys "$0/sys"
					exec chroot "$0" sh -c "mount -t proc proc /proc &&
						{ umount -R /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 cgroup2 /sys/fs/cgroup; } &&
						exec env -i container=snoop-c-units /lib/systemd/systemd --show-status=no"' \
				"$UNITS_ROOT"
	) >"$WORK/units-systemd.log" 2>&1 &
	UNITS_LAUNCHER=$!
	for _ in $(seq 1 300); do
		UNITS_PID1=$(pgrep -P "$UNITS_LAUNCHER")
		[ -n "$UNITS_PID1" ] && [ "$(cat "/proc/$UNITS_PID1/comm" 2>/dev/null)" = systemd ] && break
		UNITS_PID1=
		sleep 0.1
	done
	if [ -z "$UNITS_PID1" ]; then
		fail "systemd as PID 1 of its own namespaces" "$(tail -5 "$WORK/units-systemd.log")"
		return 1
	fi
	UNITS_EXEC=(nsenter -t "$UNITS_PID1" -a -r -w)
	UNITS_PIDNS=$(readlink "/proc/$UNITS_PID1/ns/pid")
}

# units_processes: every process left in the units' PID namespace, with
# where it waits in the kernel.
units_processes() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$UNITS_PIDNS" ] || continue
		echo "${p#/proc/} $(awk '{ print $2, $3 }' "$p/stat" 2>/dev/null) $(cat "$p/wchan" 2>/dev/null)"
		sed 's/^/    /' "$p/stack" 2>/dev/null
	done
}

# units_end_here: what units_boot_here made, undone: systemd halted as a
# container runtime stops it (SIGRTMIN+3: the units stopped, then the
# namespace's processes killed), its cgroups removed (none may be left), the
# cgroup2 mount gone. Only a halt that does not end within STOP_TRIES is
# followed by SIGKILL: killing PID 1 while a guard's BPF LSM links are
# still open deadlocks some kernels (6.1: PID 1's exit waits for the
# guard's, whose link release waits for an RCU-tasks grace period that
# waits for PID 1's exit).
units_end_here() {
	if [ -n "${UNITS_LAUNCHER:-}" ]; then
		if [ -z "${UNITS_PID1:-}" ]; then
			kill -KILL "$UNITS_LAUNCHER" 2>/dev/null # its end kills its child
			ends_within "$UNITS_LAUNCHER" "$STOP_TRIES"
		elif kill -RTMIN+3 "$UNITS_PID1" && ends_within "$UNITS_LAUNCHER" "$STOP_TRIES"; then
			pass "the units' systemd halts, the units stopped first"
		else
			fail "the units' systemd halts within $((STOP_TRIES / 10)) s of SIGRTMIN+3" "$(units_processes)"
			kill -KILL "$UNITS_PID1" 2>/dev/null
			ends_within "$UNITS_LAUNCHER" "$STOP_TRIES" ||
				fail "the units' namespace ends on SIGKILL" "$(units_processes)"
		fi
		child_running "$UNITS_LAUNCHER" || wait "$UNITS_LAUNCHER" 2>/dev/null
	fi
	if [ -n "${UNITS_CGROUP:-}" ] && mountpoint -q "$UNITS_CGROUP_FS"; then
		# A killed process's cgroup is busy for a moment after it is reaped.
		for _ in $(seq 1 50); do
			find "$UNITS_CGROUP" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -e "$UNITS_CGROUP" ] || break
			sleep 0.1
		done
		check "the units' systemd leaves no cgroup behind" test ! -e "$UNITS_CGROUP"
		umount "$UNITS_CGROUP_FS"
	fi
}

# units_checks: what both ways of booting the units must show.
units_checks() {
	local ready deadline workload pid status line unit
	for unit in execsnoop-c.service ptraceguard-c.service; do
		if units_exposure "$unit"; then
			pass "$unit: systemd-analyze security --offline rates it 2.5 or less ($UNIT_EXPOSURE)"
		else
			fail "$unit: systemd-analyze security --offline rates it 2.5 or less" "$UNIT_EXPOSURE"
		fi
	done

	# Both trace once execsnoop-c's journal holds an exec made after boot
	# and each has dropped what it drops once attached (the first start of
	# each compiles: minutes under emulation).
	ready=false
	deadline=$((SECONDS + UNITS_SECONDS))
	while [ "$SECONDS" -lt "$deadline" ]; do
		in_units /bin/true "$MARK.boot" 2>/dev/null
		if unit_attached execsnoop-c.service "$CAPS_NONE" &&
		   unit_attached ptraceguard-c.service "$CAPS_KILL" &&
		   in_units journalctl -u execsnoop-c -o cat 2>/dev/null | grep -qF "$MARK.boot"; then
			ready=true
			break
		fi
		sleep 0.5
	done
	check "both units start at boot and trace within $UNITS_SECONDS s" $ready
	if ! $ready; then
		in_units systemctl status --no-pager execsnoop-c ptraceguard-c 2>&1 | tail -20
		return
	fi
	unit_confined execsnoop-c.service "$CAPS_NONE" \
		"$(printf '%016x' $(((1 << 39) | (1 << 38) | (1 << 2) | ${UNITS_MORE_BOUND:-0})))"
	unit_confined ptraceguard-c.service "$CAPS_KILL" \
		"$(printf '%016x' $(((1 << 39) | (1 << 38) | (1 << 5) | (1 << 2) | ${UNITS_MORE_BOUND:-0})))"

	# A workload that says its own PID (the units' PID namespace: the
	# tool's --pidns default there), then execs.
	workload=$(in_units sh -c "echo \$\$; exec /bin/true $MARK.unit")
	# The guard: strace in the background, its PID and exit status said.
	in_units sh -c "strace -o /dev/null /bin/true $MARK.traced 2>/tmp/strace.err & echo \$!; wait \$!; echo \$?" \
		>"$WORK/strace.out" 2>"$WORK/strace.sh.err"
	{ read -r pid; read -r status; } <"$WORK/strace.out"
	sleep 1
	in_units journalctl -u execsnoop-c -o cat >"$WORK/units-exec.log"
	grep '^{' "$WORK/units-exec.log" >"$WORK/units-exec.json"
	check "execsnoop-c.service: every journal line valid against the schema" \
		tests/schema_check.py "$WORK/units-exec.json"
	check "execsnoop-c.service: the workload's exec in the journal, with its own PID" \
		/usr/bin/python3 -c 'import json, sys
execs = [o for o in map(json.loads, open(sys.argv[1])) if o["type"] == "exec" and sys.argv[2] in o["args"]]
assert len(execs) == 1 and execs[0]["pid"] == int(sys.argv[3]), execs' \
		"$WORK/units-exec.json" "$MARK.unit" "$workload"
	line=$(in_units journalctl -u ptraceguard-c -o cat | awk -v pid="$pid" '$2 == pid && $3 == "strace"')
	case $UNITS_GUARD:$line in
	*:*denied) check "ptraceguard-c.service: strace denied (EPERM), as its journal line says" \
		test "$status" != 0 -a -n "$(in_units grep -l 'Operation not permitted' /tmp/strace.err)" ;;
	either:*signalled) check "ptraceguard-c.service: strace killed, as its journal line says (no BPF LSM here)" \
		test "$status" = 137 ;;
	*) fail "ptraceguard-c.service: a journal line for strace $pid ($UNITS_GUARD)" "got: $line" \
		"$(in_units journalctl -u ptraceguard-c -o cat | tail -5)" ;;
	esac
	check "each unit's programs in its own cache, snoop-c's" \
		in_units sh -c 'for unit in execsnoop-c ptraceguard-c; do
				ls /var/cache/snoop-c/$unit/programs/*.prog >/dev/null || exit 1
			done
			test -z "$(find /var/cache/snoop-c/*-c/programs -name "*.prog" ! -user snoop-c)"'
	check "root's own program cache untouched by the units" \
		test "$(root_cache_listing "$UNITS_ROOT")" = "$UNITS_ROOT_CACHE"
	in_units systemctl stop execsnoop-c.service
	check "execsnoop-c.service: a stop writes the last stats object" \
		/usr/bin/python3 -c 'import json, sys
objs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
assert objs[-1]["type"] == "stats" and objs[-1]["total"]["lost"] == 0, objs[-1]' \
		< <(in_units journalctl -u execsnoop-c -o cat)
}
