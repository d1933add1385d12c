"""Export a papergraph as RDF (Turtle, N-Triples, JSON-LD, RDF/XML) or for Gephi.

The canonical facts use the project vocabulary (:class:`~papergraph.rdf.namespace.PG`);
beside them the exporter writes the standard triples most consumers look
for (schema.org, SKOS, Dublin Core, CiTO), since few of them run inference.
See :mod:`papergraph.rdf.mapping` for the column and relation tables.

What makes the RDF lossless, so that :mod:`papergraph.rdf.importer` gives
back the same CSV rows:

* every non-empty cell becomes one canonical triple (list cells one literal,
  in order; unknown columns ``pg:extra "column=value"``);
* each node points to the node of the next CSV row (``pg:nextRow``), which
  keeps the file's order and changes one triple when a row is inserted;
* an edge with a note (or any other edge cell) gets an ``rdf:Statement``
  with an IRI of its own, carrying those cells;
* ``data:dataset`` records both CSV header rows, so an empty column stays a
  column.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("attn", kind="concept", label_en="Attention", label_zh="注意力", row=0)
>>> print(export_text(G, "ttl", base="https://ex.org/").split("\\n\\n")[1])
concept:attn a pg:Concept, skos:Concept ;
    pg:id "attn" ;
    pg:label "Attention"@en ;
    pg:label "注意力"@zh ;
    rdfs:label "Attention"@en ;
    rdfs:label "注意力"@zh ;
    skos:inScheme data:concepts ;
    skos:prefLabel "Attention"@en ;
    skos:prefLabel "注意力"@zh .
"""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote, urlsplit

from .. import schema
from ..errors import PapergraphError
from . import EXPORT_FORMATS
from .mapping import (
    EDGE_TERMS,
    KIND_CLASS,
    LIST_JOIN,
    NODE_TERMS,
    RELATION_TERMS,
    STANDARD_CLASS,
    edge_iri,
    node_iri,
    relation_term,
)
from .namespace import (
    DEFAULT_BASE,
    all_prefixes,
    check_base,
    cito,
    dcat,
    dcterms,
    pg,
    rdf,
    rdfs,
    sdo,
    skos,
    void,
    xsd,
)
from .serialize import Triples, escape, literal, needs_escape, to_ntriples, to_turtle

__all__ = [
    "FORMATS",
    "NX_FORMATS",
    "RDF_FORMATS",
    "ExportError",
    "csv_columns",
    "default_columns",
    "escape_column",
    "export_text",
    "graph_triples",
    "ontology_triples",
    "to_rdflib",
]

#: Formats written as RDF.
RDF_FORMATS = ("ttl", "nt", "jsonld", "xml")
#: Formats written through NetworkX, for Gephi and Cytoscape.
NX_FORMATS = ("graphml", "gexf", "json")
#: Every format :func:`export_text` writes.
FORMATS = EXPORT_FORMATS

