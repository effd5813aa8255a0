# SPDX-License-Identifier: MIT
"""Board descriptions of boards without a QEMU model, checked against the vendor's published Linux
device tree for the same board (docs/boards.md). The facts were copied from Linux's .dts/.dtsi files
into tests/system/board_facts/<board>.json, each with its source (repository, path, commit); this
test compiles the board's default system description as the build does (cpp, dtc) and compares:
the board's compatible, its cores, the GIC, every described device's compatible, address window
(Linux's bus address translated through its `ranges`, rounded out to the 4 KiB pages stage 2 maps)
and interrupts (Linux's GIC_SPI n and GIC_PPI n as INTIDs), the memory, and the console.

Only a board confirms that the hardware is what its Linux device tree says."""
import json
import os
import re
import subprocess

import pytest

import harness

FACTS = os.path.join(os.path.dirname(__file__), "board_facts")
BOARDS = sorted(f[:-5] for f in os.listdir(FACTS) if f.endswith(".json"))
PAGE = 0x1000


def _int(v):
    return int(v, 0) if isinstance(v, str) else v


class Description:
    """A compiled system description, read with fdtget."""

    def __init__(self, dtb):
        self.dtb = dtb

    def _get(self, *args):
        r = subprocess.run(["fdtget"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return r.stdout.strip() if r.returncode == 0 else None

    def exists(self, node):
        return self._get("-l", self.dtb, node) is not None

    def children(self, node):
        return (self._get("-l", self.dtb, node) or "").split()

    def cells(self, node, prop):
        out = self._get("-t", "x", self.dtb, node, prop)
        return [int(x, 16) for x in out.split()] if out else []

    def strings(self, node, prop):
        out = self._get("-t", "s", self.dtb, node, prop)
        return out.split() if out else []

    def windows(self, node):
        """(base, size) of each reg entry: 2 address and 2 size cells, as every board node here has."""
        c = self.cells(node, "reg")
        assert len(c) % 4 == 0, f"{node}: reg is not <addr-hi addr-lo size-hi size-lo>..."
        return [((c[i] << 32) | c[i + 1], (c[i + 2] << 32) | c[i + 3]) for i in range(0, len(c), 4)]


@pytest.fixture(scope="module", params=BOARDS)
def board(request, tmp_path_factory):
    facts = json.load(open(os.path.join(FACTS, request.param + ".json")))
    src = os.path.join(harness.SRCTREE, facts["system"])
    out = tmp_path_factory.mktemp(request.param)
    pp, dtb = str(out / "system.dts.pp"), str(out / "system.dtb")
    subprocess.run(["cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-I", "configs", "-I", "include",
                    src, "-o", pp], cwd=harness.SRCTREE, check=True)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, pp], check=True)
    return request.param, facts, Description(dtb)


def _cpu_address(facts, bus, size):
    """Linux's bus address translated through the board's ranges to the cores' physical address."""
    for r in facts["ranges"]:
        b, c, s = _int(r["bus"]), _int(r["cpu"]), _int(r["size"])
        if b <= bus and bus + size <= b + s:
            return c + (bus - b)
    raise AssertionError(f"{bus:#x}: in none of the recorded ranges")


def _intid(spec):
    kind, n = spec.split()
    return int(n) + {"GIC_SPI": 32, "GIC_PPI": 16}[kind]


def test_every_fact_names_its_source(board):
    """Each recorded fact names one of the recorded Linux files, each a repository, a path and a
    commit, so that anyone can read the same text again.

    Verifies: REQ-BRD-007
    """
    _name, facts, _d = board
    for key, s in facts["sources"].items():
        assert s["repository"] == "torvalds/linux" and s["path"].endswith(key), s
        assert re.fullmatch(r"[0-9a-f]{40}", s["commit"]), s
    named = [facts["compatible"], facts["memory"], facts["cpus"], facts["gic"], facts["console"]] + facts["devices"]
    for fact in named:
        assert any(k in fact["source"] for k in facts["sources"]), fact
    for r in facts["ranges"]:
        assert any(k in r["source"] for k in facts["sources"]), r


