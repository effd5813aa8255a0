#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""MISRA C:2012 and other static analysis of the hypervisor sources.

Input: the build's compile_commands.json (`make compile-commands`), so every
file is analysed with the include paths and defines the build uses.

  - MISRA C:2012: cppcheck's misra addon over every hypervisor and partition
    runtime source (core/, arch/arm64/, partitions/runtime/), in one cppcheck
    run so that the cross-file rules (unused macros, types, tags...) see the
    whole program. The compiler's and newlib's system headers are replaced by
    cppcheck's own library models (they are not ours to check).
  - cppcheck's general checks (warning, style, performance, portability) in
    the same run, same scope.
  - Rule 1.2 (language extensions), which the addon does not check: every
    GCC extension of those sources by construct (tools/cert/extensions.py).
  - gcc -fanalyzer with each file's own compiler and flags: the hypervisor,
    the runtime and bhcc.

Every finding must be covered by an entry of docs/safety/deviations.md; the
gate fails on any other. Its PENDING section may list findings while a
branch is being worked on, but every PENDING entry fails the gate. Writes
misra.md/json, static-analysis.md/json and pending-arch.txt (the current
arch/arm64 findings in the PENDING format).
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

import extensions
from common import (DEVIATIONS, HYPERVISOR_DIRS, SRCTREE, Finding, classify, load_deviations, md_table, rel,
                    write_part)

# Short paraphrases of the MISRA C:2012 headlines that appear here (the rule
# texts themselves are the standard's; cppcheck 2.10 prints numbers only).
RULE_TOPICS = {
    "1.2": "language extension", "1.4": "emergent language features (C11)",
    "2.3": "unused type declaration", "2.4": "unused tag declaration", "2.5": "unused macro",
    "2.7": "unused parameter", "5.7": "tag name reused", "5.8": "external identifier reused",
    "5.9": "internal identifier reused", "7.2": "unsigned constant without u suffix",
    "7.3": "lowercase l suffix", "8.2": "prototype without named parameters",
    "8.4": "external definition without visible declaration", "8.5": "external declared more than once",
    "8.6": "external defined not exactly once", "8.7": "external linkage used in one file only",
    "8.9": "object could be at block scope", "8.11": "extern array without size",
    "8.13": "pointer could be to const", "10.1": "operand of inappropriate essential type",
    "10.3": "assignment to narrower or different essential type",
    "10.4": "operands of different essential type categories", "10.6": "composite expression to wider type",
    "10.7": "composite expression and wider operand", "10.8": "composite expression cast to different type",
    "11.1": "conversion of function pointer", "11.3": "cast between object pointer types",
    "11.4": "conversion between pointer and integer", "11.5": "conversion from void pointer",
    "11.6": "cast between void pointer and arithmetic type", "11.8": "cast removing const or volatile",
    "12.1": "implicit operator precedence", "12.2": "shift amount out of range",
    "12.3": "comma operator", "13.3": "increment with other side effects", "13.4": "result of assignment used",
    "14.2": "for loop not well formed", "14.4": "controlling expression not boolean",
    "15.1": "goto", "15.4": "more than one break in a loop", "15.5": "more than one exit from a function",
    "15.6": "body not a compound statement", "15.7": "if-else-if without final else",
    "16.1": "switch not well formed", "16.3": "switch clause without break",
    "16.4": "switch without default", "17.1": "<stdarg.h> used", "17.7": "return value ignored",
    "17.8": "parameter modified", "18.4": "pointer arithmetic with + or -", "19.2": "union",
    "20.1": "#include after code", "20.7": "macro parameter not parenthesised", "20.10": "# or ## operator",
    "21.1": "reserved identifier defined", "21.2": "reserved identifier declared", "21.6": "standard I/O",
}

# Test instrumentation, never linked into a delivered image (CONFIG_COVERAGE).
# Test instrumentation, in no delivered image (CONFIG_COVERAGE, CONFIG_FAULT_INJECTION: CFG-R1, CFG-R11).
VERIFICATION_ONLY = {"core/coverage.c", "core/fault_inject.c", "arch/arm64/fault_inject.c"}

