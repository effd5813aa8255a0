# SPDX-License-Identifier: MIT
"""The static worst-case path lengths (tools/cert/pathlen.py) against measured ones, per entry.

The measuring plugin (tools/qemu-plugin/tracepoints.c) counts, per core, every uninterrupted
stay in the hypervisor's text: a run, from an exception vector (or from reset) to the `eret`
that leaves it. A tag at the first instruction of every function that an entry path of the
stack model names (arm64_guest_hvc > hypercall_dispatch > hc_doorbell, ...) marks the runs
that executed it, so each run is attributed to the entries it took: an entry covers a run
that executed every function of its path and none of the functions the other entries take
off that path (which the entry's bound leaves out). Every run must be covered by some
entry, and no run may be longer than the static bound of any entry covering it. The static
bounds are those of this very image, computed by the gate's tool from its machine code and
tools/cert/pathlen-model.txt.

Two workloads: seeded random HVC and SMC calls with random arguments (partitions/callfuzz,
tests/system/configs/pathlen-fuzz.dts), and the hostile suite's vectors (partitions/hostile:
trapped system registers, data aborts of every width, the GIC distributor and redistributor,
SGIs to foreign cores, PSCI on foreign cores, set/way maintenance, WFI/WFE, faults and
restarts, with the victim's interrupts beside them; tests/system/configs/hostile-gicv3*.dts,
mediated and direct delivery). Each run's per-entry table (measured worst against the static
bound) goes to $BULKHEAD_BUILD/results/pathlen-measured-<system>.md.
"""
import json
import os
import re
import subprocess

import pytest

import harness

CALLS = 3000
# What a core running a guest can enter the hypervisor through (the stack model's names).
TRAPS = ("vector:sync", "vector:hvc", "vector:sysreg", "vector:dabt", "vector:irq", "vector:fiq",
         "vector:serror")
HOSTILE = {"hostile-gicv3": "mediated delivery", "hostile-gicv3-direct": "direct delivery"}


def _symbols(elf):
    r = subprocess.run(["aarch64-linux-gnu-nm", elf], check=True, stdout=subprocess.PIPE, text=True)
    return {p[2]: int(p[0], 16) for p in (l.split() for l in r.stdout.splitlines()) if len(p) == 3}


