#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Worst-case EL2 path length of every hypervisor entry (static bound).

Input: the linked image (bulkhead.elf, disassembled with objdump), the entry
points and indirect-call target sets of tools/cert/stack-model.txt (the
same model the stack gate checks against the assembly) and the loop bounds
of tools/cert/pathlen-model.txt.

How a function is bounded, from its machine code:
- Its control-flow graph: direct branches, fall-through, and jump tables
  (adr/ldrb|ldrh/add/br, read from the image; their size from the
  `cmp`/`b.hi` guard in front). A `br` that is not a jump table and a `b`
  out of the function are tail calls.
- A call (`bl`, a tail call) costs its callee's bound; an indirect call
  (`blr`, or a `br` tail call) the largest bound of the caller's declared
  target set.
- A call of a function that cannot come back (panic, guest_fault: no `ret`
  it reaches) ends the path and is counted once on it: a function's bound
  is a pair (R: until it returns or makes such a call, T: the largest such
  call's own R + T), a call of a function that comes back costs its R at
  the call and passes its T on, one that does not costs 1 there and its
  R + T at most once (REQ-CRT-031). One call costs R + T.
- Per loop (REQ-CRT-031): `loop <function> <bound> in <file>:<line>[<k>]`
  bounds the innermost loop holding an instruction of that source line
  (the image's debug information; [k]: the k-th such loop by address, for
  a macro's loops); a loop is a strongly connected part of the graph, its
  inner loops those of its graph less the edges back to its entries. Each
  instruction on a cycle counts at the innermost named loop's bound, else
  the function's line's.
- Without a cycle in its graph: the longest path from its first
  instruction to a `ret`, `eret` or tail call, each instruction counting 1
  plus what it calls.
- With a cycle: the model must bound it (`loop <function> <bound>`: no
  instruction of the function runs more than <bound> times in one call);
  the function's bound is then the longest path through its strongly
  connected parts: an instruction on no cycle counts once (it runs at most
  once in a call), a part with a cycle (a loop nest) <bound> times the sum
  of its instructions. Loose, never low. The line says why the bound holds (after
  a `#`); a bound below 1 is refused. A copy's or a format's trip count
  depends on its caller: `loop <function> <bound> @ <caller> @ <its
  caller>` bounds only the calls along that call path; each call takes the
  line naming the longest part of its path, else the line for every call
  (REQ-CRT-029~2). <bound>: numbers, CONFIG_ constants, BH_ constants of the
  build (gen/system.mk) and of the ABI (include/bulkhead/*.h), the config
  compiler's limits (BHCC_, tools/configc/model.h), the built system's own
  figures (BHCC_SYS_, gen/bounds.mk, checked against gen/config.c:
  REQ-CRT-032), + - * / (rounded up), max(), log2() (rounded up) and
  parentheses.
- A sum over a caller's call (`sum <function> <bound> @ <caller>`, REQ-CRT-038):
  the function's loop passes add up to at most <bound> over one call of the
  caller; each call then counts the function at one pass, and the function
  at <bound> passes counts once in the caller (its bound is a + n * b over
  its paths, a, b >= 0, so k calls of n_1 + ... + n_k <= <bound> passes cost
  at most k * f(1) + f(<bound>)).
- The exception vectors' assembly (arm64_vectors and the vectors.S code it
  branches to) counts on every entry it starts: its longest path from a
  slot through its call of the entry's function to the `eret`.
- A wait (`wait <function>`: a loop that polls a device or spins on a lock
  another core holds): the loop's body counts once (the edges that close
  its cycles dropped); each entry lists the waits it reaches, whose time is
  the integrator's to bound on the target (AOU-10). A function that mixes a
  wait with other loops (an inlined spin_lock around a copy) has both
  lines: its bound is the loop line's (the wait's body counted <bound>
  times, its spinning still the integrator's) and it is listed as a wait.
- A loop of only WFI, WFE and NOP with its branch back (a core that has
  stopped: arch_system_off, arch_cpu_stop) ends the path, and so does a
  call of a function that cannot come back (no `ret` it reaches, itself or
  through a tail call: panic, guest_fault): the code the compiler placed
  after such a call is on no path.
- HVC/SMC to the firmware, WFI and WFE count as one instruction: the time
  spent in the firmware or waiting is not the hypervisor's path (assumption
  of use, docs/safety/path-lengths.md).

An entry `a > b > c` of the model is bounded as: a, with its calls of b
bounded by the path b > c and its calls of the other entries' functions at
that place (the alternatives of a dispatch: another hypercall's handler)
not counted; the rest of the path the same way. An entry is "open" when a
function it reaches has a cycle the model does not bound; the table lists
those functions.

Gate: fails on a model line naming no function of the image or a function
without a cycle, a line for a call path the image does not have or that no
entry's bound uses, a second line for the same call path, a line without
its reason, a bound below 1, an indirect call with no declared target set, a jump table
it cannot read, recursion, and a table different from the committed
docs/safety/path-lengths.md (regenerate it with `make cert-pathlen
PATHLEN_UPDATE=1` and commit it when the code or the model changed).
"""
import argparse
import ast
import glob
import json
import os
import re
import struct
import subprocess
import sys

from common import SRCTREE, config_value, md_table, model_lines, rel, write_part
import stack

MODEL = os.path.join(SRCTREE, "tools", "cert", "pathlen-model.txt")
TABLE = os.path.join(SRCTREE, "docs", "safety", "path-lengths.md")
COND_BRANCH = ("cbz", "cbnz", "tbz", "tbnz")
HALT = ("wfi", "wfe", "nop")     # a loop of only these and its branch back: a stopped core
# The exception vector table (arch/arm64/vectors.S): the processor enters it at one of its
# 0x80-byte slots, and the assembly there saves the guest's registers, calls the entry's C
# function and restores them before its eret.
VECTORS, VECTOR_SLOT = "arm64_vectors", 0x80
# A loop of a function named by a source line of its instructions, [k]: the k-th of those it
# matches, in the order of their first instructions' addresses (a macro's loops share its line).
LOOP_AT = re.compile(r"([\w./-]+):(\d+)(?:\[(\d+)\])?")
TARGET = re.compile(r"\b([0-9a-f]+) <([^>+]+)(?:\+0x([0-9a-f]+))?>")


def disassemble(elf, locs=None):
    """{function: [(addr, mnemonic, operands)]} of the image's text; with a dict `locs`, the source
    line of each instruction goes there ({function: ["file:line" or None]}, the file relative to
    the source tree: the debug information's innermost line, an inlined function's own)."""
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", "-l", "--no-show-raw-insn", elf],
                         capture_output=True, text=True, check=True).stdout
    funcs, cur, loc = {}, None, None
    locs = {} if locs is None else locs
    for line in out.split("\n"):
        m = re.match(r"^([0-9a-f]+) <([^>]+)>:$", line)
        if m:
            cur, loc = m.group(2), None
            funcs[cur], locs[cur] = [], []
            continue
        m = re.match(r"^(\S+):(\d+)(?: \(discriminator \d+\))?$", line)
        if m and cur is not None:
            path = m.group(1)
            loc = (os.path.relpath(path, SRCTREE) if os.path.isabs(path) else path) + ":" + m.group(2)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*?)\s*$", line)
        if m and cur is not None:
            ops = m.group(3).split("//")[0].strip()
            funcs[cur].append((int(m.group(1), 16), m.group(2), ops))
            locs[cur].append(loc)
    return funcs


def build_constants(build):
    """{BH_ name: number} of a build: what the config compiler emits for it (gen/system.mk,
    `BH_X := <number>`), the ABI's constants (include/bulkhead/*.h, `#define BH_X <number>`) and
    the config compiler's limits (tools/configc/model.h, `#define BHCC_X <number>`)."""
    out, exprs = {}, {}
    for path in sorted(glob.glob(os.path.join(SRCTREE, "include", "bulkhead", "*.h"))):
        with open(path) as f:
            for m in re.finditer(r"^#define (BH_\w+)\s+(.*?)\s*(?:/\*.*)?$", f.read(), re.M):
                exprs[m.group(1)] = m.group(2)
    # A define that is a number, or a sum, difference or product of numbers and other such
    # defines ((4u * BH_CHANNEL_PAGE)); C's '/' rounds down, the model's up: those are left out.
    while True:
        found = False
        for name, text in exprs.items():
            plain = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", text)
            if name in out or "/" in plain or not re.fullmatch(r"[\w\s()+*-]+", plain):
                continue
            try:
                out[name] = evaluate(plain, None, out)
                found = True
            except (KeyError, ValueError, TypeError):
                pass
        if not found:
            break
    # The configuration compiler's limits: it refuses a build description beyond them.
    try:
        with open(os.path.join(SRCTREE, "tools", "configc", "model.h")) as f:
            for m in re.finditer(r"^#define (BHCC_\w+)\s+(0x[0-9a-fA-F]+|\d+)[uUlL]*\s*(?:/\*.*)?$", f.read(), re.M):
                out[m.group(1)] = int(m.group(2), 0)
    except OSError:
        pass
    out.update(make_numbers(os.path.join(build, "gen", "system.mk"), "BH_"))
    out.update(system_figures(build))
    return out


def make_numbers(path, prefix):
    """{name: number} of the `NAME := <number>` lines of a generated make file whose names start
    with `prefix` ({} when there is no such file)."""
    try:
        with open(path) as f:
            return {m.group(1): int(m.group(2), 0) for m in
                    re.finditer(rf"^({prefix}\w+) := (0x[0-9a-fA-F]+|\d+)\s*$", f.read(), re.M)}
    except OSError:
        return {}


def system_figures(build):
    """{BHCC_SYS_ name: number}: the largest figures of the built system (its largest RAM region,
    blob, channel, its partitions' most regions and vCPUs) that bhcc's second pass writes to
    gen/bounds.mk (tools/configc/emit_bounds.c). A bound built on them holds for that system only;
    a model line naming one the build lacks cannot be evaluated (the gate fails)."""
    return make_numbers(os.path.join(build, "gen", "bounds.mk"), "BHCC_SYS_")


def check_figures(build, figures):
    """Problems where the tables bhcc gave the hypervisor (gen/config.c) hold more than a figure of
    gen/bounds.mk says: the bounds built on them would not hold. Read from config.c itself, the
    very data the hypervisor's loops run over, not from bhcc's own reckoning."""
    path = os.path.join(build, "gen", "config.c")
    if not figures or not os.path.exists(path):
        return []
    with open(path) as f:
        text = f.read()
    seen = {"BHCC_SYS_MAX_RAM_REGION": [int(m.group(1), 0) for m in re.finditer(
                r"\.size = (0x[0-9a-f]+),\s*\.access = [^,]*,\s*\.kind = CFG_REGION_RAM,", text)],
            "BHCC_SYS_MAX_REGIONS": [int(v) for v in re.findall(r"\.n_regions = (\d+),", text)],
            "BHCC_SYS_MAX_VCPUS": [int(v) for v in re.findall(r"\.n_vcpus = (\d+),", text)],
            "BHCC_SYS_MAX_BOOT_INFO": [int(v, 0) for v in re.findall(r"\.boot_info = \{ \.pa = \w+, \.size = (\w+),", text)],
            "BHCC_SYS_MAX_BLOB": [int(v, 0) for v in re.findall(r"\.(?:image|boot_info|initrd) = \{ \.pa = \w+, \.size = (\w+),", text)],
            # Per partition: the RAM regions of each region table, added up.
            "BHCC_SYS_MAX_PARTITION_RAM": [sum(int(v, 0) for v in re.findall(
                r"\.size = (0x[0-9a-f]+),\s*\.access = [^,]*,\s*\.kind = CFG_REGION_RAM,", table))
                for table in re.findall(r"static const struct cfg_region \w+\[\] = \{(.*?)\n\};", text, re.S)],
            "BHCC_SYS_MAX_CHANNEL": [int(v, 0) for v in re.findall(
                r"\.name = \"[^\"]*\",\s*\.pa = \w+,\s*\.size = (0x[0-9a-f]+),\s*\.kind = CFG_CHANNEL_", text)]}
    out = []
    for name, values in seen.items():
        if name in figures and values and max(values) > figures[name]:
            out.append(f"gen/config.c holds {max(values):#x} where gen/bounds.mk's {name} is {figures[name]:#x}: "
                       "the bounds built on it do not hold")
    return out


def evaluate(text, autoconf, constants):
    """The value of a bound: numbers, CONFIG_ constants of the build, BH_ constants
    (build_constants), + - * and / (division rounded up: a bound never rounds low), max(...),
    log2(...) (rounded up) and parentheses."""
    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            if node.id.startswith("CONFIG_"):
                return config_value(autoconf, node.id)
            if node.id.startswith(("BH_", "BHCC_")):
                return constants[node.id]
            raise ValueError(f"{node.id}: a CONFIG_, BH_ or BHCC_ constant or a number")
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub, ast.Mult, ast.Div):
            a, b = value(node.left), value(node.right)
            if isinstance(node.op, ast.Div):
                if b <= 0:
                    raise ValueError("a division by a number below 1")
                return -(-a // b)
            return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}[type(node.op)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "max" \
                and node.args and not node.keywords:
            return max(value(a) for a in node.args)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "log2" \
                and len(node.args) == 1 and not node.keywords:
            x = value(node.args[0])
            if x < 1:
                raise ValueError("log2 of a number below 1")
            return (x - 1).bit_length()          # rounded up: the doublings to reach x
        raise ValueError("only numbers, CONFIG_/BH_/BHCC_ constants, + - * /, max(), log2() and parentheses")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise ValueError(str(e.msg)) from None
    return value(tree.body)


def load_loops(path, autoconf, waits=None, constants=None, sums=None):
    """{(function, callers): (bound, text, reason)} and problems of the loop model; `wait` lines
    go into the dict `waits` ({function: reason}). `callers`: () for a bound of every call, or the
    call path that a line `loop f <bound> @ a @ b` names (f called by a, called by b): innermost
    first. Every line says why after a `#` (a few words at least). `sum` lines go into the dict
    `sums` ({(function, callers): (bound, text, reason)}: REQ-CRT-038)."""
    loops, problems = {}, []
    waits = {} if waits is None else waits
    sums = {} if sums is None else sums
    constants = {} if constants is None else constants
    if not os.path.exists(path):
        return loops, [f"{rel(path)} missing"]
    reasons = {}
    for n, text, w in model_lines(path, reasons):
        if len(re.findall(r"[A-Za-z]{2,}", reasons[n])) < 3:
            problems.append(f"{rel(path)}:{n}: say why the bound holds, after a '#' (a few words at least)")
        if len(w) == 2 and w[0] == "wait":
            waits[w[1]] = reasons[n]
            continue
        head, *callers = [part.strip() for part in text.split("@")]
        if w[0] == "sum":
            f = head.split(None, 2)
            if len(f) != 3 or not callers or any(not re.fullmatch(r"[\w.]+", c) for c in callers):
                problems.append(f"{rel(path)}:{n}: expected 'sum <function> <bound> @ <caller> [@ ...]'")
                continue
            try:
                value = evaluate(f[2], autoconf, constants)
                if value < 1:
                    raise ValueError("a sum of passes below 1")
                if (f[1], tuple(callers)) in sums:
                    problems.append(f"{rel(path)}:{n}: a second sum of {describe((f[1], tuple(callers)))}")
                sums[(f[1], tuple(callers))] = (value, f[2].replace(" ", ""), reasons[n])
            except (KeyError, ValueError, OSError) as e:
                problems.append(f"{rel(path)}:{n}: cannot evaluate '{f[2]}' ({e})")
            continue
        where = re.search(r"\s+in\s+(\S+)$", head)
        if where:
            head = head[:where.start()]
        w = head.split(None, 2)
        if len(w) != 3 or w[0] != "loop" or any(not re.fullmatch(r"[\w.]+", c) for c in callers) or \
                (where and not LOOP_AT.fullmatch(where.group(1))):
            problems.append(f"{rel(path)}:{n}: expected 'loop <function> <bound> [in <file>:<line>[<k>]] "
                            "[@ <caller> ...]' or 'wait <function>'")
            continue
        key = (w[1], tuple(callers)) + ((where.group(1),) if where else ())
        if key in loops:
            problems.append(f"{rel(path)}:{n}: a second bound of {describe(key)}")
            continue
        try:
            value = evaluate(w[2], autoconf, constants)
            if value < 1:
                raise ValueError("a function with a loop runs its instructions at least once: a bound is 1 "
                                 "or more")
            loops[key] = (value, w[2].replace(" ", ""), reasons[n])
        except (KeyError, ValueError, OSError) as e:
            problems.append(f"{rel(path)}:{n}: cannot evaluate '{w[2]}' ({e})")
    return loops, problems


def describe(key):
    """A loop model key as the model writes it: `f in file:line @ a @ b`."""
    return " @ ".join((key[0] + (f" in {key[2]}" if len(key) > 2 else ""),) + key[1])


class Bounder:
    def __init__(self, elf, funcs, model, loops, waits=None, locs=None, sums=None):
        self.elf, self.funcs, self.model, self.loops = elf, funcs, model, loops
        self.sums = sums or {}
        self.forced = {}                # {(function, call path): passes} while bound_at() bounds it
        self.used_sums = set()
        self.waits = waits or {}
        self.locs = locs or {}
        self.natural, self.cycles = {}, {}
        self.inner = {}                 # {function: {"file:line[k]": [keys of its lines]}}
        for k in loops:
            if len(k) > 2:
                self.inner.setdefault(k[0], {}).setdefault(k[2], []).append(k)
        self.problems, self.memo, self.visiting = [], {}, []
        self.cyclic, self.open_reasons, self.graphs = {}, {}, {}
        self.depth = max((len(k[1]) for k in list(loops) + list(self.sums)), default=0)  # the longest call path a line names
        self.return_memo, self.visiting_returns, self.building = {}, [], set()
        self.used = set()

    # --- control flow ---------------------------------------------------------
    def jump_table(self, name, ins, i):
        """Target addresses of the jump table whose `br` is ins[i], or None when it is not one."""
        adr = load = base_lo = page = count = None
        for j in range(i - 1, max(i - 12, -1), -1):
            a, mn, ops = ins[j]
            if mn == "adr" and adr is None:
                adr = int(TARGET.search(ops).group(1), 16)
            elif mn in ("ldrb", "ldrh") and load is None:
                load = (1 if mn == "ldrb" else 2, ops)
            elif mn == "add" and load and base_lo is None and re.search(r"#0x([0-9a-f]+)$", ops):
                base_lo = int(re.search(r"#0x([0-9a-f]+)$", ops).group(1), 16)
            elif mn == "adrp" and load and page is None:
                page = int(TARGET.search(ops).group(1), 16)
        if adr is None or load is None or page is None:
            return None
        # The guard: a cmp/b.hi just before, or a cmp/b.ls elsewhere that branches to the
        # table's block (the adrp). Its limit bounds the index from above.
        block = next((j for j in range(i - 1, max(i - 12, -1), -1) if ins[j][1] == "adrp"), i)
        guards = list(range(i - 1, max(i - 40, -1), -1))
        guards += [j - 1 for j, (_, mn, ops) in enumerate(ins)
                   if mn.startswith("b.") and TARGET.search(ops) and int(TARGET.search(ops).group(1), 16) ==
                   ins[block][0]]
        for j in guards:
            a, mn, ops = ins[j]
            if j + 1 < len(ins) and ins[j + 1][1] in ("b.hi", "b.ls"):
                m = re.match(r"w\d+, #0x([0-9a-f]+)$|w\d+, #(\d+)$", ops)
                if mn == "cmp" and m:
                    count = int(m.group(1), 16) + 1 if m.group(1) else int(m.group(2)) + 1
                    break
        if count is None:
            self.problems.append(f"{name}: jump table at {ins[i][0]:#x} without a cmp/b.hi guard to size it")
            return []
        size = load[0]
        raw = stack.elf_read(self.elf, page + (base_lo or 0), size * count)
        fmt = "<b" if size == 1 else "<h"
        # Entries past the real table (the guard's limit can exceed it when the index is derived
        # from the compared value) are data after it: those leaving the function are dropped;
        # any that land inside only add paths.
        lo, hi = ins[0][0], ins[-1][0]
        out = [adr + 4 * struct.unpack_from(fmt, raw, k * size)[0] for k in range(count)]
        return [x for x in out if lo <= x <= hi]

    def graph(self, name):
        """(successor indexes per instruction, calls per instruction: [callee names or sets])."""
        if name not in self.graphs:
            self.building.add(name)
            self.graphs[name] = self._graph(name)
            self.building.discard(name)
        return self.graphs[name]

    def returns(self, name):
        """Whether a call of `name` can come back to its caller: a `ret` it reaches, or a tail
        call of a function that can, or an indirect tail call (taken as one that can). A function
        that only ends in `eret` (to a guest), a halt or calls that never come back does not:
        what follows its call in the caller is not on any path."""
        if name in self.return_memo:
            return self.return_memo[name]
        if name not in self.funcs or name in self.visiting_returns or name in self.building:
            return True               # unknown or recursive: taken as returning (more paths, never fewer)
        self.visiting_returns.append(name)
        succ, calls = self.graph(name)
        ins = self.funcs[name]
        seen, todo, result = {0}, [0] if succ else [], False
        while todo and not result:
            k = todo.pop()
            mn = ins[k][1]
            tail = calls[k] and mn not in ("bl", "blr")
            if mn == "ret" or (tail and any(isinstance(c, tuple) or self.returns(c) for c in calls[k])):
                result = True
            for n in succ[k]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        self.visiting_returns.pop()
        self.return_memo[name] = result
        return result

    def _graph(self, name):
        ins = self.funcs[name]
        index = {a: k for k, (a, _, _) in enumerate(ins)}
        succ, calls = [], []
        for k, (a, mn, ops) in enumerate(ins):
            nxt = [k + 1] if k + 1 < len(ins) else []
            t = TARGET.search(ops)
            here = []
            if mn == "bl" and t:
                here = [t.group(2)]
                if not self.returns(t.group(2)):
                    nxt = []                  # a call that never comes back (panic, a stop): the path ends
            elif mn == "blr":
                here = [("indirect", name)]
            elif mn in ("ret", "eret"):
                nxt = []
            elif mn == "br":
                table = self.jump_table(name, ins, k)
                if table is None:
                    here, nxt = [("indirect", name)], []
                else:
                    nxt = []
                    for ta in table:
                        if ta in index:
                            nxt.append(index[ta])
                        else:
                            self.problems.append(f"{name}: jump table entry {ta:#x} outside the function")
            elif (mn == "b" or mn.startswith("b.") or mn in COND_BRANCH) and t:
                ta = int(t.group(1), 16)
                uncond = mn == "b"
                if uncond and ta in index and index[ta] <= k and \
                        all(ins[j][1] in HALT for j in range(index[ta], k)):
                    nxt = []                  # the core halts here: the path ends
                elif ta in index:
                    nxt = ([] if uncond else nxt) + [index[ta]]
                else:
                    here = [t.group(2)]       # a tail call (or a conditional one)
                    if uncond:
                        nxt = []
            succ.append(sorted(set(nxt)))
            calls.append(here)
        return succ, calls

    # --- bounds ---------------------------------------------------------------
    def loop_line(self, name, ctx):
        """The model line that bounds `name` called along `ctx` (its callers, innermost first): the
        line naming the longest part of that call path, else the line for every call, else None."""
        for n in range(min(len(ctx), self.depth), -1, -1):
            key = (name, tuple(ctx[:n]))
            if key in self.loops:
                return key
        return None

    def sum_line(self, name, ctx):
        """The `sum` line for calls of `name` along `ctx` (its callers, innermost first): the one
        naming the longest part of the call path (at least the direct caller), else None."""
        for n in range(min(len(ctx), self.depth), 0, -1):
            if (name, tuple(ctx[:n])) in self.sums:
                return (name, tuple(ctx[:n]))
        return None

    def bound_at(self, name, ctx, passes):
        """bound_pair of a call of `name` along `ctx` with its function's loop line at `passes`."""
        ctx = tuple(ctx[:self.depth])
        self.forced[(name, ctx)] = passes
        try:
            return self.bound_pair(name, None, ctx)
        finally:
            del self.forced[(name, ctx)]

    def inner_lines(self, name, ctx):
        """The lines bounding one loop of `name` (`in <file>:<line>`) for a call along `ctx`: per
        loop named, the line naming the longest part of the call path, else the one without `@`."""
        out = []
        for keys in self.inner.get(name, {}).values():
            fits = [k for k in keys if tuple(ctx[:len(k[1])]) == k[1]]
            if fits:
                out.append(max(fits, key=lambda k: len(k[1])))
        return out

    def natural_loops(self, name, succ):
        """[(first instruction, body)] of every loop of the function, nested ones too, by address:
        a loop is a strongly connected part of the graph; the loops inside it are those of its
        graph less the edges back to its entries (its instructions entered from outside it), so an
        irreducible loop (entered in two places, as gcc lays out a rotated loop) is one loop.
        Loops nest, so the smallest one holding an instruction is its innermost."""
        if name in self.natural:
            return self.natural[name]
        reach, todo = {0} if succ else set(), [0] if succ else []
        while todo:
            for t in succ[todo.pop()]:
                if t not in reach:
                    reach.add(t)
                    todo.append(t)
        preds = {k: [] for k in reach}
        for k in reach:
            for t in succ[k]:
                preds[t].append(k)
        found, work = [], [(reach, {k: [t for t in succ[k] if t in reach] for k in reach})]
        while work:
            nodes, edges = work.pop()
            for part in self.strong_parts(nodes, edges):
                found.append((min(part), frozenset(part)))
                entries = {k for k in part if k == 0 or any(p not in part for p in preds[k])} or {min(part)}
                work.append((part, {k: [t for t in edges[k] if t in part and t not in entries] for k in part}))
        self.natural[name] = sorted(found, key=lambda lp: (lp[0], -len(lp[1])))
        return self.natural[name]

    @staticmethod
    def strong_parts(nodes, edges):
        """The strongly connected parts of the graph (nodes, edges) that hold a cycle."""
        return [set(m) for r, m in tarjan(sorted(nodes), edges) if len(m) > 1 or r in edges[r]]

    def loop_counts(self, name, succ, default, inner):
        """How often each instruction of `name` runs at most in one call: that of the innermost
        loop holding it that a line bounds (`in <file>:<line>`), else `default` (the line for the
        whole function); None when an instruction on a cycle has neither (the function is open)."""
        loops = self.natural_loops(name, succ)
        locs = self.locs.get(name, [])
        bound_of = {}
        for key in inner:
            m = LOOP_AT.fullmatch(key[2])
            at = f"{m.group(1)}:{m.group(2)}"
            hit = []
            for i, loc in enumerate(locs):
                holding = [lp for lp in loops if i in lp[1]]
                if loc == at and holding:
                    inner_most = min(holding, key=lambda lp: len(lp[1]))
                    if inner_most not in hit:
                        hit.append(inner_most)
            hit.sort(key=lambda lp: lp[0])
            if m.group(3):
                k = int(m.group(3))
                hit = hit[k - 1:k] if k >= 1 else []
            if not hit:
                self.problems.append(f"loop {describe(key)}: no loop of {name} has an instruction of that "
                                     "line" + (" in that place" if m.group(3) else ""))
                continue
            self.used.add(key)
            for lp in hit:
                # Two lines naming one loop: each bound holds, so the smaller does.
                bound_of[lp] = min(bound_of.get(lp, self.loops[key][0]), self.loops[key][0])
        counts = []
        if name not in self.cycles:
            self.cycles[name] = self.on_cycles(succ)
        cyclic = self.cycles[name]
        for i in range(len(succ)):
            holding = sorted((lp for lp in loops if i in lp[1] and lp in bound_of), key=lambda lp: len(lp[1]))
            c = bound_of[holding[0]] if holding else default
            if c is None and i in cyclic:
                return None
            counts.append(1 if c is None else c)
        return counts

    @staticmethod
    def on_cycles(succ):
        """The instructions on some cycle of the graph (reachable from 0)."""
        return {m for r, ms in tarjan([0] if succ else [], succ) if len(ms) > 1 or r in succ[r] for m in ms}

    def call_cost(self, caller, callee, override, ctx):
        """(bound, open functions) of one call site; override maps callee name -> (bound, open
        functions) (an entry's path); ctx: the call path of the call, the caller first."""
        if isinstance(callee, tuple):
            decl = self.model["indirect"].get(caller)
            if decl is None:
                self.problems.append(f"{caller}: indirect call without a declared target set "
                                     "(tools/cert/stack-model.txt)")
                return None, frozenset()
            costs, opened = [], frozenset()
            for t in decl["targets"]:
                if t not in self.funcs:
                    continue          # a target this image does not link
                c, o = override[t] if t in override else self.bound_pair(t, None, ctx)
                costs.append(c)
                opened |= o
            if any(c is None for c in costs):
                return None, opened
            # One of the targets runs: each part at the largest of theirs.
            return (max((c[0] for c in costs), default=0), max((c[1] for c in costs), default=0)), opened
        if callee in override:
            return override[callee]
        if callee not in self.funcs:
            self.problems.append(f"{caller}: calls {callee}, which the image does not define")
            return None, frozenset()
        return self.bound_pair(callee, None, ctx)

    def bound(self, name, override=None, ctx=()):
        """Worst-case instructions of one call of `name` (None: open); ctx: its callers, innermost
        first (the loop lines for a call path use it)."""
        return self.bound_open(name, {k: ((v, 0), frozenset()) for k, v in (override or {}).items()}, ctx)[0]

    def bound_open(self, name, override=None, ctx=()):
        """(worst-case instructions of one call of `name` or None, the functions whose cycles
        no model line bounds on its paths)."""
        pair, opened = self.bound_pair(name, override, ctx)
        return (None if pair is None else sum(pair)), opened

    def bound_pair(self, name, override=None, ctx=()):
        """((R, T) or None, open functions) of one call of `name`. R bounds what it executes until
        it returns, or until the call it makes that never comes back (panic, a guest's eret: that
        call's instruction counted, not its callee); T bounds that last call, the callee's R + T,
        the largest of the calls it can end in. An execution ends at most once, so a call that
        never comes back counts once on a path (T), not at every pass of the loops around it (R):
        one call's worst case is R + T. Values of `override` are such pairs."""
        ctx = tuple(ctx[:self.depth])
        key = (name, tuple(sorted((override or {}).items())), ctx, self.forced.get((name, ctx)))
        if key in self.memo:
            return self.memo[key]
        if name in self.visiting:
            self.problems.append("recursion: " + " > ".join(self.visiting + [name]))
            return None, frozenset()
        self.visiting.append(name)
        succ, calls = self.graph(name)
        weights, is_open, opened, last, once = [], False, frozenset(), 0, {}
        for k, cs in enumerate(calls):
            w = 1
            for c in cs:
                summed = self.sum_line(c, (name,) + ctx) if isinstance(c, str) and c in self.funcs and \
                    c not in (override or {}) and self.returns(c) else None
                if summed is not None:
                    # REQ-CRT-038: the passes of c's loop add up to at most S over one call of this
                    # function, however often its loops call c: each call counts c at one pass, and
                    # c at S passes counts once, on the paths through a call of c (c's worst case is
                    # a + n * b over its paths, a, b >= 0, so the calls together cost at most
                    # calls * c(1) + S * b <= calls * c(1) + c(S)).
                    self.used_sums.add(summed)
                    (cost, o), (extra, o2) = (self.bound_at(c, (name,) + ctx, 1),
                                              self.bound_at(c, (name,) + ctx, self.sums[summed][0]))
                    opened |= o | o2
                    if cost is None or extra is None:
                        is_open = True
                        continue
                    w += cost[0]
                    once[k] = once.get(k, 0) + extra[0]
                    last = max(last, cost[1], extra[1])
                    continue
                cost, o = self.call_cost(name, c, override or {}, (name,) + ctx)
                opened |= o
                if cost is None:
                    is_open = True
                    cost = (0, 0)
                if isinstance(c, str) and c in self.funcs and not self.returns(c):
                    last = max(last, cost[0] + cost[1])
                else:
                    w += cost[0]
                    last = max(last, cost[1])
            weights.append(w)
        self.visiting.pop()
        order = self.topological(succ)
        self.cyclic[name] = order is None
        line = self.loop_line(name, ctx) if order is None else None
        inner = self.inner_lines(name, ctx) if order is None else []
        if order is None and line is None and not inner and name in self.waits:
            # A wait: its loop's body counts once; the time it spins is the integrator's (AOU-10).
            succ = self.forward_edges(succ)
            order = self.topological(succ)
        if order is None:
            # With a loop line, a wait of the same function (an inlined spin_lock around a copy)
            # counts its body <bound> times, its spinning still the integrator's.
            counts = None
            if (name, ctx) in self.forced and line is None:
                self.problems.append(f"sum {name}: the function has no loop line of its own for the sum to replace")
            if line is not None or inner:
                counts = self.loop_counts(name, succ, self.forced.get((name, ctx), self.loops[line][0]) if line
                                          else None, inner)
            if counts is None:
                self.open_reasons[name] = "a cycle without a loop bound"
                opened |= {name}
                result = None
            else:
                if line is not None:
                    self.used.add(line)
                result = self.condensed(succ, weights, counts, once)
        else:
            best = [0] * len(weights)
            for k in reversed(order):
                best[k] = weights[k] + once.get(k, 0) + max((best[s] for s in succ[k]), default=0)
            result = best[0] if best else 0
        if is_open or result is None:
            result = None
        else:
            result = (result, last)
        self.memo[key] = (result, opened)
        return result, opened

    def callees(self, name):
        """The functions `name` calls (directly, as a tail call, or through its declared target set)."""
        out = set()
        for cs in self.graph(name)[1]:
            for c in cs:
                if isinstance(c, tuple):
                    out |= set(self.model["indirect"].get(c[1], {"targets": []})["targets"])
                else:
                    out.add(c)
        return out

    @staticmethod
    def condensed(succ, weights, times, once=None):
        """The longest path from instruction 0 through the graph's strongly connected parts: an
        instruction on no cycle runs at most once in a call, one on a cycle at most `times` times
        (a number, or one per instruction: its loop's bound), so a part with a cycle costs the sum
        of its instructions, each times its count; `once` ({instruction: cost}) adds a cost once to
        the part holding that instruction (a sum line's callee at its summed passes)."""
        if not succ:
            return 0
        finished = tarjan([0], succ)
        part = {m: root for root, members in finished for m in members}
        # A part is finished after every part it reaches: its longest path is its own weight
        # plus the longest of theirs.
        longest = {}
        for root, members in finished:
            if len(members) > 1 or root in succ[root]:
                own = sum(weights[m] * (times if isinstance(times, int) else times[m]) for m in members)
            else:
                own = sum(weights[m] for m in members)
            own += sum((once or {}).get(m, 0) for m in members)
            longest[root] = own + max((longest[part[t]] for m in members for t in succ[m]
                                       if part[t] != root), default=0)
        return longest[part[0]]

    @staticmethod
    def forward_edges(succ):
        """The instruction graph without the edges that close a cycle (found depth first from 0)."""
        state, out = {0: 1} if succ else {}, [list(s) for s in succ]
        stack_ = [(0, iter(succ[0]))] if succ else []
        while stack_:
            node, it = stack_[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack_.pop()
            elif state.get(nxt) == 1:
                out[node].remove(nxt)
            elif nxt not in state:
                state[nxt] = 1
                stack_.append((nxt, iter(succ[nxt])))
        return out

    @staticmethod
    def topological(succ):
        """A topological order of the instruction graph reachable from 0, or None on a cycle."""
        return Bounder.topological_from([0] if succ else [], succ)

    def vector_part(self, name, entry_starts):
        """Instructions the exception vectors' assembly executes on a path through its call of
        `name`: from the slot the processor enters to the call, and from its return to the `eret`
        (each call counted as its one instruction: the callee is the entry's bound). The vectors'
        assembly is arm64_vectors and the code it branches to that starts no entry of the model
        (guest_sync_other, guest_exit, ...: labels of vectors.S the symbol table lists apart). 0
        when no vector calls `name` (a boot entry). Counted on every entry the vectors start, so
        that a bound covers the whole run from the vector to the eret, not only its C part."""
        if VECTORS not in self.funcs:
            return 0
        parts, todo = [], [VECTORS]
        while todo:
            f = todo.pop()
            parts.append(f)
            ins, (_, calls) = self.funcs[f], self.graph(f)
            for k, cs in enumerate(calls):
                for c in cs:
                    if isinstance(c, str) and ins[k][1] != "bl" and c in self.funcs and c not in entry_starts \
                            and c not in parts and c not in todo:
                        todo.append(c)
        nodes, succ, calls = {}, [], []
        for f in parts:
            for k in range(len(self.funcs[f])):
                nodes[(f, k)] = len(nodes)
        for f in parts:
            fs, fc = self.graph(f)
            ins = self.funcs[f]
            for k in range(len(ins)):
                tail = [nodes[(c, 0)] for c in fc[k] if isinstance(c, str) and ins[k][1] != "bl" and c in parts]
                succ.append([nodes[(f, t)] for t in fs[k]] + tail)
                calls.append([c for c in fc[k] if not (isinstance(c, str) and c in parts)])
        ins = self.funcs[VECTORS]
        slots = [nodes[(VECTORS, k)] for k, (a, _, _) in enumerate(ins) if (a - ins[0][0]) % VECTOR_SLOT == 0]
        order = self.topological_from(slots, succ)
        if order is None:
            self.problems.append(f"{VECTORS}: a cycle in the vectors' assembly (no bound for it)")
            return 0
        up = {k: 1 for k in slots}            # the longest path from a slot to k, k included
        for k in order:
            for t in succ[k]:
                up[t] = max(up.get(t, 0), up.get(k, 0) + 1)
        down = {}                             # from k, k included, to the end of the vectors' part
        for k in reversed(order):
            down[k] = 1 + max((down[t] for t in succ[k]), default=0)
        return max((up[k] + down[k] - 1 for k in order if name in calls[k]), default=0)

    @staticmethod
    def topological_from(starts, succ):
        """A topological order of the graph reachable from `starts`, or None on a cycle."""
        state, order = {}, []
        for start in starts:
            if start in state:
                continue
            state[start] = 1
            stack_ = [(start, iter(succ[start]))]
            while stack_:
                node, it = stack_[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = 2
                    order.append(node)
                    stack_.pop()
                elif state.get(nxt) == 1:
                    return None
                elif nxt not in state:
                    state[nxt] = 1
                    stack_.append((nxt, iter(succ[nxt])))
        return list(reversed(order))

    def entry(self, path, alternatives, entry_starts=()):
        """(bound or None, open functions) of an entry path a > b > c, the vectors' assembly around a
        included; alternatives[i]: the functions other entries take at position i + 1 after the same
        prefix (not counted on this path); entry_starts: the first functions of every entry."""
        cost = None
        for i in range(len(path) - 1, -1, -1):
            override = {alt: ((0, 0), frozenset()) for alt in alternatives.get(i, ())}
            if i < len(path) - 1:
                override[path[i + 1]] = cost
            cost = self.bound_pair(path[i], override or None, tuple(reversed(path[:i])))
        return (None if cost[0] is None else sum(cost[0]) + self.vector_part(path[0], entry_starts)), cost[1]

    def entry_reaches(self, path, alternatives, which):
        """The functions of `which` (open ones, waits) an entry path reaches, as entry() counts it:
        at each function of the path, not through the other entries' alternatives there."""
        seen, out = set(), set()
        for i, f in enumerate(path):
            skip = set(alternatives.get(i, ())) | set(path[i + 1:i + 2])
            out |= self.open_functions(f, seen, which, skip)
        return out

    def open_functions(self, name, seen=None, which=None, skip=()):
        """The functions with an unbounded cycle that `name` reaches (with which=self.waits: the
        waits it reaches); `skip`: callees of `name` itself not to follow."""
        which = self.open_reasons if which is None else which
        seen = set() if seen is None else seen
        if name in seen or name not in self.funcs:
            return set()
        seen.add(name)
        out = {name} if name in which else set()
        _, calls = self.graph(name)
        for cs in calls:
            for c in cs:
                if isinstance(c, tuple):
                    for t in self.model["indirect"].get(c[1], {"targets": []})["targets"]:
                        if t not in skip:
                            out |= self.open_functions(t, seen, which)
                elif c not in skip:
                    out |= self.open_functions(c, seen, which)
        return out


def tarjan(starts, edges):
    """[(root, members)] of the strongly connected parts of the graph reachable from `starts`
    (edges[n]: n's successors), each after every part it reaches (Tarjan's algorithm, iterative)."""
    index, low, on, stack_, finished = {}, {}, set(), [], []
    for start in starts:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack_.append(start)
        on.add(start)
        work = [(start, iter(edges[start]))]
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack_.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(edges[nxt])))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while not members or members[-1] != node:
                    members.append(stack_.pop())
                    on.discard(members[-1])
                finished.append((node, members))
    return finished


def alternatives_of(entries, path):
    """At each position of `path`, the functions other entries with the same prefix take there."""
    alts = {}
    for e in entries:
        other = e["path"]
        for i in range(min(len(other), len(path)) - 1):
            if other[:i + 1] == path[:i + 1] and other[i + 1] != path[i + 1]:
                alts.setdefault(i, set()).add(other[i + 1])
    return alts


def table_text(image_name, rows, loops, waits, open_all, sums=None):
    lines = [
        "# Worst-case EL2 path lengths (generated)\n",
        "Generated by tools/cert/pathlen.py (`make cert-pathlen PATHLEN_UPDATE=1`) from the "
        f"image `{image_name}` (configs/qemu-aarch64-virt.dts, GICv3) and its compiler's code; "
        "`make cert` regenerates it and fails when it differs. Every bound is **static** (the "
        "machine code's control-flow graph, loops bounded in tools/cert/pathlen-model.txt, per call "
        "path where a copy's length depends on its caller and per loop where a function has several; "
        "each instruction on a cycle counts its loop's bound times, the rest once, and a call that "
        "never comes back (panic, a guest's eret) once on a path: loose, never low). The bounds are "
        "**those of this built system**: the model uses the figures its configuration compiler "
        "emits for it (gen/bounds.mk: its largest RAM region, blob and channel, its partitions' most "
        "regions and vCPUs; REQ-CRT-032), which the gate checks against the tables the hypervisor "
        "runs on (gen/config.c); another system description needs its own table. An entry's bound "
        "includes the exception vectors' assembly (from the slot to the `eret`). The measured "
        "cross-check (tests/system/test_pathlen_measured.py, REQ-CRT-030~2) runs seeded random HVC and "
        "SMC calls and the hostile suite's vectors under `-icount` and the measuring plugin, attributes "
        "each run in the hypervisor to the entries whose paths it took, and checks it against each of "
        "their static bounds (docs/safety/path-lengths-measured.md: measured worst per entry). "
        "\"open\" means a function the entry reaches has a loop no model line bounds yet: the "
        "entry has no bound.\n",
        "A bound counts the instructions the hypervisor executes from the exception vector to its "
        "`eret`: not the time spent in the firmware (PSCI SYSTEM_OFF/RESET through SMC), waiting "
        "(WFI/WFE), polling a device (the UART's transmit FIFO) or on a contended spin lock: "
        "such a loop is declared a wait (`wait <function>`), its body counted once (or, beside a loop "
        "bound of the same function, that many times), and every entry lists the waits it reaches, whose time the integrator bounds on the target. The other entries' handlers at a "
        "dispatch are not counted on an entry's path. Instructions are not time: the integrator "
        "turns them into time on the target (docs/safety/safety-manual.md, AOU-10).\n",
        md_table(["Entry", "Static bound (instructions)", "Open: loops without a bound", "Waits (their time the integrator's)"],
                 rows),
        "\n## Loop bounds used\n",
        md_table(["Function (@ its callers, innermost first)", "Bound", "From", "Why it holds"],
                 [[describe(k), str(v[0]), v[1], v[2]] for k, v in sorted(loops.items())]),
        "\n## Sums over a caller's call\n",
        "A callee's loop whose passes add up to at most the sum over one call of the caller, however "
        "often the caller's loops call it: each call counts the callee at one pass, the sum once "
        "(REQ-CRT-038).\n",
        md_table(["Function @ its callers, innermost first", "Sum of passes", "From", "Why it holds"],
                 [[describe(k), str(v[0]), v[1], v[2]] for k, v in sorted((sums or {}).items())]) if sums else "None.\n",
        "\n## Waits\n",
        md_table(["Function", "What it waits for"], [[f, r] for f, r in sorted(waits.items())]) if waits else "None.\n",
        f"\n## Loops still without a bound ({len(open_all)} functions)\n",
        ", ".join(open_all) + "\n" if open_all else "None.\n",
    ]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--image", required=True, metavar="NAME=BUILD", help="the hypervisor build to bound")
    ap.add_argument("--model", default=stack.MODEL)
    ap.add_argument("--loops", default=MODEL)
    ap.add_argument("--table", default=TABLE, help="the committed table to compare with")
    ap.add_argument("--update", action="store_true", help="write the table instead of comparing")
    ap.add_argument("--out", required=True)
    ap.add_argument("--entries", metavar="FILE", help="also write each entry's bound, its path of functions "
                    "in the image and the functions other entries take off that path (JSON), for "
                    "attributing a measured run to the entries it took (tests/system/test_pathlen_measured.py)")
    args = ap.parse_args()

    name, build = args.image.split("=", 1)
    image = stack.Image.from_build(name, build)
    model, problems = stack.load_model(args.model)
    if not os.path.exists(image.elf):
        sys.exit(write_part(args.out, "pathlen", "Worst-case EL2 path lengths", "fail", [],
                            [f"{image.elf} missing: the image was not built"], ""))
    waits, sums = {}, {}
    loops, p = load_loops(args.loops, image.autoconf, waits, build_constants(build), sums)
    problems += p + check_figures(build, system_figures(build))
    locs = {}
    funcs = disassemble(image.elf, locs)
    b = Bounder(image.elf, funcs, model, loops, waits, locs, sums)
    rows, described = [], []
    open_all = set()
    entries = [{"path": [f for f in e["path"] if f in funcs]} for e in model["entry"]]
    for e in model["entry"]:
        path = [f for f in e["path"] if f in funcs]     # a function the compiler inlined: its caller covers it
        if not path or path[0] != e["path"][0]:
            rows.append([e["name"], "not in this image", "", ""])
            continue
        alternatives = alternatives_of(entries, path)
        cost, opened = b.entry(path, alternatives, {e["path"][0] for e in entries if e["path"]})
        waited = b.entry_reaches(path, alternatives, waits)
        shown = sorted(opened) if cost is None else []
        rows.append([e["name"], str(cost) if cost is not None else "open",
                     (f"{len(shown)}: " + ", ".join(shown[:6]) + (", ..." if len(shown) > 6 else "")) if shown else "",
                     ", ".join(sorted(waited))])
        open_all |= set(shown)
        described.append({"name": e["name"], "bound": cost, "path": path,
                          "alternatives": sorted(set().union(*alternatives.values()))})
    for kind, lines, used in (("loop", loops, b.used), ("sum", sums, b.used_sums)):
        for key in lines:
            f, callers = key[0], key[1]
            chain = (f,) + callers
            if f not in funcs:
                problems.append(f"{rel(args.loops)}: {kind} {f}: no such function in the image")
            elif f in b.cyclic and not b.cyclic[f]:
                problems.append(f"{rel(args.loops)}: {kind} {f}: the function has no cycle (remove the line)")
            elif any(c not in funcs or chain[i] not in b.callees(c) for i, c in enumerate(callers)):
                problems.append(f"{rel(args.loops)}: {kind} {describe(key)}: no such call path in the image")
            elif key not in used:
                problems.append(f"{rel(args.loops)}: {kind} {describe(key)}: bounds no call of any entry "
                                "(a more specific line bounds every one, or no entry reaches it)")
    for f in waits:
        if f not in funcs:
            problems.append(f"{rel(args.loops)}: wait {f}: no such function in the image")
        elif f in b.cyclic and not b.cyclic[f]:
            problems.append(f"{rel(args.loops)}: wait {f}: the function has no cycle (remove the line)")
    problems += sorted(set(b.problems))
    if args.entries:
        with open(args.entries, "w") as f:
            json.dump(described, f, indent=1)
    text = table_text(name, rows, loops, waits, sorted(open_all), sums)
    if args.update:
        with open(args.table, "w") as f:
            f.write(text.rstrip() + "\n")
    else:
        try:
            with open(args.table) as f:
                committed = f.read()
        except OSError:
            committed = ""
        if committed != text.rstrip() + "\n":
            problems.append(f"{rel(args.table)} differs from the bounds of this image: regenerate it "
                            "(make cert-pathlen PATHLEN_UPDATE=1) and commit it")
    bounded = [r for r in rows if r[1].isdigit()]
    figures = [["Entries bounded / open", f"{len(bounded)} / {sum(1 for r in rows if r[1] == 'open')}"],
               ["Longest bounded entry", max(bounded, key=lambda r: int(r[1]))[0] + ": " +
                max(bounded, key=lambda r: int(r[1]))[1] + " instructions" if bounded else "-"],
               ["Loop bounds declared / sums / waits / missing",
                f"{len(loops)} / {len(sums)} / {len(waits)} / {len(open_all)}"],
               ["Measured against these bounds, per entry", "docs/safety/path-lengths-measured.md "
                "(tests/system/test_pathlen_measured.py, REQ-CRT-030~2)"]]
    sys.exit(write_part(args.out, "pathlen", "Worst-case EL2 path lengths", "fail" if problems else "pass",
                        figures, problems, text))


if __name__ == "__main__":
    main()
