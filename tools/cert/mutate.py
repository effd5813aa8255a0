#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Mutation testing: are the tests able to fail?

Generates the mutants of the hypervisor's C sources (mutants.py: flipped
comparisons and boundaries, swapped Boolean connectives, changed constants,
dropped writes and calls, skipped checks) and the explicit mutants of
mutation-explicit.txt, then, for each mutant run, applies it to a copy of
the source tree, builds it in a build folder of its own (a copy of the
evidence build, so that only the mutated file is recompiled) and runs the
tests mapped to it (mutation-map.txt, or the tests naming the requirements
of the function's Implements tag), cheapest first, stopping at the first
failure. A mutant is killed when a test fails (or times out) and the same
test passes without the mutant in the same build folder (checked once per
test and run: otherwise an engine error), survives when all pass, and is a
build error (not counted) when it does not compile.

Gate: the kill rate (killed / killed + survived, equivalent mutants left
out) is at least 90 %; every survivor has a record in
mutation-records.md (a finding, or an equivalent mutant, with its reason);
every explicit mutant is killed (no record excuses one); no record names a
mutant the engine no longer generates; every file in scope is mapped;
every test used passed in the run's own results.

    mutate.py --list [--sample N --seed S]           the mutants (and the sample)
    mutate.py --run --sample N --seed S --build O --results O/results --out O/cert
    mutate.py --run --all ... --campaign tools/cert/mutation-campaign.md
              --keep tools/cert/mutation-campaign.json [--time-box S]
                                                     the full campaign, resumed: a kept result
                                                     counts while its basis is unchanged

The full campaign takes hours; --keep makes it resumable across runs and
machines. Each result is kept with its basis, a hash of the mutated file's
code (comments left out), the tests chosen to judge it and their sources:
while none changed the result still holds and is not run again; a mutant without a current result runs,
the explicit ones first, then the rest in an order drawn with the seed, so
that a campaign cut short by its time box is a random sample of what is
left. Until every mutant has a current result the campaign is incomplete,
a problem of the gate that names how many are left.
    mutate.py --evaluate results.json --out DIR      the gate on recorded results
    mutate.py --run --only KEY ...                   reproduce chosen mutants
"""
import argparse
import functools
import glob
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

import codelinks
import mutants as mutant_ops
import requirements
from common import SRCTREE, approval_problems, md_table, model_lines, read_md_records, write_part

MAP = os.path.join("tools", "cert", "mutation-map.txt")
EXPLICIT = os.path.join("tools", "cert", "mutation-explicit.txt")
RECORDS = os.path.join("tools", "cert", "mutation-records.md")
KILL_RATE = 90.0
UNIT_TIMEOUT = 60
PYTEST_TIMEOUT = 900
# The system a compile check builds, by the file's interrupt controller.
CHECK_SYSTEMS = (("v2", "default-gicv2", "configs/qemu-aarch64-virt-gicv2.dts"),
                 ("", "default", "configs/qemu-aarch64-virt.dts"))


# ---- inputs -------------------------------------------------------------------

def load_map(problems):
    """(scope folders, {excluded file: reason}, {file: (requirements, tests)})."""
    scope, excluded, entries = [], {}, {}
    path = os.path.join(SRCTREE, MAP)
    if not os.path.exists(path):
        problems.append(f"{MAP} is missing")
        return scope, excluded, entries
    for n, line, _ in model_lines(path):
        if line.startswith("scope "):
            scope.append(line.split(None, 1)[1].strip().rstrip("/"))
        elif line.startswith("exclude "):
            name, _, reason = line[len("exclude "):].partition("|")
            if len(reason.split()) < 3:
                problems.append(f"{MAP}:{n}: an exclusion says why ('exclude <file> | <reason>')")
            excluded[name.strip()] = reason.strip()
        else:
            cells = [c.strip() for c in line.split("|")]
            if len(cells) != 3 or not cells[2]:
                problems.append(f"{MAP}:{n}: expected '<file> | <requirements> | <tests>'")
                continue
            if cells[0] in entries:
                problems.append(f"{MAP}:{n}: {cells[0]} mapped twice")
            entries[cells[0]] = (cells[1].split(), cells[2].split())
    return scope, excluded, entries


def load_explicit(problems):
    """{id: {"requirement", "file", "edits": [(function, from, to)]}}."""
    out = {}
    path = os.path.join(SRCTREE, EXPLICIT)
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.rstrip("\n").split(" | ", 4)]
            if len(cells) != 5 or " => " not in cells[4]:
                problems.append(f"{EXPLICIT}:{n}: expected '<id> | <requirement> | <file> | <function> | "
                                "<from> => <to>'")
                continue
            ident, req, path_, func, change = cells
            old, new = change.split(" => ", 1)
            e = out.setdefault(ident, {"requirement": req, "file": path_, "edits": []})
            if e["file"] != path_ or e["requirement"] != req:
                problems.append(f"{EXPLICIT}:{n}: {ident}: one mutant, one file and one requirement")
            e["edits"].append((func, old.strip(), new.strip()))
    return out


def load_records(problems):
    """{mutant key: {"kind", "reason", "recorded by"}} from mutation-records.md."""
    path = os.path.join(SRCTREE, RECORDS)
    if not os.path.exists(path):
        return {}
    records = read_md_records(path, re.compile(r"^### (\S+)\s*$"))
    for key, r in records.items():
        if r.get("kind") not in ("equivalent", "finding"):
            problems.append(f"{RECORDS}: {key}: Kind is 'equivalent' or 'finding'")
        if len(re.findall(r"[A-Za-z]{2,}", r.get("reason", ""))) < 8:
            problems.append(f"{RECORDS}: {key}: a reason of a few words says nothing (at least 8 words)")
        if not r.get("recorded by"):
            problems.append(f"{RECORDS}: {key} has no 'Recorded by'")
        problems += [f"{RECORDS}: {key}: {p}".replace("'Approved by'", "'Recorded by'")
                     for p in approval_problems(r.get("recorded by"))]
    return records


def generate(problems):
    """All mutants of the files in scope and the explicit ones, sorted by key."""
    scope, excluded, entries = load_map(problems)
    files = sorted(os.path.relpath(p, SRCTREE) for d in scope for p in glob.glob(os.path.join(SRCTREE, d, "*.c")))
    found = []
    for path in files:
        if path in excluded:
            continue
        if path not in entries:
            problems.append(f"{MAP}: {path} is in scope but not mapped (its mutants would have no tests)")
            continue
        with open(os.path.join(SRCTREE, path)) as f:
            found += mutant_ops.mutants_of(path, f.read())
    for path in sorted(set(entries) - set(files)):
        problems.append(f"{MAP}: {path} is mapped but is no source file in scope")
    for ident, e in sorted(load_explicit(problems).items()):
        if not os.path.exists(os.path.join(SRCTREE, e["file"])):
            problems.append(f"{EXPLICIT}: {ident}: no file {e['file']}")
            continue
        with open(os.path.join(SRCTREE, e["file"])) as f:
            m, ps = mutant_ops.explicit_mutant(ident, e["file"], f.read(), e["edits"])
        problems += [f"{EXPLICIT}: {p}" for p in ps]
        if m:
            m.requirements = [e["requirement"]]
            found.append(m)
    return sorted(found, key=lambda m: m.key), entries


def sample(all_mutants, n, seed):
    """The explicit mutants and `n` others drawn with `seed`: the same for the same sources."""
    explicit = [m for m in all_mutants if m.explicit_id]
    generated = [m for m in all_mutants if not m.explicit_id]
    drawn = random.Random(seed).sample(generated, min(n, len(generated)))
    # In the order drawn: a run the time box cuts short is still a random sample.
    return explicit + drawn


# ---- which tests --------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _collected_tests(unit_items):
    """Every test and the IDs it names, read once per run (a full campaign asks thousands of times)."""
    import trace as tracemod
    return tracemod.collect_tests(dict(unit_items))[0]


def tests_naming(reqs, unit_map):
    """The tests whose Verifies line names one of `reqs`: unit programs and pytest node ids."""
    tests = _collected_tests(tuple(sorted(unit_map.items())))
    prog_of = {src: prog for prog, src in unit_map.items()}
    out = []
    for tid, t in sorted(tests.items()):
        if not {i.split("~")[0] for i in t["ids"]} & set(reqs):
            continue
        if t["kind"] == "unit" and t["file"] in prog_of:
            out.append("unit:" + prog_of[t["file"]])
        elif t["kind"] == "system":
            out.append(tid)
    return list(dict.fromkeys(out))


def selection(m, entries, tags, unit_map):
    """(requirements, tests) of mutant `m`: by its function's Implements tag when it has one, else by
    its file's map entry; an explicit mutant adds every test naming its requirement."""
    file_reqs, file_tests = entries.get(m.file, ([], []))
    tag = tags.get((m.file, m.function))
    if tag and tag["ids"]:
        reqs = [i.split("~")[0] for i in tag["ids"]]
        tests = tests_naming(reqs, unit_map)
    else:
        reqs, tests = list(file_reqs), list(file_tests)
    if m.requirements:
        reqs = list(dict.fromkeys(m.requirements + reqs))
        tests = list(dict.fromkeys(tests + tests_naming(m.requirements, unit_map)))
    # Cheapest first: unit programs, then commands, then system tests.
    order = {"unit": 0, "cmd": 1}
    return reqs, sorted(tests, key=lambda t: order.get(t.split(":", 1)[0], 2))


def test_source(t, unit_map):
    """The source file of a test of a selection (unit program, command, pytest node id)."""
    if t.startswith("unit:"):
        return unit_map.get(t[5:])
    if t.startswith("cmd:"):
        return t[4:].split()[0]
    return re.sub(r"\[.*\]$", "", t).split("::")[0]


def code_text(text):
    """`text` without its comments and with its spacing normalised: what the compiler sees, so that
    an edited comment or Implements tag leaves the kept results of the file current."""
    out, at = [], 0
    for t in mutant_ops.TOKEN.finditer(text):
        if t.lastgroup == "comment":
            out.append(text[at:t.start()] + " ")
            at = t.end()
    code = "".join(out) + text[at:]
    return re.sub(r"\s+", lambda w: "\n" if "\n" in w.group() else " ", code)


def basis(m, tests, unit_map):
    """What a mutant's result depends on: the mutated file's code, the tests chosen and their
    sources (their harness, conftest, the headers the file includes and the partitions they boot
    are assumed unchanged in meaning: a known limit)."""
    h = hashlib.sha256()
    h.update("\n".join(sorted(tests)).encode() + b"\0")
    for p in [m.file] + sorted({test_source(t, unit_map) for t in tests} - {None}):
        h.update(p.encode() + b"\0")
        full = os.path.join(SRCTREE, p)
        if not os.path.isfile(full):
            h.update(b"(missing)")
        elif p == m.file:
            h.update(code_text(open(full, encoding="utf-8", errors="replace").read()).encode())
        else:
            h.update(open(full, "rb").read())
    return h.hexdigest()[:16]


KEPT_STATUS = ("killed", "survived", "build-error")


def load_kept(path):
    """{key: result} of a kept campaign (empty when there is none yet)."""
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f).get("results", {})


