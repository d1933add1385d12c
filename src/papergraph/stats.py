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
from .query import introducers, nodes_of_kind

__all__ = ["stats"]


def stats(G) -> dict:
    """Counts by kind, relation and stage; background concepts; flagged papers."""
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    rels = Counter(r for _, _, r in G.edges(keys=True))
    stages = sorted(nodes_of_kind(G, "stage"), key=lambda s: (G.nodes[s].get("order", 0), s))
    by_stage = {s: sum(1 for p, _, r in G.in_edges(s, keys=True) if r == "in_stage" and G.nodes[p].get("kind") == "paper")
                for s in stages}
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "kinds": {k: kinds.get(k, 0) for k in schema.KINDS},
        "relations": {r: rels.get(r, 0) for r in schema.RELATIONS},
        "papers_by_stage": by_stage,
        "background": [c for c in nodes_of_kind(G, "concept") if not introducers(G, c)],
        "flagged": {p: G.nodes[p]["flag"] for p in nodes_of_kind(G, "paper") if G.nodes[p].get("flag")},
    }
