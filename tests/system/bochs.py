# SPDX-License-Identifier: MIT
"""x86 systems under bochs, the one emulator here with Intel VMX (EPT and
unrestricted guest): a system description built with CONFIG_X86_VMX
(configs/bochs-x86_64-vmx_defconfig) and booted on a VMX-capable cpu model.
bochs has no -kernel, so it boots a disk image as a real machine would: its
boot sector (bochs/bootsect.S) reads the hypervisor's flat image and every
image of the load list from the disk by BIOS calls, copies each to its
address, and enters the hypervisor as a multiboot v1 loader would, with the
BIOS's E820 map. (bochs's optramimage options are no loader for this: four
slots, and an image larger than bochs's 128 KiB memory block loads wrongly.)
The hypervisor's COM1 goes to a file, read until a line says the run is over
or the timeout passes (run), or to a localhost socket a test reads and types
into (Session); then bochs is stopped (bochs does not power off through
QEMU's ACPI port)."""
import glob
import os
import pty
import shutil
import socket
import struct
import subprocess
import threading
import time

import harness
import qemu
import test_service

BOCHS = "bochs"
CPU_MODEL = "corei7_haswell_4770"   # VMX with EPT, unrestricted guest and VPID in bochs 2.7
BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGABIOS = "/usr/share/bochs/VGABIOS-lgpl-latest"
DEFCONFIG = "bochs-x86_64-vmx_defconfig"
BOOTSECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bochs", "bootsect.S")
ENTRY_OFFSET = 0x1f8                # where bootsect.S keeps the entry point
TABLE_SECTORS_OFFSET = 0x1f4        # and the load table's length in sectors
SECTOR = 512
MAX_TABLE_SECTORS = 64              # the table lies at 0x7e00, below bootsect.S's bounce buffer at 0x10000
BOUNCE_END = 0x18000                # a load below this would overwrite the loader's own buffers
CYLINDER = 16 * 63 * SECTOR         # bochs takes a flat image's geometry as 16 heads, 63 sectors
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


def _boot_sector(work, entry, table_sectors):
    """bootsect.S assembled, with the entry point and the load table's length in it."""
    obj = os.path.join(work, "bootsect.o")
    binary = os.path.join(work, "bootsect.bin")
    subprocess.run(["gcc", "-m32", "-c", BOOTSECT, "-o", obj], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext=0x7c00", "--oformat", "binary", obj, "-o", binary], check=True)
    with open(binary, "rb") as f:
        sector = bytearray(f.read())
    assert len(sector) == SECTOR and sector[510:] == b"\x55\xaa", "bootsect.S must assemble to one boot sector"
    assert entry < (1 << 32), f"entry {entry:#x} is not reachable from 32-bit protected mode"
    struct.pack_into("<I", sector, ENTRY_OFFSET, entry)
    struct.pack_into("<H", sector, TABLE_SECTORS_OFFSET, table_sectors)
    return bytes(sector)


def _images(work, out, system_vars):
    """(address, file) of everything a loader puts in RAM: the hypervisor's flat image and every
    file of the load list, placed images included (docs/boot.md)."""
    flat = os.path.join(work, "bulkhead.bin")
    subprocess.run(["objcopy", "-O", "binary", os.path.join(out, "bulkhead.elf"), flat], check=True)
    images = [(int(system_vars["BH_HYP_LINK"], 0), flat)]
    images += [(addr, file) for _k, _p, addr, _s, file in qemu.read_load_list(os.path.join(out, "gen", "load.list"))]
    return images


def _disk(work, entry, images):
    """The disk bootsect.S loads from: itself, the load table, then each image from a sector."""
    entries = len(images) + 1   # and the terminator
    table_sectors = (entries * 12 + SECTOR - 1) // SECTOR
    assert table_sectors <= MAX_TABLE_SECTORS, f"{len(images)} images: more than bootsect.S's table holds"
    lba = 1 + table_sectors
    table = b""
    blobs = []
    for addr, file in images:
        with open(file, "rb") as f:
            data = f.read()
        sectors = (len(data) + SECTOR - 1) // SECTOR
        assert BOUNCE_END <= addr and addr + sectors * SECTOR <= (1 << 32), \
            f"{file}: {addr:#x} is not a place bootsect.S can copy to"
        table += struct.pack("<III", lba, sectors, addr)
        blobs.append(data + bytes(sectors * SECTOR - len(data)))
        lba += sectors
    table += bytes(table_sectors * SECTOR - len(table))
    disk = _boot_sector(work, entry, table_sectors) + table + b"".join(blobs)
    disk += bytes(-len(disk) % CYLINDER)
    path = os.path.join(work, "disk.img")
    with open(path, "wb") as f:
        f.write(disk)
    return path


def _bochsrc(work, system_vars, cpus, disk, com1_port=None):
    """The configuration; COM1 is a file, or with `com1_port` a TCP server on localhost the test
    connects to, reads and types into: named by its address, since a minimal root has no
    /etc/hosts to resolve "localhost" (bochs then fails to listen)."""
    ram_mib = (int(system_vars["BH_RAM_BASE"], 0) + int(system_vars["BH_RAM_SIZE"], 0) + (1 << 20) - 1) >> 20
    com1 = os.path.join(work, "com1.txt")
    lines = [
        f"megs: {ram_mib}",
        f"romimage: file={BIOS}",
        f"vgaromimage: file={VGABIOS}",
        f"cpu: model={CPU_MODEL}, count={cpus}, ips=50000000, reset_on_triple_fault=0",
        "ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14",
        f"ata0-master: type=disk, path={disk}, mode=flat",
        "boot: disk",
        "display_library: term",   # this bochs has no nogui: its text screen goes to a pseudo-terminal
        (f"com1: enabled=1, mode=socket-server, dev=127.0.0.1:{com1_port}" if com1_port
         else f"com1: enabled=1, mode=file, dev={com1}"),
        f"com2: enabled=1, mode=file, dev={os.path.join(work, 'com2.txt')}",
        f"log: {os.path.join(work, 'bochs.log')}",
        "panic: action=fatal",
        "error: action=report",
        "info: action=ignore",
        "debug: action=ignore",
    ]
    rc = os.path.join(work, "bochsrc")
    with open(rc, "w") as f:
        f.write("\n".join(lines) + "\n")
    return rc, com1


def _launch(out, system_vars, com1_port=None):
    """bochs started on the built system; (process, COM1's file, the screen's reader)."""
    work = os.path.join(out, "bochs")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    disk = _disk(work, _elf_entry(os.path.join(out, "bulkhead.elf")), _images(work, out, system_vars))
    rc, com1 = _bochsrc(work, system_vars, int(system_vars["BH_NUM_CORES"]), disk, com1_port)
    cont = os.path.join(work, "continue.rc")
    with open(cont, "w") as f:
        f.write("c\n")   # where bochs has its debugger, it starts in it: continue at once
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="vt100")
    p = subprocess.Popen([BOCHS, "-q", "-f", rc, "-rc", cont], cwd=work, stdin=slave, stdout=slave, stderr=slave,
                         env=env, start_new_session=True)
    os.close(slave)
    return p, com1, _Screen(master, os.path.join(work, "bochs.log"))


