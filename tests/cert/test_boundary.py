"""The arch/core boundary gate (tools/cert/boundary.py): on a synthetic tree
it passes a core that uses only its hooks, and fails each way core/ could
reach into an architecture; on this tree's own build it passes."""
import os

import pytest
from conftest import SRCTREE, run_tool, write

CLEAN_CI = '''graph: { title: "core/a.c"
node: { title: "core_f" label: "core_f\\ncore/a.c:3:6\\n16 bytes (static)" }
node: { title: "arch_cpu_relax" label: "arch_cpu_relax\\ncore/include/arch.h:9:6" shape : ellipse }
edge: { sourcename: "core_f" targetname: "arch_cpu_relax" label: "core/a.c:5:2" }
}
'''


def _tree(tmp_path, core_c='#include <stdint.h>\n#include "arch.h"\n#include "arch_types.h"\n#include "generated/autoconf.h"\n',
          ci=CLEAN_CI):
    write(tmp_path, "core/include/arch.h", "void arch_cpu_relax(void);\n")
    write(tmp_path, "include/bulkhead/hypercall.h", "\n")
    write(tmp_path, "arch/arm64/include/gic.h", "void gic_eoi(void);\n")
    write(tmp_path, "core/a.c", core_c)
    write(tmp_path, "obj/core/a.c.ci", ci)
    return run_tool("boundary.py", ["--src", tmp_path, "--ci", tmp_path / "obj"])


def test_hooks_only_passes(tmp_path):
    """Verifies: REQ-CRT-013"""
    r = _tree(tmp_path)
    assert r.returncode == 0, r.stdout
    assert "violations 0" in r.stdout


def test_core_including_an_arch_header_fails(tmp_path):
    """Verifies: REQ-CRT-013"""
    r = _tree(tmp_path, core_c='#include "arch.h"\n#include "gic.h"\n')
    assert r.returncode == 1
    assert 'core/a.c: includes "gic.h"' in r.stdout


def test_core_calling_an_arch_private_function_fails(tmp_path):
    """Verifies: REQ-CRT-013"""
    ci = CLEAN_CI[:-2] + '''node: { title: "gic_eoi" label: "gic_eoi\\narch/arm64/include/gic.h:1:6" shape : ellipse }
edge: { sourcename: "core_f" targetname: "gic_eoi" label: "core/a.c:6:2" }
}
'''
    r = _tree(tmp_path, ci=ci)
    assert r.returncode == 1
    assert "core/a.c:6:2: core_f() calls gic_eoi(), declared in arch/arm64/include/gic.h" in r.stdout


def test_a_hook_not_named_arch_fails(tmp_path):
    """Verifies: REQ-CRT-013"""
    ci = CLEAN_CI[:-2] + '''node: { title: "cpu_relax" label: "cpu_relax\\ncore/include/arch.h:10:6" shape : ellipse }
edge: { sourcename: "core_f" targetname: "cpu_relax" label: "core/a.c:7:2" }
}
'''
    r = _tree(tmp_path, ci=ci)
    assert r.returncode == 1 and "cpu_relax() is declared in arch.h but is not named arch_*" in r.stdout


def test_no_call_graph_fails(tmp_path):
    """Verifies: REQ-CRT-013"""
    r = _tree(tmp_path, ci='graph: { title: "arch/arm64/x.c"\n}\n')
    assert r.returncode == 1 and "no call graph of core/" in r.stdout


def test_this_tree_keeps_the_boundary():
    """The hypervisor as built for the default system.

    Verifies: REQ-CRT-013
    """
    build = os.environ.get("BULKHEAD_BUILD", os.path.join(SRCTREE, "build"))
    obj = os.path.join(build, "obj")
    if not os.path.isdir(os.path.join(obj, "core")):
        pytest.fail(f"no build of the hypervisor under {obj}: run make first")
    r = run_tool("boundary.py", ["--src", SRCTREE, "--ci", obj])
    assert r.returncode == 0, r.stdout
