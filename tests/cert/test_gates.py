# SPDX-License-Identifier: MIT
"""The certification gates (tools/cert/*.py) on small synthetic inputs: each
must pass on good input and fail on each kind of defect it exists to catch."""
import json
import os
import re
import shutil
import subprocess
import time

import gcov_console
from conftest import TOOLS, run_tool, write

DEVIATIONS_HEAD = "# Deviations\n\n## MISRA C:2012\n"


# ---- index (REQ-CRT-001) -----------------------------------------------------

def _part(out, name, status):
    write(out, f"{name}.json", json.dumps({"part": name, "title": name, "status": status, "written": time.time(),
                                           "figures": [["x", "1"]], "problems": [] if status == "pass" else ["p"]}))


def test_index_verdict(tmp_path):
    """The index passes only when every part ran and passed; it links each part.

    Verifies: REQ-CRT-001
    """
    write(tmp_path, ".start", f"{time.time() - 1:.3f} make cert\n")
    _part(tmp_path, "a", "pass")
    _part(tmp_path, "b", "pass")
    r = run_tool("index.py", ["--out", tmp_path, "--parts", "a", "b"])
    assert r.returncode == 0, r.stdout
    index = (tmp_path / "index.md").read_text()
    assert "Verdict: **PASS**" in index and "[a](a.md)" in index and "[b](b.md)" in index
    _part(tmp_path, "b", "fail")
    assert run_tool("index.py", ["--out", tmp_path, "--parts", "a", "b"]).returncode == 1
    _part(tmp_path, "b", "pass")
    r = run_tool("index.py", ["--out", tmp_path, "--parts", "a", "b", "c"])
    assert r.returncode == 1 and "FAIL (c)" in r.stdout


# ---- MISRA and static analysis (REQ-CRT-005) --------------------------------

BAD_C = """#include <stdint.h>
int32_t pick(int32_t x);
int32_t pick(int32_t x)
{
	int32_t r = 0;

	switch (x) {
	case 1:
		r = 2;
		break;
	}
	return r;
}
"""


JUSTIFIED = ("- Justification: the switch covers the one input value the caller passes; every other value "
             "leaves the result at its initial zero, which the caller checks.\n- Who may rely on it: test.\n"
             "- Approved by: A. Reviewer, 2026-12-01\n")


def _analyse(tmp_path, deviations, source=BAD_C):
    write(tmp_path, "core/pick.c", source)
    dev = write(tmp_path, "docs/safety/deviations.md", DEVIATIONS_HEAD + deviations)
    db = [{"directory": str(tmp_path), "file": "core/pick.c",
           "arguments": ["gcc", "-std=c11", "-Wall", "-c", "core/pick.c", "-o", "/dev/null"]}]
    write(tmp_path, "compile_commands.json", json.dumps(db))
    return run_tool("analysis.py", ["--compdb", tmp_path / "compile_commands.json", "--deviations", dev,
                                    "--out", tmp_path / "out"], tmp_path)


def test_misra_finding_fails_unless_deviated(tmp_path):
    """A MISRA finding fails the gate; a recorded deviation naming its rule and scope lets it pass,
    and one with another scope does not.

    Verifies: REQ-CRT-005~2
    """
    r = _analyse(tmp_path, "")
    assert r.returncode != 0 and "core/pick.c:" in r.stdout and "MISRA 16" in r.stdout
    entry = "\n### D-1: switch without default\n- Tool: misra\n- Rule: 16.4, 16.6\n- Scope: {}\n" + JUSTIFIED
    assert _analyse(tmp_path, entry.format("core/other.c")).returncode != 0
    r = _analyse(tmp_path, entry.format("core/pick.c:pick"))
    assert r.returncode == 0, r.stdout
    assert "| D-1 |" in (tmp_path / "out" / "misra.md").read_text()


def test_misra_x86_vendor_program(tmp_path):
    """An x86 vendor back end is analysed as a program of its own (--scope, --name): its findings fail
    its own parts (misra-x86-svm) unless deviated, feed the Guideline Compliance Summary through
    misra-findings-x86-svm.json, and a source of its folders left out of the program fails the gate.

    Verifies: REQ-CRT-022
    """
    def analyse(deviations):
        dev = write(tmp_path, "docs/safety/deviations.md", DEVIATIONS_HEAD + deviations)
        db = [{"directory": str(tmp_path), "file": "arch/x86/svm/pick.c",
               "arguments": ["gcc", "-std=c11", "-m64", "-c", "arch/x86/svm/pick.c", "-o", "/dev/null"]}]
        write(tmp_path, "compile_commands.json", json.dumps(db))
        return run_tool("analysis.py", ["--compdb", tmp_path / "compile_commands.json", "--deviations", dev,
                                        "--out", tmp_path / "out", "--scope", "arch/x86", "arch/x86/svm",
                                        "--name", "x86-svm"], tmp_path)

    write(tmp_path, "arch/x86/svm/pick.c", BAD_C)
    r = analyse("")
    assert r.returncode != 0 and "misra-x86-svm: FAIL" in r.stdout and "arch/x86/svm/pick.c:" in r.stdout, r.stdout
    part = json.loads((tmp_path / "out" / "misra-x86-svm.json").read_text())
    assert part["status"] == "fail" and (tmp_path / "out" / "static-analysis-x86-svm.json").exists()
    found = json.loads((tmp_path / "out" / "misra-findings-x86-svm.json").read_text())
    assert any(f["file"] == "arch/x86/svm/pick.c" and f["rule"] == "16.4" for f in found), found
    entry = "\n### D-1: switch without default\n- Tool: misra\n- Rule: 16.4, 16.6\n- Scope: arch/x86/svm/pick.c\n" \
        + JUSTIFIED
    r = analyse(entry)
    assert r.returncode == 0, r.stdout
    write(tmp_path, "arch/x86/svm/left_out.c", "int left_out(void);\n")
    r = analyse(entry)
    assert r.returncode != 0 and "arch/x86/svm/left_out.c: in no program of the compilation database" in r.stdout, \
        r.stdout


