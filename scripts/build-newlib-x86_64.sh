#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds newlib for x86_64 bare-metal partitions from Debian's newlib-source
# package, with the host's gcc (an x86_64 compiler; freestanding, no red
# zone, no PIE). A recipe of its own, beside build-newlib.sh (AArch64), so
# that the AArch64 newlib already built everywhere stays current (newlib.mk
# rebuilds when its recipe's hash changes).
# Usage: build-newlib-x86_64.sh <dir>   -> <dir>/install/x86_64-elf/{include,lib}
set -eu
dir=$1
tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
	echo "newlib source not found: apt-get install newlib-source (or run: make deps)" >&2
	exit 1
fi
cross=${X86_CROSS_COMPILE:-}
# A new recipe starts from nothing: no header or library of another
# configuration may survive into this one.
rm -rf "$dir/src" "$dir/obj" "$dir/install"
mkdir -p "$dir/src" "$dir/obj"
tar -xf "$tarball" -C "$dir/src" --strip-components=1
cd "$dir/obj"
# The configuration of build-newlib.sh (single programs that print through
# the hypervisor and allocate little). -mno-red-zone: code below the stack
# pointer is not safe once the runtime takes interrupts on the same stack.
../src/configure --target=x86_64-elf --prefix="$dir/install" \
	--disable-newlib-supplied-syscalls --enable-newlib-reent-small \
	--disable-newlib-fvwrite-in-streamio --disable-newlib-wide-orient \
	--enable-newlib-nano-malloc --enable-newlib-nano-formatted-io \
	--enable-lite-exit --enable-newlib-global-atexit --disable-multilib --disable-nls \
	CC_FOR_TARGET="${cross}gcc" AR_FOR_TARGET="${cross}ar" AS_FOR_TARGET="${cross}as" \
	LD_FOR_TARGET="${cross}ld" RANLIB_FOR_TARGET="${cross}ranlib" \
	NM_FOR_TARGET="${cross}nm" OBJDUMP_FOR_TARGET="${cross}objdump" \
	CFLAGS_FOR_TARGET="-O2 -g -ffunction-sections -fdata-sections -mno-red-zone -fno-pie -fno-stack-protector -ffreestanding" \
	>"$dir/configure.log" 2>&1 || { tail -n 30 "$dir/configure.log" >&2; exit 1; }
make -j"$(nproc)" all-target-newlib >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; exit 1; }
make install-target-newlib >"$dir/install.log" 2>&1 || { tail -n 30 "$dir/install.log" >&2; exit 1; }
rm -rf "$dir/src" "$dir/obj"
test -f "$dir/install/x86_64-elf/lib/libc.a"
