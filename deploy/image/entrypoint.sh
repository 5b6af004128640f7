#!/bin/sh
# snoop-c's image entrypoint: runs the tool its arguments name, in JSON mode
# unless they say otherwise, after making the host's kernel headers (mounted
# at /host, see deploy/kubernetes/) visible where the header search looks.
#   snoop-c-entrypoint [TOOL [OPTIONS...]]    default: execsnoop-c
#   SNOOPC_TEXT=1: the tool's own columns instead of --json
set -eu

tool=${1:-execsnoop-c}
[ $# -gt 0 ] && shift
case $tool in
execsnoop-c | exitsnoop-c | killsnoop-c | sigsnoop-c | ptraceguard-c) ;;
*)
	echo "snoop-c-entrypoint: unknown tool '$tool' (execsnoop-c, exitsnoop-c, killsnoop-c, sigsnoop-c, ptraceguard-c)" >&2
	exit 2
	;;
esac

# The host's /lib/modules/RELEASE (its build link points into /usr/src) and
# its header trees, linked beside the image's own Debian headers, which stay
# the fallback. Only root-owned paths: the tools refuse any other tree.
release=$(uname -r)
if [ -d "/host/lib/modules/$release" ] && [ ! -e "/lib/modules/$release" ]; then
	mkdir -p /lib/modules
	ln -s "/host/lib/modules/$release" "/lib/modules/$release"
fi
for tree in /host/usr/src/*; do
	[ -d "$tree" ] || continue
	name=${tree##*/}
	[ -e "/usr/src/$name" ] || ln -s "$tree" "/usr/src/$name"
done

json=--json
[ "${SNOOPC_TEXT:-}" = 1 ] && json=
# shellcheck disable=SC2086
exec "/usr/local/sbin/$tool" $json "$@"
