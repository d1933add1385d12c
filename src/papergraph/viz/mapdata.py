"""One map's data: which nodes are drawn, how each looks, the legend, the cards and each stage's progress.

:func:`map_data` turns the graph, a language, a focus and filters into
vis-network nodes and edges (positions from :mod:`papergraph.viz.placement`,
looks from :mod:`papergraph.viz.style`), capped at :data:`MAX_NODES`, plus
the legend, the shells of the node cards (:func:`papergraph.viz.cards.card_shells_for`),
the compact order graph from which the page computes the rest of a card when it is
opened (:mod:`papergraph.viz.ordergraph`) and the strings the page's script shows. A stage's node carries its progress (papers read,
questions ticked; :func:`papergraph.progress.stage_progress`) when the map
shows a learner's progress, and its counts of papers and questions when it
does not (the standalone page).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("s1", kind="stage", label_en="Basics", order=1)
>>> G.add_node("p", kind="paper", label_en="P", year=2017)
>>> G.add_node("c", kind="concept", label_en="C")
>>> _ = G.add_edge("p", "s1", "in_stage", relation="in_stage")
>>> _ = G.add_edge("p", "c", "introduces", relation="introduces")
>>> m = map_data(G, "en")
>>> sorted(n["id"] for n in m["nodes"]), m["edges"][0]["relation"]
(['c', 'p', 's1'], 'introduces')
>>> next(n["label"] for n in m["nodes"] if n["id"] == "s1")
'Basics\\n1 paper'
>>> m = map_data(G, "en", read=["p"])
>>> next(n["label"] for n in m["nodes"] if n["id"] == "s1"), m["cards"]["s1"]["progress"]["done"]
('✓ Basics\\n1/1 papers', True)
>>> m["cards"]["s1"]["sections"][0]  # the page lists the stage's papers, ticking those in "done"
{'compute': 'stage_papers', 'key': 'papers', 'done': ['p']}
>>> neighbourhood(G, "c")
{'c': 0, 'p': -1}
"""

from __future__ import annotations

from collections import deque

from .. import schema
from ..errors import PapergraphError
from ..i18n import flag_label, kind_label, norm_lang, relation_label, t
from ..progress import stage_progress
from ..query import _out_edges, after, before, label
from .cards import CARD_LIMIT, _text, card_shells_for, lazy_sections, search_names
from .ordergraph import order_graph_json
from .persist import gc_paused
from .placement import Layout, kinds_present, layout_for
from .roadmapview import roadmap_view
from .style import (
    DEFAULT_KINDS,
    DEFAULT_RELATIONS,
    FADED_EDGE,
    FADED_FONT,
    FADED_NODE,
    FONT_FACE,
    NEUTRAL,
    NEXT_BORDER,
    READ_FONT,
    edge_style,
    kind_style,
    mix,
    rgba,
    stage_colour,
    vis_options,
    wrap_label,
)

__all__ = ["MAX_NODES", "curriculum_title", "legend", "map_data", "neighbourhood", "stage_line", "stage_ready"]

#: Most nodes drawn at once; a bigger selection is cut (with a message).
MAX_NODES = 400


# ---------------------------------------------------------------- title

def curriculum_title(G, lang: str = "zh") -> str:
    """The title of a map or of the explorer: the seed guide's own, else the name of the loaded curriculum's folder.

    >>> import networkx as nx
    >>> curriculum_title(nx.MultiDiGraph(data_dir="/x/my-course"), "en")
    'papergraph · my-course'
    """
    import os

    from ..load import default_data_dir

    where = str(getattr(G, "graph", {}).get("data_dir") or "")
    if not where:
        return t("app_title", lang)
    try:
        seed = os.path.samefile(where, default_data_dir())
    except OSError:
        seed = False
    if seed:
        return t("app_title", lang)
    return t("app_title_for", lang, name=os.path.basename(os.path.normpath(os.path.abspath(where))))


# ---------------------------------------------------------------- focus

