"""The explorer's pages: sidebar, map, stage cards, reading plan and progress, exports and SPARQL.

No graph logic lives here: every answer comes from the library
(:mod:`papergraph.query`, :mod:`papergraph.order`, :mod:`papergraph.plan`,
:mod:`papergraph.stats`, :mod:`papergraph.viz`, :mod:`papergraph.cards`,
:mod:`papergraph.progress`, :mod:`papergraph.exports`).
Every piece of data is shown as text (:func:`~papergraph.webapp.text.md`,
dataframes, code blocks); raw HTML is never enabled.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import exports, viz
from ..errors import NotAPaperError, PapergraphError, UnknownNameError
from ..i18n import LANGS, kind_label, lang_name, relation_label, t
from ..order import STRATEGIES, guide_order, next_papers, plan_papers
from ..plan import BASE_HOURS_PER_WEEK, schedule, to_ics, to_markdown
from ..progress import stage_progress
from ..query import label, nodes_of_kind, resolve, stage_of
from ..stats import stats
from ..textout import spreadsheet_rows
from ..viz.cards import stage_card_for
from . import state
from .text import md

__all__ = ["FOCUS_LIST_MAX", "MAP_HEIGHT", "focus_list", "page_data", "page_map", "page_plan", "page_stages", "render_card", "render_stage_card",
           "sidebar"]

#: Height of the map's frame, in CSS pixels (an iframe needs an explicit height).
MAP_HEIGHT = 740
#: The focus list offers at most this many nodes (papers in guide order first); the search box reaches any node.
FOCUS_LIST_MAX = 2000
_NEXT_SHOWN = 12


# ---------------------------------------------------------------- cached library calls

@st.cache_data(show_spinner=False, max_entries=24)  # a map of the seed graph is about 1.3 MB
def _map(digest, lang, focus, depth, others, stages, kinds, relations, read, next_up, ticked, _G, _L,
         style="roadmap"):
    data = viz.map_data(_G, lang, focus=focus or None, depth=depth, others=others, stages=stages,
                        kinds=kinds, relations=relations, read=read, next_up=next_up, ticked=ticked,
                        progress=True, layout_=_L, view=style)
    html = viz.render_html(data, title=viz.curriculum_title(_G, lang))  # through pyvis, with papergraph's template
    return html, data["message"], data.get("focus_text", ""), data["shown"], data["total"]


@st.cache_data(show_spinner=False, max_entries=256)
def _card(digest, node, lang, _G):
    return viz.cards_for(_G, [node], lang)[node]  # the map's cards are remembered there too


@st.cache_data(show_spinner=False, max_entries=64)
def _stage_card(digest, stage, lang, _G):
    return stage_card_for(_G, stage, lang)  # papergraph.cards.stage_card, remembered with the map's cards


@st.cache_data(show_spinner=False, max_entries=4)
def _questions(digest, _G):
    return nodes_of_kind(_G, "question")


@st.cache_data(show_spinner=False, max_entries=64)
def _next(digest, read, _G):
    return next_papers(_G, list(read))


@st.cache_data(show_spinner=False, max_entries=8)
def _graph_text(digest, fmt, _G):
    try:
        return exports.graph_text(_G, fmt), ""
    except PapergraphError as exc:
        return "", str(exc)


@st.cache_resource(show_spinner=False, max_entries=2)
def _rdf_graph(digest, _G):
    """The graph's RDF (N-Triples) for SPARQL, built once per data version."""
    try:
        return exports.rdf_graph(_G), ""
    except PapergraphError as exc:
        return None, str(exc)


@st.cache_data(show_spinner=False, max_entries=4)
def _csv_tables(digest, _G):
    return exports.csv_tables(_G)


@st.cache_data(show_spinner=False, max_entries=4)
def _stats(digest, _G):
    return stats(_G)


@st.cache_resource(show_spinner=False, max_entries=4)  # read-only: shared, not copied on every rerun
def _option_names(digest, lang, _G):
    """Display names of every node for the focus box: both names, aliases, arXiv id, year, kind."""
    out = {}
    other = "en" if lang == "zh" else "zh"
    for n, d in _G.nodes(data=True):
        parts = [label(_G, n, lang)]
        for extra in [label(_G, n, other), *(d.get("aliases") or []), d.get("arxiv")]:
            if extra and extra not in parts:
                parts.append(str(extra))
        if d.get("kind") == "paper" and d.get("year"):
            parts.append(str(d["year"]))
        out[n] = " · ".join(parts) + f"  ({kind_label(d.get('kind'), lang)})"
    return out


