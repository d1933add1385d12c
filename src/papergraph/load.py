"""Read ``nodes.csv`` and ``edges.csv``, validate them, build the typed graph.

Data flows one way: CSV text → validated pandas frames → a typed
``networkx.MultiDiGraph`` whose nodes carry ``kind`` and whose edges carry
``relation`` (the edge key is the relation, so parallel edges of different
relations are kept).

Every problem in the input is collected and reported at once in a
:class:`~papergraph.errors.DataError`, each as ``FILE:LINE: message``.

A validated graph is cached on disk, keyed by the bytes of both files, so
that a query does not pay for pandas or validation again; any change to a
CSV changes the key. The digest of a directory's files is remembered with
their stat, so an unchanged graph is not even read again (see :mod:`papergraph.cache`).
Two caches are kept: a signed pickle of the NetworkX graph for :func:`load_graph`,
and an SQLite file for :func:`open_graph`, whose :class:`CachedGraph` reads
only the nodes and edges a question touches, without pandas or NetworkX:
the command line answers from it at once, whatever the size of the graph.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "nodes.csv").write_text("id,kind,label_en\\na,paper,A\\nb,paper,B\\n")
>>> _ = (d / "edges.csv").write_text("source,target,relation\\nb,a,builds_on\\n")
>>> G = load_graph(d, cache=False)
>>> G.nodes["a"]["kind"], list(G.edges(keys=True))
('paper', [('b', 'a', 'builds_on')])
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema
from .acyclic import is_acyclic
from .cache import (
    CachedGraph,
    Source,
    cache_dir,
    data_digest,
    gc_paused,
    read_pickle,
    sqlite3,
    view_path,
    write_pickle,
    write_view,
)
from .errors import DataError, Problem
from .status import BIG_BYTES, status
from .textout import CONTROL

if TYPE_CHECKING:  # NetworkX is imported where a graph is built, not on the query path
    import networkx as nx

__all__ = [
    "Table",
    "read_table",
    "validate",
    "build_graph",
    "load_graph",
    "open_graph",
    "CachedGraph",
    "default_data_dir",
    "data_digest",
    "cache_dir",
]

log = logging.getLogger(__name__)

NODES_FILE = schema.NODES_FILE
EDGES_FILE = schema.EDGES_FILE

_PROGRESS_BYTES = BIG_BYTES
_progress = status  # a status line on a terminal while something big runs (papergraph.status)

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$")
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MAX_CYCLES = 20  # per strongly connected component
#: Most columns a CSV header may have (papergraph's own are a few dozen).
MAX_COLUMNS = 1000


def default_data_dir() -> Path:
    """The project's own graph: the checkout's ``graph/``, else the packaged copy."""
    here = Path(__file__).resolve().parent
    checkout = here.parent.parent / "graph"
    if (checkout / NODES_FILE).is_file() and (here.parent.name == "src"):
        return checkout
    return here / "graph"


@dataclass
class Table:
    """Raw cells of one CSV file, with the physical line each row starts on."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    @property
    def name(self) -> str:
        return str(self.path)


def _decode(path: Path, raw: bytes, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(str(path), line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"))
        return None


def _numbered(reader):
    """``(line, row)``: each row of a ``csv.reader`` with the line it starts on."""
    start = 1
    for row in reader:
        here, start = start, reader.line_num + 1
        yield here, row


def read_table(path: Path, raw: bytes | None, required: tuple[str, ...], problems: list[Problem],
               unreadable=()) -> Table | None:
    """Parse one CSV file into a :class:`Table`, appending problems found.

    ``raw`` None: the file is missing (or, when its name is in ``unreadable``,
    already reported as unreadable).
    """
    name = str(path)
    if raw is None:
        if name not in unreadable:
            problems.append(Problem(name, 0, "file not found"))
        return None
    text = _decode(path, raw, problems)
    if text is None:
        return None
    has_control = CONTROL.search(text) is not None
    source = io.StringIO(text, newline="")
    del text
    reader = csv.reader(source, strict=True)
    try:
        parsed = list(reader)  # in C; fine when no row spans lines, so that row k starts on line k
        numbered = enumerate(parsed, 1) if reader.line_num == len(parsed) else None
    except csv.Error:
        numbered = None
    if numbered is None:  # a quoted cell spans lines, or the CSV is malformed: follow each row's first line
        source.seek(0)
        reader = csv.reader(source, strict=True)
        numbered = _numbered(reader)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    strip, join, add_row, add_line = str.strip, "".join, rows.append, lines.append
    try:
        for here, row in numbered:
            if not row or not strip(join(row)):  # blank, or only whitespace
                continue
            if header is None:
                header = [c.strip() for c in row]
                width = len(header)
                continue
            if len(row) != width:
                problems.append(Problem(name, here, f"malformed row: expected {len(header)} fields, found {len(row)}"))
                continue
            add_row(list(map(strip, row)))
            add_line(here)
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, f"malformed CSV: {exc}"))
    if header is None:
        problems.append(Problem(name, 1, "empty file: expected a header row"))
        return None
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(name, 1, f"{len(header):,} columns in the header; at most {MAX_COLUMNS:,} are read"))
        return None
    if has_control:
        _control_problems(name, header, rows, lines, problems)
    seen = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, f"duplicate column {col!r}"))
        seen.add(col)
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem(name, 1, "missing required column" + ("s " if len(missing) > 1 else " ")
                                + ", ".join(repr(c) for c in missing)))
        return None
    return Table(path, header, rows, lines)


