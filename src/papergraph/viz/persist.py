"""The map's per-data-version artefacts, kept on disk beside the graph's cache.

The layout of a graph (:func:`papergraph.viz.placement.layout`) and the
compact order graph its pages carry
(:func:`papergraph.viz.ordergraph.order_graph_json`) depend only on the
graph's content, so a new process reads them instead of computing them
again. Each file sits in :func:`papergraph.cache.trusted_cache_dir` (none
is read or kept when the cache directory cannot be trusted), named after the
graph's digest (``G.graph["digest"]``): ``<digest>-map-<name>``. Files are
written atomically and privately (:func:`papergraph.files.atomic_write`); a file that is
missing, unreadable, corrupt or not the user's own is computed again and
rewritten, never an error, and a directory that cannot be written only costs
the saving. Every file holds plain data (text, JSON): nothing read from the
cache is unpickled or run.

Only graphs loaded by :func:`papergraph.load.load_graph` are kept: their
digest is a SHA-256 in hex. A graph built in code (no digest, or another
one) is computed each time. Besides, :func:`shared` keeps files that serve
every graph (``map-<name>``: the compiled page template).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> text(G, "x.json", lambda: "[1]")  # no digest: computed, nothing written
'[1]'
>>> path_for(G, "x.json") is None
True
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
from array import array
from collections.abc import Mapping
from pathlib import Path

from ..cache import (
    gc_paused,  # noqa: F401  (re-exported for the map's builders)
    trusted_cache_dir,
    trusted_file,
)

__all__ = ["forget", "gc_paused", "kept", "layout", "path_for", "shared", "text"]

log = logging.getLogger(__name__)

_DIGEST = re.compile(r"[0-9a-f]{64}")
#: Version of the layout's file format (part of its name).
LAYOUT_FORMAT = 5


def _digest(G) -> str | None:
    d = getattr(G, "graph", {}).get("digest")
    return d if isinstance(d, str) and _DIGEST.fullmatch(d) else None


def path_for(G, name: str) -> Path | None:
    """Where the artefact ``name`` of ``G`` is kept, or None for a graph that is not kept."""
    d = _digest(G)
    c = trusted_cache_dir() if d else None
    return c / f"{d}-map-{name}" if c is not None else None


def _save(path: Path, data: bytes | str) -> None:
    from ..files import atomic_write

    try:
        atomic_write(path, data, private=True)
    except OSError as exc:  # a read-only cache only costs the saving
        log.info("could not keep %s: %s", path, exc)


def text(G, name: str, make, check=None) -> str:
    """The text artefact ``name`` of ``G``: read from disk, else ``make()`` (then kept).

    ``check(text)``, when given, tells whether a text read is whole (one that
    is not is made again).
    """
    path = path_for(G, name)
    if path is None:
        return make()
    try:
        if os.path.lexists(path) and not trusted_file(path):
            raise FileNotFoundError(path)  # not the user's own: made again and replaced
        value = path.read_bytes().decode("utf-8")
        if check is None or check(value):
            return value
        log.info("ignoring damaged %s", path)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        log.info("ignoring unreadable %s: %s", path, exc)
    value = make()
    _save(path, value)
    return value


def shared(name: str, data: bytes | None = None) -> bytes | None:
    """A file of the map's kept for every graph (``map-<name>`` in the cache directory).

    With ``data``, write it (and return None); without, read it (None when
    missing or unreadable). Holds the compiled page template.
    """
    c = trusted_cache_dir()
    if c is None:
        return None
    path = c / f"map-{name}"
    if data is not None:
        _save(path, data)
        return None
    if not trusted_file(path):
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def kept(G) -> list[Path]:
    """The files kept for ``G``'s content (none for a graph that is not kept)."""
    d = _digest(G)
    c = trusted_cache_dir() if d else None
    if c is None:
        return []
    try:
        return sorted(c.glob(f"{d}-map-*"))
    except OSError:
        return []


def forget(G, *, shared: bool = False) -> list[Path]:
    """Remove every file kept for ``G``'s content (and, with ``shared``, the map's files kept for every graph).

    For measuring the first map ever drawn of a graph; the next map writes
    them again. Returns the files removed.
    """
    paths = kept(G)
    c = trusted_cache_dir()
    if shared and c is not None:
        try:
            paths += sorted(c.glob("map-*"))
        except OSError:
            pass
    gone = []
    for p in paths:
        try:
            p.unlink()
            gone.append(p)
        except OSError:
            pass
    return gone


# ---------------------------------------------------------------- the layout

class _Index:
    """``{node: position}`` in a list of nodes, built only as far as it has been asked.

    The layout keeps its nodes in the order a capped map takes them
    (``cap_order``), so the map of a big graph, which reads a few hundred of
    them, hashes a few hundred ids rather than every one.
    """

    __slots__ = ("_at", "_done", "_ids")

    def __init__(self, ids: list):
        self._ids = ids
        self._at: dict = {}
        self._done = 0

    def get(self, key):
        i = self._at.get(key)
        if i is None and self._done < len(self._ids):
            ids, at, n = self._ids, self._at, len(self._ids)
            while i is None and self._done < n:
                start, stop = self._done, min(n, max(256, 2 * self._done))
                at.update(zip(ids[start:stop], range(start, stop)))
                self._done = stop
                i = at.get(key)
        return i

    def __getitem__(self, key):
        i = self.get(key)
        if i is None:
            raise KeyError(key)
        return i

    def __contains__(self, key):
        return self.get(key) is not None

    def __iter__(self):
        return iter(self._ids)

    def __len__(self):
        return len(self._ids)


