#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Per-function complexity (pmccabe) against the limits in
tools/cert/complexity-limits.txt.

Scope: every C source and header of core/, arch/arm64/, arch/x86/ (its common code and both vendor
back ends, svm/ and vmx/), partitions/runtime/,
include/bulkhead/, tools/configc/ and its back ends. Gate: a function above a limit that
the limits file does not accept, or above the value it accepts; an accepted
exception that names no function measured (a misspelt or stale name would
accept nothing); a function pmccabe cannot name.
"""
import argparse
import glob
import os
import re
import sys

from common import SRCTREE, md_table, pmccabe, write_part

LIMITS = os.path.join(SRCTREE, "tools", "cert", "complexity-limits.txt")
SCOPE = ("core", "core/include", "arch/arm64", "arch/arm64/include", "arch/x86", "arch/x86/include",
         "arch/x86/svm", "arch/x86/vmx", "partitions/runtime",
         "partitions/runtime/include", "partitions/runtime/arm64", "partitions/runtime/arm64/include",
         "include/bulkhead", "tools/configc", "tools/configc/arm64", "partitions/service", "partitions/service/arm64")
METRICS = ("cyclomatic", "statements", "lines")
# What pmccabe calls a function when it misreads a declaration.
NOT_A_NAME = {"__attribute__", "__attribute", "__asm__", "asm", "static", "inline", "extern", "const",
              "volatile", "struct", "union", "enum", "if", "for", "while", "switch", "return", "sizeof"}


def load_limits(path):
    limits, accepted, problems = {}, {}, []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            w = line.split(None, 4)
            if w[0] == "limit" and len(w) == 3 and w[1] in METRICS and w[2].isdigit():
                limits[w[1]] = int(w[2])
            elif w[0] == "except" and len(w) == 5 and w[2] in METRICS and w[3].isdigit():
                accepted[(w[1], w[2])] = (int(w[3]), w[4])
            else:
                problems.append(f"{os.path.relpath(path, SRCTREE)}:{n}: cannot read '{line}'")
    for m in METRICS:
        if m not in limits:
            problems.append(f"no limit for {m}")
    return limits, accepted, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limits", default=LIMITS)
    ap.add_argument("--files", nargs="*", help="instead of the default scope (paths relative to the source tree)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    limits, accepted, problems = load_limits(args.limits)
    files = args.files or sorted(os.path.relpath(p, SRCTREE) for d in SCOPE
                                 for p in glob.glob(os.path.join(SRCTREE, d, "*.[ch]")))
    rows = pmccabe(files)
    funcs = []
    over = []
    used = set()
    for mod, trad, stmts, first, nlines, path, defline, name in rows:
        key = f"{path}:{name}"
        if name in NOT_A_NAME or not re.match(r"^[A-Za-z_]\w*$", name):
            problems.append(f"{path}({defline}): pmccabe names this function '{name}': its limits and "
                            "exceptions cannot be kept by name")
        vals = {"cyclomatic": mod, "statements": stmts, "lines": nlines}
        funcs.append((key, vals, trad))
        for m in METRICS:
            if m in limits and vals[m] > limits[m]:
                acc = accepted.get((key, m))
                if acc:
                    used.add((key, m))
                if acc and vals[m] <= acc[0]:
                    over.append([key, m, str(vals[m]), str(limits[m]), f"accepted up to {acc[0]}: {acc[1]}"])
                else:
                    over.append([key, m, str(vals[m]), str(limits[m]), "**not accepted**"])
                    problems.append(f"{path}({defline}): {name}: {m} {vals[m]} > {limits[m]}" +
                                    (f" (accepted only up to {acc[0]})" if acc else ""))
    measured = {k for k, _, _ in funcs}
    for (k, m), (value, _) in sorted(accepted.items()):
        if k not in measured:
            problems.append(f"{os.path.relpath(args.limits, SRCTREE)}: exception '{k} {m} {value}' names no "
                            "function measured (the function is file:name as in the source)")
    stale = [f"{k}:{m}" for (k, m) in accepted if (k, m) not in used and k in measured]

    figures = [["Functions measured", str(len(funcs))],
               ["Limits", ", ".join(f"{m} {limits.get(m, '?')}" for m in METRICS)],
               ["Functions above a limit", str(len({r[0] for r in over}))],
               ["... of them not accepted (gate)", str(len({r[0] for r in over if 'not accepted' in r[4]}))]]
    top = sorted(funcs, key=lambda f: (-f[1]["cyclomatic"], -f[1]["statements"]))[:20]
    body = ["Tool: pmccabe (cyclomatic = its modified McCabe figure, a switch counting once; the traditional "
            "figure, every case counting, is shown beside it). Limits and accepted exceptions: "
            "tools/cert/complexity-limits.txt.\n",
            "## Functions above a limit\n",
            md_table(["Function", "Metric", "Value", "Limit", "Status"], over) if over else "None.\n",
            "\n## The 20 most complex functions\n",
            md_table(["Function", "Cyclomatic", "Traditional", "Statements", "Lines"],
                     [[k, str(v["cyclomatic"]), str(t), str(v["statements"]), str(v["lines"])] for k, v, t in top])]
    if stale:
        body.insert(1, "Accepted exceptions no longer needed (remove them): " + ", ".join(stale) + "\n")
    sys.exit(write_part(args.out, "complexity", "Complexity", "fail" if problems else "pass", figures, problems,
                        "\n".join(body)))


if __name__ == "__main__":
    main()
