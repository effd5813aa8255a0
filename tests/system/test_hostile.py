# SPDX-License-Identifier: MIT
"""The hostile suite: an attacker's vectors, one window each, beside a victim that measures.

partitions/hostile runs its attack vectors one after another, each in its own
window of the schedule that partitions/sentinel keeps (tests/system/configs/
hostile-*.dts). The sentinel owns the PL031 RTC's level-triggered SPI and
counts, per window, its timer ticks, SPIs (and duplicates: entries while the
device does not assert), SGIs, and the worst timer latency, gap between ticks,
SPI and SGI latency. A vector is contained when the attacker saw what it
expected (a refusal counted by the hypervisor in the expected kind, a fault
and restart, an exception at EL1, or nothing) and every window it took is, for
the sentinel, like the control windows: counts exact, no duplicate, and each
worst latency or gap at most BOUND above the controls' worst.

The runs use QEMU's -icount (scripts/qemu.py ICOUNT_EXACT), so a window is
measured in instructions: QEMU runs the cores in turn, and whether another core
is busy or idle moves the sentinel's latencies by a few instructions (seen: 6);
the control windows take both (the attacker idle, then busy) and BOUND covers
the rest.
"""
import os
import re

import pytest

import harness

BOUND = 16   # instructions (62.5 MHz counter ticks) above the controls' worst
CONFIGS = {
    "gicv3": "GICv3, the attacker on mediated delivery",
    "gicv3-direct": "GICv3, the attacker on direct delivery",
    "gicv2": "GICv2, mediated delivery",
}
WINDOW = re.compile(r"window (\d+): ticks (\d+), latency (\d+), gap (\d+), spi (\d+), dup (\d+), "
                    r"spi-latency (\d+), sgi (\d+), sgi-latency (\d+)$")
START = re.compile(r"vector (\d+) windows (\d+)-(\d+) life (\d+) expects ([^:]+): (.*)$")
RESULT = re.compile(r"vector (\d+): (as expected|UNEXPECTED.*|ESCAPE.*) \(call \+(\d+), register \+(\d+), "
                    r"interrupt \+(\d+), console \+(\d+), EL1 \+(\d+), detail \d+\)$")
TIMES = ("latency", "gap", "spi-latency", "sgi-latency")


def _bootarg(dts, partition, key):
    with open(os.path.join(harness.SRCTREE, dts)) as f:
        text = f.read()
    block = text[text.index(f"\t\t{partition} {{"):]
    args = re.search(r'bootargs = "([^"]*)"', block).group(1)
    return int(re.search(rf"\b{key}=(\w+)", args).group(1), 0)


def _windows(run):
    out = {}
    for line in run.of("sentinel"):
        m = WINDOW.match(line)
        if m:
            w = [int(g) for g in m.groups()]
            out[w[0]] = dict(zip(("ticks", "latency", "gap", "spi", "dup", "spi-latency", "sgi", "sgi-latency"),
                                 w[1:]))
    return out


def _vectors(run):
    """Each vector the attacker started: number -> start line fields, its result, and what followed."""
    lines = run.lines
    starts = [(i, START.search(l)) for i, l in enumerate(lines) if l.startswith("[hostile] vector ")]
    starts = [(i, m) for i, m in starts if m]
    out = {}
    for k, (i, m) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        after = lines[i + 1:end]
        result = next((RESULT.search(l) for l in after if RESULT.search(l)), None)
        out[int(m.group(1))] = {
            "windows": range(int(m.group(2)), int(m.group(3)) + 1),
            "expects": m.group(5),
            "name": m.group(6),
            "result": result,
            "fault": any(re.match(r"\[bulkhead\] fault: partition 'hostile' ", l) for l in after),
            "reset": any("partition 'hostile': PSCI SYSTEM_RESET" in l for l in after),
            "restarted": any(re.match(r"\[bulkhead\] partition 'hostile' restarting", l) for l in after),
        }
    return out


def _contained(v):
    """Whether the attacker saw what the vector expects."""
    if v["expects"] == "fault":
        return v["result"] is None and v["fault"] and v["restarted"]
    if v["expects"] == "restart":
        return v["result"] is None and v["reset"] and v["restarted"]
    if v["expects"] == "containment" and v["result"] is None:
        return v["fault"] and v["restarted"]
    return v["result"] is not None and v["result"].group(2) == "as expected" and not v["fault"]


