#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The one QEMU command line of the project.

`make run`, `make qemu`, `make debug`, the system tests (tests/system/harness.py)
and the benchmarks (tests/bench/bench.py) all boot through command() so that
every one of them runs the same machine: QEMU's virt board with the CPU,
memory and interrupt controller of the system description, and nothing else.

`-nodefaults` keeps QEMU from adding the devices a default PC-style set-up has
(a network card whose option ROM, efi-virtio.rom, comes from the ipxe-qemu
package that a minimal Debian lacks, a default serial and monitor); the virt
board's own devices (PL011, PL031, GIC, the empty virtio-mmio transports)
stay, because they are part of the board. The only files QEMU opens are the
images given here: no ROM, firmware or data file.

The hypervisor image goes in raw at its link address, and core 0 starts
there at EL2, with QEMU's generic loader (`-device loader`): -kernel would
also write QEMU's own device tree at RAM base + 128 MiB, where the image store
may lie (the hypervisor reads nothing from that tree). The partition images
and guest device trees, which are not part of the hypervisor image, go into
their slots of the image store with one `-device loader,...,force-raw=on`
each, from bhcc's load list (GENDIR/load.list, beside the image as
gen/load.list). A partition program run natively still boots with -kernel.

x86: QEMU's q35 with AMD SVM under TCG (-cpu EPYC), the hypervisor as a
multiboot v1 kernel (bulkhead.mb.elf, -kernel), the load list as on arm64;
COM1 is the hypervisor's console, COM2 goes nowhere (-serial null) but
exists, for a partition to own (x86_command()).

Boards: QEMU's virt board (the default) and its ZCU102 model
(`xlnx-zcu102`: 4 x Cortex-A53, GIC-400, Cadence UARTs, the ZynqMP memory
map; docs/boards.md), chosen by the board's compatible string (BH_BOARD in
gen/system.mk). On the ZCU102 the first -serial is UART0.

As a program: scripts/qemu.py --system-mk build/gen/system.mk --image
build/bulkhead.bin [--gdb] [--print]; it replaces itself with QEMU.
"""
import argparse
import os
import re
import shlex
import sys

BINARY = "qemu-system-aarch64"
X86_BINARY = "qemu-system-x86_64"
X86_CPU = "EPYC"   # SVM with nested paging under TCG
CPU = "cortex-a72"
# Memory of a native run (a partition program at EL1 without the hypervisor).
NATIVE_MEM_MIB = 512
# -icount for measurements: one instruction is one tick of the 62.5 MHz
# virtual counter, and virtual time jumps over WFI instead of following the host.
ICOUNT_EXACT = "shift=4,sleep=off"


def read_system_mk(path):
    """The variables bhcc wrote to gen/system.mk, as a dict of strings."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(\w[\w-]*)\s*:=\s*(.*?)\s*(#.*)?$", line)
            if m:
                out[m.group(1)] = m.group(2)
    return out


# Where QEMU's virt board has its RAM: -m bytes from here (bhcc refuses RAM elsewhere on it).
VIRT_RAM_BASE = 0x40000000
# The ZynqMP's DDR: the first 2 GiB of -m at 0 (DDR low), the rest at 32 GiB (DDR high).
ZYNQMP_DDR_LOW_SIZE = 0x80000000
ZYNQMP_DDR_HIGH_BASE = 0x800000000

# The QEMU machine of each board, by the first string of its compatible (BH_BOARD).
VIRT = "virt"
ZCU102 = "xlnx-zcu102"
Q35 = "q35"
MACHINES = {"qemu,virt": VIRT, "xlnx,zynqmp-zcu102-rev1.0": ZCU102, "xlnx,zynqmp-zcu102": ZCU102,
            "qemu,q35": Q35}


def machine_of(system_vars):
    """The QEMU machine that models the description's board (virt for a build without BH_BOARD)."""
    board = system_vars.get("BH_BOARD", "qemu,virt")
    if board not in MACHINES:
        raise ValueError(f"board '{board}' has no QEMU model here (known: {', '.join(sorted(MACHINES))})")
    return MACHINES[board]


