#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""MISRA C:2012 Guideline Compliance Summary (MISRA Compliance:2020).

One row per guideline of MISRA C:2012 with Amendments 1 and 2
(misra_guidelines.py): its category, how the project checks it and its
compliance, from

  - docs/safety/misra-compliance.md: how each guideline is checked, one
    table row per guideline: `| Rule 8.7 | addon |  |`. Methods: addon
    (cppcheck's misra addon), cppcheck (cppcheck's own checks, which the
    addon names as covering the rule), scanner (tools/cert/extensions.py),
    compiler (the build's -std=c11 -Wall -Wextra -Werror), stack-gate
    (tools/cert/stack.py), review (third column: the record's ID),
    disapplied (third column: the deviation that disapplies it), n/a
    (third column: why nothing in the code can violate it);
  - docs/safety/misra-review.md: the review records, `### R-<id>: title`
    with Guidelines, Scope, Method, Result (compliant | deviations D-... |
    violations), Reviewed by (who, YYYY-MM-DD) and, for violations, the
    places;
  - docs/safety/deviations.md, and the MISRA findings of the analysis runs
    (`<out>/misra-findings.json` of ARM64 and `<out>/misra-findings-x86-<vendor>.json`
    of each x86 back end, written by analysis.py).

Compliance: Compliant, Deviations (IDs), Disapplied, Violations. The gate
fails on a guideline the classification leaves out or lists twice, a tool
method the tool does not have (the addon's own list of the rules it and
cppcheck check), a review without a valid record, a record without a
reviewer and date, a deviated mandatory guideline, a disapplied guideline
that is not advisory or whose deviation is missing, and any violation of a
mandatory or required guideline. Violations of advisory guidelines found
by review are allowed when the record lists them (MISRA Compliance:2020:
advisory non-compliance needs no formal deviation, only a record).

    gcs.py --findings <out>/misra-findings.json [<out>/misra-findings-x86-svm.json ...] --out <out> [--addon misra.py]
"""
import argparse
import glob
import json
import os
import re
import sys

from common import DEVIATIONS, SRCTREE, approval_problems, load_deviations, md_table, read_md_records, write_part
from misra_guidelines import GUIDELINES, number

COMPLIANCE = os.path.join("docs", "safety", "misra-compliance.md")
REVIEW = os.path.join("docs", "safety", "misra-review.md")
METHODS = ("addon", "cppcheck", "scanner", "compiler", "stack-gate", "review", "disapplied", "n/a")
ADDON_GLOBS = ("/usr/lib/*/cppcheck/addons/misra.py", "/usr/share/cppcheck/addons/misra.py")


def addon_rules(path):
    """(rules the addon checks, rules it says cppcheck itself checks), read from misra.py."""
    with open(path) as f:
        text = f.read()
    own = {f"{a}.{b}" for a, b in re.findall(r"def[ ]+misra_(\d+)_(\d+)\(", text)}
    core = set()
    m = re.search(r"def getCppcheckRules\(\):.*?return \[(.*?)\]", text, re.S)
    if m:
        core = set(re.findall(r"'(\d+\.\d+)'", m.group(1)))
    return own, core


def load_classification(problems):
    """{guideline: (methods, note, line)}."""
    rows = {}
    path = os.path.join(SRCTREE, COMPLIANCE)
    if not os.path.exists(path):
        problems.append(f"{COMPLIANCE} is missing")
        return rows
    known = {g for g, _, _ in GUIDELINES}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not line.startswith("|") or len(cells) < 2 or not re.match(r"^(Dir|Rule) \d", cells[0]):
                continue
            g = cells[0]
            methods = [m.strip() for m in cells[1].split(",") if m.strip()]
            note = cells[2] if len(cells) > 2 else ""
            if g not in known:
                problems.append(f"{COMPLIANCE}:{n}: {g} is not a guideline of MISRA C:2012 (Amendments 1, 2)")
            elif g in rows:
                problems.append(f"{COMPLIANCE}:{n}: {g} classified twice")
            bad = [m for m in methods if m not in METHODS]
            if bad or not methods:
                problems.append(f"{COMPLIANCE}:{n}: {g}: unknown method " + (", ".join(bad) or "(none)")
                                + " (" + ", ".join(METHODS) + ")")
            rows[g] = (methods, note, n)
    return rows


def load_reviews(problems):
    """{record id: fields} from the review records."""
    path = os.path.join(SRCTREE, REVIEW)
    if not os.path.exists(path):
        problems.append(f"{REVIEW} is missing")
        return {}
    records = read_md_records(path, re.compile(r"^### (R-[\w.-]+): (.*)$"))
    for rid, r in records.items():
        for k in ("guidelines", "scope", "method", "result", "reviewed by"):
            if not r.get(k):
                problems.append(f"{REVIEW}: {rid} has no '{k}'")
        problems += [f"{REVIEW}: {rid}: {p}".replace("'Approved by'", "'Reviewed by'")
                     for p in approval_problems(r.get("reviewed by"))]
        r["guideline list"] = re.findall(r"(?:Dir|Rule) \d+\.\d+", r.get("guidelines", ""))
        result = r.get("result", "").split()
        if result and result[0].rstrip(":,.;").lower() not in ("compliant", "deviations", "violations"):
            problems.append(f"{REVIEW}: {rid}: Result starts with compliant, deviations or violations")
    return records


def tool_status(g, findings):
    """(compliance, deviation ids) from the analysis findings of a rule."""
    fs = [f for f in findings if f["rule"] == number(g)]
    open_ = [f for f in fs if f["covered_by"] in (None, "PENDING")]
    devs = sorted({f["covered_by"] for f in fs if f["covered_by"] not in (None, "PENDING")})
    if open_:
        return "Violations", devs, len(fs)
    return ("Deviations" if devs else "Compliant"), devs, len(fs)


def review_status(rid, record):
    words = record.get("result", "").replace(",", " ").split()
    kind = words[0].rstrip(":,.;").lower() if words else ""
    ids = [w for w in words[1:] if re.match(r"^[A-Z]-[\w.-]+$", w)]
    return {"compliant": "Compliant", "deviations": "Deviations", "violations": "Violations"}.get(kind, "?"), ids


def summarise(g, cat, methods, note, findings, reviews, devs, tools, problems):
    """(checked by, compliance, details) of one guideline, with the gate's problems."""
    own, core = tools
    where = f"{COMPLIANCE}: {g}"
    num = number(g)
    if "addon" in methods and num not in own:
        problems.append(f"{where}: classified as checked by the misra addon, which has no check for it")
    if "cppcheck" in methods and num not in core:
        problems.append(f"{where}: classified as checked by cppcheck, which the addon does not list for it")
    compliance, ids, n = tool_status(g, findings) if g.startswith("Rule") else ("Compliant", [], 0)
    details = [f"{n} finding(s)"] if n else []
    if "review" in methods:
        rid = note.split()[0] if note else ""
        if rid not in reviews:
            problems.append(f"{where}: checked by review, but names no record of {REVIEW} ({note or 'none'})")
        elif g not in reviews[rid]["guideline list"]:
            problems.append(f"{where}: record {rid} does not name {g} among its Guidelines")
        else:
            rstat, rids = review_status(rid, reviews[rid])
            details.append(f"review {rid}")
            if rstat == "Violations" or compliance == "Violations":
                compliance = "Violations"
            elif rstat == "Deviations":
                compliance = "Deviations"
            ids = sorted(set(ids) | set(rids))
    if "disapplied" in methods:
        dev = note.split()[0] if note else ""
        if cat != "advisory":
            problems.append(f"{where}: only an advisory guideline can be disapplied ({g} is {cat})")
        if dev not in devs:
            problems.append(f"{where}: disapplied by {dev or 'nothing'}, which {DEVIATIONS} does not define")
        compliance, ids = "Disapplied", [dev]
    if "n/a" in methods and len(note.split()) < 4:
        problems.append(f"{where}: 'n/a' needs its reason in the third column")
    for i in ids:
        if i.startswith("D-") and i not in devs:
            problems.append(f"{where}: names deviation {i}, which {DEVIATIONS} does not define")
    if compliance == "Deviations" and cat == "mandatory":
        problems.append(f"{where}: a mandatory guideline cannot be deviated ({', '.join(ids)})")
    if compliance == "Violations" and (cat != "advisory" or "review" not in methods or n):
        article = "an" if cat == "advisory" else "a"
        problems.append(f"{where}: violations of {article} {cat} guideline" + (f" ({n} tool finding(s))" if n else ""))
    return compliance, ids, details


def find_addon(path):
    if path:
        return path
    for pattern in ADDON_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--findings", required=True, nargs="+",
                    help="misra-findings*.json of the analysis runs (ARM64, each x86 vendor back end)")
    ap.add_argument("--addon", help="cppcheck's misra.py (found under /usr when not given)")
    ap.add_argument("--deviations", default=DEVIATIONS)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    problems = []
    findings = []
    for path in args.findings:
        if not os.path.exists(path):
            problems.append(f"{path} is missing: the MISRA analysis did not run")
        else:
            with open(path) as f:
                findings += json.load(f)
    addon = find_addon(args.addon)
    tools = addon_rules(addon) if addon and os.path.exists(addon) else (set(), set())
    if not addon:
        problems.append("cppcheck's misra addon (misra.py) not found")
    classification = load_classification(problems)
    reviews = load_reviews(problems)
    devs = {d.ident for d in load_deviations(args.deviations)[0]}
    rows, counts = [], {}
    for g, cat, topic in GUIDELINES:
        if g not in classification:
            problems.append(f"{COMPLIANCE}: {g} ({cat}) is not classified")
            rows.append([g, cat, topic, "**unclassified**", "**?**", ""])
            continue
        methods, note, _ = classification[g]
        compliance, ids, details = summarise(g, cat, methods, note, findings, reviews, devs, tools, problems)
        counts[compliance] = counts.get(compliance, 0) + 1
        shown = compliance + (f" ({', '.join(ids)})" if ids else "") + (
            " (advisory, recorded)" if compliance == "Violations" and cat == "advisory" else "")
        rows.append([g, cat, topic, ", ".join(methods), shown, "; ".join(details + ([note] if note and
                     "review" not in methods and "disapplied" not in methods else []))])
    used = {r for g, (m, note, _) in classification.items() if "review" in m for r in note.split()[:1]}
    for rid in sorted(set(reviews) - used):
        problems.append(f"{REVIEW}: {rid} is the record of no guideline classified as checked by review")
    by_cat = {c: sum(1 for _, cat, _ in GUIDELINES if cat == c) for c in ("mandatory", "required", "advisory")}
    figures = [["Guidelines", f"{len(GUIDELINES)} ({by_cat['mandatory']} mandatory, {by_cat['required']} required, "
                f"{by_cat['advisory']} advisory)"],
               ["Compliance", ", ".join(f"{v} {k.lower()}" for k, v in sorted(counts.items()))],
               ["Checked by a tool", str(sum(1 for g in classification.values()
                                             if set(g[0]) & {"addon", "cppcheck", "scanner", "compiler", "stack-gate"}))],
               ["Checked by review", str(sum(1 for g in classification.values() if "review" in g[0]))]]
    body = ["Standard: MISRA C:2012 (third edition) with Amendments 1 and 2; Amendment 3's `_Noreturn` is "
            "adopted by deviation D-1.4. Scope: the hypervisor (core/, arch/arm64/), the partition runtime "
            "(partitions/runtime/) and the guest ABI (include/). Checkers: cppcheck's misra addon "
            f"({addon or 'not found'}), cppcheck's own checks, tools/cert/extensions.py (Rule 1.2), gcc 12 "
            "(-std=c11 -Wall -Wextra -Werror), the stack gate (recursion); the rest by review "
            f"({REVIEW}). Classification: {COMPLIANCE}; deviations: docs/safety/deviations.md.\n",
            md_table(["Guideline", "Category", "Topic", "Checked by", "Compliance", "Notes"], rows)]
    sys.exit(write_part(args.out, "misra-gcs", "MISRA C:2012 Guideline Compliance Summary",
                        "fail" if problems else "pass", figures, problems, "\n".join(body)))


if __name__ == "__main__":
    main()
