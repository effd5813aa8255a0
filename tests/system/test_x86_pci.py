# SPDX-License-Identifier: MIT
"""PCI device assignment on x86, configs/qemu-x86_64-pci.dts (arch/x86/pci.c): QEMU's edu function
at 00:03.0 (scripts/qemu.py's q35 machine) is x86pci's. The hypervisor moves its BAR from where
firmware put it to the description's address; x86pci finds it through the filtered configuration
ports, sizes the BAR, drives the device through its window and tries what the filter refuses, then
faults and is restarted; "outsider" runs the same program (partitions/x86pci) without a function.
The board is q35 with its AMD IOMMU (configs/boards/qemu-x86_64-iommu.dtsi, `-device amd-iommu`),
which translates edu's DMA through x86pci's RAM. One run (about 10 s under TCG), every test reads
its lines."""
import re

import pytest

import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")

EDU_CONFIG_ID = 0x11e81234   # vendor 0x1234, device 0x11e8
EDU_IDENT = 0x010000ed       # edu's identification register (BAR0 + 0): version 1.0
BAR0 = 0xd0000000            # configs/boards/qemu-x86_64.dtsi


@pytest.fixture(scope="module")
def pci_run():
    return x86sys.booted("x86-pci", "configs/qemu-x86_64-pci.dts", 2, timeout=90)


def _lines(run, name, prefix):
    return [l[len(prefix):] for l in run.of(name) if l.startswith(prefix)]


def _one(run, name, prefix):
    found = _lines(run, name, prefix)
    assert found, run.text()
    return found[0]


def test_assigned_function_is_placed_by_the_description_and_driven(pci_run):
    """The hypervisor writes BAR0 where the description says, not where firmware left it, with
    decoding off; the partition finds exactly its function at its BDF, reads that address back,
    sizes the BAR (1 MiB) without moving it, enables memory decoding and drives edu through the
    mapped window: identity register, liveness (the inverse of what it wrote), factorial.

    Verifies: REQ-DEV-002, REQ-DEV-003~2
    """
    log = pci_run.of("bulkhead")
    placed = [l for l in log if l.startswith("PCI 0:3.0 BAR0: firmware's ")]
    assert placed and placed[0].endswith(f"the description's {BAR0:#x}"), pci_run.text()
    assert placed[0] != f"PCI 0:3.0 BAR0: firmware's {BAR0:#x}, the description's {BAR0:#x}", \
        "firmware already put the BAR there: the test proves no placement"
    assert _lines(pci_run, "x86pci", "x86pci: function ") == [f"00:03.0 id {EDU_CONFIG_ID:#010x}"] * 2, pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: restart 0, ") == "1 functions, incidents 0", pci_run.text()
    assert _lines(pci_run, "x86pci", "x86pci: BAR0 0x")[0] == f"{BAR0:08x} command 0x0000", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: BAR0 size ") == f"0x100000, then {BAR0:#010x}, incidents 0", \
        pci_run.text()
    assert _lines(pci_run, "x86pci", "x86pci: ident ") == [f"{EDU_IDENT:#010x}"] * 2, pci_run.text()
    assert _lines(pci_run, "x86pci", "x86pci: liveness ") == ["0xedcba987"] * 2, pci_run.text()
    assert _lines(pci_run, "x86pci", "x86pci: factorial(10) ") == ["3628800"] * 2, pci_run.text()


def test_configuration_space_filter_refuses_and_counts(pci_run):
    """Each hostile access is refused and counted as one register incident, and the function
    still answers at its address afterwards: a BAR move over RAM leaves it in place; a command
    write of I/O space, memory space and bus mastering keeps memory space and bus mastering (the
    board's IOMMU translates its DMA) and counts the I/O space; status hides the
    capability list, the capability pointer and the dword past the header read 0 and a write there
    is ignored; another function (the host bridge) reads all ones and a write to another (the LPC
    bridge) is ignored; an unaligned four-byte read of 0xcfd, a byte write to 0xcf9 (the reset
    control: the machine does not reset) and a word read of 0xcf8 are refused (all ones).

    Verifies: REQ-DEV-003~2
    """
    assert _one(pci_run, "x86pci", "x86pci: BAR0 after a move ") == f"{BAR0:#010x}, incidents 1", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: command after 0x7 ") == "0x0006, incidents 2", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: status ") == "0x0000 capabilities 0x00 header+0x40 0x00000000", \
        pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: write past the header, ") == "incidents 3", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: host bridge ") == "0xffffffff", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: LPC command write, ") == "incidents 4", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: unaligned 0xcfd ") == "0xffffffff, incidents 5", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: 0xcf9 write, ") == "incidents 6", pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: word 0xcf8 ") == "0xffff, incidents 7", pci_run.text()
    assert "partition 'x86pci' vCPU 0, register incident 1 (0 not logged since the last): " \
           f"PCI configuration write 0x400000 to address 0x80001810 refused" in pci_run.of("bulkhead"), pci_run.text()
    assert not any("ESCAPED" in l for l in pci_run.lines), pci_run.text()


