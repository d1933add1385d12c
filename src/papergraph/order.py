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


def _progress(G):
    """A status line on a terminal while a question about a big graph runs (see papergraph.status)."""
    from .status import status

    return status(G)


class CycleError(PapergraphError):
    """The graph has a cycle among the relations that constrain reading order."""


def _stage_rank(G) -> dict[str, float]:
    stages = nodes_of_kind(G, "stage")
    return {s: G.nodes[s].get("order", G.nodes[s].get("row", _BIG)) for s in stages}


def _stage_ranker(G):
    """``rank(stage)``: what ``_stage_rank(G).get(stage, _BIG)`` gives, looked up lazily.

    Only the stages actually asked about are read, so that ordering a few
    papers does not cost a pass over every node of a big graph.
    """
    nodes = G.nodes
    cache: dict[str, float] = {}

    def rank(st):
        try:
            return cache[st]
        except KeyError:
            pass
        data = nodes[st] if st in G else {}
        r = data.get("order", data.get("row", _BIG)) if data.get("kind") == "stage" else _BIG
        cache[st] = r
        return r

    return rank


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
    return _sort_key(G, strategy)


def _sort_key(G, strategy: str, stages: dict | None = None):
    """:func:`sort_key`; ``stages`` (paper → its stage), when given, saves a look-up per paper."""
    if strategy not in STRATEGIES:
        raise PapergraphError(f"unknown strategy {strategy!r} (expected one of: {', '.join(STRATEGIES)})")
    rank = _stage_ranker(G)
    nodes = G.nodes
    chrono = strategy != "guide"

    def key(n):
        data = nodes[n]
        if data.get("kind") != "paper":
            return (0, 0, 0, 0, 0, n)
        st = stage_of(G, n) if stages is None else stages.get(n)
        guide = (rank(st) if st else _BIG, data.get("order", _BIG), data.get("row", _BIG))
        if not chrono:
            return (1, 0, 0) + guide + (n,)
        return (1, data.get("year", _BIG), _month(data)) + guide + (n,)

    return key


def _succ_indeg(G, among, stages: dict | None = None):
    """Successor lists and in-degrees of the 'read before' graph on ``among`` (default: all).

    With ``among=None`` and a ``stages`` dict, also record each node's first
    ``in_stage`` target, as :func:`~papergraph.query.stage_of` would find it.
    """
    succ: dict[str, list[str]] = {}
    indeg: dict[str, int] = {}
    if among is None:
        for n in G:
            succ[n] = []
            indeg[n] = 0
        orders = {name: spec.order for name, spec in schema.RELATIONS.items()}
        for s, t, rel in G.edges(keys=True):
            if stages is not None and rel == "in_stage" and s not in stages:
                stages[s] = t
            how = orders.get(rel)
            if how is None:
                continue
            if how == "source-first":
                succ[s].append(t)
                indeg[t] += 1
            else:
                succ[t].append(s)
                indeg[s] += 1
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
    import networkx as nx

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
    key = _sort_key(G, strategy, stages := ({} if among is None else None))
    succ, indeg = _succ_indeg(G, among, stages)
    # Every key ends with the node's id, so keys are distinct and a node's place
    # in one sorted list is a faithful stand-in for its key in the heap.
    by_rank = sorted(indeg, key=key)
    rank = {n: i for i, n in enumerate(by_rank)}
    heap = [rank[n] for n, d in indeg.items() if d == 0]
    heapq.heapify(heap)
    out = []
    pop, push, append = heapq.heappop, heapq.heappush, out.append
    while heap:
        n = by_rank[pop(heap)]
        append(n)
        for v in succ[n]:
            indeg[v] -= 1
            if indeg[v] == 0:
                push(heap, rank[v])
    if len(out) < len(indeg):
        _raise_cycle(G, among, set(out))
    if papers_only:
        kind = G.nodes
        return [n for n in out if kind[n].get("kind") == "paper"]
    return out


def guide_order(G) -> list[str]:
    """The guide's own order: stage by stage, in listing order (ignores prerequisites)."""
    stages: dict[str, str] = {}
    for s, t, rel in G.edges(keys=True):  # one pass, not a look-up per paper
        if rel == "in_stage" and s not in stages:
            stages[s] = t
    key = _sort_key(G, "guide", stages)
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
    with _progress(G) as say:
        say("finding what can be read next")
        for n in reading_order(G, strategy=strategy, papers_only=False):
            if any(u in blocked or (G.nodes[u].get("kind") == "paper" and u not in read) for u, _ in before(G, n)):
                blocked.add(n)
            elif G.nodes[n].get("kind") == "paper" and n not in read:
                out.append(n)
    return out


#: From this many listed papers, :func:`check_order` first finds in one pass over
#: the graph which of them can have a violation, instead of walking the
#: prerequisites of every one (a long order of a big graph took minutes).
_ONE_PASS_FROM = 500


def _may_violate(G, pos: dict) -> set | None:
    """The listed papers with a prerequisite paper that is unlisted or listed later.

    For every node, in a reading order, the latest position among all its
    prerequisite papers (infinite for an unlisted one). None if the graph has
    a cycle; a listed id that is not a node is kept, for the caller to handle.
    """
    try:
        order = reading_order(G, papers_only=False)
    except CycleError:
        return None
    nodes = G.nodes
    late: dict[str, float] = {}
    for n in order:
        worst = -1.0
        for u, _ in before(G, n):
            w = late[u]
            if nodes[u].get("kind") == "paper":
                w = max(w, pos.get(u, _BIG))
            if w > worst:
                worst = w
        late[n] = worst
    return {p for p in pos if p not in late or late[p] > pos[p]}


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
    with _progress(G if len(pos) >= _ONE_PASS_FROM else ()) as say:
        say(f"checking the order of {len(pos):,} papers")
        check = _may_violate(G, pos) if len(pos) >= _ONE_PASS_FROM else None
        for p in pos:
            if check is not None and p not in check:
                continue
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
    with _progress(G) as say:
        say("checking the guide's order against the prerequisites")
        report = check_order(G, guide_order(G))
        out = []
        for v in report["violations"]:
            chain = why(G, v["needs"], v["paper"]) or v["why"]
            out.append({"paper": v["paper"], "needs": v["needs"], "why": chain,
                        "paper_stage": stage_of(G, v["paper"]), "needs_stage": stage_of(G, v["needs"])})
    return out
