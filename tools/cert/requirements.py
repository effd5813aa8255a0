# SPDX-License-Identifier: MIT
"""The requirement catalogue at its two levels, with revisions and fingerprints.

docs/requirements/*.md (README.md only describes the format) holds:

  - system-level safety requirements, "## SR-<NNN>: statement", each with a
    line "Hazards: HAZ-<NN>, ..." naming the hazards of
    docs/safety/hazard-analysis.md it is derived from;
  - software requirements, "## REQ-<AREA>-<NNN>: statement", each with a
    line "Refines: SR-<NNN>, ..." naming the safety requirements it refines.

An ID may carry a revision, "REQ-MEM-002~2"; without one it is revision 1.
The catalogue heading carries the current revision, and whoever names a
requirement (a test's Verifies line, a code tag, a mention) names that one.
tools/cert/requirement-fingerprints.txt records each requirement's revision
and a fingerprint of its statement (heading and text, without the
rationale, Refines and Hazards lines, whitespace-insensitive): a statement
that changes without a revision bump fails the gate, and so does one that
was never recorded (`make cert-fingerprints` records new requirements and
new revisions, never a changed statement at the same revision).

Hazards are "## HAZ-<NN>: hazard" headings of docs/safety/hazard-analysis.md;
one that no safety requirement is derived from must say "Allocated to:
AOU-<n>" (an assumption of use of docs/safety/safety-manual.md, the
integrator's to meet).
"""
import glob
import hashlib
import os
import re

from common import SRCTREE, model_lines

REQ_DIR = os.path.join("docs", "requirements")
HAZARDS = os.path.join("docs", "safety", "hazard-analysis.md")
SAFETY_MANUAL = os.path.join("docs", "safety", "safety-manual.md")
FINGERPRINTS = os.path.join("tools", "cert", "requirement-fingerprints.txt")

# A heading of either level: ID, optional revision, statement.
HEADING = re.compile(r"^## ((?:REQ-[A-Z]+-\d{3})|(?:SR-\d{3}))(?:~(\d+))?: (.+?)\s*$")
HAZ_HEADING = re.compile(r"^## (HAZ-\d{2}): (.+?)\s*$")
# Well-formed references (with an optional revision).
REQ_REF = re.compile(r"^(REQ-[A-Z]+-\d{3})(?:~([1-9]\d*))?$")
SR_REF = re.compile(r"^(SR-\d{3})(?:~([1-9]\d*))?$")
HAZ_REF = re.compile(r"^HAZ-\d{2}$")
AOU_REF = re.compile(r"\bAOU-\d+\b")
# Anything that looks like a requirement, safety requirement or hazard ID,
# well-formed or not, with whatever revision suffix follows it.
MENTION = re.compile(r"\b(?:REQ|SR|HAZ)-[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*(?:~[A-Za-z0-9_]*)?", re.I)
# In the safety documents only full-form IDs are checked (they also write
# families such as "REQ-MEM-*").
FULL_MENTION = re.compile(r"\b(?:REQ-[A-Z]+-\d{3}|SR-\d{3}|HAZ-\d{2})(?:~\d+)?\b")
MD_HEADING = re.compile(r"^ {0,3}#")
LINK_LINE = re.compile(r"^(Refines|Hazards):\s*(.*)$")


def split_ids(text):
    return [t.strip() for t in re.split(r"[,\s]+", text.strip().rstrip(".")) if t.strip()]


def parse_ref(token):
    """(id, revision) of a well-formed reference to a requirement of either
    level, revision 1 when none is written; None when malformed."""
    m = REQ_REF.match(token) or SR_REF.match(token)
    if not m:
        return None
    return m.group(1), int(m.group(2) or 1)


def fingerprint(title, lines):
    """The statement's fingerprint: heading title and text, whitespace-insensitive."""
    text = " ".join([title] + lines)
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def _read(relpath):
    path = os.path.join(SRCTREE, relpath)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().split("\n")


