"""RDF for papergraph: export, import, SHACL validation and SPARQL.

The modules import rdflib, pyoxigraph and pySHACL themselves; importing this
package alone imports none of them, so the command line can read the
constants below without paying for those libraries.

:mod:`~papergraph.rdf.namespace`
    the closed vocabularies (``pg:`` and the standard terms written);
:mod:`~papergraph.rdf.mapping`
    which RDF term each CSV column and relation becomes;
:mod:`~papergraph.rdf.serialize`
    sorted N-Triples and Turtle writers;
:mod:`~papergraph.rdf.export`, :mod:`~papergraph.rdf.importer`
    graph → RDF (and GraphML, GEXF, node-link JSON), RDF → CSV;
:mod:`~papergraph.rdf.shacl`, :mod:`~papergraph.rdf.sparql`
    validation against ``shapes.ttl``; read-only, offline SPARQL.

Example
-------
>>> import networkx as nx
>>> from papergraph.rdf.export import export_text
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", kind="paper", label_en="A")
>>> "paper:a a pg:Paper, schema:ScholarlyArticle ;" in export_text(G, "ttl")
True
"""

__all__ = ["DEFAULT_BASE", "EXPORT_FORMATS", "IMPORT_FORMATS", "QUERY_FORMATS"]

#: Where the export's nodes live unless ``--base`` says otherwise.
DEFAULT_BASE = "https://w3id.org/papergraph/"
#: ``papergraph export --format``: RDF through papergraph and rdflib, the rest through NetworkX.
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "xml", "graphml", "gexf", "json")
#: ``papergraph import --format`` and ``papergraph shacl --format``.
IMPORT_FORMATS = ("ttl", "nt", "jsonld", "xml")
#: ``papergraph query --format``.
QUERY_FORMATS = ("table", "json", "csv")
