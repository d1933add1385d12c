"""Streamlit entry point of the papergraph explorer.

Run it with ``papergraph app [--data DIR]``, or ``streamlit run`` this file
(or the repository's ``app.py``, which only calls :func:`run`) followed by
``-- --data DIR``. Without ``--data`` the app reads ``$PAPERGRAPH_DATA``,
else the seed graph.
"""

from __future__ import annotations

import sys


def run(argv=None) -> None:
    """Draw the explorer; ``argv`` defaults to the script's own arguments."""
    from papergraph.webapp import data_dir_from_argv, main, part_from_argv

    argv = sys.argv[1:] if argv is None else argv
    main(data_dir_from_argv(argv), part_from_argv(argv))


if __name__ == "__main__":
    run()
