#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A VMSAv8-64 table walker (4 KiB granule) that shares no code with the table builders, and the
build's check of the tables the build computed (tools/el2map: the EL2 map and every partition's
stage-2 tables).

As a module: `walk`, `check_partition` (used by tests/system/test_stage2_tables.py for the live
stage-2 tables) and `read_report` (gen/isolation.md). As a program:

    vmsa_walk.py --elf bulkhead.elf --bin bulkhead.bin --report gen/isolation.md \
        --pool-pages N --s2-pool-pages M

walks the EL2 map placed in the finished image (el2_root) and fails unless it maps exactly what
the isolation report and the image's own layout give the hypervisor: its text read-only and
executable, its read-only data read-only, its data, .bss, stacks and pools writable, every
partition's RAM and the channels it is an end of writable, the image store read-only, the
devices it owns as device memory; nothing executable but its text, nothing else at all.

It then walks each partition's stage-2 tables placed in the image (root i at s2_roots + i pages,
every table inside the pool s2_pages, M pages, the roots its last ones) and fails unless they map
every byte of the partition's regions, IPA to PA as the report gives them, with no more than the
region's rights, device regions as device memory, and nothing else: no page of the hypervisor's
region, none of another partition's RAM.
"""
import argparse
import re
import subprocess
import sys

PAGE = 4096
ENTRIES = 512
ADDR_MASK = ((1 << 48) - 1) & ~(PAGE - 1)
S1_RO = 1 << 7
XN = 1 << 54
S2AP_R, S2AP_W = 1 << 6, 1 << 7


def hex_range(text):
    lo, hi = (int(x, 16) for x in text.split("-"))
    return lo, hi + 1


def read_report(path):
    """gen/isolation.md: the hypervisor's range and, per partition, its cores and regions
    (guest-physical range, host-physical base, access rights, device or not)."""
    with open(path) as f:
        text = f.read()
    hyp = hex_range(re.search(r"^\| Hypervisor \| (0x[0-9a-f]+-0x[0-9a-f]+)", text, re.M).group(1))
    parts = {}
    for sec in re.split(r"^### ", text.split("## Partitions", 1)[1].split("## Owners", 1)[0], flags=re.M)[1:]:
        name = sec.split("\n", 1)[0].strip()
        cores = [int(c) for c in re.findall(r"core (\d+) \(MPIDR", re.search(r"^\| Cores \| (.*) \|$", sec,
                                                                              re.M).group(1))]
        regions = []
        for m in re.finditer(r"^\| `[^`]+` \| (RAM|device|channel|shared[^|]*|a disk client's RAM[^|]*) \| (0x[0-9a-f]+-0x[0-9a-f]+) \| "
                             r"(0x[0-9a-f]+-0x[0-9a-f]+) \| [^|]+ \| (r?w?x?) \|", sec, re.M):
            ipa, pa = hex_range(m.group(2)), hex_range(m.group(3))
            regions.append(dict(kind=m.group(1), ipa=ipa, pa=pa[0], access=m.group(4)))
        parts[name] = dict(cores=cores, regions=regions)
    return hyp, parts


def walk(root, start_level, pool, data):
    """Every leaf of the tables under `root`: (address, size, descriptor), and the problems found:
    a table outside the pool (`data`, the bytes at `pool`), a reserved descriptor."""
    leaves, problems, work = [], [], [(root, start_level, 0)]
    while work:
        table, level, base = work.pop()
        if not pool <= table < pool + len(data):
            problems.append(f"level {level} table at {table:#x} outside the pool "
                            f"{pool:#x}-{pool + len(data) - 1:#x}")
            continue
        span = 1 << (12 + 9 * (3 - level))
        for i in range(ENTRIES):
            off = table - pool + 8 * i
            d = int.from_bytes(data[off:off + 8], "little")
            if not d & 1:
                continue
            va = base + i * span
            if level < 3 and d & 2:
                work.append((d & ADDR_MASK, level + 1, va))
            elif level == 3 and not d & 2:
                problems.append(f"reserved level-3 descriptor {d:#x} at {va:#x}")
            else:
                leaves.append((va, span, d))
    return leaves, problems


def hypervisor_ranges(report_path, syms):
    """What the EL2 map must map: [(lo, hi, kind)], kind one of text, ro, rw, device."""
    with open(report_path) as f:
        text = f.read()
    _, parts = read_report(report_path)
    want = [(syms["__image_start"], syms["__text_end"], "text"),
            (syms["__text_end"], syms["__rodata_end"], "ro"),
            (syms["__rodata_end"], syms["__image_end"], "rw")]
    for p in parts.values():
        for r in p["regions"]:
            if r["kind"] == "RAM":
                want.append((r["pa"], r["pa"] + r["ipa"][1] - r["ipa"][0], "rw"))
    store = re.search(r"^\| (0x[0-9a-f]+-0x[0-9a-f]+) \| [^|]+ \| image store", text, re.M)
    if store:
        want.append(hex_range(store.group(1)) + ("ro",))
    # Channels whose end 0 is the hypervisor ("hypervisor", or "hypervisor (emulated UART of os)").
    for m in re.finditer(r"^\| \d+ \| [^|]+ \| [^|]+ \| (0x[0-9a-f]+-0x[0-9a-f]+) \| [^|]+ \| hypervisor[ |]", text, re.M):
        want.append(hex_range(m.group(1)) + ("rw",))
    # A GICv2's virtual CPU interface is the partitions' (at their GICC address), never the hypervisor's.
    gicv = re.search(r"^\| Interrupt controller \|.*virtual cpu interface (0x[0-9a-f]+)", text, re.M)
    devices = text.split("### Devices", 1)[1].split("\n### ", 1)[0] if "### Devices" in text else ""
    for m in re.finditer(r"^\| `[^`]+` \| [^|]+ \| ([^|]+) \| [^|]+ \| hypervisor", devices, re.M):
        for rng in m.group(1).split(","):
            lo, hi = hex_range(rng.strip())
            if gicv and lo == int(gicv.group(1), 16):
                continue
            want.append((lo & ~(PAGE - 1), (hi + PAGE - 1) & ~(PAGE - 1), "device"))
    return want


def check_el2_map(leaves, want):
    """Problems of the EL2 map's leaves against the ranges it must map (hypervisor_ranges)."""
    problems = []
    covered = {}
    for va, size, d in leaves:
        pa = d & ADDR_MASK & ~(size - 1)
        where = f"EL2 map {va:#x}-{va + size - 1:#x}"
        if pa != va:
            problems.append(f"{where}: not identity mapped (PA {pa:#x})")
        owners = [w for w in want if w[0] <= va and va + size <= w[1]]
        if not owners:
            problems.append(f"{where}: maps what the hypervisor has no use for")
            continue
        lo, hi, kind = owners[0]
        covered[(lo, hi, kind)] = covered.get((lo, hi, kind), 0) + size
        ro, xn, attr = bool(d & S1_RO), bool(d & XN), (d >> 2) & 7
        expect = {"text": (True, False, 0), "ro": (True, True, 0), "rw": (False, True, 0),
                  "device": (False, True, 1)}[kind]
        if (ro, xn, attr) != expect:
            problems.append(f"{where} ({kind}): read-only {ro}, never-execute {xn}, memory type {attr}; "
                            f"expected {expect}")
    for w in set(want):
        if w[1] > w[0] and covered.get(w, 0) != w[1] - w[0]:
            problems.append(f"{w[2]} range {w[0]:#x}-{w[1] - 1:#x}: {covered.get(w, 0):#x} of "
                            f"{w[1] - w[0]:#x} bytes mapped")
    return problems


