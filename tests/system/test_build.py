# SPDX-License-Identifier: MIT
"""The build: host setup, language and flags, Kconfig, and the image size check."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

import harness
import qemu

# Every program and file the build and the tests use, and the Debian package that must provide it.
NEEDED = {
    "make": "make", "gcc": "gcc", "cpp": "cpp", "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu",
    "aarch64-linux-gnu-objcopy": "binutils-aarch64-linux-gnu", "dtc": "device-tree-compiler",
    "qemu-system-aarch64": "qemu-system-arm", "qemu-system-x86_64": "qemu-system-x86", "mkimage": "u-boot-tools", "gdb-multiarch": "gdb-multiarch",
    "/usr/lib/u-boot/qemu_arm64/u-boot.bin": "u-boot-qemu", "mformat": "mtools", "mcopy": "mtools",
    "gcovr": "gcovr", "cppcheck": "cppcheck", "pmccabe": "pmccabe", "git": "git", "xz": "xz-utils",
    "clang": "clang", "/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a": "libclang-rt-14-dev",
    "/usr/include/libfdt.h": "libfdt-dev", "/usr/include/cmocka.h": "libcmocka-dev",
    "/usr/lib/python3/dist-packages/kconfiglib.py": "python3-kconfiglib",
    "/usr/lib/python3/dist-packages/pytest/__init__.py": "python3-pytest",
    "/usr/lib/python3/dist-packages/pexpect/__init__.py": "python3-pexpect",
    "bochs": "bochs", "/usr/share/bochs/BIOS-bochs-latest": "bochsbios", "/usr/share/vgabios/vgabios.bin": "vgabios",
    "/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so.0": "bochs-term",
    "grub-mkrescue": "grub-common", "grub-file": "grub-common", "/usr/lib/grub/i386-pc/moddep.lst": "grub-pc-bin",
    "xorriso": "xorriso",
}


def _setup_packages():
    with open(os.path.join(harness.SRCTREE, "scripts", "setup-host.sh")) as f:
        text = f.read()
    m = re.search(r'PACKAGES="([^"]*)"', text, re.S)
    return set(m.group(1).replace("\\\n", " ").split())


def _owner(path):
    for p in (path, os.path.realpath(path)):
        r = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":")[0].strip()
    return None


def test_setup_installs_every_tool():
    """scripts/setup-host.sh installs the package of every tool the build and the tests run,
    `make test` and `make run` call it first, and it does nothing once everything is there.

    Verifies: REQ-BLD-002
    """
    packages = _setup_packages()
    for tool, package in NEEDED.items():
        assert package in packages, f"{package} (for {tool}) missing from scripts/setup-host.sh"
        path = tool if tool.startswith("/") else shutil.which(tool)
        assert path and os.path.exists(path), f"{tool} not installed"
        assert _owner(path) == package, f"{path} comes from {_owner(path)}, not {package}"
    assert os.path.isdir("/usr/src/newlib") and "newlib-source" in packages
    with open(os.path.join(harness.SRCTREE, "Makefile")) as f:
        makefile = f.read()
    for goal in ("test", "run"):
        assert re.search(rf"^{goal}: deps-check\b", makefile, re.M), f"make {goal} does not check the packages first"
    for mode in ([], ["--check"]):
        r = subprocess.run([os.path.join(harness.SRCTREE, "scripts", "setup-host.sh"), *mode],
                           capture_output=True, text=True)
        assert r.returncode == 0 and r.stdout == "" and r.stderr == "", r.stdout + r.stderr


def test_setup_check_never_runs_sudo():
    """For a user other than root, what `make test` and `make run` call (setup-host.sh --check)
    lists a missing package and the command that installs it, fails, and never calls sudo; only
    `make deps` (no --check) installs through sudo, and says so first.

    Verifies: REQ-BLD-002
    """
    work = tempfile.mkdtemp(prefix="bulkhead-setup-")
    try:
        os.chmod(work, 0o777)
        script = os.path.join(work, "setup-host.sh")
        shutil.copy(os.path.join(harness.SRCTREE, "scripts", "setup-host.sh"), script)
        os.chmod(script, 0o755)
        log = os.path.join(work, "sudo.log")
        with open(os.path.join(work, "sudo"), "w") as f:
            f.write(f'#!/bin/sh\necho "$@" >> {log}\nexit 1\n')
        os.chmod(os.path.join(work, "sudo"), 0o755)
        env = dict(os.environ, PATH=f"{work}:{os.environ['PATH']}",
                   SETUP_HOST_PACKAGES="make bulkhead-no-such-package")
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

        r = subprocess.run([*nobody, script, "--check"], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "Missing Debian packages: bulkhead-no-such-package\n" in r.stderr, r.stderr
        assert "make deps" in r.stderr and "apt-get install" in r.stderr, r.stderr
        assert not os.path.exists(log), "setup-host.sh --check called sudo"

        r = subprocess.run([*nobody, script], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "Installing missing Debian packages through sudo: bulkhead-no-such-package" in r.stdout, r.stdout
        with open(log) as f:
            assert f.read().split("\n")[0] == "apt-get update -q"
    finally:
        shutil.rmtree(work)


def test_make_run_boots_the_default_system():
    """`make run`, as the README gives it, checks the machine, then boots the default system in
    QEMU with the project's one command line: every partition prints and the run ends by itself.
    A QEMU that needs a file the setup does not install (a ROM, firmware) fails here.

    Verifies: REQ-BLD-002
    """
    system = harness.build("default", "configs/qemu-aarch64-virt.dts")
    r = subprocess.run(["make", "-C", harness.SRCTREE, f"O={system.out}", "SYSTEM=configs/qemu-aarch64-virt.dts",
                        f"NEWLIB_DIR={harness.NEWLIB}", "run"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=120)
    run = harness.Run([l for l in r.stdout.replace("\r", "").split("\n") if l], True, r.returncode)
    if harness.COVERAGE:
        run.lines = harness.gcov_console.split(run.lines)[0]
    harness.assert_booted(run, system)
    assert r.returncode == 0, r.stdout[-3000:]
    assert run.of("bulkhead")[-1] == "all partitions stopped", r.stdout[-3000:]


@pytest.fixture(scope="module")
def default_build():
    system = harness.build("default", "configs/qemu-aarch64-virt.dts")
    subprocess.run(["make", "-C", harness.SRCTREE, f"O={system.out}", "SYSTEM=configs/qemu-aarch64-virt.dts",
                    f"NEWLIB_DIR={harness.NEWLIB}", "compile-commands"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(system.out, "compile_commands.json")) as f:
        return system, json.load(f)


HYP_FLAGS = ["-std=c11", "-ffreestanding", "-Wall", "-Wextra", "-Werror", "-Wvla",
             "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-fstack-usage"]
GUEST_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]


def test_freestanding_c11_warnings_are_errors(default_build):
    """Every hypervisor and runtime source compiles as C11 with every warning an error; the hypervisor
    is freestanding, without unwind tables, VLAs, a heap or any undefined symbol.

    Verifies: REQ-BLD-003
    """
    if harness.COVERAGE:
        pytest.skip("about the delivered image, not a coverage build")
    system, db = default_build
    hyp = [e for e in db if e["file"].startswith(("core/", "arch/"))]
    guest = [e for e in db if e["file"].startswith("partitions/runtime/")]
    assert any(e["file"].startswith("partitions/runtime/arm64/") for e in guest)
    assert hyp and guest
    for e in hyp:
        missing = [f for f in HYP_FLAGS if f not in e["arguments"]]
        assert not missing, f"{e['file']} built without {missing}"
    for e in guest:
        missing = [f for f in GUEST_FLAGS if f not in e["arguments"]]
        assert not missing, f"{e['file']} built without {missing}"
    elf = os.path.join(system.out, "bulkhead.elf")
    sections = subprocess.run(["aarch64-linux-gnu-objdump", "-h", elf], capture_output=True, text=True,
                              check=True).stdout
    assert ".eh_frame" not in sections
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True, check=True).stdout
    names = {l.split()[-1]: l.split()[-2] for l in nm.splitlines() if l.split()}
    assert not [n for n, t in names.items() if t in "Uw"], "undefined symbols in the image"
    assert not {"malloc", "free", "calloc", "realloc", "_sbrk", "sbrk"} & set(names)
    for root, _, files in os.walk(os.path.join(system.out, "obj")):
        for name in files:
            if name.endswith(".su"):
                with open(os.path.join(root, name)) as f:
                    for line in f:
                        assert line.rstrip().endswith("\tstatic"), f"{name}: {line.strip()}"


def _linked_from(elf, symbol):
    """The source file the linked `symbol` was compiled from (the ELF's line table)."""
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True, check=True).stdout
    addr = next(l.split()[0] for l in nm.splitlines() if l.split()[-1] == symbol)
    line = subprocess.run(["aarch64-linux-gnu-addr2line", "-e", elf, addr], capture_output=True, text=True,
                          check=True).stdout
    return os.path.relpath(line.split(":")[0], harness.SRCTREE)


