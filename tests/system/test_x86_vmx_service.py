# SPDX-License-Identifier: MIT
"""The service partition and the emulated 16550 on the Intel VMX back end under bochs
(tests/system/bochs.py): configs/qemu-x86_64-service.dts and configs/qemu-x86_64-16550.dts, built
with configs/bochs-x86_64-vmx_defconfig, one bochs run per system. The service partition owns
COM1 through the VMX I/O bitmap and prints the others' console channels; x86uart's 16550 is
emulated from VMX's I/O exits. bochs's COM1 is a file, so nothing can be typed: the input half
of test_x86_service.py and test_x86_16550.py stays on QEMU, and a run ends at the last line a
partition prints before it would wait for input."""
import re

import pytest

import bochs
import harness
from test_x86_16550 import CHECKS

pytestmark = pytest.mark.skipif(bool(bochs.missing()), reason=bochs.missing() or "bochs present")

RUN_TIMEOUT = 150   # seconds of host time; a run here takes about 12 s
TALKER_LINES = [f"[talker] line {i}: {'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?-+=_'[:i * 7]} {i}"
                for i in range(10)]


def _served(name, dts, banner, until):
    out, system_vars = bochs.build(name, dts)
    run = bochs.run(out, system_vars, timeout=RUN_TIMEOUT, until=until)
    if banner not in run.text():
        raise harness.NotBooted(f"no banner under bochs:\n{run.text()[-3000:]}\n{run.bochs_output[-2000:]}")
    return run


@pytest.fixture(scope="module")
def service_run():
    return _served("x86-vmx-service", "configs/qemu-x86_64-service.dts", "Bulkhead: 4 cores, 4 partitions",
                   ("[talker] echo: type a line", "[consumer] consumer: 0 duplicated", "[consumer] exit(0)"))


@pytest.fixture(scope="module")
def uart_run():
    return _served("x86-vmx-16550", "configs/qemu-x86_64-16550.dts", "Bulkhead: 4 cores, 3 partitions",
                   ("[x86uart] x86uart: type a line",))


def test_vmx_consoles_and_log_print_through_the_service_partition(service_run):
    """Under VMX the service partition drives COM1 through the ports its I/O bitmap grants and
    prints every other partition's console channel and the hypervisor's log: each line after it
    started is a whole line with its source's prefix; the producer's 2000 records reach the
    consumer intact; the talker's ten lines arrive in order, each once; the producer's stop is
    logged through it.

    Verifies: REQ-XARCH-018, REQ-XARCH-030
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
    # Nothing but the service partition wrote COM1 once it ran: no untagged partition line.
    assert not any(re.match(r"(producer|consumer|talker): ", l) for l in text), service_run.text()


def test_vmx_16550_is_emulated_from_io_exits_and_prints_through_the_service_partition(uart_run):
    """x86uart's 16550 at COM1's ports is emulated from VMX's I/O exits (the I/O bitmap leaves
    the ports trapped, the common dispatcher hands them to vuart_16550.c): every probe the 8250
    driver makes passes, its transmitter interrupt arrives on the vector it programmed for its
    virtual pin 4, wide and string accesses are refused and logged, and its lines reach COM1 only
    through the service partition, with its prefix.

    Verifies: REQ-XARCH-033, REQ-XARCH-034, REQ-XARCH-035, REQ-CON-107, REQ-CON-109
    """
    text = uart_run.lines
    mine = [l for l in text if l.startswith("[x86uart] x86uart: ")]
    assert mine and mine[0] == "[x86uart] x86uart: an emulated 16550 at 0x3f8", uart_run.text()
    for check in CHECKS:
        if check != "input by the receive interrupt":   # nothing can be typed under bochs
            assert f"[x86uart] x86uart: {check}: ok" in mine, uart_run.text()
    assert mine[-1] == "[x86uart] x86uart: type a line", uart_run.text()
    assert not any(": FAILED (" in l for l in mine), uart_run.text()
    assert "ESCAPED" not in uart_run.text(), uart_run.text()
    assert any(re.search(r"'x86uart'.*(OUT to|IN from) port 0x3f[8c] refused", l) for l in text), uart_run.text()
    assert not any(l.startswith("x86uart") for l in text), uart_run.text()
    assert not any("I/O APIC" in l and "refused" in l for l in text), uart_run.text()