def test_deviation_needs_every_field(tmp_path):
    """A deviation without a justification, without who may rely on it or without who approved it
    and when is itself a gate failure.

    Verifies: REQ-CRT-005~2
    """
    r = _analyse(tmp_path, "\n### D-1: incomplete\n- Tool: misra\n- Rule: 16.4, 16.6\n- Scope: core/pick.c\n")
    assert r.returncode != 0 and "has no 'justification'" in r.stdout
    entry = "\n### D-1: switch without default\n- Tool: misra\n- Rule: 16.4, 16.6\n- Scope: core/pick.c\n"
    assert _analyse(tmp_path, entry + JUSTIFIED).returncode == 0
    for approval, problem in (("", "D-1 has no 'approved by'"),
                              ("- Approved by: A. Reviewer\n", "'Approved by' gives no date"),
                              ("- Approved by: 2026-12-01\n", "'Approved by' names nobody"),
                              ("- Approved by: PENDING, 2026-12-01\n", "'Approved by' names nobody"),
                              ("- Approved by: A. Reviewer, 2026-13-01\n", "'Approved by' gives no date")):
        r = _analyse(tmp_path, entry + JUSTIFIED.replace("- Approved by: A. Reviewer, 2026-12-01\n", approval))
        assert r.returncode != 0 and problem in r.stdout, (approval, r.stdout)


# ---- language extensions, Rule 1.2 (REQ-CRT-005~2) ------------------------------

EXT_C = """#include <stdint.h>
/* __asm__ in a comment, __builtin_ctz too */
uint32_t low(uint32_t x);
static const char *s = "__atomic_load_n(&x) asm";
uint32_t low(uint32_t x)
{
	uint32_t r = (uint32_t)__builtin_ctz(x);
	__asm__ volatile("" : : : "memory");
	(void)s;
	return r;
}
"""


def test_extensions_are_found_by_construct():
    """The Rule 1.2 scanner finds each extension by construct and line, and nothing in comments or
    string literals.

    Verifies: REQ-CRT-005~2
    """
    import extensions
    assert extensions.scan(EXT_C) == [(7, "built-in function"), (8, "inline assembly")]
    text = ("static __attribute__((noinline)) int f(void);\n#define R(r) ({ uint64_t v; v; })\n"
            "x = __atomic_load_n(&y, __ATOMIC_ACQUIRE); z = 0b101;\n")
    assert extensions.scan(text) == [(1, "attribute"), (2, "statement expression"), (3, "__atomic built-in"),
                                     (3, "binary constant")]


def test_extensions_need_a_deviation_by_construct(tmp_path):
    """Every language extension is a Rule 1.2 finding; a deviation covers it only for the constructs
    and files it names, and a Rule 1.2 deviation must name its constructs.

    Verifies: REQ-CRT-005~2
    """
    entry = ("\n### D-X{n}: extensions\n- Tool: misra\n- Rule: 1.2\n- Construct: {c}\n- Scope: {s}\n"
             + JUSTIFIED)
    r = _analyse(tmp_path, "", EXT_C)
    assert r.returncode != 0 and "core/pick.c:7: MISRA 1.2 (built-in function)" in r.stdout, r.stdout
    assert "core/pick.c:8: MISRA 1.2 (inline assembly)" in r.stdout
    both = entry.format(n=1, c="built-in function", s="core/pick.c") + entry.format(n=2, c="inline assembly",
                                                                                    s="core/*.c")
    r = _analyse(tmp_path, both, EXT_C)
    findings = json.load(open(tmp_path / "out" / "misra-findings.json"))
    assert {(f["line"], f["covered_by"]) for f in findings if f["rule"] == "1.2"} == {(7, "D-X1"), (8, "D-X2")}
    assert "MISRA 1.2" not in r.stdout, r.stdout
    r = _analyse(tmp_path, entry.format(n=1, c="built-in function, attribute", s="core/pick.c"), EXT_C)
    assert "core/pick.c:8: MISRA 1.2 (inline assembly) not covered" in r.stdout, r.stdout
    r = _analyse(tmp_path, both.replace("core/*.c", "arch/*.c"), EXT_C)
    assert "core/pick.c:8: MISRA 1.2 (inline assembly) not covered" in r.stdout
    r = _analyse(tmp_path, both.replace("- Construct: inline assembly\n", ""), EXT_C)
    assert "D-X2: a Rule 1.2 deviation names the extensions it covers" in r.stdout, r.stdout
    r = _analyse(tmp_path, both.replace("inline assembly", "inline asm"), EXT_C)
    assert "D-X2: unknown construct 'inline asm'" in r.stdout, r.stdout


def test_deviation_that_cannot_stand(tmp_path):
    """A deviation scoped '*' (or any scope outside a named folder, matching no file, or naming a
    function no file defines), one with a one-word justification, and a PENDING entry each fail the
    gate, although each covers the finding; the same deviation, properly written, passes.

    Verifies: REQ-CRT-005~2
    """
    entry = "\n### D-{}: switch without default\n- Tool: misra\n- Rule: 16.4, 16.6\n- Scope: {}\n"
    assert _analyse(tmp_path, entry.format(1, "core/*.c") + JUSTIFIED).returncode == 0
    scopes = (("*", "inside a named folder"), ("*/pick.c", "inside a named folder"),
              ("core/*.h", "matches no file"), ("core/pick.c:nosuch", "names function nosuch"))
    bad = "".join(entry.format(n, f"core/pick.c, {scope}") + JUSTIFIED for n, (scope, _) in enumerate(scopes, 1))
    bad += entry.format(9, "core/pick.c") + "- Justification: needed.\n- Who may rely on it: test.\n"
    bad += ("\n## PENDING arch/arm64 findings (to be fixed, not accepted)\n\n```\n"
            "core/pick.c pick misra:16.4 1  # line 7\n```\n")
    r = _analyse(tmp_path, bad)
    assert r.returncode != 0
    problems = (tmp_path / "out" / "misra.md").read_text()
    for n, (scope, why) in enumerate(scopes, 1):
        assert f"D-{n}: scope '{scope}'" in problems and why in problems.split(f"D-{n}: scope '{scope}'")[1], scope
    assert "D-9: a justification of 1 word(s)" in problems
    assert "PENDING core/pick.c pick misra:16.4 1: pending findings are not accepted" in problems
    # Alone, the PENDING entry covers the finding and still fails the gate.
    r = _analyse(tmp_path, bad[bad.index("\n## PENDING"):])
    assert r.returncode != 0 and "(listed as PENDING)" in r.stdout, r.stdout


