"""The prerequisite core: reading-order semantics, implemented once, over an :class:`~papergraph.orderindex.OrderIndex`.

Semantics
---------
Node ``u`` must be read before ``v`` when an edge of a relation whose
:attr:`~papergraph.schema.Relation.order` is set joins them (``requires``,
``builds_on``, ``introduces``, ``presents``, ``precedes`` …). Paper Q is a
*prerequisite* of paper P when Q must be read before P, directly or through
a chain of such edges (P builds on Q; or P requires a concept, directly or
through concepts it requires, that Q introduces or presents). A concept that
no paper introduces is *background*. Every answer carries one shortest
*reason chain*.

A *component* is a concept the paper ``uses`` (a relation with
:attr:`~papergraph.schema.Relation.component` set): a building block that
can be learned from any textbook. The papers that introduce a paper's own
components are *recommended*, never required: only those published no later
than the paper, not already prerequisites, and nothing is inherited through
them (a component's introducing paper does not bring its own prerequisites).

A *valid reading order* puts every node after everything that must be read
before it. Strategies only break ties (:data:`~papergraph.orderindex.STRATEGIES`);
the order is the smallest valid one under the strategy's ranks, each node
pulled forward to the earliest paper that needs it.

An answer about one paper depends only on what it needs: the prerequisite
list of P is the reading order of P's own closure (P, everything that must
be read before it, and its components' closure), each prerequisite pulled
forward to the earliest paper *of that closure* that needs it. A paper
elsewhere in the graph never reorders P's list, and the list can be
computed from that closure alone (``--endpoint`` fetches only it; see
:mod:`papergraph.rdf.scope`).

Every function takes and returns node indices of the index; the wrappers
in :mod:`papergraph.query` and :mod:`papergraph.order` speak ids. Each walk
costs what its answer touches; reason chains are returned as one shared
parent map (:class:`Walk`), not copied per node.

Examples
--------
>>> import networkx as nx
>>> from papergraph.orderindex import index_of
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("a", {"kind": "paper"}), ("c", {"kind": "concept"}), ("b", {"kind": "paper"})])
>>> _ = G.add_edge("a", "c", "introduces"); _ = G.add_edge("b", "c", "requires")
>>> ix = index_of(G)
>>> w = prerequisites(ix, 2)
>>> w.papers, w.concepts, w.chain(0), w.recommended
([0], [1], [2, 1, 0], [])
>>> why(ix, 0, 2), why(ix, 2, 0)
([2, 1, 0], None)
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

from .errors import PapergraphError

__all__ = ["CycleError", "Walk", "Prereqs", "walk", "prerequisites", "own_order", "not_later", "anachronisms", "unlocks", "why", "kahn", "reading_order",
           "plan", "next_papers", "check_order", "guide_order", "stage_papers", "stage_conflicts", "closure"]


class CycleError(PapergraphError):
    """The graph has a cycle among the relations that constrain reading order."""


@dataclass
class Walk:
    """A breadth-first walk: ``parent[x]`` is the node ``x`` was reached from (the start's is -1)."""

    start: int
    parent: dict[int, int]

    def chain(self, x: int) -> list[int]:
        """The reason chain from the start to ``x`` (start … x)."""
        out = [x]
        parent = self.parent
        while parent[out[-1]] != -1:
            out.append(parent[out[-1]])
        out.reverse()
        return out

    def found(self) -> list[int]:
        return [x for x in self.parent if x != self.start]


def walk(ix, start: int, *, forward: bool = False, through_papers: bool = True, stop: int = -1) -> Walk:
    """Breadth-first over "must be read before" (``forward``: "after"); shortest chains, neighbours by id.

    With ``through_papers`` false, papers other than the start are reached but
    not walked past. With ``stop``, the walk ends as soon as it reaches it.
    """
    ptr, nbr = (ix.aptr, ix.adst) if forward else (ix.bptr, ix.bsrc)
    kind, paper = ix.kind, ix._paper
    parent = {start: -1}
    queue = deque([start])
    pop, push = queue.popleft, queue.append
    while queue:
        x = pop()
        if x != start and not through_papers and kind[x] == paper:
            continue
        for y in nbr[ptr[x]:ptr[x + 1]]:
            if y not in parent:
                parent[y] = x
                if y == stop:
                    return Walk(start, parent)
                push(y)
    return Walk(start, parent)


def closure(ix, starts) -> set[int]:
    """Every node reached from ``starts`` over "must be read before", the starts included."""
    ptr, nbr = ix.bptr, ix.bsrc
    seen = set(starts)
    stack = list(seen)
    while stack:
        x = stack.pop()
        for y in nbr[ptr[x]:ptr[x + 1]]:
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return seen


def _by_order(ix, nodes, strategy: str) -> list[int]:
    """``nodes`` (closed under "must be read before") in the whole graph's reading order."""
    pos = ix.order_position(strategy)
    if pos is None:
        return kahn(ix, set(nodes), strategy, raise_on_cycle=True)
    return sorted(nodes, key=pos.__getitem__)


@dataclass
class Prereqs:
    """What must be read before ``target``: papers in reading order, concepts and background by id.

    ``components`` are the concepts the target itself uses (not already among
    ``concepts``), by id; ``recommended`` the papers that introduce them, in
    reading order, each reached through ``recommended_via[paper]`` (a component).
    """

    target: int
    papers: list[int]
    concepts: list[int]
    background: list[int]
    walk: Walk = field(repr=False)
    components: list[int] = field(default_factory=list)
    recommended: list[int] = field(default_factory=list)
    recommended_via: dict[int, int] = field(default_factory=dict)

    def chain(self, x: int) -> list[int]:
        """The reason chain from the target to ``x`` (a prerequisite or a recommended paper)."""
        if x in self.recommended_via:
            return [self.target, self.recommended_via[x], x]
        return self.walk.chain(x)


def not_later(ix, q: int, p: int) -> bool:
    """Whether ``q`` was first public no later than ``p`` (true when either date is unknown)."""
    yq, yp = ix.year[q], ix.year[p]
    if yq < 0 or yp < 0:
        return True
    if yq != yp:
        return yq < yp
    mq, mp = ix.month[q], ix.month[p]
    return not (mq and mp and mq > mp)


def prerequisites(ix, target: int, *, direct: bool = False, strategy: str = "guide") -> Prereqs:
    """The prerequisites of ``target`` (only the nearest papers with ``direct``), and what it recommends."""
    w = walk(ix, target, through_papers=not direct)
    found = w.found()
    papers = [x for x in found if ix.is_paper(x)]
    ids = ix.ids
    concepts = sorted((x for x in found if ix.is_concept(x)), key=ids.__getitem__)
    background = [c for c in concepts if not ix.introducers(c)]
    introduced = [c for c in concepts if ix.introducers(c)]
    order = []
    if papers:
        keep = set(papers)
        scope = closure(ix, [target]) if direct else set(w.parent)
        order = [x for x in own_order(ix, scope, strategy) if x in keep]
    components = sorted((c for c in set(ix.uses(target)) if c not in w.parent), key=ids.__getitem__)
    via: dict[int, int] = {}
    for c in components:
        for q in ix.introducers(c):
            if q != target and q not in w.parent and q not in via and not_later(ix, q, target):
                via[q] = c
    recommended = [x for x in own_order(ix, closure(ix, via), strategy) if x in via] if via else []
    return Prereqs(target, order, introduced, background, w, components, recommended, via)


def own_order(ix, nodes, strategy: str = "guide") -> list[int]:
    """``nodes`` (a set closed under "must be read before") in its own reading order.

    The smallest valid order of ``nodes`` under the strategy's ranks, each
    node pulled forward to the earliest paper *among* ``nodes`` that needs it
    (the whole graph's rule, :func:`papergraph.orderindex._pulled`, applied to
    the set alone), so the answer depends on nothing outside ``nodes``.

    Raises
    ------
    CycleError
        When ``nodes`` hold a cycle.

    Examples
    --------
    >>> import networkx as nx
    >>> from papergraph.orderindex import index_of
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"kind": "paper", "order": 3}), ("b", {"kind": "paper", "order": 1}),
    ...                   ("x", {"kind": "paper", "order": 2})])
    >>> _ = G.add_edge("x", "a", "builds_on")  # a (order 3) must come before x (order 2)
    >>> ix = index_of(G)
    >>> [ix.ids[i] for i in own_order(ix, {0, 1, 2})]  # a is pulled to x's turn, after b
    ['b', 'a', 'x']
    >>> [ix.ids[i] for i in own_order(ix, {0})]
    ['a']
    """
    member = nodes if isinstance(nodes, (set, frozenset)) else set(nodes)
    rank = getattr(ix, f"rank_{strategy}")
    topo = kahn(ix, member, strategy, raise_on_cycle=True, rank=rank)
    aptr, dst, is_paper = ix.aptr, ix.adst, ix.is_paper
    big = ix.n + 1
    eff: dict[int, int] = {}
    for x in reversed(topo):
        e = rank[x] if is_paper(x) else big
        for v in dst[aptr[x]:aptr[x + 1]]:
            f = eff.get(v, big)
            if f < e:
                e = f
        eff[x] = e
    return kahn(ix, member, strategy, raise_on_cycle=True, rank={x: (eff[x], rank[x]) for x in member})


def anachronisms(ix) -> list[dict]:
    """Papers with a prerequisite published after them: ``[{"paper", "needs", "why"}]``, why = paper … needs.

    One pass over the graph in reading order finds, for every node, its
    latest-published prerequisite paper; each paper whose latest
    prerequisite is newer than itself is reported once, with the chain to
    that prerequisite. Undated papers are skipped. Empty on a cycle (the
    cycle is reported elsewhere).
    """
    order = ix.global_order("guide")
    if order is None:
        return []
    ptr, src, year, month = ix.bptr, ix.bsrc, ix.year, ix.month
    late: list = [None] * ix.n          # (year, month, paper) of the latest prerequisite paper
    step = [-1] * ix.n                   # the node right before, on the way to it
    for x in order:
        best, via = None, -1
        for u in src[ptr[x]:ptr[x + 1]]:
            cand = late[u]
            if ix.is_paper(u) and year[u] >= 0 and (cand is None or (year[u], month[u]) >= cand[:2]):
                cand = (year[u], month[u], u)
            if cand is not None and (best is None or cand[:2] > best[:2]):
                best, via = cand, u
        late[x], step[x] = best, via
    out = []
    for p in order:
        if not ix.is_paper(p) or year[p] < 0 or late[p] is None:
            continue
        q = late[p][2]
        if not_later(ix, q, p):
            continue
        chain = [p]
        while chain[-1] != q:
            chain.append(step[chain[-1]])
        out.append({"paper": p, "needs": q, "why": chain})
    return out


@dataclass
class Unlocks:
    """The papers that need ``target`` (in reading order); ``direct`` ones with no paper between."""

    target: int
    papers: list[int]
    direct: list[int]
    walk: Walk = field(repr=False)


def unlocks(ix, target: int, strategy: str = "guide") -> Unlocks:
    """What depends on ``target``, directly and transitively."""
    w = walk(ix, target, forward=True)
    among = set(w.parent)
    among.discard(target)
    papers = [x for x in among if ix.is_paper(x)]
    if not papers:
        return Unlocks(target, [], [], w)
    near = walk(ix, target, forward=True, through_papers=False)
    order = [x for x in kahn(ix, among, strategy, raise_on_cycle=True) if ix.is_paper(x)]
    rank = {x: i for i, x in enumerate(order)}
    direct = sorted((x for x in near.parent if x != target and ix.is_paper(x)), key=rank.__getitem__)
    return Unlocks(target, order, direct, w)


def why(ix, a: int, b: int) -> list[int] | None:
    """The shortest chain showing ``a`` must be read before ``b``: ``[b, …, a]``; None when it need not."""
    if a == b:
        return None
    w = walk(ix, b, stop=a)
    return w.chain(a) if a in w.parent else None


def kahn(ix, among=None, strategy: str = "guide", *, raise_on_cycle: bool = False, rank=None) -> list[int] | None:
    """The smallest valid order of ``among`` (default: every node) under ``strategy``'s ranks.

    Constraints through nodes outside ``among`` are not seen. On a cycle,
    None, or :class:`CycleError` naming it with ``raise_on_cycle``.
    ``rank`` (node → key) replaces the strategy's pulled ranks.
    """
    if rank is None:
        rank = getattr(ix, f"pull_{strategy}")
    ptr, src = ix.bptr, ix.bsrc
    aptr, dst = ix.aptr, ix.adst
    if among is None:
        indeg = [ptr[v + 1] - ptr[v] for v in range(ix.n)]
        heap = [(rank[v], v) for v in range(ix.n) if indeg[v] == 0]
        member = None
    else:
        member = among if isinstance(among, (set, frozenset)) else set(among)
        indeg = {v: sum(1 for u in src[ptr[v]:ptr[v + 1]] if u in member) for v in member}
        heap = [(rank[v], v) for v, d in indeg.items() if d == 0]
    heapq.heapify(heap)
    out = []
    pop, push, append = heapq.heappop, heapq.heappush, out.append
    while heap:
        _, x = pop(heap)
        append(x)
        for v in dst[aptr[x]:aptr[x + 1]]:
            if member is not None and v not in member:
                continue
            indeg[v] -= 1
            if indeg[v] == 0:
                push(heap, (rank[v], v))
    size = ix.n if member is None else len(member)
    if len(out) < size:
        if raise_on_cycle:
            raise CycleError(f"the reading order has a cycle: {_cycle_text(ix, member, set(out))}")
        return None
    return out


def _cycle_text(ix, member, done) -> str:
    left = [v for v in (range(ix.n) if member is None else member) if v not in done]
    ptr, src = ix.bptr, ix.bsrc
    inside = set(left)
    # follow "must be read before" links inside what is left until a node repeats
    x = min(left, key=ix.ids.__getitem__)
    seen: dict[int, int] = {}
    path = []
    while x not in seen:
        seen[x] = len(path)
        path.append(x)
        x = next(u for u in src[ptr[x]:ptr[x + 1]] if u in inside)
    cyc = path[seen[x]:] + [x]
    cyc.reverse()  # read-before direction: u → v means u must come first
    return " → ".join(ix.ids[i] for i in cyc)


def reading_order(ix, *, among=None, strategy: str = "guide", papers_only: bool = True) -> list[int]:
    """A valid reading order of ``among`` (default: everything); papers only unless told otherwise."""
    if among is None:
        order = ix.global_order(strategy)
        if order is None:
            kahn(ix, None, strategy, raise_on_cycle=True)
        if papers_only:
            return list(ix.papers_in_order(strategy))
    else:
        order = kahn(ix, among, strategy, raise_on_cycle=True)
    if papers_only:
        kind, paper = ix.kind, ix._paper
        return [x for x in order if kind[x] == paper]
    return list(order)


def plan(ix, targets=(), read=(), strategy: str = "guide") -> list[int]:
    """The papers to read in order: the targets and their prerequisites (everything if none), less ``read``."""
    read = set(read)
    if targets:
        order = _by_order(ix, closure(ix, targets), strategy)
    else:
        order = reading_order(ix, strategy=strategy, papers_only=False)
    return [x for x in order if ix.is_paper(x) and x not in read]


def next_papers(ix, read, strategy: str = "guide") -> list[int]:
    """Unread papers whose prerequisites (transitively) are all read, in reading order."""
    read = set(read)
    blocked = bytearray(ix.n)
    ptr, src, kind, paper = ix.bptr, ix.bsrc, ix.kind, ix._paper
    out = []
    for x in reading_order(ix, strategy=strategy, papers_only=False):
        for u in src[ptr[x]:ptr[x + 1]]:
            if blocked[u] or (kind[u] == paper and u not in read):
                blocked[x] = 1
                break
        else:
            if kind[x] == paper and x not in read:
                out.append(x)
    return out


#: From this many listed papers, :func:`check_order` first finds, in one pass
#: over the graph, which of them can have a violation.
ONE_PASS_FROM = 500


def _may_violate(ix, pos: dict) -> set | None:
    order = ix.global_order("guide")
    if order is None:
        return None
    ptr, src, kind, paper = ix.bptr, ix.bsrc, ix.kind, ix._paper
    big = float("inf")
    late = [-1.0] * ix.n
    for x in order:
        worst = -1.0
        for u in src[ptr[x]:ptr[x + 1]]:
            w = late[u]
            if kind[u] == paper:
                w = max(w, pos.get(u, big))
            if w > worst:
                worst = w
        late[x] = worst
    return {p for p in pos if late[p] > pos[p]}


def check_order(ix, papers: list[int], *, complete: bool = False) -> dict:
    """Check an order of node indices (see ``papergraph check-order``).

    Returns ``{"valid", "violations": [{"paper", "needs", "why", "missing"}],
    "missing", "duplicates"}``; every listed paper must come after all its
    prerequisites, and a prerequisite the order leaves out is a violation.
    """
    pos: dict[int, int] = {}
    duplicates = []
    for i, p in enumerate(papers):
        if p in pos:
            duplicates.append(p)
        else:
            pos[p] = i
    check = _may_violate(ix, pos) if len(pos) >= ONE_PASS_FROM else None
    violations = []
    for p in pos:
        if check is not None and p not in check:
            continue
        w = walk(ix, p)
        for q in w.parent:
            if q == p or not ix.is_paper(q):
                continue
            if q not in pos or pos[q] > pos[p]:
                violations.append({"paper": p, "needs": q, "why": w.chain(q), "missing": q not in pos})
    missing = [x for x in range(ix.n) if ix.is_paper(x) and x not in pos]
    valid = not violations and not duplicates and not (complete and missing)
    return {"valid": valid, "violations": violations, "missing": missing, "duplicates": duplicates}


def guide_order(ix) -> list[int]:
    """The guide's own order of the papers: stage by stage, in listing order (prerequisites ignored)."""
    rank = ix.rank_guide
    return sorted((x for x in range(ix.n) if ix.is_paper(x)), key=rank.__getitem__)


def stage_papers(ix, stage: int, strategy: str = "guide") -> list[int]:
    """The papers of ``stage`` in a valid reading order."""
    st = ix.stage
    members = [x for x in range(ix.n) if st[x] == stage and ix.is_paper(x)]
    if not members:
        return []
    return [x for x in _by_order(ix, closure(ix, members), strategy) if st[x] == stage and ix.is_paper(x)]


def stage_conflicts(ix) -> list[dict]:
    """Prerequisites the guide's order contradicts: ``[{"paper", "needs", "why"}]``, why = paper … needs."""
    out = []
    for v in check_order(ix, guide_order(ix))["violations"]:
        chain = why(ix, v["needs"], v["paper"]) or v["why"]
        out.append({"paper": v["paper"], "needs": v["needs"], "why": chain})
    return out
