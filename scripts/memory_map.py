#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Draws the memory map of a built system as SVG, beside its isolation report (`make report`):
a column of the host-physical memory (the hypervisor, each partition's RAM, the channels, the
shared memory, the image store, what is free), a column of the board's devices with their
owners, and a column per partition of its guest-physical regions, each with the host range
behind it. Every box is labelled with the report's own names and addresses, in address order;
boxes are not to scale (a 4 KiB channel page and a GiB of RAM would not both be legible).

The picture is drawn from gen/isolation.md, bhcc's report, so the two cannot disagree: a region
is in the picture because, and as, the report lists it.

scripts/memory_map.py --report GENDIR/isolation.md --out GENDIR/memory-map.svg
"""
import argparse
import re
import sys
from xml.sax.saxutils import escape

COL_W = 440
BOX_H = 58
GAP = 6
TOP = 70
COLOURS = {"RAM": "#cfe2f3", "device": "#fce5cd", "channel": "#d9ead3", "shared": "#e4d7f5",
           "hypervisor": "#d9d9d9", "image store": "#fff2cc", "free": "#ffffff"}


def tables(text):
    """{(section, subsection): [table rows as lists of cells]}, the header row first, for every
    Markdown table of the report; a subsection holding two tables gets both, one after the other."""
    out = {}
    section = sub = ""
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced      # the report's ASCII picture: no tables in it
        elif fenced:
            continue
        elif line.startswith("## "):
            section, sub = line[3:].strip(), ""
        elif line.startswith("### "):
            sub = line[4:].strip()
        elif line.startswith("|") and not re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.setdefault((section, sub), []).append(cells)
    return out


def rows_under(rows, first):
    """The rows of the table whose header's first cell is `first` (without the header)."""
    found, out = False, []
    for r in rows:
        if r[0] == first:
            found, out = True, []
            continue
        if found and r[0] in ("Property", "Region") and r[0] != first:
            break
        if found:
            out.append(r)
    return out


def plain(cell):
    return cell.replace("`", "")


def model(text):
    """What the picture shows: (title, host boxes, device boxes, {partition: region boxes}); each box
    (kind, label lines)."""
    t = tables(text)
    m = re.search(r"^# (.*)$", text, re.M)
    title = m.group(1) if m else "Memory map"
    host = []
    for rng, size, owner in (r[:3] for r in t.get(("Owners", "Host memory"), [])[1:]):
        o = plain(owner)
        kind = ("hypervisor" if o.startswith("hypervisor") else "channel" if o.startswith("channel")
                else "image store" if o.startswith("image store") else "free" if o == "free"
                else "shared" if o.startswith("shared") else "RAM")
        host.append((kind, [o, f"host {rng}", size]))
    for r in t.get(("Owners", "Shared memory"), [])[1:]:
        host.append(("shared", [plain(r[0]), f"host {r[1]}", f"{r[2]}: written by {r[3]}"]))
    devices = []
    for r in t.get(("Owners", "Devices"), [])[1:]:
        devices.append(("device", [plain(r[0]), f"mmio {r[2]}", f"owner: {r[4]}, interrupts {r[3]}"]))
    parts = {}
    for (section, sub), rows in t.items():
        if section != "Partitions":
            continue
        regions = []
        for r in rows_under(rows, "Region"):
            name, kind, guest, hostr, size, access = r[:6]
            kind = kind if kind in COLOURS else "shared" if kind.startswith("shared") else "RAM"
            regions.append((kind, [plain(name), f"guest {guest}", f"host {hostr}, {size} {access}"]))
        parts[sub] = regions
    return title, host, devices, parts


def start_of(box):
    m = re.search(r"0x[0-9a-f]+", box[1][1])
    return int(m.group(0), 16) if m else 0


def column(x, heading, boxes, ident):
    out = [f'<g id="{escape(ident)}">',
           f'<text x="{x}" y="{TOP - 16}" font-weight="bold">{escape(heading)}</text>']
    for i, (kind, lines) in enumerate(sorted(boxes, key=start_of)):
        y = TOP + i * (BOX_H + GAP)
        out.append(f'<g class="region" data-kind="{escape(kind)}">')
        out.append(f'<rect x="{x}" y="{y}" width="{COL_W - 20}" height="{BOX_H}" fill="{COLOURS[kind]}" '
                   f'stroke="#555"/>')
        for j, line in enumerate(lines):
            weight = ' font-weight="bold"' if j == 0 else ""
            out.append(f'<text x="{x + 6}" y="{y + 16 + j * 16}"{weight}>{escape(line)}</text>')
        out.append("</g>")
    out.append("</g>")
    return out


def svg(title, host, devices, parts):
    cols = [("Host-physical memory", host, "host"), ("Devices", devices, "devices")]
    cols += [(f"Partition {p}: guest-physical", regions, f"partition-{p}") for p, regions in parts.items()]
    height = TOP + max(len(b) for _h, b, _i in cols) * (BOX_H + GAP) + 40
    width = len(cols) * COL_W + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="12">',
           f'<title>{escape(title)}</title>',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="24" font-size="16" font-weight="bold">{escape(title)}</text>']
    for i, (heading, boxes, ident) in enumerate(cols):
        out += column(10 + i * COL_W, heading, boxes, ident)
    legend_y = height - 14
    for i, (kind, colour) in enumerate(COLOURS.items()):
        out.append(f'<rect x="{10 + i * 110}" y="{legend_y - 10}" width="12" height="12" fill="{colour}" '
                   f'stroke="#555"/><text x="{26 + i * 110}" y="{legend_y}">{escape(kind)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    with open(a.report) as f:
        title, host, devices, parts = model(f.read())
    if not host or not parts:
        print(f"{a.report}: no host memory or partition table found: not an isolation report?", file=sys.stderr)
        return 1
    with open(a.out, "w") as f:
        f.write(svg(title, host, devices, parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
