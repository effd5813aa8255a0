# SPDX-License-Identifier: MIT
"""The default x86 system, configs/qemu-x86_64.dts, as `make run` builds and
boots it with configs/qemu-x86_64_defconfig: bhcc's x86 back end makes its
tables, the x86 partition SDK (runtime + newlib) its three programs, and
scripts/qemu.py's q35 machine runs it. talker (core 0) prints its lines;
x86probe (core 1) uses COM2, which it owns, then writes to COM1, which it does
not own, sends x2APIC IPIs to itself and to talker's core, touches MSRs that
must trap, tries to unmask COM1's I/O APIC pin, tries foreign destinations through the xAPIC page, then stores into talker's RAM; x86cores (cores 2 and 3) starts its
second vCPU, wakes it with an IPI, then triple-faults."""
import os
import re
import subprocess

import pytest

import harness
import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")


@pytest.fixture(scope="module")
def system_run():
    run = x86sys.run(*x86sys.build("x86-default", "configs/qemu-x86_64.dts"), timeout=120)
    if "Bulkhead: 4 cores, 3 partitions" not in run.of("bulkhead"):
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def test_every_sdk_partition_prints_through_its_console_and_the_board_powers_off(system_run):
    """Three partitions built with the x86 SDK, on their own cores, reach
    main(), print through the hypervisor's debug console by VMMCALL (their
    lines come back tagged with their names: the runtime recognised Bulkhead's
    CPUID signature, or it would have written to COM1 itself), and the board
    powers off once all have stopped.

    Verifies: REQ-XARCH-001, REQ-XARCH-003~2, REQ-XARCH-011
    """
    talker = system_run.of("talker")
    assert "talker: partition 0, restart 0, 300 lines" in talker, system_run.text()
    assert len([l for l in talker if l.startswith("line ")]) == 300, system_run.text()
    assert "done: 300 lines" in talker and "exit(0)" in talker, system_run.text()
    assert any(l.startswith("x86probe: partition 1, ") for l in system_run.of("x86probe")), system_run.text()
    assert "x86cores: partition 2, 2 vCPUs" in system_run.of("x86cores"), system_run.text()
    assert "all partitions stopped" in system_run.of("bulkhead")
    assert system_run.exited and system_run.returncode == 0, system_run.text()


def test_a_prefixed_vmmcall_resumes_at_its_third_byte(system_run):
    """The hypercall ABI's instruction is the unprefixed VMMCALL, stepped over
    by its three bytes without reading them: x86probe's CS-prefixed VMMCALL
    (2e 0f 01 d9) is still served (BH_HC_VERSION answers BH_OK in rax), and the
    guest resumes at its d9 byte, which with the next byte is FLD1 (1.0 on
    the x87 stack); stepped over as four bytes, e8 would be a CALL out of
    x86probe's code.

    Verifies: REQ-XARCH-003~2
    """
    probe = system_run.of("x86probe")
    line = next((l for l in probe if l.startswith("x86probe: CS-prefixed VMMCALL: ")), None)
    assert line is not None, system_run.text()
    assert line.endswith("then the x87 top is 1.0: resumed at its third byte"), line
    assert int(line.split("rax ")[1].split(",")[0], 16) == 0, line   # BH_OK: the call was served


def test_exceptions_reach_the_runtimes_hook(system_run):
    """x86probe sets an exception hook and raises #UD (UD2), #DE (a division by zero) and #BP
    (INT3): the hook is called three times with vectors 6, 0 and 3 (no error code), the first two
    resumed after their two-byte instructions as the hook said, the trap at the RIP the processor
    saved; x86probe runs on to its last attempt.

    Verifies: REQ-XARCH-045
    """
    probe = system_run.of("x86probe")
    assert "x86probe: exception hook: 3 calls, vectors 6 0 3, error codes 0 0 0, then resumed" in probe, \
        system_run.text()
    assert probe.index("x86probe: now a store into talker's memory at 0x4000000") > \
        probe.index("x86probe: exception hook: 3 calls, vectors 6 0 3, error codes 0 0 0, then resumed"), system_run.text()


def test_cpuid_is_filtered_and_names_the_partition_and_vcpu(system_run):
    """CPUID leaf 1 has the hypervisor bit and the x2APIC, not VMX; leaf
    0x80000001 hides SVM; Bulkhead's leaf 0x40000001 gives x86probe its
    partition index (1) and vCPU index (0).

    Verifies: REQ-XARCH-005
    """
    assert ("x86probe: CPUID 1: hypervisor 1, x2APIC 1, VMX 0; 0x80000001: SVM 0; 0x40000001: partition 1, vCPU 0"
            in system_run.of("x86probe")), system_run.text()


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
    assert "done: 300 lines" in system_run.of("talker"), system_run.text()
    assert not any(l.startswith("[bulkhead] fault: partition 'talker'") for l in system_run.lines), system_run.text()


def _incidents(run, name):
    """The partition's incident counts by kind, from the summary its stop logs."""
    i = run.index(rf"^\[bulkhead\] partition '{name}' incidents since boot: ")
    assert i >= 0, run.text()
    return {k: int(n) for k, n in re.findall(r"(\w+) (\d+)", run.lines[i].split("since boot: ")[1])}


