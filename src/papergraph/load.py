"""Read ``nodes.csv`` and ``edges.csv``, validate them, build the typed graph.

Data flows one way: CSV text → validated pandas frames → a typed
``networkx.MultiDiGraph`` whose nodes carry ``kind`` and whose edges carry
``relation`` (the edge key is the relation, so parallel edges of different
relations are kept).

Every problem in the input is collected and reported at once in a
:class:`~papergraph.errors.DataError`, each as ``FILE:LINE: message``.

A validated graph is cached on disk, keyed by the bytes of both files, so
that a query does not pay for pandas or validation again; any change to a
CSV changes the key.

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
import hashlib
import io
import logging
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import schema
from .errors import DataError, Problem

__all__ = [
    "Table",
    "read_table",
    "validate",
    "build_graph",
    "load_graph",
    "default_data_dir",
    "data_digest",
    "cache_dir",
]

log = logging.getLogger(__name__)

NODES_FILE = "nodes.csv"
EDGES_FILE = "edges.csv"

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ARXIV_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$")
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MAX_CYCLES = 20  # per strongly connected component


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


def read_table(path: Path, raw: bytes | None, required: tuple[str, ...], problems: list[Problem]) -> Table | None:
    """Parse one CSV file into a :class:`Table`, appending problems found."""
    name = str(path)
    if raw is None:
        problems.append(Problem(name, 0, "file not found"))
        return None
    text = _decode(path, raw, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            here, start = start, reader.line_num + 1
            if not row or all(not c.strip() for c in row):
                continue
            if header is None:
                header = [c.strip() for c in row]
                continue
            if len(row) != len(header):
                problems.append(Problem(name, here, f"malformed row: expected {len(header)} fields, found {len(row)}"))
                continue
            rows.append([c.strip() for c in row])
            lines.append(here)
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, f"malformed CSV: {exc}"))
    if header is None:
        problems.append(Problem(name, 1, "empty file: expected a header row"))
        return None
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


def _frame(table: Table):
    import pandas as pd

    cols = list(zip(*table.rows)) if table.rows else [()] * len(table.header)
    df = pd.DataFrame({h: pd.Series(c, dtype=object) for h, c in zip(table.header, cols)})
    df["_line"] = table.lines
    return df


def _report(problems, file, df, mask, fmt):
    """Append one problem per row of ``df[mask]``; ``fmt(row)`` makes the message."""
    if not mask.any():
        return
    for row in df.loc[mask].to_dict("records"):
        problems.append(Problem(file, int(row["_line"]), fmt(row)))


def _check_typed_columns(nodes, file, problems):
    for col, spec in schema.NODE_COLUMNS.items():
        if col not in nodes.columns or spec.type in ("text", "list"):
            continue
        vals = nodes[col]
        present = vals != ""
        if not present.any():
            continue
        if spec.type in ("int", "year"):
            bad = present & ~vals.str.fullmatch(r"-?\d+")
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} must be a whole number, got {r[c]!r}")
            if spec.type == "year":
                num = vals.where(present & ~bad, "0").astype(int)
                lo, hi = schema.MIN_YEAR, schema.max_year()
                imp = present & ~bad & ((num < lo) | (num > hi))
                _report(problems, file, nodes, imp, lambda r, c=col: f"impossible {c} {r[c]} (expected {lo}–{hi})")
            else:
                neg = present & ~bad & vals.str.startswith("-")
                _report(problems, file, nodes, neg, lambda r, c=col: f"{c} must not be negative, got {r[c]}")
        elif spec.type == "month":
            bad = present & ~vals.str.fullmatch(_MONTH_RE.pattern)
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} must be YYYY-MM, got {r[c]!r}")
        elif spec.type == "arxiv":
            bad = present & ~vals.str.fullmatch(_ARXIV_RE.pattern)
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} is not an arXiv identifier: {r[c]!r} (e.g. 1706.03762, without a version)")
        elif spec.type == "url":
            bad = present & ~vals.str.match(r"https?://\S+$")
            _report(problems, file, nodes, bad, lambda r, c=col: f"{c} must start with http:// or https://, got {r[c]!r}")
        elif spec.type == "flag":
            bad = present & ~vals.isin(schema.FLAGS)
            _report(problems, file, nodes, bad, lambda r, c=col: f"unknown {c} {r[c]!r} (expected one of: {', '.join(schema.FLAGS)})")
    if "year" in nodes.columns and "date" in nodes.columns:
        both = (nodes["year"].str.fullmatch(r"\d{4}")) & nodes["date"].str.fullmatch(_MONTH_RE.pattern)
        clash = both & (nodes["year"] != nodes["date"].str[:4])
        _report(problems, file, nodes, clash, lambda r: f"date {r['date']} disagrees with year {r['year']}")
    if "weeks_min" in nodes.columns and "weeks_max" in nodes.columns:
        ok = nodes["weeks_min"].str.fullmatch(r"\d+") & nodes["weeks_max"].str.fullmatch(r"\d+")
        lo = nodes["weeks_min"].where(ok, "0").astype(int)
        hi = nodes["weeks_max"].where(ok, "0").astype(int)
        _report(problems, file, nodes, ok & (lo > hi),
                lambda r: f"weeks_min {r['weeks_min']} is greater than weeks_max {r['weeks_max']}")


def _check_nodes(nodes, file, problems):
    ids = nodes["id"]
    _report(problems, file, nodes, ids == "", lambda r: "empty id")
    badid = (ids != "") & ~ids.str.fullmatch(_ID_RE.pattern)
    _report(problems, file, nodes, badid,
            lambda r: f"id {r['id']!r} may hold only ASCII letters, digits, '.', '_' and '-' (ids become IRIs)")
    dup = (ids != "") & ids.duplicated(keep="first")
    if dup.any():
        first = nodes.loc[~ids.duplicated(keep="first")].set_index("id")["_line"]
        _report(problems, file, nodes, dup, lambda r: f"duplicate id {r['id']!r} (first on line {first[r['id']]})")
    kinds = list(schema.KINDS)
    _report(problems, file, nodes, nodes["kind"] == "", lambda r: f"empty kind for {r['id']!r}")
    unknown = (nodes["kind"] != "") & ~nodes["kind"].isin(kinds)
    _report(problems, file, nodes, unknown,
            lambda r: f"unknown kind {r['kind']!r} (expected one of: {', '.join(kinds)})")
    _report(problems, file, nodes, nodes["label_en"] == "", lambda r: f"empty label_en for {r['id']!r}")
    for name, kind in schema.KINDS.items():
        for col in kind.required:
            empty = (nodes["kind"] == name) & ((nodes[col] == "") if col in nodes.columns else True)
            _report(problems, file, nodes, empty, lambda r, c=col, k=name: f"{k} {r['id']!r} has no {c}")
    _check_typed_columns(nodes, file, problems)
    if "order" in nodes.columns:
        stages = nodes.loc[(nodes["kind"] == "stage") & (nodes["order"] != "")]
        dup = stages["order"].duplicated(keep="first")
        if dup.any():
            first = stages.loc[~dup].set_index("order")["_line"]
            _report(problems, file, stages, dup,
                    lambda r: f"stage {r['id']!r} has order {r['order']}, already taken (line {first[r['order']]})")


def _check_edges(edges, nodes, file, problems):
    kind_of = dict(zip(nodes["id"], nodes["kind"]))
    rels = schema.RELATIONS
    for col in ("source", "target", "relation"):
        _report(problems, file, edges, edges[col] == "", lambda r, c=col: f"empty {c}")
    unknown_rel = (edges["relation"] != "") & ~edges["relation"].isin(list(rels))
    _report(problems, file, edges, unknown_rel,
            lambda r: f"unknown relation {r['relation']!r} (expected one of: {', '.join(rels)})")
    for end in ("source", "target"):
        missing = (edges[end] != "") & ~edges[end].isin(kind_of.keys())
        _report(problems, file, edges, missing, lambda r, e=end: f"{e} {r[e]!r} is not a node in {NODES_FILE}")
    known = (edges["relation"].isin(list(rels)) & edges["source"].isin(kind_of.keys())
             & edges["target"].isin(kind_of.keys()))
    sk = edges["source"].map(kind_of)
    tk = edges["target"].map(kind_of)
    for name, rel in rels.items():
        this = known & (edges["relation"] == name)
        if not this.any():
            continue
        pair_ok = [(a, b) in rel.pairs for a, b in zip(sk[this], tk[this])]
        bad = this.copy()
        bad.loc[this] = [not ok for ok in pair_ok]
        allowed = ", ".join(f"{a} → {b}" for a, b in sorted(rel.pairs))
        _report(problems, file, edges, bad,
                lambda r, n=name, al=allowed: f"relation {n!r} cannot join {kind_of[r['source']]} {r['source']!r} "
                                              f"to {kind_of[r['target']]} {r['target']!r} (allowed: {al})")
    loop = (edges["source"] != "") & (edges["source"] == edges["target"])
    _report(problems, file, edges, loop, lambda r: f"self-loop: {r['source']!r} {r['relation']} itself")
    sym = edges["relation"].map(lambda n: rels[n].symmetric if n in rels else False).astype(bool)
    a = edges["source"].where(~sym | (edges["source"] <= edges["target"]), edges["target"])
    b = edges["target"].where(~sym | (edges["source"] <= edges["target"]), edges["source"])
    key = a + "\x00" + b + "\x00" + edges["relation"]
    dup = key.duplicated(keep="first")
    if dup.any():
        first = dict(zip(key[~dup], edges.loc[~dup, "_line"]))
        _report(problems, file, edges.assign(_key=key), dup,
                lambda r: f"duplicate edge {r['source']} {r['relation']} {r['target']} (first on line {first[r['_key']]})")
    for name, rel in rels.items():
        if rel.single:
            these = edges.loc[(edges["relation"] == name) & edges["source"].isin(kind_of.keys())]
            again = these["source"].duplicated(keep="first")
            if again.any():
                first = these.loc[~again].set_index("source")["_line"]
                _report(problems, file, these, again,
                        lambda r, n=name: f"{r['source']!r} has a second {n} edge (first on line {first[r['source']]})")
    _check_time(edges, nodes, file, problems)
    _check_required_edges(edges, nodes, kind_of, problems)


def _check_required_edges(edges, nodes, kind_of, problems):
    """Kinds whose rows need an edge (a question must ask about a concept)."""
    for name, kind in schema.KINDS.items():
        for rel, target_kind in kind.required_edges:
            these = edges.loc[(edges["relation"] == rel)]
            has = {s for s, t in zip(these["source"], these["target"]) if kind_of.get(t) == target_kind}
            lacking = (nodes["kind"] == name) & ~nodes["id"].isin(has)
            _report(problems, nodes.attrs["file"], nodes, lacking,
                    lambda r, k=name, rl=rel, tk=target_kind: f"{k} {r['id']!r} has no {rl} edge to a {tk}")


def _when(nodes) -> dict[str, tuple[int, int]]:
    """(year, month) of first publication, where known."""
    out = {}
    if "year" not in nodes.columns:
        return out
    date = nodes["date"] if "date" in nodes.columns else nodes["year"].map(lambda _: "")
    for node_id, year, month in zip(nodes["id"], nodes["year"], date):
        if re.fullmatch(r"\d{4}", year):
            m = _MONTH_RE.fullmatch(month)
            out[node_id] = (int(year), int(m.group(2)) if m and m.group(1) == year else 0)
    return out


def _check_time(edges, nodes, file, problems):
    when = _when(nodes)
    if not when:
        return
    for name, rel in schema.RELATIONS.items():
        if not rel.back_in_time:
            continue
        these = edges.loc[edges["relation"] == name]
        for s, t, line in zip(these["source"], these["target"], these["_line"]):
            ws, wt = when.get(s), when.get(t)
            if ws and wt and (ws[0] < wt[0] or (ws[0] == wt[0] and ws[1] and wt[1] and ws[1] < wt[1])):
                fmt = lambda w: f"{w[0]}-{w[1]:02d}" if w[1] else str(w[0])  # noqa: E731
                problems.append(Problem(file, int(line), f"{s!r} ({fmt(ws)}) {name} {t!r} ({fmt(wt)}), a later paper"))


def _order_graph(pairs) -> nx.DiGraph:
    """Directed 'read before' graph from (source, target, relation) triples."""
    D = nx.DiGraph()
    for s, t, rel, line in pairs:
        spec = schema.RELATIONS[rel]
        u, v = (s, t) if spec.order == "source-first" else (t, s)
        D.add_edge(u, v, relation=rel, source=s, target=t, line=line)
    return D


def _check_cycles(edges, nodes, file, problems):
    ids = set(nodes["id"])
    mask = (edges["relation"].isin(schema.ORDER_RELATIONS) & edges["source"].isin(ids)
            & edges["target"].isin(ids) & (edges["source"] != edges["target"]))
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
    _check_edges(edges, nodes, edges_table.name, problems)
    if strict:
        _check_complete(nodes, edges, nodes_table.name, problems)
    _check_cycles(edges, nodes, edges_table.name, problems)
    return nodes, edges, problems


def _cell(col: str, value: str):
    spec = schema.NODE_COLUMNS.get(col)
    if spec is None:
        return value
    if spec.type in ("int", "year"):
        return int(value)
    if spec.type == "list":
        return [p.strip() for p in value.split(schema.LIST_SEPARATOR) if p.strip()]
    return value


def build_graph(nodes, edges) -> nx.MultiDiGraph:
    """Build the typed graph from validated frames (see :func:`validate`)."""
    G = nx.MultiDiGraph()
    ncols = [c for c in nodes.columns if c not in ("id", "_line")]
    records = nodes[ncols].to_numpy().tolist()
    G.add_nodes_from(
        (node_id, {"row": i, **{c: _cell(c, v) for c, v in zip(ncols, rec) if v != ""}})
        for i, (node_id, rec) in enumerate(zip(nodes["id"].tolist(), records))
    )
    ecols = [c for c in edges.columns if c not in ("source", "target", "relation", "_line")]
    erecs = edges[ecols].to_numpy().tolist() if ecols else [[]] * len(edges)
    G.add_edges_from(
        (s, t, rel, {"relation": rel, **{c: v for c, v in zip(ecols, rec) if v != ""}})
        for s, t, rel, rec in zip(edges["source"].tolist(), edges["target"].tolist(),
                                  edges["relation"].tolist(), erecs)
    )
    return G


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def data_digest(nodes_raw: bytes, edges_raw: bytes) -> str:
    """Cache key of a graph: its files' bytes, the schema and the package version."""
    from . import __version__

    h = hashlib.sha256()
    for part in (nodes_raw, b"\x00", edges_raw, f"\x00{schema.SCHEMA_VERSION}\x00{__version__}".encode()):
        h.update(part)
    return h.hexdigest()