def _control_problems(name: str, header: list[str], rows: list[list[str]], lines: list[int],
                      problems: list[Problem]) -> None:
    """Report every cell holding a control character other than tab and newline (ESC, BEL, NUL, …)."""
    for col in header:
        if CONTROL.search(col):
            problems.append(Problem(name, 1, control_message("the header", col)))
    for row, here in zip(rows, lines):
        for col, cell in zip(header, row):
            if CONTROL.search(cell):
                problems.append(Problem(name, here, control_message(f"column {col!r}", cell)))


def control_message(where: str, value: str) -> str:
    """The problem of a control character in ``value`` (a CSV cell, an RDF literal), for FILE:LINE lines."""
    ch = CONTROL.search(value).group()
    shown = value if len(value) <= 80 else value[:77] + "…"
    return f"control character U+{ord(ch):04X} in {where}: {shown!r}; only tab and newline are allowed"


def _frame(table: Table):
    import numpy as np
    import pandas as pd

    if table.rows and len(set(table.header)) == len(table.header):
        # one 2-D block of the cells, made in C: a third of the time of column by column
        df = pd.DataFrame(np.array(table.rows, dtype=object), columns=table.header, dtype=object)
    else:
        cols = [list(map(itemgetter(i), table.rows)) for i in range(len(table.header))]
        df = pd.DataFrame({h: pd.Series(c, dtype=object) for h, c in zip(table.header, cols)})
    df["_line"] = table.lines
    return df


def _report(problems, file, df, mask, fmt):
    """Append one problem per row of ``df[mask]``; ``fmt(row)`` makes the message."""
    if not mask.any():
        return
    for row in df.loc[mask].to_dict("records"):
        problems.append(Problem(file, int(row["_line"]), fmt(row)))


def _isin(vals, collection):
    """``vals.isin(collection)`` for a text column and a set or dict: a tenth of pandas' time."""
    import pandas as pd

    return pd.Series([v in collection for v in vals.tolist()], index=vals.index, dtype=bool)


def _matches(vals, pattern: str, how: str = "fullmatch"):
    """``vals.str.fullmatch(pattern)`` (or ``match``) of a text column, a third of pandas' time."""
    import pandas as pd

    test = getattr(re.compile(pattern), how)
    empty = test("") is not None  # most cells of most columns are empty
    return pd.Series([test(v) is not None if v else empty for v in vals.tolist()], index=vals.index, dtype=bool)


class _Cells:
    """What the node checks ask of a column, each answer computed once per validation.

    ``empty(col)``: mask of empty cells (all empty when the column is missing);
    ``matches(col, pattern)``: mask of cells the pattern matches (see
    :func:`_matches`); ``kind_is(name)``: mask of the rows of that kind.
    """

    def __init__(self, nodes):
        self.nodes = nodes
        self._memo: dict = {}

    def _remember(self, key, make):
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def empty(self, col):
        import pandas as pd

        nodes = self.nodes
        return self._remember(("empty", col), lambda: nodes[col] == "" if col in nodes.columns
                              else pd.Series(True, index=nodes.index, dtype=bool))

    def matches(self, col, pattern: str, how: str = "fullmatch"):
        return self._remember(("re", col, pattern, how), lambda: _matches(self.nodes[col], pattern, how))

    def kind_is(self, name):
        return self._remember(("kind", name), lambda: self.nodes["kind"] == name)


