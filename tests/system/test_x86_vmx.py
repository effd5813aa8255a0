# SPDX-License-Identifier: MIT
"""The default x86 system, configs/qemu-x86_64.dts, built with the Intel VMX
back end (configs/bochs-x86_64-vmx_defconfig) and booted under bochs on a
VMX cpu model with four cores (tests/system/bochs.py): the same partitions
as test_x86_system.py, now on EPT with unrestricted guest and VMCALL.
talker prints its 300 lines; x86probe is refused COM1, an IPI to talker's
core and three MSRs, finds the I/O APIC pin masked and is stopped by an EPT
violation when it stores into talker's RAM; x86cores starts and wakes its
second vCPU, then triple-faults. QEMU TCG has no VMX, so bochs is the only
place this runs; arch/x86/README.md says which tests it runs and why."""
import pytest

import bochs
import harness

pytestmark = pytest.mark.skipif(bool(bochs.missing()), reason=bochs.missing() or "bochs present")

RUN_TIMEOUT = 150   # seconds of host time; a run here takes about 20-60 s


@pytest.fixture(scope="module")
def vmx_run():
    out, system_vars = bochs.build("x86-vmx", "configs/qemu-x86_64.dts")
    run = bochs.run(out, system_vars, timeout=RUN_TIMEOUT)
    if "Bulkhead: 4 cores, 3 partitions" not in run.of("bulkhead"):
        raise harness.NotBooted(f"no banner under bochs:\n{run.text()[-3000:]}\n{run.bochs_output[-2000:]}")
    return run


def test_vmx_boots_and_every_partition_prints_through_vmcall(vmx_run):
    """The VMX build boots under bochs (VMXON on each core, each partition
    entered with unrestricted guest on its EPT tables), and all three
    partitions reach main() and print through the hypervisor's console by
    VMCALL: their lines come back tagged with their names; the run ends with
    every partition stopped.

    Verifies: REQ-XARCH-030, REQ-XARCH-031, REQ-XARCH-032
    """
    talker = vmx_run.of("talker")
    assert "talker: partition 0, restart 0, 300 lines" in talker, vmx_run.text()
    assert len([l for l in talker if l.startswith("line ")]) == 300, vmx_run.text()
    assert "done: 300 lines" in talker and "exit(0)" in talker, vmx_run.text()
    assert any(l.startswith("x86probe: partition 1, ") for l in vmx_run.of("x86probe")), vmx_run.text()
    assert "x86cores: partition 2, 2 vCPUs" in vmx_run.of("x86cores"), vmx_run.text()
    assert vmx_run.exited and "all partitions stopped" in vmx_run.of("bulkhead"), vmx_run.text()


def test_vmx_store_outside_the_partition_is_an_ept_violation_that_stops_only_it(vmx_run):
    """x86probe's store into talker's RAM (guest-physical 0x4000000, outside
    its own regions) is an EPT violation: the hypervisor logs the address and
    the access kind and stops x86probe alone; talker goes on to print all
    its lines after it.

    Verifies: REQ-XARCH-031, REQ-XARCH-002
    """
    bh = vmx_run.of("bulkhead")
    fault = "fault: partition 'x86probe' vCPU 0 (core 1): stage-2 data abort (write) at IPA 0x4000000"
    assert any(l.startswith(fault) for l in bh), vmx_run.text()
    assert "partition 'x86probe' stopped" in bh, vmx_run.text()
    stopped = vmx_run.index(r"partition 'x86probe' stopped")
    assert vmx_run.index(r"^\[talker\] done: 300 lines", stopped) > stopped, vmx_run.text()


def test_vmx_applies_the_same_port_msr_cpuid_and_interrupt_policy(vmx_run):
    """The common dispatcher's policy holds on the VMX back end: CPUID hides
    VMX and names the partition; COM1 (not x86probe's) is refused through the
    VMX I/O bitmap and counted; three MSRs outside the map #GP; an IPI to
    talker's core is refused; CR0.NE, which VMX holds set, reads back as
    x86probe wrote it both ways (the read shadow, vmx_cr_write); the I/O APIC
    pin stays masked; x86cores's
    second vCPU starts, is woken from HLT by an injected IPI, and its triple
    fault stops only x86cores.

    Verifies: REQ-XARCH-030, REQ-XARCH-031, REQ-XARCH-004, REQ-XARCH-005, REQ-XARCH-006, REQ-XARCH-013~2,
    REQ-XARCH-014
    """
    probe = vmx_run.of("x86probe")
    bh = vmx_run.of("bulkhead")
    assert ("x86probe: CPUID 1: hypervisor 1, x2APIC 1, VMX 0; 0x80000001: SVM 0; 0x40000001: partition 1, vCPU 0"
            in probe), vmx_run.text()
    assert any("register incident" in l and "OUT to port 0x3f8 refused" in l for l in bh), vmx_run.text()
    assert "x86probe: 3 MSR accesses that must trap, 3 #GP taken" in probe, vmx_run.text()
    assert any("x2APIC id 0 is not one of its cores" in l for l in bh), vmx_run.text()
    assert "x86probe: CR0.NE flipped reads 1, flipped back 0" in probe, vmx_run.text()
    assert "x86probe: I/O APIC version 0x170011; pin 4 0x10000, after an unmask 0x10000" in probe, vmx_run.text()
    cores = vmx_run.of("x86cores")
    assert "x86cores: vCPU 1 woke from HLT with the IPI (1 taken)" in cores, vmx_run.text()
    assert "partition 'x86cores': triple fault (shutdown)" in bh and "partition 'x86cores' stopped" in bh, \
        vmx_run.text()
