#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Build the test initramfs: a gzip'd cpio (newc) archive with a static busybox
and an /init that prints a marker, mounts proc and sys, and runs a shell on the
console. Written here because Debian's minimal install has no cpio, and so that
no root is needed (owners and device nodes are set in the archive, not on disk).

Usage: mkinitramfs.py BUSYBOX OUT.cpio.gz
       mkinitramfs.py --init PROGRAM OUT.cpio.gz   (PROGRAM is /init, alone: the boot benchmark)
"""
import gzip
import sys

INIT = b"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "BULKHEAD-LINUX-INIT-OK cpus=$(nproc)"
# A console with job control: setsid gives the shell the console as its
# controlling terminal, so CTRL-C reaches the command it runs.
exec setsid -c sh </dev/console >/dev/console 2>&1
"""

S_IFDIR, S_IFREG, S_IFCHR, S_IFLNK = 0o040000, 0o100000, 0o020000, 0o120000


class Cpio:
    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def add(self, name, mode, data=b"", rdev=(0, 0)):
        name_b = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
        self.ino += 1
        self.out += b"070701" + b"".join(b"%08X" % f for f in fields) + name_b
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)

    def trailer(self):
        self.add("TRAILER!!!", 0)
        return bytes(self.out)


def only_init(program, out):
    with open(program, "rb") as f:
        init = f.read()
    c = Cpio()
    c.add("dev", S_IFDIR | 0o755)
    c.add("dev/console", S_IFCHR | 0o600, rdev=(5, 1))
    c.add("init", S_IFREG | 0o755, init)
    with open(out, "wb") as f:
        f.write(gzip.compress(c.trailer(), mtime=0))


def main():
    if sys.argv[1] == "--init":
        only_init(sys.argv[2], sys.argv[3])
        return
    busybox, out = sys.argv[1], sys.argv[2]
    with open(busybox, "rb") as f:
        bb = f.read()
    c = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp", "sbin", "usr", "usr/bin", "usr/sbin"):
        c.add(d, S_IFDIR | 0o755)
    c.add("dev/console", S_IFCHR | 0o600, rdev=(5, 1))
    c.add("dev/null", S_IFCHR | 0o666, rdev=(1, 3))
    c.add("bin/busybox", S_IFREG | 0o755, bb)
    c.add("bin/sh", S_IFLNK | 0o777, b"busybox")
    c.add("init", S_IFREG | 0o755, INIT)
    with open(out, "wb") as f:
        f.write(gzip.compress(c.trailer(), mtime=0))


if __name__ == "__main__":
    main()