def _check_typed_columns(nodes, file, problems, cells: _Cells):
    for col, spec in schema.NODE_COLUMNS.items():
        if col not in nodes.columns or spec.type in ("text", "list"):
            continue
        vals = nodes[col]
        present = ~cells.empty(col)
        if not present.any():
            continue
        if spec.type in ("int", "year"):
            bad = present & ~cells.matches(col, r"-?\d+")
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} must be a whole number, got {r[c]!r}")
            if spec.type == "year":
                num = vals.where(present & ~bad, "0").astype(int)
                lo, hi = schema.MIN_YEAR, schema.max_year()
                imp = present & ~bad & ((num < lo) | (num > hi))
                _report(problems, file, nodes, imp, lambda r, c=col, lo=lo, hi=hi: f"impossible {c} {r[c]} (expected {lo}–{hi})")
            else:
                neg = present & ~bad & cells.matches(col, "-", "match")
                _report(problems, file, nodes, neg, lambda r, c=col: f"{c} must not be negative, got {r[c]}")
        elif spec.type == "month":
            bad = present & ~cells.matches(col, _MONTH_RE.pattern)
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} must be YYYY-MM, got {r[c]!r}")
        elif spec.type == "arxiv":
            bad = present & ~cells.matches(col, _ARXIV_RE.pattern)
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} is not an arXiv identifier: {r[c]!r} (e.g. 1706.03762, without a version)")
        elif spec.type == "url":
            bad = present & ~cells.matches(col, r"https?://\S+$", "match")
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} must start with http:// or https://, got {r[c]!r}")
        elif spec.type == "flag":
            bad = present & ~vals.isin(schema.FLAGS)
            _report(problems, file, nodes, bad, lambda r, c=col: f"unknown {c} {r[c]!r} (expected one of: {', '.join(schema.FLAGS)})")
    if "year" in nodes.columns and "date" in nodes.columns:
        both = cells.matches("year", r"\d{4}") & cells.matches("date", _MONTH_RE.pattern)
        if both.any():
            clash = both & (nodes["year"] != nodes["date"].where(both, "").str[:4])
            _report(problems, file, nodes, clash, lambda r: f"date {r['date']} disagrees with year {r['year']}")
    if "weeks_min" in nodes.columns and "weeks_max" in nodes.columns:
        ok = cells.matches("weeks_min", r"\d+") & cells.matches("weeks_max", r"\d+")
        lo = nodes["weeks_min"].where(ok, "0").astype(int)
        hi = nodes["weeks_max"].where(ok, "0").astype(int)
        _report(problems, file, nodes, ok & (lo > hi),
                lambda r: f"weeks_min {r['weeks_min']} is greater than weeks_max {r['weeks_max']}")


def _check_nodes(nodes, file, problems):
    cells = _Cells(nodes)
    ids = nodes["id"]
    no_id = cells.empty("id")
    _report(problems, file, nodes, no_id, lambda r: "empty id")
    badid = ~no_id & ~cells.matches("id", _ID_RE.pattern)
    _report(problems, file, nodes, badid,
            lambda r: f"id {r['id']!r} may hold only ASCII letters, digits, '.', '_' and '-' (ids become IRIs)")
    dup = ~no_id & ids.duplicated(keep="first")
    if dup.any():
        first = nodes.loc[~ids.duplicated(keep="first")].set_index("id")["_line"]
        _report(problems, file, nodes, dup, lambda r: f"duplicate id {r['id']!r} (first on line {first[r['id']]})")
    kinds = list(schema.KINDS)
    _report(problems, file, nodes, cells.empty("kind"), lambda r: f"empty kind for {r['id']!r}")
    unknown = ~cells.empty("kind") & ~nodes["kind"].isin(kinds)
    _report(problems, file, nodes, unknown,
            lambda r: f"unknown kind {r['kind']!r} (expected one of: {', '.join(kinds)})")
    _report(problems, file, nodes, cells.empty("label_en"), lambda r: f"empty label_en for {r['id']!r}")
    for name, kind in schema.KINDS.items():
        for col in kind.required:
            _report(problems, file, nodes, cells.kind_is(name) & cells.empty(col),
                    lambda r, c=col, k=name: f"{k} {r['id']!r} has no {c}")
    _check_typed_columns(nodes, file, problems, cells)
    if "order" in nodes.columns:
        stages = nodes.loc[cells.kind_is("stage") & ~cells.empty("order")]
        dup = stages["order"].duplicated(keep="first")
        if dup.any():
            first = stages.loc[~dup].set_index("order")["_line"]
            _report(problems, file, stages, dup,
                    lambda r: f"stage {r['id']!r} has order {r['order']}, already taken (line {first[r['order']]})")