_TYPE = rdf.type
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_SUB = "!$&'()*+,;=-._~"  # unreserved and sub-delims of RFC 3986
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[A-Za-z0-9._~!$&'()*+,;=:%-]*@)?"
                  r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]*)(?::[0-9]*)?"
                  r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?(?:\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?"
                  r"(?:#[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_INTERNAL = ("kind", "row", "id")
_EDGE_INTERNAL = ("relation", "source", "target", "key")


class ExportError(PapergraphError):
    """The graph cannot be written as asked."""


def escape_column(name: str) -> str:
    """A column name as written before ``=`` in a ``pg:extra`` literal.

    >>> escape_column("a=b%")
    'a%3Db%25'
    """
    return name.replace("%", "%25").replace("=", "%3D")


def _cell(value) -> str:
    """A graph attribute as the text of its CSV cell."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_JOIN.join(str(v) for v in value)
    return str(value)


def _items(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [v if type(v) is str else str(v) for v in value if v != ""]
    return [p.strip() for p in str(value).split(schema.LIST_SEPARATOR) if p.strip()]


def _lang(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


def _web_iri(url: str) -> str | None:
    """A URL as an IRI that every parser accepts (ASCII, valid escapes), or ``None`` if it cannot be.

    The canonical ``pg:url`` literal keeps the URL exactly as given; this
    IRI is only for the standard ``schema:url`` triple.

    >>> _web_iri("https://example.org/a b/中?q=[1]#x#y")
    'https://example.org/a%20b/%E4%B8%AD?q=%5B1%5D#x%23y'
    >>> _web_iri("https://例子.org/") , _web_iri("http://a:80x/")
    ('https://xn--fsqu00a.org/', None)
    """
    if _URI.fullmatch(url) and not _BAD_PERCENT.search(url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname.encode("idna").decode("ascii") if parts.hostname else ""
        port = f":{parts.port}" if parts.port is not None else ""
    except (ValueError, UnicodeError):
        return None
    user = f"{quote(parts.username or '', safe=_SUB)}@" if parts.username else ""

    def part(text, safe):
        return quote(_BAD_PERCENT.sub("%25", text), safe=safe)

    out = f"{parts.scheme}://{user}{host}{port}{part(parts.path, _SUB + ':@/%')}"
    if parts.query or url.count("?"):
        out += "?" + part(parts.query, _SUB + ":@/?%")
    if parts.fragment:
        out += "#" + part(parts.fragment, _SUB + ":@/?%")
    return out if _URI.fullmatch(out) and not _BAD_PERCENT.search(out) else None


def _doi_iri(doi: str) -> str:
    """The resolver IRI of a DOI, every character an IRI path cannot hold escaped.

    >>> _doi_iri("10.1002/(SICI)1097-4571<x>%")
    'https://doi.org/10.1002/(SICI)1097-4571%3Cx%3E%25'
    """
    return "https://doi.org/" + quote(doi, safe=_SUB + ":@/")


def _ordered_nodes(G) -> list:
    """Nodes in CSV row order (the ``row`` attribute, else insertion order)."""
    nodes = list(G.nodes)
    rows = G.nodes(data="row")
    if all(isinstance(r, int) for _, r in rows):
        nodes.sort(key=lambda n: rows[n])
    return nodes


def default_columns(G) -> tuple[list[str], list[str]]:
    """The CSV columns a graph has: required first, then schema order, then others.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="paper", label_en="A", homepage="h", year=2017)
    >>> default_columns(G)[0]
    ['id', 'kind', 'label_en', 'year', 'homepage']
    """
    node_keys = _keys(d for _, d in G.nodes(data=True))
    edge_keys = _keys(d for _, nbrs in G.adjacency() for keys in nbrs.values() for d in keys.values())
    return (_order(node_keys, schema.REQUIRED_NODE_COLUMNS, schema.NODE_COLUMNS, _INTERNAL),
            _order(edge_keys, schema.REQUIRED_EDGE_COLUMNS, schema.EDGE_COLUMNS, _EDGE_INTERNAL))


def _keys(dicts) -> dict[str, None]:
    """Every key of ``dicts``, in order of first appearance."""
    seen: dict[str, None] = {}
    for d in dicts:
        if not d.keys() <= seen.keys():
            seen.update(dict.fromkeys(d))
    return seen


def _order(seen, required, known, internal) -> list[str]:
    cols = list(required)
    cols += [c for c in known if c in seen and c not in cols]
    cols += [c for c in seen if c not in cols and c not in internal]
    return cols


def _merge(header: list[str] | None, used: list[str]) -> list[str]:
    if not header:
        return used
    return list(header) + [c for c in used if c not in header]


def csv_columns(data_dir) -> tuple[list[str], list[str]] | None:
    """The header rows of ``nodes.csv`` and ``edges.csv`` in ``data_dir``, or ``None``.

    Only the first non-blank row of each file is read.
    """
    out = []
    for name in ("nodes.csv", "edges.csv"):
        try:
            with open(Path(data_dir) / name, encoding="utf-8-sig", newline="") as fh:
                header = next((row for row in csv.reader(fh) if any(c.strip() for c in row)), None)
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
        if header is None:
            return None
        out.append([c.strip() for c in header])
    return out[0], out[1]


def _csv_line(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


_LABELS = {"label_en": (rdfs.label,), "label_zh": (rdfs.label,)}
_DESCRIPTIONS = {"description_en": (sdo.description,), "description_zh": (sdo.description,)}
#: ``kind -> column -> standard predicates`` that restate the canonical literal as it is.
_RESTATE = {
    "paper": {**_LABELS, **_DESCRIPTIONS, "title": (sdo.name,)},
    "concept": {"label_en": (rdfs.label, skos.prefLabel), "label_zh": (rdfs.label, skos.prefLabel),
                "description_en": (skos.definition,), "description_zh": (skos.definition,)},
    "stage": {"label_en": (rdfs.label, sdo.name), "label_zh": (rdfs.label, sdo.name), **_DESCRIPTIONS,
              "order": (sdo.position,)},
    "tool": {"label_en": (rdfs.label, sdo.name), "label_zh": (rdfs.label, sdo.name), **_DESCRIPTIONS},
    "question": {"label_en": (rdfs.label, sdo.text), "label_zh": (rdfs.label, sdo.text), **_DESCRIPTIONS},
}

_FWD, _BACK = True, False
#: ``(relation, source kind) -> [(standard predicate, forward?)]``, after the canonical triple.
_EDGE_STANDARD = {
    ("in_stage", "paper"): [(sdo.isPartOf, _FWD)],
    ("in_stage", "question"): [(sdo.isPartOf, _FWD)],
    ("introduces", "paper"): [(sdo.teaches, _FWD)],
    ("requires", "paper"): [(dcterms.requires, _FWD), (sdo.competencyRequired, _FWD)],
    ("requires", "concept"): [(dcterms.requires, _FWD)],
    ("builds_on", "paper"): [(cito.extends, _FWD)],
    ("cites", "paper"): [(cito.cites, _FWD)],
    ("related_to", "concept"): [(skos.related, _FWD), (skos.related, _BACK)],
    ("precedes", "stage"): [(sdo.coursePrerequisites, _BACK)],
    ("asks_about", "question"): [(sdo.about, _FWD)],
}
_EXTRA = ("extra",)
_DATE = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class _Spelling:
    """How the writer spells predicates, IRIs and typed literals: N-Triples or Turtle.

    Everything here is computed once per export, so that the loops over
    nodes and edges only look things up and join strings.
    """

    def __init__(self, triples: Triples):
        c = triples.compactor
        self.turtle = c is not None
        self.p = c.name if c else (lambda iri: f"<{iri}>")   # a predicate or IRI, as written
        self.o = c.term if c else (lambda nt: nt)            # an N-Triples object, as written
        self.type = "a" if c else f"<{_TYPE}>"
        self.classes = {k: self.types([KIND_CLASS[k], STANDARD_CLASS[k]]) for k in KIND_CLASS}
        self.plans = {kind: self.plan(kind) for kind in KIND_CLASS}
        self.edge = {(rel, kind): [(self.p(pred), _FWD)]
                     + [(self.p(q), fwd) for q, fwd in _EDGE_STANDARD.get((rel, kind), ())]
                     for rel, by_kind in RELATION_TERMS.items() for kind, pred in by_kind.items()}

    def types(self, classes) -> list[str]:
        """The ``rdf:type`` pairs of a subject: one line in Turtle, one a class in N-Triples."""
        if self.turtle:
            return [f"a {', '.join(self.p(c) for c in classes)}"]
        return [f"{self.type} <{c}>" for c in classes]

    def suffix(self, lang: str, datatype: str):
        """What follows a quoted literal; ``None`` where Turtle writes a bare integer."""
        if lang:
            return "@" + lang
        if not datatype:
            return ""
        if self.turtle and datatype == xsd.integer:
            return None
        return "^^" + self.p(datatype)

    def typed(self, lexical: str, datatype: str) -> str:
        """A typed literal (``lexical`` needs no escaping)."""
        suffix = self.suffix("", datatype)
        return lexical if suffix is None and _INTEGER.fullmatch(lexical) else f'"{lexical}"^^{self.p(datatype)}'

    def plan(self, kind: str) -> dict:
        """``column -> (predicate, suffix, restating predicates, special)``; ``None`` for non-cells."""
        restate = _RESTATE.get(kind, {**_LABELS, **_DESCRIPTIONS})
        special = {"aliases": self.aliases, "authors": self.authors, "arxiv": self.arxiv,
                   "doi": self.doi, "url": self.url}
        out = {col: (self.p(t.predicate), self.suffix(t.lang, t.datatype),
                     tuple(self.p(q) for q in restate.get(col, ())), special.get(col))
               for col, t in NODE_TERMS.items()}
        out.update(dict.fromkeys(_INTERNAL))
        return out

    def aliases(self, value, text):
        p = self.p(skos.altLabel)
        return [f"{p} {literal(a, lang=_lang(a))}" for a in dict.fromkeys(_items(value))]

    def authors(self, value, text):
        p = self.p(sdo.author)
        return [f"{p} {literal(a)}" for a in dict.fromkeys(_items(value))]

    def arxiv(self, value, text):
        return [f"{self.p(sdo.sameAs)} <https://arxiv.org/abs/{quote(text, safe=_SUB + ':@/')}>"]

    def doi(self, value, text):
        return [f"{self.p(sdo.sameAs)} <{_doi_iri(text)}>"]

    def url(self, value, text):
        iri = _web_iri(text)
        return [f"{self.p(sdo.url)} <{iri}>"] if iri else []


class _Writer:
    """Turns one graph into :class:`~papergraph.rdf.serialize.Triples`.

    Built for speed on large graphs: each node's triples go straight into
    its own list as entries already spelt for the output syntax (whole
    N-Triples lines, or Turtle ``"predicate object"`` pairs), and a literal
    is formatted once and shared by the triples that restate it.
    """

    def __init__(self, G, base: str, out: Triples):
        self.G = G
        self.base = base
        self.out = out
        self.sp = _Spelling(out)
        self.iri: dict = {}      # node -> IRI
        self.ref: dict = {}      # node -> the IRI as written in an object
        self.head: dict = {}     # node -> what starts each of its entries
        self.tail = out.tail     # what ends every entry
        self.kind: dict = {}
        self.data: dict = dict(G.nodes(data=True))

    def entries(self, subject: str, pairs) -> list[str]:
        """``"predicate object"`` pairs as entries of ``subject`` (see :class:`Triples`)."""
        head, tail = self.out.head(subject), self.tail
        return [f"{head}{x}{tail}" for x in pairs]

    def node_iris(self, nodes) -> None:
        data, o, head = self.data, self.sp.o, self.out.head
        nodes = list(nodes)
        # a stage is named by its number where it has one (…/stage/3), else by its id; when two stages
        # would get the same name that way (a stage "4" beside the stage numbered 4), every stage is named by id
        stages = [n for n in nodes if data[n].get("kind") == "stage"]
        named = [str(data[n].get("order", n)) for n in stages]
        by_number = len(set(named)) == len(named)
        for n in nodes:
            kind = data[n].get("kind")
            if kind not in KIND_CLASS:
                raise ExportError(f"node {n!r} has kind {kind!r}; expected one of: {', '.join(KIND_CLASS)}")
            self.kind[n] = kind
            local = data[n].get("order", n) if kind == "stage" and by_number else n
            s = self.iri[n] = node_iri(self.base, kind, local)
            self.ref[n] = o(f"<{s}>")
            self.head[n] = head(s)

    def nodes(self, nodes) -> None:
        by_subject, data_of, kind_of, iri_of = self.out.by_subject, self.data, self.kind, self.iri
        sp = self.sp
        esc, needs, cell, integer = escape, needs_escape, _cell, _INTEGER.fullmatch
        extra, pg_id, classes, plans, heads, t = sp.p(pg.extra), sp.p(pg.id), sp.classes, sp.plans, self.head, self.tail
        for n in nodes:
            data, kind, s, h = data_of[n], kind_of[n], iri_of[n], heads[n]
            po = by_subject.setdefault(s, [])
            ap = po.append
            po.extend([f"{h}{x}{t}" for x in classes[kind]])
            ap(f'{h}{pg_id} "{n if type(n) is str and not needs(n) else escape(str(n))}"{t}')
            plan = plans[kind]
            for col, value in data.items():
                step = plan.get(col, _EXTRA)
                if step is None:
                    continue
                text = value if type(value) is str else cell(value)
                if not text:
                    continue
                if step is _EXTRA:
                    ap(f"{h}{extra} {literal(f'{escape_column(str(col))}={text}')}{t}")
                    continue
                pred, suffix, restate, special = step
                if suffix is None:
                    lit = text if integer(text) else f'"{esc(text)}"^^{sp.p(xsd.integer)}'
                else:
                    lit = f'"{esc(text) if needs(text) else text}"{suffix}'
                ap(f"{h}{pred} {lit}{t}")
                for p in restate:
                    ap(f"{h}{p} {lit}{t}")
                if special is not None:
                    po.extend([f"{h}{x}{t}" for x in special(value, text)])
            po.extend(self.entries(s, self.node_extra(s, kind, data)))

    def node_extra(self, s: str, kind: str, data: dict) -> list[str]:
        """The pairs of a node that restate more than one cell, or none."""
        p = self.sp.p
        if kind == "paper":
            date, year = data.get("date", ""), data.get("year", "")
            date = date if type(date) is str else _cell(date)
            year = str(year) if type(year) is int else _cell(year)
            if _DATE.fullmatch(date):
                return [f"{p(sdo.datePublished)} {self.sp.typed(date, xsd.gYearMonth)}"]
            if _YEAR.fullmatch(year):
                return [f"{p(sdo.datePublished)} {self.sp.typed(year, xsd.gYear)}"]
        elif kind == "concept":
            return [f"{p(skos.inScheme)} {p(self.base + 'concepts')}"]
        elif kind == "stage":
            self.out.add(self.base + "curriculum", sdo.hasPart, f"<{s}>")
            return [f"{p(sdo.isPartOf)} {p(self.base + 'curriculum')}"]
        return []

    def rows(self, nodes) -> None:
        """``pg:nextRow`` from each node to the node of the next CSV row."""
        by_subject, iri_of, ref, next_row = self.out.by_subject, self.iri, self.ref, self.sp.p(pg.nextRow)
        heads, t = self.head, self.tail
        for a, b in pairwise(nodes):
            by_subject[iri_of[a]].append(f"{heads[a]}{next_row} {ref[b]}{t}")

    def edges(self) -> None:
        by_subject, iri_of, ref, kind_of = self.out.by_subject, self.iri, self.ref, self.kind
        table, heads, t = self.sp.edge, self.head, self.tail
        for u, nbrs in self.G.adjacency():
            if not nbrs:
                continue
            po = by_subject[iri_of[u]]
            ku, h = kind_of[u], heads[u]
            for v, keys in nbrs.items():
                for key, data in keys.items():
                    rel = data.get("relation", key)
                    try:
                        triples = table[rel, ku]
                        o = ref[v]
                    except KeyError:
                        raise self.bad_edge(u, v, rel) from None
                    for p, forward in triples:
                        if forward:
                            po.append(f"{h}{p} {o}{t}")
                        else:
                            by_subject[iri_of[v]].append(f"{heads[v]}{p} {ref[u]}{t}")
                    if len(data) > 1:
                        self.statement(u, v, rel, data)

    def bad_edge(self, u, v, rel) -> ExportError:
        if u not in self.iri or v not in self.iri:
            return ExportError(f"edge {u!r} {rel} {v!r} joins a node that is not in the graph")
        if rel not in schema.RELATIONS:
            return ExportError(f"edge {u!r} {rel!r} {v!r} has an unknown relation")
        return ExportError(f"relation {rel!r} cannot leave a {self.kind[u]} ({u!r} {rel} {v!r})")

    def statement(self, u, v, rel: str, data: dict) -> None:
        """An ``rdf:Statement`` for an edge that has cells (notes, extra columns)."""
        cells = [(k, x if type(x) is str else _cell(x)) for k, x in data.items() if k not in _EDGE_INTERNAL]
        cells = [(k, x) for k, x in cells if x]
        if not cells:
            return
        p = self.sp.p
        pairs = self.sp.types([rdf.Statement]) + [
            f"{p(rdf.subject)} {self.ref[u]}",
            f"{p(rdf.predicate)} {p(relation_term(rel, self.kind[u]))}",
            f"{p(rdf.object)} {self.ref[v]}",
        ]
        for col, text in cells:
            term = EDGE_TERMS.get(col)
            if term is None:
                pairs.append(f"{p(pg.extra)} {literal(f'{escape_column(str(col))}={text}')}")
            else:
                pairs.append(f"{p(term.predicate)} {literal(text, term.lang, term.datatype)}")
        e = edge_iri(self.base, u, rel, v)
        self.out.by_subject.setdefault(e, []).extend(self.entries(e, pairs))

    def resources(self, columns) -> None:
        base, types, p = self.base, self.sp.types, self.sp.p
        kinds = set(self.kind.values())
        if "concept" in kinds:
            self.put(base + "concepts", types([skos.ConceptScheme]) + [
                f"{p(skos.prefLabel)} {literal('Concepts', lang='en')}",
                f"{p(skos.prefLabel)} {literal(schema.KINDS['concept'].label_zh, lang='zh')}"])
        if "stage" in kinds:
            self.put(base + "curriculum", types([sdo.Course]) + [
                f"{p(sdo.name)} {literal('Curriculum', lang='en')}",
                f"{p(sdo.name)} {literal('学习路线', lang='zh')}"])
        self.put(base + "dataset", types([pg.Dataset, sdo.Dataset, void.Dataset, dcat.Dataset]) + [
            f"{p(pg.nodeColumns)} {literal(_csv_line(columns[0]))}",
            f"{p(pg.edgeColumns)} {literal(_csv_line(columns[1]))}"])

    def describe(self, endpoint: str | None, modified: str | None, version: str | None) -> None:
        """The VoID / DCAT description of the dataset, on the same subject as its columns.

        Only standard terms (``dcterms:``, ``void:``, ``dcat:``), which the
        importer leaves aside; ``void:triples`` counts every triple of the
        export, this description included, the ontology (``--with-ontology``) not.
        """
        p, typed, s = self.sp.p, self.sp.typed, self.base + "dataset"
        first = {}
        for n, kind in self.kind.items():
            first.setdefault(kind, n)
        pairs = [
            f"{p(dcterms.title)} {literal('papergraph dataset', lang='en')}",
            f"{p(dcterms.title)} {literal('papergraph 数据集', lang='zh')}",
            f"{p(dcterms.creator)} {literal(DATASET_CREATOR)}",
            f"{p(dcterms.license)} {p(DATASET_LICENSE)}",
            f"{p(dcterms.conformsTo)} {p(ONTOLOGY_VERSION)}",
            f"{p(void.vocabulary)} {p(str(pg.Paper).rsplit('#', 1)[0] + '#')}",
            f"{p(void.uriSpace)} {literal(self.base)}",
            f"{p(void.entities)} {typed(str(len(self.kind)), xsd.integer)}",
        ] + [f"{p(void.exampleResource)} {self.ref[first[k]]}" for k in ("paper", "concept", "stage") if k in first]
        if modified:
            pairs.append(f"{p(dcterms.modified)} {typed(modified, xsd.date)}")
        if version:
            pairs.append(f"{p(dcat.version)} {literal(version)}")
        if endpoint:
            pairs.append(f"{p(void.sparqlEndpoint)} {p(endpoint)}")
        count = _triple_count(self.out) + len(set(pairs)) + 1
        pairs.append(f"{p(void.triples)} {typed(str(count), xsd.integer)}")
        self.put(s, pairs)

    def put(self, subject: str, pairs: list[str]) -> None:
        """Add ``"predicate object"`` pairs about ``subject``."""
        self.out.by_subject.setdefault(subject, []).extend(self.entries(subject, pairs))


def graph_triples(G, base: str = DEFAULT_BASE, *, columns=None, turtle: bool = False,
                  endpoint: str | None = None, describe: bool = True) -> Triples:
    """The triples of a papergraph: canonical facts and standard restatements.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`papergraph.load.load_graph` (nodes with ``kind``;
        edges keyed by relation).
    base : str
        Prefix of the node IRIs (``BASE paper/<id>``, ``concept/<id>``, ``stage/<n>``).
    columns : (list of str, list of str), optional
        The header rows of ``nodes.csv`` and ``edges.csv``, so that columns
        without any value survive a round trip (see :func:`csv_columns`).
        Columns the graph fills but the headers lack are added.
    turtle : bool
        Spell the triples for :func:`~papergraph.rdf.serialize.to_turtle`
        (prefixed names, with the prefixes of ``base``) instead of N-Triples.
    endpoint : str, optional
        A SPARQL endpoint serving the data, for the description (``void:sparqlEndpoint``).
    describe : bool
        Add the VoID / DCAT description of the dataset (:func:`dataset_facts`).

    Returns
    -------
    Triples

    Raises
    ------
    ExportError
        When a node's kind or an edge's relation has no RDF term.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="paper", label_en="A", year=2017)
    >>> t = graph_triples(G, "https://ex.org/")
    >>> ('https://ex.org/paper/a', pg.year, '"2017"^^<http://www.w3.org/2001/XMLSchema#integer>') in set(t)
    True
    """
    base = check_base(base)
    w = _Writer(G, base, Triples(all_prefixes(base) if turtle else None))
    nodes = _ordered_nodes(G)
    w.node_iris(nodes)
    w.nodes(nodes)
    w.rows(nodes)
    w.edges()
    used = default_columns(G)
    if columns is None:
        columns = G.graph.get("columns")
    columns = (_merge(columns[0], used[0]), _merge(columns[1], used[1])) if columns else used
    w.resources(columns)
    if describe:
        w.describe(endpoint, *dataset_facts(G))
    return w.out


def _triple_count(out: Triples) -> int:
    """How many triples ``out`` holds; in Turtle one ``a C1, C2`` entry is one triple a class."""
    if not out.turtle:
        return len(out)
    return sum(e.count(", ") + 1 if e.startswith("a ") else 1
               for entries in out.by_subject.values() for e in set(entries))


#: Who made the data and under which licence (the dataset description and the ontology say the same).
DATASET_CREATOR = "papergraph contributors"
DATASET_LICENSE = "https://spdx.org/licenses/MIT"
#: The ontology version the export conforms to (``owl:versionIRI`` in ontology.ttl).
ONTOLOGY_VERSION = "https://w3id.org/papergraph/ns/2"


def dataset_facts(G) -> tuple[str | None, str | None]:
    """``(modified, version)`` of the graph's data files, for the dataset description.

    ``modified`` is ``SOURCE_DATE_EPOCH`` as a UTC date when set (reproducible
    builds), else the UTC date of the newer of ``nodes.csv`` and ``edges.csv``;
    the data is versioned by that date (``dcat:version``), and the ontology
    it conforms to by its version IRI. Both are ``None`` for a graph that was
    not read from files. ``papergraph import`` dates the files it writes by
    the export's ``dcterms:modified``, so CSV → RDF → CSV → RDF gives the same bytes.
    """
    import datetime
    import os

    data_dir = G.graph.get("data_dir")
    if not data_dir:
        return None, None
    try:
        newest = max((Path(data_dir) / name).stat().st_mtime for name in ("nodes.csv", "edges.csv"))
    except OSError:
        return None, None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    stamp = int(epoch) if epoch.strip().isdigit() else newest
    modified = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%d")
    return modified, modified


def ontology_triples() -> Triples:
    """The shipped ontology (``ontology.ttl``) as :class:`Triples`."""
    from .resources import read_triples

    return read_triples("ontology.ttl")


def to_rdflib(triples: Triples, base: str = DEFAULT_BASE):
    """An :class:`rdflib.Graph` of ``triples``, with the export's prefixes bound."""
    from rdflib import Graph

    g = Graph(bind_namespaces="core")
    g.parse(data=to_ntriples(triples), format="nt")
    for name, ns in all_prefixes(check_base(base)).items():
        g.bind(name, ns, override=True, replace=True)
    return g