def test_deviation_scope_names_attributed_function(tmp_path):
    """A function declared with GCC attributes is known by its own name: a deviation scoped to it
    covers its finding, one scoped to what pmccabe used to call it ('__attribute__') does not.

    Verifies: REQ-CRT-005~2, REQ-CRT-007
    """
    source = BAD_C.replace("int32_t pick(int32_t x)\n{", "static __attribute__((noinline)) int32_t pick(int32_t x)\n{")
    source = source.replace("int32_t pick(int32_t x);\n", "static int32_t pick(int32_t x);\nint32_t use(void);\n") + \
        "int32_t use(void)\n{\n\treturn pick(1);\n}\n"
    entry = "\n### D-1: switch without default\n- Tool: misra\n- Rule: 16.4, 16.6\n- Scope: {}\n" + JUSTIFIED
    entry += "\n### D-2: the attribute\n- Tool: misra\n- Rule: 1.2\n- Construct: attribute\n- Scope: core/pick.c\n" \
        + JUSTIFIED
    r = _analyse(tmp_path, entry.format("core/pick.c:pick"), source)
    assert r.returncode == 0, r.stdout
    assert "| core/pick.c:8 | pick | 16.4 |" in (tmp_path / "out" / "misra.md").read_text()
    r = _analyse(tmp_path, entry.format("core/pick.c:__attribute__"), source)
    assert r.returncode != 0 and "names function __attribute__" in r.stdout, r.stdout


# ---- stack (REQ-CRT-006) -----------------------------------------------------

STACK_C = """
void leaf(void);
void big(void);
void rec_a(int n);
void rec_b(int n);
void vla(int n);
void table_call(int i);
void entry_ok(void);
void entry_big(void);
void entry_rec(void);
void entry_vla(void);
void entry_ind(void);

void leaf(void) { __asm__ volatile("" ::: "memory"); }
void big(void) { volatile char b[200]; b[0] = 1; leaf(); }
void rec_b(int n);
void rec_a(int n) { if (n > 0) { rec_b(n - 1); } __asm__ volatile("" ::: "memory"); }
void rec_b(int n) { if (n > 0) { rec_a(n - 1); } __asm__ volatile("" ::: "memory"); }
#ifdef WITH_VLA
void vla(int n) { volatile char a[n]; a[0] = 0; }
#else
void vla(int n) { (void)n; }
#endif
static void (*const targets[2])(void) = { leaf, big };
void table_call(int i) { targets[i & 1](); }
void entry_ok(void) { leaf(); }
void entry_big(void) { big(); }
void entry_rec(void) { rec_a(3); }
void entry_vla(void) { vla(3); }
void entry_ind(void) { table_call(1); }
"""


def _entry_asm(model):
    """Assembly that enters each entry's first function as the model says (its pushed bytes first)."""
    text = ["\t.text"]
    for line in model.splitlines():
        w = line.split()
        if w and w[0] == "entry":
            text += [f"e_{len(text)}:", f"\tsub\tsp, sp, #{w[3]}", f"\tbl\t{w[4]}", "\teret"]
    return "\n".join(text) + "\n"


def _compile_stack(root, build, defines=(), asm=None):
    """The synthetic image in `build`: obj/ (x.c.o with frames and call graph, entry.S.o from
    <root>/entry.S), bulkhead.elf, include/generated/autoconf.h."""
    src = write(build, "x.c", STACK_C)
    obj = build / "obj"
    obj.mkdir(parents=True, exist_ok=True)
    subprocess.run(["aarch64-linux-gnu-gcc", "-O1", "-fno-inline", "-fstack-usage", "-fcallgraph-info=su", *defines,
                    "-c", src, "-o", obj / "x.c.o"], check=True, cwd=build)
    if asm is not None:
        write(root, "entry.S", asm)
        subprocess.run(["aarch64-linux-gnu-gcc", "-I", root / "include", "-c", root / "entry.S", "-o", obj / "entry.S.o"],
                       check=True)
    subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-Wl,-e,entry_ok", obj / "x.c.o",
                    "-o", build / "bulkhead.elf"], check=True)
    write(build, "include/generated/autoconf.h", "#define CONFIG_STACK 512\n")


def _stack(tmp_path, model, defines=(), asm=None, extra=()):
    """Runs the stack gate on the synthetic image, its assembly entering the model's entries unless
    `asm` says otherwise."""
    build = tmp_path / "build"
    _compile_stack(tmp_path, build, defines, _entry_asm(model) if asm is None else asm)
    write(tmp_path, "model.txt", "stack s CONFIG_STACK\n" + model)
    return run_tool("stack.py", ["--image", f"img={build}", "--model", tmp_path / "model.txt",
                                 "--out", tmp_path / "out", *extra], tmp_path)


def test_stack_bound_and_its_failures(tmp_path):
    """A bounded entry passes; recursion, a VLA, an undeclared indirect call, a table holding a target
    outside its declared set and use above 75% of the stack each fail.

    Verifies: REQ-CRT-006
    """
    r = _stack(tmp_path, "entry ok s 16 entry_ok\n")
    assert r.returncode == 0, r.stdout
    assert "entry_ok" in (tmp_path / "out" / "stack.md").read_text()
    r = _stack(tmp_path, "entry big s 200 entry_big\n")
    assert r.returncode == 1 and "exceeds 75%" in r.stdout
    r = _stack(tmp_path, "entry rec s 0 entry_rec\n")
    assert r.returncode == 1 and "recursion: rec_a -> rec_b -> rec_a" in r.stdout
    r = _stack(tmp_path, "entry vla s 0 entry_vla\n", ["-DWITH_VLA"])
    assert r.returncode == 1 and "dynamic" in r.stdout
    r = _stack(tmp_path, "entry ind s 0 entry_ind\n")
    assert r.returncode == 1 and "indirect call" in r.stdout and "no declared target set" in r.stdout
    r = _stack(tmp_path, "entry ind s 0 entry_ind\nindirect table_call leaf table=targets\n")
    assert r.returncode == 1 and "holds big" in r.stdout
    r = _stack(tmp_path, "entry ind s 0 entry_ind\nindirect table_call leaf big table=targets\n")
    # With the complete target set, big's 200-byte frame under table_call fits 75% of 512 bytes.
    assert r.returncode == 0, r.stdout
    # A target an image does not link is not reachable in it, but one that no image links is a mistake.
    r = _stack(tmp_path, "entry ind s 0 entry_ind\nindirect table_call leaf big not_linked table=targets\n")
    assert r.returncode == 1 and "indirect table_call: target not_linked is in none of the images bounded" \
        in r.stdout, r.stdout


