"""Plain-text tables that line up with Chinese text (wide characters count twice)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["CONTROL", "spreadsheet_cell", "spreadsheet_csv", "spreadsheet_rows", "visible", "width", "table"]

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
    if text.isascii():
        return len(text)
    n = len(text) + len(_wide().findall(text))
    for c in _OUTSIDE.findall(text):  # rare: checked one by one
        if unicodedata.east_asian_width(c) in "WF":
            n += 1
    return n


#: Non-ASCII characters outside the span :func:`_wide` covers.
_OUTSIDE = re.compile("[\x80-\u10ff\U00010000-\U0010ffff]")


@cache
def _wide() -> re.Pattern:
    """A character class of the wide and fullwidth characters (East Asian Width W or F) in U+1100–U+FFFF.

    Built once from :mod:`unicodedata` itself, so it agrees with it exactly;
    the characters outside that span (:data:`_OUTSIDE`) are checked one by one.
    (A class within the Basic Multilingual Plane compiles to a bitmap; one
    reaching beyond it is tested range by range, hundreds of times slower.)
    """
    spans, start, prev = [], None, None
    for cp in range(0x1100, 0x10000):
        if unicodedata.east_asian_width(chr(cp)) in "WF":
            if start is None:
                start = cp
            prev = cp
        elif start is not None:
            spans.append((start, prev))
            start = None
    if start is not None:
        spans.append((start, prev))
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in spans) + "]")


def table(rows: list[list[str]], headers: list[str]) -> str:
    """Rows under headers, columns padded to the widest cell.

    >>> print(table([["1", "注意力"]], ["#", "name"]))
    #  name
    -  ------
    1  注意力
    """
    rows = [[str(c) for c in r] for r in [headers, *rows]]
    sized = [[(c, width(c)) for c in r] for r in rows]  # each cell measured once
    widths = [max(w for _, w in col) for col in zip(*sized)]

    def line(cells):
        out = "  ".join(c + " " * (w - cw) for (c, cw), w in zip(cells, widths))
        return out.rstrip()

    rule = [("-" * w, w) for w in widths]
    return "\n".join([line(sized[0]), line(rule)] + [line(r) for r in sized[1:]])


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


def spreadsheet_rows(rows: list[dict]) -> list[dict]:
    """Table rows with every text cell passed through :func:`spreadsheet_cell`.

    For tables a user can download as CSV (the app's tables: Streamlit offers
    a CSV download of each). Numbers and other values are left as they are.

    >>> spreadsheet_rows([{"paper": "=HYPERLINK(1)", "days": 3}])
    [{'paper': "'=HYPERLINK(1)", 'days': 3}]
    """
    return [{k: spreadsheet_cell(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


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
