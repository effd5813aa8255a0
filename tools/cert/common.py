# SPDX-License-Identifier: MIT
"""Shared pieces of the certification suite (tools/cert/*.py).

Each part writes <out>/<part>.md for people and <out>/<part>.json for the
index: {"part", "title", "status": "pass"|"fail", "figures": [[name, value]],
"problems": [text], "written": seconds since the epoch} (the index refuses
a result written before the run it indexes began). Run by Debian's
/usr/bin/python3; standard library only.
"""
import fnmatch
import json
import os
import re
import subprocess
import tempfile
import time

import extensions

# The source tree the evidence is about; BULKHEAD_CERT_ROOT points the
# scripts at another tree (the suite's own tests, tests/cert/, use it).
SRCTREE = os.path.abspath(os.environ.get("BULKHEAD_CERT_ROOT") or
                          os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# The sources of the hypervisor image, the partition runtime and the service
# partition (it serves every partition's console): the
# scope of MISRA, static analysis, complexity and the stack bound.
HYPERVISOR_DIRS = ("core", "arch/arm64", "partitions/runtime", "partitions/runtime/arm64", "partitions/service",
                   "partitions/service/arm64")


def rel(path, build=None):
    """A path relative to the source tree; a generated file under the build
    folder `build` becomes "build:<path inside it>"."""
    path = os.path.abspath(path)
    if build:
        build = os.path.abspath(build)
        if os.path.commonpath([path, build]) == build:
            return "build:" + os.path.relpath(path, build)
    if os.path.commonpath([path, SRCTREE]) == SRCTREE:
        return os.path.relpath(path, SRCTREE)
    return path


def md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(md_escape(c) for c in r) + " |")
    return "\n".join(out) + "\n"


def write_part(out_dir, part, title, status, figures, problems, body):
    """Writes <part>.md (title, verdict, figures, problems, body) and <part>.json."""
    os.makedirs(out_dir, exist_ok=True)
    verdict = "PASS" if status == "pass" else "FAIL"
    text = [f"# {title}\n", f"Gate: **{verdict}**\n"]
    if figures:
        text.append(md_table(["Figure", "Value"], figures))
    if problems:
        text.append("## Gate failures\n\n" + "".join(f"- {p}\n" for p in problems))
    text.append(body)
    with open(os.path.join(out_dir, part + ".md"), "w") as f:
        f.write("\n".join(text).rstrip() + "\n")
    with open(os.path.join(out_dir, part + ".json"), "w") as f:
        json.dump({"part": part, "title": title, "status": status, "figures": figures,
                   "problems": problems, "written": time.time()}, f, indent=1)
    print(f"  CERT    {part}: {verdict}" + "".join(f", {n} {v}" for n, v in figures[:4]))
    for p in problems[:20]:
        print(f"          {p}")
    if len(problems) > 20:
        print(f"          ... {len(problems) - 20} more in {os.path.join(out_dir, part + '.md')}")
    return 0 if status == "pass" else 1


def pct(num, den):
    return 100.0 * num / den if den else 100.0


def fmt_pct(num, den):
    return f"{pct(num, den):.1f}% ({num}/{den})"


# ---- function ranges (pmccabe) ------------------------------------------------

_ranges_cache = {}

# GCC attribute syntax pmccabe does not know: it would name a function
# `static __attribute__((noinline)) void f(void)` "__attribute__".
_ATTRIBUTE = re.compile(r"\b(?:__attribute__|__attribute)\s*\(")


