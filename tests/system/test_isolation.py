# SPDX-License-Identifier: MIT
"""A hostile partition cannot reach other partitions or the hypervisor."""
import re

import pytest

import harness

ATTACKS = [
    ("read another partition's memory", 0x41000000, "stage-2 data abort \\(read\\)"),
    ("read the hypervisor's memory", 0x40200000, "stage-2 data abort \\(read\\)"),
    ("write another partition's memory", 0x41000000, "stage-2 data abort \\(write\\)"),
    ("write its own read-only memory", 0x90000000, "stage-2 data abort \\(write\\)"),
    ("execute its own non-executable memory", 0x91000000, "stage-2 instruction abort"),
]


@pytest.fixture(scope="module")
def isolation():
    system = harness.build("isolation", "tests/system/configs/isolation.dts")
    return harness.run(system, timeout=60)


@pytest.fixture(scope="module")
def fault_stop():
    system = harness.build("fault-stop", "tests/system/configs/fault-stop.dts")
    return harness.run(system, timeout=60)


def _fault_line(run, start, addr, kind):
    pattern = (rf"^\[bulkhead\] fault: partition 'intruder' vCPU \d \(core \d\): {kind} "
               rf"at IPA 0x{addr:x}, PC 0x[0-9a-f]+, ESR 0x[0-9a-f]+; ")
    return run.index(pattern, start)


def test_each_attack_is_stopped_and_logged(isolation):
    """Every escape attempt faults in stage 2, is logged with its address, and restarts the intruder.

    Verifies: REQ-MEM-001, REQ-MEM-002, REQ-MEM-003, REQ-TRP-001
    """
    pos = 0
    for n, (what, addr, kind) in enumerate(ATTACKS):
        pos = isolation.index(rf"^\[intruder\] attack {n}: {re.escape(what)} at 0x{addr:x}$", pos)
        assert pos >= 0, f"attack {n} not attempted:\n{isolation.text()}"
        fault = _fault_line(isolation, pos, addr, kind)
        assert fault > pos, f"attack {n} not logged as a fault:\n{isolation.text()}"
        assert isolation.lines[fault].endswith("; restart")
        pos = isolation.index(rf"^\[bulkhead\] partition 'intruder' restarting \(restart {n + 1}\)$", fault)
        assert pos > fault
    assert not any("NOT stopped" in l for l in isolation.lines)
    assert "all 5 attacks were stopped" in isolation.of("intruder")


def test_victims_unaffected(isolation):
    """The other partitions keep running through the attacks and finish normally.

    Verifies: REQ-MEM-001, REQ-TRP-001
    """
    first_fault = isolation.index(r"^\[bulkhead\] fault: partition 'intruder'")
    assert first_fault >= 0
    for victim in ("victim", "victim-smp"):
        after = [l for l in isolation.lines[first_fault:] if l.startswith(f"[{victim}] ")]
        assert any("heartbeat" in l for l in after), f"{victim} stopped printing after the first fault"
        assert "done" in isolation.of(victim)
        assert any(re.match(r"memory test .*: passed \(0 errors\)", l) for l in isolation.of(victim))
    assert isolation.exited


def test_restart_reloads_image(isolation):
    """A restarted partition starts again from a pristine copy of its image, with its restart count.

    Verifies: REQ-MEM-008~2, REQ-HC-006
    """
    # Each life reads its restart count from the hypervisor and picks the next attack;
    # a corrupted image or a reused .data would repeat or skip one.
    attempts = [int(m.group(1)) for l in isolation.of("intruder") if (m := re.match(r"attack (\d):", l))]
    assert attempts == list(range(len(ATTACKS)))


def test_fault_on_second_vcpu_stops_whole_partition(fault_stop):
    """A fault on vCPU 1 stops both vCPUs of the partition for good (policy stop); the victim runs on.

    Verifies: REQ-TRP-001, REQ-TRP-002
    """
    r = fault_stop
    fault = _fault_line(r, 0, 0x41000000, "stage-2 data abort \\(read\\)")
    assert fault >= 0, r.text()
    assert "vCPU 1 (core 3)" in r.lines[fault] and r.lines[fault].endswith("; stop")
    stopped = r.index(r"^\[bulkhead\] partition 'intruder' stopped$", fault)
    assert stopped > fault
    # After the stop nothing more comes from either vCPU of the intruder.
    assert not [l for l in r.lines[stopped:] if l.startswith("[intruder] ")]
    assert not any("restarting" in l for l in r.lines)
    assert "done" in r.of("victim")
    assert r.exited
