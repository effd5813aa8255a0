# SPDX-License-Identifier: MIT
"""`make flash` and `make sdcard` for the ZCU102, the Raspberry Pi 4 and the i.MX 8M Plus EVK
(docs/boards.md): the OpenOCD script is run by OpenOCD itself with the dummy adapter (no board),
its JTAG commands recorded instead of executed, and each load checked against the build; the boot
medium is read back with mtools.

Only a board shows that the adapter finds the chain and that the loaded system runs there."""
import os
import re
import subprocess

import pytest

import harness
import qemu

OPENOCD_TIMEOUT = 30
# OpenOCD's JTAG commands replaced by procedures that print what they were asked.
RECORD = ["proc halt {args} {echo \"HALT $args\"}",
          "proc load_image {args} {echo \"LOAD $args [file exists [lindex $args 0]] [file size [lindex $args 0]]\"}",
          "proc verify_image {args} {echo \"VERIFY $args\"}",
          "proc resume {args} {echo \"RESUME $args\"}"]


@pytest.fixture(scope="module")
def zcu102():
    return harness.build("zcu102", "configs/zcu102.dts")


# The boards without a JTAG-run first-stage loader: (system, OpenOCD target file, boot core, cores).
FIRMWARE_FIRST = {
    "rpi4": ("target/bcm2711.cfg", "bcm2711.cpu0", r"bcm2711\.cpu[123]"),
    "imx8mp-evk": ("target/imx8m.cfg", "imx8m.a53.0", r"imx8m\.a53\.[123]"),
}


@pytest.fixture(scope="module", params=sorted(FIRMWARE_FIRST))
def board(request):
    return harness.build(request.param, f"configs/{request.param}.dts")


def _make(system, *goals, expect_ok=True, **env):
    """`make BOARD=<board> goals` in the board's build, as docs/boards.md tells users to run it: BOARD=
    picks configs/<board>.dts, the description harness.build() built there, so nothing is rebuilt."""
    args = ["make", "-C", harness.SRCTREE, f"O={system.out}", f"BOARD={system.name}",
            f"NEWLIB_DIR={harness.NEWLIB}"] + [f"{k}={v}" for k, v in env.items()] + list(goals)
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert (r.returncode == 0) == expect_ok, r.stdout[-3000:]
    return r.stdout


def _openocd(cfg):
    """Runs bulkhead_flash of `cfg` without `init`: the adapter is never opened, every JTAG
    command is recorded. Returns the recorded lines."""
    args = ["openocd", "-f", cfg]
    for proc in RECORD:
        args += ["-c", proc]
    args += ["-c", "bulkhead_flash; shutdown"]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=OPENOCD_TIMEOUT)
    assert r.returncode == 0, r.stdout
    return [l for l in r.stdout.splitlines() if re.match(r"^(HALT|LOAD|VERIFY|RESUME) ", l)]


def _expected_loads(system):
    """(file, address, size) the board needs: the hypervisor at its link address, the load list."""
    image = os.path.join(system.out, "bulkhead.bin")
    out = [(image, int(system.vars["BH_HYP_LINK"], 0), os.path.getsize(image))]
    for _kind, _part, addr, size, f in qemu.read_load_list(os.path.join(system.out, "gen", "load.list")):
        out.append((f, addr, size))
    return out


def _check_sequence(system, rec, entry):
    """Halt first; each file loaded at its address with its size, then verified; resume at `entry` last."""
    assert rec[0] == "HALT 1000", rec
    assert rec[-1] == f"RESUME {entry:#x}", rec
    loads = [l for l in rec if l.startswith("LOAD ") and l.split()[3] == "bin"]
    want = _expected_loads(system)
    assert len(loads) == len(want), rec
    ram_base = int(system.vars["BH_RAM_BASE"], 0)
    ram_end = ram_base + int(system.vars["BH_RAM_SIZE"], 0)
    for line, (f, addr, size) in zip(loads, want):
        _, lf, laddr, kind, exists, lsize = line.split()
        assert (lf, int(laddr, 16), kind, exists) == (os.path.abspath(f), addr, "bin", "1"), line
        assert int(lsize) == size, f"{line}: the load list says {size} bytes"
        assert ram_base <= addr and addr + size <= ram_end, f"{line}: outside the board's DDR"
        assert f"VERIFY {lf} {laddr} bin" == rec[rec.index(line) + 1]


