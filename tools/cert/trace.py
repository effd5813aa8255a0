#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Requirements traceability from the test runners' own results.

Reads the requirement catalogue at both levels (tools/cert/requirements.py:
safety requirements SR-<NNN> derived from the hazards of
docs/safety/hazard-analysis.md, software requirements REQ-<AREA>-<NNN> that
refine them, revisions, statement fingerprints), the requirement IDs every
test declares (C: a "/* Verifies: ... */" comment directly above the cmocka
test function; Python: a "Verifies: ..." line in the test function's
docstring), the requirement -> code links (`Implements:` tags,
tools/cert/codelinks.py) and the results the runners wrote (cmocka XML per
unit-test program, pytest JUnit XML), and writes the matrix hazard -> safety
requirement -> software requirement -> code and tests -> result.

Gate: fails on a problem of the catalogue (a malformed or unknown ID, a
software requirement that refines no safety requirement, a safety
requirement refined by none or derived from no hazard, a hazard with neither,
a statement changed without a revision bump or not recorded), a requirement
that no test names, a test that names an unknown, malformed or outdated ID
(an old revision) or none, a failing test, a declared test that did not run,
a requirement with no passing test (a skipped test is not a pass), and a
problem of the code links.

    trace.py --results DIR --unit-map prog=tests/unit/test_prog.c ... --out DIR
    trace.py --record-fingerprints     records new requirements and revisions
"""
import argparse
import ast
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import codelinks
import requirements
from common import SRCTREE, md_table, fmt_pct, write_part
from requirements import check_reference, split_ids

C_TEST = re.compile(r"^\s*(?:static\s+)?void\s+(\w+)\s*\(\s*void\s*\*\*\s*\w*\s*\)")


def c_tests(path):
    """{function: [ids]} for every function declared with a Verifies comment,
    and the set of cmocka-shaped functions (void f(void **)) without one."""
    with open(path) as f:
        lines = f.read().split("\n")
    declared, bare = {}, set()
    for i, line in enumerate(lines):
        m = C_TEST.match(line)
        if not m:
            continue
        # The comment that ends on the line directly above.
        j = i - 1
        comment = ""
        if j >= 0 and lines[j].rstrip().endswith("*/"):
            k = j
            while k >= 0 and "/*" not in lines[k]:
                k -= 1
            comment = " ".join(l.strip().lstrip("*") if not l.strip().startswith("*/") else l.strip() for l in lines[k:j + 1])
        mv = re.search(r"Verifies:\s*(.*?)\s*\*/", comment)
        if mv:
            declared[m.group(1)] = split_ids(mv.group(1))
        elif m.group(1).startswith("test_"):
            bare.add(m.group(1))
    return declared, bare


def py_tests(path):
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    declared, bare = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node) or ""
            m = re.search(r"^\s*Verifies:\s*(.+)$", doc, re.M)
            if m:
                declared[node.name] = split_ids(m.group(1))
            else:
                bare.add(node.name)
    return declared, bare


def outcome(tc):
    tags = {c.tag for c in tc}
    if "failure" in tags:
        return "fail"
    if "error" in tags:
        return "error"
    if "skipped" in tags:
        return "skipped"
    return "pass"


def combine(a, b):
    order = ["error", "fail", "skipped", "pass"]
    return min(a, b, key=order.index) if a else b


def load_results(results_dir, unit_map, junit, problems):
    """{test id: outcome} from cmocka and pytest XML files."""
    results = {}
    for prog, src in sorted(unit_map.items()):
        path = os.path.join(results_dir, f"unit-{prog}.xml")
        if not os.path.exists(path):
            problems.append(f"no results for unit-test program '{prog}' ({path} missing: did it build and run?)")
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            problems.append(f"{path}: unreadable ({e}): the program probably crashed")
            continue
        for tc in root.iter("testcase"):
            tid = f"{src}::{tc.get('name')}"
            results[tid] = combine(results.get(tid), outcome(tc))
    for name in junit:
        path = os.path.join(results_dir, name)
        if not os.path.exists(path):
            problems.append(f"no results {path} (did pytest run?)")
            continue
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            problems.append(f"{path}: unreadable ({e})")
            continue
        for tc in root.iter("testcase"):
            cls = tc.get("classname", "")
            name = re.sub(r"\[.*\]$", "", tc.get("name", ""))
            mod = cls.split(".")
            # tests.system.test_boot[.Class] -> tests/system/test_boot.py
            while mod and not mod[-1].startswith("test_"):
                mod.pop()
            tid = "/".join(mod) + ".py::" + name
            results[tid] = combine(results.get(tid), outcome(tc))
    return results


def collect_tests(unit_map):
    """{test id: {"file", "name", "ids", "kind"}} and the tests that name no requirement."""
    tests, bare = {}, []
    for src in sorted(set(unit_map.values())):
        declared, nodecl = c_tests(os.path.join(SRCTREE, src))
        for name, ids in declared.items():
            tests[f"{src}::{name}"] = {"file": src, "name": name, "ids": ids, "kind": "unit"}
        bare += [f"{src}::{n}" for n in sorted(nodecl)]
    for path in sorted(glob.glob(os.path.join(SRCTREE, "tests", "system", "test_*.py")) +
                       glob.glob(os.path.join(SRCTREE, "tests", "cert", "test_*.py")) +
                       glob.glob(os.path.join(SRCTREE, "tests", "fuzz", "test_*.py"))):
        src = os.path.relpath(path, SRCTREE)
        declared, nodecl = py_tests(path)
        for name, ids in declared.items():
            tests[f"{src}::{name}"] = {"file": src, "name": name, "ids": ids, "kind": src.split("/")[1]}
        bare += [f"{src}::{n}" for n in sorted(nodecl)]
    return tests, bare


def trace_tests(reqs, tests, results, problems):
    """{requirement: [test ids]} of the tests that name its current revision;
    records each test's result and the problems of its declaration."""
    by_req = {rid: [] for rid, r in reqs.items() if r["level"] == "REQ"}
    for tid, t in sorted(tests.items()):
        t["result"] = results.get(tid, "not run")
        if not t["ids"]:
            problems.append(f"{tid}: empty Verifies list")
        for token in t["ids"]:
            p = check_reference(token, reqs)
            rid = token.split("~")[0]
            if p:
                problems.append(f"{tid}: {p}")
            elif rid not in by_req:
                problems.append(f"{tid}: names {rid}, a safety requirement: a test verifies the software "
                                "requirements that refine it")
            else:
                by_req[rid].append(tid)
                if reqs[rid]["withdrawn"]:
                    problems.append(f"{tid}: names withdrawn requirement {rid}")
        if t["result"] in ("fail", "error"):
            problems.append(f"{tid}: {t['result'].upper()}")
        elif t["result"] == "not run":
            problems.append(f"{tid}: declared but has no result (not registered with its runner, or its program "
                            "did not run)")
    return by_req


