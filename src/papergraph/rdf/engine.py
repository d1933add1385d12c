"""Evaluate SPARQL with Oxigraph in a child process that is stopped at a time limit.

rdflib evaluates a property path for every start node before it applies a
binding, so the bound ``prerequisites`` example took half an hour on a 10k
graph; Oxigraph (:mod:`pyoxigraph`, already a dependency) answers it in
milliseconds. The query still goes through
:func:`papergraph.rdf.sparql.check_query` first (rdflib's parser: syntax
errors with line and column; ``SERVICE``, ``FROM``, ``LOAD`` and updates
refused), then :func:`papergraph.rdf.sparql.prepare` writes the text that
runs: the predeclared prefixes, the query, and ``--var`` bindings as a
trailing ``VALUES`` clause (terms escaped as SPARQL literals or IRIs).

The child (``python -m papergraph.rdf.engine``) reads one JSON line (the
query) and then the graph as N-Triples from its standard input, loads them
into an in-memory Oxigraph store, runs the query and writes the answer: the
W3C SPARQL JSON results for ``SELECT`` and ``ASK``, N-Triples for
``CONSTRUCT`` and ``DESCRIBE``. At the time limit the parent kills it, so the
work really stops and its memory is given back; the error says so. The
answer is parsed back into an :class:`rdflib.query.Result`, so every output
format is written by the same code as before (and as for a remote endpoint,
:mod:`papergraph.rdf.remote`).

>>> DEFAULT_TIMEOUT
60.0
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from ..errors import PapergraphError

__all__ = ["DEFAULT_TIMEOUT", "MAX_ANSWER_BYTES", "QueryTimeout", "evaluate", "result_from"]

#: Seconds a query may run by default (``papergraph query --timeout``; the explorer uses it too).
DEFAULT_TIMEOUT = 60.0
#: The largest answer read back (bytes); a bigger one is refused rather than held in memory.
MAX_ANSWER_BYTES = 512 * 1024 * 1024


class QueryTimeout(PapergraphError):
    """A query ran past its time limit and was stopped."""

    def __init__(self, seconds: float, where: str = "the local engine was stopped"):
        self.seconds = seconds
        super().__init__(f"the query did not finish within {seconds:g} s and was stopped ({where}); "
                         f"raise the limit with --timeout, or bind a variable with --var / "
                         f"查询未在 {seconds:g} 秒内完成，已被终止；可用 --timeout 放宽时限，或用 --var 绑定变量")


def result_from(kind: str, body: bytes):
    """An :class:`rdflib.query.Result` from an answer: SPARQL JSON results, or N-Triples for a graph."""
    from rdflib import Graph
    from rdflib.query import Result

    if kind == "GRAPH":
        g = Graph(bind_namespaces="core")
        g.parse(data=body.decode("utf-8"), format="nt")
        r = Result("CONSTRUCT")
        r.graph = g
        return r
    return Result.parse(io.BytesIO(body), format="json")


def _limit_memory() -> None:  # pragma: no cover -- runs in the child
    try:
        import resource

        cap = int(os.environ.get("PAPERGRAPH_QUERY_MEMORY", str(8 * 1024 ** 3)))
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):
        pass


#: The file that marks a kept store as complete (written after the store was built and moved into place).
_READY = "papergraph-store-ready"
#: Exit status of the child when a kept store cannot be opened (the parent rebuilds it once) or
#: created (the parent answers in memory).
_BAD_STORE = 3


def evaluate(text: str, ntriples, timeout: float = DEFAULT_TIMEOUT, source: str = "<query>", store=None):
    """Run prepared query ``text`` over the graph ``ntriples`` in a child process, within ``timeout`` seconds.

    Parameters
    ----------
    text : str
        The prepared query (:func:`papergraph.rdf.sparql.prepare`).
    ntriples : bytes or callable
        The graph as N-Triples, or a function that returns them (called only
        when the graph must be loaded: not when a kept ``store`` is ready).
    timeout : float
        Seconds for the whole evaluation, loading included.
    source : str
        Where the query came from, for messages.
    store : path, optional
        A directory in the user's cache where the loaded Oxigraph store is
        kept (one per version of the data and the code): built on first use
        (in a temporary directory, then moved into place), then opened
        read-only, so that later queries skip loading the graph. A store that
        cannot be opened is built again, once.

    Raises
    ------
    QueryTimeout
        When the time is up (the child is killed; a store being built is removed).
    DataError
        When Oxigraph refuses or fails the query.
    """
    import shutil
    from pathlib import Path

    if not timeout or timeout <= 0:
        raise PapergraphError(f"--timeout must be a positive number of seconds, got {timeout!r}")
    store = Path(store) if store is not None else None
    if store is not None and _ready(store):
        code, out, err = _run_child({"query": text, "open": str(store)}, b"", timeout)
        if code != _BAD_STORE:
            return _answer(code, out, err, source)
        shutil.rmtree(store, ignore_errors=True)  # damaged: build it again below
    data = ntriples() if callable(ntriples) else ntriples
    if store is None:
        return _answer(*_run_child({"query": text}, data, timeout), source)
    tmp = store.with_name(f".{store.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        code, out, err = _run_child({"query": text, "build": str(tmp)}, data, timeout)
        if code == _BAD_STORE:  # the cache cannot hold a store (full, read-only …): answer without keeping one
            return _answer(*_run_child({"query": text}, data, timeout), source)
        if code == 0:
            try:
                if store.is_symlink():
                    store.unlink()
                elif store.exists() and not _ready(store):  # a build cut short, or something planted
                    shutil.rmtree(store)
                os.replace(tmp, store)
                (store / _READY).write_bytes(b"")
                os.chmod(store / _READY, 0o600)
            except OSError:
                pass  # another process kept its store first, or the cache is read-only: the answer stands
        return _answer(code, out, err, source)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _ready(store) -> bool:
    from ..cache import trusted_file

    return store.is_dir() and not store.is_symlink() and trusted_file(store / _READY)


def _run_child(header: dict, data: bytes, timeout: float) -> tuple[int, bytes, bytes]:
    """Start the engine, send it ``header`` and ``data``; its exit status, output and errors."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen([sys.executable, "-m", "papergraph.rdf.engine"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=_limit_memory if os.name == "posix" else None)
    try:
        out, err = proc.communicate(json.dumps(header).encode("utf-8") + b"\n" + data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryTimeout(timeout) from None
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc.returncode, out, err


def _answer(code: int, out: bytes, err: bytes, source: str):
    """The child's answer as a result, or its failure as a one-line error."""
    from ..errors import DataError, Problem

    if code != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        tail = message[-1] if message else f"exit status {code}"
        if code < 0 or "MemoryError" in tail or "memory allocation" in tail:
            tail = f"the engine stopped ({tail}); the query needs more memory or time than allowed"
        raise DataError([Problem(source, 0, f"SPARQL evaluation failed: {tail}")])
    if len(out) > MAX_ANSWER_BYTES:
        raise PapergraphError(f"the answer is larger than {MAX_ANSWER_BYTES // 2 ** 20} MB; add a LIMIT")
    kind, _, body = out.partition(b"\n")
    return result_from(kind.decode("ascii"), body)


def _child() -> int:  # pragma: no cover -- covered through evaluate() in a subprocess
    import pyoxigraph as ox

    stdin = sys.stdin.buffer
    request = json.loads(stdin.readline())
    if request.get("open"):
        try:
            store = ox.Store.read_only(request["open"])
        except Exception as exc:  # noqa: BLE001 -- RocksDB reports damage as RuntimeError or OSError
            sys.stderr.write(f"cannot open the kept store: {exc}\n".replace("\n", " ").strip() + "\n")
            return _BAD_STORE
    out = io.BytesIO()
    try:
        if not request.get("open"):
            if request.get("build"):
                try:
                    store = ox.Store(request["build"])
                except Exception as exc:  # noqa: BLE001 -- no store can be kept there: the parent asks again in memory
                    sys.stderr.write(f"cannot keep a store: {exc}\n".replace("\n", " ").strip() + "\n")
                    return _BAD_STORE
            else:
                store = ox.Store()
            store.bulk_load(input=stdin, format=ox.RdfFormat.N_TRIPLES)
            if request.get("build"):
                store.flush()
        answer = store.query(request["query"])
        if isinstance(answer, ox.QueryTriples):  # the answer is read from the store while it is written out
            out.write(b"GRAPH\n")
            out.write(answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
        elif isinstance(answer, ox.QueryBoolean):
            out.write(b"ASK\n")
            out.write(json.dumps({"head": {}, "boolean": bool(answer)}).encode())
        else:
            out.write(b"SELECT\n")
            out.write(answer.serialize(format=ox.QueryResultsFormat.JSON) or b"")
    except (RuntimeError, OSError) as exc:
        if request.get("open"):  # a damaged kept store: the parent builds it again
            sys.stderr.write(f"the kept store failed: {exc}\n".replace("\n", " ").strip() + "\n")
            return _BAD_STORE
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n".replace("\n", " ").strip() + "\n")
        return 2
    except (SyntaxError, ValueError) as exc:
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n".replace("\n", " ").strip() + "\n")
        return 2
    sys.stdout.buffer.write(out.getbuffer())
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_child())