def cache_dir() -> Path:
    """Where validated graphs are cached (``$PAPERGRAPH_CACHE_DIR`` overrides)."""
    env = os.environ.get("PAPERGRAPH_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "papergraph"


def _cache_read(digest: str):
    path = cache_dir() / f"{digest}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a corrupt cache entry is not the user's problem
        log.info("ignoring unreadable cache %s: %s", path, exc)
        return None


def _cache_write(digest: str, G) -> None:
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(G, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, d / f"{digest}.pickle")
    except OSError as exc:
        log.info("could not write cache in %s: %s", d, exc)


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
    npath, epath = d / NODES_FILE, d / EDGES_FILE
    nraw, eraw = _read_bytes(npath), _read_bytes(epath)
    digest = data_digest(nraw, eraw) if nraw is not None and eraw is not None else None
    if cache and digest and not strict:
        G = _cache_read(digest)
        if G is not None:
            G.graph["data_dir"] = str(d)
            return G
    problems: list[Problem] = []
    nt = read_table(npath, nraw, schema.REQUIRED_NODE_COLUMNS, problems)
    et = read_table(epath, eraw, schema.REQUIRED_EDGE_COLUMNS, problems)
    if nt is None or et is None:
        raise DataError(problems)
    nodes, edges, more = validate(nt, et, strict=strict)
    problems += more
    if problems:
        raise DataError(problems)
    G = build_graph(nodes, edges)
    G.graph.update(digest=digest)
    if cache:
        _cache_write(digest, G)
    G.graph["data_dir"] = str(d)
    return G
