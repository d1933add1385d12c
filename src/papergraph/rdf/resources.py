"""The data files shipped with :mod:`papergraph.rdf`: ontology, shapes, example queries.

They are read with :mod:`importlib.resources`, so they work from a wheel too.

Examples
--------
>>> "pg:Paper a owl:Class" in read_text("ontology.ttl")
True
>>> sorted(example_queries())
['background-concepts', 'concepts-of-stage', 'papers-by-year', 'prerequisites']
"""

from __future__ import annotations

from importlib import resources

__all__ = ["example_queries", "oxigraph_term", "read_text", "read_triples"]

_PACKAGE = "papergraph.rdf"


def read_text(name: str) -> str:
    """The text of a shipped file, e.g. ``"shapes.ttl"`` or ``"queries/papers-by-year.rq"``."""
    node = resources.files(_PACKAGE)
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


def example_queries() -> dict[str, str]:
    """``{name: SPARQL text}`` of the shipped example queries (``queries/*.rq``)."""
    folder = resources.files(_PACKAGE).joinpath("queries")
    return {f.name[:-3]: f.read_text(encoding="utf-8")
            for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".rq")}


def oxigraph_term(term) -> str:
    """A pyoxigraph term in N-Triples syntax, as :mod:`papergraph.rdf.serialize` writes it.

    >>> import pyoxigraph as ox
    >>> oxigraph_term(ox.Literal("注意", language="zh")), oxigraph_term(ox.NamedNode("http://a"))
    ('"注意"@zh', '<http://a>')
    """
    import pyoxigraph as ox

    from .serialize import literal

    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language:
            return literal(term.value, lang=term.language)
        dt = term.datatype.value
        return literal(term.value, datatype="" if dt == _XSD_STRING else dt)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise TypeError(f"unsupported RDF term {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def read_triples(name: str):
    """A shipped Turtle file as :class:`~papergraph.rdf.serialize.Triples`."""
    import pyoxigraph as ox

    from .serialize import Triples

    out = Triples()
    for t in ox.parse(read_text(name).encode("utf-8"), format=ox.RdfFormat.TURTLE):
        out.add(t.subject.value, t.predicate.value, oxigraph_term(t.object))
    return out
