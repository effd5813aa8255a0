#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch the Linux guest the project tests with: Debian 12's cloud kernel for
# $2 (arm64, the default, or amd64) and busybox-static, from the Debian archive
# this machine's apt already uses, cached under $1 (default build/linux): an
# arm64 `Image`, or an amd64 `bzImage` as Debian ships it. Prints nothing on a
# cache hit.
#
# apt-get download writes into the current directory: no root needed once the
# architecture is dpkg's own or a foreign one (arm64 added below when run as root).
set -eu
out=${1:-build/linux}
arch=${2:-arm64}
kernel=Image
[ "$arch" = amd64 ] && kernel=bzImage
mkdir -p "$out/debs"
out=$(cd "$out" && pwd)
[ -f "$out/$kernel" ] && [ -f "$out/busybox" ] && exit 0

# apt-get download of foreign packages needs the architecture as a dpkg foreign one
# and its package lists: added here as root (what `make deps` is), asked for otherwise.
if [ "$(dpkg --print-architecture)" != "$arch" ] &&
	! dpkg --print-foreign-architectures | grep -qx "$arch"; then
	if [ "$(id -u)" != 0 ]; then
		echo "fetch.sh: run once: sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
		exit 1
	fi
	dpkg --add-architecture "$arch"
	apt-get update -q >/dev/null
fi
cd "$out/debs"
# The cloud kernel's versioned package, e.g. linux-image-6.1.0-35-cloud-arm64.
kpkg=$(apt-cache depends "linux-image-cloud-$arch:$arch" 2>/dev/null |
	sed -n "s/^ *Depends: \(linux-image-[0-9][^: ]*-cloud-$arch\).*/\1/p" | head -n 1)
if [ -z "$kpkg" ]; then
	echo "fetch.sh: apt knows no linux-image-cloud-$arch:$arch; run apt-get update" >&2
	exit 1
fi
rm -f ./*.deb
# As root, apt warns that its _apt user cannot write here; harmless.
apt-get download -q "$kpkg:$arch" "busybox-static:$arch" >/dev/null 2>&1 ||
	apt-get download "$kpkg:$arch" "busybox-static:$arch"
rm -rf "$out/root"
for d in ./*.deb; do dpkg-deb -x "$d" "$out/root"; done
# Debian ships arm64 vmlinuz either as a plain Image or gzip'd: accept both;
# amd64's is the bzImage the boot protocol loads as it is.
vmlinuz=$(ls "$out"/root/boot/vmlinuz-* | head -n 1)
if [ "$arch" = amd64 ]; then
	cp "$vmlinuz" "$out/Image.tmp"
elif gzip -t "$vmlinuz" 2>/dev/null; then
	gzip -dc "$vmlinuz" > "$out/Image.tmp"
else
	cp "$vmlinuz" "$out/Image.tmp"
fi
cp "$out/root/bin/busybox" "$out/busybox.tmp"
mv "$out/busybox.tmp" "$out/busybox"
mv "$out/Image.tmp" "$out/$kernel"
echo "fetch.sh: $kpkg and busybox-static in $out"
