#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks, right after the link, that the hypervisor image fits the hypervisor region of the
system description, and says by how much it does not: the node, the image's size from its link
address and what the region leaves there (REQ-BLD-005). The linker cannot print a size in its
own message, and bhcc cannot know the image's size before the link.

scripts/check-image-fit.py --nm NM --elf bulkhead.elf --source SYSTEM --node /hypervisor@X
    --base BH_HYP_BASE --size BH_HYP_SIZE --link BH_HYP_LINK
"""
import argparse
import subprocess
import sys


def size_text(n):
    for shift, unit in ((30, "GiB"), (20, "MiB"), (10, "KiB")):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} bytes"


def image_end(nm, elf):
    out = subprocess.run([nm, "-P", elf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 3 and f[0] == "__image_end":
            return int(f[2], 16)
    raise SystemExit(f"{elf}: no __image_end symbol (arch/arm64/hypervisor.lds defines it)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("nm", "elf", "source", "node", "base", "size", "link"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()
    base, size, link = int(a.base, 0), int(a.size, 0), int(a.link, 0)
    need = image_end(a.nm, a.elf) - link
    room = base + size - link
    if need <= room:
        return 0
    print(f"{a.source}: {a.node}: reg: the hypervisor image does not fit: it needs {need:#x} bytes "
          f"({size_text(need)}) from its link address {link:#x}, the region leaves {room:#x} bytes "
          f"({size_text(room)}) there; make the region at least {link - base + need:#x} bytes",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
