# SPDX-License-Identifier: MIT
"""The service partition on x86, configs/qemu-x86_64-service.dts: the same program as on arm64
(partitions/service, its x86 board part in partitions/service/x86) owns COM1 (its I/O ports and
GSI 4, which it routes to itself through the I/O APIC the hypervisor mediates) and prints every
partition's console channel and the hypervisor's log; typed input, CTRL-a three times to move the
focus, reaches the focused partition through the UART's receive interrupt."""
import os
import sys

import pytest

import harness
import x86sys

sys.path.insert(0, os.path.dirname(__file__))
from test_service import CTRL_A3, Session  # noqa: E402  (the arm64 tests' console session)

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")


def type_session(s):
    """What the tests type, QEMU's or bochs's (test_x86_vmx_service.py): the focus moved to each
    partition in turn, a line to the talker, then "exit"; the index of the talker's last answer."""
    s.wait(r"^\[talker\] echo: type a line$")
    at = 0
    for name in ("producer", "consumer", "talker"):
        s.type(CTRL_A3)
        at = s.wait(rf"^\[service\] input now goes to {name} ", at)
    s.type(b"hello x86\r")
    at = s.wait(r"^\[talker\] got 'hello x86'$", at)
    s.type(b"exit\r")
    return s.wait(r"^\[talker\] got 'exit'$", at)


@pytest.fixture(scope="module")
def served():
    s = Session(x86sys.System(*x86sys.build("x86-service", "configs/qemu-x86_64-service.dts")), timeout=120)
    type_session(s)
    run = s.finish()
    if "Bulkhead: 4 cores, 4 partitions" not in run.text():
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def test_consoles_and_log_print_through_the_service_partition(served):
    """Once the service partition runs, every line is a source's whole line with its prefix:
    the producer's and consumer's 2000 records checked over their channel, the talker's lines in
    order, each once, and the hypervisor's log; when all others have stopped the service
    partition stops last and the board powers off.

    Verifies: REQ-XARCH-018
    """
    text = served.lines
    start = next(i for i, l in enumerate(text) if l.startswith("[service] service partition: 4 consoles and logs"))
    bad = [l for l in text[start:] if not l.startswith(("[bulkhead] ", "[service] ", "[producer] ", "[consumer] ",
                                                        "[talker] ", "bulkhead> "))]
    assert not bad, "\n".join(bad)
    assert "[consumer] consumer: 0 duplicated, 0 missing, 0 damaged, 0 lost in restarts" in text, served.text()
    talker = [l for l in text if l.startswith("[talker] line ")]
    assert talker == [f"[talker] line {i}: {'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?-+=_'[:i * 7]} {i}"
                      for i in range(10)], served.text()
    # The hypervisor's log, drained by the service partition after it started.
    assert "[bulkhead] partition 'producer' stopped" in text[start:], served.text()
    assert not any("dropped" in l for l in text), served.text()
    assert text.index("[service] every other partition has stopped: the service partition stops") > \
        text.index("[bulkhead] partition 'talker' stopped"), served.text()
    assert served.exited and served.returncode == 0, served.text()


def test_typed_input_reaches_the_focused_partition(served):
    """Bytes typed on COM1 reach the service partition by the UART's receive interrupt (GSI 4,
    the pin its description gives it, delivered as the vector it programmed in the mediated
    I/O APIC), move the focus and reach the talker, which echoes them.

    Verifies: REQ-XARCH-017, REQ-XARCH-018
    """
    text = served.lines
    assert "[talker] got 'hello x86'" in text, served.text()
    assert not any("interrupt" in l and "cannot be taken" in l for l in text), served.text()
    assert not any("I/O APIC" in l and "refused" in l for l in text), served.text()