VECTORS_S = """#define FRAME 64
.macro vector handler
	.balign 0x80
	sub	sp, sp, #FRAME
	bl	\\handler
	b	vector_exit
.endm
	.text
vectors:
	vector entry_ok
	vector entry_big
vector_exit:
	add	sp, sp, #FRAME
	eret
boot:
	mov	sp, x1
	bl	entry_ind
	b	boot
"""
VECTORS_MODEL = "entry ok s 64 entry_ok\nentry big s 64 entry_big\nentry boot s 0 entry_ind\n" \
    "indirect table_call leaf big table=targets\n"


def test_stack_model_checked_against_assembly(tmp_path):
    """The model agrees with the assembly: deleting an entry the vectors enter, declaring fewer bytes
    than the vectors push, an entry the assembly never enters, an assembly function it does not
    define and a register-indirect branch each fail the gate.

    Verifies: REQ-CRT-006
    """
    r = _stack(tmp_path, VECTORS_MODEL, asm=VECTORS_S)
    assert r.returncode == 0, r.stdout
    r = _stack(tmp_path, VECTORS_MODEL.replace("entry big s 64 entry_big\n", ""), asm=VECTORS_S)
    assert r.returncode == 1 and "entry.S:11: the assembly enters entry_big with 64 bytes pushed, but no entry" \
        in r.stdout, r.stdout
    r = _stack(tmp_path, VECTORS_MODEL.replace("entry ok s 64", "entry ok s 16"), asm=VECTORS_S)
    assert r.returncode == 1 and "entry ok: declares 16 bytes pushed before entry_ok, the assembly pushes 64" \
        in r.stdout, r.stdout
    r = _stack(tmp_path, VECTORS_MODEL + "entry stale s 0 entry_rec\n", asm=VECTORS_S)
    assert r.returncode == 1 and "start at entry_rec, which the assembly never enters" in r.stdout, r.stdout
    r = _stack(tmp_path, VECTORS_MODEL + "asm not_there 0\n", asm=VECTORS_S)
    assert r.returncode == 1 and "asm not_there: not defined by the assembly" in r.stdout, r.stdout
    r = _stack(tmp_path, VECTORS_MODEL, asm=VECTORS_S.replace("\tb\tboot\n", "\tblr\tx2\n"))
    assert r.returncode == 1 and "register-indirect branch" in r.stdout, r.stdout
    # A constant shared with C comes from a header of include/ beside the assembly.
    shared = VECTORS_S.replace("#define FRAME 64\n", '#include "frame.h"\n')
    write(tmp_path, "include/frame.h", "/* shared with C */\n#define FRAME 64\n")
    r = _stack(tmp_path, VECTORS_MODEL, asm=shared)
    assert r.returncode == 0, r.stdout
    write(tmp_path, "include/frame.h", "#define FRAME 80\n")
    r = _stack(tmp_path, VECTORS_MODEL, asm=shared)
    assert r.returncode == 1 and "declares 64 bytes pushed before entry_ok, the assembly pushes 80" in r.stdout, r.stdout


X86_ENTRY_S = """\t.text
\t.code64
vec_ok:
\tpush %rax
\tpush %rcx
\tcall entry_ok
\tpop %rcx
\tpop %rax
\tiretq
on_stack:
\tmov %rdi, %rsp
\tpush $0
\tjmp *%rsi
"""
X86_MODEL = "entry ok s 16 entry_ok\nentry fresh s 8 entry_big\nasm on_stack 0\njump on_stack entry_big\n" \
    "if CONFIG_VENDOR_A asm vendor_switch 24\n"


def _x86_stack(tmp_path, model, asm=X86_ENTRY_S, vendor_s="\t.text\n\t.globl vendor_switch\nvendor_switch:\n\tret\n"):
    """The stack gate on an x86-64 image: STACK_C and arch/x86/entry.S (AT&T syntax) built with the host's
    gcc, a vendor's assembly in arch/x86/vendor_a/, CONFIG_VENDOR_A set."""
    build = tmp_path / "build"
    obj = build / "obj"
    src = write(build, "x.c", STACK_C)
    os.makedirs(obj / "arch/x86/vendor_a", exist_ok=True)
    subprocess.run(["gcc", "-O1", "-fno-inline", "-fstack-usage", "-fcallgraph-info=su", "-c", src,
                    "-o", obj / "x.c.o"], check=True, cwd=build)
    objs = [obj / "x.c.o"]
    for path, text in (("arch/x86/entry.S", asm), ("arch/x86/vendor_a/switch.S", vendor_s)):
        write(tmp_path, path, text)
        subprocess.run(["gcc", "-c", tmp_path / path, "-o", obj / (path + ".o")], check=True)
        objs.append(obj / (path + ".o"))
    subprocess.run(["gcc", "-nostdlib", "-static", "-Wl,-e,entry_ok", *objs, "-o", build / "bulkhead.elf"],
                   check=True)
    write(build, "include/generated/autoconf.h", "#define CONFIG_STACK 512\n#define CONFIG_VENDOR_A 1\n")
    write(tmp_path, "model.txt", "stack s CONFIG_STACK\n" + model)
    return run_tool("stack.py", ["--image", f"x86-a={build}", "--model", tmp_path / "model.txt", "--name", "x86",
                                 "--out", tmp_path / "out"], tmp_path)


def test_stack_x86_model_checked_against_assembly(tmp_path):
    """The x86 images' stack gate reads AT&T assembly: the pushes before a call, a register-indirect jump
    whose targets a `jump` line declares (an undeclared one fails), a vendor's world switch declared
    only for the images configured with it (`if CONFIG_...`), and the part is stack-x86.

    Verifies: REQ-CRT-023
    """
    r = _x86_stack(tmp_path, X86_MODEL)
    assert r.returncode == 0, r.stdout
    assert "| fresh | s | 512 |" in (tmp_path / "out" / "stack-x86.md").read_text()
    r = _x86_stack(tmp_path, X86_MODEL.replace("entry ok s 16", "entry ok s 8"))
    assert r.returncode == 1 and "declares 8 bytes pushed before entry_ok, the assembly pushes 16" in r.stdout, \
        r.stdout
    r = _x86_stack(tmp_path, X86_MODEL.replace("jump on_stack entry_big\n", ""))
    assert r.returncode == 1 and "register-indirect branch 'jmp *%rsi' under on_stack" in r.stdout, r.stdout
    r = _x86_stack(tmp_path, X86_MODEL.replace("entry fresh s 8", "entry fresh s 0"))
    assert r.returncode == 1 and "declares 0 bytes pushed before entry_big, the assembly pushes 8" in r.stdout, \
        r.stdout
    # The vendor's world switch must be in the assembly of the image configured with it...
    r = _x86_stack(tmp_path, X86_MODEL, vendor_s="\t.text\n")
    assert r.returncode == 1 and "asm vendor_switch: not defined by the assembly" in r.stdout, r.stdout
    # ...a condition that holds for no image checks nothing and fails...
    r = _x86_stack(tmp_path, X86_MODEL.replace("CONFIG_VENDOR_A", "CONFIG_VENDOR_B"))
    assert r.returncode == 1 and "`if CONFIG_VENDOR_B` holds for none of the images bounded" in r.stdout, r.stdout
    # ...and the pushes an alignment of rsp may add count.
    r = _x86_stack(tmp_path, X86_MODEL, asm=X86_ENTRY_S.replace("\tcall entry_ok", "\tand $-16, %rsp\n\tcall entry_ok"))
    assert r.returncode == 1 and "declares 16 bytes pushed before entry_ok, the assembly pushes 24" in r.stdout, \
        r.stdout


