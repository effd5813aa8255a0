# SPDX-License-Identifier: MIT
"""A channel between two partitions under load (partitions/producer, partitions/consumer): a
million numbered records from a producer to a slower consumer arrive once each, in order, with
back-pressure and doorbells; a consumer that restarts midway resumes where the ring stands, says
what the restart cost it, and sees nothing twice."""
import pytest

import harness

COUNT = 1000000


@pytest.fixture(scope="module")
def stream():
    system = harness.build("channel-stream", "tests/system/configs/channel-stream.dts")
    return harness.run(system, timeout=240)


@pytest.fixture(scope="module")
def restarted():
    system = harness.build("channel-restart", "tests/system/configs/channel-restart.dts")
    return harness.run(system, timeout=240)


def _waited(run, who):
    """How often `who` slept on its doorbell, from its summary line."""
    line = run.index(rf"^\[{who}\] .*waited \d+ times")
    assert line >= 0, run.text()
    return int(run.lines[line].split("waited ")[1].split()[0])


def test_a_million_records_arrive_once_in_order(stream):
    """1,000,000 records over the one-way channel 'samples': the consumer checks every sequence
    number, check value and pattern and finds no gap, repeat or damage; the ring filled (the
    producer waited for room, woken by the consumer's doorbell), so back-pressure, not luck,
    kept them all; nobody faulted; both stop by themselves and the board powers off. The
    producer's stage-1 map (AT S1E1R) has the channel Normal write-back (MAIR 0xff) and the page
    after it still Device (0x00): the runtime remapped the channel's pages, not their block.

    Verifies: REQ-CHN-001, REQ-CHN-030, REQ-CHN-032, REQ-CHN-033, REQ-CHN-034
    """
    producer, consumer = stream.of("producer"), stream.of("consumer")
    assert any(l.startswith("producer: channel memory 0x") and l.endswith(" attributes 0xff, the page after it 0x00")
               for l in producer), stream.text()
    assert any(l.startswith(f"producer: sent {COUNT} messages in ") for l in producer), stream.text()
    assert f"consumer: {COUNT} messages up to sequence {COUNT - 1}: {COUNT} received in this life" in consumer, \
        stream.text()
    assert "consumer: 0 duplicated, 0 missing, 0 damaged, 0 lost in restarts" in consumer, stream.text()
    assert not any("expected sequence" in l or "damaged" in l and l.startswith("consumer: record") for l in consumer)
    assert _waited(stream, "producer") > 0, stream.text()
    assert not any("fault" in l for l in stream.of("bulkhead")), stream.text()
    assert stream.exited and stream.of("bulkhead")[-1] == "all partitions stopped", stream.text()


def test_a_restarted_consumer_reports_its_loss_and_sees_nothing_twice(restarted):
    """The consumer restarts itself (PSCI SYSTEM_RESET) after verifying sequence 399,999 with
    400,000 taken from the ring but not verified. Its second life resumes at 400,001, where the
    shared indices stand, reports the one record the restart lost, and then verifies every other
    record up to 999,999 once, in order; the producer, held back meanwhile, loses nothing.

    Verifies: REQ-CHN-005, REQ-CHN-035
    """
    r = restarted
    gone = r.index(r"^\[consumer\] consumer: restarting after sequence 399999, with sequence 400000 taken "
                   r"but not verified$")
    assert gone >= 0, r.text()
    back = r.index(r"^\[bulkhead\] partition 'consumer' restarting \(restart 1\)$", gone)
    assert back > gone, r.text()
    resumed = r.index(r"^\[consumer\] consumer: restart 1: resumed at sequence 400001, had verified up to 399999: "
                      r"1 lost in the restart$", back)
    assert resumed > back, r.text()
    consumer = r.of("consumer")
    assert f"consumer: {COUNT} messages up to sequence {COUNT - 1}: {COUNT - 400001} received in this life" \
        in consumer, r.text()
    assert "consumer: 0 duplicated, 0 missing, 0 damaged, 1 lost in restarts" in consumer, r.text()
    assert any(l.startswith(f"producer: sent {COUNT} messages in ") for l in r.of("producer")), r.text()
    assert not any("fault" in l for l in r.of("bulkhead")), r.text()
    assert r.exited and r.of("bulkhead")[-1] == "all partitions stopped", r.text()
