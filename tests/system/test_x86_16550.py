# SPDX-License-Identifier: MIT
"""An emulated 16550 for an x86 partition, configs/qemu-x86_64-16550.dts: x86uart's console is
"ns16550" at COM1's ports (0x3f8-0x3ff) and ISA pin 4, which the hypervisor emulates (core's
vuart_16550.c reached from io_exit through the port registry) while the real COM1 is the service
partition's; what x86uart writes reaches the service partition over its console channel and is
printed with its prefix, what is typed while it has the focus reaches it by the receive interrupt
on the vector it programmed for pin 4 in its mediated I/O APIC (partitions/x86uart)."""
import os
import re
import sys

import pytest

import harness
import x86sys

sys.path.insert(0, os.path.dirname(__file__))
from test_service import CTRL_A3, Session  # noqa: E402  (the arm64 tests' console session)

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")

CHECKS = ("scratch register", "IER keeps four bits", "LSR and MSR at reset", "FIFOs (a 16550A)", "loopback",
          "divisor 115200 8N1", "wide and string accesses refused", "its I/O APIC pin 4", "transmitter interrupt",
          "input by the receive interrupt")


def type_session(s):
    """What the tests type, QEMU's or bochs's (test_x86_vmx_service.py): the focus moved to
    x86uart, a line to it; the index of its last report."""
    at = s.wait(r"^\[x86uart\] x86uart: type a line$")
    s.type(CTRL_A3)
    at = s.wait(r"^\[service\] input now goes to x86uart ", at)
    s.type(b"hello 16550\r")
    return s.wait(r"^\[x86uart\] x86uart: done, \d+ failed$", at)


@pytest.fixture(scope="module")
def uart():
    s = Session(x86sys.System(*x86sys.build("x86-16550", "configs/qemu-x86_64-16550.dts")), timeout=120)
    type_session(s)
    run = s.finish()
    if "Bulkhead: 4 cores, 3 partitions" not in run.text():
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def test_lines_written_to_the_16550_arrive_through_the_service_partition(uart):
    """x86uart probes the 16550 as the 8250 driver does (scratch, IER, FIFOs, reset values,
    loopback), sets the divisor and writes its reports byte by byte after LSR's THRE: each arrives
    as one whole line with its prefix, in order, every check ok; its transmitter interrupt
    arrives on its pin's vector and IIR names it once.

    Verifies: REQ-CON-107, REQ-CON-108, REQ-XARCH-033, REQ-XARCH-035
    """
    text = uart.lines
    mine = [l for l in text if l.startswith("[x86uart] x86uart: ")]
    assert mine[0] == "[x86uart] x86uart: an emulated 16550 at 0x3f8", uart.text()
    for check in CHECKS:
        assert f"[x86uart] x86uart: {check}: ok" in mine, uart.text()
    assert mine[-1] == "[x86uart] x86uart: done, 0 failed", uart.text()
    assert not any("dropped" in l for l in text), uart.text()
    # Nothing of it reached the board's COM1 but through the service partition.
    assert not any(l.startswith("x86uart") for l in text), uart.text()
    assert uart.exited and uart.returncode == 0, uart.text()


def test_typed_input_reaches_the_16550_by_its_receive_interrupt(uart):
    """Typed on COM1 (the service partition's) with the focus on x86uart, the line reaches the
    emulated 16550's RBR, announced by the receive interrupt on the vector x86uart programmed for
    pin 4 in its mediated I/O APIC: a pin the service partition owns physically, so the
    partition's entry is virtual and no I/O APIC incident is logged.

    Verifies: REQ-CON-108, REQ-XARCH-034
    """
    text = uart.lines
    assert "[x86uart] x86uart: got 'hello 16550'" in text, uart.text()
    assert "[x86uart] x86uart: input by the receive interrupt: ok" in text, uart.text()
    assert not any("I/O APIC" in l and "refused" in l for l in text), uart.text()


def test_hostile_widths_are_refused_and_counted(uart):
    """OUTW and OUTL to the UART's ports and a REP OUTSB to THR send nothing ("ESCAPED" never
    shows), INW and INL read all ones, each is a counted register incident, the partition goes on.

    Verifies: REQ-CON-109, REQ-XARCH-033
    """
    text = uart.text()
    assert "ESCAPED" not in text and "EX" not in [l[-2:] for l in uart.lines], text
    assert "[x86uart] x86uart: wide and string accesses refused: ok" in uart.lines, text
    refused = [l for l in uart.lines if re.search(r"'x86uart'.*(OUT to|IN from) port 0x3f[8c] refused", l)]
    assert len(refused) >= 1, text
    # OUTW, OUTL, REP OUTSB, INW, INL: five, and nothing else it did was refused.
    assert "partition 'x86uart' incidents since boot: call 0, register 5, interrupt 0," in text, text
