"""Questions a learner asks the graph: names, prerequisites, what a paper unlocks, why.

Semantics
---------
Paper Q is a *prerequisite* of paper P when P builds on Q, or when P requires
a concept C (directly, or through a chain of concept-requires-concept) that
Q introduces (Q ≠ P). Prerequisites are transitive. A concept that no paper
introduces is *background*.

Generally, node ``u`` must be read before ``v`` when an edge of a relation
whose :attr:`~papergraph.schema.Relation.order` is set joins them; the
traversals below follow those edges only, so their cost grows with the
answer, not with the graph.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("a", {"kind": "paper", "label_en": "A"}),
...                   ("b", {"kind": "paper", "label_en": "B"}),
...                   ("c", {"kind": "concept", "label_en": "C"}),
...                   ("bg", {"kind": "concept", "label_en": "Background"})])
>>> G.add_edge("a", "c", "introduces", relation="introduces")
'introduces'
>>> G.add_edge("b", "c", "requires", relation="requires")
'requires'
>>> G.add_edge("c", "bg", "requires", relation="requires")
'requires'
>>> r = prerequisites(G, "b")
>>> r.papers, r.concepts, r.background
(['a'], ['c'], ['bg'])
>>> r.why["a"]
['b', 'c', 'a']
>>> why(G, "a", "b")
['b', 'c', 'a']
>>> unlocks(G, "a").papers
['b']
"""

from __future__ import annotations

import difflib
from collections import deque
from dataclasses import dataclass, field

from . import schema
from .errors import NotAPaperError, UnknownNameError

__all__ = [
    "Prerequisites",
    "Unlocks",
    "resolve",
    "resolve_many",
    "label",
    "nodes_of_kind",
    "stage_of",
    "introducers",
    "before",
    "after",
    "prerequisites",
    "unlocks",
    "why",
    "explain",
]


def nodes_of_kind(G, kind: str) -> list[str]:
    """Ids of all nodes of ``kind``, in file order."""
    return [n for n, k in G.nodes(data="kind") if k == kind]


def label(G, node: str, lang: str = "en") -> str:
    """The node's label in ``lang`` (``en`` or ``zh``), falling back to English."""
    data = G.nodes[node]
    return data.get(f"label_{lang}") or data.get("label_en") or node


_KIND_RANK = {"paper": 0, "concept": 1, "stage": 2}


def _fold(s: str) -> str:
    return " ".join(str(s).casefold().split())


def _names(data: dict, node: str):
    yield node
    for key in ("label_en", "label_zh", "arxiv", "title", "doi"):
        if data.get(key):
            yield data[key]
    yield from data.get("aliases", []) or []


def resolve(G, name: str, kinds: tuple[str, ...] | None = ("paper",)) -> str:
    """The id of the node called ``name``: by id, label, alias, arXiv id or title.

    Matching ignores case and repeated spaces. ``kinds`` restricts the nodes
    considered (``None`` for any kind).

    Raises
    ------
    UnknownNameError
        When nothing matches; it suggests the closest names.
    NotAPaperError
        When the name matches only nodes of other kinds, or several nodes.
    """
    what = "/".join(kinds) if kinds else "node"
    if name in G and (kinds is None or G.nodes[name].get("kind") in kinds):
        return name
    key = _fold(name)
    if key.startswith("arxiv:"):
        key = key[len("arxiv:"):]
    hits: dict[str, tuple[int, int]] = {}
    other: dict[str, str] = {}
    vocab: dict[str, str] = {}

    def scan(items):
        for node, data in items:
            ok = kinds is None or data.get("kind") in kinds
            for strength, n in enumerate(_names(data, node)):
                f = _fold(n)
                if ok:
                    vocab.setdefault(f, n)
                if f == key:
                    if ok:
                        # papers first, then names before aliases
                        rank = (_KIND_RANK.get(data.get("kind"), 9), min(strength, 2))
                        hits[node] = min(hits.get(node, rank), rank)
                    else:
                        other[node] = data.get("kind")

    # A cached view looks the folded name up in an index of _names() instead
    # of reading every node; it reads them all only to suggest close names.
    named = getattr(G, "nodes_named", None)
    scan(G.nodes(data=True) if named is None else named(key))
    if named is not None and not hits and not other:
        scan(G.nodes(data=True))
    if hits:
        best = min(hits.values())
        top = sorted(n for n, r in hits.items() if r == best)
        if len(top) == 1:
            return top[0]
        raise NotAPaperError(f"{name!r} is ambiguous: it names {', '.join(top)}; use an id")
    if other:
        found = ", ".join(f"{n} ({k})" for n, k in sorted(other.items()))
        raise NotAPaperError(f"{name!r} names {found}, not a {what}")
    close = difflib.get_close_matches(key, list(vocab), n=5, cutoff=0.6)
    if not close:
        close = [f for f in vocab if key and key in f][:5]
    raise UnknownNameError(name, [vocab[c] for c in close], what)


