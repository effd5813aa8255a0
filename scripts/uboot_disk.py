#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Makes the boot disk `make run-uboot` gives Debian's U-Boot for QEMU's virt board: a raw disk
image with an MBR and one FAT partition (made without root by mtools) holding bulkhead.itb and
boot.scr, the script U-Boot's distro boot finds and runs: it loads the FIT into free RAM above the
image store and boots it with `bootm`, which checks every sub-image's sha256 before it copies the
partition images to their slots and enters the hypervisor at EL2 (with U-Boot's device tree in x0,
which bootm needs for an arm64 "linux" kernel and the hypervisor does not read). When bootm refuses
the FIT, the script says so and powers the board off.

The same disk is a board's SD card (`make sdcard`), with what the board's boot ROM or firmware
reads before U-Boot (BOARDS below, docs/boards.md):
- ZynqMP (ZCU102): the boot ROM reads BOOT.BIN (first-stage loader, PMU firmware, TF-A, U-Boot; made
  by Xilinx's bootgen) from the FAT partition, given with --boot-bin.
- Raspberry Pi 4: the VideoCore's firmware (start4.elf, fixup4.dat, the board's DTB and overlays,
  given as a folder with --rpi-firmware) reads config.txt, written here: TF-A's BL31 as the armstub
  (--bl31-bin bl31.bin, PSCI for the secondary cores), U-Boot as the kernel (--uboot-bin u-boot.bin).
- i.MX 8M Plus: the boot ROM reads the boot image (imx-mkimage's flash.bin: SPL, DDR firmware,
  TF-A, U-Boot; --flash-bin) raw from byte 32 KiB of the card; the FAT partition starts at 8 MiB,
  past it.
Each board's U-Boot distro boot then runs boot.scr. A file a board does not read is refused.

scripts/uboot_disk.py --system-mk GENDIR/system.mk --itb bulkhead.itb --out uboot-disk.img
    [--boot-bin BOOT.BIN] [--rpi-firmware DIR --uboot-bin u-boot.bin --bl31-bin bl31.bin] [--flash-bin flash.bin]