def strip_attributes(text):
    """`text` with every __attribute__((...)) blanked out
    (balanced parentheses; newlines kept, so line numbers do not move)."""
    out = []
    pos = 0
    for m in _ATTRIBUTE.finditer(text):
        if m.start() < pos:
            continue
        depth, i = 0, m.end() - 1
        while i < len(text):
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out.append(text[pos:m.start()])
        out.append(re.sub(r"[^\n]", " ", text[m.start():i + 1]))
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def pmccabe(files):
    """pmccabe rows: (modified, traditional, statements, first, lines, file, line, name).

    pmccabe reads a copy of each file without GCC attributes, so a function
    carries its own name whatever attributes it is declared with."""
    files = [f for f in files if os.path.exists(os.path.join(SRCTREE, f))]
    if not files:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            os.makedirs(os.path.dirname(os.path.join(tmp, f)) or tmp, exist_ok=True)
            with open(os.path.join(SRCTREE, f), errors="replace") as src, open(os.path.join(tmp, f), "w") as dst:
                dst.write(strip_attributes(src.read()))
        r = subprocess.run(["pmccabe"] + files, cwd=tmp, capture_output=True, text=True, check=False)
    rows = []
    for line in r.stdout.splitlines():
        m = re.match(r"^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.+)\((\d+)\):\s+(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                         int(m.group(5)), m.group(6), int(m.group(7)), m.group(8)))
    return rows


def function_at(path, line):
    """Name of the function of source file `path` (relative) that holds `line`, or None."""
    if path not in _ranges_cache:
        _ranges_cache[path] = [(r[3], r[3] + r[4] - 1, r[7]) for r in pmccabe([path])]
    for first, last, name in _ranges_cache[path]:
        if first <= line <= last:
            return name
    return None


# ---- the one file of accepted findings -----------------------------------------

DEVIATIONS = os.path.join(SRCTREE, "docs", "safety", "deviations.md")
PENDING_HEADING = "PENDING arch/arm64 findings (to be fixed, not accepted)"


def split_scope(item):
    """"path" or "path:function"; a path may start with "build:"."""
    prefix = ""
    if item.startswith("build:"):
        prefix, item = "build:", item[len("build:"):]
    path, _, func = item.partition(":")
    return prefix + path, func


def path_matches(pattern, path):
    """A scope's path pattern against a file: a wildcard stays inside the
    pattern's own folder (core/*.c does not reach core/include/)."""
    folder, _, name = pattern.rpartition("/")
    pfolder, _, pname = path.rpartition("/")
    return folder == pfolder and fnmatch.fnmatch(pname, name)


class Deviation:
    def __init__(self, ident, title):
        self.ident = ident
        self.title = title
        self.fields = {}
        self.used = 0

    @property
    def tool(self):
        return self.fields.get("tool", "").strip()

    @property
    def rules(self):
        return [r.strip() for r in self.fields.get("rule", "").split(",") if r.strip()]

    @property
    def constructs(self):
        """The language extensions a Rule 1.2 deviation covers (its Construct field)."""
        return [c.strip() for c in self.fields.get("construct", "").split(",") if c.strip()]

    @property
    def scope(self):
        return [s.strip() for s in self.fields.get("scope", "").split(",") if s.strip()]

    def covers(self, finding):
        if finding.tool != self.tool or finding.rule not in self.rules:
            return False
        match = self.fields.get("match")
        if match and not re.search(match.strip().strip("`"), finding.source_line()):
            return False
        if self.constructs and finding.message not in self.constructs:
            return False
        for item in self.scope:
            path, func = split_scope(item.strip("`"))
            if path_matches(path, finding.file) and (not func or func == finding.function()):
                return True
        return False


class Pending:
    def __init__(self, file, function, key, count, note):
        self.file, self.function, self.key, self.count, self.note = file, function, key, count, note
        self.used = 0


def load_deviations(path=DEVIATIONS):
    """Returns (deviations, pending entries, problems with the file itself)."""
    devs, pending, problems = [], [], []
    if not os.path.exists(path):
        return devs, pending, [f"{rel(path)} is missing"]
    cur = None
    field = None
    in_pending = False
    in_code = False
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("## "):
                in_pending = line[3:].strip() == PENDING_HEADING
                cur = None
                continue
            if in_pending:
                if line.startswith("```"):
                    in_code = not in_code
                    continue
                if in_code and line.strip() and not line.lstrip().startswith("#"):
                    body, _, note = line.partition("#")
                    parts = body.split()
                    if len(parts) != 4 or not parts[3].isdigit():
                        problems.append(f"{rel(path)}:{n}: pending entry needs 'file function tool:rule count'")
                        continue
                    pending.append(Pending(parts[0], parts[1], parts[2], int(parts[3]), note.strip()))
                continue
            m = re.match(r"^### ([A-Z][\w.-]*): (.*)$", line)
            if m:
                cur = Deviation(m.group(1), m.group(2).strip())
                devs.append(cur)
                field = None
                continue
            if cur is None:
                continue
            m = re.match(r"^- ([A-Za-z][A-Za-z ]*): ?(.*)$", line)
            if m:
                field = m.group(1).strip().lower()
                cur.fields[field] = m.group(2).strip()
            elif field and line.startswith("  ") and line.strip():
                cur.fields[field] += " " + line.strip()
            elif not line.strip():
                field = None
    seen = set()
    for d in devs:
        if d.ident in seen:
            problems.append(f"{rel(path)}: {d.ident} defined twice")
        seen.add(d.ident)
        for k in ("tool", "rule", "scope", "justification", "who may rely on it", "approved by"):
            if not d.fields.get(k):
                problems.append(f"{rel(path)}: {d.ident} has no '{k}'")
        problems += [f"{rel(path)}: {d.ident}: {p}" for p in approval_problems(d.fields.get("approved by"))]
        if "1.2" in d.rules and d.tool == "misra":
            if not d.constructs:
                problems.append(f"{rel(path)}: {d.ident}: a Rule 1.2 deviation names the extensions it covers "
                                "('Construct:', from tools/cert/extensions.py)")
            for c in d.constructs:
                if c not in EXTENSION_CONSTRUCTS:
                    problems.append(f"{rel(path)}: {d.ident}: unknown construct '{c}' (known: "
                                    + ", ".join(EXTENSION_CONSTRUCTS) + ")")
        words = len(re.findall(r"[A-Za-z]{2,}", d.fields.get("justification", "")))
        if d.fields.get("justification") and words < MIN_JUSTIFICATION_WORDS:
            problems.append(f"{rel(path)}: {d.ident}: a justification of {words} word(s) says nothing; "
                            f"say why the code is right and what makes it safe (at least "
                            f"{MIN_JUSTIFICATION_WORDS} words)")
        if d.fields.get("match"):
            try:
                re.compile(d.fields["match"].strip().strip("`"))
            except re.error as e:
                problems.append(f"{rel(path)}: {d.ident}: Match is not a regular expression ({e})")
        for item in d.scope:
            problems += [f"{rel(path)}: {d.ident}: scope '{item}' {p}" for p in scope_problems(item.strip("`"))]
    # PENDING findings are work in progress: a branch may list them, but no
    # run that `make test` accepts passes with any.
    for p in pending:
        problems.append(f"{rel(path)}: PENDING {p.file} {p.function} {p.key} {p.count}: pending findings "
                        "are not accepted; fix them or record a deviation")
    return devs, pending, problems


MIN_JUSTIFICATION_WORDS = 12
EXTENSION_CONSTRUCTS = [name for name, _ in extensions.CONSTRUCTS]
_DATE = re.compile(r"\b(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")


def approval_problems(text):
    """What is wrong with an 'Approved by' field: it names who approved, and when (YYYY-MM-DD)."""
    if not text:
        return []
    problems = []
    if not _DATE.search(text):
        problems.append("'Approved by' gives no date (YYYY-MM-DD)")
    who = _DATE.sub("", text).strip(" ,;.")
    if len(re.findall(r"[A-Za-z]{2,}", who)) == 0 or re.search(r"\b(?:PENDING|TBD|TODO|nobody)\b", who, re.I):
        problems.append("'Approved by' names nobody: write who approved it")
    return problems
_WILDCARD = re.compile(r"[*?\[]")


def scope_problems(item):
    """What is wrong with one scope item: it must name files of the source
    tree through a folder written out in full (a wildcard only in the file
    name), match at least one file, and name a function that file defines;
    a generated file (build:<path>) is named exactly."""
    path, func = split_scope(item)
    if path.startswith("build:"):
        return ["names generated files with a wildcard; name the file"] if _WILDCARD.search(path) else []
    folder, _, name = path.rpartition("/")
    if not folder or _WILDCARD.search(folder) or not name:
        return ["is not a file or a file pattern inside a named folder (a scope covers named code, not "
                "'*' or a whole tree)"]
    if not os.path.isdir(os.path.join(SRCTREE, folder)):
        return [f"names folder {folder}, which does not exist"]
    files = sorted(f for f in os.listdir(os.path.join(SRCTREE, folder))
                   if fnmatch.fnmatch(f, name) and os.path.isfile(os.path.join(SRCTREE, folder, f)))
    if not files:
        return ["matches no file"]
    if func:
        if _WILDCARD.search(func):
            return ["names functions with a wildcard; name each function"]
        names = {r[7] for r in pmccabe([f"{folder}/{f}" for f in files])}
        if func not in names:
            return [f"names function {func}, which no file of the scope defines"]
    return []


class Finding:
    """One analysis finding. `tool`: misra, cppcheck or gcc-analyzer; `rule`:
    the MISRA rule number (17.1), cppcheck id or -Wanalyzer-* option."""

    def __init__(self, tool, rule, file, line, message, severity=""):
        self.tool, self.rule, self.file, self.line = tool, rule, file, line
        self.message, self.severity = message, severity
        self.covered_by = None

    @property
    def key(self):
        return f"{self.tool}:{self.rule}"

    def source_line(self):
        path = self.file
        if path.startswith("build:"):
            return ""
        try:
            with open(os.path.join(SRCTREE, path), errors="replace") as f:
                for n, text in enumerate(f, 1):
                    if n == self.line:
                        return text
        except OSError:
            pass
        return ""

    def function(self):
        if self.file.startswith("build:") or not self.file.endswith((".c", ".h")):
            return None
        return function_at(self.file, self.line)


def classify(findings, devs, pending):
    """Marks each finding with the deviation or pending entry that covers it.
    Pending entries cover at most `count` findings of their key."""
    for f in findings:
        for d in devs:
            if d.covers(f):
                f.covered_by = d.ident
                d.used += 1
                break
        if f.covered_by:
            continue
        for p in pending:
            if (p.file == f.file and p.key == f.key and p.function == (f.function() or "-")
                    and p.used < p.count):
                p.used += 1
                f.covered_by = "PENDING"
                break
    return [f for f in findings if not f.covered_by]


def read_md_records(path, heading):
    """{id: {field: value}} from a markdown file of records: a heading matched by
    `heading` (group 1 the id, an optional group 2 stored as "title"), then
    `- Field: value` lines, a value continued on lines indented by two spaces; a
    `## ` heading ends the current record. Field names are lower-cased."""
    records, cur, field = {}, None, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = heading.match(line)
            if m:
                cur, field = records.setdefault(m.group(1), {}), None
                if m.re.groups >= 2:
                    cur["title"] = m.group(2)
                continue
            if line.startswith("## "):
                cur = None
            m = re.match(r"^- ([A-Za-z][A-Za-z ]*): ?(.*)$", line)
            if cur is not None and m:
                field = m.group(1).lower()
                cur[field] = m.group(2).strip()
            elif cur is not None and field is not None and line.startswith("  ") and line.strip():
                cur[field] += " " + line.strip()
    return records


def model_lines(path, comments=None):
    """(line number, text, words) of each line of a model or list file that says
    something: what stands before a `#` comment, stripped; blank lines left out.
    With a dict `comments`, the comment of each such line goes there, by number."""
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            text, _, comment = raw.partition("#")
            text = text.strip()
            if text:
                if comments is not None:
                    comments[n] = comment.strip()
                yield n, text, text.split()


def config_value(autoconf, name):
    """The number a build's autoconf.h defines for CONFIG_ symbol `name` (KeyError when none)."""
    with open(autoconf) as f:
        for line in f:
            m = re.match(rf"#define {re.escape(name)} (\S+)", line)
            if m:
                return int(m.group(1), 0)
    raise KeyError(name)
