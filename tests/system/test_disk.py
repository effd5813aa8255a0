# SPDX-License-Identifier: MIT
"""The shared disk (docs/disk.md): the service partition drives QEMU's virtio-blk and serves two
bare-metal clients at the same time, each a slice through its window; afterwards the host reads
the disk image: each slice holds its client's pattern and every other byte is as it was."""
import os
import subprocess
import sys

import pytest

import harness

SECTOR = 512
DISK_SECTORS = 2048
# (partition, first sector, sectors, seed), as tests/system/configs/disk.dts and its bootargs say.
SLICES = [("disk-a", 0x40, 0x80, 0xA5), ("disk-b", 0x100, 0x80, 0x3C)]


def pattern(seed, sector):
    """partitions/disktest's pattern for one sector of its slice."""
    return bytes((seed + sector * 7 + i) & 0xFF for i in range(SECTOR))


def run_with_disk(tmp_path_factory, name, dts, timeout):
    """Builds `dts` as system `name` and runs it with a fresh random disk image; returns
    (system, run, the disk before, the disk after)."""
    system = harness.build(name, dts)
    img = tmp_path_factory.mktemp(name) / "disk.img"
    original = os.urandom(DISK_SECTORS * SECTOR)
    img.write_bytes(original)
    run = harness.run(system, timeout=timeout, disks=[str(img)])
    return system, run, original, img.read_bytes()


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    return run_with_disk(tmp_path_factory, "disk", "tests/system/configs/disk.dts", 90)


def test_two_clients_write_and_read_back_their_slices(disk):
    """Both clients run at once: each writes its pattern over its whole slice (128 sectors) through
    its emulated virtio-mmio device, reads it back and finds every byte; the service partition found
    the real disk and serves both slices.

    Verifies: REQ-DSK-003, REQ-DSK-006
    """
    _, run, _, _ = disk
    svc = run.of("service")
    assert "disk: virtio-blk, 2048 sectors" in svc, run.text()
    for name, lba, n, _ in SLICES:
        assert f"disk: serving {name} sectors {lba}-{lba + n - 1}" in svc, run.text()
        lines = run.of(name)
        assert f"disktest: capacity {n} sectors, buffer 120 sectors" in lines, run.text()
        assert f"disktest: pattern read back: {n} sectors, 0 bytes differ" in lines, run.text()
        assert any(l.startswith("disktest: done (restart ") for l in lines), run.text()
    assert run.exited and run.of("bulkhead")[-1] == "all partitions stopped", run.text()
    # The one fault is disk-b's own, on purpose (test_a_restarted_client_finds_its_disk_working_again).
    faults = [l for l in run.of("bulkhead") if l.startswith("fault:")]
    assert len(faults) == 1 and faults[0].startswith(
        "fault: partition 'disk-b' vCPU 0 (core 2): stage-2 data abort (write) at IPA 0x70000000,"), run.text()


def test_disk_image_holds_both_slices_and_nothing_else_changed(disk):
    """The host reads the image after the board powered off: each slice holds exactly its client's
    pattern, and every sector outside both slices equals the original random image.

    Verifies: REQ-DSK-006, REQ-DSK-005
    """
    _, run, original, after = disk
    assert run.exited, run.text()
    inside = set()
    for name, lba, n, seed in SLICES:
        for s in range(n):
            at = (lba + s) * SECTOR
            assert after[at:at + SECTOR] == pattern(seed, s), f"{name}: sector {lba + s} differs"
            inside.add(lba + s)
    changed = [s for s in range(DISK_SECTORS)
               if s not in inside and after[s * SECTOR:(s + 1) * SECTOR] != original[s * SECTOR:(s + 1) * SECTOR]]
    assert not changed, f"sectors outside every slice changed: {changed[:10]}"


def test_requests_past_the_slice_fail_with_an_io_error(disk):
    """A read of the sector after the slice and a write that starts on the last sector and runs
    one past it both end in VIRTIO_BLK_S_IOERR (the write touched nothing: see the image test).

    Verifies: REQ-DSK-005
    """
    _, run, _, _ = disk
    for name, _, _, _ in SLICES:
        assert "disktest: past the slice: read I/O error, write across the end I/O error" in run.of(name), run.text()


