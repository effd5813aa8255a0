# SPDX-License-Identifier: MIT
"""The benchmark guest (partitions/bench/) runs natively to completion.

`make bench` (tests/bench/) is a tier of its own and not part of `make
test`; this quick check keeps its guest from rotting. The ELF that the bench
system links for its partition is loaded by QEMU directly at EL1 (no
virtualization: the real GICv3 and GICv2, PSCI through HVC) under -icount,
where one instruction is one tick of the virtual counter, and must report
plausible figures for every phase. The same image as a partition must find
the hypervisor and complete every phase too.
"""
import os
import re

import pytest

import harness

ICOUNT = harness.qemu.ICOUNT_EXACT
RESULT = re.compile(r"^result (\w+): n (\d+) min (-?\d+) median (-?\d+) max (-?\d+)$")
EVENTS = 1000
# Native figures are a few instructions (hypercall 2, timer 2, SGI ~16 on
# QEMU 7.2); the bounds leave room for other QEMU versions, not for bugs.
NATIVE_MAX = {"hypercall": 10, "timer": 10, "sgi": 60}


@pytest.fixture(scope="module")
def bench():
    return harness.build("bench-gicv3", "tests/bench/configs/bench-gicv3.dts")


def native(system, gic):
    return harness.run_native(os.path.join(system.out, "images", "bench.elf"), gic, 2,
                              icount=ICOUNT)


def results(lines):
    out = {}
    for l in lines:
        m = RESULT.match(l)
        if m:
            out[m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4, 5))
    return out


@pytest.mark.parametrize("gic", [3, 2])
def test_native_run_completes(bench, gic):
    """Natively, the guest drives the real GIC, its timers and a second core, and finishes.

    Verifies: REQ-IRQ-050, REQ-IRQ-051, REQ-IRQ-052
    """
    lines = native(bench, gic)
    text = "\n".join(lines)
    assert "bench: native, 2 vCPUs, counter 62500000 Hz" in lines, text
    assert f"gic: version {gic}" in lines, text
    assert "check ptimer: ok" in lines, text
    assert "unhandled interrupts: 0" in lines, text
    assert "bench done" in lines and lines[lines.index("bench done") + 1] == "exit(0)", text


@pytest.mark.parametrize("gic", [3, 2])
def test_native_figures_plausible(bench, gic):
    """Every phase reports 1000 events, in order min <= median <= max, a few instructions natively.

    Verifies: REQ-IRQ-050, REQ-IRQ-052
    """
    lines = native(bench, gic)
    r = results(lines)
    assert set(r) == {"hypercall", "timer", "sgi"}, "\n".join(lines)
    for phase, (n, lo, med, hi) in r.items():
        assert n == EVENTS, phase
        # The timer fires exactly at CVAL: the vector never reads an earlier count.
        assert 0 < lo <= med <= hi <= NATIVE_MAX[phase], (phase, lo, med, hi)


def test_same_image_as_partition(bench):
    """The same image as a partition finds the hypervisor and measures every phase, dearer than natively.

    Verifies: REQ-IRQ-051, REQ-IRQ-052
    """
    r = harness.run(bench, timeout=120, icount=ICOUNT)
    lines = r.lines
    guest = [l[len("[bench] "):] for l in lines if l.startswith("[bench] ")]
    text = "\n".join(lines)
    assert "bench: bulkhead, 2 vCPUs, counter 62500000 Hz" in guest, text
    r = results(guest)
    assert set(r) == {"hypercall", "timer", "sgi"}, text
    assert "check ptimer: ok" in guest and "bench done" in guest, text
    for phase, (n, lo, med, hi) in r.items():
        assert n == EVENTS, phase
        # Every event passes through EL2 (mediated delivery), which costs more than native.
        assert NATIVE_MAX[phase] < lo <= med <= hi, (phase, lo, med, hi)
