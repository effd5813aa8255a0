# SPDX-License-Identifier: MIT
"""The service partition and the emulated 16550 on the Intel VMX back end under bochs
(tests/system/bochs.py): configs/qemu-x86_64-service.dts and configs/qemu-x86_64-16550.dts, built
with configs/bochs-x86_64-vmx_defconfig, one bochs run per system, driven as test_x86_service.py
and test_x86_16550.py drive QEMU (bochs's COM1 is a localhost socket the test reads and types
into). The service partition owns COM1 through the VMX I/O bitmap and its GSI 4; x86uart's 16550
is emulated from VMX's I/O exits. bochs does not power off, so a run ends at the hypervisor's
"all partitions stopped"."""
import re

import pytest

import bochs
import harness
import test_x86_16550
import test_x86_service

pytestmark = pytest.mark.skipif(bool(bochs.missing()), reason=bochs.missing() or "bochs present")

RUN_TIMEOUT = 150   # seconds of host time; a run here takes about 12 s
TALKER_LINES = [f"[talker] line {i}: {'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?-+=_'[:i * 7]} {i}"
                for i in range(10)]
ALL_STOPPED = r"^\[bulkhead\] all partitions stopped$"


def _finish(s, banner):
    run = s.finish()
    if banner not in run.text():
        raise harness.NotBooted(f"no banner under bochs:\n{run.text()[-3000:]}\n{run.bochs_output[-2000:]}")
    return run


@pytest.fixture(scope="module")
def service_run():
    s = bochs.Session(*bochs.build("x86-vmx-service", "configs/qemu-x86_64-service.dts"), timeout=RUN_TIMEOUT)
    s.wait(ALL_STOPPED, test_x86_service.type_session(s))
    return _finish(s, "Bulkhead: 4 cores, 4 partitions")


@pytest.fixture(scope="module")
def uart_run():
    s = bochs.Session(*bochs.build("x86-vmx-16550", "configs/qemu-x86_64-16550.dts"), timeout=RUN_TIMEOUT)
    s.wait(ALL_STOPPED, test_x86_16550.type_session(s))
    return _finish(s, "Bulkhead: 4 cores, 3 partitions")


def test_vmx_consoles_log_and_input_go_through_the_service_partition(service_run):
    """Under VMX the service partition drives COM1 through the ports its I/O bitmap grants and
    prints every other partition's console channel and the hypervisor's log: each line after it
    started is a whole line with its source's prefix; the producer's 2000 records reach the
    consumer intact; the talker's ten lines arrive in order, each once; typed bytes reach it by
    COM1's receive interrupt (GSI 4 through the mediated I/O APIC), move the focus and reach the
    talker; it stops last.

    Verifies: REQ-XARCH-017, REQ-XARCH-018, REQ-XARCH-030
    """
    text = service_run.lines
    start = next((i for i, l in enumerate(text)
                  if l.startswith("[service] service partition: 4 consoles and logs")), None)
    assert start is not None, service_run.text()
    bad = [l for l in text[start:] if not l.startswith(("[bulkhead] ", "[service] ", "[producer] ", "[consumer] ",
                                                        "[talker] ", "bulkhead> "))]
    assert not bad, "\n".join(bad)
    assert "[consumer] consumer: 0 duplicated, 0 missing, 0 damaged, 0 lost in restarts" in text, service_run.text()
    assert [l for l in text if l.startswith("[talker] line ")] == TALKER_LINES, service_run.text()
    assert "[bulkhead] partition 'producer' stopped" in text[start:], service_run.text()
    assert not any("dropped" in l for l in text), service_run.text()
    assert "[talker] got 'hello x86'" in text, service_run.text()
    assert not any("interrupt" in l and "cannot be taken" in l for l in text), service_run.text()
    assert not any("I/O APIC" in l and "refused" in l for l in text), service_run.text()
    assert text.index("[service] every other partition has stopped: the service partition stops") > \
        text.index("[bulkhead] partition 'talker' stopped"), service_run.text()


def test_vmx_16550_is_emulated_from_io_exits_and_reached_through_the_service_partition(uart_run):
    """x86uart's 16550 at COM1's ports is emulated from VMX's I/O exits (the I/O bitmap leaves
    the ports trapped, the common dispatcher hands them to vuart_16550.c): every probe the 8250
    driver makes passes, its transmitter interrupt arrives on the vector it programmed for its
    virtual pin 4, the line typed with the focus on it arrives by the receive interrupt, and its
    lines reach COM1 only through the service partition; OUTW, OUTL, REP OUTSB, INW and INL are
    refused and counted, five register incidents and no more.

    Verifies: REQ-XARCH-033, REQ-XARCH-034, REQ-XARCH-035, REQ-CON-107, REQ-CON-108, REQ-CON-109
    """
    text = uart_run.lines
    mine = [l for l in text if l.startswith("[x86uart] x86uart: ")]
    assert mine and mine[0] == "[x86uart] x86uart: an emulated 16550 at 0x3f8", uart_run.text()
    for check in test_x86_16550.CHECKS:
        assert f"[x86uart] x86uart: {check}: ok" in mine, uart_run.text()
    assert "[x86uart] x86uart: got 'hello 16550'" in text, uart_run.text()
    assert mine[-1] == "[x86uart] x86uart: done, 0 failed", uart_run.text()
    assert "ESCAPED" not in uart_run.text(), uart_run.text()
    assert any(re.search(r"'x86uart'.*(OUT to|IN from) port 0x3f[8c] refused", l) for l in text), uart_run.text()
    assert "partition 'x86uart' incidents since boot: call 0, register 5, interrupt 0," in uart_run.text(), \
        uart_run.text()
    assert not any(l.startswith("x86uart") for l in text), uart_run.text()
    assert not any("I/O APIC" in l and "refused" in l for l in text), uart_run.text()
