"""Reading orders: valid linear extensions of the prerequisite order.

A *valid reading order* puts every paper after all its prerequisites (see
:mod:`papergraph.query`). Strategies are tie-breaks that choose one valid
order among many; they never override a prerequisite:

``guide``
    the guide's stages, then its listing order within a stage;
``chronological``
    first public version, by month where known (from ``date`` or the arXiv
    id), then the guide's order.

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

import heapq
import re

import networkx as nx

from . import schema
from .errors import PapergraphError
from .query import _walk, before, nodes_of_kind, stage_of, why

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

STRATEGIES = ("guide", "chronological")

_BIG = float("inf")
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")


class CycleError(PapergraphError):
    """The graph has a cycle among the relations that constrain reading order."""


def _stage_rank(G) -> dict[str, float]:
    stages = nodes_of_kind(G, "stage")
    return {s: G.nodes[s].get("order", G.nodes[s].get("row", _BIG)) for s in stages}


def _month(data: dict) -> int:
    date = data.get("date") or ""
    if len(date) >= 7 and date[:4] == str(data.get("year")):
        return int(date[5:7])
    m = _NEW_ARXIV.match(data.get("arxiv") or "")
    if m and 2000 + int(m.group(1)) == data.get("year"):
        return int(m.group(2))
    return 13


def sort_key(G, strategy: str = "guide"):
    """A function mapping a node id to its tie-break key under ``strategy``.

    Non-paper nodes sort first, so that they never hold back a paper.
    """
    if strategy not in STRATEGIES:
        raise PapergraphError(f"unknown strategy {strategy!r} (expected one of: {', '.join(STRATEGIES)})")
    ranks = _stage_rank(G)
    nodes = G.nodes

    def key(n):
        data = nodes[n]
        if data.get("kind") != "paper":
            return (0, 0, 0, 0, 0, n)
        st = stage_of(G, n)
        guide = (ranks.get(st, _BIG) if st else _BIG, data.get("order", _BIG), data.get("row", _BIG))
        if strategy == "guide":
            return (1, 0, 0) + guide + (n,)
        return (1, data.get("year", _BIG), _month(data)) + guide + (n,)

    return key


def _succ_indeg(G, among):
    succ: dict[str, list[str]] = {}
    indeg: dict[str, int] = {}
    if among is None:
        for n in G:
            succ[n] = []
            indeg[n] = 0
        for s, t, rel in G.edges(keys=True):
            spec = schema.RELATIONS.get(rel)
            if spec is None or spec.order is None:
                continue
            u, v = (s, t) if spec.order == "source-first" else (t, s)
            succ[u].append(v)
            indeg[v] += 1
    else:
        for n in among:
            succ.setdefault(n, [])
            indeg.setdefault(n, 0)
        for v in among:
            for u, _ in before(G, v):
                if u in among:
                    succ[u].append(v)
                    indeg[v] += 1
    return succ, indeg


def _raise_cycle(G, among, done):
    left = [n for n in (among if among is not None else G) if n not in done]
    D = nx.DiGraph()
    for v in left:
        for u, rel in before(G, v):
            if u not in done:
                D.add_edge(u, v, relation=rel)
    cyc = nx.find_cycle(D)
    path = " → ".join([cyc[0][0]] + [v for _, v in cyc])
    raise CycleError(f"the reading order has a cycle: {path}")


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
    key = sort_key(G, strategy)
    succ, indeg = _succ_indeg(G, among)
    heap = [(key(n), n) for n, d in indeg.items() if d == 0]
    heapq.heapify(heap)
    out = []
    while heap:
        _, n = heapq.heappop(heap)
        out.append(n)
        for v in succ[n]:
            indeg[v] -= 1
            if indeg[v] == 0:
                heapq.heappush(heap, (key(v), v))
    if len(out) < len(indeg):
        _raise_cycle(G, among, set(out))
    if papers_only:
        kind = G.nodes
        return [n for n in out if kind[n].get("kind") == "paper"]
    return out


def guide_order(G) -> list[str]:
    """The guide's own order: stage by stage, in listing order (ignores prerequisites)."""
    key = sort_key(G, "guide")
    return sorted(nodes_of_kind(G, "paper"), key=key)


def _closure(G, targets) -> set[str]:
    scope: set[str] = set()
    for t in targets:
        scope |= set(_walk(G, t, before))
    return scope


def plan_papers(G, targets=None, read=(), strategy: str = "guide") -> list[str]:
    """The papers to read, in order: the targets and their prerequisites, less ``read``.

    With no targets, every paper of the graph.
    """
    read = set(read)
    if targets:
        order = reading_order(G, among=_closure(G, targets), strategy=strategy)
    else:
        order = reading_order(G, strategy=strategy)
    return [p for p in order if p not in read]


def next_papers(G, read, strategy: str = "guide") -> list[str]:
    """Unread papers whose prerequisites (transitively) are all read."""
    read = set(read)
    blocked: set[str] = set()
    out = []
    for n in reading_order(G, strategy=strategy, papers_only=False):
        if any(u in blocked or (G.nodes[u].get("kind") == "paper" and u not in read) for u, _ in before(G, n)):
            blocked.add(n)
        elif G.nodes[n].get("kind") == "paper" and n not in read:
            out.append(n)
    return out


def check_order(G, papers: list[str], *, complete: bool = False) -> dict:
    """Check an order of paper ids; return the report (see ``papergraph check-order``).

    Every paper listed must come after all of its prerequisites, and a
    prerequisite that the order leaves out is a violation too. With
    ``complete``, every paper of the graph must be listed.
    """
    pos: dict[str, int] = {}
    duplicates = []
    for i, p in enumerate(papers):
        if p in pos:
            duplicates.append(p)
        else:
            pos[p] = i
    violations = []
    for p in pos:
        parent = _walk(G, p, before)
        for q in parent:
            if q == p or G.nodes[q].get("kind") != "paper":
                continue
            if q not in pos or pos[q] > pos[p]:
                chain = []
                x = q
                while x is not None:
                    chain.append(x)
                    x = parent[x]
                violations.append({"paper": p, "needs": q, "why": chain[::-1],
                                   "missing": q not in pos})
    everything = nodes_of_kind(G, "paper")
    missing = [p for p in everything if p not in pos]
    valid = not violations and not duplicates and not (complete and missing)
    return {"valid": valid, "violations": violations, "missing": missing, "duplicates": duplicates}


def stage_conflicts(G) -> list[dict]:
    """Prerequisites that the guide's stage order contradicts.

    Each item names a paper, a prerequisite in a later stage (or later in the
    same stage's listing) and the reason chain.
    """
    report = check_order(G, guide_order(G))
    out = []
    for v in report["violations"]:
        chain = why(G, v["needs"], v["paper"]) or v["why"]
        out.append({"paper": v["paper"], "needs": v["needs"], "why": chain,
                    "paper_stage": stage_of(G, v["paper"]), "needs_stage": stage_of(G, v["needs"])})
    return out
