"""Reading orders: valid linear extensions of the prerequisite order.

A *valid reading order* puts every paper after all its prerequisites (see
:mod:`papergraph.query`). Strategies are tie-breaks that choose one valid
order among many; they never override a prerequisite:

``guide``
    the guide's stages, then its listing order within a stage;
``chronological``
    first public version, by month where known (from ``date`` or the arXiv
    id), then the guide's order.

The rules are implemented once, in :mod:`papergraph.core`; this module
speaks node ids around them.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("s1", {"kind": "stage", "order": 1}), ("s2", {"kind": "stage", "order": 2}),
...                   ("old", {"kind": "paper", "year": 2015}), ("new", {"kind": "paper", "year": 2017})])
>>> for p, s in [("old", "s2"), ("new", "s1")]:
...     _ = G.add_edge(p, s, "in_stage", relation="in_stage")
>>> reading_order(G, strategy="guide")
['new', 'old']
>>> reading_order(G, strategy="chronological")
['old', 'new']
>>> _ = G.add_edge("new", "old", "builds_on", relation="builds_on")
>>> reading_order(G, strategy="guide")
['old', 'new']
>>> stage_conflicts(G)[0]["paper"], stage_conflicts(G)[0]["needs"]
('new', 'old')
"""

from __future__ import annotations

from . import core
from .core import CycleError
from .orderindex import STRATEGIES, index_of
from .orderindex import sort_key as _node_key
from .query import stage_of

__all__ = [
    "STRATEGIES",
    "CycleError",
    "sort_key",
    "reading_order",
    "guide_order",
    "plan_papers",
    "next_papers",
    "check_order",
    "stage_conflicts",
]

_BIG = float("inf")


def _progress(G):
    """A status line on a terminal while a question about a big graph runs (see papergraph.status)."""
    from .status import status

    return status(G)


def _check(strategy: str) -> None:
    from .errors import PapergraphError

    if strategy not in STRATEGIES:
        raise PapergraphError(f"unknown strategy {strategy!r} (expected one of: {', '.join(STRATEGIES)})")


def sort_key(G, strategy: str = "guide"):
    """A function mapping a node id to its tie-break key under ``strategy``.

    Non-paper nodes sort first, so that they never hold back a paper.
    """
    _check(strategy)
    ix = index_of(G)
    rank = getattr(ix, f"pull_{strategy}")
    nodes = G.nodes

    def key(n):
        i = ix.position(n)
        return (rank[i],) if i is not None else (_node_key(nodes[n], n, _BIG, strategy),)

    return key


def _ids(ix, xs) -> list[str]:
    ids = ix.ids
    return [ids[x] for x in xs]


def _positions(ix, nodes) -> list[int]:
    out = []
    for n in nodes:
        i = ix.position(n)
        if i is None:
            raise KeyError(n)
        out.append(i)
    return out


def reading_order(G, *, among=None, strategy: str = "guide", papers_only: bool = True) -> list[str]:
    """A valid reading order, deterministic for a given graph and strategy.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    among : set of str, optional
        Order only these nodes. Constraints that run through nodes outside
        ``among`` are not seen, so pass a set closed under the chains you
        care about (for instance all ancestors of some targets).
    strategy : {"guide", "chronological"}
    papers_only : bool
        Return only papers (concepts and stages are ordered, then dropped).

    Raises
    ------
    CycleError
        If the prerequisite relations form a cycle.
    """
    _check(strategy)
    ix = index_of(G)
    scope = None if among is None else set(_positions(ix, among))
    return _ids(ix, core.reading_order(ix, among=scope, strategy=strategy, papers_only=papers_only))


def guide_order(G) -> list[str]:
    """The guide's own order: stage by stage, in listing order (ignores prerequisites)."""
    ix = index_of(G)
    return _ids(ix, core.guide_order(ix))


def plan_papers(G, targets=None, read=(), strategy: str = "guide") -> list[str]:
    """The papers to read, in order: the targets and their prerequisites, less ``read``.

    With no targets, every paper of the graph.
    """
    _check(strategy)
    ix = index_of(G)
    read = [i for i in map(ix.position, read) if i is not None]
    return _ids(ix, core.plan(ix, _positions(ix, targets or ()), read, strategy))


def next_papers(G, read, strategy: str = "guide") -> list[str]:
    """Unread papers whose prerequisites (transitively) are all read."""
    _check(strategy)
    ix = index_of(G)
    with _progress(G) as say:
        say("finding what can be read next")
        read = [i for i in map(ix.position, read) if i is not None]
        return _ids(ix, core.next_papers(ix, read, strategy))


def check_order(G, papers: list[str], *, complete: bool = False) -> dict:
    """Check an order of paper ids; return the report (see ``papergraph check-order``).

    Every paper listed must come after all of its prerequisites, and a
    prerequisite that the order leaves out is a violation too. With
    ``complete``, every paper of the graph must be listed.
    """
    ix = index_of(G)
    with _progress(G if len(papers) >= core.ONE_PASS_FROM else ()) as say:
        say(f"checking the order of {len(papers):,} papers")
        r = core.check_order(ix, _positions(ix, papers), complete=complete)
    ids = ix.ids
    return {"valid": r["valid"],
            "violations": [{"paper": ids[v["paper"]], "needs": ids[v["needs"]], "why": _ids(ix, v["why"]),
                            "missing": v["missing"]} for v in r["violations"]],
            "missing": _ids(ix, r["missing"]), "duplicates": _ids(ix, r["duplicates"])}


def stage_conflicts(G) -> list[dict]:
    """Prerequisites that the guide's stage order contradicts.

    Each item names a paper, a prerequisite in a later stage (or later in the
    same stage's listing) and the reason chain.
    """
    ix = index_of(G)
    with _progress(G) as say:
        say("checking the guide's order against the prerequisites")
        out = []
        for c in core.stage_conflicts(ix):
            paper, needs = ix.ids[c["paper"]], ix.ids[c["needs"]]
            out.append({"paper": paper, "needs": needs, "why": _ids(ix, c["why"]),
                        "paper_stage": stage_of(G, paper), "needs_stage": stage_of(G, needs)})
    return out
