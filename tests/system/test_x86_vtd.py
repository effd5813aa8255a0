# SPDX-License-Identifier: MIT
"""DMA isolation by Intel VT-d, configs/qemu-x86_64-pci-vtd.dts: test_x86_pci.py's partitions on the
q35 board with QEMU's `-device intel-iommu` (configs/boards/qemu-x86_64-vtd.dtsi; arch/x86/vtd.c)
instead of AMD-Vi, under TCG with the EPYC CPU and SVM (bochs has no VT-d). x86pci owns edu at
00:03.0 and drives its DMA engine through its RAM, at its RAM's host address, at outsider's RAM
and at the hypervisor's host address. One run (about 10 s under TCG), every test reads its lines."""
import re

import pytest

import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")

EDU = "0:3.0"


@pytest.fixture(scope="module")
def vtd_run():
    return x86sys.booted("x86-vtd", "configs/qemu-x86_64-pci-vtd.dts", 2, timeout=90)


def _one(run, name, prefix):
    found = [l[len(prefix):] for l in run.of(name) if l.startswith(prefix)]
    assert found, run.text()
    return found[0]


def _faults(run):
    return [re.fullmatch(r"VT-d: DMA fault (\d+): PCI (\S+) (read|write) at (0x[0-9a-f]+) refused \(reason (\d+)\)", l)
            for l in run.of("bulkhead") if l.startswith("VT-d: DMA fault ")]


def test_assigned_function_masters_the_bus_through_its_own_ram(vtd_run):
    """The unit translates edu's DMA, so the filter grants bus mastering; bus addresses are
    x86pci's guest-physical addresses: a round trip through its RAM brings all 64 bytes back, and
    a write to the hypervisor's host address (0x1000000, inside x86pci's guest-physical RAM) lands
    in x86pci's own RAM there, not in the hypervisor, which runs on to power the board off.

    Verifies: REQ-DEV-005
    """
    assert _one(vtd_run, "x86pci", "x86pci: command after 0x7 ") == "0x0006, incidents 2", vtd_run.text()
    assert _one(vtd_run, "x86pci", "x86pci: DMA round trip through its RAM: ") == "64 of 64 bytes", vtd_run.text()
    assert _one(vtd_run, "x86pci", "x86pci: DMA to the hypervisor's host address ") == \
        "0x1000000: 64 of 64 bytes in its own RAM there", vtd_run.text()
    assert "x86pci: done" in vtd_run.of("x86pci"), vtd_run.text()
    assert vtd_run.exited and vtd_run.returncode == 0, vtd_run.text()


def test_dma_outside_its_ram_is_blocked(vtd_run):
    """A write to the host address of x86pci's own RAM (where it would land untranslated) changes
    none of its bytes, and a read of outsider's RAM, whose image is the same program, brings none
    of the image's nonzero bytes.

    Verifies: REQ-DEV-005
    """
    host = _one(vtd_run, "x86pci", "x86pci: DMA to its RAM's host address ")
    assert re.fullmatch(r"0x600[0-9a-f]{4}: 64 of 64 bytes unchanged", host), vtd_run.text()
    m = re.fullmatch(r"0x8000000: (\d+) of its image's (\d+) nonzero bytes",
                     _one(vtd_run, "x86pci", "x86pci: DMA from outsider's RAM "))
    assert m and int(m.group(1)) == 0 and int(m.group(2)) > 32, vtd_run.text()


def test_refused_dma_is_recorded_counted_and_logged(vtd_run):
    """Each refused transfer is a fault the unit records and the hypervisor reads at the owner's
    next configuration access, counts and logs: edu's write to x86pci's host address (no write
    permission there: reason 5) and its read of outsider's RAM (reason 6), numbered 1 and 2, and
    nothing else (the DMA into its own RAM faults nowhere).

    Verifies: REQ-DEV-006
    """
    faults = _faults(vtd_run)
    assert all(faults), vtd_run.text()
    host = int(_one(vtd_run, "x86pci", "x86pci: DMA to its RAM's host address ").split(":")[0], 16)
    assert [(f.group(1), f.group(2), f.group(3), int(f.group(4), 16), f.group(5)) for f in faults] == [
        ("1", EDU, "write", host & ~0xfff, "5"),
        ("2", EDU, "read", 0x8000000, "6"),
    ], vtd_run.text()
    assert not any("overflowed" in l for l in vtd_run.of("bulkhead")), vtd_run.text()
