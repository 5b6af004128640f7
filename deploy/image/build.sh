#!/bin/sh
# Builds snoop-c's container image from Debian's archive only: a bookworm
# root file system made by mmdebstrap with libbcc and Debian's kernel
# headers (the header fallback), the tools built here, and their man pages
# and event schema; imported into podman as snoop-c:VERSION and
# snoop-c:latest, and saved as build/image/snoop-c-VERSION.tar
# (podman save, docker-archive) for a registry or `ctr images import`.
#   deploy/image/build.sh VERSION
# Run by `make image` (as root), after the tools are built. With
# SOURCE_DATE_EPOCH from the last commit, the same archive state gives the
# same root file system.
set -eu
version=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/image
mkdir -p "$out"
cd "$top"

: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
export SOURCE_DATE_EPOCH
mirror=${SNOOPC_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture)

# libbpfcc: libbcc and its clang front end; libcap2 and libseccomp2: the
# tools' confinement once attached; linux-headers-$arch: a header tree for
# hosts without their own; tar and xz-utils: a kernel's kheaders archive;
# procps: ps for whoever debugs the pod.
rm -f "$out/rootfs.tar"
# shellcheck disable=SC2016	# "$1" in a hook is mmdebstrap's, the root being built
mmdebstrap --quiet --variant=minbase --architectures="$arch" \
	--include="libbpfcc,libbpf1,libcap2,libseccomp2,linux-headers-$arch,tar,xz-utils,procps" \
	--customize-hook='mkdir -p "$1/usr/local/sbin" "$1/usr/local/share/man/man8" "$1/usr/local/share/snoop-c" "$1/var/cache/snoop-c"' \
	--customize-hook='chmod 755 "$1/var/cache/snoop-c"' \
	--customize-hook="copy-in build/bin/execsnoop-c build/bin/exitsnoop-c build/bin/killsnoop-c build/bin/sigsnoop-c build/bin/ptraceguard-c /usr/local/sbin" \
	--customize-hook="copy-in deploy/image/entrypoint.sh /usr/local/sbin" \
	--customize-hook='mv "$1/usr/local/sbin/entrypoint.sh" "$1/usr/local/sbin/snoop-c-entrypoint"' \
	--customize-hook="copy-in man/man8/execsnoop-c.8 man/man8/exitsnoop-c.8 man/man8/killsnoop-c.8 man/man8/sigsnoop-c.8 man/man8/ptraceguard-c.8 /usr/local/share/man/man8" \
	--customize-hook="copy-in deploy/schema/snoop-c-events.schema.json /usr/local/share/snoop-c" \
	--customize-hook='rm -rf "$1/var/cache/apt/archives"/*.deb "$1/var/lib/apt/lists"/*' \
	bookworm "$out/rootfs.tar" "$mirror"

podman rmi -f "snoop-c:$version" >/dev/null 2>&1 || true
podman import \
	--change 'ENTRYPOINT ["/usr/local/sbin/snoop-c-entrypoint"]' \
	--change 'CMD ["execsnoop-c"]' \
	--change 'VOLUME /var/cache/snoop-c' \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change "LABEL org.opencontainers.image.title=snoop-c org.opencontainers.image.version=$version" \
	"$out/rootfs.tar" "snoop-c:$version" >/dev/null
podman tag "snoop-c:$version" snoop-c:latest
rm -f "$out/snoop-c-$version.tar"
podman save --format docker-archive -o "$out/snoop-c-$version.tar" "snoop-c:$version" >/dev/null
rm -f "$out/rootfs.tar"
echo "snoop-c:$version built ($out/snoop-c-$version.tar)"