def _system_build(root, build, gic, modes, coverage=False):
    write(build, "gen/system.mk", f"BH_GIC_VERSION := {gic}\n")
    write(build, "gen/config.c", "".join(f"\t\t.irq_delivery = CFG_IRQ_{m},\n" for m in modes))
    _compile_stack(root, build, asm=VECTORS_S)
    if coverage:
        write(build, "include/generated/autoconf.h", "#define CONFIG_STACK 512\n#define CONFIG_COVERAGE 1\n")


def test_stack_bounds_every_tested_configuration(tmp_path):
    """Each interrupt controller and delivery mode among the system tests' builds must be among the
    bounded images: bounding the GICv3 image alone fails while GICv2 and direct-delivery builds are
    tested; with one image of each it passes. Coverage builds (verification only) do not count.

    Verifies: REQ-CRT-006
    """
    tested = tmp_path / "systest"
    _system_build(tmp_path, tested / "v3", 3, ["MEDIATED"])
    _system_build(tmp_path, tested / "v2", 2, ["MEDIATED"])
    _system_build(tmp_path, tested / "direct", 3, ["DIRECT", "MEDIATED"])
    _system_build(tmp_path, tested / "v2-cov", 2, ["DIRECT"], coverage=True)
    write(tmp_path, "model.txt", "stack s CONFIG_STACK\n" + VECTORS_MODEL)

    def gate(*images):
        return run_tool("stack.py", [a for i in images for a in ("--image", f"{i}={tested / i}")] +
                        ["--tested", tested, "--model", tmp_path / "model.txt", "--out", tmp_path / "out"], tmp_path)

    r = gate("v3")
    assert r.returncode == 1, r.stdout
    assert "build GICv2 with mediated interrupt delivery (v2 under" in r.stdout
    assert "build GICv3 with direct interrupt delivery (direct under" in r.stdout
    assert "GICv2 with direct" not in r.stdout
    r = gate("v3", "v2", "direct")
    assert r.returncode == 0, r.stdout
    assert "Configurations tested / bounded | 3 / 3" in (tmp_path / "out" / "stack.md").read_text()


# ---- complexity (REQ-CRT-007) ------------------------------------------------

def _complex(tmp_path, extra="", declaration="int f(int x)"):
    branches = "".join(f"\tif (x == {i}) {{\n\t\ty += {i};\n\t}}\n" for i in range(17))
    write(tmp_path, "core/c.c", f"{declaration};\n{declaration}\n{{\n\tint y = 0;\n\n{branches}\treturn y;\n}}\n"
          "int g(int x);\nint g(int x)\n{\n\treturn f(x);\n}\n")
    write(tmp_path, "limits.txt", "limit cyclomatic 15\nlimit statements 60\nlimit lines 80\n" + extra)
    return run_tool("complexity.py", ["--limits", tmp_path / "limits.txt", "--files", "core/c.c",
                                      "--out", tmp_path / "out"], tmp_path)


def test_complexity_limit(tmp_path):
    """A function above the limit fails the gate unless the limits file accepts it up to its value.

    Verifies: REQ-CRT-007
    """
    r = _complex(tmp_path)
    assert r.returncode == 1 and "f: cyclomatic 18 > 15" in r.stdout
    assert _complex(tmp_path, "except core/c.c:f cyclomatic 17 too small an allowance\n").returncode == 1
    assert _complex(tmp_path, "except core/c.c:f cyclomatic 18 one test per input value\n").returncode == 0


def test_complexity_names_attributed_functions(tmp_path):
    """A function declared `static __attribute__((...)) T f(...)` is measured and accepted as f; an
    exception naming anything else (pmccabe's old '__attribute__') names no function and fails.

    Verifies: REQ-CRT-007
    """
    def attributed(extra):
        return _complex(tmp_path, extra, "static __attribute__((noinline, cold))\nint f(int x)")

    r = attributed("")
    assert r.returncode == 1 and "): f: cyclomatic 18 > 15" in r.stdout, r.stdout
    r = attributed("except core/c.c:f cyclomatic 18 one test per input value\n")
    assert r.returncode == 0, r.stdout
    r = attributed("except core/c.c:__attribute__ cyclomatic 18 one test per input value\n")
    assert r.returncode == 1 and "'core/c.c:__attribute__ cyclomatic 18' names no function measured" in r.stdout


def test_complexity_scope_holds_x86(tmp_path):
    """Without --files the gate measures arch/x86/, its include/ and both vendor back ends: a function
    above a limit in any of them fails it.

    Verifies: REQ-CRT-024
    """
    write(tmp_path, "limits.txt", "limit cyclomatic 15\nlimit statements 60\nlimit lines 80\n")
    branches = "".join(f"\tif (x == {i}) {{\n\t\ty += {i};\n\t}}\n" for i in range(17))
    body = f"int f(int x);\nint f(int x)\n{{\n\tint y = 0;\n\n{branches}\treturn y;\n}}\n"
    for folder in ("arch/x86", "arch/x86/include", "arch/x86/svm", "arch/x86/vmx"):
        shutil.rmtree(tmp_path / "arch", ignore_errors=True)
        write(tmp_path, f"{folder}/c.{'h' if folder.endswith('include') else 'c'}", body)
        r = run_tool("complexity.py", ["--limits", tmp_path / "limits.txt", "--out", tmp_path / "out"], tmp_path)
        assert r.returncode == 1 and f"{folder}/c." in r.stdout and "f: cyclomatic 18 > 15" in r.stdout, r.stdout


# ---- coverage thresholds (REQ-CRT-004) ----------------------------------------