SKIP_IDS = {"missingIncludeSystem", "checkersReport", "unmatchedSuppression", "toomanyconfigs",
            "normalCheckLevelMaxBranches", "missingInclude"}


# The folders analysed: HYPERVISOR_DIRS (the ARM64 hypervisor, the runtime, the
# service partition), or what --scope names (an x86 hypervisor: core/, arch/x86/
# and one vendor back end).
SCOPE = HYPERVISOR_DIRS


def in_scope(path):
    return path.startswith(tuple(d + "/" for d in SCOPE)) or path.startswith("include/")


def cppcheck_groups(compdb):
    """The hypervisor and runtime entries grouped by their flags (one group
    per program: cross-file rules apply within a program), without the system
    include directories and code generation flags cppcheck has no use for."""
    groups = {}
    for e in compdb:
        if not in_scope(e["file"]):
            continue
        args, opts = e["arguments"], []
        i = 1
        while i < len(args):
            a = args[i]
            if a in ("-isystem", "-o"):
                i += 2
                continue
            if a.startswith(("-I", "-D", "-U")):
                opts.append(a)
            i += 1
        # What the compiler predefines for the target and cppcheck does not know.
        if "aarch64" in args[0]:
            opts = ["-D__aarch64__=1", "-D__GNUC__=12", "-D__LP64__=1"] + opts
        elif "-m64" in args:
            opts = ["-D__x86_64__=1", "-D__GNUC__=12", "-D__LP64__=1"] + opts
        groups.setdefault((e["directory"], tuple(opts)), []).append(e["file"])
    return groups


def headers_of(compdb, srcs):
    """The headers the sources include (the compiler's own dependency scan)."""
    heads = set()
    for e in compdb:
        if e["file"] not in srcs:
            continue
        args = [a for a in e["arguments"] if not a.startswith(("-fstack-usage", "-fcallgraph-info", "-MMD", "-MP"))]
        i = args.index("-o")
        args = args[:i] + args[i + 2:]
        args[args.index("-c")] = "-M"
        r = subprocess.run(args + ["-MG"], cwd=e["directory"], capture_output=True, text=True, check=False)
        for tok in r.stdout.replace("\\\n", " ").split():
            if tok.endswith(".h"):
                heads.add(os.path.normpath(os.path.join(e["directory"], tok)))
    return heads


def run_cppcheck(compdb, build, workdir):
    findings, problems, files = [], [], []
    seen = set()
    # Rule 2.5 is about a program: a macro of a header that several programs
    # include (the guest ABI) is unused only if every one of them leaves it unused.
    unused_by_group, includes_by_group = [], []
    for n, ((directory, opts), srcs) in enumerate(sorted(cppcheck_groups(compdb).items())):
        unused_by_group.append(set())
        includes_by_group.append({rel(h, build) for h in headers_of(compdb, srcs)})
        files += srcs
        cdir = os.path.join(workdir, f"g{n}")
        os.makedirs(cdir, exist_ok=True)
        cmd = ["cppcheck", "--std=c11", "--platform=unix64", "--language=c",
               "--enable=warning,style,performance,portability", "--addon=misra",
               "--addon-python=/usr/bin/python3", f"--cppcheck-build-dir={cdir}",
               "--suppress=missingIncludeSystem", "-q",
               "--template={file}\t{line}\t{severity}\t{id}\t{message}"] + list(opts) + srcs
        r = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, check=False)
        if r.returncode != 0:
            problems.append(f"cppcheck exited with {r.returncode}")
        for line in (r.stderr + r.stdout).splitlines():
            parts = line.split("\t")
            if len(parts) != 5:
                if line.strip() and not line.startswith(("Checking", "nofile")):
                    problems.append(f"cppcheck: {line.strip()}")
                continue
            path, lineno, sev, ident, msg = parts
            if ident in SKIP_IDS:
                continue
            path = rel(os.path.join(directory, path), build)
            m = re.match(r"misra-c2012-(\d+\.\d+)$", ident)
            if m:
                f = Finding("misra", m.group(1), path, int(lineno or 0), RULE_TOPICS.get(m.group(1), ""), sev)
            elif ident.startswith("misra"):
                f = Finding("misra", ident, path, int(lineno or 0), msg, sev)
            else:
                f = Finding("cppcheck", ident, path, int(lineno or 0), msg, sev)
            if f.rule == "2.5" and f.file.endswith(".h"):
                unused_by_group[-1].add((f.file, f.line))
            k = (f.tool, f.rule, f.file, f.line, f.message)
            if k not in seen:
                seen.add(k)
                findings.append(f)
    kept = []
    for f in findings:
        if f.rule == "2.5" and f.file.endswith(".h"):
            groups = [g for g, inc in enumerate(includes_by_group) if f.file in inc]
            if not all((f.file, f.line) in unused_by_group[g] for g in groups):
                continue
        kept.append(f)
    return kept, sorted(set(files)), problems


