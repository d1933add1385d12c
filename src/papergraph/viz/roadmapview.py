"""The map's first view: the papers as a roadmap a beginner reads at a glance.

:func:`roadmap_view` turns the drawn nodes and edges of a map
(:func:`papergraph.viz.mapdata.map_data`) into the roadmap: the stages as
columns (a vertical spine on a phone: each paper carries both positions),
the papers as readable cards numbered in reading order with "start here",
"read next", read and flagged marks, and paper-to-paper read-first arrows
(:func:`papergraph.roadmap.roadmap`, the transitive reduction of core's
"must be read before"). Concepts, citations and tools stay in the page as
*layers*, hidden until switched on; a node of a layer keeps its place on the
full concept map (``net``), where the page moves everything when a layer of
nodes is shown.

Everything here is layout and looks; which paper comes first, what must be
read before what and what can be read next come from :mod:`papergraph.roadmap`.
"""

from __future__ import annotations

from ..i18n import flag_label, t
from ..query import label
from ..roadmap import roadmap
from .style import FONT_FACE, NEXT_BORDER, mix, stage_colour, wrap_label

__all__ = ["CARD_FONT", "CARD_WIDTH", "LAYERS", "START_BORDER", "roadmap_view"]

#: Font size (canvas pixels) of a paper card's text; the page never starts below 12.5 px on screen.
CARD_FONT = 18
#: Width of a paper card (canvas pixels).
CARD_WIDTH = 176
#: Border of the paper to start with.
START_BORDER = "#1a7f37"
#: The layers a reader can switch on: which node kinds and relations each holds.
LAYERS = {
    "concepts": {"kinds": ("concept",), "relations": ("requires", "introduces", "related_to", "precedes", "builds_on")},
    "citations": {"kinds": (), "relations": ("cites",)},
    "tools": {"kinds": ("tool", "question"), "relations": ("demonstrates", "practises_with", "asks_about", "in_stage")},
}
_LAYER_OF_KIND = {k: name for name, spec in LAYERS.items() for k in spec["kinds"]}
_LAYER_OF_REL = {r: name for name, spec in LAYERS.items() for r in spec["relations"]}

_PITCH = 236       # between two stage columns
_HEAD_Y = -110     # the stage headers' centre
_GAP = 30          # between two cards of a column
_LINE = 23         # height of a line of a card's text
_APART = 60        # extra gap above the flagged papers of a column
_SPINE_GAP = 70    # between two stages on the spine
_ARROW = "#3d4f66"


def _height(text: str) -> float:
    return (text.count("\n") + 1) * _LINE + 18


def _card_label(G, p, lang, number, marks) -> str:
    d = G.nodes[p]
    head = f"{number}. " if number else ""
    text = wrap_label(head + label(G, p, lang), 17)
    if d.get("year"):
        text += f"\n{d['year']}"
    for m in marks:
        text += "\n" + m
    return text


