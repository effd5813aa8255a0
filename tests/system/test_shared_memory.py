# SPDX-License-Identifier: MIT
"""Shared memory (/shared-memory): partitions that map a region read-write see each other's writes;
one that maps it read-only reads them and is stopped when it writes; nobody else is disturbed."""
import pytest

import harness


@pytest.fixture(scope="module")
def shared():
    system = harness.build("shared-memory", "tests/system/configs/shared-memory.dts")
    return harness.run(system, timeout=60)


def test_read_write_mappers_see_each_others_writes(shared):
    """ping writes a pattern that pong reads back, pong one that ping reads back, through the one
    host region each maps at 0x50000000; the isolation report names both as writers.

    Verifies: REQ-MEM-010, REQ-CFG-049
    """
    assert "wrote pattern A (512 words)" in shared.of("ping"), shared.text()
    assert "pattern A as ping wrote it: 0 mismatches" in shared.of("pong"), shared.text()
    assert "wrote pattern B (512 words)" in shared.of("pong"), shared.text()
    assert "pattern B as pong wrote it: 0 mismatches" in shared.of("ping"), shared.text()
    for p in ("ping", "pong"):
        assert "done" in shared.of(p), shared.text()


def test_read_only_mapper_reads_and_its_write_is_a_contained_fault(shared):
    """peek sees both patterns at its own guest address 0x60000000; its write there is a stage-2
    write fault that ends peek's life alone (its policy restarts it); in its second life the
    region still holds what ping and pong wrote, so the write did not reach it; the board powers
    off when all have stopped.

    Verifies: REQ-MEM-010, REQ-MEM-003, REQ-TRP-001
    """
    peek = shared.of("peek")
    assert "read only: pattern A 0 mismatches, pattern B 0 mismatches" in peek, shared.text()
    write = shared.index(r"^\[peek\] writing to shared memory mapped read-only$")
    assert write >= 0, shared.text()
    fault = shared.index(r"^\[bulkhead\] fault: partition 'peek' vCPU 0 \(core 2\): stage-2 data abort \(write\) "
                         r"at IPA 0x60000000, PC 0x[0-9a-f]+, ESR 0x[0-9a-f]+; restart$", write)
    assert fault > write, shared.text()
    assert "the write went through" not in peek
    restart = shared.index(r"^\[bulkhead\] partition 'peek' restarting \(restart 1\)$", fault)
    assert restart > fault, shared.text()
    after = shared.index(r"^\[peek\] after the fault: flag A intact, pattern A 0 mismatches, "
                         r"pattern B 0 mismatches$", restart)
    assert after > restart, shared.text()
    assert not any("fault" in l for l in shared.of("bulkhead") if "'peek'" not in l), shared.text()
    assert shared.exited and shared.of("bulkhead")[-1] == "all partitions stopped", shared.text()
