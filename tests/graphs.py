"""Hypothesis strategies for random valid graphs, shared by the tests."""

import csv
import io

from hypothesis import strategies as st

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8).filter(
    lambda s: s[0].isalnum())
labels = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip())


@st.composite
def valid_graphs(draw):
    """A random valid graph: papers with years, concepts, stages; acyclic by construction."""
    n_papers = draw(st.integers(1, 8))
    n_concepts = draw(st.integers(0, 6))
    names = draw(st.lists(ids, min_size=n_papers + n_concepts + 2, max_size=n_papers + n_concepts + 2,
                          unique=True))
    papers, concepts, stages = names[:n_papers], names[n_papers:n_papers + n_concepts], names[-2:]
    years = sorted(draw(st.lists(st.integers(1950, 2025), min_size=n_papers, max_size=n_papers)))
    nodes = [{"id": p, "kind": "paper", "label_en": draw(labels), "label_zh": draw(labels), "year": str(y)}
             for p, y in zip(papers, years)]
    nodes += [{"id": c, "kind": "concept", "label_en": draw(labels), "label_zh": "", "year": ""} for c in concepts]
    nodes += [{"id": s, "kind": "stage", "label_en": f"Stage {i}", "label_zh": "", "year": ""}
              for i, s in enumerate(stages)]
    edges = set()
    # a global rank: paper i and concept j interleave; edges only go "forward" in rank
    rank = {x: draw(st.floats(0, 1)) for x in papers + concepts}
    for p in papers:
        edges.add((p, stages[draw(st.integers(0, 1))], "in_stage"))
    for a in papers + concepts:
        for b in papers + concepts:
            if a == b or rank[a] >= rank[b] or not draw(st.booleans()):
                continue
            # a is read before b
            if a in papers and b in concepts:
                edges.add((a, b, "introduces"))
            elif a in concepts:
                edges.add((b, a, "requires"))
            elif years[papers.index(a)] <= years[papers.index(b)]:
                edges.add((b, a, draw(st.sampled_from(["builds_on", "cites"]))))
    edges.add((stages[0], stages[1], "precedes"))
    return nodes, sorted(edges)


def write(tmp, nodes, edges):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "kind", "label_en", "label_zh", "year"])
    w.writeheader()
    w.writerows(nodes)
    (tmp / "nodes.csv").write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["source", "target", "relation"])
    w.writerows(edges)
    (tmp / "edges.csv").write_text(buf.getvalue(), encoding="utf-8")
