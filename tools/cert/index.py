#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The index page of the certification evidence: every part's verdict and
figures at the top, links to the parts. Exit status 1 when a part failed,
did not run, or left only a result older than the run (<out>/.start, written
when `make cert` or `make cert-quick` begins)."""
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
         "misra": [("current arch/arm64 findings in the PENDING format", "pending-arch.txt")],
         "mutation": [("every mutant run, as JSON", "mutation-results.json")]}


def load_part(out, name, start):
    """The part's summary; a failing one when it is missing, unreadable or
    older than the run (the part did not run this time: its old verdict is
    no evidence about these sources)."""
    path = os.path.join(out, name + ".json")
    missing = {"part": name, "title": name, "status": "fail", "figures": []}
    if not os.path.exists(path):
        return dict(missing, problems=["did not run"])
    try:
        with open(path) as f:
            part = json.load(f)
    except (OSError, ValueError) as e:
        return dict(missing, problems=[f"{path}: unreadable ({e})"])
    written = part.get("written")
    if start is None:
        return dict(part, status="fail", problems=["no start of run recorded (.start): cannot tell a fresh "
                                                   "result from an old one"] + part.get("problems", []))
    if not isinstance(written, (int, float)) or written < start:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(written)) if isinstance(written, (int, float)) \
            else "at an unknown time"
        return dict(part, status="fail", problems=[f"result written {when}, before this run began: the part "
                                                   "did not run this time (stale)"])
    return part


def read_start(out):
    """(start time, target) of the run, from <out>/.start ("<seconds> [target]"), or (None, "")."""
    try:
        with open(os.path.join(out, ".start")) as f:
            words = f.read().split()
        return float(words[0]), (" ".join(words[1:]) or "make cert")
    except (OSError, ValueError, IndexError):
        return None, ""


def configured_system(out):
    """Links to the configured system's isolation report and memory map (`make report`, in gen/
    beside this folder), when they were made: what the evidence was produced for."""
    gen = os.path.join(os.path.dirname(os.path.abspath(out)), "gen")
    found = [(name, f) for name, f in (("isolation report", "isolation.md"), ("memory map", "memory-map.svg"))
             if os.path.exists(os.path.join(gen, f))]
    if not found:
        return []
    return ["\n## The configured system\n",
            "- " + ", ".join(f"[{name}](../gen/{f})" for name, f in found)]


CAMPAIGN = os.path.join("tools", "cert", "mutation-campaign.md")


def campaign_section():
    """The kept result of the full mutation campaign (`make mutation`): its figures and its kill
    rate per requirement area, as committed; or a line saying that none is recorded. The sample
    `make cert` runs is too small to judge an area by."""
    path = os.path.join(SRCTREE, CAMPAIGN)
    head = "\n## Mutation testing: the full campaign\n"
    if not os.path.exists(path):
        return [head, f"No full campaign is recorded ({CAMPAIGN} is missing: `make mutation` writes it). "
                "The kill rate per requirement area above is the sample's only.\n"]
    with open(path) as f:
        lines = f.read().split("\n")
    when = subprocess.run(["git", "log", "-1", "--format=%cs %h", "--", CAMPAIGN], cwd=SRCTREE,
                          capture_output=True, text=True).stdout.strip() or "not committed"
    figures = [l for l in lines if l.startswith(("| Kill rate", "| Mutants run"))]
    run = [l for l in lines if l.startswith("Run: ")]
    out = [head, f"From {CAMPAIGN} (committed {when}).\n"] + run[:1] + ["", "| Figure | Value |", "|---|---|"] + \
        figures[:2] + [""]
    try:
        i = lines.index("## Kill rate per requirement area")
    except ValueError:
        return out + [f"{CAMPAIGN} has no kill rate per requirement area: regenerate it (`make mutation`).\n"]
    table = []
    for line in lines[i + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            table.append(line)
    return out + ["Kill rate per requirement area (a mutant counts in every area its code implements):\n"] + \
        table + [""]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--parts", nargs="+", required=True)
    args = ap.parse_args()

    start, target = read_start(args.out)
    parts, failed = [], []
    for p in args.parts:
        parts.append(load_part(args.out, p, start))
        if parts[-1]["status"] != "pass":
            failed.append(p)

    rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=SRCTREE, capture_output=True, text=True)
    elapsed = ""
    if start is not None:
        secs = int(time.time() - start)
        elapsed = f", `{target}` took {secs // 60} min {secs % 60} s"
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
    if "mutation" in args.parts:
        text += campaign_section()
    text.append("\n## Parts\n")
    for p in parts:
        extra = "".join(f", [{name}]({target})" for name, target in LINKS.get(p["part"], []))
        text.append(f"- [{p['title']}]({p['part']}.md){extra}")
    text.append("\n## Documents (in the source tree)\n")
    text.append("- docs/safety/safety-manual.md: assumptions of use, configuration rules, integrator duties")
    text.append("- docs/safety/coding-standard.md: MISRA C:2012 and the project's own rules")
    text.append("- docs/safety/tool-classification.md: the tools, what each can get wrong, what catches it")
    text.append("- docs/safety/deviations.md: every accepted MISRA deviation and analysis finding")
    text.append("- docs/safety/misra-compliance.md, misra-review.md: how each MISRA guideline is checked, the reviews")
    text.append("- docs/safety/integrity-target.md, hazard-analysis.md, fmea.md, ffi.md: the safety analysis")
    text.append("- docs/requirements/: the requirement catalogue")
    text += configured_system(args.out)
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
