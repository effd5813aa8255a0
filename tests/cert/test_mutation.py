# SPDX-License-Identifier: MIT
"""The mutation engine and gate (tools/cert/mutate.py, mutants.py) on a small synthetic tree."""
import json
import os
import time

import mutants
import pytest
from conftest import run_tool, write

CALC_C = """#include <stdint.h>
#define LIMIT 10u /* preprocessor lines are not mutated: 1 < 2 */

static uint32_t calls;

uint32_t clamp(uint32_t x);
uint32_t clamp(uint32_t x)
{
	const char *s = "a < b";

	calls++;
	if (x > LIMIT) {
		return LIMIT;
	}
	__asm__ volatile("" : : "r"(s) : "memory");
	return x;
}

uint32_t kind(uint32_t x, uint32_t y);
uint32_t kind(uint32_t x, uint32_t y)
{
	switch (x) {
	case 3u:
		return 1u;
	default:
		return (x == y) && (y != 0u) ? 2u : 0u;
	}
}
"""

EXPECTED = [
    ("clamp", "skip-check", 12, "x > LIMIT", "0"),
    ("clamp", "flip-comparison", 12, ">", "<="),
    ("clamp", "boundary", 12, ">", ">="),
    ("clamp", "drop-write", 11, "calls++;", ";"),
    ("kind", "constant", 24, "1u", "0u"),
    ("kind", "flip-comparison", 26, "==", "!="),
    ("kind", "swap-logical", 26, "&&", "||"),
    ("kind", "flip-comparison", 26, "!=", "=="),
    ("kind", "constant", 26, "0u", "1u"),
    ("kind", "constant", 26, "2u", "3u"),
    ("kind", "constant", 26, "0u", "1u"),
]


def test_operators_produce_the_expected_mutants():
    """A small C file has exactly the expected mutants: comparisons flipped and moved, a Boolean
    connective swapped, constants changed, a write dropped, a check skipped; nothing in comments,
    strings, preprocessor lines, inline assembly or case labels. Keys survive edits elsewhere and
    each mutant changes the text as it says.

    Verifies: REQ-CRT-017
    """
    found = mutants.mutants_of("core/calc.c", CALC_C)
    assert [(m.function, m.operator, m.line, m.original, m.replacement) for m in found] == EXPECTED
    assert len({m.key for m in found}) == len(found)
    assert [m.key for m in found if m.original == "0u"] == ["core/calc.c:kind:constant:f97903d7:1",
                                                            "core/calc.c:kind:constant:f97903d7:2"]
    moved = mutants.mutants_of("core/calc.c", "/* a new first line */\nstatic int other(void)\n{\n\treturn 0;\n}\n"
                               + CALC_C)
    assert {m.key for m in found} <= {m.key for m in moved}
    skip = next(m for m in found if m.operator == "skip-check")
    assert "if (0) {" in skip.apply(CALC_C) and skip.apply(CALC_C).count("x > LIMIT") == 0
    drop = next(m for m in found if m.operator == "drop-write")
    assert "\t;\n\tif (0" not in drop.apply(CALC_C) and "\t;\n\tif (x > LIMIT)" in drop.apply(CALC_C)


INSTRUMENTED_C = """void boot(void);
void boot(void)
{
#ifdef CONFIG_FAULT_INJECTION
	fault_inject_boot(1u);
#ifdef OTHER
	nested(2u);
#endif
#else
	product(3u);
#endif
	init(4u);
#ifdef CONFIG_COVERAGE
	dump(5u);
#endif
#ifndef CONFIG_FAULT_INJECTION
	quiet(6u);
#endif
}
"""


def test_code_only_verification_builds_compile_is_not_mutated():
    """Code inside `#ifdef CONFIG_FAULT_INJECTION` or `#ifdef CONFIG_COVERAGE` (up to its #else or
    #endif, nested blocks included) has no mutants: the product does not contain it, so its tests
    cannot kill them. The #else branch and every other conditional block keep theirs, at the lines
    they are on.

    Verifies: REQ-CRT-017
    """
    found = mutants.mutants_of("core/boot.c", INSTRUMENTED_C)
    assert [(m.line, m.original) for m in found if m.operator == "constant"] == [(10, "3u"), (12, "4u"),
                                                                                 (17, "6u")]
    assert [m.original for m in found if m.operator == "drop-call"] == ["product(3u);", "init(4u);",
                                                                        "quiet(6u);"]


