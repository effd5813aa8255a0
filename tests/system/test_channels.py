# SPDX-License-Identifier: MIT
"""Channels (/channels) on QEMU: the sender's data and doorbell reach the receiver and back; a
receiver's write to the sender's pages is a stage-2 fault that stops it alone; a partition that is
no end of the channel gets DENIED, an unknown channel INVALID_PARAM, each counted as an incident."""
import pytest

import harness


@pytest.fixture(scope="module")
def channels():
    system = harness.build("channels", "tests/system/configs/channels.dts")
    return harness.run(system, timeout=60)


def test_booted(channels):
    """The system booted its three partitions.

    Verifies: REQ-CHN-006
    """
    assert "[bulkhead] Bulkhead: 4 cores, 3 partitions" in channels.text(), channels.text()
    for p, line in (("sender", "channel 0 at 0x50000000, role 0"), ("receiver", "channel 0 at 0x60000000, role 1"),
                    ("outsider", "channel 0 at 0x0, role 2")):
        assert line in channels.of(p), channels.text()


def test_data_and_doorbells_cross_the_channel(channels):
    """The sender's words reach the receiver, whose doorbell (SGI 3) the sender's BH_HC_DOORBELL
    raised; the receiver's acknowledgement in its own page and its doorbell back reach the sender.

    Verifies: REQ-CHN-007, REQ-CHN-009
    """
    assert "wrote 256 words, doorbell: 0" in channels.of("sender"), channels.text()
    assert "doorbell taken, 0 mismatches" in channels.of("receiver"), channels.text()
    assert "acknowledged, doorbell: 0" in channels.of("receiver"), channels.text()
    assert "acknowledged, doorbell taken" in channels.of("sender"), channels.text()
    assert "done" in channels.of("sender"), channels.text()


def test_receivers_write_to_the_senders_page_faults(channels):
    """The receiver maps the sender's pages read-only: its write at 0x60001000 (the sender's
    control block) is a stage-2 write fault that stops the receiver and nothing else.

    Verifies: REQ-CHN-007, REQ-MEM-003
    """
    write = channels.index(r"^\[receiver\] writing to the sender's page$")
    assert write >= 0, channels.text()
    fault = channels.index(r"^\[bulkhead\] fault: partition 'receiver' vCPU 0 \(core 1\): stage-2 data abort "
                           r"\(write\) at IPA 0x60001000, PC 0x[0-9a-f]+, ESR 0x[0-9a-f]+; stop$", write)
    assert fault > write, channels.text()
    assert "the write went through" not in channels.of("receiver"), channels.text()
    assert not any("fault:" in l for l in channels.of("bulkhead") if "'receiver'" not in l), channels.text()
    assert channels.exited and channels.of("bulkhead")[-1] == "all partitions stopped", channels.text()


def test_a_partition_that_is_no_end_is_refused(channels):
    """The outsider rings channel 0, which it is no end of: DENIED (-4); channel 200 and 2^32 do
    not exist: INVALID_PARAM (-2); three call incidents, the first logged.

    Verifies: REQ-CHN-009
    """
    out = channels.of("outsider")
    assert "doorbell of channel 0: -4" in out, channels.text()
    assert "doorbell of channel 200: -2" in out, channels.text()
    assert "doorbell of channel 2^32: -2" in out, channels.text()
    assert "call incidents: 3" in out, channels.text()
    assert channels.index(r"^\[bulkhead\] partition 'outsider' vCPU 0, call incident 1 \(0 not logged since the "
                          r"last\): DOORBELL of channel 0 refused: not an end of it$") >= 0, channels.text()
