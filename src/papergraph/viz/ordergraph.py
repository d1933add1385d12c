"""The compact order graph a map's page carries, so that it computes the long sections of a card itself.

A card's prerequisites, what a paper unlocks, its background concepts and a
stage's papers and concepts walk the reading order, possibly across the
whole graph (a foundational paper unlocks most of it); what needs a popular
concept, or introduces it, means reading thousands of its in-edges. The
page does not carry them built: :func:`order_graph` carries the graph's
order index (:meth:`papergraph.orderindex.OrderIndex.to_page`), which the
page's ``static/pgcore.js`` (a port of :mod:`papergraph.core`, checked
against it on random graphs) walks, plus what the card's words need:

``index``
    the serialised order index (node ``i`` is its ``i``-th id);
``labels``, ``row``
    each node's label in the map's language, its line in ``nodes.csv``;
``edges``
    ``[source, target, relation, …]`` for every edge of a relation in the
    index, target by target, each target's in the order of ``G.in_edges``
    (a card lists "introduced by" or "needed by" in that order);
``rels``
    ``[[name, order, label, inverse], …]`` by relation code;
``urls``
    ``{index: url}`` of the tools (an item of a tool links to it);
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
>>> og["index"]["ids"], og["labels"], og["edges"], og["rels"][og["edges"][2]][:2]
(['b', 'a'], ['B', '甲'], [0, 1, 0], ['builds_on', 'target-first'])
"""

from __future__ import annotations

import json

from .. import schema
from ..i18n import norm_lang
from ..orderindex import index_of
from ..query import label
from . import persist
from .cards import _memo_key, _remembered, node_url
from .escape import script_safe as _escape

__all__ = ["FORMAT", "order_graph", "order_graph_json"]

#: Version of the fields above; part of the name of the file kept on disk.
FORMAT = 5


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

    Its cost grows with the graph's nodes and edges (one pass over each).
    """
    lang = norm_lang(lang)
    ix = index_of(G)
    rels = list(ix.rels)
    code = {name: i for i, name in enumerate(rels)}
    nodes = G.nodes
    index = ix.position
    edges, related = [], []
    for u, v, r in _in_edges(G):
        c = code.get(r)
        if c is not None:
            edges += (index(u), index(v), c)
        elif r == "related_to":
            related += (index(u), index(v))
    labels, row, urls = [], [], {}
    for i, n in enumerate(ix.ids):
        d = nodes[n]
        labels.append(label(G, n, lang))
        row.append(d.get("row", 0))
        if d.get("kind") == "tool":  # a card's item of a tool links to it (papergraph.viz.cards._items)
            urls[str(i)] = node_url(d)
    specs = [schema.RELATIONS[r] for r in rels]
    return {
        "format": FORMAT,
        "index": ix.to_page(),
        "labels": labels,
        "row": row,
        "edges": edges,
        "rels": [[s.name, s.order or "", s.label_zh if lang == "zh" else s.label_en,
                  s.inverse_zh if lang == "zh" else s.inverse_en] for s in specs],
        "urls": urls,
        "related": related,  # last: a file of it that was cut short does not end with "]}"
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
    lang = norm_lang(lang)

    def build():
        return _escape(json.dumps(order_graph(G, lang), ensure_ascii=True, separators=(",", ":")))

    def whole(text):  # a file cut short is made again
        return text.startswith('{"format":') and text.endswith("]}") and text.isascii()

    def make():
        return persist.text(G, f"order-{FORMAT}-{lang}.json", build, whole)

    return _remembered(_memo_key(G, "order-graph", lang), make)
