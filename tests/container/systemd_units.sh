# shellcheck shell=bash
# deploy/systemd under systemd as PID 1: sourced by tests/container/run,
# whose checks, WORK, MARK and STARTED it uses. A podman container of
# Debian's bookworm, from its archive (mmdebstrap), with the tools, units
# and user as `make install` and systemd-sysusers put them, boots with both
# units enabled. Checked: each unit's exposure in systemd-analyze security
# --offline is 2.5 at most; both start at boot as the user snoop-c and,
# once attached, hold what their man pages say; execsnoop-c's JSON lines
# fill the journal and agree with a workload's own PIDs; the guard stops
# strace, in the way its journal line says; each keeps its programs in its
# own cache; a stop writes execsnoop-c's last stats object.

# in_units_ctr COMMAND...: runs it in the systemd container.
in_units_ctr() {
	podman exec "$UNITS_CTR" "$@"
}

# units_exposure UNIT: true when systemd-analyze rates the installed unit
# file 2.5 or less; UNIT_EXPOSURE holds its words.
units_exposure() {
	UNIT_EXPOSURE=$(in_units_ctr systemd-analyze security --offline=yes \
		"/usr/local/lib/systemd/system/$1" 2>&1 | grep "Overall exposure level")
	awk '{ for (i = 1; i < NF; i++) if ($i ~ /:$/) exit !($(i + 1) <= 2.5); exit 1 }' \
		<<<"$UNIT_EXPOSURE"
}

# unit_pid UNIT: the host's PID of the unit's main process, or nothing.
unit_pid() {
	local pid ns p
	pid=$(in_units_ctr systemctl show -P MainPID "$1")
	ns=$(readlink "/proc/$(podman inspect -f '{{.State.Pid}}' "$UNITS_CTR")/ns/pid")
	for p in /proc/[0-9]*; do
		if [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] &&
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
	uid=$(in_units_ctr id -u snoop-c)
	gid=$(in_units_ctr id -g snoop-c)
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
	pid=$(in_units_ctr systemctl show -P MainPID "$1" 2>/dev/null)
	[ -n "$pid" ] && [ "$pid" != 0 ] &&
		in_units_ctr grep -qx "CapEff:.$2" "/proc/$pid/status" 2>/dev/null
}