def roadmap_view(G, lang: str, L, nodes: list[dict], edges: list[dict], read=(), progress: bool = False) -> dict:
    """Make the drawn ``nodes`` and ``edges`` of a map its roadmap (in place); returns the page's ``roadmap`` data.

    Returns
    -------
    dict
        ``{"order": [paper ids in reading order], "number": {id: n},
        "start": [...], "next": [...], "read": [...], "flagged": [...],
        "edges": [[from, to], ...], "stages": [{id, label, papers}],
        "layers": [{key, label, nodes, edges}], "marks": [...], "strings": {...}}``.
    """
    by_id = {n["id"]: n for n in nodes}
    papers = [n["id"] for n in nodes if n.get("kind") == "paper"]
    r = roadmap(G, papers, read)
    number, start, nxt, done = r.number, set(r.start), set(r.next), set(r.read)
    flagged = set(r.flagged)
    stage_no = {s: i for i, s in enumerate(L.stages)}
    columns: dict[str | None, list[str]] = {}
    for p in r.order:  # reading order; flagged papers go to the bottom of their column
        columns.setdefault(L.home.get(p), []).append(p)
    col_order = [s for s in L.stages if s in columns] + ([None] if None in columns else [])
    marks = {"start": "▶ " + t("map_start_here", lang), "next": "→ " + t("map_read_next", lang)}

    # the paper cards
    label_of = {}
    for p in r.order:
        n = by_id[p]
        mk = []
        if p in start:
            mk.append(marks["start"])
        elif p in nxt:
            mk.append(marks["next"])
        if p in flagged:
            mk.append("⚠ " + flag_label(G.nodes[p].get("flag"), lang))
        text = _card_label(G, p, lang, number.get(p), mk)
        if p in done:
            text = "✓ " + text
        label_of[p] = text
        colour = stage_colour(stage_no.get(L.home.get(p)))
        bg, border, width, font = mix(colour, "#ffffff", 0.8), colour, 2, "#1f2328"
        dashes = False
        if p in done:
            bg, font = "#f1f3f4", "#4d5156"
        if p in nxt:
            border, width = NEXT_BORDER, 4
        if p in start:
            border, width = START_BORDER, 5
        if p in flagged:
            bg, border, width, font, dashes = "#f3f3f1", "#8a8f96", 2, "#4d5156", [6, 4]
        n["net"] = [n["x"], n["y"]]
        n.update({"label": text, "borderWidth": width, "borderWidthSelected": width + 1.5,
                  "color": {"background": bg, "border": border,
                            "highlight": {"background": mix(bg, colour, 0.3), "border": "#111111"},
                            "hover": {"background": mix(bg, colour, 0.15), "border": border}},
                  "font": {"size": CARD_FONT, "face": FONT_FACE, "color": font, "align": "left"},
                  "widthConstraint": {"minimum": CARD_WIDTH, "maximum": CARD_WIDTH}, "margin": 9,
                  "shapeProperties": {"borderDashes": dashes, "borderRadius": 6}})
        n.pop("base", None)
        n.pop("faded", None)
        if p in start:
            n["mark"] = "start"
        elif p in nxt:
            n["mark"] = "next"
        if p in done:
            n["read"] = True
        if p in flagged:
            n["flagged"] = True
        if p in number:
            n["number"] = number[p]

    # columns (laptop) and the spine (phone)
    stages_out = []
    spine_y = 0.0
    for c, st in enumerate(col_order):
        ps = columns[st]
        x = c * _PITCH
        y = 0.0
        spine_y += 0 if c == 0 else _SPINE_GAP
        head_spine = spine_y
        spine_y += 70
        apart = False
        for p in ps:
            if p in flagged and not apart:
                y += _APART
                spine_y += _APART
                apart = True
            h = _height(label_of[p])
            by_id[p]["x"], by_id[p]["y"] = x, y + h / 2
            by_id[p]["spine"] = [0, spine_y + h / 2]
            y += h + _GAP
            spine_y += h + _GAP
        name = label(G, st, lang) if st is not None else t("header_unstaged", lang)
        count = len([p for p in ps if p not in flagged])
        head = wrap_label(name, 20) + "\n" + t("stage_count_paper" if count == 1 else "stage_count_papers", lang,
                                                n=count)
        stages_out.append({"id": st or "", "label": name, "papers": ps})
        colour = stage_colour(stage_no.get(st))
        if st is not None and st in by_id:
            n = by_id[st]
            n["net"] = [n["x"], n["y"]]
            head = n["label"]  # its name and its counts, or the learner's progress in it
        else:  # papers of no stage: a header of their own
            hid = "__header__roadmap-unstaged"
            n = {"id": hid, "kind": "header", "chosen": False}
            nodes.append(n)
            by_id[hid] = n
        n.update({"label": head, "x": x, "y": _HEAD_Y, "spine": [0, head_spine], "shape": "box", "roadmap_head": True,
                  "color": {"background": mix(colour, "#ffffff", 0.25), "border": colour,
                            "highlight": {"background": mix(colour, "#ffffff", 0.1), "border": "#111111"},
                            "hover": {"background": mix(colour, "#ffffff", 0.15), "border": colour}},
                  "font": {"size": 20, "face": FONT_FACE, "color": "#111111", "bold": {"color": "#111111"}},
                  "widthConstraint": {"minimum": CARD_WIDTH + 20, "maximum": CARD_WIDTH + 20}, "margin": 10,
                  "borderWidth": 1.5})
        n.pop("base", None)
        n.pop("faded", None)

    # everything else is a layer (hidden at first), at its place on the concept map
    layer_nodes: dict[str, int] = {}
    for n in nodes:
        if n.get("kind") in ("paper",) or n.get("roadmap_head"):
            continue
        if n.get("kind") == "stage" or n.get("kind") == "header":  # a stage without papers drawn, a concept-map header
            n["net"] = [n["x"], n["y"]]
            n["hidden"] = True
            n["layer"] = "concepts"
            continue
        key = _LAYER_OF_KIND.get(n.get("kind"), "concepts")
        n["net"] = [n["x"], n["y"]]
        n["hidden"] = True
        n["layer"] = key
        n.pop("base", None)
        n.pop("faded", None)
        layer_nodes[key] = layer_nodes.get(key, 0) + 1
    layer_edges: dict[str, int] = {}
    for e in edges:
        key = _LAYER_OF_REL.get(e.get("relation"), "concepts")
        e["hidden"] = True
        e["layer"] = key
        e.pop("faded", None)
        layer_edges[key] = layer_edges.get(key, 0) + 1
    title = t("map_read_first_arrow", lang)
    for i, (q, p) in enumerate(r.edges):
        edges.append({"id": f"rf{i}", "from": q, "to": p, "relation": "read_first", "layer": "roadmap",
                      "title": f"{label(G, q, lang)} → {title} → {label(G, p, lang)}",
                      "color": {"color": _ARROW, "highlight": "#111111", "hover": "#111111"}, "width": 2.2,
                      "dashes": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.7}}})
    layers = [{"key": k, "label": t(f"layer_{k}", lang), "nodes": layer_nodes.get(k, 0), "edges": layer_edges.get(k, 0)}
              for k in LAYERS if layer_nodes.get(k) or layer_edges.get(k)]
    return {
        "order": r.order, "number": number, "start": r.start, "next": r.next, "read": r.read, "flagged": r.flagged,
        "edges": [list(e) for e in r.edges], "stages": stages_out, "layers": layers,
        "card_font": CARD_FONT,
        "marks": [{"mark": "start", "label": t("map_start_here", lang), "color": START_BORDER},
                  {"mark": "next", "label": t("map_read_next", lang), "color": NEXT_BORDER},
                  {"mark": "read", "label": t("legend_read", lang), "color": "#4d5156"},
                  {"mark": "flagged", "label": t("map_flagged", lang), "color": "#8a8f96"},
                  {"mark": "arrow", "label": t("map_read_first_arrow", lang), "color": _ARROW}],
    }
