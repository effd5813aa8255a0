# SPDX-License-Identifier: MIT
"""`make bench`'s Linux rows: Debian's arm64 cloud kernel booted to its first user
instruction under Bulkhead and natively, on the same QEMU under the same -icount; and the
same kernel reading its 16 MiB disk (disk_section).

The kernel is the Linux example's (scripts/linux/fetch.sh, cached in build/linux); its
initramfs holds only tests/bench/linux/init.S, a static program linked at INIT_ENTRY, so
the plugin's point at that address is where the boot ends on both runs. Counted: all
cores' instructions up to that point (under Bulkhead: the hypervisor's and the service
partition's too), and the boot core's alone for reference. The
command line is the same on both (`quiet nokaslr`: the console's cost and a random
kernel placement are not what is measured)."""
import os
import re
import subprocess

import qemu as board

INIT_ENTRY = 0x400000
DTS = "tests/bench/linux/linux-bench.dts"
CMDLINE = "console=ttyAMA0 quiet nokaslr panic=-1"
MEM_MIB = 256
TARGET = "<= 1.05"
TIMEOUT = 600


def _prepare(srctree, out):
    """Fetches the kernel (cached) and builds the benchmark's initramfs; returns the Image or raises."""
    linux = os.path.join(srctree, "build", "linux")
    r = subprocess.run([os.path.join(srctree, "scripts/linux/fetch.sh"), linux], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"no Linux guest: scripts/linux/fetch.sh: {r.stdout.strip().splitlines()[-1:]}")
    os.makedirs(out, exist_ok=True)
    init = os.path.join(out, "init")
    subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-no-pie", f"-Wl,-Ttext={INIT_ENTRY:#x}",
                    "-Wl,--build-id=none", "-o", init, os.path.join(srctree, "tests/bench/linux/init.S")],
                   check=True)
    subprocess.run([os.path.join(srctree, "scripts/linux/mkinitramfs.py"), "--init", init,
                    os.path.join(linux, "bench.initrd")], check=True)
    # guest.Image is what the Linux example boots (scripts/linux/linux.mk copies it from Image).
    image = os.path.join(linux, "guest.Image")
    if not os.path.exists(image):
        subprocess.run(["cp", os.path.join(linux, "Image"), image], check=True)
    return image


def _point(report):
    """(boot core's own, all cores') instructions at the init point, or None."""
    if not os.path.exists(report):
        return None
    with open(report) as f:
        for line in f:
            m = re.match(r"bh-plugin: point init cpu (\d+) total (\d+) cpu_insns (\d+)", line)
            if m:
                return int(m.group(3)), int(m.group(2))
    return None


def _run(args, log):
    with open(log, "w") as f:
        try:
            subprocess.run(args, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT, timeout=TIMEOUT,
                           check=False)
        except subprocess.TimeoutExpired:
            f.write(f"\n(killed after {TIMEOUT} s)\n")


def section(srctree, build, plugin, icount, notes):
    """Builds and runs both boots with bench.py's `build(name, dts)` -> (out, vars); returns markdown lines."""
    md = ["## Linux boot: instructions to its first user instruction", ""]
    out = os.path.join(os.path.dirname(os.path.dirname(plugin)), "bench", "linux-boot-guest")
    try:
        image = _prepare(srctree, out)
        hyp_out, v = build("linux-boot", DTS)
    except (RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        notes.append(f"linux boot: not measured: {e}")
        return md + ["not measured (see notes)", ""]
    point = f"point=init@{INIT_ENTRY:#x}"
    native_report = os.path.join(out, "native-plugin.txt")
    _run(board.command(image, gic=v["BH_GIC_VERSION"], cpus=2, mem_mib=MEM_MIB, hypervisor=False, icount=icount,
                       plugin=f"{plugin},{point},out={native_report}",
                       extra=["-initrd", os.path.join(srctree, "build/linux/bench.initrd"), "-append", CMDLINE]),
         os.path.join(out, "native.log"))
    hyp_report = os.path.join(out, "bulkhead-plugin.txt")
    _run(board.system_command(v, os.path.join(hyp_out, "bulkhead.bin"), icount=icount,
                              plugin=f"{plugin},{point},out={hyp_report}"),
         os.path.join(out, "bulkhead.log"))
    native, hyp = _point(native_report), _point(hyp_report)
    if native is None or hyp is None:
        notes.append(f"linux boot: the init point was not reached (see {out}/native.log, bulkhead.log)")
        return md + ["not measured (see notes)", ""]
    md += ["| Count | Native | Bulkhead | Ratio | Target |", "|---|---|---|---|---|",
           f"| all cores, reset to /init | {native[1]:,} | {hyp[1]:,} | {hyp[1] / native[1]:.3f} | {TARGET} |",
           f"| the boot core (vCPU 0) alone | {native[0]:,} | {hyp[0]:,} | {hyp[0] / native[0]:.3f} | |", ""]
    md += ["Debian 12's arm64 cloud kernel (the Linux example's), 2 vCPUs, 256 MiB, GICv3, from reset to the "
           f"first instruction of its /init ({DTS}, tests/bench/linux/init.S), natively (`-kernel`, `-smp 2`) and "
           "as a partition beside the service partition. All cores' count is the measure: every instruction the "
           "machine executed before /init, the hypervisor's and (under Bulkhead) the service partition's "
           "included. How it splits between the cores depends on timing (a secondary spins while the boot core "
           "works, and the boot core waits for it), so the boot core's figure alone is no measure of work.", ""]
    return md


DISK_DTS = "tests/bench/linux/linux-disk-bench.dts"
DISK_MIB = 16
DISK_RUNS = 3


def _points(report):
    """{point name: all vCPUs' instructions at its first execution on any vCPU}."""
    out = {}
    if os.path.exists(report):
        with open(report) as f:
            for line in f:
                m = re.match(r"bh-plugin: point (\w+) cpu \d+ total (\d+) cpu_insns \d+", line)
                if m:
                    out[m.group(1)] = min(out.get(m.group(1), int(m.group(2))), int(m.group(2)))
    return out


def _read_bytes(log):
    with open(log, errors="replace") as f:
        m = re.search(r"BULKHEAD-BENCH-DISK bytes (\d+)\r?$", f.read(), re.M)
    return int(m.group(1)) if m else None


def _prepare_disk(srctree, out):
    """The reader, its initramfs and a 16 MiB disk image; returns (Image, reader ELF, disk image)."""
    image = _prepare(srctree, out)
    linux = os.path.join(srctree, "build", "linux")
    reader = os.path.join(out, "diskread")
    subprocess.run(["aarch64-linux-gnu-gcc", "-O2", "-nostdlib", "-static", "-no-pie", "-ffreestanding",
                    "-fno-stack-protector", "-Wall", "-Wextra", "-Werror", "-Wl,--build-id=none", "-o", reader,
                    os.path.join(srctree, "tests/bench/linux/diskread.c")], check=True)
    modules = sorted(os.listdir(os.path.join(linux, "root", "lib", "modules")))[0]
    subprocess.run([os.path.join(srctree, "scripts/linux/mkinitramfs_disk.py"), "--bench", reader,
                    os.path.join(linux, "busybox"), os.path.join(linux, "root", "lib", "modules", modules),
                    os.path.join(linux, "disk-bench.initrd")], check=True)
    disk = os.path.join(out, "disk.img")
    with open(disk, "wb") as f:
        f.write(bytes((i * 131 + 7) & 0xFF for i in range(4096)) * (DISK_MIB * 256))
    return image, reader, disk


def _symbol(elf, name):
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(rf"^([0-9a-f]+) T {name}$", nm, re.M).group(1), 16)