def test_thresholds_only_go_up(tmp_path):
    """A threshold under its last commit, or a commit that lowered one without saying why, fails the
    gate; a lowering whose commit gives its reason is accepted and reported.

    Verifies: REQ-CRT-004
    """
    path = write(tmp_path, "tools/cert/coverage-threshold.txt", "host-statements 80.0\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git + ["init", "-q"], check=True)

    def commit(value, message):
        write(tmp_path, "tools/cert/coverage-threshold.txt", f"host-statements {value}\n")
        subprocess.run(git + ["add", "."], check=True)
        subprocess.run(git + ["commit", "-q", "-m", message], check=True)

    def check():
        code = (f"import sys; sys.path.insert(0, {TOOLS!r}); import coverage; "
                f"p, n = coverage.history_problems({path!r}); print(p); print(n)")
        env = dict(os.environ, BULKHEAD_CERT_ROOT=str(tmp_path))
        return subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=env).stdout

    commit(80.0, "first")
    assert check().startswith("[]")
    write(tmp_path, "tools/cert/coverage-threshold.txt", "host-statements 70.0\n")
    out = check()
    assert "lowered to 70.0" in out and "only go up" in out
    commit(85.0, "raised")
    assert check().startswith("[]")
    commit(75.0, "lowered\n\nThreshold-lowered: new code without its tests yet")
    out = check()
    assert out.startswith("[]") and "85.0 -> 75.0 (new code without its tests yet)" in out
    commit(70.0, "lowered quietly")
    out = check()
    assert "lowered host-statements 75.0 -> 70.0 without" in out


# ---- coverage dump decoding (REQ-CRT-003) --------------------------------------

def _dump(files):
    lines = ["[demo] hello"]
    for name, data in files.items():
        lines.append(gcov_console.PREFIX + "F " + name)
        for i in range(0, len(data), 48):
            lines.append(gcov_console.PREFIX + "D " + data[i:i + 48].hex())
        lines.append(gcov_console.PREFIX + f"E {len(data)} {gcov_console.fnv1a32(data):08x}")
    lines.append(gcov_console.PREFIX + f"END {len(files)}")
    return lines


def test_dump_decoding(tmp_path):
    """Dump lines are taken out of the console and decoded; a damaged, cut or miscounted dump is reported.

    Verifies: REQ-CRT-003
    """
    files = {str(tmp_path / "obj" / "a.c.gcda"): bytes(range(100)), str(tmp_path / "obj" / "b.c.gcda"): b"gcda"}
    rest, dump = gcov_console.split(_dump(files))
    assert rest == ["[demo] hello"] and dump.complete and not dump.errors and dump.files == files
    write(tmp_path, "obj/a.c.gcno", "notes")
    written = gcov_console.save(dump, tmp_path, tmp_path / "run")
    assert written == [str(tmp_path / "run" / "obj" / "a.c.gcda")] and dump.errors  # b has no notes
    assert (tmp_path / "run" / "obj" / "a.c.gcno").exists()
    lines = _dump(files)
    lines[2] = lines[2][:-1] + ("1" if lines[2][-1] == "0" else "0")
    assert gcov_console.split(lines)[1].errors
    _, cut = gcov_console.split(_dump(files)[:-3])
    assert not cut.complete and cut.errors


# ---- coverage per system and exclusions (REQ-CRT-010, REQ-CRT-011) -----------------------------

COV_C = """int pick(int x);
static __attribute__((noinline)) int twice(int x)
{
	return 2 * x;
}

int pick(int x)
{
	if (x > 100) {
		return -1; /* GCOVR_EXCL_LINE{reason} */
	}
	return twice(x);
}

int main(int argc, char **argv)
{
	(void)argv;
	return pick(argc) == 2 ? 0 : 1;
}
"""


COV_X86_C = """
int x86_only(int x)
{
	if (x > 5) {
		return x - 5;
	}
	return x;
}

int x86_never(int x)
{
	return x * 3;
}
"""
COV_FIGURES = ("host", "target", "merged", "x86-target", "x86-merged")


def _coverage(tmp_path, reason, systems, runs=("sys-a", "sys-b"), x86=False, thresholds=None):
    """The coverage gate on a host program run once (the unit tests) and, as the QEMU runs of each
    system in `runs`, a copy of its counters; coverage-systems.txt holds `systems`. `x86`: the
    program also links arch/x86/cov86.c, half of which it runs. `thresholds`: {figure: value}
    over the 50.0 every figure gets."""
    write(tmp_path, "core/cov.c", COV_C.replace("{reason}", reason).replace(
        "return pick(argc) == 2 ? 0 : 1;", "return pick(argc) == 2 && x86_only(argc) == 1 ? 0 : 1;" if x86 else
        "return pick(argc) == 2 ? 0 : 1;").replace("int main", "int x86_only(int x);\nint main" if x86 else "int main"))
    sources = [tmp_path / "core" / "cov.c"]
    if x86:
        sources.append(write(tmp_path, "arch/x86/cov86.c", COV_X86_C))
    unit = tmp_path / "unit"
    shutil.rmtree(unit, ignore_errors=True)
    unit.mkdir()
    subprocess.run(["gcc", "--coverage", "-O0", "-o", unit / "cov"] + sources, check=True, cwd=unit)
    subprocess.run([unit / "cov"], check=True, cwd=unit)
    target = tmp_path / "systest-cov"
    shutil.rmtree(target, ignore_errors=True)
    for system in runs:
        run = target / system / "coverage-runs" / "000"
        shutil.copytree(unit, run, ignore=shutil.ignore_patterns("cov"))
        write(run, "dump.txt", "complete: True\nfiles: 1\n")
    values = {f"{n}-{k}": 50.0 for n in COV_FIGURES for k in ("statements", "branches")}
    for name, value in (thresholds or {}).items():
        if value is None:
            del values[name]
        else:
            values[name] = value
    write(tmp_path, "thresholds.txt", "".join(f"{n} {v}\n" for n, v in values.items()))
    write(tmp_path, "systems.txt", "# system runs statements\n" + systems)
    return run_tool("coverage.py", ["--unit", unit, "--target", target, "--thresholds", tmp_path / "thresholds.txt",
                                    "--systems", tmp_path / "systems.txt", "--out", tmp_path / "out"], tmp_path)


