#!/usr/bin/python3
"""Requirements traceability from the test runners' own results.

Reads the requirement catalogue (docs/requirements/*.md, headings
"## REQ-<AREA>-<NNN>: statement"; any other line that mentions a requirement
ID must name one the catalogue defines), the requirement IDs every test declares
(C: a "/* Verifies: ... */" comment directly above the cmocka test function;
Python: a "Verifies: ..." line in the test function's docstring) and the
results the runners wrote (cmocka XML per unit-test program, pytest JUnit
XML), and writes a two-way matrix.

Gate: fails on a requirement that no test names, a test that names an
unknown or malformed ID, a test that names none, a failing test, a declared
test that did not run, and a requirement with no passing test (a skipped
test is not a pass).

    trace.py --results DIR --unit-map prog=tests/unit/test_prog.c ... --out DIR
"""
import argparse
import ast
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

from common import SRCTREE, md_table, fmt_pct, pct, write_part

REQ_HEADING = re.compile(r"^## (REQ-[A-Z]+-\d{3}): (.+?)\s*$")
REQ_ID = re.compile(r"^REQ-[A-Z]+-\d{3}$")
# Anything that looks like a requirement ID, well-formed or not.
REQ_MENTION = re.compile(r"\bREQ-[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*", re.I)
# A Markdown heading (up to three spaces of indentation; four make a code block).
MD_HEADING = re.compile(r"^ {0,3}#")


def load_requirements():
    """The catalogue: {id: requirement} and the problems found in it.

    No line that mentions a requirement ID is ignored: a heading that names
    one must be exactly "## REQ-<AREA>-<NNN>: statement", and any other
    mention must name a requirement the catalogue defines (a requirement
    written with a wrong heading would otherwise vanish from the gate)."""
    reqs = {}
    problems = []
    mentions = []
    paths = sorted(glob.glob(os.path.join(SRCTREE, "docs", "requirements", "*.md")))
    for path in paths:
        relpath = os.path.relpath(path, SRCTREE)
        defines = os.path.basename(path) != "README.md"
        cur = None
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                ids = REQ_MENTION.findall(line)
                m = REQ_HEADING.match(line)
                if m and defines:
                    rid = m.group(1)
                    if rid in reqs:
                        problems.append(f"{relpath}:{n}: {rid} defined twice")
                    cur = {"id": rid, "statement": m.group(2), "file": relpath, "line": n, "withdrawn": False}
                    reqs[rid] = cur
                    continue
                if MD_HEADING.match(line):
                    cur = None
                    if ids or re.search(r"\bREQ\b", line, re.I):
                        where = "a requirement heading" if defines else ("a requirement heading outside an "
                                                                         "area file (docs/requirements/<area>.md)")
                        problems.append(f"{relpath}:{n}: malformed {where}: {line.strip()!r} "
                                        "(a requirement is '## REQ-<AREA>-<NNN>: statement')")
                    continue
                if ids and re.match(r"^\s*REQ-[\w-]+\s*:", line, re.I):
                    problems.append(f"{relpath}:{n}: requirement heading without '## ': {line.strip()!r}")
                    continue
                mentions += [(relpath, n, rid) for rid in ids]
                if cur is not None and "**Withdrawn**" in line:
                    cur["withdrawn"] = True
    for relpath, n, rid in mentions:
        if not REQ_ID.match(rid):
            problems.append(f"{relpath}:{n}: malformed requirement ID '{rid}' (REQ-<AREA>-<NNN>)")
        elif rid not in reqs:
            problems.append(f"{relpath}:{n}: mentions {rid}, which no '## {rid}: ...' heading defines")
    return reqs, problems


