"""Plain-text tables that line up with Chinese text (wide characters count twice)."""

from __future__ import annotations

import unicodedata

__all__ = ["width", "table"]


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