class _Ends:
    """Every edge as integers: its source's and target's row in nodes.csv, its relation's number.

    Computed once per validation with pandas' hash tables (in C), so that the
    checks that look at each of half a million edges are array operations.
    ``-1`` marks an endpoint that is not a node, or a relation that is not in
    the schema. An id that appears twice stands for its last row, as a dict
    built from the rows would.
    """

    def __init__(self, nodes, edges):
        import numpy as np

        self.kinds = list(schema.KINDS)
        self.relations = list(schema.RELATIONS)
        self.n = len(nodes)
        row = {node_id: i for i, node_id in enumerate(nodes["id"].tolist())}  # a repeated id keeps its last row
        row.pop("", None)  # an empty id is reported, and an empty end is "empty", never that node

        def numbers(values, number):  # dict lookups in a C loop: faster than pandas' get_indexer on text
            values = values.tolist()
            return np.fromiter(map(number.get, values, repeat(-1)), dtype=np.int64, count=len(values))

        self.kind = numbers(nodes["kind"], {k: i for i, k in enumerate(self.kinds)})
        self.source = numbers(edges["source"], row)
        self.target = numbers(edges["target"], row)
        self.relation = numbers(edges["relation"], {r: i for i, r in enumerate(self.relations)})
        self.known = (self.source >= 0) & (self.target >= 0) & (self.relation >= 0)

    def of(self, names):
        """Boolean mask of the edges whose relation is one of ``names``."""
        import numpy as np

        return np.isin(self.relation, [self.relations.index(r) for r in names if r in self.relations])

    def kind_pair_allowed(self):
        """Mask: the relation may join the kinds of its two ends (False where anything is unknown)."""
        import numpy as np

        k, r = len(self.kinds), len(self.relations)
        table = np.zeros((r, k, k), dtype=bool)
        for i, rel in enumerate(schema.RELATIONS.values()):
            for a, b in rel.pairs:
                table[i, self.kinds.index(a), self.kinds.index(b)] = True
        kind = np.append(self.kind, -1)  # position n: no node (nodes.csv may have no rows at all)
        ks = np.where(self.known, kind[np.where(self.source >= 0, self.source, self.n)], -1)
        kt = np.where(self.known, kind[np.where(self.target >= 0, self.target, self.n)], -1)
        ok = (ks >= 0) & (kt >= 0)
        return ok & table[np.maximum(self.relation, 0), np.maximum(ks, 0), np.maximum(kt, 0)]


def _check_edges(edges, nodes, file, problems, ends: _Ends):
    import numpy as np
    import pandas as pd

    rels = schema.RELATIONS
    # an empty cell is never a known id or relation: compare text only where the number is unknown
    empty = {}
    for col, number in (("source", ends.source), ("target", ends.target), ("relation", ends.relation)):
        unknown = number < 0
        empty[col] = unknown.copy()
        if unknown.any():
            empty[col][unknown] = (edges[col].to_numpy()[unknown] == "")
        _report(problems, file, edges, empty[col], lambda r, c=col: f"empty {c}")
    _report(problems, file, edges, (ends.relation < 0) & ~empty["relation"],
            lambda r: f"unknown relation {r['relation']!r} (expected one of: {', '.join(rels)})")
    for end in ("source", "target"):
        missing = (getattr(ends, end) < 0) & ~empty[end]
        _report(problems, file, edges, missing, lambda r, e=end: f"{e} {r[e]!r} is not a node in {NODES_FILE}")
    bad = ends.known & ~ends.kind_pair_allowed()
    if bad.any():  # reported relation by relation
        kind_of = dict(zip(nodes["id"].tolist(), nodes["kind"].tolist()))
        for i, (name, rel) in enumerate(rels.items()):
            allowed = ", ".join(f"{a} → {b}" for a, b in sorted(rel.pairs))
            _report(problems, file, edges, bad & (ends.relation == i),
                    lambda r, n=name, al=allowed: f"relation {n!r} cannot join {kind_of[r['source']]} "
                                                  f"{r['source']!r} to {kind_of[r['target']]} {r['target']!r} "
                                                  f"(allowed: {al})")
    loop = ~empty["source"] & (edges["source"] == edges["target"])
    _report(problems, file, edges, loop, lambda r: f"self-loop: {r['source']!r} {r['relation']} itself")
    # a symmetric relation's edge is the same edge either way round
    sym = [name for name, rel in rels.items() if rel.symmetric]
    if ends.known.all():
        swap = ends.of(sym) & (ends.source > ends.target)
        a, b = np.where(swap, ends.target, ends.source), np.where(swap, ends.source, ends.target)
        key = pd.Series((a * ends.n + b) * len(ends.relations) + ends.relation, index=edges.index)
    else:  # some end or relation is unknown: key the edge by its text
        key = pd.Series([f"{t}\x00{s}\x00{n}" if n in sym and s > t else f"{s}\x00{t}\x00{n}"
                         for s, t, n in zip(edges["source"].tolist(), edges["target"].tolist(),
                                            edges["relation"].tolist())], index=edges.index, dtype=object)
    dup = key.duplicated(keep="first")
    if dup.any():
        first = dict(zip(key[~dup], edges.loc[~dup, "_line"]))
        _report(problems, file, edges.assign(_key=key), dup,
                lambda r: f"duplicate edge {r['source']} {r['relation']} {r['target']} (first on line {first[r['_key']]})")
    for name, rel in rels.items():
        if rel.single:
            mask = ends.of([name]) & (ends.source >= 0)
            if edges["source"][mask].duplicated(keep="first").any():
                these = edges.loc[mask]
                again = these["source"].duplicated(keep="first")
                first = these.loc[~again].set_index("source")["_line"]
                _report(problems, file, these, again,
                        lambda r, n=name, first=first: f"{r['source']!r} has a second {n} edge "
                                                         f"(first on line {first[r['source']]})")
    _check_time(edges, nodes, file, problems, ends)
    _check_required_edges(edges, nodes, ends, problems)


