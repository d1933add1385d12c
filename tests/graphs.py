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
    # a narrow span, so that papers share years and months (dates decide what may be recommended)
    dates = sorted(draw(st.lists(st.tuples(st.integers(2010, 2014), st.integers(0, 12)),
                                 min_size=n_papers, max_size=n_papers)))
    nodes = [{"id": p, "kind": "paper", "label_en": draw(labels), "label_zh": draw(labels), "year": str(y),
              "date": f"{y}-{m:02d}" if m else ""}
             for p, (y, m) in zip(papers, dates)]
    nodes += [{"id": c, "kind": "concept", "label_en": draw(labels), "label_zh": "", "year": "", "date": ""}
              for c in concepts]
    nodes += [{"id": s, "kind": "stage", "label_en": f"Stage {i}", "label_zh": "", "year": "", "date": ""}
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
                edges.add((a, b, draw(st.sampled_from(["introduces", "introduces", "presents"]))))
            elif a in concepts:
                edges.add((b, a, "requires"))
            elif dates[papers.index(a)] <= dates[papers.index(b)]:
                edges.add((b, a, draw(st.sampled_from(["builds_on", "cites"]))))
    # components ("uses") constrain no order: any paper or concept may use any other concept
    for a in papers + concepts:
        for c in concepts:
            if a != c and draw(st.integers(0, 3)) == 0:
                edges.add((a, c, "uses"))
    edges.add((stages[0], stages[1], "precedes"))
    return nodes, sorted(edges)


def write(tmp, nodes, edges):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "kind", "label_en", "label_zh", "year", "date"])
    w.writeheader()
    w.writerows(nodes)
    (tmp / "nodes.csv").write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["source", "target", "relation"])
    w.writerows(edges)
    (tmp / "edges.csv").write_text(buf.getvalue(), encoding="utf-8")
