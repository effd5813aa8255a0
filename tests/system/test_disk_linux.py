# SPDX-License-Identifier: MIT
"""The shared disk with Linux (docs/disk.md): Debian 12's arm64 cloud kernel on 2 vCPUs drives its
virtual disk with its own virtio_mmio and virtio_blk modules, as a trusted-service client (the
service partition maps its RAM), while a bare-metal partition uses its own slice through a window;
afterwards the host reads the disk image. Then Linux's root turns hostile
(scripts/linux/mkinitramfs_disk.py): distributor writes to interrupts it does not own, forged disk
queues, and a /dev/mem write at the bare-metal partition's host-physical RAM.

The first build fetches the kernel and busybox like tests/system/test_linux.py
(scripts/linux/fetch.sh, cached in build/linux)."""
import os
import re

import pytest

from test_disk import DISK_SECTORS, SECTOR, pattern, run_with_disk

LINUX_LBA, LINUX_SECTORS = 0x200, 0x200
BARE_LBA, BARE_SECTORS, BARE_SEED = 0x40, 0x80, 0xA5
# scripts/linux/mkinitramfs_disk.py's pattern: 2048 lines of 32 bytes.
LINUX_PATTERN = b"".join(b"BULKHEAD-DISK-%017d\n" % i for i in range(2048))


def bare_pattern(sector):
    """partitions/disktest's pattern for one sector of its slice."""
    return pattern(BARE_SEED, sector)


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    return run_with_disk(tmp_path_factory, "disk-linux", "tests/system/configs/disk-linux.dts", 240)


def test_linux_and_a_bare_metal_client_use_their_slices_at_once(disk):
    """Linux reaches its /init marker, loads virtio_ring, virtio, virtio_mmio and virtio_blk, finds
    /dev/vda with its slice's 512 sectors, writes 64 KiB and reads them back equal after dropping
    its caches; the bare-metal client does its whole slice meanwhile; the board stops once all
    partitions have, and the one fault is Linux's own hostile write.

    Verifies: REQ-DSK-003, REQ-DSK-006, REQ-DSK-007
    """
    _, run, _, _ = disk
    linux = run.of("linux")
    assert any(l.startswith("BULKHEAD-LINUX-INIT-OK cpus=2") for l in linux), run.text()
    assert not any("insmod" in l for l in linux), run.text()
    assert "LINUX-DISK: /dev/vda 512 sectors" in linux, run.text()
    assert "LINUX-DISK: pattern read back: OK" in linux, run.text()
    assert "disk: serving linux sectors 512-1023" in run.of("service"), run.text()
    assert "disktest: pattern read back: 128 sectors, 0 bytes differ" in run.of("disk-a"), run.text()
    assert run.exited and run.of("bulkhead")[-1] == "all partitions stopped", run.text()
    assert [l for l in run.of("bulkhead") if l.startswith("fault:") and "'linux'" not in l] == [], run.text()


def test_a_hostile_root_in_linux_is_contained(disk):
    """After its disk work Linux's root writes, through /dev/mem, GICD_ISENABLER1 (SPIs 32-63, none
    its own) and the route of SPI 33 (the service's UART): refused, counted, logged. It forges its
    disk's queue with rings outside its RAM, then with rings over its device tree's bytes (an
    available index 256 past a queue of 8): the service partition serves neither until a reset and
    says so. Its write at `hostile=`, which lies in disk-a's host-physical RAM by the isolation
    report, is a stage-2 fault that stops Linux alone; the service partition carries on and stops
    last, normally.

    Verifies: REQ-LNX-009, REQ-IRQ-004~2, REQ-DSK-005, REQ-MEM-001
    """
    system, run, _, _ = disk
    lines = run.lines
    done = run.index(r"^\[linux\] LINUX-DISK: done$")
    assert done >= 0, run.text()
    # The hypervisor's lines after that point, joined: no longer needed since the service partition
    # prints a long log line whole (docs/log.md), kept so the check does not depend on it.
    hyp = "".join(l[len("[bulkhead] "):] if l.startswith("[bulkhead] ") else "\n" for l in lines[done:])
    assert re.search(r"partition 'linux' vCPU \d, interrupt incident \d+ \(\d+ not logged since the last\): "
                     r"distributor write to interrupts it does not own refused \(offset 0x104, value 0xffffffff\)",
                     hyp), run.text()
    service = run.of("service")
    assert "disk: linux: its queue is not served until it resets its device (1 times so far)" in service, run.text()
    assert "disk: linux: its queue is not served until it resets its device (2 times so far)" in service, run.text()
    aimed = run.index(r"^\[linux\] LINUX-HOSTILE: writing 0x[0-9a-f]+$", done)
    assert aimed > done, run.text()
    address = int(lines[aimed].rsplit(" ", 1)[1], 16)
    report = open(os.path.join(system.out, "gen", "isolation.md")).read()
    ram = re.search(r"\| `/partitions/disk-a/memory@40000000` \| RAM \| 0x[0-9a-f]+-0x[0-9a-f]+ \| "
                    r"0x([0-9a-f]+)-0x([0-9a-f]+) \|", report)
    assert ram and int(ram.group(1), 16) <= address <= int(ram.group(2), 16), (hex(address), ram)
    fault = run.index(rf"^\[bulkhead\] fault: partition 'linux' vCPU \d \(core \d\): stage-2 data abort \(write\) "
                      rf"at IPA {address:#x}, PC 0x[0-9a-f]+, ESR 0x[0-9a-f]+; stop$", aimed)
    assert fault > aimed, run.text()
    assert "LINUX-HOSTILE: the write went through" not in run.of("linux"), run.text()
    assert "disktest: done (restart 0)" in run.of("disk-a"), run.text()
    assert not any("restarting" in l for l in run.of("bulkhead")), run.text()
    assert run.index(r"^\[bulkhead\] partition 'service' stopped$", fault) > fault, run.text()


def test_disk_image_after_linux(disk):
    """The image holds Linux's 64 KiB at the start of its slice and the bare-metal pattern on the
    other slice; every other sector, the rest of Linux's slice included, is as it was.

    Verifies: REQ-DSK-006
    """
    _, run, original, after = disk
    assert run.exited, run.text()
    at = LINUX_LBA * SECTOR
    assert after[at:at + len(LINUX_PATTERN)] == LINUX_PATTERN
    written = set(range(LINUX_LBA, LINUX_LBA + len(LINUX_PATTERN) // SECTOR))
    for s in range(BARE_SECTORS):
        assert after[(BARE_LBA + s) * SECTOR:(BARE_LBA + s + 1) * SECTOR] == bare_pattern(s)
        written.add(BARE_LBA + s)
    changed = [s for s in range(DISK_SECTORS)
               if s not in written and after[s * SECTOR:(s + 1) * SECTOR] != original[s * SECTOR:(s + 1) * SECTOR]]
    assert not changed, f"sectors changed outside what was written: {changed[:10]}"


def test_isolation_report_names_the_trust_relation(disk):
    """The report says the service partition can read and write all of Linux's RAM (by host range)
    and only the window of the bare-metal client.

    Verifies: REQ-DSK-002
    """
    system, _, _, _ = disk
    report = open(os.path.join(system.out, "gen", "isolation.md")).read()
    assert "| linux | 512-1023 (512) | virtio-mmio at 0xa000000, interrupt 80 |" in report, report
    assert "trusted service: linux trusts service with all its RAM, which service can read and write: host 0x" in report, report
    assert "window: `win-a`" in report, report
