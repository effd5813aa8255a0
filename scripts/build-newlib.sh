#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds newlib for AArch64 bare metal from Debian's newlib-source package.
# Usage: build-newlib.sh <dir>   -> <dir>/install/aarch64-none-elf/{include,lib}
set -eu
dir=$1
tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
	echo "newlib source not found: apt-get install newlib-source (or run: make deps)" >&2
	exit 1
fi
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
# A new recipe starts from nothing: no header or library of another
# configuration may survive into this one.
rm -rf "$dir/src" "$dir/obj" "$dir/install"
mkdir -p "$dir/src" "$dir/obj"
tar -xf "$tarball" -C "$dir/src" --strip-components=1
cd "$dir/obj"
# Small, reentrant-light configuration: partitions are single programs that
# print through the hypervisor and allocate little. -mstrict-align because
# partitions may run code before their MMU is on.
../src/configure --target=aarch64-none-elf --prefix="$dir/install" \
	--disable-newlib-supplied-syscalls --enable-newlib-reent-small \
	--disable-newlib-fvwrite-in-streamio --disable-newlib-wide-orient \
	--enable-newlib-nano-malloc --enable-newlib-nano-formatted-io \
	--enable-lite-exit --enable-newlib-global-atexit --disable-multilib --disable-nls \
	CC_FOR_TARGET="${cross}gcc" AR_FOR_TARGET="${cross}ar" AS_FOR_TARGET="${cross}as" \
	LD_FOR_TARGET="${cross}ld" RANLIB_FOR_TARGET="${cross}ranlib" \
	NM_FOR_TARGET="${cross}nm" OBJDUMP_FOR_TARGET="${cross}objdump" \
	CFLAGS_FOR_TARGET="-O2 -g -ffunction-sections -fdata-sections -mstrict-align -mno-outline-atomics" \
	>"$dir/configure.log" 2>&1 || { tail -n 30 "$dir/configure.log" >&2; exit 1; }
make -j"$(nproc)" all-target-newlib >"$dir/build.log" 2>&1 || { tail -n 30 "$dir/build.log" >&2; exit 1; }
make install-target-newlib >"$dir/install.log" 2>&1 || { tail -n 30 "$dir/install.log" >&2; exit 1; }
rm -rf "$dir/src" "$dir/obj"
test -f "$dir/install/aarch64-none-elf/lib/libc.a"
