# SPDX-License-Identifier: MIT
"""The partition SDK for x86_64: a program built with the x86 runtime and newlib
reaches main() from the 32-bit entry state and runs to exit(), natively.

The x86 entry state (arch/x86/README.md) is multiboot v1's, so the same image,
as ELF32, boots under `qemu-system-x86_64 -kernel` with no hypervisor; the
runtime then finds no Bulkhead CPUID signature, prints to COM1 and powers off
through ACPI (partitions/runtime/x86/native.c).
"""
import os
import subprocess

import harness
import qemu

BOOT_TIMEOUT = 60
LINES = 300


def _build(program):
    out = os.path.join(harness.BUILD, "x86-native", f"{program}.elf32")
    subprocess.run(["make", "-f", "partitions/runtime/x86/native.mk", f"O={harness.BUILD}", f"PROGRAM={program}"],
                   cwd=harness.SRCTREE, check=True, timeout=900)
    return out


def _run_native(image):
    # The project's q35 machine (scripts/qemu.py); its -no-reboot makes a triple fault (an
    # exception before the runtime has an IDT) end QEMU instead of looping.
    cmd = qemu.x86_native_command(image)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=BOOT_TIMEOUT)
    return p.returncode, p.stdout.replace("\r\n", "\n")


def test_talker_runs_natively_on_x86_64():
    """talker, built for x86_64 unchanged, enters long mode, prints all its lines through
    newlib's printf and exits; QEMU then ends within the timeout (the runtime powers it off through ACPI).

    Verifies: REQ-BLD-030
    """
    rc, out = _run_native(_build("talker"))
    assert "talker: partition 0, restart 0, 300 lines" in out, out
    lines = [l for l in out.splitlines() if l.startswith("line ")]
    assert len(lines) == LINES, out
    # A formatted line whose pattern length varies: newlib's printf with %.*s on x86_64.
    assert lines[299] == "line 299: " + ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?-+=_"[:(299 * 7) % 72]) + " 299", out
    assert "done: 300 lines" in out and "exit(0)" in out, out
    assert rc == 0, out
