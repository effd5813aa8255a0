#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The seam between core/ and the architectures: core depends on an
architecture only through the hook boundary (docs/arch-hooks.md).

Input: the #include lines of every source and header of core/ and arch/<arch>/
(resolved as the hypervisor build resolves them: the including file's folder
for "...", then include/, core/include/, arch/<arch>/include/), and the call
graphs gcc writes for each object of one or more hypervisor builds
(-fcallgraph-info, obj/**/*.ci). One node per file; an edge for each include
and for each call (from the file that defines the caller to the file that
defines the callee, or declares it when no C file does: assembly).

The hook boundary: a call from core/ to a function that core/include/arch.h
declares (a hook), and the inclusion of arch/<arch>/include/arch_types.h (the
architecture's part of struct cpu and struct partition) or cfg_arch.h (its
part of the configuration contract, which cfg.h embeds). Every other edge
from core/ into arch/ is a violation, and so is a cycle through core/ and
arch/ in the graph without the boundary's edges: then core would depend on an
architecture's private code, and that code on core, in a loop no architecture
could be replaced under.

The report lists the boundary as the builds use it: the hooks core calls and
where each architecture defines them, and the core functions (by header) each
architecture calls.

Gate: fails on an edge from core/ into arch/ outside the boundary, on a cycle
between core/ and arch/ without the boundary's edges, and on a build without
call graphs.
"""
import argparse
import collections
import glob
import os
import re
import sys

from common import SRCTREE, md_table, write_part

HOOKS_HEADER = "core/include/arch.h"
# The architecture's headers core/ may include: its part of core's objects and of the configuration.
BOUNDARY_HEADERS = ("arch_types.h", "cfg_arch.h")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def side(path):
    """'core', 'arch' or None (a file of neither: the build's generated files, libc headers)."""
    if path.startswith("core/"):
        return "core"
    if path.startswith("arch/"):
        return "arch"
    return None


def arch_of(path):
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "arch" else None


def arches():
    return sorted(d for d in os.listdir(os.path.join(SRCTREE, "arch")) if os.path.isdir(os.path.join(SRCTREE, "arch", d)))


def hooks():
    """Function names core/include/arch.h declares."""
    with open(os.path.join(SRCTREE, HOOKS_HEADER)) as f:
        text = re.sub(r"/\*.*?\*/", " ", f.read(), flags=re.S)
    return set(re.findall(r"\b(arch_\w+)\s*\(", text))


def sources(arch):
    """The files of core/ and of arch/<arch>/ (C, headers, assembly)."""
    found = []
    for top in ("core", os.path.join("arch", arch)):
        for ext in ("c", "h", "S"):
            found += glob.glob(os.path.join(SRCTREE, top, "**", "*." + ext), recursive=True)
    return sorted(os.path.relpath(p, SRCTREE) for p in found)


def resolve(includer, quote, name, arch):
    dirs = ([os.path.dirname(includer)] if quote == '"' else []) + \
        ["include", "core/include", f"arch/{arch}/include"]
    for d in dirs:
        cand = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(SRCTREE, cand)):
            return cand
    return None