MAP = """scope core
exclude core/skip.c | not part of anything we test here
core/calc.c | REQ-TST-001 | cmd:tests/run.sh
"""

DRIVER = """#include <stdint.h>
uint32_t clamp(uint32_t x);
uint32_t kind(uint32_t x, uint32_t y);
int main(void)
{
	/* kills the comparison and check mutants of clamp, and some of kind */
	return !(clamp(11u) == 10u && clamp(10u) == 10u && clamp(3u) == 3u && kind(3u, 0u) == 1u &&
		 kind(4u, 4u) == 2u);
}
"""

REQS = "# Area\n## REQ-TST-001: Calc\nStatement.\n\nRefines: SR-001\n"
SAFETY = "# SR\n## SR-001: Safe\nStatement.\n\nHazards: HAZ-01\n"


def _tree(tmp_path, mapping=MAP, explicit="", records=""):
    write(tmp_path, "core/calc.c", CALC_C)
    write(tmp_path, "core/skip.c", "int skip(int x)\n{\n\treturn x + 1;\n}\n")
    write(tmp_path, "tests/t.c", DRIVER)
    write(tmp_path, "tests/run.sh", "cc -o t.bin tests/t.c core/calc.c && ./t.bin\n")
    write(tmp_path, "tools/cert/mutation-map.txt", mapping)
    write(tmp_path, "tools/cert/mutation-explicit.txt", explicit)
    write(tmp_path, "tools/cert/mutation-records.md", "# Records\n\n## Records\n" + records)
    write(tmp_path, "docs/requirements/tst.md", REQS)
    write(tmp_path, "docs/requirements/system-safety.md", SAFETY)
    write(tmp_path, "docs/safety/hazard-analysis.md", "# H\n## HAZ-01: Bad\nSafety requirements: SR-001\n")


def _list(tmp_path, *args):
    r = run_tool("mutate.py", ["--list", *args], tmp_path)
    return r, [line.split("\t")[0] for line in r.stdout.splitlines()]


def test_sample_is_repeatable(tmp_path):
    """The same seed draws the same sample from the same sources, another seed another one; the
    explicit mutants are always in it; an unmapped file, a map entry for no file and an explicit
    mutant whose text is not found once are problems.

    Verifies: REQ-CRT-017
    """
    explicit = "C-1 | REQ-TST-001 | core/calc.c | clamp | return LIMIT; => return x;\n"
    _tree(tmp_path, explicit=explicit)
    r, every = _list(tmp_path)
    assert r.returncode == 0 and len(every) == len(EXPECTED) + 1, r.stderr
    _, first = _list(tmp_path, "--sample", "4", "--seed", "7")
    _, again = _list(tmp_path, "--sample", "4", "--seed", "7")
    _, other = _list(tmp_path, "--sample", "4", "--seed", "8")
    assert first == again and len(first) == 5 and first != other
    assert first[0] == "core/calc.c:clamp:explicit:C-1" and other[0] == first[0]
    _tree(tmp_path, mapping=MAP.replace("exclude core/skip.c | not part of anything we test here\n", "")
          + "core/none.c | REQ-TST-001 | cmd:true\n",
          explicit=explicit.replace("return LIMIT;", "return"))
    r, _ = _list(tmp_path)
    assert r.returncode == 1
    assert "core/skip.c is in scope but not mapped" in r.stderr
    assert "core/none.c is mapped but is no source file in scope" in r.stderr
    assert "'return' occurs 2 times in core/calc.c:clamp (must be once)" in r.stderr