def _check_required_edges(edges, nodes, ends: _Ends, problems):
    """Kinds whose rows need an edge (a question must ask about a concept)."""
    import numpy as np

    for name, kind in schema.KINDS.items():
        if kind.required_edges and not (nodes["kind"] == name).any():
            continue  # no node of this kind: nothing can lack an edge
        for rel, target_kind in kind.required_edges:
            to_kind = np.where(ends.target >= 0, ends.kind[np.maximum(ends.target, 0)], -1) == ends.kinds.index(target_kind)
            has = set(edges["source"][ends.of([rel]) & to_kind].tolist())
            lacking = (nodes["kind"] == name) & ~nodes["id"].isin(has)
            _report(problems, nodes.attrs["file"], nodes, lacking,
                    lambda r, k=name, rl=rel, tk=target_kind: f"{k} {r['id']!r} has no {rl} edge to a {tk}")


def _when(nodes):
    """(year, month) of first publication for each row of nodes.csv, as arrays; year 0 where unknown."""
    import numpy as np

    n = len(nodes)
    year, month = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    if "year" not in nodes.columns:
        return year, month
    date = nodes["date"].tolist() if "date" in nodes.columns else [""] * n
    four = re.compile(r"\d{4}").fullmatch
    for i, (y, m) in enumerate(zip(nodes["year"].tolist(), date)):
        if four(y):
            year[i] = int(y) or -1  # year "0000" is known (and impossible, reported elsewhere)
            mm = _MONTH_RE.fullmatch(m)
            month[i] = int(mm.group(2)) if mm and mm.group(1) == y else 0
    return year, month


def _check_time(edges, nodes, file, problems, ends: _Ends):
    import numpy as np

    year, month = _when(nodes)
    if not year.any():
        return
    s, t = np.maximum(ends.source, 0), np.maximum(ends.target, 0)
    ys, yt, ms, mt = year[s], year[t], month[s], month[t]
    dated = (ends.source >= 0) & (ends.target >= 0) & (ys != 0) & (yt != 0)
    ys, yt = np.where(ys < 0, 0, ys), np.where(yt < 0, 0, yt)
    later = dated & ((ys < yt) | ((ys == yt) & (ms > 0) & (mt > 0) & (ms < mt)))
    fmt = lambda y, m: f"{y}-{m:02d}" if m else str(y)  # noqa: E731
    for name, rel in schema.RELATIONS.items():
        if not rel.back_in_time:
            continue
        for i in np.flatnonzero(later & ends.of([name])).tolist():
            src, tgt = edges["source"].iat[i], edges["target"].iat[i]
            problems.append(Problem(file, int(edges["_line"].iat[i]),
                                    f"{src!r} ({fmt(ys[i], ms[i])}) {name} {tgt!r} ({fmt(yt[i], mt[i])}), a later paper"))


def _order_graph(pairs) -> nx.DiGraph:
    """Directed 'read before' graph from (source, target, relation) triples."""
    import networkx as nx

    D = nx.DiGraph()
    for s, t, rel, line in pairs:
        spec = schema.RELATIONS[rel]
        u, v = (s, t) if spec.order == "source-first" else (t, s)
        D.add_edge(u, v, relation=rel, source=s, target=t, line=line)
    return D