def test_flash_script_loads_the_description(zcu102):
    """`make flash`'s script for the ZCU102 (its FT4232H adapter, OpenOCD's xilinx_zynqmp.cfg)
    parses in OpenOCD, and also with the dummy adapter; it halts the boot core, loads and verifies
    the hypervisor at its link address and every file of the load list at its address, and
    resumes the boot core at the hypervisor's entry, touching no secondary core.

    Verifies: REQ-BRD-005
    """
    _make(zcu102, os.path.join(zcu102.out, "flash.cfg"))
    cfg = os.path.join(zcu102.out, "flash.cfg")
    text = open(cfg).read()
    assert "adapter driver ftdi" in text and "ftdi vid_pid 0x0403 0x6011" in text
    assert "source [find target/xilinx_zynqmp.cfg]" in text and "targets uscale.a53.0" in text
    assert not re.search(r"uscale\.a53\.[123]", text), "a secondary core is touched"
    entry = int(zcu102.vars["BH_HYP_LINK"], 0)
    _check_sequence(zcu102, _openocd(cfg), entry)
    dummy = os.path.join(zcu102.out, "flash-dummy.cfg")
    subprocess.run(["/usr/bin/python3", os.path.join(harness.SRCTREE, "scripts", "openocd_flash.py"),
                    "--system-mk", os.path.join(zcu102.out, "gen", "system.mk"), "--image", zcu102.image,
                    "--adapter", "dummy", "--out", dummy], check=True)
    assert "adapter driver dummy" in open(dummy).read()
    _check_sequence(zcu102, _openocd(dummy), entry)


def test_flash_script_with_firmware(zcu102):
    """With BL31= (TF-A) the boot core starts at BL31's entry (which enters the hypervisor at
    EL2 with PSCI behind it); with FSBL= the first-stage loader runs first. A partition ELF
    stands in for both files here.

    Verifies: REQ-BRD-005
    """
    elf = os.path.join(zcu102.out, "images", "demo-a.elf")
    _make(zcu102, os.path.join(zcu102.out, "flash.cfg"), FSBL=elf, BL31=elf)
    rec = _openocd(os.path.join(zcu102.out, "flash.cfg"))
    entry = int(re.search(r"Entry point address:\s+(0x[0-9a-f]+)",
                          subprocess.run(["aarch64-linux-gnu-readelf", "-h", elf], stdout=subprocess.PIPE,
                                         text=True, check=True).stdout).group(1), 16)
    elf_loads = [l for l in rec if l.startswith(f"LOAD {elf} 0 elf 1")]
    assert len(elf_loads) == 2, rec
    # FSBL: loaded, run, stopped again; then BL31 and the system; the core resumes at BL31.
    assert rec[:4] == ["HALT 1000", elf_loads[0], f"RESUME {entry:#x}", "HALT 1000"], rec
    assert rec[-1] == f"RESUME {entry:#x}"
    _check_sequence(zcu102, rec[:1] + rec[4:], entry)


def test_sdcard_image(zcu102, tmp_path):
    """`make sdcard` writes a FAT boot medium holding the built FIT, the U-Boot script that
    boots it, and the firmware's BOOT.BIN when given.

    Verifies: REQ-BRD-006
    """
    boot_bin = tmp_path / "BOOT.BIN"
    boot_bin.write_bytes(b"stand-in for bootgen's output\n")
    _make(zcu102, "sdcard", BOOT_BIN=str(boot_bin))
    img = os.path.join(zcu102.out, "sdcard.img")
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    listing = subprocess.run(["mdir", "-b", "-i", f"{img}@@1M", "::"], stdout=subprocess.PIPE, text=True,
                             env=env, check=True).stdout.split()
    assert sorted(os.path.basename(p).lower() for p in listing) == ["boot.bin", "boot.scr", "bulkhead.itb"]
    itb = subprocess.run(["mtype", "-i", f"{img}@@1M", "::bulkhead.itb"], stdout=subprocess.PIPE, env=env,
                         check=True).stdout
    assert itb == open(os.path.join(zcu102.out, "bulkhead.itb"), "rb").read()
    scr = subprocess.run(["mtype", "-i", f"{img}@@1M", "::boot.scr"], stdout=subprocess.PIPE, env=env,
                         check=True).stdout
    assert re.search(rb"bootm 0x[0-9a-f]+#conf-1", scr), scr


def test_flash_script_for_firmware_first_boards(board):
    """`make flash`'s script for the Raspberry Pi 4 (an FT2232H probe on the GPIO header,
    OpenOCD's bcm2711.cfg) and the i.MX 8M Plus EVK (a J-Link, imx8m.cfg) parses in OpenOCD, with
    the board's adapter and with the dummy one: it halts the boot core, loads and verifies every
    image at the description's address inside the board's DDR and resumes the boot core at the
    hypervisor's entry, touching no secondary core. FSBL= and BL31= are refused: the board's own
    firmware has trained the DDR and left its PSCI firmware resident.

    Verifies: REQ-BRD-005, REQ-BRD-011
    """
    target, core0, secondaries = FIRMWARE_FIRST[board.name]
    cfg = os.path.join(board.out, "flash.cfg")
    _make(board, cfg)
    text = open(cfg).read()
    assert f"source [find {target}]" in text and f"targets {core0}" in text
    assert not re.search(secondaries, text), "a secondary core is touched"
    entry = int(board.vars["BH_HYP_LINK"], 0)
    _check_sequence(board, _openocd(cfg), entry)
    dummy = os.path.join(board.out, "flash-dummy.cfg")
    subprocess.run(["/usr/bin/python3", os.path.join(harness.SRCTREE, "scripts", "openocd_flash.py"),
                    "--system-mk", os.path.join(board.out, "gen", "system.mk"), "--image", board.image,
                    "--adapter", "dummy", "--out", dummy], check=True)
    assert "adapter driver dummy" in open(dummy).read()
    _check_sequence(board, _openocd(dummy), entry)
    elf = os.path.join(board.out, "images", "demo-a.elf")
    for var in ("FSBL", "BL31"):
        out = _make(board, cfg, expect_ok=False, **{var: elf})
        assert "FSBL= and BL31= do not apply" in out, out


