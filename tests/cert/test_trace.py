# SPDX-License-Identifier: MIT
"""Traceability gate (tools/cert/trace.py) on a synthetic catalogue, tests and runner results:
the two requirement levels, revisions and statement fingerprints, and requirement -> code links."""
import json

from conftest import run_tool, write

REQS = """# Area
## REQ-TST-001: First
Statement.

Refines: SR-001

## REQ-TST-002: Second
Statement.

Rationale: why.

Refines: SR-001
"""

SAFETY = """# Safety requirements
## SR-001: Nothing bad happens
Statement.

Hazards: HAZ-01
"""

HAZARDS = """# Hazards
## HAZ-01: Something bad happens
Safety requirements: SR-001
"""

MANUAL = """# Manual
| ID | Assumption |
|----|------------|
| AOU-1 | The board works. |
"""

C_TESTS = """
/* Verifies: REQ-TST-001 */
static void test_one(void **state)
{
}

/* Verifies: REQ-TST-001,
 *           REQ-TST-002 */
static void test_two(void **state)
{
}
"""

PY_TESTS = '''
def test_py():
    """A system test.

    Verifies: REQ-TST-002
    """
'''


def cmocka_xml(cases):
    body = "".join(f'<testcase name="{n}">{"<failure>boom</failure>" if r == "fail" else ""}</testcase>'
                   for n, r in cases)
    return f'<?xml version="1.0"?><testsuites><testsuite name="x">{body}</testsuite></testsuites>'


def junit_xml(cases):
    body = "".join(f'<testcase classname="tests.system.test_sys" name="{n}">'
                   f'{"<skipped/>" if r == "skip" else ""}{"<failure/>" if r == "fail" else ""}</testcase>'
                   for n, r in cases)
    return f'<?xml version="1.0"?><testsuites><testsuite name="pytest">{body}</testsuite></testsuites>'


def catalogue(tmp_path, reqs=REQS, safety=SAFETY, hazards=HAZARDS, record=True):
    """Writes the catalogue's files; records the fingerprints of what it wrote (as a commit would)."""
    write(tmp_path, "docs/requirements/tst.md", reqs)
    write(tmp_path, "docs/requirements/system-safety.md", safety)
    write(tmp_path, "docs/safety/hazard-analysis.md", hazards)
    write(tmp_path, "docs/safety/safety-manual.md", MANUAL)
    if record:
        (tmp_path / "tools" / "cert" / "requirement-fingerprints.txt").unlink(missing_ok=True)
        r = run_tool("trace.py", ["--record-fingerprints"], tmp_path)
        assert r.returncode == 0, r.stdout


def gate(tmp_path, unit=(("test_one", "pass"), ("test_two", "pass")), system=(("test_py", "pass"),),
         c_tests=C_TESTS, py_tests=PY_TESTS):
    """Runs the gate on the catalogue as it is, with these tests and results."""
    write(tmp_path, "tests/unit/test_x.c", c_tests)
    write(tmp_path, "tests/system/test_sys.py", py_tests)
    write(tmp_path, "results/unit-x.xml", cmocka_xml(unit))
    write(tmp_path, "results/system.xml", junit_xml(system))
    return run_tool("trace.py", ["--results", tmp_path / "results", "--out", tmp_path / "out", "--junit",
                                 "system.xml", "--unit-map", "x=tests/unit/test_x.c"], tmp_path)


def tree(tmp_path, unit=(("test_one", "pass"), ("test_two", "pass")), system=(("test_py", "pass"),),
         reqs=REQS, c_tests=C_TESTS, py_tests=PY_TESTS, safety=SAFETY, hazards=HAZARDS):
    catalogue(tmp_path, reqs, safety, hazards)
    return gate(tmp_path, unit, system, c_tests, py_tests)