def _check_cycles(edges, nodes, file, problems, ends: _Ends):
    import networkx as nx
    import numpy as np

    mask = ends.of(schema.ORDER_RELATIONS) & (ends.source >= 0) & (ends.target >= 0) & (ends.source != ends.target)
    first = ends.of([n for n, r in schema.RELATIONS.items() if r.order == "source-first"])
    before = np.where(first, ends.source, ends.target)[mask]
    after = np.where(first, ends.target, ends.source)[mask]
    if is_acyclic(before, after):
        return
    D = _order_graph(zip(edges.loc[mask, "source"], edges.loc[mask, "target"],
                         edges.loc[mask, "relation"], edges.loc[mask, "_line"]))
    if nx.is_directed_acyclic_graph(D):
        return
    for comp in sorted(nx.strongly_connected_components(D), key=min):
        if len(comp) < 2:
            continue
        sub = nx.DiGraph(D.subgraph(comp))
        for _ in range(_MAX_CYCLES):
            try:
                cycle = nx.find_cycle(sub, source=min(sub))
            except nx.NetworkXNoCycle:
                break
            steps = [(D.edges[u, v]["line"], f"{D.edges[u, v]['source']} {D.edges[u, v]['relation']} "
                      f"{D.edges[u, v]['target']} (line {D.edges[u, v]['line']})") for u, v in cycle]
            path = " → ".join([cycle[0][0]] + [v for _, v in cycle])
            problems.append(Problem(file, int(min(steps)[0]),
                                    f"cycle in reading order: {path}, because " + ", ".join(t for _, t in steps)))
            sub.remove_edge(*cycle[-1])


def _check_complete(nodes, edges, file, problems):
    """Strict mode: every row fills the columns its kind recommends.

    A flagged row (off-topic or doubtful) may leave facts empty where no
    public record was found, but must say why in ``note`` and ``note_zh``.
    """
    flagged = nodes["flag"] != "" if "flag" in nodes.columns else nodes["id"].map(lambda _: False).astype(bool)
    for name, kind in schema.KINDS.items():
        rows = nodes.loc[(nodes["kind"] == name) & ~flagged]
        for col in kind.recommended:
            empty = rows[col] == "" if col in rows.columns else rows["id"].map(lambda _: True).astype(bool)
            _report(problems, file, rows, empty, lambda r, c=col, k=name: f"{k} {r['id']!r} has no {c} (--strict)")
    for col in ("note", "note_zh", "label_zh", "description_en", "description_zh"):
        empty = flagged & (nodes[col] == "" if col in nodes.columns else True)
        _report(problems, file, nodes, empty, lambda r, c=col: f"flagged {r['id']!r} has no {c} (--strict)")
    for name, rel in schema.RELATIONS.items():
        if rel.single:
            kinds = {a for a, _ in rel.pairs}
            has = set(edges.loc[edges["relation"] == name, "source"])
            lacking = nodes["kind"].isin(kinds) & ~nodes["id"].isin(has)
            _report(problems, file, nodes, lacking, lambda r, n=name: f"{r['kind']} {r['id']!r} has no {n} edge (--strict)")


def validate(nodes_table: Table, edges_table: Table, *, strict: bool = False):
    """Validate two parsed tables; return ``(nodes, edges, problems)`` frames.

    With ``strict``, also require what a curated graph should fill in
    (:attr:`papergraph.schema.NodeKind.recommended`, a stage for every paper).
    """
    problems: list[Problem] = []
    nodes = _frame(nodes_table)
    edges = _frame(edges_table)
    nodes.attrs["file"] = nodes_table.name
    _check_nodes(nodes, nodes_table.name, problems)
    ends = _Ends(nodes, edges)
    _check_edges(edges, nodes, edges_table.name, problems, ends)
    if strict:
        _check_complete(nodes, edges, nodes_table.name, problems)
    _check_cycles(edges, nodes, edges_table.name, problems, ends)
    return nodes, edges, problems


def _check_anachronisms(G, edges, file) -> list:
    """Strict mode: no paper may need (transitively) a paper first published after it.

    Each offending paper is reported once, on the line of the first edge of
    the chain to its latest prerequisite, with the whole chain.
    """
    from .core import anachronisms
    from .orderindex import index_of

    ix = index_of(G)
    found = anachronisms(ix)
    if not found:
        return []
    lines = {}
    for s, t, rel, line in zip(edges["source"].tolist(), edges["target"].tolist(), edges["relation"].tolist(),
                               edges["_line"].tolist()):
        if schema.RELATIONS.get(rel) is not None and schema.RELATIONS[rel].order:
            lines.setdefault((s, t), int(line))
            lines.setdefault((t, s), int(line))
    ids = ix.ids

    def when(i):
        y, m = ix.year[i], ix.month[i]
        return f"{y}-{m:02d}" if m else str(y)

    out = []
    for a in found:
        chain = [ids[x] for x in a["why"]]
        p, q = a["paper"], a["needs"]
        words = " → ".join(chain)
        out.append(Problem(file, lines.get((chain[0], chain[1]), 0),
                           f"{ids[p]!r} ({when(p)}) needs {ids[q]!r} ({when(q)}), a later paper: {words} (--strict)"))
    return out


