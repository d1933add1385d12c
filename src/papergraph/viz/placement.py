"""Where every node of the map sits: a learning path from left to right, computed once per graph.

Each stage is a column: the stage node on top, its papers below in the
guide's listing order, beside them the concepts those papers introduce, and
under the papers the stage's tools and questions. Background concepts
(introduced by no paper) fill a column on the far left. A graph without
stages is laid out by generation of the reading order instead. Nothing moves
afterwards: the map's physics is off.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("s1", kind="stage", label_en="Basics", order=1)
>>> G.add_node("p", kind="paper", label_en="P", year=2017)
>>> G.add_node("c", kind="concept", label_en="C")
>>> _ = G.add_edge("p", "s1", "in_stage", relation="in_stage")
>>> _ = G.add_edge("p", "c", "introduces", relation="introduces")
>>> L = layout(G)
>>> L.pos["s1"][1] < L.pos["p"][1], L.pos["p"][0] < L.pos["c"][0]
(True, True)
>>> L.stages, L.home["c"], kinds_present(G)
(['s1'], 's1', ['paper', 'concept', 'stage'])
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from .. import schema
from ..errors import PapergraphError
from ..query import before, introducers, nodes_of_kind, stage_of
from . import persist
from .layoutdata import Layout

__all__ = ["Layout", "kinds_present", "layout", "layout_for", "relations_present", "stage_list"]

# geometry (canvas pixels)
_SUB_P = 170      # width of a paper sub-column
_SUB_C = 145      # width of a concept sub-column
_GAP = 55         # between two columns
_ROW_P = 104      # between two papers
_ROW_C = 62       # between two concepts
_MAX_ROWS = 14    # papers (or concepts) per sub-column before wrapping
_STAGE_Y = -165   # height of the stage nodes and column headers (room for a name and a progress line)


def stage_list(G) -> list[str]:
    """The stages in the guide's order (``order``, then listing position)."""
    big = float("inf")
    return sorted(nodes_of_kind(G, "stage"),
                  key=lambda s: (G.nodes[s].get("order", big), G.nodes[s].get("row", big), s))


def _paper_key(G):
    from ..order import sort_key

    return sort_key(G, "guide")


def _generations(G) -> dict[str, int]:
    """Papers' generation in the reading order: how many papers must come before, at least."""
    from ..order import reading_order

    try:
        seq = reading_order(G, papers_only=False)
    except PapergraphError:
        return {}
    kind = G.nodes
    depth: dict[str, int] = {}
    for n in seq:
        d = 0
        for u, _ in before(G, n):
            d = max(d, depth.get(u, 0) + (1 if kind[u].get("kind") == "paper" else 0))
        depth[n] = d
    return {n: d for n, d in depth.items() if kind[n].get("kind") == "paper"}


def _home_of_other(G, n, scol, home):
    """A tool's or question's stage: its own (in_stage), else the first stage it touches."""
    st = stage_of(G, n)
    if st in scol:
        return st
    near = [u for u, _ in G.in_edges(n)] + [v for _, v in G.out_edges(n)]
    stages = [u for u in near if u in scol]
    if stages:
        return min(stages, key=scol.__getitem__)
    homes = [home[u] for u in near if home.get(u) in scol]
    return min(homes, key=scol.__getitem__) if homes else None


