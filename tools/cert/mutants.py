# SPDX-License-Identifier: MIT
"""Mutation operators on C source: which mutants a file has.

A mutant is one small change to one function: a comparison flipped or its
boundary moved, a Boolean connective swapped, a constant changed, an
expression statement dropped (a write, or a call), or the condition of an
`if` made false (the check skipped). Only function bodies are mutated;
preprocessor lines, comments, string literals and inline assembly are not,
nor code that only verification builds compile (an `#ifdef` of one of
INSTRUMENTATION: like the files the mutation map excludes for the same
reason, it is not in the product, and the product's tests cannot kill it).
Every mutant has a key that stays the same while the function's mutated
text does (file, function, operator, a hash of the change, its occurrence
in the function), so that records of equivalent mutants survive edits
elsewhere in the file.
"""
import hashlib
import re
from dataclasses import dataclass, field

PUNCT = ("<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
         "*=", "/=", "%=", "&=", "^=", "|=", "##")
TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<number>\b(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<punct>""" + "|".join(re.escape(p) for p in PUNCT) + r"""|[{}()\[\];,:?.<>=!~+\-*/%&|^#])
  | (?P<space>\s+)
""", re.S | re.X)

# The operators, and what each does (docs, reports).
OPERATORS = {
    "flip-comparison": "a comparison replaced by its negation (== and !=, < and >=, > and <=)",
    "boundary": "a comparison's boundary moved (< and <=, > and >=)",
    "swap-logical": "&& and || swapped",
    "constant": "an integer constant changed (0 to 1, 1 to 0, n to n + 1)",
    "drop-write": "a statement that writes (an assignment, ++/--, a call of a *write* function) dropped",
    "drop-call": "a call statement dropped",
    "skip-check": "the condition of an if made false (the check never fires)",
    "explicit": "a change written out in tools/cert/mutation-explicit.txt",
}
FLIP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
BOUNDARY = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "<<=", ">>="}
NOT_EXPRESSION = {"return", "break", "continue", "goto", "if", "for", "while", "do", "switch", "case", "default",
                  "else", "typedef", "struct", "union", "enum", "static", "const", "volatile", "extern",
                  "register", "unsigned", "signed", "int", "char", "short", "long", "bool", "void"}
# Calls that are not statements of the function's behaviour: dropping them
# only makes the build fail (-Werror) or changes nothing the C says.
NOT_MUTATED_CALLS = {"UNUSED"}
ASM = {"__asm__", "__asm", "asm"}
# Options that only verification builds set (CFG-R11, REQ-CRT-008).
INSTRUMENTATION = {"CONFIG_FAULT_INJECTION", "CONFIG_COVERAGE"}
DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(\w+)[ \t]*(\w*)", re.M)


@dataclass
class Tok:
    kind: str
    text: str
    start: int
    end: int
    line: int


@dataclass
class Mutant:
    file: str
    function: str
    operator: str
    line: int
    edits: list                  # [(start, end, replacement)] in the file's text
    original: str
    replacement: str
    key: str = ""
    explicit_id: str = ""
    requirements: list = field(default_factory=list)

    def apply(self, text):
        for start, end, repl in sorted(self.edits, reverse=True):
            text = text[:start] + repl + text[end:]
        return text


def tokens(text):
    """The tokens of `text` without comments, spaces and preprocessor lines."""
    out, line, at_line_start, in_directive = [], 1, True, False
    for m in TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "space":
            if "\n" in tok:
                # A directive ends at a newline that no backslash continues.
                if in_directive and not text[:m.start()].endswith("\\"):
                    in_directive = False
                at_line_start = True
            line += tok.count("\n")
            continue
        if kind == "comment":
            line += tok.count("\n")
            continue
        if at_line_start and tok == "#":
            in_directive = True
        at_line_start = False
        if not in_directive:
            out.append(Tok(kind, tok, m.start(), m.end(), line))
        line += tok.count("\n")
    return out


def matching(toks, i):
    """Index of the bracket that closes toks[i]."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    opening, closing, depth = toks[i].text, pairs[toks[i].text], 0
    for j in range(i, len(toks)):
        if toks[j].text == opening:
            depth += 1
        elif toks[j].text == closing:
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def functions(toks):
    """[(name, first body token index, last body token index)] of the function definitions."""
    out, i, depth = [], 0, 0
    while i < len(toks):
        t = toks[i]
        if t.text == "{" and depth == 0 and i > 0 and toks[i - 1].text == ")":
            j = i - 1
            close = 0
            while j >= 0:
                close += {")": 1, "(": -1}.get(toks[j].text, 0)
                if close == 0:
                    break
                j -= 1
            name = toks[j - 1].text if j > 0 and toks[j - 1].kind == "ident" else "?"
            end = matching(toks, i)
            out.append((name, i, end))
            i = end + 1
            continue
        if t.text == "{":
            depth += 1
        elif t.text == "}":
            depth -= 1
        i += 1
    return out


def _constant(text):
    m = re.match(r"^(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)$", text)
    digits, suffix = m.group(1), m.group(2)
    value = int(digits, 0)
    new = 1 if value == 0 else (0 if value == 1 else value + 1)
    return (hex(new) if digits.lower().startswith("0x") else str(new)) + suffix


def _excluded(toks, lo, hi):
    """Token indexes inside inline assembly and case labels, which are not mutated."""
    skip = set()
    i = lo
    while i <= hi:
        if toks[i].text in ASM:
            j = i + 1
            while j <= hi and toks[j].text != "(":
                j += 1
            end = matching(toks, j) if j <= hi else j
            skip.update(range(i, end + 1))
            i = end + 1
            continue
        if toks[i].text == "case":
            j = i
            while j <= hi and toks[j].text != ":":
                j += 1
            skip.update(range(i, j + 1))
            i = j + 1
            continue
        i += 1
    return skip


def _statements(toks, lo, hi, skip):
    """(first, last) token indexes of the expression statements of a body."""
    out, start, paren = [], lo + 1, 0
    for i in range(lo + 1, hi):
        t = toks[i].text
        if t == "(":
            paren += 1
        elif t == ")":
            paren -= 1
        elif paren == 0 and t in ("{", "}"):
            start = i + 1
        elif paren == 0 and t == ":" and start < i and toks[start].text in ("case", "default"):
            start = i + 1
        elif paren == 0 and t == ";":
            if start < i and not any(j in skip for j in range(start, i + 1)):
                out.append((start, i))
            start = i + 1
    return out


def _statement_kind(toks, first, last):
    """'drop-write', 'drop-call' or None for the statement toks[first..last]."""
    head = toks[first]
    if head.text in NOT_EXPRESSION or head.text in NOT_MUTATED_CALLS:
        return None
    if head.kind == "ident" and first + 1 < last and (toks[first + 1].kind == "ident" or
                                                      (toks[first + 1].text == "*" and
                                                       toks[first + 2].kind == "ident" and
                                                       toks[first + 3].text in ("=", ";", "["))):
        return None  # a declaration: "type name ..." or "type *name ..."
    paren = 0
    for i in range(first, last):
        t = toks[i].text
        paren += {"(": 1, ")": -1}.get(t, 0)
        if paren == 0 and (t in ASSIGN or t in ("++", "--")):
            return "drop-write"
    if head.kind == "ident" and toks[first + 1].text == "(":
        name = head.text.lower()
        return "drop-write" if ("write" in name or name.startswith(("__atomic_store", "__atomic_fetch",
                                                                   "__atomic_exchange"))) else "drop-call"
    if head.text == "(" and toks[first + 1].text == "void":
        return None  # "(void)x;" marks a value unused
    return None


def instrumentation_blanked(text):
    """`text` with the code of `#ifdef <INSTRUMENTATION>` blocks (up to their #else or #endif)
    replaced by spaces, newlines kept: every offset and line number stays that of `text`."""
    out, depth, blank_at, last = [], 0, None, 0
    for d in DIRECTIVE.finditer(text):
        word, arg = d.group(1), d.group(2)
        if word in ("if", "ifdef", "ifndef"):
            depth += 1
            if blank_at is None and word == "ifdef" and arg in INSTRUMENTATION:
                blank_at, last = depth, text.index("\n", d.start())
        elif word in ("else", "elif", "endif"):
            if blank_at == depth:
                out.append((last, d.start()))
                blank_at = None
            depth -= 1 if word == "endif" else 0
    chars = list(text)
    for lo, hi in out:
        for i in range(lo, hi):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def mutants_of(path, text):
    """Every mutant of the function bodies of C source `text` (file `path`)."""
    toks = tokens(instrumentation_blanked(text))
    out = []
    for name, lo, hi in functions(toks):
        skip = _excluded(toks, lo, hi)
        found = []
        for i in range(lo + 1, hi):
            if i in skip:
                continue
            t = toks[i]
            if t.kind == "punct" and t.text in FLIP:
                found.append(("flip-comparison", t.line, [(t.start, t.end, FLIP[t.text])], t.text, FLIP[t.text]))
                found.append(("boundary", t.line, [(t.start, t.end, BOUNDARY[t.text])], t.text, BOUNDARY[t.text])
                             if t.text in BOUNDARY else None)
            elif t.text in ("&&", "||"):
                new = "||" if t.text == "&&" else "&&"
                found.append(("swap-logical", t.line, [(t.start, t.end, new)], t.text, new))
            elif t.kind == "number":
                new = _constant(t.text)
                found.append(("constant", t.line, [(t.start, t.end, new)], t.text, new))
            elif t.text == "if" and toks[i + 1].text == "(":
                close = matching(toks, i + 1)
                cond = text[toks[i + 2].start:toks[close - 1].end]
                found.append(("skip-check", t.line, [(toks[i + 2].start, toks[close - 1].end, "0")], cond, "0"))
        for first, last in _statements(toks, lo, hi, skip):
            kind = _statement_kind(toks, first, last)
            if kind:
                stmt = text[toks[first].start:toks[last].end]
                found.append((kind, toks[first].line, [(toks[first].start, toks[last].end, ";")], stmt, ";"))
        seen = {}
        for f in found:
            if f is None:
                continue
            op, line, edits, orig, repl = f
            digest = hashlib.sha1(f"{op}\0{' '.join(orig.split())}\0{repl}".encode()).hexdigest()[:8]
            seen[digest] = seen.get(digest, 0) + 1
            out.append(Mutant(path, name, op, line, edits, " ".join(orig.split()), repl,
                              key=f"{path}:{name}:{op}:{digest}:{seen[digest]}"))
    return out


def explicit_mutant(ident, path, text, edits):
    """The mutant of tools/cert/mutation-explicit.txt `ident`: `edits` are
    (function, from, to); each `from` must occur exactly once in its function."""
    toks = tokens(text)
    bodies = {name: (toks[lo].start, toks[hi].end) for name, lo, hi in functions(toks)}
    changes, problems, line, funcs = [], [], 0, []
    for func, old, new in edits:
        if func not in bodies:
            problems.append(f"explicit mutant {ident}: {path} defines no function {func}")
            continue
        start, end = bodies[func]
        body = text[start:end]
        n = body.count(old)
        if n != 1:
            problems.append(f"explicit mutant {ident}: '{old}' occurs {n} times in {path}:{func} (must be once)")
            continue
        at = start + body.index(old)
        changes.append((at, at + len(old), new))
        line = line or text.count("\n", 0, at) + 1
        funcs.append(func)
    if problems:
        return None, problems
    orig = " | ".join(" ".join(old.split()) for _, old, _ in edits)
    repl = " | ".join(new for _, _, new in edits)
    m = Mutant(path, "+".join(dict.fromkeys(funcs)), "explicit", line, changes, orig, repl,
               key=f"{path}:{'+'.join(dict.fromkeys(funcs))}:explicit:{ident}", explicit_id=ident)
    return m, []
