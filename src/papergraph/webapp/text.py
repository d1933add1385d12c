"""Showing data as text in Streamlit: every label, title and note goes through :func:`md`.

Streamlit's markdown would otherwise read ``*``, ``[…](…)``, ``$…$`` or
``:red[…]`` in the data as formatting; raw HTML is never enabled.

>>> md("<img src=x onerror=alert(1)>")
'\\\\<img src\\\\=x onerror\\\\=alert\\\\(1\\\\)\\\\>'
>>> md("a_b*c")
'a\\\\_b\\\\*c'
"""

from __future__ import annotations

import re

__all__ = ["md"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'^%@])")


def md(text) -> str:
    """``text`` escaped so that Streamlit's markdown shows it literally (line breaks kept)."""
    s = _SPECIAL.sub(r"\\\1", str(text))
    return s.replace("\r\n", "\n").replace("\n", "  \n")