"""
import argparse
import os
import shutil
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

# Per board (BH_BOARD): the options it takes, where its FAT partition starts (sectors) and where its
# boot ROM reads a raw boot image (bytes), if it does.
RPI4_CONFIG_TXT = """# Written by scripts/uboot_disk.py for Bulkhead (docs/boards.md).
# 64-bit; TF-A's BL31 as the armstub gives the hypervisor PSCI for its secondary cores;
# U-Boot is the kernel the firmware starts, and runs boot.scr from this partition.
arm_64bit=1
armstub=bl31.bin
kernel=u-boot.bin
enable_gic=1
# The PL011 (UART0, the hypervisor's console) on GPIO 14/15, its clock fixed.
enable_uart=1
dtoverlay=disable-bt
# JTAG on GPIO 22-27 for make flash.
enable_jtag_gpio=1
"""
BOARDS = {
    "qemu,virt": {"options": ()},
    "xlnx,zynqmp-zcu102-rev1.0": {"options": ("boot_bin",)},
    "raspberrypi,4-model-b": {"options": ("rpi_firmware", "uboot_bin", "bl31_bin"), "config_txt": RPI4_CONFIG_TXT},
    "fsl,imx8mp-evk": {"options": ("flash_bin",), "part_start": (8 << 20) // SECTOR, "raw_offset": 32 << 10},
}
BOARDS["xlnx,zynqmp-zcu102"] = BOARDS["xlnx,zynqmp-zcu102-rev1.0"]
NEEDS = {"boot_bin": "BOOT.BIN (Xilinx's bootgen)", "rpi_firmware": "Raspberry Pi firmware (start4.elf, ...)",
         "uboot_bin": "u-boot.bin", "bl31_bin": "TF-A's bl31.bin", "flash_bin": "boot image (imx-mkimage's flash.bin)"}


def fit_address(system_vars):
    """Free RAM for the FIT while U-Boot loads it: above the image store, 2 MiB aligned."""
    end = int(system_vars["BH_STORE_BASE"], 0) + int(system_vars["BH_STORE_SIZE"], 0)
    end = max(end, int(system_vars["BH_HYP_BASE"], 0) + int(system_vars["BH_HYP_SIZE"], 0))
    return -(-end // ALIGN) * ALIGN


def mbr(sectors, start=PART_START):
    """A DOS partition table with one bootable FAT32 (LBA) partition from `start` to the end."""
    entry = struct.pack("<B3sB3sII", 0x80, b"\xff\xff\xfe", FAT32_LBA, b"\xff\xff\xfe",
                        start, sectors - start)
    return bytes(446) + entry + bytes(48) + b"\x55\xaa"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("system-mk", "itb", "out"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--boot-bin", help="ZynqMP: the boot ROM's BOOT.BIN, copied beside the FIT")
    ap.add_argument("--rpi-firmware", help="Raspberry Pi 4: the firmware's boot folder, copied to the partition")
    ap.add_argument("--uboot-bin", help="Raspberry Pi 4: U-Boot (u-boot.bin), the kernel config.txt names")
    ap.add_argument("--bl31-bin", help="Raspberry Pi 4: TF-A's BL31 (bl31.bin), the armstub config.txt names")
    ap.add_argument("--flash-bin", help="i.MX 8M Plus: the boot image, written raw at 32 KiB")
    a = ap.parse_args()
    v = qemu.read_system_mk(a.system_mk)
    board_name = v.get("BH_BOARD", "qemu,virt")
    board = BOARDS.get(board_name)
    if board is None:
        print(f"board '{board_name}' has no boot medium recipe (known: {', '.join(sorted(BOARDS))})", file=sys.stderr)
        return 1
    for opt in ("boot_bin", "rpi_firmware", "uboot_bin", "bl31_bin", "flash_bin"):
        given = getattr(a, opt)
        if given and opt not in board["options"]:
            print(f"--{opt.replace('_', '-')}: board '{board_name}' does not read it", file=sys.stderr)
            return 1
        if given and not os.path.exists(given):
            print(f"{given}: not found", file=sys.stderr)
            return 1
    start = board.get("part_start", PART_START)
    addr = fit_address(v)
    ram_end = int(v["BH_RAM_BASE"], 0) + int(v["BH_RAM_SIZE"], 0)
    # U-Boot relocates itself to the top of RAM: keep the FIT well below it.
    if addr + os.path.getsize(a.itb) > ram_end - (64 << 20):
        print(f"{a.itb}: no room for the FIT above the image store below U-Boot's own memory", file=sys.stderr)
        return 1
    sectors = DISK_MIB * (1 << 20) // SECTOR
    tmp = a.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(mbr(sectors, start))
        if a.flash_bin:
            raw = open(a.flash_bin, "rb").read()
            if board["raw_offset"] + len(raw) > start * SECTOR:
                print(f"{a.flash_bin}: {len(raw)} bytes from {board['raw_offset']} overrun the FAT partition "
                      f"at {start * SECTOR}", file=sys.stderr)
                return 1
            f.seek(board["raw_offset"])
            f.write(raw)
        f.truncate(sectors * SECTOR)
    part = f"{tmp}@@{start * SECTOR}"
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
        subprocess.run(["mformat", "-i", part, "-F", "-v", "BULKHEAD", "-T", str(sectors - start),
                        "::"], check=True, env=env)
        files = [scr, a.itb]
        if "config_txt" in board:
            cfg = os.path.join(d, "config.txt")
            with open(cfg, "w") as f:
                f.write(board["config_txt"])
            files.append(cfg)
        for given, name in ((a.boot_bin, None), (a.uboot_bin, "u-boot.bin"), (a.bl31_bin, "bl31.bin")):
            if given:
                # Under the name config.txt gives it, whatever the file is called here.
                files.append(given if name is None else shutil.copy(given, os.path.join(d, name)))
        if a.rpi_firmware:
            files += [os.path.join(a.rpi_firmware, n) for n in sorted(os.listdir(a.rpi_firmware))]
        subprocess.run(["mcopy", "-s", "-i", part] + files + ["::"], check=True, env=env)
    os.replace(tmp, a.out)
    # The board cannot boot from the card without these; say so rather than leave it to the board.
    for opt in board["options"]:
        if not getattr(a, opt):
            print(f"  {a.out} has no {NEEDS[opt]}: give {opt.upper()}=<file> (docs/boards.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
