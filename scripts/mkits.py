#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes the U-Boot FIT source (bulkhead.its) of a built system: the hypervisor as the kernel and
every file of bhcc's load list (GENDIR/load.list) as a loadable sub-image with its load address and
a sha256 hash, so that `bootm` puts each one into its slot of the image store and refuses a
corrupted one.

scripts/mkits.py --template arch/arm64/bulkhead.its.in --image bulkhead.bin --link BH_HYP_LINK
    --load-list GENDIR/load.list --out bulkhead.its
"""
import argparse
import sys

from qemu import read_load_list   # bhcc's load list, one reader for QEMU and the FIT


def cells(v):
    return f"0x{v >> 32:x} 0x{v & 0xffffffff:x}"


def dts_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("template", "image", "link", "load-list", "out"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()
    entries = read_load_list(a.load_list)
    nodes, names = [], []
    for kind, part, addr, _size, file in entries:
        name = f"{kind}-{part}"
        names.append(dts_string(name))
        nodes.append(f"""\t\t{name} {{
\t\t\tdescription = {dts_string(f"partition {part}: {kind}")};
\t\t\tdata = /incbin/({dts_string(file)});
\t\t\ttype = "firmware";
\t\t\tarch = "arm64";
\t\t\tcompression = "none";
\t\t\tload = <{cells(addr)}>;
\t\t\thash-1 {{
\t\t\t\talgo = "sha256";
\t\t\t}};
\t\t}};""")
    with open(a.template) as f:
        text = f.read()
    text = text.replace("@IMAGE@", a.image).replace("@LOAD@", cells(int(a.link, 0)))
    text = text.replace("@LOADABLE_NODES@", "\n".join(nodes))
    text = text.replace("@LOADABLES@", f"\t\t\tloadables = {', '.join(names)};" if names else "")
    with open(a.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
