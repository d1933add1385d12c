"""Plain-text tables that line up with Chinese text (wide characters count twice)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CONTROL", "visible", "width", "table"]

#: Control characters a terminal may act on: C0 but tab, newline and carriage return; DEL; C1.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with each control character a terminal would act on written as ``\\xNN``.

    An ESC, BEL or OSC in a label must not reach a terminal raw (OSC 52
    writes the clipboard). Tab and newline are kept.

    >>> visible("a\x1b]52;c;ZXZpbA==\x07b")
    'a\\x1b]52;c;ZXZpbA==\\x07b'
    """
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal.

    >>> width("BERT"), width("残差连接")
    (4, 8)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[list[str]], headers: list[str]) -> str:
    """Rows under headers, columns padded to the widest cell.

    >>> print(table([["1", "注意力"]], ["#", "name"]))
    #  name
    -  ------
    1  注意力
    """
    rows = [[str(c) for c in r] for r in rows]
    cols = list(zip(headers, *rows))
    widths = [max(width(c) for c in col) for col in cols]

    def line(cells):
        out = "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths))
        return out.rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])
