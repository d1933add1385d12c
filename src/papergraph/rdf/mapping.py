"""How each CSV column and each relation maps to RDF terms, both ways.

The tables here are the only place that pairs a column or a relation of
:mod:`papergraph.schema` with a term of :mod:`papergraph.rdf.namespace`;
the exporter and the importer both read them.

Examples
--------
>>> from papergraph.rdf.namespace import pg
>>> NODE_TERMS["label_zh"].predicate == pg.label, NODE_TERMS["label_zh"].lang
(True, 'zh')
>>> relation_term("requires", "concept") == pg.prerequisite
True
>>> RELATION_OF[pg.requiresConcept]
'requires'
>>> node_iri("https://ex.org/", "paper", "attention")
'https://ex.org/paper/attention'
>>> edge_iri("https://ex.org/", "dit", "builds_on", "ldm")
'https://ex.org/edge/dit:builds_on:ldm'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from .. import schema
from ..errors import PapergraphError
from .namespace import PG, SCHEMA, SKOS, XSD

__all__ = [
    "COLUMN_OF",
    "DATATYPES",
    "EDGE_TERMS",
    "IRI_VALUED",
    "KIND_CLASS",
    "KIND_OF_CLASS",
    "LIST_JOIN",
    "NODE_TERMS",
    "RELATION_OF",
    "RELATION_TERMS",
    "STANDARD_CLASS",
    "Term",
    "UnmappedError",
    "edge_iri",
    "local_id",
    "node_iri",
    "relation_term",
]

#: How list cells (``aliases``, ``authors``) are joined into one literal.
LIST_JOIN = schema.LIST_SEPARATOR + " "


@dataclass(frozen=True)
class Term:
    """The RDF form of one column: a predicate, and a language tag or a datatype."""

    column: str
    predicate: str
    lang: str = ""
    datatype: str = ""


#: Datatype of each :class:`papergraph.schema.Column` type; others are plain strings.
DATATYPES = {
    "int": str(XSD.integer),
    "year": str(XSD.integer),
    "month": str(XSD.gYearMonth),
    "url": str(XSD.anyURI),
}

_NODE = {
    "id": (PG.id, ""),
    "label_en": (PG.label, "en"),
    "label_zh": (PG.label, "zh"),
    "aliases": (PG.aliases, ""),
    "title": (PG.title, ""),
    "authors": (PG.authors, ""),
    "year": (PG.year, ""),
    "date": (PG.date, ""),
    "venue": (PG.venue, ""),
    "venue_year": (PG.venueYear, ""),
    "arxiv": (PG.arxivId, ""),
    "doi": (PG.doi, ""),
    "url": (PG.url, ""),
    "order": (PG.order, ""),
    "weeks_min": (PG.weeksMin, ""),
    "weeks_max": (PG.weeksMax, ""),
    "guide_no": (PG.guideNo, ""),
    "guide_year": (PG.guideYear, ""),
    "flag": (PG.flag, ""),
    "description_en": (PG.description, "en"),
    "description_zh": (PG.description, "zh"),
    "note": (PG.note, "en"),
    "note_zh": (PG.note, "zh"),
}

_EDGE = {
    "note": (PG.note, "en"),
    "note_zh": (PG.note, "zh"),
}


def _terms(table: dict, columns: dict) -> dict[str, Term]:
    out = {}
    for col, (pred, lang) in table.items():
        spec = columns.get(col)
        datatype = DATATYPES.get(spec.type, "") if spec is not None else ""
        out[col] = Term(col, str(pred), lang, datatype)
    return out


#: Node columns with a term of their own; any other column becomes ``pg:extra``.
NODE_TERMS: dict[str, Term] = _terms(_NODE, schema.NODE_COLUMNS)
#: Edge columns with a term of their own (on the edge's statement).
EDGE_TERMS: dict[str, Term] = _terms(_EDGE, schema.EDGE_COLUMNS)

#: ``(predicate IRI, language tag) -> column`` for node and for edge literals.
COLUMN_OF = {
    "node": {(t.predicate, t.lang): c for c, t in NODE_TERMS.items()},
    "edge": {(t.predicate, t.lang): c for c, t in EDGE_TERMS.items()},
}

#: The project class of each node kind.
KIND_CLASS = {"paper": str(PG.Paper), "concept": str(PG.Concept), "stage": str(PG.Stage),
              "tool": str(PG.Tool), "question": str(PG.Question)}
KIND_OF_CLASS = {v: k for k, v in KIND_CLASS.items()}

#: The standard class written beside the project class.
STANDARD_CLASS = {
    "paper": str(SCHEMA.ScholarlyArticle),
    "concept": str(SKOS.Concept),
    "stage": str(SCHEMA.Course),
    "tool": str(SCHEMA.SoftwareApplication),
    "question": str(SCHEMA.Question),
}

#: ``relation -> {source kind: predicate}``: ``requires`` reads differently from a concept.
RELATION_TERMS: dict[str, dict[str, str]] = {
    "in_stage": {"paper": str(PG.inStage), "question": str(PG.inStage)},
    "introduces": {"paper": str(PG.introduces)},
    "presents": {"paper": str(PG.presents)},
    "uses": {"paper": str(PG.uses), "concept": str(PG.uses)},
    "requires": {"paper": str(PG.requiresConcept), "concept": str(PG.prerequisite)},
    "builds_on": {"paper": str(PG.buildsOn)},
    "cites": {"paper": str(PG.cites)},
    "related_to": {"concept": str(PG.relatedTo)},
    "precedes": {"stage": str(PG.precedes)},
    "practises_with": {"stage": str(PG.practisesWith)},
    "demonstrates": {"tool": str(PG.demonstrates)},
    "asks_about": {"question": str(PG.asksAbout)},
}

#: ``predicate IRI -> relation``.
RELATION_OF = {p: rel for rel, by_kind in RELATION_TERMS.items() for p in by_kind.values()}

#: Project predicates whose objects are nodes (IRIs), not literals.
IRI_VALUED = frozenset(RELATION_OF) | {str(PG.nextRow)}

_SAFE = "-._~"
_SAFE_ID = re.compile(r"[A-Za-z0-9._~-]+")


class UnmappedError(PapergraphError):
    """A kind or relation of the schema has no RDF term."""


def relation_term(relation: str, source_kind: str) -> str:
    """The predicate of an edge of ``relation`` leaving a node of ``source_kind``.

    Raises
    ------
    UnmappedError
        When the relation (or its use from that kind) has no term.
    """
    try:
        return RELATION_TERMS[relation][source_kind]
    except KeyError:
        raise UnmappedError(f"relation {relation!r} from a {source_kind} has no RDF term") from None


def node_iri(base: str, kind: str, node_id: str) -> str:
    """The IRI of a node: ``BASE<kind>/<id>``, the id percent-encoded where needed."""
    node_id = str(node_id)
    return f"{base}{kind}/{node_id if _SAFE_ID.fullmatch(node_id) else quote(node_id, safe=_SAFE)}"


def edge_iri(base: str, source: str, relation: str, target: str) -> str:
    """The IRI of an edge's statement (ids cannot hold ``:``, so it is unambiguous)."""
    s, t = str(source), str(target)
    s = s if _SAFE_ID.fullmatch(s) else quote(s, safe=_SAFE)
    t = t if _SAFE_ID.fullmatch(t) else quote(t, safe=_SAFE)
    return f"{base}edge/{s}:{relation}:{t}"


def local_id(iri: str) -> str:
    """The last path segment of an IRI, percent-decoded: a node id for foreign data.

    >>> local_id("https://ex.org/paper/a%20b")
    'a b'
    """
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return unquote(iri[cut + 1:])

