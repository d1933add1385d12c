"""Writing files safely: to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import PapergraphError

__all__ = ["WriteError", "atomic_write"]


class WriteError(PapergraphError, OSError):
    """A file could not be written (still an ``OSError`` for callers that expect one)."""


def atomic_write(path: str | os.PathLike, data: bytes | str) -> None:
    """Write ``data`` to ``path`` so that readers never see half a file.

    Text is encoded as UTF-8 on every platform.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write(p, "中文")
    >>> p.read_text(encoding="utf-8")
    '中文'

    Raises
    ------
    WriteError
        When the directory is missing or not writable; nothing is left behind.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
