# SPDX-License-Identifier: MIT
"""Frames of the functions a partition program links from libraries built without
-fstack-usage (newlib, libgcc), read from the linked image's machine code.

stack.py bounds a partition program (the service partition) as it bounds the
hypervisor; the C library's functions have no .su or .ci file, so their
frames and calls come from the disassembly instead: a frame is the sum of
every decrement of the stack pointer in the function (pre-indexed stores
and `sub sp` on AArch64, `push` and `sub $n, %rsp` on x86-64, plus the
return address there, as gcc's own figures count it), whatever the path, so
never below what one call uses; a decrement by a register (alloca) makes the
frame unbounded. Its calls: direct calls and tail calls to other functions,
and whether it calls through a register (the model then declares the
targets, as for the hypervisor's tables).
"""
import re
import subprocess

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN = re.compile(r"^\s+[0-9a-f]+:\s+(\S+)\s*(.*?)\s*$")
TARGET = re.compile(r"<([^>+]+)(\+0x[0-9a-f]+)?>")
# A call of address 0: a weak function no object defines (newlib's exit tests its address first).
UNDEFINED = re.compile(r"^0 <")


def _arm64(mn, ops, state):
    m = re.search(r"\[sp, #-(\d+)\]!$", ops)
    if m and mn.startswith(("stp", "str")):
        return int(m.group(1))
    m = re.fullmatch(r"sp, sp, #(0x[0-9a-f]+|\d+)(?:, lsl #(\d+))?", ops)
    if mn == "sub" and m:
        return int(m.group(1), 0) << int(m.group(2) or 0)
    if (mn == "sub" and ops.startswith("sp, sp, ")) or (mn == "mov" and ops.startswith("sp, ") and ops != "sp, x29"):
        state["dynamic"] = True
    return 0


def _x86(mn, ops, state):
    if mn.startswith("push"):
        return 8
    m = re.fullmatch(r"\$(0x[0-9a-f]+|\d+),%rsp", ops)
    if mn.startswith("sub") and m:
        return int(m.group(1), 0)
    if mn.startswith("and") and ops.endswith(",%rsp"):
        return 16                     # realignment: at most 15 bytes more
    if (mn.startswith("sub") and ops.endswith(",%rsp")) or (mn.startswith("mov") and ops.endswith(",%rsp")):
        state["dynamic"] = True
    return 0


def library_frames(elf, x86):
    """{function: {"frame": bytes, "calls": [names], "indirect": bool, "dynamic": bool}} of every
    function of the image's text."""
    objdump = "objdump" if x86 else "aarch64-linux-gnu-objdump"
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf], capture_output=True, text=True,
                         check=True).stdout
    funcs, cur, recent = {}, None, []
    for line in out.split("\n"):
        m = FUNC.match(line)
        if m:
            cur = funcs.setdefault(m.group(2), {"frame": 8 if x86 else 0, "calls": [], "indirect": False,
                                                "dynamic": False, "name": m.group(2)})
            recent = []
            continue
        m = INSN.match(line)
        if not m or cur is None:
            continue
        mn, ops = m.group(1), m.group(2).split("#")[0].strip() if x86 else m.group(2).split("//")[0].strip()
        if mn in ("notrack", "bnd", "rep", "lock") and " " in ops:
            mn, ops = ops.split(None, 1)
        cur["frame"] += (_x86 if x86 else _arm64)(mn, ops, cur)
        t = TARGET.search(ops)
        direct = ("call", "jmp") if x86 else ("bl", "b")
        if mn.rstrip("q") in direct and t and UNDEFINED.match(ops):
            pass
        elif mn.rstrip("q") in direct and t and not ops.startswith("*"):
            if mn.rstrip("q") == direct[0] or (t.group(1) != cur["name"]):
                if t.group(1) != cur["name"] and t.group(1) not in cur["calls"]:
                    cur["calls"].append(t.group(1))
        elif x86 and mn.rstrip("q") in direct and ops.startswith("*"):
            # A switch's jump table (an index scaled into a table, or a jump through a
            # register just loaded from one) stays in the function; any other is a call.
            table = "(," in ops or any(r.startswith(("movslq", "movsl")) for r in recent[-6:])
            cur["indirect"] |= mn.rstrip("q") == "call" or not table
        elif not x86 and mn == "blr":
            cur["indirect"] = True
        elif not x86 and mn == "br":
            cur["indirect"] |= not any(r.startswith("adr ") for r in recent[-8:])
        recent.append(f"{mn} {ops}")
    return funcs
