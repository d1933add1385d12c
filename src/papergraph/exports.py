"""What the explorer lets a learner download or query: the graph, the plan, the progress file, SPARQL.

The RDF formats come from :mod:`papergraph.rdf.export` through the one call
site :func:`graph_text`; everything else is written here from the graph and
the library's results.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", kind="paper", label_en="A", aliases=["x", "y"], row=0)
>>> G.add_node("b", kind="paper", label_en="B", row=1)
>>> _ = G.add_edge("b", "a", "builds_on", relation="builds_on")
>>> print(csv_tables(G)["nodes.csv"].decode(), end="")
id,kind,label_en,aliases
a,paper,A,x;y
b,paper,B,
>>> doc = progress_document(["a"], ["b"])
>>> read_progress(G, doc)["read"], read_progress(G, doc)["targets"], read_progress(G, doc)["ticked"]
(['a'], ['b'], [])
"""

from __future__ import annotations

import csv
import io
import json

from . import schema
from .errors import PapergraphError
from .query import label

__all__ = [
    "GRAPH_FORMATS",
    "PROGRESS_FORMAT",
    "ExportUnavailable",
    "csv_tables",
    "graph_text",
    "progress_document",
    "read_progress",
    "schedule_csv",
    "sparql",
    "sparql_examples",
]

#: Graph downloads: format → (MIME type, file extension).
GRAPH_FORMATS = {
    "ttl": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "graphml": ("application/graphml+xml", "graphml"),
}

PROGRESS_FORMAT = "papergraph-progress"
_MAX_PROGRESS_BYTES = 1_000_000


class ExportUnavailable(PapergraphError):
    """This installation cannot write the requested format (the RDF exporter is missing)."""


# ---------------------------------------------------------------- the graph

def graph_text(G, fmt: str) -> str:
    """The graph as ``ttl`` (Turtle), ``jsonld`` (JSON-LD) or ``graphml`` text.

    This is the explorer's single call site of the RDF exporter,
    :func:`papergraph.rdf.export.export_text`.

    Raises
    ------
    ExportUnavailable
        When :mod:`papergraph.rdf` is not installed (GraphML still works).
    """
    try:
        from .rdf.export import export_text
    except ImportError as exc:
        if fmt == "graphml":
            return _graphml(G)
        raise ExportUnavailable(f"cannot write {fmt}: the RDF exporter is not available ({exc})") from exc
    return export_text(G, fmt)


def _flat_value(v):
    if isinstance(v, (list, tuple)):
        return schema.LIST_SEPARATOR.join(str(x) for x in v)
    return v


def _graphml(G) -> str:
    import networkx as nx

    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _flat_value(v) for k, v in d.items() if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=f"{u}:{k}:{v}", **{a: _flat_value(x) for a, x in d.items() if x is not None})
    return "\n".join(nx.generate_graphml(H, prettyprint=True)) + "\n"


def _columns(rows: list[dict], first: list[str], known: list[str]) -> list[str]:
    used = {k for r in rows for k, v in r.items() if v not in (None, "", [])}
    cols = list(first) + [c for c in known if c in used and c not in first]
    return cols + sorted(c for c in used if c not in cols)


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def csv_tables(G) -> dict[str, bytes]:
    """``{"nodes.csv": …, "edges.csv": …}`` in the format :func:`papergraph.load.load_graph` reads."""
    nodes = sorted(G.nodes(data=True), key=lambda nd: (nd[1].get("row", 0), str(nd[0])))
    recs = [dict(d, id=n) for n, d in nodes]
    ncols = [c for c in _columns(recs, list(schema.REQUIRED_NODE_COLUMNS), list(schema.NODE_COLUMNS)) if c != "row"]
    nrows = [ncols] + [["" if r.get(c) is None else str(_flat_value(r.get(c))) for c in ncols] for r in recs]
    erecs = [dict(d, source=u, target=v, relation=d.get("relation", k)) for u, v, k, d in G.edges(keys=True, data=True)]
    ecols = _columns(erecs, list(schema.REQUIRED_EDGE_COLUMNS), list(schema.EDGE_COLUMNS))
    erows = [ecols] + [["" if r.get(c) is None else str(_flat_value(r.get(c))) for c in ecols] for r in erecs]
    return {"nodes.csv": _csv(nrows), "edges.csv": _csv(erows)}


# ---------------------------------------------------------------- progress

