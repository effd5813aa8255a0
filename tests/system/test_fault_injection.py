# SPDX-License-Identifier: MIT
"""Fault injection (CONFIG_FAULT_INJECTION, docs/safety/fault-injection.md): the hypervisor fails on
purpose at a named point and must react as docs/safety/safety-manual.md says: an internal error
powers the board off after reporting it; a partition's SError is that partition's fault; a core that
will not stop leaves its partition stopped while the others run on.

Each system holds a "culprit" partition (partitions/faultinj), which arms the point, and a
"bystander" that prints a tick every 20 ms of its virtual counter: its ticks show whether it was
stopped (the board powered off) or ran on (the fault contained)."""
import json
import os
import re
import subprocess

import pytest

import harness
import gcov_console  # noqa: E402 (tools/cert, on the path through harness)

FAULT_KCONFIG = ["CONFIG_FAULT_INJECTION=y"]
PANIC = "[bulkhead] PANIC (hypervisor internal error)"
TICK = re.compile(r"\[bystander\] tick (\d+)$")


def build(name, kconfig=()):
    return harness.build(name, f"tests/system/configs/{name}.dts", kconfig=FAULT_KCONFIG + list(kconfig))


def ticks(lines):
    return [int(m.group(1)) for l in lines if (m := TICK.match(l))]


def assert_powered_off_after_panic(r, reason):
    """The board powered off right after the report: QEMU ended by itself, the report is the
    hypervisor's last word, the culprit printed nothing after it, and the bystander at most 200 ms
    of ticks (a coverage build's dump, taken out of the console by the harness, comes in between:
    the bystander may run on meanwhile)."""
    assert r.exited, f"the board did not power off:\n{r.text()[-3000:]}"
    i = r.lines.index(PANIC) if PANIC in r.lines else -1
    assert i >= 0, r.text()[-3000:]
    # The reason is the hypervisor's next line (the bystander's may come between).
    j = r.index(r"^\[bulkhead\] ", i + 1)
    assert j > i and re.search(reason, r.lines[j]), r.text()[-3000:]
    after = r.lines[j + 1:]
    assert not [l for l in after if l.startswith("[bulkhead]")], after
    assert not [l for l in after if l.startswith("[culprit]")], after
    if harness.COVERAGE:
        return
    # Without the dump only the two lines of the report lie between the error and the firmware
    # call: the bystander, which prints every 20 ms of its counter, must not get to print for long
    # (the bound leaves room for QEMU's threads on a loaded host: 200 ms).
    assert len(ticks(r.lines[i:])) <= 10, r.lines[i:]


def test_exception_at_el2_powers_the_board_off():
    """A load at EL2 from an address the EL2 map lacks (point el2-sync, fired on the way back from
    the culprit's hypercall that armed it, which never returns) is taken at EL2 (current EL with SP_EL2, synchronous: vector 4, EC 0x25
    data abort) and reported with its syndrome, return address and fault address; the board then
    powers off, with the bystander stopped mid-run.

    Verifies: REQ-FSF-001
    """
    r = harness.run(build("inject-el2-sync"), timeout=60)
    assert "[bulkhead] fault injection: point el2-sync armed" in r.lines, r.text()
    assert_powered_off_after_panic(r, r"^\[bulkhead\] exception at EL2 \(vector 4\): ESR 0x(9[67][0-9a-f]{6}) "
                                      r"ELR 0x[0-9a-f]+ FAR 0xdead00000000$")
    esr = int(re.search(r"ESR 0x([0-9a-f]+)", r.text()).group(1), 16)
    assert esr >> 26 == 0x25, hex(esr)
    # It fired on that hypercall's own way back: the call never returned to the culprit.
    assert not [l for l in r.of("culprit") if "did NOT fire" in l], r.text()
    assert ticks(r.lines), "the bystander never ran"
    assert "[bystander] bystander done" not in r.lines


def test_exhausted_stage2_table_pool_powers_the_board_off():
    """The partition's stage-2 tables cannot be had at its first load (CONFIG_FAULT_INJECT_AT_BOOT=
    "s2-table-alloc"; ARM64 installs the tables the build computed, so the injection takes them as
    missing): arch_s2_build's error reaches partition_load, which reports it and powers the board
    off before that partition runs a single instruction.

    Verifies: REQ-FSF-002~2
    """
    system = build("inject-s2-table", ['CONFIG_FAULT_INJECT_AT_BOOT="s2-table-alloc"'])
    r = harness.run(system, timeout=60, booted=dict(partitions=[]))
    assert "[bulkhead] fault injection: point s2-table-alloc armed" in r.lines, r.text()
    fired = r.index(r"^\[bulkhead\] fault injection: partition 'culprit': its stage-2 tables taken as missing$")
    assert fired >= 0, r.text()
    # The builder's error is the next thing the hypervisor says: the partition's load reports it.
    assert r.lines[fired + 1] == PANIC, r.text()
    assert_powered_off_after_panic(r, r"^\[bulkhead\] partition 'culprit': no stage-2 tables \(table pool exhausted\)$")
    assert not r.of("culprit"), f"the culprit ran without its tables:\n{r.text()}"