def test_sample_of_one_folder_in_draw_order(tmp_path):
    """--under draws the sample from one folder's mutants only (an explicit mutant elsewhere left
    out); the sample keeps the order it was drawn in, so that a run the time box cuts short is
    still a random sample, and the same seed still gives the same one.

    Verifies: REQ-CRT-017
    """
    explicit = "C-1 | REQ-TST-001 | core/calc.c | clamp | return LIMIT; => return x;\n"
    _tree(tmp_path, mapping=MAP + "scope lib\nlib/twice.c | REQ-TST-001 | cmd:true\n", explicit=explicit)
    write(tmp_path, "lib/twice.c", "int twice(int x)\n{\n\tif (x > 3) {\n\t\treturn 2 * x;\n\t}\n\treturn 0;\n}\n")
    r, under = _list(tmp_path, "--under", "lib", "--sample", "3", "--seed", "7")
    assert r.returncode == 0 and len(under) == 3 and all(k.startswith("lib/twice.c:twice:") for k in under), r.stderr
    _, every = _list(tmp_path, "--sample", "12", "--seed", "7")
    drawn = every[1:]
    assert every[0] == "core/calc.c:clamp:explicit:C-1" and drawn != sorted(drawn)
    assert _list(tmp_path, "--sample", "12", "--seed", "7")[1] == every


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_mutants_are_built_and_tested(tmp_path, jobs):
    """Each mutant is applied to a copy of the tree and judged by its tests: killed when one fails,
    survived when all pass; the source tree is never changed. Mutants run at once (--jobs) are each
    judged once, with the same verdicts.

    Verifies: REQ-CRT-017
    """
    _tree(tmp_path, explicit="C-1 | REQ-TST-001 | core/calc.c | clamp | return LIMIT; => return x;\n")
    before = os.stat(tmp_path / "core" / "calc.c")
    r = run_tool("mutate.py", ["--run", "--all", "--jobs", jobs, "--build", tmp_path / "build", "--out",
                               tmp_path / "out"], tmp_path)
    listed = json.load(open(tmp_path / "out" / "mutation-results.json"))["results"]
    assert len(listed) == len(EXPECTED) + 1, listed
    results = {x["key"]: x for x in listed}
    status = {(x["function"], x["operator"], x["original"], x["replacement"]): x["status"] for x in results.values()}
    assert status[("clamp", "explicit", "return LIMIT;", "return x;")] == "killed"
    assert status[("clamp", "boundary", ">", ">=")] == "survived"  # clamp(10) is 10 either way
    assert status[("clamp", "flip-comparison", ">", "<=")] == "killed"
    assert status[("clamp", "drop-write", "calls++;", ";")] == "survived"
    assert status[("kind", "constant", "2u", "3u")] == "killed"  # kind(4, 4) is 3
    assert results["core/calc.c:kind:constant:f97903d7:2"]["status"] == "survived"  # no call returns 0
    assert (tmp_path / "core" / "calc.c").read_text() == CALC_C
    assert os.stat(tmp_path / "core" / "calc.c").st_mtime_ns == before.st_mtime_ns
    assert r.returncode == 1 and "survived (core/calc.c:12 clamp: '>' -> '>=')" in r.stdout, r.stdout
    # In the copy the engine mutates, each mutant is undone, content and time, whatever its result,
    # so that the next one starts from the sources the evidence build was made of.
    import mutate
    os.utime(tmp_path / "core" / "calc.c", ns=(before.st_atime_ns, 1_000_000_000))
    for m in mutants.mutants_of("core/calc.c", CALC_C)[:2]:
        outcome = mutate.run_mutant(m, ["cmd:tests/run.sh"], str(tmp_path), str(tmp_path / "build"),
                                    str(tmp_path / "m"), "")
        assert outcome["status"] == "killed"
        assert (tmp_path / "core" / "calc.c").read_text() == CALC_C
        assert os.stat(tmp_path / "core" / "calc.c").st_mtime_ns == 1_000_000_000


