# SPDX-License-Identifier: MIT
"""`make bench`'s x86 section: Bulkhead on AMD SVM (QEMU q35, `-cpu EPYC`, TCG) under the same
-icount and measuring plugin as the ARM64 rows.

The benchmark system (tests/bench/configs/bench-x86.dts) runs partitions/x86bench with two
vCPUs, and a second copy of it, the doorbell's peer, on a third core. Each event of the guest
starts with a call of its phase's marker function (bench_phase_<phase>), given to the plugin as a
mark; the hypervisor instructions per event are those executed in the hypervisor's text
(`range=hyp@__image_start-__text_end` of bulkhead.elf), on any core, from one mark to the next:
on x86 that is from the #VMEXIT (the guest's exiting instruction is the guest's) up to and
including the VMRUN that resumes it, so the world switch the CPU does costs nothing here. The
plugin counts a range of RIP whatever the mode, so the guest's code must lie outside the
hypervisor's text: checked below, never assumed.

Boot: the default x86 system (configs/qemu-x86_64.dts) under the plugin, with a point on the
VMRUN of svm_vcpu_loop (the last hypervisor instruction before a core's guest runs), one on the
hypervisor's entry (_start, after SeaBIOS and QEMU's multiboot loader) and one on the
application processors' trampoline (its copy at 0x8000, where each starts after INIT-SIPI-SIPI).
Image size: the sections of that system's bulkhead.elf."""
import bisect
import os
import re
import subprocess
import time

NM = "nm"
OBJDUMP = "objdump"
READELF = "readelf"
DTS = "tests/bench/configs/bench-x86.dts"
DEFAULT_DTS = "configs/qemu-x86_64.dts"
PHASES = ("hypercall", "ipi", "timerarm", "timer", "doorbell")
TITLES = {
    "hypercall": "null hypercall (VMMCALL BH_HC_VERSION to VMRUN)",
    "ipi": "IPI, vCPU 0 to vCPU 1 (x2APIC ICR write to the IDT)",
    "timerarm": "LAPIC timer armed, one-shot (x2APIC initial-count WRMSR to VMRUN)",
    "timer": "LAPIC timer interrupt (the timer's exit to the VMRUN presenting its vector)",
    "doorbell": "doorbell round trip between two partitions (two doorbells)",
}
# Issue 13's targets: within 1.5x of the ARM64 figures (GICv3: hypercall 47, timer 57).
ARM64 = {"hypercall": 47, "timer": 57}
TARGET = {"hypercall": "<= 70 (1.5 x 47)", "timer": "<= 85 (1.5 x 57)"}
# The guest natively: QEMU 7.2's TCG offers no x2APIC (and the runtime's native mode no timer), so the
# x2APIC guest cannot run without the hypervisor; a native reference needs an xAPIC build of the guest.
# REQ-BEN-004~4's budgets (tests/system/test_x86_bench.py), so that a change that lengthens an x86 hot path
# fails a test: the null hypercall's is issue 13's target (today 68). The IPI's and the doorbell's counts
# depend on whether the receiver already waits in HLT when the event comes, which QEMU's round-robin vCPU
# order decides: their budgets hold the dearer case.
BUDGET = {"hypercall": 70, "ipi": 1750, "doorbell": 1950}
# REQ-BEN-007~3's: the timer's arming (a decoded WRMSR, today 687) with a little room, and its interrupt at
# issue 13's target (today 79: the interrupt exit's fast path in svm_entry.S, a handler without calls).
BUDGET.update({"timerarm": 720, "timer": 85})
# The phases of each requirement's budget test (tests/system/test_x86_bench.py).
BUDGET_PHASES = {"REQ-BEN-004": ("hypercall", "ipi", "doorbell"), "REQ-BEN-007": ("timerarm", "timer")}
# Where the application processors start (arch/x86/boot.S's trampoline, copied there by lapic.c).
TRAMPOLINE = 0x8000
RUN_TIMEOUT = 300
BOOT_TIMEOUT = 120
RESULT = re.compile(r"^result (\w+): events (\d+)$")
SKIPPED = re.compile(r"^result (\w+): skipped \((.*)\)$")


