# SPDX-License-Identifier: MIT
"""The tree's license: one LICENSE file, and every source file names it with
an SPDX identifier in its first lines, so a file copied out of the tree still
says under which terms."""
import os
import subprocess

from conftest import SRCTREE

SOURCE_SUFFIXES = (".c", ".h", ".S", ".lds", ".dts", ".dtsi", ".its.in", ".py", ".sh", ".mk")
SOURCE_NAMES = ("Makefile", "Kconfig", ".ci/run")
IDENTIFIER = "SPDX-License-Identifier: MIT"


def _sources():
    out = subprocess.run(["git", "ls-files"], cwd=SRCTREE, capture_output=True, text=True, check=True).stdout
    for path in out.split():
        if path.endswith(SOURCE_SUFFIXES) or path in SOURCE_NAMES or path.endswith("_defconfig"):
            yield path


def test_license_file_is_mit():
    """Verifies: REQ-BLD-007"""
    with open(os.path.join(SRCTREE, "LICENSE")) as f:
        text = f.read()
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_every_source_file_names_the_license():
    """Verifies: REQ-BLD-007"""
    missing = []
    for path in _sources():
        with open(os.path.join(SRCTREE, path), errors="replace") as f:
            head = "".join(f.readline() for _ in range(3))
        if IDENTIFIER not in head:
            missing.append(path)
    assert not missing, f"{len(missing)} source files without '{IDENTIFIER}' in their first 3 lines: {missing[:20]}"