@st.cache_data(show_spinner=False, max_entries=4)
def _short_names(digest, lang, _G):
    """Short display names of papers for lists and chips: both names and the year."""
    out = {}
    other = "en" if lang == "zh" else "zh"
    for n in nodes_of_kind(_G, "paper"):
        a, b = label(_G, n, lang), label(_G, n, other)
        year = _G.nodes[n].get("year")
        out[n] = (a if a == b or b in a else f"{a} · {b}") + (f" · {year}" if year else "")
    return out


@st.cache_resource(show_spinner=False, max_entries=4)  # read-only: shared, not copied on every rerun
def _focus_options(digest, _G):
    papers = guide_order(_G)
    rest = [n for k in ("stage", "concept", "tool") for n in nodes_of_kind(_G, k)]
    return [""] + papers + rest


def focus_list(options: list[str], focus: str | None, limit: int = FOCUS_LIST_MAX) -> list[str]:
    """The focus box's choices: the first ``limit`` options, and the current focus wherever it is.

    A list of a hundred thousand names is of no use to pick from and costs
    Streamlit most of a second on every rerun; the search box finds the rest.

    >>> focus_list(["", "a", "b", "c"], "c", limit=2)
    ['', 'a', 'c']
    >>> focus_list(["", "a"], None, limit=5)
    ['', 'a']
    """
    if len(options) <= limit:
        return options
    out = options[:limit]
    if focus and focus not in out:
        out = [*out, focus]
    return out


@st.cache_data(show_spinner=False, max_entries=4)
def _paper_list(digest, _G):
    return guide_order(_G)


# ---------------------------------------------------------------- callbacks

def _on_search(G):
    query = (st.session_state.get(state.widget_key("search")) or "").strip()
    state.put("search_msg", None)
    if not query:
        return
    try:
        state.put("focus", resolve(G, query, kinds=None))
        state.put("view", "map")
    except UnknownNameError as exc:
        state.put("search_msg", {"kind": "unknown", "name": query, "suggestions": exc.suggestions})
    except NotAPaperError:
        state.put("search_msg", {"kind": "ambiguous", "name": query, "suggestions": []})


def _on_plan_target(G):
    query = (st.session_state.get(state.widget_key("plan_target")) or "").strip()
    state.put("plan_msg", None)
    if not query:
        return
    try:
        state.put("targets", [resolve(G, query, kinds=("paper",))])
    except PapergraphError as exc:
        state.put("plan_msg", str(exc))


def _pick(G, name):
    try:
        state.put("focus", resolve(G, name, kinds=None))
        state.put("search_msg", None)
    except PapergraphError:
        pass


def _mark(paper, value=True):
    read = list(state.get("read"))
    if value and paper not in read:
        read.append(paper)
    if not value and paper in read:
        read.remove(paper)
    state.put("read", read)


def _toggle_read(paper, key=None):
    _mark(paper, bool(st.session_state.get(key or f"w:read:{paper}")))


def _toggle_tick(question):
    ticked = list(state.get("ticked"))
    value = bool(st.session_state.get(f"w:tick:{question}"))
    if value and question not in ticked:
        ticked.append(question)
    if not value and question in ticked:
        ticked.remove(question)
    state.put("ticked", ticked)


def _on_import(G):
    up = st.session_state.get(state.widget_key("import"))
    if up is None:
        return
    try:
        got = exports.read_progress(G, up.getvalue())
    except PapergraphError as exc:
        state.put("import_msg", ("error", str(exc)))
        return
    state.put("read", got["read"])
    state.put("ticked", got["ticked"])
    if got["targets"]:
        state.put("targets", got["targets"])
    state.put("import_msg", ("ok", len(got["read"]), got["unknown"], len(got["ticked"])))


def _on_example():
    name = state.get("sparql_example")
    examples = exports.sparql_examples()
    if name in examples:
        state.put("sparql", examples[name])


# ---------------------------------------------------------------- sidebar

