"""The ``papergraph app`` and ``papergraph html`` commands (registered by :mod:`papergraph.cli`).

Both take the shared ``--data DIR`` option of the other commands.

Streamlit is imported only by the app it starts. The map is drawn through
pyvis with papergraph's own page template, which inlines the vis-network
bundle shipped with papergraph, so the page works offline.
"""

from __future__ import annotations

import os
import subprocess
import sys

import click

from .cli_common import data_option, endpoint_option

__all__ = ["COMMANDS", "app", "html", "streamlit_command"]


def streamlit_command(data_dir: str | None, port: int | None = None, headless: bool = False,
                      part_of: str | None = None, focus: str | None = None, graph: str | None = None) -> list[str]:
    """The ``streamlit run`` command line that starts the explorer on ``data_dir``.

    ``part_of``, ``graph`` and ``focus``: the directory holds only the part of that store
    (its named ``graph``) around ``focus``.
    """
    from .webapp import script_path

    cmd = [sys.executable, "-m", "streamlit", "run", script_path(), "--browser.gatherUsageStats", "false",
           "--server.address", "127.0.0.1", "--browser.serverAddress", "localhost", "--client.toolbarMode", "viewer"]
    if port is not None:
        cmd += ["--server.port", str(port)]
    cmd += ["--server.headless", "true" if headless else "false"]  # overrides a .streamlit/config.toml
    if data_dir is not None:
        cmd += ["--", "--data", data_dir]
        if part_of is not None:
            cmd += ["--part-of", part_of, "--focus", focus or ""] + (["--part-graph", graph] if graph else [])
    return cmd


@click.command("app")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port to serve on (default: Streamlit's, 8501).")
@click.option("--headless", is_flag=True, help="Do not open a browser.")
@click.option("--focus", metavar="NAME", default=None,
              help="With --endpoint: open the explorer on the part of the store around this paper or concept "
                   "(what it unlocks and everything those need), not the whole graph.")
@endpoint_option(scope=lambda kw: ([kw["focus"]], "around", True) if kw.get("focus") else None,
                 help_scope="fetched with one CONSTRUCT and kept in the cache; with --focus, only the part "
                            "around the focus.")
def app(data_dir, port, headless, focus):
    """Open the explorer in a browser: the map, paper and stage cards, reading plan and progress.

    The graph is checked first; an invalid one is reported like `validate`
    does. Stop the server with Ctrl+C.

    \b
    Example:
        papergraph app
        papergraph app --data my-curriculum/ --port 8600
    """
    from .cli_common import _load

    part = click.get_current_context().meta.get("papergraph.scope")
    if focus is not None and part is None and not click.get_current_context().params.get("endpoint"):
        raise click.UsageError("--focus goes with --endpoint (the explorer itself has a focus box)")
    G = _load(data_dir)
    if part is not None:
        from .query import resolve

        focus = resolve(G, focus, kinds=None)  # the part is around the node this name resolves to
    path = os.path.abspath(G.graph.get("data_dir") or data_dir) if data_dir is not None else None
    sys.exit(_run(streamlit_command(path, port, headless, part["endpoint"] if part else None,
                                    focus if part else None, part["graph"] if part else None)))


def _run(cmd: list[str]) -> int:
    """Become the Streamlit server (POSIX), so that Ctrl+C and kill reach it directly; else wait for it."""
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(cmd[0], cmd)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0


@click.command("html")
@click.option("-o", "--output", "output", type=click.Path(allow_dash=True),
              default="papergraph-map.html", show_default=True, help="File to write (- for standard output).")
@click.option("--focus", metavar="NAME", default=None,
              help="Show what this paper or concept needs and unlocks (id, English or Chinese name, alias, arXiv id).")
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="With --focus: steps each way along prerequisites (default: all).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the map.")
@click.option("--hide-others", is_flag=True, help="With --focus: leave out the rest instead of fading it.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None,
              help="Draw at most this many nodes (default: 400; on the roadmap: papers).")
@click.option("--view", type=click.Choice(["roadmap", "network"]), default="roadmap", show_default=True,
              help="roadmap: the papers by stage in reading order (concepts, citations, tools as layers); "
                   "network: the full concept map.")
@click.option("--stage", "stages", metavar="NAME", multiple=True,
              help="Only the papers of this stage (repeatable; id or name).")
@endpoint_option(scope=lambda kw: ([kw["focus"]], "around")
                 if kw.get("focus") and kw.get("hide_others") and kw.get("view") == "network" else None,
                 help_scope="fetched with one CONSTRUCT and kept in the cache; with --view network --focus NAME "
                            "--hide-others, only the focus, what it unlocks and what those need is fetched.")
def html(output, focus, depth, lang, hide_others, max_nodes, view, stages, data_dir):
    """Write the concept map as one self-contained HTML file that works offline.

    The page holds the map, search, click-for-card (a stage's card lists its
    papers, tools with their links and its self-check questions) and the
    legend; each stage shows how many papers and questions it has. It loads
    nothing from the network. Open it in any browser.

    \b
    Example:
        papergraph html -o map.html
        papergraph html --focus DiT --depth 3 --lang en -o dit.html
        papergraph html --stage stage-6 --lang en -o stage6.html
        papergraph html --view network -o concepts.html
    """
    from . import viz
    from .cli_common import _load
    from .query import resolve

    G = _load(data_dir)
    node = resolve(G, focus, kinds=None) if focus else None
    kw = {"focus": node, "depth": depth, "others": "hide" if hide_others else "fade", "view": view}
    if stages:
        kw["stages"] = [resolve(G, s, kinds=("stage",)) for s in stages]
    if max_nodes:
        kw["max_nodes"] = max_nodes
    from .cli_common import write_output
    from .files import check_target
    from .status import busy

    if output != "-":
        check_target(output)  # before the work: a device, FIFO or directory is refused
    with busy(G, "drawing the map"):
        data = viz.map_data(G, lang, **kw)
        part = click.get_current_context().meta.get("papergraph.scope")
        if part is not None:  # read from a store around the focus: the page says so
            from .i18n import t

            note = t("map_part_of_store", lang, store=part["endpoint"], n=G.number_of_nodes())
            data["message"] = note + (" " + data["message"] if data["message"] else "")
        page = viz.render_html(data).encode("utf-8")
        write_output(output, page)
    where = "standard output" if output == "-" else output
    click.echo(f"wrote {where}: {data['shown']} nodes, {len(data['edges'])} edges, {len(page) / 1024:.0f} KiB",
               err=output == "-")
    if data["message"]:
        click.echo(data["message"], err=True)


COMMANDS = [app, html]

# the shared --data option, added to the finished commands
for _command in COMMANDS:
    data_option(_command)
