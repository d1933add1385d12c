"""Validate an export against the shipped SHACL shapes (``shapes.ttl``) with pySHACL.

The shapes require: a title, one stage and a date for every paper; an
English and a Chinese preferred label, unique per language, for every
concept; a position and suggested weeks for every stage; the right class at
both ends of every relation; and no concept among its own prerequisites.

Examples
--------
>>> import networkx as nx
>>> from papergraph.rdf.export import graph_triples, to_rdflib
>>> G = nx.MultiDiGraph()
>>> G.add_node("attn", kind="concept", label_en="Attention", row=0)
>>> for v in validate(to_rdflib(graph_triples(G))):
...     print(v)
concept:attn  skos:prefLabel  every concept has a Chinese preferred label (skos:prefLabel "…"@zh)
"""

from __future__ import annotations

from dataclasses import dataclass

from .namespace import DEFAULT_BASE, all_prefixes, check_base

__all__ = ["SHAPES_NS", "Violation", "shapes_graph", "validate"]

#: Namespace of the shipped shapes (``pgsh:``).
SHAPES_NS = "https://w3id.org/papergraph/shapes#"


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the node, the property path, the message (and the value)."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        return "  ".join(x for x in (self.focus, self.path, self.message) if x)

    def to_dict(self) -> dict:
        return {"focus": self.focus, "path": self.path, "message": self.message,
                "value": self.value, "severity": self.severity}


def shapes_graph():
    """The shipped shapes as an :class:`rdflib.Graph`."""
    from rdflib import Graph

    from .resources import read_text

    return Graph(bind_namespaces="core").parse(data=read_text("shapes.ttl"), format="turtle")


def _message(results, r, SH) -> str:
    msgs = list(results.objects(r, SH.resultMessage))
    english = [m for m in msgs if getattr(m, "language", None) in ("en", None)]
    return str(min(english or msgs)) if msgs else ""


def _path(results, path, show) -> str:
    """A result path as text: ``pg:title``, or ``pg:year|pg:date`` for an alternative path."""
    from rdflib import BNode
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    if path is None:
        return ""
    if not isinstance(path, BNode):
        return show(path)
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(show(p) for p in Collection(results, alternatives))
    return "(path)"


def validate(data_graph, base: str = DEFAULT_BASE) -> list[Violation]:
    """Every SHACL result for ``data_graph`` (an :class:`rdflib.Graph`), sorted.

    An empty list means the graph conforms. Nodes, paths and values are
    abbreviated with the export's prefixes.
    """
    import pyshacl
    from rdflib.namespace import SH

    from .serialize import Compactor

    _, results, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph(), inference="none",
                                     abort_on_first=False, allow_warnings=False, meta_shacl=False,
                                     advanced=False, debug=False)
    c = Compactor({**all_prefixes(check_base(base)), "pgsh": SHAPES_NS})

    def show(term) -> str:
        if term is None:
            return ""
        if hasattr(term, "language") or hasattr(term, "datatype"):
            return term.n3()
        text = str(term)
        return c.name(text) if "://" in text or text.startswith("urn:") else term.n3()

    out = set()
    for r in results.subjects(predicate=SH.resultSeverity):
        severity = results.value(r, SH.resultSeverity)
        out.add(Violation(
            focus=show(results.value(r, SH.focusNode)),
            path=_path(results, results.value(r, SH.resultPath), show),
            message=_message(results, r, SH),
            value=show(results.value(r, SH.value)),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "",
        ))
    return sorted(out)
