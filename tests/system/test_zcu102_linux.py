# SPDX-License-Identifier: MIT
"""An unmodified Linux as a partition on QEMU's ZCU102 model (configs/zcu102-linux.dts):
Debian 12's arm64 cloud kernel on 2 of the Cortex-A53s, its interrupts through the GIC-400's
virtual cpu interface (GICv2), its console the emulated PL011 that the service partition serves
over the board's Cadence UART, a bare-metal partition beside it.

The kernel and busybox come from scripts/linux/fetch.sh, as for test_linux.py (cached in
build/linux; skipped only when the Debian archive is unreachable). One QEMU run, about 15 s
once built, on this 2-core machine shared with other builds (docs/boards.md)."""
import re
import time

import pytest

import harness
from test_linux import _check_iomem, _command, _fetch_guest
from test_service import CTRL_A3, LOG_CHANNEL, Session
from test_zcu102 import _on_zcu102

pytestmark = pytest.mark.skipif(not LOG_CHANNEL, reason="needs the hypervisor's log channel (core/log_ring.c)")

# What the Linux partition owns, at the addresses it sees: its RAM, the emulated PL011 (where the
# ZynqMP has nothing), the GIC-400's distributor and its cpu interface (the virtual one behind it).
LINUX_WINDOWS = [
    (0x40000000, 0x4fffffff),   # RAM
    (0xf0000000, 0xf0000fff),   # emulated PL011
    (0xf9010000, 0xf901ffff),   # GIC-400 distributor
    (0xf902f000, 0xf9030fff),   # GIC-400 cpu interface (the 64 KiB-aliased 8 KiB, docs/boards.md)
]
CONSOLE_SPI = 100   # the description's console-interrupt, an SPI no ZynqMP device uses


@pytest.fixture(scope="module")
def zlinux():
    _fetch_guest()
    system = harness.build("zcu102-linux", "configs/zcu102-linux.dts")
    _on_zcu102(system)
    # Firm: Linux reached /init 8 to 11 s after QEMU's start here, with the machine shared; without a
    # GIC that delivers its IPIs it never does, and the run ends here instead of at the CI job's limit.
    s = Session(system, timeout=180)
    steps = {}
    t0 = time.monotonic()
    try:
        steps["init"] = s.wait(r"^\[linux\] BULKHEAD-LINUX-INIT-OK cpus=\d+$")
        steps["init_s"] = time.monotonic() - t0
        s.wait(r"^\[demo\] done$")
        # The shell's prompt has no newline: the service partition prints whole lines only.
        at = s.wait(r"^\[linux\] Enter 'help' for a list of built-in commands", steps["init"])
        s.type(CTRL_A3)
        at = s.wait(r"^\[service\] input now goes to linux ", at)
        steps["nproc"], at = _command(s, "nproc", at)
        steps["interrupts"], at = _command(s, "cat /proc/interrupts", at)
        steps["iomem"], at = _command(s, "cat /proc/iomem", at)
        s.type(b"poweroff -f\r")
        at = s.wait(r"^\[bulkhead\] partition 'linux' stopped$", at)
        # The service partition still answers: its prompt lists Linux as stopped.
        for _ in range(3):
            s.type(CTRL_A3)
            at = s.wait(r"^\[service\] input now goes to ", at + 1)
            if "input now goes to bulkhead" in s.lines()[at]:
                break
        s.type(b"list\r")
        steps["list"] = s.wait(r"^\[service\] \d+ +linux ", at)
    finally:
        s.p.kill()
        r = s.finish()
    print(f"zcu102-linux: /init marker {steps.get('init_s', -1):.1f} s after QEMU's start")
    return system, r, steps