ANALYZER_DROP = ("-fstack-usage", "-fcallgraph-info", "-MMD", "-MP", "-Werror", "-g", "--coverage")


def analyzer_one(entry, build):
    args = [a for a in entry["arguments"] if not a.startswith(ANALYZER_DROP)]
    # Compile only as far as the analyzer needs; no output file.
    i = args.index("-o")
    args[i + 1] = "/dev/null"
    args[args.index("-c")] = "-S"
    args += ["-fanalyzer", "-fdiagnostics-plain-output"]
    r = subprocess.run(args, cwd=entry["directory"], capture_output=True, text=True, check=False)
    findings, problems = [], []
    for line in r.stderr.splitlines():
        m = re.match(r"^(.+?):(\d+):(\d+): warning: (.*) \[(-Wanalyzer-[\w-]+)\]$", line)
        if m:
            path = rel(os.path.join(entry["directory"], m.group(1)), build)
            findings.append(Finding("gcc-analyzer", m.group(5), path, int(m.group(2)), m.group(4), "warning"))
    if r.returncode != 0:
        problems.append(f"{entry['file']}: the compiler failed under -fanalyzer:\n    " +
                        "\n    ".join(r.stderr.strip().splitlines()[-5:]))
    return findings, problems


def run_analyzer(compdb, build):
    findings, problems = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        for fs, ps in ex.map(lambda e: analyzer_one(e, build), compdb):
            findings += fs
            problems += ps
    uniq = {(f.rule, f.file, f.line, f.message): f for f in findings}
    return list(uniq.values()), problems


def extension_findings():
    """Rule 1.2: every language extension of the hypervisor, runtime and guest
    ABI sources (tools/cert/extensions.py), one finding per construct and line."""
    findings = []
    dirs = [d2 for d in SCOPE for d2 in (d, d + "/include")] + ["include/bulkhead"]
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(SRCTREE, d, "*.[ch]"))):
            relpath = os.path.relpath(path, SRCTREE)
            if relpath in VERIFICATION_ONLY:
                continue
            with open(path, errors="replace") as f:
                for line, construct in extensions.scan(f.read()):
                    findings.append(Finding("misra", "1.2", relpath, line, construct, "style"))
    return findings


def finding_rows(findings):
    return [[f"{f.file}:{f.line}", f.function() or "", f.rule, f.message, f.covered_by or "**open**"]
            for f in sorted(findings, key=lambda f: (f.file, f.line, f.rule))]


def deviation_rows(devs, tools):
    return [[d.ident, d.tool, ", ".join(d.rules), ", ".join(d.scope), str(d.used)]
            for d in devs if d.tool in tools]