def neighbourhood(G, node: str, depth: int | None = None) -> dict[str, int]:
    """Nodes within ``depth`` steps of ``node`` along the reading order.

    Returns ``{other: steps}``, negative for what must come before (the
    prerequisite side), positive for what comes after (what it unlocks),
    ``0`` for ``node`` itself. ``depth=None`` follows the chains to the end.
    """
    out = {node: 0}
    for step, sign in ((before, -1), (after, 1)):
        seen = {node: 0}
        queue = deque([node])
        while queue:
            x = queue.popleft()
            if depth is not None and seen[x] >= depth:
                continue
            for y, _ in step(G, x):
                if y not in seen:
                    seen[y] = seen[x] + 1
                    queue.append(y)
        for y, d in seen.items():
            if y not in out:
                out[y] = sign * d
    return out


# ---------------------------------------------------------------- legend

def legend(G, lang: str = "zh", *, stages=None, kinds=None, relations=None, progress: bool = False,
           layout_: Layout | None = None) -> dict:
    """What the map's colours, shapes and lines mean, in ``lang``.

    Returns
    -------
    dict
        ``{"stages": [{id, label, color}], "kinds": [{kind, label, shape}],
        "relations": [{relation, label, color, width, dashes, arrows,
        prerequisite}], "state": [{state, label, color?}], "titles": {...}}``;
        ``state`` is empty unless ``progress``.
    """
    lang = norm_lang(lang)
    L = layout_ or layout_for(G)
    order = L.stages
    shown = list(stages) if stages is not None else order
    st = [{"id": s, "label": label(G, s, lang), "color": stage_colour(order.index(s))} for s in order if s in shown]
    if L.background:  # a concept no paper introduces
        st.append({"id": "", "label": t("legend_background", lang), "color": NEUTRAL})
    wanted = kinds_present(G, L)
    if kinds is not None:
        wanted = [k for k in wanted if k in set(kinds)]
    kinds = [{"kind": k, "label": kind_label(k, lang), "shape": kind_style(k)["shape"]} for k in wanted]
    rels = []
    for r in (relations if relations is not None else schema.RELATIONS):
        s = edge_style(r)
        spec = schema.RELATIONS.get(r)
        rels.append({"relation": r, "label": relation_label(r, lang), "color": s["color"], "width": s["width"],
                     "dashes": s["dashes"] or [], "arrows": bool(s["arrows"]),
                     "prerequisite": bool(spec and spec.order == "target-first" and r != "precedes")})
    state = []
    if progress:
        state = [{"state": "read", "label": t("legend_read", lang)},
                 {"state": "next", "label": t("legend_next", lang), "color": NEXT_BORDER},
                 {"state": "stage", "label": t("legend_stage_done", lang)}]
    return {"stages": st, "kinds": kinds, "relations": rels, "state": state,
            "titles": {"stages": t("legend_stages", lang), "kinds": t("legend_kinds", lang),
                       "relations": t("legend_relations", lang), "state": t("legend_state", lang),
                       "legend": t("legend", lang), "toggle": t("legend_toggle", lang),
                       "prerequisite": t("prerequisite_tag", lang)}}


# ---------------------------------------------------------------- stage progress

def stage_line(prog: dict, lang: str, progress: bool) -> str:
    """The line under a stage's name: ``1/2 篇 · 3/5 题`` with progress, ``2 篇论文 · 5 道题`` without.

    ``prog`` is a :func:`papergraph.progress.stage_progress`; a part whose
    total is zero is left out.

    >>> p = {"papers": ["a", "b"], "papers_read": ["a"], "questions": ["q"], "questions_ticked": []}
    >>> stage_line(p, "zh", True), stage_line(p, "en", False)
    ('1/2 篇 · 0/1 题', '2 papers · 1 question')
    """
    n_p, n_q = len(prog["papers"]), len(prog["questions"])
    parts = []
    if progress:
        if n_p:
            parts.append(t("stage_line_papers", lang, n=len(prog["papers_read"]), total=n_p))
        if n_q:
            parts.append(t("stage_line_questions", lang, n=len(prog["questions_ticked"]), total=n_q))
    else:
        if n_p:
            parts.append(t("stage_count_paper" if n_p == 1 else "stage_count_papers", lang, n=n_p))
        if n_q:
            parts.append(t("stage_count_question" if n_q == 1 else "stage_count_questions", lang, n=n_q))
    return " · ".join(parts)


