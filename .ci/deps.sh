#!/bin/sh
# Installs the Debian packages snoop-c needs to build, run and test, and only
# those that are missing. Re-runs itself through sudo when not root.
set -eu

arch=$(dpkg --print-architecture)
# build: compiler, libbcc (C API, clang frontend), libbpf (BTF look-ups)
# test:  python3 (JSON checks), util-linux (setpriv)
packages="gcc make pkg-config libbpfcc-dev libbpf-dev python3 util-linux"
# run: kernel headers for libbcc, unless the running kernel's own are present
release=$(uname -r)
if [ ! -e "/lib/modules/$release/build/include/linux/kconfig.h" ] &&
   [ ! -e "/lib/modules/$release/source/include/linux/kconfig.h" ] &&
   [ ! -e /sys/kernel/kheaders.tar.xz ]; then
	packages="$packages linux-headers-$arch"
fi

missing=
for p in $packages; do
	status=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "snoop-c: installing$missing" >&2
if [ "$(id -u)" != 0 ]; then
	exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