def check_partition(name, part, leaves, hyp, pool, pool_size, others):
    """What a partition's leaves may map: its own regions, IPA to PA as described, rights within
    the region's; never the hypervisor's region (its image, stacks, table pools), never another
    partition's memory. Every byte of each region mapped."""
    problems, covered = [], {i: 0 for i in range(len(part["regions"]))}
    for ipa, size, d in leaves:
        pa = d & ADDR_MASK & ~(size - 1)
        where = f"{name}: IPA {ipa:#x}-{ipa + size - 1:#x} -> PA {pa:#x}"
        if pa < hyp[1] and hyp[0] < pa + size:
            problems.append(f"{where}: maps the hypervisor's memory {hyp[0]:#x}-{hyp[1] - 1:#x}")
        if pa < pool + pool_size and pool < pa + size:
            problems.append(f"{where}: maps the stage-2 table pool")
        owners = [i for i, r in enumerate(part["regions"]) if r["ipa"][0] <= ipa and ipa + size <= r["ipa"][1]]
        # A trusted service's window on a disk client's RAM is the one region that maps another's.
        lent = owners and part["regions"][owners[0]]["kind"].startswith("a disk client's RAM")
        for other, lo, hi in ([] if lent else others):
            if pa < hi and lo < pa + size:
                problems.append(f"{where}: maps {other}'s memory {lo:#x}-{hi - 1:#x}")
        if not owners:
            problems.append(f"{where}: in no region of the partition")
            continue
        r = part["regions"][owners[0]]
        covered[owners[0]] += size
        if pa != r["pa"] + (ipa - r["ipa"][0]):
            problems.append(f"{where}: the region maps it to {r['pa'] + ipa - r['ipa'][0]:#x}")
        rights = ("r" if d & S2AP_R else "") + ("w" if d & S2AP_W else "") + ("" if d & XN else "x")
        if not set(rights) <= set(r["access"]):
            problems.append(f"{where}: rights {rights or '-'}, the region gives {r['access']}")
        if r["kind"] == "device" and (d >> 2) & 0xf != 0x1:
            problems.append(f"{where}: device region not Device-nGnRE (MemAttr {(d >> 2) & 0xf:#x})")
    for i, r in enumerate(part["regions"]):
        if covered[i] != r["ipa"][1] - r["ipa"][0]:
            problems.append(f"{name}: region {r['ipa'][0]:#x}-{r['ipa'][1] - 1:#x} mapped for {covered[i]:#x} "
                            f"bytes of {r['ipa'][1] - r['ipa'][0]:#x}")
    return problems