def stage_ready(G, prog: dict, lang: str) -> str:
    """The answer to "Ready for the next stage?" for a :func:`papergraph.progress.stage_progress`.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s2", kind="stage", label_en="Next")
    >>> left = {"done": False, "papers_left": ["a"], "questions_left": [], "next": ["s2"]}
    >>> stage_ready(G, left, "en")
    'Not yet: 1 paper to read.'
    >>> stage_ready(G, dict(left, done=True, papers_left=[]), "en")
    'Yes: every paper is read and every question ticked. Next: Next.'
    """
    if prog["done"]:
        nxt = ", ".join(label(G, s, lang) for s in prog["next"])
        return t("stage_ready_next", lang, name=nxt) if nxt else t("stage_ready_last", lang)
    left = []
    for key, ids in (("stage_left_paper", prog["papers_left"]), ("stage_left_question", prog["questions_left"])):
        if ids:
            left.append(t(key if len(ids) == 1 else key + "s", lang, n=len(ids)))
    return t("stage_not_ready", lang, left=t("list_sep", lang).join(left))


def _with_progress(c: dict, prog: dict, G, lang: str) -> dict:
    """A copy of a stage's card with its progress: a summary, ticks on its papers and questions, ready or not.

    A section the page computes (a card shell's placeholder) gets the list
    ``done`` of its items to tick instead.
    """
    done = {"papers": prog["papers_read"], "questions": prog["questions_ticked"]}

    def ticked(sec):
        ids = done[sec["key"]]
        if "items" not in sec:  # computed or named by ids in the page
            return dict(sec, done=list(ids))
        ids = set(ids)
        return dict(sec, items=[dict(it, done=it["id"] in ids) for it in sec["items"]])

    c = dict(c)
    c["sections"] = [ticked(sec) if sec.get("key") in done else sec for sec in c["sections"]]
    c["progress"] = {"text": stage_line(prog, lang, True), "done": prog["done"], "fraction": prog["fraction"],
                     "ready_heading": t("stage_ready_heading", lang), "ready": stage_ready(G, prog, lang)}
    return c


# ---------------------------------------------------------------- nodes and edges

def _hover(G, n, lang, L, extra="", d=None, name=None):
    """The short card shown on hover: plain text (vis-network sets it as innerText).

    ``d`` and ``name`` are the node's data and label, when the caller has them.
    """
    d = G.nodes[n] if d is None else d
    k = d.get("kind", "")
    other = "en" if lang == "zh" else "zh"
    lines = [label(G, n, lang) if name is None else name]
    if label(G, n, other) != lines[0]:
        lines.append(label(G, n, other))
    meta = [kind_label(k, lang)]
    if k == "paper":
        if d.get("year"):
            meta.append(str(d["year"]))
        st = L.home.get(n)
        if st:
            meta.append(label(G, st, lang))
    if d.get("flag"):
        meta.append(flag_label(d["flag"], lang))
    if extra:
        meta.append(extra)
    lines.append(" · ".join(meta))
    text = _text(d, "description", lang)
    if text:
        lines.append(text if len(text) <= 120 else text[:119] + "…")
    return "\n".join(lines)


