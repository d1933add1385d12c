"""The explorer's state: values that outlive widgets, and their copy in the page's URL.

Streamlit forgets a widget's value when the widget is not drawn (another
view is shown), so each setting lives under its own key (``pg:NAME``) and
the widget (``w:NAME``) is bound to it with :func:`bind`. The settings that
make a view worth sharing (language, view, focus, depth, papers read,
self-check questions ticked, the stage shown, targets, strategy) are
mirrored in ``st.query_params``, so progress survives a reload and a link
carries it. Most keep their own name in the URL; the ticked questions are
``q=`` (a comma list of question ids).
"""

from __future__ import annotations

import streamlit as st

from ..i18n import LANGS, norm_lang
from ..order import STRATEGIES

__all__ = [
    "DEFAULTS",
    "DEPTHS",
    "STYLES",
    "URL_KEYS",
    "URL_NAMES",
    "VIEWS",
    "bind",
    "get",
    "init_from_url",
    "put",
    "widget_key",
    "write_url",
]

VIEWS = ("map", "stages", "plan", "data")
DEPTHS = (1, 2, 3, 4, 5, 6, "all")
OTHERS = ("fade", "hide")
#: The map's two pictures: the roadmap of papers (first) and the full concept network.
STYLES = ("roadmap", "network")

#: Every setting and its default.
DEFAULTS = {
    "lang": LANGS[0],
    "view": "map",
    "focus": "",
    "depth": 2,
    "others": "fade",
    "style": STYLES[0],
    "read": [],
    "ticked": [],
    "stage": "",
    "targets": [],
    "strategy": STRATEGIES[0],
}
#: Settings kept in the URL.
URL_KEYS = ("lang", "view", "style", "focus", "depth", "others", "read", "ticked", "stage", "targets", "strategy")
#: A setting's name in the URL, where it is not its own.
URL_NAMES = {"ticked": "q"}
#: List settings kept in the URL, and the kind of node each holds.
_LISTS = {"read": "paper", "ticked": "question", "targets": "paper"}
_P = "pg:"
_W = "w:"


def get(name: str, default=None):
    """The current value of setting ``name``."""
    return st.session_state.get(_P + name, DEFAULTS.get(name, default) if default is None else default)


def put(name: str, value) -> None:
    """Set setting ``name`` (widgets bound to it show the new value on the next draw)."""
    st.session_state[_P + name] = value


def widget_key(name: str) -> str:
    """The widget key bound to setting ``name`` (for tests and callbacks)."""
    return _W + name


def _copy(name: str, after=None) -> None:
    put(name, st.session_state[_W + name])
    if after is not None:
        after()


def bind(name: str, options=None, after=None) -> dict:
    """Keyword arguments that bind a widget to setting ``name``.

    The stored value is put into the widget before it is drawn (reset to the
    default if ``options`` no longer hold it), and copied back on change;
    ``after`` runs after the copy.
    """
    value = get(name)
    if options is not None:
        opts = list(options)
        if isinstance(value, list):
            value = [v for v in value if v in opts]
        elif value not in opts:
            value = DEFAULTS.get(name, opts[0] if opts else None)
            if value not in opts and opts:
                value = opts[0]
        put(name, value)
    st.session_state[_W + name] = value
    return {"key": _W + name, "on_change": _copy, "args": (name, after)}


def _ids(G, text: str, kind: str | None = "paper") -> list[str]:
    out = []
    for x in str(text or "").split(","):
        x = x.strip()
        if x and x in G and (kind is None or G.nodes[x].get("kind") == kind) and x not in out:
            out.append(x)
    return out


def init_from_url(G) -> None:
    """Once per session: fill the settings from their defaults and the URL's query parameters."""
    if st.session_state.get(_P + "init"):
        return
    st.session_state[_P + "init"] = True
    for k, v in DEFAULTS.items():
        put(k, list(v) if isinstance(v, list) else v)
    qp = st.query_params
    if "lang" in qp:
        put("lang", norm_lang(qp.get("lang")))
    if qp.get("view") in VIEWS:
        put("view", qp.get("view"))
    if qp.get("focus") and qp.get("focus") in G:
        put("focus", qp.get("focus"))
    depth = qp.get("depth")
    if depth == "all":
        put("depth", "all")
    elif depth and depth.isdigit() and int(depth) in DEPTHS:
        put("depth", int(depth))
    if qp.get("others") in OTHERS:
        put("others", qp.get("others"))
    if qp.get("style") in STYLES:
        put("style", qp.get("style"))
    for k, kind in _LISTS.items():
        name = URL_NAMES.get(k, k)
        if name in qp:
            put(k, _ids(G, qp.get(name), kind))
    stage = qp.get("stage")
    if stage and stage in G and G.nodes[stage].get("kind") == "stage":
        put("stage", stage)
    if qp.get("strategy") in STRATEGIES:
        put("strategy", qp.get("strategy"))


def write_url() -> None:
    """Mirror the shareable settings in the URL (only those that differ from the defaults)."""
    want = {}
    for k in URL_KEYS:
        v = get(k)
        if v == DEFAULTS[k] or v in (None, ""):
            continue
        want[URL_NAMES.get(k, k)] = ",".join(v) if isinstance(v, list) else str(v)
    have = {k: st.query_params.get(k) for k in st.query_params}
    if have != want:
        st.query_params.from_dict(want)
