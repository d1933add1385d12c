"""Reading and writing files safely: bounded reads, regular files only, temporary file then rename.

Every file papergraph writes goes through :func:`atomic_write`; every input
file it reads whole goes through :func:`read_input`. The rules (listed in
the README under "Hostile input"):

* Only regular files are written. A directory, device, FIFO or socket named
  as an output is refused with a message; nothing is opened or replaced.
* A symbolic link is written through: the file it points to is replaced (as
  ``>`` does in a shell), the link itself stays a link.
* The new content goes to a temporary file in the target's directory, which
  is renamed over the target once complete: a reader never sees half a file,
  and an error leaves the old file as it was.
* A new output file gets the mode the umask gives (``0o666 & ~umask``); an
  existing one keeps its mode. Cache files (``private=True``) are ``0o600``.
* An input must be a regular file (a link to one is fine) no larger than
  :data:`MAX_INPUT_BYTES` (``$PAPERGRAPH_MAX_INPUT_BYTES`` overrides).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .errors import PapergraphError

__all__ = ["InputError", "MAX_INPUT_BYTES", "WriteError", "atomic_write", "check_input", "check_target",
           "max_input_bytes", "read_input", "write_all"]

#: Largest input file read (CSV, RDF, a reading order), in bytes.
MAX_INPUT_BYTES = 256 * 1024 * 1024


class WriteError(PapergraphError, OSError):
    """A file could not be written (still an ``OSError`` for callers that expect one)."""


class InputError(PapergraphError, OSError):
    """An input file cannot be read: not a regular file, too large, unreadable (``FILE: reason``)."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def max_input_bytes() -> int:
    """:data:`MAX_INPUT_BYTES`, or ``$PAPERGRAPH_MAX_INPUT_BYTES`` when that is a whole number."""
    env = os.environ.get("PAPERGRAPH_MAX_INPUT_BYTES", "").strip()
    return int(env) if env.isdigit() else MAX_INPUT_BYTES


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def check_input(path: str | os.PathLike) -> os.stat_result:
    """The stat of ``path`` when it is a regular file within :func:`max_input_bytes`.

    Raises
    ------
    FileNotFoundError
        When there is nothing at ``path`` (callers word that themselves).
    InputError
        ``FILE: message`` for anything else: a directory, device, FIFO or
        socket, a symbolic link loop, a file over the size limit, no permission.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise InputError(path, f"cannot read: {_reason(exc)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, f"cannot read: {_kind(st.st_mode)}, not a regular file")
    limit = max_input_bytes()
    if st.st_size > limit:
        raise InputError(path, f"cannot read: {_megabytes(st.st_size)}, over the input limit of "
                         f"{_megabytes(limit)} (set PAPERGRAPH_MAX_INPUT_BYTES to raise it)")
    return st


def read_input(path: str | os.PathLike) -> bytes:
    """The bytes of the regular file ``path``, refusing what :func:`check_input` refuses.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "in.csv"
    >>> _ = p.write_bytes(b"id\\n")
    >>> read_input(p)
    b'id\\n'
    >>> read_input("/dev/zero")
    Traceback (most recent call last):
    ...
    papergraph.files.InputError: /dev/zero: cannot read: a device, not a regular file
    """
    check_input(path)
    limit = max_input_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise InputError(path, f"cannot read: {_reason(exc)}") from None
    try:
        st = os.fstat(fd)  # the file opened, which may not be the one checked a moment ago
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, f"cannot read: {_kind(st.st_mode)}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(path, f"cannot read: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(path, f"cannot read: over the input limit of {_megabytes(limit)} "
                         f"(set PAPERGRAPH_MAX_INPUT_BYTES to raise it)")
    return data


def check_target(path: str | os.PathLike) -> Path:
    """The file that writing ``path`` replaces: ``path``, or where its symbolic link points.

    Raises
    ------
    WriteError
        When ``path`` is a directory, device, FIFO or socket (or links to one),
        or a symbolic link loop.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None  # a new file (or a dangling link, written through)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {_reason(exc)}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise WriteError(f"cannot write {path}: it is {_kind(st.st_mode)}; papergraph only replaces "
                         "regular files" + (" (use -o - for standard output)" if not stat.S_ISDIR(st.st_mode)
                                            else ""))
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write(path: str | os.PathLike, data: bytes | str, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers never see half a file.

    Text is encoded as UTF-8 on every platform. See the module's rules:
    special files are refused, symbolic links written through; a new file
    gets the umask's mode (``0o600`` when ``private``), an existing one keeps
    its mode.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write(p, "中文")
    >>> p.read_text(encoding="utf-8")
    '中文'
    >>> atomic_write("/dev/null", "x")
    Traceback (most recent call last):
    ...
    papergraph.files.WriteError: cannot write /dev/null: it is a device; papergraph only replaces regular files (use -o - for standard output)

    Raises
    ------
    WriteError
        When ``path`` is not a regular file, or its directory is missing or
        not writable; nothing is left behind.
    """
    write_all({path: data}, private=private)


def write_all(files: dict, *, private: bool = False) -> None:
    """Write several files (``{path: data}``) all or none: every one to a temporary file, then rename each.

    The targets are checked before anything is written, and every temporary
    file is complete before the first rename, so a full disk or a directory
    in the way of the second file leaves the first as it was.
    """
    targets = [(Path(p), check_target(p), d.encode("utf-8") if isinstance(d, str) else d) for p, d in files.items()]
    made: list[tuple[Path, Path, Path]] = []
    try:
        for shown, target, data in targets:
            made.append((shown, target, _write_temp(shown, target, data, private)))
        for shown, target, tmp in made:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise WriteError(f"cannot write {shown}: {_reason(exc)}") from None
    finally:
        for _, _, tmp in made:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _write_temp(shown: Path, target: Path, data: bytes, private: bool) -> Path:
    """``data`` in a new temporary file beside ``target``, with the mode ``target`` should get."""
    mode = 0o600 if private else 0o666  # the umask applies
    keep = None
    if not private:
        try:
            keep = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            pass
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    except OSError as exc:
        raise WriteError(f"cannot write {shown}: {_reason(exc)}") from None
    try:
        if keep is not None:
            os.chmod(fd, keep)  # keep the mode of the file replaced, whatever the umask
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {shown}: {_reason(exc)}") from None
        raise
    return tmp
