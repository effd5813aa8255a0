# SPDX-License-Identifier: MIT
"""`make bench`'s Linux boot row: Debian's arm64 cloud kernel booted to its first user
instruction under Bulkhead and natively, on the same QEMU under the same -icount.

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
