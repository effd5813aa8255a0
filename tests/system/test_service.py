# SPDX-License-Identifier: MIT
"""The service partition on QEMU: it owns the UART and prints every console and the hypervisor's
log as whole prefixed lines; typed input reaches only the focused partition; CTRL-a three times
moves the focus and says where; its prompt lists partitions and restarts one under its control;
a partition that attacks its own console channel (a mebibyte without a newline, garbage indices,
a million doorbells) harms nobody else.

These systems need the hypervisor's log in the log channel (core/log_ring.c): while the hypervisor
writes the UART itself, its lines can land in the middle of the service partition's."""
import os
import re
import subprocess
import threading
import time

import pytest

import harness

LOG_CHANNEL = os.path.exists(os.path.join(harness.SRCTREE, "core", "log_ring.c"))
pytestmark = pytest.mark.skipif(not LOG_CHANNEL, reason="needs the hypervisor's log channel (core/log_ring.c)")

CTRL_A3 = b"\x01\x01\x01"
TALKERS = ["talker-a", "talker-b", "talker-c"]


class Session:
    """A QEMU run whose console the test reads as it comes and types into (the UART's input)."""

    def __init__(self, system, timeout):
        self.system = system
        self.deadline = time.monotonic() + timeout
        self.p = subprocess.Popen(system.qemu_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.text = ""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for chunk in iter(lambda: self.p.stdout.read1(4096), b""):
            with self.lock:
                self.text += chunk.decode("utf-8", errors="replace").replace("\r", "")

    def lines(self):
        with self.lock:
            return [l for l in self.text.split("\n") if l]

    def wait(self, pattern, start=0):
        """Index of the first line from `start` matching `pattern`; fails at the run's deadline."""
        rx = re.compile(pattern)
        while time.monotonic() < self.deadline:
            lines = self.lines()
            for i in range(start, len(lines)):
                if rx.search(lines[i]):
                    return i
            time.sleep(0.05)
        self.p.kill()
        raise AssertionError(f"no line matching {pattern!r}:\n" + "\n".join(self.lines()[-80:]))

    def type(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def finish(self):
        """Waits for QEMU to exit (the board powers off) until the deadline; the run as harness.Run."""
        try:
            # Killed (by the test or below) is not exited: the board did not power off.
            exited = self.p.wait(timeout=max(0.1, self.deadline - time.monotonic())) >= 0
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            exited = False
        self.reader.join(timeout=5)
        # A coverage run's dump saved and taken out (harness.System and x86sys.System alike).
        return harness.Run(self.system.taken(self.lines(), exited), exited, self.p.returncode)


def talker_lines(n):
    pattern = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?-+=_"
    return [f"line {i}: {pattern[:(i * 7) % len(pattern)]} {i}" for i in range(n)]


def assert_every_line_whole(run):
    """Every console line starts with a known source's prefix, or is the prompt's."""
    known = re.compile(r"^(\[(bulkhead|service|hostile|talker-[abc]|producer|consumer|demo-c)\] |bulkhead> )")
    bad = [l for l in run.lines if not known.match(l)]
    assert not bad, "lines without a source:\n" + "\n".join(bad[:20])


@pytest.fixture(scope="module")
def consoles():
    system = harness.build("service-consoles", "tests/system/configs/service-consoles.dts")
    s = Session(system, timeout=120)
    steps = {}
    for name in TALKERS:
        s.wait(rf"^\[{name}\] echo: type a line$")
    steps["printed"] = len(s.lines())
    # The focus goes round: talker-a, talker-b; each gets its own line.
    s.type(CTRL_A3)
    at = s.wait(r"^\[service\] input now goes to talker-a ", steps["printed"])
    s.type(b"hello a\r")
    s.wait(r"^\[talker-a\] got 'hello a'$", at)
    s.type(CTRL_A3)
    at = s.wait(r"^\[service\] input now goes to talker-b ", at)
    s.type(b"hello b\r")
    s.wait(r"^\[talker-b\] got 'hello b'$", at)
    # talker-c, then the prompt: list, a refused stop, a restart.
    s.type(CTRL_A3)
    at = s.wait(r"^\[service\] input now goes to talker-c ", at)
    s.type(CTRL_A3)
    at = s.wait(r"^\[service\] input now goes to bulkhead ", at)
    s.type(b"list\r")
    s.wait(r"^\[service\] 3 +talker-c ", at)
    s.type(b"stop talker-a\r")
    s.wait(r"^\[service\] stop talker-a: ", at)
    s.type(b"restart talker-c\r")
    s.wait(r"^\[talker-c\] talker: partition 3, restart 1, 300 lines$", at)
    at = s.wait(r"^\[talker-c\] echo: type a line$", at)
    steps["restarted"] = at
    # Everyone exits: the service partition then stops too and the board powers off.
    for name in TALKERS:
        s.type(CTRL_A3)
        at = s.wait(rf"^\[service\] input now goes to {name} ", at)
        s.type(b"exit\r")
        s.wait(rf"^\[{name}\] got 'exit'$", at)
    run = s.finish()
    harness.assert_booted(run, system)
    return run, steps


def test_consoles_print_whole_lines_nothing_lost(consoles):
    """Three partitions print 300 lines each through their console channels at once: on the UART
    each line is whole, prefixed with its partition's name, once and in order; nothing was dropped.

    Verifies: REQ-SVC-001, REQ-SVC-004
    """
    run, steps = consoles
    assert_every_line_whole(run)
    want = talker_lines(300)
    for name in ["talker-a", "talker-b"]:
        lines = [l for l in run.of(name) if l.startswith("line ")]
        assert lines == want, f"{name}:\n" + run.text()[-3000:]
    first_life = run.lines[:steps["restarted"]]
    c = [l[len("[talker-c] "):] for l in first_life if l.startswith("[talker-c] line ")]
    assert c[:300] == want
    assert not any("dropped" in l for l in run.of("service")), run.text()


def test_input_reaches_only_the_focused_partition(consoles):
    """Typed lines reach only the partition that has the focus; each move of the focus (CTRL-a
    three times) is announced, and the round goes talker-a, talker-b, talker-c, the prompt.

    Verifies: REQ-SVC-005
    """
    run, _ = consoles
    got = {name: [l for l in run.of(name) if l.startswith("got ")] for name in TALKERS}
    assert got["talker-a"] == ["got 'hello a'", "got 'exit'"], run.text()
    assert got["talker-b"] == ["got 'hello b'", "got 'exit'"], run.text()
    assert got["talker-c"] == ["got 'exit'"], run.text()
    focus = [re.match(r"input now goes to (\S+) ", l).group(1) for l in run.of("service")
             if l.startswith("input now goes to ")]
    assert focus == ["talker-a", "talker-b", "talker-c", "bulkhead", "talker-a", "talker-b", "talker-c"], focus


def test_prompt_lists_and_restarts_only_what_it_may(consoles):
    """`list` shows every partition with its state, cores, restarts, faults and whether the service
    partition may control it; `stop talker-a` (no service-control) is refused by the hypervisor;
    `restart talker-c` restarts it (its second life prints again); the board powers off once every
    partition has stopped, the service partition last.

    Verifies: REQ-SVC-006, REQ-HC-009, REQ-HC-010, REQ-SVC-007
    """
    run, _ = consoles
    svc = run.of("service")
    for i, name in enumerate(["service"] + TALKERS):
        row = [l for l in svc if re.match(rf"{i} +{name} ", l)]
        assert row, run.text()
        control = "yes" if name == "talker-c" else "no"
        assert re.match(rf"{i} +{name} +running +0x{1 << i:<4x} +0 +0 +{control}$", row[0]), row
    assert any(l.startswith("stop talker-a: refused") for l in svc), svc
    assert "restart talker-c: requested" in svc
    assert "talker: partition 3, restart 1, 300 lines" in run.of("talker-c")
    assert "talker: partition 1, restart 0, 300 lines" in run.of("talker-a")
    assert not any("restart 1" in l for l in run.of("talker-a")), run.text()
    assert "every other partition has stopped: the service partition stops" in svc
    assert run.exited and run.of("bulkhead")[-1] == "all partitions stopped", run.text()[-3000:]


@pytest.fixture(scope="module")
def hostile():
    system = harness.build("service-hostile", "tests/system/configs/service-hostile.dts")
    return harness.run(system, timeout=180)


def test_hostile_console_harms_nobody_else(hostile):
    """A partition writes a mebibyte without a newline into its console channel, then garbage into
    both of its rings' indices, then rings the doorbell a million times: the two other partitions'
    2000 lines each all come out whole, once and in order; the service partition reports the
    corrupt ring (at its 1st, 2nd, 4th ... refusal, not once per loop) and stops last.

    Verifies: REQ-SVC-003, REQ-SVC-001
    """
    run = hostile
    assert_every_line_whole(run)
    want = talker_lines(2000)
    for name in ["talker-a", "talker-b"]:
        assert [l for l in run.of(name) if l.startswith("line ")] == want, name
        assert "done: 2000 lines" in run.of(name)
    assert "hostile: garbage indices written, 1000000 doorbells rung" in run.of("hostile"), run.text()[-3000:]
    corrupt = [l for l in run.of("service") if l.startswith("hostile: ring corrupt")]
    assert corrupt and corrupt[0].startswith("hostile: ring corrupt (1 times)"), run.text()[-3000:]
    assert len(corrupt) <= 32
    assert run.exited and run.of("bulkhead")[-1] == "all partitions stopped", run.text()[-3000:]


def test_megabyte_without_newline_printed_in_pieces(hostile):
    """The mebibyte without a newline comes out as lines of 160 bytes and the rest, every byte.

    Verifies: REQ-SVC-003
    """
    xs = [l for l in hostile.of("hostile") if l and set(l) == {"x"}]
    assert sum(len(l) for l in xs) == 1024 * 1024, len(xs)
    assert all(len(l) == 160 for l in xs[:-1])


def test_service_system_runs_to_the_end():
    """configs/qemu-aarch64-virt.dts (`make run`): the service partition prints a
    producer's and a consumer's channel run and the demo through their console channels, every
    sequence number arrives, and once they have all stopped the service partition stops last and
    the board powers off.

    Verifies: REQ-SVC-001, REQ-SVC-007
    """
    system = harness.build("default", "configs/qemu-aarch64-virt.dts")
    run = harness.run(system, timeout=120)
    assert_every_line_whole(run)
    assert "consumer: 0 duplicated, 0 missing, 0 damaged, 0 lost in restarts" in run.of("consumer"), run.text()
    assert any(l.startswith("producer: sent 20000 messages") for l in run.of("producer")), run.text()
    assert "done" in run.of("demo-c"), run.text()
    svc = run.index(r"^\[service\] every other partition has stopped: the service partition stops$")
    assert svc > max(run.index(rf"^\[bulkhead\] partition '{p}' stopped$") for p in ("producer", "consumer", "demo-c"))
    assert run.exited and run.of("bulkhead")[-1] == "all partitions stopped", run.text()[-3000:]