def _newlib_x86(bench):
    return os.path.abspath(os.environ.get("NEWLIB_X86_DIR") or os.path.join(bench.BUILD, "newlib-x86_64"))


def build(bench, name, dts):
    """Builds `dts` with qemu-x86_64_defconfig into $BULKHEAD_BUILD/bench/<name>; returns (dir, vars)."""
    out = os.path.join(bench.OUT, name)
    args = ["make", "-C", bench.SRCTREE, f"O={out}", f"SYSTEM={dts}", f"NEWLIB_X86_DIR={_newlib_x86(bench)}",
            f"NEWLIB_DIR={bench.NEWLIB}", "-j2"]
    if not os.path.exists(os.path.join(out, ".config")):
        subprocess.run(args + ["qemu-x86_64_defconfig"], check=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    r = subprocess.run(args + ["all"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        errors = [l for l in r.stdout.splitlines() if "rror" in l] or r.stdout.splitlines()[-3:]
        raise RuntimeError("; ".join(errors[:3]))
    return out, bench.board.read_system_mk(os.path.join(out, "gen", "system.mk"))


def symbols(elf):
    r = subprocess.run([NM, elf], check=True, stdout=subprocess.PIPE, text=True)
    return {p[2]: int(p[0], 16) for p in (l.split() for l in r.stdout.splitlines()) if len(p) == 3}


def functions(elf):
    """Sorted (address, name) of the text symbols of `elf`."""
    r = subprocess.run([NM, "-n", elf], check=True, stdout=subprocess.PIPE, text=True)
    return [(int(p[0], 16), p[2]) for p in (l.split() for l in r.stdout.splitlines())
            if len(p) == 3 and p[1] in "tT"]


def vmrun_address(elf):
    """The address of svm_vcpu_loop's VMRUN: a core's last hypervisor instruction before its guest's."""
    start = symbols(elf)["svm_vcpu_loop"]
    r = subprocess.run([OBJDUMP, "-d", f"--start-address={start:#x}", f"--stop-address={start + 0x100:#x}", elf],
                       check=True, stdout=subprocess.PIPE, text=True)
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} )+\s*vmrun\b", line)
        if m:
            return int(m.group(1), 16)
    raise RuntimeError(f"{elf}: no vmrun in svm_vcpu_loop")


def text_span(elf):
    """[lowest, highest) address of the executable sections of `elf`."""
    r = subprocess.run([READELF, "-S", "-W", elf], check=True, stdout=subprocess.PIPE, text=True)
    spans = []
    for line in r.stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*X\S*)\s", line)
        if m and int(m.group(2), 16):
            spans.append((int(m.group(1), 16), int(m.group(1), 16) + int(m.group(2), 16)))
    return min(a for a, _ in spans), max(b for _, b in spans)


def section_sizes(elf):
    r = subprocess.run([READELF, "-S", "-W", elf], check=True, stdout=subprocess.PIPE, text=True)
    sizes = {}
    for line in r.stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m:
            sizes[m.group(1)] = int(m.group(2), 16)
    return sizes


def plugin_args(bench, out, hyp, extra):
    args = [f"range=hyp@{hyp['__image_start']:#x}-{hyp['__text_end']:#x}", *extra,
            f"out={os.path.join(out, 'plugin.txt')}"]
    return ",".join([bench.PLUGIN, *args])


def where(bench, rep, phase, events, funcs):
    """The phase's hypervisor instructions per event by function, largest first."""
    addrs = [a for a, _ in funcs]
    per_fn = {}
    for pc, insns in rep.profile.get(phase, {}).items():
        i = bisect.bisect_right(addrs, pc) - 1
        name = funcs[i][1] if i >= 0 else hex(pc)
        per_fn[name] = per_fn.get(name, 0) + insns
    ranked = sorted(per_fn.items(), key=lambda kv: -kv[1])
    return ", ".join(f"`{name}` {bench.mean(n / events)}" for name, n in ranked if n / events >= 0.5)