def ref(r):
    return r["id"] + (f"~{r['revision']}" if r["revision"] > 1 else "")


def report_body(reqs, hazards, tests, by_req, links, unpassed, args):
    soft = {rid: r for rid, r in reqs.items() if r["level"] == "REQ"}
    body = ["## Requirements with no passing test\n",
            "".join(f"- {r}: {reqs[r]['statement']}\n" for r in unpassed) or "None.\n",
            "\n## Hazard -> safety requirements\n",
            md_table(["Hazard", "Safety requirements", "Allocated to (assumptions of use)"],
                     [[f"{h['id']}: {h['title']}", ", ".join(h.get("requirements", [])) or "-",
                       ", ".join(h["allocated"]) or "-"] for h in sorted(hazards.values(), key=lambda h: h["id"])]),
            "\n## Safety requirement -> software requirements -> verdict\n"]
    rows = []
    for sid in sorted(r for r in reqs if reqs[r]["level"] == "SR"):
        subs = reqs[sid].get("refined_by", [])
        verified = subs and all(s not in unpassed for s in subs)
        rows.append([ref(reqs[sid]) + (" (withdrawn)" if reqs[sid]["withdrawn"] else ""), reqs[sid]["statement"],
                     ", ".join(reqs[sid]["hazards"]), ", ".join(subs) or "**none**",
                     "verified" if verified else "**not verified**"])
    body.append(md_table(["Safety requirement", "Statement", "Hazards", "Refined by", "Verdict"], rows))
    body.append("\n## Requirement -> code and tests -> result\n")
    rows = []
    for rid in sorted(soft, key=lambda r: (r.split("-")[1], r)):
        r = soft[rid]
        ts = "<br>".join(f"`{t}` {tests[t]['result'].upper()}" for t in by_req[rid]) or "**none**"
        code = "<br>".join(f"`{c}`" for c in links.get(rid, [])) or "-"
        rows.append([ref(r) + (" (withdrawn)" if r["withdrawn"] else ""), r["statement"],
                     ", ".join(r["refines"]), code, ts])
    body.append(md_table(["Requirement", "Statement", "Refines", "Implemented by", "Tests and results"], rows))
    body.append("\n## Test -> requirements\n")
    rows = [[f"`{tid}`", t["kind"], t["result"].upper(), ", ".join(t["ids"])] for tid, t in sorted(tests.items())]
    body.append(md_table(["Test", "Tier", "Result", "Verifies"], rows))
    body.append("\nSources: requirement catalogue docs/requirements/, hazards docs/safety/hazard-analysis.md, "
                f"fingerprints {requirements.FINGERPRINTS}, code links {codelinks.SCOPE_FILE}; results "
                f"{os.path.abspath(args.results)} (cmocka XML per unit-test program, pytest JUnit XML: "
                + ", ".join(args.junit) + ").\n")
    return "\n".join(body)


