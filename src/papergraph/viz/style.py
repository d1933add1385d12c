"""How the map looks: colours, shapes and lines by kind and relation, label wrapping, vis-network options.

Plain data only; :mod:`papergraph.viz.mapdata` applies it to the nodes and
edges it draws, and the legend reads the same tables, so the two always agree.

Examples
--------
>>> stage_colour(0), stage_colour(None) == NEUTRAL
('#4e79a7', True)
>>> mix("#000000", "#ffffff", 0.5)
'#808080'
>>> kind_style("paper")["shape"], kind_style("gadget")["shape"]
('box', 'square')
>>> "in_stage" in DEFAULT_RELATIONS, "question" in DEFAULT_KINDS
(False, False)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import schema

__all__ = [
    "DEFAULT_KINDS",
    "DEFAULT_RELATIONS",
    "EDGE_STYLE",
    "FADED_EDGE",
    "FADED_FONT",
    "FADED_NODE",
    "FONT_FACE",
    "LABEL_MIN_PX",
    "KIND_STYLE",
    "NEUTRAL",
    "NEXT_BORDER",
    "PALETTE",
    "READ_FONT",
    "edge_style",
    "kind_style",
    "mix",
    "rgba",
    "stage_colour",
    "vis_options",
    "wrap_label",
]

#: Stage colours (Tableau 10), used in stage order and repeated if needed.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
#: Colour of nodes that belong to no stage (background concepts, stage-less papers).
NEUTRAL = "#8d949e"
#: Font stack of the labels drawn on the canvas (Chinese first).
FONT_FACE = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
             '"WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif')

#: vis-network shape and size for each kind of node (other kinds: :func:`kind_style`).
KIND_STYLE: dict[str, dict] = {
    "paper": {"shape": "box", "font": 16, "width": 150, "wrap": 16},
    "concept": {"shape": "dot", "size": 11, "font": 14, "width": 130, "wrap": 16},
    "stage": {"shape": "hexagon", "size": 26, "font": 25, "width": 340, "wrap": 24},
    "tool": {"shape": "diamond", "size": 11, "font": 13, "width": 130, "wrap": 16},
    "question": {"shape": "triangle", "size": 9, "font": 12, "width": 170, "wrap": 24},
}
_OTHER_KIND = {"shape": "square", "size": 10, "font": 13, "width": 150, "wrap": 18}

#: Line style of each relation (other relations: :func:`edge_style`).
EDGE_STYLE: dict[str, dict] = {
    "requires": {"color": "#c0392b", "width": 2.0, "dashes": False, "arrows": True, "opacity": 0.4},
    "builds_on": {"color": "#1f4e9c", "width": 3.0, "dashes": False, "arrows": True},
    "introduces": {"color": "#2e8b57", "width": 1.6, "dashes": False, "arrows": True, "opacity": 0.7},
    "cites": {"color": "#8a8a8a", "width": 1.0, "dashes": [6, 5], "arrows": True, "opacity": 0.6},
    "related_to": {"color": "#a97cc4", "width": 1.2, "dashes": [2, 5], "arrows": False},
    "in_stage": {"color": "#c8c8c8", "width": 0.8, "dashes": [1, 6], "arrows": True},
    "precedes": {"color": "#555555", "width": 4.0, "dashes": False, "arrows": True},
    "practises_with": {"color": "#6b8e23", "width": 1.0, "dashes": [8, 4], "arrows": True},
    "demonstrates": {"color": "#2a9d8f", "width": 1.0, "dashes": [8, 4], "arrows": True, "opacity": 0.6},
    "asks_about": {"color": "#c99a2e", "width": 1.0, "dashes": [3, 3], "arrows": True},
}
_OTHER_EDGE = {"color": "#999999", "width": 1.0, "dashes": [3, 3], "arrows": True}

#: Relations drawn unless the user picks others: ``in_stage`` and
#: ``practises_with`` (stage → tool) are already told by colour and column,
#: and their lines would cross the whole map.
DEFAULT_RELATIONS = tuple(r for r in schema.RELATIONS if r not in ("in_stage", "practises_with"))
#: Kinds drawn unless the user picks others: self-check questions are long
#: sentences; their stage's card lists them.
DEFAULT_KINDS = tuple(k for k in schema.KINDS if k != "question")

#: Colours of what a focus (or a click) leaves in the background.
FADED_NODE = {"background": "rgba(225,225,225,0.35)", "border": "rgba(190,190,190,0.45)"}
FADED_FONT = "#5f6368"  # faded text keeps WCAG AA contrast (about 5.5:1 on the faded node)
FADED_EDGE = "rgba(180,180,180,0.25)"
#: Labels smaller than this (CSS pixels on screen, less one) are hidden rather than drawn as smudges.
LABEL_MIN_PX = 12
#: Label colour of a paper marked read, border of one that can be read next.
READ_FONT = "#5f6368"
NEXT_BORDER = "#c99700"


def kind_style(kind: str) -> dict:
    """Shape, size, font size, width and wrap of a kind of node (a plain square for unknown kinds)."""
    return KIND_STYLE.get(kind, _OTHER_KIND)


def edge_style(relation: str) -> dict:
    """Colour, width, dashes, arrows and opacity of a relation's lines (thin dashed grey if unknown)."""
    return EDGE_STYLE.get(relation, _OTHER_EDGE)


