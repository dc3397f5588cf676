#!/usr/bin/env python3
"""Helpers for scripts/bench-align.sh (standard library + PyPI galechurch only).

  bench_align.py galechurch SRC TGT OUT      align with PyPI galechurch, write vecalign beads
  bench_align.py scale N DIR [SEED]          build a perturbed N-sentence-a-side text pair from
                                             Text+Berg ($TEXTBERG_DIR, default
                                             ../shared/data/textberg-de-fr beside the repo): DIR/src, DIR/tgt, DIR/gold

The Text+Berg files are GPL-2 and are only read, never copied into the repository.
"""
import os
import random
import re
import sys

# ../shared/data beside the repository unless TEXTBERG_DIR says otherwise.
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXTBERG = os.environ.get(
    "TEXTBERG_DIR", os.path.join(REPO, "..", "shared", "data", "textberg-de-fr")
)
DOCS = ["dev"] + [f"test{i}" for i in range(7)]


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def parse_beads(path):
    beads = []
    for line in read_lines(path):
        m = re.match(r"\[([^\]]*)\]:\[([^\]]*)\]", line.strip())
        if not m:
            continue
        side = lambda s: [int(x) for x in s.split(",") if x.strip()]
        beads.append((side(m.group(1)), side(m.group(2))))
    return beads


def galechurch_align(src_path, tgt_path, out_path):
    import galechurch

    src, tgt = read_lines(src_path), read_lines(tgt_path)
    # galechurch fills the full n x m grid; its default refuses more than 50M cells.
    block = galechurch.align(src, tgt, max_block_size=(len(src) + 1) * (len(tgt) + 1))
    with open(out_path, "w", encoding="utf-8") as out:
        for b in block.beads:
            s = ",".join(str(i) for i in range(b.source_start, b.source_end))
            t = ",".join(str(j) for j in range(b.target_start, b.target_end))
            out.write(f"[{s}]:[{t}]\n")


def gold_units():
    """Every gold bead of dev and test as (source sentences, target sentences) texts; the few
    sentences outside any gold bead are left out."""
    units = []
    for doc in DOCS:
        de = read_lines(f"{TEXTBERG}/{doc}.de")
        fr = read_lines(f"{TEXTBERG}/{doc}.fr")
        for s, t in parse_beads(f"{TEXTBERG}/{doc}.defr"):
            units.append(([de[i] for i in s], [fr[j] for j in t]))
    return units


def perturb(unit, rng):
    """Drops (8 %), merges (5 %) or leaves a unit alone; swaps are done by the caller."""
    src, tgt = unit
    r = rng.random()
    if r < 0.04 and src and tgt:
        return (src, [])  # target sentences dropped: source becomes unpaired
    if r < 0.08 and src and tgt:
        return ([], tgt)  # source sentences dropped
    if r < 0.13 and len(tgt) >= 2:
        return (src, [" ".join(tgt)])  # target sentences merged into one
    return unit


def scale(n, out_dir, seed):
    rng = random.Random(seed)
    units = gold_units()
    os.makedirs(out_dir, exist_ok=True)
    src_out = open(f"{out_dir}/src", "w", encoding="utf-8")
    tgt_out = open(f"{out_dir}/tgt", "w", encoding="utf-8")
    gold_out = open(f"{out_dir}/gold", "w", encoding="utf-8")
    ns = nt = 0
    pending = None
    k = 0
    # Stops when the longer side reaches n sentences, as a real text pair would end.
    while ns < n and nt < n:
        # The documents are concatenated in order (again and again), so repeated text is
        # always about 2,000 sentences away.
        unit = perturb(units[k % len(units)], rng)
        k += 1
        # Swap: two adjacent 1-1 units exchange their target sentences' order; the pair
        # becomes one 2-2 bead.
        if pending is None and len(unit[0]) == 1 and len(unit[1]) == 1 and rng.random() < 0.03:
            pending = unit
            continue
        if pending is not None:
            if len(unit[0]) == 1 and len(unit[1]) == 1:
                unit = (pending[0] + unit[0], unit[1] + pending[1])
            else:
                write_unit(pending, src_out, tgt_out, gold_out, ns, nt)
                ns, nt = ns + len(pending[0]), nt + len(pending[1])
            pending = None
        if ns + len(unit[0]) > n or nt + len(unit[1]) > n:
            unit = (unit[0][: n - ns], unit[1][: n - nt])
            if not unit[0] and not unit[1]:
                continue
        write_unit(unit, src_out, tgt_out, gold_out, ns, nt)
        ns, nt = ns + len(unit[0]), nt + len(unit[1])
    for f in (src_out, tgt_out, gold_out):
        f.close()


def write_unit(unit, src_out, tgt_out, gold_out, ns, nt):
    src, tgt = unit
    for s in src:
        src_out.write(s + "\n")
    for t in tgt:
        tgt_out.write(t + "\n")
    if src or tgt:
        s = ",".join(str(ns + k) for k in range(len(src)))
        t = ",".join(str(nt + k) for k in range(len(tgt)))
        gold_out.write(f"[{s}]:[{t}]\n")


def main(argv):
    if len(argv) >= 4 and argv[0] == "galechurch":
        galechurch_align(argv[1], argv[2], argv[3])
    elif len(argv) >= 3 and argv[0] == "scale":
        scale(int(argv[1]), argv[2], int(argv[3]) if len(argv) > 3 else 1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