def test_console_driver_chosen_at_link_time(default_build):
    """The build links the console driver the description's console needs: arch/arm64/pl011.c for
    the default system's PL011, arch/arm64/ns16550.c (with the 16550's register layout in the
    tables) for an ns16550a console, and never both. QEMU's virt board has no 16550, so that system
    is built and not booted.

    Verifies: REQ-CON-007
    """
    system, db = default_build
    assert _linked_from(os.path.join(system.out, "bulkhead.elf"), "arch_console_putc") == "arch/arm64/pl011.c"
    assert not any(e["file"] == "arch/arm64/ns16550.c" for e in db if "-DBH_CERT_OTHER_GIC" not in
                   " ".join(e.get("arguments", [])) + e.get("command", ""))
    uart = harness.build("console-ns16550", "tests/system/configs/console-ns16550.dts")
    assert uart.vars["BH_CONSOLE"] == "ns16550"
    assert _linked_from(os.path.join(uart.out, "bulkhead.elf"), "arch_console_putc") == "arch/arm64/ns16550.c"
    with open(os.path.join(uart.out, "gen", "config.c")) as f:
        assert ".console = { .base = 0x90c0000, .size = 0x1000, .reg_shift = 2, .reg_io_width = 4 }," in f.read()


def test_kconfig_options_reach_the_code():
    """Kconfig options set in the build's .config reach the C code through autoconf.h: here the log
    level (the hypervisor's information lines disappear) and the per-core stack size.

    Verifies: REQ-BLD-004
    """
    system = harness.build("kconfig", "configs/qemu-aarch64-virt-demos.dts",
                           kconfig=["CONFIG_LOG_LEVEL=0", "CONFIG_CPU_STACK_SIZE=0x3000"])
    with open(os.path.join(system.out, "include", "generated", "autoconf.h")) as f:
        autoconf = f.read()
    assert "#define CONFIG_LOG_LEVEL 0\n" in autoconf
    assert "#define CONFIG_CPU_STACK_SIZE 0x3000\n" in autoconf
    # Per-core stacks for the board's cores (bhcc's BH_NUM_CORES), not for CONFIG_MAX_CORES.
    cores = int(system.vars["BH_NUM_CORES"])
    nm = subprocess.run(["aarch64-linux-gnu-nm", "-S", os.path.join(system.out, "bulkhead.elf")],
                        capture_output=True, text=True, check=True).stdout
    size = next(int(l.split()[1], 16) for l in nm.splitlines() if l.endswith(" cpu_stacks"))
    assert size == cores * 0x3000
    run = harness.run(system, timeout=60, booted=dict(banner=False))
    assert run.exited
    assert run.of("bulkhead") == [], "log level 0 still printed information lines"
    assert "done" in run.of("demo-a")


