# SPDX-License-Identifier: MIT
"""Language extensions in the C sources (MISRA C:2012 Rule 1.2).

cppcheck's misra addon does not check Rule 1.2, and GCC accepts its own
extensions under -std=c11. This scanner finds each use of a GCC extension
by construct, outside comments and string literals, so that every one is
either removed or covered by a deviation scoped by file and construct
(docs/safety/deviations.md, D-1.2-*). A construct written in a macro body
counts where the macro is defined, not where it is expanded.
"""
import re

# (construct, pattern) in the order findings are reported for one line.
CONSTRUCTS = (
    ("inline assembly", re.compile(r"\b(?:__asm__|__asm|asm)\b")),
    ("__atomic built-in", re.compile(r"\b__atomic_\w+")),
    ("__sync built-in", re.compile(r"\b__sync_\w+")),
    ("built-in function", re.compile(r"\b__builtin_\w+")),
    ("attribute", re.compile(r"\b__attribute__\b|\b__attribute\b")),
    ("statement expression", re.compile(r"\(\s*\{")),
    ("typeof", re.compile(r"\b(?:__typeof__|__typeof|typeof)\b")),
    ("__extension__", re.compile(r"\b__extension__\b")),
    ("binary constant", re.compile(r"\b0[bB][01]+")),
    ("case range", re.compile(r"\bcase\b[^:]*\.\.\.")),
    ("named variadic comma paste", re.compile(r",\s*##\s*__VA_ARGS__")),
    ("label as value", re.compile(r"&&\s*[A-Za-z_]\w*\s*;|\bgoto\s*\*")),
)


def blank_comments_and_literals(text):
    """`text` with comments, string and character literals replaced by
    spaces (newlines kept, so line numbers and columns do not move)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
        else:
            out.append(c)
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", text[i:j]))
        i = j
    return "".join(out)


def scan(text):
    """[(line, construct)] of every extension used in C source `text`, one
    per construct and line."""
    found = []
    for n, line in enumerate(blank_comments_and_literals(text).split("\n"), 1):
        for name, pattern in CONSTRUCTS:
            if pattern.search(line):
                found.append((n, name))
    return found