def sidebar(G, L) -> None:
    """Language, view, search and focus, depth, filters and progress."""
    sb = st.sidebar
    lang = state.get("lang")
    sb.radio(t("lang_switch", lang), LANGS, format_func=lang_name, horizontal=True, **state.bind("lang", LANGS))
    lang = state.get("lang")
    sb.radio(t("view", lang), state.VIEWS, format_func=lambda v: t(f"view_{v}", lang), **state.bind("view", state.VIEWS))
    digest = G.graph.get("digest", "")
    sb.text_input(t("search", lang), placeholder=t("search_placeholder", lang), key=state.widget_key("search"),
                  on_change=_on_search, args=(G,))
    msg = state.get("search_msg")
    if msg:
        if msg["kind"] == "unknown":
            sb.warning(md(t("search_unknown", lang, name=msg["name"])))
            if msg["suggestions"]:
                sb.caption(md(t("search_suggest", lang, names=", ".join(msg["suggestions"]))))
                for i, name in enumerate(msg["suggestions"]):
                    sb.button(md(name), key=f"suggest:{i}", on_click=_pick, args=(G, name))
        else:
            sb.warning(md(t("search_ambiguous", lang, name=msg["name"])))
    names = _option_names(digest, lang, G)
    every = _focus_options(digest, G)
    focus = state.get("focus")
    options = focus_list(every, focus if focus in G else None)
    sb.selectbox(t("focus", lang), options,
                 format_func=lambda n: t("focus_none", lang) if not n else names.get(n, n),
                 **state.bind("focus", options))
    if len(options) < len(every):
        sb.caption(md(t("focus_list_capped", lang, shown=FOCUS_LIST_MAX, total=len(every) - 1)))
    sb.radio(t("map_style", lang), state.STYLES, format_func=lambda v: t(f"map_style_{v}", lang), horizontal=True,
             **state.bind("style", state.STYLES))
    if state.get("focus") and state.get("style") == "network":
        sb.select_slider(t("depth", lang), state.DEPTHS,
                         format_func=lambda d: t("depth_all", lang) if d == "all" else str(d),
                         **state.bind("depth", state.DEPTHS))
        sb.radio(t("others", lang), state.OTHERS, format_func=lambda o: t(f"others_{o}", lang), horizontal=True,
                 **state.bind("others", state.OTHERS))
    with sb.expander(t("filters", lang)):
        present_kinds = viz.kinds_present(G)
        present_rels = viz.relations_present(G)
        if state.get("f_stages") is None or st.session_state.get("pg:f_digest") != digest:
            st.session_state["pg:f_digest"] = digest
            state.put("f_stages", list(L.stages))
            state.put("f_kinds", [k for k in viz.DEFAULT_KINDS if k in present_kinds])
            state.put("f_relations", [r for r in viz.DEFAULT_RELATIONS if r in present_rels])
        if L.stages:
            st.multiselect(t("filter_stages", lang), L.stages, format_func=lambda s: label(G, s, lang),
                           **state.bind("f_stages", L.stages))
        st.multiselect(t("filter_kinds", lang), present_kinds, format_func=lambda k: kind_label(k, lang),
                       **state.bind("f_kinds", present_kinds))
        st.multiselect(t("filter_relations", lang), present_rels, format_func=lambda r: relation_label(r, lang),
                       **state.bind("f_relations", present_rels))
    papers = _paper_list(digest, G)
    if papers:
        n = len([p for p in state.get("read") if p in G])
        sb.progress(n / len(papers), text=t("read_count", lang, n=n, total=len(papers)))
    questions = _questions(digest, G)
    if questions:
        n = len([q for q in state.get("ticked") if q in G])
        sb.progress(n / len(questions), text=t("ticked_count", lang, n=n, total=len(questions)))
    sb.caption(md(t("data_source", lang, path=G.graph.get("data_dir", ""))))


# ---------------------------------------------------------------- the card

