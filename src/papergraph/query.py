"""Questions a learner asks the graph: names, prerequisites, what a paper unlocks, why.

Semantics
---------
Paper Q is a *prerequisite* of paper P when P builds on Q, or when P requires
a concept C (directly, or through a chain of concept-requires-concept) that
Q introduces or presents (Q ≠ P). Prerequisites are transitive. A concept
that no paper introduces is *background*. A concept P only ``uses`` is a
*component*: the papers that introduce P's components (and are not newer
than P) are *recommended*, never required, and bring nothing of their own.

The rule is implemented once, in :mod:`papergraph.core`, over the graph's
:class:`~papergraph.orderindex.OrderIndex`; this module speaks node ids and
words around it. Names are resolved by :mod:`papergraph.names`.

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

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import core, schema
from .names import resolve, resolve_many
from .orderindex import index_of

__all__ = [
    "Prerequisites",
    "Unlocks",
    "Chains",
    "label_of",
    "resolve",
    "resolve_many",
    "label",
    "nodes_of_kind",
    "stage_of",
    "stages_of",
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
    """The node's label in ``lang`` (``en`` or ``zh``), falling back to English, then to its id."""
    return label_of(G.nodes[node], node, lang)


def label_of(data: dict, node: str, lang: str = "en") -> str:
    """:func:`label` from the node's fields ``data``.

    >>> label_of({"label_en": "BERT"}, "bert", "zh"), label_of({}, "bert")
    ('BERT', 'bert')
    """
    return data.get(f"label_{lang}") or data.get("label_en") or node


def stage_of(G, node: str) -> str | None:
    """The stage a paper is read in (its first ``in_stage`` target), if any."""
    return stages_of(G, [node])[0]


def stages_of(G, nodes) -> list[str | None]:
    """:func:`stage_of` of each of ``nodes`` (one look-up of the index for all of them)."""
    ix = index_of(G)
    ids, stage, position = ix.ids, ix.stage, ix.position
    out = []
    for n in nodes:
        i = position(n)
        s = stage[i] if i is not None else -1
        out.append(ids[s] if s >= 0 else None)
    return out


def _out_edges(G, node: str):
    """``(target, key)`` for the out-edges of ``node``, in the order ``G.out_edges(node, keys=True)`` gives."""
    succ = getattr(G, "_succ", None)
    if type(succ) is dict:
        nbrs = succ.get(node)
        if type(nbrs) is dict:
            return [(t, k) for t, keys in nbrs.items() for k in keys]
    return [(t, k) for _, t, k in G.out_edges(node, keys=True)]


def introducers(G, concept: str) -> list[str]:
    """The papers that introduce ``concept`` (or where the guide's reader first meets it), by id."""
    ix = index_of(G)
    return [ix.ids[u] for u in ix.introducers(ix.position(concept))]


def before(G, node: str):
    """``[(other, relation)]`` for each node that must be read right before ``node``, by id."""
    ix = index_of(G)
    ids, rels = ix.ids, ix.rels
    return [(ids[u], rels[r]) for u, r in ix.before(ix.position(node))]


def after(G, node: str):
    """``[(other, relation)]`` for each node that must be read right after ``node``, by id."""
    ix = index_of(G)
    ids, rels = ix.ids, ix.rels
    return [(ids[v], rels[r]) for v, r in ix.after(ix.position(node))]


class Chains(Mapping):
    """``{id: reason chain}``, computed on demand from one shared walk (never copied per node).

    ``chains[x]`` runs from the walk's start to ``x``; ``reverse`` flips it.
    """

    def __init__(self, ix, w: core.Walk, keys, *, reverse: bool = False, extra: dict | None = None):
        self._ix, self._walk, self._keys, self._reverse = ix, w, list(keys), reverse
        self._extra = extra or {}
        self._keys += [k for k in self._extra if k not in set(self._keys)]

    def __getitem__(self, node):
        if node in self._extra:
            return self._extra[node]
        i = self._ix.position(node)
        if i is None or i not in self._walk.parent or i == self._walk.start:
            raise KeyError(node)
        chain = [self._ix.ids[x] for x in self._walk.chain(i)]
        return chain[::-1] if self._reverse else chain

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)

    def __contains__(self, node):
        if node in self._extra:
            return True
        i = self._ix.position(node)
        return i is not None and i in self._walk.parent and i != self._walk.start

    def __repr__(self):
        return repr(dict(self))


