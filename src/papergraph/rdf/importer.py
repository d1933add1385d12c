"""Read RDF written by :mod:`papergraph.rdf.export` back into ``nodes.csv`` and ``edges.csv``.

Only the canonical facts (the ``pg:`` terms, ``rdf:type`` and the edge
statements) are read; the standard restatements (schema.org, SKOS, …) are
derived from them and ignored. Parsing is done by pyoxigraph.

Every problem found is reported at once in a :class:`~papergraph.errors.DataError`,
located in the RDF file: syntax errors where the parser puts them; other
problems on the first line that names the node (or the node and property).
The rows are then checked by papergraph's own loader
(:func:`papergraph.load.validate`), so what :func:`import_rdf` writes loads.

Examples
--------
>>> import networkx as nx, pathlib, tempfile
>>> from papergraph.rdf.export import export_text
>>> G = nx.MultiDiGraph()
>>> G.add_node("attn", kind="concept", label_en="Attention", label_zh="注意力", row=0)
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "g.ttl").write_text(export_text(G, "ttl"), encoding="utf-8")
>>> t = read_rdf(d / "g.ttl")
>>> print(t.nodes_csv(), end="")
id,kind,label_en,label_zh
attn,concept,Attention,注意力
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..errors import DataError, PapergraphError, Problem
from . import IMPORT_FORMATS
from .mapping import COLUMN_OF, KIND_OF_CLASS, NODE_TERMS, RELATION_OF, local_id
from .namespace import PREFIXES, dcterms, pg, pg_terms, rdf

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Tables",
    "detect_format",
    "import_rdf",
    "read_ntriples",
    "read_rdf",
]

#: Input formats, by papergraph's name.
FORMATS = IMPORT_FORMATS
#: Format of each file extension.
EXTENSIONS = {
    ".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".ntriples": "nt",
    ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}

_MAX_SYNTAX_ERRORS = 100
_PG_NS = PREFIXES["pg"]
_PG_TERMS = {_PG_NS + t for t in pg_terms()}
_NODE_CLASSES = set(KIND_OF_CLASS)
_OTHER_CLASSES = {pg.Dataset}
_RELATION_OF = {**RELATION_OF, pg.requires: "requires"}
_DATASET_PROPS = {pg.nodeColumns, pg.edgeColumns}
_MODIFIED = dcterms.modified
_EDGE_LITERALS = {p for p, _ in COLUMN_OF["edge"]}
_NODE_LITERALS = {p for p, _ in COLUMN_OF["node"]}
_STATEMENT = (rdf.subject, rdf.predicate, rdf.object)
_RDF_STATEMENT = rdf.Statement
_TYPE = rdf.type
_LANG_ONLY = {p for p, lang in COLUMN_OF["node"] if lang} | {p for p, lang in COLUMN_OF["edge"] if lang}
_KIND_ORDER = {k: i for i, k in enumerate(schema.KINDS)}
_REL_ORDER = {r: i for i, r in enumerate(schema.RELATIONS)}
_SYNTAX = re.compile(r"^Parser error (?:at line \d+ (?:between columns (\d+) and \d+|column (\d+))"
                     r"|between line \d+ column (\d+) and line \d+ column \d+): (.*)$", re.DOTALL)


def detect_format(path, fmt: str | None = None) -> str:
    """The format of ``path``: ``fmt`` if given, else from its extension.

    Raises
    ------
    PapergraphError
        When the extension is unknown and no ``fmt`` is given.

    >>> detect_format("x.TTL"), detect_format("x.data", "nt")
    ('ttl', 'nt')
    """
    if fmt:
        if fmt not in FORMATS:
            raise PapergraphError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
        return fmt
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        raise PapergraphError(f"{path}: cannot tell the format from the extension {ext!r}; "
                              f"use --format ({', '.join(FORMATS)})")
    return EXTENSIONS[ext]


@dataclass
class Tables:
    """Rows of ``nodes.csv`` and ``edges.csv``; each row maps column to cell text."""

    node_columns: list[str]
    nodes: list[dict[str, str]]
    edge_columns: list[str]
    edges: list[dict[str, str]]
    #: IRI of the node on each row (for locating problems).
    node_iris: list[str] = field(default_factory=list, repr=False)
    edge_iris: list[str] = field(default_factory=list, repr=False)
    #: The dataset description's ``dcterms:modified`` (``YYYY-MM-DD``), if the export has one.
    modified: str | None = field(default=None, repr=False)

    def nodes_csv(self) -> str:
        """``nodes.csv`` as text."""
        return _csv(self.node_columns, self.nodes)

    def edges_csv(self) -> str:
        """``edges.csv`` as text."""
        return _csv(self.edge_columns, self.edges)


def _csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([r.get(c, "") for c in header] for r in rows)
    return buf.getvalue()


# ---------------------------------------------------------------- parsing

class _Facts:
    """The canonical facts of a parsed file, grouped by subject.

    The common facts are sorted as they are parsed: literal cells straight
    into ``cells`` (by column), node-to-node links into ``links``; anything
    unusual goes to ``other``, to be judged (and reported) afterwards.
    """

    def __init__(self):
        self.cells: dict[str, dict[str, str]] = {}      # subject -> column -> text
        self.links: list[tuple[str, str, str]] = []     # (subject, pg predicate, object IRI)
        self.other: dict[str, list] = {}                # subject -> [(pg predicate, object term)]
        self.clashes: list[tuple[str, str, str, str]] = []  # (subject, predicate, column, second value)
        self.types: dict[str, list[str]] = {}           # subject -> pg classes (and rdf:Statement)
        self.statement: dict[str, dict] = {}            # subject -> {rdf:subject|predicate|object: term}
        self.issues: list[tuple] = []  # (subject, predicate, message, text on the line)
        self.syntax: list[Problem] = []
        self.modified: str | None = None                # the dataset description's dcterms:modified
        self.prefixes: dict[str, str] = {}

    def subjects(self) -> set[str]:
        """Every subject with a ``pg:`` property."""
        return set(self.cells) | {s for s, _, _ in self.links} | set(self.other)


#: ``pg predicate -> {language tag: column}`` for the literals read on the fast path.
_FAST_CELLS: dict[str, dict[str, str]] = {}
for (_p, _lang), _col in COLUMN_OF["node"].items():
    _FAST_CELLS.setdefault(_p, {})[_lang] = _col
_LINKS = frozenset(_RELATION_OF) | {pg.nextRow}


def _syntax_problem(file: str, exc: SyntaxError) -> Problem:
    msg = getattr(exc, "msg", None) or str(exc)
    m = _SYNTAX.match(msg)
    if m:
        col = next(c for c in m.groups()[:3] if c)
        msg = f"syntax error at column {col}: {m.group(4)}"
    else:
        msg = f"syntax error: {msg}"
    return Problem(file, exc.lineno or 0, msg)


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)\b")


def _refuse_dtd(raw: bytes, file: str) -> None:
    """Refuse an XML file declaring a DTD or entities before any parser sees it.

    Entity declarations can expand without bound ("billion laughs": a 1 KB
    file filling 12 GB) even when no entity is used; papergraph's RDF/XML
    never has a DTD.
    """
    text = raw
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: look at it as UTF-8
        text = raw.decode("utf-16", errors="replace").encode("utf-8")
    m = _DTD.search(text)
    if m:
        line = text.count(b"\n", 0, m.start()) + 1
        raise DataError([Problem(file, line, f"<!{m.group(1).decode()} …> declarations are not accepted: "
                                             "entities could expand without bound; remove the DTD")])


def _parser(path: Path, fmt: str, file: str):
    import pyoxigraph as ox

    from ..files import InputError, read_input

    formats = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
    try:
        raw = read_input(path)
    except FileNotFoundError:
        raise DataError([Problem(file, 0, "file not found")]) from None
    except InputError as exc:
        raise PapergraphError(str(exc)) from None
    if fmt == "xml":
        _refuse_dtd(raw, file)
    return ox.parse(raw, format=formats[fmt], base_iri=path.resolve().as_uri())


def read_ntriples(path, fmt: str | None = None) -> str:
    """Any RDF file as N-Triples text (blank nodes kept), for tools that want one format.

    Raises
    ------
    DataError
        With every syntax error, each as ``FILE:LINE: message``.
    """
    from .resources import oxigraph_term

    path = Path(path)
    file = str(path)
    fmt = detect_format(path, fmt)
    parser = _parser(path, fmt, file)
    lines: list[str] = []
    problems: list[Problem] = []
    while True:
        try:
            for t in parser:
                lines.append(f"{oxigraph_term(t.subject)} <{t.predicate.value}> {oxigraph_term(t.object)} .\n")
            break
        except SyntaxError as exc:
            problems.append(_syntax_problem(file, exc))
            if len(problems) >= _MAX_SYNTAX_ERRORS:
                break
        except OSError as exc:
            raise PapergraphError(f"{file}: cannot read: {exc.strerror or exc}") from None
    if problems:
        raise DataError(problems)
    return "".join(lines)


def _parse(path: Path, fmt: str, file: str) -> _Facts:
    import pyoxigraph as ox

    NamedNode, Literal = ox.NamedNode, ox.Literal
    facts = _Facts()
    cells, links, other, clashes = facts.cells, facts.links, facts.other, facts.clashes
    types, statement = facts.types, facts.statement
    fast, link_preds = _FAST_CELLS, _LINKS
    pg_ns, type_iri, stmt_preds, rdf_statement = _PG_NS, _TYPE, _STATEMENT, _RDF_STATEMENT
    parser = _parser(path, fmt, file)
    while True:
        try:
            for q in parser:
                p = q.predicate.value
                if p.startswith(pg_ns):
                    subj, o = q.subject, q.object
                    s = subj.value if type(subj) is NamedNode else "_:" + subj.value
                    by_lang = fast.get(p)
                    if by_lang is not None and type(o) is Literal:
                        col = by_lang.get(o.language or "")
                        if col is not None:
                            v = o.value
                            row = cells.get(s)
                            if row is None:
                                cells[s] = {col: v}
                            elif row.setdefault(col, v) != v:
                                clashes.append((s, p, col, v))
                            continue
                    elif p in link_preds and type(o) is NamedNode:
                        links.append((s, p, o.value))
                        continue
                    other.setdefault(s, []).append((p, o))
                elif p == type_iri:
                    o = q.object
                    if type(o) is NamedNode and (o.value.startswith(pg_ns) or o.value == rdf_statement):
                        subj = q.subject
                        s = subj.value if type(subj) is NamedNode else "_:" + subj.value
                        types.setdefault(s, []).append(o.value)
                elif p == _MODIFIED:
                    if type(q.object) is Literal and re.fullmatch(r"\d{4}-\d{2}-\d{2}", q.object.value):
                        facts.modified = q.object.value
                elif p in stmt_preds:
                    subj = q.subject
                    s = subj.value if type(subj) is NamedNode else "_:" + subj.value
                    statement.setdefault(s, {})[p] = q.object
            break
        except SyntaxError as exc:
            facts.syntax.append(_syntax_problem(file, exc))
            if len(facts.syntax) >= _MAX_SYNTAX_ERRORS:
                break
        except OSError as exc:
            raise PapergraphError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        facts.prefixes = dict(parser.prefixes)
    except (AttributeError, ValueError):
        facts.prefixes = {}
    return facts


# ---------------------------------------------------------------- interpreting

def _short(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """An IRI as ``prefix:local`` when a prefix fits (the longest), else ``<iri>``."""
    best = max(((n, ns) for n, ns in prefixes.items() if ns and iri.startswith(ns)),
               key=lambda x: len(x[1]), default=None)
    if best and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.:-]*", iri[len(best[1]):]):
        return f"{best[0]}:{iri[len(best[1]):]}"
    return f"<{iri}>"


def _show(term, prefixes: dict[str, str] = PREFIXES) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return _short(term.value, prefixes)
    if isinstance(term, ox.Literal):
        return repr(term.value) + (f"@{term.language}" if term.language else "")
    return str(term)


class _Reader:
    """Turns :class:`_Facts` into :class:`Tables`, collecting issues."""

    def __init__(self, facts: _Facts):
        import pyoxigraph as ox

        self.f = facts
        self.NamedNode, self.Literal = ox.NamedNode, ox.Literal
        self.kind: dict[str, str] = {}
        self.rows: dict[str, dict[str, str]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, str]] = {}
        self.next_row: dict[str, str] = {}
        self.header: tuple[list[str] | None, list[str] | None] = (None, None)
        self.names = {**facts.prefixes, **PREFIXES}

    def issue(self, subject, predicate, message, needle: str | None = None) -> None:
        """Record a problem about ``subject`` (and ``predicate``; ``needle`` is text to find on its line)."""
        self.f.issues.append((subject, predicate, message, needle))

    def short(self, iri: str) -> str:
        return _short(iri, self.names)

    def show(self, term) -> str:
        return _show(term, self.names)

    # -- classes
    def classify(self) -> None:
        f = self.f
        for s, classes in f.types.items():
            kinds = set()
            for c in classes:
                if c in _NODE_CLASSES:
                    kinds.add(KIND_OF_CLASS[c])
                elif c not in _OTHER_CLASSES and c != _RDF_STATEMENT:
                    what = "a property, not a class" if c in _PG_TERMS else "not in the papergraph vocabulary"
                    self.issue(s, _TYPE, f"unknown class {self.short(c)} ({what})")
            if len(kinds) > 1:
                self.issue(s, _TYPE, f"{self.short(s)} has more than one class: "
                                     + ", ".join(self.short(c) for c in sorted(set(classes))))
            elif kinds:
                self.kind[s] = kinds.pop()
        for s in sorted(f.subjects() - set(self.kind)):
            if s.startswith("_:"):
                self.issue(s, None, "a blank node has papergraph properties; nodes need IRIs")
            elif s not in f.types and s not in f.statement:
                self.issue(s, None, f"{self.short(s)} has papergraph properties but no class "
                                    f"(expected rdf:type pg:Paper, pg:Concept or pg:Stage)")

    # -- nodes
    def nodes(self) -> None:
        cells, other, clashes = self.f.cells, self.f.other, {}
        for s, p, col, v in self.f.clashes:
            clashes.setdefault(s, []).append((p, col, v))
        ids: dict[str, str] = {}
        for s, kind in self.kind.items():
            row = {"kind": kind}
            row.update(cells.get(s, ()))
            for p, col, v in clashes.get(s, ()):
                self.issue(s, p, f"two values for {col}: {row[col]!r} and {v!r}", needle=v)
            for p, o in other.get(s, ()):
                self.node_fact(s, row, p, o)
            if "id" not in row:
                row["id"] = local_id(s)
            if ids.setdefault(row["id"], s) != s:
                self.issue(s, pg.id, f"id {row['id']!r} is also the id of {self.short(ids[row['id']])}")
            if not row.get("label_en"):
                self.issue(s, None, f"{kind} {row['id']!r} has no English label "
                                    f"(pg:label \"…\"@en), which label_en needs")
            self.rows[s] = row

    def node_fact(self, s: str, row: dict, p: str, o) -> None:
        """A ``pg:`` fact the fast path did not take: judge it, keep what is right."""
        if p not in _PG_TERMS:
            self.issue(s, p, f"unknown property {self.short(p)} (not in the papergraph vocabulary)")
        elif p in _LINKS:
            self.issue(s, p, f"{self.short(p)} needs an IRI (a node), found {self.show(o)}")
        elif p == pg.extra:
            self.extra(s, row, o)
        elif p in _NODE_LITERALS:
            col = self.column(s, p, o, "node")
            if col:
                self.put(s, p, row, col, o.value)
        else:
            self.issue(s, p, f"{self.short(p)} is not a property of a node")

    def column(self, s: str, p: str, o, table: str) -> str | None:
        """The column a literal of ``p`` fills, judged by its language tag."""
        if type(o) is self.NamedNode:
            if p == pg.url:
                return "url"
            self.issue(s, p, f"{self.short(p)} needs a literal, found an IRI {self.show(o)}")
            return None
        if type(o) is not self.Literal:
            self.issue(s, p, f"{self.short(p)} needs a literal, found a blank node")
            return None
        lang = (o.language or "").split("-")[0].lower()
        col = COLUMN_OF[table].get((p, lang)) or COLUMN_OF[table].get((p, ""))
        if col is None:
            if p in _LANG_ONLY and not lang:
                self.issue(s, p, f"{self.short(p)} needs a language tag, @en or @zh: {self.show(o)}")
            else:
                self.issue(s, p, f"{self.short(p)} has no column for language @{o.language}: {self.show(o)}")
        return col

    def put(self, s: str, p: str, row: dict, col: str, value: str) -> None:
        if row.setdefault(col, value) != value:
            self.issue(s, p, f"two values for {col}: {row[col]!r} and {value!r}", needle=value)

    def extra(self, s: str, row: dict, o) -> None:
        if type(o) is not self.Literal or "=" not in o.value:
            self.issue(s, pg.extra, f"pg:extra needs a literal \"column=value\", found {self.show(o)}")
            return
        name, value = o.value.split("=", 1)
        name = name.replace("%3D", "=").replace("%3d", "=").replace("%25", "%")
        if not name or name in schema.NODE_COLUMNS or name in schema.EDGE_COLUMNS:
            self.issue(s, pg.extra, f"pg:extra cannot hold the column {name!r}: {self.show(o)}")
            return
        self.put(s, pg.extra, row, name, value)

    # -- edges
    def links(self) -> None:
        kind, edges, next_row = self.kind, self.edges, self.next_row
        relation_of, next_pred = _RELATION_OF, pg.nextRow
        for s, p, t in self.f.links:
            if s not in kind:
                continue  # reported by classify
            if p == next_pred:
                if next_row.setdefault(s, t) != t:
                    self.issue(s, p, f"{self.short(s)} has more than one pg:nextRow")
            elif t in kind:
                edges.setdefault((s, relation_of[p], t), {})
            else:
                self.issue(s, p, f"the target {self.short(t)} of {self.short(p)} is not a node of the graph "
                                 f"(it has no class pg:Paper, pg:Concept or pg:Stage)")

    def statements(self) -> None:
        f = self.f
        for e, parts in f.statement.items():
            facts = [(p, o) for p, o in f.other.get(e, ())]
            cells = f.cells.get(e, {})
            pred = parts.get(rdf.predicate)
            rel = _RELATION_OF.get(pred.value) if type(pred) is self.NamedNode else None
            if rel is None:
                if facts or cells:
                    self.issue(e, rdf.predicate, "an edge statement needs rdf:predicate, a papergraph relation")
                continue
            ends = [parts.get(rdf.subject), parts.get(rdf.object)]
            if any(type(x) is not self.NamedNode for x in ends):
                self.issue(e, None, "an edge statement needs IRIs as rdf:subject and rdf:object")
                continue
            key = (ends[0].value, rel, ends[1].value)
            if key not in self.edges:
                self.issue(e, None, f"the statement describes an edge that is not in the graph: "
                                    f"{self.short(key[0])} {self.short(pred.value)} {self.short(key[2])}")
                continue
            row = self.edges[key]
            for col, v in cells.items():
                if col in schema.EDGE_COLUMNS:
                    row[col] = v
                else:
                    self.issue(e, NODE_TERMS[col].predicate if col in NODE_TERMS else None,
                               f"{col} is not a column of edges.csv")
            for s, p, col, v in f.clashes:
                if s == e:
                    self.issue(e, p, f"two values for {col}: {cells[col]!r} and {v!r}", needle=v)
            for p, o in facts:
                if p == pg.extra:
                    self.extra(e, row, o)
                elif p in _EDGE_LITERALS:
                    col = self.column(e, p, o, "edge")
                    if col:
                        self.put(e, p, row, col, o.value)
                else:
                    self.issue(e, p, f"{self.short(p)} is not a property of an edge statement")

    # -- the dataset
    def dataset(self) -> None:
        heads: list[list[str] | None] = [None, None]
        for s, classes in self.f.types.items():
            if pg.Dataset not in classes:
                continue
            for p, o in self.f.other.get(s, ()):
                if p in _DATASET_PROPS and type(o) is self.Literal:
                    cells = next(csv.reader([o.value]), [])
                    heads[0 if p == pg.nodeColumns else 1] = [c.strip() for c in cells]
                elif p not in _DATASET_PROPS:
                    self.issue(s, p, f"{self.short(p)} is not a property of pg:Dataset")
                else:
                    self.issue(s, p, f"{self.short(p)} needs a literal, found {self.show(o)}")
            for col in self.f.cells.get(s, ()):
                self.issue(s, None, f"{col} is not a property of pg:Dataset")
        self.header = (heads[0], heads[1])

    # -- order
    def order(self) -> list[str]:
        """Subjects of the nodes in row order, following ``pg:nextRow``."""
        nodes = self.kind
        before: dict[str, str] = {}
        for a, b in self.next_row.items():
            if b not in nodes:
                self.issue(a, pg.nextRow, f"pg:nextRow points to {self.short(b)}, which is not a node")
            elif b in before:
                self.issue(a, pg.nextRow, f"{self.short(b)} follows two rows: {self.short(before[b])} and {self.short(a)}")
            else:
                before[b] = a
        key = lambda s: (_KIND_ORDER.get(nodes[s], 99), self.rows[s]["id"])
        heads = sorted((s for s in nodes if s not in before), key=key)
        out, seen = [], set()
        for h in heads:
            x = h
            while x is not None and x in nodes and x not in seen:
                seen.add(x)
                out.append(x)
                x = self.next_row.get(x)
        out += sorted((s for s in nodes if s not in seen), key=key)
        return out

    def tables(self) -> Tables:
        self.classify()
        self.nodes()
        self.links()
        self.statements()
        self.dataset()
        order = self.order()
        row_of = {s: i for i, s in enumerate(order)}
        rows = [self.rows[s] for s in order]
        node_cols = _columns(self.header[0], schema.REQUIRED_NODE_COLUMNS, schema.NODE_COLUMNS, rows)
        edges = sorted(self.edges.items(), key=lambda kv: (row_of[kv[0][0]], _REL_ORDER[kv[0][1]],
                                                           row_of[kv[0][2]]))
        erows = [{"source": self.rows[s]["id"], "target": self.rows[t]["id"], "relation": rel, **cells}
                 for (s, rel, t), cells in edges]
        edge_cols = _columns(self.header[1], schema.REQUIRED_EDGE_COLUMNS, schema.EDGE_COLUMNS, erows)
        return Tables(node_cols, rows, edge_cols, erows, order, [s for (s, _, _), _ in edges])


def _columns(header, required, known, rows) -> list[str]:
    """The header row: the recorded one, then required columns, then those the rows fill."""
    used = set().union(*map(dict.keys, rows)) if rows else set()
    cols = list(header or [])
    cols = [c for c in required if c not in cols] + cols
    cols += [c for c in known if c in used and c not in cols]
    cols += sorted(c for c in used if c not in cols)
    return cols


# ---------------------------------------------------------------- locating problems

class _Locator:
    """Finds the line of the file where a node (and one of its properties) is written."""

    def __init__(self, path: Path, prefixes: dict[str, str]):
        try:
            self.text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            self.text = ""
        found = dict(re.findall(r"(?im)^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", self.text))
        self.prefixes = {**found, **prefixes}
        self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]  # offset of each line
        self._subject: dict[str, int] = {}
        self._at: dict[tuple, int] = {}
        self._cursor: dict[tuple, int] = {}

    def forms(self, iri: str) -> list[str]:
        out = [f"<{iri}>", f'"{iri}"']
        for name, ns in self.prefixes.items():
            if ns and iri.startswith(ns) and len(iri) > len(ns):
                out.append(f"{name}:{iri[len(ns):]}")
        return out

    def find(self, iri: str, start: int = 0) -> int:
        best = -1
        for form in self.forms(iri):
            i = self.text.find(form, start)
            while i >= 0:
                end = i + len(form)
                before_ok = i == 0 or not (self.text[i - 1].isalnum() or self.text[i - 1] in "_:-")
                after_ok = end >= len(self.text) or not (self.text[end].isalnum() or self.text[end] in "_:-")
                if before_ok and after_ok:
                    break
                i = self.text.find(form, i + 1)
            if i >= 0 and (best < 0 or i < best):
                best = i
        return best

    def line(self, subject: str, predicate: str | None = None, needle: str | None = None) -> int:
        """The line of ``subject`` (then of ``predicate`` after it, then of ``needle``), or 0.

        Linear over many problems about one subject (a subject with 40k
        labels): where a subject and a predicate are is found once, each
        needle is looked for from where the last one of that subject and
        predicate was found, and lines are counted by bisection.
        """
        if not self.text or subject.startswith("_:"):
            return 0
        key = (subject, predicate)
        at = self._at.get(key)
        if at is None:
            at = self._find_once(subject)
            if at >= 0 and predicate and predicate != _TYPE:
                here = self.find(predicate, at)
                if here >= 0:
                    at = here
            self._at[key] = at
        if at < 0:
            return 0
        if needle:
            start = self._cursor.get(key, at)
            here = self.text.find(needle, start)
            if here < 0 and start != at:
                here = self.text.find(needle, at)
            if here >= 0:
                self._cursor[key] = here + 1
                at = here
        return bisect.bisect_right(self._starts, at)

    def _find_once(self, iri: str) -> int:
        got = self._subject.get(iri)
        if got is None:
            got = self._subject[iri] = self.find(iri)
        return got


# ---------------------------------------------------------------- checking with the loader

def _loader_problems(tables: Tables, file: str, locator: _Locator, skip: set[str]) -> list[Problem]:
    """Problems papergraph's loader finds in the rows, located in the RDF file."""
    from ..load import Table, validate

    ntable = Table(Path("nodes.csv"), tables.node_columns,
                   [[r.get(c, "") for c in tables.node_columns] for r in tables.nodes],
                   list(range(2, len(tables.nodes) + 2)))
    etable = Table(Path("edges.csv"), tables.edge_columns,
                   [[r.get(c, "") for c in tables.edge_columns] for r in tables.edges],
                   list(range(2, len(tables.edges) + 2)))
    _, _, found = validate(ntable, etable)
    subject_of = {"nodes.csv": tables.node_iris, "edges.csv": tables.edge_iris}
    out = []
    for p in found:
        subjects = subject_of.get(p.file, [])
        subject = subjects[p.line - 2] if 2 <= p.line < len(subjects) + 2 else None
        if subject in skip:
            continue

        def relocate(m, subjects=subjects):
            n = int(m.group(1))
            if 2 <= n < len(subjects) + 2:
                return f"line {locator.line(subjects[n - 2]) or '?'}"
            return m.group(0)

        msg = re.sub(r"\bline (\d+)", relocate, p.message)
        out.append(Problem(file, locator.line(subject) if subject else 0, msg))
    return out


