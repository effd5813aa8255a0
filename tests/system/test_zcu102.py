# SPDX-License-Identifier: MIT
"""Bulkhead on the Xilinx ZCU102 in QEMU's model (`-machine xlnx-zcu102,virtualization=on`):
4 x Cortex-A53, GIC-400, Cadence UART, the ZynqMP memory map (configs/boards/zcu102.dtsi,
docs/boards.md). Boot, isolation, interrupts on GICv2 and a partition's restart."""
import re

import pytest

import harness

# The intruder's attacks (partitions/intruder), at the ZCU102 system's host addresses
# (tests/system/configs/zcu102-isolation.dts): the victim's RAM at 0x10000000, the hypervisor's image.
ATTACKS = [
    ("read another partition's memory", 0x10000000, "stage-2 data abort \\(read\\)"),
    ("read the hypervisor's memory", 0x40200000, "stage-2 data abort \\(read\\)"),
    ("write another partition's memory", 0x10000000, "stage-2 data abort \\(write\\)"),
    ("write its own read-only memory", 0x90000000, "stage-2 data abort \\(write\\)"),
    ("execute its own non-executable memory", 0x91000000, "stage-2 instruction abort"),
]


def _on_zcu102(system):
    """The build is for the ZCU102's GIC-400 and Cadence UART, and QEMU runs its model."""
    assert system.vars["BH_BOARD"] == "xlnx,zynqmp-zcu102-rev1.0"
    assert system.vars["BH_GIC_VERSION"] == "2"
    assert system.vars["BH_CONSOLE"] == "cadence_uart"
    assert "xlnx-zcu102,virtualization=on" in system.qemu_command()


def _console(run):
    """The board's console lines (QEMU's own warnings left out: its audio one says "default")."""
    return [l for l in run.lines if l.startswith("[")]


@pytest.fixture(scope="module")
def default():
    system = harness.build("zcu102", "configs/zcu102.dts")
    _on_zcu102(system)
    return harness.run(system, timeout=120)


@pytest.fixture(scope="module")
def demos():
    system = harness.build("zcu102-demos", "tests/system/configs/zcu102-demos.dts")
    _on_zcu102(system)
    return harness.run(system, timeout=120)


@pytest.fixture(scope="module")
def isolation():
    system = harness.build("zcu102-isolation", "tests/system/configs/zcu102-isolation.dts")
    _on_zcu102(system)
    # The model's four cores are emulated by one host's share: more time than on virt under load.
    return harness.run(system, timeout=150)


def test_default_system_boots_through_the_service_partition(default):
    """configs/zcu102.dts boots on the model: the hypervisor's banner on the Cadence UART, the
    service partition driving that UART, and every partition's lines through it until each
    finishes and the board powers off.

    Verifies: REQ-BRD-001, REQ-BRD-002, REQ-BRD-003, REQ-BRD-004
    """
    assert default.exited, default.text()
    assert any(l.startswith("service partition: 3 consoles and logs") for l in default.of("service")), default.text()
    for name in ("demo-a", "demo-b"):
        assert "done" in default.of(name), f"{name}:\n{default.text()}"
    assert "[bulkhead] all partitions stopped" in default.lines
    assert not any(("fault" in l) or ("incident" in l) for l in _console(default)), default.text()


def test_interrupts_on_the_gic400(demos):
    """Every partition takes its virtual timer's interrupts and answers an SGI on each of its
    vCPUs, across two physical cores for demo-b, through the GIC-400's virtual cpu interface.

    Verifies: REQ-BRD-001, REQ-BRD-004, REQ-IRQ-001, REQ-IRQ-002
    """
    assert demos.exited, demos.text()
    for name, n in {"demo-a": 1, "demo-b": 2, "demo-c": 1}.items():
        lines = demos.of(name)
        timer = [int(t.group(1)) for l in lines if (t := re.fullmatch(r"timer: (\d+) interrupts", l))]
        assert timer and timer[0] >= 5, f"{name}:\n{demos.text()}"
        for v in range(n):
            assert f"SGI to vCPU {v}: answered" in lines, f"{name}:\n{demos.text()}"
        assert "done" in lines
    assert "vCPU 1 heartbeat 5" in demos.of("demo-b")
    assert not any(("refused" in l) or ("incident" in l) or ("fault" in l) for l in _console(demos)), demos.text()


def test_isolation(isolation):
    """Every escape attempt of the intruder faults in stage 2 and is contained (the intruder
    restarts); the victims keep running to their end.

    Verifies: REQ-BRD-001, REQ-MEM-001, REQ-MEM-002, REQ-TRP-001
    """
    pos = 0
    for n, (what, addr, kind) in enumerate(ATTACKS):
        pos = isolation.index(rf"^\[intruder\] attack {n}: {re.escape(what)} at 0x{addr:x}$", pos)
        assert pos >= 0, f"attack {n} not attempted:\n{isolation.text()}"
        fault = isolation.index(rf"^\[bulkhead\] fault: partition 'intruder' vCPU \d \(core \d\): {kind} "
                                rf"at IPA 0x{addr:x}, PC 0x[0-9a-f]+, ESR 0x[0-9a-f]+; restart$", pos)
        assert fault > pos, f"attack {n} not contained:\n{isolation.text()}"
        pos = fault
    assert not any("NOT stopped" in l for l in isolation.lines)
    assert "all 5 attacks were stopped" in isolation.of("intruder")
    for victim in ("victim", "victim-smp"):
        assert "done" in isolation.of(victim), f"{victim}:\n{isolation.text()}"
        assert any(re.match(r"memory test .*: passed \(0 errors\)", l) for l in isolation.of(victim))
    assert isolation.exited


def test_restart_of_one_partition(isolation):
    """The intruder is restarted after each fault, from a pristine image with its restart count,
    while the others run on undisturbed.

    Verifies: REQ-BRD-001, REQ-MEM-008~2, REQ-HC-006
    """
    restarts = [int(m.group(1)) for l in isolation.of("bulkhead")
                if (m := re.fullmatch(r"partition 'intruder' restarting \(restart (\d+)\)", l))]
    assert restarts == list(range(1, len(ATTACKS) + 1)), isolation.text()
    attempts = [int(m.group(1)) for l in isolation.of("intruder") if (m := re.match(r"attack (\d):", l))]
    assert attempts == list(range(len(ATTACKS)))
    assert not any("restarting" in l and "intruder" not in l for l in isolation.lines)


def test_input_through_the_cadence_uart():
    """Lines typed on the Cadence UART reach the focused partition through the service
    partition's receive interrupt, and the board powers off once the talker exits.

    Verifies: REQ-BRD-003
    """
    from test_service import CTRL_A3, Session   # the interactive console session of the service tests
    system = harness.build("zcu102-input", "tests/system/configs/zcu102-input.dts")
    _on_zcu102(system)
    s = Session(system, timeout=120)
    s.wait(r"^\[talker-a\] echo: type a line$")
    s.type(CTRL_A3)
    at = s.wait(r"^\[service\] input now goes to talker-a ")
    s.type(b"hello zcu102\r")
    s.wait(r"^\[talker-a\] got 'hello zcu102'$", at)
    s.type(b"exit\r")
    s.wait(r"^\[talker-a\] got 'exit'$", at)
    run = s.finish()
    harness.assert_booted(run, system)
    assert run.exited, run.text()