def save_kept(path, kept):
    """One result a line, sorted by key: a campaign continued on another machine diffs by line."""
    lines = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(kept.items())]
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write('{"format": 1, "results": {\n' + ",\n".join(lines) + "\n}}\n")
    os.replace(tmp, path)


def load_baseline(results_dir, unit_map):
    """{test id: outcome} of the run's own results (cmocka XML, system.xml)."""
    import trace as tracemod
    if not results_dir:
        return {}
    return tracemod.load_results(results_dir, unit_map, ["system.xml"], [])


def baseline_outcomes(t, results, unit_map):
    """The outcomes of test `t` (a unit program, a pytest node or module) in the run's own results."""
    if t.startswith("unit:"):
        src = unit_map.get(t[5:])
        return [v for k, v in results.items() if src and k.startswith(src + "::")]
    name = re.sub(r"\[.*\]$", "", t)
    prefix = name + "::" if "::" not in name else None
    return [v for k, v in results.items() if k == name or (prefix and k.startswith(prefix))]


def judges_of(tests, results, unit_map):
    """The tests of a selection that can judge a mutant here: a test the run's own results show
    skipped everywhere it ran (documented as not runnable on the evidence platform, REQ-TRP-004's
    TIDCP on QEMU 7.2) passes whatever the mutant does, so it is left out, not a problem."""
    if not results:
        return list(tests)
    return [t for t in tests if t.startswith("cmd:") or
            not (baseline_outcomes(t, results, unit_map) and
                 all(v == "skipped" for v in baseline_outcomes(t, results, unit_map)))]