def _control_issues(tables: Tables, facts: _Facts) -> None:
    """Literals holding a control character other than tab and newline, as the loader words them."""
    from ..load import control_message
    from ..textout import CONTROL

    for rows, iris in ((tables.nodes, tables.node_iris), (tables.edges, tables.edge_iris)):
        for row, iri in zip(rows, iris):
            for col, value in row.items():
                if CONTROL.search(value):
                    facts.issues.append((iri, None, control_message(f"column {col!r}", value), None))


# ---------------------------------------------------------------- public

def read_rdf(path, fmt: str | None = None, *, check: bool = True) -> Tables:
    """Read an export back into CSV rows.

    Parameters
    ----------
    path : path
        A Turtle, N-Triples, JSON-LD or RDF/XML file.
    fmt : str, optional
        One of :data:`FORMATS`; default: from the extension.
    check : bool
        Also run papergraph's loader checks on the rows (cycles, relation
        kinds, values), so that the CSV files load.

    Returns
    -------
    Tables

    Raises
    ------
    DataError
        With every problem found, each as ``FILE:LINE: message``.
    PapergraphError
        When the file cannot be read or its format cannot be told.
    """
    path = Path(path)
    file = str(path)
    fmt = detect_format(path, fmt)
    from ..cache import gc_paused

    with gc_paused():  # millions of small objects, none of them garbage: see papergraph.cache
        facts = _parse(path, fmt, file)
        reader = _Reader(facts)
        tables = reader.tables()
        if not facts.syntax:
            _control_issues(tables, facts)
        tables.modified = facts.modified
        problems = list(facts.syntax)
        if facts.issues or (check and not facts.syntax):
            locator = _Locator(path, facts.prefixes)
            problems += [Problem(file, locator.line(s, p, needle), msg) for s, p, msg, needle in facts.issues]
            if check and not facts.syntax:
                skip = {issue[0] for issue in facts.issues}
                problems += _loader_problems(tables, file, locator, skip)
    if problems:
        raise DataError(sorted(set(problems)))
    return tables


