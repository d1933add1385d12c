"""papergraph: a bilingual knowledge graph of AI papers, concepts and learning stages.

The package is light to import: heavy libraries (pandas, rdflib, pyvis,
streamlit) are imported only by the functions that need them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
