#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Build the shared-disk test's initramfs (tests/system/test_disk_linux.py): the
test initramfs of mkinitramfs.py plus the virtio modules of the same kernel
package, and an /init that loads them, writes a pattern to /dev/vda, reads it
back after dropping the caches and prints the result. Then, when the kernel
command line names `hostile=<address>`, it turns hostile as root with busybox
devmem: writes to interrupts it does not own in its GIC distributor, forges
its disk's virtqueue (rings outside its RAM, then rings over its device tree's
bytes) and notifies it, and finally writes <address> (another partition's
host-physical address, not in its own guest-physical map), which the
hypervisor contains. Otherwise it powers the partition off.
Debian 12's kernels build virtio, virtio_ring, virtio_mmio and virtio_blk as
modules (docs/disk.md).

Usage: mkinitramfs_disk.py [--bench PROGRAM] BUSYBOX MODULES_DIR OUT.cpio.gz
(MODULES_DIR: the kernel package's lib/modules/<version>). With --bench the
/init loads the modules, waits for /dev/vda and runs PROGRAM
(tests/bench/linux/diskread.c, `make bench`'s disk row) instead.
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkinitramfs import S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, Cpio  # noqa: E402

MODULES = [   # in the order they depend on each other
    "kernel/drivers/virtio/virtio_ring.ko",
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_mmio.ko",
    "kernel/drivers/block/virtio_blk.ko",
]

# The pattern: 2048 lines of 32 bytes (64 KiB), which the host test makes the same way.
INIT = b"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "BULKHEAD-LINUX-INIT-OK cpus=$(nproc)"
for m in virtio_ring virtio virtio_mmio virtio_blk; do
	insmod /lib/modules/$m.ko || echo "LINUX-DISK: insmod $m failed"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if [ ! -b /dev/vda ]; then
	echo "LINUX-DISK: no /dev/vda"
	poweroff -f
fi
echo "LINUX-DISK: /dev/vda $(cat /sys/block/vda/size) sectors"
i=0
while [ $i -lt 2048 ]; do printf 'BULKHEAD-DISK-%017d\\n' $i; i=$((i+1)); done > /tmp/p
dd if=/tmp/p of=/dev/vda bs=4096 2>/dev/null && sync
blockdev --flushbufs /dev/vda
echo 3 > /proc/sys/vm/drop_caches
dd if=/dev/vda of=/tmp/r bs=4096 count=16 2>/dev/null
if cmp -s /tmp/p /tmp/r; then
	echo "LINUX-DISK: pattern read back: OK"
else
	echo "LINUX-DISK: pattern read back: MISMATCH"
fi
echo "LINUX-DISK: done"
[ -n "$hostile" ] || poweroff -f

# Hostile root (docs/disk.md, docs/linux.md). The GIC distributor at 0x08000000:
# enable SPIs 32-63 (none of them Linux's) and route SPI 33, the service's UART.
devmem 0x08000104 32 0xffffffff
devmem 0x08006108 64 0x0
echo "LINUX-HOSTILE: gic writes done"
# The disk (virtio-mmio 1.0 at 0x0a000000): reset, set queue 0 up with rings at
# $1, $2, $3, make it ready and notify it.
forge() {
	r=0x0a000000
	devmem $((r + 0x70)) 32 0
	devmem $((r + 0x70)) 32 3
	devmem $((r + 0x24)) 32 1
	devmem $((r + 0x20)) 32 1
	devmem $((r + 0x70)) 32 11
	devmem $((r + 0x30)) 32 0
	devmem $((r + 0x38)) 32 8
	devmem $((r + 0x80)) 32 $1; devmem $((r + 0x84)) 32 0
	devmem $((r + 0x90)) 32 $2; devmem $((r + 0x94)) 32 0
	devmem $((r + 0xa0)) 32 $3; devmem $((r + 0xa4)) 32 0
	devmem $((r + 0x44)) 32 1
	devmem $((r + 0x70)) 32 15
	devmem $((r + 0x50)) 32 0
}
forge 0x60000000 0x60001000 0x60002000
echo "LINUX-HOSTILE: queue outside its RAM notified"
sleep 1
# Over its device tree (at 0x40000000, kept by Linux): the FDT header as
# descriptors, its structure block's first words as the available ring.
forge 0x40000000 0x40000040 0x40001000
echo "LINUX-HOSTILE: queue over its device tree notified"
sleep 1
echo "LINUX-HOSTILE: writing $hostile"
devmem $hostile 32 0xdeadbeef
echo "LINUX-HOSTILE: the write went through"
poweroff -f
"""

# The disk benchmark's /init: the same modules, then the reader, quietly.
BENCH_INIT = b"""#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
for m in virtio_ring virtio virtio_mmio virtio_blk; do
	/bin/busybox insmod /lib/modules/$m.ko || echo "LINUX-DISK: insmod $m failed"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do /bin/busybox sleep 0.1; i=$((i+1)); done
exec /diskread
"""


def main():
    args = sys.argv[1:]
    bench = None
    if args[:1] == ["--bench"]:
        bench, args = args[1], args[2:]
    busybox, modules, out = args
    with open(busybox, "rb") as f:
        bb = f.read()
    c = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp", "sbin", "usr", "usr/bin", "usr/sbin", "lib", "lib/modules"):
        c.add(d, S_IFDIR | 0o755)
    c.add("dev/console", S_IFCHR | 0o600, rdev=(5, 1))
    c.add("dev/null", S_IFCHR | 0o666, rdev=(1, 3))
    c.add("bin/busybox", S_IFREG | 0o755, bb)
    c.add("bin/sh", S_IFLNK | 0o777, b"busybox")
    for m in MODULES:
        with open(os.path.join(modules, m), "rb") as f:
            c.add("lib/modules/" + os.path.basename(m), S_IFREG | 0o644, f.read())
    if bench:
        with open(bench, "rb") as f:
            c.add("diskread", S_IFREG | 0o755, f.read())
    c.add("init", S_IFREG | 0o755, BENCH_INIT if bench else INIT)
    with open(out, "wb") as f:
        f.write(gzip.compress(c.trailer(), mtime=0))


if __name__ == "__main__":
    main()