def _node(G, n, lang, L, *, faded, read, nxt, focus, stage_text="", stage_done=False, stage_no=None):
    d = G.nodes[n]
    k = d.get("kind", "concept")
    style = kind_style(k)
    home = L.home.get(n)
    if stage_no is None:
        stage_no = {s: i for i, s in enumerate(L.stages)}
    colour = stage_colour(stage_no.get(home))
    x, y = L.pos[n]
    own = label(G, n, lang)
    name = wrap_label(own, style.get("wrap", 18))
    font = {"size": style["font"], "face": FONT_FACE, "color": "#1f2328"}
    if k == "paper":
        bg, border = mix(colour, "#ffffff", 0.72), colour
        if d.get("year"):
            name = f"{name}\n{d['year']}"
    elif k == "concept":
        bg, border = mix(colour, "#ffffff", 0.35), mix(colour, "#000000", 0.15)
    else:
        bg, border = colour, mix(colour, "#000000", 0.25)
        font.update({"strokeWidth": 4, "strokeColor": "#ffffff"})
    width = 1.5
    if k == "stage" and stage_text:
        name = f"{name}\n{stage_text}"
        if stage_done:
            name = "✓ " + name
    if n in read:
        name = "✓ " + name
        bg = mix(bg, "#ffffff", 0.6)
        font["color"] = READ_FONT
    if n in nxt:
        border, width = NEXT_BORDER, 4
    if n == focus:
        width = 3.5
        border = "#111111"
        font["size"] = style["font"] + 2
    node = {"id": n, "label": name, "title": _hover(G, n, lang, L, stage_text, d, own), "x": round(x, 1),
            "y": round(y, 1), "shape": style["shape"], "kind": k, "borderWidth": width,
            "borderWidthSelected": width + 1.5,
            "color": {"background": bg, "border": border,
                      "highlight": {"background": mix(bg, colour, 0.35), "border": "#111111"},
                      "hover": {"background": mix(bg, colour, 0.2), "border": border}},
            "font": font, "widthConstraint": {"maximum": style["width"]}}
    if "size" in style:
        node["size"] = style["size"]
    if k == "paper":
        node["margin"] = 8
    if faded:
        node["base"] = {"color": node["color"], "font": font}
        node["color"] = dict(FADED_NODE)
        node["font"] = dict(font, color=FADED_FONT, strokeWidth=0)
        node["faded"] = True
    return node


def _edge(G, i, u, v, rel, lang, faded, data, names):
    s = edge_style(rel)
    title = f"{names[u]} → {relation_label(rel, lang)} → {names[v]}"
    note = (data.get("note_zh") or data.get("note")) if lang == "zh" else (data.get("note") or data.get("note_zh"))
    if note:
        title += "\n" + str(note)
    rest = s["color"] if s.get("opacity", 1) >= 1 else rgba(s["color"], s["opacity"])
    e = {"id": f"e{i}", "from": u, "to": v, "relation": rel, "title": title,
         "color": {"color": FADED_EDGE if faded else rest, "highlight": s["color"], "hover": s["color"]},
         "width": s["width"], "dashes": s["dashes"] or False,
         "arrows": {"to": {"enabled": bool(s["arrows"]), "scaleFactor": 0.55}}}
    if faded:
        e["faded"] = True
    return e


# ---------------------------------------------------------------- the map

def map_data(G, lang: str = "zh", *, focus: str | None = None, depth: int | None = 2, others: str = "fade",
             stages=None, kinds=None, relations=None, read=(), next_up=(), ticked=(), progress: bool | None = None,
             max_nodes: int = MAX_NODES, layout_: Layout | None = None, with_cards: bool = True,
             view: str = "roadmap") -> dict:
    """The nodes, edges, legend and cards of one map.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph.
    lang : "zh" or "en"
    focus : node id, optional
        Show what ``focus`` needs and what it unlocks, ``depth`` steps each
        way (``None``: all); the rest fades (``others="fade"``) or is left
        out (``others="hide"``).
    stages, kinds, relations : iterables, optional
        Keep only papers of these stages (and the concepts they touch),
        these kinds of node (default: :data:`~papergraph.viz.style.DEFAULT_KINDS`),
        these relations (default: :data:`~papergraph.viz.style.DEFAULT_RELATIONS`).
    read, next_up : iterables of paper ids
        Marked read (✓) and "can read next" (gold border).
    ticked : iterable of question ids
        Self-check questions the learner has ticked.
    progress : bool, optional
        Show the learner's progress: each stage's papers read and questions
        ticked (✓ when the stage is done), and the state legend. Default:
        whether any of ``read``, ``next_up`` or ``ticked`` is given. Without
        it a stage shows how many papers and questions it has.
    max_nodes : int
        Draw at most this many nodes, nearest the focus or in reading
        order; ``message`` says so.
    layout_ : Layout, optional
        A precomputed :func:`~papergraph.viz.placement.layout` of ``G``.
    view : "roadmap" or "network"
        ``roadmap`` (the default): the papers as a roadmap of stage columns
        with numbered, marked cards and read-first arrows
        (:func:`papergraph.viz.roadmapview.roadmap_view`); concepts,
        citations and tools come along as layers the page can switch on; a
        ``focus`` paper opens on what to read before it (``depth`` and
        ``others`` apply to the network only). ``network``: the full concept map.
    with_cards : bool
        Give the page the cards of the drawn nodes (shown on click): each
        node's shell (:func:`~papergraph.viz.cards.card_shells_for`,
        remembered per graph content and language, so drawing the map again
        with another focus, filter or progress reuses them) and the compact
        order graph (:func:`~papergraph.viz.ordergraph.order_graph_json`)
        from which the page computes the sections that walk the reading
        order when a card is opened.

    Returns
    -------
    dict
        ``nodes`` and ``edges`` (vis-network items), ``options``,
        ``legend``, ``cards`` (``{id: card shell}``; a stage's card has
        ``progress`` when ``progress``), ``order`` (the order graph as
        script-safe JSON text; with cards only), ``computed`` (the
        headings of the sections the page computes), ``card_limit``,
        ``names`` (for search),
        ``message``, ``focus``, ``highlight``, ``shown`` (nodes drawn, at
        most ``max_nodes``; ``nodes`` also holds column headers),
        ``total``, ``lang``, ``strings``, ``progress``.
    """
    with gc_paused():  # thousands of small dicts, all of them part of the answer
        if view == "roadmap":
            return _roadmap_data(G, norm_lang(lang), focus, stages, kinds, relations, read, ticked, progress,
                                 max_nodes, layout_, with_cards)
        if view != "network":
            raise PapergraphError(f"unknown map view {view!r} (roadmap or network)")
        return _map_data(G, norm_lang(lang), focus, depth, others, stages, kinds, relations, read, next_up, ticked,
                         progress, max_nodes, layout_, with_cards)


