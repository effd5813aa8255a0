#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Worst-case stack use of every hypervisor entry point.

Input: gcc's per-function frame sizes (-fstack-usage, obj/**/*.su) and call
graphs (-fcallgraph-info=su, obj/**/*.ci) of the hypervisor build, the
linked image (tables of indirect-call targets, stack symbols) and
tools/cert/stack-model.txt, which declares what the compiler cannot see:
the entry points (assembly vectors and boot code and what they push), the
stacks they run on, functions written in assembly, and the target set of
every indirect call.

The bound of a path is the sum of the frames along it; the bound of an
entry is its pushed bytes plus the deepest path from its C function.

The model is checked against the assembly the image was built from
(asmscan.py): every C function the assembly enters must start an entry of
the model, with at least the bytes the assembly pushed before it; every
entry must start at a function the assembly enters, and every function the
model declares as assembly must be defined there.

Several images can be bounded in one run (--image name=build folder), one
per interrupt controller and interrupt delivery mode; with --tested, every
such configuration found among the builds there (the system tests' builds)
must be among the bounded images.

Gate: fails on recursion (a cycle in the call graph), a frame gcc cannot
bound (VLA, alloca; "dynamic,bounded" frames count at gcc's bound), a call to a function with no known frame, an indirect
call without a declared target set (or whose table in the image holds a
target outside the set), an entry whose bound exceeds 75% of its stack, a
model that disagrees with the assembly, and a tested configuration that no
bounded image has.
"""
import argparse
import glob
import os
import re
import struct
import subprocess
import sys

import asmscan
from common import SRCTREE, config_value, md_table, model_lines, rel, write_part

MODEL = os.path.join(SRCTREE, "tools", "cert", "stack-model.txt")
LIMIT_PERCENT = 75


class Graph:
    def __init__(self):
        self.frame = {}        # node -> bytes
        self.qual = {}         # node -> static | dynamic | dynamic,bounded
        self.where = {}        # node -> file:line
        self.calls = {}        # node -> [(target node or name, call site)]
        self.by_name = {}      # plain function name -> [nodes]
        self.linked_targets = set()  # declared indirect targets this image links

    def add_node(self, title, label):
        m = re.search(r"\\n(\d+) bytes \(([\w,]+)\)", label)
        if not m:
            return
        name = title.split(":")[-1]
        self.frame[title] = int(m.group(1))
        self.qual[title] = m.group(2)
        loc = re.search(r"\\n([^\\]+:\d+):\d+", label)
        self.where[title] = loc.group(1) if loc else ""
        self.calls.setdefault(title, [])
        self.by_name.setdefault(name, []).append(title)


def load_graph(objdir):
    """The call graph of the .ci files under `objdir` (a folder, or a list of folders)."""
    g = Graph()
    edges = []
    dirs = [objdir] if isinstance(objdir, str) else objdir
    for path in sorted(p for d in dirs for p in glob.glob(os.path.join(d, "**", "*.ci"), recursive=True)):
        with open(path) as f:
            for line in f:
                m = re.match(r'^node: \{ title: "([^"]+)" label: "([^"]*)"', line)
                if m:
                    g.add_node(m.group(1), m.group(2))
                    continue
                m = re.match(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"(?: label: "([^"]*)")?', line)
                if m:
                    edges.append((m.group(1), m.group(2), m.group(3) or ""))
    for src, dst, site in edges:
        g.calls.setdefault(src, []).append((dst, site))
    return g


def pushed_bytes(spec):
    """A number, or <file>:<MACRO> naming a "#define MACRO <number>" of a source file."""
    if ":" not in spec:
        return int(spec, 0)
    path, macro = spec.rsplit(":", 1)
    with open(os.path.join(SRCTREE, path)) as f:
        for line in f:
            m = re.match(rf"\s*#define\s+{re.escape(macro)}\s+(\w+)", line)
            if m:
                return int(m.group(1), 0)
    raise ValueError(f"{macro} not defined in {path}")


def load_model(path, autoconf=None):
    """The model as one image sees it: a line `if CONFIG_X <line>` counts only
    for an image whose autoconf.h defines CONFIG_X (a vendor back end's
    world switch); without `autoconf`, every line."""
    model = {"stack": {}, "entry": [], "asm": {}, "indirect": {}, "jump": {}}
    problems = []
    for n, line, w in model_lines(path):
        try:
            if w[0] == "if" and len(w) >= 3 and w[1].startswith("CONFIG_"):
                if autoconf is not None:
                    try:
                        if not config_value(autoconf, w[1]):
                            continue
                    except KeyError:
                        continue
                w = w[2:]
            if w[0] == "stack" and len(w) == 3:
                model["stack"][w[1]] = w[2]
            elif w[0] == "entry" and len(w) >= 5:
                path_fns = " ".join(w[4:]).split(">")
                model["entry"].append({"name": w[1], "stack": w[2], "pushed": pushed_bytes(w[3]),
                                       "path": [p.strip() for p in path_fns if p.strip()]})
            elif w[0] == "asm" and len(w) >= 3:
                model["asm"][w[1]] = {"frame": int(w[2], 0), "calls": w[3:]}
            elif w[0] == "indirect" and len(w) >= 2:
                table = None
                targets, unset_by = [], []
                for t in w[2:]:
                    if t.startswith("table="):
                        table = t[len("table="):]
                    elif t.startswith("unset-by="):
                        unset_by.append(t[len("unset-by="):])
                    else:
                        targets.append(t)
                # An empty set makes the call count nothing: only a pointer no linked code can set
                # may have one, and the line says what would set it (checked in every image).
                if not targets and not unset_by:
                    problems.append(f"{os.path.relpath(path, SRCTREE)}:{n}: indirect {w[1]}: the declared "
                                    "target set is empty (name the targets, or what would set the pointer: "
                                    "unset-by=<function> or unset-by=<start>..<end> of a table)")
                model["indirect"][w[1]] = {"targets": targets, "table": table, "unset_by": unset_by}
            elif w[0] == "jump" and len(w) >= 3:
                model["jump"][w[1]] = w[2:]
            else:
                raise ValueError
        except (ValueError, OSError) as e:
            problems.append(f"{os.path.relpath(path, SRCTREE)}:{n}: cannot read '{line}' ({e})")
    return model, problems


def elf_machine(elf):
    with open(elf, "rb") as f:
        return struct.unpack_from("<H", f.read(20), 18)[0]


def elf_symbols(elf):
    nm = "nm" if elf_machine(elf) == 0x3e else "aarch64-linux-gnu-nm"   # EM_X86_64, else EM_AARCH64
    out = subprocess.run([nm, "-S", elf], capture_output=True, text=True, check=True).stdout
    syms, by_addr = {}, {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4:
            syms[p[3]] = (int(p[0], 16), int(p[1], 16))
            if p[2] in "Tt":
                by_addr.setdefault(int(p[0], 16), p[3])
        elif len(p) == 3:
            syms[p[2]] = (int(p[0], 16), 0)
            if p[1] in "Tt":
                by_addr.setdefault(int(p[0], 16), p[2])
    return syms, by_addr


def elf_read(elf, addr, size):
    """Bytes at virtual address `addr` of the ELF image (from its program headers)."""
    with open(elf, "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= addr and addr + size <= p_vaddr + p_filesz:
            off = p_offset + addr - p_vaddr
            return data[off:off + size]
    raise KeyError(hex(addr))


class Image:
    """One hypervisor build to bound: its object folder, ELF, autoconf.h; or a partition program
    (`library`: the functions it links without a call graph, the C library's, are read from
    its machine code, libframes.py)."""

    def __init__(self, name, objdir, elf, autoconf, build=None, library=False):
        self.name, self.objdir, self.elf, self.autoconf, self.build = name, objdir, elf, autoconf, build
        self.library = library

    @classmethod
    def for_partition(cls, name, build, partition):
        """The program of partition `partition` of a system build: its objects and the
        runtime's (partitions/build.mk's GUEST_OBJDIR), its image, the build's autoconf.h."""
        autoconf = os.path.join(build, "include", "generated", "autoconf.h")
        with open(os.path.join(build, "gen", "system.mk")) as f:
            m = re.search(rf"^BH_PART_{re.escape(partition)}_PROGRAM := (\S+)", f.read(), re.M)
        program = m.group(1) if m else partition
        with open(autoconf) as f:
            arch = re.search(r'^#define CONFIG_ARCH "(\w+)"', f.read(), re.M)
        arch = arch.group(1) if arch else "arm64"
        objs = os.path.join(build, "partitions", *([] if arch == "arm64" else [arch]), "partitions")
        return cls(name, [os.path.join(objs, "runtime"), os.path.join(objs, program)],
                   os.path.join(build, "images", f"{partition}.elf"), autoconf, None, True)

    @classmethod
    def from_build(cls, name, build):
        return cls(name, os.path.join(build, "obj"), os.path.join(build, "bulkhead.elf"),
                   os.path.join(build, "include", "generated", "autoconf.h"), build)

    def asm_sources(self):
        """The assembly sources the image was built from (obj/<path>.S.o), generated ones aside."""
        out = []
        for d in [self.objdir] if isinstance(self.objdir, str) else self.objdir:
            top = d if isinstance(self.objdir, str) else os.path.dirname(os.path.dirname(d))
            for obj in sorted(glob.glob(os.path.join(d, "**", "*.S.o"), recursive=True)):
                src = os.path.relpath(obj, top)[:-len(".o")]
                if not src.startswith("gen/"):
                    out.append(os.path.join(SRCTREE, src))
        return out


def variant(build):
    """(GIC version, frozenset of interrupt delivery modes) of a system build, or None."""
    try:
        with open(os.path.join(build, "gen", "system.mk")) as f:
            gic = re.search(r"^BH_GIC_VERSION := (\S+)", f.read(), re.M).group(1)
        with open(os.path.join(build, "gen", "config.c")) as f:
            modes = frozenset(m.lower() for m in re.findall(r"\.irq_delivery = CFG_IRQ_(\w+)", f.read()))
    except (OSError, AttributeError):
        return None
    return gic, modes


def variant_text(v):
    return f"GICv{v[0]}, " + "+".join(sorted(v[1]) or ["no partition"])


def tested_variants(folder):
    """{(GIC version, delivery mode): [build names]} of the hypervisor images under `folder`
    (one build per subfolder), verification-only coverage builds aside."""
    out = {}
    for build in sorted(glob.glob(os.path.join(folder, "*", ""))):
        build = build.rstrip("/")
        if not os.path.exists(os.path.join(build, "bulkhead.elf")):
            continue
        try:
            with open(os.path.join(build, "include", "generated", "autoconf.h")) as f:
                if "#define CONFIG_COVERAGE 1" in f.read():
                    continue
        except OSError:
            continue
        v = variant(build)
        if v is None:
            continue
        for mode in v[1]:
            out.setdefault((v[0], mode), []).append(os.path.basename(build))
    return out


def check_model_against_asm(model, asm_paths):
    """The model's entries and assembly functions against what the assembly does."""
    entered, defined, problems = asmscan.scan(asm_paths, rel, model.get("jump"))
    starts = {}
    for e in model["entry"]:
        if e["path"]:
            starts.setdefault(e["path"][0], []).append(e)
    seen = set()
    for ent in entered:
        if ent.target in model["asm"]:
            continue
        seen.add(ent.target)
        entries = starts.get(ent.target)
        if not entries:
            problems.append(f"{ent.where}: the assembly enters {ent.target} with {ent.pushed} bytes pushed, but "
                            "no entry of the stack model starts there (its stack use is not bounded)")
            continue
        for e in entries:
            if e["pushed"] < ent.pushed:
                problems.append(f"entry {e['name']}: declares {e['pushed']} bytes pushed before {ent.target}, "
                                f"the assembly pushes {ent.pushed} ({ent.where})")
    for fn, es in sorted(starts.items()):
        # An entry may start at a function of the assembly (an interrupt stub the processor enters).
        if fn not in seen and fn not in model["asm"]:
            problems.append(f"entries {', '.join(e['name'] for e in es)} start at {fn}, which the assembly never "
                            "enters (stale entry, or a misspelt name)")
    for fn in sorted(model["asm"]):
        if fn not in defined:
            problems.append(f"asm {fn}: not defined by the assembly ({', '.join(rel(p) for p in asm_paths)})")
    return problems


def add_library_frames(g, elf, syms, assembly):
    """The functions of the image without a call-graph node (the C library's), with the frames
    and calls libframes.py reads from its machine code, under every name their address has."""
    import libframes
    frames = libframes.library_frames(elf, elf_machine(elf) == 0x3e)
    at = {syms[n][0]: f for n, f in frames.items() if n in syms}
    for name, (addr, _) in syms.items():
        f = frames.get(name) or at.get(addr)
        if f is None or name in g.frame or g.by_name.get(name) or name in assembly:
            continue          # a C function of the program, or one of its assembly's (the model's)
        g.frame[name] = f["frame"]
        g.qual[name] = "dynamic" if f["dynamic"] else "static"
        g.where[name] = "library (machine code)"
        g.calls[name] = [(c, "library") for c in f["calls"]] + \
            ([("__indirect_call", f"{name} (library)")] if f["indirect"] else [])
        g.by_name.setdefault(name, []).append(name)


def bound_image(image, model):
    """Bounds every entry of the model on one image. Returns (rows, stacks, graph, problems)."""
    problems = []
    g = load_graph(image.objdir)
    if not g.frame:
        problems.append(f"no call graph under {image.objdir} (not built, or without -fcallgraph-info=su)")
    syms, by_addr = elf_symbols(image.elf)
    if image.library:
        add_library_frames(g, image.elf, syms, asmscan.scan(image.asm_sources(), rel)[1])

    # Stacks.
    stacks = {}
    for name, spec in model["stack"].items():
        try:
            if spec.startswith("CONFIG_"):
                stacks[name] = (config_value(image.autoconf, spec), spec)
            elif ":" in spec:
                stacks[name] = (pushed_bytes(spec), spec)
            elif ".." in spec:
                lo, hi = spec.split("..")
                stacks[name] = (syms[hi][0] - syms[lo][0], f"{hi} - {lo} in the image")
            else:
                stacks[name] = (int(spec, 0), "declared")
        except (KeyError, ValueError) as e:
            problems.append(f"stack {name}: cannot evaluate '{spec}' ({e})")

    def resolve(name, caller=None):
        """A call target name to graph nodes: static functions are titled file:name."""
        if name in g.frame:
            return name
        cands = g.by_name.get(name, [])
        if caller and ":" in caller:
            same = [c for c in cands if c.startswith(caller.rsplit(":", 1)[0] + ":")]
            if same:
                return same[0]
        globals_ = [c for c in cands if ":" not in c]
        if globals_:
            return globals_[0]
        return cands[0] if len(cands) == 1 else None

    # Indirect calls: declared target sets, checked against the tables in the image.
    for caller, decl in model["indirect"].items():
        if decl["table"]:
            if decl["table"] not in syms:
                problems.append(f"indirect {caller}: table {decl['table']} not in the image")
                continue
            addr, size = syms[decl["table"]]
            raw = elf_read(image.elf, addr, size)
            for i in range(0, size, 8):
                ptr, = struct.unpack_from("<Q", raw, i)
                if ptr == 0:
                    continue
                fn = by_addr.get(ptr, hex(ptr))
                if fn not in decl["targets"]:
                    problems.append(f"indirect {caller}: table {decl['table']}[{i // 8}] holds {fn}, "
                                    "which the declared target set lacks")

    # A pointer declared never set: what would set it must be absent from the image (a function),
    # or the table it would come from empty (start..end symbols at one address).
    for caller, decl in model["indirect"].items():
        for setter in decl.get("unset_by", []):
            lo, _, hi = setter.partition("..")
            if hi and (lo not in syms or hi not in syms):
                problems.append(f"indirect {caller}: unset-by={setter}: {lo} or {hi} not in the image")
            elif hi and syms[hi][0] != syms[lo][0]:
                problems.append(f"indirect {caller}: declared never set, but {setter} holds "
                                f"{syms[hi][0] - syms[lo][0]} bytes in the image: declare its targets")
            elif not hi and setter in syms:
                problems.append(f"indirect {caller}: declared never set, but {setter}, which sets it, is "
                                "linked in the image: declare its targets")

    # "dynamic,bounded": gcc moves the stack pointer inside the function by a
    # known amount (x86-64 pushes outgoing arguments in code optimized for
    # size, such as `cold` functions) and the figure it reports is the
    # bound; only an unbounded frame (alloca of a variable size) fails.
    for node, q in g.qual.items():
        if q not in ("static", "dynamic,bounded"):
            problems.append(f"{node} ({g.where[node]}): frame is {q} ({g.frame[node]} bytes): "
                            "VLA or alloca" + (", bounded" if "bounded" in q else ""))

    # Depth-first worst path with cycle detection.
    memo = {}
    visiting = []
    reported = set()

    def callees(node):
        out = []
        for dst, site in g.calls.get(node, []):
            if dst == "__indirect_call":
                name = node.split(":")[-1]
                decl = model["indirect"].get(name) or model["indirect"].get(node)
                if not decl:
                    if (node, "ind") not in reported:
                        reported.add((node, "ind"))
                        problems.append(f"{node} makes an indirect call at {site} with no declared target set")
                    continue
                linked = []
                for t in decl["targets"]:
                    # A target this image does not link cannot be called in it (the other GIC's
                    # handler); one that no image links is an error (main()).
                    if t not in syms and resolve(t, node) is None:
                        continue
                    g.linked_targets.add(t)
                    linked.append(t)
                    out.append((t, site + " (indirect)"))
                # None of its targets linked: the call would count nothing, unless the pointer
                # cannot be set in this image (unset-by, checked above).
                if not linked and not decl.get("unset_by") and (node, "empty") not in reported:
                    reported.add((node, "empty"))
                    problems.append(f"{node} makes an indirect call at {site} whose declared target set is "
                                    "empty in this image (none of " + (", ".join(decl["targets"]) or "its targets")
                                    + " linked): declare what it can call here, or what would set it (unset-by=)")
            else:
                out.append((dst, site))
        if node in model["asm"]:
            out += [(c, "assembly") for c in model["asm"][node]["calls"]]
        return out

    def worst(node):
        """(bytes, [path]) of the deepest stack from entering `node`."""
        if node in memo:
            return memo[node]
        if node in visiting:
            cyc = visiting[visiting.index(node):] + [node]
            key = frozenset(cyc)
            if key not in reported:
                reported.add(key)
                problems.append("recursion: " + " -> ".join(n.split(':')[-1] for n in cyc))
            return (0, [node])
        if node in model["asm"]:
            frame = model["asm"][node]["frame"]
        elif node in g.frame:
            frame = g.frame[node]
        else:
            if node not in reported:
                reported.add(node)
                problems.append(f"no frame size for {node} (not compiled with -fstack-usage, or assembly "
                                "missing from the model)")
            memo[node] = (0, [node])
            return memo[node]
        visiting.append(node)
        best = (0, [])
        for dst, _ in callees(node):
            r = resolve(dst, node) if dst not in model["asm"] else dst
            if r is None:
                if (node, dst) not in reported:
                    reported.add((node, dst))
                    problems.append(f"{node} calls {dst}, whose frame size is unknown")
                continue
            d = worst(r)
            if d[0] > best[0]:
                best = d
        visiting.pop()
        memo[node] = (frame + best[0], [node] + best[1])
        return memo[node]

    def fmt_path(path):
        parts = []
        for n in path:
            f = model["asm"][n]["frame"] if n in model["asm"] else g.frame.get(n, 0)
            parts.append(f"{n.split(':')[-1]} ({f})")
        return " > ".join(parts)

    rows = []
    results = {}
    for e in model["entry"]:
        if e["stack"] not in stacks and e["stack"] != "*":
            problems.append(f"entry {e['name']}: unknown stack {e['stack']}")
            continue
        nodes, note, prefix = [], "", 0
        caller = None
        for fn in e["path"]:
            r = resolve(fn, caller) if fn not in model["asm"] else fn
            if r is None:
                note = f"{fn} inlined: bound of its caller"
                continue
            nodes.append(r)
            caller = r
        if not nodes:
            problems.append(f"entry {e['name']}: none of {e['path']} is in the call graph")
            continue
        for n in nodes[:-1]:
            prefix += model["asm"][n]["frame"] if n in model["asm"] else g.frame.get(n, 0)
        depth, path = worst(nodes[-1])
        results[e["name"]] = (e, e["pushed"] + prefix + depth, nodes[:-1] + path, note)

    # Entries on "*" (an exception taken by the hypervisor itself) nest on top
    # of the deepest other entry of each stack.
    for name, (e, bound, path, note) in list(results.items()):
        targets = [e["stack"]] if e["stack"] != "*" else sorted(stacks)
        for st in targets:
            size = stacks[st][0]
            total = bound
            extra = ""
            if e["stack"] == "*":
                under = [r for r in results.values() if r[0]["stack"] == st]
                if not under:
                    continue
                deepest = max(under, key=lambda r: r[1])
                total += deepest[1]
                extra = f"on top of {deepest[0]['name']} ({deepest[1]})"
            share = 100.0 * total / size if size else 999
            status = "ok" if share <= LIMIT_PERCENT else "OVER"
            if status != "ok":
                problems.append(f"entry {name} on stack {st}: {total} of {size} bytes ({share:.0f}%) "
                                f"exceeds {LIMIT_PERCENT}%")
            rows.append([name, st, str(size), str(total), f"{share:.1f}%", status,
                         "; ".join(x for x in (extra, note) if x), fmt_path(path)])

    return rows, stacks, g, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--image", action="append", default=[], metavar="NAME=BUILD",
                    help="a hypervisor build folder to bound (obj/, bulkhead.elf, include/generated/autoconf.h)")
    ap.add_argument("--partition", action="append", default=[], metavar="NAME=BUILD:PARTITION",
                    help="a partition program of a system build to bound (its objects and the runtime's, "
                    "images/<partition>.elf; the C library's frames from the machine code)")
    ap.add_argument("--objdir", help="one image given by its parts, instead of --image")
    ap.add_argument("--elf")
    ap.add_argument("--autoconf")
    ap.add_argument("--tested", help="folder of the system tests' builds: each of their configurations "
                    "(GIC version, delivery mode) must be among the bounded images")
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", help="a suffix of the part's name (stack-<name>), for another architecture's images")
    args = ap.parse_args()

    images = [Image.from_build(*item.split("=", 1)) for item in args.image]
    images += [Image.for_partition(item.split("=", 1)[0], *item.split("=", 1)[1].rsplit(":", 1))
               for item in args.partition]
    if args.objdir:
        images.append(Image("image", args.objdir, args.elf, args.autoconf))
    model, problems = load_model(args.model)
    # A conditional line must hold for some image bounded, or it checks nothing.
    conditional = [(n, w[1]) for n, _, w in model_lines(args.model) if w[0] == "if"]
    for n, cond in conditional:
        held = False
        for image in images:
            try:
                held = held or bool(config_value(image.autoconf, cond))
            except (KeyError, OSError):
                pass
        if images and not held:
            problems.append(f"{rel(args.model)}:{n}: `if {cond}` holds for none of the images bounded")
    if not images:
        problems.append("no image to bound")

    sections, figures, bounded, linked, per_entry = [], [], {}, set(), {}
    for image in images:
        tag = f"[{image.name}] " if len(images) > 1 else ""
        if not os.path.exists(image.elf):
            problems.append(f"{tag}{image.elf} missing: the image was not built")
            continue
        image_model, _ = load_model(args.model, image.autoconf)
        rows, stacks, g, probs = bound_image(image, image_model)
        linked |= g.linked_targets
        asm = image.asm_sources()
        if not asm:
            probs.append(f"no assembly sources among the objects of {image.objdir}: the entry points of the "
                         "model cannot be checked")
        else:
            probs += check_model_against_asm(image_model, asm)
        problems += [tag + p for p in probs]
        v = variant(image.build) if image.build else None
        if v:
            for mode in v[1]:
                bounded.setdefault((v[0], mode), []).append(image.name)
        title = image.name + (f" ({variant_text(v)}, {rel(image.build)})" if v else "")
        worst_row = max(rows, key=lambda r: float(r[4][:-1])) if rows else None
        if worst_row:
            figures.append([f"Deepest entry, {title}" if len(images) > 1 else "Deepest entry",
                            f"{worst_row[0]}: {worst_row[3]} bytes, {worst_row[4]} of its stack"])
        if len(images) == 1:
            figures += [[f"{r[0]} ({r[1]})", f"{r[3]} of {r[2]} bytes ({r[4]})"] for r in rows
                        if not r[0].startswith(("hypercall:", "psci", "mmio:"))]
        for r in rows:
            per_entry.setdefault((r[0], r[1]), []).append(f"{image.name} {r[3]} of {r[2]} ({r[4]})")
        sections.append(image_section(image, title, rows, stacks, g, asm, model))
    # A named part (another architecture's images) gives every entry's bound on each image in the
    # index, beside the default part's per-entry figures.
    if args.name and len(images) > 1:
        figures += [[f"{name} ({stack})", "; ".join(vals)] for (name, stack), vals in per_entry.items()
                    if not name.startswith(("hypercall:", "exit:psci:"))]

    for caller, decl in model["indirect"].items():
        for t in decl["targets"]:
            if images and t not in linked:
                problems.append(f"indirect {caller}: target {t} is in none of the images bounded")
    if args.tested:
        tested = tested_variants(args.tested)
        for key, builds in sorted(tested.items()):
            if key not in bounded:
                problems.append(f"the system tests build GICv{key[0]} with {key[1]} interrupt delivery "
                                f"({', '.join(builds[:3])}{', ...' if len(builds) > 3 else ''} under "
                                f"{args.tested}), but no bounded image has it")
        figures.insert(0, ["Configurations tested / bounded", f"{len(tested)} / {len(set(tested) & set(bounded))}"
                           + " (" + ", ".join(f"GICv{g} {m}" for g, m in sorted(tested)) + ")"])

    body = [f"Limit: {LIMIT_PERCENT}% of each stack. Model: {rel(args.model)} (entry points, assembly, "
            "indirect-call target sets), checked against each image's assembly sources. Frames: gcc "
            "-fstack-usage; calls: gcc -fcallgraph-info=su of each build.\n",
            "Images bounded: " + ", ".join(i.name for i in images) + ".\n"] + sections
    part = "stack" + (f"-{args.name}" if args.name else "")
    title = "Worst-case stack" + (f" ({args.name})" if args.name else "")
    sys.exit(write_part(args.out, part, title, "fail" if problems else "pass", figures,
                        problems, "\n".join(body)))


def image_section(image, title, rows, stacks, g, asm, model):
    return "\n".join([
        f"## Image {title}\n",
        "Stacks: " + ", ".join(f"{n} = {v[0]} bytes ({v[1]})" for n, v in sorted(stacks.items())) +
        ". Objects: " + ", ".join(os.path.abspath(d) for d in ([image.objdir] if isinstance(image.objdir, str)
                                                             else image.objdir)) + ". Assembly checked: " +
        (", ".join(rel(p) for p in asm) or "none") + ".\n",
        "### Entry points\n",
        md_table(["Entry", "Stack", "Size", "Worst case", "Use", "Gate", "Note", "Deepest path (frame bytes)"], rows),
        "\n### Indirect calls and their declared targets\n",
        md_table(["Caller", "Targets", "Checked against table"],
                 [[c, ", ".join(d["targets"]), d["table"] or "-"] for c, d in model["indirect"].items()]),
        "\n### Largest frames\n",
        md_table(["Function", "Where", "Bytes", "Kind"],
                 [[n.split(":")[-1], g.where[n], str(g.frame[n]), g.qual[n]]
                  for n in sorted(g.frame, key=lambda n: -g.frame[n])[:15]])])


if __name__ == "__main__":
    main()
