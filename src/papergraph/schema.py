"""What a papergraph may contain: node kinds, columns and typed relations.

This module is the single source of truth for the data model. The loader,
the queries, the RDF exporter, the map and the CLI all read these tables;
none of them spells a kind or a relation out again.

Examples
--------
>>> RELATIONS["requires"].allows("paper", "concept")
True
>>> RELATIONS["cites"].allows("concept", "paper")
False
>>> sorted(KINDS)
['concept', 'paper', 'question', 'stage', 'tool']
>>> RELATIONS["builds_on"].order
'target-first'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

__all__ = [
    "Column",
    "NodeKind",
    "Relation",
    "NODE_COLUMNS",
    "EDGE_COLUMNS",
    "REQUIRED_NODE_COLUMNS",
    "REQUIRED_EDGE_COLUMNS",
    "KINDS",
    "RELATIONS",
    "FLAGS",
    "ORDER_RELATIONS",
    "SCHEMA_VERSION",
    "MIN_YEAR",
    "max_year",
    "LIST_SEPARATOR",
    "NODES_FILE",
    "EDGES_FILE",
]

#: The two files of a graph's directory.
NODES_FILE = "nodes.csv"
EDGES_FILE = "edges.csv"

#: Bumped whenever the meaning of the data changes; part of the cache key.
SCHEMA_VERSION = 2

#: Separator inside list-valued cells (``aliases``, ``authors``).
LIST_SEPARATOR = ";"

#: Earliest plausible publication year.
MIN_YEAR = 1900


def max_year() -> int:
    """The latest plausible publication year: next year."""
    return _dt.date.today().year + 1


@dataclass(frozen=True)
class Column:
    """A column of ``nodes.csv`` or ``edges.csv``.

    ``type`` is one of ``text``, ``int``, ``year``, ``month`` (``YYYY-MM``),
    ``list`` (``;``-separated), ``url``, ``arxiv`` or ``flag``.
    """

    name: str
    type: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class NodeKind:
    """A kind of node, with the columns a complete row of that kind fills."""

    name: str
    label_en: str
    label_zh: str
    description: str
    #: Columns a curated (``--strict``) row of this kind must fill.
    recommended: tuple[str, ...] = ()
    #: Columns every row of this kind must fill, strict or not.
    required: tuple[str, ...] = ()
    #: (relation, target kind) pairs of which every row needs at least one edge.
    required_edges: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Relation:
    """A typed, directed relation between two kinds of node.

    Attributes
    ----------
    pairs
        The (source kind, target kind) pairs the relation may join.
    order
        How the relation constrains a reading order: ``"source-first"`` (the
        source is read before the target), ``"target-first"`` (the target is
        read first) or ``None`` (it does not constrain the order).
    back_in_time
        The target must not be newer than the source (citations).
    """

    name: str
    pairs: frozenset[tuple[str, str]]
    label_en: str
    label_zh: str
    description: str
    order: str | None = None
    #: Reading of the edge from target to source ("introduced by").
    inverse_en: str = ""
    inverse_zh: str = ""
    symmetric: bool = False
    back_in_time: bool = False
    #: At most one edge of this relation may leave a node.
    single: bool = False
    #: The target is a component the source uses: learnable from any source, so the paper that
    #: introduces it is recommended, never required (see papergraph.core).
    component: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    def allows(self, source_kind: str, target_kind: str) -> bool:
        """Whether this relation may join a ``source_kind`` to a ``target_kind``."""
        return (source_kind, target_kind) in self.pairs


NODE_COLUMNS: dict[str, Column] = {
    c.name: c
    for c in [
        Column("id", "text", "Stable identifier: lower-case kebab-case slug.", True),
        Column("kind", "text", "One of the node kinds.", True),
        Column("label_en", "text", "Short English name.", True),
        Column("label_zh", "text", "Short Chinese name."),
        Column("aliases", "list", "Other names a reader may type, separated by ';'."),
        Column("title", "text", "Paper: canonical full title."),
        Column("authors", "list", "Paper: authors, separated by ';'."),
        Column("year", "year", "Paper: year of the first public version."),
        Column("date", "month", "Paper: month of the first public version, YYYY-MM."),
        Column("venue", "text", "Paper: where it was published."),
        Column("venue_year", "year", "Paper: year of the venue, where it differs."),
        Column("arxiv", "arxiv", "Paper: arXiv identifier without version."),
        Column("doi", "text", "Paper: DOI, without the resolver prefix."),
        Column("url", "url", "Paper: abstract page, DOI link or the essay's page."),
        Column("order", "int", "Stage: its position. Paper: its place in the guide's listing."),
        Column("weeks_min", "int", "Stage: suggested weeks, lower bound."),
        Column("weeks_max", "int", "Stage: suggested weeks, upper bound."),
        Column("guide_no", "text", "Paper: the number the guide prints for it."),
        Column("guide_year", "year", "Paper: the year the guide gives, where it differs."),
        Column("flag", "flag", "'off-topic' or 'doubtful' where the guide's entry is not what it claims."),
        Column("description_en", "text", "Paper: summary. Concept: definition. Stage: goal. (English)"),
        Column("description_zh", "text", "The same in Chinese."),
        Column("note", "text", "Curator's note (English)."),
        Column("note_zh", "text", "Curator's note (Chinese)."),
    ]
}

EDGE_COLUMNS: dict[str, Column] = {
    c.name: c
    for c in [
        Column("source", "text", "Id of the source node.", True),
        Column("target", "text", "Id of the target node.", True),
        Column("relation", "text", "One of the relations.", True),
        Column("note", "text", "Why the edge holds (English)."),
        Column("note_zh", "text", "Why the edge holds (Chinese)."),
    ]
}

REQUIRED_NODE_COLUMNS = tuple(n for n, c in NODE_COLUMNS.items() if c.required)
REQUIRED_EDGE_COLUMNS = tuple(n for n, c in EDGE_COLUMNS.items() if c.required)

#: Allowed values of the ``flag`` column (empty means no flag).
FLAGS = ("off-topic", "doubtful")

KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in [
        NodeKind(
            "paper", "Paper", "论文",
            "A paper (or essay) that the curriculum asks a learner to read.",
            ("label_zh", "title", "authors", "year", "url", "description_en", "description_zh"),
        ),
        NodeKind(
            "concept", "Concept", "概念",
            "An idea a learner needs; introduced by a paper, or background knowledge.",
            ("label_zh", "description_en", "description_zh"),
        ),
        NodeKind(
            "stage", "Stage", "阶段",
            "A stage of the learning path, with a goal and suggested weeks.",
            ("label_zh", "order", "weeks_min", "weeks_max", "description_en", "description_zh"),
        ),
        NodeKind(
            "tool", "Tool", "工具",
            "A library or application a stage recommends for hands-on practice.",
            ("label_zh", "description_en", "description_zh"),
            required=("url",),
        ),
        NodeKind(
            "question", "Self-check question", "自测问题",
            "A question a learner should be able to answer before leaving a stage; "
            "label_en and label_zh hold its text.",
            ("label_zh",),
            required_edges=(("asks_about", "concept"), ("in_stage", "stage")),
        ),
    ]
}

_P, _C, _S, _T, _Q = "paper", "concept", "stage", "tool", "question"

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in [
        Relation("in_stage", frozenset({(_P, _S), (_Q, _S)}), "in stage", "属于阶段",
                 "The paper is read (or the question answered) in this stage.", single=True,
                 inverse_en="has paper", inverse_zh="包含论文"),
        Relation("introduces", frozenset({(_P, _C)}), "introduces", "提出",
                 "The paper introduces the concept (the learner meets it there first).",
                 order="source-first", inverse_en="introduced by", inverse_zh="提出于"),
        Relation("presents", frozenset({(_P, _C)}), "presents", "首次介绍",
                 "The concept is older than the paper, but the guide's reader first meets it here "
                 "(the original source is not in the graph): for reading order it counts as introduced here.",
                 order="source-first", inverse_en="first met in", inverse_zh="首见于"),
        Relation("requires", frozenset({(_P, _C), (_C, _C)}), "requires", "需要",
                 "The source cannot be understood without the target concept: the paper that introduces "
                 "it must be read first (transitively).",
                 order="target-first", inverse_en="required by", inverse_zh="被需要于"),
        Relation("uses", frozenset({(_P, _C), (_C, _C)}), "uses", "用到",
                 "The source uses the target as a building block that can be learned from any textbook: "
                 "the paper that introduces it is recommended, not required, and nothing is inherited "
                 "through it.",
                 component=True, inverse_en="used by", inverse_zh="被用于"),
        Relation("builds_on", frozenset({(_P, _P)}), "builds on", "基于",
                 "The paper directly extends the target paper.",
                 order="target-first", back_in_time=True, inverse_en="extended by", inverse_zh="被扩展于"),
        Relation("cites", frozenset({(_P, _P)}), "cites", "引用",
                 "The paper cites the target paper in its references.",
                 back_in_time=True, inverse_en="cited by", inverse_zh="被引用于"),
        Relation("related_to", frozenset({(_C, _C)}), "related to", "相关",
                 "The concepts are associated, without either being needed first.",
                 symmetric=True, inverse_en="related to", inverse_zh="相关"),
        Relation("precedes", frozenset({(_S, _S)}), "precedes", "先于",
                 "The stage comes before the target stage in the guide.",
                 order="source-first", inverse_en="follows", inverse_zh="后于"),
        Relation("practises_with", frozenset({(_S, _T)}), "practise with", "动手练习",
                 "Learners practise this stage with the tool.",
                 inverse_en="practised in", inverse_zh="练习于"),
        Relation("demonstrates", frozenset({(_T, _C)}), "lets you try", "可动手体验",
                 "The tool lets a learner try the concept hands-on.",
                 inverse_en="tried with", inverse_zh="可用其体验"),
        Relation("asks_about", frozenset({(_Q, _C), (_Q, _P)}), "asks about", "考查",
                 "The self-check question tests understanding of the concept or paper.",
                 inverse_en="asked about by", inverse_zh="被考查于"),
    ]
}

#: Relations that constrain a reading order.
ORDER_RELATIONS = tuple(name for name, r in RELATIONS.items() if r.order)
