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

# The host's /lib/modules/RELEASE is mounted at /host, and its build and
# source links name trees in the host's /usr/src, mounted at /host/usr/src.
# They are linked again under /lib/modules (in the DaemonSet an emptyDir:
# the root file system is read-only), pointing into /host, where the header
# search looks; the image's own Debian headers in /usr/src stay the
# fallback. The tools audit where the links lead: only root-owned trees.
release=$(uname -r)
host_modules=/host/lib/modules/$release
if [ -d "$host_modules" ] && [ ! -e "/lib/modules/$release" ] && [ -w /lib/modules ]; then
	mkdir "/lib/modules/$release"
	for link in build source; do
		if [ -L "$host_modules/$link" ]; then
			target=$(readlink "$host_modules/$link")
			case $target in
			/*) target=/host$target ;;
			*) target=$host_modules/$target ;;
			esac
		elif [ -d "$host_modules/$link" ]; then
			target=$host_modules/$link
		else
			continue
		fi
		ln -s "$target" "/lib/modules/$release/$link"
	done
fi

json=--json
[ "${SNOOPC_TEXT:-}" = 1 ] && json=
# shellcheck disable=SC2086
exec "/usr/local/sbin/$tool" $json "$@"
