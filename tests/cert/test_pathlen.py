# SPDX-License-Identifier: MIT
"""The worst-case EL2 path-length gate (tools/cert/pathlen.py) on a hand-written image whose
instruction counts are known."""
import subprocess

from conftest import run_tool, write

# leaf: 3 instructions. branchy: its longest path is cbz, bl leaf, bl leaf, ret = 1 + 4 + 4 + 1 = 10.
# looper: 4 instructions, 2 of them a loop. disp: one of two handlers, h1 (2) or h2 (5).
# stopper: a core that halts (firmware call, then WFI for ever). sel: a jump table (ldrb, signed offsets) to one of two blocks; its second entry is the longer, 3 instructions + ret.
IMAGE_S = """	.text
	.global entry_a
leaf:
	add	x0, x0, #1
	add	x0, x0, #2
	ret
branchy:
	cbz	x0, 1f
	bl	leaf
	bl	leaf
1:	ret
looper:
	mov	x1, #4
2:	sub	x1, x1, #1
	cbnz	x1, 2b
	ret
h1:
	nop
	ret
h2:
	nop
	nop
	nop
	nop
	ret
disp:
	cbz	x0, 3f
	bl	h1
	ret
3:	bl	h2
	ret
sel:
	cmp	w0, #1
	b.hi	5f
	adrp	x1, table
	add	x1, x1, :lo12:table
	ldrb	w1, [x1, w0, uxtw]
	adr	x2, 4f
	add	x1, x2, w1, sxtb #2
	br	x1
4:	nop
	nop
	nop
5:	ret
stopper:
	mov	x0, #8
	smc	#0
6:	wfi
	wfi
	b	6b
entry_d:
	bl	stopper
	eret
entry_a:
	bl	branchy
	bl	looper
	eret
entry_b:
	bl	disp
	eret
entry_c:
	bl	sel
	eret
wrap1:
	bl	looper
	ret
wrap2:
	nop
	bl	wrap1
	ret
entry_e:
	bl	wrap1
	eret
entry_g:
	cbz	x0, 11f
10:	bl	stopper
11:	nop
	cbnz	x1, 10b
	eret
entry_f:
	bl	wrap2
	eret
twoloops:
	mov	x1, #4
20:	sub	x1, x1, #1
	cbnz	x1, 20b
	mov	x1, #2
21:	sub	x1, x1, #1
	nop
	cbnz	x1, 21b
	ret
entry_h:
	bl	twoloops
	eret
maybe:
	cbz	x0, 22f
	bl	stopper
22:	ret
callsmaybe:
	mov	x1, #3
23:	bl	maybe
	sub	x1, x1, #1
	cbnz	x1, 23b
	ret
entry_i:
	bl	callsmaybe
	eret
	.section .rodata
table:
	.byte	2, 0
"""
MODEL = "stack s 512\nentry a s 0 entry_a\nentry b1 s 0 entry_b > disp > h1\nentry b2 s 0 entry_b > disp > h2\n" \
    "entry c s 0 entry_c\nentry d s 0 entry_d\nentry e s 0 entry_e\nentry f s 0 entry_f\nentry g s 0 entry_g\n" \
    "entry h s 0 entry_h\nentry i s 0 entry_i\n"


def _looper(n):
    """looper's bound with its loop bounded by n: mov and ret once, its cycle (sub, cbnz) n times."""
    return 1 + 2 * n + 1


def _image(tmp_path):
    build = tmp_path / "build"
    write(build, "x.S", IMAGE_S)
    subprocess.run(["aarch64-linux-gnu-gcc", "-g", "-c", build / "x.S", "-o", build / "x.o"], check=True)
    subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-Wl,-e,entry_a", build / "x.o",
                    "-o", build / "bulkhead.elf"], check=True)
    write(build, "include/generated/autoconf.h", "#define CONFIG_LOOPS 4\n")
    write(build, "gen/system.mk", "BH_BOARD := test\nBH_LOOP_PAIRS := 3\n")
    write(tmp_path, "include/bulkhead/abi.h", "#define BH_SLOT          128u   /* bytes */\n"
                                              "#define BH_PAIR  (2u * BH_SLOT - 255u)  /* a define of defines */\n"
                                              "#define BH_HALF  (BH_SLOT / 3u)   /* C rounds down: left out */\n")
    write(tmp_path, "tools/configc/model.h", "#define BHCC_MAX_THINGS 2   /* things */\n")
    write(tmp_path, "model.txt", MODEL)
    return build


