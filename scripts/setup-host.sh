#!/bin/sh
# Installs the Debian 12 packages that Bulkhead's build and tests need, when
# they are missing. Called by `make deps`, `make run` and `make test`.
set -eu

PACKAGES="make gcc libc6-dev cpp gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
device-tree-compiler libfdt-dev python3 python3-kconfiglib python3-pytest python3-pexpect \
libcmocka-dev qemu-system-arm newlib-source u-boot-tools gdb-multiarch openocd \
gcovr cppcheck pmccabe git clang libclang-rt-14-dev xz-utils"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$status" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
	command -v sudo >/dev/null 2>&1 || SUDO=""
else
	SUDO=""
fi
if [ -n "$SUDO" ] || [ "$(id -u)" -eq 0 ]; then
	if $SUDO apt-get update -q && \
	   DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing; then
		exit 0
	fi
fi
echo "Could not install the packages. Run, as root:" >&2
echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
exit 1