def test_linux_boots_to_init_on_the_zcu102(zlinux):
    """Linux on 2 vCPUs (cores 1 and 2 of the A53s) reaches its /init marker beside a
    bare-metal partition that runs to its end; earlycon (stdout-path) and console=ttyAMA0
    print through the emulated PL011 and the service partition on the Cadence UART; PSCI
    (emulated, SMCCC 1.1) brings the second vCPU up.

    Verifies: REQ-BRD-013, REQ-BRD-001, REQ-LNX-001, REQ-LNX-002
    """
    system, r, steps = zlinux
    harness.assert_booted(r, system)
    assert "[bulkhead] Bulkhead: 4 cores, 3 partitions" in r.lines, r.text()[:2000]
    lines = r.of("linux")
    assert "BULKHEAD-LINUX-INIT-OK cpus=2" in lines, r.text()[-3000:]
    assert any(re.search(r"earlycon: pl11 at MMIO 0x0*f0000000", l) for l in lines), r.text()[-3000:]
    assert any("printk: console [ttyAMA0] enabled" in l for l in lines), r.text()[-3000:]
    assert any("psci: SMC Calling Convention v1.1" in l for l in lines), r.text()[-3000:]
    assert any(re.search(r"smp: Brought up 1 node, 2 CPUs", l) for l in lines), r.text()[-3000:]
    assert "done" in r.of("demo"), r.text()[-3000:]
    assert not any("call incident" in l for l in r.of("bulkhead")), r.text()[-3000:]


def test_linux_takes_its_interrupts_through_the_virtual_gicv2(zlinux):
    """Linux's GICv2 driver (its irq chip "GIC-0"; a GICv3 would be "GICv3") runs the
    architected timer on both vCPUs and the console's SPI, and IPIs reach both: every
    interrupt is delivered through the GIC-400's virtual cpu interface.

    Verifies: REQ-BRD-013, REQ-BRD-004
    """
    _, r, steps = zlinux
    rows = {}
    for l in steps["interrupts"][1:]:
        cols = l.split()
        if len(cols) >= 3 and cols[0].endswith(":"):
            rows[cols[0][:-1]] = cols
    timer = [c for c in rows.values() if c[-1] == "arch_timer"]
    assert timer and timer[0][3] == "GIC-0", steps["interrupts"]
    assert int(timer[0][1]) > 0 and int(timer[0][2]) > 0, steps["interrupts"]   # both vCPUs tick
    uart = [c for c in rows.values() if c[-1] == "uart-pl011"]
    assert uart and uart[0][3] == "GIC-0" and uart[0][4] == str(CONSOLE_SPI), steps["interrupts"]
    assert int(uart[0][1]) + int(uart[0][2]) > 0, steps["interrupts"]   # the typed commands came in
    resched = rows.get("IPI0")
    assert resched and int(resched[1]) + int(resched[2]) > 0, steps["interrupts"]
    assert "GICv3" not in "\n".join(steps["interrupts"])


def test_linux_on_the_zcu102_sees_only_its_own(zlinux):
    """`nproc` says 2, and every range /proc/iomem shows lies in the partition's RAM, its
    emulated PL011 or its view of the GIC-400: none of the board's other devices.

    Verifies: REQ-BRD-013, REQ-LNX-003
    """
    _, r, steps = zlinux
    assert steps["nproc"] == ["2"], steps["nproc"]
    _check_iomem(steps["iomem"], LINUX_WINDOWS)


def test_linux_poweroff_on_the_zcu102_stops_only_it(zlinux):
    """`poweroff -f` stops the Linux partition alone; the service partition's prompt on the
    Cadence UART still answers and lists Linux as stopped.

    Verifies: REQ-BRD-013, REQ-LNX-004
    """
    _, r, steps = zlinux
    assert "partition 'linux': PSCI SYSTEM_OFF" in r.of("bulkhead"), r.text()[-3000:]
    assert re.search(r"\blinux +stopped\b", r.lines[steps["list"]]), r.lines[steps["list"]]
    assert not any("panic" in l.lower() for l in r.of("bulkhead")), r.text()[-3000:]


def test_linux_gicv2_distributor_setup_is_summarized(zlinux):
    """Linux's GICv2 driver sets up target, priority, configuration and enable of every SPI
    of the GIC-400 while its distributor is disabled, all but its console's not its own: one
    summary line when it enables the distributor, at least one write per foreign SPI (its
    target byte: the GIC-400 here has 160 SPIs, Linux owns one).

    Verifies: REQ-LNX-008~2, REQ-BRD-013
    """
    _, r, _ = zlinux
    summary = [l for l in r.of("bulkhead") if re.search(r"partition 'linux': \d+ writes to interrupts it does "
                                                        r"not own ignored while it set up its distributor", l)]
    assert len(summary) == 1, r.text()[-3000:]
    assert int(re.search(r"'linux': (\d+) writes", summary[0]).group(1)) >= 159, summary
