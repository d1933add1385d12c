"""The RDF commands: ``export``, ``import``, ``shacl``, ``query`` and ``push``.

:mod:`papergraph.cli` registers :data:`COMMANDS`. rdflib, pyoxigraph and
pySHACL are imported inside the commands only, so that other commands start
fast.
"""

from __future__ import annotations

import os
import re
import sys

import click

from .cli_common import _dump, _load, data_option, json_option, write_output
from .errors import PapergraphError
from .rdf import DEFAULT_BASE, EXPORT_FORMATS, IMPORT_FORMATS, QUERY_FORMATS
from .status import busy

__all__ = ["COMMANDS", "export", "import_", "push", "query", "shacl"]


def _base_option(f):
    return click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="IRI",
                        help="Prefix of the node IRIs: IRI paper/<id>, concept/<id>, stage/<id>.")(f)


def _sparql_endpoint_option(f):
    return click.option("--sparql-endpoint", metavar="URL", default=None,
                        help="Name the SPARQL endpoint that serves this data in the dataset description "
                             "(void:sparqlEndpoint); nothing is contacted.")(f)


def _checked_endpoint(url):
    if url is None:
        return None
    from .rdf.remote import check_url
    from .rdf.sparql import _BAD_IRI

    if _BAD_IRI.search(url):
        raise PapergraphError(f"--sparql-endpoint: {url!r} is not a URL")
    return check_url(url)


def _columns(G):
    from .rdf.export import csv_columns

    data_dir = G.graph.get("data_dir")
    return csv_columns(data_dir) if data_dir else None


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl", show_default=True,
              help="RDF (ttl, nt, jsonld, xml) or, for Gephi and Cytoscape, graphml, gexf, json (node-link).")
@click.option("-o", "--output", type=click.Path(allow_dash=True), default=None,
              help="Write to this file (atomically; - for standard output, the default).")
@_base_option
@click.option("--with-ontology", is_flag=True, help="Include the papergraph ontology (RDF formats).")
@_sparql_endpoint_option
@data_option
def export(fmt, output, base, with_ontology, sparql_endpoint, data_dir):
    """Write the graph as RDF, GraphML, GEXF or node-link JSON.

    Turtle and N-Triples are sorted: the same graph gives the same bytes, and
    a change to the CSV files a small diff. `papergraph import` reads them
    back without loss. RDF exports end with a VoID/DCAT description of the
    dataset (licence, creator, version, modified date, triple count);
    SOURCE_DATE_EPOCH fixes its date for reproducible builds.

    \b
    Example:
        papergraph export --format ttl -o graph.ttl
        papergraph export --format jsonld --base https://example.org/ai/ --with-ontology
        papergraph export --format gexf -o graph.gexf
    """
    from .files import check_target
    from .rdf.export import export_text

    if output not in (None, "-"):
        check_target(output)  # before the work: a device, FIFO or directory is refused
    G = _load(data_dir)
    with busy(G, f"writing {fmt}"):
        text = export_text(G, fmt, base=base, with_ontology=with_ontology, columns=_columns(G),
                           endpoint=_checked_endpoint(sparql_endpoint))
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    write_output(output, text)
    click.echo(f"wrote {output} ({fmt})", err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Directory to write nodes.csv and edges.csv into (created if needed).")
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default=None,
              help="Format of FILE (default: from its extension).")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Also run papergraph's own validation on the rows (cycles, relation kinds, values).")
@json_option
def import_(file, out_dir, fmt, check, as_json):
    """Read an RDF export back into nodes.csv and edges.csv.

    Every problem is listed as FILE:LINE: message, and nothing is written
    unless the whole file reads; each CSV file is replaced atomically.

    \b
    Example:
        papergraph import graph.ttl -o my-curriculum/
        papergraph validate --data my-curriculum/
    """
    from .rdf.importer import import_rdf

    try:
        size = os.path.getsize(file)
    except OSError:
        size = 0  # import_rdf names the file it cannot read
    with busy(size, f"reading {click.format_filename(file)}"):
        tables = import_rdf(file, out_dir, fmt, check=check)
    if as_json:
        _dump({"nodes": len(tables.nodes), "edges": len(tables.edges), "directory": str(out_dir)})
        return
    click.echo(f"wrote {len(tables.nodes)} nodes and {len(tables.edges)} edges to "
               f"{click.format_filename(out_dir)}/nodes.csv and edges.csv")