def baseline_problems(tests, results, results_dir, unit_map):
    """Tests of the selection that did not pass in the run's own results."""
    return [f"{t}: did not pass in {results_dir} (a mutant cannot be judged by it)" for t in tests
            if not t.startswith("cmd:") and
            (not baseline_outcomes(t, results, unit_map) or
             any(v != "pass" for v in baseline_outcomes(t, results, unit_map)))]


# ---- running a mutant -----------------------------------------------------------

def copy_tree(dst):
    """The source tree as it is (tracked and untracked files, not the ignored ones), times kept."""
    if os.path.isdir(os.path.join(SRCTREE, ".git")):
        r = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=SRCTREE,
                           capture_output=True, check=True)
        files = [f for f in r.stdout.decode().split("\0") if f]
    else:
        files = [os.path.relpath(os.path.join(root, f), SRCTREE) for root, dirs, fs in os.walk(SRCTREE)
                 for f in fs if not os.path.relpath(root, SRCTREE).startswith(("build", "out", "work"))]
    for f in files:
        src = os.path.join(SRCTREE, f)
        if os.path.isfile(src) and not os.path.islink(src):
            os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(dst, f))


def _run(cmd, cwd, env, timeout):
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, errors="replace", timeout=timeout)
        return r.returncode, (r.stdout + r.stderr)[-3000:]
    except subprocess.TimeoutExpired:
        return None, "timeout"


