"""Closed vocabularies: the project's terms, and the few standard terms it writes.

Every term papergraph writes comes from a :class:`rdflib.namespace.DefinedNamespace`
with ``_fail = True``, so a misspelt term raises instead of minting an IRI.

Examples
--------
>>> str(PG.Paper)
'https://w3id.org/papergraph/ns#Paper'
>>> PG.Papper
Traceback (most recent call last):
    ...
AttributeError: term 'Papper' not in namespace 'https://w3id.org/papergraph/ns#'
>>> PG.requiresConcept in PG
True
>>> check_base("https://example.org/graph")
'https://example.org/graph/'
"""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    RDF,
    RDFS,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)

from .. import schema
from ..errors import PapergraphError
from . import DEFAULT_BASE

__all__ = [
    "CITO",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "OWL",
    "PG",
    "PREFIXES",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "VOID",
    "XSD",
    "BadBaseError",
    "Terms",
    "all_prefixes",
    "check_base",
    "cito",
    "data_prefixes",
    "dcat",
    "dcterms",
    "pg",
    "pg_terms",
    "rdf",
    "rdfs",
    "sdo",
    "skos",
    "void",
    "xsd",
]



class PG(DefinedNamespace):
    """The papergraph ontology (``pg:``); described in ``ontology.ttl``."""

    _fail = True
    _NS = Namespace("https://w3id.org/papergraph/ns#")

    # classes
    Paper: URIRef
    Concept: URIRef
    Stage: URIRef
    Tool: URIRef
    Question: URIRef
    Dataset: URIRef
    # node columns
    id: URIRef
    label: URIRef
    aliases: URIRef
    title: URIRef
    authors: URIRef
    year: URIRef
    date: URIRef
    venue: URIRef
    venueYear: URIRef
    arxivId: URIRef
    doi: URIRef
    url: URIRef
    order: URIRef
    suggestedWeeks: URIRef
    weeksMin: URIRef
    weeksMax: URIRef
    guideNo: URIRef
    guideYear: URIRef
    flag: URIRef
    description: URIRef
    note: URIRef
    extra: URIRef
    nextRow: URIRef
    # relations
    inStage: URIRef
    introduces: URIRef
    presents: URIRef
    requires: URIRef
    uses: URIRef
    requiresConcept: URIRef
    prerequisite: URIRef
    buildsOn: URIRef
    cites: URIRef
    relatedTo: URIRef
    precedes: URIRef
    practisesWith: URIRef
    demonstrates: URIRef
    asksAbout: URIRef
    # the dataset's tables
    nodeColumns: URIRef
    edgeColumns: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms papergraph writes (rdflib's ``SDO`` is open; this is closed)."""

    _fail = True
    _NS = Namespace("https://schema.org/")

    ScholarlyArticle: URIRef
    Course: URIRef
    SoftwareApplication: URIRef
    Question: URIRef
    Dataset: URIRef
    name: URIRef
    author: URIRef
    datePublished: URIRef
    sameAs: URIRef
    url: URIRef
    description: URIRef
    teaches: URIRef
    competencyRequired: URIRef
    isPartOf: URIRef
    hasPart: URIRef
    position: URIRef
    coursePrerequisites: URIRef
    identifier: URIRef
    text: URIRef
    about: URIRef


class VOID(DefinedNamespace):
    """The terms of the Vocabulary of Interlinked Datasets that the dataset description uses."""

    _fail = True
    _NS = Namespace("http://rdfs.org/ns/void#")

    Dataset: URIRef
    triples: URIRef
    entities: URIRef
    exampleResource: URIRef
    sparqlEndpoint: URIRef
    uriSpace: URIRef
    vocabulary: URIRef


class DCAT(DefinedNamespace):
    """The terms of the Data Catalog Vocabulary that the dataset description uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/dcat#")

    Dataset: URIRef
    version: URIRef


class CITO(DefinedNamespace):
    """The Citation Typing Ontology terms papergraph writes."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/cito/")

    cites: URIRef
    extends: URIRef


#: The fixed prefixes of every export (the data prefixes are added per base).
PREFIXES: dict[str, str] = {
    "cito": str(CITO._NS),
    "dcat": str(DCAT._NS),
    "dcterms": str(DCTERMS._NS),
    "owl": str(OWL._NS),
    "pg": str(PG._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "schema": str(SCHEMA._NS),
    "skos": str(SKOS._NS),
    "void": str(VOID._NS),
    "xsd": str(XSD._NS),
}

_BASE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[!#-;=?-\[\]_a-z~]+$")


class BadBaseError(PapergraphError):
    """The ``--base`` IRI cannot prefix node IRIs."""

    exit_code = 2


def check_base(base: str) -> str:
    """Validate a base IRI; return it ending with ``/`` or ``#``.

    Parameters
    ----------
    base : str
        An absolute, ASCII IRI such as ``https://example.org/curriculum/``.

    Raises
    ------
    BadBaseError
        When ``base`` is not absolute, holds spaces, non-ASCII characters or
        characters that IRIs forbid (``<>"{}|^`\\``).

    Examples
    --------
    >>> check_base("https://example.org/g#")
    'https://example.org/g#'
    >>> check_base("http://例子.org/")
    Traceback (most recent call last):
        ...
    papergraph.rdf.namespace.BadBaseError: --base must be an absolute ASCII IRI such as https://example.org/graph/, got 'http://例子.org/'
    """
    if not isinstance(base, str) or not _BASE_RE.match(base):
        raise BadBaseError(f"--base must be an absolute ASCII IRI such as https://example.org/graph/, got {base!r}")
    return base if base.endswith(("/", "#")) else base + "/"


def data_prefixes(base: str) -> dict[str, str]:
    """The prefixes of the data IRIs minted under ``base``: one per node kind, ``edge:`` and ``data:``.

    >>> data_prefixes("https://ex.org/")["paper"]
    'https://ex.org/paper/'
    """
    out = {"data": base, "edge": base + "edge/"}
    out.update((kind, f"{base}{kind}/") for kind in schema.KINDS if kind not in PREFIXES and kind not in out)
    return out


def all_prefixes(base: str) -> dict[str, str]:
    """Fixed and data prefixes together, sorted by prefix name."""
    return dict(sorted({**PREFIXES, **data_prefixes(base)}.items()))


def pg_terms() -> list[str]:
    """Local names of every term of the project vocabulary, in declaration order.

    >>> pg_terms()[:3]
    ['Paper', 'Concept', 'Stage']
    """
    return [name for name in PG.__annotations__ if not name.startswith("_")]


class Terms:
    """A closed namespace whose terms are plain ``str`` IRIs, for fast string work.

    rdflib's :class:`~rdflib.term.URIRef` never equals a ``str``; the
    writers compare, hash and sort IRIs as plain strings, so they use these.
    Unknown names still raise :class:`AttributeError`.

    >>> pg.Paper, type(pg.Paper).__name__
    ('https://w3id.org/papergraph/ns#Paper', 'str')
    >>> sdo.nmae
    Traceback (most recent call last):
        ...
    AttributeError: term 'nmae' not in namespace 'https://schema.org/'
    """

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"Terms({str(self._namespace)!r})"


pg = Terms(PG)
sdo = Terms(SCHEMA)
cito = Terms(CITO)
skos = Terms(SKOS)
dcterms = Terms(DCTERMS)
rdf = Terms(RDF)
rdfs = Terms(RDFS)
xsd = Terms(XSD)
void = Terms(VOID)
dcat = Terms(DCAT)
