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


def evaluate(text: str, ntriples: bytes, timeout: float = DEFAULT_TIMEOUT, source: str = "<query>"):
    """Run prepared query ``text`` over the graph ``ntriples`` in a child process, within ``timeout`` seconds.

    Raises
    ------
    QueryTimeout
        When the time is up (the child is killed).
    DataError
        When Oxigraph refuses or fails the query.
    """
    from ..errors import DataError, Problem

    if not timeout or timeout <= 0:
        raise PapergraphError(f"--timeout must be a positive number of seconds, got {timeout!r}")
    header = json.dumps({"query": text}).encode("utf-8") + b"\n"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen([sys.executable, "-m", "papergraph.rdf.engine"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=_limit_memory if os.name == "posix" else None)
    try:
        out, err = proc.communicate(header + ntriples, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryTimeout(timeout) from None
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        tail = message[-1] if message else f"exit status {proc.returncode}"
        if proc.returncode < 0 or "MemoryError" in tail or "memory allocation" in tail:
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
    store = ox.Store()
    try:
        store.bulk_load(input=stdin, format=ox.RdfFormat.N_TRIPLES)
        answer = store.query(request["query"])
    except (SyntaxError, ValueError, OSError) as exc:
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n".replace("\n", " ").strip() + "\n")
        return 2
    out = sys.stdout.buffer
    if isinstance(answer, ox.QueryTriples):
        out.write(b"GRAPH\n")
        out.write(answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    elif isinstance(answer, ox.QueryBoolean):
        out.write(b"ASK\n")
        out.write(json.dumps({"head": {}, "boolean": bool(answer)}).encode())
    else:
        out.write(b"SELECT\n")
        out.write(answer.serialize(format=ox.QueryResultsFormat.JSON) or b"")
    out.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_child())
