#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`make fuzz`: each fuzz target for FUZZ_RUNS executions, then its corpus minimised.

For each target (tests/fuzz/build.mk builds them into $(O)/fuzz/): the
committed corpus (tests/fuzz/corpus/<target>/), its regression inputs
(tests/fuzz/regressions/<target>/) and, for bhcc, every system description
of the project compiled to a blob are the starting inputs; new inputs go to
$(O)/fuzz/new/<target>/, and `-merge=1` then rewrites the committed corpus
with the smallest set of inputs that keeps all the edges covered. A crash is
copied into the regression folder (so it cannot be lost) and fails the run:
fix the code, give the input a name that says what it found, commit both.

    tests/fuzz/fuzz.py --build build --runs 1000000 bhcc hypercall arm64_traps
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ_DIR = os.path.join(SRCTREE, "tests", "fuzz")

# Per target: the largest input, and the seconds of the quick run in `make test`.
TARGETS = {
    "bhcc": {"max_len": 16384, "quick_s": 8},
    "hypercall": {"max_len": 2048, "quick_s": 4},
    "arm64_traps": {"max_len": 4096, "quick_s": 6},
}


def corpus_dir(target):
    return os.path.join(FUZZ_DIR, "corpus", target)


def regression_dir(target):
    return os.path.join(FUZZ_DIR, "regressions", target)


def open_findings(target):
    """[(regression file, skip flag, expected message)] of the target's findings not fixed yet
    (tests/fuzz/open-findings.txt)."""
    out = []
    with open(os.path.join(FUZZ_DIR, "open-findings.txt")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            t, name, flag, message = line.split(None, 3)
            if t == target:
                out.append((name, flag, message.strip('"')))
    return out


def environment(target):
    """The target's environment: FUZZ_OPEN names the operations of open findings to leave out."""
    env = dict(os.environ)
    env["FUZZ_OPEN"] = ",".join(flag for _, flag, _ in open_findings(target))
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    return env


def compile_seeds(build):
    """bhcc's seeds: every .dts of the project through cpp and dtc, as the build compiles one."""
    out = os.path.join(build, "fuzz", "seeds", "bhcc")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sources = []
    for pattern in ("configs/*.dts", "tests/system/configs/*.dts", "tests/bench/configs/*.dts",
                    "tests/unit/configc/*.dts"):
        sources += sorted(glob.glob(os.path.join(SRCTREE, pattern)))
    for src in sources:
        name = os.path.relpath(src, SRCTREE).replace("/", "_")[:-4] + ".dtb"
        pp = subprocess.run(["cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-I", "configs", "-I",
                             "include", "-I", os.path.dirname(src), src], cwd=SRCTREE, capture_output=True)
        if pp.returncode == 0:
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", os.path.join(out, name)],
                           input=pp.stdout, check=True)
    return out


def stats(output):
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", output)
    return int(runs[-1]) if runs else 0


def crash_file(output):
    m = re.search(r"Test unit written to (\S+)", output)
    return m.group(1) if m else None


def fuzz_target(build, target, runs):
    """Runs one target; returns (executions, seconds, crash file or None)."""
    binary = os.path.join(build, "fuzz", target)
    new = os.path.join(build, "fuzz", "new", target)
    shutil.rmtree(new, ignore_errors=True)
    os.makedirs(new)
    os.makedirs(corpus_dir(target), exist_ok=True)
    inputs = [new, corpus_dir(target)]
    if os.path.isdir(regression_dir(target)):
        inputs.append(regression_dir(target))
    if target == "bhcc":
        inputs.append(compile_seeds(build))
    artifacts = os.path.join(build, "fuzz", "crashes", target) + os.sep
    os.makedirs(artifacts, exist_ok=True)
    start = time.monotonic()
    r = subprocess.run([binary] + inputs + [f"-runs={runs}", f"-max_len={TARGETS[target]['max_len']}",
                                            f"-artifact_prefix={artifacts}", "-print_final_stats=1"],
                       env=environment(target), capture_output=True, text=True)
    seconds = time.monotonic() - start
    output = r.stdout + r.stderr
    crash = crash_file(output) if r.returncode != 0 else None
    if r.returncode != 0:
        sys.stderr.write(output[-6000:])
        if crash:
            os.makedirs(regression_dir(target), exist_ok=True)
            shutil.copy(crash, regression_dir(target))
        else:
            crash = f"exit status {r.returncode} without a crash file"
    return stats(output), seconds, crash


def merge(build, target):
    """Rewrites the committed corpus as libFuzzer's minimal cover of it and the new inputs."""
    binary = os.path.join(build, "fuzz", target)
    merged = tempfile.mkdtemp(dir=os.path.join(build, "fuzz"))
    sources = [corpus_dir(target), os.path.join(build, "fuzz", "new", target)]
    if target == "bhcc":
        sources.append(os.path.join(build, "fuzz", "seeds", "bhcc"))
    # Edges only, not their hit counts: a tenth of the inputs for the same code reached.
    subprocess.run([binary, "-merge=1", "-use_counters=0", f"-max_len={TARGETS[target]['max_len']}", merged] + sources,
                   env=environment(target), check=True, capture_output=True)
    shutil.rmtree(corpus_dir(target))
    shutil.move(merged, corpus_dir(target))
    os.chmod(corpus_dir(target), 0o755)
    return len(os.listdir(corpus_dir(target)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--runs", type=int, default=1000000)
    ap.add_argument("targets", nargs="+", choices=sorted(TARGETS))
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    failed = False
    rows = []
    for target in a.targets:
        before = len(os.listdir(corpus_dir(target))) if os.path.isdir(corpus_dir(target)) else 0
        runs, seconds, crash = fuzz_target(build, target, a.runs)
        after = merge(build, target) if not crash else before
        rows.append((target, runs, seconds, before, after, crash or "none"))
        failed = failed or bool(crash)
    print(f"{'target':<12} {'executions':>11} {'seconds':>8} {'exec/s':>7} {'corpus':>13}  crash")
    for target, runs, seconds, before, after, crash in rows:
        print(f"{target:<12} {runs:>11} {seconds:>8.0f} {runs / max(seconds, 1e-9):>7.0f} {before:>6} -> {after:<5}  {crash}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