def test_coverage_exclusions_are_listed(tmp_path):
    """Every exclusion marker is listed with its reason and counted; a marker without a reason fails
    the gate. Functions are named as the source names them.

    Verifies: REQ-CRT-010, REQ-CRT-007
    """
    r = _coverage(tmp_path, ": no input reaches it", "sys-a 1 4\nsys-b 1 4\n")
    assert r.returncode == 0, r.stdout
    report = (tmp_path / "out" / "coverage.md").read_text()
    assert "| core/cov.c | 10 | LINE | no input reaches it |" in report
    # The files left out are the verification-only ones (coverage.py's EXCLUDE: coverage, fault injection).
    assert "| Coverage exclusions | 1 marker(s) over 1 source line(s); 3 file(s) left out |" in report
    assert "| core/cov.c:twice |" in report and "__attribute__" not in report
    r = _coverage(tmp_path, "", "sys-a 1 4\nsys-b 1 4\n")
    assert r.returncode == 1 and "core/cov.c:10: coverage exclusion (LINE) without a reason" in r.stdout, r.stdout


def test_coverage_counted_per_system(tmp_path):
    """A listed system that did not run, or ran under its counters, and a system that ran but is not
    listed, are each named.

    Verifies: REQ-CRT-011
    """
    r = _coverage(tmp_path, ": no input reaches it", "sys-a 1 4\nsys-b 1 4\n")
    assert r.returncode == 0, r.stdout
    assert "| sys-a | 1 | 7 | 1 | 4 | ok |" in (tmp_path / "out" / "coverage.md").read_text()
    r = _coverage(tmp_path, ": no input reaches it", "sys-a 2 4\nsys-b 1 8\nsys-gone 1 1\n",
                  runs=("sys-a", "sys-b", "sys-new"))
    assert r.returncode == 1
    assert "system sys-a: 1 runs, " in r.stdout and "expects at least 2" in r.stdout
    assert "system sys-b: 7 statements, " in r.stdout and "expects at least 8" in r.stdout
    assert "system sys-gone: no coverage run (expected 1)" in r.stdout
    assert "system sys-new ran on a coverage build but is not in" in r.stdout


def test_coverage_x86_has_figures_of_its_own(tmp_path):
    """arch/x86/'s statements and branches are figures of their own (x86-target, x86-merged), held to
    thresholds of their own, and not counted in the target and merged figures of the rest.

    Verifies: REQ-CRT-037
    """
    r = _coverage(tmp_path, ": no input reaches it", "sys-a 1 7\nsys-b 1 7\n", x86=True)
    assert r.returncode == 0, r.stdout
    report = (tmp_path / "out" / "coverage.md").read_text()
    # cov86.c: x86_only runs its x <= 5 side (3 of 4 lines), x86_never not at all (0 of 2).
    assert "| x86-target-statements | 50.0% (3/6) | 50.0% | ok |" in report, report
    assert "| x86-merged-statements | 50.0% (3/6) |" in report
    assert re.search(r"\| target-statements \| [0-9.]+% \(7/7\) \|", report), report
    assert re.search(r"\| merged-statements \| [0-9.]+% \(7/7\) \|", report), report
    r = _coverage(tmp_path, ": no input reaches it", "sys-a 1 7\nsys-b 1 7\n", x86=True,
                  thresholds={"x86-target-statements": 60.0})
    assert r.returncode == 1 and "x86-target-statements: 50.0% is under the threshold 60.0%" in r.stdout, r.stdout
    r = _coverage(tmp_path, ": no input reaches it", "sys-a 1 7\nsys-b 1 7\n", x86=True,
                  thresholds={"x86-merged-branches": None})
    assert r.returncode == 1 and "no threshold for x86-merged-branches" in r.stdout, r.stdout


# ---- the core/arch seam (REQ-CRT-018) -------------------------------------------

SEAM_FILES = {
    "core/include/arch.h": "void arch_hook(void);\n",
    "core/include/core.h": "void core_entry(void);\n",
    "core/include/cpu.h": '#include "arch_types.h"\nstruct cpu { struct arch_cpu arch; };\n',
    "core/include/cfg.h": '#include "cfg_arch.h"\nstruct cfg_cpu { struct cfg_arch_cpu arch; };\n',
    "arch/fake/include/arch_types.h": "struct arch_cpu { int x; };\n",
    "arch/fake/include/cfg_arch.h": "struct cfg_arch_cpu { int id; };\n",
    "arch/fake/include/priv.h": "void fake_private(void);\n",
    "arch/fake/hook.c": '#include "arch.h"\n#include "core.h"\n#include "priv.h"\n'
                        "void arch_hook(void) { fake_private(); }\nvoid fake_private(void) { core_entry(); }\n",
}


def _seam(tmp_path, core_c):
    """The seam gate on a tree of core/ and arch/fake/ whose core/core.c is `core_c`."""
    for path, text in dict(SEAM_FILES, **{"core/core.c": core_c}).items():
        write(tmp_path, path, text)
    obj = tmp_path / "obj"
    for src in ("core/core.c", "arch/fake/hook.c"):
        (obj / os.path.dirname(src)).mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", "-O1", "-fno-inline", "-fcallgraph-info", "-Icore/include", "-Iarch/fake/include",
                        "-c", src, "-o", obj / (src + ".o")], check=True, cwd=tmp_path)
    return run_tool("layering.py", ["--objdir", f"fake={obj}", "--out", tmp_path / "out"], tmp_path)


def test_layering_seam(tmp_path):
    """core/ may call the architecture's hooks and include its arch_types.h and cfg_arch.h; a call to anything else of
    the architecture, an include of any other of its headers and a cycle between core/ and arch/
    outside the hooks each fail the gate, named.

    Verifies: REQ-CRT-018
    """
    good = '#include "arch.h"\n#include "cfg.h"\n#include "core.h"\n#include "cpu.h"\nvoid core_entry(void) { arch_hook(); }\n'
    r = _seam(tmp_path, good)
    assert r.returncode == 0, r.stdout
    report = (tmp_path / "out" / "layering.md").read_text()
    assert "| arch_hook | arch/fake/hook.c |" in report and "| core/include/core.h | core_entry |" in report
    # A private function of the architecture, declared by hand: the call closes a loop
    # core/core.c -> arch/fake/hook.c (fake_private) -> core/core.c (core_entry).
    r = _seam(tmp_path, good + "void fake_private(void);\nvoid core_more(void);\n"
                              "void core_more(void) { fake_private(); }\n")
    assert r.returncode == 1, r.stdout
    assert "outside the hook boundary: core/core.c:8:24 calls fake_private" in r.stdout and "(arch/fake/hook.c)" \
        in r.stdout, r.stdout
    assert "cycle between core/ and arch/ outside the hook boundary: core/core.c -> arch/fake/hook.c -> " \
        "core/core.c" in r.stdout, r.stdout
    # A private header of the architecture.
    r = _seam(tmp_path, '#include "priv.h"\n' + good)
    assert r.returncode == 1 and "core/core.c:1 includes arch/fake/include/priv.h" in r.stdout, r.stdout


