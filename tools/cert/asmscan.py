# SPDX-License-Identifier: MIT
"""What the hypervisor's assembly does with the stack before it enters C.

stack.py bounds the entries that tools/cert/stack-model.txt declares; this
module reads the assembly itself (arch/<arch>/*.S) so that the model can be
checked against it: every C function the assembly branches to, and how many
bytes the assembly has pushed on the current stack at that branch.

The reading is deliberately simple and conservative: object-like #defines
(of the file itself, and of a header it includes with #include "x.h" from
the include/ folder beside it, which is how C and assembly share their
constants) and .macro/.endm are expanded, every line is taken as reachable (#if is not
evaluated), and the pushed count restarts at each label, alignment, section
change, stack switch (mov/add into sp from registers) and after each
unconditional branch or return. A register-indirect branch (br, blr) cannot
be checked and is reported.
"""
import os
import re

# Branches whose last operand is the target.
_BRANCH = re.compile(r"^(bl|b|b\.\w+|cbz|cbnz|tbz|tbnz)\s+(?:.*,\s*)?([A-Za-z_.$][\w.$]*)\s*$", re.I)
_PUSH_SUB = re.compile(r"^sub\s+sp\s*,\s*sp\s*,\s*#?(\w+)$", re.I)
_POP_ADD = re.compile(r"^add\s+sp\s*,\s*sp\s*,\s*#?(\w+)$", re.I)
_PRE_INDEX = re.compile(r"^(?:stp|str)\s+.*\[\s*sp\s*,\s*#?-(\w+)\s*\]!$", re.I)
_POST_INDEX = re.compile(r"^(?:ldp|ldr)\s+.*\[\s*sp\s*\]\s*,\s*#?(\w+)$", re.I)
_SP_SET = re.compile(r"^(?:mov|add|sub)\s+sp\s*,", re.I)
_RESET = (".balign", ".align", ".p2align", ".section", ".text", ".data", ".pushsection", ".popsection")
MAX_MACRO_DEPTH = 8


class Entered:
    """A branch from assembly into code the assembly does not define."""

    def __init__(self, target, pushed, where, tail):
        self.target, self.pushed, self.where, self.tail = target, pushed, where, tail


def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return [re.sub(r"//.*$", "", line) for line in text.split("\n")]


def _number(token, defines):
    token = defines.get(token, token)
    try:
        return int(token, 0)
    except ValueError:
        return None


_DEFINE = re.compile(r"^#\s*define\s+(\w+)\s+(\S+)\s*$")
_INCLUDE = re.compile(r'^#\s*include\s+"([\w.]+)"\s*$')


def _header_defines(path):
    """The object-like #defines of a header (no nested includes)."""
    with open(path) as f:
        return {m.group(1): m.group(2) for m in (_DEFINE.match(l.strip()) for l in _strip_comments(f.read())) if m}


def _read(path, label):
    """(lines as (where, text) with macros expanded, defines, labels, problems)."""
    with open(path) as f:
        raw = _strip_comments(f.read())
    defines, macros, body, problems = {}, {}, [], []
    cur = None
    for n, line in enumerate(raw, 1):
        text = line.strip()
        m = _DEFINE.match(text)
        if m:
            defines[m.group(1)] = m.group(2)
            continue
        m = _INCLUDE.match(text)
        if m:
            header = os.path.join(os.path.dirname(path), "include", m.group(1))
            if os.path.exists(header):
                defines.update(_header_defines(header))
            continue
        if text.startswith("#"):
            continue
        m = re.match(r"^\.macro\s+(\w+)\s*(.*)$", text)
        if m:
            params = [p.split("=")[0].split(":")[0] for p in re.split(r"[\s,]+", m.group(2).strip()) if p]
            cur = macros[m.group(1)] = {"params": params, "lines": []}
            continue
        if text.startswith(".endm"):
            cur = None
            continue
        if cur is not None:
            cur["lines"].append(text)
        elif text:
            body.append((f"{label}:{n}", text))
    lines = []
    pending = [(where, text, 0) for where, text in body]
    pending.reverse()
    while pending:
        where, text, depth = pending.pop()
        word, _, rest = text.partition(" ")
        mac = macros.get(word)
        if mac is None:
            lines.append((where, text))
            continue
        if depth >= MAX_MACRO_DEPTH:
            problems.append(f"{where}: macro {word} nested deeper than {MAX_MACRO_DEPTH}")
            continue
        args = [a.strip() for a in rest.split(",")] if rest.strip() else []
        expanded = []
        for mline in mac["lines"]:
            for p, a in zip(mac["params"], args):
                mline = mline.replace("\\" + p, a)
            expanded.append((where, mline, depth + 1))
        pending.extend(reversed(expanded))
    labels = set()
    for _, text in lines:
        m = re.match(r"^([A-Za-z_.$][\w.$]*):", text)
        if m:
            labels.add(m.group(1))
    return lines, defines, labels, problems


def _adjustment(ins, defines, where, problems):
    """Bytes `ins` pushes (positive) or pops (negative) on sp, or None."""
    for rx, sign in ((_PUSH_SUB, 1), (_PRE_INDEX, 1), (_POP_ADD, -1), (_POST_INDEX, -1)):
        m = rx.match(ins)
        if m:
            value = _number(m.group(1), defines)
            if value is None:
                problems.append(f"{where}: cannot read the stack adjustment '{ins}'")
                return 0
            return sign * value
    return None


def scan(paths, name_of=lambda p: p):
    """Reads the assembly files `paths` (named in messages by name_of(path)).
    Returns (entered: [Entered], defined: set of labels the assembly defines,
    problems)."""
    files = [(p, _read(p, name_of(p))) for p in paths]
    defined = set()
    problems = []
    for _, (_, _, labels, probs) in files:
        defined |= labels
        problems += probs
    entered = []
    for _, (lines, defines, _, _) in files:
        pushed = 0
        for where, text in lines:
            m = re.match(r"^([A-Za-z_.$][\w.$]*|\d+):\s*(.*)$", text)
            if m:
                if not m.group(1).isdigit():
                    pushed = 0
                text = m.group(2).strip()
                if not text:
                    continue
            ins = re.sub(r"\s+", " ", text)
            low = ins.lower()
            if low.startswith(_RESET):
                pushed = 0
                continue
            adjust = _adjustment(ins, defines, where, problems)
            if adjust is not None:
                pushed += adjust
            elif _SP_SET.match(ins):
                pushed = 0
            elif re.match(r"^(blr|br|braa|brab|blraa|blrab)\b", low):
                problems.append(f"{where}: register-indirect branch '{text}': the stack model cannot follow it")
            elif _BRANCH.match(ins):
                kind, target = _BRANCH.match(ins).groups()
                if target not in defined and not re.match(r"^\d+[bf]$", target):
                    entered.append(Entered(target, max(pushed, 0), where, kind == "b"))
                if kind == "b":
                    pushed = 0
            elif re.match(r"^(ret|eret)\b", low):
                pushed = 0
    return entered, defined, problems
