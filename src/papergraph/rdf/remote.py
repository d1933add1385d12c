"""Talk to a real RDF store: SPARQL 1.1 Protocol queries and Graph Store HTTP Protocol pushes.

Nothing here runs unless the user gives a URL (``papergraph query --endpoint``,
``papergraph push``). Only ``http`` and ``https`` URLs are accepted; redirects
are not followed (a store that moved is reported, not chased); the whole
exchange has one deadline, and an answer bigger than
:data:`~papergraph.rdf.engine.MAX_ANSWER_BYTES` is refused. HTTP failures
become one-line errors naming the URL, the status and the first line the
store answered.

Credentials come from the environment, never from the command line (where
other users could read them in the process list): ``PAPERGRAPH_ENDPOINT_TOKEN``
is sent as a bearer token; ``--user NAME`` with ``PAPERGRAPH_ENDPOINT_PASSWORD``
as HTTP basic authentication.

>>> graph_store_url("http://localhost:7878/store", None)
'http://localhost:7878/store?default'
>>> graph_store_url("http://localhost:7878/store", "https://example.org/g")
'http://localhost:7878/store?graph=https%3A%2F%2Fexample.org%2Fg'
>>> check_url("file:///etc/passwd")
Traceback (most recent call last):
    ...
papergraph.errors.PapergraphError: file:///etc/passwd: only http:// and https:// endpoints are supported
"""

from __future__ import annotations

import base64
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from ..errors import PapergraphError
from .engine import MAX_ANSWER_BYTES, QueryTimeout

__all__ = ["AnswerTooBig", "EndpointError", "check_url", "check_graph_iri", "endpoint_dir", "graph_store_url", "import_answer", "mirror", "push", "query_endpoint"]

_ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}


class EndpointError(PapergraphError):
    """The store could not be reached, or answered with an error."""


class AnswerTooBig(EndpointError):
    """The store's answer is over the limit the exchange was given."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl} (not followed)", headers, fp)


def check_url(url: str) -> str:
    """``url`` if it is an absolute ``http`` or ``https`` URL with a host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in url for c in " \n\r\t"):
        raise PapergraphError(f"{url}: only http:// and https:// endpoints are supported")
    return url


