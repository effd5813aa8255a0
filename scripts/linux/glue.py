#!/usr/bin/python3
"""Glue an arm64 Linux Image and an initramfs into one partition image.

A stop-gap until bhcc places an initramfs as a file of its own (`initrd`):
the kernel goes first, the initramfs at INITRD_OFFSET behind it, zero-padded
to INITRD_MAX so that the fixed `initrd=0x42000000,16M` of
configs/qemu-aarch64-virt-linux.dts covers it exactly (Linux's initramfs
unpacker skips zero padding after an archive). The offset is checked against
the Image header's image_size so the initramfs never lands in the kernel's BSS.

Usage: glue.py IMAGE INITRD OUT
"""
import struct
import sys

INITRD_OFFSET = 0x1e00000   # kernel at 0x40200000 -> initrd at 0x42000000
INITRD_MAX = 16 << 20       # the "16M" of the command line


def fail(msg):
    sys.stderr.write(f"glue.py: {msg}\n")
    sys.exit(1)


def main():
    image_path, initrd_path, out = sys.argv[1:4]
    with open(image_path, "rb") as f:
        image = f.read()
    with open(initrd_path, "rb") as f:
        initrd = f.read()
    if len(image) < 64 or image[56:60] != b"ARM\x64":
        fail(f"{image_path}: not an arm64 Linux Image (no 'ARM\\x64' magic at offset 56; "
             "a vmlinuz may need gunzip)")
    text_offset, image_size = struct.unpack_from("<QQ", image, 8)
    end = text_offset + max(image_size, len(image))
    if end > INITRD_OFFSET:
        fail(f"{image_path}: the kernel needs 0x{end:x} bytes from its load address, more than "
             f"the 0x{INITRD_OFFSET:x} before the initramfs; move the initramfs in "
             "configs/qemu-aarch64-virt-linux.dts and here")
    if len(initrd) > INITRD_MAX:
        fail(f"{initrd_path}: {len(initrd)} bytes, more than the {INITRD_MAX} the command line gives")
    with open(out, "wb") as f:
        f.write(image)
        f.write(b"\0" * (INITRD_OFFSET - len(image)))
        f.write(initrd)
        f.write(b"\0" * (INITRD_MAX - len(initrd)))


if __name__ == "__main__":
    main()
