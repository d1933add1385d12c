"""The compact order graph a map's page carries, so that it computes the long sections of a card itself.

A card's prerequisites, what a paper unlocks, its background concepts and a
stage's papers and concepts walk the reading order, possibly across the
whole graph (a foundational paper unlocks most of it); what needs a popular
concept, or introduces it, means reading thousands of its in-edges. The
page does not carry them built: :func:`order_graph` lists, once per graph
and language, every node those walks can meet and every edge of a relation
that constrains the reading order (and every ``related_to`` edge), in a few
flat arrays, and the page's script (``papergraph/static/map.js``) ports the
few functions of :mod:`papergraph.query`, :mod:`papergraph.order` and
:mod:`papergraph.cards` it needs to answer exactly as
:func:`papergraph.viz.cards.card` would.

Fields (node ``i`` is the ``i``-th of ``ids``, which are sorted as Python
sorts strings, so ordering by index is ordering by id):

``ids``, ``labels``
    node ids and labels in the map's language;
``kind``, ``kinds``
    each node's kind, as an index into ``kinds``;
``rank``
    each node's place under the ``guide`` tie-break of a reading order
    (:func:`papergraph.order.sort_key`);
``row``
    each node's line in ``nodes.csv`` (0 when unknown), for a stage's concepts;
``stage``
    a paper's stage (a node index), else -1;
``edges``
    ``[source, target, relation, …]`` for every edge whose relation
    constrains the order, target by target, each target's in the order of
    ``G.in_edges`` (a card lists "introduced by" or "needed by" in that order);
``rels``
    ``[[name, order, label, inverse], …]`` sorted by name; ``order`` is
    ``"source-first"`` or ``"target-first"``;
``urls``
    ``{index: url}`` of the tools listed (an item of a tool links to it);
``related``
    ``[source, target, …]`` for every ``related_to`` edge.

The headings of the computed sections are in the map's ``computed``
(:func:`papergraph.viz.cards.lazy_sections`), their other words in its ``strings``.

:func:`order_graph_json` is its script-safe JSON text, remembered in this
process and kept on disk per graph content (:mod:`papergraph.viz.persist`).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("b", kind="paper", label_en="B")
>>> G.add_node("a", kind="paper", label_en="A", label_zh="甲")
>>> _ = G.add_edge("b", "a", "builds_on", relation="builds_on")
>>> _ = G.add_edge("b", "a", "cites", relation="cites")
>>> og = order_graph(G, "zh")
>>> og["ids"], og["labels"], og["edges"], og["rels"][og["edges"][2]][:2]
(['a', 'b'], ['甲', 'B'], [1, 0, 0], ['builds_on', 'target-first'])
"""

from __future__ import annotations

import json

from .. import schema
from ..i18n import norm_lang
from ..query import label
from . import persist
from .cards import _LISTED, _memo_key, _remembered, node_url

__all__ = ["FORMAT", "order_graph", "order_graph_json"]

#: Version of the fields above; part of the name of the file kept on disk.
FORMAT = 4


def _in_edges(G):
    """``(source, target, key)`` for every edge, target by target, each target's in the order of ``G.in_edges``."""
    pred = getattr(G, "_pred", None)
    if type(pred) is dict:  # a plain NetworkX graph: straight from its adjacency
        for v, nbrs in pred.items():
            for u, keys in nbrs.items():
                for r in keys:
                    yield u, v, r
    else:
        for v in G:
            yield from G.in_edges(v, keys=True)


def order_graph(G, lang: str = "zh") -> dict:
    """The compact order graph of ``G`` in ``lang`` (fields in the module's docstring).

    Its cost grows with the graph's nodes and edges (one pass over each, one sort).
    """
    from ..order import _sort_key
    from ..query import stage_of as first_stage

    lang = norm_lang(lang)
    rels = {name: spec for name, spec in schema.RELATIONS.items() if spec.order}
    names = sorted(rels)
    code = {name: i for i, name in enumerate(names)}
    nodes = G.nodes
    keep = {n for n, k in G.nodes(data="kind") if k in _LISTED}  # and every node on an edge listed
    raw, related = [], []
    stage_of: dict = {}
    several = set()
    for u, v, r in _in_edges(G):
        c = code.get(r)
        if c is not None:
            raw.append((u, v, c))
            keep.add(u)
            keep.add(v)
        elif r == "related_to":
            related.append((u, v))
            keep.add(u)
            keep.add(v)
        elif r == "in_stage" and stage_of.setdefault(u, v) != v:
            several.add(u)
    for u in several:  # papergraph.query.stage_of: the first of a node's own in_stage edges
        stage_of[u] = first_stage(G, u)
    ids = sorted(keep)
    index = {n: i for i, n in enumerate(ids)}
    key = _sort_key(G, "guide", stage_of)
    rank = [0] * len(ids)
    for r, n in enumerate(sorted(ids, key=key)):
        rank[index[n]] = r
    kinds: list[str] = []
    kind_code: dict = {}
    kind, row, stage, labels, urls = [], [], [], [], {}
    for i, n in enumerate(ids):
        d = nodes[n]
        k = d.get("kind", "")
        if k not in kind_code:
            kind_code[k] = len(kinds)
            kinds.append(k)
        kind.append(kind_code[k])
        row.append(d.get("row", 0))
        st = stage_of.get(n) if k == "paper" else None
        stage.append(index.get(st, -1) if st is not None else -1)
        labels.append(label(G, n, lang))
        if k == "tool":  # a card's item of a tool links to it (papergraph.viz.cards._items)
            urls[str(i)] = node_url(d)
    edges = []
    for u, v, c in raw:
        edges += (index[u], index[v], c)
    pairs = []
    for u, v in related:
        pairs += (index[u], index[v])
    return {
        "format": FORMAT,
        "ids": ids,
        "labels": labels,
        "kind": kind,
        "kinds": kinds,
        "rank": rank,
        "row": row,
        "stage": stage,
        "edges": edges,
        "rels": [[n, rels[n].order, rels[n].label_zh if lang == "zh" else rels[n].label_en,
                  rels[n].inverse_zh if lang == "zh" else rels[n].inverse_en] for n in names],
        "urls": urls,
        "related": pairs,  # last: a file of it that was cut short does not end with "]}"
    }


def order_graph_json(G, lang: str = "zh") -> str:
    """:func:`order_graph` as JSON that is safe inside ``<script>`` (see :func:`papergraph.viz.html.script_json`).

    Written in ASCII (``\\uXXXX`` for the rest): a new process decodes it
    three times faster than UTF-8 Chinese, for a quarter more bytes.
    Remembered per graph content (``G.graph["digest"]``) and language, in
    this process and on disk beside the graph's cache, so that a new process
    reads it instead of building it. A graph without a digest is built each time.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", kind="paper", label_en="</script>", label_zh="甲")
    >>> text = order_graph_json(G, "zh")
    >>> "</script>" in text, '"\\\\u7532"' in text, text.isascii()
    (False, True, True)
    """
    from .html import _escape

    lang = norm_lang(lang)

    def build():
        return _escape(json.dumps(order_graph(G, lang), ensure_ascii=True, separators=(",", ":")))

    def whole(text):  # a file cut short is made again
        return text.startswith('{"format":') and text.endswith("]}") and text.isascii()

    def make():
        return persist.text(G, f"order-{FORMAT}-{lang}.json", build, whole)

    return _remembered(_memo_key(G, "order-graph", lang), make)
