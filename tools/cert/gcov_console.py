# SPDX-License-Identifier: MIT
"""Decodes the gcov counters a coverage build prints on its console.

A hypervisor built with CONFIG_COVERAGE prints, just before the board powers
off (core/coverage.c):

    [bulkhead] gcov: F <path of the .gcda file>
    [bulkhead] gcov: D <hex bytes>            (repeated)
    [bulkhead] gcov: E <bytes> <FNV-1a 32-bit hash, hex>
    ...
    [bulkhead] gcov: END <files>

`split()` separates those lines from the rest of the console and checks every
file's length and hash; `save()` writes the .gcda files of one QEMU run into
their own directory, next to a copy of the matching .gcno notes, so that
gcovr can merge any number of runs without one overwriting another.
"""
import os
import shutil

PREFIX = "[bulkhead] gcov: "


def fnv1a32(data):
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


class Dump:
    """The coverage dump of one run: files (path -> bytes), whether it was
    complete (END seen), and what was wrong with it."""

    def __init__(self):
        self.files = {}
        self.complete = False
        self.errors = []


def split(lines):
    """Returns (console lines without the dump, Dump)."""
    rest = []
    dump = Dump()
    name = None
    data = bytearray()
    for line in lines:
        if not line.startswith(PREFIX):
            rest.append(line)
            continue
        rec = line[len(PREFIX):]
        kind, _, arg = rec.partition(" ")
        if kind == "F":
            name, data = arg, bytearray()
        elif kind == "D" and name is not None:
            try:
                data += bytes.fromhex(arg)
            except ValueError:
                dump.errors.append(f"{name}: bad data line {arg[:40]!r}")
                name = None
        elif kind == "E" and name is not None:
            try:
                size, digest = arg.split()
                ok = int(size) == len(data) and int(digest, 16) == fnv1a32(data)
            except ValueError:
                ok = False
            if ok:
                dump.files[name] = bytes(data)
            else:
                dump.errors.append(f"{name}: length or hash mismatch ({len(data)} bytes received)")
            name = None
        elif kind == "END":
            dump.complete = True
            try:
                if int(arg) != len(dump.files) + len(dump.errors):
                    dump.errors.append(f"END announces {arg} files, {len(dump.files)} received whole")
            except ValueError:
                dump.errors.append(f"bad END line {rec!r}")
        else:
            dump.errors.append(f"unexpected line {rec[:60]!r}")
    if name is not None:
        dump.errors.append(f"{name}: dump cut off")
    return rest, dump


def save(dump, build_dir, run_dir):
    """Writes the dump's .gcda files under run_dir, at their path relative to
    build_dir, each with a copy of its .gcno. Returns the paths written."""
    build_dir = os.path.abspath(build_dir)
    written = []
    for path, data in sorted(dump.files.items()):
        path = os.path.abspath(path)
        if os.path.commonpath([path, build_dir]) != build_dir:
            dump.errors.append(f"{path}: not inside {build_dir}")
            continue
        rel = os.path.relpath(path, build_dir)
        gcno = path[: -len(".gcda")] + ".gcno"
        if not os.path.exists(gcno):
            dump.errors.append(f"{path}: no notes file {gcno}")
            continue
        out = os.path.join(run_dir, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "wb") as f:
            f.write(data)
        shutil.copyfile(gcno, out[: -len(".gcda")] + ".gcno")
        written.append(out)
    return written