def _roadmap_data(G, lang, focus, stages, kinds, relations, read, ticked, progress, max_nodes, layout_, with_cards):
    """The roadmap: up to ``max_nodes`` papers (the focus and what it needs first), their stages, and the layers."""
    from ..query import prerequisites

    L = layout_ or layout_for(G)
    kind = G.nodes
    kinds_ok = set(DEFAULT_KINDS if kinds is None else kinds) | {"paper", "stage"}
    read, ticked = set(read), set(ticked)
    if progress is None:
        progress = bool(read or ticked)
    if focus is not None and focus not in G:
        raise PapergraphError(f"unknown node {focus!r}")
    keep_st = set(stages) if stages is not None else None
    papers = [n for n in L.cap_order if kind[n].get("kind") == "paper"
              and (keep_st is None or L.home.get(n) in keep_st)]
    total = len(papers)
    chosen: list[str] = []
    if focus is not None and kind[focus].get("kind") == "paper":
        chosen = (prerequisites(G, focus).papers + [focus])[-max_nodes:]
    if len(papers) > max_nodes:
        have = set(chosen)
        for n in papers:
            if len(chosen) >= max_nodes:
                break
            if n not in have:
                chosen.append(n)
    else:
        chosen = papers
    drawn_papers = set(chosen)
    homes = {L.home.get(p) for p in chosen} - {None}
    stage_nodes = [s for s in L.stages if s in homes]
    # the layers: what the drawn papers introduce or use, and their stages' tools (at most max_nodes of them)
    extra: list[str] = []
    seen = drawn_papers | set(stage_nodes)
    if focus is not None and focus not in seen:
        extra.append(focus)
        seen.add(focus)
    for p in chosen:
        for v, rel in _out_edges(G, p):
            if rel in ("introduces", "requires") and v not in seen and kind[v].get("kind") in kinds_ok:
                seen.add(v)
                extra.append(v)
    for k in sorted(kinds_ok - {"paper", "stage", "concept"}):
        for n in L.by_kind.get(k, ()):
            if n not in seen and (L.home.get(n) in homes or not L.stages):
                seen.add(n)
                extra.append(n)
    extra = extra[:max_nodes]
    message = ""
    if total > len(chosen):
        names = [label(G, s, lang) for s in stage_nodes]
        part = names[0] if len(names) == 1 else (f"{names[0]} – {names[-1]}" if names else "")
        message = t("map_capped_roadmap", lang, total=total, shown=len(chosen), stages=part)
    elif total == 0:
        message = t("map_empty", lang)
    rels = set(DEFAULT_RELATIONS if relations is None else relations) | {"cites"}
    data = _drawn(G, lang, L, None, kinds_ok, rels, read, (), ticked, progress, with_cards,
                  chosen + stage_nodes + extra, total, None, None, message, roadmap=True)
    data["view"] = "roadmap"
    data["focus"] = focus if focus is not None and any(n["id"] == focus for n in data["nodes"]) else None
    data["total_papers"] = total
    return data


