"""JSON text made safe inside a page's ``<script>`` (a leaf module: it imports nothing of papergraph).

>>> script_safe('{"a": "</script>"}')
'{"a": "\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

__all__ = ["script_safe"]

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_safe(text: str) -> str:
    """``text`` with ``<``, ``>``, ``&`` and the two JavaScript line separators written as ``\\uXXXX`` escapes."""
    for ch, code in _ESCAPES.items():  # a few passes of str.replace beat one regex with a callback
        if ch in text:
            text = text.replace(ch, code)
    return text
