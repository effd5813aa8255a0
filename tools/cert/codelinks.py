# SPDX-License-Identifier: MIT
"""Requirement -> code links: the `Implements:` tag of a function.

A C function that implements requirements says so in the comment that ends
on the line directly above its definition (its doc comment), on one line of
that comment:

    /* Implements: REQ-MEM-001, REQ-MEM-005 */
    bool partition_translate(...)

    /*
     * Builds one partition's stage-2 address space.
     * Implements: REQ-MEM-005~2
     */

A function that implements no requirement by itself (a helper, an accessor,
what the others need to run) is marked `Implements: infrastructure`. IDs
follow the catalogue's rules (an ID without a revision is revision 1 and
must be the current one).

Every tag in the C sources of the tree (core/, arch/, include/, partitions/,
tools/) is checked: it names known requirements at their current revision,
or is "infrastructure" alone, and it sits directly above a function (a tag
anywhere else would be a claim about nothing). tools/cert/code-trace-scope.txt
then says how far the links must reach:

    folder <path>   every function defined under <path> carries a tag
    area <AREA>     every requirement REQ-<AREA>-* is implemented by a tagged function

The scope is empty until the sources are tagged.
"""
import os
import re

from common import SRCTREE, model_lines, pmccabe, strip_attributes
from requirements import check_reference, split_ids

SCOPE_FILE = os.path.join("tools", "cert", "code-trace-scope.txt")
SCAN_DIRS = ("core", "arch", "include", "partitions", "tools")
TAG = re.compile(r"\bImplements:\s*(.*?)\s*(?:\*/)?\s*$")
INFRASTRUCTURE = "infrastructure"


def load_scope(path=None, problems=None):
    """(folders, areas) of the scope file; a missing file is an empty scope."""
    path = path or os.path.join(SRCTREE, SCOPE_FILE)
    folders, areas = [], []
    if not os.path.exists(path):
        return folders, areas
    for n, _, words in model_lines(path):
        if len(words) == 2 and words[0] == "folder" and os.path.isdir(os.path.join(SRCTREE, words[1])):
            folders.append(words[1].rstrip("/"))
        elif len(words) == 2 and words[0] == "area" and re.match(r"^[A-Z]+$", words[1]):
            areas.append(words[1])
        elif problems is not None:
            problems.append(f"{SCOPE_FILE}:{n}: expected 'folder <existing folder>' or 'area <AREA>'")
    return folders, areas


def c_files(dirs=SCAN_DIRS):
    out = []
    for d in dirs:
        for root, subdirs, files in os.walk(os.path.join(SRCTREE, d)):
            subdirs[:] = sorted(s for s in subdirs if not s.startswith("."))
            out += [os.path.relpath(os.path.join(root, f), SRCTREE) for f in sorted(files)
                    if f.endswith((".c", ".h"))]
    return out


def _comment_above(lines, stripped, first):
    """(start line, end line, text) of the /* */ comment ending directly above
    line `first` (1-based); lines that held only GCC attributes are skipped."""
    j = first - 2
    while j >= 0 and not stripped[j].strip() and lines[j].strip():
        j -= 1
    if j < 0 or not lines[j].rstrip().endswith("*/"):
        return None
    k = j
    while k >= 0 and "/*" not in lines[k]:
        k -= 1
    if k < 0:
        return None
    return k + 1, j + 1, lines[k:j + 1]


def scan(files):
    """{(file, function): {"line", "ids", "infrastructure", "tag_line"}} for
    every function of `files`, and the tags found outside any function's
    comment, as [(file, line, text)]."""
    functions, dangling = {}, []
    rows = {}
    for r in pmccabe(files):
        rows.setdefault(r[5], []).append(r)
    for path in files:
        with open(os.path.join(SRCTREE, path), errors="replace") as f:
            text = f.read()
        lines = text.split("\n")
        stripped = strip_attributes(text).split("\n")
        attached = set()
        for r in rows.get(path, []):
            first, name = r[3], r[7]
            entry = {"line": r[6], "ids": [], "infrastructure": False, "tag_line": None}
            comment = _comment_above(lines, stripped, first)
            if comment:
                start, _, body = comment
                for i, cl in enumerate(body):
                    m = TAG.search(cl)
                    if m:
                        tokens = split_ids(m.group(1))
                        entry["tag_line"] = start + i
                        entry["infrastructure"] = INFRASTRUCTURE in tokens
                        entry["ids"] = [t for t in tokens if t != INFRASTRUCTURE]
                        attached.add(start + i)
            functions[(path, name)] = entry
        for n, line in enumerate(lines, 1):
            if TAG.search(line) and n not in attached:
                dangling.append((path, n, line.strip()))
    return functions, dangling


def check(reqs, scope=None):
    """(links, problems): links maps each requirement ID to the functions
    ("file:function") that implement it."""
    problems = []
    folders, areas = scope if scope is not None else load_scope(problems=problems)
    files = c_files()
    functions, dangling = scan(files)
    links = {rid: [] for rid in reqs}
    for path, n, text in dangling:
        problems.append(f"{path}:{n}: an Implements tag that is not in the comment directly above a function: "
                        f"{text!r}")
    for (path, name), e in sorted(functions.items()):
        if e["tag_line"] is None:
            continue
        where = f"{path}:{e['tag_line']}: {name}"
        if e["infrastructure"] and e["ids"]:
            problems.append(f"{where}: a function is either infrastructure or implements requirements, not both")
        if not e["infrastructure"] and not e["ids"]:
            problems.append(f"{where}: empty Implements tag")
        for token in e["ids"]:
            p = check_reference(token, reqs)
            if p:
                problems.append(f"{where}: Implements tag {p}")
                continue
            rid = token.split("~")[0]
            if reqs[rid]["level"] != "REQ":
                problems.append(f"{where}: implements {rid}, a safety requirement; code implements the "
                                "software requirements that refine it")
            elif reqs[rid]["withdrawn"]:
                problems.append(f"{where}: implements withdrawn {rid}")
            else:
                links[rid].append(f"{path}:{name}")
    for folder in folders:
        for (path, name), e in sorted(functions.items()):
            if os.path.commonpath([path, folder]) == folder and e["tag_line"] is None:
                problems.append(f"{path}:{e['line']}: {name} is in the traced scope ({folder}) but has no "
                                "Implements tag (requirements, or 'infrastructure')")
    for rid, r in sorted(reqs.items()):
        if r["level"] == "REQ" and not r["withdrawn"] and rid.split("-")[1] in areas and not links[rid]:
            problems.append(f"{r['file']}:{r['line']}: {rid} is implemented by no tagged function "
                            f"(area {rid.split('-')[1]} is in {SCOPE_FILE})")
    return links, problems