def _guest_entry(elf, start):
    """The `eret` of arm64_enter_vcpu: a core's last hypervisor instruction before its guest's first."""
    r = subprocess.run(["aarch64-linux-gnu-objdump", "-d", f"--start-address={start:#x}",
                        f"--stop-address={start + 0x200:#x}", elf], check=True, stdout=subprocess.PIPE, text=True)
    return next(int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+eret\b", r.stdout, re.M))


def _static_entries(system, tmp_path):
    """[{name, bound, path, alternatives}] of the image's entries, as pathlen.py bounds them (the
    bound None where the entry is open)."""
    out = tmp_path / "entries.json"
    r = subprocess.run(["/usr/bin/python3", os.path.join(harness.SRCTREE, "tools", "cert", "pathlen.py"),
                        "--image", f"measured={system.out}", "--table", tmp_path / "path-lengths.md", "--update",
                        "--out", tmp_path / "out", "--entries", out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert out.exists(), r.stdout
    return [e for e in json.loads(out.read_text()) if e["path"]]


def covering(entries, executed):
    """The entries that cover a run which executed the functions `executed`: it took every
    function of the entry's path and none of those the other entries take off it."""
    return [e for e in entries if set(e["path"]) <= executed and not set(e["alternatives"]) & executed]


def _measure(system, tmp_path, entries, timeout):
    """Runs `system` under -icount with the plugin, a tag at each entry path's functions.
    Returns (the run, [(cpu, executed functions, runs, longest)], {cpu: boot length})."""
    elf = os.path.join(system.out, "bulkhead.elf")
    sym = _symbols(elf)
    tagged = sorted({f for e in entries for f in e["path"] + e["alternatives"]})
    assert len(tagged) <= 64, tagged          # the plugin's MAX_TAGS
    report = tmp_path / "plugin.txt"
    plugin = ",".join([harness.TRACEPOINTS, f"range=hyp@{sym['__image_start']:#x}-{sym['__text_end']:#x}",
                       f"point=enter@{_guest_entry(elf, sym['arm64_enter_vcpu']):#x}", f"out={report}"] +
                      [f"tag={f[:31]}@{sym[f]:#x}" for f in tagged])
    r = harness.run(system, timeout=timeout, icount=harness.qemu.ICOUNT_EXACT, plugin=plugin)
    text = report.read_text()
    assert "bh-plugin: error" not in text, text
    # Bit k is the k-th tag= argument (the plugin lists them; names are cut to 31 characters).
    bits = {int(m.group(2)): m.group(1) for m in re.finditer(r"^bh-plugin: tag (\S+) bit (\d+)$", text, re.M)}
    assert bits == {k: f[:31] for k, f in enumerate(tagged)}, bits
    sets = [(int(m.group(2)), {tagged[b] for b in range(64) if int(m.group(1), 16) >> b & 1},
             int(m.group(3)), int(m.group(4)))
            for m in re.finditer(r"^bh-plugin: range hyp tags (0x[0-9a-f]+|0) cpu (\d+) runs (\d+) insns \d+ max (\d+)$",
                                 text, re.M)]
    boots = {int(m.group(1)): int(m.group(2)) + 1
             for m in re.finditer(r"^bh-plugin: point enter cpu (\d+) total \d+ cpu_insns (\d+)$", text, re.M)}
    assert sets and 0 in boots, text
    return r, sets, boots


def _check(name, entries, sets, boots):
    """Every run covered by an entry and within the bound of every entry covering it; a core's boot
    within its boot entry's. Writes the per-entry table; returns {entry: (runs, worst)}."""
    bound = {e["name"]: e["bound"] for e in entries}
    per_entry, uncovered, over = {}, [], []
    for cpu, executed, runs, longest in sets:
        cover = covering(entries, executed)
        if not cover:
            uncovered.append((cpu, sorted(executed), runs, longest))
        for e in cover:
            n, worst = per_entry.get(e["name"], (0, 0))
            per_entry[e["name"]] = (n + runs, max(worst, longest))
            if e["bound"] is None or longest > e["bound"]:
                over.append((e["name"], cpu, longest, e["bound"], sorted(executed)))
    for cpu, length in boots.items():
        entry = "boot:main" if cpu == 0 else "secondary-core"
        if bound.get(entry) is None or length > bound[entry]:
            over.append((entry, cpu, length, bound.get(entry), ["(boot, to the first eret into the guest)"]))
    rows = [f"| {e['name']} | {per_entry.get(e['name'], (0, 0))[0]} | "
            f"{per_entry[e['name']][1] if e['name'] in per_entry else '-'} | {e['bound']} | "
            f"{'%.2g' % (e['bound'] / per_entry[e['name']][1]) if e['name'] in per_entry and e['bound'] else '-'} |"
            for e in entries]
    os.makedirs(os.path.join(harness.BUILD, "results"), exist_ok=True)
    with open(os.path.join(harness.BUILD, "results", f"pathlen-measured-{name}.md"), "w") as f:
        f.write(f"# Measured worst run per entry against its static bound: {name}\n\n"
                "| Entry | Runs | Measured worst (instructions) | Static bound | Bound / measured |\n"
                "|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    assert not uncovered, f"runs that no entry of the model covers: {uncovered}"
    assert not over, f"runs above the static bound of an entry covering them: {over}"
    return per_entry


@pytest.mark.skipif(harness.COVERAGE, reason="the bounds are the delivered image's: a coverage build's counters "
                    "and dump are other code")
def test_measured_path_lengths_stay_within_the_static_bounds(tmp_path):
    """Under 3,000 random hypercalls and SMCs, every run in the hypervisor is covered by an entry of
    the model and no longer than the static bound of any entry covering it, and no core's boot
    is longer than the static bound of its boot entry.

    Verifies: REQ-CRT-030~2
    """
    system = harness.build("pathlen-fuzz", "tests/system/configs/pathlen-fuzz.dts")
    entries = _static_entries(system, tmp_path)
    assert all(e["bound"] is not None for e in entries if e["name"] in TRAPS + ("boot:main", "secondary-core")), \
        entries
    r, sets, boots = _measure(system, tmp_path, entries, 120)
    done = [re.match(r"callfuzz: (\d+) calls done, (\d+) returned 0, (\d+) NOT_SUPPORTED, (\d+) other", l)
            for l in r.of("fuzzer")]
    done = [m for m in done if m]
    assert done and int(done[0].group(1)) == CALLS, r.text()
    made = sum(int(g) for g in done[0].group(2, 3, 4))     # those that would end or print are left out
    assert sorted(boots) == [0, 1], boots                   # both cores entered their guests
    per_entry = _check("pathlen-fuzz", entries, sets, boots)
    # The fuzzer's core (cpu 1) trapped at least once per call made, through the HVC and SMC entries.
    hvc = sum(runs for cpu, executed, runs, _ in sets if cpu == 1 and executed & {"arm64_guest_hvc", "arm64_trap_smc"})
    assert made > CALLS // 2 and hvc > made // 2, (made, hvc)
    assert {"hypercall:CONSOLE_WRITE", "hypercall:PARTITION_STATUS", "psci:all"} <= set(per_entry), per_entry


@pytest.mark.skipif(harness.COVERAGE, reason="the bounds are the delivered image's: a coverage build's counters "
                    "and dump are other code")
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_vectors_stay_within_their_entries_bounds(name, tmp_path):
    """Under every vector of the hostile suite (trapped system registers, data aborts of every
    width, GIC distributor and redistributor accesses, SGIs to foreign cores, PSCI on foreign
    cores, set/way maintenance, WFI/WFE, faults and restarts, the victim's timer, SPI and SGI
    interrupts beside them), every run in the hypervisor is covered by an entry of the model and
    no longer than the static bound of any entry covering it: the trap classes, the interrupt
    entries, the MMIO emulation (mediated and direct delivery) and stop/restart each measured
    against their own bound, not only the largest.

    Verifies: REQ-CRT-030~2
    """
    system = harness.build(name, f"tests/system/configs/{name}.dts")
    entries = _static_entries(system, tmp_path)
    r, sets, boots = _measure(system, tmp_path, entries, 480)
    assert r.exited and any(l.startswith("hostile: done in ") for l in r.of("hostile")), r.text()[-3000:]
    assert any("partition 'hostile' restarting" in l for l in r.of("bulkhead")), r.text()[-3000:]
    per_entry = _check(name, entries, sets, boots)
    want = {"vector:sysreg", "vector:irq", "hypercall:general", "psci:all", "mmio:virtual-gic" if
            name == "hostile-gicv3" else "mmio-direct:virtual-gic"}
    assert want <= set(per_entry), (sorted(per_entry), want)
