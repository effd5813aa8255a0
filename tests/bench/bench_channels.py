# SPDX-License-Identifier: MIT
"""`make bench`'s channel rows: doorbell latency and channel throughput.

Runs the channel benchmark system (tests/bench/channel/channel-bench.dts,
partitions/chanbench/) under the same -icount as the rest of the bench (one
instruction = one counter tick) and turns its "result ..." lines into a
markdown section. Only one of its two partitions runs at a time (the other
waits in WFI), so each counter delta counts that side's instructions.
"""
import os
import re

DTS = "tests/bench/channel/channel-bench.dts"
# Issue 11's target: the doorbell no slower than the GICv3 SGI latency measured before it (305).
DOORBELL_TARGET = "<= 305 (GICv3 SGI latency before channels)"
# make bench on 5c3b68c, before issue 16's work on the hot paths: the reference a
# regression is read against (docs/benchmarks.md keeps the history).
REFERENCE_COMMIT = "5c3b68c"
REFERENCE_LATENCY = 383
REFERENCE_CALL = 245
REFERENCE_EL2 = 353

DOORBELL = re.compile(r"^\[sender\] result doorbell: events (\d+) min (\d+) median (\d+) max (\d+)$")
CALL = re.compile(r"^\[sender\] result doorbell-call: (\d+)$")
THROUGHPUT = re.compile(r"^\[sender\] result throughput (\d+): bytes (\d+) send (\d+) receive (\d+) "
                        r"memcpy (\d+) channel (\d+) limit (\d+)$")


def parse(lines):
    """(doorbell (n, min, median, max) or None, the sender's hypercall round trip or None,
    {record bytes: (channel, limit, send, receive, bytes)})."""
    doorbell = None
    call = None
    rates = {}
    for line in lines:
        m = CALL.match(line)
        if m:
            call = int(m.group(1))
        m = DOORBELL.match(line)
        if m:
            doorbell = tuple(int(x) for x in m.groups())
        m = THROUGHPUT.match(line)
        if m:
            size, total, send, recv, _mc, chan, limit = (int(x) for x in m.groups())
            rates[size] = (chan, limit, send, recv, total)
    return doorbell, call, rates


def section(build, symbols, run, where, notes):
    """Builds and runs the channel benchmark with bench.py's helpers: `build(name, dts)` ->
    (out, vars), `symbols(elf)`, `run(out, vars, plugin args)` -> (console lines, exited, plugin
    report) and `where(report, phase, events, out)` -> the EL2 profile text; returns the markdown
    lines, adding to `notes`."""
    md = ["## Channels (partitions/chanbench, instructions counted as ticks)", ""]
    try:
        out, v = build("channels", DTS)
    except RuntimeError as e:
        notes.append(f"channels: not built: {e}")
        return md + ["not measured (see notes)", ""]
    guest = symbols(os.path.join(out, "images", "sender.elf"))
    marks = [f"mark={p}@{guest['chanbench_phase_' + p]:#x}" for p in ("idle", "doorbell")] + ["profile=on"]
    lines, exited, rep = run(out, v, marks)
    doorbell, call, rates = parse(lines)
    notes += [f"channels: plugin: {e}" for e in rep.errors]
    if doorbell is None or not rates or not exited:
        notes.append(f"channels: incomplete run (see {out}/bulkhead.log)")
    md.append(f"| Measure | Bulkhead | Reference ({REFERENCE_COMMIT}; now) | Limit / target |")
    md.append("|---|---|---|---|")
    if doorbell:
        n, lo, med, hi = doorbell
        md.append(f"| doorbell latency, sender's hypercall to the receiver's IRQ vector (min / median / max of {n}) "
                  f"| {lo} / {med} / {hi} | {REFERENCE_LATENCY} ({med - REFERENCE_LATENCY:+d}) | {DOORBELL_TARGET} |")
    if call is not None:
        md.append(f"| ... of which the sender's hypercall, from its call to its return (last event) | {call} | "
                  f"{REFERENCE_CALL} ({call - REFERENCE_CALL:+d}) | |")
    seg = rep.segments.get(("hyp", "doorbell"))
    if doorbell and seg:
        # Each event is two doorbells: the one measured and the receiver's reply.
        rings = 2 * doorbell[0]
        md.append(f"| EL2 instructions per doorbell, both cores (mean of {rings}) | {seg[1] // rings} | "
                  f"{REFERENCE_EL2} ({seg[1] // rings - REFERENCE_EL2:+d}) | |")
        profile = where(rep, "doorbell", rings, out)
    for size in sorted(rates):
        chan, limit, send, recv, total = rates[size]
        per = total // size
        md.append(f"| throughput, {size}-byte records (bytes per 1,000 instructions of both sides; "
                  f"send {send / per:.0f} + receive {recv / per:.0f} instructions per record) | {chan} | | "
                  f"memcpy in one partition: {limit} |")
    md.append("")
    if doorbell and seg:
        md.append(f"Where a doorbell's EL2 instructions go (mean per doorbell, by function): {profile}.")
        md.append("")
    md.append("Doorbell latency: the physical counter read before the sender's `BH_HC_DOORBELL` to the "
              "receiver's IRQ vector entry: the sender's hypercall and its return up to its WFI, the "
              "hypervisor's cross-core injection and the receiver's wake-up (WFI with IRQs masked, then "
              "unmasked). Throughput: the sender fills the ring while the receiver waits, then the receiver "
              "drains it; the memcpy limit copies every record once inside the sender. A channel copies "
              "each record twice (into the ring, out of it) plus the ring's index work.")
    md.append("")
    return md