def _cell(col: str, value: str):
    spec = schema.NODE_COLUMNS.get(col)
    if spec is None:
        return value
    if spec.type in ("int", "year"):
        return int(value)
    if spec.type == "list":
        return [p.strip() for p in value.split(schema.LIST_SEPARATOR) if p.strip()]
    return value


def _converter(col: str):
    """What :func:`_cell` does to a cell of ``col``, as a function; ``None`` keeps the text."""
    spec = schema.NODE_COLUMNS.get(col)
    if spec is None or spec.type not in ("int", "year", "list"):
        return None
    return lambda value, c=col: _cell(c, value)


def build_graph(nodes, edges) -> nx.MultiDiGraph:
    """Build the typed graph from validated frames (see :func:`validate`)."""
    import networkx as nx

    G = nx.MultiDiGraph()
    ncols = [c for c in nodes.columns if c not in ("id", "_line")]
    convs = [_converter(c) for c in ncols]
    node_rows = zip(nodes["id"].tolist(), *(nodes[c].tolist() for c in ncols))

    typed = [(c, conv) for c, conv in zip(ncols, convs) if conv is not None]

    def node_data():
        for i, (node_id, *rec) in enumerate(node_rows):
            data = {"row": i}
            data.update([(c, v) for c, v in zip(ncols, rec) if v != ""])
            for c, conv in typed:
                if c in data:
                    data[c] = conv(data[c])
            yield node_id, data

    ecols = [c for c in edges.columns if c not in ("source", "target", "relation", "_line")]
    extra = list(zip(*(edges[c].tolist() for c in ecols))) if ecols else None
    edge_rows = zip(edges["source"].tolist(), edges["target"].tolist(), edges["relation"].tolist())

    def edge_data():
        for i, (s, t, rel) in enumerate(edge_rows):
            data = {"relation": rel}
            if extra is not None:
                rec = extra[i]
                if any(rec):  # most edges have no note
                    for c, v in zip(ecols, rec):
                        if v != "":
                            data[c] = v
            yield s, t, rel, data

    _fill(G, node_data(), edge_data())
    return G


def _fill(G, nodes, edges) -> None:
    """``G.add_nodes_from(nodes); G.add_edges_from(edges)`` for an empty MultiDiGraph, faster.

    ``nodes`` yields ``(id, data)``, ``edges`` ``(source, target, key, data)``.
    NetworkX's own ``add_edges_from`` spends most of 5 s (500k edges) on
    per-edge bookkeeping; filling its adjacency dicts directly (the structure
    documented for subclasses: ``_node``, ``_succ``, ``_pred``, one key dict
    shared by ``_succ[u][v]`` and ``_pred[v][u]``) gives the same graph, down to
    the order of every node's neighbours, in a fraction of that. Any other
    graph class gets the public methods.
    """
    import networkx as nx

    if (type(G) is not nx.MultiDiGraph or len(G) or not isinstance(getattr(G, "_succ", None), dict)
            or G._succ is not G._adj):
        G.add_nodes_from(nodes)
        G.add_edges_from(edges)
        return
    node, succ, pred = G._node, G._succ, G._pred
    for n, data in nodes:
        if n in node:
            node[n].update(data)
        else:
            node[n] = data
            succ[n] = {}
            pred[n] = {}
    for s, t, key, data in edges:
        if s not in node:
            node[s], succ[s], pred[s] = {}, {}, {}
        if t not in node:
            node[t], succ[t], pred[t] = {}, {}, {}
        nbrs = succ[s]
        keys = nbrs.get(t)
        if keys is None:
            nbrs[t] = pred[t][s] = {key: data}
        elif key in keys:
            keys[key].update(data)
        else:
            keys[key] = data
    nx._clear_cache(G)


def load_graph(data_dir: str | os.PathLike | None = None, *, cache: bool = True,
               strict: bool = False) -> nx.MultiDiGraph:
    """Load, validate and build the graph in ``data_dir`` (default: the seed graph).

    Parameters
    ----------
    data_dir : path, optional
        A directory holding ``nodes.csv`` and ``edges.csv``.
    cache : bool
        Reuse (and store) the validated graph in :func:`cache_dir`, keyed by
        the files' contents.
    strict : bool
        Also require the columns a curated graph fills (see :func:`validate`).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``kind``; edges are keyed by ``relation``.
        ``G.graph`` holds ``data_dir`` and ``digest``.

    Raises
    ------
    DataError
        With every problem found, each located by file and line.
    """
    d = Path(data_dir) if data_dir is not None else default_data_dir()
    src = Source(d, trust_stat=cache and not strict)
    if cache and not strict and src.digest:
        G = read_pickle(src.digest)
        if G is not None:
            src.remember()
            G.graph["data_dir"] = str(d)
            _offer_stored_index(G, view_path(src.digest))
            return G
    return _validate_and_build(src, cache=cache, strict=strict)


