# SPDX-License-Identifier: MIT
"""The MISRA Guideline Compliance Summary (tools/cert/gcs.py) on a synthetic classification,
review record, deviations, analysis findings and a stand-in for cppcheck's misra addon."""
import json

from conftest import run_tool, write
from misra_guidelines import GUIDELINES, number

RULES = [g for g, _, _ in GUIDELINES if g.startswith("Rule")]
DIRS = [g for g, _, _ in GUIDELINES if g.startswith("Dir")]
APPROVAL = "A. Reviewer, 2026-12-01"

DEVIATION = """
### {ident}: a deviation
- Tool: misra
- Rule: {rule}
- Scope: core/x.c
- Justification: the synthetic code needs this deviation for the reason that this test exists to show
  and nothing else.
- Who may rely on it: the test.
- Approved by: {approval}
"""


def _tree(tmp_path, classification=None, review_result="compliant", reviewed_by=APPROVAL, findings=(),
          addon_missing=("1.1",), extra_records=""):
    """Writes the inputs (every rule checked by the stand-in addon but `addon_missing`, every
    directive by review record R-ALL, 15.5 disapplied) and runs gcs.py."""
    rows = classification or {}
    lines = ["| Guideline | Checked by | Note |", "|---|---|---|"]
    for g in DIRS + RULES:
        if g in rows and rows[g] is None:
            continue
        default = ("review", "R-ALL") if g.startswith("Dir") else (
            ("addon, disapplied", "D-15.5") if g == "Rule 15.5" else
            ("compiler", "") if number(g) in addon_missing else ("addon", ""))
        method, note = rows.get(g, default)
        lines.append(f"| {g} | {method} | {note} |")
    write(tmp_path, "docs/safety/misra-compliance.md", "# Classification\n\n" + "\n".join(lines) + "\n")
    write(tmp_path, "docs/safety/misra-review.md", f"""# Reviews

### R-ALL: the directives
- Guidelines: {", ".join(DIRS)}
- Scope: core/
- Method: read it all.
- Result: {review_result}
- Reviewed by: {reviewed_by}
""" + extra_records)
    write(tmp_path, "core/x.c", "int x;\n")
    write(tmp_path, "docs/safety/deviations.md", "# Deviations\n\n## MISRA C:2012\n"
          + DEVIATION.format(ident="D-15.5", rule="15.5", approval=APPROVAL)
          + DEVIATION.format(ident="D-10", rule="10.1, 9.1", approval=APPROVAL))
    defs = "".join(f"def misra_{number(g).replace('.', '_')}(data):\n    pass\n" for g in RULES
                   if number(g) not in addon_missing)
    write(tmp_path, "addon/misra.py", defs + "def getCppcheckRules():\n    return ['9.1', # uninitvar\n           ]\n")
    write(tmp_path, "out/misra-findings.json", json.dumps(
        [{"rule": r, "file": "core/x.c", "line": 1, "message": "", "covered_by": c} for r, c in findings]))
    return run_tool("gcs.py", ["--findings", tmp_path / "out" / "misra-findings.json", "--addon",
                               tmp_path / "addon" / "misra.py", "--deviations",
                               tmp_path / "docs" / "safety" / "deviations.md", "--out", tmp_path / "out"], tmp_path)


def test_summary_of_every_guideline(tmp_path):
    """Every guideline gets its category, its method and its compliance, from the findings, the
    deviations and the review records.

    Verifies: REQ-CRT-016
    """
    r = _tree(tmp_path, {"Rule 1.1": ("compiler, review", "R-R1")}, findings=(("10.1", "D-10"), ("15.5", "D-15.5")),
              extra_records=f"\n### R-R1: rule 1.1\n- Guidelines: Rule 1.1\n- Scope: core/\n- Method: compiler.\n"
                            f"- Result: compliant.\n- Reviewed by: {APPROVAL}\n")
    assert r.returncode == 0, r.stdout
    gcs = (tmp_path / "out" / "misra-gcs.md").read_text()
    assert "| Rule 10.1 | required | operands of appropriate essential type | addon | Deviations (D-10) | 1 finding(s) |" \
        in gcs
    assert "| Rule 15.5 | advisory | a single point of exit at the end of a function | addon, disapplied | " \
           "Disapplied (D-15.5) |" in gcs
    assert "| Dir 4.3 | required | assembly language is encapsulated and isolated | review | Compliant | review R-ALL |" \
        in gcs
    assert "| Rule 1.1 | required |" in gcs and "| compiler, review | Compliant | review R-R1 |" in gcs
    assert sum(1 for line in gcs.splitlines() if line.startswith(("| Rule ", "| Dir "))) == 175


def test_gaps_fail_the_summary(tmp_path):
    """An unclassified guideline, a tool claimed that has no check, a review without its record or
    without a dated reviewer, a deviated mandatory guideline, a violation of a required one and a
    disapplied required one each fail the gate.

    Verifies: REQ-CRT-016
    """
    cases = [
        (dict(classification={"Rule 8.7": None}), "Rule 8.7 (advisory) is not classified"),
        (dict(classification={"Rule 1.1": ("addon", "")}),
         "Rule 1.1: classified as checked by the misra addon, which has no check for it"),
        (dict(classification={"Rule 9.1": ("cppcheck", ""), "Rule 9.2": ("cppcheck", "")}),
         "Rule 9.2: classified as checked by cppcheck, which the addon does not list for it"),
        (dict(classification={"Dir 4.1": ("review", "R-NONE")}), "Dir 4.1: checked by review, but names no record"),
        (dict(reviewed_by="A. Reviewer"), "R-ALL: 'Reviewed by' gives no date"),
        (dict(findings=(("9.1", "D-10"),)), "Rule 9.1: a mandatory guideline cannot be deviated"),
        (dict(findings=(("10.1", None),)), "Rule 10.1: violations of a required guideline (1 tool finding(s))"),
        (dict(classification={"Rule 16.4": ("addon, disapplied", "D-15.5")}),
         "only an advisory guideline can be disapplied (Rule 16.4 is required)"),
        (dict(review_result="violations: core/x.c"), "Dir 1.1: violations of a required guideline"),
    ]
    for kw, problem in cases:
        r = _tree(tmp_path, **kw)
        assert r.returncode == 1 and problem in r.stdout, (kw, r.stdout)


def test_advisory_violations_found_by_review_are_recorded(tmp_path):
    """A violation of an advisory guideline that a review record lists is shown, not failed; the
    same record for a required guideline fails.

    Verifies: REQ-CRT-016
    """
    record = (f"\n### R-ADV: {{g}}\n- Guidelines: {{g}}\n- Scope: core/\n- Method: read.\n"
              f"- Result: violations: core/x.c uses int.\n- Reviewed by: {APPROVAL}\n")
    r = _tree(tmp_path, {"Dir 4.6": ("review", "R-ADV")}, extra_records=record.format(g="Dir 4.6"))
    assert r.returncode == 0, r.stdout
    assert "| review | Violations (advisory, recorded) | review R-ADV |" in (tmp_path / "out" / "misra-gcs.md").read_text()
    r = _tree(tmp_path, {"Dir 4.7": ("review", "R-ADV")}, extra_records=record.format(g="Dir 4.7"))
    assert r.returncode == 1 and "Dir 4.7: violations of a required guideline" in r.stdout, r.stdout