def _map_data(G, lang, focus, depth, others, stages, kinds, relations, read, next_up, ticked, progress, max_nodes,
              layout_, with_cards):
    L = layout_ or layout_for(G)
    kind = G.nodes
    rels = set(DEFAULT_RELATIONS if relations is None else relations)
    kinds_ok = set(DEFAULT_KINDS if kinds is None else kinds)
    read, next_up, ticked = set(read), set(next_up), set(ticked)
    if progress is None:
        progress = bool(read or next_up or ticked)
    if focus is not None and focus not in G:
        raise PapergraphError(f"unknown node {focus!r}")
    near = neighbourhood(G, focus, depth) if focus is not None else None
    filtered = stages is not None and set(stages) != set(L.stages)
    if near is None and not filtered:  # the whole graph: count it, and walk the layout's cap order only as far as needed
        total = sum(len(ns) for k, ns in L.by_kind.items() if k in kinds_ok)
        if total > max_nodes:
            candidates = []
            for n in L.cap_order:  # a per-stage view (see below)
                if kind[n].get("kind") in kinds_ok:
                    candidates.append(n)
                    if len(candidates) == max_nodes:
                        break
            return _drawn(G, lang, L, focus, kinds_ok, rels, read, next_up, ticked, progress, with_cards,
                          candidates, total, None, None, t("map_capped", lang, total=total, shown=len(candidates)))
    candidates = [n for k, ns in L.by_kind.items() if k in kinds_ok for n in ns]
    if near is not None:
        heads = {L.home.get(n) for n in near if kind[n].get("kind") == "paper"} - {None}
        near_plus = set(near) | heads
        if others == "hide":
            candidates = [n for n in candidates if n in near_plus]
    else:
        near_plus = None
    if filtered:
        keep_st = set(stages)
        papers_in = {n for n in candidates if kind[n].get("kind") == "paper" and L.home.get(n) in keep_st}

        def ok(n):
            k = kind[n].get("kind")
            if k == "stage":
                return n in keep_st
            if k == "paper":
                return n in papers_in
            if L.home.get(n) in keep_st:
                return True
            return any(u in papers_in for u, _, r in G.in_edges(n, keys=True) if r in ("introduces", "requires"))
        candidates = [n for n in candidates if ok(n)]
    total = len(candidates)
    message = ""
    if total > max_nodes:
        if near is not None:
            candidates.sort(key=lambda n: (n not in near_plus, abs(near.get(n, 0)), L.rank.get(n, 0)))
            candidates = candidates[:max_nodes]
            message = t("map_capped_focus", lang, total=total, shown=len(candidates), name=label(G, focus, lang))
        else:
            # a per-stage view: every stage, then stage by stage (background concepts with the first stage needing them)
            wanted = set(candidates)
            candidates = []
            for n in L.cap_order:
                if n in wanted:
                    candidates.append(n)
                    if len(candidates) == max_nodes:
                        break
            message = t("map_capped", lang, total=total, shown=len(candidates))
    elif total == 0:
        message = t("map_empty", lang)
    return _drawn(G, lang, L, focus, kinds_ok, rels, read, next_up, ticked, progress, with_cards,
                  candidates, total, near, near_plus, message)


