# SPDX-License-Identifier: MIT
"""On-target coverage: a coverage build dumps its counters intact; a normal build has none."""
import glob
import os
import subprocess

import pytest

import harness
import gcov_console  # noqa: E402 (tools/cert, on the path through harness)


def test_coverage_build_dumps_every_counter():
    """A CONFIG_COVERAGE build prints, before the board powers off, one intact .gcda stream for every
    instrumented object; once the dump is taken out, the console is the one a normal build prints.

    Verifies: REQ-CRT-003
    """
    if harness.COVERAGE:
        pytest.skip("every run of this session is a coverage run; `make cert` checks their dumps")
    system = harness.build("coverage-dump", "configs/qemu-aarch64-virt-demos.dts", kconfig=["CONFIG_COVERAGE=y"])
    run = harness.run(system, timeout=120)
    assert run.exited, run.text()[-2000:]
    rest, dump = gcov_console.split(run.lines)
    assert dump.complete and not dump.errors, dump.errors
    notes = {p[: -len(".gcno")] for p in glob.glob(os.path.join(system.out, "obj", "**", "*.gcno"), recursive=True)}
    assert {p[: -len(".gcda")] for p in dump.files} == notes
    # The console without the dump: every partition ran to its end, the board powered off.
    hyp = [l[len("[bulkhead] "):] for l in rest if l.startswith("[bulkhead] ")]
    assert hyp[-1] == "all partitions stopped"
    assert not any("gcov" in l for l in rest)
    for name in ("demo-a", "demo-b", "demo-c"):
        assert f"[{name}] done" in rest
    # A damaged dump is rejected, not half-used.
    damaged = list(run.lines)
    i = next(i for i, l in enumerate(damaged) if l.startswith(gcov_console.PREFIX + "D "))
    damaged[i] = damaged[i][:-1] + ("1" if damaged[i][-1] == "0" else "0")
    _, bad = gcov_console.split(damaged)
    assert bad.errors


def test_delivered_image_has_no_instrumentation():
    """The default build (CONFIG_COVERAGE off) links no gcov code, counters or dump.

    Verifies: REQ-CRT-008
    """
    if harness.COVERAGE:
        pytest.skip("about the delivered image, not a coverage build")
    system = harness.build("default", "configs/qemu-aarch64-virt.dts")
    with open(os.path.join(system.out, ".config")) as f:
        assert "# CONFIG_COVERAGE is not set" in f.read()
    elf = os.path.join(system.out, "bulkhead.elf")
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True, check=True).stdout
    assert not [l for l in nm.splitlines() if "gcov" in l or "coverage_dump" in l]
    sections = subprocess.run(["aarch64-linux-gnu-objdump", "-h", elf], capture_output=True, text=True,
                              check=True).stdout
    assert "gcov" not in sections
    assert not glob.glob(os.path.join(system.out, "obj", "**", "*.gcno"), recursive=True)


def test_x86_coverage_build_dumps_every_counter():
    """The x86 hypervisor (SVM) built with CONFIG_COVERAGE dumps, before the board powers off, one
    intact .gcda stream for every instrumented object on COM1, as the ARM64 one does on its UART;
    the console without it shows every partition done.

    Verifies: REQ-CRT-003
    """
    import x86sys
    if not x86sys.available():
        pytest.skip(f"{x86sys.QEMU} is not installed")
    system = harness.build("x86-coverage-dump", "configs/qemu-x86_64.dts", kconfig=["CONFIG_COVERAGE=y"],
                           defconfig="qemu-x86_64_defconfig", make_vars=[f"NEWLIB_X86_DIR={x86sys.NEWLIB_X86}"],
                           what="x86 build", coverage=False)
    run = x86sys.run(system.out, system.vars, timeout=120, take_coverage=False)
    assert run.exited, "\n".join(run.lines[-40:])
    rest, dump = gcov_console.split(run.lines)
    assert dump.complete and not dump.errors, dump.errors
    notes = {p[: -len(".gcno")] for p in glob.glob(os.path.join(system.out, "obj", "**", "*.gcno"), recursive=True)}
    assert notes and {p[: -len(".gcda")] for p in dump.files} == notes
    assert not any("gcov" in l for l in rest)
    assert "[bulkhead] all partitions stopped" in rest, "\n".join(rest[-40:])