def render_card(ctx, node: str) -> None:
    """The full card of ``node`` as Streamlit elements (all data escaped)."""
    lang = ctx.lang
    c = _card(ctx.digest, node, lang, ctx.G)
    st.caption(md(c["kind_label"] + (f" · {c['stage']}" if c["stage"] else "")))
    st.subheader(md(c["label"]), anchor=False)
    if c["subtitle"]:
        st.markdown(md(c["subtitle"]))
    if c["title"] and c["title"] != c["label"]:
        st.markdown("*" + md(c["title"]) + "*")
    if c["flag"]:
        st.warning(md(c["flag"] + (f" — {c['note']}" if c["note"] else "")))
    for name, value in c["facts"]:
        st.markdown(f"**{md(name)}**: {md(value)}")
    if c["url"]:
        st.link_button(c["url_label"], c["url"])
    if c["kind"] == "paper":
        key = f"w:read:{node}"
        st.session_state[key] = node in state.get("read")
        st.checkbox(t("card_read", lang), key=key, on_change=_toggle_read, args=(node,))
    if c["text"]:
        st.markdown(f"**{md(c['text_heading'])}**")
        st.markdown(md(c["text"]))
    if c["note"] and not c["flag"]:
        st.markdown(f"**{md(t('card_note', lang))}**")
        st.markdown(md(c["note"]))
    for sec in c["sections"]:
        st.markdown(f"**{md(sec['heading'])}**")
        if not sec["items"]:
            st.caption(md(sec["empty"]))
            continue
        lines = []
        for it in sec["items"]:
            line = f"- {md(it['label'])}"
            if it["detail"]:
                line += f" — {md(it['detail'])}"
            lines.append(line)
        if sec["more_text"]:
            lines.append(f"- {md(sec['more_text'])}")
        st.markdown("\n".join(lines))


# ---------------------------------------------------------------- map

def page_map(ctx) -> None:
    """The map (vis-network in an iframe): the roadmap of papers, or the concept network; the focused node's card."""
    lang, G = ctx.lang, ctx.G
    st.title(viz.curriculum_title(G, lang), anchor=False)
    st.caption(t("app_intro", lang))
    focus = state.get("focus") or None
    if focus and focus not in G:
        focus = None
    depth = state.get("depth")
    style = state.get("style")
    read = tuple(p for p in state.get("read") if p in G)
    ticked = tuple(q for q in state.get("ticked") if q in G)
    nxt = tuple(_next(ctx.digest, read, G)) if read and style == "network" else ()
    stages = tuple(state.get("f_stages") or ()) if ctx.layout.stages else None
    html, message, _, shown, total = _map(
        ctx.digest, lang, focus, None if depth == "all" else depth, state.get("others"), stages,
        tuple(state.get("f_kinds") or ()), tuple(state.get("f_relations") or ()), read, nxt, ticked, G, ctx.layout,
        style)
    if message:
        st.info(message)
        if ctx.layout.stages:  # the stage chooser, in view: a big graph shows part of itself at a time
            st.multiselect(t("filter_stages", lang), ctx.layout.stages, format_func=lambda s: label(G, s, lang),
                           key="pg:stage_chooser", default=[s for s in (stages or ()) if s in ctx.layout.stages],
                           on_change=_on_stage_chooser)
    if hasattr(st, "iframe"):
        st.iframe(html, height=MAP_HEIGHT, alt=t("map_frame", lang))
    else:  # Streamlit before st.iframe
        import streamlit.components.v1 as components

        components.html(html, height=MAP_HEIGHT, scrolling=False)
    st.caption(t("map_caption_roadmap" if style == "roadmap" else "map_caption", lang))
    st.download_button(t("map_download", lang), data=html.encode("utf-8"), file_name="papergraph-map.html",
                       mime="text/html", key="dl:map")
    if focus:
        with st.container(border=True):
            if G.nodes[focus].get("kind") == "stage":
                render_stage_card(ctx, focus)
            else:
                render_card(ctx, focus)


def _on_stage_chooser():
    chosen = st.session_state.get("pg:stage_chooser") or []
    if chosen:
        state.put("f_stages", list(chosen))


# ---------------------------------------------------------------- stages

def _progress_of(ctx, stage):
    sc = _stage_card(ctx.digest, stage, ctx.lang, ctx.G)
    return sc, stage_progress(ctx.G, stage, state.get("read"), state.get("ticked"), card=sc)


