#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch the Linux guest the project tests with: Debian 12's arm64 cloud kernel
# and busybox-static, from the Debian archive this machine's apt already uses,
# cached under $1 (default build/linux). Prints nothing on a cache hit.
#
# apt-get download writes into the current directory: no root needed once arm64
# is a dpkg foreign architecture (added below when run as root).
set -eu
out=${1:-build/linux}
mkdir -p "$out/debs"
out=$(cd "$out" && pwd)
[ -f "$out/Image" ] && [ -f "$out/busybox" ] && exit 0

# apt-get download of arm64 packages needs arm64 as a dpkg foreign architecture
# and its package lists: added here as root (what `make deps` is), asked for otherwise.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	if [ "$(id -u)" != 0 ]; then
		echo "fetch.sh: run once: sudo dpkg --add-architecture arm64 && sudo apt-get update" >&2
		exit 1
	fi
	dpkg --add-architecture arm64
	apt-get update -q >/dev/null
fi
cd "$out/debs"
# The cloud kernel's versioned package, e.g. linux-image-6.1.0-35-cloud-arm64.
kpkg=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^: ]*-cloud-arm64\).*/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
	echo "fetch.sh: apt knows no linux-image-cloud-arm64:arm64; run apt-get update" >&2
	exit 1
fi
rm -f ./*.deb
# As root, apt warns that its _apt user cannot write here; harmless.
apt-get download -q "$kpkg:arm64" busybox-static:arm64 >/dev/null 2>&1 ||
	apt-get download "$kpkg:arm64" busybox-static:arm64
rm -rf "$out/root"
for d in ./*.deb; do dpkg-deb -x "$d" "$out/root"; done
# Debian ships arm64 vmlinuz either as a plain Image or gzip'd: accept both.
vmlinuz=$(ls "$out"/root/boot/vmlinuz-* | head -n 1)
if gzip -t "$vmlinuz" 2>/dev/null; then
	gzip -dc "$vmlinuz" > "$out/Image.tmp"
else
	cp "$vmlinuz" "$out/Image.tmp"
fi
cp "$out/root/bin/busybox" "$out/busybox.tmp"
mv "$out/busybox.tmp" "$out/busybox"
mv "$out/Image.tmp" "$out/Image"
echo "fetch.sh: $kpkg and busybox-static in $out"
