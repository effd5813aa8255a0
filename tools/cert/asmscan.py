# SPDX-License-Identifier: MIT
"""What the hypervisor's assembly does with the stack before it enters C.

stack.py bounds the entries that tools/cert/stack-model.txt declares; this
module reads the assembly itself (arch/<arch>/*.S; arch/x86's in AT&T syntax) so that the model can be
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


# x86-64, AT&T syntax (arch/x86/*.S). A call's return address is part of the
# callee's frame (gcc's -fstack-usage counts it), so only what the assembly
# pushes before it counts, as on arm64.
_X86_BRANCH = re.compile(r"^(call|callq|jmp|jmpq|j[a-z]{1,4})\s+([A-Za-z_.$][\w.$]*)\s*$", re.I)
_X86_INDIRECT = re.compile(r"^(?:call|callq|jmp|jmpq)\s+\*", re.I)
_X86_PUSH = re.compile(r"^(?:push|pushq|pushfq|pushf)\b", re.I)
_X86_POP = re.compile(r"^(?:pop|popq|popfq|popf)\b", re.I)
_X86_SUB = re.compile(r"^subq?\s+\$(\w+)\s*,\s*%rsp$", re.I)
_X86_ADD = re.compile(r"^addq?\s+\$(\w+)\s*,\s*%rsp$", re.I)
# Aligning rsp down to N bytes moves it by at most N - 8 (rsp is always 8-aligned in long mode).
_X86_ALIGN = re.compile(r"^andq?\s+\$-(\w+)\s*,\s*%rsp$", re.I)
_X86_SP_SET = re.compile(r"^(?:mov|movq|movl|lea|leaq)\s+.*,\s*%[re]sp$", re.I)
_X86_END = re.compile(r"^(?:ret|retq|iret|iretq|lret|sysret|ljmp|ljmpl|ljmpq)\b", re.I)


def _x86_adjustment(ins, defines, where, problems):
    """Bytes an x86 instruction pushes (positive) or pops (negative), or None."""
    if _X86_PUSH.match(ins):
        return 8
    if _X86_POP.match(ins):
        return -8
    for rx, sign in ((_X86_SUB, 1), (_X86_ADD, -1), (_X86_ALIGN, 1)):
        m = rx.match(ins)
        if m:
            value = _number(m.group(1), defines)
            if value is None:
                problems.append(f"{where}: cannot read the stack adjustment '{ins}'")
                return 0
            return sign * (value - 8 if rx is _X86_ALIGN else value)
    return None


def is_x86(path):
    return "/x86/" in path.replace(os.sep, "/")


def scan(paths, name_of=lambda p: p, jumps=None):
    """Reads the assembly files `paths` (named in messages by name_of(path)).
    `jumps`: {label: [targets]}, the targets of the register-indirect branches
    under a label (the stack model's `jump` lines; each target is entered with
    what was pushed at the branch). Returns (entered: [Entered], defined: set
    of labels the assembly defines, problems)."""
    jumps = jumps or {}
    files = [(p, _read(p, name_of(p))) for p in paths]
    defined = set()
    problems = []
    for _, (_, _, labels, probs) in files:
        defined |= labels
        problems += probs
    entered = []
    for path, (lines, defines, _, _) in files:
        if is_x86(path):
            entered += _scan_x86(lines, defines, defined, jumps, problems)
            continue
        pushed = 0
        for where, text, ins, low, label in _statements(lines):
            if label is not None or low.startswith(_RESET):
                pushed = 0
            if not ins or low.startswith(_RESET):
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


def _statements(lines):
    """(where, text, instruction with blanks folded, the same lower-cased, the symbol label that
    opens the line or None) of each line; a line with only a label yields an empty instruction, a
    numeric local label is no symbol."""
    for where, text in lines:
        label = None
        m = re.match(r"^([A-Za-z_.$][\w.$]*|\d+):\s*(.*)$", text)
        if m:
            if not m.group(1).isdigit():
                label = m.group(1)
            text = m.group(2).strip()
        ins = re.sub(r"\s+", " ", text)
        yield where, text, ins, ins.lower(), label


def _scan_x86(lines, defines, defined, jumps, problems):
    entered = []
    pushed = 0
    label = None
    for where, text, ins, low, opened in _statements(lines):
        if opened is not None:
            label = opened
        if opened is not None or low.startswith(_RESET):
            pushed = 0
        if not ins or low.startswith(_RESET):
            continue
        adjust = _x86_adjustment(ins, defines, where, problems)
        if adjust is not None:
            pushed += adjust
        elif _X86_SP_SET.match(ins):
            pushed = 0
        elif _X86_INDIRECT.match(ins):
            if label in jumps:
                entered += [Entered(t, max(pushed, 0), where, True) for t in jumps[label]]
            else:
                problems.append(f"{where}: register-indirect branch '{text}' under {label}: the stack model "
                                "cannot follow it (declare its targets with a `jump` line)")
            if low.startswith("jmp"):
                pushed = 0
        elif _X86_BRANCH.match(ins):
            kind, target = _X86_BRANCH.match(ins).groups()
            if target not in defined and not re.match(r"^\d+[bf]$", target):
                entered.append(Entered(target, max(pushed, 0), where, kind.lower().startswith("jmp")))
            if kind.lower().startswith("jmp"):
                pushed = 0
        elif _X86_END.match(ins):
            pushed = 0
    return entered