def _offer_stored_index(G, path) -> None:
    """Let :func:`papergraph.orderindex.index_of` read ``G``'s index from its query cache, not build it.

    The offer lives in ``G.__networkx_cache__``, which NetworkX empties on any
    change of nodes or edges, so a changed graph gets an index of its own.
    """
    from functools import partial

    from .cache import read_stored_index
    from .orderindex import STORED

    cache = getattr(G, "__networkx_cache__", None)
    if isinstance(cache, dict) and path is not None:
        cache[STORED] = partial(read_stored_index, path, G)


def _validate_and_build(src: "Source", *, cache: bool, strict: bool, more=None):
    """The slow path of :func:`load_graph`: read, validate, build, cache."""
    d = src.dir
    nraw, eraw = src.read()
    with _progress(len(nraw or b"") + len(eraw or b"")) as say, gc_paused():
        say("reading nodes.csv and edges.csv")
        problems: list[Problem] = [Problem(f, 0, why) for f, why in src.unreadable]
        bad = {f for f, _ in src.unreadable}
        nt = read_table(d / NODES_FILE, nraw, schema.REQUIRED_NODE_COLUMNS, problems, bad)
        et = read_table(d / EDGES_FILE, eraw, schema.REQUIRED_EDGE_COLUMNS, problems, bad)
        src.forget_bytes()
        del nraw, eraw
        if nt is None or et is None:
            raise DataError(problems)
        say(f"validating {len(nt.rows):,} nodes and {len(et.rows):,} edges")
        nodes, edges, found = validate(nt, et, strict=strict)
        et_name = et.name
        del nt, et
        problems += found
        if problems:
            raise DataError(problems)
        say(f"building the graph of {len(nodes):,} nodes and {len(edges):,} edges")
        G = build_graph(nodes, edges)
        if strict:
            found = _check_anachronisms(G, edges, et_name)
            if found:
                raise DataError(found)
        del nodes, edges
        G.graph.update(digest=src.digest)
        if cache:
            say("writing the cache")
            write_pickle(src.digest, G)
            src.remember()
        if more is not None:
            more(G, say)
    G.graph["data_dir"] = str(d)
    return G


def open_graph(data_dir: str | os.PathLike | None = None):
    """The graph in ``data_dir``, opened for questions as cheaply as the cache allows.

    The same validation and errors as :func:`load_graph`. Once a graph has
    been validated, it is opened from its query cache as a
    :class:`CachedGraph`: a read-only view backed by an SQLite file in
    :func:`cache_dir`, which reads only the nodes and edges a question touches.
    Opening it costs about the same for a hundred nodes as for a hundred
    thousand, and imports neither pandas nor NetworkX. The functions of
    :mod:`papergraph.query`, :mod:`papergraph.order` and
    :mod:`papergraph.stats` give the same answers on it as on the graph of
    :func:`load_graph`. Where the cache cannot be written, that graph is returned.

    >>> G = open_graph()
    >>> G.nodes["dit"]["kind"], "dit" in G, "no-such-paper" in G
    ('paper', True, False)
    """
    d = Path(data_dir) if data_dir is not None else default_data_dir()
    if sqlite3 is None:
        return load_graph(d)
    src = Source(d, trust_stat=True)
    def rebuild(path) -> bool:  # the query cache proved damaged while in use: write it again
        again = Source(d, trust_stat=False)
        if not again.digest or not Path(path).name.startswith(again.digest):
            return False  # the files changed meanwhile: the next command starts afresh
        return write_view(_validate_and_build(again, cache=False, strict=False), path)

    if src.digest:
        path = view_path(src.digest)
        G = CachedGraph.open(path, d, rebuild)
        if G is not None:
            src.remember()
            return G
        G = read_pickle(src.digest)
        if G is not None:
            G.graph["data_dir"] = str(d)
            with _progress(sum(st[2] for st in src.stats or ())) as say:
                say("writing the query cache")
                written = write_view(G, path)
            src.remember()
            return (CachedGraph.open(path, d, rebuild) if written else None) or G
    box = {}

    def more(G, say):
        say("writing the query cache")
        box["written"] = write_view(G, view_path(src.digest))

    G = _validate_and_build(src, cache=True, strict=False, more=more)
    if box.get("written"):
        return CachedGraph.open(view_path(src.digest), d, rebuild) or G
    return G