def progress_document(read, targets=(), *, ticked=(), graph: str | None = None) -> bytes:
    """A small JSON file holding what the learner has read, their targets and the questions they ticked.

    ``{"format": "papergraph-progress", "version": 1, "read": [paper ids],
    "targets": [paper ids], "ticked": [question ids], "graph": digest}``.
    ``ticked`` was added to version 1 without changing it: files without it
    still read, and readers that do not know it ignore it.

    >>> import json
    >>> json.loads(progress_document(["a"], ticked=["q1"]))["ticked"]
    ['q1']
    """
    doc = {"format": PROGRESS_FORMAT, "version": 1, "read": list(read), "targets": list(targets),
           "ticked": list(ticked)}
    if graph:
        doc["graph"] = graph
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_progress(G, raw: bytes | str) -> dict:
    """Parse a progress file: ``{"read", "targets", "ticked", "unknown"}``.

    ``read`` and ``targets`` keep the ids of this graph's papers, ``ticked``
    those of its self-check questions (``[]`` for a file written before
    questions could be ticked); any other id goes to ``unknown``.

    Raises
    ------
    PapergraphError
        When ``raw`` is not a papergraph progress file.
    """
    if isinstance(raw, bytes):
        if len(raw) > _MAX_PROGRESS_BYTES:
            raise PapergraphError("the file is too large")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PapergraphError("the file is not UTF-8 text") from exc
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise PapergraphError(f"not JSON ({exc})") from None
    except RecursionError:  # "[[[[…" nested deeper than Python's stack
        raise PapergraphError("not a progress file: JSON nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("format") != PROGRESS_FORMAT:
        raise PapergraphError(f'expected a JSON object with "format": "{PROGRESS_FORMAT}"')
    out = {"read": [], "targets": [], "ticked": [], "unknown": []}
    for key, kind in (("read", "paper"), ("targets", "paper"), ("ticked", "question")):
        ids = doc.get(key, [])
        if not isinstance(ids, list):
            raise PapergraphError(f'"{key}" must be a list of {kind} ids')
        for x in ids:
            if isinstance(x, str) and x in G and G.nodes[x].get("kind") == kind:
                if x not in out[key]:
                    out[key].append(x)
            else:
                out["unknown"].append(str(x))
    return out


# ---------------------------------------------------------------- the plan

def schedule_csv(G, items) -> bytes:
    """A schedule (:func:`papergraph.plan.schedule`) as CSV, both languages, with a BOM for spreadsheets.

    Meant for spreadsheets: a cell that would start a formula (``=``, ``+``,
    ``-``, ``@``) is written with a leading ``'`` (:func:`papergraph.textout.spreadsheet_cell`).
    The data CSVs (:func:`csv_tables`) stay byte-exact.
    """
    import datetime as dt

    from .textout import spreadsheet_cell

    rows = [["no", "start", "end", "days", "id", "paper_en", "paper_zh", "stage_en", "stage_zh", "year", "url"]]
    for i, it in enumerate(items, 1):
        d = G.nodes[it.paper]
        rows.append([str(i), it.start.isoformat(), (it.end - dt.timedelta(days=1)).isoformat(), str(it.days),
                     it.paper, label(G, it.paper, "en"), label(G, it.paper, "zh"),
                     label(G, it.stage, "en") if it.stage else "", label(G, it.stage, "zh") if it.stage else "",
                     str(d.get("year", "")), d.get("url", "")])
    return b"\xef\xbb\xbf" + _csv([[spreadsheet_cell(c) for c in r] for r in rows])


# ---------------------------------------------------------------- SPARQL

def sparql_examples() -> dict[str, str]:
    """``{name: query}`` shipped with the RDF exporter (``papergraph/rdf/queries/*.rq``); empty when absent."""
    try:
        from .rdf.resources import example_queries

        return example_queries()
    except (ImportError, OSError):
        return {}


def rdf_graph(G) -> bytes:
    """The graph's RDF as N-Triples, ready for :func:`sparql` (build it once per graph).

    Raises
    ------
    ExportUnavailable
        When :mod:`papergraph.rdf` is not installed.
    """
    try:
        from .rdf.export import csv_columns, graph_triples
        from .rdf.serialize import to_ntriples
    except ImportError as exc:
        raise ExportUnavailable(f"SPARQL is not available: {exc}") from exc
    data_dir = G.graph.get("data_dir")  # the same triples as `papergraph query` and `export` write
    return to_ntriples(graph_triples(G, columns=csv_columns(data_dir) if data_dir else None)).encode("utf-8")


def sparql(G, query: str, *, graph: bytes | None = None, limit: int = 2000,
           timeout: float | None = None, endpoint: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Run a read-only SPARQL query over the graph's RDF; return ``(columns, rows)`` as text.

    The query goes through :func:`papergraph.rdf.sparql.check_query`, which
    refuses ``SERVICE``, ``FROM``, ``LOAD`` and every update before anything
    runs, and predeclares the export's prefixes. It runs in Oxigraph in a
    child process that is killed after ``timeout`` seconds (default
    :data:`papergraph.rdf.engine.DEFAULT_TIMEOUT`: there is always a limit).
    ``graph`` may pass :func:`rdf_graph` already built; with ``endpoint`` (a
    SPARQL 1.1 endpoint's URL) the same checked query is sent there instead,
    under the same time limit. ASK answers one row
    (``true`` or ``false``); CONSTRUCT and DESCRIBE answer ``subject,
    predicate, object`` rows.

    Raises
    ------
    PapergraphError
        For a refused or malformed query (a :class:`~papergraph.errors.DataError`),
        or one stopped at the time limit.
    """
    from itertools import islice

    try:
        from .rdf.engine import DEFAULT_TIMEOUT, evaluate
        from .rdf.sparql import check_query, prepare
    except ImportError as exc:
        raise ExportUnavailable(f"SPARQL is not available: {exc}") from exc
    from .cache import store_path

    checked = check_query(query)
    if endpoint is not None:
        from .rdf.remote import query_endpoint
        from .rdf.sparql import query_form

        result = query_endpoint(endpoint, prepare(query, checked), query_form(checked),
                                timeout=timeout or DEFAULT_TIMEOUT)
    else:
        result = evaluate(prepare(query, checked), graph if graph is not None else (lambda: rdf_graph(G)),
                          timeout or DEFAULT_TIMEOUT, store=store_path(G.graph.get("digest")))

    def text(term):
        return "" if term is None else str(term)

    if result.type == "ASK":
        return ["result"], [[str(bool(result.askAnswer)).lower()]]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(result.graph, key=lambda t: tuple(map(str, t)))[:limit]
        return ["subject", "predicate", "object"], [[text(x) for x in t] for t in triples]
    cols = [str(v) for v in result.vars]
    return cols, [[text(row[v]) for v in result.vars] for row in islice(result, limit)]