def test_matrix_both_ways(tmp_path):
    """All requirements traced to passing tests: the gate passes and the matrix reads both ways.

    Verifies: REQ-CRT-002
    """
    r = tree(tmp_path)
    assert r.returncode == 0, r.stdout
    m = json.load(open(tmp_path / "out" / "traceability-matrix.json"))
    assert m["by_requirement"]["REQ-TST-002"] == ["tests/system/test_sys.py::test_py", "tests/unit/test_x.c::test_two"]
    assert m["tests"]["tests/unit/test_x.c::test_two"]["ids"] == ["REQ-TST-001", "REQ-TST-002"]
    assert "| REQ-TST-001 |" in (tmp_path / "out" / "traceability.md").read_text()


def test_failures_of_the_gate(tmp_path):
    """A failing test, a requirement without a test, an unknown ID, a test with no result: each fails.

    Verifies: REQ-CRT-002
    """
    r = tree(tmp_path, unit=(("test_one", "fail"), ("test_two", "pass")))
    assert r.returncode == 1 and "test_one: FAIL" in r.stdout
    r = tree(tmp_path, reqs=REQS + "\n## REQ-TST-003: Third\nStatement.\n\nRefines: SR-001\n")
    assert r.returncode == 1 and "REQ-TST-003: no test names it" in r.stdout
    r = tree(tmp_path, c_tests=C_TESTS.replace("REQ-TST-002 */", "REQ-TST-009 */"))
    assert r.returncode == 1 and "unknown requirement REQ-TST-009" in r.stdout
    r = tree(tmp_path, unit=(("test_one", "pass"),))
    assert r.returncode == 1 and "test_two: declared but has no result" in r.stdout


def test_skipped_is_not_a_pass(tmp_path):
    """A requirement whose only tests were skipped has no passing test.

    Verifies: REQ-CRT-002
    """
    c_tests = C_TESTS.replace("REQ-TST-001,\n *           REQ-TST-002", "REQ-TST-001")
    r = tree(tmp_path, system=(("test_py", "skip"),), c_tests=c_tests)
    assert r.returncode == 1 and "REQ-TST-002: no passing test" in r.stdout


def test_no_requirement_line_is_ignored(tmp_path):
    """A requirement written with another heading ('### REQ-', '##REQ-', no '## ' at all) fails the
    gate instead of vanishing from it, and so does a mention of a requirement the catalogue does not
    define; a mention of a defined one is fine.

    Verifies: REQ-CRT-002
    """
    ok = REQS + "\nAs for REQ-TST-001, see `REQ-TST-002`.\n"
    assert tree(tmp_path, reqs=ok).returncode == 0
    for heading in ("### REQ-TST-003: Third", "##REQ-TST-003: Third", "#### REQ-TST-003 Third",
                    "REQ-TST-003: Third", "## REQ-TST-03: Third", "## Req-TST-003: Third"):
        r = tree(tmp_path, reqs=REQS + f"\n{heading}\nStatement.\n")
        assert r.returncode == 1 and "tst.md:14:" in r.stdout, (heading, r.stdout)
    r = tree(tmp_path, reqs=REQS + "\nRationale: as for REQ-TST-009.\n")
    assert r.returncode == 1 and "tst.md:14: mentions REQ-TST-009, which no" in r.stdout, r.stdout
    r = tree(tmp_path, reqs=REQS + "\nSee REQ-tst-1.\n")
    assert r.returncode == 1 and "malformed requirement ID 'REQ-tst-1'" in r.stdout, r.stdout


# ---- revisions and statement fingerprints (REQ-CRT-013) ------------------------