def load_hazards(problems):
    """{HAZ id: {"id", "title", "line", "allocated": [AOU ids]}} from the hazard analysis."""
    hazards = {}
    lines = _read(HAZARDS)
    if lines is None:
        problems.append(f"{HAZARDS} is missing: safety requirements must be derived from hazards")
        return hazards
    cur = None
    for n, line in enumerate(lines, 1):
        m = HAZ_HEADING.match(line)
        if m:
            if m.group(1) in hazards:
                problems.append(f"{HAZARDS}:{n}: {m.group(1)} defined twice")
            cur = {"id": m.group(1), "title": m.group(2), "line": n, "allocated": [], "listed": None}
            hazards[cur["id"]] = cur
            continue
        if MD_HEADING.match(line):
            if re.search(r"\bHAZ-", line) and line.startswith("## "):
                problems.append(f"{HAZARDS}:{n}: malformed hazard heading {line.strip()!r} "
                                "(a hazard is '## HAZ-<NN>: hazard')")
            cur = None
            continue
        if cur is not None and line.startswith("Allocated to:"):
            cur["allocated"] += AOU_REF.findall(line)
        if cur is not None and line.startswith("Safety requirements:"):
            cur["listed"] = sorted(set(re.findall(r"\bSR-\d{3}\b", line)))
    return hazards


def load_aous():
    lines = _read(SAFETY_MANUAL) or []
    return {m for line in lines for m in re.findall(r"^\|\s*(AOU-\d+)\s*\|", line)}


def load_catalogue():
    """(requirements, problems): {id: {...}} of both levels.

    Each entry: id, level ("REQ" or "SR"), revision, statement (heading
    title), fingerprint, file, line, withdrawn, refines (REQ), hazards (SR).
    No line of the catalogue that mentions an ID is ignored: a heading that
    names one must be exactly '## <ID>[~<rev>]: statement', and any other
    mention must name a defined requirement at its current revision (or a
    hazard the hazard analysis defines)."""
    reqs, problems, mentions = {}, [], []
    hazards = load_hazards(problems)
    for path in sorted(glob.glob(os.path.join(SRCTREE, REQ_DIR, "*.md"))):
        relpath = os.path.relpath(path, SRCTREE)
        defines = os.path.basename(path) != "README.md"
        cur = None
        in_rationale = False
        with open(path) as f:
            for n, line in enumerate(f.read().split("\n"), 1):
                m = HEADING.match(line)
                if m and defines:
                    rid = m.group(1)
                    if rid in reqs:
                        problems.append(f"{relpath}:{n}: {rid} defined twice")
                    cur = {"id": rid, "level": "SR" if rid.startswith("SR-") else "REQ",
                           "revision": int(m.group(2) or 1), "statement": m.group(3), "text": [],
                           "file": relpath, "line": n, "withdrawn": False, "refines": [], "hazards": []}
                    reqs[rid] = cur
                    in_rationale = False
                    continue
                ids = MENTION.findall(line)
                if MD_HEADING.match(line):
                    cur = None
                    if ids or re.search(r"\bREQ\b|\bSR[- ]?\d", line, re.I):
                        where = "a requirement heading" if defines else ("a requirement heading outside an "
                                                                         "area file (docs/requirements/<area>.md)")
                        problems.append(f"{relpath}:{n}: malformed {where}: {line.strip()!r} "
                                        "(a requirement is '## REQ-<AREA>-<NNN>: statement' or "
                                        "'## SR-<NNN>: statement', optionally with '~<revision>' after the ID)")
                    continue
                if ids and re.match(r"^\s*(?:REQ|SR)-[\w~-]+\s*:", line, re.I):
                    problems.append(f"{relpath}:{n}: requirement heading without '## ': {line.strip()!r}")
                    continue
                link = LINK_LINE.match(line)
                if link and cur is not None:
                    _link(cur, link.group(1), split_ids(link.group(2)), relpath, n, problems)
                    mentions += [(relpath, n, t) for t in split_ids(link.group(2))]
                    continue
                if link:
                    problems.append(f"{relpath}:{n}: '{link.group(1)}:' outside a requirement")
                mentions += [(relpath, n, t) for t in ids]
                if cur is None:
                    continue
                if "**Withdrawn**" in line:
                    cur["withdrawn"] = True
                if line.startswith("Rationale:"):
                    in_rationale = True
                if not in_rationale and line.strip():
                    cur["text"].append(line)
    for r in reqs.values():
        r["fingerprint"] = fingerprint(r["statement"], r.pop("text"))
    problems += _check_mentions(mentions, reqs, hazards)
    problems += _check_levels(reqs, hazards)
    return reqs, hazards, problems


