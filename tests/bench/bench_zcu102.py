# SPDX-License-Identifier: MIT
"""`make bench`'s ZCU102 section: configs/zcu102.dts booted in QEMU's xlnx-zcu102 model under the
same -icount and measuring plugin as the rest of the bench, counting for each partition the
instructions before its first instruction and before its first line of output.

A partition's first line: the first instruction of its first output call, on the core of its
vCPU 0. The service partition owns the UART and writes it from svc_uart_write (its first write
carries its own greeting or the hypervisor's boot log it forwards); every other partition's console
is a channel to the service partition, written from the runtime's _write. Both are addresses in
the partition's image (guest-physical, below the hypervisor's link address, so no hypervisor
instruction shares them); a point fires per core, and each partition's point is read only on its
own core. Own counts are the core's instructions since its reset or power-on; system-wide counts
are QEMU's virtual time (all cores, run one at a time)."""
import os
import subprocess
import time

RUN_TIMEOUT = 180


def _symbol(nm, elf, name):
    for line in subprocess.run([nm, elf], check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise RuntimeError(f"{elf}: no symbol {name}")


def _partitions(isolation_md):
    """[(name, program, [cores in vCPU order])] from the isolation report."""
    import re
    out, name = [], None
    program = None
    with open(isolation_md) as f:
        for line in f:
            m = re.match(r"### (\S+)", line)
            if m:
                name, program = m.group(1), None
                continue
            if name and line.startswith("| Image | program `"):
                program = re.match(r"\| Image \| program `([^`]+)`", line).group(1)
            if name and line.startswith("| Cores |"):
                cores = sorted((int(vc), int(c)) for c, vc in re.findall(r"core (\d+) \([^)]*\) as vCPU (\d+)", line))
                out.append([name, None, [c for _vc, c in cores]])
            if name and program and out and out[-1][0] == name:
                out[-1][1] = program
    return [tuple(p) for p in out]


def section(bench, notes):
    """The ZCU102 boot section of bench.md (a list of Markdown lines); problems go to `notes`."""
    md = ["## Boot on the ZCU102 model (configs/zcu102.dts)", ""]
    try:
        out, v = bench.build("zcu102", "configs/zcu102.dts")
    except RuntimeError as e:
        notes.append(f"zcu102: not built: {e}")
        return md + ["not measured (see notes)", ""]
    parts = _partitions(os.path.join(out, "gen", "isolation.md"))
    points, watch = [], {}
    for name, program, cores in parts:
        elf = os.path.join(out, "images", f"{name}.elf")
        sym = "svc_uart_write" if program == "service" else "_write"
        points.append(f"point=out-{name}@{_symbol(bench.NM, elf, sym):#x}")
        watch[name] = cores[0]
    plugin_out = os.path.join(out, "plugin.txt")
    if os.path.exists(plugin_out):
        os.unlink(plugin_out)
    cmd = bench.board.system_command(v, os.path.join(out, "bulkhead.bin"), icount=bench.ICOUNT,
                                     plugin=bench.plugin_args(out, points))
    with open(os.path.join(out, "bulkhead.log"), "w") as log_file:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + RUN_TIMEOUT
        want = [f"point out-{n} cpu {c} " for n, c in watch.items()]
        while p.poll() is None and time.monotonic() < deadline:
            if os.path.exists(plugin_out) and all(w in open(plugin_out).read() for w in want):
                break
            time.sleep(0.2)
        if p.poll() is None:
            p.kill()
        p.wait()
    rep = bench.parse_plugin(plugin_out)
    notes += [f"zcu102: plugin: {e}" for e in rep.errors]
    md += ["| Partition | Cores | Before its first instruction (own) | ... system-wide | "
           "Before its first line (own) | ... system-wide |", "|---|---|---|---|---|---|"]
    for name, _program, cores in parts:
        enter = rep.points.get(("enter", cores[0]))
        first = rep.points.get((f"out-{name}", cores[0]))
        if first is None:
            notes.append(f"zcu102: {name} wrote no line within {RUN_TIMEOUT} s (see {out}/bulkhead.log)")
        md.append(f"| {name} | {', '.join(str(c) for c in cores)} | "
                  f"{enter[1] + 1 if enter else 'never'} | {enter[0] if enter else 'never'} | "
                  f"{first[1] if first else 'never'} | {first[0] if first else 'never'} |")
    md += ["", __doc__.split("\n\n", 1)[1].replace("\n", " "), ""]
    return md