def render_stage_card(ctx, stage: str) -> None:
    """A stage's card: goal, duration, papers to tick off, tools with links, questions as a checklist.

    Built from :func:`papergraph.cards.stage_card` (through the node card for
    the goal and weeks) and :func:`papergraph.progress.stage_progress`.
    Ticking a paper or a question changes the progress kept in the URL.
    """
    lang, G = ctx.lang, ctx.G
    sc, prog = _progress_of(ctx, stage)
    c = _card(ctx.digest, stage, lang, G)
    head = t("stage_number", lang, n=sc["stage"]) if sc["stage"] is not None else c["kind_label"]
    st.caption(md(head))
    st.subheader(md(c["label"]), anchor=False)
    if c["subtitle"]:
        st.markdown(md(c["subtitle"]))
    for name, value in c["facts"]:
        st.markdown(f"**{md(name)}**: {md(value)}")
    if c["text"]:
        st.markdown(f"**{md(c['text_heading'])}**")
        st.markdown(md(c["text"]))

    n_p, n_q = len(prog["papers"]), len(prog["questions"])
    left, right = st.columns(2)
    if n_p:
        left.progress(len(prog["papers_read"]) / n_p,
                      text=t("stage_papers_read", lang, n=len(prog["papers_read"]), total=n_p))
    if n_q:
        right.progress(len(prog["questions_ticked"]) / n_q,
                       text=t("stage_questions_ticked", lang, n=len(prog["questions_ticked"]), total=n_q))
    ready = md(t("stage_ready_heading", lang) + " " + viz.stage_ready(G, prog, lang))
    if prog["done"]:
        st.success(ready, icon=":material/check_circle:")
    else:
        st.info(ready, icon=":material/pending:")

    st.markdown(f"**{md(t('card_stage_papers', lang))}**")
    names = _short_names(ctx.digest, lang, G)
    read = set(state.get("read"))
    for p in prog["papers"]:
        key = f"w:sread:{p}"
        st.session_state[key] = p in read
        st.checkbox(md(names.get(p, p)), key=key, on_change=_toggle_read, args=(p, key))

    st.markdown(f"**{md(t('card_stage_tools', lang))}**")
    if not sc["tools"]:
        st.caption(t("stage_no_tools", lang))
    for tool in sc["tools"]:
        tc = _card(ctx.digest, tool, lang, G)
        cols = st.columns([2, 5])
        if tc["url"]:
            cols[0].link_button(md(tc["label"]), tc["url"])
        else:
            cols[0].markdown(md(tc["label"]))
        if tc["text"]:
            cols[1].caption(md(tc["text"]))

    st.markdown(f"**{md(t('card_stage_questions', lang))}**")
    if not sc["questions"]:
        st.caption(t("stage_no_questions", lang))
    else:
        st.caption(t("stage_questions_hint", lang))
    ticked = set(state.get("ticked"))
    for q in sc["questions"]:
        text = (q["text_zh"] or q["text_en"]) if lang == "zh" else (q["text_en"] or q["text_zh"])
        about = [label(G, x, lang) for x in q["concepts"] + q["papers"]]
        key = f"w:tick:{q['id']}"
        st.session_state[key] = q["id"] in ticked
        st.checkbox(md(text), key=key, on_change=_toggle_tick, args=(q["id"],),
                    help=md(t("stage_covers", lang, names=", ".join(about))) if about else None)


def page_stages(ctx) -> None:
    """Every stage's progress, and the chosen stage's card (``stage=`` in the URL)."""
    lang, G, L = ctx.lang, ctx.G, ctx.layout
    st.title(t("view_stages", lang), anchor=False)
    if not L.stages:
        st.info(t("stage_none", lang))
        return
    progress = {s: _progress_of(ctx, s)[1] for s in L.stages}

    def name(s):
        line = viz.stage_line(progress[s], lang, True)
        return ("✓ " if progress[s]["done"] else "") + label(G, s, lang) + (f" · {line}" if line else "")

    if not state.get("stage"):
        state.put("stage", next((s for s in L.stages if not progress[s]["done"]), L.stages[0]))
    st.selectbox(t("stage_pick", lang), L.stages, format_func=name, **state.bind("stage", L.stages))
    with st.expander(t("stage_overview", lang)):
        rows = []
        for s in L.stages:
            p = progress[s]
            rows.append({t("col_stage", lang): label(G, s, lang),
                         t("col_papers", lang): f"{len(p['papers_read'])}/{len(p['papers'])}",
                         t("col_questions", lang): f"{len(p['questions_ticked'])}/{len(p['questions'])}",
                         t("col_done", lang): "✓" if p["done"] else ""})
        st.dataframe(spreadsheet_rows(rows), hide_index=True)  # Streamlit offers each table as CSV
    with st.container(border=True):
        render_stage_card(ctx, state.get("stage"))