def test_each_mutant_starts_from_the_evidence_build(tmp_path):
    """The mutants share one copy of the evidence build, put back after each as the evidence build
    has it: what a mutant built (its program), wrote or removed there is undone, so a later mutant
    of another file the same program compiles is judged with the original of the first.

    Verifies: REQ-CRT-017
    """
    import mutate
    _tree(tmp_path, mapping=MAP + "core/more.c | REQ-TST-001 | unit:calc\n")
    write(tmp_path, "core/more.c", "int more(int x);\nint more(int x)\n{\n\treturn x + 1;\n}\n")
    write(tmp_path, "Makefile", "$(O)/unit/calc: core/calc.c core/more.c tests/t.c\n"
          "\tmkdir -p $(O)/unit && cc -o $@ tests/t.c core/calc.c core/more.c\n")
    write(tmp_path, "tests/mess.sh", 'touch "$BULKHEAD_BUILD/unit/stray" && rm "$BULKHEAD_BUILD/unit/keep" && '
          'mkdir "$BULKHEAD_BUILD/unit/new"\n')
    write(tmp_path / "build", "unit/keep", "part of the evidence build\n")
    import subprocess
    subprocess.run(["make", f"O={tmp_path / 'build'}", f"{tmp_path / 'build'}/unit/calc"], cwd=tmp_path, check=True)
    base = tmp_path / "build" / "unit" / "calc"
    work = tmp_path / "m"
    flip = next(x for x in mutants.mutants_of("core/calc.c", CALC_C) if x.operator == "flip-comparison")
    more = next(x for x in mutants.mutants_of("core/more.c", (tmp_path / "core" / "more.c").read_text())
                if x.operator == "constant")
    tests = ["unit:calc", "cmd:tests/mess.sh"]
    run = lambda m: mutate.run_mutant(m, tests, str(tmp_path), str(tmp_path / "build"), str(work), "")  # noqa: E731
    assert run(flip)["status"] == "killed"
    copy = work / "unit" / "calc"
    assert copy.read_bytes() == base.read_bytes() and os.stat(copy).st_mtime_ns == os.stat(base).st_mtime_ns
    # The driver never calls more(): its mutant survives unless the first mutant's program is left.
    assert run(more)["status"] == "survived"
    assert sorted(os.listdir(work / "unit")) == ["calc", "keep"], os.listdir(work / "unit")
    assert copy.read_bytes() == base.read_bytes()


def test_a_kill_counts_only_if_the_test_passes_without_the_mutant(tmp_path):
    """A test that fails in the mutants' build folder whatever the code (as the hot-path tests did
    while the folder lacked the TCG plugin) kills nothing: the engine runs it once without the mutant,
    and the mutant it "killed" is an engine error that fails the gate; a test that passes without the
    mutant keeps its kill.

    Verifies: REQ-CRT-017
    """
    _tree(tmp_path, mapping=MAP.replace("cmd:tests/run.sh", "cmd:tests/broken.sh cmd:tests/run.sh"))
    write(tmp_path, "tests/broken.sh", 'test -e "$BULKHEAD_BUILD/needed-file" || exit 1\n')
    r = run_tool("mutate.py", ["--run", "--all", "--build", tmp_path / "build", "--out", tmp_path / "out"], tmp_path)
    results = json.load(open(tmp_path / "out" / "mutation-results.json"))["results"]
    assert results and all(x["status"] == "error" and "fails without the mutant too" in x["by"] for x in results)
    assert r.returncode == 1 and "the engine could not judge it" in r.stdout, r.stdout
    write(tmp_path, "tests/broken.sh", "true\n")   # mended: the kills of tests/run.sh stand
    r = run_tool("mutate.py", ["--run", "--all", "--build", tmp_path / "build", "--out", tmp_path / "out"], tmp_path)
    statuses = [x["status"] for x in json.load(open(tmp_path / "out" / "mutation-results.json"))["results"]]
    assert "error" not in statuses and statuses.count("killed") == 6, statuses   # as without tests/broken.sh


def test_a_test_printing_bytes_that_are_not_utf8_still_judges(tmp_path):
    """A mutant can make a test print anything: bytes that are not UTF-8 are kept as replacement
    characters and the test's verdict stands (the campaign once stopped on such a unit program).

    Verifies: REQ-CRT-017
    """
    import mutate
    _tree(tmp_path)
    write(tmp_path, "tests/garbage.sh", "printf 'x\\226\\377y\\n'; exit 1\n")
    m = next(x for x in mutants.mutants_of("core/calc.c", CALC_C) if x.operator == "boundary")
    outcome = mutate.run_mutant(m, ["cmd:tests/garbage.sh"], str(tmp_path), str(tmp_path / "build"),
                                str(tmp_path / "m"), "")
    assert outcome["status"] == "killed" and "x\ufffd\ufffdy" in outcome["log"], outcome