def test_dma_reaches_only_its_own_ram(pci_run):
    """With bus mastering granted (the IOMMU is on), edu's DMA uses x86pci's guest-physical
    addresses: a round trip through its RAM brings all 64 bytes back; a write to the host address
    of that same RAM (where it would land untranslated) changes none of its bytes; a read of
    outsider's RAM, whose image is the same program, brings none of the image's nonzero bytes; a
    write to the hypervisor's host address lands in x86pci's own RAM at that guest-physical
    address, and the hypervisor runs on.

    Verifies: REQ-DEV-004
    """
    assert _one(pci_run, "x86pci", "x86pci: DMA round trip through its RAM: ") == "64 of 64 bytes", pci_run.text()
    host = _one(pci_run, "x86pci", "x86pci: DMA to its RAM's host address ")
    assert re.fullmatch(r"0x600[0-9a-f]{4}: 64 of 64 bytes unchanged", host), pci_run.text()
    m = re.fullmatch(r"0x8000000: (\d+) of its image's (\d+) nonzero bytes",
                     _one(pci_run, "x86pci", "x86pci: DMA from outsider's RAM "))
    assert m and int(m.group(1)) == 0 and int(m.group(2)) > 32, pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: DMA to the hypervisor's host address ") == \
        "0x1000000: 64 of 64 bytes in its own RAM there", pci_run.text()


def test_restart_finds_the_function_placed_again_with_decoding_off(pci_run):
    """x86pci faults after enabling memory decoding; its restart finds the function at the same
    BDF, BAR0 at the description's address and the command register cleared.

    Verifies: REQ-DEV-002
    """
    assert "partition 'x86pci' restarting (restart 1)" in pci_run.of("bulkhead"), pci_run.text()
    assert _one(pci_run, "x86pci", "x86pci: restart 1, ") == "1 functions, incidents 7", pci_run.text()
    assert _lines(pci_run, "x86pci", "x86pci: BAR0 0x")[-1] == f"{BAR0:08x} command 0x0000", pci_run.text()
    assert "x86pci: done" in pci_run.of("x86pci"), pci_run.text()


def test_partition_without_the_function_sees_and_reaches_none_of_it(pci_run):
    """outsider's scan of bus 0 finds no function (the configuration ports are denied: its 256
    address writes and 256 data reads are refused and counted) and its load from edu's window is a
    nested page fault that stops it alone; x86pci runs on and the board powers off.

    Verifies: REQ-DEV-003~2
    """
    assert _one(pci_run, "outsider", "x86pci: restart 0, ") == "0 functions, incidents 512", pci_run.text()
    assert any(l.startswith("fault: partition 'outsider' vCPU 0 (core 2): stage-2 data abort (read) at IPA 0xd0000000")
               for l in pci_run.of("bulkhead")), pci_run.text()
    assert "x86pci: ESCAPED" not in " ".join(pci_run.of("outsider")), pci_run.text()
    assert pci_run.exited and pci_run.returncode == 0, pci_run.text()
