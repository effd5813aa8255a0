# SPDX-License-Identifier: MIT
"""The fuzz targets' quick run in `make test` (`make fuzz-quick`): every regression input, then a few
seconds of fuzzing over the committed corpus. A crash, an oracle's abort or a sanitizer report fails
the test; the input that did it is kept under $BULKHEAD_BUILD/fuzz/crashes/<target>/."""
import os
import shutil
import subprocess
import tempfile

import pytest

import fuzz

BUILD = os.path.abspath(os.environ.get("BULKHEAD_BUILD", os.path.join(fuzz.SRCTREE, "build")))
# Fixed seeds: a failure here can be run again the same way.
SEED = 20261204


def binary(target):
    path = os.path.join(BUILD, "fuzz", target)
    if not os.path.exists(path):
        pytest.fail(f"{path} is not built: run `make fuzz-build` (make fuzz-quick does)")
    return path


def run_regressions(target):
    """Each regression input once: open findings (tests/fuzz/open-findings.txt) must still fail with
    their message, every other input must pass."""
    folder = fuzz.regression_dir(target)
    inputs = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    open_ = {name: message for name, _, message in fuzz.open_findings(target)}
    assert set(open_) <= set(inputs), f"open findings without a regression input: {set(open_) - set(inputs)}"
    for name in inputs:
        env = fuzz.environment(target)
        if name in open_:
            env["FUZZ_OPEN"] = ""   # the operation the finding needs is left in
        r = subprocess.run([binary(target), os.path.join(folder, name)], env=env,
                           capture_output=True, text=True, timeout=60)
        output = r.stdout + r.stderr
        if name in open_:
            assert r.returncode != 0 and open_[name] in output, (
                f"{target}/{name} no longer fails as recorded: if it is fixed, remove its line from "
                f"tests/fuzz/open-findings.txt\n{output[-3000:]}")
        else:
            assert r.returncode == 0, f"regression input {target}/{name} fails again:\n{output[-3000:]}"


def run_quick(target, extra=()):
    """A few seconds of fuzzing from the committed corpus (and the folders in `extra`); new inputs go
    to a scratch folder."""
    scratch = tempfile.mkdtemp(prefix=f"fuzz-{target}-")
    crashes = os.path.join(BUILD, "fuzz", "crashes", target)
    os.makedirs(crashes, exist_ok=True)
    try:
        seconds = fuzz.TARGETS[target]["quick_s"]
        r = subprocess.run([binary(target), scratch, fuzz.corpus_dir(target), *extra, f"-max_total_time={seconds}",
                            f"-seed={SEED}", f"-max_len={fuzz.TARGETS[target]['max_len']}",
                            f"-artifact_prefix={crashes}{os.sep}", "-print_final_stats=1"],
                           env=fuzz.environment(target), capture_output=True, text=True, timeout=seconds + 120)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    output = r.stdout + r.stderr
    assert r.returncode == 0, f"{target} crashed ({fuzz.crash_file(output)}):\n{output[-4000:]}"
    assert fuzz.stats(output) > 0, output[-2000:]


def test_bhcc_fuzz():
    """bhcc on mutated device tree blobs (pass 1 in memory, pass 2 and the isolation oracle on what it
    accepts): no crash, no memory error or undefined behaviour, no accepted description that shares
    RAM (other than as a declared shared-memory region or channel, with its rights, page by page for
    a channel's ends), a device, an interrupt or a core, or whose tables the hypervisor's builder
    cannot build in the pools bhcc counted; its regression inputs (the memory-safety bugs of issue 9, a libfdt crash) and
    every system description of the project, the rejection fixtures included, are among the inputs.

    Verifies: REQ-BLD-006, REQ-CFG-043, REQ-CFG-021, REQ-CFG-027, REQ-CFG-045, REQ-CFG-049, REQ-CHN-007
    """
    run_regressions("bhcc")
    # Every description of the project too: a check removed from bhcc lets its rejection fixture
    # through to the oracle.
    run_quick("bhcc", [fuzz.compile_seeds(BUILD)])


def test_hypercall_fuzz():
    """Sequences of hypercalls with hostile arguments from every vCPU: x4..x6 kept, defined statuses
    only, console writes accepted exactly from the caller's readable memory, guest memory untouched,
    console lines prefixed by their partition.

    Verifies: REQ-BLD-006, REQ-HC-001, REQ-HC-003, REQ-HC-004
    """
    run_regressions("hypercall")
    run_quick("hypercall")


def test_arm64_traps_fuzz():
    """Trapped MMIO and system register accesses, physical interrupts and list register changes on
    the virtual GIC of three partitions (one with direct delivery): only the target register of a trap
    changes, and the physical GIC sees writes, routes, SGIs and deactivations of the caller's own
    interrupts and cores only; a direct core's priority mask never hides the kick.

    Verifies: REQ-BLD-006, REQ-TRP-008, REQ-IRQ-004~2, REQ-IRQ-005, REQ-IRQ-008~2
    """
    run_regressions("arm64_traps")
    run_quick("arm64_traps")