def run_mutant(m, tests, tree, base, work, newlib, own_units=None):
    """Applies `m` in `tree`, builds it in `work` (the evidence build's unit/ and systest/ copied
    there by the first mutant, put back as `base` has them after each one), runs `tests`; returns
    {"status", "by", "seconds", "log"}. The tree is restored whatever happens. A unit program that
    does not compile the mutated file cannot judge it: one of `own_units` (its file's entry of the
    map names it; None: every unit program) is an error of the map, any other one (chosen because
    it names a requirement of the function's tag) is left out."""
    path = os.path.join(tree, m.file)
    with open(path) as f:
        original = f.read()
    stat = os.stat(path)
    start = time.time()
    # The kernel stamps files with a clock that may lag time_ns() by a tick: a second of margin.
    since = time.time_ns() - 1_000_000_000
    prepare_work(base, work)
    env = dict(os.environ, BULKHEAD_BUILD=work, NEWLIB_DIR=newlib, GCOV_PREFIX=os.path.join(work, "gcov"))
    try:
        with open(path, "w") as f:
            f.write(m.apply(original))
        return dict(_build_and_test(m, tests, tree, base, work, env, own_units), seconds=round(time.time() - start, 1))
    finally:
        with open(path, "w") as f:
            f.write(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        revert_work(base, work, since)


class _Unchanged:
    """A mutant's file left as it is: its tests run the way the mutant's ran, without the mutation."""

    def __init__(self, m):
        self.file = m.file

    def apply(self, text):
        return text


def confirm_kill(m, outcome, tree, base, work, newlib, own_units, verified):
    """A kill counts only if the killing test passes without the mutant in the same build folder: a
    test that fails there anyway (a file the copy lacks, as the TCG plugin once was) would otherwise
    kill every mutant it judges. Each test is checked once per folder (`verified`); a kill by a whole
    pytest run's timeout names no test and stands."""
    if outcome["status"] != "killed" or outcome["by"] in ("timeout", "pytest"):
        return outcome
    test = outcome["by"].replace(" (timeout)", "")
    if test in verified:
        return outcome
    check = run_mutant(_Unchanged(m), [test], tree, base, work, newlib, own_units)
    if check["status"] == "survived":
        verified.add(test)
        return outcome
    return dict(outcome, status="error", by=f"{test} fails without the mutant too, in the mutants' build folder",
                log=check.get("log", ""))


# What the mutants' builds copy of the evidence build: the systems' and unit programs' folders
# (the big ones, on first use) and the configured root the unit programs are built in (at once);
# the rest of `work` is one mutant's own.
WORK_COPIES = ("unit", "systest")
WORK_ROOT = (".config", "gen", "host", "system.d", "system.dtb", "system.dts.pp", "system.path")
WORK_BASE = ".mutation-base"


def prepare_work(base, work):
    """`work` ready for a mutant: kept from the one before when it was made from the same `base`."""
    marker = os.path.join(work, WORK_BASE)
    if os.path.exists(marker) and open(marker).read() == base:
        return
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for name in WORK_ROOT:
        _copy(os.path.join(base, name), os.path.join(work, name))
    with open(marker, "w") as f:
        f.write(base)


def _copy(src, dst):
    """`src` (file, link or folder) to `dst`, times kept; nothing when there is no `src`."""
    if os.path.isdir(src) and not os.path.islink(src):
        shutil.copytree(src, dst, symlinks=True)
    elif os.path.lexists(src):
        shutil.copy2(src, dst, follow_symlinks=False)


def _copy_from_base(base, work, name):
    """The evidence build's `name` (unit/ or systest/) into `work`, once per run."""
    if not os.path.isdir(os.path.join(work, name)):
        _copy(os.path.join(base, name), os.path.join(work, name))
        _drop_its(work)


def _drop_its(work):
    # A system's bulkhead.its names the base's image; make writes it again.
    for its in glob.glob(os.path.join(work, "systest", "*", "bulkhead.its")):
        os.remove(its)


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


def revert_work(base, work, since):
    """Puts `work` back as the evidence build has it: every file written since `since` (ns) is copied
    again from `base` or removed, every folder `base` lacks and everything outside the copies goes,
    what the mutant removed comes back. Copying hundreds of megabytes for every mutant cost more
    than its build and tests; this finds what one mutant changed in a fraction of a second."""
    copies = set(WORK_ROOT) | {n for n in WORK_COPIES if os.path.isdir(os.path.join(work, n))}
    for name in os.listdir(work):
        if name not in copies and name != WORK_BASE:
            _remove(os.path.join(work, name))
    changed, missing = [], []
    for name in sorted(copies):
        top = os.path.join(work, name)
        if not os.path.lexists(os.path.join(base, name)):
            continue
        if not os.path.isdir(top) or os.path.islink(top):
            (missing if not os.path.lexists(top) else changed).append(name)
            continue
        for root, dirs, files in os.walk(top):
            rel = os.path.relpath(root, work)
            for d in list(dirs):
                if os.path.islink(os.path.join(root, d)):
                    files.append(d)
                    dirs.remove(d)
                elif not os.path.isdir(os.path.join(base, rel, d)):
                    shutil.rmtree(os.path.join(root, d))
                    dirs.remove(d)
            changed += [os.path.join(rel, f) for f in files]
        for root, dirs, files in os.walk(os.path.join(base, name)):
            rel = os.path.relpath(root, base)
            missing += [os.path.join(rel, n) for n in dirs + files
                        if not os.path.lexists(os.path.join(work, rel, n)) and n != "bulkhead.its"]
            dirs[:] = [d for d in dirs if os.path.lexists(os.path.join(work, rel, d))
                       and not os.path.islink(os.path.join(root, d))]
    for rel in changed:
        full = os.path.join(work, rel)
        if os.lstat(full).st_mtime_ns >= since:
            os.remove(full)
            _copy(os.path.join(base, rel), full)
    for rel in missing:
        _copy(os.path.join(base, rel), os.path.join(work, rel))
    _drop_its(work)


# --unit-only: the host tests alone; a mutant they do not kill but system tests
# could is left undecided (not judged), which bounds the kill rate from below cheaply.
UNIT_ONLY = False


def _build_and_test(m, tests, tree, base, work, env, own_units=None):
    units = [t[5:] for t in tests if t.startswith("unit:")]
    judged = False
    system = [t for t in tests if not t.startswith(("unit:", "cmd:"))]
    undecided = UNIT_ONLY and bool(system)
    if undecided:
        system = []
    if units:
        _copy_from_base(base, work, "unit")
    if system:
        _copy_from_base(base, work, "systest")
        name, dts = next((n, d) for key, n, d in CHECK_SYSTEMS if key in os.path.basename(m.file))
        rc, log = _run(["make", "-j2", f"O={os.path.join(work, 'systest', name)}", f"SYSTEM={dts}",
                        f"NEWLIB_DIR={env['NEWLIB_DIR']}", "all"], tree, env, 600)
        if rc != 0:
            return {"status": "build-error", "by": name, "log": log}
    for prog in units:
        binary = os.path.join(work, "unit", prog)
        before = os.stat(binary).st_mtime_ns if os.path.exists(binary) else 0
        rc, log = _run(["make", f"O={work}", binary], tree, env, 600)
        if rc != 0:
            return {"status": "build-error", "by": f"unit:{prog}", "log": log}
        if os.stat(binary).st_mtime_ns == before:
            if own_units is None or prog in own_units:
                return {"status": "error", "by": f"unit:{prog}",
                        "log": f"unit:{prog} does not build {m.file}: fix its entry in {MAP}"}
            continue   # it names a requirement of the function but tests other code of it
        judged = True
        rc, log = _run([binary], tree, env, UNIT_TIMEOUT)
        if rc != 0:
            return {"status": "killed", "by": f"unit:{prog}" + (" (timeout)" if rc is None else ""), "log": log}
    for t in tests:
        if t.startswith("cmd:"):
            judged = True
            rc, log = _run(["sh", t[4:]], tree, env, UNIT_TIMEOUT)
            if rc != 0:
                return {"status": "killed", "by": t + (" (timeout)" if rc is None else ""), "log": log}
    log = ""
    if system:
        judged = True
        rc, log = _run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"] + system, tree, env,
                       PYTEST_TIMEOUT)
        if rc is None:
            return {"status": "killed", "by": "timeout", "log": log}
        if rc == 1:
            failed = re.findall(r"^FAILED (\S+)", log, re.M) or re.findall(r"^ERROR (\S+)", log, re.M)
            return {"status": "killed", "by": failed[0] if failed else "pytest", "log": log}
        if rc != 0:
            return {"status": "error", "by": f"pytest exited {rc}", "log": log}
    if undecided:
        return {"status": "undecided", "by": "system tests not run (--unit-only)", "log": ""}
    if not judged:
        return {"status": "error", "by": "no test", "log": f"none of the tests of its selection builds {m.file}"}
    return {"status": "survived", "by": "", "log": log[-300:]}


