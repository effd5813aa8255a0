# SPDX-License-Identifier: MIT
"""x86 systems for the system tests: a system description built by bhcc's x86
back end with configs/qemu-x86_64_defconfig, booted on scripts/qemu.py's q35
machine (the one x86 command line, the one `make run` uses)."""
import os
import shutil

import harness
import qemu

QEMU = qemu.X86_BINARY
# x86 runs join the on-target coverage (BULKHEAD_COVERAGE=1 BULKHEAD_COVERAGE_X86=1) once
# tools/cert/coverage-systems.txt lists their systems and the thresholds are re-measured with them
# (issue 13); their coverage builds and dumps work (tests/system/test_coverage.py).
COVERAGE = harness.COVERAGE and os.environ.get("BULKHEAD_COVERAGE_X86", "") not in ("", "0")
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


def run(out, system_vars, timeout, mem_mib=None):
    """Boots the built system until the board powers off or `timeout` seconds pass; `mem_mib`
    gives the machine other RAM than the description's board has."""
    cmd = qemu.system_command(system_vars, os.path.join(out, "bulkhead.mb.elf"))
    if mem_mib is not None:
        cmd[cmd.index("-m") + 1] = f"{mem_mib}M"
    lines, exited, rc = harness._qemu(cmd, timeout=timeout)
    return harness.Run(harness.coverage_taken(out, lines) if COVERAGE else lines, exited, rc)