def check_stage2(report_path, roots, pool, data):
    """Problems of the partitions' stage-2 tables (partition i's root at roots[i], every table
    in `data`, the pool's bytes at `pool`) against the isolation report."""
    hyp, parts = read_report(report_path)
    problems = []
    if len(roots) != len(parts):
        return [f"{len(roots)} stage-2 roots for {len(parts)} partitions"]
    for (name, part), root in zip(parts.items(), roots):
        leaves, found = walk(root, 1, pool, data)
        problems += [f"{name}: {p}" for p in found]
        others = [(o, r["pa"], r["pa"] + r["ipa"][1] - r["ipa"][0]) for o, op in parts.items() if o != name
                  for r in op["regions"] if r["kind"] == "RAM"]
        problems += check_partition(name, part, leaves, hyp, pool, len(data), others)
    return problems


def main():
    ap = argparse.ArgumentParser(description="check the EL2 map placed in the image")
    ap.add_argument("--elf", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--nm", default="aarch64-linux-gnu-nm")
    ap.add_argument("--pool-pages", type=int, required=True)
    ap.add_argument("--s2-pool-pages", type=int, help="check the stage-2 tables placed in the image too")
    a = ap.parse_args()
    nm = subprocess.run([a.nm, a.elf], capture_output=True, text=True, check=True).stdout
    syms = {f[2]: int(f[0], 16) for f in (l.split() for l in nm.splitlines()) if len(f) == 3}
    with open(a.bin, "rb") as f:
        image = f.read()
    root = syms["el2_root"]
    size = (1 + a.pool_pages) * PAGE
    off = root - syms["__image_start"]
    data = image[off:off + size]
    if len(data) != size:
        print(f"{a.bin}: the EL2 tables at {root:#x} are not in the file", file=sys.stderr)
        return 1
    leaves, problems = walk(root, 1, root, data)
    problems += check_el2_map(leaves, hypervisor_ranges(a.report, syms))
    if a.s2_pool_pages is not None:
        pool, n = syms["s2_pages"], a.s2_pool_pages
        _, parts = read_report(a.report)
        first_root = pool + (n - len(parts)) * PAGE
        off = pool - syms["__image_start"]
        s2 = image[off:off + n * PAGE]
        if syms.get("s2_roots") != first_root or len(s2) != n * PAGE:
            problems.append(f"the stage-2 roots (s2_roots) are not the last {len(parts)} of the pool's {n} pages "
                            f"at {pool:#x}, in the file")
        else:
            problems += check_stage2(a.report, [first_root + i * PAGE for i in range(len(parts))], pool, s2)
    for p in problems:
        print(f"{a.elf}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