# ---- the gate -------------------------------------------------------------------

def area(req):
    return req.split("-")[1] if req.count("-") >= 2 else "?"


def counted_results(results, records):
    """The results the kill rate counts: killed or survived, less the survivors recorded as equivalent
    (an explicit mutant always counts: no record excuses it)."""
    return [r for r in results if r["status"] in ("killed", "survived")
            and not (r["status"] == "survived" and not r.get("explicit_id")
                     and records.get(r["key"], {}).get("kind") == "equivalent")]


def evaluate(results, records, generated_keys, problems):
    """Figures, the per-area table and the gate's problems of a list of results."""
    for r in results:
        rec = records.get(r["key"])
        if r["status"] == "error":
            problems.append(f"{r['key']}: the engine could not judge it: {r['by']}: {r.get('log', '')[-300:]}")
        if r["status"] != "survived":
            continue
        if r.get("explicit_id"):
            problems.append(f"explicit mutant {r['explicit_id']} ({r['file']}:{r['function']}, {r['original']} -> "
                            f"{r['replacement']}) survived: the tests of its requirement "
                            f"{', '.join(r['requirements'][:1])} cannot fail on it")
        elif rec is None:
            problems.append(f"{r['key']} survived ({r['file']}:{r['line']} {r['function']}: {r['original']!r} -> "
                            f"{r['replacement']!r}): kill it with a better test or record it in {RECORDS}")
    for key in sorted(set(records) - set(generated_keys)):
        problems.append(f"{RECORDS}: {key} is no mutant the engine generates (the code changed: check the "
                        "record and remove it)")
    judged = [r for r in results if r["status"] in ("killed", "survived")]
    counted = counted_results(results, records)
    equivalent = [r for r in judged if r not in counted]
    killed = sum(1 for r in counted if r["status"] == "killed")
    rate = 100.0 * killed / len(counted) if counted else 100.0
    if rate < KILL_RATE:
        problems.append(f"kill rate {rate:.1f}% is below {KILL_RATE:.0f}%")
    areas = {}
    for r in counted:
        for a in sorted({area(q) for q in r["requirements"]}) or ["?"]:
            k, n = areas.get(a, (0, 0))
            areas[a] = (k + (r["status"] == "killed"), n + 1)
    rows = [[a, str(n), str(k), f"{100.0 * k / n:.1f}%"] for a, (k, n) in sorted(areas.items())]
    undecided = sum(1 for r in results if r["status"] == "undecided")
    figures = [["Kill rate", f"{rate:.1f}% ({killed}/{len(counted)}; gate {KILL_RATE:.0f}%)"],
               ["Mutants run", f"{len(results)}: " + ", ".join(f"{sum(1 for r in results if r['status'] == s)} {s}"
                                                          for s in ("killed", "survived", "build-error", "error",
                                                                    "undecided"))],
               ["Equivalent (recorded, not counted)", str(len(equivalent))],
               ["Survivors recorded as findings", str(sum(1 for r in judged if r["status"] == "survived" and
                                                          records.get(r["key"], {}).get("kind") == "finding"))]]
    if undecided:
        low = 100.0 * killed / (len(counted) + undecided)
        figures.append(["Kill rate, lower bound (undecided counted as survivors)",
                        f"{low:.1f}% ({killed}/{len(counted) + undecided})"])
    return figures, rows