def measure_events(bench, notes):
    """The event rows: [(phase, Stats or None, per-core text, breakdown)]."""
    out, v = build(bench, "x86", DTS)
    elf = os.path.join(out, "bulkhead.elf")
    hyp = symbols(elf)
    guest_elf = os.path.join(out, "images", "x86bench.elf")
    guest = symbols(guest_elf)
    lo, hi = text_span(guest_elf)
    if lo < hyp["__text_end"] and hyp["__image_start"] < hi:
        raise RuntimeError(f"the guest's code {lo:#x}-{hi:#x} overlaps the hypervisor's text: the counts "
                           "would mix them")
    marks = [f"mark={p}@{guest['bench_phase_' + p]:#x}" for p in ("idle", *PHASES)] + ["profile=on"]
    plugin_out = os.path.join(out, "plugin.txt")
    if os.path.exists(plugin_out):
        os.unlink(plugin_out)
    cmd = bench.board.system_command(v, os.path.join(out, "bulkhead.mb.elf"), icount=bench.ICOUNT,
                                     plugin=plugin_args(bench, out, hyp, marks))
    lines, exited = bench.qemu(cmd, timeout=RUN_TIMEOUT)
    with open(os.path.join(out, "bulkhead.log"), "w") as f:
        f.write("\n".join(lines) + "\n")
    rep = bench.parse_plugin(plugin_out)
    notes += [f"x86: plugin: {e}" for e in rep.errors]
    events, skipped = {}, {}
    for raw in lines:
        line = raw.split("] ", 1)[1] if raw.startswith("[x86bench] ") else ""
        m = RESULT.match(line)
        if m:
            events[m.group(1)] = int(m.group(2))
        m = SKIPPED.match(line)
        if m:
            skipped[m.group(1)] = m.group(2)
    if not any(l.endswith("] bench done") for l in lines):
        notes.append(f"x86: the guest did not finish (exited {exited}; see {out}/bulkhead.log)")
    funcs = functions(elf)
    rows = []
    for phase in PHASES:
        seg = rep.segments.get(("hyp", phase))
        n = events.get(phase)
        if phase in skipped:
            notes.append(f"x86: {phase} skipped: {skipped[phase]}")
        if seg is None or not n or seg[0].n != n:
            if phase not in skipped:
                notes.append(f"x86: {phase}: no measurement (events {n}, segments {seg[0].n if seg else 0})")
            rows.append((phase, None, "", ""))
            continue
        rows.append((phase, seg[0], bench.per_core(rep, phase, n), where(bench, rep, phase, n, funcs)))
    return rows


def measure_boot(bench, notes):
    """Boots the default x86 system: ([(partition, cores, own, from the hypervisor's entry)], sizes)."""
    out, v = build(bench, "x86-default", DEFAULT_DTS)
    elf = os.path.join(out, "bulkhead.elf")
    hyp = symbols(elf)
    points = [f"point=enter@{vmrun_address(elf):#x}", f"point=start@{hyp['_start']:#x}",
              f"point=ap@{TRAMPOLINE:#x}"]
    parts = [(name, cores) for name, cores, _, _ in bench.partition_firsts(os.path.join(out, "gen", "isolation.md"), {})]
    plugin_out = os.path.join(out, "plugin.txt")
    if os.path.exists(plugin_out):
        os.unlink(plugin_out)
    want = [f"point enter cpu {cores[0]} " for _, cores in parts]
    cmd = bench.board.system_command(v, os.path.join(out, "bulkhead.mb.elf"), icount=bench.ICOUNT,
                                     plugin=plugin_args(bench, out, hyp, points))
    with open(os.path.join(out, "bulkhead.log"), "w") as log_file:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + BOOT_TIMEOUT
        while p.poll() is None and time.monotonic() < deadline:
            if os.path.exists(plugin_out) and all(w in open(plugin_out).read() for w in want):
                break
            time.sleep(0.2)
        if p.poll() is None:
            p.kill()
        p.wait()
    rep = bench.parse_plugin(plugin_out)
    notes += [f"x86 boot: plugin: {e}" for e in rep.errors]
    rows = []
    for name, cores in parts:
        enter = rep.points.get(("enter", cores[0]))
        began = rep.points.get(("start", cores[0])) or rep.points.get(("ap", cores[0]))
        if enter is None:
            notes.append(f"x86 boot: {name}'s core {cores[0]} never entered its guest (see {out}/bulkhead.log)")
        own = enter[1] + 1 if enter else None
        rows.append((name, cores, own, own - began[1] if (own is not None and began) else None))
    return rows, section_sizes(elf)


