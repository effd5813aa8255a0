# SPDX-License-Identifier: MIT
"""Evidence is never stale or missing: the index refuses old part results, each part removes its
old result before it runs, `make unit-test` writes fresh XML and fails with any failing run, and
newlib is rebuilt exactly when its recipe changes, where NEWLIB_DIR says."""
import hashlib
import json
import os
import subprocess
import time

from conftest import SRCTREE, run_tool, write


def _part(out, name, status="pass", written=None):
    write(out, f"{name}.json", json.dumps({"part": name, "title": name, "status": status, "figures": [],
                                           "problems": [], "written": time.time() if written is None else written}))


def _make(tmp_path, *args, env=None):
    return subprocess.run(["make", "-C", SRCTREE, f"O={tmp_path / 'build'}", *args], capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=300)


# ---- the index and the parts (REQ-CRT-009) ------------------------------------------------------

def test_index_refuses_results_older_than_the_run(tmp_path):
    """A part result written before the run began (the part did not run this time) fails the index,
    and so does a run whose start was not recorded; results written during the run pass.

    Verifies: REQ-CRT-009, REQ-CRT-001
    """
    _part(tmp_path, "old", written=time.time() - 3600)
    write(tmp_path, ".start", f"{time.time() - 1:.3f} make cert-quick\n")
    _part(tmp_path, "fresh")
    r = run_tool("index.py", ["--out", tmp_path, "--parts", "fresh", "old"])
    assert r.returncode == 1 and "FAIL (old)" in r.stdout, r.stdout
    assert "before this run began" in (tmp_path / "index.md").read_text()
    assert run_tool("index.py", ["--out", tmp_path, "--parts", "fresh"]).returncode == 0
    os.remove(tmp_path / ".start")
    r = run_tool("index.py", ["--out", tmp_path, "--parts", "fresh"])
    assert r.returncode == 1 and "no start of run recorded" in (tmp_path / "index.md").read_text()


def test_part_removes_its_old_result_before_its_build(tmp_path):
    """When a part's evidence build fails, the part's result of an earlier run is gone, so the index
    reports the part as not run instead of its old PASS.

    Verifies: REQ-CRT-009
    """
    cert = tmp_path / "build" / "cert"
    for part in ("misra", "static-analysis", "stack"):
        _part(cert, part, written=time.time() - 3600)
    # CERT_SUBMAKE=false: the evidence build (cert-hyp, cert-images) fails at once.
    for target, parts in (("cert-analysis", ("misra", "static-analysis")), ("cert-stack", ("stack",))):
        r = _make(tmp_path, target, "CERT_SUBMAKE=false")
        assert r.returncode != 0, r.stdout + r.stderr
        for part in parts:
            assert not (cert / f"{part}.json").exists(), f"{target} left {part}.json of an earlier run"
    write(cert, ".start", f"{time.time():.3f} make cert-quick\n")
    r = run_tool("index.py", ["--out", cert, "--parts", "misra", "stack"])
    assert r.returncode == 1 and "did not run" in (cert / "index.md").read_text()


# ---- unit-test results (REQ-CRT-009) ------------------------------------------------------------

def _unit_test(tmp_path, fail=None):
    env = {"CERT_FIXTURE_FAIL": fail} if fail else {}
    return _make(tmp_path, "unit-test", "UNIT_TESTS=fixture", "UT_fixture_SRCS=tests/cert/fixtures/unit_run.c",
                 env=env)


def test_unit_test_results_are_fresh(tmp_path):
    """An XML result left by an earlier run is replaced by this run's (cmocka would not overwrite it).

    Verifies: REQ-CRT-009
    """
    xml = write(tmp_path / "build" / "results", "unit-fixture.xml", "<testsuites><!-- earlier run --></testsuites>")
    r = _unit_test(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    text = open(xml).read()
    assert "earlier run" not in text and 'name="test_fixture_run"' in text, text


def test_unit_test_fails_when_any_run_fails(tmp_path):
    """A program that fails only in the run that writes its XML fails `make unit-test`, as does one
    that fails in both.

    Verifies: REQ-CRT-009
    """
    r = _unit_test(tmp_path, "xml")
    assert r.returncode != 0 and "failed in its XML run" in r.stderr, r.stdout + r.stderr
    r = _unit_test(tmp_path, "always")
    assert r.returncode != 0, r.stdout + r.stderr


# ---- newlib (REQ-CRT-012) -----------------------------------------------------------------------

def _newlib_plan(tmp_path, newlib):
    """What `make newlib` would do (make -n)."""
    r = _make(tmp_path, "-n", "newlib", f"NEWLIB_DIR={newlib}")
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_newlib_rebuilt_when_its_recipe_changes_only(tmp_path):
    """newlib is rebuilt when it is missing or its stamp holds another recipe's hash, and not when
    only the dates say so (a libc.a older than the recipe, as in a fresh clone).

    Verifies: REQ-CRT-012
    """
    newlib = tmp_path / "newlib"
    assert "build-newlib.sh " + str(newlib) in _newlib_plan(tmp_path, newlib)
    libc = write(newlib, "install/aarch64-none-elf/lib/libc.a", "")
    with open(os.path.join(SRCTREE, "scripts", "build-newlib.sh"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    write(newlib, "install/recipe.sha256", digest + "\n")
    os.utime(libc, (0, 0))
    assert "build-newlib.sh" not in _newlib_plan(tmp_path, newlib)
    write(newlib, "install/recipe.sha256", "0" * 64 + "\n")
    assert "build-newlib.sh " + str(newlib) in _newlib_plan(tmp_path, newlib)


def test_newlib_dir_is_honoured_everywhere(tmp_path):
    """NEWLIB_DIR (made absolute) is what every build of another system is given, what make exports,
    and what the system-test harness and the benchmarks use.

    Verifies: REQ-CRT-012
    """
    r = subprocess.run(["make", "-C", SRCTREE, f"O={tmp_path / 'build'}", "NEWLIB_DIR=rel/newlib", "-n", "-p",
                        "newlib"], capture_output=True, text=True)
    assert f"NEWLIB_DIR := {os.path.join(SRCTREE, 'rel', 'newlib')}\n" in r.stdout
    # Every recipe that runs make for another build folder passes NEWLIB_DIR on.
    submakes = [line for line in r.stdout.replace("\\\n", " ").splitlines()
                if "$(MAKE)" in line and "O=" in line and "O=$(O) " not in line + " "]
    assert submakes
    for line in submakes:
        assert "NEWLIB_DIR=$(NEWLIB_DIR)" in line, line
    env = dict(os.environ, NEWLIB_DIR=str(tmp_path / "elsewhere"))
    for module, path in (("harness", "tests/system"), ("bench", "tests/bench")):
        code = f"import sys; sys.path.insert(0, {os.path.join(SRCTREE, path)!r}); import {module}; print({module}.NEWLIB)"
        out = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=env)
        assert out.stdout.strip() == str(tmp_path / "elsewhere"), module + out.stderr