def test_an_ipi_to_its_own_x2apic_id_is_delivered_and_one_to_a_foreign_core_is_refused(system_run):
    """x86probe's local APIC is in x2APIC mode (APIC base 0xfee00d00: enabled,
    x2APIC, its vCPU 0 the BSP) with its core's id, 1. A fixed IPI to its own id reaches its IDT
    (one taken). A fixed IPI and an INIT to x2APIC id 0, talker's core, are
    refused and counted as two interrupt incidents, reach nobody (x86probe
    still took one; talker, which has no IDT and would triple-fault on any
    interrupt, prints all its lines and exits normally).

    Verifies: REQ-XARCH-013~2, REQ-XARCH-014
    """
    probe = system_run.of("x86probe")
    assert "x86probe: APIC base 0xfee00d00, x2APIC id 1; an IPI to itself" in probe, system_run.text()
    assert "x86probe: IPIs taken: 1" in probe, system_run.text()
    i = system_run.index(r"^\[bulkhead\] partition 'x86probe' vCPU 0, interrupt incident 1 .*"
                         r"x2APIC ICR 0x40 refused: x2APIC id 0 is not one of its cores")
    assert i >= 0, system_run.text()
    assert "x86probe: ICR writes to talker's core done, IPIs taken: 1" in probe, system_run.text()
    # The IPI and the INIT, the I/O APIC write and the seven xAPIC page refusals of the tests below.
    assert _incidents(system_run, "x86probe")["interrupt"] == 10, system_run.text()
    assert "exit(0)" in system_run.of("talker"), system_run.text()
    assert not any(l.startswith("[bulkhead] fault: partition 'talker'") for l in system_run.lines), system_run.text()


def test_the_xapic_page_names_only_its_own_core_and_refuses_every_other_destination(system_run):
    """x86probe turns x2APIC mode off and drives its local APIC through the xAPIC page: its id
    reads 1, its LDR and flat DFR read back as written, and a fixed IPI by broadcast and one by
    its own LDR each reach only itself (two more taken: three). Then a write of its id (0, talker's),
    a fixed IPI to talker's id, a logical destination none of its LDRs match, INIT and STARTUP to
    talker's id, INIT and STARTUP to all but itself, and a STARTUP to itself: the id write is a
    register incident (the id still reads 1), the seven ICR writes interrupt incidents, none
    reaches anybody (no IPI taken; talker, which has no IDT, would triple-fault on any interrupt
    and would restart on an INIT-SIPI, prints all its lines and exits once).

    Verifies: REQ-XARCH-044~2, REQ-XARCH-050, REQ-XARCH-013~2
    """
    probe = system_run.of("x86probe")
    assert "x86probe: xAPIC page: id 1, LDR 0x2000000, DFR 0xffffffff; IPIs by broadcast and by its LDR" in probe, \
        system_run.text()
    assert "x86probe: xAPIC IPIs taken: 3" in probe, system_run.text()
    assert "x86probe: xAPIC writes to talker's core done, id now 1, IPIs taken: 3" in probe, system_run.text()
    counts = _incidents(system_run, "x86probe")
    assert (counts["interrupt"], counts["register"], counts["fault"]) == (10, 5, 1), system_run.text()
    assert system_run.of("talker").count("exit(0)") == 1, system_run.text()
    assert not any(l.startswith("[bulkhead] fault: partition 'talker'") for l in system_run.lines), system_run.text()
    assert not any("partition 'talker' restarting" in l for l in system_run.lines), system_run.text()


def test_msrs_that_must_trap_are_refused_with_gp_and_counted(system_run):
    """WRMSR of the microcode update trigger, RDMSR of the MTRR default type and
    WRMSR of the debug control trap (deny-by-default MSR permission map): each
    is refused with #GP, which x86probe's IDT takes and steps over, and counted
    as a register incident (with the COM1 write and the xAPIC id write: five).

    Verifies: REQ-XARCH-006
    """
    assert "x86probe: 3 MSR accesses that must trap, 3 #GP taken" in system_run.of("x86probe"), system_run.text()
    assert _incidents(system_run, "x86probe")["register"] == 5, system_run.text()


def test_second_vcpu_starts_with_its_argument_and_an_ipi_wakes_it_on_its_core(system_run):
    """PSCI CPU_ON through VMMCALL starts x86cores' vCPU 1 on core 3 (never
    started before: INIT-SIPI-SIPI) with its context argument; vCPU 0's x2APIC
    IPI to vCPU 1's id (3, its core's) is raised on that other core and wakes
    vCPU 1 from HLT through its IDT; its CPU_OFF turns it off, which
    AFFINITY_INFO reports to vCPU 0. An IPI between a partition's own cores is
    no incident.

    Verifies: REQ-XARCH-009, REQ-XARCH-013~2, REQ-XARCH-014
    """
    cores = system_run.of("x86cores")
    # vCPU 1 may print before vCPU 0 prints CPU_ON's result; everything after is ordered by the handshake.
    assert "x86cores: CPU_ON of vCPU 1: 0" in cores, system_run.text()
    order = ["x86cores: vCPU 1 up with argument 0x5eed", "x86cores: an IPI to vCPU 1 (x2APIC id 3)",
             "x86cores: vCPU 1 woke from HLT with the IPI (1 taken)", "x86cores: vCPU 1 is off again"]
    assert all(l in cores for l in order), system_run.text()
    assert [cores.index(l) for l in order] == sorted(cores.index(l) for l in order), system_run.text()
    assert _incidents(system_run, "x86cores")["interrupt"] == 0, system_run.text()


