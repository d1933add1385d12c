"""What every command of the ``papergraph`` command line shares: options, loading, output.

A leaf module: :mod:`papergraph.cli`, :mod:`papergraph.rdf_commands` and
:mod:`papergraph.viz_commands` import it, and it imports none of them.
"""

from __future__ import annotations

import json

import click

__all__ = ["MAX_CHAIN_SHOWN", "data_option", "endpoint_option", "json_option", "reason", "write_output"]

#: Nodes of a reason chain a listing shows; a longer chain keeps its two ends (``why`` and --json show it all).
MAX_CHAIN_SHOWN = 12


def data_option(f):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
                        envvar="PAPERGRAPH_DATA", show_envvar=True,
                        help="Directory holding nodes.csv and edges.csv (default: the seed graph).")(f)


def endpoint_option(f=None, *, scope=None, help_scope: str = "", part: str | None = None):
    """``--endpoint URL`` (with ``--graph``, ``--timeout``, ``--user``): read the graph from a SPARQL endpoint.

    The store's graph is fetched with one ``CONSTRUCT`` and imported into the
    cache (:func:`papergraph.rdf.remote.mirror`); the command then runs on it
    as on ``--data``. Put this decorator below ``data_option``.

    With ``scope`` (``kwargs -> (names, direction[, keep])``, or None for the
    whole graph), only the part of the graph the question about ``names``
    depends on is fetched (:func:`papergraph.rdf.scope.fetch_scope`) into a
    temporary directory, removed when the command ends (with ``keep``: into
    the cache, for a command that hands it to another process); the command finds
    ``{"endpoint", "graph", "names", "direction"}`` in ``ctx.meta["papergraph.scope"]``.
    With ``part`` (``"order"``), the whole graph is read without what reading
    orders do not need (:data:`papergraph.rdf.remote.ORDER_PART`).
    """
    import functools

    if f is None:
        return functools.partial(endpoint_option, scope=scope, help_scope=help_scope, part=part)

    @functools.wraps(f)
    def command(*args, endpoint=None, endpoint_graph=None, endpoint_timeout=60.0, endpoint_user=None, **kw):
        if endpoint is None:
            if endpoint_graph is not None:
                raise click.UsageError("--graph goes with --endpoint")
            return f(*args, **kw)
        ctx = click.get_current_context()
        if kw.get("data_dir") is not None and \
                ctx.get_parameter_source("data_dir") == click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("give --data or --endpoint, not both")
        from .status import busy

        asked = scope(kw) if scope is not None else None
        if asked is not None:
            import shutil
            import tempfile

            from .rdf.scope import NeedsWholeGraph, fetch_scope

            names, direction, *rest = asked
            keep = bool(rest and rest[0])
            if keep:  # the command outlives this process (app): the part is kept in the cache
                from .rdf.remote import endpoint_dir

                where = str(endpoint_dir([endpoint, endpoint_graph, list(names), direction]))
            else:
                where = tempfile.mkdtemp(prefix="papergraph-scope-")
            try:
                with busy(1 << 30, f"asking {endpoint}"):
                    fetch_scope(endpoint, endpoint_graph, names, direction, timeout=endpoint_timeout,
                                user=endpoint_user, into=where)
                kw["data_dir"] = where
                ctx.meta["papergraph.scope"] = {"endpoint": endpoint, "graph": endpoint_graph, "names": names,
                                                "direction": direction}
                return f(*args, **kw)
            except NeedsWholeGraph:
                pass  # read the whole graph, below
            finally:
                if not keep:
                    shutil.rmtree(where, ignore_errors=True)
        from .rdf.remote import mirror

        with busy(1 << 30, f"reading the graph from {endpoint}"):
            kw["data_dir"] = str(mirror(endpoint, endpoint_graph, timeout=endpoint_timeout, user=endpoint_user,
                                        part=part))
        return f(*args, **kw)

    for option in reversed([
        click.option("--endpoint", metavar="URL", default=None,
                     help="Read the graph from this SPARQL 1.1 endpoint (e.g. http://localhost:7878/query) "
                          "instead of --data: " + (help_scope if help_scope else
                                                   "fetched with one CONSTRUCT and kept in the cache"
                                                   + (" (only what reading orders need)." if part else "."))),
        click.option("--graph", "endpoint_graph", metavar="IRI", default=None,
                     help="With --endpoint: the named graph to read (default: the store's default graph)."),
        click.option("--timeout", "endpoint_timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
                     show_default=True, metavar="SECONDS", help="With --endpoint: give up after this long."),
        click.option("--user", "endpoint_user", metavar="NAME", default=None,
                     help="With --endpoint: HTTP basic user (password from $PAPERGRAPH_ENDPOINT_PASSWORD; "
                          "or a bearer token from $PAPERGRAPH_ENDPOINT_TOKEN)."),
    ]):
        command = option(command)
    return command


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)


def _load(data_dir, *, lazy: bool = False, **kw):
    """The graph for a command; ``lazy``: opened from the query cache (see ``load.open_graph``)."""
    if lazy:
        from .load import open_graph

        return open_graph(data_dir)
    from .load import load_graph

    return load_graph(data_dir, **kw)


def _dump(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _both(G, n, data=None) -> str:
    """The node's English and Chinese labels, once when they are the same (``data``: its fields, if at hand)."""
    from .query import label_of

    d = G.nodes[n] if data is None else data
    en, zh = label_of(d, n, "en"), label_of(d, n, "zh")
    return en if en == zh else f"{en} · {zh}"


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def _paper_rows(G, papers):
    """Rows of the paper table: number, id, both labels, year and stage."""
    from .query import stages_of

    fields = None
    if len(papers) > 200:  # a query cache's view reads the few fields of many papers by SQL
        get = getattr(G, "node_fields", None)
        fields = get(("label_en", "label_zh", "year"), kind="paper") if get is not None else None
    stage_names: dict = {}
    rows = []
    for k, (p, st) in enumerate(zip(papers, stages_of(G, papers)), 1):
        d = fields.get(p) if fields is not None else None
        if d is None:
            d = G.nodes[p]
        if st not in stage_names:
            stage_names[st] = _both(G, st) if st else ""
        rows.append([str(k), p, _both(G, p, d), str(d.get("year", "")), stage_names[st]])
    return rows




def write_output(path: str, data: bytes | str) -> None:
    """Write a command's file output: ``-`` is standard output, else :func:`papergraph.files.atomic_write`.

    Special files (devices, FIFOs, sockets, directories) are refused;
    symbolic links are written through.
    """
    if path == "-":
        import sys

        sys.stdout.flush()
        out = sys.stdout.buffer
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
        out.flush()
        return
    from .files import atomic_write

    atomic_write(path, data)


def reason(G, chain: list[str], lang: str = "en") -> str:
    """A reason chain in words for a listing line, its middle cut when it is long.

    A listing of ``--limit`` papers then costs at most ``--limit`` short
    lines, however long the chains (a chain of 16k concepts would otherwise
    print 16k steps for each of the 100 papers).
    """
    from .query import explain

    if len(chain) <= MAX_CHAIN_SHOWN:
        return explain(G, chain, lang)
    half = MAX_CHAIN_SHOWN // 2
    cut = len(chain) - 2 * half
    return f"{explain(G, chain[:half], lang)} → … {cut:,} more steps … → {explain(G, chain[-half:], lang)}"
