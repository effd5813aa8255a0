# SPDX-License-Identifier: MIT
"""The measuring plugin (tools/qemu-plugin/tracepoints.c) counts executed instructions exactly.

tools/qemu-plugin/exactness.S runs on QEMU's virt board at EL1 on one CPU
under the project's -icount (shift=4), where one instruction is one tick of
the 62.5 MHz virtual counter. It reads the counter before and after eight
spans whose instruction counts are known by construction: loops whose
back-edge lands at the start or in the middle of a translated block, a load
that faults in the middle of a block, a device read in the middle of a block
(which -icount executes again in a block of its own), both in a loop, an
SVC, a store into the block being executed, and a load that ends a block
just before an address shaped like an exception vector. The plugin counts
the same spans with points and marks at the spans' labels, some of them in
the middle of a block. Counter, plugin and
construction must agree exactly, and so must the counter and the plugin
over the whole run.
"""
import os
import re
import subprocess

import pytest

import harness

ELF = os.path.join(harness.BUILD, "tools", "exactness.elf")
PLUGIN = harness.TRACEPOINTS
COUNTER_HZ = 62_500_000          # at shift=4 one instruction (16 ns) is one tick

# The constants and handler paths of exactness.S.
LOOP_N = 1000
MIXED_N = 100
ABORT_PATH = 10                  # vector branch + handler skipping a faulting load
SVC_PATH = 7                     # vector branch + handler returning from an SVC
# Instructions after a span's first counter read, up to and including its second.
EXPECTED = {
    1: 2 + 3 * LOOP_N + 1,                        # mov, b; the loop; mrs
    2: 1 + 3 * LOOP_N + 1,                        # mov; the loop; mrs
    3: 1 + ABORT_PATH + 2 + 1,                    # add; the load faults (not executed); add, add; mrs
    4: 1 + 1 + 2 + 1,                             # add; device read; add, add; mrs
    5: 1 + MIXED_N * (2 + ABORT_PATH + 2) + 1,    # mov; (add, read, fault, sub, cbnz) x N; mrs
    6: 1 + 1 + SVC_PATH + 1 + 1,                  # add; svc (executes); add; mrs
    7: 4 + 2 + 1,                                 # add, adr, ldr, str into the block; add, add; mrs
    8: 4 + 3 + 1,                                 # add, add, add, b; add, ldr at the page end, add; mrs
}
# In span 8, a mark (span8_mark), a point (span8_point) and the end of a range
# in the middle of a block, each at another instruction: the instructions from
# the span's start to them.
MARK_8 = 2
POINT_8 = 3
HEAD_8 = 1
FAULTING_LOADS = 1 + MIXED_N