def wilson(k, n, z=1.96):
    """The 95 % (Wilson score) interval of a proportion k of n, in percent."""
    if n == 0:
        return 0.0, 100.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return 100.0 * max(0.0, centre - half), 100.0 * min(1.0, centre + half)


def estimate(results, reused, records, drawn):
    """An incomplete campaign's figure for the whole, from two strata of its `drawn` generated
    mutants (the explicit ones, chosen rather than drawn, are left out): the results kept from
    earlier runs (results[:reused]) are known exactly but are no random sample, since a changed test
    invalidates the results of the mutants it judges, not of a random set; the mutants run now were
    drawn at random, with the seed, from those without a current result, so their kill rate
    estimates the part of these not yet run. Without a mutant judged now there is no estimate, only
    the bounds of every mutant left surviving or killed."""
    kept = [r for r in results[:reused] if not r.get("explicit_id")]
    fresh = [r for r in results[reused:] if not r.get("explicit_id")]
    known = counted_results(kept, records) + counted_results(fresh, records)
    killed = sum(1 for r in known if r["status"] == "killed")
    left = drawn - len(kept) - len(fresh)
    sampled = counted_results(fresh, records)
    title = "Kill rate of all mutants, estimated"
    if not sampled:
        if not known:
            return [title, f"none judged yet of {drawn}"]
        lo, hi = 100.0 * killed / (len(known) + left), 100.0 * (killed + left) / (len(known) + left)
        return [title, f"not estimated: {len(kept)} results kept from earlier runs (no random sample) and none "
                f"drawn now; {left} of {drawn} without a result put the whole between {lo:.1f}% (all surviving) "
                f"and {hi:.1f}% (all killed)"]
    k = sum(1 for r in sampled if r["status"] == "killed")
    counted_left = left * len(sampled) / len(fresh)
    rate = [(killed + counted_left * p / 100.0) / (len(known) + counted_left) * 100.0
            for p in (100.0 * k / len(sampled), *wilson(k, len(sampled)))]
    return [title, f"{rate[0]:.1f}% (95% interval {rate[1]:.1f}-{rate[2]:.1f}%): {len(kept)} results kept from "
            f"earlier runs and {len(fresh)} run now, drawn at random from the {drawn - len(kept)} without a "
            f"current result, whose kill rate ({k}/{len(sampled)}) stands for the {left} not yet run"]


def report(results, figures, rows, records, extra):
    lines = [extra, "\n## Kill rate per requirement area\n",
             "A mutant counts in every area of the requirements its code implements.\n",
             md_table(["Area", "Mutants", "Killed", "Kill rate"], rows),
             "\n## Survivors\n"]
    surv = [r for r in results if r["status"] == "survived"]
    lines.append(md_table(["Mutant", "Where", "Change", "Record"],
                          [[r["explicit_id"] or r["key"], f"{r['file']}:{r['line']} {r['function']}",
                            f"{r['original']} -> {r['replacement']}",
                            ("explicit: must be killed" if r.get("explicit_id") else
                             (records.get(r["key"], {}).get("kind", "**none**")))] for r in surv]) if surv else "None.\n")
    lines.append("\n## Every mutant run\n")
    lines.append(md_table(["Mutant", "Where", "Operator", "Change", "Result", "By", "Seconds"],
                          [[r["explicit_id"] or r["key"], f"{r['file']}:{r['line']}", r["operator"],
                            f"{r['original'][:70]} -> {r['replacement'][:40]}", r["status"], r["by"],
                            str(r.get("seconds", ""))] for r in results]))
    return "\n".join(lines)