def _rgb(hexcolour: str) -> tuple[int, int, int]:
    h = hexcolour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


@lru_cache(maxsize=1024)
def rgba(hexcolour: str, alpha: float) -> str:
    """``#rrggbb`` with an opacity, as CSS ``rgba(…)``.

    >>> rgba("#ff8000", 0.5)
    'rgba(255,128,0,0.5)'
    """
    r, g, b = _rgb(hexcolour)
    return f"rgba({r},{g},{b},{alpha})"


@lru_cache(maxsize=1024)
def mix(hexcolour: str, other: str, amount: float) -> str:
    """``hexcolour`` moved ``amount`` (0–1) of the way to ``other``."""
    a, b = _rgb(hexcolour), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b))


def stage_colour(index: int | None) -> str:
    """The colour of the ``index``-th stage (``None``: no stage)."""
    if index is None or index < 0:
        return NEUTRAL
    return PALETTE[index % len(PALETTE)]


_width = unicodedata.east_asian_width


def _cells(ch: str) -> int:
    return 2 if _width(ch) in "WF" else 1


_TOKENS = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|\s+")


@lru_cache(maxsize=16384)
def wrap_label(text: str, width: int = 18) -> str:
    r"""Break ``text`` into lines of about ``width`` columns (a Chinese character is two).

    vis-network wraps only at spaces, so a long run of Chinese would make one
    very wide box; this breaks between Chinese characters and at spaces.

    >>> wrap_label("非平衡热力学扩散模型", 10)
    '非平衡热力\n学扩散模型'
    >>> wrap_label("Attention Is All You Need", 12)
    'Attention Is\nAll You Need'
    """
    out, line, used = [], "", 0
    for tok in _TOKENS.findall(str(text)):
        if tok.isspace():
            if line:
                line += " "
                used += 1
            continue
        if tok.isascii():
            w = len(tok)
        elif len(tok) == 1:  # a Chinese character is a token of its own
            w = 2 if _width(tok) in "WF" else 1
        else:
            w = sum(_cells(c) for c in tok)
        if line and used + w > width:
            out.append(line.rstrip())
            line, used = "", 0
        line += tok
        used += w
    if line.strip():
        out.append(line.rstrip())
    return "\n".join(out) if out else str(text)


def vis_options(n_nodes: int) -> dict:
    """vis-network options: no physics (positions are precomputed), hover cards, zoom and drag.

    >>> vis_options(10)["physics"]
    {'enabled': False}
    """
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "multiselect": False, "hideEdgesOnDrag": n_nodes > 250, "zoomSpeed": 0.6},
        # a label smaller than 11 px on screen is not drawn (it fades in between 11 and 12 px as one zooms in)
        "nodes": {"shapeProperties": {"borderRadius": 4}, "chosen": True,
                  "scaling": {"label": {"drawThreshold": LABEL_MIN_PX, "maxVisible": 60}}},
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.8},
    }
