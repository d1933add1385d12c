"""Node cards: everything the full card of one node shows, and the names a reader may search by.

A card is plain text fields (never HTML), built from
:mod:`papergraph.query` (prerequisites and what a paper unlocks, with their
reason chains) and, for a stage, :func:`papergraph.cards.stage_card`. The
Streamlit app and any other front end show the same dict.

The map's page does not carry whole cards: a paper's prerequisites can span
the whole graph, and a popular concept is needed by thousands of papers.
:func:`card_shells_for` gives each drawn node's *shell* (``card(...,
lazy=True)``): the fields read off the node and its few out-edges, and, in
place of each section that walks the reading order or reads the node's
in-edges (:data:`LAZY_SECTIONS`), a placeholder ``{"compute": name, "key":
key}``. The page's script computes those sections when a card is opened,
from the compact order graph of :mod:`papergraph.viz.ordergraph` (headings
from :func:`lazy_sections`), and gets exactly what :func:`card` shows
(``tests/test_browser.py`` compares them node by node).

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
>>> [s.get("compute") for s in card(G, "b", "en", lazy=True)["sections"]]
['prereqs', 'recommended', 'unlocks', 'background']
>>> search_names(G, ["a"])
[['A', 'a'], ['甲', 'a'], ['a', 'a']]
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import cache

from .. import schema
from ..cards import _sources, stage_questions, stage_tools
from ..i18n import STRINGS, flag_label, kind_label, norm_lang, relation_label, t
from ..query import _out_edges, explain, label, prerequisites, unlocks

__all__ = ["CARD_LIMIT", "CARD_MEMO_SIZE", "LAZY_SECTIONS", "Card", "card", "card_shells_for", "cards_for",
           "clear_card_memo", "lazy_sections", "node_text", "node_url", "search_names", "stage_card_for"]

#: Most items a card section lists (the rest are counted).
CARD_LIMIT = 40
#: Most cards (node cards and stage cards) kept between maps, over all graphs and languages.
CARD_MEMO_SIZE = 20_000
#: The sections a card shell leaves to the map's page: they walk the reading order, or read a node's in-edges.
LAZY_SECTIONS = ("prereqs", "recommended", "unlocks", "background", "stage_papers", "stage_concepts", "introduced_by",
                 "required_by", "related", "follows")


def node_text(G, node: str, base: str, lang: str) -> str:
    """A node's text column in ``lang`` (``base`` ``"note"`` reads note/note_zh), else the other language.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", description_en="English only")
    >>> node_text(G, "x", "description", "zh")
    'English only'
    """
    return _text(G.nodes[node], base, norm_lang(lang))


def _text(d: dict, base: str, lang: str) -> str:
    """:func:`node_text` of a node's data ``d``, ``lang`` already normal."""
    en = d.get(base if base == "note" else f"{base}_en") or ""
    zh = d.get(f"{base}_zh") or ""
    return (zh or en) if lang == "zh" else (en or zh)


def node_url(d: dict) -> str:
    """The web link of a node's data: its ``url``, else its arXiv page; only ``http(s)``, else ``""``.

    >>> node_url({"arxiv": "2212.09748"}), node_url({"url": "javascript:alert(1)"})
    ('https://arxiv.org/abs/2212.09748', '')
    """
    url = d.get("url") or ""
    if not url and d.get("arxiv"):
        url = f"https://arxiv.org/abs/{d['arxiv']}"
    return url if _WEB.match(url) else ""


_WEB = re.compile(r"https?://")


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


# kinds the order graph always lists (papergraph.viz.ordergraph), so a shell may name them by id
_LISTED = frozenset(("paper", "concept", "stage"))


def _section(G, heading, ids, lang, detail=None, empty="", key="", compact=False):
    ids = list(ids)
    if compact and detail is None:
        nodes = G.nodes
        shown = ids[:CARD_LIMIT]
        if all(nodes[n].get("kind") in _LISTED for n in shown):  # the page finds their labels and kinds
            return {"heading": heading, "key": key, "ids": shown, "more": max(0, len(ids) - CARD_LIMIT),
                    "empty": empty}
    return {"heading": heading, "key": key, "items": _items(G, ids, lang, detail),
            "more": max(0, len(ids) - CARD_LIMIT),
            "more_text": t("card_more", lang, n=len(ids) - CARD_LIMIT) if len(ids) > CARD_LIMIT else "",
            "empty": empty}


