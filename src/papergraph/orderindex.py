"""The order index: one compact, immutable copy of what decides reading order.

Every question about reading order (prerequisites and their reasons, what a
paper unlocks, why one paper comes before another, reading orders, what to
read next, checking an order, a stage's papers) is answered by
:mod:`papergraph.core` over this index, and only there. The command line
reads it from the query cache without pandas or NetworkX; the app builds it
once per loaded graph; the map's page receives it serialised
(:meth:`OrderIndex.to_page`) and answers with ``static/pgcore.js``, a port
of :mod:`papergraph.core` that a test checks against it on random graphs.

Node ``i`` is the ``i``-th node of the graph in file order. The index holds,
as flat integer arrays:

``kind``
    each node's kind, an index into :data:`KIND_CODES`;
``stage``
    a node's stage (its first ``in_stage`` target) as a node index, else -1;
``year``, ``month``
    a paper's first public version (-1 and 0 when unknown);
``rank_<strategy>``
    each node's place under the strategy's tie-break (:data:`STRATEGIES`);
``pull_<strategy>``
    the same with every node pulled forward to the earliest node that needs
    it (:func:`_pulled`): the keys reading orders are chosen by;
``bptr``, ``bsrc``, ``brel``
    *before* lists in CSR form: for node ``v``, the nodes that must be read
    right before it are ``bsrc[bptr[v]:bptr[v+1]]``, each with the code of
    the relation that says so in ``brel`` (an index into ``rels``); sorted
    by id, then relation name;
``aptr``, ``adst``, ``arel``
    the same lists reversed (*after*);
``uptr``, ``udst``
    *uses* lists: the components a node uses (a relation whose ``order`` is
    ``"component"``), sorted by id;

and, kept beside it by :mod:`papergraph.names`, a table of names. Reading orders of the whole
graph per strategy are computed once, on first use, and kept.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from([("a", {"kind": "paper", "label_en": "A"}), ("c", {"kind": "concept", "label_en": "C"}),
...                   ("b", {"kind": "paper", "label_en": "B"})])
>>> _ = G.add_edge("a", "c", "introduces", relation="introduces")
>>> _ = G.add_edge("b", "c", "requires", relation="requires")
>>> ix = index_of(G)
>>> ix.ids, [ix.kind_of(i) for i in range(ix.n)]
(('a', 'c', 'b'), ['paper', 'concept', 'paper'])
>>> [ix.ids[u] for u, _ in ix.before(2)], [ix.ids[v] for v, _ in ix.after(0)]
(['c'], ['c'])
"""

from __future__ import annotations

import json
import re
import sys
from array import array
from bisect import bisect_left

from . import schema

__all__ = ["FORMAT", "KIND_CODES", "STRATEGIES", "OrderIndex", "index_of", "write_tables", "read_tables",
           "sort_key"]

#: Bumped whenever the stored layout changes (the code fingerprint changes with it anyway).
FORMAT = 4

#: Node kinds by code; a kind the schema does not know gets ``len(KIND_CODES)``.
KIND_CODES = tuple(schema.KINDS)

#: Tie-breaks among valid reading orders (see :mod:`papergraph.order`).
STRATEGIES = ("guide", "chronological")

_BIG = float("inf")
#: Positions looked up by bisection before :meth:`OrderIndex.position` builds a dict of every id.
_FEW_LOOKUPS = 64
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_ARRAYS = ("kind", "stage", "year", "month", "bptr", "bsrc", "brel", "aptr", "adst", "arel", "uptr", "udst",
           *(f"rank_{s}" for s in STRATEGIES), *(f"pull_{s}" for s in STRATEGIES))


def _month(data: dict) -> int:
    """Month of the first public version, from ``date`` or a new-style arXiv id; 0 when unknown."""
    date = data.get("date") or ""
    year = data.get("year")
    if len(date) >= 7 and date[:4] == str(year) and date[5:7].isdigit():
        return int(date[5:7])
    m = _NEW_ARXIV.match(str(data.get("arxiv") or ""))
    if m and isinstance(year, int) and 2000 + int(m.group(1)) == year:
        return int(m.group(2))
    return 0