def test_window_mode_refuses_features_ok_without_access_platform(disk):
    """A driver that accepts VIRTIO_F_VERSION_1 but not VIRTIO_F_ACCESS_PLATFORM does not get
    FEATURES_OK from a window-mode device.

    Verifies: REQ-DSK-004
    """
    _, run, _, _ = disk
    for name, _, _, _ in SLICES:
        assert "disktest: without ACCESS_PLATFORM: FEATURES_OK refused" in run.of(name), run.text()


def test_isolation_report_lists_each_slice_and_window(disk):
    """The isolation report's Disks section has one row per client: its slice, its device and
    that the service partition reaches only its window.

    Verifies: REQ-DSK-002
    """
    system, _, _, _ = disk
    report = open(os.path.join(system.out, "gen", "isolation.md")).read()
    assert "### Disks" in report
    assert "| `disk0` (/board/virtio_mmio@a003000) | disk-a | 64-191 (128) | virtio-mmio at 0xa000000, interrupt 80 |" in report, report
    assert "| `disk0` (/board/virtio_mmio@a003000) | disk-b | 256-383 (128) | virtio-mmio at 0xa000000, interrupt 80 |" in report, report
    assert "window: `win-a`" in report and "service never maps disk-a's RAM" in report, report


def test_forged_descriptors_are_refused_and_logged(disk):
    """Each client forges requests after its test: a read into its own RAM (outside its window)
    ends in an I/O error; a chain that loops and one whose next index is past the queue come back
    unread; its device still works afterwards. The service partition logs each client's refusals
    by kind, and nothing else of the system notices (the image test shows no stray sector).

    Verifies: REQ-DSK-005
    """
    _, run, _, _ = disk
    for name, _, _, _ in SLICES:
        lines = run.of(name)
        assert ("disktest: forged: outside the window I/O error, a loop returned unread, "
                "an index past the queue returned unread") in lines, run.text()
        assert "disktest: after the forged requests: read ok" in lines, run.text()
        assert (f"disk: {name}: 5 requests refused so far (2 outside its slice, 1 outside its memory, "
                "2 bad chains, 0 failed on the disk)") in run.of("service"), run.text()


def test_a_restarted_client_finds_its_disk_working_again(disk):
    """disk-b's first life ends in a stage-2 fault after its test; its fault policy restarts it,
    which resets its device and tells the service partition (a new generation); the second life
    negotiates again, writes and reads back its whole slice and is refused past it as the first
    did. disk-a is not disturbed.

    Verifies: REQ-DSK-008
    """
    _, run, _, _ = disk
    lines = run.of("disk-b")
    assert "disktest: life 1 done: a fault now, to be restarted" in lines, run.text()
    restart = run.index(r"^\[bulkhead\] partition 'disk-b' restarting \(restart 1\)$")
    assert restart >= 0, run.text()
    again = run.index(r"^\[disk-b\] disktest: pattern read back: 128 sectors, 0 bytes differ$", restart)
    assert again > restart, run.text()
    assert run.index(r"^\[disk-b\] disktest: past the slice: read I/O error, write across the end I/O error$",
                     again) > again, run.text()
    assert "disktest: done (restart 1)" in lines, run.text()
    assert "disktest: done (restart 0)" in run.of("disk-a"), run.text()


def test_make_run_gives_the_board_its_disk(disk, tmp_path):
    """`make run`'s command (scripts/qemu.py --make-disks) for a description with /disks: a zeroed
    image of the declared 2048 sectors, attached as the board's virtio-blk in virtio 1.x mode, and
    kept (not zeroed again) on the next run.

    Verifies: REQ-DSK-006
    """
    system, _, _, _ = disk
    cmd = [sys.executable, os.path.join(harness.SRCTREE, "scripts/qemu.py"), "--system-mk", os.path.join(system.out, "gen", "system.mk"),
           "--image", system.image, "--make-disks", str(tmp_path), "--print"]
    printed = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    img = tmp_path / "disk0.img"
    assert img.stat().st_size == DISK_SECTORS * SECTOR
    assert "-global virtio-mmio.force-legacy=false" in printed, printed
    assert f"-drive file={img},if=none,id=disk0,format=raw -device virtio-blk-device,drive=disk0" in printed, printed
    img.write_bytes(b"kept" + bytes(DISK_SECTORS * SECTOR - 4))
    subprocess.run(cmd, check=True, stdout=subprocess.PIPE)
    assert img.read_bytes()[:4] == b"kept"
