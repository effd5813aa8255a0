# SPDX-License-Identifier: MIT
"""`make report`'s memory map (gen/memory-map.svg, scripts/memory_map.py): the SVG parses, and
every region the isolation report lists (each partition's guest-physical regions with their host
ranges, every owner range of host memory, the shared memory, every device with its MMIO) is a box
of the picture labelled with its name and addresses, in the column it belongs to, and nothing else
is; the certification index links the picture.

The report is read here with this file's own table reader, not the script's."""
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

import harness

NS = "{http://www.w3.org/2000/svg}"
SYSTEMS = {"rpi4": "configs/rpi4.dts", "shared-memory": "tests/system/configs/shared-memory.dts"}


@pytest.fixture(scope="module", params=sorted(SYSTEMS))
def system(request):
    return harness.build(request.param, SYSTEMS[request.param])


def _report_tables(path):
    """{heading: [("header" or "row", cells)]} of the report's tables, before its ASCII picture."""
    out, heading, section = {}, None, None
    for line in open(path).read().split("## Memory map of host RAM")[0].splitlines():
        if line.startswith("## "):
            section = heading = line[3:].strip()
        elif line.startswith("### "):
            # A partition's tables are keyed by ("Partitions", name), the others by their heading.
            heading = ("Partitions", line[4:].strip()) if section == "Partitions" else line[4:].strip()
        elif re.match(r"^\|(\s*-+\s*\|)+$", line):
            continue
        elif line.startswith("| "):
            cells = [c.strip().replace("`", "") for c in line.strip("|").split("|")]
            if cells[0] in ("Region", "Property", "Host-physical range", "Device", "Item", "Core", "Id",
                            "Interrupt", "Disk"):
                out.setdefault(heading, []).append(("header", cells))
            else:
                out.setdefault(heading, []).append(("row", cells))
    return out


def _region_rows(rows):
    """The rows of a partition's region table (the one after the "Region" header)."""
    inside, out = False, []
    for kind, cells in rows:
        if kind == "header":
            inside = cells[0] == "Region"
        elif inside:
            out.append(cells)
    return out


def _boxes(svg, ident):
    group = [g for g in svg.iter(f"{NS}g") if g.get("id") == ident]
    assert len(group) == 1, f"no column {ident}"
    return [[t.text for t in box.iter(f"{NS}text")] for box in group[0].iter(f"{NS}g")
            if box.get("class") == "region"]


def _has(boxes, *parts):
    return any(all(any(p in line for line in box) for p in parts) for box in boxes)


def test_memory_map_names_every_region_of_the_report(system):
    """`make report` writes gen/memory-map.svg beside gen/isolation.md; every region of the report
    is a box of the picture with its name and its addresses.

    Verifies: REQ-CFG-064
    """
    r = subprocess.run(["make", "-C", harness.SRCTREE, f"O={system.out}", f"SYSTEM={SYSTEMS[system.name]}",
                        f"NEWLIB_DIR={harness.NEWLIB}", "report"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:]
    gen = os.path.join(system.out, "gen")
    svg_path = os.path.join(gen, "memory-map.svg")
    assert f"memory map: {svg_path}" in r.stdout
    svg = ET.parse(svg_path).getroot()
    assert svg.tag == f"{NS}svg"
    report = _report_tables(os.path.join(gen, "isolation.md"))
    partitions = [h[1] for h in report if isinstance(h, tuple)]
    assert partitions, "the report lists no partition"
    for p in partitions:
        regions = _region_rows(report[("Partitions", p)])
        boxes = _boxes(svg, f"partition-{p}")
        assert len(boxes) == len(regions), f"{p}: {len(boxes)} boxes for {len(regions)} regions"
        for name, _kind, guest, host, *_rest in regions:
            assert _has(boxes, name, f"guest {guest}", f"host {host}"), f"{p}: {name} {guest} {host} not drawn"
    host = _boxes(svg, "host")
    owners = [c for k, c in report["Host memory"] if k == "row"]
    shared = [c for k, c in report.get("Shared memory", []) if k == "row"]
    assert len(host) == len(owners) + len(shared)
    for rng, _size, owner in owners:
        assert _has(host, owner, f"host {rng}"), f"host memory {rng} ({owner}) not drawn"
    for name, rng, *_rest in shared:
        assert _has(host, name, f"host {rng}"), f"shared memory {name} not drawn"
    devices = _boxes(svg, "devices")
    rows = [c for k, c in report["Devices"] if k == "row"]
    assert len(devices) == len(rows)
    for name, _compat, mmio, *_rest in rows:
        assert _has(devices, name, f"mmio {mmio}"), f"device {name} not drawn"


def test_certification_index_links_the_memory_map(system, tmp_path):
    """The certification index links the configured system's isolation report and memory map.

    Verifies: REQ-CFG-064
    """
    out = os.path.join(system.out, "cert")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["make", "-C", harness.SRCTREE, f"O={system.out}", f"SYSTEM={SYSTEMS[system.name]}",
                    f"NEWLIB_DIR={harness.NEWLIB}", os.path.join(system.out, "gen", "memory-map.svg")],
                   check=True, stdout=subprocess.PIPE)
    subprocess.run(["/usr/bin/python3", os.path.join(harness.SRCTREE, "tools", "cert", "index.py"), "--out", out,
                    "--parts", "none"], stdout=subprocess.PIPE)
    index = open(os.path.join(out, "index.md")).read()
    assert "[memory map](../gen/memory-map.svg)" in index and "[isolation report](../gen/isolation.md)" in index
