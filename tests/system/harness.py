# SPDX-License-Identifier: MIT
"""Builds Bulkhead systems and runs them in QEMU for the system tests.

Every QEMU run has a hard wall-clock timeout; the serial console is read
whole after QEMU exits (the systems under test power off when their
partitions are done) or is killed at the timeout.

With BULKHEAD_COVERAGE=1 every system is built with CONFIG_COVERAGE into
$BULKHEAD_BUILD/systest-cov/<name>; the gcov counters the hypervisor prints
before it powers off are taken out of the console (the tests see exactly
what a normal build prints) and saved as .gcda files of that run under
<build>/coverage-runs/<n>/ for `make cert` (tools/cert/coverage.py).
"""
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(os.environ.get("BULKHEAD_BUILD", os.path.join(SRCTREE, "build")))
COVERAGE = os.environ.get("BULKHEAD_COVERAGE", "") not in ("", "0")
# The newlib build make uses (NEWLIB_DIR, exported by partitions/newlib.mk).
NEWLIB = os.path.abspath(os.environ.get("NEWLIB_DIR") or os.path.join(BUILD, "newlib"))
# The project's instruction-counting TCG plugin (tools/qemu-plugin), built by `make host-tools`.
TRACEPOINTS = os.path.join(BUILD, "host", "tracepoints.so")

sys.path.insert(0, os.path.join(SRCTREE, "tools", "cert"))
sys.path.insert(0, os.path.join(SRCTREE, "scripts"))
import gcov_console  # noqa: E402
import qemu  # noqa: E402

_build_lock = threading.Lock()
_built = {}


@dataclass
class System:
    name: str
    out: str
    vars: dict = field(default_factory=dict)
    coverage: bool = False

    @property
    def image(self):
        return os.path.join(self.out, "bulkhead.bin")

    def qemu_command(self, extra=(), **kw):
        """The project's one QEMU command line (scripts/qemu.py) for this system."""
        return qemu.system_command(self.vars, self.image, extra=extra, **kw)

    def taken(self, lines, exited):
        """The console `lines` of a run the caller drove itself: on a coverage build the gcov dump
        is saved and taken out, as run() does (a run killed before the dump has none to take)."""
        return coverage_taken(self.out, lines) if self.coverage and exited else lines


