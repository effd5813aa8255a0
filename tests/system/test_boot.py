# SPDX-License-Identifier: MIT
"""The demos system (three demo partitions, no service partition) boots in QEMU and every
partition runs to completion."""
import os
import re
import subprocess
import tempfile

import pytest

import harness

PARTITIONS = ["demo-a", "demo-b", "demo-c"]


@pytest.fixture(scope="module")
def boot():
    system = harness.build("demos", "configs/qemu-aarch64-virt-demos.dts")
    return harness.run(system, timeout=60)


def test_every_partition_starts(boot):
    """Each partition's vCPU 0 starts at its entry point and greets.

    Verifies: REQ-BLD-001, REQ-CPU-001, REQ-HC-006
    """
    for i, name in enumerate(PARTITIONS):
        lines = boot.of(name)
        assert lines, f"{name} printed nothing:\n{boot.text()}"
        vcpus = 2 if name == "demo-b" else 1
        assert lines[0] == f"hello: partition {i}, vCPU 0 of {vcpus}, restart 0"


def test_memory_view(boot):
    """Each partition sees its RAM where the description puts it and all of its free RAM works.

    Verifies: REQ-MEM-004
    """
    sizes = {"demo-a": 16384, "demo-b": 32768, "demo-c": 16384}
    for name, kib in sizes.items():
        lines = boot.of(name)
        assert f"RAM 0x40000000-0x{0x40000000 + kib * 1024 - 1:08x} ({kib} KiB)" in lines
        assert any(re.match(r"memory test 0x[0-9a-f]+-0x[0-9a-f]+: passed \(0 errors\)", l) for l in lines), lines


def test_secondary_vcpu_started_by_psci(boot):
    """demo-b starts its second vCPU with PSCI CPU_ON; it runs on its own core.

    Verifies: REQ-CPU-002
    """
    lines = boot.of("demo-b")
    assert "CPU_ON vCPU 1: 0" in lines
    assert "vCPU 1 online" in lines
    assert "vCPU 1 heartbeat 5" in lines


def test_partitions_finish_and_board_powers_off(boot):
    """SYSTEM_OFF stops only its partition; the board powers off after the last one.

    Verifies: REQ-CPU-006
    """
    assert boot.exited, "QEMU did not power off:\n" + boot.text()
    for name in PARTITIONS:
        assert "done" in boot.of(name), name
        assert f"partition '{name}' stopped" in boot.of("bulkhead")
    hyp = boot.of("bulkhead")
    assert hyp[-1] == "all partitions stopped"
    # Each partition stopped only once, when it asked to.
    for name in PARTITIONS:
        assert hyp.count(f"partition '{name}': PSCI SYSTEM_OFF") == 1


def test_console_lines_whole_and_prefixed(boot):
    """Every console line carries exactly one known prefix and is never cut by another.

    Verifies: REQ-CON-001
    """
    known = re.compile(r"^\[(bulkhead|demo-a|demo-b|demo-c)\] ")
    for line in boot.lines:
        assert known.match(line), f"stray or interleaved line: {line!r}"
        assert not re.search(r".\[(bulkhead|demo-a|demo-b|demo-c)\] ", line), f"interleaved: {line!r}"
    # The heartbeats of both demo-b vCPUs arrive as complete lines.
    assert sum(1 for l in boot.of("demo-b") if re.fullmatch(r"(vCPU 1 )?heartbeat [1-5]", l)) == 10


def test_el2_map_pool_sized_for_the_description():
    """A description whose EL2 map needs more table pages than the hypervisor once kept for any
    description (three partitions with four small regions each, in separate 2 MiB slots) gets a
    pool counted for it: it boots and every partition runs to the end.

    Verifies: REQ-CFG-045, REQ-MEM-006
    """
    system = harness.build("el2-small-regions", "tests/system/configs/el2-small-regions.dts")
    assert int(system.vars["BH_EL2_POOL_PAGES"]) == 19
    run = harness.run(system, timeout=60)
    assert run.exited, "QEMU did not power off:\n" + run.text()
    for name in ("one", "two", "three"):
        assert run.of(name) and run.of(name)[0].startswith("hello:"), run.text()
        assert "done" in run.of(name), run.text()


def test_bss_cleared_whatever_the_loader_left():
    """The hypervisor zeroes its own .bss at boot and relies on nothing a loader left there: QEMU's
    generic loader fills all of .bss with 0xa5 before core 0 starts (after -kernel's image, which
    ends before .bss), and the demos system still boots, runs every partition to its end, stops
    each partition once and powers off, exactly as from zeroed memory.

    Verifies: REQ-BLD-031
    """
    system = harness.build("demos", "configs/qemu-aarch64-virt-demos.dts")
    nm = subprocess.run(["aarch64-linux-gnu-nm", os.path.join(system.out, "bulkhead.elf")],
                        capture_output=True, text=True, check=True).stdout
    sym = {l.split()[2]: int(l.split()[0], 16) for l in nm.splitlines() if len(l.split()) == 3}
    start, end = sym["__bss_start"], sym["__bss_end"]
    # .bss is beyond the raw image QEMU loads, so the fill is not overwritten by the image itself.
    assert end - start > 16 * 1024 and start - sym["__image_start"] >= os.path.getsize(system.image)
    with tempfile.NamedTemporaryFile(suffix=".bss-fill") as fill:
        fill.write(b"\xa5" * (end - start))
        fill.flush()
        run = harness.run(system, timeout=60,
                          extra=["-device", f"loader,file={fill.name},addr={start:#x},force-raw=on"])
    assert run.exited, "QEMU did not power off:\n" + run.text()
    hyp = run.of("bulkhead")
    for name in PARTITIONS:
        assert "done" in run.of(name), run.text()
        assert hyp.count(f"partition '{name}': PSCI SYSTEM_OFF") == 1, run.text()
    assert hyp[-1] == "all partitions stopped"