def section(bench, notes):
    """The x86 section of bench.md (a list of Markdown lines); problems go to `notes`."""
    md = ["## x86_64, AMD SVM (QEMU q35, `-cpu EPYC`): hypervisor instructions per event", ""]
    try:
        rows = measure_events(bench, notes)
    except (RuntimeError, KeyError, subprocess.CalledProcessError) as e:
        notes.append(f"x86: not measured: {e}")
        rows = []
    md += ["| Event | Hypervisor insns / event min / median / max | Per core and event (mean) | ARM64, GICv3 "
           "(EL2) | Target (issue 13) | Budget (REQ-BEN-004, -007) |", "|---|---|---|---|---|---|"]
    for phase, st, cores, _ in rows:
        md.append(f"| {TITLES[phase]} | {st.cell() if st else 'n/a'} | {cores} | "
                  f"{ARM64.get(phase, '')} | {TARGET.get(phase, '')} | {BUDGET[phase]} |")
    md.append("")
    breakdown = [(phase, text) for phase, st, _, text in rows if st and text]
    if breakdown:
        md += ["| Event | Where the hypervisor's instructions go (mean per event, by function) |", "|---|---|"]
        md += [f"| {TITLES[phase]} | {text} |" for phase, text in breakdown]
        md.append("")
    md += [__doc__.split("\n\n", 1)[1].split("\n\nBoot:")[0].replace("\n", " "), ""]
    md += ["### x86 boot: instructions before each partition's first instruction (configs/qemu-x86_64.dts)", ""]
    try:
        boot, sizes = measure_boot(bench, notes)
    except (RuntimeError, KeyError, subprocess.CalledProcessError) as e:
        notes.append(f"x86 boot: not measured: {e}")
        boot, sizes = [], {}
    if boot:
        md += ["| Partition | Cores | Own, since the core's power-on (firmware included) | Since the hypervisor's "
               "first instruction on that core |", "|---|---|---|---|"]
        for name, cores, own, hyp_only in boot:
            md.append(f"| {name} | {', '.join(str(c) for c in cores)} | {own if own is not None else 'never'} | "
                      f"{hyp_only if hyp_only is not None else 'n/a'} |")
        md += ["", "Each partition's vCPU 0 core, up to and including the VMRUN that runs the partition's first "
               "instruction. The boot core's own count includes SeaBIOS and QEMU's multiboot loader; the last "
               "column starts at the hypervisor's `_start` (boot core) or at the trampoline's first instruction "
               "(a core the hypervisor starts with INIT-SIPI-SIPI).", ""]
    else:
        md += ["not measured (see notes)", ""]
    if sizes:
        md += ["### x86 hypervisor image (default x86 system, bytes)", "",
               "| .text | .rodata | .data | .bss |", "|---|---|---|---|",
               f"| {sizes.get('.text', 0)} | {sizes.get('.rodata', 0)} | {sizes.get('.data', 0)} | "
               f"{sizes.get('.bss', 0)} |", ""]
    return md
