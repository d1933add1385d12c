"""The on-disk caches of validated graphs, and the read-only view questions are answered from.

A validated graph is cached in :func:`cache_dir`, named by the digest of
both CSV files' bytes (:func:`data_digest`), in two forms: a signed pickle of the
NetworkX graph (:func:`read_pickle`, :func:`write_pickle`) for
:func:`papergraph.load.load_graph`, and an SQLite file (:func:`write_view`)
whose :class:`CachedGraph` reads only the nodes and edges a question
touches, without pandas or NetworkX, for
:func:`papergraph.load.open_graph`. :class:`Source` decides, as cheaply as
is safe, which digest a directory's files have now: any edit is seen.

This module never validates anything; :mod:`papergraph.load` does, and
calls it.

The cache runs no code it did not write. :func:`trusted_cache_dir` creates
the directory ``0o700`` and refuses (with a one-line warning; papergraph then
works without a cache) a directory or file that is not owned by the user or
that others may write. The query cache holds plain data (JSON in SQLite);
the one pickle, the whole graph, is signed with HMAC-SHA256 under a per-user
key kept in the cache directory (``key``, mode ``0o600``) and is unpickled
only when the signature matches. A query cache found damaged while in use
is rebuilt from the CSV files.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import logging
import os
import pickle
import re
import secrets
import shutil
import stat
import threading
import time
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

from . import schema
from .status import status

try:
    import sqlite3
except ImportError:  # a Python built without it: open_graph() loads the whole graph instead
    sqlite3 = None

__all__ = ["CachedGraph", "Source", "cache_dir", "data_digest", "gc_paused", "read_bytes", "read_pickle",
           "trusted_cache_dir", "trusted_file", "view_path", "write_pickle", "write_view"]

log = logging.getLogger("papergraph.load")

NODES_FILE = schema.NODES_FILE
EDGES_FILE = schema.EDGES_FILE


def read_bytes(path: Path) -> bytes | None:
    """The bytes of an input file; None when it is missing (see :func:`papergraph.files.read_input`)."""
    from .files import read_input

    try:
        return read_input(path)
    except FileNotFoundError:
        return None


def data_digest(nodes_raw: bytes, edges_raw: bytes) -> str:
    """Cache key of a graph: its files' bytes, the schema, the package version and the code's fingerprint."""
    from . import __version__
    from .fingerprint import code_fingerprint

    h = hashlib.sha256()
    for part in (nodes_raw, b"\x00", edges_raw,
                 f"\x00{schema.SCHEMA_VERSION}\x00{__version__}\x00{code_fingerprint()}".encode()):
        h.update(part)
    return h.hexdigest()


def cache_dir() -> Path:
    """Where validated graphs are cached (``$PAPERGRAPH_CACHE_DIR`` overrides)."""
    env = os.environ.get("PAPERGRAPH_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "papergraph"


_warned: set = set()
_KEY_FILE = "key"
_SIG = 32  # bytes of an HMAC-SHA256 signature


def _warn(path, why: str) -> None:
    if str(path) not in _warned:
        _warned.add(str(path))
        logging.getLogger("papergraph").warning(
            "warning: not using the cache %s: %s; working without it", path, why)


def _unsafe(st: os.stat_result) -> str | None:
    """Why a cache directory or file with this stat cannot be trusted, or None."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    if uid is not None and st.st_uid != uid:
        return f"owned by uid {st.st_uid}, not by you (uid {uid})"
    if st.st_mode & 0o022:
        return f"writable by others (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def trusted_cache_dir() -> Path | None:
    """:func:`cache_dir`, created ``0o700``; None (after a one-line warning) when it cannot be trusted.

    Refused: a path that is not a directory, a directory not owned by the
    user, or one that the group or others may write.
    """
    d = cache_dir()
    try:
        d.parent.mkdir(parents=True, exist_ok=True)
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            pass
        st = os.lstat(d)
    except OSError as exc:
        if str(d) not in _warned:
            log.info("no cache in %s: %s", d, exc)
            _warned.add(str(d))
        return None
    if not stat.S_ISDIR(st.st_mode):
        _warn(d, "not a directory")
        return None
    why = _unsafe(st)
    if why:
        _warn(d, why)
        return None
    return d