@pytest.mark.parametrize("name", ["inject-lr", "inject-lr-gicv2"])
def test_corrupted_list_register_powers_the_board_off(name):
    """A list register holding the culprit's pending SGI is corrupted to hold, with the hardware bit,
    an SPI the culprit does not own (point lr-corrupt); the next time the hypervisor reads it back
    (the culprit raises the SGI again) it finds the corruption, reports the list register and the
    interrupt and powers the board off: the guest never gets to deactivate the foreign interrupt.
    GICv3 (ICH_LR<n>_EL2) and GICv2 (GICH_LR<n>).

    Verifies: REQ-FSF-004
    """
    r = harness.run(build(name), timeout=60)
    assert "[culprit] raise SGI 5: 0" in r.lines, r.text()
    assert re.search(r"list register 0 \(interrupt 5\) corrupted to hold physical interrupt (\d+)", r.text())
    foreign = re.search(r"corrupted to hold physical interrupt (\d+)", r.text()).group(1)
    assert_powered_off_after_panic(r, rf"^\[bulkhead\] core 1: list register 0 holds physical interrupt {foreign}, "
                                      r"which partition 'culprit' does not own$")
    assert "[culprit] the corrupted list register was NOT detected" not in r.lines


def test_serror_of_a_partition_is_contained():
    """An SError from the culprit (point guest-serror: QEMU 7.2 raises no physical SError, so the
    hypervisor enters its vector for an SError from a lower exception level with ESR_EL2 saying
    SError) is that partition's fault: reported with its syndrome and PC, the culprit restarted by its
    fault policy and back for a second life, the bystander's ticks uninterrupted to its end.

    Verifies: REQ-FSF-003, REQ-TRP-001
    """
    r = harness.run(build("inject-serror"), timeout=60)
    fault = r.index(r"^\[bulkhead\] fault: partition 'culprit' vCPU 0 \(core 1\): SError, PC 0x[0-9a-f]+, "
                    r"ESR 0xbe000000; restart$")
    assert fault >= 0, r.text()
    assert PANIC not in r.lines
    # Raised on the way back from the hypercall that armed it: that call never returned.
    assert not [l for l in r.of("culprit") if "did NOT fire" in l], r.text()
    assert r.index(r"^\[culprit\] life 1: done$", fault) > fault, r.text()
    assert "[bulkhead] partition 'culprit' incidents since boot: call 0, register 0, interrupt 0, console 0, " \
           "fault 1, interference 0" in r.lines
    assert ticks(r.lines) == list(range(1, 151)), r.text()
    assert r.index(r"^\[bystander\] tick", fault) > fault
    assert r.lines[-1] == "[bulkhead] all partitions stopped", r.text()[-2000:]


def test_core_stuck_during_a_stop_leaves_its_partition_stopped():
    """The culprit's vCPU 1 spins; the culprit arms stuck-core and faults with the restart policy.
    vCPU 1's core, told to stop, never does (point stuck-core: it spins at EL2). The restart ends
    after the bounded wait: the core reported, the restart abandoned, the partition stopped (and
    fenced); the bystander ticks on through the wait and to its end, and the board powers off when
    the bystander stops (the stuck core holds nothing up). The wait is a bounded number of polls
    (STOP_WAIT_POLLS), not a time: it must end while the bystander still ticks, within its 500
    ticks of 20 ms (10 s of its counter, which follows the host's clock). Measured: 13 to 27 ticks on
    a quiet host, 158 on a coverage build on a loaded one. (Under -icount the measure means nothing:
    each poll's `yield` hands the single TCG thread to the other cores, so the wait stretches with
    their work.)

    Verifies: REQ-FSF-005, REQ-TRP-002
    """
    r = harness.run(build("inject-stuck-core"), timeout=120)
    fault = r.index(r"^\[bulkhead\] fault: partition 'culprit' vCPU 0 \(core 1\): stage-2 data abort \(read\) "
                    r"at IPA 0x7f000000, .*; restart$")
    assert fault >= 0, r.text()
    stuck = r.index(r"^\[bulkhead\] fault injection: core 2 stuck, it will not stop$", fault)
    gave_up = r.index(r"^\[bulkhead\] partition 'culprit': core 2 did not power off; it can run nothing of the "
                      r"partition \(fenced\)$", fault)
    assert fault < stuck < gave_up, r.text()
    assert r.lines[r.index(r"^\[bulkhead\]", gave_up + 1)] == \
        "[bulkhead] partition 'culprit': restart abandoned, partition stopped"
    assert r.index(r"^\[bulkhead\] partition 'culprit' stopped$", gave_up) > gave_up
    assert r.index(r"^\[culprit\] life 1", fault) < 0, "restarted under a running core"
    assert "[culprit] the fault was NOT contained" not in r.lines
    during = ticks(r.lines[fault:gave_up])
    assert during, "the bystander did not run during the wait"
    assert ticks(r.lines) == list(range(1, 501)), r.text()[-3000:]
    assert r.index(r"^\[bystander\] bystander done$") > gave_up, "the wait outlasted the bystander's 10 s"
    assert r.exited and r.lines[-1] == "[bulkhead] all partitions stopped", r.text()[-2000:]