systemd_units() {
	local root=$WORK/systemd-root arch mirror ready workload pid status line unit
	echo "== deploy/systemd under systemd as PID 1"
	arch=$(dpkg --print-architecture)
	mirror=${SNOOPC_MIRROR:-http://deb.debian.org/debian}
	# shellcheck disable=SC2016	# "$1" in a hook is mmdebstrap's, the root being built
	if ! mmdebstrap --quiet --variant=minbase --architectures="$arch" \
		--include="systemd,systemd-sysv,libbpfcc,libbpf1,libcap2,libseccomp2,linux-headers-$arch,tar,xz-utils,strace" \
		--customize-hook="make -s -C '$PWD' install DESTDIR=\"\$1\"" \
		--customize-hook='chroot "$1" systemd-sysusers' \
		--customize-hook='chroot "$1" systemctl enable execsnoop-c.service ptraceguard-c.service' \
		bookworm "$root" "$mirror" >"$WORK/mmdebstrap.log" 2>&1; then
		fail "a bookworm root with systemd and make install's files" "$(tail -5 "$WORK/mmdebstrap.log")"
		return
	fi
	# systemd needs a privileged container for the sandboxes it builds, and
	# namespaces of its own to be PID 1; the units inside hold only what
	# they name. tracefs and debugfs are the host's.
	if ! UNITS_CTR=$(podman run -d "${OWN_NAMESPACES[@]}" --systemd=always --privileged \
		-v /sys/kernel/tracing:/sys/kernel/tracing -v /sys/kernel/debug:/sys/kernel/debug \
		--rootfs "$root" /sbin/init 2>"$WORK/units-run.err"); then
		fail "podman run of systemd in the bookworm root" "$(cat "$WORK/units-run.err")"
		return
	fi
	STARTED+=("$UNITS_CTR")

	for unit in execsnoop-c.service ptraceguard-c.service; do
		if units_exposure "$unit"; then
			pass "$unit: systemd-analyze security --offline rates it 2.5 or less ($UNIT_EXPOSURE)"
		else
			fail "$unit: systemd-analyze security --offline rates it 2.5 or less" "$UNIT_EXPOSURE"
		fi
	done

	# Both trace once execsnoop-c's journal holds an exec made after boot
	# and each has dropped what it drops once attached (the first start of
	# each compiles).
	ready=false
	for _ in $(seq 1 240); do
		in_units_ctr /bin/true "$MARK.boot" 2>/dev/null
		if unit_attached execsnoop-c.service "$CAPS_NONE" &&
		   unit_attached ptraceguard-c.service "$CAPS_KILL" &&
		   in_units_ctr journalctl -u execsnoop-c -o cat 2>/dev/null | grep -qF "$MARK.boot"; then
			ready=true
			break
		fi
		sleep 0.5
	done
	check "both units start at boot and trace" $ready
	if ! $ready; then
		in_units_ctr systemctl status --no-pager execsnoop-c ptraceguard-c 2>&1 | tail -20
		return
	fi
	unit_confined execsnoop-c.service "$CAPS_NONE" "$(printf '%016x' $(((1 << 39) | (1 << 38) | (1 << 2))))"
	unit_confined ptraceguard-c.service "$CAPS_KILL" "$(printf '%016x' $(((1 << 39) | (1 << 38) | (1 << 5) | (1 << 2))))"

	# A workload that says its own PID (the container's namespace: the
	# tool's --pidns default there), then execs.
	workload=$(in_units_ctr sh -c "echo \$\$; exec /bin/true $MARK.unit")
	# The guard: strace in the background, its PID and exit status said.
	in_units_ctr sh -c "strace -o /dev/null /bin/true $MARK.traced 2>/tmp/strace.err & echo \$!; wait \$!; echo \$?" \
		>"$WORK/strace.out"
	{ read -r pid; read -r status; } <"$WORK/strace.out"
	sleep 1
	in_units_ctr journalctl -u execsnoop-c -o cat >"$WORK/units-exec.log"
	grep '^{' "$WORK/units-exec.log" >"$WORK/units-exec.json"
	check "execsnoop-c.service: every journal line valid against the schema" \
		tests/schema_check.py "$WORK/units-exec.json"
	check "execsnoop-c.service: the workload's exec in the journal, with its own PID" \
		/usr/bin/python3 -c 'import json, sys
execs = [o for o in map(json.loads, open(sys.argv[1])) if o["type"] == "exec" and sys.argv[2] in o["args"]]
assert len(execs) == 1 and execs[0]["pid"] == int(sys.argv[3]), execs' \
		"$WORK/units-exec.json" "$MARK.unit" "$workload"
	line=$(in_units_ctr journalctl -u ptraceguard-c -o cat | awk -v pid="$pid" '$2 == pid && $3 == "strace"')
	case $line in
	*denied) check "ptraceguard-c.service: strace denied (EPERM), as its journal line says" \
		test "$status" != 0 -a -n "$(in_units_ctr grep -l 'Operation not permitted' /tmp/strace.err)" ;;
	*signalled) check "ptraceguard-c.service: strace killed, as its journal line says (no BPF LSM here)" \
		test "$status" = 137 ;;
	*) fail "ptraceguard-c.service: a journal line for strace $pid" "got: $line" \
		"$(in_units_ctr journalctl -u ptraceguard-c -o cat | tail -5)" ;;
	esac
	check "each unit's programs in its own cache, snoop-c's; root's untouched" \
		in_units_ctr sh -c 'for unit in execsnoop-c ptraceguard-c; do
				ls /var/cache/snoop-c/$unit/programs/*.prog >/dev/null || exit 1
			done
			test -z "$(find /var/cache/snoop-c/*/programs -name "*.prog" ! -user snoop-c)" &&
			test ! -e /var/cache/snoop-c/programs'
	in_units_ctr systemctl stop execsnoop-c.service
	check "execsnoop-c.service: a stop writes the last stats object" \
		/usr/bin/python3 -c 'import json, sys
objs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
assert objs[-1]["type"] == "stats" and objs[-1]["total"]["lost"] == 0, objs[-1]' \
		< <(in_units_ctr journalctl -u execsnoop-c -o cat)
	podman rm -f -v -t 10 "$UNITS_CTR" >/dev/null
	rm -rf "$root"
}
