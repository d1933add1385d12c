"""The explorer: a Streamlit app over the papergraph library.

``main(data_dir)`` draws the page; the pages live in :mod:`.pages` and hold
no graph logic (they call :mod:`papergraph.query`, :mod:`papergraph.order`,
:mod:`papergraph.plan`, :mod:`papergraph.stats`, :mod:`papergraph.viz` and
:mod:`papergraph.exports`). Streamlit is imported only when the app runs.

Start it with ``papergraph app [--data DIR]``, or
``streamlit run app.py -- --data DIR`` in a checkout. The data directory
can also come from the ``PAPERGRAPH_DATA`` environment variable.
"""

from __future__ import annotations

import os

__all__ = ["DATA_ENV", "data_dir_from_argv", "main", "part_from_argv", "script_path"]

#: Environment variable naming the graph directory (used when no ``--data`` is given).
DATA_ENV = "PAPERGRAPH_DATA"


def data_dir_from_argv(argv, environ=None) -> str | None:
    """The graph directory from ``--data DIR`` (or ``--data=DIR``) in ``argv``, else ``$PAPERGRAPH_DATA``.

    >>> data_dir_from_argv(["--data", "my-graph"], {})
    'my-graph'
    >>> data_dir_from_argv(["--data=g"], {}), data_dir_from_argv([], {"PAPERGRAPH_DATA": "e"})
    ('g', 'e')
    >>> data_dir_from_argv([], {}) is None
    True
    """
    argv = list(argv or [])
    for i, arg in enumerate(argv):
        if arg == "--data" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--data="):
            return arg.split("=", 1)[1]
    env = os.environ if environ is None else environ
    return env.get(DATA_ENV) or None


def part_from_argv(argv) -> dict | None:
    """``{"endpoint", "graph", "focus"}`` when ``argv`` says the data is the part of a store around a focus.

    >>> part_from_argv(["--data", "d", "--part-of", "http://x/q", "--focus", "dit"])
    {'endpoint': 'http://x/q', 'graph': None, 'focus': 'dit'}
    >>> part_from_argv(["--data", "d"]) is None
    True
    """
    argv = list(argv or [])
    found = {}
    for i, arg in enumerate(argv[:-1]):
        if arg in ("--part-of", "--part-graph", "--focus"):
            found[arg] = argv[i + 1]
    if "--part-of" not in found:
        return None
    return {"endpoint": found["--part-of"], "graph": found.get("--part-graph"), "focus": found.get("--focus", "")}


def script_path() -> str:
    """The file to hand to ``streamlit run``: the packaged entry script."""
    from pathlib import Path

    return str(Path(__file__).resolve().with_name("streamlit_app.py"))


def main(data_dir=None, part=None) -> None:
    """Draw the explorer for the graph in ``data_dir`` (default: the seed graph).

    ``part`` (:func:`part_from_argv`): the graph is only the part of a store around a focus; the page says so.
    """
    from .app import main as _main

    _main(data_dir, part)
