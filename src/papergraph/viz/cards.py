"""Node cards: everything the full card of one node shows, and the names a reader may search by.

A card is plain text fields (never HTML), built from
:mod:`papergraph.query` (prerequisites and what a paper unlocks, with their
reason chains) and, for a stage, :func:`papergraph.cards.stage_card`. The
map's page, the Streamlit app and any other front end show the same dict.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", kind="paper", label_en="A", label_zh="甲", year=2017)
>>> G.add_node("b", kind="paper", label_en="B", arxiv="1706.03762")
>>> _ = G.add_edge("b", "a", "builds_on", relation="builds_on")
>>> c = card(G, "b", "en")
>>> c["label"], c["url"], [s["heading"] for s in c["sections"]][:1]
('B', 'https://arxiv.org/abs/1706.03762', ['Read first'])
>>> [(i["id"], i["detail"]) for i in c["sections"][0]["items"]]
[('a', 'B → builds on → A')]
>>> search_names(G, ["a"])
[['A', 'a'], ['甲', 'a'], ['a', 'a']]
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from .. import schema
from ..i18n import flag_label, kind_label, norm_lang, relation_label, t
from ..query import explain, label, prerequisites, stage_of, unlocks

__all__ = ["CARD_LIMIT", "CARD_MEMO_SIZE", "Card", "card", "cards_for", "clear_card_memo", "node_text", "node_url",
           "search_names", "stage_card_for"]

#: Most items a card section lists (the rest are counted).
CARD_LIMIT = 40
#: Most cards (node cards and stage cards) kept between maps, over all graphs and languages.
CARD_MEMO_SIZE = 20_000


def node_text(G, node: str, base: str, lang: str) -> str:
    """A node's text column in ``lang`` (``base`` ``"note"`` reads note/note_zh), else the other language.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", description_en="English only")
    >>> node_text(G, "x", "description", "zh")
    'English only'
    """
    d = G.nodes[node]
    en = d.get(base if base == "note" else f"{base}_en") or ""
    zh = d.get(f"{base}_zh") or ""
    return (zh or en) if norm_lang(lang) == "zh" else (en or zh)


def node_url(d: dict) -> str:
    """The web link of a node's data: its ``url``, else its arXiv page; only ``http(s)``, else ``""``.

    >>> node_url({"arxiv": "2212.09748"}), node_url({"url": "javascript:alert(1)"})
    ('https://arxiv.org/abs/2212.09748', '')
    """
    url = d.get("url") or ""
    if not url and d.get("arxiv"):
        url = f"https://arxiv.org/abs/{d['arxiv']}"
    return url if re.match(r"https?://", url) else ""


def _items(G, ids, lang, detail=None):
    items = []
    for n in ids[:CARD_LIMIT]:
        d = G.nodes[n]
        item = {"id": n, "label": label(G, n, lang), "kind": d.get("kind", ""),
                "detail": detail(n) if detail else ""}
        if d.get("kind") == "tool":
            item["url"] = node_url(d)
        items.append(item)
    return items


def _section(G, heading, ids, lang, detail=None, empty="", key=""):
    ids = list(ids)
    return {"heading": heading, "key": key, "items": _items(G, ids, lang, detail),
            "more": max(0, len(ids) - CARD_LIMIT),
            "more_text": t("card_more", lang, n=len(ids) - CARD_LIMIT) if len(ids) > CARD_LIMIT else "",
            "empty": empty}


def _out(G, node, rel):
    return [v for _, v, r in G.out_edges(node, keys=True) if r == rel]


def _in(G, node, rel):
    return [u for u, _, r in G.in_edges(node, keys=True) if r == rel]


def card(G, node: str, lang: str = "zh", *, stage_card: dict | None = None) -> dict:
    """Everything the full card of ``node`` shows, as plain text fields.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph.
    node : str
        Any node id.
    lang : "zh" or "en"
    stage_card : dict, optional
        For a stage: its :func:`papergraph.cards.stage_card`, when the caller
        already has it.

    Returns
    -------
    dict
        ``id``, ``kind``, ``kind_label``, ``label``, ``subtitle`` (the name
        in the other language), ``title``, ``facts`` (``[[name, value]]``),
        ``url``, ``url_label``, ``text_heading``, ``text``, ``flag``,
        ``note``, ``stage`` and ``sections`` (``[{heading, key, items: [{id,
        label, kind, detail, url?}], more, more_text, empty}]``; a tool item
        carries its ``url``). Prerequisites carry their reason chain
        (:func:`papergraph.query.explain`) as ``detail``; a stage's
        sections have the keys ``papers``, ``concepts``, ``tools`` and
        ``questions``.
    """
    lang = norm_lang(lang)
    d = G.nodes[node]
    k = d.get("kind", "")
    other = "en" if lang == "zh" else "zh"
    name = label(G, node, lang)
    sub = label(G, node, other)
    st = stage_of(G, node) if k == "paper" else None
    c = {
        "id": node, "kind": k, "kind_label": kind_label(k, lang), "label": name,
        "subtitle": sub if sub != name else "", "title": d.get("title", ""), "facts": [],
        "url": node_url(d), "url_label": t("card_link", lang), "text_heading": "", "text": "",
        "flag": flag_label(d["flag"], lang) if d.get("flag") else "",
        "note": node_text(G, node, "note", lang), "stage": label(G, st, lang) if st else "", "sections": [],
    }
    facts = c["facts"]
    if k == "paper":
        if d.get("authors"):
            facts.append([t("card_authors", lang), ", ".join(d["authors"])])
        if d.get("year"):
            facts.append([t("card_year", lang), str(d["year"])])
        if d.get("venue"):
            facts.append([t("card_venue", lang), d["venue"]])
        if d.get("arxiv"):
            facts.append(["arXiv", d["arxiv"]])
        facts.append([t("card_stage", lang), c["stage"] or t("no_stage", lang)])
        c["text_heading"] = t("card_summary", lang)
    elif k == "concept":
        c["text_heading"] = t("card_definition", lang)
    elif k == "stage":
        c["text_heading"] = t("card_goal", lang)
        lo, hi = d.get("weeks_min"), d.get("weeks_max")
        if lo is not None and hi is not None and lo != hi:
            facts.append([t("card_weeks", lang), t("weeks", lang, lo=lo, hi=hi)])
        elif lo is not None or hi is not None:
            facts.append([t("card_weeks", lang), t("weeks_one", lang, n=lo if lo is not None else hi)])
    elif k == "tool":
        c["url_label"] = t("card_tool_link", lang)
    c["text"] = node_text(G, node, "description", lang)
    secs = c["sections"]
    if k in ("paper", "concept"):
        r = prerequisites(G, node)
        u = unlocks(G, node)
        direct = set(u.direct)
        secs.append(_section(G, t("card_prereqs", lang), r.papers, lang,
                             lambda p: explain(G, r.why[p], lang), t("card_prereqs_none", lang)))

        def via(p):
            if p in direct:
                return t("card_direct", lang) + " · " + explain(G, list(reversed(u.why[p])), lang)
            step = next((x for x in reversed(u.why[p][:-1]) if G.nodes[x].get("kind") == "paper"), None)
            return t("card_via", lang, name=label(G, step, lang)) if step and step != node else ""

        secs.append(_section(G, t("card_unlocks", lang), u.papers, lang, via))
        if k == "paper":
            secs.append(_section(G, t("card_introduces", lang), _out(G, node, "introduces"), lang))
            secs.append(_section(G, t("card_requires", lang), _out(G, node, "requires"), lang))
        else:
            secs.append(_section(G, t("card_introduced_by", lang), _in(G, node, "introduces"), lang))
            secs.append(_section(G, t("card_requires", lang), _out(G, node, "requires"), lang))
            secs.append(_section(G, t("card_required_by", lang), _in(G, node, "requires"), lang))
            rel = sorted(set(_out(G, node, "related_to")) | set(_in(G, node, "related_to")))
            secs.append(_section(G, t("card_related", lang), rel, lang))
        secs.append(_section(G, t("card_background", lang), r.background, lang))
    elif k == "stage":
        if stage_card is None:
            from ..cards import stage_card as _stage_card

            stage_card = _stage_card(G, node, lang)
        sc = stage_card
        secs.append(_section(G, t("card_stage_papers", lang), sc["papers"], lang, key="papers"))
        secs.append(_section(G, t("card_stage_concepts", lang), sc["concepts"], lang, key="concepts"))
        secs.append(_section(G, t("card_stage_tools", lang), sc["tools"], lang, key="tools"))
        secs.append(_section(G, t("card_stage_questions", lang), [q["id"] for q in sc["questions"]], lang,
                             lambda q: ", ".join(label(G, x, lang) for x in _out(G, q, "asks_about")),
                             key="questions"))
        for rel, inverse in (("precedes", True), ("precedes", False)):
            ids = _in(G, node, rel) if inverse else _out(G, node, rel)
            secs.append(_section(G, relation_label(rel, lang, inverse=inverse), ids, lang))
    else:
        for rel in list(schema.RELATIONS) + sorted({r for *_, r in G.edges(node, keys=True)} - set(schema.RELATIONS)):
            secs.append(_section(G, relation_label(rel, lang), _out(G, node, rel), lang))
            secs.append(_section(G, relation_label(rel, lang, inverse=True), _in(G, node, rel), lang))
    c["sections"] = [s for s in secs if s["items"] or s["empty"]]
    return c


# ---------------------------------------------------------------- the memo

class Card(dict):
    """A remembered card: a plain ``dict`` that also keeps its page JSON once written.

    Only :func:`cards_for` makes them, and nobody changes them afterwards,
    so :func:`papergraph.viz.html.script_json` can reuse ``json``.
    """

    __slots__ = ("json",)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.json = None

    def __reduce__(self):  # pickled (st.cache_data) as the plain dict it is
        return (dict, (dict(self),))


_memo: OrderedDict = OrderedDict()
_memo_lock = threading.Lock()


def _memo_key(G, *parts):
    digest = getattr(G, "graph", {}).get("digest")
    return (digest, *parts) if digest else None


def _remembered(key, make):
    if key is None:
        return make()
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
    value = make()  # outside the lock: two threads may both build it, and both get the same answer
    with _memo_lock:
        _memo[key] = value
        while len(_memo) > CARD_MEMO_SIZE:
            _memo.popitem(last=False)
    return value


def clear_card_memo() -> None:
    """Forget every remembered card and layout (for measuring the cold cost of a map)."""
    from . import placement

    with _memo_lock:
        _memo.clear()
    with placement._layouts_lock:
        placement._layouts.clear()


def stage_card_for(G, stage: str, lang: str = "zh") -> dict:
    """:func:`papergraph.cards.stage_card`, remembered per graph content (``G.graph["digest"]``) and language.

    A graph without a digest (built in code rather than loaded) is never
    remembered. Treat the answer as read-only.
    """
    from ..cards import stage_card

    lang = norm_lang(lang)
    return _remembered(_memo_key(G, "stage", lang, stage), lambda: stage_card(G, stage, lang))


def cards_for(G, nodes, lang: str = "zh") -> dict[str, dict]:
    """``{node: card(G, node, lang)}``, each remembered per graph content and language.

    A card depends only on the graph and the language, never on a learner's
    progress or the map's focus and filters, so a map drawn again for
    another focus, filter or progress reuses the cards it already built. A
    graph loaded by :func:`papergraph.load.load_graph` carries the digest of
    its files' contents (``G.graph["digest"]``), which keys the memo; a graph
    without one is never remembered. Treat the cards as read-only.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(digest="d1")
    >>> G.add_node("p", kind="paper", label_en="P")
    >>> a, b = cards_for(G, ["p"], "en"), cards_for(G, ["p"], "en")
    >>> a["p"] is b["p"], a["p"]["label"]
    (True, 'P')
    """
    lang = norm_lang(lang)
    out = {}
    for n in nodes:
        def make(n=n):
            kind = G.nodes[n].get("kind")
            return Card(card(G, n, lang, stage_card=stage_card_for(G, n, lang) if kind == "stage" else None))
        out[n] = _remembered(_memo_key(G, "card", lang, n), make)
    return out


def search_names(G, nodes=None) -> list[list[str]]:
    """``[[name, id]]``: every name a reader may type for each node (labels, aliases, arXiv id, title, id)."""
    out = []
    for n in (nodes if nodes is not None else G.nodes):
        d = G.nodes[n]
        seen = set()
        for name in [d.get("label_en"), d.get("label_zh"), *(d.get("aliases") or []), d.get("arxiv"),
                     d.get("title"), n]:
            if name and name not in seen:
                seen.add(name)
                out.append([str(name), n])
    return out
