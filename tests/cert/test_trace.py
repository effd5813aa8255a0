"""Traceability gate (tools/cert/trace.py) on a synthetic catalogue, tests and runner results."""
import json

from conftest import run_tool, write

REQS = """# Area
## REQ-TST-001: First
Statement.

## REQ-TST-002: Second
Statement.
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


def tree(tmp_path, unit=(("test_one", "pass"), ("test_two", "pass")), system=(("test_py", "pass"),),
         reqs=REQS, c_tests=C_TESTS):
    write(tmp_path, "docs/requirements/tst.md", reqs)
    write(tmp_path, "tests/unit/test_x.c", c_tests)
    write(tmp_path, "tests/system/test_sys.py", PY_TESTS)
    write(tmp_path, "results/unit-x.xml", cmocka_xml(unit))
    write(tmp_path, "results/system.xml", junit_xml(system))
    return run_tool("trace.py", ["--results", tmp_path / "results", "--out", tmp_path / "out", "--junit",
                                 "system.xml", "--unit-map", "x=tests/unit/test_x.c"], tmp_path)


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
    r = tree(tmp_path, reqs=REQS + "\n## REQ-TST-003: Third\nStatement.\n")
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
        assert r.returncode == 1 and "tst.md:8:" in r.stdout, (heading, r.stdout)
    r = tree(tmp_path, reqs=REQS + "\nRationale: as for REQ-TST-009.\n")
    assert r.returncode == 1 and "tst.md:8: mentions REQ-TST-009, which no" in r.stdout, r.stdout
    r = tree(tmp_path, reqs=REQS + "\nSee REQ-tst-1.\n")
    assert r.returncode == 1 and "malformed requirement ID 'REQ-tst-1'" in r.stdout, r.stdout