def test_a_triple_fault_is_contained_by_the_fault_policy(system_run):
    """x86cores' vCPU 0 raises #UD with no IDT loaded: a triple fault, which
    exits to the hypervisor, is logged, and stops that partition alone (the
    others finish).

    Verifies: REQ-XARCH-008
    """
    j = system_run.index(r"^\[bulkhead\] partition 'x86cores': triple fault \(shutdown\)")
    assert j >= 0, system_run.text()
    assert system_run.index(r"^\[bulkhead\] fault: partition 'x86cores' vCPU 0 \(core 2\): ", j) > j
    assert system_run.index(r"^\[bulkhead\] partition 'x86cores' stopped", j) > j
    assert not any("ESCAPED" in l for l in system_run.lines), system_run.text()
    assert "exit(0)" in system_run.of("talker"), system_run.text()


def test_ram_missing_from_the_board_refuses_to_boot():
    """With 40 MiB of RAM the image store (host 80 to 128 MiB) is not all
    usable RAM in the loader's memory map: the hypervisor refuses to boot,
    naming the range, before any partition runs.

    Verifies: REQ-XARCH-010
    """
    run = x86sys.run(*x86sys.build("x86-default", "configs/qemu-x86_64.dts"), timeout=20, mem_mib=40)
    assert any(l.startswith("[bulkhead] PANIC") for l in run.lines), run.text()
    assert ("[bulkhead] the image store: [0x5000000, 0x8000000) is not usable RAM on this board "
            "(the loader's memory map)") in run.lines, run.text()
    assert not any(l.startswith(("[talker]", "[x86probe]", "[x86cores]")) for l in run.lines), run.text()


def test_ioapic_pins_read_masked_and_a_write_is_refused(system_run):
    """x86probe reads the I/O APIC through its emulated IOREGSEL/IOWIN (the
    frame is in no partition's nested tables): the version of an 82093AA
    with the board's 24 pins, COM1's pin 4 (the hypervisor's UART) masked;
    its write that would unmask it is ignored (the pin still reads masked) and
    counted as an interrupt incident; the partition goes on (no fault at the
    I/O APIC's address).

    Verifies: REQ-XARCH-016
    """
    assert ("x86probe: I/O APIC version 0x170011; pin 4 0x10000, after an unmask 0x10000"
            in system_run.of("x86probe")), system_run.text()
    assert not any("IPA 0xfec" in l for l in system_run.of("bulkhead")), system_run.text()
    assert _incidents(system_run, "x86probe")["interrupt"] == 10, system_run.text()
    assert "exit(0)" in system_run.of("talker"), system_run.text()


def test_permission_maps_are_sized_by_the_description():
    """The hypervisor holds one I/O-port and one MSR permission map per partition of the
    description (bhcc's BH_NUM_PARTITIONS, 3 here), not one per partition the build could hold
    (CONFIG_MAX_PARTITIONS, 8): each map's size comes from the compiler (gdb), the arrays' from
    the symbol table.

    Verifies: REQ-MEM-011
    """
    out, system_vars = x86sys.build("x86-default", "configs/qemu-x86_64.dts")
    elf = os.path.join(out, "bulkhead.elf")
    parts = int(system_vars["BH_NUM_PARTITIONS"])
    assert parts == len(system_vars["BH_PARTITIONS"].split()) == 3, system_vars
    with open(os.path.join(out, ".config")) as f:
        assert int(re.search(r"^CONFIG_MAX_PARTITIONS=(\d+)$", f.read(), re.M).group(1)) > parts
    nm = subprocess.run(["nm", "-S", elf], check=True, capture_output=True, text=True).stdout
    # Block-scope statics of arch_partition_init: the compiler names them iopms.N, msrpms.N.
    sizes = {f[3].split(".")[0]: int(f[1], 16) for f in (l.split() for l in nm.splitlines()) if len(f) == 4}
    gdb = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-ex", "p sizeof(arch_partition_init::iopms[0])",
                          "-ex", "p sizeof(arch_partition_init::msrpms[0])", elf],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    one = [int(v) for v in re.findall(r"^\$\d+ = (\d+)$", gdb, re.M)]
    assert len(one) == 2 and min(one) > 0, gdb
    assert sizes["iopms"] == parts * one[0] and sizes["msrpms"] == parts * one[1], (sizes.get("iopms"),
                                                                                     sizes.get("msrpms"), one)
