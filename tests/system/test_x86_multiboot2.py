# SPDX-License-Identifier: MIT
"""GRUB boots the x86 hypervisor by multiboot2 (arch/x86/boot.S's second header): the header
parses and checksums in the ELF's first 32 KiB, grub-file accepts the image, and the default
system booted from a GRUB rescue CD-ROM (grub-mkrescue, as on a board) runs, its RAM checked
against the memory map GRUB passes in multiboot2's tags; with too little RAM it refuses to boot."""
import os
import shutil
import struct
import subprocess

import pytest

import harness
import qemu
import x86sys

pytestmark = pytest.mark.skipif(not x86sys.available(), reason=f"{x86sys.QEMU} not installed (make deps)")
MB2_MAGIC = 0xE85250D6
# What grub-mkrescue needs to make a BIOS-bootable CD-ROM (scripts/setup-host.sh installs them).
GRUB_TOOLS = {"grub-mkrescue": "grub-common", "grub-file": "grub-common", "xorriso": "xorriso",
              "/usr/lib/grub/i386-pc/moddep.lst": "grub-pc-bin"}
GRUB_CFG = """set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry "Bulkhead" {
	multiboot2 /boot/bulkhead.elf
	boot
}
"""


@pytest.fixture(scope="module")
def built():
    return x86sys.build("x86-default", "configs/qemu-x86_64.dts")


@pytest.fixture(scope="module")
def grub():
    """A machine made by scripts/setup-host.sh has GRUB's tools: their absence is a failure that
    says how to get them, never a silent skip."""
    missing = sorted({pkg for tool, pkg in GRUB_TOOLS.items()
                      if not (os.path.exists(tool) if tool.startswith("/") else shutil.which(tool))})
    assert not missing, f"{', '.join(missing)} not installed: run `make deps` (scripts/setup-host.sh)"


def test_the_multiboot2_header_parses_and_checksums(built, grub):
    """A multiboot2 header, 8-byte aligned in the image file's first 32 KiB: magic, architecture 0
    (i386 protected mode), its length, a checksum that makes the four words sum to zero, and tags
    that end with the end tag; grub-file says the image is multiboot2.

    Verifies: REQ-XARCH-021
    """
    elf = os.path.join(built[0], "bulkhead.elf")
    with open(elf, "rb") as f:
        head = f.read(32768)
    at = next((o for o in range(0, len(head) - 16, 8) if struct.unpack_from("<I", head, o)[0] == MB2_MAGIC), None)
    assert at is not None, "no multiboot2 header in the first 32 KiB"
    magic, arch, length, checksum = struct.unpack_from("<IIII", head, at)
    assert arch == 0 and (magic + arch + length + checksum) & 0xFFFFFFFF == 0
    tag = at + 16
    while struct.unpack_from("<HHI", head, tag)[0] != 0:
        tag += (struct.unpack_from("<HHI", head, tag)[2] + 7) & ~7
    assert struct.unpack_from("<HHI", head, tag) == (0, 0, 8) and tag + 8 == at + length
    assert subprocess.run(["grub-file", "--is-x86-multiboot2", elf]).returncode == 0


def _grub_run(built, tmp_path, mem_mib=None, timeout=60):
    out, system_vars = built
    iso_root = tmp_path / "iso"
    (iso_root / "boot" / "grub").mkdir(parents=True)
    shutil.copy(os.path.join(out, "bulkhead.elf"), iso_root / "boot" / "bulkhead.elf")
    (iso_root / "boot" / "grub" / "grub.cfg").write_text(GRUB_CFG)
    iso = tmp_path / "bulkhead.iso"
    subprocess.run(["grub-mkrescue", "-o", str(iso), str(iso_root)], check=True, capture_output=True)
    cmd = qemu.system_command(system_vars, os.path.join(out, "bulkhead.mb.elf"))
    k = cmd.index("-kernel")
    cmd[k:k + 2] = ["-cdrom", str(iso)]
    if mem_mib is not None:
        cmd[cmd.index("-m") + 1] = f"{mem_mib}M"
    lines, exited, rc = harness._qemu(cmd, timeout=timeout)
    return harness.Run(lines, exited, rc)


def test_grub_boots_the_default_system_by_multiboot2(built, grub, tmp_path):
    """GRUB's multiboot2 enters the hypervisor, which reads GRUB's memory map tag (no warning
    that it has none), and the default system runs to the end as with QEMU's -kernel.

    Verifies: REQ-XARCH-021
    """
    run = _grub_run(built, tmp_path)
    assert "Bulkhead: 4 cores, 3 partitions" in run.of("bulkhead"), run.text()
    assert not any("gave no memory map" in l for l in run.lines), run.text()
    assert "talker: partition 0, restart 0, 300 lines" in run.of("talker"), run.text()
    assert "all partitions stopped" in run.of("bulkhead"), run.text()
    assert run.exited and run.returncode == 0, run.text()


def test_grub_memory_map_without_the_partitions_ram_refuses_to_boot(built, grub, tmp_path):
    """With 40 MiB of RAM the image store is not usable RAM in the memory map GRUB passes: the
    hypervisor refuses to boot, naming the range, before any partition runs.

    Verifies: REQ-XARCH-021, REQ-XARCH-010
    """
    run = _grub_run(built, tmp_path, mem_mib=40, timeout=30)
    assert ("[bulkhead] the image store: [0x5000000, 0x8000000) is not usable RAM on this board "
            "(the loader's memory map)") in run.lines, run.text()
    assert not any(l.startswith(("[talker]", "[x86probe]", "[x86cores]")) for l in run.lines), run.text()