class _Column(Mapping):
    """A read-only ``{node: value}`` over a shared node index and an array of values.

    Building a dict of every node costs more than a map of a big graph reads
    of it (a capped map looks up a few hundred nodes), so a layout read from
    disk answers from arrays instead; ``make`` turns a stored value into the
    layout's (a stage's number into its id, say).
    """

    __slots__ = ("_index", "_make", "_values")

    def __init__(self, index: dict, values, make=None):
        self._index = index
        self._values = values
        self._make = make

    def __getitem__(self, key):
        v = self._values[self._index[key]]
        return v if self._make is None else self._make(v)

    def get(self, key, default=None):
        i = self._index.get(key)
        if i is None:
            return default
        v = self._values[i]
        return v if self._make is None else self._make(v)

    def __contains__(self, key):
        return key in self._index

    def __iter__(self):
        return iter(self._index)

    def __len__(self):
        return len(self._index)

    def __repr__(self):
        return f"<{type(self).__name__} of {len(self)} nodes>"


class _Pos(_Column):
    """``{node: (x, y)}`` over two arrays of coordinates (and which of them were ints, as the layout made them)."""

    __slots__ = ("_ints", "_ys")

    def __init__(self, index: dict, xs, ys, ints):
        super().__init__(index, xs)
        self._ys = ys
        self._ints = ints

    def _at(self, i):
        x, y, k = self._values[i], self._ys[i], self._ints[i]
        return (int(x) if k & 1 else x, int(y) if k & 2 else y)

    def __getitem__(self, key):
        return self._at(self._index[key])

    def get(self, key, default=None):
        i = self._index.get(key)
        return default if i is None else self._at(i)


def _array(code: str, values) -> str:
    return base64.b64encode(array(code, values).tobytes()).decode("ascii")


def _unarray(code: str, raw: str, n: int):
    a = array(code)
    a.frombytes(base64.b64decode(raw, validate=True))
    if len(a) != n:
        raise ValueError("truncated layout")
    return a


def _pack(L) -> bytes:
    ids = list(L.cap_order)  # every node, in the order a capped map reads them
    stage_no = {s: i for i, s in enumerate(L.stages)}
    pos = [L.pos[n] for n in ids]
    fields = {
        "ids": ids,
        "x": _array("d", [p[0] for p in pos]),
        "y": _array("d", [p[1] for p in pos]),
        "ints": _array("b", [(type(x) is int) | (type(y) is int) << 1 for x, y in pos]),  # 0 and 0.0 print apart
        "column": _array("q", [L.column[n] for n in ids]),
        "rank": _array("q", [L.rank[n] for n in ids]),
        "home": _array("q", [stage_no[h] if h is not None else -1 for h in (L.home.get(n) for n in ids)]),
        "headers": list(L.headers),
        "stages": list(L.stages),
        "by_kind": {k: list(v) for k, v in L.by_kind.items()},
        "members": {s: {k: list(v) for k, v in m.items()} for s, m in L.members.items()},
        "background": bool(L.background),
    }
    return json.dumps(["papergraph-layout", LAYOUT_FORMAT, fields], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _unpack(raw: bytes):
    from .layoutdata import Layout

    with gc_paused():  # tens of thousands of small lists and strings, none of them garbage
        tag, version, f = json.loads(raw)
    if tag != "papergraph-layout" or version != LAYOUT_FORMAT:
        raise ValueError("not a layout of this version")
    ids, stages = f["ids"], f["stages"]
    n = len(ids)
    index = _Index(ids)
    home = _Column(index, _unarray("q", f["home"], n), lambda i: stages[i] if i >= 0 else None)
    return Layout(_Pos(index, _unarray("d", f["x"], n), _unarray("d", f["y"], n), _unarray("b", f["ints"], n)),
                  _Column(index, _unarray("q", f["column"], n)), home, _Column(index, _unarray("q", f["rank"], n)),
                  [tuple(h) for h in f["headers"]], stages, f["by_kind"], f["members"], ids, f["background"])


def _complete(L) -> bool:
    """Whether the layout can be written: ``cap_order`` lists each node placed once, with all its fields."""
    stages = set(L.stages) | {None}
    return (len(L.cap_order) == len(L.pos) and set(L.cap_order) == set(L.pos)
            and all(n in L.column and n in L.home and n in L.rank and L.home[n] in stages for n in L.pos))


def layout(G, make):
    """The layout of ``G``: read from disk, else ``make()`` (then kept).

    A layout read from disk holds read-only mappings in place of its
    per-node dicts (same keys and values; each iterates in the order of
    ``cap_order``). Treat any layout as read-only.
    """
    path = path_for(G, f"layout-{LAYOUT_FORMAT}.json")
    if path is None:
        return make()
    try:
        if os.path.lexists(path) and not trusted_file(path):
            raise FileNotFoundError(path)
        return _unpack(path.read_bytes())
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a corrupt file is computed again, whatever is wrong with it
        log.info("ignoring unreadable %s: %s", path, exc)
    L = make()
    if _complete(L):
        _save(path, _pack(L))
    return L
