# SPDX-License-Identifier: MIT
"""x86 systems for the system tests: a system description built by bhcc's x86
back end with configs/qemu-x86_64_defconfig, booted on scripts/qemu.py's q35
machine (the one x86 command line, the one `make run` uses)."""
import os
import shutil

import harness
import qemu

QEMU = qemu.X86_BINARY
# x86 systems join the on-target coverage (BULKHEAD_COVERAGE=1, make system-test-cov) as ARM64's
# do; arch/x86/ has figures of its own in the gate (tools/cert/coverage.py).
COVERAGE = harness.COVERAGE
# The x86_64 newlib the partition programs link (partitions/newlib.mk), shared by every x86 build.
NEWLIB_X86 = os.path.abspath(os.environ.get("NEWLIB_X86_DIR") or os.path.join(harness.BUILD, "newlib-x86_64"))


def available():
    return shutil.which(QEMU) is not None


def build(name, dts):
    """Builds `dts` (a path relative to the source tree, or absolute) into
    $BULKHEAD_BUILD/systest/<name> (systest-cov/ on a coverage run, COVERAGE above);
    returns (build folder, gen/system.mk's variables)."""
    system = harness.build(name, dts, defconfig="qemu-x86_64_defconfig", make_vars=[f"NEWLIB_X86_DIR={NEWLIB_X86}"],
                           what="x86 build", coverage=COVERAGE)
    return system.out, system.vars


def run(out, system_vars, timeout, mem_mib=None, take_coverage=COVERAGE):
    """Boots the built system until the board powers off or `timeout` seconds pass; `mem_mib`
    gives the machine other RAM than the description's board has. `take_coverage`: the gcov dump
    of a coverage build is saved as this run's and taken out of the lines (harness.coverage_taken)."""
    cmd = qemu.system_command(system_vars, os.path.join(out, "bulkhead.mb.elf"))
    if mem_mib is not None:
        cmd[cmd.index("-m") + 1] = f"{mem_mib}M"
    lines, exited, rc = harness._qemu(cmd, timeout=timeout)
    return harness.Run(harness.coverage_taken(out, lines) if take_coverage else lines, exited, rc)


class System:
    """A built x86 system as test_service's console Session runs it (qemu_command), whose run's
    lines come back without the gcov dump of a coverage build, saved as that run's (taken): only
    of a run that ended by the board's power-off (`exited`), since one the test killed (a Linux
    partition that never stops) printed no dump."""

    def __init__(self, out, system_vars):
        self.out, self.vars = out, system_vars

    def qemu_command(self):
        return qemu.system_command(self.vars, os.path.join(self.out, "bulkhead.mb.elf"))

    def taken(self, lines, exited):
        return harness.coverage_taken(self.out, lines) if COVERAGE and exited else lines


def booted(name, dts, partitions, timeout):
    """build() and run() of `dts`, raising harness.NotBooted unless the hypervisor's banner names
    its `partitions` (a test that fails proves something only on a system that booted)."""
    booted_run = run(*build(name, dts), timeout=timeout)
    if f"Bulkhead: 4 cores, {partitions} partitions" not in booted_run.of("bulkhead"):
        raise harness.NotBooted(f"no banner:\n{booted_run.text()[-3000:]}")
    return booted_run