def test_unit_only_leaves_what_system_tests_would_judge_undecided(tmp_path):
    """--unit-only runs the host tests alone: a mutant they kill is killed, one they do not kill
    whose selection has system tests is undecided (its system tests are not run), and the report
    gives the kill rate with the undecided ones counted as survivors, a lower bound.

    Verifies: REQ-CRT-017
    """
    import mutate
    _tree(tmp_path)
    tests = ["cmd:tests/run.sh", "tests/system/test_none.py::test_never"]
    by_op = {(m.operator, m.original, m.replacement): m for m in mutants.mutants_of("core/calc.c", CALC_C)}
    mutate.UNIT_ONLY = True
    try:
        outcomes = [mutate.run_mutant(by_op[k], tests, str(tmp_path), str(tmp_path / "build"), str(tmp_path / "m"), "")
                    for k in (("boundary", ">", ">="), ("flip-comparison", ">", "<="))]
    finally:
        mutate.UNIT_ONLY = False
    assert [o["status"] for o in outcomes] == ["undecided", "killed"], outcomes
    results = [dict(RESULT, key="core/calc.c:clamp:flip-comparison:x:1", status="killed"),
               dict(RESULT, key="core/calc.c:clamp:boundary:x:1", status="undecided")]
    r = _evaluate(tmp_path, results)
    text = (tmp_path / "out" / "mutation.md").read_text()
    assert "100.0% (1/1" in text and "lower bound (undecided counted as survivors) | 50.0% (1/2)" in text, text
    assert "1 undecided" in text


RESULT = {"explicit_id": "", "file": "core/calc.c", "function": "clamp", "line": 12, "operator": "boundary",
          "original": ">", "replacement": ">=", "requirements": ["REQ-TST-001"], "by": "", "seconds": 1}


def _evaluate(tmp_path, results, records=""):
    _tree(tmp_path, records=records)
    write(tmp_path, "saved.json", json.dumps({"results": results}))
    return run_tool("mutate.py", ["--evaluate", tmp_path / "saved.json", "--out", tmp_path / "out"], tmp_path)


def _record(key, kind, by="A. Tester, 2026-12-01"):
    return (f"\n### {key}\n- Kind: {kind}\n- Reason: clamp(10) returns ten whichever comparison is used, and no "
            f"input tells them apart here.\n- Recorded by: {by}\n")


def test_gate_needs_kills_and_records(tmp_path):
    """The gate: a survivor without a record fails; an equivalent record leaves it out of the kill
    rate, a finding record keeps it in; below 90 % fails; an explicit survivor fails even when
    recorded; a record of a mutant that no longer exists fails; the report gives the rate per area.

    Verifies: REQ-CRT-017
    """
    _tree(tmp_path)
    key = next(k for k in _list(tmp_path)[1] if ":clamp:boundary:" in k)
    killed = [dict(RESULT, key=f"k{i}", status="killed", requirements=["REQ-TST-001"]) for i in range(9)]
    survivor = dict(RESULT, key=key, status="survived")
    r = _evaluate(tmp_path, killed + [survivor])
    assert r.returncode == 1 and f"{key} survived" in r.stdout and "Kill rate 90.0% (9/10" in r.stdout, r.stdout
    r = _evaluate(tmp_path, killed + [survivor], _record(key, "finding"))
    assert r.returncode == 0 and "Kill rate 90.0% (9/10" in r.stdout, r.stdout
    assert "| TST | 10 | 9 | 90.0% |" in (tmp_path / "out" / "mutation.md").read_text()
    r = _evaluate(tmp_path, killed[:8] + [survivor, dict(RESULT, key="k9", status="survived")], _record(key, "finding"))
    assert r.returncode == 1 and "kill rate 80.0% is below 90%" in r.stdout, r.stdout
    r = _evaluate(tmp_path, killed[:1] + [survivor], _record(key, "equivalent"))
    assert r.returncode == 0 and "Kill rate 100.0% (1/1" in r.stdout, r.stdout
    r = _evaluate(tmp_path, killed + [dict(survivor, explicit_id="C-1")], _record(key, "equivalent"))
    assert r.returncode == 1 and "explicit mutant C-1" in r.stdout, r.stdout
    r = _evaluate(tmp_path, killed, _record("core/calc.c:clamp:boundary:00000000:1", "equivalent"))
    assert r.returncode == 1 and "is no mutant the engine generates" in r.stdout, r.stdout
    r = _evaluate(tmp_path, killed + [survivor], _record(key, "finding", by="A. Tester"))
    assert r.returncode == 1 and "'Recorded by' gives no date" in r.stdout, r.stdout


