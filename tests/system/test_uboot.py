# SPDX-License-Identifier: MIT
"""Booting as a board boots: Debian's U-Boot for QEMU's virt board (u-boot-qemu) finds boot.scr on
a FAT disk (scripts/uboot_disk.py), loads bulkhead.itb and boots it with `bootm`, which checks the
sha256 of every sub-image, copies the partition images into the image store and enters the
hypervisor at EL2. A FIT with one corrupted sub-image is refused before anything of it runs."""
import os
import shutil
import subprocess

import pytest

import harness
import qemu

BOOT_TIMEOUT = 90


@pytest.fixture(scope="module")
def system():
    if not os.path.exists(qemu.UBOOT):
        pytest.fail(f"{qemu.UBOOT} missing: run 'make deps' (u-boot-qemu)")
    return harness.build("default", "configs/qemu-aarch64-virt.dts")


def make_disk(system, itb, out):
    subprocess.run([harness.sys.executable, os.path.join(harness.SRCTREE, "scripts", "uboot_disk.py"),
                    "--system-mk", os.path.join(system.out, "gen", "system.mk"), "--itb", itb, "--out", out],
                   check=True)


def boot(system, disk):
    lines, exited, _ = harness._qemu(qemu.uboot_command(system.vars, disk), BOOT_TIMEOUT)
    return harness.Run(lines, exited, 0)


def test_uboot_boots_the_fit(system, tmp_path):
    """U-Boot verifies each sub-image's hash, loads the loadables and boots the hypervisor; every
    partition of the default system runs (its lines on the service partition's console) and the
    board powers off once all have stopped.

    Verifies: REQ-BLD-021, REQ-BLD-022
    """
    disk = str(tmp_path / "disk.img")
    make_disk(system, os.path.join(system.out, "bulkhead.itb"), disk)
    run = boot(system, disk)
    text = run.text()
    n = len(qemu.read_load_list(os.path.join(system.out, "gen", "load.list")))
    # The kernel and each loadable: one "sha256+ OK" each.
    assert text.count("Verifying Hash Integrity ... sha256+ OK") == n + 1, text
    harness.assert_booted(run, system)
    for name in system.vars["BH_PARTITIONS"].split():
        assert run.of(name), f"{name} did not run:\n{text}"
    assert "[service] every other partition has stopped: the service partition stops" in run.lines, text
    assert run.exited, "the board did not power off:\n" + text


def test_uboot_refuses_a_corrupted_sub_image(system, tmp_path):
    """One byte changed inside a partition image in the FIT, in the copy placed where it runs (the
    store's copy has the same bytes; the placed file is unique by its tag): U-Boot reports the bad
    hash and boots nothing of it.

    Verifies: REQ-BLD-021, REQ-BLD-022, REQ-MEM-013
    """
    itb = str(tmp_path / "bulkhead.itb")
    shutil.copy(os.path.join(system.out, "bulkhead.itb"), itb)
    file = next(f for k, _p, _a, _s, f in qemu.read_load_list(os.path.join(system.out, "gen", "load.list"))
                if k == "placed")
    with open(file, "rb") as f:
        image = f.read()
    with open(itb, "r+b") as f:
        data = f.read()
        at = data.find(image)
        assert at > 0 and data.find(image, at + 1) < 0, "the partition image is not once in the FIT"
        f.seek(at + len(image) // 2)
        f.write(bytes([data[at + len(image) // 2] ^ 0xff]))
    disk = str(tmp_path / "disk.img")
    make_disk(system, itb, disk)
    run = boot(system, disk)
    text = run.text()
    assert "Bulkhead: loading bulkhead.itb" in text, "U-Boot did not run the boot script:\n" + text
    assert "Bad hash value" in text or "sha256 error" in text, text
    assert "Bulkhead: bootm refused the image" in text, text
    assert not run.of("bulkhead"), "the hypervisor ran from a corrupted FIT:\n" + text
    assert run.exited, "the boot script did not power the board off:\n" + text