def split_ids(text):
    return [t.strip() for t in re.split(r"[,\s]+", text.strip().rstrip(".")) if t.strip()]


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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", required=True)
    ap.add_argument("--unit-map", nargs="*", default=[], help="program=test source, one per unit-test program")
    ap.add_argument("--junit", nargs="*", default=["system.xml", "cert.xml", "fuzz.xml"],
                    help="pytest JUnit XML files in the results folder")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    problems = []
    reqs, req_problems = load_requirements()
    problems += req_problems
    unit_map = dict(item.split("=", 1) for item in args.unit_map)

    tests = {}       # test id -> {"file", "name", "ids", "kind"}
    bare = []
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
            tests[f"{src}::{name}"] = {"file": src, "name": name, "ids": ids,
                                       "kind": src.split("/")[1]}
        bare += [f"{src}::{n}" for n in sorted(nodecl)]

    results = load_results(args.results, unit_map, args.junit, problems)

    for tid in sorted(results):
        if tid not in tests and tid not in bare:
            problems.append(f"{tid}: ran, but its source declares no requirements (no Verifies found)")
    for tid in bare:
        problems.append(f"{tid}: names no requirement (add a Verifies line)")

    by_req = {rid: [] for rid in reqs}
    for tid, t in sorted(tests.items()):
        t["result"] = results.get(tid, "not run")
        if not t["ids"]:
            problems.append(f"{tid}: empty Verifies list")
        for rid in t["ids"]:
            if not REQ_ID.match(rid):
                problems.append(f"{tid}: malformed requirement ID '{rid}'")
            elif rid not in reqs:
                problems.append(f"{tid}: names unknown requirement {rid}")
            else:
                by_req[rid].append(tid)
                if reqs[rid]["withdrawn"]:
                    problems.append(f"{tid}: names withdrawn requirement {rid}")
        if t["result"] in ("fail", "error"):
            problems.append(f"{tid}: {t['result'].upper()}")
        elif t["result"] == "not run":
            problems.append(f"{tid}: declared but has no result (not registered with its runner, or its program did not run)")

    active = [r for r in reqs.values() if not r["withdrawn"]]
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
    traced = len(active) - len(unpassed)
    figures = [
        ["Requirements", f"{len(active)}" + (f" (+{len(reqs) - len(active)} withdrawn)" if len(reqs) > len(active) else "")],
        ["Requirements with a passing test", fmt_pct(traced, len(active))],
        ["Tests naming requirements", f"{len(tests)} (" + ", ".join(
            f"{sum(1 for t in tests.values() if t['kind'] == k)} {k}" for k in ("unit", "system", "fuzz", "cert")) + ")"],
        ["Test results", ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "none"],
        ["Requirements with no passing test", str(len(unpassed))],
    ]

    body = ["## Requirements with no passing test\n"]
    body.append(("".join(f"- {r}: {reqs[r]['statement']}\n" for r in unpassed) or "None.\n"))
    body.append("\n## Requirement -> tests -> result\n")
    rows = []
    for rid in sorted(reqs, key=lambda r: (r.split("-")[1], r)):
        r = reqs[rid]
        ts = "<br>".join(f"`{t}` {tests[t]['result'].upper()}" for t in by_req[rid]) or "**none**"
        rows.append([rid + (" (withdrawn)" if r["withdrawn"] else ""), r["statement"], ts])
    body.append(md_table(["Requirement", "Statement", "Tests and results"], rows))
    body.append("\n## Test -> requirements\n")
    rows = [[f"`{tid}`", t["kind"], t["result"].upper(), ", ".join(t["ids"])] for tid, t in sorted(tests.items())]
    body.append(md_table(["Test", "Tier", "Result", "Verifies"], rows))
    body.append("\nSources: requirement catalogue docs/requirements/; results "
                f"{os.path.abspath(args.results)} (cmocka XML per unit-test program, pytest JUnit XML: " + ", ".join(args.junit) + ").\n")

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "traceability-matrix.json"), "w") as f:
        json.dump({"requirements": reqs, "tests": tests, "by_requirement": by_req}, f, indent=1)
    status = "fail" if problems else "pass"
    sys.exit(write_part(args.out, "traceability", "Requirements traceability", status, figures, problems,
                        "\n".join(body)))


if __name__ == "__main__":
    main()
