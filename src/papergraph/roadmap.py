"""The papers as a learning roadmap: numbered reading order, read-first arrows, where to start, what is next.

Everything here is read from :mod:`papergraph.core` (over the graph's
:class:`~papergraph.orderindex.OrderIndex`): the reading order
(:func:`papergraph.core.reading_order`), each paper's prerequisites
(:attr:`papergraph.core.Prereqs.papers`, the papers to read first) and what
can be read next (:func:`papergraph.core.next_papers`). This module adds
only what a picture of the papers needs:

* the *read-first arrows*: paper Q → paper P when Q must be read before P
  and no other paper of the picture lies between them (the transitive
  reduction of "must be read before" among the papers shown);
* a number for every paper in reading order (flagged papers, marked
  off-topic or doubtful in the data, get none: they are set apart);
* *start here*: the first unread, unflagged paper of the reading order;
* *next*: the papers that can be read now (core's ``next_papers``), never a
  flagged one.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("a", {"kind": "paper"}), ("b", {"kind": "paper"}), ("c", {"kind": "paper"}),
...                   ("x", {"kind": "paper", "flag": "off-topic"})])
>>> _ = G.add_edge("b", "a", "builds_on", relation="builds_on")
>>> _ = G.add_edge("c", "b", "builds_on", relation="builds_on")
>>> _ = G.add_edge("c", "a", "builds_on", relation="builds_on")
>>> r = roadmap(G)
>>> r.order, r.number, r.edges
(['a', 'b', 'c', 'x'], {'a': 1, 'b': 2, 'c': 3}, [('a', 'b'), ('b', 'c')])
>>> r.start, r.next, r.flagged
(['a'], ['a'], ['x'])
>>> roadmap(G, read=["a"]).next
['b']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import core
from .orderindex import index_of

__all__ = ["Roadmap", "read_first_edges", "roadmap"]


@dataclass
class Roadmap:
    """The papers of a roadmap (see the module's docstring); every list is in reading order."""

    order: list[str]
    number: dict[str, int]
    edges: list[tuple[str, str]]
    start: list[str]
    next: list[str]
    flagged: list[str]
    read: list[str] = field(default_factory=list)


def _flagged(G, n) -> bool:
    return bool(G.nodes[n].get("flag"))


def read_first_edges(G, papers, strategy: str = "guide") -> list[tuple[str, str]]:
    """The read-first arrows among ``papers``: ``(Q, P)`` when Q must be read before P with no paper of ``papers`` between.

    The transitive reduction of the "must be read before" relation
    (:func:`papergraph.core.prerequisites`) restricted to ``papers``. When
    ``papers`` holds every prerequisite of each of its members (a paper with
    all its prerequisites, or all the papers), it is the reduction of the
    whole graph's relation on them. Arrows come in reading order of their
    targets, then of their sources. Cost: one walk of what must be read
    before each paper (no reason chains), then sets of at most ``len(papers)`` bits.
    """
    ix = index_of(G)
    pos = [ix.position(p) for p in papers]
    keep = [i for i in dict.fromkeys(pos) if i is not None and ix.is_paper(i)]
    if not keep:
        return []
    among = set(keep)
    order = [x for x in core.reading_order(ix, strategy=strategy) if x in among]
    bit = {x: 1 << k for k, x in enumerate(order)}
    before: dict[int, int] = {}  # paper -> bits of the papers among `keep` to read before it
    for x in order:
        mask = 0
        for q in core.closure(ix, [x]):  # what must be read before x (the papers of prerequisites(), and more)
            b = bit.get(q)
            if b is not None and q != x:
                mask |= b
        before[x] = mask
    ids = ix.ids
    out = []
    for x in order:
        mask = before[x]
        implied = 0
        rest = mask
        while rest:
            low = rest & -rest
            implied |= before[order[low.bit_length() - 1]]
            rest ^= low
        direct = mask & ~implied
        while direct:
            low = direct & -direct
            out.append((ids[order[low.bit_length() - 1]], ids[x]))
            direct ^= low
    return out


def roadmap(G, papers=None, read=(), strategy: str = "guide") -> Roadmap:
    """The roadmap of ``papers`` (default: every paper of ``G``) for a learner who has read ``read``.

    ``start`` and ``next`` are about the whole graph's reading order (a
    paper can be read next when every paper to read before it is read),
    limited to ``papers``; neither ever holds a flagged paper.
    """
    ix = index_of(G)
    every = core.reading_order(ix, strategy=strategy)
    ids = ix.ids
    if papers is None:
        chosen = [ids[x] for x in every]
    else:
        wanted = {ix.position(p) for p in papers} - {None}
        chosen = [ids[x] for x in every if x in wanted]
    shown = set(chosen)
    done = {p for p in read if p in G}
    number, flagged, k = {}, [], 0
    for p in chosen:
        if _flagged(G, p):
            flagged.append(p)
        else:
            k += 1
            number[p] = k
    ready = [ids[x] for x in core.next_papers(ix, [i for i in map(ix.position, done) if i is not None], strategy)]
    nxt = [p for p in ready if p in shown and not _flagged(G, p)]
    start = []
    for x in every:
        p = ids[x]
        if p not in done and not _flagged(G, p):
            if p in shown:
                start = [p]
            break
    return Roadmap(chosen, number, read_first_edges(G, chosen, strategy), start, nxt, flagged,
                   [p for p in chosen if p in done])
