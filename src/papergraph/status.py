"""A status line on standard error while something big runs.

Library code marks its long steps with :func:`status`; nothing is shown
unless standard error is a terminal, the call is in the main thread and the
input is big, so scripts, pipes and tests see exactly the output they would
without it. Nested calls update the line already shown. The line is drawn
with rich and removed when the step ends, before the command prints its
answer.

Examples
--------
>>> with status(10) as say:  # small input (or no terminal): say() does nothing
...     say("validating")
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

__all__ = ["BIG_BYTES", "BIG_NODES", "busy", "status"]

#: Below this many bytes of input, a step takes well under a second: no status line.
BIG_BYTES = 4_000_000
#: Below this many nodes, a question about the whole graph takes well under a second.
BIG_NODES = 20_000

_shown = None  # the status line being shown, if any


def _on_terminal() -> bool:
    return (sys.stderr is not None and sys.stderr.isatty()
            and threading.current_thread() is threading.main_thread())


def _console():
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def status(big):
    """Yield ``say(message)``, which shows ``papergraph: message …`` while the block runs.

    Parameters
    ----------
    big : int, float or sized
        A number of input bytes, or a graph (or anything with a length: its
        number of nodes counts). Small inputs show nothing.
    """
    global _shown
    if not isinstance(big, (int, float)):
        try:
            big = BIG_BYTES if len(big) >= BIG_NODES else 0
        except TypeError:
            big = 0
    outer, mine = _shown, None
    try:
        if outer is None and big >= BIG_BYTES and _on_terminal():
            mine = _console().status("papergraph", spinner="dots")
            mine.start()
            _shown = mine
    except Exception:  # no rich, or no usable terminal: no status line
        mine = None

    shown = mine or outer
    before = getattr(shown, "status", None)

    def say(message: str) -> None:
        if shown is not None:
            shown.update(f"papergraph: {message} …")

    try:
        yield say
    finally:
        if mine is not None:
            mine.stop()
            _shown = None
        elif shown is not None and before is not None:
            shown.update(before)


@contextmanager
def busy(big, message: str):
    """:func:`status` showing one ``message`` for the whole block.

    >>> with busy(10, "exporting"):
    ...     pass
    """
    with status(big) as say:
        say(message)
        yield say
