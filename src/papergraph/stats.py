"""Summary figures of a graph.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("c", kind="concept")
>>> stats(G)["kinds"]["concept"], stats(G)["background"]
(1, ['c'])
"""

from __future__ import annotations

from collections import Counter

from . import schema
from .query import nodes_of_kind

__all__ = ["stats"]


def stats(G) -> dict:
    """Counts by kind, relation and stage; background concepts; flagged papers.

    A query cache's view answers the counts by SQL (``G.counts()``) without
    reading the whole graph; a NetworkX graph is counted directly. Background
    concepts come from the order index either way.
    """
    from .orderindex import index_of

    counts = getattr(G, "counts", None)
    if counts is not None:
        kinds, rels, by_stage, flagged = counts()
    else:
        kinds = Counter(k for _, k in G.nodes(data="kind"))
        rels = Counter(r for _, _, r in G.edges(keys=True))
        by_stage = Counter(t for p, t, r in G.edges(keys=True)
                           if r == "in_stage" and G.nodes[p].get("kind") == "paper")
        flagged = {p: G.nodes[p]["flag"] for p in nodes_of_kind(G, "paper") if G.nodes[p].get("flag")}
    stages = sorted(nodes_of_kind(G, "stage"), key=lambda s: (G.nodes[s].get("order", 0), s))
    ix = index_of(G)
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "kinds": {k: kinds.get(k, 0) for k in schema.KINDS},
        "relations": {r: rels.get(r, 0) for r in schema.RELATIONS},
        "papers_by_stage": {s: by_stage.get(s, 0) for s in stages},
        "background": [ix.ids[i] for i in range(ix.n) if ix.is_concept(i) and not ix.introducers(i)],
        "flagged": flagged,
    }