def _flat(G):
    """A copy of ``G`` for GraphML and GEXF: no list values, unique edge ids, a ``label``."""
    import networkx as nx

    H = nx.MultiDiGraph()
    for n in _ordered_nodes(G):
        d = {k: (";".join(str(x) for x in v) if isinstance(v, (list, tuple)) else v)
             for k, v in G.nodes[n].items() if v is not None}
        d.setdefault("label", d.get("label_en", str(n)))
        H.add_node(n, **d)
    for u, v, key, d in G.edges(keys=True, data=True):
        rel = d.get("relation", key)
        H.add_edge(u, v, key=f"{u}:{rel}:{v}", **{k: x for k, x in d.items() if x is not None})
    return H


def _networkx_text(G, fmt: str) -> str:
    import networkx as nx

    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat(G), prettyprint=True)) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(_flat(G), prettyprint=True)) + "\n"
    H = G.copy()
    H.graph.clear()
    data = nx.node_link_data(H, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export_text(G, fmt: str = "ttl", *, base: str = DEFAULT_BASE, with_ontology: bool = False,
                columns=None, endpoint: str | None = None) -> str:
    """The graph as text in ``fmt`` (one of :data:`FORMATS`).

    ``ttl`` and ``nt`` are written by papergraph's own sorted writers (the
    same graph gives the same bytes); ``jsonld`` and ``xml`` by rdflib;
    ``graphml``, ``gexf`` and ``json`` (node-link) by NetworkX, with list
    cells joined by ``;`` where the format has no lists.

    Raises
    ------
    ExportError
        For an unknown format, or a graph that cannot be written.
    """
    if fmt in NX_FORMATS:
        return _networkx_text(G, fmt)
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    base = check_base(base)
    triples = graph_triples(G, base, columns=columns, turtle=fmt == "ttl", endpoint=endpoint)
    if with_ontology:
        triples.update(ontology_triples())
    if fmt == "nt":
        return to_ntriples(triples)
    if fmt == "ttl":
        return to_turtle(triples)
    prefixes = all_prefixes(base)
    g = to_rdflib(triples, base)
    if fmt == "jsonld":
        return g.serialize(format="json-ld", context=prefixes, indent=2)
    return g.serialize(format="pretty-xml")
