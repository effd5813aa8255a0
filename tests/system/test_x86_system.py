# SPDX-License-Identifier: MIT
"""The default x86 system, configs/qemu-x86_64.dts, as `make run` builds and
boots it with configs/qemu-x86_64_defconfig: bhcc's x86 back end makes its
tables, the x86 partition SDK (runtime + newlib) its two programs, and
scripts/qemu.py's q35 machine runs it. talker (core 0) prints its lines;
x86probe (core 1) uses COM2, which it owns, then writes to COM1, which it does
not own, then stores into talker's RAM."""
import pytest

import harness
import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")


@pytest.fixture(scope="module")
def system_run():
    run = x86sys.run(*x86sys.build("x86-default", "configs/qemu-x86_64.dts"), timeout=120)
    if "Bulkhead: 4 cores, 2 partitions" not in run.of("bulkhead"):
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def test_both_sdk_partitions_print_through_their_consoles_and_the_board_powers_off(system_run):
    """Two partitions built with the x86 SDK, on cores 0 and 1, reach main(),
    print through the hypervisor's debug console (their lines come back tagged
    with their names: the runtime recognised Bulkhead's CPUID signature, or it
    would have written to COM1 itself), and the board powers off once both
    have stopped.

    Verifies: REQ-XARCH-001, REQ-XARCH-011
    """
    talker = system_run.of("talker")
    assert "talker: partition 0, restart 0, 300 lines" in talker, system_run.text()
    assert len([l for l in talker if l.startswith("line ")]) == 300, system_run.text()
    assert "done: 300 lines" in talker and "exit(0)" in talker, system_run.text()
    assert any(l.startswith("x86probe: partition 1, ") for l in system_run.of("x86probe")), system_run.text()
    assert "all partitions stopped" in system_run.of("bulkhead")
    assert system_run.exited and system_run.returncode == 0, system_run.text()


def test_the_cpuid_leaves_give_the_tsc_frequency_the_runtime_uses(system_run):
    """Leaf 0x40000000 names 0x40000010 as the highest Bulkhead leaf, which
    gives the TSC's frequency in kHz (the hypervisor's calibration), and the
    runtime's counter frequency is that one.

    Verifies: REQ-XARCH-011
    """
    i = system_run.index(r"^\[x86probe\] x86probe: CPUID 0x40000000: max leaf 0x40000010, TSC (\d+) kHz; "
                         r"the runtime's counter (\d+) kHz$")
    assert i >= 0, system_run.text()
    line = system_run.lines[i]
    tsc, counter = (int(w.split()[0]) for w in (line.split("TSC ")[1], line.split("counter ")[1]))
    assert tsc > 0 and tsc == counter, line


def test_the_ports_it_owns_reach_the_device(system_run):
    """x86probe was given COM2 (its reg under /board/isa, bhcc's port range in
    its I/O permission map): its reads reach the UART (LSR 0x60: transmitter
    empty, where a refused read would give 0xff) and its writes go through
    without an incident.

    Verifies: REQ-XARCH-004, REQ-XARCH-012
    """
    probe = system_run.of("x86probe")
    assert any(l.endswith("COM2 LSR 0x60") for l in probe), system_run.text()
    assert "x86probe: wrote 18 bytes to COM2, now a write to COM1" in probe, system_run.text()
    assert not any("port 0x2f" in l for l in system_run.of("bulkhead")), system_run.text()


def test_a_port_it_was_not_given_is_refused_and_it_goes_on(system_run):
    """The OUT to COM1, the hypervisor's console, traps, is refused and
    counted as an incident; the partition goes on after it, and the byte
    never reaches the UART.

    Verifies: REQ-XARCH-004
    """
    i = system_run.index(r"^\[bulkhead\] partition 'x86probe' vCPU 0, register incident 1 .*OUT to port 0x3f8 refused")
    assert i >= 0, system_run.text()
    assert system_run.index(r"^\[x86probe\] x86probe: COM1 write done", i) > i, system_run.text()
    assert not any(l == "X" or l.startswith("X[") for l in system_run.lines), system_run.text()


def test_a_store_into_another_partitions_memory_is_contained(system_run):
    """The store to guest-physical 64 MiB, talker's RAM in host memory but
    nothing in x86probe's nested page tables, never completes: a nested page
    fault stops x86probe alone, and talker prints all its lines after it.

    Verifies: REQ-XARCH-002
    """
    i = system_run.index(r"^\[bulkhead\] fault: partition 'x86probe' vCPU 0 \(core 1\): "
                         r"stage-2 data abort \(write\) at IPA 0x4000000, PC 0x[0-9a-f]+, ESR 0x400; stop")
    assert i >= 0, system_run.text()
    assert system_run.index(r"^\[bulkhead\] partition 'x86probe' stopped", i) > i
    assert not any("ESCAPED" in l for l in system_run.lines), system_run.text()
    assert system_run.index(r"^\[talker\] done: 300 lines", i) > i, system_run.text()