def _link(cur, kind, tokens, relpath, n, problems):
    want = "REQ" if kind == "Refines" else "SR"
    if cur["level"] != want:
        problems.append(f"{relpath}:{n}: {cur['id']}: '{kind}:' belongs to "
                        + ("a software requirement" if kind == "Refines" else "a safety requirement"))
        return
    if not tokens:
        problems.append(f"{relpath}:{n}: {cur['id']}: empty '{kind}:' line")
    cur["refines" if kind == "Refines" else "hazards"] += tokens


def check_reference(token, reqs):
    """What is wrong with a reference to a requirement: None, or a problem text."""
    ref = parse_ref(token)
    if ref is None:
        return f"malformed requirement ID '{token}' (REQ-<AREA>-<NNN> or SR-<NNN>, optionally ~<revision>)"
    rid, rev = ref
    if rid not in reqs:
        return f"names unknown requirement {rid}"
    cur = reqs[rid]["revision"]
    if rev != cur:
        return (f"names {rid} revision {rev}, but the catalogue has revision {cur}: check it against the "
                f"current statement and name {rid}~{cur}" if rev < cur else
                f"names {rid} revision {rev}, which the catalogue does not have (it is at revision {cur})")
    return None


def _check_mentions(mentions, reqs, hazards):
    problems = []
    for relpath, n, token in mentions:
        if token.upper().startswith("HAZ-"):
            if not HAZ_REF.match(token):
                problems.append(f"{relpath}:{n}: malformed hazard ID '{token}' (HAZ-<NN>)")
            elif token not in hazards:
                problems.append(f"{relpath}:{n}: mentions {token}, which {HAZARDS} does not define")
            continue
        p = check_reference(token, reqs)
        if p and p.startswith("names unknown"):
            rid = parse_ref(token)[0]
            p = f"mentions {rid}, which no '## {rid}: ...' heading defines"
        if p:
            problems.append(f"{relpath}:{n}: {p}")
    return problems


def _check_levels(reqs, hazards):
    """Both ways between the levels: every software requirement refines a
    safety requirement, every safety requirement is refined by one and
    derived from a hazard, every hazard has a safety requirement or an
    assumption of use."""
    problems = []
    active = {rid: r for rid, r in reqs.items() if not r["withdrawn"]}
    refined_by = {rid: [] for rid, r in reqs.items() if r["level"] == "SR"}
    for rid, r in sorted(active.items()):
        where = f"{r['file']}:{r['line']}"
        if r["level"] == "REQ":
            if not r["refines"]:
                problems.append(f"{where}: {rid} refines no safety requirement (add 'Refines: SR-<NNN>')")
            for t in r["refines"]:
                ref = parse_ref(t)
                if ref and ref[0] in refined_by:
                    refined_by[ref[0]].append(rid)
                    if reqs[ref[0]]["withdrawn"]:
                        problems.append(f"{where}: {rid} refines withdrawn {ref[0]}")
                elif ref and ref[0] in reqs:
                    problems.append(f"{where}: {rid}: 'Refines:' names {ref[0]}, a software requirement")
        else:
            if not r["hazards"]:
                problems.append(f"{where}: {rid} is derived from no hazard (add 'Hazards: HAZ-<NN>')")
    for sid, subs in sorted(refined_by.items()):
        r = reqs[sid]
        if not r["withdrawn"] and not subs:
            problems.append(f"{r['file']}:{r['line']}: {sid} is refined by no software requirement")
        r["refined_by"] = sorted(subs)
    addressed = {h for r in active.values() if r["level"] == "SR" for h in r["hazards"]}
    aous = load_aous()
    for hid, h in sorted(hazards.items()):
        for a in h["allocated"]:
            if a not in aous:
                problems.append(f"{HAZARDS}:{h['line']}: {hid} is allocated to {a}, which {SAFETY_MANUAL} "
                                "does not define")
        if hid not in addressed and not h["allocated"]:
            problems.append(f"{HAZARDS}:{h['line']}: {hid} has no safety requirement derived from it and is "
                            "allocated to no assumption of use ('Allocated to: AOU-<n>')")
        h["requirements"] = sorted(r["id"] for r in active.values() if hid in r["hazards"])
        if h["listed"] is not None and h["listed"] != h["requirements"]:
            problems.append(f"{HAZARDS}:{h['line']}: {hid} lists safety requirements " + (", ".join(h["listed"]) or
                            "none") + ", but those naming it on their 'Hazards:' line are "
                            + (", ".join(h["requirements"]) or "none"))
    return problems