def trusted_file(path: Path) -> bool:
    """Whether the cache file ``path`` (not a link) is the user's and writable by nobody else; False when missing."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        _warn(path, "not a regular file")
        return False
    why = _unsafe(st)
    if why:
        _warn(path, why)
        return False
    return True


def _key(d: Path) -> bytes | None:
    """The per-user key signing the pickles of ``d`` (made on first use, mode ``0o600``)."""
    path = d / _KEY_FILE
    for _ in range(2):
        if trusted_file(path):
            try:
                raw = path.read_bytes()
            except OSError:
                return None
            return raw if len(raw) >= 32 else None
        if os.path.lexists(path):
            return None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            continue  # made by another process just now
        except OSError as exc:
            log.info("cannot make the cache key %s: %s", path, exc)
            return None
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    return None


def _sign(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def read_pickle(digest: str):
    """The graph cached for ``digest``; None when missing, damaged, unsigned or signed with another key."""
    d = trusted_cache_dir()
    if d is None:
        return None
    path = d / f"{digest}.pickle"
    if not os.path.lexists(path) or not trusted_file(path):
        return None
    key = _key(d)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.info("ignoring unreadable cache %s: %s", path, exc)
        return None
    if key is None or len(raw) < _SIG or not hmac.compare_digest(raw[:_SIG], _sign(key, memoryview(raw)[_SIG:])):
        log.info("ignoring unsigned cache %s", path)
        return None
    try:
        with gc_paused():
            return pickle.loads(memoryview(raw)[_SIG:])
    except Exception as exc:  # signed by us, yet unreadable (an older Python, say): made again
        log.info("ignoring unreadable cache %s: %s", path, exc)
        return None


def write_pickle(digest: str, G) -> None:
    d = trusted_cache_dir()
    if d is None:
        return
    key = _key(d)
    if key is None:
        return
    from .files import atomic_write

    try:
        data = pickle.dumps(G, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(d / f"{digest}.pickle", _sign(key, data) + data, private=True)
    except (OSError, pickle.PicklingError) as exc:
        log.info("could not write cache in %s: %s", d, exc)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building millions of small objects.

    Python 3.11 runs a full collection again and again while a big graph's
    dicts are made, each pass longer than the last: building 500k edges took
    10 s with it and 2 s without. Nothing built here is garbage.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if not gc.get_freeze_count():
                # Hand the new objects to the oldest generation at once, instead of
                # letting the young collections walk a million of them twice more.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


# ------------------------------------------------------------------ freshness
#
# A cache entry is named by the digest of both files' bytes. Hashing 60 MB of
# CSV costs more than a query, so the digest last computed for a directory is
# remembered (in cache_dir()/index/) with the files' stat: device, inode,
# size, mtime and ctime. While the stat is unchanged the digest is reused
# without reading the files. ctime cannot be set by tools that preserve
# mtimes, and a file modified less than _RACY_NS before the digest was taken
# is hashed again, since a second write within the file system's timestamp
# granularity could leave its times unchanged (git's "racily clean" rule).

_RACY_NS = 2_000_000_000


def _stat(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _salt() -> str:
    from . import __version__
    from .fingerprint import code_fingerprint

    return f"{schema.SCHEMA_VERSION}/{__version__}/{code_fingerprint()}"


def _index_path(d: Path) -> Path | None:
    c = trusted_cache_dir()
    if c is None:
        return None
    key = hashlib.sha256(os.fsencode(os.path.abspath(d))).hexdigest()[:32]
    return c / "index" / f"{key}.json"


def _read_json(path: Path | None):
    if path is None or not trusted_file(path):
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    from .files import atomic_write

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write(path, data, private=True)


class Source:
    """The two CSV files of a directory and their digest, computed as cheaply as is safe."""

    def __init__(self, d: Path, *, trust_stat: bool):
        self.dir = d
        self.checked_ns = time.time_ns()
        self._raw: tuple[bytes | None, bytes | None] | None = None
        #: ``(path, reason)`` of each file that is there but cannot be read (see papergraph.files)
        self.unreadable: list[tuple[str, str]] = []
        self._hashed = False
        try:
            self.stats = [_stat(d / NODES_FILE), _stat(d / EDGES_FILE)]
        except OSError:
            self.stats = None
        self.digest = self._known() if trust_stat else None
        if self.digest is None:
            nraw, eraw = self.read()
            self.digest = data_digest(nraw, eraw) if nraw is not None and eraw is not None else None
            self._hashed = True

    def _known(self) -> str | None:
        if self.stats is None:
            return None
        rec = _read_json(_index_path(self.dir))
        if (isinstance(rec, dict) and rec.get("stat") == self.stats and rec.get("salt") == _salt()
                and isinstance(rec.get("checked_ns"), int) and isinstance(rec.get("digest"), str)
                and all(max(st[3], st[4]) < rec["checked_ns"] - _RACY_NS for st in self.stats)):
            return rec["digest"]
        return None

    def read(self) -> tuple[bytes | None, bytes | None]:
        if self._raw is None:
            self._raw = (self._read(self.dir / NODES_FILE), self._read(self.dir / EDGES_FILE))
        return self._raw

    def _read(self, path: Path) -> bytes | None:
        from .files import InputError

        try:
            return read_bytes(path)
        except InputError as exc:
            self.unreadable.append((str(path), exc.reason))
            return None

    def forget_bytes(self) -> None:
        self._raw = (b"", b"") if self._raw is not None else None

    def remember(self) -> None:
        """Record the digest just computed for this stat (a cache entry now exists for it)."""
        if not self._hashed or self.stats is None or self.digest is None:
            return
        try:
            if [_stat(self.dir / NODES_FILE), _stat(self.dir / EDGES_FILE)] != self.stats:
                return  # changed while being read: the digest may not match the stat
            path = _index_path(self.dir)
            if path is None:
                return
            old = _read_json(path)
            rec = {"dir": os.path.abspath(self.dir), "stat": self.stats, "salt": _salt(),
                   "digest": self.digest, "checked_ns": self.checked_ns}
            _write_atomic(path, json.dumps(rec).encode())
            self._hashed = False
            if isinstance(old, dict) and old.get("digest") not in (None, self.digest):
                _prune(old["digest"])
        except OSError as exc:
            log.info("could not record the cache key of %s: %s", self.dir, exc)


def read_stored_index(path, G):
    """The :class:`~papergraph.orderindex.OrderIndex` kept in the query cache file ``path``, for ``G``.

    ``G`` is the unchanged graph the file was written from (see
    :data:`papergraph.orderindex.STORED`).

    Every array is read at once and the file is closed (the index may then be
    used from any thread). None when the file is missing, not trusted,
    unreadable, or holds other nodes.
    """
    from .orderindex import read_tables

    if sqlite3 is None:
        return None
    nodes = G.nodes
    try:
        if not trusted_file(path):
            return None
        uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro&immutable=1"
        con = sqlite3.connect(uri, uri=True)
        try:
            ix = read_tables(con)
            if ix.ids != tuple(nodes):
                return None
            ids = ix.ids
            return ix.detach(lambda i: nodes[ids[i]])
        finally:
            con.close()
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None


def store_path(digest) -> Path | None:
    """Where the Oxigraph store of the graph with ``digest`` is kept (see :func:`papergraph.rdf.engine.evaluate`).

    None without a trusted cache directory or a digest. The digest covers the
    data and the code's fingerprint, so a new version of either gets a new store.
    """
    if not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
        return None
    d = trusted_cache_dir()
    return d / f"{digest}-oxigraph" if d is not None else None


def _prune(digest: str) -> None:
    """Remove the cache entries of ``digest`` unless another directory still has that content."""
    if not re.fullmatch(r"[0-9a-f]{64}", str(digest)):
        return
    d = trusted_cache_dir()
    if d is None:
        return
    for rec_path in (d / "index").glob("*.json"):
        rec = _read_json(rec_path)
        if isinstance(rec, dict) and rec.get("digest") == digest:
            return
    # the pickle, the query views, and what papergraph.viz.persist keeps for the map of that content
    for path in [d / f"{digest}.pickle", *d.glob(f"{digest}-*.sqlite"), *d.glob(f"{digest}-map-*")]:
        try:
            path.unlink()
        except OSError:
            pass
    store = d / f"{digest}-oxigraph"  # the kept SPARQL store: a directory
    if store.is_dir() and not store.is_symlink():
        shutil.rmtree(store, ignore_errors=True)


# ---------------------------------------------------------------- query cache

#: Bumped when the layout of the SQLite query cache changes.
_VIEW_FORMAT = 4

#: Node and edge data are stored as JSON: plain data, whoever wrote the file.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_loads = json.loads

_VIEW_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -65536;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE node(pos INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT, data BLOB NOT NULL);
CREATE TABLE edge(pos INTEGER PRIMARY KEY, s TEXT NOT NULL, t TEXT NOT NULL, key TEXT NOT NULL,
                  ipos INTEGER NOT NULL, data BLOB);
"""

