# SPDX-License-Identifier: MIT
"""The hypervisor's log channel on QEMU: who reports a partition's fault, and what it costs.

Two systems of `make bench` (tests/bench/configs/bench-fault*.dts): partition
"fault" (partitions/faultbench/) makes one store to an unmapped address and
is stopped; the other partition stays alive. With a service partition the
hypervisor publishes the fault and the stop as records in the log channel
and leaves the UART alone; without one it prints them itself. The measuring
plugin counts the faulting core's instructions from the store to the core's
release (arch_cpu_stop); the run ends once it has seen that point.
"""
import os
import sys

import pytest

import harness

sys.path.insert(0, os.path.join(harness.SRCTREE, "tests", "bench"))
import bench  # noqa: E402  (the benchmark's measurement, shared)

# The runs are cut off once the stop is seen (the other partition lives on), so a coverage
# build would dump nothing, and its counters would change the instruction count.
pytestmark = pytest.mark.skipif(harness.COVERAGE, reason="measured in instructions, runs cut off before a dump")

FAULT_BUDGET = 1500
BANNER = "[bulkhead] Bulkhead: 4 cores, 2 partitions"


def measure(name, dts):
    system = harness.build(name, dts)
    el2, steps, errors, lines = bench.measure_fault(system.out, system.vars)
    # Booted: the hypervisor's banner, and the plugin saw the partition's store and the stop.
    if BANNER not in lines:
        raise harness.NotBooted(f"{name}: no banner:\n" + "\n".join(lines[-40:]))
    assert not errors, errors
    return el2, steps, lines


@pytest.fixture(scope="module", autouse=True)
def plugin():
    import subprocess
    subprocess.run(["make", "-C", harness.SRCTREE, f"O={harness.BUILD}", "host-tools"], check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_with_a_service_partition_the_fault_is_a_record_within_budget():
    """The fault and the stop go into the log channel, not to the UART, within 1,500 EL2 instructions.

    Verifies: REQ-LOG-001~2, REQ-LOG-004
    """
    el2, steps, lines = measure("fault-service", "tests/bench/configs/bench-fault-service.dts")
    text = "\n".join(lines)
    assert el2 <= FAULT_BUDGET, (el2, steps)
    # The service partition (here a program that never drains) is the UART's only writer now:
    # neither the partition's line nor the hypervisor's reports appear on it.
    assert "fault:" not in text, text
    assert "[fault] " not in text, text
    assert "partition 'fault' stopped" not in text, text


def test_without_a_service_partition_the_hypervisor_prints_the_fault():
    """Without a service partition the partition's line and both reports are on the UART, formatted.

    Verifies: REQ-LOG-003
    """
    _, _, lines = measure("fault", "tests/bench/configs/bench-fault.dts")
    assert "[fault] faultbench: a store to 0x70000000" in lines, lines
    assert any(l.startswith("[bulkhead] fault: partition 'fault' vCPU 0 (core 0): stage-2 data abort (write) "
                            "at IPA 0x70000000, PC 0x") and l.endswith("; stop") for l in lines), lines
    assert "[bulkhead] partition 'fault' stopped" in lines, lines
    assert ("[bulkhead] partition 'fault' incidents since boot: call 0, register 0, interrupt 0, console 0, "
            "fault 1, interference 0") in lines, lines
