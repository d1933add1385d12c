"""Write a synthetic curriculum in papergraph's CSV format, at a chosen size.

The graph looks like a big curriculum, not like a random graph:

* papers are dated, more of them every year (exponential growth, 1990–2025),
  and sorted by date, so every ``builds_on`` / ``cites`` edge points back in
  time and the reading order is acyclic by construction;
* a few *foundational* papers (about one in 200) come first and introduce the
  *core* concepts; almost everything else requires some of them, chosen with a
  Zipf skew, so a handful are needed by thousands and most by few;
* the other papers form research *threads* (lognormal sizes, median ~20) that
  run over a few years; a paper builds on earlier papers of its thread and
  requires the concepts its thread introduced before it, rarely a concept of
  another thread;
* about one concept per five papers; a tenth of them are *background*
  (introduced by no paper); concepts require earlier concepts;
* stages: 7 (the guide's count) up to 10k papers, then one per 2,000 papers
  (at most 50); threads fall into stages by when they start, with noise, so
  some prerequisites cross stages backwards, as in the guide.

Every row fills what ``papergraph validate --strict`` asks of a curated row.
The output is deterministic for a given ``--papers`` and ``--seed``.

Example::

    python bench/generate.py --papers 10000 -o bench/data/10k
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import math
import os
import random
import sys
from pathlib import Path

#: Bump when the generator's output changes, so bench/run.py regenerates.
GENERATOR_VERSION = 1

FIRST_YEAR, LAST_YEAR = 1990, 2025
NODE_HEADER = ["id", "kind", "label_en", "label_zh", "aliases", "title", "authors", "year", "date", "venue",
               "arxiv", "url", "order", "weeks_min", "weeks_max", "description_en", "description_zh"]
EDGE_HEADER = ["source", "target", "relation", "note", "note_zh"]

_WORDS = ("attention graph sparse neural latent contrastive recurrent convolutional variational federated "
          "causal robust efficient multimodal generative adaptive hierarchical kernel spectral bayesian "
          "quantized distilled retrieval diffusion transformer memory policy reward vision language speech "
          "tabular temporal geometric symbolic").split()
_NOUNS = ("networks models embeddings estimation inference learning optimisation search alignment decoding "
          "representations agents benchmarks objectives regularisation sampling pretraining transfer").split()
_VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "ICCV", "AAAI", "IJCAI", "JMLR", "TPAMI", "arXiv")
_SURNAMES = ("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Smith Johnson Brown Garcia Miller Davis Martin "
             "Müller Rossi Kim Park Singh Kumar Sato Suzuki Novak Silva Cohen Levi Dubois").split()


def _phrase(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_NOUNS)}"


class _Zipf:
    """Draws indices 0..n-1 with weight 1/(rank+1)**s."""

    def __init__(self, n: int, s: float, rng: random.Random):
        self.rng = rng
        w = [1.0 / (r + 1) ** s for r in range(n)]
        self.cum = list(itertools.accumulate(w))

    def draw(self, limit: int | None = None) -> int:
        top = self.cum[-1] if limit is None else self.cum[max(limit, 1) - 1]
        return bisect.bisect_left(self.cum, self.rng.random() * top)


def generate(n_papers: int, seed: int = 0):
    """Return ``(nodes, edges)``: lists of CSV rows (without headers)."""
    if n_papers < 10:
        raise ValueError("--papers must be at least 10")
    rng = random.Random(seed)
    n_found = max(5, n_papers // 200)
    n_stages = 7 if n_papers <= 10_000 else min(50, n_papers // 2000)
    span = LAST_YEAR - FIRST_YEAR + 1
    k = 0.12  # yearly growth of the number of papers

    def at(q: float) -> float:
        """Time (years since FIRST_YEAR) at which a fraction q of all papers exists."""
        return math.log1p(q * math.expm1(k * span)) / k

    # --- papers: foundational ones early, the rest in threads ------------------
    items = []  # (time, thread, position in thread)
    for i in range(n_found):
        items.append((at(rng.random() * 0.02), -1, i))
    rest = n_papers - n_found
    sizes = []
    while sum(sizes) < rest:
        sizes.append(max(2, min(400, int(rng.lognormvariate(math.log(20), 0.9)))))
    sizes[-1] -= sum(sizes) - rest
    if sizes[-1] < 1:
        sizes.pop()
        sizes[-1] += rest - sum(sizes)
    thread_start = []
    for t, size in enumerate(sizes):
        start = at(0.02 + 0.96 * rng.random())
        length = min(span - start, rng.uniform(1.0, 6.0))
        thread_start.append(start)
        times = sorted(start + length * rng.random() for _ in range(size - 1))
        items.append((start, t, 0))
        items += [(x, t, j + 1) for j, x in enumerate(times)]
    items.sort()
    n = len(items)
    assert n == n_papers, (n, n_papers)
    pid = [f"p{i:06d}" for i in range(n)]
    year = [min(LAST_YEAR, FIRST_YEAR + int(t)) for t, _, _ in items]
    month = [min(12, 1 + int((t - int(t)) * 12)) if FIRST_YEAR + int(t) <= LAST_YEAR else 12
             for t, _, _ in items]
    thread_of = [th for _, th, _ in items]
    members: dict[int, list[int]] = {}
    for i, th in enumerate(thread_of):
        members.setdefault(th, []).append(i)

    # --- stages ------------------------------------------------------------------
    order_of_start = sorted(range(len(sizes)), key=lambda t: thread_start[t])
    stage_of_thread = [0] * len(sizes)
    for r, t in enumerate(order_of_start):
        s = int(n_stages * r / len(sizes))
        if rng.random() < 0.15:
            s += rng.choice((-1, 1))
        stage_of_thread[t] = min(n_stages - 1, max(0, s))
    stage_ids = [f"stage-{s + 1:02d}" for s in range(n_stages)]

    # --- concepts ------------------------------------------------------------------
    n_concepts = max(3, n_papers // 5)
    n_background = max(2, n_concepts // 10)
    background = [f"bg{i:05d}" for i in range(n_background)]
    introducer: dict[str, int] = {}
    concept_rank: dict[str, tuple] = {b: (-1, i) for i, b in enumerate(background)}
    core: list[str] = []  # introduced by foundational papers, in rank order
    thread_concepts: dict[int, list[str]] = {}
    found_papers = members.get(-1, [])
    budget = n_concepts - n_background
    n_core = max(1, min(len(found_papers), budget // 20))
    for p in sorted(rng.sample(found_papers, n_core)):
        c = f"c{len(introducer):06d}"
        introducer[c] = p
        concept_rank[c] = (p, 0)
        core.append(c)
    budget -= n_core
    for t, size in enumerate(sizes):
        if budget <= 0:
            break
        want = min(budget, max(1, round(size * (n_concepts - n_background - n_core) / max(rest, 1))))
        ps = members[t]
        chosen = sorted(rng.sample(ps[:-1] or ps, min(want, max(1, len(ps) - 1))))
        for p in chosen:
            c = f"c{len(introducer):06d}"
            introducer[c] = p
            concept_rank[c] = (p, 0)
            thread_concepts.setdefault(t, []).append(c)
            budget -= 1
    concepts = list(introducer)

    edges: list[list[str]] = []
    seen: set = set()

    def add(s: str, t: str, rel: str, note: str = "", note_zh: str = "") -> None:
        if s == t or (s, t, rel) in seen:
            return
        seen.add((s, t, rel))
        edges.append([s, t, rel, note, note_zh])

    zipf_core = _Zipf(len(core), 1.1, rng)
    zipf_bg = _Zipf(len(background), 1.0, rng)
    zipf_found = _Zipf(len(found_papers), 1.1, rng)
    core_by_introducer = [introducer[c] for c in core]

    def core_before(index: int) -> str | None:
        """A popular core concept introduced by a paper earlier than ``index``."""
        limit = bisect.bisect_left(core_by_introducer, index)
        return core[zipf_core.draw(limit)] if limit else None

    # concept requires concept (only towards lower rank), related_to
    for i, b in enumerate(background):
        if i and rng.random() < 0.3:
            add(b, background[zipf_bg.draw(i)], "requires")
    for c in concepts:
        p = introducer[c]
        th = thread_of[p]
        for _ in range(1 if rng.random() < 0.8 else 2):
            r = rng.random()
            target = None
            if r < 0.45 and th >= 0:
                own = [x for x in thread_concepts.get(th, []) if concept_rank[x] < concept_rank[c]]
                target = own[-1 - min(len(own) - 1, int(rng.expovariate(1.0)))] if own else None
            elif r < 0.85:
                target = core_before(p)
            else:
                target = background[zipf_bg.draw()]
            if target and concept_rank[target] < concept_rank[c]:
                add(c, target, "requires")
        if rng.random() < 0.08:
            other = concepts[rng.randrange(len(concepts))]
            if other != c and (other, c, "related_to") not in seen:
                add(c, other, "related_to")

    # papers: in_stage, introduces, requires, builds_on, cites
    pos_in_thread = {}
    for ps in members.values():
        for j, p in enumerate(ps):
            pos_in_thread[p] = j
    concepts_of_paper: dict[int, list[str]] = {}
    for c, p in introducer.items():
        concepts_of_paper.setdefault(p, []).append(c)
    for i in range(n):
        me = pid[i]
        th = thread_of[i]
        stage = 0 if th < 0 else stage_of_thread[th]
        add(me, stage_ids[stage], "in_stage")
        for c in concepts_of_paper.get(i, []):
            add(me, c, "introduces")
        earlier_own = members.get(th, [])[:pos_in_thread[i]] if th >= 0 else []
        own_concepts = [c for c in thread_concepts.get(th, []) if introducer[c] < i] if th >= 0 else []
        want = 1 + (rng.random() < 0.55) + (rng.random() < 0.2)
        for _ in range(want):
            r = rng.random()
            target = None
            if r < 0.5 and own_concepts:
                target = own_concepts[-1 - min(len(own_concepts) - 1, int(rng.expovariate(0.7)))]
            elif r < 0.88:
                target = core_before(i)
            elif r < 0.97:
                target = background[zipf_bg.draw()]
            elif i > 0:
                q = rng.randrange(i)
                cs = concepts_of_paper.get(q)
                target = cs[0] if cs else None
            if target is not None:
                add(me, target, "requires")
        if earlier_own and rng.random() < 0.55:
            back = min(len(earlier_own), 1 + int(rng.expovariate(1.0)))
            add(me, pid[earlier_own[-back]], "builds_on")
        if found_papers and rng.random() < 0.08:
            q = found_papers[zipf_found.draw()]
            if q < i:
                add(me, pid[q], "builds_on")
        for _ in range(1 + (rng.random() < 0.3)):
            r = rng.random()
            q = None
            if r < 0.4 and earlier_own:
                q = earlier_own[rng.randrange(len(earlier_own))]
            elif r < 0.8 and found_papers:
                q = found_papers[zipf_found.draw()]
            elif i > 0:
                q = rng.randrange(i)
            if q is not None and q < i:
                if rng.random() < 0.2:
                    add(me, pid[q], "cites", "Confirmed in the reference list.", "已在参考文献中核对。")
                else:
                    add(me, pid[q], "cites")
    for a, b in zip(stage_ids, stage_ids[1:]):
        add(a, b, "precedes")

    # --- node rows -----------------------------------------------------------------
    nodes: list[list[str]] = []
    for s, sid in enumerate(stage_ids):
        lo = 1 + s % 3
        nodes.append([sid, "stage", f"Stage {s + 1}", f"第 {s + 1} 阶段", "", "", "", "", "", "", "", "",
                      str(s + 1), str(lo), str(lo + 1 + s % 2),
                      f"Goal of stage {s + 1}: read its papers and master their concepts.",
                      f"第 {s + 1} 阶段的目标：读完本阶段论文并掌握其概念。"])
    listing = [0] * n_stages
    for i in range(n):
        th = thread_of[i]
        stage = 0 if th < 0 else stage_of_thread[th]
        listing[stage] += 1
        words = _phrase(rng)
        authors = "; ".join(f"{rng.choice('ABCDEFGHJKLMNPRSTWXYZ')}. {rng.choice(_SURNAMES)}"
                            for _ in range(1 + rng.randrange(4)))
        arxiv = f"{year[i] % 100:02d}{month[i]:02d}.{rng.randrange(100000):05d}" if year[i] >= 2008 else ""
        nodes.append([
            pid[i], "paper", f"Paper {i}: {words}", f"论文 {i}：{words}",
            f"P{i}" if rng.random() < 0.3 else "",
            f"On {words.capitalize()} ({'foundational' if th < 0 else f'thread {th}'})", authors,
            str(year[i]), f"{year[i]}-{month[i]:02d}", rng.choice(_VENUES), arxiv,
            f"https://example.org/papers/{pid[i]}", str(listing[stage]), "", "",
            f"A synthetic paper on {words}, number {i} of the benchmark curriculum.",
            f"基准课程中的第 {i} 篇合成论文，主题是 {words}。"])
    for c in background + concepts:
        words = _phrase(rng)
        nodes.append([c, "concept", f"{words} ({c})", f"概念 {c}", "", "", "", "", "", "", "", "", "", "", "",
                      f"The idea of {words}.", f"关于 {words} 的概念。"])
    return nodes, edges


def write(out: Path, nodes, edges) -> None:
    """Write both files in full to temporary files beside them, then rename both into place.

    Raises OSError (and leaves no temporary file) when ``out`` cannot be written.
    """
    out.mkdir(parents=True, exist_ok=True)
    done = []
    try:
        for name, header, rows in (("nodes.csv", NODE_HEADER, nodes), ("edges.csv", EDGE_HEADER, edges)):
            tmp = out / f".{name}.{os.getpid()}.tmp"
            done.append((tmp, out / name))
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(header)
                w.writerows(rows)
        for tmp, target in done:
            os.replace(tmp, target)
    finally:
        for tmp, _ in done:
            if tmp.exists():
                tmp.unlink()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, required=True, help="number of papers (at least 10)")
    ap.add_argument("-o", "--out", type=Path, required=True, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = ap.parse_args(argv)
    try:
        nodes, edges = generate(args.papers, args.seed)
    except ValueError as exc:
        ap.error(str(exc))
    try:
        write(args.out, nodes, edges)
    except OSError as exc:
        print(f"{ap.prog}: cannot write into {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{args.out}: {len(nodes)} nodes, {len(edges)} edges", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