def test_a_test_must_name_the_current_revision(tmp_path):
    """A requirement at revision 2: a test naming it without a revision (revision 1) fails the gate,
    naming ~2 passes, naming a revision the catalogue does not have fails.

    Verifies: REQ-CRT-013
    """
    reqs = REQS.replace("## REQ-TST-002: Second", "## REQ-TST-002~2: Second")
    r = tree(tmp_path, reqs=reqs)
    assert r.returncode == 1 and ("names REQ-TST-002 revision 1, but the catalogue has revision 2" in r.stdout), \
        r.stdout
    for token, ok in (("REQ-TST-002~2", True), ("REQ-TST-002~3", False), ("REQ-TST-002~0", False)):
        r = gate(tmp_path, c_tests=C_TESTS.replace("REQ-TST-002 */", token + " */"),
                 py_tests=PY_TESTS.replace("REQ-TST-002", token))
        assert (r.returncode == 0) == ok, (token, r.stdout)
    m = json.load(open(tmp_path / "out" / "traceability-matrix.json"))
    assert m["requirements"]["REQ-TST-002"]["revision"] == 2


def test_statement_change_needs_a_revision_bump(tmp_path):
    """Changing a statement without bumping the revision fails the gate and the recording refuses it;
    bumping it fails until recorded, then passes once the tests name the new revision. A change of
    the rationale, the Refines line or the line breaks is not a change of the statement.

    Verifies: REQ-CRT-013
    """
    assert tree(tmp_path).returncode == 0
    changed = REQS.replace("## REQ-TST-002: Second\nStatement.", "## REQ-TST-002: Second\nAnother statement.")
    catalogue(tmp_path, reqs=changed, record=False)
    r = gate(tmp_path)
    assert r.returncode == 1 and "the statement of REQ-TST-002 changed without a revision bump" in r.stdout, r.stdout
    r = run_tool("trace.py", ["--record-fingerprints"], tmp_path)
    assert r.returncode == 1 and "NOT WRITTEN" in r.stdout
    bumped = changed.replace("## REQ-TST-002: Second", "## REQ-TST-002~2: Second")
    catalogue(tmp_path, reqs=bumped, record=False)
    named = dict(c_tests=C_TESTS.replace("REQ-TST-002 */", "REQ-TST-002~2 */"),
                 py_tests=PY_TESTS.replace("REQ-TST-002", "REQ-TST-002~2"))
    r = gate(tmp_path, **named)
    assert r.returncode == 1 and "REQ-TST-002 is at revision 2, the record at 1" in r.stdout, r.stdout
    assert run_tool("trace.py", ["--record-fingerprints"], tmp_path).returncode == 0
    assert gate(tmp_path, **named).returncode == 0
    # Back to revision 1 in the catalogue: revisions only go up, and the recording refuses it too.
    catalogue(tmp_path, reqs=changed, record=False)
    r = gate(tmp_path)
    assert r.returncode == 1 and "went back from revision 2 to 1" in r.stdout, r.stdout
    assert run_tool("trace.py", ["--record-fingerprints"], tmp_path).returncode == 1
    # Not statement changes.
    catalogue(tmp_path, reqs=bumped.replace("Rationale: why.", "Rationale: a better reason.")
              .replace("Another statement.", "Another\n   statement."), record=False)
    assert gate(tmp_path, **named).returncode == 0
    # A requirement nobody recorded, and a recorded one that disappeared.
    catalogue(tmp_path, reqs=bumped + "\n## REQ-TST-003: Third\nStatement.\n\nRefines: SR-001\n", record=False)
    r = gate(tmp_path, **named)
    assert r.returncode == 1 and "REQ-TST-003 has no recorded statement fingerprint" in r.stdout, r.stdout
    catalogue(tmp_path, reqs=bumped.split("## REQ-TST-002")[0], record=False)
    r = gate(tmp_path, unit=(("test_one", "pass"),), c_tests=C_TESTS.split("/* Verifies: REQ-TST-001,")[0],
             py_tests="")
    assert r.returncode == 1 and "REQ-TST-002 is no longer in the catalogue" in r.stdout, r.stdout


# ---- safety requirements and hazards (REQ-CRT-014) -----------------------------

