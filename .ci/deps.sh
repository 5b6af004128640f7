#!/bin/sh
# Installs the Debian packages snoop-c needs, and only those that are missing.
# Re-runs itself through sudo when not root. On a host without Debian's
# package tools it installs nothing: it checks that the build's compiler
# and libraries are there (pkg-config), and names the rest by their Debian
# packages. (make and make install never call it: make deps does.)
#   .ci/deps.sh        build and run the tools
#   .ci/deps.sh test   also the host tests (bpftrace's execsnoop.bt is an oracle)
#   .ci/deps.sh lint   also make lint's checkers: cppcheck, shellcheck, clang-format
#   .ci/deps.sh vm     also the VM test stage: qemu, busybox, BCC's tools as
#                      oracles, bpftool (the guests' kernels come from
#                      tests/vm/kernels, unpacked and never installed)
#   .ci/deps.sh bench  also the benchmarks' peers (Python BCC, bpftrace, mmdebstrap) and gnuplot
#   .ci/deps.sh container  also the image build and its test: mmdebstrap,
#                      podman with runc (this cgroup v1 host needs it) and
#                      catatonit (its pods' pause image), YAML
set -eu

if ! command -v dpkg-query >/dev/null 2>&1; then
	if command -v "${CC:-cc}" >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1 &&
	   pkg-config --exists libbcc libbpf libelf zlib libcap libseccomp; then
		echo "deps.sh: not a Debian host: the build's compiler and libraries are there;" \
		     "what else a target needs must be installed by hand (see .ci/deps.sh)" >&2
		exit 0
	fi
	echo "deps.sh: not a Debian host, and pkg-config finds no libbcc, libbpf, libelf, zlib," \
	     "libcap or libseccomp (Debian: libbpfcc-dev libbpf-dev libelf-dev zlib1g-dev" \
	     "libcap-dev libseccomp-dev): install them" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
# build: compiler, libbcc (C API, clang frontend), libbpf (BTF look-ups),
# the static libraries the tools link (libbcc_bpf, libbpf, libelf, zlib),
# and libcap and libseccomp (the tools' confinement once attached)
packages="gcc make pkg-config libbpfcc-dev libbpf-dev libelf-dev zlib1g-dev libcap-dev libseccomp-dev"
# run: kernel headers for libbcc, unless the running kernel's own are present
release=$(uname -r)
if [ ! -e "/lib/modules/$release/build/include/linux/kconfig.h" ] &&
   [ ! -e "/lib/modules/$release/source/include/linux/kconfig.h" ]; then
	if [ -e /sys/kernel/kheaders.tar.xz ]; then
		packages="$packages tar xz-utils"	# the tools unpack the kernel's own archive
	else
		packages="$packages linux-headers-$arch"
	fi
fi
# host tests: python3 (JSON checks, Unicode tables), python3-jsonschema (every
# JSON line against deploy/schema), util-linux (setpriv,
# taskset), libcap2-bin (setcap: a copy with file capabilities), bpftrace, strace (a ptrace() caller), bpftool (a map for
# --mntnsmap), tar and xz-utils (a kheaders archive), clang (libFuzzer)
test_packages="python3 python3-jsonschema util-linux libcap2-bin bpftrace strace bpftool tar xz-utils clang"
for group in "$@"; do
	case $group in
	test)
		packages="$packages $test_packages"
		;;
	lint)
		packages="$packages cppcheck shellcheck clang-format git"
		;;
	vm)
		# cpio, xz-utils and zstd build the guests' initramfs; kmod's depmod
		# indexes the modules of the kernels tests/vm/kernels unpacks;
		# mmdebstrap, the root the guests boot deploy/systemd's units in.
		packages="$packages $test_packages
			qemu-system-x86 busybox-static cpio xz-utils zstd kmod bpftool bpfcc-tools mmdebstrap"
		;;
	container)
		packages="$packages mmdebstrap podman runc catatonit python3-yaml python3-jsonschema"
		;;
	bench)
		# the peers (BCC's Python module, bpftrace; mmdebstrap makes the
		# chroot of Debian's current release's peers), taskset, plots
		packages="$packages python3-bpfcc bpftrace mmdebstrap util-linux gnuplot-nox"
		;;
	*)
		echo "deps.sh: unknown package group '$group' (known: test, lint, vm, bench, container)" >&2
		exit 2
		;;
	esac
done

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