def layout(G) -> Layout:
    """Positions for every node of ``G``: a learning path from left to right.

    Each stage is a column: the stage node on top, its papers below in the
    guide's listing order, beside them the concepts those papers introduce
    (next to their introducer), and under the papers the stage's other
    nodes (tools, self-check questions). Background concepts fill a column
    on the far left, ordered by the stage that first needs them. A graph
    without stages gets one column per generation of the reading order.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`papergraph.load.load_graph`.

    Returns
    -------
    Layout
        Deterministic: the same graph gives the same positions, so the map
        does not move between reruns. Cost grows with nodes and edges (no
        physics).
    """
    kind = {n: d.get("kind") for n, d in G.nodes(data=True)}
    stages = stage_list(G)
    key = _paper_key(G)
    papers = sorted((n for n, k in kind.items() if k == "paper"), key=key)
    prank = {p: i for i, p in enumerate(papers)}
    column: dict[str, int] = {}
    home: dict[str, str | None] = {}
    scol = {s: i for i, s in enumerate(stages)}
    unstaged = len(stages)
    for s in stages:
        column[s] = scol[s]
        home[s] = s
    if stages:
        for p in papers:
            st = stage_of(G, p)
            home[p] = st if st in scol else None
            column[p] = scol.get(st, unstaged)
    else:
        gen = _generations(G)
        for p in papers:
            home[p] = None
            column[p] = gen.get(p, 0)
    concepts = [n for n, k in kind.items() if k == "concept"]
    row = {n: G.nodes[n].get("row", 0) for n in G}
    intro_of: dict[str, str] = {}
    for c in concepts:
        intro = [p for p in introducers(G, c) if p in prank]
        if intro:
            first = min(intro, key=prank.__getitem__)
            intro_of[c] = first
            column[c] = column[first]
            home[c] = home[first]
        else:
            column[c] = -1
            home[c] = None
    others = [n for n, k in kind.items() if k not in ("paper", "concept", "stage")]
    for n in others:
        st = _home_of_other(G, n, scol, home)
        home[n] = st
        column[n] = scol[st] if st is not None else -1

    def first_need(c):
        cols = [column[s] for s, _, r in G.in_edges(c, keys=True) if column.get(s, -1) >= 0]
        return min(cols) if cols else 10 ** 9

    by_col: dict[int, tuple[list[str], list[str], list[str]]] = {}
    for p in papers:
        by_col.setdefault(column[p], ([], [], []))[0].append(p)
    for c in concepts:
        by_col.setdefault(column[c], ([], [], []))[1].append(c)
    for n in sorted(others, key=lambda n: (kind[n], row[n], n)):
        by_col.setdefault(column[n], ([], [], []))[2].append(n)
    for s in stages:
        by_col.setdefault(column[s], ([], [], []))

    # the tallest stage column sets the height the background column may fill
    tallest = max([len(ps) * _ROW_P + len(xs) * _ROW_C for c, (ps, _, xs) in by_col.items() if c >= 0] + [0])
    bg_rows = max(_MAX_ROWS, int(tallest // _ROW_C) + 1)

    pos: dict[str, tuple[float, float]] = {}
    headers: list[tuple[str, int, float, float]] = []
    x0 = 0.0
    for col in sorted(by_col):
        ps, cs, xs = by_col[col]
        ypaper = {}
        kp = math.ceil(len(ps) / _MAX_ROWS) if ps else 0
        for j, p in enumerate(ps):
            sub, r = divmod(j, _MAX_ROWS)
            pos[p] = (x0 + sub * _SUB_P, r * _ROW_P)
            ypaper[p] = r * _ROW_P
        ybottom = (min(len(ps), _MAX_ROWS)) * _ROW_P
        for j, n in enumerate(xs):
            sub, r = divmod(j, _MAX_ROWS)
            pos[n] = (x0 + sub * _SUB_P, ybottom + r * _ROW_C)
        kp = max(kp, math.ceil(len(xs) / _MAX_ROWS) if xs else 0)
        if col == -1:
            cs.sort(key=lambda c: (first_need(c), row[c], c))
        else:
            pr = {p: i for i, p in enumerate(ps)}
            cs.sort(key=lambda c: (pr.get(intro_of.get(c), 10 ** 9), row[c], c))
        cx0 = x0 + (kp * _SUB_P - 25 if kp else 0)
        if cs and kp == 1 and len(ps) <= _MAX_ROWS and len(cs) <= 2 * _MAX_ROWS:
            y = -math.inf
            for c in cs:
                want = ypaper.get(intro_of.get(c), 0.0)
                y = max(want, y + _ROW_C)
                pos[c] = (cx0, y)
        else:
            rows = bg_rows if col == -1 else _MAX_ROWS
            for j, c in enumerate(cs):
                sub, r = divmod(j, rows)
                pos[c] = (cx0 + sub * _SUB_C, r * _ROW_C)
        members = ps + cs + xs
        right = max([x0] + [pos[n][0] for n in members])
        mid = (x0 + right) / 2
        stage_here = [s for s in stages if column[s] == col]
        for s in stage_here:
            pos[s] = (mid, _STAGE_Y)
        if not stage_here and members and (col == -1 or stages):
            headers.append(("background" if col == -1 else "unstaged", col, mid, _STAGE_Y))
        x0 = right + (_SUB_C if cs else _SUB_P) + _GAP
    order = sorted(pos, key=lambda n: (column[n], kind.get(n) != "stage", pos[n][0], pos[n][1], n))
    rank = {n: i for i, n in enumerate(order)}
    by_kind: dict[str, list[str]] = {}
    for n, k in kind.items():
        by_kind.setdefault(k, []).append(n)
    members = {s: {"papers": [], "questions": []} for s in stages}
    for n in papers:
        if home.get(n) in members:
            members[home[n]]["papers"].append(n)
    for n in sorted(by_kind.get("question", []), key=lambda n: (row[n], n)):
        if stage_of(G, n) in members:
            members[stage_of(G, n)]["questions"].append(n)
    need = {n: (first_need(n) if column[n] < 0 else column[n]) for n in pos}
    cap_order = sorted(pos, key=lambda n: (kind.get(n) != "stage", need[n], rank[n]))
    background = any(column[c] == -1 for c in concepts)
    return Layout(pos, column, home, rank, headers, stages, by_kind, members, cap_order, background)


_layouts: OrderedDict = OrderedDict()
_layouts_lock = threading.Lock()


def layout_for(G) -> Layout:
    """:func:`layout` of ``G``, remembered for the last few graphs by the digest of their contents.

    A graph from :func:`papergraph.load.load_graph` carries that digest
    (``G.graph["digest"]``); a graph without one is laid out afresh each
    time. The layout is also kept on disk beside the graph's cache
    (:func:`papergraph.viz.persist.layout`), so that a new process reads it
    instead of computing it; read from there, its per-node fields are
    read-only mappings rather than dicts. Treat the answer as read-only.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(digest="d2")
    >>> G.add_node("p", kind="paper", label_en="P")
    >>> layout_for(G) is layout_for(G)
    True
    """
    digest = getattr(G, "graph", {}).get("digest")
    if not digest:
        return layout(G)
    with _layouts_lock:
        if digest in _layouts:
            _layouts.move_to_end(digest)
            return _layouts[digest]
    L = persist.layout(G, lambda: layout(G))
    with _layouts_lock:
        _layouts[digest] = L
        while len(_layouts) > 4:
            _layouts.popitem(last=False)
    return L


def kinds_present(G, layout_: Layout | None = None) -> list[str]:
    """The kinds of node ``G`` has, in the schema's order (then any others); ``layout_`` already knows them."""
    have = (set(layout_.by_kind) if layout_ is not None else {k for _, k in G.nodes(data="kind")}) - {None}
    return [k for k in schema.KINDS if k in have] + sorted(have - set(schema.KINDS))


def relations_present(G) -> list[str]:
    """The relations ``G`` has edges of, in the schema's order (then any others)."""
    have = {r for _, _, r in G.edges(keys=True)}
    return [r for r in schema.RELATIONS if r in have] + sorted(have - set(schema.RELATIONS))