def test_levels_are_traced_both_ways(tmp_path):
    """Every software requirement refines a safety requirement, every safety requirement is refined
    and derived from a hazard, every hazard has a safety requirement or an assumption of use, the
    hazard's own list agrees, and a test names software requirements only.

    Verifies: REQ-CRT-014
    """
    r = tree(tmp_path)
    assert r.returncode == 0, r.stdout
    report = (tmp_path / "out" / "traceability.md").read_text()
    assert "| HAZ-01: Something bad happens | SR-001 |" in report
    assert "| SR-001 | Nothing bad happens | HAZ-01 | REQ-TST-001, REQ-TST-002 | verified |" in report
    cases = [
        (dict(reqs=REQS.replace("Refines: SR-001\n\n## REQ-TST-002", "\n## REQ-TST-002")),
         "REQ-TST-001 refines no safety requirement"),
        (dict(reqs=REQS.replace("Refines: SR-001\n\n## REQ-TST-002", "Refines: SR-009\n\n## REQ-TST-002")),
         "mentions SR-009, which no '## SR-009: ...' heading defines"),
        (dict(safety=SAFETY + "\n## SR-002: Unrefined\nStatement.\n\nHazards: HAZ-01\n"),
         "SR-002 is refined by no software requirement"),
        (dict(safety=SAFETY.replace("Hazards: HAZ-01\n", "")), "SR-001 is derived from no hazard"),
        (dict(hazards=HAZARDS + "\n## HAZ-02: Unaddressed\nText.\n"),
         "HAZ-02 has no safety requirement derived from it and is allocated to no assumption of use"),
        (dict(hazards=HAZARDS + "\n## HAZ-02: Left to the integrator\nAllocated to: AOU-7\n"),
         "HAZ-02 is allocated to AOU-7, which docs/safety/safety-manual.md does not define"),
        (dict(hazards=HAZARDS.replace("Safety requirements: SR-001", "Safety requirements: SR-001, SR-002")
              .replace("SR-002", "SR-001 and nothing")), None),
        (dict(hazards=HAZARDS + "\n## HAZ-02: Also addressed\nSafety requirements: SR-001\n"),
         "HAZ-02 lists safety requirements SR-001, but those naming it on their 'Hazards:' line are none"),
        (dict(safety=SAFETY.replace("Statement.", "Statement.\n\nRefines: SR-001")),
         "SR-001: 'Refines:' belongs to a software requirement"),
        (dict(py_tests=PY_TESTS.replace("REQ-TST-002", "REQ-TST-002, SR-001")),
         "names SR-001, a safety requirement"),
    ]
    for kw, problem in cases:
        tests = {k: kw.pop(k) for k in ("py_tests",) if k in kw}
        r = tree(tmp_path, **kw, **tests)
        if problem is None:
            assert r.returncode == 0, r.stdout
        else:
            assert r.returncode == 1 and problem in r.stdout, (problem, r.stdout)
    ok = HAZARDS + "\n## HAZ-02: Left to the integrator\nAllocated to: AOU-1\n"
    assert tree(tmp_path, hazards=ok).returncode == 0


def test_safety_documents_name_existing_ids(tmp_path):
    """An ID a safety document mentions must exist, at its current revision.

    Verifies: REQ-CRT-014
    """
    catalogue(tmp_path)
    write(tmp_path, "docs/safety/fmea.md", "FM-1: see REQ-TST-001, SR-001 and HAZ-01.\n")
    assert gate(tmp_path).returncode == 0
    for text, problem in (("REQ-TST-004", "names unknown requirement REQ-TST-004"),
                          ("REQ-TST-001~2", "names REQ-TST-001 revision 2, which the catalogue does not have"),
                          ("HAZ-07", "mentions HAZ-07, which docs/safety/hazard-analysis.md does not define")):
        write(tmp_path, "docs/safety/fmea.md", f"FM-1: see {text}.\n")
        r = gate(tmp_path)
        assert r.returncode == 1 and "docs/safety/fmea.md:1: " + problem in r.stdout, (text, r.stdout)


# ---- requirement -> code links (REQ-CRT-015) -----------------------------------

