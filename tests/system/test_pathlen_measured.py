# SPDX-License-Identifier: MIT
"""The static worst-case path lengths (tools/cert/pathlen.py) against measured ones.

A partition makes seeded random HVC and SMC calls with random arguments (partitions/
callfuzz, tests/system/configs/pathlen-fuzz.dts) while the measuring plugin
(tools/qemu-plugin/tracepoints.c) counts, per core, every uninterrupted stay in the
hypervisor's text: a run, from an exception vector (or from reset) to the `eret` that
leaves it. Each run is one entry path of the stack model, so the longest run a core
makes can be no longer than the largest static bound of the entries it can take; a core's
boot, reset to the `eret` into its guest, no longer than boot:main's (the first core) or
secondary-core's bound. The static bounds are those of this very image, computed by the
gate's tool from its machine code and tools/cert/pathlen-model.txt.
"""
import os
import re
import subprocess

import pytest

import harness

DTS = "tests/system/configs/pathlen-fuzz.dts"
CALLS = 3000
# What a core running a guest can enter the hypervisor through (the stack model's names).
TRAPS = ("vector:sync", "vector:hvc", "vector:sysreg", "vector:dabt", "vector:irq", "vector:fiq",
         "vector:serror")


def _symbols(elf):
    r = subprocess.run(["aarch64-linux-gnu-nm", elf], check=True, stdout=subprocess.PIPE, text=True)
    return {p[2]: int(p[0], 16) for p in (l.split() for l in r.stdout.splitlines()) if len(p) == 3}


def _guest_entry(elf, start):
    """The `eret` of arm64_enter_vcpu: a core's last hypervisor instruction before its guest's first."""
    r = subprocess.run(["aarch64-linux-gnu-objdump", "-d", f"--start-address={start:#x}",
                        f"--stop-address={start + 0x200:#x}", elf], check=True, stdout=subprocess.PIPE, text=True)
    return next(int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+eret\b", r.stdout, re.M))


def _static_bounds(system, tmp_path):
    """{entry: bound} of the image, as pathlen.py computes them (an open entry is absent)."""
    table = tmp_path / "path-lengths.md"
    subprocess.run(["/usr/bin/python3", os.path.join(harness.SRCTREE, "tools", "cert", "pathlen.py"),
                    "--image", f"measured={system.out}", "--table", table, "--update", "--out", tmp_path / "out"],
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bounds = {}
    for line in table.read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1].isdigit():
            bounds[cells[0]] = int(cells[1])
    return bounds


@pytest.mark.skipif(harness.COVERAGE, reason="the bounds are the delivered image's: a coverage build's counters "
                    "and dump are other code")
def test_measured_path_lengths_stay_within_the_static_bounds(tmp_path):
    """Under 3,000 random hypercalls and SMCs, no core's run in the hypervisor is longer than the
    largest static bound of the entries it can take, and no core's boot is longer than the
    static bound of its boot entry.

    Verifies: REQ-CRT-030
    """
    system = harness.build("pathlen-fuzz", DTS)
    elf = os.path.join(system.out, "bulkhead.elf")
    bounds = _static_bounds(system, tmp_path)
    assert all(e in bounds for e in TRAPS + ("boot:main", "secondary-core")), bounds
    sym = _symbols(elf)
    report = tmp_path / "plugin.txt"
    plugin = ",".join([harness.TRACEPOINTS, f"range=hyp@{sym['__image_start']:#x}-{sym['__text_end']:#x}",
                       f"point=enter@{_guest_entry(elf, sym['arm64_enter_vcpu']):#x}", f"out={report}"])
    r = harness.run(system, timeout=120, icount=harness.qemu.ICOUNT_EXACT, plugin=plugin)
    done = [re.match(r"callfuzz: (\d+) calls done, (\d+) returned 0, (\d+) NOT_SUPPORTED, (\d+) other", l)
            for l in r.of("fuzzer")]
    done = [m for m in done if m]
    assert done and int(done[0].group(1)) == CALLS, r.text()
    made = sum(int(g) for g in done[0].group(2, 3, 4))     # those that would end or print are left out
    text = report.read_text()
    assert "bh-plugin: error" not in text, text
    runs = {int(m.group(1)): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^bh-plugin: range hyp cpu (\d+) runs (\d+) insns \d+ min \d+ median \d+ max (\d+)$",
                                 text, re.M)}
    boots = {int(m.group(1)): int(m.group(2)) + 1
             for m in re.finditer(r"^bh-plugin: point enter cpu (\d+) total \d+ cpu_insns (\d+)$", text, re.M)}
    # The fuzzer's core (cpu 1) trapped at least once per call made; both cores entered their guests.
    assert made > CALLS // 2 and runs.get(1, (0, 0))[0] > made and sorted(boots) == [0, 1], (made, runs, boots)
    worst_trap = max(bounds[e] for e in TRAPS)
    for cpu, (_, longest) in runs.items():
        boot = bounds["boot:main" if cpu == 0 else "secondary-core"]
        # The longest run is a trap's or the core's boot (its first run).
        assert longest <= max(worst_trap, boot), (cpu, longest, worst_trap, boot)
        assert boots[cpu] <= boot, (cpu, boots[cpu], boot)