def _pathlen(tmp_path, loops, *extra):
    write(tmp_path, "loops.txt", loops)
    return run_tool("pathlen.py", ["--image", f"img={tmp_path / 'build'}", "--model", tmp_path / "model.txt",
                                   "--loops", tmp_path / "loops.txt", "--table", tmp_path / "table.md",
                                   "--out", tmp_path / "out", *extra], tmp_path)


def _bounds(tmp_path):
    rows = {}
    for line in (tmp_path / "table.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0] in ("a", "b1", "b2", "c", "d", "e", "f", "g", "h", "i"):
            rows[cells[0]] = cells[1]
    return rows


def test_pathlen_bounds_and_its_failures(tmp_path):
    """The longest path through the control-flow graph with calls at their callees' bounds; a loop is
    open until the model bounds it (then its cycle's instructions count bound times, the others once); a dispatch's other alternatives
    do not count on an entry's path; a jump table's targets are read from the image; the code after
    a call that cannot come back is on no path; the committed table must match, and a loop bound on a function without a cycle fails.

    Verifies: REQ-CRT-019
    """
    _image(tmp_path)
    r = _pathlen(tmp_path, "", "--update")
    assert r.returncode == 0, r.stdout
    b = _bounds(tmp_path)
    assert b["a"] == "open" and "looper" in (tmp_path / "table.md").read_text()
    assert b["b1"] == str(1 + (1 + 1 + 2 + 1) + 1)      # bl disp (cbz, bl h1, ret) eret
    assert b["b2"] == str(1 + (1 + 1 + 5 + 1) + 1)      # bl disp (cbz, bl h2, ret) eret
    assert b["c"] == str(1 + (8 + 3 + 1) + 1)           # bl sel (8 to the br, 3 nops, ret) eret
    assert b["d"] == str(1 + 5)     # bl stopper, which halts in its WFI loop: the eret after it is on no path
    # stopper never comes back: the branch back to its call is no cycle (cbz, nop, cbnz, bl stopper).
    assert b["g"] == str(1 + 1 + 1 + (1 + 5)), b
    r = _pathlen(tmp_path, "loop looper CONFIG_LOOPS  # x1 counts down from 4\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["a"] == str((1 + 10) + (1 + _looper(4)) + 1)
    # The committed table no longer matches once the model (or the code) changes.
    r = _pathlen(tmp_path, "loop looper 5  # x1 counts down from 4\n")
    assert r.returncode == 1 and "differs from the bounds of this image" in r.stdout, r.stdout
    r = _pathlen(tmp_path, "loop looper CONFIG_LOOPS  # x1 counts down from 4\n")
    assert r.returncode == 0, r.stdout
    r = _pathlen(tmp_path, "loop looper CONFIG_LOOPS  # x1 counts down from 4\nloop leaf 2  # no loop in it\n")
    assert r.returncode == 1 and "loop leaf: the function has no cycle" in r.stdout, r.stdout
    r = _pathlen(tmp_path, "loop nothing 2  # it is not there\n")
    assert r.returncode == 1 and "loop nothing: no such function" in r.stdout, r.stdout


def test_pathlen_model_lines_say_why_and_waits_count_once(tmp_path):
    """A model line without its reason fails, and so does a bound below 1 (the 0/100 placeholders
    of a model nobody checked); a wait (a loop polling a device or spinning on a lock) counts its
    loop's body once, each entry lists the waits it reaches, a function declared both ways is
    bounded by its loop line and still listed as a wait, and a wait on a function without a cycle
    fails.

    Verifies: REQ-CRT-019, REQ-CRT-021~2
    """
    _image(tmp_path)
    r = _pathlen(tmp_path, "loop looper CONFIG_LOOPS\n", "--update")
    assert r.returncode == 1 and "say why the bound holds" in r.stdout, r.stdout
    r = _pathlen(tmp_path, "loop looper 0  # a placeholder for now\n", "--update")
    assert r.returncode == 1 and "a bound is 1 or more" in r.stdout, r.stdout
    r = _pathlen(tmp_path, "wait looper  # stands for a poll of a device\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["a"] == str((1 + 10) + (1 + 4) + 1)   # mov, sub, cbnz, ret: the body once
    table = (tmp_path / "table.md").read_text()
    assert "| a | 17 |  | looper |" in table and "| looper | stands for a poll of a device |" in table, table
    assert "| b1 | 7 |  |  |" in table, table
    # Both lines (a wait inlined beside a bounded loop): the loop line bounds it, the entry lists the wait.
    r = _pathlen(tmp_path, "wait looper  # stands for a poll\nloop looper 4  # x1 counts down from four\n", "--update")
    assert r.returncode == 0, r.stdout
    assert "| a | 23 |  | looper |" in (tmp_path / "table.md").read_text()      # (1 + 10) + (1 + _looper(4)) + 1
    r = _pathlen(tmp_path, "wait looper  # stands for a poll\nwait leaf  # no loop in it\n")
    assert r.returncode == 1 and "wait leaf: the function has no cycle" in r.stdout, r.stdout


def test_pathlen_bounds_per_call_path_and_build_constants(tmp_path):
    """A loop bound may hold for the calls along one call path only (`loop f <bound> @ caller @
    its caller`: the line naming the longest part of the path wins, else the line for every call,
    else the entry is open); a bound may use the BH_ constants the config compiler emits for the
    build (gen/system.mk), those of the ABI headers (a define of numbers and other defines
    included, one with C's rounding-down division left out) and the config compiler's limits (BHCC_), with + - * / (rounded up), max() and log2() (rounded up); a line
    for a call path the image does not have, a line no entry uses and a second line for the same
    path fail.

    Verifies: REQ-CRT-029~2
    """
    _image(tmp_path)
    # looper (mov, sub, cbnz, ret: 4 instructions) from wrap1 at 2, elsewhere open.
    r = _pathlen(tmp_path, "loop looper 2 @ wrap1  # wrap1 passes a count of 2\n", "--update")
    assert r.returncode == 0, r.stdout
    b = _bounds(tmp_path)
    assert b["a"] == "open" and b["e"] == str(1 + (1 + _looper(2) + 1) + 1), b
    assert b["f"] == str(1 + (1 + 1 + (1 + _looper(2) + 1) + 1) + 1), b      # wrap2 > wrap1 > looper: the shorter line
    assert "| a | open | 1: looper |" in (tmp_path / "table.md").read_text()
    # The longest matching call path wins; the line for every call bounds the rest.
    r = _pathlen(tmp_path, "loop looper CONFIG_LOOPS  # x1 counts down from 4\n"
                           "loop looper 2 @ wrap1  # wrap1 passes a count of 2\n"
                           "loop looper BH_LOOP_PAIRS @ wrap1 @ wrap2  # wrap2 passes a count of 3\n", "--update")
    assert r.returncode == 0, r.stdout
    b = _bounds(tmp_path)
    assert b["a"] == str((1 + 10) + (1 + _looper(4)) + 1) and b["e"] == str(1 + (1 + _looper(2) + 1) + 1), b
    assert b["f"] == str(1 + (1 + 1 + (1 + _looper(3) + 1) + 1) + 1), b
    assert "| looper @ wrap1 @ wrap2 | 3 | BH_LOOP_PAIRS |" in (tmp_path / "table.md").read_text()
    # Expressions: the ABI's BH_SLOT (128) / 100 rounds up to 2; max() and parentheses.
    r = _pathlen(tmp_path, "loop looper max(1, (BH_SLOT / 100) * 3 - 1)  # the count is five\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["e"] == str(1 + (1 + _looper(5) + 1) + 1)
    # log2() rounds up: the doublings from 1 to 100 are 7, so 7 - 2 = 5.
    r = _pathlen(tmp_path, "loop looper log2(100) - 2  # the count is five\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["e"] == str(1 + (1 + _looper(5) + 1) + 1)
    r = _pathlen(tmp_path, "loop looper log2(0)  # not a number of anything\n")
    assert r.returncode == 1 and "log2 of a number below 1" in r.stdout, r.stdout
    r = _pathlen(tmp_path, "loop looper BH_PAIR * 4  # four passes per pair\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["e"] == str(1 + (1 + _looper(4) + 1) + 1)
    r = _pathlen(tmp_path, "loop looper BH_HALF  # a third of a slot\n")
    assert r.returncode == 1 and "cannot evaluate 'BH_HALF'" in r.stdout, r.stdout
    r = _pathlen(tmp_path, "loop looper BHCC_MAX_THINGS + 1  # one per thing and the last test\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["e"] == str(1 + (1 + _looper(3) + 1) + 1)
    for loops, error in (
            ("loop looper 2 @ wrap2  # wrap2 passes a count of 2\n", "loop looper @ wrap2: no such call path"),
            ("loop looper 2 @ wrap1 @ entry_a  # wrap1 passes a count of 2\n", "loop looper @ wrap1 @ entry_a: no such call path"),
            ("loop looper 4  # counts down from 4\nloop looper 4 @ entry_a  # counts down from 4\n"
             "loop looper 2 @ wrap1  # wrap1 passes a count of 2\n", "loop looper: bounds no call of any entry"),
            ("loop looper 4  # counts down from 4\nloop looper 5  # counts down from 4\n", "a second bound of looper"),
            ("loop looper BH_NOTHING  # no such constant\n", "cannot evaluate 'BH_NOTHING'"),
            ("loop looper __import__(1)  # not an expression\n", "cannot evaluate"),
            ("loop looper 1 - 1  # down to nothing at all\n", "a bound is 1 or more")):
        r = _pathlen(tmp_path, loops)
        assert r.returncode == 1 and error in r.stdout, (loops, r.stdout)


def _line_of(tmp_path, text):
    """`file:line` of the first source line of the test image starting with `text`, as the model
    names a loop (the file relative to the source tree: the test's root)."""
    line = next(n for n, t in enumerate(IMAGE_S.splitlines(), 1) if t.startswith(text))
    return f"build/x.S:{line}"


def test_pathlen_per_loop_bounds_system_figures_and_calls_that_end(tmp_path):
    """One function's loops take bounds of their own (`in <file>:<line>[k]`: the loop holding an
    instruction of that source line), the rest the function's line, else the entry is open; a
    bound may use the figures bhcc emits for the built system (gen/bounds.mk, BHCC_SYS_): one the
    build lacks cannot be evaluated, and one below what the system's tables (gen/config.c) hold
    fails the gate; a call that never comes back counts once on a path, not once per pass of the
    loop around it.

    Verifies: REQ-CRT-031, REQ-CRT-032
    """
    build = _image(tmp_path)
    first, second = _line_of(tmp_path, "20:"), _line_of(tmp_path, "21:")
    # twoloops: mov, (sub, cbnz) x 4, mov, (sub, nop, cbnz) x 2, ret = 1 + 8 + 1 + 6 + 1.
    r = _pathlen(tmp_path, f"loop twoloops 4 in {first}  # counts down from four\n"
                           f"loop twoloops 2 in {second}  # counts down from two\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["h"] == str(1 + 17 + 1), _bounds(tmp_path)
    # Without a line for its second loop, and none for the function: open.
    r = _pathlen(tmp_path, f"loop twoloops 4 in {first}  # counts down from four\n", "--update")
    assert r.returncode == 0 and _bounds(tmp_path)["h"] == "open", r.stdout
    # The function's line bounds the loops no line of their own names.
    write(build, "gen/bounds.mk", "BHCC_SYS_MAX_VCPUS := 2\nBHCC_SYS_LOOPS := 5\n")
    r = _pathlen(tmp_path, "loop twoloops BHCC_SYS_LOOPS  # at most five passes of either\n"
                           f"loop twoloops BHCC_SYS_MAX_VCPUS in {second}  # counts down from two\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["h"] == str(1 + (1 + 10 + 1 + 6 + 1) + 1), _bounds(tmp_path)
    for loops, error in (
            (f"loop twoloops BHCC_SYS_NONE in {first}  # not emitted for this build\n", "cannot evaluate 'BHCC_SYS_NONE'"),
            (f"loop twoloops 4 in {first}[2]  # no second loop on that line\n", "no loop of twoloops"),
            (f"loop twoloops 4\nloop twoloops 4 in {first.split(':')[0]}:1  # no loop on the first line\n",
             "no loop of twoloops")):
        r = _pathlen(tmp_path, loops)
        assert r.returncode == 1 and error in r.stdout, (loops, r.stdout)
    # A figure below what the tables hold: the bounds built on it would not hold.
    write(build, "gen/config.c", "\t\t.n_vcpus = 3,\n")
    r = _pathlen(tmp_path, "loop twoloops BHCC_SYS_LOOPS  # at most five passes of either\n"
                           f"loop twoloops BHCC_SYS_MAX_VCPUS in {second}  # counts down from two\n")
    assert r.returncode == 1 and "BHCC_SYS_MAX_VCPUS is 0x2" in r.stdout, r.stdout
    write(build, "gen/config.c", "\t\t.n_vcpus = 2,\n")
    # callsmaybe: mov, (bl maybe, sub, cbnz) x 3, ret; maybe's returning part is cbz and ret (or the
    # call of stopper, 1); stopper (5 instructions), which never comes back, counts once: 1 + 17 + 1 + 5.
    r = _pathlen(tmp_path, "loop callsmaybe 3  # counts down from three\n", "--update")
    assert r.returncode == 0, r.stdout
    assert _bounds(tmp_path)["i"] == str(1 + (1 + 3 * (1 + 2 + 1 + 1) + 1) + 1 + 5), _bounds(tmp_path)


SUMMER_S = """
summer:
	mov	x2, #3
30:	bl	looper
	sub	x2, x2, #1
	cbnz	x2, 30b
	ret
entry_j:
	bl	summer
	eret
"""


def test_pathlen_sum_over_a_callers_loop(tmp_path):
    """A `sum` line bounds the passes of a callee's loop added up over one call of its caller: each
    call of the callee counts it at one pass, the callee at the sum's passes counts once; the
    system's figures include a partition's RAM in all; a sum line for a call path the image lacks,
    for a function without a cycle, or that no entry uses fails.

    Verifies: REQ-CRT-038
    """
    build = _image(tmp_path)
    # summer calls looper three times (its own loop, 3 passes): looper's loop passes add up to 5.
    write(build, "x.S", IMAGE_S.replace("\t.section .rodata", SUMMER_S + "\t.section .rodata"))
    subprocess.run(["aarch64-linux-gnu-gcc", "-g", "-c", build / "x.S", "-o", build / "x.o"], check=True)
    subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-Wl,-e,entry_a", build / "x.o",
                    "-o", build / "bulkhead.elf"], check=True)
    write(tmp_path, "model.txt", MODEL + "entry j s 0 entry_j\n")
    loops = "loop looper 4  # x1 counts down from 4\nloop summer 3  # x2 counts down from 3\n"

    def bound_j():
        rows = [[c.strip() for c in l.strip("|").split("|")] for l in (tmp_path / "table.md").read_text().splitlines()]
        return next(r[1] for r in rows if r[0] == "j")

    r = _pathlen(tmp_path, loops, "--update")
    assert r.returncode == 0, r.stdout
    # Without the sum: mov, 3 x (bl looper(4), sub, cbnz), ret; entry_j's bl and eret around it.
    assert bound_j() == str(1 + (1 + 3 * (1 + _looper(4) + 2) + 1) + 1), bound_j()
    write(build, "gen/bounds.mk", "BHCC_SYS_MAX_PARTITION_RAM := 0x140\n")
    r = _pathlen(tmp_path, loops + "sum looper BHCC_SYS_MAX_PARTITION_RAM / 64 @ summer  # five passes in all\n",
                 "--update")
    assert r.returncode == 0, r.stdout
    # With it: looper at one pass in each of the three calls, and at five passes once.
    assert bound_j() == str(1 + (1 + 3 * (1 + _looper(1) + 2) + 1 + _looper(5)) + 1), bound_j()
    assert "looper @ summer" in (tmp_path / "table.md").read_text()
    for line, error in (("sum twoloops 2 @ summer  # summer calls no twoloops\n",
                         "sum twoloops @ summer: no such call path"),
                        ("sum leaf 2 @ branchy  # leaf has no loop\n", "sum leaf: the function has no cycle"),
                        ("sum looper 2 @ wrap2  # wrap2 calls wrap1, not looper\n", "no such call path"),
                        ("sum looper 2 @ nowhere  # no caller of that name\n", "no such call path")):
        r = _pathlen(tmp_path, loops + line)
        assert r.returncode == 1 and error in r.stdout, (line, r.stdout)
    # A partition whose RAM regions add up to more than the figure: the bounds built on it do not hold.
    write(build, "gen/config.c", "static const struct cfg_region bh_p_regions[] = {\n"
          "\t{ .size = 0x100, .access = 0, .kind = CFG_REGION_RAM, },\n"
          "\t{ .size = 0x100, .access = 0, .kind = CFG_REGION_RAM, },\n};\n")
    r = _pathlen(tmp_path, loops + "sum looper BHCC_SYS_MAX_PARTITION_RAM / 64 @ summer  # five passes in all\n")
    assert r.returncode == 1 and "BHCC_SYS_MAX_PARTITION_RAM is 0x140" in r.stdout, r.stdout