def _drawn(G, lang, L, focus, kinds_ok, rels, read, next_up, ticked, progress, with_cards, candidates, total,
           near, near_plus, message, roadmap=False):
    """The map of the nodes chosen to be drawn (``candidates``)."""
    kind = G.nodes
    drawn = sorted(candidates, key=lambda n: L.rank.get(n, 0))
    keep = set(drawn)
    faded = set() if near_plus is None else {n for n in drawn if n not in near_plus}
    # a stage's progress needs only its members: its papers (the layout's columns) and questions
    drawn_stages = [n for n in drawn if kind[n].get("kind") == "stage"]
    scards = {s: {"papers": L.members[s]["papers"], "questions": [{"id": q} for q in L.members[s]["questions"]]}
              for s in drawn_stages}
    sprog = {s: stage_progress(G, s, read, ticked, card=sc) for s, sc in scards.items()}
    nodes = []
    stage_no = {s: i for i, s in enumerate(L.stages)}
    for n in drawn:
        p = sprog.get(n)
        nodes.append(_node(G, n, lang, L, faded=n in faded, read=read, nxt=next_up, focus=focus,
                           stage_text=stage_line(p, lang, progress) if p else "",
                           stage_done=bool(progress and p and p["done"]), stage_no=stage_no))
    cols = {L.column[n] for n in drawn}
    for head, col, x, y in () if roadmap else L.headers:
        if col in cols:
            text = t("header_background" if head == "background" else "header_unstaged", lang)
            nodes.append({"id": f"__header__{head}", "label": text, "x": x, "y": y, "shape": "text",
                          "kind": "header", "font": {"size": 30, "face": FONT_FACE, "color": "#5f6368"},
                          "chosen": False})
    edges = []
    present = set()  # relations drawn, for the legend
    succ = getattr(G, "_succ", None)
    plain = type(succ) is dict
    names = {n: label(G, n, lang) for n in drawn}
    for u in drawn:  # only the drawn nodes' edges: a big graph's other edges are never read
        for v, rel in _out_edges(G, u):
            if rel in rels and v in keep:
                present.add(rel)
                data = succ[u][v][rel] if plain else G.edges[u, v, rel]
                edges.append(_edge(G, len(edges), u, v, rel, lang, u in faded or v in faded, data, names))
    cards = card_shells_for(G, drawn, lang, layout_=L) if with_cards else {}  # remembered per graph: shared, read-only
    if progress:
        for s, p in sprog.items():
            if s in cards:
                cards[s] = _with_progress(cards[s], p, G, lang)
    road = roadmap_view(G, lang, L, nodes, edges, read, progress) if roadmap else None
    data = {
        "lang": lang,
        "view": "network",
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(len(nodes)),
        "legend": legend(G, lang, kinds=kinds_ok, relations=[r for r in schema.RELATIONS if r in rels and r in present]
                         + sorted((rels & present) - set(schema.RELATIONS)), progress=progress, layout_=L),
        "cards": cards,
        "names": search_names(G, drawn),
        "message": message,
        "focus": focus if focus in keep else None,
        "highlight": sorted(near_plus & keep) if near_plus is not None else [],
        "shown": len(drawn),
        "total": total,
        "progress": progress,
        "strings": {**{k: t(k, lang) for k in ("fit", "close", "search_placeholder", "search_go", "highlight_hint",
                                                "card_why", "card_link", "card_note", "card_direct")},
                    "card_via": t("card_via", lang, name="{name}"), "card_more": t("card_more", lang, n="{n}")},
        "card_limit": CARD_LIMIT,
        "computed": lazy_sections(lang),
        "faded": {"node": FADED_NODE, "font": FADED_FONT, "edge": FADED_EDGE},
        "search_none": t("search_none", lang, q="{q}"),
    }
    if road is not None:
        data["roadmap"] = road
        data["legend"]["relations"] = [r for r in data["legend"]["relations"] if r["relation"] in rels]
        data["strings"].update({k: t(k, lang) for k in (
            "map_list", "map_list_toggle", "map_layers", "map_back", "map_direct", "map_chips", "map_zoom_hint",
            "map_start_here", "map_read_next", "layer_concepts", "layer_citations", "layer_tools")})
        data["strings"].update({
            "map_label": t("map_label", lang, n=len(road["order"])),
            "map_focus_paper": t("map_focus_paper", lang, name="{name}", n="{n}"),
            "map_focus_unlocks": t("map_focus_unlocks", lang, name="{name}", n="{n}"),
            "map_focus_hidden": t("map_focus_hidden", lang, n="{n}"),
            "map_show_unlocks": t("map_show_unlocks", lang, n="{n}"),
            "map_show_prereqs": t("map_show_prereqs", lang, n="{n}")})
    else:
        data["strings"]["map_label"] = t("map_frame", lang)
    if with_cards:
        data["order"] = order_graph_json(G, lang)
    if focus is not None and focus in keep:
        data["focus_text"] = t("map_focus", lang, name=label(G, focus, lang))
    return data