def disk_section(srctree, build, plugin, icount, notes):
    """Linux reading its whole disk with O_DIRECT, natively on QEMU's virtio-blk and as a
    trusted-service client of the service partition; returns markdown lines."""
    md = ["## Linux disk throughput: /dev/vda read with O_DIRECT, MiB per 10^9 instructions", ""]
    out = os.path.join(os.path.dirname(os.path.dirname(plugin)), "bench", "linux-disk-guest")
    try:
        image, reader, disk = _prepare_disk(srctree, out)
        hyp_out, v = build("linux-disk", DISK_DTS)
    except (RuntimeError, OSError, IndexError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        notes.append(f"linux disk: not measured: {e}")
        return md + ["not measured (see notes)", ""]
    points = f"point=start@{_symbol(reader, 'bench_disk_start'):#x},point=end@{_symbol(reader, 'bench_disk_end'):#x}"
    native_args = lambda rep: board.command(
        image, gic=v["BH_GIC_VERSION"], cpus=2, mem_mib=MEM_MIB, hypervisor=False, icount=icount,
        plugin=f"{plugin},{points},out={rep}",
        extra=["-initrd", os.path.join(srctree, "build/linux/disk-bench.initrd"), "-append", CMDLINE]
        + board.disk_args([disk]))
    hyp_args = lambda rep: board.system_command(v, os.path.join(hyp_out, "bulkhead.bin"), icount=icount,
                                                disks=[disk], plugin=f"{plugin},{points},out={rep}")
    rate = {}
    for name, args in (("native", native_args), ("bulkhead", hyp_args)):
        counts = []
        for i in range(DISK_RUNS):
            report, log = os.path.join(out, f"{name}-{i}-plugin.txt"), os.path.join(out, f"{name}-{i}.log")
            _run(args(report), log)
            pts, nbytes = _points(report), _read_bytes(log)
            if "start" not in pts or "end" not in pts or nbytes != DISK_MIB << 20:
                notes.append(f"linux disk: the {name} run read {nbytes} bytes, points {pts} (see {log})")
                return md + ["not measured (see notes)", ""]
            counts.append(pts["end"] - pts["start"])
        counts.sort()
        insns = counts[len(counts) // 2]
        rate[name] = (insns, DISK_MIB / (insns / 1e9), counts[0], counts[-1])
    md += [f"| Run | Instructions for 16 MiB, all cores (median of {DISK_RUNS}; min..max) | MiB per 10^9 instructions "
           "| Bulkhead / native |", "|---|---|---|---|",
           f"| native, QEMU's virtio-blk | {rate['native'][0]:,} ({rate['native'][2]:,}..{rate['native'][3]:,}) | "
           f"{rate['native'][1]:.1f} | |",
           f"| Bulkhead, trusted-service client | {rate['bulkhead'][0]:,} ({rate['bulkhead'][2]:,}.."
           f"{rate['bulkhead'][3]:,}) | {rate['bulkhead'][1]:.1f} | {rate['bulkhead'][1] / rate['native'][1]:.3f} |", ""]
    md += [f"The same kernel and reader ({DISK_DTS}, tests/bench/linux/diskread.c): 64 KiB O_DIRECT reads of the "
           "whole disk, from the first instruction of bench_disk_start to that of bench_disk_end. All cores count: "
           "under Bulkhead the hypervisor's forwarding and the service partition's serving (which polls the real "
           "device while a request is out) are the cost of the shared disk. The counts vary from run to run: "
           "QEMU completes the disk's requests in real time, and under -icount's sleep=off every core's wait for "
           "it (a kernel's idle timers, the service partition's naps) is an instant jump of the virtual clock "
           "to its next timer, so a slower host means more of those wake-ups.", ""]
    return md