TAGGED_C = """#include <stdint.h>

/* Implements: REQ-TST-001 */
static int32_t first(int32_t x)
{
	return x + 1;
}

/*
 * Both of them.
 * Implements: REQ-TST-001, REQ-TST-002
 */
int32_t second(int32_t x)
{
	return first(x) * 2;
}

/* Implements: infrastructure */
static inline __attribute__((always_inline)) int32_t helper(void)
{
	return 3;
}

int32_t untagged(void)
{
	return helper();
}
"""


def _links(tmp_path, source=TAGGED_C, scope=""):
    catalogue(tmp_path)
    write(tmp_path, "core/x.c", source)
    write(tmp_path, "tools/cert/code-trace-scope.txt", scope)
    return gate(tmp_path)


def test_code_links_are_checked(tmp_path):
    """Implements tags link functions to requirements; a tag naming an unknown, outdated or safety
    requirement, an empty tag, a tag mixing infrastructure with requirements and a tag not directly
    above a function fail the gate.

    Verifies: REQ-CRT-015
    """
    r = _links(tmp_path)
    assert r.returncode == 0, r.stdout
    m = json.load(open(tmp_path / "out" / "traceability-matrix.json"))
    assert m["code"]["REQ-TST-001"] == ["core/x.c:first", "core/x.c:second"]
    assert m["code"]["REQ-TST-002"] == ["core/x.c:second"]
    assert "`core/x.c:second`" in (tmp_path / "out" / "traceability.md").read_text()
    for old, new, problem in (
            ("Implements: REQ-TST-001 */", "Implements: REQ-TST-007 */", "Implements tag names unknown requirement"),
            ("Implements: REQ-TST-001 */", "Implements: REQ-TST-001~2 */", "revision 2, which the catalogue"),
            ("Implements: REQ-TST-001 */", "Implements: SR-001 */", "implements SR-001, a safety requirement"),
            ("Implements: REQ-TST-001 */", "Implements: */", "empty Implements tag"),
            ("Implements: infrastructure */", "Implements: infrastructure, REQ-TST-002 */", "either infrastructure"),
            ("/* Implements: REQ-TST-001 */\nstatic", "/* Implements: REQ-TST-001 */\n\nstatic",
             "core/x.c:3: an Implements tag that is not in the comment directly above a function"),
            ("#include <stdint.h>\n", "#include <stdint.h>\n/* Implements: REQ-TST-002 */\n",
             "core/x.c:2: an Implements tag that is not")):
        r = _links(tmp_path, TAGGED_C.replace(old, new))
        assert r.returncode == 1 and problem in r.stdout, (new, r.stdout)


def test_code_link_scope(tmp_path):
    """With an empty scope untagged functions and untagged requirements pass; a folder in the scope
    needs a tag on every function, an area in the scope needs code for every requirement.

    Verifies: REQ-CRT-015
    """
    assert _links(tmp_path, scope="# nothing yet\n").returncode == 0
    r = _links(tmp_path, scope="folder core\n")
    assert r.returncode == 1 and "core/x.c:24: untagged is in the traced scope (core) but has no Implements tag" \
        in r.stdout, r.stdout
    assert "first" not in r.stdout.split("traced scope")[0].split("\n")[-1]
    assert _links(tmp_path, TAGGED_C.replace("int32_t untagged", "/* Implements: REQ-TST-002 */\nint32_t untagged"),
                  scope="folder core\n").returncode == 0
    r = _links(tmp_path, TAGGED_C.replace("REQ-TST-001, REQ-TST-002", "REQ-TST-001"), scope="area TST\n")
    assert r.returncode == 1 and "REQ-TST-002 is implemented by no tagged function (area TST" in r.stdout, r.stdout
    assert _links(tmp_path, scope="area TST\n").returncode == 0
    r = _links(tmp_path, scope="folder nowhere\n")
    assert r.returncode == 1 and "code-trace-scope.txt:1: expected" in r.stdout
