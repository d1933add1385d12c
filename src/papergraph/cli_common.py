"""What every command of the ``papergraph`` command line shares: options, loading, output.

A leaf module: :mod:`papergraph.cli`, :mod:`papergraph.rdf_commands` and
:mod:`papergraph.viz_commands` import it, and it imports none of them.
"""

from __future__ import annotations

import json

import click

__all__ = ["MAX_CHAIN_SHOWN", "data_option", "json_option", "reason", "write_output"]

#: Nodes of a reason chain a listing shows; a longer chain keeps its two ends (``why`` and --json show it all).
MAX_CHAIN_SHOWN = 12


def data_option(f):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None,
                        envvar="PAPERGRAPH_DATA", show_envvar=True,
                        help="Directory holding nodes.csv and edges.csv (default: the seed graph).")(f)


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


def _both(G, n) -> str:
    from .query import label

    en, zh = label(G, n, "en"), label(G, n, "zh")
    return en if en == zh else f"{en} · {zh}"


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def _paper_rows(G, papers):
    from .orderindex import index_of
    from .query import label_of

    ix = index_of(G)
    ids, stage, position = ix.ids, ix.stage, ix.position

    fields = None
    if len(papers) > 200:  # a query cache's view reads the few fields of many papers by SQL
        get = getattr(G, "paper_fields", None)
        fields = get(("label_en", "label_zh", "year")) if get is not None else None
    stages: dict = {}
    rows = []
    for i, p in enumerate(papers, 1):
        d = fields.get(p) if fields is not None else None
        if d is None:
            d = G.nodes[p]
        en, zh = label_of(d, p, "en"), label_of(d, p, "zh")
        i = position(p)
        st = ids[stage[i]] if i is not None and stage[i] >= 0 else None  # query.stage_of, from the index at hand
        if st not in stages:
            stages[st] = _both(G, st) if st else ""
        rows.append([str(i), p, en if en == zh else f"{en} · {zh}", str(d.get("year", "")), stages[st]])
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
