#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Structural coverage: statements (gcov lines) and branches, from the host
unit tests and from the hypervisor as it runs in QEMU, merged per file and
per function.

  host    the .gcda files the cmocka programs leave in $(O)/unit (core/,
          tools/configc/ and the table builder run on the host)
  target  the .gcda files each QEMU run of the coverage builds printed on its
          console (tests/system/harness.py with BULKHEAD_COVERAGE=1 saves them
          under $(O)/systest-cov/<system>/coverage-runs/<n>/)

gcovr reads the host set and each system's runs into JSON tracefiles and
merges them (gcovr -a). Every system's own counters (complete runs, hypervisor
statements its runs executed) are checked against
tools/cert/coverage-systems.txt, so that a system whose tests stop running is
named even when the totals hardly move. Every exclusion (a GCOVR_EXCL or
LCOV_EXCL marker in a source, a file left out) is listed with its reason.

Gate: a figure under tools/cert/coverage-threshold.txt; a threshold lower
than in the file's last commit, or lowered by a commit that gives no
"Threshold-lowered: <reason>" (thresholds only go up; the same holds for
coverage-systems.txt); a system under its counters, a system that ran but is
not listed there; an exclusion marker without a reason or without its end; a
QEMU run of a coverage build that printed no complete, intact dump. A system
test that fails only on a coverage build (a timing bound, under
instrumentation) is listed; its verdict is the normal build's.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from common import SRCTREE, fmt_pct, md_table, model_lines, pct, pmccabe, write_part

THRESHOLDS = os.path.join(SRCTREE, "tools", "cert", "coverage-threshold.txt")
SYSTEMS = os.path.join(SRCTREE, "tools", "cert", "coverage-systems.txt")
SYSTEM_COUNTERS = ("runs", "statements")
NAMES = ["host-statements", "host-branches", "target-statements", "target-branches",
         "merged-statements", "merged-branches", "x86-target-statements", "x86-target-branches",
         "x86-merged-statements", "x86-merged-branches"]
# The x86 back end's own files (arch/x86/) are measured in figures of their
# own (x86-target, x86-merged): its systems run fewer and different tests than
# ARM64's, and one total over both back ends would let a well-tested one hide
# an untested one. target and merged cover the rest (core/, arch/arm64/, the
# configuration compiler's host-tested code); core/ is shared, so runs of
# either architecture count for it. host stays the unit tests' whole figure.
X86_DIR = "arch/x86/"


def is_x86(name):
    return name.startswith(X86_DIR)
# Verification-only code: never linked into a delivered image.
EXCLUDE = ["core/coverage.c", "core/fault_inject.c", "arch/arm64/fault_inject.c"]
EXCLUDE_REASON = "verification-only code (CONFIG_COVERAGE, CONFIG_FAULT_INJECTION), never in a delivered image"
# The exclusion markers gcovr honours (its default prefix [GL]COVR?: GCOVR_,
# LCOV_...), and the kinds this gcovr does not know (they exclude nothing).
MARKER = re.compile(r"\b[GL]COVR?_EXCL_([A-Z_]+)\b(.*)$")
MARKER_KINDS = ("LINE", "START", "STOP", "BR_LINE", "BR_START", "BR_STOP")


def gcovr(search, out_json, extra=()):
    cmd = ["gcovr", "-r", SRCTREE, "--json", out_json, "--exclude", os.path.join(SRCTREE, "tests") + "/",
           "--exclude-unreachable-branches"]
    for e in EXCLUDE:
        cmd += ["--exclude", os.path.join(SRCTREE, e)]
    cmd += list(extra) + list(search)
    r = subprocess.run(cmd, cwd=SRCTREE, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise RuntimeError("gcovr failed: " + (r.stderr or r.stdout)[-2000:])
    with open(out_json) as f:
        return json.load(f)


def tally(data):
    """{file: {"lines": {n: count}, "branches": {(n, i): count}, "functions": {name: count}}}"""
    files = {}
    for f in data.get("files", []):
        name = f["file"]
        if os.path.isabs(name) or name.startswith(".."):
            continue
        t = files.setdefault(name, {"lines": {}, "branches": {}, "functions": {}})
        for ln in f["lines"]:
            if ln.get("gcovr/noncode") or ln.get("gcovr/excluded"):
                continue
            n = ln["line_number"]
            t["lines"][n] = t["lines"].get(n, 0) + ln["count"]
            for i, b in enumerate(ln.get("branches", [])):
                t["branches"][(n, i)] = t["branches"].get((n, i), 0) + b["count"]
        for fn in f.get("functions", []):
            t["functions"][fn["name"]] = t["functions"].get(fn["name"], 0) + fn["execution_count"]
    return files


def merge(*sets):
    out = {}
    for src in sets:
        for name, t in src.items():
            m = out.setdefault(name, {"lines": {}, "branches": {}, "functions": {}})
            for k in ("lines", "branches", "functions"):
                for key, c in t[k].items():
                    m[k][key] = m[k].get(key, 0) + c
    return out


def totals(files, select=lambda n: True):
    lc = lt = bc = bt = 0
    for name, t in files.items():
        if not select(name):
            continue
        lt += len(t["lines"])
        lc += sum(1 for c in t["lines"].values() if c)
        bt += len(t["branches"])
        bc += sum(1 for c in t["branches"].values() if c)
    return lc, lt, bc, bt


def load_thresholds(path):
    vals = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) == 2:
                vals[line[0]] = float(line[1])
    return vals