@cache
def _words(lang: str) -> dict[str, str]:
    """Every string of :mod:`papergraph.i18n` without fields, in ``lang`` (a card asks for a dozen)."""
    return {k: t(k, lang) for k in STRINGS}


def lazy_sections(lang: str = "zh") -> dict[str, dict]:
    """``{name: {heading, key, empty}}`` of each section a map's page computes (:data:`LAZY_SECTIONS`).

    >>> lazy_sections("en")["prereqs"]
    {'heading': 'Read first', 'key': '', 'empty': 'No prerequisite papers.'}
    """
    lang = norm_lang(lang)
    out = {}
    for name, heading, key, empty in (
            ("prereqs", t("card_prereqs", lang), "", t("card_prereqs_none", lang)),
            ("recommended", t("card_recommended", lang), "", ""),
            ("unlocks", t("card_unlocks", lang), "", ""),
            ("background", t("card_background", lang), "", ""),
            ("stage_papers", t("card_stage_papers", lang), "papers", ""),
            ("stage_concepts", t("card_stage_concepts", lang), "concepts", ""),
            ("introduced_by", t("card_introduced_by", lang), "", ""),
            ("required_by", t("card_required_by", lang), "", ""),
            ("related", t("card_related", lang), "", ""),
            ("follows", relation_label("precedes", lang, inverse=True), "", "")):
        out[name] = {"heading": heading, "key": key, "empty": empty}
    return out


_LAZY_KEYS = {"stage_papers": "papers", "stage_concepts": "concepts"}


def _later(compute):
    """A section the map's page computes: its name and key (its heading and empty text: :func:`lazy_sections`)."""
    return {"compute": compute, "key": _LAZY_KEYS.get(compute, "")}


def _out(G, node, rel, outs=None):
    return [v for v, r in (_out_edges(G, node) if outs is None else outs) if r == rel]


def _in(G, node, *rels):
    return _sources(G, node, *rels)