def campaign_text(figures, body):
    """tools/cert/mutation-campaign.md, the full run's kept result (index.py shows its per-area table)."""
    return "# Mutation campaign (make mutation)\n\n" + md_table(["Figure", "Value"], figures) + body + "\n"


def as_result(m, reqs, outcome):
    return dict({"key": m.key, "explicit_id": m.explicit_id, "file": m.file, "function": m.function,
                 "line": m.line, "operator": m.operator, "original": m.original, "replacement": m.replacement,
                 "requirements": reqs}, **outcome)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--list", action="store_true")
    mode.add_argument("--run", action="store_true")
    mode.add_argument("--evaluate", help="a mutation-results.json to judge again (no build, no test)")
    ap.add_argument("--sample", type=int, help="how many generated mutants to draw (the explicit ones always run)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--all", action="store_true", help="every mutant (the full campaign)")
    ap.add_argument("--only", nargs="+", help="just these mutants (keys or explicit IDs), to reproduce one")
    ap.add_argument("--build", help="the evidence build folder (systest/, unit/) that mutants copy")
    ap.add_argument("--results", help="the run's results folder: every test used must have passed there")
    ap.add_argument("--newlib", help="the newlib build the partitions link with")
    ap.add_argument("--work", help="where the source copy and the mutants' builds go (default: <build>/mutation)")
    ap.add_argument("--unit-map", nargs="*", default=[], help="program=test source, as for trace.py")
    ap.add_argument("--campaign", help="also write the campaign summary here (the full run's kept result)")
    ap.add_argument("--keep", help="the kept results of the full campaign (JSON): mutants with a current "
                    "result there are not run again, new results are added as they come")
    ap.add_argument("--out", help="where mutation.md/.json go")
    ap.add_argument("--under", help="a folder: draw the sample from its files only (explicit mutants elsewhere left "
                    "out), to measure one part of the tree; not for the gate")
    ap.add_argument("--unit-only", action="store_true", help="run the host tests only: a mutant they do not "
                    "kill whose selection has system tests is undecided (a cheap lower bound; not for the gate)")
    ap.add_argument("--jobs", type=int, default=1, help="mutants run at once, each in a source tree and build "
                    "folder of its own (make mutation: MUTATION_JOBS)")
    ap.add_argument("--time-box", type=int, help="seconds: start no mutant after this (the rest are reported "
                    "as not run; the gate then judges the mutants that ran)")
    args = ap.parse_args()

    global UNIT_ONLY
    UNIT_ONLY = args.unit_only
    problems = []
    reqs_catalogue, _, _ = requirements.load_catalogue()
    records = load_records(problems)
    all_mutants, entries = generate(problems)
    keys = {m.key for m in all_mutants}
    for path, (reqs, _) in sorted(entries.items()):
        for q in reqs:
            p = requirements.check_reference(q, reqs_catalogue)
            if p:
                problems.append(f"{MAP}: {path}: {p}")
    pool = all_mutants
    if args.under:
        pool = [m for m in all_mutants if os.path.commonpath([m.file, args.under]) == args.under.rstrip("/")]
    chosen = pool if (args.all or args.sample is None) else sample(pool, args.sample, args.seed)
    if args.only:
        chosen = [m for m in all_mutants if m.key in args.only or m.explicit_id in args.only]
    if args.list:
        for m in chosen:
            print(f"{m.key}\t{m.line}\t{m.original} -> {m.replacement}")
        print(f"{len(chosen)} of {len(all_mutants)} mutants", file=sys.stderr)
        for p in problems:
            print(p, file=sys.stderr)
        sys.exit(1 if problems else 0)
    progress = None
    if args.evaluate:
        with open(args.evaluate) as f:
            saved = json.load(f)
        results = saved["results"]
        extra = f"Judged again from {args.evaluate}.\n"
    else:
        kept = None
        if args.keep:
            # Results of mutants the engine no longer generates are dropped.
            kept = {k: v for k, v in load_kept(args.keep).items() if k in keys}
        results, took, reused = run_all(chosen, entries, args, problems, kept)
        kind = ("every mutant" if args.all or args.sample is None else
                f"the explicit mutants and a sample of {args.sample} drawn with seed {args.seed}")
        if args.under:
            kind += f", from {args.under} only"
        if args.unit_only:
            kind += ", host tests only (--unit-only)"
        if len(results) < len(chosen):
            kind += f", cut by the time box of {args.time_box} s after {len(results)} of {len(chosen)}"
        ran = len(results) - reused
        extra = (f"Run: {kind}; {len(results)} of the {len(all_mutants)} mutants the sources have"
                 + (f" ({reused} kept from earlier runs, their basis unchanged; {ran} run now)" if kept is not None
                    else "")
                 + f", in {int(took) // 60} min {int(took) % 60} s ({took / max(ran, 1):.1f} s a mutant run).\n")
        if kept is not None:
            save_kept(args.keep, kept)
            current = sum(1 for r in results if r["status"] in KEPT_STATUS)
            progress = ["Campaign progress", f"{current} of {len(chosen)} mutants have a current result"]
            if current < len(chosen):
                problems.append(f"campaign incomplete: {len(chosen) - current} of {len(chosen)} mutants have no "
                                "current result (`make mutation` continues it)")
    figures, rows = evaluate(results, records, keys, problems)
    if progress:
        figures.insert(0, progress)
        if current < len(chosen):
            figures.insert(1, estimate(results, reused, records, sum(1 for m in chosen if not m.explicit_id)))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "mutation-results.json"), "w") as f:
        json.dump({"seed": args.seed, "sample": args.sample, "generated": len(all_mutants), "results": results,
                   "problems": problems}, f, indent=1)
    body = report(results, figures, rows, records, extra)
    if args.campaign:
        with open(args.campaign, "w") as f:
            f.write(campaign_text(figures, body))
    sys.exit(write_part(args.out, "mutation", "Mutation testing", "fail" if problems else "pass", figures, problems,
                        body))