@dataclass
class Prerequisites:
    """What must be read before ``target``, each with one shortest reason chain.

    ``papers`` must be read first; ``recommended`` papers introduce a
    component the target uses and are optional. ``why[x]`` runs from the
    target to ``x``: target → concept … → x (for a recommended paper:
    target → uses → component → introduced by → x).
    """

    target: str
    papers: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    why: Mapping = field(default_factory=dict)
    components: list[str] = field(default_factory=list)
    recommended: list[str] = field(default_factory=list)

    def to_dict(self, limit: int | None = None) -> dict:
        """The JSON shape; ``limit`` caps each list (and the chains listed) and says what was cut."""
        out = {"target": self.target}
        cut = {}
        for key in ("papers", "concepts", "background", "components", "recommended"):
            items = getattr(self, key)
            out[key] = items if limit is None else items[:limit]
            if len(out[key]) < len(items):
                cut[key] = len(items)
        keep = None if limit is None else (set(out["papers"]) | set(out["concepts"]) | set(out["background"])
                                           | set(out["recommended"]))
        out["why"] = {k: self.why[k] for k in self.why if keep is None or k in keep}
        if cut:
            out["truncated"] = cut
        return out


@dataclass
class Unlocks:
    """What depends on ``target``: ``direct`` ones need it without another paper between."""

    target: str
    papers: list[str] = field(default_factory=list)
    direct: list[str] = field(default_factory=list)
    why: Mapping = field(default_factory=dict)

    def to_dict(self, limit: int | None = None) -> dict:
        out = {"target": self.target, "papers": self.papers if limit is None else self.papers[:limit]}
        if len(out["papers"]) < len(self.papers):
            out["truncated"] = {"papers": len(self.papers)}
        return out


def prerequisites(G, paper: str, *, direct: bool = False) -> Prerequisites:
    """Prerequisite papers (in a valid reading order) and concepts of ``paper``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`papergraph.load.load_graph` (or its cached view).
    paper : str
        The id of a node (usually a paper).
    direct : bool
        Only the immediate prerequisites: do not look past another paper.
    """
    ix = index_of(G)
    r = core.prerequisites(ix, ix.position(paper), direct=direct)
    ids = ix.ids
    found = [ids[x] for x in r.walk.found()]
    recommended = [ids[x] for x in r.recommended]
    extra = {ids[x]: [ids[y] for y in r.chain(x)] for x in r.recommended}
    return Prerequisites(paper, [ids[x] for x in r.papers], [ids[x] for x in r.concepts],
                         [ids[x] for x in r.background], Chains(ix, r.walk, found, extra=extra),
                         [ids[x] for x in r.components], recommended)


def unlocks(G, paper: str) -> Unlocks:
    """The papers that need ``paper``, directly and transitively, in reading order."""
    ix = index_of(G)
    u = core.unlocks(ix, ix.position(paper))
    ids = ix.ids
    papers = [ids[x] for x in u.papers]
    return Unlocks(paper, papers, [ids[x] for x in u.direct], Chains(ix, u.walk, papers))


def why(G, a: str, b: str) -> list[str] | None:
    """The shortest reason chain showing that ``a`` must be read before ``b``.

    The chain runs from ``b`` back to ``a`` (b → requires concept → … → a),
    or is ``None`` when ``a`` need not come before ``b``.
    """
    ix = index_of(G)
    chain = core.why(ix, ix.position(a), ix.position(b))
    return None if chain is None else [ix.ids[x] for x in chain]


def _order_of(rel: str) -> str | None:
    spec = schema.RELATIONS.get(rel)
    return spec.order if spec else None


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