# ---------------------------------------------------------------- plan and progress

def page_plan(ctx) -> None:
    """Papers read, what can be read next, progress file, and the dated plan with downloads."""
    lang, G = ctx.lang, ctx.G
    papers = _paper_list(ctx.digest, G)
    st.title(t("view_plan", lang), anchor=False)
    st.header(t("progress", lang), anchor=False)
    names = _short_names(ctx.digest, lang, G)
    st.multiselect(t("progress_read", lang), papers, format_func=lambda p: names.get(p, p),
                   **state.bind("read", papers))
    st.caption(t("progress_share", lang))
    read = tuple(state.get("read"))
    st.subheader(t("next", lang), anchor=False)
    nxt = _next(ctx.digest, read, G)
    if not nxt:
        st.success(t("next_none", lang))
    for p in nxt[:_NEXT_SHOWN]:
        left, right = st.columns([6, 1])
        st_ = stage_of(G, p)
        left.markdown(md(names.get(p, p)) + (f" · {md(label(G, st_, lang))}" if st_ else ""))
        right.button(t("mark_read", lang), key=f"mark:{p}", on_click=_mark, args=(p,))
    if len(nxt) > _NEXT_SHOWN:
        st.caption(md(t("card_more", lang, n=len(nxt) - _NEXT_SHOWN)))
    left, right = st.columns(2)
    left.download_button(t("progress_export", lang),
                         data=exports.progress_document(read, state.get("targets"), ticked=state.get("ticked"),
                                                        graph=ctx.digest[:16]),
                         file_name="papergraph-progress.json", mime="application/json", key="dl:progress")
    right.file_uploader(t("progress_import", lang), type=["json"], key=state.widget_key("import"),
                        on_change=_on_import, args=(G,))
    msg = state.get("import_msg")
    if msg:
        if msg[0] == "error":
            st.error(md(t("import_bad", lang, error=msg[1])))
        else:
            st.success(t("import_ok", lang, n=msg[1], q=msg[3]))
            if msg[2]:
                st.warning(md(t("import_unknown", lang, ids=", ".join(msg[2]))))

    st.header(t("schedule", lang), anchor=False)
    # one target, found by name: an exact name wins (names.resolve), so "CLIP" + Enter plans for CLIP only
    st.text_input(t("plan_target", lang), key=state.widget_key("plan_target"), on_change=_on_plan_target, args=(G,),
                  placeholder=t("search_placeholder", lang))
    pmsg = state.get("plan_msg")
    if pmsg:
        st.warning(md(pmsg))
    targets = [p for p in state.get("targets") if p in G]
    if targets:
        left, right = st.columns([4, 1])
        left.markdown(md(t("plan_target_now", lang, name=", ".join(names.get(p, p) for p in targets))))
        right.button(t("plan_target_clear", lang), key="plan:clear", on_click=lambda: state.put("targets", []))
    else:
        st.caption(t("plan_target_all", lang))
    c1, c2, c3 = st.columns(3)
    c1.radio(t("plan_strategy", lang), STRATEGIES, format_func=lambda s: t(f"strategy_{s}", lang),
             **state.bind("strategy", STRATEGIES))
    if state.get("start") is None:
        state.put("start", dt.date.today())
    c2.date_input(t("plan_start", lang), **state.bind("start"))
    if state.get("hours") is None:
        state.put("hours", float(BASE_HOURS_PER_WEEK))
    c3.number_input(t("plan_hours", lang), min_value=0.5, max_value=80.0, step=0.5, **state.bind("hours"))
    try:
        order = plan_papers(G, list(state.get("targets")), read, state.get("strategy"))
        items = schedule(G, order, state.get("start"), float(state.get("hours")))
    except PapergraphError as exc:
        st.error(md(str(exc)))
        return
    if not items:
        st.info(t("plan_empty", lang))
        return
    days = (items[-1].end - items[0].start).days
    st.markdown(md(t("plan_summary", lang, n=len(items), start=items[0].start.isoformat(),
                     end=(items[-1].end - dt.timedelta(days=1)).isoformat(), days=days)))
    rows = [{t("col_no", lang): i, t("col_start", lang): it.start.isoformat(),
             t("col_end", lang): (it.end - dt.timedelta(days=1)).isoformat(), t("col_days", lang): it.days,
             t("col_paper", lang): label(G, it.paper, lang),
             t("col_stage", lang): label(G, it.stage, lang) if it.stage else "",
             t("col_year", lang): str(G.nodes[it.paper].get("year", "")), t("col_id", lang): it.paper}
            for i, it in enumerate(items, 1)]
    st.dataframe(spreadsheet_rows(rows), hide_index=True)  # Streamlit offers each table as CSV
    st.markdown(f"**{md(t('plan_downloads', lang))}**")
    d1, d2, d3 = st.columns(3)
    d1.download_button(t("dl_ics", lang), data=to_ics(G, items), file_name="papergraph-plan.ics",
                       mime="text/calendar", key="dl:ics")
    d2.download_button(t("dl_markdown", lang), data=to_markdown(G, items).encode("utf-8"),
                       file_name="papergraph-plan.md", mime="text/markdown", key="dl:md")
    d3.download_button(t("dl_csv", lang), data=exports.schedule_csv(G, items), file_name="papergraph-plan.csv",
                       mime="text/csv", key="dl:csv")