def symbols(elf):
    r = subprocess.run(["aarch64-linux-gnu-nm", elf], check=True, stdout=subprocess.PIPE, text=True)
    return {p[2]: int(p[0], 16) for p in (l.split() for l in r.stdout.splitlines()) if len(p) == 3}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Runs the program once under the plugin; returns (console lines, plugin report lines)."""
    subprocess.run(["make", "-C", harness.SRCTREE, f"O={harness.BUILD}", "host-tools"], check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sym = symbols(ELF)
    report = tmp_path_factory.mktemp("plugin") / "plugin.txt"
    args = [PLUGIN, f"range=program@{sym['_start']:#x}-{sym['text_end']:#x}",
            f"point=end@{sym['total_end']:#x}"]
    for n in EXPECTED:
        begin, end = sym[f"span{n}_begin"], sym[f"span{n}_end"]
        args += [f"point=begin{n}@{begin:#x}", f"point=end{n}@{end:#x}", f"mark=span{n}@{begin:#x}",
                 f"mark=after{n}@{end:#x}"]
    args += [f"mark=middle8@{sym['span8_mark']:#x}", f"point=middle8@{sym['span8_point']:#x}",
             f"range=head8@{sym['span8_begin']:#x}-{sym['span8_begin'] + 4 * HEAD_8:#x}"]
    args.append(f"out={report}")
    lines = harness.run_native(ELF, 3, 1, timeout=30, icount=harness.qemu.ICOUNT_EXACT, plugin=",".join(args))
    text = "\n".join(lines)
    # Booted: the program ran to its end and printed every figure.
    assert any(l.startswith("total ") for l in lines), text
    assert "unexpected exception" not in text, text
    with open(report) as f:
        plugin = [l.rstrip("\n") for l in f]
    assert not [l for l in plugin if l.startswith("bh-plugin: error")], plugin
    return lines, plugin


def console(lines, name):
    """The hex figure the program printed after `name`."""
    for l in lines:
        m = re.fullmatch(name + r" ([0-9a-f]{16})", l)
        if m:
            return int(m.group(1), 16)
    raise AssertionError(f"no '{name}' in {lines}")


def figure(plugin, pattern):
    """The number `pattern`'s group matches in the plugin's report."""
    for l in plugin:
        m = re.fullmatch(pattern, l)
        if m:
            return int(m.group(1))
    raise AssertionError(f"no {pattern} in {plugin}")


def points(plugin):
    out = {}
    for l in plugin:
        m = re.fullmatch(r"bh-plugin: point (\S+) cpu 0 total (\d+) cpu_insns (\d+)", l)
        if m:
            assert m.group(2) == m.group(3), l      # one CPU: its count is the total
            out[m.group(1)] = int(m.group(3))
    return out


def test_counter_counts_instructions(run):
    """Under the project's -icount the virtual counter advances one tick per instruction.

    Verifies: REQ-BEN-001
    """
    lines, _ = run
    assert console(lines, "cntfrq") == COUNTER_HZ
    assert {n: console(lines, f"span {n}") for n in EXPECTED} == EXPECTED
    assert console(lines, "faults") == FAULTING_LOADS + 1      # the loads and the SVC


def test_points_count_each_span_exactly(run):
    """The plugin's points count each span's instructions as the counter and the construction do.

    Verifies: REQ-BEN-001
    """
    lines, plugin = run
    p = points(plugin)
    assert {n: p[f"end{n}"] - p[f"begin{n}"] for n in EXPECTED} == EXPECTED
    assert p["middle8"] - p["begin8"] == POINT_8
    assert {n: console(lines, f"span {n}") for n in EXPECTED} == EXPECTED
    assert f"bh-plugin: cpu 0 aborted {FAULTING_LOADS}" in plugin, plugin


def test_marks_and_range_count_each_span_exactly(run):
    """Ranges and marks count each span exactly, also where they start or end in the middle of a block.

    Verifies: REQ-BEN-001
    """
    _, plugin = run
    segments = {f"span{n}": insns for n, insns in EXPECTED.items()}
    segments.update({"span8": MARK_8, "middle8": EXPECTED[8] - MARK_8})
    for mark, insns in segments.items():
        line = f"bh-plugin: range program mark {mark} segments 1 insns {insns} min {insns} median {insns} max {insns}"
        assert line in plugin, (mark, insns, [l for l in plugin if f"mark {mark} " in l])
    # A range that ends in the middle of a block counts only the block's instructions inside it.
    assert f"bh-plugin: range head8 cpu 0 runs 1 insns {HEAD_8} min {HEAD_8} median {HEAD_8} max {HEAD_8}" in plugin


def test_whole_run_equals_virtual_time(run):
    """The plugin's count of the whole run to the last counter read equals the counter then.

    Verifies: REQ-BEN-001
    """
    lines, plugin = run
    total = console(lines, "total")
    assert points(plugin)["end"] == total
    # Nothing ran outside the program: the range and the CPU counted the same instructions.
    in_program = figure(plugin, r"bh-plugin: range program cpu 0 runs 1 insns (\d+) .*")
    assert in_program == figure(plugin, r"bh-plugin: cpu 0 insns (\d+)") > total