def import_rdf(path, out_dir, fmt: str | None = None, *, check: bool = True) -> Tables:
    """Read an export and write ``nodes.csv`` and ``edges.csv`` into ``out_dir``.

    Nothing is written unless the whole file reads without a problem. Both
    files are first written in full to temporary files beside their targets,
    then renamed into place, so a reader never sees half a file and an
    error leaves the old files as they were. ``check`` is passed to
    :func:`read_rdf`.

    Raises
    ------
    DataError, PapergraphError
        As :func:`read_rdf`; also when ``out_dir`` cannot be written.
    """
    tables = read_rdf(path, fmt, check=check)
    if not tables.nodes:
        raise DataError([Problem(str(path), 0, "no papergraph nodes found (nothing typed pg:Paper, pg:Concept, "
                                               "pg:Stage, …); nothing written")])
    out = Path(out_dir)
    _write_into(out, {"nodes.csv": tables.nodes_csv(), "edges.csv": tables.edges_csv()})
    _restore_modified(out, tables.modified)
    return tables


def _restore_modified(out: Path, modified: str | None) -> None:
    """Date the written files as the export's ``dcterms:modified``, so that exporting them again gives the same bytes."""
    if not modified:
        return
    import datetime
    import os

    try:
        stamp = datetime.datetime.strptime(modified, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp()
        for name in ("nodes.csv", "edges.csv"):
            os.utime(out / name, (stamp, stamp))
    except (ValueError, OSError):
        pass  # the files are written; only their date could not be set


def _write_into(out: Path, files: dict[str, str]) -> None:
    """Write ``files`` into ``out`` all or none; a directory made for them is removed again on failure."""
    from ..files import WriteError, check_target, write_all

    made: list[Path] = []
    try:
        for target in files:
            if out.is_dir():
                check_target(out / target)
        missing = out
        while not missing.exists() and not missing.is_symlink() and missing != missing.parent:
            made.append(missing)
            missing = missing.parent
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"cannot write into {out}: {exc.strerror or exc}") from None
        write_all({out / name: text for name, text in files.items()})
    except BaseException:
        for d in made:  # deepest first
            try:
                d.rmdir()
            except OSError:
                break
        raise