def test_link_fails_when_the_image_does_not_fit():
    """A valid description whose hypervisor region is too small for the image stops the build right
    after the link, with an error that names the node and gives the image's size and the room the
    region leaves; no ELF is left behind.

    Verifies: REQ-BLD-005
    """
    with pytest.raises(RuntimeError) as e:
        harness.build("hyp-too-small", "tests/system/configs/hyp-too-small.dts")
    m = re.search(r"tests/system/configs/hyp-too-small.dts: /hypervisor@40000000: reg: the hypervisor image does "
                  r"not fit: it needs (0x[0-9a-f]+) bytes \(\d+ KiB\) from its link address 0x40200000, the region "
                  r"leaves 0x10000 bytes \(64 KiB\) there; make the region at least (0x[0-9a-f]+) bytes", str(e.value))
    assert m, str(e.value)
    need, least = int(m.group(1), 16), int(m.group(2), 16)
    # More than the 64 KiB the region leaves (stacks and table pools alone are), and the advice adds it up.
    assert need > 0x10000 and least == 0x200000 + need
    assert not os.path.exists(os.path.join(harness.BUILD, "systest-cov" if harness.COVERAGE else "systest",
                                           "hyp-too-small", "bulkhead.elf"))


def test_qemu_memory_reaches_the_description_ram():
    """QEMU's virt board has its RAM from 1 GiB: the -m the one QEMU command line derives reaches
    from there to the end of the description's highest RAM range, in whole MiB, and RAM below 1 GiB
    (which bhcc refuses on a "qemu,virt" board) is refused here too.

    Verifies: REQ-CFG-047
    """
    def mib(base, size):
        return qemu.ram_mib({"BH_RAM_BASE": hex(base), "BH_RAM_SIZE": hex(size)})

    assert mib(0x40000000, 0x40000000) == 1024
    assert mib(0x80000000, 0x40000000) == 2048          # the span alone would give 1024
    assert mib(0x40000000, 0x100000000) == 4096
    assert mib(0x40000000, 0x1000) == 1                  # rounded up: QEMU takes whole MiB
    with pytest.raises(ValueError):
        mib(0x20000000, 0x40000000)