def pending_lines(findings, arch_dir="arch/arm64/"):
    """The uncovered and pending findings of one architecture's folder, in the PENDING format."""
    groups = collections.OrderedDict()
    for f in sorted(findings, key=lambda f: (f.file, f.function() or "-", f.key, f.line)):
        if f.file.startswith(arch_dir) and f.covered_by in (None, "PENDING"):
            groups.setdefault((f.file, f.function() or "-", f.key), []).append(f.line)
    return [f"{file} {func} {key} {len(lines)}  # lines {','.join(map(str, lines))}"
            for (file, func, key), lines in groups.items()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compdb", required=True)
    ap.add_argument("--build", help="the build folder (generated files are reported as build:<path>)")
    ap.add_argument("--deviations", default=DEVIATIONS)
    ap.add_argument("--out", required=True)
    ap.add_argument("--scope", nargs="+", help="the folders analysed (default: "
                    + " ".join(HYPERVISOR_DIRS) + "); each C source there must be in the compilation database")
    ap.add_argument("--name", help="a suffix of the parts' names (misra-<name>, static-analysis-<name>, "
                    "misra-findings-<name>.json, pending-<name>.txt), for a second program such as an x86 back end")
    args = ap.parse_args()
    global SCOPE
    if args.scope:
        SCOPE = tuple(args.scope)
    sfx = f"-{args.name}" if args.name else ""
    label = f" ({args.name})" if args.name else ""
    arch_dir = next((d + "/" for d in SCOPE if d.startswith("arch/")), "arch/arm64/")

    with open(args.compdb) as f:
        compdb = json.load(f)
    devs, pending, dev_problems = load_deviations(args.deviations)
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cpp_findings, files, cpp_problems = run_cppcheck(compdb, args.build, tmp)
    an_findings, an_problems = run_analyzer(compdb, args.build)

    # Every hypervisor and runtime source must be in some program analysed.
    analysed = {e["file"] for e in compdb}
    for d in SCOPE:
        for path in sorted(glob.glob(os.path.join(SRCTREE, d, "*.c"))):
            if os.path.relpath(path, SRCTREE) not in analysed | VERIFICATION_ONLY:
                cpp_problems.append(f"{os.path.relpath(path, SRCTREE)}: in no program of the compilation "
                                    "database, so not analysed")
    findings = cpp_findings + an_findings + extension_findings()
    open_findings = classify(findings, devs, pending)
    misra = [f for f in findings if f.tool == "misra"]
    other = [f for f in findings if f.tool != "misra"]

    # The Guideline Compliance Summary (gcs.py) reads every MISRA finding and what covers it.
    with open(os.path.join(args.out, f"misra-findings{sfx}.json"), "w") as f:
        json.dump([{"rule": x.rule, "file": x.file, "line": x.line, "message": x.message,
                    "covered_by": x.covered_by} for x in misra], f, indent=1)
    with open(os.path.join(args.out, f"pending-{args.name}.txt" if args.name else "pending-arch.txt"), "w") as f:
        f.write("\n".join(pending_lines(findings, arch_dir)) + "\n")

    status_all = 0
    # ---- MISRA -------------------------------------------------------------
    problems = list(dev_problems) + cpp_problems
    problems += [f"{f.file}:{f.line}: MISRA {f.rule} ({f.message}) not covered by a deviation"
                 + (" (listed as PENDING)" if f.covered_by else "")
                 for f in misra if f.covered_by in (None, "PENDING")]
    by_rule = collections.defaultdict(lambda: collections.Counter())
    for f in misra:
        by_rule[f.rule]["dev" if f.covered_by not in (None, "PENDING") else
                        ("pending" if f.covered_by == "PENDING" else "open")] += 1
    dev_by_rule = collections.defaultdict(set)
    for f in misra:
        if f.covered_by not in (None, "PENDING"):
            dev_by_rule[f.rule].add(f.covered_by)
    rule_key = lambda r: tuple(int(x) if x.isdigit() else 0 for x in r.split("."))
    rows = [[r, RULE_TOPICS.get(r, ""), sum(c.values()), c["dev"], ", ".join(sorted(dev_by_rule[r])),
             c["pending"], c["open"]] for r, c in sorted(by_rule.items(), key=lambda kv: rule_key(kv[0]))]
    n_dev = sum(1 for f in misra if f.covered_by not in (None, "PENDING"))
    n_pend = sum(1 for f in misra if f.covered_by == "PENDING")
    n_open = sum(1 for f in misra if not f.covered_by)
    misra_devs = [d for d in devs if d.tool == "misra"]
    figures = [["Files analysed", str(len(files))], ["MISRA findings", str(len(misra))],
               ["Covered by recorded deviations", f"{n_dev} ({sum(1 for d in misra_devs if d.used)} deviations)"],
               ["PENDING (not accepted, gate)", str(n_pend)], ["Not covered (gate)", str(n_open)]]
    body = ["Checker: cppcheck " + subprocess.run(["cppcheck", "--version"], capture_output=True, text=True).stdout.split()[-1]
            + " with its misra addon (MISRA C:2012 with amendments 1 and 2 as the addon implements them), "
            "one run over: " + ", ".join(sorted(files)) + ".\n",
            "Deviations: [docs/safety/deviations.md](../../docs/safety/deviations.md) (relative to the "
            "source tree). Rules the addon cannot check are covered by review against "
            "docs/safety/coding-standard.md.\n",
            "## Findings by rule\n",
            md_table(["Rule", "Topic", "Findings", "Deviated", "Deviations", "Pending", "Open"], rows),
            "\n## Deviations and how often each is used\n",
            md_table(["Deviation", "Tool", "Rules", "Scope", "Findings covered"], deviation_rows(devs, {"misra"})),
            "\n## Every finding\n",
            md_table(["Where", "Function", "Rule", "Topic", "Covered by"], finding_rows(misra))]
    unused = [d.ident for d in misra_devs if not d.used]
    if unused:
        body.insert(5, "\nDeviations no finding uses (candidates for removal): " + ", ".join(unused) + "\n")
    status_all |= write_part(args.out, "misra" + sfx, "MISRA C:2012" + label, "fail" if problems else "pass", figures,
                             problems, "\n".join(body))

    # ---- other static analysis ----------------------------------------------
    problems = cpp_problems + an_problems
    problems += [f"{f.file}:{f.line}: {f.tool} {f.rule}: {f.message} (" +
                 ("listed as PENDING, not accepted" if f.covered_by else "not recorded") + ")"
                 for f in other if f.covered_by in (None, "PENDING")]
    counts = collections.Counter(f.tool for f in other)
    figures = [["cppcheck findings (warning, style, performance, portability)", str(counts["cppcheck"])],
               ["gcc -fanalyzer findings", str(counts["gcc-analyzer"])],
               ["Files under gcc -fanalyzer", str(len(compdb))],
               ["Recorded and justified", str(sum(1 for f in other if f.covered_by not in (None, "PENDING")))],
               ["PENDING (not accepted, gate)", str(sum(1 for f in other if f.covered_by == "PENDING"))],
               ["Not covered (gate)", str(sum(1 for f in other if not f.covered_by))]]
    body = ["cppcheck: the MISRA run's general checks over the same files. gcc -fanalyzer: every entry of "
            "the compilation database (hypervisor, partition runtime, bhcc) with its own compiler and flags.\n",
            "## Findings\n", md_table(["Where", "Function", "Check", "Message", "Covered by"], finding_rows(other)),
            "\n## Recorded findings\n",
            md_table(["Entry", "Tool", "Checks", "Scope", "Findings covered"],
                     deviation_rows(devs, {"cppcheck", "gcc-analyzer"}))]
    status_all |= write_part(args.out, "static-analysis" + sfx, "Static analysis (cppcheck, gcc -fanalyzer)" + label,
                             "fail" if problems else "pass", figures, problems, "\n".join(body))

    if any(p.used < p.count for p in pending):
        print("          note: PENDING entries larger than the findings; tools/cert pending-arch.txt has the current list")
    sys.exit(status_all)


if __name__ == "__main__":
    main()