def check_safety_docs(reqs, hazards):
    """Every full-form ID the safety documents (docs/safety/*.md) mention is
    defined, at its current revision when one is written."""
    problems = []
    for path in sorted(glob.glob(os.path.join(SRCTREE, "docs", "safety", "*.md"))):
        relpath = os.path.relpath(path, SRCTREE)
        with open(path) as f:
            for n, line in enumerate(f.read().split("\n"), 1):
                if HAZ_HEADING.match(line) and relpath == HAZARDS:
                    continue
                for token in FULL_MENTION.findall(line):
                    if token.startswith("HAZ-"):
                        if token not in hazards:
                            problems.append(f"{relpath}:{n}: mentions {token}, which {HAZARDS} does not define")
                        continue
                    p = check_reference(token, reqs)
                    if p:
                        problems.append(f"{relpath}:{n}: {p}")
    return problems


# ---- statement fingerprints ---------------------------------------------------

def load_fingerprints(path=None):
    """{id: (revision, fingerprint)} and the problems of the file itself."""
    path = path or os.path.join(SRCTREE, FINGERPRINTS)
    recorded, problems = {}, []
    if not os.path.exists(path):
        return recorded, [f"{FINGERPRINTS} is missing (make cert-fingerprints writes it)"]
    for n, _, body in model_lines(path):
        if len(body) != 3 or not body[1].isdigit() or not re.match(r"^[0-9a-f]{16}$", body[2]):
            problems.append(f"{FINGERPRINTS}:{n}: expected '<ID> <revision> <fingerprint>'")
            continue
        recorded[body[0]] = (int(body[1]), body[2])
    return recorded, problems


def check_fingerprints(reqs, recorded):
    problems = []
    for rid, r in sorted(reqs.items()):
        rev, fp = r["revision"], r["fingerprint"]
        where = f"{r['file']}:{r['line']}"
        if rid not in recorded:
            problems.append(f"{where}: {rid} has no recorded statement fingerprint: run `make cert-fingerprints` "
                            f"and commit {FINGERPRINTS}")
            continue
        rrev, rfp = recorded[rid]
        if rrev == rev and rfp != fp:
            problems.append(f"{where}: the statement of {rid} changed without a revision bump: write "
                            f"'## {rid}~{rev + 1}: ...', make the tests that verify it name {rid}~{rev + 1} "
                            "once they check the new statement, then run `make cert-fingerprints`")
        elif rrev < rev:
            problems.append(f"{where}: {rid} is at revision {rev}, the record at {rrev}: run "
                            "`make cert-fingerprints` to record the new statement")
        elif rrev > rev:
            problems.append(f"{where}: {rid} went back from revision {rrev} to {rev} (revisions only go up)")
    for rid in sorted(set(recorded) - set(reqs)):
        problems.append(f"{FINGERPRINTS}: {rid} is no longer in the catalogue (a requirement is withdrawn, "
                        "never deleted)")
    return problems


def record_fingerprints(reqs, recorded, path=None):
    """Records new requirements and new revisions; refuses (returns the
    problems, writes nothing) a changed statement at a recorded revision, a
    revision that went down and a requirement that disappeared."""
    path = path or os.path.join(SRCTREE, FINGERPRINTS)
    refused = [p for p in check_fingerprints(reqs, recorded)
               if "without a revision bump" in p or "went back" in p or "no longer in" in p]
    if refused:
        return refused
    lines = ["# Statement fingerprints of the requirement catalogue (tools/cert/requirements.py).",
             "# <ID> <revision> <fingerprint>. Written by `make cert-fingerprints`, which records new",
             "# requirements and new revisions only: a statement that changes keeps failing the",
             "# traceability gate until its revision is bumped. Never edit by hand."]
    for rid in sorted(reqs, key=lambda i: (i.split("-")[0], i)):
        lines.append(f"{rid} {reqs[rid]['revision']} {reqs[rid]['fingerprint']}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return []
