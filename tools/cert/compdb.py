#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes a compile_commands.json (clang's JSON compilation database) from
groups of --cc COMPILER --flags "FLAGS" --srcs "SOURCES", one entry per
source: the input of tools/cert/analysis.py, and of editors."""
import argparse
import json
import os
import shlex


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dir", required=True, help="directory the compiler runs in (the source tree)")
    ap.add_argument("--cc", action="append", default=[])
    ap.add_argument("--flags", action="append", default=[])
    ap.add_argument("--srcs", action="append", default=[])
    args = ap.parse_args()
    if not (len(args.cc) == len(args.flags) == len(args.srcs)):
        ap.error("give --cc, --flags and --srcs once per group")
    entries = []
    for cc, flags, srcs in zip(args.cc, args.flags, args.srcs):
        for src in srcs.split():
            obj = "/dev/null"
            entries.append({"directory": os.path.abspath(args.dir), "file": src,
                            "arguments": [cc] + shlex.split(flags) + ["-c", src, "-o", obj]})
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(entries, f, indent=1)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