@click.command("shacl")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default=None,
              help="Format of FILE (default: from its extension).")
@data_option
@json_option
def shacl(file, fmt, data_dir, as_json):
    """Validate an export (default: the current graph) against the SHACL shapes.

    Every paper needs a title, one stage and a date; every concept an English
    and a Chinese preferred label; every stage a position and weeks; relations
    must join the right classes; no concept may be its own prerequisite.
    Exit status: 0 conforms, 1 violations (each printed as node, path,
    message).

    \b
    Example:
        papergraph shacl
        papergraph shacl graph.ttl --json
    """
    from rdflib import Graph

    from .rdf.export import graph_triples, to_rdflib
    from .rdf.importer import read_ntriples
    from .rdf.shacl import validate

    if file:
        try:
            size = os.path.getsize(file)
        except OSError:
            size = 0
        with busy(size, f"reading {click.format_filename(file)}"):
            data = Graph(bind_namespaces="core").parse(data=read_ntriples(file, fmt), format="nt")
        where = file
    else:
        G = _load(data_dir)
        with busy(G, "building the RDF graph"):
            data = to_rdflib(graph_triples(G))
        where = G.graph.get("data_dir", "the graph")
    with busy(len(data) * 100, "checking the shapes"):  # about 100 bytes of Turtle a triple
        found = validate(data)
    if as_json:
        _dump({"conforms": not found, "violations": [v.to_dict() for v in found]})
    else:
        for v in found:
            click.echo(str(v))
        n = len(found)
        click.echo(f"{where}: conforms" if not n else f"{where}: {n} violation{'s' if n != 1 else ''}")
    sys.exit(1 if found else 0)


def _timeout_option(f):
    from .rdf.engine import DEFAULT_TIMEOUT

    return click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
                        envvar="PAPERGRAPH_QUERY_TIMEOUT", show_envvar=True,
                        help="Stop the work after this many seconds (the local engine is killed; "
                             "a remote connection is closed).")(f)


def _user_option(f):
    return click.option("--user", metavar="NAME", default=None,
                        help="HTTP basic authentication as NAME; the password is read from "
                             "PAPERGRAPH_ENDPOINT_PASSWORD (a bearer token from PAPERGRAPH_ENDPOINT_TOKEN).")(f)


@click.command("query")
@click.argument("sparql", required=False)
@click.option("--file", "qfile", type=click.Path(dir_okay=False, exists=True), help="Read the query from a .rq file.")
@click.option("--example", metavar="NAME",
              help="Run a shipped example: prerequisites, concepts-of-stage, papers-by-year, background-concepts.")
@click.option("--var", "bindings", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable), written into the query as a VALUES clause; "
                   "ids are strings, e.g. --var paper=dit.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table, or the W3C SPARQL results formats json and csv.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Run the query at this SPARQL 1.1 endpoint (e.g. http://localhost:7878/query) "
                   "instead of over the local graph.")
@_timeout_option
@_user_option
@data_option
def query(sparql, qfile, example, bindings, fmt, endpoint, timeout, user, data_dir):
    """Run a read-only SPARQL query over the graph, or at a SPARQL endpoint.

    The local graph is queried with Oxigraph in a child process that is
    killed at the time limit. The prefixes pg:, schema:, skos:, dcterms:,
    cito:, rdf:, rdfs:, xsd:, void:, dcat:, paper:, concept: and stage: are
    predeclared. SERVICE, FROM, LOAD and every update are refused before the
    query runs, locally and remotely; the network is used only with
    --endpoint. A syntax error is reported with its line and column.

    \b
    Example:
        papergraph query 'SELECT ?id ?year WHERE { ?p a pg:Paper ; pg:id ?id ; pg:year ?year } ORDER BY ?year'
        papergraph query --example prerequisites --var paper=dit
        papergraph query --file my-query.rq --format csv --timeout 10
        papergraph query --example prerequisites --var paper=dit --endpoint http://localhost:7878/query
    """
    from .rdf.engine import evaluate
    from .rdf.sparql import check_query, format_result, parse_binding, prepare, query_form

    if sum(x is not None for x in (sparql, qfile, example)) != 1:
        raise click.UsageError("give exactly one of SPARQL, --file or --example")
    text, source = _query_text(sparql, qfile, example)
    q = check_query(text, source)
    binds = dict(parse_binding(b) for b in bindings)
    prepared = prepare(text, q, binds, source)
    if endpoint is not None:
        from .rdf.remote import check_url, query_endpoint

        check_url(endpoint)
        with busy(1 << 30, f"asking {endpoint}"):
            result = query_endpoint(endpoint, prepared, query_form(q), timeout=timeout, user=user)
    else:
        from .cache import store_path

        view = _load(data_dir, lazy=True)

        def ntriples() -> bytes:  # only when the kept store must be built: the whole graph is read then
            from .exports import rdf_graph

            return rdf_graph(_load(data_dir))

        with busy(view, "running the query"):
            result = evaluate(prepared, ntriples, timeout, source, store=store_path(view.graph.get("digest")))
    click.echo(format_result(result, fmt), nl=False)