LIB_S = """	.text
	.global libfn
libfn:
	stp	x29, x30, [sp, #-64]!
	sub	sp, sp, #0x100
	bl	libleaf
	add	sp, sp, #0x100
	ldp	x29, x30, [sp], #64
	ret
	.global libleaf
libleaf:
	str	x19, [sp, #-16]!
#ifdef LIB_ALLOCA
	sub	sp, sp, x1
#endif
#ifdef LIB_POINTER
	blr	x2
#endif
	ldr	x19, [sp], #16
	ret
"""
PROG_C = """void libfn(void);
void entry_main(void) { volatile char b[32]; b[0] = 0; libfn(); }
"""


def _partition_stack(tmp_path, model, defines=()):
    """The stack gate on a synthetic partition program: its C object (frames, call graph) under
    the partition objects' folder, the runtime's start-up calling it, a library function in
    assembly outside them (no frames: read from the machine code), linked as images/svc.elf."""
    build = tmp_path / "build"
    objs = build / "partitions" / "partitions"
    (objs / "prog").mkdir(parents=True, exist_ok=True)
    (objs / "runtime").mkdir(parents=True, exist_ok=True)
    (build / "lib").mkdir(parents=True, exist_ok=True)
    (build / "images").mkdir(parents=True, exist_ok=True)
    write(build, "gen/system.mk", "BH_PART_svc_PROGRAM := prog\n")
    write(build, "include/generated/autoconf.h", '#define CONFIG_ARCH "arm64"\n#define CONFIG_ARCH_ARM64 1\n')
    src = write(tmp_path, "partitions/prog/x.c", PROG_C)
    subprocess.run(["aarch64-linux-gnu-gcc", "-O1", "-fstack-usage", "-fcallgraph-info=su", "-c", src,
                    "-o", objs / "prog" / "x.c.o"], check=True, cwd=objs / "prog")
    crt0 = write(tmp_path, "partitions/runtime/crt0.S", "\t.text\n\t.global _start\n_start:\n\tbl\tentry_main\n\tb\t_start\n")
    subprocess.run(["aarch64-linux-gnu-gcc", "-c", crt0, "-o", objs / "runtime" / "crt0.S.o"], check=True)
    lib = write(build, "lib/lib.S", LIB_S)
    subprocess.run(["aarch64-linux-gnu-gcc", *defines, "-c", lib, "-o", build / "lib" / "lib.o"], check=True)
    subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-Wl,-e,_start", objs / "runtime" / "crt0.S.o",
                    objs / "prog" / "x.c.o", build / "lib" / "lib.o", "-o", build / "images" / "svc.elf"], check=True)
    write(tmp_path, "model.txt", model)
    return run_tool("stack.py", ["--partition", f"svc={build}:svc", "--model", tmp_path / "model.txt",
                                 "--name", "service", "--out", tmp_path / "out"], tmp_path)


def test_stack_of_a_partition_program_with_its_library(tmp_path):
    """A partition program is bounded like the hypervisor: its own frames and calls from gcc, the
    functions it links from a library without them (newlib) from the image's machine code (every
    decrement of the stack pointer, their calls); an alloca there, a call through a register with
    no declared targets and use above 75% of the declared budget fail.

    Verifies: REQ-CRT-033~2
    """
    model = "stack vcpu 1024\nentry main vcpu 0 entry_main\n"
    r = _partition_stack(tmp_path, model)
    assert r.returncode == 0, r.stdout
    md = (tmp_path / "out" / "stack-service.md").read_text()
    # libfn: a 64-byte pre-indexed store and 0x100 more; libleaf a 16-byte one.
    assert "libfn (320) > libleaf (16)" in md, md
    r = _partition_stack(tmp_path, "stack vcpu 400\nentry main vcpu 0 entry_main\n")
    assert r.returncode == 1 and "exceeds 75%" in r.stdout, r.stdout
    r = _partition_stack(tmp_path, model, ["-DLIB_ALLOCA"])
    assert r.returncode == 1 and "libleaf (library (machine code)): frame is dynamic" in r.stdout, r.stdout
    r = _partition_stack(tmp_path, model, ["-DLIB_POINTER"])
    assert r.returncode == 1 and "libleaf makes an indirect call" in r.stdout, r.stdout
    r = _partition_stack(tmp_path, model + "indirect libleaf libfn\n", ["-DLIB_POINTER"])
    assert r.returncode == 1 and "recursion: libfn -> libleaf -> libfn" in r.stdout, r.stdout


def test_stack_of_a_partition_program_refuses_an_empty_target_set(tmp_path):
    """A call through a register whose declared target set is empty, or holds no function the
    image links, fails the gate (the call would count nothing); a pointer declared never set
    passes only while what would set it is absent (a function) or empty (a table's start..end).

    Verifies: REQ-CRT-033~2
    """
    model = "stack vcpu 1024\nentry main vcpu 0 entry_main\n"
    r = _partition_stack(tmp_path, model + "indirect libleaf\n", ["-DLIB_POINTER"])
    assert r.returncode == 1 and "indirect libleaf: the declared target set is empty" in r.stdout, r.stdout
    r = _partition_stack(tmp_path, model + "indirect libleaf not_linked\n", ["-DLIB_POINTER"])
    assert r.returncode == 1 and "libleaf makes an indirect call at" in r.stdout and \
        "whose declared target set is empty in this image" in r.stdout, r.stdout
    r = _partition_stack(tmp_path, model + "indirect libleaf unset-by=libfn\n", ["-DLIB_POINTER"])
    assert r.returncode == 1 and "declared never set, but libfn, which sets it, is linked" in r.stdout, r.stdout
    r = _partition_stack(tmp_path, model + "indirect libleaf unset-by=libfn..libleaf\n", ["-DLIB_POINTER"])
    assert r.returncode == 1 and "declared never set, but libfn..libleaf holds" in r.stdout, r.stdout
    for setter in ("set_hook", "libleaf..libleaf"):
        r = _partition_stack(tmp_path, model + f"indirect libleaf unset-by={setter}\n", ["-DLIB_POINTER"])
        assert r.returncode == 0, r.stdout
