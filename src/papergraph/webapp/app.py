"""The explorer's frame: load the graph once per data version, draw the sidebar, show a view.

The graph is loaded and laid out once per content digest of its files
(``st.cache_resource``); maps, cards and downloads are cached per digest and
settings (``st.cache_data``), so an interaction on the seed graph reruns in
a fraction of a second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from .. import viz
from ..errors import DataError, PapergraphError
from ..i18n import t
from . import pages, state
from .text import md

__all__ = ["Context", "data_version", "main"]


@dataclass
class Context:
    """What every page needs: the graph, its layout and digest, the language."""

    G: object
    layout: viz.Layout
    digest: str
    data_dir: str
    lang: str
    #: The SPARQL endpoint the graph is a part of (``papergraph app --endpoint URL --focus NAME``), else None.
    endpoint: str | None = None


def data_version(data_dir: str) -> str:
    """The content digest of ``nodes.csv`` and ``edges.csv`` in ``data_dir`` (``"missing"`` if unreadable)."""
    from ..load import EDGES_FILE, NODES_FILE, data_digest

    try:
        nodes = (Path(data_dir) / NODES_FILE).read_bytes()
        edges = (Path(data_dir) / EDGES_FILE).read_bytes()
    except OSError:
        return "missing"
    return data_digest(nodes, edges)


@st.cache_resource(show_spinner=False, max_entries=4)
def _graph(data_dir: str, digest: str):
    """Load and lay out the graph; cached per directory and content digest."""
    from ..load import load_graph

    G = load_graph(data_dir)
    return G, viz.layout_for(G)  # kept on disk per data version (papergraph.viz.persist)


def _data_dir(data_dir) -> str:
    if data_dir is None:
        from ..load import default_data_dir

        return str(default_data_dir())
    return os.path.abspath(os.path.expanduser(str(data_dir)))


def _page_lang(lang: str) -> None:
    """Set the page's ``<html lang>`` to the interface's language (Streamlit gives no option for it).

    A one-line script of our own (no data in it) sets it, so screen readers and fonts pick the right language.
    """
    code = "zh" if lang == "zh" else "en"
    st.html("<script>document.documentElement.lang = '" + code + "';</script>", unsafe_allow_javascript=True)


def _queries_at(part) -> str | None:
    """Where the SPARQL box sends queries when the app holds a part of a store (its named graph as the default)."""
    if part is None:
        return None
    if not part.get("graph"):
        return part["endpoint"]
    from urllib.parse import quote

    return part["endpoint"] + ("&" if "?" in part["endpoint"] else "?") + "default-graph-uri=" + quote(part["graph"], safe="")


def main(data_dir=None, part=None) -> None:
    """Draw the whole explorer for the graph in ``data_dir`` (``part``: only the part of a store around a focus)."""
    st.set_page_config(page_title="papergraph", layout="wide", initial_sidebar_state="auto")
    path = _data_dir(data_dir)
    digest = data_version(path)
    try:
        G, L = _graph(path, digest)
    except DataError as exc:
        lang = state.get("lang")
        st.error(md(t("data_error", lang, path=path)))
        st.code("\n".join(str(p) for p in exc.problems), language=None)
        st.stop()
    except PapergraphError as exc:
        st.error(md(str(exc)))
        st.stop()
    state.init_from_url(G)
    pages.sidebar(G, L)
    _page_lang(state.get("lang"))
    if part is not None:
        st.info(md(t("app_part_of_store", state.get("lang"), store=part["endpoint"], focus=part["focus"],
                     n=G.number_of_nodes())))
    ctx = Context(G, L, G.graph.get("digest") or digest, path, state.get("lang"), _queries_at(part))
    view = state.get("view")
    if view == "plan":
        pages.page_plan(ctx)
    elif view == "stages":
        pages.page_stages(ctx)
    elif view == "data":
        pages.page_data(ctx)
    else:
        pages.page_map(ctx)
    state.write_url()