def test_board_cores_and_gic_match_linux(board):
    """The board's compatible strings, its cores' MPIDRs and its GIC (compatible, and every register
    window at Linux's address translated to the cores' view) are those of Linux's device tree.

    Verifies: REQ-BRD-007
    """
    _name, facts, d = board
    assert d.strings("/board", "compatible") == facts["compatible"]["value"]
    regs = [d.cells(f"/board/cpus/{c}", "reg")[0] for c in d.children("/board/cpus")]
    assert sorted(regs) == facts["cpus"]["reg"]
    gic = facts["gic"]
    assert gic["compatible"] in d.strings(gic["node"], "compatible")
    want = [(_cpu_address(facts, _int(a), _int(s)), _int(s)) for a, s in gic["reg"]]
    assert d.windows(gic["node"]) == want


def test_devices_match_linux(board):
    """Every device of the facts is described: its compatible, the 4 KiB pages around Linux's
    register window (translated to the cores' view) and Linux's interrupts as INTIDs; a device
    that shares another's page is covered by that node, its interrupts among the node's.

    Verifies: REQ-BRD-008
    """
    _name, facts, d = board
    for dev in facts["devices"]:
        node = dev["node"]
        assert d.exists(node), f"{dev['linux']}: {node} is not in the description"
        addr = _cpu_address(facts, _int(dev["reg"][0]), _int(dev["reg"][1]))
        end = addr + _int(dev["reg"][1])
        lo, hi = addr & ~(PAGE - 1), (end + PAGE - 1) & ~(PAGE - 1)
        assert d.windows(node) == [(lo, hi - lo)], f"{dev['linux']}: {node} is not its pages {lo:#x}..{hi:#x}"
        intids = [_intid(i) for i in dev["interrupts"]]
        if "shares" in dev:
            assert set(intids) <= set(d.cells(node, "interrupts")), dev
        else:
            assert dev["compatible"] in d.strings(node, "compatible"), dev
            assert d.cells(node, "interrupts") == intids, f"{dev['linux']}: {node} has other interrupts"


def _ranges_less(ranges, holes):
    out = []
    for base, size in sorted(ranges):
        pieces = [(base, base + size)]
        for hb, hs in holes:
            pieces = [p for lo, hi in pieces
                      for p in ((lo, min(hi, hb)), (max(lo, hb + hs), hi)) if p[0] < p[1]]
        out += pieces
    return out


def test_memory_and_console_match_linux(board):
    """The described memory is the board's: exactly its memory less the regions Linux's device tree
    reserves as no-map (the i.MX8MP DSP's), or, where the firmware fills the memory node in (the
    Raspberry Pi), below every peripheral window. The hypervisor's console is the UART the board's
    Linux device tree names as its console, where the description uses that one.

    Verifies: REQ-BRD-008
    """
    _name, facts, d = board
    mem = [w for n in d.children("/board") if n.startswith("memory@") for w in d.windows(f"/board/{n}")]
    assert mem
    m = facts["memory"]
    if "reg" in m:
        want = _ranges_less([(_int(a), _int(s)) for a, s in m["reg"]],
                            [(_int(a), _int(s)) for a, s in m.get("reserved_no_map", [])])
        assert sorted((b, b + s) for b, s in mem) == want
    else:
        lowest = min(_int(r["cpu"]) for r in facts["ranges"])
        assert all(b + s <= lowest for b, s in mem), f"memory reaches the peripherals at {lowest:#x}"
    c = facts["console"]
    if "node" in c:
        hyp = [n for n in d.children("/") if n.startswith("hypervisor@")][0]
        phandle = d.cells(f"/{hyp}", "console")[0]
        assert d.cells(c["node"], "phandle") == [phandle], f"the hypervisor's console is not {c['node']}"
