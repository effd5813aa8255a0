#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Makes the boot disk `make run-uboot` gives Debian's U-Boot for QEMU's virt board: a raw disk
image with an MBR and one FAT partition (made without root by mtools) holding bulkhead.itb and
boot.scr, the script U-Boot's distro boot finds and runs: it loads the FIT into free RAM above the
image store and boots it with `bootm`, which checks every sub-image's sha256 before it copies the
partition images to their slots and enters the hypervisor at EL2 (with U-Boot's device tree in x0,
which bootm needs for an arm64 "linux" kernel and the hypervisor does not read). When bootm refuses
the FIT, the script says so and powers the board off.

The same disk is a board's SD card (`make sdcard`): a ZynqMP's boot ROM reads BOOT.BIN (first-stage
loader, PMU firmware, TF-A, U-Boot; made by Xilinx's bootgen) from that FAT partition, given with
--boot-bin, and its U-Boot's distro boot runs boot.scr.

scripts/uboot_disk.py --system-mk GENDIR/system.mk --itb bulkhead.itb --out uboot-disk.img [--boot-bin BOOT.BIN]
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile

import qemu

SECTOR = 512
PART_START = 2048          # 1 MiB, where partitioning tools start the first partition
DISK_MIB = 64
FAT32_LBA = 0x0c
ALIGN = 2 << 20


def fit_address(system_vars):
    """Free RAM for the FIT while U-Boot loads it: above the image store, 2 MiB aligned."""
    end = int(system_vars["BH_STORE_BASE"], 0) + int(system_vars["BH_STORE_SIZE"], 0)
    end = max(end, int(system_vars["BH_HYP_BASE"], 0) + int(system_vars["BH_HYP_SIZE"], 0))
    return -(-end // ALIGN) * ALIGN


def mbr(sectors):
    """A DOS partition table with one bootable FAT32 (LBA) partition from PART_START to the end."""
    entry = struct.pack("<B3sB3sII", 0x80, b"\xff\xff\xfe", FAT32_LBA, b"\xff\xff\xfe",
                        PART_START, sectors - PART_START)
    return bytes(446) + entry + bytes(48) + b"\x55\xaa"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("system-mk", "itb", "out"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--boot-bin", help="the board firmware's boot image, copied beside the FIT")
    a = ap.parse_args()
    v = qemu.read_system_mk(a.system_mk)
    addr = fit_address(v)
    ram_end = int(v["BH_RAM_BASE"], 0) + int(v["BH_RAM_SIZE"], 0)
    # U-Boot relocates itself to the top of RAM: keep the FIT well below it.
    if addr + os.path.getsize(a.itb) > ram_end - (64 << 20):
        print(f"{a.itb}: no room for the FIT above the image store below U-Boot's own memory", file=sys.stderr)
        return 1
    sectors = DISK_MIB * (1 << 20) // SECTOR
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(mbr(sectors))
        f.truncate(sectors * SECTOR)
    part = f"{tmp}@@{PART_START * SECTOR}"
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "boot.cmd")
        with open(script, "w") as f:
            f.write("echo Bulkhead: loading bulkhead.itb\n"
                    f"load ${{devtype}} ${{devnum}}:${{distro_bootpart}} {addr:#x} bulkhead.itb\n"
                    f"bootm {addr:#x}#conf-1 - ${{fdtcontroladdr}}\n"
                    "echo Bulkhead: bootm refused the image\n"
                    # Nothing else on the board is meant to boot: power off rather than try.
                    "poweroff\n")
        scr = os.path.join(d, "boot.scr")
        subprocess.run(["mkimage", "-A", "arm64", "-T", "script", "-C", "none", "-n", "Bulkhead",
                        "-d", script, scr], check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        subprocess.run(["mformat", "-i", part, "-F", "-v", "BULKHEAD", "-T", str(sectors - PART_START),
                        "::"], check=True, env=env)
        subprocess.run(["mcopy", "-i", part, scr, a.itb] + ([a.boot_bin] if a.boot_bin else []) + ["::"],
                       check=True, env=env)
    os.replace(tmp, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