LOWERED = "Threshold-lowered:"


def _values(text):
    """"name value" lines (thresholds) and "system runs statements" lines
    (coverage-systems.txt, as keys "system runs" and "system statements")."""
    vals = {}
    for line in text.splitlines():
        w = line.split("#", 1)[0].split()
        try:
            if len(w) == 2:
                vals[w[0]] = float(w[1])
            elif len(w) == 1 + len(SYSTEM_COUNTERS):
                vals.update({f"{w[0]} {c}": float(v) for c, v in zip(SYSTEM_COUNTERS, w[1:])})
        except ValueError:
            continue
    return vals


def history_problems(path):
    """Thresholds (and the per-system counters) only go up: every committed version of the file must hold
    values at least those of the version before it, unless the commit that
    lowered one says why in a "Threshold-lowered: <reason>" line of its
    message; the file as it is now must not be under its last commit.
    Returns (problems, note); the note lists every accepted lowering."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=os.path.dirname(path),
                         capture_output=True, text=True)
    if top.returncode != 0:
        return [], "not a git checkout: threshold history not checked"
    relpath = os.path.relpath(os.path.realpath(path), os.path.realpath(top.stdout.strip()))
    log = subprocess.run(["git", "log", "--reverse", "--format=%H%x00%B%x01", "--", relpath],
                         cwd=top.stdout.strip(), capture_output=True, text=True).stdout
    problems, accepted = [], []
    prev = None
    for entry in log.split("\x01"):
        if "\x00" not in entry:
            continue
        commit, message = entry.strip("\n").split("\x00", 1)
        shown = subprocess.run(["git", "show", f"{commit}:{relpath}"], cwd=top.stdout.strip(),
                               capture_output=True, text=True)
        cur = _values(shown.stdout) if shown.returncode == 0 else {}
        if prev is not None:
            lowered = [f"{k} {prev[k]} -> {cur[k]}" for k in cur if k in prev and cur[k] + 1e-9 < prev[k]]
            reason = next((l.split(":", 1)[1].strip() for l in message.splitlines() if l.startswith(LOWERED)), "")
            if lowered and reason:
                accepted.append(f"{commit[:10]}: {', '.join(lowered)} ({reason})")
            elif lowered:
                problems.append(f"{relpath}: commit {commit[:10]} lowered {', '.join(lowered)} without a "
                                f"'{LOWERED} <reason>' line; thresholds only go up")
        prev = cur
    with open(path) as f:
        now = _values(f.read())
    if prev is not None:
        for k, v in now.items():
            if k in prev and v + 1e-9 < prev[k]:
                problems.append(f"{relpath}: {k} lowered to {v} (last commit has {prev[k]}); thresholds only go up")
    note = f"history of {len(log.split(chr(1))) - 1} committed version(s) checked"
    if accepted:
        note += "; lowered on purpose: " + "; ".join(accepted)
    return problems, note


def load_systems(path):
    """{system: {counter: minimum}} and the problems of coverage-systems.txt."""
    systems, problems = {}, []
    if not os.path.exists(path):
        return systems, [f"{os.path.relpath(path, SRCTREE)} is missing"]
    for n, text, w in model_lines(path):
        if len(w) != 1 + len(SYSTEM_COUNTERS) or not all(v.isdigit() for v in w[1:]):
            problems.append(f"{os.path.relpath(path, SRCTREE)}:{n}: expected '<system> "
                            + " ".join(f"<{c}>" for c in SYSTEM_COUNTERS) + f"', got '{text}'")
        elif w[0] in systems:
            problems.append(f"{os.path.relpath(path, SRCTREE)}:{n}: {w[0]} listed twice")
        else:
            systems[w[0]] = dict(zip(SYSTEM_COUNTERS, (int(v) for v in w[1:])))
    return systems, problems


def system_problems(expected, measured, path):
    """Each listed system must have run, with at least its counters; each
    system that ran must be listed. `measured`: {system: {counter: value}}."""
    problems = []
    name = os.path.relpath(path, SRCTREE)
    for system, want in sorted(expected.items()):
        have = measured.get(system)
        if have is None:
            problems.append(f"system {system}: no coverage run (expected {want['runs']}): its system tests "
                            "did not run on a coverage build")
            continue
        for c in SYSTEM_COUNTERS:
            if have[c] < want[c]:
                problems.append(f"system {system}: {have[c]} {c}, {name} expects at least {want[c]}")
    for system in sorted(set(measured) - set(expected)):
        problems.append(f"system {system} ran on a coverage build but is not in {name}: add it with its "
                        f"counters ({' '.join(str(measured[system][c]) for c in SYSTEM_COUNTERS)})")
    return problems


def exclusions(files):
    """Every GCOVR_EXCL/LCOV_EXCL marker of the source files `files` (relative
    to the source tree): ([file, first line, last line, kind, reason]), problems).
    A marker must give its reason after it on the same line."""
    rows, problems = [], []
    for path in sorted(files):
        full = os.path.join(SRCTREE, path)
        if not os.path.isfile(full):
            continue
        opened = {}
        with open(full, errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = MARKER.search(line)
                if not m:
                    continue
                kind = m.group(1)
                if kind not in MARKER_KINDS:
                    problems.append(f"{path}:{n}: {m.group(0).split()[0]} is not a marker gcovr knows "
                                    f"({', '.join(MARKER_KINDS)}): it excludes nothing")
                    continue
                reason = re.sub(r"\*/.*$", "", m.group(2)).strip(" :-\t")
                region = "BR" if kind.startswith("BR_") else "LINE"
                if kind.endswith("START"):
                    if region in opened:
                        problems.append(f"{path}:{n}: {m.group(0).split()[0]} inside the region opened at line "
                                        f"{opened[region][0]}")
                    opened[region] = (n, kind, reason)
                elif kind.endswith("STOP"):
                    if region not in opened:
                        problems.append(f"{path}:{n}: exclusion STOP without a START")
                        continue
                    first, start_kind, start_reason = opened.pop(region)
                    rows.append([path, first, n, start_kind.replace("_START", " region"), start_reason])
                else:
                    rows.append([path, n, n, kind, reason])
            for region, (first, kind, _) in opened.items():
                problems.append(f"{path}:{first}: exclusion {kind} never stopped: it excludes the rest of the file")
    for r in rows:
        if not r[4]:
            problems.append(f"{r[0]}:{r[1]}: coverage exclusion ({r[3]}) without a reason; write it after the "
                            "marker, e.g. /* GCOVR_EXCL_LINE: why this line cannot run in any test */")
    return rows, problems


def run_gcovr_per_system(runs, out):
    """One gcovr tracefile per system: {system: (tracefile, tally)} from the
    runs (folders <system>/coverage-runs/<n>) that hold .gcda files."""
    by_system = {}
    for run in runs:
        if glob.glob(os.path.join(run, "**", "*.gcda"), recursive=True):
            by_system.setdefault(run.split(os.sep)[-3], []).append(run)
    os.makedirs(os.path.join(out, "systems"), exist_ok=True)
    # One at a time: gcov writes its intermediate files next to the sources,
    # under the same names for every system.
    out_files = {}
    for name in sorted(by_system):
        path = os.path.join(out, "systems", name + ".json")
        out_files[name] = (path, tally(gcovr(by_system[name], path)))
    return out_files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unit", required=True, help="folder with the unit tests' .gcda files")
    ap.add_argument("--target", required=True, help="folder with the coverage builds (systest-cov)")
    ap.add_argument("--results", help="pytest JUnit XML of the system tests on the coverage builds")
    ap.add_argument("--thresholds", default=THRESHOLDS)
    ap.add_argument("--systems", default=SYSTEMS, help="the instrumented systems and their minimum counters")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    out = os.path.join(args.out, "coverage")
    os.makedirs(out, exist_ok=True)
    problems = []

    runs = sorted(glob.glob(os.path.join(args.target, "*", "coverage-runs", "*")))
    complete = 0
    complete_by_system = {}
    for run in runs:
        info = open(os.path.join(run, "dump.txt")).read() if os.path.exists(os.path.join(run, "dump.txt")) else ""
        system = run.split(os.sep)[-3]
        complete_by_system.setdefault(system, 0)
        if "complete: True" in info and "error:" not in info:
            complete += 1
            complete_by_system[system] += 1
        else:
            problems.append(f"{os.path.relpath(run, args.target)}: no complete, intact coverage dump "
                            f"({info.strip().replace(chr(10), '; ') or 'no dump.txt'})")
    if not runs:
        problems.append(f"no coverage runs under {args.target} (run `make system-test-cov`)")
    # The verdict of a test comes from the normal build (traceability); on a
    # coverage build the instrumentation changes timing, so a timing bound may
    # fail there. Such a run still counts, and the report names it.
    cov_failures = []
    if args.results:
        if not os.path.exists(args.results):
            problems.append(f"{args.results} missing: the system tests did not run on the coverage builds")
        else:
            for tc in ET.parse(args.results).getroot().iter("testcase"):
                if any(c.tag in ("failure", "error") for c in tc):
                    cov_failures.append(f"{tc.get('classname')}.{tc.get('name')}")

    host = tally(gcovr([args.unit], os.path.join(out, "host.json")))
    per_system = run_gcovr_per_system(runs, out)
    if per_system:
        target = tally(gcovr([], os.path.join(out, "target.json"),
                             [a for name in sorted(per_system) for a in ("-a", per_system[name][0])]))
    else:
        target = tally(gcovr([args.target], os.path.join(out, "target.json")))
    merged = merge(host, target)

    # Each system's own counters, against coverage-systems.txt.
    measured = {name: {"runs": n, "statements": totals(per_system[name][1])[0] if name in per_system else 0}
                for name, n in complete_by_system.items()}
    expected, sys_problems = load_systems(args.systems)
    sys_problems += system_problems(expected, measured, args.systems)
    sys_hist, sys_hist_note = history_problems(args.systems) if os.path.exists(args.systems) else ([], "")
    problems += sys_problems + sys_hist
    system_rows = []
    for name in sorted(set(expected) | set(measured)):
        want, have = expected.get(name), measured.get(name)
        ok = want is not None and have is not None and all(have[c] >= want[c] for c in SYSTEM_COUNTERS)
        system_rows.append([name] + [str(have[c]) if have else "**none**" for c in SYSTEM_COUNTERS] +
                           [str(want[c]) if want else "**not listed**" for c in SYSTEM_COUNTERS] +
                           ["ok" if ok else "**FAIL**"])

    # Every exclusion, with its reason.
    excl_rows, excl_problems = exclusions(set(merged) | set(EXCLUDE))
    problems += excl_problems
    excluded_lines = sum(r[2] - r[1] + 1 for r in excl_rows)
    subprocess.run(["gcovr", "-r", SRCTREE, "-a", os.path.join(out, "host.json"), "-a", os.path.join(out, "target.json"),
                    "--html-details", os.path.join(out, "index.html"), "--html-title", "Bulkhead: host and on-target coverage",
                    "--json", os.path.join(out, "merged.json")],
                   cwd=SRCTREE, capture_output=True, text=True, check=False)

    figs = {}
    not_x86 = lambda n: not is_x86(n)  # noqa: E731
    for label, files, select in (("host", host, lambda n: True), ("target", target, not_x86), ("merged", merged, not_x86),
                                 ("x86-target", target, is_x86), ("x86-merged", merged, is_x86)):
        lc, lt, bc, bt = totals(files, select)
        figs[f"{label}-statements"] = (lc, lt)
        figs[f"{label}-branches"] = (bc, bt)

    thresholds = load_thresholds(args.thresholds)
    hist, hist_note = history_problems(args.thresholds)
    problems += hist
    rows = []
    for name in NAMES:
        num, den = figs[name]
        have = pct(num, den)
        need = thresholds.get(name)
        if need is None:
            problems.append(f"{os.path.relpath(args.thresholds, SRCTREE)}: no threshold for {name}")
            status = "no threshold"
        elif have + 1e-9 < need:
            problems.append(f"{name}: {have:.1f}% is under the threshold {need}%")
            status = "UNDER"
        else:
            status = "ok" + (f" (raise the threshold to {have:.1f})" if have - need >= 0.5 else "")
        rows.append([name, fmt_pct(num, den), f"{need}%" if need is not None else "-", status])

    figures = [[n.replace("-", " "), fmt_pct(*figs[n])] for n in NAMES]
    figures.append(["Coverage runs in QEMU", f"{complete} of {len(runs)} with a complete dump"])
    figures.append(["Systems run on coverage builds", f"{sum(1 for r in system_rows if r[-1] == 'ok')} of "
                    f"{len(expected)} listed at their counters" +
                    (f", {len(sys_problems)} problem(s)" if sys_problems else "")])
    figures.append(["Coverage exclusions", f"{len(excl_rows)} marker(s) over {excluded_lines} source "
                    f"line(s); {len(EXCLUDE)} file(s) left out"])
    if cov_failures:
        figures.append(["Tests failing only on the coverage build", str(len(cov_failures))])

    # Per file.
    file_rows = []
    for name in sorted(merged):
        cells = [name]
        for files in (host, target, merged):
            t = files.get(name)
            if t is None:
                cells += ["-", "-"]
            else:
                lc, lt, bc, bt = totals({name: t})
                cells += [fmt_pct(lc, lt), fmt_pct(bc, bt) if bt else "-"]
        file_rows.append(cells)

    # Per function (merged), from the functions' line ranges.
    ranges = {}
    for r in pmccabe(sorted(merged)):
        ranges.setdefault(r[5], []).append((r[3], r[3] + r[4] - 1, r[7]))
    fn_rows = []
    for name in sorted(merged):
        t = merged[name]
        for first, last, fn in sorted(ranges.get(name, [])):
            lines = {n: c for n, c in t["lines"].items() if first <= n <= last}
            if not lines:
                continue
            br = {k: c for k, c in t["branches"].items() if first <= k[0] <= last}
            lc = sum(1 for c in lines.values() if c)
            bc = sum(1 for c in br.values() if c)
            where = []
            if name in host and any(first <= n <= last and c for n, c in host[name]["lines"].items()):
                where.append("host")
            if name in target and any(first <= n <= last and c for n, c in target[name]["lines"].items()):
                where.append("target")
            fn_rows.append([f"{name}:{fn}", fmt_pct(lc, len(lines)), fmt_pct(bc, len(br)) if br else "-",
                            "+".join(where) or "**never run**"])

    body = ["Statements are gcov's executable lines; branches are gcov's branch outcomes (unreachable ones "
            "excluded). Host: the cmocka unit tests. Target: the hypervisor built with CONFIG_COVERAGE and run by "
            "the QEMU system tests; the counters are printed on the console at power-off and decoded into .gcda "
            f"files ({complete} runs). Exclusions: see below. "
            f"Thresholds: tools/cert/coverage-threshold.txt ({hist_note}).\n",
            "Line-by-line merged report: [coverage/index.html](coverage/index.html).\n",
            ("Tests that failed on a coverage build (their runs still count; their verdict is the normal "
             "build's, see traceability.md; instrumentation slows the hypervisor, so timing bounds may not "
             "hold there): " + ", ".join(cov_failures) + ".\n") if cov_failures else "",
            "## Against the thresholds\n",
            md_table(["Figure", "Measured", "Threshold", "Status"], rows),
            "\n## Per system (coverage builds of the system tests)\n",
            "Complete runs of each system and the hypervisor statements they executed, against "
            f"tools/cert/coverage-systems.txt{' (' + sys_hist_note + ')' if sys_hist_note else ''}: a system "
            "whose tests stop running is named here even when the totals hardly move.\n",
            md_table(["System", "Runs", "Statements executed", "Expected runs", "Expected statements", "Status"],
                     system_rows),
            "\n## Exclusions\n",
            "Code left out of the figures, each with its reason: files left out of every report, and every "
            "GCOVR_EXCL/LCOV_EXCL marker of the measured sources (gcovr honours both).\n",
            md_table(["Where", "Lines", "Kind", "Reason"],
                     [[e, "all", "file", EXCLUDE_REASON] for e in EXCLUDE] +
                     [[r[0], f"{r[1]}-{r[2]}" if r[2] != r[1] else str(r[1]), r[3], r[4] or "**none given**"]
                      for r in excl_rows]),
            "\n## Per file\n",
            md_table(["File", "Host statements", "Host branches", "Target statements", "Target branches",
                      "Merged statements", "Merged branches"], file_rows),
            "\n## Per function (merged)\n",
            md_table(["Function", "Statements", "Branches", "Run by"], fn_rows)]
    sys.exit(write_part(args.out, "coverage", "Structural coverage", "fail" if problems else "pass", figures,
                        problems, "\n".join(body)))


if __name__ == "__main__":
    main()