class _Screen:
    """bochs's terminal, read to its end: unread, bochs blocks writing its screen."""

    def __init__(self, master, log):
        self.master = master
        self.log = log
        self.chunks = []
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.chunks.append(data)

    def close(self, run):
        self.reader.join(timeout=2)
        os.close(self.master)
        run.bochs_output = b"".join(self.chunks).decode("utf-8", errors="replace")
        run.log = self.log
        return run


def run(out, system_vars, timeout, until="all partitions stopped"):
    """Boots the built system under bochs until COM1 has printed `until` (a string, or a tuple of
    strings that must all have appeared: a system whose partitions do not all stop) or `timeout`
    seconds pass."""
    until = (until,) if isinstance(until, str) else tuple(until)
    p, com1, screen = _launch(out, system_vars)
    deadline = time.monotonic() + timeout
    text = ""
    finished = False
    while time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.25)
        if os.path.exists(com1):
            with open(com1, "rb") as f:
                text = f.read().decode("utf-8", errors="replace")
            if all(u in text for u in until):
                finished = True
                time.sleep(0.5)   # the lines right after it
                break
    if p.poll() is None:
        p.kill()
    p.wait()
    if os.path.exists(com1):
        with open(com1, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
    lines = [l for l in text.replace("\r", "").split("\n") if l]
    return screen.close(harness.Run(lines, finished, p.returncode))


class Session(test_service.Session):
    """A bochs run whose COM1 the test reads as it comes and types into, as test_service.Session
    does with QEMU's: bochs's COM1 is a TCP server on a free localhost port."""

    def __init__(self, out, system_vars, timeout):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.deadline = time.monotonic() + timeout
        self.p, _com1, self.screen = _launch(out, system_vars, com1_port=port)
        while True:   # bochs listens once its devices are set up
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                if time.monotonic() > self.deadline or self.p.poll() is not None:
                    self.p.kill()
                    raise
                time.sleep(0.1)
        self.sock.settimeout(None)
        self.text = ""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = self.sock.recv(4096)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.text += chunk.decode("utf-8", errors="replace").replace("\r", "")

    def type(self, data):
        for byte in data:   # one at a time: bochs's UART takes what arrives while its FIFO has room
            self.sock.sendall(bytes([byte]))
            time.sleep(0.02)

    def finish(self):
        """Stops bochs (it does not power off); the run as harness.Run, `exited` False."""
        time.sleep(0.5)   # the lines right after the last one waited for
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        self.sock.close()
        self.reader.join(timeout=2)
        return self.screen.close(harness.Run(self.lines(), False, self.p.returncode))
