"""Plain-text tables that line up with Chinese text (wide characters count twice)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CONTROL", "spreadsheet_cell", "spreadsheet_csv", "visible", "width", "table"]

#: Control characters a terminal may act on: C0 but tab, newline and carriage return; DEL; C1.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with each control character a terminal would act on written as ``\\xNN``.

    An ESC, BEL or OSC in a label must not reach a terminal raw (OSC 52
    writes the clipboard). Tab and newline are kept.

    >>> print(visible("a\\x1b]52;c;ZXZpbA==\\x07b"))
    a\\x1b]52;c;ZXZpbA==\\x07b
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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def spreadsheet_cell(text: str) -> str:
    """``text`` made safe for a spreadsheet: a cell starting with ``= + - @``, tab or CR gets a leading ``'``.

    Spreadsheets run such a cell as a formula (``=HYPERLINK(…)``, ``@SUM(…)``,
    DDE). A plain number such as ``-3`` is left as it is.

    >>> spreadsheet_cell("=1+2"), spreadsheet_cell("@SUM(A1)"), spreadsheet_cell("-3"), spreadsheet_cell("BERT")
    ("'=1+2", "'@SUM(A1)", '-3', 'BERT')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_csv(text: str) -> str:
    """CSV text with every cell passed through :func:`spreadsheet_cell` (same dialect, CRLF kept)."""
    import csv
    import io

    if not any(c in text for c in _FORMULA_START):
        return text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    terminator = "\r\n" if "\r\n" in text else "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator=terminator).writerows([[spreadsheet_cell(c) for c in r] for r in rows])
    return buf.getvalue()
