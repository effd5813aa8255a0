#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`make bench`: the benchmark guest natively and under Bulkhead, as one table.

For each benchmark system (tests/bench/configs/*.dts) this builds Bulkhead
with the benchmark partition (partitions/bench/) into $BULKHEAD_BUILD/bench/,
then runs the partition's own ELF natively (QEMU loads it at EL1, no
virtualization, the real GIC) and the whole system under Bulkhead, both in
QEMU's -icount mode (shift=4: one instruction = one 62.5 MHz counter tick,
so every latency counts instructions). Under Bulkhead the measuring plugin
(tools/qemu-plugin/tracepoints.c) counts the instructions executed in the
hypervisor's text per event, using the guest's phase markers. The plugin
counts every executed instruction once (tests/system/test_plugin_exact.py
checks it against -icount virtual time), so the figures are exact.

It also boots the default system once to count the instructions each core
executes from reset (or power-on) up to and including the `eret` that enters
its guest, and reads the hypervisor's section sizes. Bao's figures in the
table are reference figures from the project's issues 4 and 16, not
measured here. The x86 rows (AMD SVM on QEMU's q35) come from
bench_x86.py. Writes $BULKHEAD_BUILD/bench/bench.md and prints it.
docs/benchmarks.md explains how to read it.

Exit status: 0 when the native runs worked (cells that could not be
measured under Bulkhead are explained in the notes), 1 otherwise; with
--strict, 1 whenever a cell is missing.
"""
import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRCTREE, "scripts"))
import qemu as board  # noqa: E402  (the project's one QEMU command line)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_channels  # noqa: E402
import bench_linux  # noqa: E402
import bench_x86  # noqa: E402
import bench_zcu102  # noqa: E402
BUILD = os.path.abspath(os.environ.get("BULKHEAD_BUILD", os.path.join(SRCTREE, "build")))
OUT = os.path.join(BUILD, "bench")
PLUGIN = os.path.join(BUILD, "host", "tracepoints.so")
NEWLIB = os.path.abspath(os.environ.get("NEWLIB_DIR") or os.path.join(BUILD, "newlib"))  # make exports it
NM = "aarch64-linux-gnu-nm"
OBJDUMP = "aarch64-linux-gnu-objdump"
READELF = "aarch64-linux-gnu-readelf"

# sleep=off: while every vCPU waits (WFI), virtual time jumps to the next
# timer deadline instead of following the host's clock, so the figures do
# not depend on the host at all.
ICOUNT = board.ICOUNT_EXACT
CPU = board.CPU
NATIVE_SMP = 2
RUN_TIMEOUT = 300
# The boot figures are printed as soon as each core enters its guest; the
# default system then runs on, and under -icount a core that its partition
# starts with CPU_ON while the other cores busy-wait may not start at all
# (QEMU's round-robin vCPU loop), so that run is simply cut off.
BOOT_TIMEOUT = 20

PHASES = ("hypercall", "timer", "sgi")
PHASE_TITLES = {
    "hypercall": "null hypercall round trip",
    "timer": "virtual timer interrupt latency",
    "sgi": "SGI latency, vCPU 0 to vCPU 1",
}
# Bao on the same QEMU with the same kind of guest: reference figures given in
# the project's issues 4 and 16 (measured there with a per-instruction plugin,
# QEMU 7.2, -icount), not measured by make bench. EL2 instructions per event,
# latency as seen by the guest, boot instructions, image bytes.
BAO_EL2 = {"hypercall": {3: "149", 2: "149"}, "timer": {3: "199", 2: "204"},
           "sgi": {3: "787 (373 + 414)", 2: "882"}}
BAO_LATENCY = {"hypercall": "", "timer": "201 (native 2)", "sgi": "800 (native 13)"}
BAO_BOOT = 425366
BAO_IMAGE = 94208
BAO_SOURCE = "reference figures from the project's issues 4 and 16, not measured by make bench"
# Bulkhead's targets (issue 16; issue 4 asked for half of Bao: 75, 100, 300), by GIC version.
TARGET_EL2 = {"hypercall": {3: "<= 48", 2: "<= 48"}, "timer": {3: "<= 60", 2: "<= 70"},
              "sgi": {3: "<= 200", 2: "<= 300"}}
TARGET_DIRECT = {"timer": "latency = native + a few", "sgi": "<= 120"}
# The reference: make bench on REFERENCE_COMMIT, before the last round of issue 16's
# work on the hot paths (EL2 instructions per event, median): the SGI path's frames,
# configuration walks and MMIO decode. The table prints each figure's difference
# from it, so that a regression shows. docs/benchmarks.md keeps the history
# (5c3b68c, before issue 16's work: 69, 79 / 86, SGI 286 / 176 / 396).
REFERENCE_COMMIT = "cdaf594"
REFERENCE_EL2 = {"gicv3": {"hypercall": 47, "timer": 57, "sgi": 245},
                 "gicv3-direct": {"hypercall": 47, "timer": 0, "sgi": 157},
                 "gicv2": {"hypercall": 47, "timer": 62, "sgi": 376}}

# The boot rows' reference: make bench's boot rows on REFERENCE_BOOT_COMMIT (the
# stage-2 tables computed by the build, every image still copied from the store at
# the first start), instructions per core of the demos system; and issue 16's
# targets. docs/benchmarks.md keeps the history (bd8dd3b: 14,378, 9,628, 943, 14,751).
REFERENCE_BOOT_COMMIT = "a28601c"
REFERENCE_BOOT = {0: 9631, 1: 4823, 2: 943, 3: 8975}
TARGET_BOOT = {0: 10000}
TARGET_BOOT_OTHER = 3000


def boot_target_cell(cpu, own):
    """Issue 16's target for the core and whether today's figure meets it."""
    target = TARGET_BOOT.get(cpu, TARGET_BOOT_OTHER)
    verdict = "" if own is None else (" (met)" if own <= target else f" (over by {own - target:,})")
    return f"<= {target:,}{verdict}"


@dataclass
class Config:
    name: str
    dts: str
    gic: int
    delivery: str


CONFIGS = [
    Config("gicv3", "tests/bench/configs/bench-gicv3.dts", 3, "list registers"),
    Config("gicv3-direct", "tests/bench/configs/bench-gicv3-direct.dts", 3, "direct"),
    Config("gicv2", "tests/bench/configs/bench-gicv2.dts", 2, "list registers"),
]


@dataclass
class FaultConfig:
    name: str
    dts: str
    log: str


# The stage-2 fault path: partition "fault" (partitions/faultbench/) stores to
# an unmapped address once; counted on its core from that store to the
# hypervisor giving the core up (arch_cpu_stop), i.e. the partition stopped
# and reported. Without a service partition the hypervisor formats the
# report and writes the UART; with one, it publishes records (log channel).
FAULT_CONFIGS = [
    FaultConfig("fault", "tests/bench/configs/bench-fault.dts",
                "no service partition: formatted, written to the UART"),
    FaultConfig("fault-service", "tests/bench/configs/bench-fault-service.dts",
                "service partition: records into the log channel"),
]
FAULT_TARGET = "<= 1500"
# Where the path's instructions go: the first call of each on the faulting core.
FAULT_STEPS = [("trap", "health_fault"), ("health monitor", "log_fault"), ("fault report", "partition_shutdown"),
               ("stop", "log_partition_stopped"), ("stop report", None)]
# The run goes on after the stop (another partition stays alive): it ends once the plugin saw the stop.
FAULT_TIMEOUT = 60


@dataclass
class Stats:
    n: int
    min: int
    median: int
    max: int

    def cell(self):
        return f"{self.min} / {self.median} / {self.max}"


@dataclass
class GuestRun:
    results: dict = field(default_factory=dict)     # phase -> Stats
    skipped: dict = field(default_factory=dict)     # phase -> reason
    lines: list = field(default_factory=list)
    done: bool = False
    problem: str = ""


@dataclass
class PluginReport:
    points: dict = field(default_factory=dict)      # (name, cpu) -> (total, cpu_insns)
    segments: dict = field(default_factory=dict)    # (range, mark) -> Stats (+ total)
    runs: dict = field(default_factory=dict)        # (range, mark, cpu) -> (Stats, insns)
    profile: dict = field(default_factory=dict)     # mark -> {block address: insns}
    errors: list = field(default_factory=list)      # why the counts cannot be trusted


def log(msg):
    print(f"  BENCH   {msg}", flush=True)


def build(name, dts):
    """Builds `dts` into $BULKHEAD_BUILD/bench/<name>; returns (dir, vars) or raises."""
    out = os.path.join(OUT, name)
    args = ["make", "-C", SRCTREE, f"O={out}", f"SYSTEM={dts}", f"NEWLIB_DIR={NEWLIB}", "-j2"]
    if not os.path.exists(os.path.join(out, ".config")):
        subprocess.run(args + ["qemu-aarch64-virt_defconfig"], check=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    r = subprocess.run(args + ["all"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        errors = [l for l in r.stdout.splitlines() if "rror" in l] or r.stdout.splitlines()[-3:]
        raise RuntimeError("; ".join(errors[:3]))
    return out, board.read_system_mk(os.path.join(out, "gen", "system.mk"))


def symbols(elf):
    r = subprocess.run([NM, elf], check=True, stdout=subprocess.PIPE, text=True)
    syms = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def partition_firsts(isolation_md, points):
    """Per partition of the isolation report: its cores; the instructions its
    vCPU 0's core executed before the partition's first instruction; the core
    that first wrote to the debug console, its own count and the system-wide
    count (QEMU's virtual time) then. None where it never did."""
    rows = []
    name = None
    with open(isolation_md) as f:
        for line in f:
            m = re.match(r"### (\S+)", line)
            if m:
                name = m.group(1)
                continue
            if name and line.startswith("| Cores |"):
                cores = {int(vc): int(c) for c, vc in re.findall(r"core (\d+) \([^)]*\) as vCPU (\d+)", line)}
                boot = guest_entry_count(points, cores.get(0, -1))
                prints = sorted((points[("print", c)][0], points[("print", c)][1], c)
                                for c in cores.values() if ("print", c) in points)
                rows.append((name, sorted(cores.values()), boot,
                             prints[0] if prints else None))
                name = None
    return rows


def qemu(args, timeout=RUN_TIMEOUT):
    """Runs QEMU; returns (console lines, exited by itself)."""
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    try:
        out, _ = p.communicate(timeout=timeout)
        exited = True
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        exited = False
    text = out.decode("utf-8", errors="replace").replace("\r", "")
    return [l for l in text.split("\n") if l], exited


RESULT = re.compile(r"^result (\w+): n (\d+) min (-?\d+) median (-?\d+) max (-?\d+)$")
SKIPPED = re.compile(r"^result (\w+): skipped \((.*)\)$")


def parse_guest(lines, exited, prefix=""):
    g = GuestRun(lines=lines)
    for raw in lines:
        if prefix:
            if raw.startswith("[bulkhead] fault:") or raw.startswith("[bulkhead] panic"):
                g.problem = g.problem or raw[len("[bulkhead] "):]
            if not raw.startswith(prefix):
                continue
        line = raw[len(prefix):]
        m = RESULT.match(line)
        if m:
            g.results[m.group(1)] = Stats(*(int(x) for x in m.group(2, 3, 4, 5)))
            continue
        m = SKIPPED.match(line)
        if m:
            g.skipped[m.group(1)] = m.group(2)
        if line == "bench done":
            g.done = True
    if not exited and not g.problem:
        g.problem = f"no power-off within {RUN_TIMEOUT} s"
    elif not g.done and not g.problem:
        g.problem = "the guest did not finish"
    return g


def parse_plugin(path):
    rep = PluginReport()
    if not os.path.exists(path):
        return rep
    stat = r"(\d+) insns (\d+) min (\d+) median (\d+) max (\d+)"
    with open(path) as f:
        for line in f:
            if line.startswith("bh-plugin: error "):
                rep.errors.append(line[len("bh-plugin: error "):].strip())
                continue
            m = re.match(r"bh-plugin: point (\S+) cpu (\d+) total (\d+) cpu_insns (\d+)", line)
            if m:
                rep.points[(m.group(1), int(m.group(2)))] = (int(m.group(3)), int(m.group(4)))
                continue
            m = re.match(r"bh-plugin: range (\S+) mark (\S+) segments " + stat, line)
            if m:
                n, total, lo, med, hi = (int(x) for x in m.group(3, 4, 5, 6, 7))
                rep.segments[(m.group(1), m.group(2))] = (Stats(n, lo, med, hi), total)
                continue
            m = re.match(r"bh-plugin: profile (\S+) (0x[0-9a-f]+) (\d+)", line)
            if m:
                rep.profile.setdefault(m.group(1), {})[int(m.group(2), 16)] = int(m.group(3))
                continue
            m = re.match(r"bh-plugin: range (\S+) mark (\S+) cpu (\d+) runs " + stat, line)
            if m:
                n, total, lo, med, hi = (int(x) for x in m.group(4, 5, 6, 7, 8))
                rep.runs[(m.group(1), m.group(2), int(m.group(3)))] = (Stats(n, lo, med, hi), total)
    return rep


def run_native(cfg, out):
    elf = os.path.join(out, "images", "bench.elf")
    lines, exited = qemu(board.native_command(elf, cfg.gic, NATIVE_SMP, icount=ICOUNT))
    with open(os.path.join(out, "native.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return parse_guest(lines, exited)


def guest_entry(elf):
    """Address of the `eret` of arm64_enter_vcpu: a core's last hypervisor
    instruction before its guest's first."""
    start = symbols(elf)["arm64_enter_vcpu"]
    r = subprocess.run([OBJDUMP, "-d", f"--start-address={start:#x}", f"--stop-address={start + 0x200:#x}", elf],
                       check=True, stdout=subprocess.PIPE, text=True)
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+eret\b", line)
        if m:
            return int(m.group(1), 16)
    raise RuntimeError(f"{elf}: no eret in arm64_enter_vcpu")


def guest_entry_count(points, cpu):
    """Instructions `cpu` executed up to and including the eret into its guest, or None."""
    p = points.get(("enter", cpu))
    return p[1] + 1 if p else None


def plugin_args(out, extra=()):
    elf = os.path.join(out, "bulkhead.elf")
    hyp = symbols(elf)
    args = [f"range=hyp@{hyp['__image_start']:#x}-{hyp['__text_end']:#x}",
            f"point=enter@{guest_entry(elf):#x}", *extra,
            f"out={os.path.join(out, 'plugin.txt')}"]
    return ",".join([PLUGIN, *args])


def run_bulkhead(out, v, extra_plugin=(), timeout=RUN_TIMEOUT):
    plugin_out = os.path.join(out, "plugin.txt")
    if os.path.exists(plugin_out):
        os.unlink(plugin_out)
    lines, exited = qemu(board.system_command(v, os.path.join(out, "bulkhead.bin"), icount=ICOUNT,
                                              plugin=plugin_args(out, extra_plugin)), timeout=timeout)
    with open(os.path.join(out, "bulkhead.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return lines, exited, parse_plugin(plugin_out)


def run_until_point(out, v, extra_plugin, point, timeout):
    """Runs the system under the plugin until it reports `point` (or timeout);
    returns (console lines, plugin report)."""
    import time
    plugin_out = os.path.join(out, "plugin.txt")
    if os.path.exists(plugin_out):
        os.unlink(plugin_out)
    log_path = os.path.join(out, "bulkhead.log")
    with open(log_path, "w") as log_file:
        p = subprocess.Popen(board.system_command(v, os.path.join(out, "bulkhead.bin"), icount=ICOUNT,
                                                  plugin=plugin_args(out, extra_plugin)),
                             stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while p.poll() is None and time.monotonic() < deadline:
            if os.path.exists(plugin_out) and f"point {point} " in open(plugin_out).read():
                break
            time.sleep(0.1)
        if p.poll() is None:
            p.kill()
        p.wait()
    with open(log_path, errors="replace") as f:
        lines = [l for l in f.read().replace("\r", "").split("\n") if l]
    return lines, parse_plugin(plugin_out)


def run_fault(cfg):
    """Builds a fault configuration and measures it (measure_fault)."""
    out, v = build(cfg.name, cfg.dts)
    el2, steps, errors, _ = measure_fault(out, v)
    return el2, steps, errors


def measure_fault(out, v):
    """Runs the fault system built in `out` (its gen/system.mk variables `v`):
    the EL2 instructions from partition "fault"'s store to its core's
    arch_cpu_stop, the steps between, the plugin's errors and the console
    lines. Raises RuntimeError when not measured."""
    hyp = symbols(os.path.join(out, "bulkhead.elf"))
    guest = symbols(os.path.join(out, "images", "fault.elf"))
    extra = [f"point=fault@{guest['faultbench_store']:#x}", f"point=released@{hyp['arch_cpu_stop']:#x}"]
    extra += [f"point=step{i}@{hyp[sym]:#x}" for i, (_, sym) in enumerate(FAULT_STEPS) if sym]
    lines, rep = run_until_point(out, v, extra, "released", FAULT_TIMEOUT)
    start = [(cpu, c) for (name, cpu), (_, c) in rep.points.items() if name == "fault"]
    if not start:
        raise RuntimeError(f"the partition never made its store (see {out}/bulkhead.log)")
    cpu, at = start[0]
    end = rep.points.get(("released", cpu))
    if end is None:
        raise RuntimeError(f"core {cpu} never gave the stopped partition up (see {out}/bulkhead.log)")
    marks = [at] + [rep.points[(f"step{i}", cpu)][1] for i, (_, sym) in enumerate(FAULT_STEPS)
                    if sym and (f"step{i}", cpu) in rep.points] + [end[1]]
    steps = []
    if len(marks) == len(FAULT_STEPS) + 1 and marks == sorted(marks):
        steps = [f"{label} {b - a}" for (label, _), a, b in zip(FAULT_STEPS, marks, marks[1:])]
    return end[1] - at, steps, rep.errors, lines


def bench_marks(out):
    guest = symbols(os.path.join(out, "images", "bench.elf"))
    return [f"mark={p}@{guest['bench_phase_' + p]:#x}" for p in ("idle", *PHASES)] + ["profile=on"]


def functions(elf):
    """Sorted (address, name) of the text symbols of `elf`."""
    r = subprocess.run([NM, "-n", elf], check=True, stdout=subprocess.PIPE, text=True)
    out = []
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT" and not parts[2].startswith("$"):
            out.append((int(parts[0], 16), parts[2]))
    return out


def where(rep, phase, events, funcs, top=8):
    """The functions the phase's EL2 instructions were spent in, per event, largest first."""
    import bisect
    addrs = [a for a, _ in funcs]
    per_fn = {}
    for pc, insns in rep.profile.get(phase, {}).items():
        i = bisect.bisect_right(addrs, pc) - 1
        name = funcs[i][1] if i >= 0 else hex(pc)
        per_fn[name] = per_fn.get(name, 0) + insns
    ranked = sorted(per_fn.items(), key=lambda kv: -kv[1])
    parts = [f"{name} {mean(n / events)}" for name, n in ranked[:top] if n / events >= 0.5]
    rest = sum(n for _, n in ranked[top:])
    if rest / events >= 0.5:
        parts.append(f"others {mean(rest / events)}")
    return ", ".join(f"`{p.split()[0]}` {p.split()[1]}" for p in parts) or "none: the event never entered EL2"


def reference_cell(ref, el2):
    """The reference figure and the difference of today's median from it (+: a regression)."""
    if ref is None:
        return ""
    if not el2 or not el2.n:
        return str(ref)
    return f"{ref} ({el2.median - ref:+d})"


def fmt_ratio(a, b):
    if b <= 0:
        return ""
    return f"{a / b:.1f}x"


def mean(x):
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def per_core(rep, phase, events):
    """Mean EL2 instructions and EL2 entries per event on each core,
    e.g. "core 0: 373 in 1 run, core 1: 414 in 2 runs"."""
    parts = []
    for (rng, mark, cpu), (st, total) in sorted(rep.runs.items()):
        if rng == "hyp" and mark == phase and events:
            runs = st.n / events
            parts.append(f"core {cpu}: {mean(total / events)} in {mean(runs)} run{'' if runs == 1 else 's'}")
    return ", ".join(parts)


def section_sizes(elf):
    r = subprocess.run([READELF, "-S", "-W", elf], check=True, stdout=subprocess.PIPE, text=True)
    sizes = {}
    for line in r.stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m:
            sizes[m.group(1)] = int(m.group(2), 16)
    return sizes


# The emulated PL011's benchmark system: partition "os" (partitions/pl011check) on this core.
UART_CORE = 2


def measure_uart(notes, funcs_top=8):
    """EL2 instructions per byte a partition writes to its emulated PL011 (docs/emulated-uart.md):
    the markdown section, or its reason for not being measured in `notes`.

    Two phases of the writer: "write" (per byte, one flag-register read that found room and one
    data-register store) and "wait" (the flag-register reads after one that said full: the
    console ring to the service partition had no room). Waiting lasts as long as the service
    partition takes to drain, so it is counted apart from the emulation's cost per access."""
    md = ["## Emulated PL011: EL2 instructions per byte written", ""]
    log("uart: build tests/bench/configs/bench-uart.dts")
    try:
        out, v = build("uart", "tests/bench/configs/bench-uart.dts")
    except RuntimeError as e:
        notes.append(f"emulated UART: not built: {e}")
        return md + ["not measured (see notes)", ""]
    guest = symbols(os.path.join(out, "images", "os.elf"))
    marks = [f"mark={p}@{guest['uart_phase_' + p]:#x}" for p in ("idle", "write", "wait")] + ["profile=on"]
    lines, exited, rep = run_bulkhead(out, v, marks)
    notes += [f"emulated UART: plugin: {e}" for e in rep.errors]
    wrote = [(int(m.group(1)), int(m.group(2))) for l in lines
             if (m := re.search(r"pl011check: bench wrote (\d+) bytes, waited (\d+) times", l))]
    seg = rep.segments.get(("hyp", "write"))
    own = rep.runs.get(("hyp", "write", UART_CORE))
    if not wrote or seg is None or own is None:
        notes.append(f"emulated UART: no measurement (wrote {wrote}, exited {exited}; see {out}/bulkhead.log)")
        return md + ["not measured (see notes)", ""]
    n, waits = wrote[0]
    empty = (Stats(0, 0, 0, 0), 0)
    wait_seg = rep.segments.get(("hyp", "wait"), empty)
    wait_own = rep.runs.get(("hyp", "wait", UART_CORE), empty)
    funcs = functions(os.path.join(out, "bulkhead.elf"))

    def row(phase, what, own_runs, all_insns):
        st, insns = own_runs
        per_access = f"{insns / st.n:.1f} ({st.min} / {st.median} / {st.max})" if st.n else ""
        return (f"| {phase} | {what} | {st.n} | {per_access} | {insns} | {insns / n:.1f} | "
                f"{all_insns} | {all_insns / n:.1f} |")

    md += ["| Phase | Trapped accesses | On the UART's core: accesses | EL2 insns per access, mean "
           "(min / median / max) | EL2 insns | per byte | EL2 insns, all cores | per byte |",
           "|---|---|---|---|---|---|---|---|",
           row("write", "a flag read that found room and a data store per byte", own, seg[1]),
           row("wait", f"flag reads while the FIFO said full ({waits} waits)", wait_own, wait_seg[1]),
           f"| both | | {own[0].n + wait_own[0].n} | | {own[1] + wait_own[1]} | "
           f"{(own[1] + wait_own[1]) / n:.1f} | {seg[1] + wait_seg[1]} | {(seg[1] + wait_seg[1]) / n:.1f} |", "",
           f"`{os.path.relpath(out, SRCTREE)}`: the partition writes {n} bytes in 64-byte lines as earlycon "
           "does (a flag register read, then a byte store to the data register, each a trap); each line goes "
           "out as one console record and rings the service partition's doorbell. When the console ring to the "
           "service partition is full the flag register says so and the writer polls it (phase wait): those "
           "reads measure how fast the service partition drains, not the emulation. All cores: the UART's core "
           "and the service partition's (its doorbells, its reads) during the phase.", "",
           "Where the EL2 instructions go, all cores, per byte written: write: "
           + where(rep, "write", n, funcs, funcs_top) + "; wait: "
           + (where(rep, "wait", n, funcs, funcs_top) if waits else "no waits"), ""]
    return md


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strict", action="store_true", help="fail when any cell could not be measured")
    ap.add_argument("--only", help="comma-separated configuration names (" +
                    ", ".join(c.name for c in CONFIGS + FAULT_CONFIGS) + ", channels, linux, linux-disk, zcu102, x86)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    configs = [c for c in CONFIGS if not args.only or c.name in args.only.split(",")]

    notes = []
    profiles = []
    native_ok = True
    missing = False
    rows = []
    for cfg in configs:
        log(f"{cfg.name}: build {cfg.dts}")
        try:
            out, v = build(cfg.name, cfg.dts)
        except RuntimeError as e:
            notes.append(f"{cfg.name}: not built: {e}")
            missing = True
            continue
        log(f"{cfg.name}: native run (GICv{cfg.gic})")
        nat = run_native(cfg, out)
        if nat.problem:
            native_ok = False
            notes.append(f"{cfg.name}: native run: {nat.problem} (see {out}/native.log)")
        log(f"{cfg.name}: Bulkhead run")
        lines, exited, rep = run_bulkhead(out, v, bench_marks(out))
        hyp = parse_guest(lines, exited, prefix="[bench] ")
        if hyp.problem:
            notes.append(f"{cfg.name}: under Bulkhead: {hyp.problem} (see {out}/bulkhead.log)")
        notes += [f"{cfg.name}: plugin: {e}" for e in rep.errors]
        for phase in PHASES:
            n = nat.results.get(phase)
            h = hyp.results.get(phase)
            seg = rep.segments.get(("hyp", phase))
            if h is None or seg is None:
                missing = True
            if phase in hyp.skipped:
                notes.append(f"{cfg.name}: {phase} under Bulkhead skipped: {hyp.skipped[phase]}")
            el2 = seg[0] if seg else None
            target = TARGET_EL2[phase][cfg.gic]
            if cfg.delivery == "direct":
                target = TARGET_DIRECT.get(phase, target)
            if el2 and el2.n:
                profiles.append((f"GICv{cfg.gic}, {cfg.delivery}", PHASE_TITLES[phase],
                                 where(rep, phase, el2.n, functions(os.path.join(out, "bulkhead.elf")))))
            rows.append({
                "phase": PHASE_TITLES[phase],
                "config": f"GICv{cfg.gic}, {cfg.delivery}",
                "native": n.cell() if n else "n/a",
                "bulkhead": h.cell() if h else "n/a",
                "ratio": fmt_ratio(h.median, n.median) if (n and h) else "",
                "el2": el2.cell() if el2 else "n/a",
                "reference": reference_cell(REFERENCE_EL2.get(cfg.name, {}).get(phase), el2),
                "cores": per_core(rep, phase, el2.n) if el2 else "",
                "bao_el2": BAO_EL2[phase][cfg.gic],
                "target": target,
                "bao_lat": BAO_LATENCY[phase],
            })

    # The stage-2 fault path, without and with a service partition.
    fault_rows = []
    fault_configs = [c for c in FAULT_CONFIGS if not args.only or c.name in args.only.split(",")]
    for cfg in fault_configs:
        log(f"{cfg.name}: build and run {cfg.dts}")
        try:
            el2, steps, errors = run_fault(cfg)
            fault_rows.append((cfg.log, str(el2), ", ".join(steps)))
            notes += [f"{cfg.name}: plugin: {e}" for e in errors]
        except (RuntimeError, KeyError, subprocess.CalledProcessError) as e:
            fault_rows.append((cfg.log, "n/a", ""))
            notes.append(f"{cfg.name}: not measured: {e}")
            missing = True

    # Boot and size: the demos system (the default before the service partition; comparable figures).
    boot_rows = []
    first_rows = []
    sizes = {}
    log("default: build configs/qemu-aarch64-virt-demos.dts")
    try:
        out, v = build("default", "configs/qemu-aarch64-virt-demos.dts")
        log("default: boot")
        hyp = symbols(os.path.join(out, "bulkhead.elf"))
        _, exited, rep = run_bulkhead(out, v, extra_plugin=[f"point=print@{hyp['console_guest_putc']:#x}"],
                                      timeout=BOOT_TIMEOUT)
        boot_rows = [(cpu, guest_entry_count(rep.points, cpu)) for name, cpu in sorted(rep.points) if name == "enter"]
        if not boot_rows:
            notes.append("default system: no core reached arm64_enter_vcpu")
        notes += [f"default system: plugin: {e}" for e in rep.errors]
        first_rows = partition_firsts(os.path.join(out, "gen", "isolation.md"), rep.points)
        sizes = section_sizes(os.path.join(out, "bulkhead.elf"))
    except RuntimeError as e:
        notes.append(f"default system: not built: {e}")

    uart_md = measure_uart(notes)

    qemu_version = subprocess.run([board.BINARY, "--version"], stdout=subprocess.PIPE,
                                  text=True).stdout.splitlines()[0]
    md = []
    md.append("# Bulkhead benchmarks")
    md.append("")
    md.append(f"{qemu_version}, `-cpu {CPU}`, `-icount {ICOUNT}`: one instruction = one tick of the "
              "62.5 MHz virtual counter, so every figure is an exact, repeatable instruction count. "
              "Native: the same ELF loaded by QEMU at EL1 without virtualization "
              f"(`-smp {NATIVE_SMP}`). See docs/benchmarks.md.")
    md.append("")
    md.append("## Latency (guest-seen ticks) and hypervisor work (EL2 instructions per event)")
    md.append("")
    md.append("| Event | GIC, delivery | Native min / median / max | Bulkhead min / median / max | "
              "Ratio (medians) | EL2 insns / event min / median / max | "
              f"Reference EL2 ({REFERENCE_COMMIT}; now) | EL2 per core and event (mean) | "
              "Bao EL2 (reference) | Target EL2 | Bao latency (reference) |")
    md.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        md.append(f"| {r['phase']} | {r['config']} | {r['native']} | {r['bulkhead']} | {r['ratio']} | "
                  f"{r['el2']} | {r['reference']} | {r['cores']} | {r['bao_el2']} | {r['target']} | "
                  f"{r['bao_lat']} |")
    md.append("")
    md.append(f"Bao: {BAO_SOURCE} (Bao on the same QEMU 7.2 under `-icount`, counted with a per-instruction "
              "plugin).")
    md.append("")
    if profiles:
        md.append("### Where the EL2 instructions go (mean per event, by function)")
        md.append("")
        md.append("| GIC, delivery | Event | Functions |")
        md.append("|---|---|---|")
        for config, phase, text in profiles:
            md.append(f"| {config} | {phase} | {text} |")
        md.append("")
    if not args.only or "channels" in args.only.split(","):
        log("channels: build and run")
        md += bench_channels.section(
            build, symbols, run_bulkhead,
            lambda rep, phase, n, out: where(rep, phase, n, functions(os.path.join(out, "bulkhead.elf"))), notes)
    if not args.only or "linux" in args.only.split(","):
        log("linux: boot natively and under Bulkhead")
        md += bench_linux.section(SRCTREE, build, PLUGIN, ICOUNT, notes)
    if not args.only or {"linux", "linux-disk"} & set(args.only.split(",")):
        log("linux-disk: read the disk natively and under Bulkhead")
        md += bench_linux.disk_section(SRCTREE, build, PLUGIN, ICOUNT, notes)
    if not args.only or "zcu102" in args.only.split(","):
        log("zcu102: boot configs/zcu102.dts in QEMU's ZCU102 model")
        md += bench_zcu102.section(sys.modules[__name__], notes)
    x86_md = []   # printed after the ARM64 sections
    if not args.only or "x86" in args.only.split(","):
        log("x86: the x86 benchmark system and the default x86 system's boot (AMD SVM, q35)")
        x86_md = bench_x86.section(sys.modules[__name__], notes)
    if fault_rows:
        md.append("## Stage-2 fault to partition stopped (EL2 instructions)")
        md.append("")
        md.append("| Log | EL2 instructions | Target | Steps |")
        md.append("|---|---|---|---|")
        for where_to, el2, steps in fault_rows:
            md.append(f"| {where_to} | {el2} | {FAULT_TARGET} | {steps} |")
        md.append("")
        md.append("One store of partition `fault` (partitions/faultbench/, fault policy stop) to an unmapped "
                  "address: its core's instructions from that store (aborted, not counted) to the first "
                  "instruction of `arch_cpu_stop`, where the core gives the stopped partition up after "
                  "reporting the fault and the stop. Exact, one event (the path has no data-dependent loop "
                  "for a one-vCPU partition).")
        md.append("")
    md.append("## Boot: instructions from reset to the first guest instruction (default system)")
    md.append("")
    if boot_rows:
        md.append(f"| Core | Instructions | Reference ({REFERENCE_BOOT_COMMIT}; now) | Target |")
        md.append("|---|---|---|---|")
        for cpu, own in boot_rows:
            ref = REFERENCE_BOOT.get(cpu)
            refcell = "" if ref is None else (f"{ref} ({own - ref:+d})" if own is not None else str(ref))
            md.append(f"| {cpu} | {own} | {refcell} | {boot_target_cell(cpu, own)} |")
        md.append("")
        md.append("Each core counts its own instructions from its reset (the boot core, QEMU's boot stub "
                  "included) or its power-on (every other core) up to and including the `eret` of "
                  "`arm64_enter_vcpu` that enters its guest: every instruction before the guest's first. A "
                  "core that its partition starts with PSCI CPU_ON is counted from that power-on. Bao's boot: "
                  f"{BAO_BOOT:,} instructions ({BAO_SOURCE}).")
    else:
        md.append("not measured (see notes)")
    md.append("")
    md.append("## Boot: each partition's first instruction and first output (default system)")
    md.append("")
    if first_rows:
        md.append("| Partition | Cores | Before its first instruction (own) | Before its first console character "
                  "(own) | ... system-wide |")
        md.append("|---|---|---|---|---|")
        for pname, cores, boot, first in first_rows:
            own = f"{first[1]} (core {first[2]})" if first else "never"
            md.append(f"| {pname} | {', '.join(str(c) for c in cores)} | "
                      f"{boot if boot is not None else 'never'} | {own} | {first[0] if first else 'never'} |")
        md.append("")
        md.append("Own: instructions the core executed since its reset or power-on, as parallel cores "
                  "would; the console character is counted to the first instruction of the hypervisor's "
                  "`console_guest_putc`. System-wide: instructions of all cores together since QEMU started (its "
                  "`-icount` virtual time); QEMU runs the cores one at a time, so this includes the other "
                  "partitions' work (their memory tests) and is not the time a parallel board takes.")
    else:
        md.append("not measured (see notes)")
    md.append("")
    md.append("## Hypervisor image (default system, bytes)")
    md.append("")
    if sizes:
        md.append("| .text | .rodata | .data | .bss | stacks and table pools (.noload, not in the file) |")
        md.append("|---|---|---|---|---|")
        md.append(f"| {sizes.get('.text', 0)} | {sizes.get('.rodata', 0)} | {sizes.get('.data', 0)} | "
                  f"{sizes.get('.bss', 0)} | {sizes.get('.noload', 0)} |")
        md.append("")
        md.append("Partition images are not part of it: they are files in the image store (docs/boot.md).")
        md.append("")
        md.append(f"Bao's image: {BAO_IMAGE:,} bytes ({BAO_SOURCE}).")
    else:
        md.append("not measured (see notes)")
    md.append("")
    md += uart_md
    md += ([""] + x86_md) if x86_md else []
    if notes:
        md.append("")
        md.append("## Notes")
        md.append("")
        for n in notes:
            md.append(f"- {n}")
    text = "\n".join(md) + "\n"
    with open(os.path.join(OUT, "bench.md"), "w") as f:
        f.write(text)
    print()
    print(text, end="")
    print(f"\n(written to {os.path.join(OUT, 'bench.md')})")
    if not native_ok or (args.strict and (missing or notes)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