def sort_key(data: dict, node: str, stage_rank, strategy: str):
    """The tie-break key of one node under ``strategy``: non-papers first, then the guide or the calendar."""
    if data.get("kind") != "paper":
        return (0, 0, 0, 0, 0, 0, node)
    guide = (stage_rank, _num(data.get("order")), _num(data.get("row")))
    if strategy == "guide":
        return (1, 0, 0) + guide + (node,)
    year = data.get("year")
    return (1, year if isinstance(year, int) else _BIG, _month(data) or 13) + guide + (node,)


def _num(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else _BIG


def _ro(a: array) -> memoryview:
    return memoryview(a).toreadonly()


class OrderIndex:
    """The compact index (see the module). Build it with :func:`index_of`; never change it."""

    def __init__(self, ids, arrays: dict, rels, *, node_data=None, con=None):
        self.ids = tuple(ids)
        self.n = len(self.ids)
        self.rels = tuple(rels)
        self._arrays = {k: _ro(v) if isinstance(v, array) else v for k, v in arrays.items()}
        self._con = con                # an SQLite connection holding the tables (read-only), or None
        self._node_data = node_data    # i -> the node's data dict
        self._pos: dict | None = None
        self._lookups = 0
        self._byid = None              # array of positions sorted by id, False when ids cannot be sorted
        self._orders: dict = {}
        self.codes = {r: c for c, r in enumerate(self.rels)}
        self.orders_of = tuple(schema.RELATIONS[r].order if r in schema.RELATIONS else None for r in self.rels)
        self._introducing = frozenset(c for c, r in enumerate(self.rels) if _introducing(r))
        self._paper = KIND_CODES.index("paper")
        self._concept = KIND_CODES.index("concept")

    # ---------------------------------------------------------------- arrays
    def __getattr__(self, name):
        if name in _ARRAYS:
            got = self._arrays.get(name)
            if got is None:
                got = self._arrays[name] = _ro(_read_array(self._con, name))
            return got
        raise AttributeError(name)

    def kind_of(self, i: int) -> str:
        k = self.kind[i]
        return KIND_CODES[k] if k < len(KIND_CODES) else ""

    def is_paper(self, i: int) -> bool:
        return self.kind[i] == self._paper

    def is_concept(self, i: int) -> bool:
        return self.kind[i] == self._concept

    def position(self, node) -> int | None:
        """The index of the node with id ``node``, or None.

        A question asks for a few positions: they are found by bisection in
        the stored id permutation (no dict of every id is built for them);
        after :data:`_FEW_LOOKUPS` of them, a dict is built once.
        """
        if self._pos is None:
            self._lookups += 1
            by = self._by_id() if self._lookups <= _FEW_LOOKUPS else None
            if by is not None:
                ids = self.ids
                try:
                    k = bisect_left(by, node, key=ids.__getitem__)
                except TypeError:
                    return None
                return by[k] if k < len(by) and ids[by[k]] == node else None
            self._pos = {n: i for i, n in enumerate(self.ids)}
        try:
            return self._pos.get(node)
        except TypeError:
            return None

    def _by_id(self):
        """The node positions sorted by id (stored with the index), or None (ids of mixed types)."""
        if self._byid is None:
            got = _read_array(self._con, "byid", missing_ok=True) if self._con is not None else None
            if got is None or len(got) != self.n:
                got = _sorted_by_id(self.ids)
            self._byid = got if got is not None else False
        return self._byid or None

    def before(self, v: int):
        """``[(u, relation code)]``: the nodes that must be read right before ``v``."""
        lo, hi = self.bptr[v], self.bptr[v + 1]
        return list(zip(self.bsrc[lo:hi], self.brel[lo:hi]))

    def after(self, u: int):
        """``[(v, relation code)]``: the nodes that must be read right after ``u``."""
        lo, hi = self.aptr[u], self.aptr[u + 1]
        return list(zip(self.adst[lo:hi], self.arel[lo:hi]))

    def uses(self, v: int) -> list[int]:
        """The components (concepts) ``v`` uses without needing their source read first."""
        lo, hi = self.uptr[v], self.uptr[v + 1]
        return list(self.udst[lo:hi])

    def introducers(self, c: int) -> list[int]:
        """The papers that introduce concept ``c`` (or where the guide's reader first meets it)."""
        lo, hi = self.bptr[c], self.bptr[c + 1]
        intro = self._introducing
        return [u for u, r in zip(self.bsrc[lo:hi], self.brel[lo:hi]) if r in intro]

    def node_data(self, i: int) -> dict:
        """The node's own fields (from the graph the index was built from)."""
        return self._node_data(i) if self._node_data is not None else {"kind": self.kind_of(i)}

    # ---------------------------------------------------------------- names
    #: The name table, built and read by :mod:`papergraph.names` (which owns the rule) and kept here.
    names = None

    @property
    def connection(self):
        """The SQLite connection the index was read from (its ``oi_*`` tables), or None."""
        return self._con

    # ---------------------------------------------------------------- orders
    def global_order(self, strategy: str = "guide") -> list[int] | None:
        """Every node in the reading order of ``strategy``, or None when the order relations have a cycle."""
        if strategy not in self._orders:
            got = None
            if self._con is not None:
                got = _read_array(self._con, f"order_{strategy}", missing_ok=True)
                got = list(got) if got is not None and len(got) == self.n else None
            if got is None:
                from .core import kahn

                got = kahn(self, None, strategy)
            self._orders[strategy] = got
        return self._orders[strategy]

    def papers_in_order(self, strategy: str = "guide") -> tuple[int, ...]:
        """The papers of :meth:`global_order` (remembered; empty on a cycle)."""
        key = f"papers_{strategy}"
        if key not in self._orders:
            order = self.global_order(strategy) or ()
            kind, paper = self.kind, self._paper
            self._orders[key] = tuple(x for x in order if kind[x] == paper)
        return self._orders[key]

    def order_position(self, strategy: str = "guide"):
        """``pos[i]``: node ``i``'s place in :meth:`global_order` (None on a cycle)."""
        key = f"pos_{strategy}"
        if key not in self._orders and self._con is not None:
            got = _read_array(self._con, key, missing_ok=True)
            if got is not None and len(got) == self.n:
                self._orders[key] = got
        if key not in self._orders:
            order = self.global_order(strategy)
            if order is None:
                self._orders[key] = None
            else:
                pos = array("i", bytes(4 * self.n)) if array("i").itemsize == 4 else array("i", [0] * self.n)
                for p, i in enumerate(order):
                    pos[i] = p
                self._orders[key] = pos
        return self._orders[key]

    def detach(self, node_data=None) -> "OrderIndex":
        """Read every stored array and order now, drop the SQLite connection, and return ``self``.

        A detached index may be used from any thread and outlives its file;
        ``node_data`` (``i -> fields``) then answers :meth:`node_data`.
        """
        for name in _ARRAYS:
            getattr(self, name)
        for s in STRATEGIES:
            self.global_order(s)
            self.order_position(s)
        self._by_id()
        self._con = None
        if node_data is not None:
            self._node_data = node_data
        return self

    # ---------------------------------------------------------------- the page
    def to_page(self) -> dict:
        """The index as plain JSON-ready lists, for the map's page (``static/pgcore.js``)."""
        out = {"format": FORMAT, "ids": list(self.ids), "kinds": list(KIND_CODES), "rels": [
            [r, self.orders_of[c] or "", c in self._introducing] for c, r in enumerate(self.rels)]}
        for name in _ARRAYS:
            out[name] = list(getattr(self, name))
        for s in STRATEGIES:
            out[f"order_{s}"] = self.global_order(s)
        return out


def _introducing(rel: str) -> bool:
    spec = schema.RELATIONS.get(rel)
    return bool(spec and spec.order == "source-first" and ("paper", "concept") in spec.pairs)


# -------------------------------------------------------------------- building

def _sorted_by_id(ids):
    """Positions sorted by id, or None when the ids do not compare (mixed types)."""
    try:
        return array("i", sorted(range(len(ids)), key=ids.__getitem__))
    except TypeError:
        return None


def _csr(n: int, lists) -> tuple[array, array, array]:
    ptr, idx, rel = array("i", [0]), array("i"), array("i")
    for items in lists:
        for u, r in items:
            idx.append(u)
            rel.append(r)
        ptr.append(len(idx))
    return ptr, idx, rel


def from_graph(G) -> OrderIndex:
    """Build the index of a NetworkX-like graph (nodes keyed by id, edges keyed by relation)."""
    ids = list(G.nodes)
    data = [G.nodes[n] for n in ids]
    pos = {n: i for i, n in enumerate(ids)}
    n = len(ids)
    unknown = len(KIND_CODES)
    kind = array("i", [KIND_CODES.index(d.get("kind")) if d.get("kind") in KIND_CODES else unknown for d in data])
    stage = array("i", [-1] * n)
    rels = sorted(r for r, spec in schema.RELATIONS.items() if spec.order or spec.component)
    codes = {r: c for c, r in enumerate(rels)}
    how = {r: "component" if schema.RELATIONS[r].component else schema.RELATIONS[r].order for r in rels}
    before: list[list] = [[] for _ in range(n)]
    after: list[list] = [[] for _ in range(n)]
    uses: list[list] = [[] for _ in range(n)]
    for s, t, rel in G.edges(keys=True):
        if rel == "in_stage":
            i = pos[s]
            if stage[i] < 0:
                stage[i] = pos[t]
            continue
        h = how.get(rel)
        if h == "source-first":
            before[pos[t]].append((pos[s], codes[rel]))
            after[pos[s]].append((pos[t], codes[rel]))
        elif h == "target-first":
            before[pos[s]].append((pos[t], codes[rel]))
            after[pos[t]].append((pos[s], codes[rel]))
        elif h == "component":
            uses[pos[s]].append((pos[t], codes[rel]))
    for lists in (before, after, uses):
        for items in lists:
            if len(items) > 1:
                items.sort(key=lambda e: (ids[e[0]], rels[e[1]]))
    bptr, bsrc, brel = _csr(n, before)
    aptr, adst, arel = _csr(n, after)
    uptr, udst, _ = _csr(n, uses)
    del before, after, uses
    year = array("i", [d["year"] if isinstance(d.get("year"), int) else -1 for d in data])
    month = array("i", [_month(d) for d in data])
    arrays = {"kind": kind, "stage": stage, "year": year, "month": month, "bptr": bptr, "bsrc": bsrc,
              "brel": brel, "aptr": aptr, "adst": adst, "arel": arel, "uptr": uptr, "udst": udst}
    srank = {}
    for i in range(n):
        if kind[i] == KIND_CODES.index("stage"):
            d = data[i]
            srank[i] = _num(d.get("order", d.get("row")))
    paper_code = KIND_CODES.index("paper")
    is_paper = [k == paper_code for k in kind]
    for strategy in STRATEGIES:
        keys = [sort_key(data[i], ids[i], srank.get(stage[i], _BIG) if stage[i] >= 0 else _BIG, strategy)
                for i in range(n)]
        rank = array("i", [0] * n)
        for r, i in enumerate(sorted(range(n), key=keys.__getitem__)):
            rank[i] = r
        arrays[f"rank_{strategy}"] = rank
        arrays[f"pull_{strategy}"] = _pulled(rank, bptr, bsrc, aptr, adst, is_paper)
        del keys
    return OrderIndex(ids, arrays, rels, node_data=data.__getitem__)


def _pulled(rank: array, bptr, bsrc, aptr, adst, paper=None) -> array:
    """Ranks with every node pulled forward to the earliest paper that needs it ("just in time").

    A node's key becomes ``(min(rank of it, if a paper, and of every paper
    that must be read after it), its own rank)``. Kahn's algorithm over these keys reads a
    prerequisite that the guide lists late right before the first paper that
    needs it, instead of after every other paper that happens to be
    readable (in the seed: GNMT right before the Transformer, not after
    knowledge distillation and ZeRO). On a cycle the ranks are kept.

    >>> from array import array
    >>> # nodes 0..3 ranked 0, 3, 1, 2; node 1 must be read before node 2: it is pulled to rank 2's turn
    >>> list(_pulled(array("i", [0, 3, 1, 2]), [0, 0, 0, 1, 1], [1], [0, 0, 1, 1, 1], [2]))
    [0, 2, 1, 3]
    >>> # with node 0 a concept that no paper needs: it is kept for last
    >>> list(_pulled(array("i", [0, 3, 1, 2]), [0, 0, 0, 1, 1], [1], [0, 0, 1, 1, 1], [2], [0, 1, 1, 1]))
    [3, 1, 0, 2]
    """
    n = len(rank)
    indeg = [bptr[v + 1] - bptr[v] for v in range(n)]
    stack = [v for v in range(n) if indeg[v] == 0]
    topo = []
    while stack:
        x = stack.pop()
        topo.append(x)
        for v in adst[aptr[x]:aptr[x + 1]]:
            indeg[v] -= 1
            if indeg[v] == 0:
                stack.append(v)
    if len(topo) < n:
        return rank
    big = n + 1
    eff = list(rank) if paper is None else [r if p else big for r, p in zip(rank, paper)]
    for x in reversed(topo):
        e = eff[x]
        for v in adst[aptr[x]:aptr[x + 1]]:
            if eff[v] < e:
                e = eff[v]
        eff[x] = e
    out = array("i", [0] * n)
    for r, i in enumerate(sorted(range(n), key=lambda i: (eff[i], rank[i]))):
        out[i] = r
    return out


_MEMO = "papergraph.orderindex"


#: Key in a NetworkX graph's ``__networkx_cache__`` of a function that reads its index from the
#: query cache (set by :func:`papergraph.load.load_graph`; NetworkX drops it when the graph changes).
STORED = "papergraph.orderindex.stored"


def index_of(G) -> OrderIndex:
    """The order index of ``G``, built once per graph and kept with it.

    ``G`` may be an :class:`OrderIndex` already, a graph that carries one
    (the query cache's view), or a NetworkX graph, whose index is kept in its
    ``__networkx_cache__`` (NetworkX empties that whenever nodes or edges are
    added or removed; do not change a node's fields after asking questions).
    """
    if isinstance(G, OrderIndex):
        return G
    get = getattr(G, "order_index", None)
    if get is not None:
        return get()
    cache = getattr(G, "__networkx_cache__", None)
    # NetworkX (>= 3.3) empties the cache on every change of nodes or edges; the node
    # count is a cheap second check (the edge count of a multigraph costs a pass over it)
    sig = G.number_of_nodes()
    ix = None
    if isinstance(cache, dict):
        got = cache.get(_MEMO)
        if got is not None and got[0] == sig:
            return got[1]
        stored = cache.pop(STORED, None)
        ix = stored() if stored is not None else None
    if ix is None:
        ix = from_graph(G)
    if isinstance(cache, dict):
        cache[_MEMO] = (sig, ix)
    return ix


# -------------------------------------------------------------------- storing

_TABLES = """
CREATE TABLE oi_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE oi_array(name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


def _blob(a) -> bytes:
    a = a if isinstance(a, array) and a.typecode == "i" else array("i", a)
    if sys.byteorder != "little":
        a = array("i", a)
        a.byteswap()
    return a.tobytes()


def write_tables(con, ix: OrderIndex) -> None:
    """Store ``ix`` in the SQLite connection ``con`` (tables ``oi_*``), with its whole-graph orders."""
    con.executescript(_TABLES)
    rows = [(name, _blob(getattr(ix, name))) for name in _ARRAYS]
    rows.append(("ids", "\n".join(ix.ids).encode("utf-8")))
    by = ix._by_id()
    if by is not None:
        rows.append(("byid", _blob(by)))
    for s in STRATEGIES:
        order = ix.global_order(s)
        if order is not None:
            rows.append((f"order_{s}", _blob(order)))
            rows.append((f"pos_{s}", _blob(ix.order_position(s))))
    con.executemany("INSERT INTO oi_array VALUES (?, ?)", rows)
    con.executemany("INSERT INTO oi_meta VALUES (?, ?)", [
        ("format", str(FORMAT)), ("n", str(ix.n)), ("rels", json.dumps(list(ix.rels)))])


def _read_array(con, name: str, missing_ok: bool = False):
    row = con.execute("SELECT data FROM oi_array WHERE name = ?", (name,)).fetchone() if con is not None else None
    if row is None:
        if missing_ok:
            return None
        raise KeyError(f"the order index has no array {name!r}")
    a = array("i")
    a.frombytes(row[0])
    if sys.byteorder != "little":
        a.byteswap()
    return a


def read_tables(con, node_data=None) -> OrderIndex:
    """Open the index stored in ``con`` by :func:`write_tables`; arrays are read when first used.

    Raises ``KeyError`` or ``ValueError`` (and ``sqlite3.Error``) when the tables are missing or foreign.
    """
    meta = dict(con.execute("SELECT key, value FROM oi_meta").fetchall())
    if meta.get("format") != str(FORMAT) or array("i").itemsize != 4:
        raise ValueError("unknown order index format")
    (blob,) = con.execute("SELECT data FROM oi_array WHERE name = 'ids'").fetchone()
    ids = blob.decode("utf-8").split("\n") if blob else []
    if len(ids) != int(meta["n"]):
        raise ValueError("damaged order index")
    return OrderIndex(ids, {}, json.loads(meta["rels"]), con=con, node_data=node_data)
