# SPDX-License-Identifier: MIT
"""Every partition's live stage-2 tables, read from the host and walked by the test, not by the
hypervisor: QEMU runs the system with its gdb server; once every partition runs, gdb stops it and
reads each core's VTTBR_EL2 and VTCR_EL2 and the stage-2 table pool from physical memory. The walk
here checks the tables against what bhcc reported for the description (gen/isolation.md: the
hypervisor's region, each partition's regions with their rights) and against the pool the image
holds (the symbol s2_pages, BH_S2_POOL_PAGES pages)."""
import os
import re
import socket
import subprocess
import tempfile
import threading
import time

import harness
from vmsa_walk import ADDR_MASK, PAGE, check_partition, read_report, walk  # noqa: E402  (scripts/vmsa_walk.py: the walker the build checks the tables with)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def symbol(elf, name):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-S", elf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[3] == name:
            return int(f[0], 16), int(f[1], 16)
    raise AssertionError(f"{elf}: no symbol {name}")


def read_live_state(system, cores, pool, pool_size, timeout=60):
    """Boots `system` with QEMU's gdb server, waits until every partition printed a tick, stops it
    and returns ({core: (VTTBR_EL2, VTCR_EL2)}, the pool's bytes, the console so far)."""
    port = free_port()
    args = system.qemu_command() + ["-gdb", f"tcp:127.0.0.1:{port}"]
    q = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    lines, ticking = [], set()
    reader = threading.Thread(target=lambda: [lines.append(l.rstrip("\n")) for l in q.stdout], daemon=True)
    reader.start()
    try:
        names = system.vars["BH_PARTITIONS"].split()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(
                any(l.startswith(f"[{n}] tick ") for l in list(lines)) for n in names):
            time.sleep(0.1)
        assert time.monotonic() < deadline, "not every partition ran:\n" + "\n".join(lines)
        with tempfile.TemporaryDirectory() as tmp:
            dump = os.path.join(tmp, "pool.bin")
            cmds = ["set architecture aarch64", "set pagination off", f"target remote 127.0.0.1:{port}"]
            for c in cores:
                cmds += [f"thread {c + 1}", 'printf "core %d VTTBR %lx VTCR %lx\\n", ' + str(c) +
                         ", $VTTBR_EL2, $VTCR_EL2"]
            # Physical addresses from here on, whatever the stopped cores' translation regimes.
            cmds += ["maint packet Qqemu.PhyMemMode:1",
                     f"dump binary memory {dump} {pool:#x} {pool + pool_size:#x}", "kill"]
            g = subprocess.run(["gdb-multiarch", "-nx", "-batch"] + [a for c in cmds for a in ("-ex", c)],
                               capture_output=True, text=True, timeout=60)
            regs = {int(m.group(1)): (int(m.group(2), 16), int(m.group(3), 16))
                    for m in re.finditer(r"^core (\d+) VTTBR ([0-9a-f]+) VTCR ([0-9a-f]+)$", g.stdout, re.M)}
            assert set(regs) == set(cores), g.stdout + g.stderr
            with open(dump, "rb") as f:
                data = f.read()
            assert len(data) == pool_size, g.stdout + g.stderr
        return regs, data, lines
    finally:
        q.kill()
        q.wait()


def test_live_stage2_tables_map_only_each_partitions_regions():
    """Read from the host while every partition runs (QEMU stopped through its gdb server), the
    stage-2 tables each core uses (its VTTBR_EL2, walked from its VTCR_EL2's start level) are
    made only of pool pages, map every byte of the partition's regions to the host addresses and
    with no more than the rights the description gives (device regions as device memory), and map
    nothing else: no page of the hypervisor's region (image, stacks, table pools), none of another
    partition's memory. Each running core's VMID is its partition's, and no two partitions share a
    root.

    Verifies: REQ-MEM-002, REQ-MEM-001, REQ-MEM-003, REQ-MEM-006
    """
    system = harness.build("s2-walk", "tests/system/configs/s2-walk.dts")
    hyp, parts = read_report(os.path.join(system.out, "gen", "isolation.md"))
    names = system.vars["BH_PARTITIONS"].split()
    assert list(parts) == names and all(p["regions"] for p in parts.values()), parts
    assert any(r["kind"] == "device" for p in parts.values() for r in p["regions"])
    assert any(r["access"] == "r" for p in parts.values() for r in p["regions"])
    pool, pool_size = symbol(os.path.join(system.out, "bulkhead.elf"), "s2_pages")
    assert pool_size == int(system.vars["BH_S2_POOL_PAGES"]) * PAGE
    assert hyp[0] <= pool and pool + pool_size <= hyp[1]
    cores = sorted(c for p in parts.values() for c in p["cores"])
    regs, data, lines = read_live_state(system, cores, pool, pool_size)

    problems, roots = [], {}
    for index, name in enumerate(names):
        part = parts[name]
        vttbrs = {regs[c][0] for c in part["cores"] if regs[c][0] != 0}
        assert vttbrs, f"{name}: no core of it runs a guest"
        assert len(vttbrs) == 1, f"{name}: its cores use different tables {sorted(map(hex, vttbrs))}"
        vttbr = vttbrs.pop()
        assert vttbr >> 48 == index + 1, f"{name}: VMID {vttbr >> 48}, not {index + 1}"
        root = vttbr & ADDR_MASK
        roots[name] = root
        vtcr = regs[part["cores"][0]][1]
        t0sz, sl0 = vtcr & 0x3f, (vtcr >> 6) & 3
        assert t0sz == 25 and sl0 == 1, f"VTCR_EL2 {vtcr:#x}: not the 39-bit IPA space from level 1"
        leaves, found = walk(root, 2 - sl0, pool, data)   # 4 KiB granule: SL0 1 starts at level 1
        problems += [f"{name}: {p}" for p in found]
        others = [(o, r["pa"], r["pa"] + r["ipa"][1] - r["ipa"][0]) for o, op in parts.items() if o != name
                  for r in op["regions"] if r["kind"] == "RAM"]
        problems += check_partition(name, part, leaves, hyp, pool, pool_size, others)
    assert len(set(roots.values())) == len(roots), roots
    assert not problems, "\n".join(problems)
