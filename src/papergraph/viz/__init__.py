"""The concept map: a stable layout, styles, legend, cards, stage progress and a standalone HTML page.

The map is plain data that the browser draws with vis-network, put
through pyvis with papergraph's own template:

* :mod:`.placement` — :func:`layout` places the graph once: stages from
  left to right, each a column with its papers in the guide's listing order
  and, beside them, the concepts they introduce; background concepts on the
  far left. Nothing moves afterwards (physics is off).
* :mod:`.style` — colours by stage, shapes by kind, lines by relation,
  label wrapping, vis-network options.
* :mod:`.cards` — :func:`card`, the full card of one node (built from
  :mod:`papergraph.query` and :func:`papergraph.cards.stage_card`), and
  :func:`card_shells_for`, the part of it a map's page carries.
* :mod:`.ordergraph` — :func:`order_graph`, the compact order graph from
  which the page computes the rest of a card when it is opened.
* :mod:`.persist` — the layout and the order graph of a graph's content,
  kept on disk beside its cache so that a new process reads them.
* :mod:`.mapdata` — :func:`map_data` turns the graph, a language, a focus,
  filters and a learner's progress into the nodes, edges, legend and cards
  of one map, capped at :data:`MAX_NODES`; each stage shows its progress
  (:func:`papergraph.progress.stage_progress`) or its counts.
* :mod:`.html` — :func:`render_html` builds a :class:`pyvis.network.Network`
  and renders it with ``papergraph/static/map.html`` into one
  self-contained page (no request leaves it); :func:`map_html` goes from
  graph to page, :func:`write_html` saves it atomically as UTF-8.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("s1", kind="stage", label_en="Basics", order=1)
>>> G.add_node("p", kind="paper", label_en="P", year=2017)
>>> _ = G.add_edge("p", "s1", "in_stage", relation="in_stage")
>>> data = map_data(G, "en")
>>> data["shown"], data["cards"]["p"]["stage"], card(G, "p", "en")["sections"][0]["heading"]
(2, 'Basics', 'Read first')
>>> page_islands(render_html(data))["nodes"] == data["nodes"]
True
"""

from .cards import card, card_shells_for, cards_for, clear_card_memo, search_names
from .html import (
    drawn_graph,
    map_html,
    page_islands,
    pyvis_network,
    pyvis_reference_html,
    render_html,
    script_json,
    vis_js,
    write_html,
)
from .mapdata import MAX_NODES, curriculum_title, legend, map_data, neighbourhood, stage_line, stage_ready
from .ordergraph import order_graph, order_graph_json
from .placement import Layout, kinds_present, layout, layout_for, relations_present, stage_list
from .style import (
    DEFAULT_KINDS,
    DEFAULT_RELATIONS,
    EDGE_STYLE,
    KIND_STYLE,
    NEUTRAL,
    PALETTE,
    stage_colour,
    vis_options,
    wrap_label,
)

__all__ = [
    "DEFAULT_KINDS",
    "DEFAULT_RELATIONS",
    "EDGE_STYLE",
    "KIND_STYLE",
    "MAX_NODES",
    "NEUTRAL",
    "PALETTE",
    "Layout",
    "card",
    "card_shells_for",
    "cards_for",
    "clear_card_memo",
    "curriculum_title",
    "drawn_graph",
    "kinds_present",
    "layout",
    "layout_for",
    "legend",
    "map_data",
    "map_html",
    "neighbourhood",
    "order_graph",
    "order_graph_json",
    "page_islands",
    "pyvis_network",
    "pyvis_reference_html",
    "relations_present",
    "render_html",
    "script_json",
    "search_names",
    "stage_colour",
    "stage_line",
    "stage_list",
    "stage_ready",
    "vis_js",
    "vis_options",
    "wrap_label",
    "write_html",
]
