# SPDX-License-Identifier: MIT
"""A channel between two x86 partitions, configs/qemu-x86_64-channel.dts: the
arm64 producer and consumer programs, unchanged, built with the x86 SDK, find
the channel in the description bhcc generates for them (at ESI), share its
ring, and ring each other's doorbells: BH_HC_DOORBELL by VMMCALL raises the
peer end's vector in the peer's vCPU, which its IDT takes."""
import pytest

import harness
import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")
COUNT = 100000


@pytest.fixture(scope="module")
def channel_run():
    run = x86sys.run(*x86sys.build("x86-channel", "configs/qemu-x86_64-channel.dts"), timeout=120)
    if "Bulkhead: 4 cores, 2 partitions" not in run.of("bulkhead"):
        raise harness.NotBooted(f"no banner:\n{run.text()[-3000:]}")
    return run


def _taken(run, name):
    line = next((l for l in run.of(name) if l.startswith(f"{name}: doorbell ")), None)
    assert line is not None, run.text()
    vector, taken = line.split()[2], line.split()[4]
    return int(vector), int(taken)


def test_records_cross_the_channel_once_in_order(channel_run):
    """The producer sends 100000 numbered records over 'samples'; the consumer
    receives each sequence number once, in order, undamaged; both exit and
    the board powers off.

    Verifies: REQ-XARCH-015
    """
    consumer = channel_run.of("consumer")
    assert f"consumer: {COUNT} messages up to sequence {COUNT - 1}: {COUNT} received in this life" in consumer, \
        channel_run.text()
    assert "consumer: 0 duplicated, 0 missing, 0 damaged, 0 lost in restarts" in consumer, channel_run.text()
    assert any(l.startswith(f"producer: sent {COUNT} messages in ") for l in channel_run.of("producer")), \
        channel_run.text()
    assert not any("fault" in l or "incident" in l for l in channel_run.of("bulkhead")), channel_run.text()
    assert channel_run.exited and channel_run.returncode == 0, channel_run.text()


def test_each_end_takes_its_doorbell_vector(channel_run):
    """Each end's doorbell is the vector its description gives (producer 0x50,
    consumer 0x51) and reached its vCPU through its IDT when the peer rang:
    taken at least once whenever the peer rang, and no more often than the
    peer rang (raises merge while one is pending). An end rings only after
    its peer waited, and which end waits depends on which one QEMU's threads
    run ahead (a consumer that never finds the ring empty is never rung), so
    one end's count may be 0 of 0 in a run; the run must show one delivery
    at least. Without delivery the ring still works by polling to each wait's
    deadline, so this is the evidence of the doorbell path.

    Verifies: REQ-XARCH-014, REQ-XARCH-015
    """
    delivered = 0
    for name, peer, want in (("producer", "consumer", 0x50), ("consumer", "producer", 0x51)):
        vector, taken = _taken(channel_run, name)
        assert vector == want, channel_run.text()
        rang = [l for l in channel_run.of(peer) if " doorbells" in l and "rang " in l]
        assert rang, channel_run.text()
        peer_rang = int(rang[0].split("rang ")[1].split()[0])
        assert taken <= peer_rang and (taken > 0 or peer_rang == 0), channel_run.text()
        delivered += taken
    assert delivered > 0, channel_run.text()