# ---------------------------------------------------------------- exports and SPARQL

def page_data(ctx) -> None:
    """Summary figures, the graph's downloads, and a SPARQL box with example queries."""
    lang, G = ctx.lang, ctx.G
    st.title(t("view_data", lang), anchor=False)
    st.header(t("summary", lang), anchor=False)
    s = _stats(ctx.digest, G)
    kinds = {k: n for k, n in s["kinds"].items() if n}
    cols = st.columns(len(kinds) + 2)
    for col, (k, n) in zip(cols, kinds.items()):
        col.metric(kind_label(k, lang), n)
    cols[-2].metric(t("stat_edges", lang), s["edges"])
    cols[-1].metric(t("stat_background", lang), len(s["background"]))
    st.header(t("export", lang), anchor=False)
    cols = st.columns(5)
    failed = []
    for col, fmt, key in zip(cols, ("ttl", "jsonld", "graphml"), ("dl_turtle", "dl_jsonld", "dl_graphml")):
        text, error = _graph_text(ctx.digest, fmt, G)
        mime, ext = exports.GRAPH_FORMATS[fmt]
        if error:
            failed.append(error)
            col.button(t(key, lang), disabled=True, key=f"dl:{fmt}")
        else:
            col.download_button(t(key, lang), data=text.encode("utf-8"), file_name=f"papergraph.{ext}", mime=mime,
                                key=f"dl:{fmt}")
    tables = _csv_tables(ctx.digest, G)
    cols[3].download_button(t("dl_nodes", lang), data=tables["nodes.csv"], file_name="nodes.csv", mime="text/csv",
                            key="dl:nodes")
    cols[4].download_button(t("dl_edges", lang), data=tables["edges.csv"], file_name="edges.csv", mime="text/csv",
                            key="dl:edges")
    for error in dict.fromkeys(failed):
        st.warning(md(t("rdf_missing", lang) if "not available" in error else error))

    st.header(t("sparql", lang), anchor=False)
    rdf, error = _rdf_graph(ctx.digest, G)
    if error:
        st.warning(md(t("rdf_missing", lang) if "not available" in error else error))
        return
    examples = exports.sparql_examples()
    if state.get("sparql") is None:
        state.put("sparql_example", next(iter(examples), ""))
        state.put("sparql", next(iter(examples.values()), "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"))
    if examples:
        options = [""] + list(examples)
        st.selectbox(t("sparql_example", lang), options,
                     format_func=lambda n: t("sparql_custom", lang) if not n else n,
                     **state.bind("sparql_example", options, after=_on_example))
    st.text_area(t("sparql", lang), height=220, **state.bind("sparql"))
    if ctx.endpoint:  # this app holds only a part of a store: its queries go to the store
        st.caption(t("sparql_at_store", lang, store=ctx.endpoint))
    if st.button(t("sparql_run", lang), key="sparql_run", type="primary"):
        try:
            cols, rows = exports.sparql(G, state.get("sparql"), graph=rdf, endpoint=ctx.endpoint)
        except PapergraphError as exc:
            st.error(md(t("sparql_error", lang, error=exc)))
            return
        st.caption(t("sparql_rows", lang, n=len(rows)))
        st.dataframe(spreadsheet_rows([dict(zip(cols, r)) for r in rows]), hide_index=True)