def test_interrupt_controller_that_never_finishes_powers_the_board_off():
    """The culprit arms gic-stuck and starts its vCPU 1: that core, powered on, first wakes its
    redistributor and waits for GICR_WAKER.ChildrenAsleep to clear, which the point makes read set
    for good. The wait gives up after its bounded number of reads (1,000,000), reports the register
    as an internal error and powers the board off: vCPU 1 never runs, the bystander is stopped
    mid-run.

    Verifies: REQ-FSF-007
    """
    r = harness.run(build("inject-gic-stuck"), timeout=120)
    assert "[bulkhead] fault injection: point gic-stuck armed" in r.lines, r.text()
    assert "[culprit] arm gic-stuck: 0" in r.lines, r.text()
    assert_powered_off_after_panic(r, r"^\[bulkhead\] GICv3 GICR_WAKER\.ChildrenAsleep still set after 1000000 "
                                      r"reads of 0x80e0014$")  # core 2's: 0x80a0000 + 2 * 128 KiB
    assert "[culprit] vCPU 1 runs: the stuck controller was NOT detected" not in r.lines
    assert ticks(r.lines), "the bystander never ran"
    assert "[bystander] bystander done" not in r.lines


def test_panic_path_is_inside_coverage():
    """A coverage build (CONFIG_COVERAGE) that panics dumps its counters in arch_system_off, at the
    last point before the firmware call: the dump is complete and counts the whole fail-safe path
    of an exception at EL2, from the vector's handler (arm64_hyp_fault) through panic into
    arch_system_off up to the dump. What follows the dump (the SYSTEM_OFF call) no dump can count:
    it is the one region left out of the figures (GCOVR_EXCL, listed by the coverage report), and
    the board powering off is its evidence.

    Verifies: REQ-FSF-001, REQ-CRT-003
    """
    if harness.COVERAGE:
        pytest.skip("every run of this session is a coverage run: `make cert` measures them all")
    system = harness.build("inject-el2-sync-cov", "tests/system/configs/inject-el2-sync.dts",
                           kconfig=FAULT_KCONFIG + ["CONFIG_COVERAGE=y"])
    r = harness.run(system, timeout=120)
    rest, dump = gcov_console.split(r.lines)
    assert r.exited and dump.complete and not dump.errors, (dump.errors, r.text()[-2000:])
    assert PANIC in rest
    run_dir = os.path.join(system.out, "panic-run")
    subprocess.run(["rm", "-rf", run_dir], check=True)
    os.makedirs(run_dir)
    assert gcov_console.save(dump, system.out, run_dir)
    out = os.path.join(run_dir, "coverage.json")
    subprocess.run(["gcovr", "-r", harness.SRCTREE, "--json", out, run_dir], cwd=harness.SRCTREE, check=True,
                   capture_output=True)
    with open(out) as f:
        files = {e["file"]: e for e in json.load(f)["files"]}

    def line_count(path, text):
        """Times the line of `path` holding `text` ran."""
        with open(os.path.join(harness.SRCTREE, path)) as src:
            n = next(i for i, l in enumerate(src, 1) if text in l)
        counts = [l["count"] for l in files[path]["lines"] if l["line_number"] == n]
        assert counts, f"{path}:{n} is no executable line"
        return counts[0]

    assert line_count("arch/arm64/trap.c", 'panic("exception at EL2') >= 1
    assert line_count("core/log.c", 'console_print_line_failsafe("bulkhead", "PANIC') >= 1
    assert line_count("core/log.c", "arch_system_off();") >= 1
    assert line_count("core/console.c", "bool locked = hold_failsafe();") >= 1   # the fail-safe line printer ran
    with open(os.path.join(harness.SRCTREE, "arch/arm64/firmware.c")) as src:
        body = src.read().split("NORETURN void arch_system_off(void)")[1]
    assert body.index("coverage_dump();") < body.index("GCOVR_EXCL_START") < body.index("PSCI_SYSTEM_OFF")
    # The dump in arch_system_off ran (counted); only the firmware call after it is left out of the
    # figures, and QEMU ending by itself (asserted above) is the evidence that it ran.
    dump_line = next(i for i, l in enumerate(open(os.path.join(harness.SRCTREE, "arch/arm64/firmware.c")), 1)
                     if l.strip() == "coverage_dump();")
    assert [l["count"] for l in files["arch/arm64/firmware.c"]["lines"] if l["line_number"] == dump_line] == [1]
