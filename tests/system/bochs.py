# SPDX-License-Identifier: MIT
"""x86 systems under bochs, the one emulator here with Intel VMX (EPT and
unrestricted guest): a system description built with CONFIG_X86_VMX
(configs/bochs-x86_64-vmx_defconfig) and booted on a VMX-capable cpu model.
bochs has no -kernel: its optramimage options put the hypervisor's flat
image and the load list's partition images in RAM, and a floppy boot sector
(bochs/bootsect.S) enters the hypervisor as a multiboot v1 loader would,
with the BIOS's E820 map. The hypervisor's COM1 goes to a file, read until
a line says the run is over or the timeout passes; then bochs is stopped
(bochs does not power off through QEMU's ACPI port)."""
import glob
import os
import pty
import shutil
import struct
import subprocess
import threading
import time

import harness
import qemu

BOCHS = "bochs"
CPU_MODEL = "corei7_haswell_4770"   # VMX with EPT, unrestricted guest and VPID in bochs 2.7
BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGABIOS = "/usr/share/bochs/VGABIOS-lgpl-latest"
DEFCONFIG = "bochs-x86_64-vmx_defconfig"
BOOTSECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bochs", "bootsect.S")
ENTRY_OFFSET = 0x1f8                # where bootsect.S keeps the entry point
FLOPPY_SIZE = 1474560
MAX_RAM_IMAGES = 4                  # bochs's optramimage1..4
NEWLIB_X86 = os.path.abspath(os.environ.get("NEWLIB_X86_DIR") or os.path.join(harness.BUILD, "newlib-x86_64"))


def missing():
    """Why bochs cannot run here ('' when it can)."""
    if shutil.which(BOCHS) is None:
        return "bochs is not installed (scripts/setup-host.sh installs bochs, bochsbios, vgabios)"
    for f in (BIOS, VGABIOS):
        if not os.path.exists(f):
            return f"{f} is missing (scripts/setup-host.sh installs bochsbios and vgabios)"
    if not glob.glob("/usr/lib/*/bochs/plugins/libbx_term_gui.so*"):
        return "bochs's term display is missing (scripts/setup-host.sh installs bochs-term)"
    return ""


def build(name, dts):
    """Builds `dts` with the VMX back end into $BULKHEAD_BUILD/systest/<name> (never a coverage
    build: a bochs run is stopped at its last line, before a dump); returns (folder, system.mk's
    variables)."""
    system = harness.build(name, dts, defconfig=DEFCONFIG, make_vars=[f"NEWLIB_X86_DIR={NEWLIB_X86}"],
                           what="VMX build", coverage=False)
    return system.out, system.vars


def _elf_entry(elf):
    with open(elf, "rb") as f:
        head = f.read(32)
    assert head[:4] == b"\x7fELF" and head[4] == 2, f"{elf}: not an ELF64"
    return struct.unpack_from("<Q", head, 24)[0]


def _floppy(work, entry):
    """The boot sector with `entry` in it, as a 1.44 MB floppy image."""
    obj = os.path.join(work, "bootsect.o")
    binary = os.path.join(work, "bootsect.bin")
    subprocess.run(["gcc", "-m32", "-c", BOOTSECT, "-o", obj], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext=0x7c00", "--oformat", "binary", obj, "-o", binary], check=True)
    with open(binary, "rb") as f:
        sector = bytearray(f.read())
    assert len(sector) == 512 and sector[510:] == b"\x55\xaa", "bootsect.S must assemble to one boot sector"
    assert entry < (1 << 32), f"entry {entry:#x} is not reachable from 32-bit protected mode"
    struct.pack_into("<I", sector, ENTRY_OFFSET, entry)
    floppy = os.path.join(work, "boot.img")
    with open(floppy, "wb") as f:
        f.write(bytes(sector) + bytes(FLOPPY_SIZE - len(sector)))
    return floppy


def _bochsrc(work, out, system_vars, cpus, floppy):
    elf = os.path.join(out, "bulkhead.elf")
    flat = os.path.join(work, "bulkhead.bin")
    subprocess.run(["objcopy", "-O", "binary", elf, flat], check=True)
    images = [(int(system_vars["BH_HYP_LINK"], 0), flat)]
    # The store's images only: bochs has four RAM image slots, and a partition whose placed image
    # (docs/boot.md) is absent starts from the store's copy, as after any boot that loads only the store.
    images += [(addr, file) for kind, _p, addr, _s, file in qemu.read_load_list(os.path.join(out, "gen", "load.list"))
               if kind != "placed"]
    assert len(images) <= MAX_RAM_IMAGES, f"bochs loads at most {MAX_RAM_IMAGES} RAM images, this system needs {len(images)}"
    ram_mib = (int(system_vars["BH_RAM_BASE"], 0) + int(system_vars["BH_RAM_SIZE"], 0) + (1 << 20) - 1) >> 20
    com1 = os.path.join(work, "com1.txt")
    lines = [
        f"megs: {ram_mib}",
        f"romimage: file={BIOS}",
        f"vgaromimage: file={VGABIOS}",
        f"cpu: model={CPU_MODEL}, count={cpus}, ips=50000000, reset_on_triple_fault=0",
        f"floppya: 1_44={floppy}, status=inserted",
        "boot: floppy",
        "display_library: term",   # this bochs has no nogui: its text screen goes to a pseudo-terminal
        f"com1: enabled=1, mode=file, dev={com1}",
        f"com2: enabled=1, mode=file, dev={os.path.join(work, 'com2.txt')}",
        f"log: {os.path.join(work, 'bochs.log')}",
        "panic: action=fatal",
        "error: action=report",
        "info: action=ignore",
        "debug: action=ignore",
    ]
    lines += [f"optramimage{i + 1}: file={f}, address={a:#x}" for i, (a, f) in enumerate(images)]
    rc = os.path.join(work, "bochsrc")
    with open(rc, "w") as f:
        f.write("\n".join(lines) + "\n")
    return rc, com1


def run(out, system_vars, timeout, until="all partitions stopped"):
    """Boots the built system under bochs until COM1 prints `until` or `timeout` seconds pass."""
    work = os.path.join(out, "bochs")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    floppy = _floppy(work, _elf_entry(os.path.join(out, "bulkhead.elf")))
    rc, com1 = _bochsrc(work, out, system_vars, int(system_vars["BH_NUM_CORES"]), floppy)
    cont = os.path.join(work, "continue.rc")
    with open(cont, "w") as f:
        f.write("c\n")   # where bochs has its debugger, it starts in it: continue at once
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="vt100")
    p = subprocess.Popen([BOCHS, "-q", "-f", rc, "-rc", cont], cwd=work, stdin=slave, stdout=slave, stderr=slave,
                         env=env, start_new_session=True)
    os.close(slave)
    screen = []

    def drain():   # the terminal must be read, or bochs blocks writing its screen
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            screen.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    text = ""
    finished = False
    while time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.25)
        if os.path.exists(com1):
            with open(com1, "rb") as f:
                text = f.read().decode("utf-8", errors="replace")
            if until in text:
                finished = True
                time.sleep(0.5)   # the lines right after it
                break
    if p.poll() is None:
        p.kill()
    p.wait()
    reader.join(timeout=2)
    os.close(master)
    if os.path.exists(com1):
        with open(com1, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
    lines = [l for l in text.replace("\r", "").split("\n") if l]
    run = harness.Run(lines, finished, p.returncode)
    run.bochs_output = b"".join(screen).decode("utf-8", errors="replace")
    run.log = os.path.join(work, "bochs.log")
    return run