def graph_store_url(url: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of the default graph, or of the named ``graph``."""
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + sep + ("graph=" + urllib.parse.quote(graph, safe="") if graph else "default")


def _auth_headers(user: str | None) -> dict[str, str]:
    token = os.environ.get("PAPERGRAPH_ENDPOINT_TOKEN")
    if user:
        password = os.environ.get("PAPERGRAPH_ENDPOINT_PASSWORD", "")
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    if token:
        return {"Authorization": f"Bearer {token}"}
    return {}


def _exchange(method: str, url: str, body: bytes, headers: dict, timeout: float, what: str,
              sink=None, limit: int = MAX_ANSWER_BYTES, too_big: str = "add a LIMIT") -> tuple[bytes, str]:
    """Send one request; the answer's body and content type, within ``timeout`` seconds overall.

    With ``sink`` (a binary file), the body is written there as it arrives and
    ``b""`` is returned. An answer over ``limit`` bytes is refused (``too_big``
    says what to do).
    """
    if not timeout or timeout <= 0:
        raise PapergraphError(f"--timeout must be a positive number of seconds, got {timeout!r}")
    check_url(url)
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_NoRedirect)
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"User-Agent": "papergraph", **headers})
    try:
        with opener.open(req, timeout=timeout) as resp:
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise QueryTimeout(timeout, "the connection to the store was closed")
                chunk = resp.read(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    size_text = f"{limit // 2 ** 20} MB" if limit >= 2 ** 20 else f"{limit:,} bytes"
                    raise AnswerTooBig(f"{url}: the answer is larger than {size_text}; {too_big}")
                if sink is not None:
                    sink.write(chunk)
                else:
                    chunks.append(chunk)
            return b"".join(chunks), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        detail = ""
        try:
            detail = exc.read(2000).decode("utf-8", "replace").strip().splitlines()[0][:300]
        except (OSError, IndexError):
            pass
        raise EndpointError(f"{url}: {what} failed: HTTP {exc.code} {exc.reason}"
                            + (f": {detail}" if detail else "")) from None
    except (TimeoutError, socket.timeout):
        raise QueryTimeout(timeout, "the connection to the store was closed") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise QueryTimeout(timeout, "the connection to the store was closed") from None
        raise EndpointError(f"{url}: cannot reach the store: {getattr(reason, 'strerror', None) or reason}") from None
    except (OSError, ValueError) as exc:
        raise EndpointError(f"{url}: cannot reach the store: {exc}") from None


def query_endpoint(url: str, text: str, form: str, *, timeout: float, user: str | None = None):
    """Run the prepared query ``text`` at a SPARQL 1.1 endpoint (POST, ``application/sparql-query``).

    Returns an :class:`rdflib.query.Result`, like the local engine.
    """
    from .engine import result_from

    accept = _ACCEPT.get(form, _ACCEPT["SELECT"])
    body, ctype = _exchange("POST", url, text.encode("utf-8"),
                            {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept,
                             **_auth_headers(user)}, timeout, "the query")
    kind = "GRAPH" if form in ("CONSTRUCT", "DESCRIBE") else form
    try:
        if kind == "GRAPH" and "n-triples" not in ctype and "text/plain" not in ctype:
            from rdflib import Graph

            g = Graph()
            g.parse(data=body.decode("utf-8"), format="turtle" if "turtle" in ctype else "xml")
            body = g.serialize(format="nt").encode("utf-8")
        return result_from(kind, body)
    except Exception as exc:  # noqa: BLE001 -- any parser failure means the store answered something else
        first = body[:200].decode("utf-8", "replace").strip().splitlines()
        raise EndpointError(f"{url}: the answer is not {accept} ({ctype or 'no content type'}): "
                            f"{type(exc).__name__}: {str(exc)[:200]}"
                            + (f"; it begins {first[0]!r}" if first else "")) from None


def push(url: str, ntriples: bytes, graph: str | None = None, *, timeout: float, user: str | None = None) -> None:
    """Replace the default graph (or ``graph``) of a Graph Store with ``ntriples`` (HTTP PUT)."""
    target = graph_store_url(check_url(url), graph)
    _exchange("PUT", target, ntriples, {"Content-Type": "application/n-triples", **_auth_headers(user)},
              timeout, "the upload")


def check_graph_iri(iri: str | None) -> str | None:
    """``iri`` if it is an absolute IRI that can be written between ``<`` and ``>`` (None stays None)."""
    if iri is None:
        return None
    import re

    from .sparql import _BAD_IRI

    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or _BAD_IRI.search(iri):
        raise PapergraphError(f"--graph needs an absolute IRI, got {iri!r}")
    return iri


#: What ``mirror(part="order")`` reads: every node with its names, dates, ranks and stage, the
#: relations that constrain reading order and the stages' tools (no descriptions, notes, authors,
#: citations or statements): what ``order``, ``next``, ``check-order`` and ``plan`` need.
ORDER_PART = ("id", "label", "aliases", "title", "arxivId", "doi", "year", "date", "order", "weeksMin", "weeksMax",
              "guideNo", "guideYear", "flag", "nextRow")


def _part_predicates(part: str) -> list[str]:
    """The predicates a part of the graph is read with (``order``: :data:`ORDER_PART` and the order relations)."""
    from rdflib.namespace import RDF

    from .. import schema
    from .mapping import NODE_TERMS, RELATION_TERMS
    from .namespace import PG

    if part != "order":
        raise ValueError(f"unknown part {part!r}")
    required = {rel for k in schema.KINDS.values() for rel, _ in k.required_edges}
    required |= {"practises_with"}  # a plan lists each stage's tools
    rels = [n for n, r in schema.RELATIONS.items() if r.order or r.single or n in required]
    preds = {str(RDF.type)} | {str(getattr(PG, p)) for p in ORDER_PART}
    preds |= {NODE_TERMS[c].predicate for k in schema.KINDS.values() for c in k.required if c in NODE_TERMS}
    preds |= {p for n in rels for p in RELATION_TERMS.get(n, {}).values()}
    return sorted(preds)


def endpoint_dir(key: list):
    """The private directory in the user's cache that keeps what was read from a store for ``key``.

    ``key`` (JSON-ready: the URL, the graph and what was read) names it by its hash.

    Raises
    ------
    PapergraphError
        When there is no trusted cache directory, or it cannot be written.
    """
    import hashlib
    import json

    from ..cache import trusted_cache_dir

    home = trusted_cache_dir()
    if home is None:
        raise PapergraphError("--endpoint keeps what it reads from the store in the cache, and there is no usable "
                              "cache directory (set PAPERGRAPH_CACHE_DIR to a directory of your own)")
    where = home / ("endpoint-" + hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:32])
    try:
        where.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise PapergraphError(f"cannot write into {where}: {exc.strerror or exc}") from None
    return where


def mirror(url: str, graph: str | None = None, *, timeout: float, user: str | None = None,
           part: str | None = None):
    """The graph a SPARQL endpoint serves, as a papergraph data directory in the cache.

    Asks the endpoint for every triple (of the named ``graph``, or of its
    default graph) with one ``CONSTRUCT`` in N-Triples, and imports them as
    ``papergraph import`` does (the same checks; nothing is written unless all
    of it reads). The directory is kept in the user's cache, one per
    (endpoint, graph); when the store answers with the same bytes as last
    time, the earlier import (and its query cache) is used again. Every
    question a command asks is then answered by the same core as for local
    files. With ``part="order"``, only what reading orders need is read
    (:data:`ORDER_PART`, the order relations, ``in_stage`` and what a kind
    must have): a smaller answer and a smaller import, kept apart from the
    whole graph's.

    Returns
    -------
    pathlib.Path
        A directory holding ``nodes.csv`` and ``edges.csv``.

    Raises
    ------
    PapergraphError
        When there is no trusted cache directory to keep the import in.
    EndpointError, QueryTimeout, DataError
        When the store cannot be reached, answers with something else, or
        holds no papergraph graph (problems are located by the answer's line).
    """
    import hashlib

    from ..cache import trusted_file
    from ..files import atomic_write, max_input_bytes

    check_url(url)
    check_graph_iri(graph)
    where = endpoint_dir([url, graph] + ([part] if part else []))
    pattern = "?s ?p ?o"
    if part is not None:
        from .namespace import PG

        preds = " ".join(f"<{p}>" for p in _part_predicates(part))
        pattern = f"{{ ?s ?p ?o . VALUES ?p {{ {preds} }} }} UNION {{ ?s a <{PG.Dataset}> ; ?p ?o }}"
    where_clause = f"GRAPH <{graph}> {{ {pattern} }}" if graph else pattern
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where_clause} }}"
    answer = where / "answer.nt"
    limit = max_input_bytes()
    digest = hashlib.sha256()

    class _Sink:  # the answer goes to disk as it arrives, hashed on the way
        def __init__(self, fh):
            self.fh = fh

        def write(self, chunk):
            digest.update(chunk)
            self.fh.write(chunk)

    fd = os.open(answer, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            _, ctype = _exchange("POST", url, text.encode("utf-8"),
                                 {"Content-Type": "application/sparql-query; charset=utf-8",
                                  "Accept": "application/n-triples", **_auth_headers(user)}, timeout,
                                 "the download", sink=_Sink(fh), limit=limit,
                                 too_big="raise PAPERGRAPH_MAX_INPUT_BYTES to read a graph this big")
        if "n-triples" not in ctype and "text/plain" not in ctype:
            body = _to_ntriples(url, answer.read_bytes(), ctype)
            atomic_write(answer, body, private=True)
            digest = hashlib.sha256(body)
    except BaseException:
        answer.unlink(missing_ok=True)
        try:
            where.rmdir()  # only when nothing was ever imported into it
        except OSError:
            pass
        raise
    digest = digest.hexdigest()
    stamp = where / "source.sha256"
    if ((where / "nodes.csv").is_file() and trusted_file(stamp)
            and stamp.read_text(encoding="ascii", errors="replace").strip() == digest):
        answer.unlink(missing_ok=True)
        return where
    try:
        import_answer(url, graph, answer, where)
    finally:
        try:
            answer.unlink()
            where.rmdir()  # only when nothing was ever imported into it
        except OSError:
            pass
    atomic_write(stamp, digest + "\n", private=True)
    return where


def import_answer(url: str, graph: str | None, answer, where) -> None:
    """Import a store's N-Triples ``answer`` into ``where`` with ``import``'s checks.

    Problems are reported against the store (``URL (graph <IRI>), its
    answer``) and the answer's line, not the temporary file.
    """
    from ..errors import DataError, Problem
    from .importer import import_rdf

    shown = url + (f" (graph <{graph}>)" if graph else "") + ", its answer"
    try:
        import_rdf(answer, where, "nt")
    except DataError as exc:
        raise DataError([Problem(shown if p.file == str(answer) else p.file, p.line, p.message)
                         for p in exc.problems]) from None


def _to_ntriples(url: str, body: bytes, ctype: str) -> bytes:
    """A ``CONSTRUCT`` answer in Turtle or RDF/XML (a store that ignores ``Accept``), as N-Triples."""
    try:
        from rdflib import Graph

        g = Graph()
        g.parse(data=body.decode("utf-8"), format="turtle" if "turtle" in ctype else "xml")
        return g.serialize(format="nt").encode("utf-8")
    except Exception as exc:  # noqa: BLE001 -- any parser failure means the store answered something else
        first = body[:200].decode("utf-8", "replace").strip().splitlines()
        raise EndpointError(f"{url}: the answer is not RDF ({ctype or 'no content type'}): "
                            f"{type(exc).__name__}: {str(exc)[:200]}"
                            + (f"; it begins {first[0]!r}" if first else "")) from None
