# SPDX-License-Identifier: MIT
"""pytest configuration for the certification suite's own tests: each runs a
tools/cert script on a small synthetic source tree (BULKHEAD_CERT_ROOT)."""
import os
import subprocess
import sys

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(SRCTREE, "tools", "cert")
sys.path.insert(0, TOOLS)


def run_tool(script, args, root=None):
    """Runs tools/cert/<script> with Debian's python; returns the CompletedProcess."""
    env = dict(os.environ)
    if root is not None:
        env["BULKHEAD_CERT_ROOT"] = str(root)
    return subprocess.run(["/usr/bin/python3", os.path.join(TOOLS, script)] + [str(a) for a in args],
                          capture_output=True, text=True, env=env, cwd=str(root or SRCTREE))


def write(root, path, text):
    full = os.path.join(str(root), path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    return full