def resolve_many(G, names, kinds=("paper",)) -> list[str]:
    """Resolve several names; unknown names are reported together."""
    out, errors = [], []
    for n in names:
        try:
            out.append(resolve(G, n, kinds))
        except (UnknownNameError, NotAPaperError) as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise NotAPaperError("; ".join(str(e) for e in errors))
    return out


def stage_of(G, node: str) -> str | None:
    """The stage a paper is read in, if any."""
    for t, rel in _out_edges(G, node):
        if rel == "in_stage":
            return t
    return None


def _out_edges(G, node: str):
    """``(target, key)`` for the out-edges of ``node``, in the order ``G.out_edges(node, keys=True)`` gives.

    On a plain NetworkX graph, straight from its adjacency dict (the structure
    documented for subclasses): making an edge view for each of a million
    look-ups was most of the time a large map spends on its cards.
    """
    succ = getattr(G, "_succ", None)
    if type(succ) is dict:
        nbrs = succ.get(node)
        if type(nbrs) is dict:
            return [(t, k) for t, keys in nbrs.items() for k in keys]
    return [(t, k) for _, t, k in G.out_edges(node, keys=True)]


def _in_edges(G, node: str, keys):
    """``(source, node, key)`` for the in-edges of ``node`` whose key is in ``keys``.

    In the order ``G.in_edges(node, keys=True)`` gives them. A graph that can
    select in-edges by key without reading the others (the cached view of
    :func:`papergraph.load.open_graph`, whose popular concepts have thousands
    of in-edges) provides ``in_edges_by_key``.
    """
    by_key = getattr(G, "in_edges_by_key", None)
    if by_key is not None:
        return by_key(node, keys)
    index = _in_index(G, node)
    if index is not None:
        got = index.get(node)
        if not got:
            return ()
        if len(keys) == 1:
            (k,) = keys
            return [(s, node, k) for _, s in got.get(k, ())]
        hits = sorted((rank, s, k) for k in keys for rank, s in got.get(k, ()))
        return [(s, node, k) for _, s, k in hits]
    return ((s, t, k) for s, t, k in G.in_edges(node, keys=True) if k in keys)


_INDEX = "papergraph.query.in_edges_by_key"
_SCANNED = "papergraph.query.in_edges_scanned"


def _in_index(G, node):
    """``{node: {key: [(rank, source), …]}}`` of ``G``'s in-edges, once reading them one by one has cost enough.

    A popular concept is required by thousands of papers, and NetworkX can
    only list all of a node's in-edges. Once the in-edges read this way add
    up to four per node of ``G``, one pass indexes them all by key (so the
    index never costs more than a fraction of what it saves). It is kept in
    ``G.__networkx_cache__``, which NetworkX clears whenever the graph
    changes through its methods (NetworkX ≥ 3.3); graphs without that cache,
    and views of other graphs, are not indexed.
    """
    cache = getattr(G, "__networkx_cache__", None)
    if not isinstance(cache, dict) or hasattr(G, "_graph") or not hasattr(G, "pred"):
        return None
    index = cache.get(_INDEX)
    if index is not None:
        return index
    scanned = cache.get(_SCANNED, 0)
    if scanned <= 4 * len(G):
        try:
            cache[_SCANNED] = scanned + len(G.pred[node])
        except KeyError:
            pass
        return None
    index = {}
    last, rank = None, 0
    for s, t, k in G.in_edges(keys=True):
        if t != last:
            last, rank, by_key = t, 0, index.setdefault(t, {})
        by_key.setdefault(k, []).append((rank, s))
        rank += 1
    cache[_INDEX] = index
    return index


def introducers(G, concept: str) -> list[str]:
    """The papers that introduce ``concept``."""
    return [s for s, _, rel in _in_edges(G, concept, ("introduces",)) if rel == "introduces"]


def _order_of(rel: str) -> str | None:
    spec = schema.RELATIONS.get(rel)
    return spec.order if spec else None


_ORDERED: dict = {}


def _ordered(how: str) -> frozenset[str]:
    """Names of the relations whose ``order`` is ``how`` (recomputed whenever the schema's table changes)."""
    rels = schema.RELATIONS
    key = (how, tuple(map(id, rels.values())), tuple(rels))
    got = _ORDERED.get(key)
    if got is None:
        if len(_ORDERED) > 16:
            _ORDERED.clear()
        got = _ORDERED[key] = frozenset(name for name, spec in rels.items() if spec.order == how)
    return got


def before(G, node: str):
    """Yield ``(other, relation)`` for each node that must be read right before ``node``."""
    first = _ordered("target-first")
    for t, rel in _out_edges(G, node):
        if rel in first:
            yield t, rel
    for s, _, rel in _in_edges(G, node, _ordered("source-first")):
        yield s, rel


