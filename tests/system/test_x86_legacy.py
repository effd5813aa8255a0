# SPDX-License-Identifier: MIT
"""The PC's legacy devices on x86, tests/system/configs/x86-legacy.dts: the PIT, the RTC/CMOS and
PCI configuration space (0xcf8/0xcfc) are either a partition's, by its description, or denied:
"owner" lists them and reaches the devices; "outsider" runs the same program (partitions/x86legacy)
without them and reads all ones, each access refused and counted, while the devices keep working
for their owner."""
import pytest

import harness
import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")

Q35_HOST_BRIDGE = 0x29c08086   # QEMU q35's 00:00.0: Intel 82G33/G31/P35/P31 (MCH), device 0x29c0


@pytest.fixture(scope="module")
def legacy_run():
    run = x86sys.run(*x86sys.build("x86-legacy", "tests/system/configs/x86-legacy.dts"), timeout=60)
    if "Bulkhead: 4 cores, 2 partitions" not in run.of("bulkhead"):
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def _value(run, name, prefix):
    line = next((l for l in run.of(name) if l.startswith(prefix)), None)
    assert line is not None, run.text()
    return line[len(prefix):].split()


def test_assigned_legacy_devices_reach_their_owner(legacy_run):
    """The partition that lists the PIT, the RTC/CMOS and PCI configuration space reaches each:
    RTC status register A shows the MC146818's divider (bits 6:4 = 010), PIT channel 0 counts
    (two latched reads 1 ms apart differ), and 00:00.0 answers with q35's host bridge id.

    Verifies: REQ-XARCH-019~3
    """
    status_a = int(_value(legacy_run, "owner", "x86legacy: partition 0: RTC status A ")[0], 16)
    assert status_a & 0x70 == 0x20, legacy_run.text()
    pit = _value(legacy_run, "owner", "x86legacy: PIT channel 0 ")
    assert pit[0] != pit[2] and "0xffff" not in (pit[0], pit[2]), legacy_run.text()
    assert int(_value(legacy_run, "owner", "x86legacy: PCI 00:00.0 id ")[0], 16) == Q35_HOST_BRIDGE, \
        legacy_run.text()
    assert not any("owner" in l and "incident" in l for l in legacy_run.of("bulkhead")), legacy_run.text()
    assert legacy_run.exited and legacy_run.returncode == 0, legacy_run.text()


def test_denied_legacy_devices_read_all_ones_and_are_counted(legacy_run):
    """The partition without them reads all ones from each (the RTC, both PIT reads, the PCI id),
    and each access is refused and counted as a register incident: the CMOS index write and data
    read, twice the PIT latch command and its two reads, the PCI address write and data read (10).

    Verifies: REQ-XARCH-019~3
    """
    assert _value(legacy_run, "outsider", "x86legacy: partition 1: RTC status A ")[0] == "0xff", legacy_run.text()
    assert _value(legacy_run, "outsider", "x86legacy: PIT channel 0 ") == ["0xffff", "then", "0xffff"], \
        legacy_run.text()
    assert _value(legacy_run, "outsider", "x86legacy: PCI 00:00.0 id ")[0] == "0xffffffff", legacy_run.text()
    # The hypervisor logs the first incident in full (then rate-limits) and sums them at the stop.
    assert "partition 'outsider' vCPU 0, register incident 1 (0 not logged since the last): OUT to port 0x70 refused" \
        in legacy_run.of("bulkhead"), legacy_run.text()
    assert any(l.startswith("partition 'outsider' incidents since boot: call 0, register 10,")
               for l in legacy_run.of("bulkhead")), legacy_run.text()
