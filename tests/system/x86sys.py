# SPDX-License-Identifier: MIT
"""x86 systems for the system tests: a system description built by bhcc's x86
back end with configs/qemu-x86_64_defconfig, booted on scripts/qemu.py's q35
machine (the one x86 command line, the one `make run` uses)."""
import os
import shutil
import subprocess

import harness
import qemu

QEMU = qemu.X86_BINARY
# The x86_64 newlib the partition programs link (partitions/newlib.mk), shared by every x86 build.
NEWLIB_X86 = os.path.abspath(os.environ.get("NEWLIB_X86_DIR") or os.path.join(harness.BUILD, "newlib-x86_64"))


def available():
    return shutil.which(QEMU) is not None


def build(name, dts):
    """Builds `dts` (a path relative to the source tree, or absolute) into
    $BULKHEAD_BUILD/systest/<name>; returns (build folder, gen/system.mk's variables)."""
    out = os.path.join(harness.BUILD, "systest", name)
    args = ["make", "-C", harness.SRCTREE, f"O={out}", f"SYSTEM={dts}", f"NEWLIB_X86_DIR={NEWLIB_X86}", "-j2"]
    if not os.path.exists(os.path.join(out, ".config")):
        subprocess.run(args + ["qemu-x86_64_defconfig"], check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    r = subprocess.run(args + ["all"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, f"x86 build of {dts} failed:\n{r.stdout[-4000:]}"
    return out, qemu.read_system_mk(os.path.join(out, "gen", "system.mk"))


def run(out, system_vars, timeout, mem_mib=None):
    """Boots the built system until the board powers off or `timeout` seconds pass; `mem_mib`
    gives the machine other RAM than the description's board has."""
    cmd = qemu.system_command(system_vars, os.path.join(out, "bulkhead.mb.elf"))
    if mem_mib is not None:
        cmd[cmd.index("-m") + 1] = f"{mem_mib}M"
    lines, exited, rc = harness._qemu(cmd, timeout=timeout)
    return harness.Run(lines, exited, rc)
