# SPDX-License-Identifier: MIT
"""The x86-64 hypervisor under QEMU TCG with AMD SVM (-cpu EPYC): it boots as a
multiboot kernel, starts one partition per core through INIT-SIPI-SIPI, runs
each under nested paging, and contains what a partition does outside its
grants. The tables are bhcc's (its x86 back end) from tests/system/x86/guest.dts;
the guest is tests/system/x86/guest.S, which behaves by the partition id the
Bulkhead CPUID leaf gives it."""
import os
import subprocess

import pytest

import harness
import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")
X86_DIR = os.path.join(harness.SRCTREE, "tests", "system", "x86")


def _guest(out):
    """The test guest as a flat binary linked at 1 MiB, built into `out`."""
    os.makedirs(out, exist_ok=True)
    obj, elf, binary = (os.path.join(out, "x86-guest" + ext) for ext in (".o", ".elf", ".bin"))
    for cmd in (["gcc", "-m32", "-nostdinc", "-I", os.path.join(harness.SRCTREE, "include"), "-c",
                 os.path.join(X86_DIR, "guest.S"), "-o", obj],
                ["ld", "-m", "elf_i386", "-nostdlib", "-Ttext=0x100000", "-e", "_start", obj, "-o", elf],
                ["objcopy", "-O", "binary", elf, binary]):
        subprocess.run(cmd, check=True)
    return binary


def _system():
    out = os.path.join(harness.BUILD, "systest", "x86-boot-src")
    dts = os.path.join(out, "guest.dts")
    with open(os.path.join(X86_DIR, "guest.dts")) as f:
        text = f.read().replace("@GUEST@", _guest(out))
    # Rewritten only when it changed, so that make does not rebuild for nothing.
    if not os.path.exists(dts) or open(dts).read() != text:
        with open(dts, "w") as f:
            f.write(text)
    return x86sys.build("x86-boot", dts)


@pytest.fixture(scope="module")
def x86_run():
    run = x86sys.run(*_system(), timeout=60)
    if "Bulkhead: 4 cores, 3 partitions" not in run.of("bulkhead"):
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def test_every_partition_runs_prints_and_the_board_powers_off(x86_run):
    """Each partition starts on its core (the boot core and two started by
    INIT-SIPI-SIPI) in the entry state, prints through the debug-console
    hypercall (VMMCALL), learns its id from the Bulkhead CPUID leaf, and once
    every partition has stopped (one by SYSTEM_OFF) the board powers off.

    Verifies: REQ-XARCH-001, REQ-XARCH-003, REQ-XARCH-005
    """
    for pid, name in enumerate(("hello", "hostile", "msr")):
        assert f"x86 guest: hello from partition {pid}" in x86_run.of(name), x86_run.text()
    assert "partition 'hello': PSCI SYSTEM_OFF" in x86_run.of("bulkhead")
    assert "partition 'hello' stopped" in x86_run.of("bulkhead")
    assert "all partitions stopped" in x86_run.of("bulkhead")
    assert x86_run.exited and x86_run.returncode == 0, x86_run.text()


def test_second_vcpu_starts_with_its_argument_and_turns_off(x86_run):
    """PSCI CPU_ON through VMMCALL starts the partition's vCPU 1 on core 3 (a
    core never started before: INIT-SIPI-SIPI) in the entry state with ESI =
    the context argument; its CPU_OFF turns it off, which AFFINITY_INFO
    reports to vCPU 0.

    Verifies: REQ-XARCH-009
    """
    hello = x86_run.of("hello")
    assert "x86 guest: vCPU 1 up with its context argument" in hello, x86_run.text()
    assert "x86 guest: vCPU 1 is off again" in hello, x86_run.text()
    assert hello.index("x86 guest: vCPU 1 up with its context argument") < hello.index("x86 guest: vCPU 1 is off again")


def test_store_outside_its_memory_is_a_contained_nested_page_fault(x86_run):
    """The store to guest-physical 128 MiB (outside the partition's 16 MiB)
    never completes: a nested page fault, logged with its address, and the
    partition's fault policy (stop) applied to it alone.

    Verifies: REQ-XARCH-002
    """
    i = x86_run.index(r"^\[bulkhead\] fault: partition 'hostile' vCPU 0 \(core 1\): "
                      r"stage-2 data abort \(write\) at IPA 0x8000000, PC 0x[0-9a-f]+, ESR 0x400; stop")
    assert i >= 0, x86_run.text()
    assert x86_run.index(r"^\[bulkhead\] partition 'hostile' stopped", i) > i
    assert not any("ESCAPED" in l for l in x86_run.lines), x86_run.text()


def test_port_it_does_not_own_is_refused_and_counted(x86_run):
    """An OUT to COM1, the hypervisor's UART, traps (deny-by-default I/O
    permission map), is refused and counted as an incident; the partition
    goes on after it.

    Verifies: REQ-XARCH-004
    """
    i = x86_run.index(r"^\[bulkhead\] partition 'hostile' vCPU 0, register incident 1 .*OUT to port 0x3f8 refused")
    assert i >= 0, x86_run.text()
    assert "x86 guest: port write done, now a store outside my memory" in x86_run.of("hostile")
    # The byte never reached the UART: it would stand alone or glued to another line.
    assert not any(l == "X" or l.startswith("X[") for l in x86_run.lines), x86_run.text()


def test_foreign_msr_is_refused_and_a_triple_fault_is_contained(x86_run):
    """RDMSR of the APIC base traps (deny-by-default MSR permission map) and is
    refused with #GP; the guest has no IDT, so it ends in a triple fault,
    which stops that partition alone.

    Verifies: REQ-XARCH-006, REQ-XARCH-008
    """
    i = x86_run.index(r"^\[bulkhead\] partition 'msr' vCPU 0, register incident 1 .*RDMSR of MSR 0x1b refused")
    assert i >= 0, x86_run.text()
    j = x86_run.index(r"^\[bulkhead\] partition 'msr': triple fault \(shutdown\)", i)
    assert j > i, x86_run.text()
    assert x86_run.index(r"^\[bulkhead\] fault: partition 'msr' vCPU 0 \(core 2\): ", j) > j
    assert x86_run.index(r"^\[bulkhead\] partition 'msr' stopped", j) > j


def test_partition_ram_missing_from_the_board_refuses_to_boot():
    """With 40 MiB of RAM the first partition's memory (host 32 to 48 MiB) is
    not all usable RAM in the loader's memory map: the hypervisor refuses to
    boot, naming the partition and the range, before any partition runs.

    Verifies: REQ-XARCH-010
    """
    run = x86sys.run(*_system(), timeout=20, mem_mib=40)
    assert any(l.startswith("[bulkhead] PANIC") for l in run.lines), run.text()
    assert ("[bulkhead] partition 'hello': [0x2000000, 0x3000000) is not usable RAM on this board "
            "(the loader's memory map)") in run.lines, run.text()
    assert not any("x86 guest" in l for l in run.lines), run.text()