_VIEW_INDEXES = """
CREATE UNIQUE INDEX node_id ON node(id);
CREATE INDEX edge_out ON edge(s);
CREATE INDEX edge_in ON edge(t, key, ipos, s);
"""


def view_path(digest: str) -> Path | None:
    """The query cache of ``digest`` (which covers the data and the code's fingerprint); None without a cache."""
    d = trusted_cache_dir()
    return d / f"{digest}-q{_VIEW_FORMAT}.sqlite" if d is not None else None


def write_view(G, path: Path) -> bool:
    """Write ``G`` as an SQLite query cache at ``path``; False when it cannot be."""
    from .names import write_table
    from .orderindex import index_of, write_tables

    if path is None:
        return False
    if not all(type(n) is str for n in G) or not all(type(k) is str for _, _, k in G.edges(keys=True)):
        return False  # the cache stores ids and relations as text

    dumps = _dumps
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        if os.path.lexists(tmp):
            tmp.unlink()
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
        con = sqlite3.connect(tmp)
        try:
            con.executescript(_VIEW_SCHEMA)
            con.executemany("INSERT INTO node VALUES (?, ?, ?, ?)",
                            ((i, n, d.get("kind"), dumps(d)) for i, (n, d) in enumerate(G.nodes(data=True))))
            write_tables(con, index_of(G))
            write_table(con, G)
            ipos: dict = {}
            last, i = None, 0
            for u, v, k in G.in_edges(keys=True):
                if v != last:
                    last, i = v, 0
                ipos[u, v, k] = i
                i += 1
            con.executemany("INSERT INTO edge VALUES (?, ?, ?, ?, ?, ?)",
                            ((pos, u, v, k, ipos.pop((u, v, k)),
                              None if len(d) == 1 and d.get("relation") == k else dumps(d))
                             for pos, (u, v, k, d) in enumerate(G.edges(keys=True, data=True))))
            del ipos
            con.executescript(_VIEW_INDEXES)
            graph = {k: v for k, v in G.graph.items() if k != "data_dir"}
            con.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("format", str(_VIEW_FORMAT)), ("nodes", str(G.number_of_nodes())),
                ("edges", str(G.number_of_edges())), ("graph", json.dumps(graph))])
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error, TypeError, ValueError) as exc:
        log.info("could not write the query cache %s: %s", path, exc)
        try:
            tmp.unlink()
        except OSError:
            pass
        return False