def record(reqs):
    recorded, problems = requirements.load_fingerprints()
    # A missing file is what the first recording starts from.
    problems = [p for p in problems if "is missing" not in p]
    problems += [] if problems else requirements.record_fingerprints(reqs, recorded)
    for p in problems:
        print(f"          {p}")
    print(f"  CERT    {requirements.FINGERPRINTS}: " + ("NOT WRITTEN" if problems else "recorded"))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results")
    ap.add_argument("--unit-map", nargs="*", default=[], help="program=test source, one per unit-test program")
    ap.add_argument("--junit", nargs="*", default=["system.xml", "cert.xml", "fuzz.xml"],
                    help="pytest JUnit XML files in the results folder")
    ap.add_argument("--out")
    ap.add_argument("--record-fingerprints", action="store_true",
                    help="record the statements of new requirements and new revisions, and exit")
    args = ap.parse_args()

    reqs, hazards, problems = requirements.load_catalogue()
    if args.record_fingerprints:
        sys.exit(record(reqs))
    if not args.results or not args.out:
        ap.error("--results and --out are required")
    problems += requirements.check_safety_docs(reqs, hazards)
    recorded, fp_problems = requirements.load_fingerprints()
    problems += fp_problems + requirements.check_fingerprints(reqs, recorded)
    links, link_problems = codelinks.check(reqs)
    problems += link_problems
    unit_map = dict(item.split("=", 1) for item in args.unit_map)

    tests, bare = collect_tests(unit_map)
    results = load_results(args.results, unit_map, args.junit, problems)
    for tid in sorted(results):
        if tid not in tests and tid not in bare:
            problems.append(f"{tid}: ran, but its source declares no requirements (no Verifies found)")
    for tid in bare:
        problems.append(f"{tid}: names no requirement (add a Verifies line)")
    by_req = trace_tests(reqs, tests, results, problems)

    active = [r for r in reqs.values() if r["level"] == "REQ" and not r["withdrawn"]]
    untested = [r["id"] for r in active if not by_req[r["id"]]]
    unpassed = [r["id"] for r in active if not any(tests[t]["result"] == "pass" for t in by_req[r["id"]])]
    for rid in untested:
        problems.append(f"{rid}: no test names it ({reqs[rid]['file']}:{reqs[rid]['line']})")
    for rid in unpassed:
        if rid not in untested:
            problems.append(f"{rid}: no passing test (" + ", ".join(
                f"{t} {tests[t]['result']}" for t in by_req[rid]) + ")")

    counts = {k: sum(1 for t in tests.values() if t["result"] == k)
              for k in ("pass", "fail", "error", "skipped", "not run")}
    n_soft = sum(1 for r in reqs.values() if r["level"] == "REQ")
    safety = [r for r in reqs.values() if r["level"] == "SR" and not r["withdrawn"]]
    figures = [
        ["Requirements", f"{len(active)}" + (f" (+{n_soft - len(active)} withdrawn)" if n_soft > len(active) else "")
         + f", refining {len(safety)} safety requirements from {len(hazards)} hazards"],
        ["Requirements with a passing test", fmt_pct(len(active) - len(unpassed), len(active))],
        ["Tests naming requirements", f"{len(tests)} (" + ", ".join(
            f"{sum(1 for t in tests.values() if t['kind'] == k)} {k}" for k in ("unit", "system", "fuzz", "cert")) + ")"],
        ["Test results", ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "none"],
        ["Requirements with no passing test", str(len(unpassed))],
        ["Requirements implemented by tagged code", fmt_pct(sum(1 for r in active if links.get(r["id"])), len(active))],
    ]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "traceability-matrix.json"), "w") as f:
        json.dump({"requirements": reqs, "hazards": hazards, "tests": tests, "by_requirement": by_req,
                   "code": links}, f, indent=1)
    status = "fail" if problems else "pass"
    sys.exit(write_part(args.out, "traceability", "Requirements traceability", status, figures, problems,
                        report_body(reqs, hazards, tests, by_req, links, unpassed, args)))


if __name__ == "__main__":
    main()
