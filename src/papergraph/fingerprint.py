"""A fingerprint of papergraph's own code, part of every cache key.

Everything papergraph keeps on disk (the pickled graph, the query cache with
its order index, the map's layout) is named by the digest of the data *and*
of the code that produced it, so a change to the code's semantics is seen
at once: nothing computed by another version of the code is ever read back.

>>> len(code_fingerprint()), code_fingerprint() == code_fingerprint()
(16, True)
"""

from __future__ import annotations

import hashlib
import os

__all__ = ["code_fingerprint"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_SUFFIXES = (".py", ".js", ".html", ".css", ".ttl", ".rq")
_memo: list[str] = []


def code_fingerprint() -> str:
    """16 hex digits of SHA-256 over the package's code files (path and bytes), computed once per process."""
    if _memo:
        return _memo[0]
    h = hashlib.sha256()
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "graph"))
        for name in sorted(files):
            if name.endswith(_SUFFIXES):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, _PACKAGE).replace(os.sep, "/")
                with open(path, "rb") as fh:
                    data = fh.read()
                h.update(f"{rel}\0{len(data)}\0".encode())
                h.update(data)
    _memo.append(h.hexdigest()[:16])
    return _memo[0]