def _sizes(elf, names):
    """st_size of each named symbol of `elf`."""
    nm = subprocess.run(["aarch64-linux-gnu-nm", "-S", elf], capture_output=True, text=True, check=True).stdout
    sizes = {}
    for line in nm.splitlines():
        f = line.split()
        if len(f) == 4 and f[3] in names:
            sizes[f[3]] = int(f[1], 16)
    return sizes


def _sizeof(elf, exprs):
    """sizeof(expr) for each C expression, read by gdb from the ELF's debug information: the element
    sizes come from the compiler, not from this test."""
    g = subprocess.run(["gdb-multiarch", "-nx", "-batch"] + [a for e in exprs for a in ("-ex", f"p sizeof({e})")] +
                       [elf], capture_output=True, text=True, check=True, timeout=60).stdout
    values = [int(v) for v in re.findall(r"^\$\d+ = (\d+)$", g, re.M)]
    assert len(values) == len(exprs), g
    return dict(zip(exprs, values))


def test_partition_state_sized_by_the_description():
    """The hypervisor's per-partition state (partitions, emulated UARTs and disks) holds exactly the
    description's partitions and its doorbell tables exactly the description's channels: bhcc gives
    their numbers (BH_NUM_PARTITIONS, BH_NUM_CHANNELS) and no array is sized by a Kconfig maximum
    (CONFIG_MAX_PARTITIONS is 8, the default system has 4 partitions). The system still boots.

    Verifies: REQ-MEM-011
    """
    system = harness.build("default", "configs/qemu-aarch64-virt.dts")
    elf = os.path.join(system.out, "bulkhead.elf")
    parts = int(system.vars["BH_NUM_PARTITIONS"])
    chans = int(system.vars["BH_NUM_CHANNELS"])
    assert parts == len(system.vars["BH_PARTITIONS"].split())
    with open(os.path.join(system.out, "gen", "config.c")) as f:
        config = f.read()
    assert f".n_partitions = {parts}," in config and f".n_channels = {chans}," in config
    with open(os.path.join(system.out, ".config")) as f:
        assert int(re.search(r"^CONFIG_MAX_PARTITIONS=(\d+)$", f.read(), re.M).group(1)) > parts
    assert chans > 0
    sizes = _sizes(elf, {"partitions", "vuarts", "vdisks", "bells", "hyp_ends"})
    one = _sizeof(elf, ["partitions[0]", "vuarts[0]", "vdisks[0]", "bells[0]", "hyp_ends[0]"])
    for name in ("partitions", "vuarts", "vdisks"):
        assert sizes[name] == parts * one[f"{name}[0]"], (name, sizes[name], one)
    for name in ("bells", "hyp_ends"):
        assert sizes[name] == chans * one[f"{name}[0]"], (name, sizes[name], one)
    harness.run(system, timeout=60)