def test_index_shows_the_full_campaign_per_area(tmp_path):
    """The index of a run with the mutation gate shows the kept full campaign's kill rate and its
    rate per requirement area, as `make mutation` wrote them; without a campaign it says none is
    recorded.

    Verifies: REQ-CRT-020
    """
    import mutate
    results = ([dict(RESULT, key=f"i{i}", status="killed", requirements=["REQ-IRQ-009"]) for i in range(3)] +
               [dict(RESULT, key="i3", status="survived", requirements=["REQ-IRQ-009", "REQ-TRP-004"]),
                dict(RESULT, key="t0", status="killed", requirements=["REQ-TRP-004"])])
    figures, rows = mutate.evaluate(results, {}, {r["key"] for r in results}, [])
    write(tmp_path, "tools/cert/mutation-campaign.md",
          mutate.campaign_text(figures, mutate.report(results, figures, rows, {}, "Run: every mutant.\n")))
    out = tmp_path / "cert"
    write(out, ".start", f"{time.time() - 1:.3f} make cert\n")
    write(out, "mutation.json", json.dumps({"part": "mutation", "title": "Mutation testing", "status": "pass",
                                            "written": time.time(), "figures": [], "problems": []}))
    r = run_tool("index.py", ["--out", out, "--parts", "mutation"], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    index = (out / "index.md").read_text()
    assert "## Mutation testing: the full campaign" in index, index
    assert "| Kill rate | 80.0% (4/5; gate 90%) |" in index, index
    assert "| IRQ | 4 | 3 | 75.0% |" in index and "| TRP | 2 | 1 | 50.0% |" in index, index
    os.remove(tmp_path / "tools" / "cert" / "mutation-campaign.md")
    assert run_tool("index.py", ["--out", out, "--parts", "mutation"], tmp_path).returncode == 0
    assert "No full campaign is recorded" in (out / "index.md").read_text()


def test_unit_program_that_does_not_build_the_file_is_left_out_unless_mapped(tmp_path):
    """A unit program chosen because it names a requirement of the mutated function's tag, but
    which does not compile the mutated file, cannot judge the mutant: it is left out and the other
    tests judge it; one that the file's map entry names is an error of the map; a mutant that no
    test of its selection can build is an error, never a survivor.

    Verifies: REQ-CRT-017
    """
    import mutate
    _tree(tmp_path)
    # unit:other is built from core/skip.c only: a mutant of core/calc.c leaves it as it was.
    write(tmp_path, "Makefile", "$(O)/unit/other: core/skip.c\n\tmkdir -p $(O)/unit && cp core/skip.c $@\n")
    write(tmp_path / "build", "unit/other", "built before the mutant\n")
    m = next(x for x in mutants.mutants_of("core/calc.c", CALC_C) if x.operator == "flip-comparison")
    run = lambda tests, own: mutate.run_mutant(m, tests, str(tmp_path), str(tmp_path / "build"),  # noqa: E731
                                               str(tmp_path / "m"), "", own)
    outcome = run(["unit:other", "cmd:tests/run.sh"], set())
    assert outcome["status"] == "killed" and outcome["by"] == "cmd:tests/run.sh", outcome
    outcome = run(["unit:other", "cmd:tests/run.sh"], {"other"})
    assert outcome["status"] == "error" and "unit:other does not build core/calc.c" in outcome["log"], outcome
    outcome = run(["unit:other"], set())
    assert outcome["status"] == "error" and "none of the tests of its selection builds" in outcome["log"], outcome


def test_a_test_skipped_in_the_evidence_run_judges_nothing():
    """A test the run's own results show skipped (not runnable on the evidence platform) would
    pass whatever the mutant does: it is left out of the mutant's selection and is no problem of
    the gate; a test that failed or never ran is one; a mutant whose every test was skipped has
    no judge.

    Verifies: REQ-CRT-017
    """
    mutate = mutate_module()
    units = {"calc": "tests/unit/test_calc.c"}
    results = {"tests/system/test_probe.py::test_tidcp": "skipped",
               "tests/system/test_probe.py::test_psci": "pass",
               "tests/system/test_boot.py::test_boots": "fail",
               "tests/unit/test_calc.c::test_one": "pass", "tests/unit/test_calc.c::test_two": "skipped"}
    selection = ["tests/system/test_probe.py::test_tidcp", "tests/system/test_probe.py::test_psci",
                 "unit:calc", "cmd:tests/run.sh"]
    assert mutate.judges_of(selection, results, units) == selection[1:]
    assert mutate.judges_of(selection, {}, units) == selection
    assert mutate.judges_of(["tests/system/test_probe.py::test_tidcp"], results, units) == []
    problems = mutate.baseline_problems(["tests/system/test_probe.py::test_psci", "tests/system/test_boot.py",
                                         "tests/system/test_gone.py::test_x", "unit:calc", "cmd:tests/run.sh"],
                                        results, "R", units)
    assert [p.split(":")[0] for p in problems] == ["tests/system/test_boot.py", "tests/system/test_gone.py", "unit"]


def mutate_module():
    import mutate
    return mutate


def test_wilson_interval():
    """The interval the estimate of an incomplete campaign gives: its closed forms at the edges
    (0 of n: up to z^2 / (n + z^2); n of n: from n / (n + z^2)) and its symmetry.

    Verifies: REQ-CRT-028~2
    """
    w = mutate_module().wilson
    assert [round(x, 1) for x in w(0, 10)] == [0.0, 27.8] and [round(x, 1) for x in w(10, 10)] == [72.2, 100.0]
    lo, hi = w(22, 36)
    assert [round(lo, 1), round(hi, 1)] == [44.9, 75.2] and [round(x, 6) for x in w(14, 36)] == [round(100 - hi, 6), round(100 - lo, 6)]
    assert w(0, 0) == (0.0, 100.0)


def test_full_campaign_is_kept_and_resumed(tmp_path):
    """The full campaign is resumable: a run cut by its time box keeps what it ran and says the
    campaign is incomplete and how many are left; the next run takes the kept results whose basis
    (the mutated file and its tests' sources) is unchanged and runs only the rest; a changed test
    source makes its mutants' results stale, so they run again; the result of a mutant the engine
    no longer generates is dropped.

    Verifies: REQ-CRT-028~2
    """
    _tree(tmp_path, explicit="C-1 | REQ-TST-001 | core/calc.c | clamp | return LIMIT; => return x;\n")
    keep = tmp_path / "tools" / "cert" / "mutation-campaign.json"
    total = len(EXPECTED) + 1

    def run(*extra):
        r = run_tool("mutate.py", ["--run", "--all", "--build", tmp_path / "build", "--out", tmp_path / "out",
                                   "--keep", keep, *extra], tmp_path)
        ran = [line.split()[1].rstrip(":") for line in r.stdout.splitlines() if line.strip().startswith("MUTANT")]
        return r, ran, json.load(open(keep))["results"]

    r, ran, kept = run("--time-box", "0")
    assert ran == ["C-1"] and list(kept) == ["core/calc.c:clamp:explicit:C-1"], r.stdout
    assert kept["core/calc.c:clamp:explicit:C-1"]["status"] == "killed"
    assert r.returncode == 1 and f"campaign incomplete: {total - 1} of {total} mutants" in r.stdout, r.stdout
    report = (tmp_path / "out" / "mutation.md").read_text()
    assert f"| Kill rate of all mutants, estimated | none judged yet of {total - 1} |" in report, report
    # Drawn mutants judged so far estimate the whole; explicit and recorded equivalent ones do not count.
    done = ([dict(RESULT, key=f"k{i}", status="killed") for i in range(22)] +
            [dict(RESULT, key=f"s{i}", status="survived") for i in range(15)] +
            [dict(RESULT, key="x", status="killed", explicit_id="C-1"), dict(RESULT, key="b", status="build-error")])
    eq = {"s14": {"kind": "equivalent"}}
    estimate = mutate_module().estimate
    assert estimate(done, 0, eq, 4948) == [
        "Kill rate of all mutants, estimated",
        "61.1% (95% interval 45.0-75.1%): 0 results kept from earlier runs and 38 run now, drawn at random from "
        "the 4948 without a current result, whose kill rate (22/36) stands for the 4910 not yet run"]
    # Kept results are known exactly but are no random sample: only the mutants run now stand for the
    # rest (here 10 kept kills weigh as 10, not as a kill rate of 100% for the 80 left).
    kept = [dict(RESULT, key=f"K{i}", status="killed") for i in range(10)]
    now = [dict(RESULT, key=f"n{i}", status="killed" if i < 5 else "survived") for i in range(10)]
    assert estimate(kept + now, 10, {}, 100)[1].startswith("55.0% (95% interval 33.9-76.1%): 10 results kept")
    # Build errors among those run now thin out the counted part of those not yet run alike.
    errors = [dict(RESULT, key=f"e{i}", status="build-error") for i in range(10)]
    assert estimate(kept + now + errors, 10, {}, 100)[1].startswith("59.1% ")
    # Nothing run now: no estimate, only the bounds of all those left surviving or all killed.
    kept += [dict(RESULT, key=f"S{i}", status="survived") for i in range(2)]
    assert estimate(kept, 12, {}, 100)[1] == (
        "not estimated: 12 results kept from earlier runs (no random sample) and none drawn now; 88 of 100 "
        "without a result put the whole between 10.0% (all surviving) and 98.0% (all killed)")
    r, ran, kept = run()
    assert len(ran) == total - 1 and "C-1" not in ran, r.stdout
    assert len(kept) == total and "campaign incomplete" not in r.stdout, r.stdout
    report = (tmp_path / "out" / "mutation.md").read_text()
    assert f"| Campaign progress | {total} of {total} mutants have a current result |" in report, report
    assert "(1 kept from earlier runs" in report, report
    # Nothing changed: nothing runs, the verdict is the same (survivors without records fail it).
    r2, ran, again = run()
    assert ran == [] and again == kept and r2.returncode == r.returncode
    # A comment of the mutated file changed (a new tag): the code is the same, nothing runs.
    write(tmp_path, "core/calc.c", CALC_C.replace("uint32_t kind(uint32_t x, uint32_t y);\n",
                                                  "/* Implements: REQ-TST-001,\n   its tag */\nuint32_t kind("
                                                  "uint32_t x, uint32_t y);\n"))
    r2, ran, again = run()
    assert ran == [] and again == kept, r2.stdout
    # Another test chosen for them (a map edit): the mutants of that file run again.
    write(tmp_path, "tools/cert/mutation-map.txt", MAP.replace("cmd:tests/run.sh", "cmd:tests/run.sh cmd:tests/again.sh"))
    write(tmp_path, "tests/again.sh", "true\n")
    r2, ran, again = run()
    assert len(ran) == total, r2.stdout
    write(tmp_path, "tools/cert/mutation-map.txt", MAP)
    r2, ran, kept = run()
    assert len(ran) == total, r2.stdout
    # Another test of a file already chosen (same sources, one more test id) changes the basis too.
    import mutate
    m = mutants.mutants_of("core/calc.c", CALC_C)[0]
    write(tmp_path, "tests/test_t.py", "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n")
    old_root, mutate.SRCTREE = mutate.SRCTREE, str(tmp_path)
    try:
        one = mutate.basis(m, ["tests/test_t.py::test_a"], {})
        assert one != mutate.basis(m, ["tests/test_t.py::test_a", "tests/test_t.py::test_b"], {})
        assert one == mutate.basis(m, ["tests/test_t.py::test_a"], {})
    finally:
        mutate.SRCTREE = old_root
    # The test's source changed: every mutant it judges is stale and runs again.
    with open(tmp_path / "tests" / "run.sh", "a") as f:
        f.write("# the same test, edited\n")
    write(tmp_path, "tools/cert/mutation-campaign.json", (tmp_path / "tools" / "cert" / "mutation-campaign.json")
          .read_text().replace('{"format": 1, "results": {\n', '{"format": 1, "results": {\n"core/calc.c:gone:'
                               'constant:00000000:1": {"status": "killed", "basis": "x"},\n'))
    r, ran, kept = run()
    assert len(ran) == total, r.stdout
    assert "core/calc.c:gone:constant:00000000:1" not in kept and len(kept) == total
