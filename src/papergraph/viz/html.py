"""The map as one self-contained HTML page, drawn through pyvis with papergraph's own template.

:func:`pyvis_network` puts a map's nodes, edges and options into a
:class:`pyvis.network.Network` (``add_node`` / ``add_edge``, at most
:data:`~papergraph.viz.mapdata.MAX_NODES` nodes, so pyvis's list scans stay
cheap). :func:`render_html` renders that network with pyvis's own template
mechanism (``Network.set_template_dir`` + ``Network.generate_html``), but
with the template ``papergraph/static/map.html`` instead of pyvis's, because
pyvis's links vis-network and bootstrap from public CDNs. Ours inlines the
vendored vis-network 9.1.2, the styles and the page's script, and a
Content-Security-Policy forbids any fetch, so the page works offline and
nothing leaves it. Never ``show()`` nor ``write_html()``: they copy a
``lib/`` folder and may link CDNs; :func:`write_html` writes the string
atomically as UTF-8 instead.

Everything the template embeds is JSON inside ``<script
type="application/json">`` islands (nodes and edges as pyvis holds them,
the options, the rest of the map: legend, card shells, strings, and the
compact order graph from which the page computes the long sections of a
card when it is opened, :mod:`papergraph.viz.ordergraph`) with ``<``,
``>``, ``&``, U+2028 and U+2029 escaped (:func:`script_json`); the page's
script shows data with ``textContent`` only. So a label such as
``</script><script>alert(1)</script>`` appears literally.

:func:`map_html` is the one call from graph to page, for commands and
benchmarks; :func:`pyvis_reference_html` is pyvis's own
``Network.from_nx`` + ``generate_html`` of the same drawn subgraph, the
yardstick a benchmark compares against.

Examples
--------
>>> script_json({"label": "</script>"})
'{"label":"\\\\u003c/script\\\\u003e"}'
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("p", kind="paper", label_en="</script><script>alert(1)</script>")
>>> page = map_html(G, "en")
>>> page.startswith("<!DOCTYPE html>"), "<script>alert(1)" in page
(True, False)
"""

from __future__ import annotations

import json
import re
from functools import cache

from ..i18n import t
from .cards import Card
from .escape import script_safe as _escape
from .mapdata import map_data

__all__ = [
    "drawn_graph",
    "map_html",
    "page_islands",
    "pyvis_network",
    "pyvis_reference_html",
    "render_html",
    "script_json",
    "vis_js",
    "write_html",
]

#: The page template, in ``papergraph/static`` (a Jinja2 template that pyvis renders).
TEMPLATE = "map.html"

# the fields of a map's data that pyvis carries (the rest goes into the page's own island)
_PYVIS_FIELDS = ("nodes", "edges", "options")
# the map's order graph, already script-safe JSON text, has an island of its own (parsed only when a card opens)
_ORDER = "order"


def _dumps(obj) -> str:
    return _escape(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))


def _card_json(c) -> str:
    if isinstance(c, Card):  # remembered and never changed: write its JSON once
        if c.json is None:
            c.json = _dumps(c)
        return c.json
    return _dumps(c)