def after(G, node: str):
    """Yield ``(other, relation)`` for each node that must be read right after ``node``."""
    first = _ordered("source-first")
    for t, rel in _out_edges(G, node):
        if rel in first:
            yield t, rel
    for s, _, rel in _in_edges(G, node, _ordered("target-first")):
        yield s, rel


def _walk(G, start: str, step, *, through_papers: bool = True):
    """Breadth-first walk; returns ``{node: parent}`` (shortest chains)."""
    parent = {start: None}
    queue = deque([start])
    while queue:
        x = queue.popleft()
        if x != start and not through_papers and G.nodes[x].get("kind") == "paper":
            continue
        for y, _ in sorted(step(G, x)):
            if y not in parent:
                parent[y] = x
                queue.append(y)
    return parent


def _chain(parent: dict, node: str) -> list[str]:
    out = [node]
    while parent[out[-1]] is not None:
        out.append(parent[out[-1]])
    return out


@dataclass
class Prerequisites:
    """What must be read before ``target``, each with one shortest reason chain.

    ``why[x]`` runs from the target to ``x``: target → concept … → x.
    """

    target: str
    papers: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    why: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"target": self.target, "papers": self.papers, "concepts": self.concepts,
                "background": self.background, "why": self.why}


@dataclass
class Unlocks:
    """What depends on ``target``: ``direct`` ones need it without another paper between."""

    target: str
    papers: list[str] = field(default_factory=list)
    direct: list[str] = field(default_factory=list)
    why: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"target": self.target, "papers": self.papers}


def prerequisites(G, paper: str, *, direct: bool = False) -> Prerequisites:
    """Prerequisite papers (in a valid reading order) and concepts of ``paper``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`papergraph.load.load_graph`.
    paper : str
        The id of a node (usually a paper).
    direct : bool
        Only the immediate prerequisites: do not look past another paper.
    """
    from .order import reading_order

    parent = _walk(G, paper, before, through_papers=not direct)
    found = [n for n in parent if n != paper]
    kind = G.nodes
    papers = [n for n in found if kind[n].get("kind") == "paper"]
    concepts = [n for n in found if kind[n].get("kind") == "concept"]
    background = sorted(c for c in concepts if not introducers(G, c))
    introduced = sorted(c for c in concepts if introducers(G, c))
    scope = set(found) if not direct else set(_walk(G, paper, before)) - {paper}
    keep = set(papers)
    order = [p for p in reading_order(G, among=scope) if p in keep] if papers else []
    return Prerequisites(paper, order, introduced, background,
                         {n: list(reversed(_chain(parent, n))) for n in found})


def unlocks(G, paper: str) -> Unlocks:
    """The papers that need ``paper``, directly and transitively, in reading order."""
    from .order import reading_order

    parent = _walk(G, paper, after)
    papers = [n for n in parent if n != paper and G.nodes[n].get("kind") == "paper"]
    near = _walk(G, paper, after, through_papers=False)
    direct = [n for n in near if n != paper and G.nodes[n].get("kind") == "paper"]
    order = reading_order(G, among=set(parent) - {paper}) if papers else []
    rank = {n: i for i, n in enumerate(order)}
    return Unlocks(paper, order, sorted(direct, key=rank.__getitem__),
                   {n: list(reversed(_chain(parent, n))) for n in papers})


def why(G, a: str, b: str) -> list[str] | None:
    """The shortest reason chain showing that ``a`` must be read before ``b``.

    The chain runs from ``b`` back to ``a`` (b → requires concept → … → a),
    or is ``None`` when ``a`` need not come before ``b``.
    """
    parent = {b: None}
    queue = deque([b])
    while queue:
        x = queue.popleft()
        for y, _ in sorted(before(G, x)):
            if y not in parent:
                parent[y] = x
                if y == a:
                    return list(reversed(_chain(parent, a)))
                queue.append(y)
    return None


def explain(G, chain: list[str], lang: str = "en") -> str:
    """A reason chain in words, e.g. ``DiT → requires → latent diffusion → introduced by → LDM``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["p", "c", "q"], kind="paper")
    >>> _ = G.add_edge("p", "c", "requires"); _ = G.add_edge("q", "c", "introduces")
    >>> explain(G, ["p", "c", "q"])
    'p → requires → c → introduced by → q'
    """
    def pick(keys):
        keys = sorted(keys, key=lambda k: _order_of(k) is None)
        return keys[0], schema.RELATIONS.get(keys[0])

    parts = [label(G, chain[0], lang)] if chain else []
    for x, y in zip(chain, chain[1:]):
        word = "?"
        if G.has_edge(x, y):
            key, rel = pick(G[x][y])
            word = (rel.label_zh if lang == "zh" else rel.label_en) if rel else key
        elif G.has_edge(y, x):
            key, rel = pick(G[y][x])
            word = (rel.inverse_zh if lang == "zh" else rel.inverse_en) if rel else key
        parts += [word, label(G, y, lang)]
    return " → ".join(parts)