def test_resident_memory_of_the_default_system():
    """The default system's hypervisor occupies at most 256 KiB of memory in all: its image, .bss,
    per-core stacks and table pools (__image_start to __image_end, which the link places after the
    last of them), and every NOLOAD pool is sized by bhcc's figures for the description.

    Verifies: REQ-MEM-012
    """
    # The delivered build, also under BULKHEAD_COVERAGE: a coverage build's counters are not part of it.
    system = harness.build("default", "configs/qemu-aarch64-virt.dts", coverage=False)
    elf = os.path.join(system.out, "bulkhead.elf")
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True, check=True).stdout
    sym = {l.split()[2]: int(l.split()[0], 16) for l in nm.splitlines() if len(l.split()) == 3}
    resident = sym["__image_end"] - sym["__image_start"]
    assert resident <= 256 * 1024, f"resident memory {resident} B exceeds 256 KiB"
    # Nothing of the image lies beyond __image_end.
    hdr = subprocess.run(["aarch64-linux-gnu-readelf", "-SW", elf], capture_output=True, text=True, check=True).stdout
    for m in re.finditer(r"\]\s+(\.\S+)\s+\S+\s+([0-9a-f]{16})\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*A\S*)", hdr):
        addr, size = int(m.group(2), 16), int(m.group(3), 16)
        assert addr + size <= sym["__image_end"], m.group(1)
    pools = _sizes(elf, {"cpu_stacks", "s2_pages"})
    assert pools["cpu_stacks"] == int(system.vars["BH_NUM_CORES"]) * _sizeof(elf, ["cpu_stacks[0]"])["cpu_stacks[0]"]
    assert pools["s2_pages"] == int(system.vars["BH_S2_POOL_PAGES"]) * 4096


def test_el2_map_computed_at_build_and_walked():
    """The hypervisor's EL2 map is computed by the build (tools/el2map runs arch/arm64/mmu.c on the
    host against link 1's symbols; link 2 places it as read-only data) and the image only installs
    it: the boot code has no table builder. scripts/vmsa_walk.py, a walker that shares no code with
    the builder, accepts the finished image's tables and refuses each corrupted copy: text made
    writable, a range the hypervisor has no use for mapped, a mapped range removed. The system
    still boots.

    Verifies: REQ-BLD-032
    """
    system = harness.build("default", "configs/qemu-aarch64-virt.dts")
    elf = os.path.join(system.out, "bulkhead.elf")
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True, check=True).stdout
    sym = {l.split()[2]: int(l.split()[0], 16) for l in nm.splitlines() if len(l.split()) == 3}
    assert "arm64_early_init" not in sym and "vmsa_map" not in sym    # no table builder at all (REQ-BLD-033)
    assert sym["__text_end"] <= sym["el2_root"] < sym["__rodata_end"]
    with open(os.path.join(system.out, "gen", "el2_tables.S")) as f:
        assert f"root at {sym['el2_root']:#x}" in f.readline()
    pages = int(system.vars["BH_EL2_POOL_PAGES"])
    with open(system.image, "rb") as f:
        image = f.read()
    off = sym["el2_root"] - sym["__image_start"]

    def check(data):
        with tempfile.NamedTemporaryFile(suffix=".bin") as t:
            t.write(data)
            t.flush()
            return subprocess.run([sys.executable, os.path.join(harness.SRCTREE, "scripts", "vmsa_walk.py"),
                                   "--elf", elf, "--bin", t.name, "--report",
                                   os.path.join(system.out, "gen", "isolation.md"), "--pool-pages", str(pages)],
                                  capture_output=True, text=True, timeout=60)

    ok = check(image)
    assert ok.returncode == 0, ok.stderr
    words = [int.from_bytes(image[off + 8 * i:off + 8 * i + 8], "little") for i in range((1 + pages) * 512)]
    addr_mask = ((1 << 48) - 1) & ~0xfff

    def patched(index, value):
        return image[:off + 8 * index] + value.to_bytes(8, "little") + image[off + 8 * index + 8:]

    # The page that maps the image's first bytes (its header, in the text): made writable.
    text = [i for i, w in enumerate(words) if i >= 512 and w & 3 == 3 and w & addr_mask == sym["__image_start"]]
    assert len(text) == 1
    r = check(patched(text[0], words[text[0]] & ~(1 << 7)))
    assert r.returncode == 1 and "(text): read-only False" in r.stderr, r.stderr
    # A free root entry made a 1 GiB block: memory the hypervisor has no use for.
    free = next(i for i in range(512) if words[i] == 0)
    r = check(patched(free, (free << 30) | (1 << 10) | 1))
    assert r.returncode == 1 and "maps what the hypervisor has no use for" in r.stderr, r.stderr
    # A root entry removed: what it mapped is missing.
    used = next(i for i in range(512) if words[i] & 1)
    r = check(patched(used, 0))
    assert r.returncode == 1 and "bytes mapped" in r.stderr, r.stderr
    harness.run(system, timeout=60)