def _report(config, rows, tried, contained, escapes, panics, control, worst):
    lines = [f"hostile suite, {CONFIGS[config]}: {tried} vectors tried, {contained} contained, "
             f"{escapes} escapes, {panics} panics",
             "control worst: " + ", ".join(f"{k} {control[k]}" for k in TIMES),
             "attack worst:  " + ", ".join(f"{k} {worst[k]}" for k in TIMES)]
    lines += rows
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(harness.BUILD, "results"), exist_ok=True)
    with open(os.path.join(harness.BUILD, "results", f"hostile-{config}.txt"), "w") as f:
        f.write(text)
    print(text)


@pytest.mark.skipif(harness.COVERAGE, reason="measured in instructions: coverage counters change the counts")
@pytest.mark.parametrize("config", list(CONFIGS))
def test_hostile_suite(config):
    """Every vector of the hostile suite (memory, every trap class, the GIC distributor,
    redistributor and CPU interface and forged SGIs, HVC and SMC with every immediate, PSCI
    on foreign cores, cache and TLB maintenance, device memory with exclusives and
    unaligned accesses, WFI/WFE and timer storms) is contained as designed, and none
    changes what the victim beside it measures: its timer ticks, level-triggered SPIs and
    SGIs all arrive once, and its worst latencies and gaps stay within BOUND of the
    control windows'. The hypervisor never panics. Prints the suite's report.

    Verifies: REQ-TRP-008, REQ-TRP-001, REQ-TRP-003, REQ-TRP-004, REQ-TRP-009, REQ-MEM-001, REQ-MEM-002,
    REQ-IRQ-003, REQ-IRQ-004~2, REQ-IRQ-005, REQ-IRQ-010, REQ-IRQ-012, REQ-HC-002, REQ-CPU-003
    """
    dts = f"tests/system/configs/hostile-{config}.dts"
    run = harness.run(harness.build(f"hostile-{config}", dts), timeout=240, icount=harness.qemu.ICOUNT_EXACT)
    hyp = run.of("bulkhead")
    panics = len([l for l in hyp if ("PANIC" in l) or ("exception at EL2" in l)])
    assert run.exited and panics == 0, run.text()
    per_window = _bootarg(dts, "sentinel", "window")
    n_windows = _bootarg(dts, "sentinel", "windows")
    first = _bootarg(dts, "hostile", "first")
    assert f"sentinel: {n_windows} windows of {per_window} ticks done" in run.of("sentinel"), run.text()
    m = [re.match(r"hostile: (\d+) vectors for GICv\d, \w+ delivery, windows (\d+)-(\d+)$", l)
         for l in run.of("hostile")]
    m = next(x for x in m if x)
    planned, last_window = int(m.group(1)), int(m.group(3))
    assert last_window < n_windows and any(l.startswith("hostile: done in ") for l in run.of("hostile"))

    windows = _windows(run)
    vectors = _vectors(run)
    assert sorted(vectors) == list(range(planned)), f"vectors not tried: {set(range(planned)) - set(vectors)}"
    controls = [w for w in range(first)] + [w for v in vectors.values() if v["name"].startswith("control:")
                                           for w in v["windows"]]
    controls += list(range(last_window + 1, n_windows))
    control = {k: max(windows[w][k] for w in controls) for k in TIMES}
    worst = dict.fromkeys(TIMES, 0)
    rows, escapes, contained = [], 0, 0
    attacks = {n: v for n, v in vectors.items() if not v["name"].startswith("control:")}
    for n, v in sorted(attacks.items()):
        seen = [windows[w] for w in v["windows"]]
        for w in seen:
            for k in TIMES:
                worst[k] = max(worst[k], w[k])
        victim_ok = all(w["ticks"] == w["spi"] == w["sgi"] == per_window and w["dup"] == 0 and
                        all(w[k] <= control[k] + BOUND for k in TIMES) for w in seen)
        attacker_ok = _contained(v)
        if victim_ok and attacker_ok:
            contained += 1
            verdict = "contained"
        else:
            escapes += 1
            verdict = "ESCAPE" if not victim_ok else "NOT AS DESIGNED"
        got = v["result"].group(2) if v["result"] else ("fault, restarted" if v["fault"] else
                                                         ("reset, restarted" if v["reset"] else "nothing printed"))
        rows.append(f"  {n:3d} {verdict:9s} expects {v['expects']:13s} {got[:40]:40s} {v['name']}")
    _report(config, rows, len(attacks), contained, escapes, panics, control, worst)
    assert len(attacks) >= 50
    assert escapes == 0, "\n".join(r for r in rows if "contained" not in r)
    # The victim itself did nothing refused; on mediated delivery nothing reached it either.
    assert not any(re.match(r"partition 'sentinel' vCPU \d, (call|register|interrupt|console|fault) ", l)
                   for l in hyp), run.text()
    if config != "gicv3-direct":
        assert not any("'sentinel'" in l and "interference" in l for l in hyp), run.text()