def include_edges(arch):
    """(includer, included, line) for each include of core/ and arch/<arch>/ that resolves."""
    edges = []
    for path in sources(arch):
        with open(os.path.join(SRCTREE, path), errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE_RE.match(line)
                if m:
                    target = resolve(path, m.group(1), m.group(2), arch)
                    if target is not None:
                        edges.append((path, target, f"{path}:{n}"))
    return edges


def location_file(label):
    """The file of a .ci node label ("name\\nfile:line:col[\\n...]")."""
    m = re.search(r"\\n([^\\:]+):\d+:\d+", label)
    return m.group(1) if m else None


def call_edges(objdir):
    """(caller file, callee file, callee name, declaring file, call site) of one build's call graph."""
    defined = {}       # node title -> file defining it
    declared = {}      # node title -> file declaring it (external nodes)
    raw = []
    paths = sorted(glob.glob(os.path.join(objdir, "**", "*.ci"), recursive=True))
    for path in paths:
        with open(path) as f:
            for line in f:
                m = re.match(r'^node: \{ title: "([^"]+)" label: "([^"]*)"(.*)', line)
                if m:
                    where = location_file(m.group(2))
                    if where is None:
                        continue
                    if "ellipse" in m.group(3):
                        declared.setdefault(m.group(1), where)
                    else:
                        defined[m.group(1)] = where
                    continue
                m = re.match(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"(?: label: "([^"]*)")?', line)
                if m:
                    raw.append((m.group(1), m.group(2), m.group(3) or ""))
    edges = []
    for src, dst, site in raw:
        if src not in defined:
            continue
        target = defined.get(dst) or declared.get(dst)
        if target is None:
            continue
        edges.append((defined[src], target, dst.split(":")[-1], declared.get(dst, target), site))
    return edges, len(paths)


def strongly_connected(nodes, succ):
    """Kosaraju, iteratively: the components of the graph, as sets."""
    order, seen = [], set()
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(succ.get(start, ())))]
        while stack:
            node, it = stack[-1]
            nxt = next((n for n in it if n not in seen), None)
            if nxt is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(nxt)
                stack.append((nxt, iter(succ.get(nxt, ()))))
    pred = collections.defaultdict(set)
    for a, targets in succ.items():
        for b in targets:
            pred[b].add(a)
    comps, assigned = [], set()
    for start in reversed(order):
        if start in assigned:
            continue
        comp, worklist = set(), [start]
        assigned.add(start)
        while worklist:
            n = worklist.pop()
            comp.add(n)
            for p in pred.get(n, ()):
                if p not in assigned:
                    assigned.add(p)
                    worklist.append(p)
        comps.append(comp)
    return comps


def path_between(succ, comp, a, b):
    """A shortest path a -> ... -> b inside component `comp`."""
    prev, worklist = {a: None}, collections.deque([a])
    while worklist:
        n = worklist.popleft()
        if n == b:
            break
        for m in sorted(succ.get(n, ())):
            if m in comp and m not in prev:
                prev[m] = n
                worklist.append(m)
    path, n = [], b
    while n is not None:
        path.append(n)
        n = prev.get(n)
    return list(reversed(path))


def check(arch, objdirs):
    """(problems, facts) for architecture `arch` with the call graphs of `objdirs`."""
    hook_names = hooks()
    problems = []
    graph = collections.defaultdict(set)     # without the boundary's edges
    why = {}                                 # (a, b) -> first reason
    hook_calls = collections.defaultdict(set)
    core_calls = collections.defaultdict(set)
    n_inc = n_call = 0

    def add(a, b, reason, boundary):
        if a == b or side(a) is None or side(b) is None:
            return
        if side(b) == "arch" and arch_of(b) != arch:
            return
        if side(a) == "core" and side(b) == "arch" and not boundary:
            problems.append(f"{arch}: core depends on the architecture outside the hook boundary: {reason}")
        if not boundary:
            graph[a].add(b)
            why.setdefault((a, b), reason)

    for a, b, site in include_edges(arch):
        n_inc += 1
        add(a, b, f"{site} includes {b}", os.path.basename(b) in BOUNDARY_HEADERS and side(a) == "core")
    for objdir in objdirs:
        edges, n_files = call_edges(objdir)
        if n_files == 0:
            problems.append(f"no call graph under {objdir} (not built, or without -fcallgraph-info)")
        for a, b, name, decl, site in edges:
            n_call += 1
            hook = name in hook_names
            if side(a) == "core" and side(b) == "arch" and hook:
                hook_calls[name].add(b)
            if side(a) == "arch" and side(b) == "core":
                core_calls[decl].add(name)
            add(a, b, f"{site or a} calls {name} ({b})", hook and side(a) == "core")

    nodes = sorted(set(graph) | {b for t in graph.values() for b in t})
    for comp in strongly_connected(nodes, graph):
        core = sorted(n for n in comp if side(n) == "core")
        arch_files = sorted(n for n in comp if side(n) == "arch")
        if core and arch_files:
            there = path_between(graph, comp, core[0], arch_files[0])
            back = path_between(graph, comp, arch_files[0], core[0])
            cycle = there + back[1:]
            steps = [why[(cycle[i], cycle[i + 1])] for i in range(len(cycle) - 1)]
            problems.append(f"{arch}: cycle between core/ and arch/ outside the hook boundary: "
                            + " -> ".join(cycle) + " (" + "; ".join(steps) + ")")
    facts = {"files": len(nodes), "includes": n_inc, "calls": n_call,
             "hook_calls": hook_calls, "core_calls": core_calls}
    return sorted(set(problems)), facts


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--objdir", action="append", default=[], metavar="ARCH=DIR",
                    help="obj/ folder of a hypervisor build for architecture ARCH (repeatable)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    by_arch = collections.defaultdict(list)
    problems = []
    for spec in args.objdir:
        arch, _, objdir = spec.partition("=")
        if not objdir or arch not in arches():
            problems.append(f"--objdir {spec}: expected ARCH=DIR with ARCH one of {', '.join(arches())}")
            continue
        by_arch[arch].append(objdir)
    body, figures = [], []
    for arch in sorted(by_arch):
        found, facts = check(arch, by_arch[arch])
        problems += found
        figures += [[f"{arch}: files, include edges, call edges",
                     f"{facts['files']}, {facts['includes']}, {facts['calls']}"],
                    [f"{arch}: hooks core calls", str(len(facts["hook_calls"]))],
                    [f"{arch}: core functions the architecture calls",
                     str(sum(len(v) for v in facts["core_calls"].values()))]]
        body.append(f"## {arch}\n")
        body.append("Hooks core calls (core/include/arch.h) and where the architecture defines them:\n")
        body.append(md_table(["Hook", "Defined in"], [[h, ", ".join(sorted(f))]
                                                     for h, f in sorted(facts["hook_calls"].items())]))
        body.append("\nWhat the architecture calls in core/, by the header that declares it:\n")
        body.append(md_table(["Header", "Functions"], [[h, ", ".join(sorted(f))]
                                                      for h, f in sorted(facts["core_calls"].items())]))
    if not by_arch:
        problems.append("no build given (--objdir ARCH=DIR)")
    status = "pass" if not problems else "fail"
    return write_part(args.out, "layering", "The core/arch seam: includes and calls", status, figures, problems,
                      "\n".join(body))


if __name__ == "__main__":
    sys.exit(main())