def _mtools(img, offset, *cmd):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    return subprocess.run([cmd[0], "-i", f"{img}@@{offset}"] + list(cmd[1:]), stdout=subprocess.PIPE,
                          env=env, check=True).stdout


def _partition_start(img):
    """The first MBR partition's first sector."""
    with open(img, "rb") as f:
        head = f.read(512)
    assert head[510:] == b"\x55\xaa"
    return int.from_bytes(head[446 + 8:446 + 12], "little")


@pytest.fixture(scope="module")
def rpi4():
    return harness.build("rpi4", "configs/rpi4.dts")


@pytest.fixture(scope="module")
def imx8mp():
    return harness.build("imx8mp-evk", "configs/imx8mp-evk.dts")


def test_sdcard_image_rpi4(rpi4, tmp_path):
    """The Raspberry Pi 4's SD card: the firmware's files, config.txt naming TF-A's BL31 as the
    armstub and U-Boot as the kernel (64-bit, the PL011 on the header), U-Boot and BL31 under the
    names config.txt gives, the FIT and the boot script; a file the board does not read is refused.

    Verifies: REQ-BRD-006, REQ-BRD-012
    """
    fw = tmp_path / "firmware"
    (fw / "overlays").mkdir(parents=True)
    (fw / "start4.elf").write_bytes(b"stand-in start4.elf")
    (fw / "overlays" / "disable-bt.dtbo").write_bytes(b"stand-in overlay")
    uboot = tmp_path / "u-boot-rpi.bin"
    uboot.write_bytes(b"stand-in U-Boot")
    bl31 = tmp_path / "bl31-rpi4.bin"
    bl31.write_bytes(b"stand-in BL31")
    _make(rpi4, "sdcard", RPI_FIRMWARE=str(fw), UBOOT_BIN=str(uboot), BL31_BIN=str(bl31))
    img = os.path.join(rpi4.out, "sdcard.img")
    start = _partition_start(img) * 512
    names = sorted(os.path.basename(p.rstrip("/")).lower() for p in _mtools(img, start, "mdir", "-b", "::").decode().split())
    assert names == ["bl31.bin", "boot.scr", "bulkhead.itb", "config.txt", "overlays", "start4.elf", "u-boot.bin"]
    assert _mtools(img, start, "mtype", "::overlays/disable-bt.dtbo") == b"stand-in overlay"
    assert _mtools(img, start, "mtype", "::u-boot.bin") == b"stand-in U-Boot"
    assert _mtools(img, start, "mtype", "::bl31.bin") == b"stand-in BL31"
    assert _mtools(img, start, "mtype", "::bulkhead.itb") == open(os.path.join(rpi4.out, "bulkhead.itb"), "rb").read()
    config = dict(l.split("=", 1) for l in _mtools(img, start, "mtype", "::config.txt").decode().splitlines()
                  if l and not l.startswith("#"))
    assert config["arm_64bit"] == "1" and config["armstub"] == "bl31.bin" and config["kernel"] == "u-boot.bin"
    assert config["enable_uart"] == "1" and config["dtoverlay"] == "disable-bt"
    assert re.search(rb"bootm 0x[0-9a-f]+#conf-1", _mtools(img, start, "mtype", "::boot.scr"))
    out = _make(rpi4, "sdcard", expect_ok=False, BOOT_BIN=str(uboot))
    assert "does not read it" in out, out


def test_sdcard_image_imx8mp(imx8mp, tmp_path):
    """The i.MX 8M Plus EVK's SD card: the boot image raw at byte 32 KiB, where the boot ROM reads
    it, and the FAT partition with the FIT and the boot script from 8 MiB, past it; a boot image
    that would run into the partition is refused.

    Verifies: REQ-BRD-006, REQ-BRD-012
    """
    flash = tmp_path / "flash.bin"
    payload = bytes(range(256)) * 4096          # 1 MiB, about imx-mkimage's size
    flash.write_bytes(payload)
    _make(imx8mp, "sdcard", FLASH_BIN=str(flash))
    img = os.path.join(imx8mp.out, "sdcard.img")
    with open(img, "rb") as f:
        f.seek(32 << 10)
        assert f.read(len(payload)) == payload
    assert _partition_start(img) * 512 == 8 << 20
    names = sorted(os.path.basename(p).lower() for p in _mtools(img, 8 << 20, "mdir", "-b", "::").decode().split())
    assert names == ["boot.scr", "bulkhead.itb"]
    assert _mtools(img, 8 << 20, "mtype", "::bulkhead.itb") == open(os.path.join(imx8mp.out, "bulkhead.itb"), "rb").read()
    flash.write_bytes(bytes(8 << 20))
    out = _make(imx8mp, "sdcard", expect_ok=False, FLASH_BIN=str(flash))
    assert "overrun the FAT partition" in out, out