def run_all(chosen, entries, args, problems, kept=None):
    """Runs the mutants of `chosen` (those with a current result in `kept` are taken from it);
    returns (results, seconds, how many were taken from `kept`). With `kept`, every new result is
    added to it and saved at once, so that an interrupted campaign keeps what it ran."""
    unit_map = dict(item.split("=", 1) for item in args.unit_map)
    tags, _ = codelinks.scan(sorted({m.file for m in chosen}))
    results, pending = [], []
    for m in chosen:
        reqs, tests = selection(m, entries, tags, unit_map)
        b = basis(m, tests, unit_map) if kept is not None else None
        k = kept.get(m.key) if kept is not None else None
        if k and k.get("basis") == b and k.get("status") in KEPT_STATUS:
            results.append(dict(k, requirements=reqs))
        else:
            pending.append((m, reqs, tests, b))
    reused = len(results)
    if kept is not None:
        # What is left in a drawn order: a campaign the time box cuts short is a random sample of it.
        rest = [t for t in pending if not t[0].explicit_id]
        random.Random(args.seed).shuffle(rest)
        pending = [t for t in pending if t[0].explicit_id] + rest
    start = time.time()
    if not pending:
        return results, 0.0, reused
    work = os.path.abspath(args.work or os.path.join(args.build, "mutation"))
    shutil.rmtree(work, ignore_errors=True)
    newlib = os.path.abspath(args.newlib or os.path.join(args.build, "newlib"))
    baseline = load_baseline(args.results, unit_map)
    checked = set()
    lock = threading.Lock()
    remaining = list(pending)

    failed = []

    def worker(n):
        try:
            work_on(n)
        except BaseException as e:  # noqa: B036 -- the run fails with it once every worker ended
            failed.append(e)

    def work_on(n):
        # Each worker mutates a source tree and builds in a folder of its own.
        tree = os.path.join(work, f"src{n}")
        copy_tree(tree)
        verified = set()
        while True:
            with lock:
                if not remaining or (args.time_box is not None and time.time() - start > args.time_box
                                 and not remaining[0][0].explicit_id):
                    return
                m, reqs, selected, b = remaining.pop(0)
                tests = judges_of(selected, baseline, unit_map)
                if selected and not tests:
                    problems.append(f"{m.key}: every test that could judge it was skipped in {args.results}")
                new = [t for t in tests if t not in checked]
                checked.update(new)
                problems.extend(baseline_problems(new, baseline, args.results, unit_map))
            own = {t[5:] for t in entries.get(m.file, ([], []))[1] if t.startswith("unit:")}
            base, folder = os.path.abspath(args.build or "."), os.path.join(work, f"m{n}")
            outcome = confirm_kill(m, run_mutant(m, tests, tree, base, folder, newlib, own), tree, base, folder,
                                   newlib, own, verified)
            with lock:
                results.append(as_result(m, reqs, outcome))
                print(f"  MUTANT  {m.explicit_id or m.key}: {outcome['status']} {outcome['by']} "
                      f"({outcome['seconds']} s)", flush=True)
                if kept is not None and outcome["status"] in KEPT_STATUS:
                    kept[m.key] = dict(results[-1], basis=b, log=results[-1].get("log", "")[-300:]
                                       if outcome["status"] == "survived" else "")
                    save_kept(args.keep, kept)
                if args.out:  # what ran so far survives an interrupted run
                    os.makedirs(args.out, exist_ok=True)
                    with open(os.path.join(args.out, "mutation-partial.json"), "w") as f:
                        json.dump({"seed": args.seed, "sample": args.sample, "results": results}, f, indent=1)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(max(1, args.jobs))]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    if failed:
        raise failed[0]
    shutil.rmtree(work, ignore_errors=True)
    return results, time.time() - start, reused


if __name__ == "__main__":
    main()