def card(G, node: str, lang: str = "zh", *, stage_card: dict | None = None, lazy: bool = False,
         questions: list[str] | None = None) -> dict:
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
    lazy : bool
        Give the card's shell: each section that walks the reading order
        (a paper's or concept's prerequisites, what it unlocks, its
        background concepts; a stage's papers and concepts) or reads the
        node's in-edges (what introduces or needs a concept, its related
        concepts; the stages a stage follows) is left as a placeholder
        ``{"compute": name, "key": key}`` (:data:`LAZY_SECTIONS`; its
        heading and empty text are :func:`lazy_sections`), and a section listing only
        papers, concepts and stages without details gives their ``ids`` (at
        most :data:`CARD_LIMIT`) and ``more`` instead of ``items`` and
        ``more_text`` (the page takes their labels from the order graph).
        The cost of a shell grows with the node's direct neighbours only.
    questions : list of str, optional
        For a stage's shell: its self-check questions in order
        (:func:`papergraph.cards.stage_questions`), when the caller knows
        them (a map's layout does) and need not look through the stage's papers.

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

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", kind="stage", label_en="S")
    >>> G.add_node("t", kind="tool", label_en="T", url="https://t.example")
    >>> _ = G.add_edge("s", "t", "practises_with", relation="practises_with")
    >>> [(x["key"], x.get("compute")) for x in card(G, "s", "en", lazy=True)["sections"]]
    [('papers', 'stage_papers'), ('concepts', 'stage_concepts'), ('tools', None), ('', 'follows')]
    >>> [x["key"] for x in card(G, "s", "en")["sections"]]
    ['tools']
    """
    lang = norm_lang(lang)
    W = _words(lang)
    d = G.nodes[node]
    k = d.get("kind", "")
    other = "en" if lang == "zh" else "zh"
    name = label(G, node, lang)
    sub = label(G, node, other)
    outs = _out_edges(G, node)  # one look at the node's out-edges serves its stage and its sections
    st = next((v for v, r in outs if r == "in_stage"), None) if k == "paper" else None  # query.stage_of
    c = {
        "id": node, "kind": k, "kind_label": kind_label(k, lang), "label": name,
        "subtitle": sub if sub != name else "", "title": d.get("title", ""), "facts": [],
        "url": node_url(d), "url_label": W["card_link"], "text_heading": "", "text": "",
        "flag": flag_label(d["flag"], lang) if d.get("flag") else "",
        "note": _text(d, "note", lang), "stage": label(G, st, lang) if st else "", "sections": [],
    }
    facts = c["facts"]
    if k == "paper":
        if d.get("authors"):
            facts.append([W["card_authors"], ", ".join(d["authors"])])
        if d.get("year"):
            facts.append([W["card_year"], str(d["year"])])
        if d.get("venue"):
            facts.append([W["card_venue"], d["venue"]])
        if d.get("arxiv"):
            facts.append(["arXiv", d["arxiv"]])
        facts.append([W["card_stage"], c["stage"] or W["no_stage"]])
        c["text_heading"] = W["card_summary"]
    elif k == "concept":
        c["text_heading"] = W["card_definition"]
    elif k == "stage":
        c["text_heading"] = W["card_goal"]
        lo, hi = d.get("weeks_min"), d.get("weeks_max")
        if lo is not None and hi is not None and lo != hi:
            facts.append([W["card_weeks"], t("weeks", lang, lo=lo, hi=hi)])
        elif lo is not None or hi is not None:
            facts.append([W["card_weeks"], t("weeks_one", lang, n=lo if lo is not None else hi)])
    elif k == "tool":
        c["url_label"] = W["card_tool_link"]
    c["text"] = _text(d, "description", lang)
    secs = c["sections"]
    if k in ("paper", "concept"):
        if lazy:
            secs.append(_later("prereqs"))
            secs.append(_later("recommended"))
            secs.append(_later("unlocks"))
        else:
            r = prerequisites(G, node)
            u = unlocks(G, node)
            direct = set(u.direct)
            secs.append(_section(G, W["card_prereqs"], r.papers, lang,
                                 lambda p: explain(G, r.why[p], lang), W["card_prereqs_none"]))
            secs.append(_section(G, W["card_recommended"], r.recommended, lang, lambda p: explain(G, r.why[p], lang)))

            def via(p):
                if p in direct:
                    return W["card_direct"] + " · " + explain(G, list(reversed(u.why[p])), lang)
                step = next((x for x in reversed(u.why[p][:-1]) if G.nodes[x].get("kind") == "paper"), None)
                return t("card_via", lang, name=label(G, step, lang)) if step and step != node else ""

            secs.append(_section(G, W["card_unlocks"], u.papers, lang, via))
        if k == "paper":
            secs.append(_section(G, W["card_introduces"], _out(G, node, "introduces", outs), lang, compact=lazy))
            secs.append(_section(G, W["card_requires"], _out(G, node, "requires", outs), lang, compact=lazy))
        elif lazy:  # what introduces or needs a popular concept: thousands of in-edges, read in the page
            secs.append(_later("introduced_by"))
            secs.append(_section(G, W["card_requires"], _out(G, node, "requires", outs), lang, compact=lazy))
            secs.append(_later("required_by"))
            secs.append(_later("related"))
        else:
            ins = _in(G, node, "introduces", "requires", "related_to")  # one pass: a concept may have thousands
            secs.append(_section(G, W["card_introduced_by"], ins["introduces"], lang))
            secs.append(_section(G, W["card_requires"], _out(G, node, "requires", outs), lang))
            secs.append(_section(G, W["card_required_by"], ins["requires"], lang))
            rel = sorted(set(_out(G, node, "related_to", outs)) | set(ins["related_to"]))
            secs.append(_section(G, W["card_related"], rel, lang))
        if lazy:
            secs.append(_later("background"))
        else:
            secs.append(_section(G, W["card_background"], r.background, lang))
    elif k == "stage":
        if lazy:
            secs.append(_later("stage_papers"))
            secs.append(_later("stage_concepts"))
            tools = stage_tools(G, node)
            if questions is None:
                questions = [q["id"] for q in stage_questions(G, node)]
        else:
            if stage_card is None:
                from ..cards import stage_card as _stage_card

                stage_card = _stage_card(G, node, lang)
            sc = stage_card
            secs.append(_section(G, W["card_stage_papers"], sc["papers"], lang, key="papers"))
            secs.append(_section(G, W["card_stage_concepts"], sc["concepts"], lang, key="concepts"))
            tools, questions = sc["tools"], [q["id"] for q in sc["questions"]]
        secs.append(_section(G, W["card_stage_tools"], tools, lang, key="tools", compact=lazy))
        secs.append(_section(G, W["card_stage_questions"], questions, lang,
                             lambda q: ", ".join(label(G, x, lang) for x in _out(G, q, "asks_about")),
                             key="questions"))
        if lazy:  # the stages it follows: among the in-edges of its papers, read in the page
            secs.append(_later("follows"))
        else:
            secs.append(_section(G, relation_label("precedes", lang, inverse=True), _in(G, node, "precedes"), lang))
        secs.append(_section(G, relation_label("precedes", lang), _out(G, node, "precedes", outs), lang,
                             compact=lazy))
    else:
        for rel in list(schema.RELATIONS) + sorted({r for *_, r in G.edges(node, keys=True)} - set(schema.RELATIONS)):
            secs.append(_section(G, relation_label(rel, lang), _out(G, node, rel), lang, compact=lazy))
            secs.append(_section(G, relation_label(rel, lang, inverse=True), _in(G, node, rel), lang, compact=lazy))
    c["sections"] = [s for s in secs if "compute" in s or s.get("items", s.get("ids")) or s["empty"]]
    return c


# ---------------------------------------------------------------- the memo

class Card(dict):
    """A remembered card: a plain ``dict`` that also keeps its page JSON once written.

    Only :func:`cards_for` and :func:`card_shells_for` make them, and nobody
    changes them afterwards, so :func:`papergraph.viz.html.script_json` can
    reuse ``json``.
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
    """Forget every card, layout and order graph remembered in this process (for measuring a map's cold cost).

    What :mod:`papergraph.viz.persist` keeps on disk stays; :func:`papergraph.viz.persist.forget` removes it.
    """
    from . import placement

    with _memo_lock:
        _memo.clear()
    with placement._layouts_lock:
        placement._layouts.clear()


def stage_card_for(G, stage: str, lang: str = "zh") -> dict:
    """:func:`papergraph.cards.stage_card`, remembered per graph content (``G.graph["digest"]``) and language.

    The stage's papers come from the one reading order of the whole graph
    that the graph's order index keeps (:func:`papergraph.core.stage_papers`). A graph without a digest (built in code rather
    than loaded) is never remembered. Treat the answer as read-only.
    """
    from ..cards import stage_card

    lang = norm_lang(lang)
    return _remembered(_memo_key(G, "stage", lang, stage),
                       lambda: stage_card(G, stage, lang))


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


def card_shells_for(G, nodes, lang: str = "zh", *, layout_=None) -> dict[str, dict]:
    """``{node: card(G, node, lang, lazy=True)}``: the shells a map's page carries, remembered like :func:`cards_for`.

    ``layout_`` (:func:`papergraph.viz.placement.layout_for` of ``G``) tells
    each stage's questions (``members``), so that its shell need not look
    through the stage's papers.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(digest="d3")
    >>> G.add_node("p", kind="paper", label_en="P")
    >>> a = card_shells_for(G, ["p"], "en")["p"]
    >>> a is card_shells_for(G, ["p"], "en")["p"], [s["compute"] for s in a["sections"]]
    (True, ['prereqs', 'recommended', 'unlocks', 'background'])
    """
    lang = norm_lang(lang)
    members = layout_.members if layout_ is not None else {}

    def make(n):
        m = members.get(n)
        return Card(card(G, n, lang, lazy=True, questions=m["questions"] if m is not None else None))

    return {n: _remembered(_memo_key(G, "shell", lang, n), lambda n=n: make(n)) for n in nodes}


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