def ram_mib(system_vars):
    """QEMU's -m for the board, in whole MiB. virt's RAM starts at 1 GiB whatever the description
    uses of it, so -m reaches from there to the end of the description's highest RAM range. The
    ZCU102's starts at 0 (DDR low, 2 GiB) and goes on at 32 GiB (DDR high)."""
    base = int(system_vars["BH_RAM_BASE"], 0)
    end = base + int(system_vars["BH_RAM_SIZE"], 0)
    if machine_of(system_vars) == Q35:
        return -(-end // (1 << 20))   # q35's RAM starts at 0 (below 2.75 GiB)
    if machine_of(system_vars) == ZCU102:
        high = max(0, end - ZYNQMP_DDR_HIGH_BASE)
        return -(-(ZYNQMP_DDR_LOW_SIZE + high if high else end) // (1 << 20))
    if base < VIRT_RAM_BASE:
        raise ValueError(f"board RAM from {base:#x}: QEMU's virt board has RAM only from {VIRT_RAM_BASE:#x}")
    return -(-(end - VIRT_RAM_BASE) // (1 << 20))


def read_load_list(path):
    """bhcc's load list as (kind, partition, address, size, file) tuples."""
    out = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            kind, part, addr, size, file = line.rstrip("\n").split(" ", 4)
            out.append((kind, part, int(addr, 0), int(size, 0), file))
    return out


def loader_args(load_list):
    """One QEMU generic loader device per file of the load list, raw at its host address."""
    args = []
    for _kind, _part, addr, _size, file in read_load_list(load_list):
        if "," in file:
            raise ValueError(f"{file}: QEMU's -device option cannot take a file name with a comma")
        args += ["-device", f"loader,file={file},addr={addr:#x},force-raw=on"]
    return args


def default_load_list(image):
    """Where bhcc wrote the load list of the build that made `image`."""
    return os.path.join(os.path.dirname(os.path.abspath(image)), "gen", "load.list")


def command(image, *, gic, cpus, mem_mib, hypervisor=True, interactive=False, icount=None, plugin=None,
            gdb=False, cpu=CPU, extra=(), load_list=None, entry=None, bios=None, machine=VIRT):
    """The argument list that boots `image` on the virt board (or `machine`: ZCU102, whose cores and
    interrupt controller are fixed: `gic` and `cpu` do not apply to it).

    hypervisor: EL2 is available (virtualization=on, PSCI over SMC); without it
    the image runs at EL1 as a guest would natively (PSCI over HVC).
    interactive: the console and QEMU's monitor share the terminal, with
    QEMU's escape key moved from Ctrl-a to Ctrl-] (Ctrl-] x quits) so that
    Ctrl-a reaches the service partition (its focus key); otherwise the console is stdout and there is no monitor.
    icount: an -icount option string (ICOUNT_EXACT for exact instruction counts).
    plugin: a TCG plugin argument string (path,arg=...,...).
    gdb: start stopped, with a gdb server on :1234.
    cpu: the CPU model (tests use "max" for features the default core lacks).
    load_list: bhcc's load list; its files are loaded beside the image.
    entry: load `image` raw there and start core 0 there (the hypervisor); None: -kernel.
    bios: firmware for the board's flash (U-Boot), which then loads everything; image is None.
    """
    if machine == ZCU102:
        # Its DisplayPort's audio wants a back end: none, named, rather than the host's sound card.
        args = [BINARY, "-nodefaults", "-machine", ZCU102 + (",virtualization=on" if hypervisor else ""),
                "-smp", str(cpus), "-m", f"{mem_mib}M", "-display", "none", "-audiodev", "none,id=noaudio"]
    else:
        args = [BINARY, "-nodefaults", "-machine", f"virt,gic-version={gic}" + (",virtualization=on" if hypervisor else ""),
                "-cpu", cpu, "-smp", str(cpus), "-m", f"{mem_mib}M", "-display", "none"]
    args += ["-serial", "mon:stdio", "-echr", "0x1d"] if interactive else ["-serial", "stdio", "-monitor", "none"]
    args += ["-no-reboot"]
    if icount:
        args += ["-icount", icount]
    if plugin:
        # The plugin's counters assume one vCPU at a time (tools/qemu-plugin/tracepoints.c);
        # -icount runs them so, otherwise multi-threaded TCG would race its callbacks.
        args += ([] if icount else ["-accel", "tcg,thread=single"]) + ["-plugin", plugin]
    if gdb:
        args += ["-s", "-S"]
    if load_list:
        args += loader_args(load_list)
    if bios:
        return args + list(extra) + ["-bios", bios]
    if entry is None:
        return args + list(extra) + ["-kernel", image]
    if "," in image:
        raise ValueError(f"{image}: QEMU's -device option cannot take a file name with a comma")
    return args + list(extra) + ["-device", f"loader,file={image},addr={entry:#x},force-raw=on",
                                 "-device", f"loader,addr={entry:#x},cpu-num=0"]


def x86_command(image, *, cpus, mem_mib, interactive=False, load_list=None, extra=(), icount=None, plugin=None):
    """The q35 machine that boots `image` (bulkhead.mb.elf, or a partition program's ELF32 run
    natively) as a multiboot v1 kernel: SVM with nested paging under TCG, COM1 on the terminal
    (as command() does), COM2 present but connected to nothing. icount and plugin as for command()."""
    # The plugin's counters assume one vCPU at a time, as -icount runs them (command()).
    accel = "tcg,thread=single" if (plugin and not icount) else "tcg"
    args = [X86_BINARY, "-nodefaults", "-machine", Q35, "-accel", accel, "-cpu", X86_CPU, "-smp", str(cpus),
            "-m", f"{mem_mib}M", "-display", "none"]
    if icount:
        args += ["-icount", icount]
    if plugin:
        args += ["-plugin", plugin]
    args += ["-serial", "mon:stdio", "-echr", "0x1d"] if interactive else ["-serial", "stdio", "-monitor", "none"]
    args += ["-serial", "null", "-no-reboot"]
    if load_list:
        args += loader_args(load_list)
    # The board's PCI function (configs/boards/qemu-x86_64.dtsi): QEMU's edu at 00:03.0, after `extra`,
    # which may add the IOMMU: an IOMMU translates only the PCI devices created after it.
    return args + list(extra) + ["-device", "edu,addr=03.0", "-kernel", image]


def x86_native_command(elf, *, mem_mib=128):
    """A partition program for x86_64 run without the hypervisor (ELF32, multiboot v1) on the
    same q35 machine, with a CPU without SVM: the runtime finds no Bulkhead CPUID leaf, prints
    to COM1 itself and powers off through ACPI."""
    args = x86_command(elf, cpus=1, mem_mib=mem_mib)
    args[args.index("-cpu") + 1] = "qemu64"
    return args


def disk_args(disks):
    """The board's block devices (the description's /disks) backed by raw image files. QEMU 7.2's
    virtio-mmio speaks the legacy version 1 unless told otherwise; the service partition and the
    clients' virtual devices are virtio 1.x (docs/disk.md)."""
    args = ["-global", "virtio-mmio.force-legacy=false"] if disks else []
    for i, disk in enumerate(disks):
        if "," in disk:
            raise ValueError(f"{disk}: QEMU's -drive option cannot take a file name with a comma")
        args += ["-drive", f"file={disk},if=none,id=disk{i},format=raw", "-device", f"virtio-blk-device,drive=disk{i}"]
    return args


def make_disks(system_vars, directory):
    """A zeroed raw image per /disks node (gen/system.mk's BH_DISK_SECTORS) in `directory`, kept if
    it is there already and large enough; returns their paths."""
    paths = []
    for i, sectors in enumerate(system_vars.get("BH_DISK_SECTORS", "").split()):
        path = os.path.join(directory, f"disk{i}.img")
        size = int(sectors) * 512
        if not os.path.exists(path) or os.path.getsize(path) < size:
            with open(path, "ab") as f:
                f.truncate(size)
        paths.append(path)
    return paths


def system_command(system_vars, image, *, disks=(), extra=(), **kw):
    """command() for a built system: its board's GIC, cores and RAM (gen/system.mk), the
    partition images of its load list (gen/load.list beside the image unless load_list= names one)
    and `disks`, image files for its block devices."""
    kw.setdefault("load_list", default_load_list(image))
    kw["extra"] = list(extra) + disk_args(disks)
    if machine_of(system_vars) == Q35:
        if system_vars.get("BH_X86_IOMMU") == "amd":   # the board's AMD IOMMU (configs/boards/qemu-x86_64-iommu.dtsi)
            kw["extra"] = ["-device", "amd-iommu"] + kw["extra"]
        elif system_vars.get("BH_X86_IOMMU") == "intel":   # its VT-d unit (configs/boards/qemu-x86_64-vtd.dtsi)
            kw["extra"] = ["-device", "intel-iommu"] + kw["extra"]
        return x86_command(image, cpus=system_vars["BH_NUM_CORES"], mem_mib=ram_mib(system_vars),
                           interactive=kw.get("interactive", False), load_list=kw["load_list"], extra=kw["extra"],
                           icount=kw.get("icount"), plugin=kw.get("plugin"))
    return command(image, gic=system_vars["BH_GIC_VERSION"], cpus=system_vars["BH_NUM_CORES"],
                   mem_mib=ram_mib(system_vars), entry=int(system_vars["BH_HYP_LINK"], 0),
                   machine=machine_of(system_vars), **kw)


# Debian's u-boot-qemu: U-Boot for QEMU's arm64 virt board, started as the board's firmware.
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"


def uboot_command(system_vars, disk, *, interactive=False, uboot=UBOOT):
    """The board of system_command() booted as a board boots: U-Boot as its firmware (at EL2) and
    `disk` (scripts/uboot_disk.py: bulkhead.itb and boot.scr on FAT) as a virtio block device."""
    if "," in disk:
        raise ValueError(f"{disk}: QEMU's -drive option cannot take a file name with a comma")
    return command(None, gic=system_vars["BH_GIC_VERSION"], cpus=system_vars["BH_NUM_CORES"],
                   mem_mib=ram_mib(system_vars), interactive=interactive, bios=uboot,
                   extra=["-drive", f"if=none,format=raw,file={disk},id=bootdisk",
                          "-device", "virtio-blk-device,drive=bootdisk"])


def native_command(elf, gic, cpus, **kw):
    """command() for a partition program run without the hypervisor, on the same board."""
    return command(elf, gic=gic, cpus=cpus, mem_mib=NATIVE_MEM_MIB, hypervisor=False, **kw)


def main():
    ap = argparse.ArgumentParser(description="Boot a built Bulkhead system in QEMU.")
    ap.add_argument("--system-mk", required=True, help="gen/system.mk of the build")
    ap.add_argument("--image", required=True, help="the hypervisor image (bulkhead.bin)")
    ap.add_argument("--gdb", action="store_true", help="start stopped with a gdb server on :1234")
    ap.add_argument("--uboot-disk", help="boot through U-Boot from this disk (scripts/uboot_disk.py)")
    ap.add_argument("--disk", action="append", default=[],
                    help="a raw image for the board's next block device (repeatable)")
    ap.add_argument("--make-disks", metavar="DIR",
                    help="give each of the description's /disks a zeroed image in DIR (kept between runs)")
    ap.add_argument("--print", action="store_true", help="print the command instead of running it")
    a = ap.parse_args()
    try:
        if a.uboot_disk:
            args = uboot_command(read_system_mk(a.system_mk), a.uboot_disk, interactive=True)
        else:
            system_vars = read_system_mk(a.system_mk)
            disks = a.disk or (make_disks(system_vars, a.make_disks) if a.make_disks else [])
            args = system_command(system_vars, a.image, interactive=True, gdb=a.gdb, disks=disks)
    except ValueError as e:
        # A board without a QEMU model (docs/boards.md: make flash, make sdcard) or a bad file name.
        print(f"qemu.py: {e}", file=sys.stderr)
        return 1
    if a.print:
        print(shlex.join(args))
        return 0
    sys.stdout.flush()
    os.execvp(args[0], args)
    return 1


if __name__ == "__main__":
    sys.exit(main())