def _attack(name):
    return harness.run(harness.build(name, f"tests/system/configs/{name}.dts"), timeout=120)


def _incidents(run, partition):
    for l in run.of("bulkhead"):
        m = re.match(rf"partition '{partition}' incidents since boot: call (\d+), register (\d+), interrupt (\d+), "
                     r"console (\d+), fault (\d+), interference (\d+)$", l)
        if m:
            return dict(zip(("call", "register", "interrupt", "console", "fault", "interference"),
                            (int(g) for g in m.groups())))
    return None


def _sentinel_took_every_alarm_once(run):
    windows = _windows(run)
    assert windows and "sentinel: 8 windows of 50 ticks done" in run.of("sentinel"), run.text()
    assert all(w["dup"] == 0 for w in windows.values()), windows
    # Real time on a loaded host: alarms raised while one is still held merge, as on a board.
    assert sum(w["spi"] for w in windows.values()) > 0
    assert not any("queue full" in l for l in run.of("bulkhead")), run.text()


def test_direct_partition_cannot_deactivate_foreign_spi_through_icc_dir():
    """Issue 9's first attack: a direct-delivery partition sets EOImode 1 and writes
    ICC_DIR_EL1 with another partition's SPI in a loop, while that partition holds the
    level-triggered SPI active. The trapped write is refused and counted; the SPI is never
    deactivated behind its owner's back (the owner takes each alarm once and notices
    nothing), and nothing is logged for it.

    Runs in real time (QEMU's -icount round robin never lets the attack land while the SPI
    is active): its counts are compared, not its timing.

    Verifies: REQ-IRQ-012, REQ-IRQ-004~2, REQ-TRP-009
    """
    r = _attack("direct-attack-dir")
    assert r.exited, r.text()
    _sentinel_took_every_alarm_once(r)
    rounds = next(int(m.group(1)) for l in r.of("attacker") if (m := re.match(r"attack 1: (\d+) rounds done", l)))
    attacker = _incidents(r, "attacker")
    assert rounds > 0 and attacker and attacker["interrupt"] >= rounds * 100, (rounds, attacker)
    assert any("deactivation of an interrupt it does not own refused (offset 0x0, value 0x22)" in l
               for l in r.of("bulkhead")), r.text()
    assert _incidents(r, "sentinel") is None, r.text()


def test_direct_partition_eoi_of_foreign_spi_is_merged():
    """Issue 9's second attack, the risk that direct-delivery-risk =
    "foreign-spi-deactivation" accepts: a direct-delivery partition acknowledges an SGI of
    its own and writes ICC_EOIR1_EL1 with another partition's SPI, which the architecture
    does not let the hypervisor trap; the GIC deactivates the SPI while its owner (mediated)
    holds it active, and the still-asserted level line makes it pending again. The owner's
    hypervisor finds it already held in a list register and merges the repeat: the owner
    takes each alarm once (no duplicate entry) and the vGIC queue never overflows; each
    repeat costs the owner's core an exception, counted and logged, rate-limited, as an
    interference incident of the owner. That cost is the documented risk.

    Runs in real time, as the first attack's test.

    Verifies: REQ-IRQ-013, REQ-IRQ-007, REQ-TRP-009
    """
    r = _attack("direct-attack-eoir")
    assert r.exited, r.text()
    _sentinel_took_every_alarm_once(r)
    eois = next(int(m.group(1)) for l in r.of("attacker")
                if (m := re.search(r"\((\d+) EOIs of the victim's SPI\)", l)))
    victim = _incidents(r, "sentinel")
    assert eois > 0 and victim and victim["interference"] > 0, (eois, victim, r.text())
    assert victim["call"] == victim["register"] == victim["interrupt"] == victim["console"] == victim["fault"] == 0
    lines = [l for l in r.of("bulkhead") if "'sentinel' vCPU 1, interference incident" in l]
    assert lines and "interrupt 34 taken again while the guest held it" in lines[0], r.text()
    assert len(lines) <= 5, lines