def script_json(obj) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped.

    A map's ``cards`` (``{id: card}``) reuse the JSON their remembered cards
    keep (:class:`~papergraph.viz.cards.Card`).

    >>> script_json(["a & b", "\\u2028"])
    '["a \\\\u0026 b","\\\\u2028"]'
    """
    if isinstance(obj, dict) and isinstance(obj.get("cards"), dict) and obj["cards"]:
        rest = _dumps({k: v for k, v in obj.items() if k != "cards"})
        cards = ",".join(f"{_dumps(k)}:{_card_json(c)}" for k, c in obj["cards"].items())
        return rest[:-1] + ("," if len(rest) > 2 else "") + '"cards":{' + cards + "}}"
    return _dumps(obj)


def _script_text(text: str) -> str:
    """JSON text already written (pyvis's ``json.dumps`` of the options), made safe the same way."""
    return _escape(str(text))


def _order_text(order) -> str:
    """The order graph's island: its JSON text (script-safe already; checked cheaply), or ``null``."""
    if order is None:
        return "null"
    if not isinstance(order, str):
        return script_json(order)
    return _escape(order) if "<" in order else order  # only "<" can end a script early


def _static_dir() -> str:
    from importlib.resources import files

    return str(files("papergraph").joinpath("static"))


def _static(name: str) -> str:
    from importlib.resources import files

    # bytes, decoded at once: a text stream decodes the 470 kB of vis-network in small chunks, several times slower.
    # Newlines stay as they are (vis-network's are CRLF): an HTML parser reads CR LF as LF anyway.
    return files("papergraph").joinpath("static", name).read_bytes().decode("utf-8")


@cache
def vis_js() -> str:
    """The vendored vis-network standalone build (9.1.2, the one pyvis ships), with its license header."""
    js = _static("vis-network.min.js")
    # it never contains "</script", but make sure the page cannot be cut short by it (looking only where "</" is:
    # a case-blind regex over the whole 470 kB costs more than the rest of reading it)
    i = js.find("</")
    while i >= 0:
        if js[i + 2:i + 8].lower() == "script":
            return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
        i = js.find("</", i + 2)
    return js


@cache
def _bytecode_cache():
    """Compiled templates, kept in memory and on disk (:func:`papergraph.viz.persist.shared`).

    pyvis makes a fresh Jinja2 environment for each network, and a new
    process would compile the page's template again. Jinja2 checks each
    entry against the template's source and its own and Python's versions,
    so an edited template or another interpreter compiles afresh.
    """
    import jinja2

    from . import persist

    class Cache(jinja2.BytecodeCache):
        def __init__(self):
            self._store: dict[str, bytes] = {}

        def load_bytecode(self, bucket):
            code = self._store.get(bucket.key)
            if code is None:
                code = persist.shared(f"template-{bucket.key}.bin")
            if code is not None:
                try:
                    bucket.bytecode_from_string(code)
                except Exception:  # noqa: BLE001 - a damaged entry: compile again
                    bucket.reset()

        def dump_bytecode(self, bucket):
            code = self._store[bucket.key] = bucket.bytecode_to_string()
            persist.shared(f"template-{bucket.key}.bin", code)

    return Cache()


@cache
def _assets() -> tuple[str, str]:
    """The page's styles and script (``map.css``; ``pgcore.js``, the prerequisite core, then ``map.js``)."""
    return _static("map.css"), _static("pgcore.js") + "\n" + _static("map.js")


class _NodeIds(list):
    """pyvis's list of node ids (``Network.node_ids``) with a set beside it.

    ``Network.add_node`` and ``add_edge`` check an id with ``in`` against
    that list (``add_edge`` twice, through ``get_nodes``), which made
    building a network cost about nodes × edges; the set answers at once.

    >>> ids = _NodeIds(); ids.append("a")
    >>> "a" in ids, "b" in ids, ids
    (True, False, ['a'])
    """

    def __init__(self):
        super().__init__()
        self._known = set()

    def append(self, n):
        super().append(n)
        self._known.add(n)

    def __contains__(self, n):
        return n in self._known


def pyvis_network(data: dict):
    """A :class:`pyvis.network.Network` holding the drawn nodes and edges of ``data`` and its options.

    Parameters
    ----------
    data : dict
        A map from :func:`~papergraph.viz.mapdata.map_data` (at most
        :data:`~papergraph.viz.mapdata.MAX_NODES` nodes: pyvis's
        ``add_node`` and ``add_edge`` scan a list of ids).

    Returns
    -------
    pyvis.network.Network
        Directed, physics off, positions fixed by the map's ``x``/``y``;
        every vis-network field of each node and edge is passed through.
    """
    from pyvis.network import Network  # imported here: the map's data and cards do not need it

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.node_ids = _NodeIds()  # add_node and add_edge ask it whether an id is known, once or twice per call
    for n in data["nodes"]:
        fields = {k: v for k, v in n.items() if k not in ("id", "label", "shape")}
        net.add_node(n["id"], label=n["label"], shape=n["shape"], **fields)
    for e in data["edges"]:
        net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to")})
    net.options = dict(data["options"])  # a dict: pyvis json.dumps it as it is
    return net


def render_html(data: dict, *, title: str | None = None) -> str:
    """One self-contained HTML page drawing ``data`` (from :func:`~papergraph.viz.mapdata.map_data`).

    The nodes and edges go through :func:`pyvis_network`, and pyvis renders
    the page with papergraph's template (``set_template_dir`` +
    ``generate_html``). The page loads nothing from outside itself.
    """
    net = pyvis_network(data)
    lang = data.get("lang", "zh")
    css, app = _assets()
    net.set_template_dir(_static_dir(), TEMPLATE)
    env = net.templateEnv  # a fresh Jinja2 environment of this network's own
    env.bytecode_cache = _bytecode_cache()  # keyed by the template's source: an edited template recompiles
    env.filters["script_json"] = script_json
    env.filters["script_text"] = _script_text
    env.globals["pg"] = {
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "title": title or t("app_title", lang),
        "css": css,
        "vis": vis_js(),
        "app": app,
        "data": {k: v for k, v in data.items() if k not in _PYVIS_FIELDS and k != _ORDER},
        "order": _order_text(data.get(_ORDER)),
    }
    return net.generate_html()


def map_html(G, lang: str = "zh", *, title: str | None = None, **kw) -> str:
    """The map of ``G`` as one standalone HTML page: :func:`~papergraph.viz.mapdata.map_data` + :func:`render_html`.

    Keyword arguments go to :func:`~papergraph.viz.mapdata.map_data`
    (``focus``, ``depth``, ``others``, ``stages``, ``kinds``,
    ``relations``, ``read``, ``next_up``, ``ticked``, ``progress``,
    ``max_nodes``, ``layout_``, ``with_cards``).
    """
    from .mapdata import curriculum_title

    return render_html(map_data(G, lang, **kw), title=title or curriculum_title(G, lang))


def write_html(G, path, lang: str = "zh", *, title: str | None = None, **kw) -> dict:
    """Write the map of ``G`` as one standalone HTML file (UTF-8, atomically).

    Keyword arguments go to :func:`~papergraph.viz.mapdata.map_data`. Returns the map's data.
    """
    from ..files import atomic_write
    from .mapdata import curriculum_title

    data = map_data(G, lang, **kw)
    atomic_write(path, render_html(data, title=title or curriculum_title(G, lang)))
    return data


_ISLAND = re.compile(r'<script type="application/json" id="pg-(nodes|edges|options|data|order)">(.*?)</script>',
                     re.DOTALL)


def page_islands(page: str) -> dict:
    """The map's data read back from a page of :func:`render_html` (nodes, edges, options and order merged in).

    ``order`` comes back parsed (a dict, or None for a map without cards).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("p", kind="paper", label_en="A & B")
    >>> d = page_islands(map_html(G, "en", view="network"))
    >>> [n["label"] for n in d["nodes"]], d["options"]["physics"]
    (['A & B'], {'enabled': False})
    """
    found = {name: json.loads(text) for name, text in _ISLAND.findall(page)}
    data = dict(found.get("data", {}))
    for name in (*_PYVIS_FIELDS, _ORDER):
        if name in found:
            data[name] = found[name]
    return data


# ---------------------------------------------------------------- the yardstick

def drawn_graph(data: dict):
    """The drawn subgraph of a map as a :class:`networkx.MultiDiGraph` whose attributes are the vis-network fields."""
    import networkx as nx

    H = nx.MultiDiGraph()
    for n in data["nodes"]:
        H.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in data["edges"]:
        H.add_edge(e["from"], e["to"], key=e.get("relation"), **{k: v for k, v in e.items() if k not in ("from", "to")})
    return H


def pyvis_reference_html(data: dict) -> str:
    """pyvis's own ``Network.from_nx`` + ``generate_html`` of the map's drawn subgraph, with pyvis's template.

    The yardstick for benchmarks of :func:`render_html` (same nodes, edges
    and options). Its page links CDNs and carries no cards: never ship it.
    """
    from pyvis.network import Network

    net = Network(directed=True)
    net.from_nx(drawn_graph(data))
    net.options = dict(data["options"])
    return net.generate_html()
