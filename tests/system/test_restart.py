# SPDX-License-Identifier: MIT
"""RAM across a restart (docs/bindings.md, `scrub-on-restart`): two demo partitions restart
themselves once after leaving a marker at the end of their free RAM; the second life of the one
without the property finds it, the one with it finds zeroes."""
import os
import re

import pytest

import harness


@pytest.fixture(scope="module")
def restart():
    system = harness.build("restart-scrub", "tests/system/configs/restart-scrub.dts")
    return system, harness.run(system, timeout=60)


def test_both_partitions_live_twice(restart):
    """Both partitions booted, reset themselves once and finished their second life.

    Verifies: REQ-CPU-007
    """
    _, r = restart
    for p in ("kept", "scrubbed"):
        assert [l for l in r.of(p) if l.startswith("hello:")] == [
            f"hello: partition {i}, vCPU 0 of 1, restart {n}" for i, n in ((("kept", "scrubbed").index(p), 0),
                                                                           (("kept", "scrubbed").index(p), 1))], r.text()
        assert r.of(p).count("done") == 1 and r.of(p).count("resetting") == 1, r.text()
    assert r.exited and r.of("bulkhead")[-1] == "all partitions stopped", r.text()


def test_scrub_on_restart_zeroes_only_where_described(restart):
    """The marker the first life wrote in its free RAM: kept without `scrub-on-restart`, zeroed
    with it; the isolation report says which partition gets which.

    Verifies: REQ-CPU-015
    """
    system, r = restart
    assert "the last life's marker: kept" in r.of("kept"), r.text()
    assert "the last life's marker: zeroed" in r.of("scrubbed"), r.text()
    report = open(os.path.join(system.out, "gen", "isolation.md")).read()
    rows = re.findall(r"^\| On restart \| (.*) \|$", report, re.M)
    assert rows == ["the images reloaded; the rest of its RAM kept",
                    "writable RAM zeroed, then the images reloaded"], rows