class CachedGraph:
    """A read-only graph answered from a query cache file (see :func:`open_graph`).

    It offers the part of NetworkX's ``MultiDiGraph`` interface that
    papergraph's questions use, with the same results in the same order:
    ``n in G``, ``iter(G)``, ``len(G)``, ``G.nodes[n]``, ``G.nodes(data=...)``,
    ``G.edges(keys=..., data=...)``, ``G.edges[u, v, key]``, ``G.out_edges``,
    ``G.in_edges``, ``G[u][v]`` (key → data), ``G.has_edge``, ``G.has_node``,
    ``G.successors``, ``G.predecessors``, ``G.number_of_nodes()``,
    ``G.number_of_edges()`` and ``G.graph``. More answer what NetworkX
    cannot without reading every neighbour or node: :meth:`in_edges_by_key`,
    :meth:`counts` and :meth:`node_fields` (names are
    resolved by :mod:`papergraph.names`, from its table in the same file). Node and edge data are decoded on first use and kept;
    treat them as read-only. Safe to share between threads.
    """

    def __init__(self, con: sqlite3.Connection, data_dir, path: Path | None = None, rebuild=None):
        self._con = con
        self._path = path
        self._rebuild = rebuild
        self._lock = threading.Lock()
        meta = dict(self._rows("SELECT key, value FROM meta"))
        if meta.get("format") != str(_VIEW_FORMAT):
            raise sqlite3.DatabaseError("unknown query cache format")
        self._n_nodes = int(meta["nodes"])
        self._n_edges = int(meta["edges"])
        self.graph = json.loads(meta["graph"])
        self.graph["data_dir"] = str(data_dir)
        self._data: dict = {}
        self._out: dict = {}
        self._in: dict = {}
        self._in_keyed: dict = {}
        self._lookups = 0
        self._complete = False
        self.nodes = _CachedNodes(self)
        self.edges = _CachedEdges(self)
        self._index = None

    def order_index(self):
        """The graph's :class:`~papergraph.orderindex.OrderIndex`, read from the same file (arrays on first use)."""
        if self._index is None:
            from .orderindex import read_tables

            ids: list = []

            def node_data(i):
                if not ids:
                    ids.extend(self._index.ids)
                return self.nodes[ids[i]]

            self._index = read_tables(_Locked(self), node_data)
        return self._index

    #: Per-node look-ups after which the view reads the whole graph in two scans:
    #: a question about a few nodes stays cheap, one about all of them costs about
    #: what unpickling the graph would.
    BULK_AFTER = 5000

    def _looked_up(self) -> None:
        self._lookups += 1
        if self._lookups >= self.BULK_AFTER and not self._complete:
            self._read_all()

    def _read_all(self) -> None:
        from itertools import groupby

        with status(self) as say, self._lock, gc_paused():
            say(f"reading all {self._n_nodes:,} nodes and {self._n_edges:,} edges of the graph")
            ex = self._execute
            nodes = ex("SELECT id, data FROM node ORDER BY pos")
            # rows of one source are consecutive in edge order; in-edges sorted by target, then rank
            sources = [s for (s,) in ex("SELECT s FROM edge ORDER BY pos")]
            targets_keys = ex("SELECT t, key FROM edge ORDER BY pos")
            ins = ex("SELECT t, s, key FROM edge ORDER BY t, ipos")
            data = self._data
            out: dict = {}
            inn: dict = {}
            for n, d in nodes:
                if data.get(n) is None:
                    data[n] = _loads(d)
                out[n] = []
                inn[n] = []
            del nodes
            i = 0
            for s, run in groupby(sources):
                j = i + sum(1 for _ in run)
                out[s] = targets_keys[i:j]
                i = j
            del sources, targets_keys
            for t, run in groupby(ins, itemgetter(0)):
                inn[t] = [(s, k) for _, s, k in run]
            del ins
            self._out, self._in = out, inn
            self._complete = True

    @classmethod
    def open(cls, path: Path | None, data_dir=None, rebuild=None) -> "CachedGraph | None":
        """Open the query cache at ``path``; None when it is missing, unreadable or not trusted.

        ``rebuild(path)``, when given, writes the file again should it prove
        damaged while in use (see :meth:`_execute`); it returns whether it did.
        """
        if path is None:
            return None
        try:
            uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro&immutable=1"
            if not os.path.lexists(path) or not trusted_file(path):
                return None
            con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            try:
                return cls(con, data_dir if data_dir is not None else "", path, rebuild)
            except Exception:
                con.close()
                raise
        except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
            log.info("ignoring unreadable query cache %s: %s", path, exc)
            return None

    def _rows(self, sql: str, args=()) -> list:
        with self._lock:
            return self._execute(sql, args)

    def _execute(self, sql: str, args=()) -> list:
        """Rows of ``sql`` (the lock held); a file found damaged is written again from the CSV files, once."""
        try:
            return self._con.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            if self._rebuild is None or self._path is None:
                raise
            log.warning("warning: the query cache %s is damaged (%s); rebuilding it", self._path, exc)
            rebuild, self._rebuild = self._rebuild, None
            try:
                self._con.close()
                os.unlink(self._path)
            except OSError:
                pass
            if not rebuild(self._path):
                raise
            uri = Path(os.path.abspath(self._path)).as_uri() + "?mode=ro&immutable=1"
            self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            return self._con.execute(sql, args).fetchall()

    # -- nodes
    def _node(self, n):
        try:
            return self._data[n]
        except KeyError:
            pass
        except TypeError:  # unhashable: not a node
            return None
        if self._complete or type(n) is not str:
            return None
        self._looked_up()
        if self._complete:
            return self._data.get(n)
        rows = self._rows("SELECT data FROM node WHERE id = ?", (n,))
        data = _loads(rows[0][0]) if rows else None
        self._data[n] = data
        return data

    def __contains__(self, n) -> bool:
        return self._node(n) is not None

    has_node = __contains__

    def __iter__(self):
        return iter([n for (n,) in self._rows("SELECT id FROM node ORDER BY pos")])

    def __len__(self) -> int:
        return self._n_nodes

    def number_of_nodes(self) -> int:
        return self._n_nodes

    def node_fields(self, fields: tuple[str, ...], nodes=None, kind: str | None = None) -> dict | None:
        """``{id: {field: value}}``, only ``fields`` (plain names), picked out of the stored JSON by SQL.

        For listings of thousands of nodes: nothing else of a node is decoded.
        ``nodes`` (looked up by id, 500 at a time) or else every node of
        ``kind``. Missing nodes and fields are left out. None when this SQLite
        has no JSON functions (the caller reads the nodes instead).
        """
        if not all(f.isidentifier() and f.isascii() for f in fields):
            raise ValueError(f"not plain field names: {fields!r}")
        cols = ", ".join(f"json_extract(data, '$.{f}')" for f in fields)
        if nodes is None:
            queries = [(f"SELECT id, {cols} FROM node WHERE kind = ?", (kind,))]
        else:
            want = [n for n in dict.fromkeys(nodes) if type(n) is str]
            queries = [(f"SELECT id, {cols} FROM node WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
                       for chunk in (want[k:k + 500] for k in range(0, len(want), 500))]
        out: dict = {}
        try:
            for sql, args in queries:
                for r in self._rows(sql, args):
                    out[r[0]] = {f: v for f, v in zip(fields, r[1:]) if v is not None}
        except sqlite3.OperationalError:
            return None
        return out

    def counts(self) -> tuple[dict, dict, dict, dict]:
        """``(nodes by kind, edges by relation, papers by stage, {flagged paper: flag})``, by SQL.

        What :func:`papergraph.stats.stats` counts, without reading the graph.
        """
        kinds = dict(self._rows("SELECT kind, count(*) FROM node GROUP BY kind"))
        rels = dict(self._rows("SELECT key, count(*) FROM edge GROUP BY key"))
        by_stage = dict(self._rows("SELECT e.t, count(*) FROM edge e JOIN node n ON n.id = e.s "
                                   "WHERE e.key = 'in_stage' AND n.kind = 'paper' GROUP BY e.t"))
        flagged = {}
        for n, d in self._rows("SELECT id, data FROM node WHERE kind = 'paper' AND instr(data, '\"flag\"') > 0 "
                               "ORDER BY pos"):
            flag = _loads(d).get("flag")
            if flag:
                flagged[n] = flag
        return kinds, rels, by_stage, flagged

    order = number_of_nodes

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    def _nbunch(self, nbunch):
        if nbunch is None:
            return None
        if nbunch in self:
            return [nbunch]
        try:
            return [n for n in nbunch if n in self]
        except TypeError:
            raise TypeError(f"nbunch is not a node or a sequence of nodes: {nbunch!r}") from None

    # -- edges
    def _out_of(self, n) -> list:
        try:
            return self._out[n]
        except KeyError:
            pass
        if not self._complete:
            self._looked_up()
        if self._complete:
            return self._out.get(n, [])
        out = self._out[n] = self._rows("SELECT t, key FROM edge WHERE s = ? ORDER BY pos", (n,))
        return out

    def _in_of(self, n) -> list:
        try:
            return self._in[n]
        except KeyError:
            pass
        if not self._complete:
            self._looked_up()
        if self._complete:
            return self._in.get(n, [])
        got = self._in[n] = self._rows("SELECT s, key FROM edge WHERE t = ? ORDER BY ipos", (n,))
        return got

    def _edge_data(self, u, v) -> dict:
        """``{key: data}`` of the edges from ``u`` to ``v``, in insertion order."""
        return {k: _loads(d) if d is not None else {"relation": k}
                for k, d in self._rows("SELECT key, data FROM edge WHERE s = ? AND t = ? ORDER BY pos", (u, v))}

    def _format(self, triples, u_first: bool, keys: bool, data, default):
        out = []
        for a, b, k in triples:
            u, v = (a, b) if u_first else (b, a)
            e = (u, v, k) if keys else (u, v)
            if data is True:
                e = e + (self._edge_data(u, v)[k],)
            elif data is not False:
                e = e + (self._edge_data(u, v)[k].get(data, default),)
            out.append(e)
        return out

    def out_edges(self, nbunch=None, data=False, keys=False, default=None) -> list:
        """Like NetworkX's ``out_edges``: ``(u, v)``, ``(u, v, key)``, with data when asked."""
        nodes = self._nbunch(nbunch)
        if nodes is None:
            return self.edges(data=data, keys=keys, default=default)
        return self._format(((n, t, k) for n in nodes for t, k in self._out_of(n)), True, keys, data, default)

    def in_edges(self, nbunch=None, data=False, keys=False, default=None) -> list:
        """Like NetworkX's ``in_edges``: for each node, its in-edges in insertion order."""
        nodes = self._nbunch(nbunch)
        if nodes is None:
            nodes = list(self)
        return self._format(((n, s, k) for n in nodes for s, k in self._in_of(n)), False, keys, data, default)

    def in_edges_by_key(self, node, keys) -> list:
        """``(source, node, key)`` for the in-edges of ``node`` whose key is in ``keys``.

        What filtering ``in_edges(node, keys=True)`` gives, without reading the
        other in-edges (a popular concept is required by thousands of papers).
        """
        keys = tuple(sorted(keys))
        try:
            return self._in_keyed[node, keys]
        except KeyError:
            pass
        except TypeError:
            return []
        if not self._complete:
            self._looked_up()
        if node in self._in:
            got = [(s, node, k) for s, k in self._in[node] if k in keys]
        elif not keys or self._complete:
            got = []
        else:
            sql = f"SELECT s, key FROM edge WHERE t = ? AND key IN ({', '.join('?' * len(keys))}) ORDER BY ipos"
            got = [(s, node, k) for s, k in self._rows(sql, (node, *keys))]
        self._in_keyed[node, keys] = got
        return got

    def has_edge(self, u, v, key=None) -> bool:
        if u not in self:
            return False
        return any(t == v and (key is None or k == key) for t, k in self._out_of(u))

    def __getitem__(self, u) -> dict:
        """``G[u]``: ``{v: {key: data}}`` for the out-edges of ``u``."""
        if u not in self:
            raise KeyError(u)
        adj: dict = {}
        for t, k, d in self._rows("SELECT t, key, data FROM edge WHERE s = ? ORDER BY pos", (u,)):
            adj.setdefault(t, {})[k] = _loads(d) if d is not None else {"relation": k}
        return adj

    def successors(self, n):
        if n not in self:
            raise KeyError(n)
        return iter(dict.fromkeys(t for t, _ in self._out_of(n)))

    def predecessors(self, n):
        if n not in self:
            raise KeyError(n)
        return iter(dict.fromkeys(s for s, _ in self._in_of(n)))

    neighbors = successors

    def number_of_edges(self, u=None, v=None) -> int:
        if u is None:
            return self._n_edges
        if u not in self:
            return 0
        return sum(1 for t, _ in self._out_of(u) if v is None or t == v)

    def __repr__(self) -> str:
        return f"<CachedGraph {self.graph.get('data_dir', '')!r}: {self._n_nodes} nodes, {self._n_edges} edges>"


class _Locked:
    """A view's SQLite connection whose ``execute`` holds its lock (the view is shared between threads)."""

    def __init__(self, g: CachedGraph):
        self._g = g

    def execute(self, sql, args=()):
        return _Rows(self._g._rows(sql, args))


class _Rows(list):
    def fetchall(self):
        return list(self)

    def fetchone(self):
        return self[0] if self else None


class _CachedNodes:
    """``G.nodes`` of a :class:`CachedGraph`."""

    def __init__(self, g: CachedGraph):
        self._g = g

    def __getitem__(self, n) -> dict:
        data = self._g._node(n)
        if data is None:
            raise KeyError(n)
        return data

    def __contains__(self, n) -> bool:
        return n in self._g

    def __iter__(self):
        return iter(self._g)

    def __len__(self) -> int:
        return len(self._g)

    def __call__(self, data=False, default=None):
        g = self._g
        if data is False:
            return list(g)
        if data == "kind":
            return [(n, default if k is None else k) for n, k in g._rows("SELECT id, kind FROM node ORDER BY pos")]
        cached = g._data
        rows = [(n, cached.get(n) or _loads(d)) for n, d in g._rows("SELECT id, data FROM node ORDER BY pos")]
        if data is True:
            return rows
        return [(n, d.get(data, default)) for n, d in rows]

    def data(self, data=True, default=None):
        return self(data=data, default=default)

    def items(self):
        return self(data=True)


class _CachedEdges:
    """``G.edges`` of a :class:`CachedGraph`: callable, iterable, and ``G.edges[u, v, key]``."""

    def __init__(self, g: CachedGraph):
        self._g = g

    def __call__(self, nbunch=None, data=False, keys=False, default=None) -> list:
        g = self._g
        if nbunch is not None:
            return g.out_edges(nbunch, data=data, keys=keys, default=default)
        if data is False:
            rows = g._rows("SELECT s, t, key FROM edge ORDER BY pos")
            return rows if keys else [(u, v) for u, v, _ in rows]
        out = []
        for u, v, k, d in g._rows("SELECT s, t, key, data FROM edge ORDER BY pos"):
            dd = _loads(d) if d is not None else {"relation": k}
            if data is not True:
                dd = dd.get(data, default)
            out.append((u, v, k, dd) if keys else (u, v, dd))
        return out

    def __iter__(self):
        return iter(self())

    def __len__(self) -> int:
        return self._g.number_of_edges()

    def __contains__(self, e) -> bool:
        return self._g.has_edge(*e)

    def __getitem__(self, e) -> dict:
        u, v, k = e
        try:
            return self._g._edge_data(u, v)[k]
        except KeyError:
            raise KeyError(f"The edge {e} is not in the graph.") from None
