#!/usr/bin/python3
"""The arch/core boundary, checked on the sources and on gcc's call graphs.

core/ may include only its own headers (core/include/), the shared ABI
(include/), generated headers, the C library's freestanding headers and the
two headers an architecture provides to it by contract (arch_types.h,
cfg_arch.h); and it may call into an architecture only through the hooks of
core/include/arch.h, each named arch_*. So the only path from core/ to arch/
is the documented hook boundary, and no include or call cycle can run
through anything else (docs/arch-hooks.md). Exit status 1 on a violation.
"""
import argparse
import pathlib
import re
import sys

ARCH_PROVIDED = {"arch_types.h", "cfg_arch.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
NODE = re.compile(r'node: \{ title: "([^"]+)" label: "[^\\]*\\n([^:"]+):')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)" label: "([^"]+)"')


def include_violations(src):
    headers = {p.name for d in ("core/include", "include") for p in (src / d).rglob("*.h")}
    found = []
    for f in sorted(list((src / "core").rglob("*.c")) + list((src / "core").rglob("*.h"))):
        for m in INCLUDE.finditer(f.read_text()):
            kind, name = m.groups()
            base = pathlib.PurePosixPath(name).name
            if kind == "<" and not name.startswith("generated/"):
                continue
            if name.startswith("generated/") or base in ARCH_PROVIDED or name in headers or base in headers:
                continue
            found.append(f"{f.relative_to(src)}: includes \"{name}\", which is neither core's, the ABI's "
                         f"nor a header an architecture provides by contract ({', '.join(sorted(ARCH_PROVIDED))})")
    return found


def call_violations(ci_dir):
    found = []
    for ci in sorted(pathlib.Path(ci_dir).rglob("*.ci")):
        text = ci.read_text()
        m = re.match(r'graph: \{ title: "([^"]+)"', text)
        if not m or not m.group(1).startswith("core/"):
            continue
        declared = dict(NODE.findall(text))
        for caller, callee, where in EDGE.findall(text):
            home = declared.get(callee, "")
            if home.startswith("arch/"):
                found.append(f"{where}: {caller}() calls {callee}(), declared in {home}: core reaches an "
                             f"architecture only through core/include/arch.h")
            elif home == "core/include/arch.h" and not callee.startswith("arch_"):
                found.append(f"{where}: {callee}() is declared in arch.h but is not named arch_*")
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--src", required=True, help="source tree")
    ap.add_argument("--ci", required=True, help="folder with gcc's -fcallgraph-info .ci files of a build")
    a = ap.parse_args()
    cis = list(pathlib.Path(a.ci).rglob("*.ci"))
    if not any(c.read_text().startswith('graph: { title: "core/') for c in cis):
        print(f"boundary: no call graph of core/ under {a.ci} (build first)")
        return 1
    problems = include_violations(pathlib.Path(a.src)) + call_violations(a.ci)
    for p in problems:
        print(p)
    print(f"boundary: {'FAIL' if problems else 'PASS'}, call graphs read {len(cis)}, violations {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