@click.command("push")
@click.argument("url", required=False)
@click.option("--endpoint", "endpoint_url", metavar="URL", default=None,
              help="The store's Graph Store endpoint, as an option (the same as URL).")
@click.option("--graph", "graph_iri", metavar="IRI", default=None,
              help="Replace this named graph (default: the store's default graph).")
@_base_option
@click.option("--with-ontology", is_flag=True, help="Send the papergraph ontology too.")
@_sparql_endpoint_option
@_timeout_option
@_user_option
@data_option
def push(url, endpoint_url, graph_iri, base, with_ontology, sparql_endpoint, timeout, user, data_dir):
    """Load the graph into an RDF store (SPARQL 1.1 Graph Store HTTP Protocol).

    Sends the N-Triples export with HTTP PUT to URL?default (or
    URL?graph=IRI), replacing what that graph held. URL is the store's
    Graph Store endpoint, e.g. http://localhost:7878/store for Oxigraph or
    http://localhost:3030/DATASET/data for Fuseki.

    \b
    Example:
        papergraph push http://localhost:7878/store
        papergraph push --endpoint http://localhost:7878/store --graph https://example.org/papers
        papergraph query --example papers-by-year --endpoint http://localhost:7878/query
    """
    from .rdf.export import export_text
    from .rdf.remote import EndpointError, check_graph_iri, check_url, graph_store_url
    from .rdf.remote import push as put

    if url is not None and endpoint_url is not None and url != endpoint_url:
        raise click.UsageError("give the store's URL once: as URL or as --endpoint")
    url = url or endpoint_url
    if url is None:
        raise click.UsageError("give the store's Graph Store URL: papergraph push --endpoint URL "
                               "(for Oxigraph, http://HOST:7878/store)")
    check_url(url)
    check_graph_iri(graph_iri)
    G = _load(data_dir)
    with busy(G, "writing N-Triples"):
        nt = export_text(G, "nt", base=base, with_ontology=with_ontology, columns=_columns(G),
                         endpoint=_checked_endpoint(sparql_endpoint)).encode("utf-8")
    with busy(len(nt), f"sending to {url}"):
        try:
            put(url, nt, graph_iri, timeout=timeout, user=user)
        except EndpointError as exc:
            from urllib.parse import urlsplit

            if re.search(r"/(query|sparql)/?$", urlsplit(url).path):
                raise EndpointError(f"{exc}; {url} looks like a SPARQL query endpoint, and push needs the store's "
                                    "Graph Store endpoint (Oxigraph: …/store; Fuseki: …/DATASET/data; "
                                    "GraphDB: …/repositories/REPO/rdf-graphs/service)") from None
            raise
    n = nt.count(b"\n")
    click.echo(f"sent {n:,} triples to {graph_store_url(url, graph_iri)}")


def _query_text(sparql, qfile, example) -> tuple[str, str]:
    if sparql is not None:
        return sparql, "<query>"
    if qfile is not None:
        try:
            with open(qfile, encoding="utf-8-sig") as fh:
                return fh.read(), qfile
        except (OSError, UnicodeDecodeError) as exc:
            raise PapergraphError(f"cannot read {qfile}: {exc}") from None
    from .rdf.resources import example_queries

    queries = example_queries()
    if example not in queries:
        raise PapergraphError(f"unknown example {example!r}; expected one of: {', '.join(queries)}")
    return queries[example], f"queries/{example}.rq"


COMMANDS = [export, import_, shacl, query, push]
