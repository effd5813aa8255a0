# SPDX-License-Identifier: MIT
"""The hot paths stay within their budgets of EL2 instructions per event (issue 16).

`make bench` measures and reports; it does not judge. This test judges the
figures it is built on, so that a regression fails: each benchmark system of
tests/bench/configs (GICv3 with list registers, GICv3 with direct delivery,
GICv2) runs the benchmark guest (partitions/bench/, 1000 events per phase)
under the measuring plugin, whose counts are exact (REQ-BEN-001), and every
event of every phase must stay within the budget `make bench` prints as its
target (tests/bench/bench.py: TARGET_EL2, TARGET_DIRECT): the maximum, not
only the median. A coverage build's counters change the counts: skipped there.
"""
import os
import re
import sys

import pytest

import harness

sys.path.insert(0, os.path.join(harness.SRCTREE, "tests", "bench"))
import bench  # noqa: E402  (the benchmark's configurations, targets and parsers)

ICOUNT = harness.qemu.ICOUNT_EXACT
EVENTS = 1000


def budget(cfg, phase):
    """The phase's EL2 budget in `cfg`, or None where the target is not a count."""
    target = bench.TARGET_EL2[phase][cfg.gic]
    if cfg.delivery == "direct":
        target = bench.TARGET_DIRECT.get(phase, target)
    m = re.fullmatch(r"<= (\d+)", target)
    return int(m.group(1)) if m else None


@pytest.fixture(scope="module", params=bench.CONFIGS, ids=lambda c: c.name)
def measured(request, tmp_path_factory):
    """Runs one benchmark system under the plugin; returns (config, guest results, plugin report)."""
    if harness.COVERAGE:
        pytest.skip("coverage counters change the instruction counts")
    cfg = request.param
    system = harness.build(f"bench-{cfg.name}", cfg.dts)
    report = tmp_path_factory.mktemp(cfg.name) / "plugin.txt"
    hyp = bench.symbols(os.path.join(system.out, "bulkhead.elf"))
    marks = [m for m in bench.bench_marks(system.out) if m.startswith("mark=")]
    args = [harness.TRACEPOINTS, f"range=hyp@{hyp['__image_start']:#x}-{hyp['__text_end']:#x}", *marks,
            f"out={report}"]
    r = harness.run(system, timeout=120, icount=ICOUNT, plugin=",".join(args))
    guest = bench.parse_guest(r.lines, r.exited, prefix="[bench] ")
    # Booted and ran: the guest finished every phase with all its events.
    assert guest.done and not guest.problem, r.text()[-3000:]
    for phase in bench.PHASES:
        assert phase in guest.results and guest.results[phase].n == EVENTS, (phase, guest.results, guest.skipped)
    rep = bench.parse_plugin(str(report))
    assert not rep.errors, rep.errors
    return cfg, guest, rep


def test_every_event_within_its_budget(measured):
    """No event of the null hypercall, the timer interrupt or the SGI between two vCPUs
    takes more EL2 instructions than its budget.

    Verifies: REQ-BEN-002
    """
    cfg, _, rep = measured
    checked = 0
    for phase in bench.PHASES:
        limit = budget(cfg, phase)
        if limit is None:
            continue
        seg = rep.segments.get(("hyp", phase))
        assert seg is not None, f"{cfg.name}: the plugin saw no {phase} event"
        stats = seg[0]
        # Each event enters EL2 (a trap, an interrupt): one segment per event.
        assert stats.n == EVENTS, f"{cfg.name} {phase}: {stats.n} segments for {EVENTS} events"
        assert stats.max <= limit, f"{cfg.name} {phase}: {stats.cell()} EL2 instructions, budget {limit}"
        checked += 1
    assert checked >= 2, f"{cfg.name}: only {checked} phases have a budget"