def build(name, dts, kconfig=None, defconfig="qemu-aarch64-virt_defconfig", make_vars=(), what="build",
          coverage=COVERAGE):
    """Builds the system description `dts` (relative to the source tree) into
    $BULKHEAD_BUILD/systest/<name> (systest-cov/<name> with BULKHEAD_COVERAGE),
    once per test session, from `defconfig` with the `kconfig` options and the
    `make_vars` (x86: tests/system/x86sys.py, bochs.py); `what` names the build
    in a failure; `coverage` False: a normal build even with BULKHEAD_COVERAGE
    (bochs: its runs end before the dump)."""
    with _build_lock:
        if (name, coverage) in _built:
            return _built[(name, coverage)]
        out = os.path.join(BUILD, "systest-cov" if coverage else "systest", name)
        if coverage:
            kconfig = list(kconfig or []) + ["CONFIG_COVERAGE=y"]
            # Counters of an earlier session belong to other objects.
            shutil.rmtree(os.path.join(out, "coverage-runs"), ignore_errors=True)
        args = ["make", "-C", SRCTREE, f"O={out}", f"SYSTEM={dts}",
                f"NEWLIB_DIR={NEWLIB}", "-j2", *make_vars]
        if not os.path.exists(os.path.join(out, ".config")):
            subprocess.run(args + [defconfig], check=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for opt in (kconfig or []):
            subprocess.run(["sed", "-i", f"/^{opt.split('=')[0]}=/d;/# {opt.split('=')[0]} is not set/d",
                            os.path.join(out, ".config")], check=True)
            with open(os.path.join(out, ".config"), "a") as f:
                f.write(opt + "\n")
        r = subprocess.run(args + ["all"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{what} of {dts} failed:\n{r.stdout[-4000:]}")
        system = System(name, out, qemu.read_system_mk(os.path.join(out, "gen", "system.mk")), coverage)
        _built[(name, coverage)] = system
        return system


@dataclass
class Run:
    lines: list
    exited: bool          # QEMU ended by itself (the board powered off)
    returncode: int

    def of(self, prefix):
        """The lines printed by partition `prefix` (or "bulkhead"), prefix stripped."""
        tag = f"[{prefix}] "
        return [l[len(tag):] for l in self.lines if l.startswith(tag)]

    def index(self, pattern, start=0):
        """Index of the first line at or after `start` matching regex `pattern`, or -1."""
        rx = re.compile(pattern)
        for i in range(start, len(self.lines)):
            if rx.search(self.lines[i]):
                return i
        return -1

    def text(self):
        return "\n".join(self.lines)


class NotBooted(AssertionError):
    """The system under test did not show that it booted: nothing it did not
    print can be evidence of anything."""


def assert_booted(run, system, banner=True, partitions=None):
    """Fails unless `run` shows the system booted: the hypervisor's banner with
    the board's cores and the description's partitions (unless `banner` is
    False, for builds that log nothing), and a first line from each partition
    in `partitions` (default: every partition of the description)."""
    names = system.vars["BH_PARTITIONS"].split()
    if banner:
        want = f"Bulkhead: {system.vars['BH_NUM_CORES']} cores, {len(names)} partitions"
        if want not in run.of("bulkhead"):
            raise NotBooted(f"{system.name}: no banner '{want}':\n{run.text()[-3000:]}")
    for name in (names if partitions is None else partitions):
        if not run.of(name):
            raise NotBooted(f"{system.name}: partition '{name}' printed nothing:\n{run.text()[-3000:]}")


def run(system, timeout=60, extra=(), booted=None, **kw):
    """Boots `system` in QEMU; returns its console once the board powers off,
    or what it printed until the hard timeout. Every run must show that it
    booted (assert_booted; `booted` passes its options, e.g.
    dict(partitions=[...]), or False to leave the check to the caller).
    `kw` goes to scripts/qemu.py (icount=..., plugin=...)."""
    lines, exited, returncode = _qemu(system.qemu_command(extra, **kw), timeout)
    r = Run(system.taken(lines, True), exited, returncode)
    if booted is not False:
        assert_booted(r, system, **(booted or {}))
    return r


def _qemu(args, timeout):
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out, _ = p.communicate(timeout=timeout)
        exited = True
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        exited = False
    text = out.decode("utf-8", errors="replace").replace("\r", "")
    return [l for l in text.split("\n") if l], exited, p.returncode


def run_native(elf, gic, cpus, timeout=60, **kw):
    """Runs a partition program's ELF without the hypervisor: QEMU loads it at
    EL1 on the real GIC (version `gic`) with `cpus` CPUs. Returns its console."""
    lines, exited, _ = _qemu(qemu.native_command(elf, gic, cpus, **kw), timeout)
    if not exited:
        raise subprocess.TimeoutExpired(elf, timeout)
    if not lines:
        raise NotBooted(f"{elf} printed nothing natively")
    return lines


_run_lock = threading.Lock()


def coverage_taken(out, lines):
    """The console `lines` of a run of the system built in `out`; on a coverage build, with the
    gcov dump taken out and saved as this run's .gcda files (the tests see what a normal build
    prints)."""
    lines, dump = gcov_console.split(lines)
    runs = os.path.join(out, "coverage-runs")
    with _run_lock:
        os.makedirs(runs, exist_ok=True)
        n = len(os.listdir(runs))
        run_dir = os.path.join(runs, f"{n:03d}")
        os.makedirs(run_dir)
    gcov_console.save(dump, out, run_dir)
    with open(os.path.join(run_dir, "dump.txt"), "w") as f:
        f.write(f"complete: {dump.complete}\nfiles: {len(dump.files)}\n")
        f.writelines(f"error: {e}\n" for e in dump.errors)
    return lines
