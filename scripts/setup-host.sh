#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian 12 packages that Bulkhead's build and tests need.
#
#   scripts/setup-host.sh           install what is missing (`make deps`): as
#                                   root with apt-get, otherwise through sudo,
#                                   saying so first
#   scripts/setup-host.sh --check   what `make run`, `make test`, `make bench`
#                                   and `make cert` call: silent when nothing is
#                                   missing; root installs what is missing,
#                                   saying so; any other user gets the list and
#                                   the command to run, and nothing runs sudo
#                                   behind their back
#
# SETUP_HOST_PACKAGES replaces the list (the tests use it to name a package
# that is not installed).
set -eu

PACKAGES="make gcc libc6-dev cpp gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
device-tree-compiler libfdt-dev python3 python3-kconfiglib python3-pytest python3-pexpect \
libcmocka-dev qemu-system-arm qemu-system-x86 newlib-source u-boot-tools u-boot-qemu mtools gdb-multiarch openocd \
gcovr cppcheck pmccabe git clang libclang-rt-14-dev xz-utils bochs bochsbios vgabios bochs-term \
grub-common grub-pc-bin xorriso"
PACKAGES=${SETUP_HOST_PACKAGES:-$PACKAGES}

check=false
case "${1:-}" in
--check) check=true ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian: nothing here can check or install; say what is needed once per run.
	echo "setup-host: no dpkg-query, so not a Debian system; the build needs the equivalents of:" >&2
	echo "  $PACKAGES" >&2
	$check && exit 0
	exit 1
fi

# Installed means dpkg's status "installed", whether or not the package is on hold.
missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | head -n 1 || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "Installing missing Debian packages:$missing"
	apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing && exit 0
	echo "Could not install the packages:$missing" >&2
	exit 1
fi
if $check || ! command -v sudo >/dev/null 2>&1; then
	echo "Missing Debian packages:$missing" >&2
	$check && command -v sudo >/dev/null 2>&1 && echo "Install them with: make deps (runs apt-get through sudo)" >&2
	echo "or, as root: apt-get update && apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "Installing missing Debian packages through sudo:$missing"
sudo apt-get update -q && \
	sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing && exit 0
echo "Could not install the packages. Run, as root:" >&2
echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
exit 1