def test_stage2_tables_computed_at_build_and_walked():
    """Every partition's stage-2 tables are computed by the build (tools/el2map/s2map.c runs
    arch/arm64/stage2_build.c on the host for each partition of gen/config.c; link 2 places them:
    the roots, which the fence writes, first in .data, the tables below them last in .rodata, one
    pool) and the image only installs them: it contains no table builder. scripts/vmsa_walk.py
    accepts the finished image's tables and refuses each corrupted copy: a read-only region's page
    made writable, a free root entry made a block over the hypervisor's memory, a table entry
    removed (part of a region unmapped), a root moved out of the pool. The system still boots and
    every partition runs.

    Verifies: REQ-BLD-033
    """
    system = harness.build("s2-walk", "tests/system/configs/s2-walk.dts")
    elf = os.path.join(system.out, "bulkhead.elf")
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True, check=True).stdout
    sym = {l.split()[2]: int(l.split()[0], 16) for l in nm.splitlines() if len(l.split()) == 3}
    assert "vmsa_map" not in sym and "pt_alloc" not in sym
    pages, parts = int(system.vars["BH_S2_POOL_PAGES"]), int(system.vars["BH_NUM_PARTITIONS"])
    assert sym["__text_end"] <= sym["s2_pages"] < sym["__rodata_end"] == sym["s2_roots"]
    assert sym["s2_roots"] == sym["s2_pages"] + (pages - parts) * 4096
    with open(system.image, "rb") as f:
        image = f.read()
    report = os.path.join(system.out, "gen", "isolation.md")
    off = sym["s2_pages"] - sym["__image_start"]

    def check(data):
        with tempfile.NamedTemporaryFile(suffix=".bin") as t:
            t.write(data)
            t.flush()
            return subprocess.run([sys.executable, os.path.join(harness.SRCTREE, "scripts", "vmsa_walk.py"),
                                   "--elf", elf, "--bin", t.name, "--report", report,
                                   "--pool-pages", system.vars["BH_EL2_POOL_PAGES"], "--s2-pool-pages", str(pages)],
                                  capture_output=True, text=True, timeout=60)

    def patched(index, value):
        return image[:off + 8 * index] + value.to_bytes(8, "little") + image[off + 8 * index + 8:]

    ok = check(image)
    assert ok.returncode == 0, ok.stderr
    words = [int.from_bytes(image[off + 8 * i:off + 8 * i + 8], "little") for i in range(pages * 512)]
    roots = range((pages - parts) * 512, pages * 512)
    s2ap_w = 1 << 7
    # A leaf (block or page) that is readable but not writable: a read-only region's. Made writable.
    ro = [i for i, w in enumerate(words) if w & 1 and w & (1 << 10) and w & (1 << 6) and not w & s2ap_w]
    assert ro, "the s2-walk system has a read-only region"
    r = check(patched(ro[0], words[ro[0]] | s2ap_w))
    assert r.returncode == 1 and "rights rw" in r.stderr, r.stderr
    # A free root entry of partition 0 made a 1 GiB block over the hypervisor's first gigabyte.
    free = next(i for i in roots[:512] if words[i] == 0)
    hyp_gb = sym["__image_start"] & ~((1 << 30) - 1)
    r = check(patched(free, hyp_gb | (1 << 10) | (1 << 6) | 1))
    assert r.returncode == 1 and "maps the hypervisor's memory" in r.stderr, r.stderr
    # A table entry below the roots removed: part of a region is no longer mapped.
    used = next(i for i in range((pages - parts) * 512) if words[i] & 1)
    r = check(patched(used, 0))
    assert r.returncode == 1 and "bytes of" in r.stderr, r.stderr
    # A root's table descriptor pointing outside the pool.
    table = next(i for i in roots if words[i] & 3 == 3)
    r = check(patched(table, (words[table] & ~ADDR) | (sym["__image_start"] & ADDR)))
    assert r.returncode == 1 and "outside the pool" in r.stderr, r.stderr
    harness.run(system, timeout=60)


ADDR = ((1 << 48) - 1) & ~0xfff
