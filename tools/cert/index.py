#!/usr/bin/python3
"""The index page of the certification evidence: every part's verdict and
figures at the top, links to the parts. Exit status 1 when a part failed or
did not run."""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time

from common import SRCTREE, md_table

LINKS = {"coverage": [("line-by-line report", "coverage/index.html")],
         "traceability": [("matrix as JSON", "traceability-matrix.json")],
         "misra": [("current arch/arm64 findings in the PENDING format", "pending-arch.txt")]}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--parts", nargs="+", required=True)
    args = ap.parse_args()

    parts, failed = [], []
    for p in args.parts:
        path = os.path.join(args.out, p + ".json")
        if os.path.exists(path):
            with open(path) as f:
                parts.append(json.load(f))
        else:
            parts.append({"part": p, "title": p, "status": "fail", "figures": [], "problems": ["did not run"]})
        if parts[-1]["status"] != "pass":
            failed.append(p)

    rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=SRCTREE, capture_output=True, text=True)
    start = os.path.join(args.out, ".start")
    elapsed = ""
    if os.path.exists(start):
        secs = int(time.time()) - int(open(start).read().strip() or 0)
        elapsed = f", `make cert` took {secs // 60} min {secs % 60} s"
    verdict = "PASS" if not failed else "FAIL (" + ", ".join(failed) + ")"
    text = ["# Bulkhead certification evidence\n",
            f"Verdict: **{verdict}**. Source {rev.stdout.strip() or 'unknown'}, generated "
            f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}{elapsed}.\n",
            "## Figures\n"]
    rows = []
    for p in parts:
        figs = "<br>".join(f"{n}: {v}" for n, v in p["figures"]) or "-"
        verdict_cell = "PASS" if p["status"] == "pass" else f"**FAIL** ({len(p['problems'])} problem(s))"
        rows.append([f"[{p['title']}]({p['part']}.md)", verdict_cell, figs])
    text.append(md_table(["Part", "Gate", "Figures"], rows))
    text.append("\n## Parts\n")
    for p in parts:
        extra = "".join(f", [{name}]({target})" for name, target in LINKS.get(p["part"], []))
        text.append(f"- [{p['title']}]({p['part']}.md){extra}")
    text.append("\n## Documents (in the source tree)\n")
    text.append("- docs/safety/safety-manual.md: assumptions of use, configuration rules, integrator duties")
    text.append("- docs/safety/coding-standard.md: MISRA C:2012 and the project's own rules")
    text.append("- docs/safety/tool-classification.md: the tools, what each can get wrong, what catches it")
    text.append("- docs/safety/deviations.md: every accepted MISRA deviation and analysis finding")
    text.append("- docs/requirements/: the requirement catalogue")
    if failed:
        text.append("\n## Gate failures\n")
        for p in parts:
            for prob in p["problems"][:30]:
                text.append(f"- {p['part']}: {prob}")
            if len(p["problems"]) > 30:
                text.append(f"- {p['part']}: ... {len(p['problems']) - 30} more in {p['part']}.md")
    with open(os.path.join(args.out, "index.md"), "w") as f:
        f.write("\n".join(text) + "\n")
    print(f"  CERT    {os.path.join(args.out, 'index.md')}: {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
