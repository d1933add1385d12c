"""Answer a question about a few nodes from a SPARQL store without copying the whole graph.

``prereqs``, ``why`` and ``unlocks`` with ``--endpoint`` ask the store only
for the part of the graph their answer depends on (see
:mod:`papergraph.core`: an answer about a paper depends only on its own
closure):

1. the nodes that answer to each name on the command line: the node whose
   ``pg:id`` is the name (an index lookup; an exact id wins over every other
   name), else the nodes one of whose names (id, labels, aliases, title,
   arXiv id, DOI, IRI) folds to the same key (:func:`papergraph.names.fold`),
   found by a store-side filter on the name's words (a scan of the store's
   names: about 2 s on a 100k store); :mod:`papergraph.names` then picks
   among them, as it would in the whole graph;
2. the closure of those nodes, computed by the store with one SPARQL
   property path built from the schema's order relations (backwards for
   ``prereqs`` and ``why``, with the roots' components; forwards for
   ``unlocks``);
3. every triple about those nodes, their stages (and what their self-check
   questions ask about), the edge statements among them and the dataset
   description, fetched with ``CONSTRUCT`` in chunks of
   :data:`CHUNK` nodes.

Links to nodes outside the closure are dropped, and the row order the
tie-break needs (papers of one stage with the same ``order``) is asked for
only for the papers that tie. (A stage without ``pg:order`` is ranked by its
row among all stages, which a part cannot show: :class:`NeedsWholeGraph`
is raised, and the command reads the whole graph instead.) The result is imported with ``import``'s
checks into a temporary directory, and the command then resolves its names
and answers with the same code as for local files. The client's work and
memory grow with the answer, not with the store.

Examples
--------
>>> print(closure_path("before"))  # doctest: +NORMALIZE_WHITESPACE
(<https://w3id.org/papergraph/ns#uses>)?/(^<https://w3id.org/papergraph/ns#introduces>|...)*
>>> _words("Attention  Is All You Need"), _words("arXiv:1706.03762"), _words("残差连接")
(['attention', 'is', 'all', 'you', 'need'], ['1706.03762'], ['残差连接'])
>>> _words("ß")
[]
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
from pathlib import Path

from rdflib.namespace import RDF

from .. import schema
from ..errors import PapergraphError
from ..schema import LIST_SEPARATOR
from .mapping import IRI_VALUED, KIND_CLASS, RELATION_TERMS
from .namespace import PG
from .remote import (
    AnswerTooBig,
    EndpointError,
    _auth_headers,
    _exchange,
    _to_ntriples,
    check_graph_iri,
    check_url,
    import_answer,
)
from .serialize import literal

__all__ = ["CHUNK", "NeedsWholeGraph", "closure_path", "fetch_scope"]

#: Nodes per ``CONSTRUCT`` request.
CHUNK = 500

_NAME_PREDICATES = ("id", "label", "aliases", "title", "arxivId", "doi")
_RDF_SUBJECT, _RDF_OBJECT, _RDF_TYPE = str(RDF.subject), str(RDF.object), str(RDF.type)
_NEXT_ROW, _IN_STAGE, _ORDER = str(PG.nextRow), str(PG.inStage), str(PG.order)
_ASKS = RELATION_TERMS["asks_about"]["question"]
_SAFE_CHAR = re.compile(r"[0-9a-z._\-\u3000-\u9fff\uac00-\ud7af]")


class NeedsWholeGraph(PapergraphError):
    """The answer depends on more than the fetched part (a stage without ``pg:order``)."""


def closure_path(direction: str) -> str:
    """The SPARQL property path from a node to its closure over "must be read before".

    ``before``: to everything that must be read before it, starting with the
    components it uses; ``after``: to everything that must be read after it;
    ``around``: to everything after it and everything *those* need (so that
    every node it unlocks has its whole closure: the focused map).
    Built from :data:`papergraph.schema.RELATIONS` and the RDF mapping, the
    same tables the order index is built from.
    """
    back, forth = [], []
    for name, rel in schema.RELATIONS.items():
        for pred in sorted(set(RELATION_TERMS.get(name, {}).values())):
            if rel.order == "source-first":
                back.append(f"^<{pred}>")
                forth.append(f"<{pred}>")
            elif rel.order == "target-first":
                back.append(f"<{pred}>")
                forth.append(f"^<{pred}>")
    after = "(" + "|".join(forth) + ")*"
    if direction == "after":
        return after
    uses = sorted({p for name, rel in schema.RELATIONS.items() if rel.component
                   for p in RELATION_TERMS.get(name, {}).values()})
    before = "(" + "|".join(f"<{p}>" for p in uses) + ")?/(" + "|".join(back) + ")*"
    if direction == "around":
        return after + "/" + before
    if direction != "before":
        raise ValueError(f"direction must be before, after or around, not {direction!r}")
    return before


def _words(name: str) -> list[str]:
    """The runs of plain characters (ASCII letters and digits, ``._-``, CJK) of ``name``, lower-cased.

    A node answers to ``name`` when one of its names folds to the same key
    (:func:`papergraph.names.fold`); such a name, lower-cased, contains every
    one of these runs, unless it spells one with letters that case-fold to
    several (``ß`` for ``ss``), which no name of the guide does.
    """
    key = " ".join(str(name).lower().split())
    if key.startswith("arxiv:"):
        key = key[len("arxiv:"):]
    return [r for r in re.findall(r"(?:" + _SAFE_CHAR.pattern + r")+", key) if all(c.casefold() == c for c in r)]


class _Store:
    """One question's exchanges with the store, which together read at most the input limit."""

    def __init__(self, url, graph, timeout, user):
        from ..files import max_input_bytes

        self.url, self.graph, self.timeout, self.user = url, graph, timeout, user
        self.limit = self.left = max_input_bytes()

    def _ask(self, text: str, accept: str) -> tuple[bytes, str]:
        try:
            body, ctype = _exchange("POST", self.url, text.encode("utf-8"),
                                    {"Content-Type": "application/sparql-query; charset=utf-8",
                                     "Accept": accept, **_auth_headers(self.user)}, self.timeout, "the query",
                                    limit=max(self.left, 1))
        except AnswerTooBig:
            raise EndpointError(f"{self.url}: what this question needs from the store is over the input limit of "
                                f"{self.limit:,} bytes ({self.limit - self.left:,} read before this answer); "
                                "raise PAPERGRAPH_MAX_INPUT_BYTES to read it") from None
        self.left -= len(body)
        return body, ctype

    def where(self, pattern: str) -> str:
        return f"GRAPH <{self.graph}> {{ {pattern} }}" if self.graph else pattern

    def select(self, text: str) -> list[dict]:
        body, _ = self._ask(text, "application/sparql-results+json")
        try:
            rows = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise EndpointError(f"{self.url}: the answer is not SPARQL JSON results") from None
        return [{k: v.get("value") for k, v in r.items()} for r in rows]

    def construct(self, text: str) -> list:
        import pyoxigraph as ox

        body, ctype = self._ask(text, "application/n-triples")
        if "n-triples" not in ctype and "text/plain" not in ctype:
            body = _to_ntriples(self.url, body, ctype)
        try:
            return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url}: the answer is not N-Triples: {str(exc)[:200]}") from None


def _values(var: str, iris) -> str:
    """A ``VALUES`` clause of IRIs the store sent; one that could not be written back safely is refused."""
    from .sparql import _BAD_IRI

    bad = [i for i in iris if _BAD_IRI.search(i) or not i]
    if bad:
        raise EndpointError(f"the store answered with an IRI that cannot be written into a query: {bad[0][:200]!r}")
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in iris) + " }"


def _candidates(store: _Store, names: list[str]) -> set[str]:
    """The IRIs of the nodes that may answer to any of ``names``; all unknown names reported at once."""
    from ..names import fold
    from .mapping import local_id

    # (a FILTER on the class, not a VALUES: Oxigraph would start from every node of those classes)
    typed = "FILTER(?c IN (" + ", ".join(f"<{c}>" for c in KIND_CLASS.values()) + "))"
    preds = " ".join(f"<{getattr(PG, p)}>" for p in _NAME_PREDICATES)
    aliases = str(PG.aliases)
    found, missing = set(), []
    for name in names:
        # an exact id wins over every other name (papergraph.names.resolve): one index lookup
        text = f"SELECT DISTINCT ?n WHERE {{ {store.where(f'?n <{PG.id}> {literal(str(name))} . ?n a ?c')} {typed} }}"
        hits = {r["n"] for r in store.select(text) if r.get("n")}
        words = _words(name) if not hits else []
        key, near, rows = fold(name), {}, []
        if not hits and words:
            test = " && ".join(f"CONTAINS(LCASE(STR(?v)), {literal(w)})" for w in words)
            text = (f"SELECT DISTINCT ?n ?p ?v WHERE {{ {store.where('?n ?p ?v')} VALUES ?p {{ {preds} }} "
                    f"FILTER({test}) {store.where('?n a ?c')} {typed} }}")
            rows = [(r["n"], r.get("p"), r.get("v") or "") for r in store.select(text) if r.get("n")]
            text = f"SELECT DISTINCT ?n WHERE {{ {store.where('?n a ?c')} {typed} FILTER({test.replace('?v', '?n')}) }}"
            rows += [(r["n"], None, local_id(r["n"])) for r in store.select(text) if r.get("n")]
        elif not hits:  # nothing safe to filter on: read every name and fold it here
            text = (f"SELECT ?n ?p ?v WHERE {{ {store.where('?n a ?c')} {typed} "
                    f"OPTIONAL {{ {store.where('?n ?p ?v')} VALUES ?p {{ {preds} }} }} }}")
            rows = [(r["n"], r.get("p"), r.get("v") or "") for r in store.select(text) if r.get("n")]
            rows += [(n, None, local_id(n)) for n in {n for n, _, _ in rows}]
        for n, p, v in rows:
            # the names a node answers to, as papergraph.names.names_of lists them: an alias cell holds several
            for one in (v.split(LIST_SEPARATOR) if p == aliases else [v]):
                f = fold(one)
                if f == key:
                    hits.add(n)
                elif f:
                    near.setdefault(f, one.strip())
        if hits:
            found |= hits
        else:
            close = (difflib.get_close_matches(key, list(near), n=5, cutoff=0.6) if len(near) <= 50_000 else []) \
                or sorted(near, key=lambda f: (len(f), f))[:5]  # (names.resolve caps difflib alike)
            missing.append(f"no node answers to {name!r} in {store.url}"
                           + (f"; did you mean: {', '.join(near[c] for c in close)}?" if close else ""))
    if missing:
        raise PapergraphError("; ".join(missing) if len(missing) > 1 else missing[0])
    return found


def fetch_scope(url: str, graph: str | None, names: list[str], direction: str = "before", *,
                timeout: float, user: str | None = None, into: str | Path | None = None) -> Path:
    """A data directory holding the part of the store's graph a question about ``names`` depends on.

    Parameters
    ----------
    url, graph, timeout, user
        As for :func:`papergraph.rdf.remote.mirror`.
    names : list of str
        The names the command was given (resolved later by :mod:`papergraph.names`).
    direction : {"before", "after", "around"}
        ``before`` for ``prereqs`` and ``why``; ``after`` for ``unlocks``;
        ``around`` for ``html --focus --hide-others``.
    into : path, optional
        The directory to write (default: a new temporary directory).

    Returns
    -------
    pathlib.Path
        A directory holding ``nodes.csv`` and ``edges.csv``.

    Raises
    ------
    PapergraphError
        When a name matches no node of the store (every such name at once).
    EndpointError, QueryTimeout, DataError
        As :func:`papergraph.rdf.remote.mirror`.
    """
    import pyoxigraph as ox

    check_url(url)
    check_graph_iri(graph)
    store = _Store(url, graph, timeout, user)
    roots = sorted(_candidates(store, names))
    path = closure_path(direction)
    nodes = sorted({r["n"] for r in store.select(
        f"SELECT DISTINCT ?n WHERE {{ {store.where(_values('x', roots) + f' ?x {path} ?n .')} }}") if r.get("n")})
    triples = _about(store, nodes)
    kept = set(nodes)
    # the stages of those nodes, and what their self-check questions ask about (a question needs it)
    extra = sorted({str(t.object.value) for t in triples
                    if t.predicate.value in (_IN_STAGE, _ASKS) and isinstance(t.object, ox.NamedNode)} - kept)
    triples += _about(store, extra)
    kept |= set(extra)
    triples += store.construct(
        f"CONSTRUCT {{ ?d ?p ?o }} WHERE {{ {store.where(f'?d a <{PG.Dataset}> ; ?p ?o .')} }}")
    lines = _keep(triples, kept)
    lines += _row_chains(store, triples, kept)
    return _import(url, graph, "\n".join(sorted(set(lines))) + "\n", into)


def _about(store: _Store, subjects: list[str]) -> list:
    """Every triple about ``subjects``, and about the statements of the edges that leave them."""
    out = []
    for k in range(0, len(subjects), CHUNK):
        body = (_values("s", subjects[k:k + CHUNK]) + " { ?s ?p ?o . BIND(?s AS ?x) } UNION "
                f"{{ ?x <{_RDF_SUBJECT}> ?s . ?x ?p ?o }}")
        out += store.construct(f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ {store.where(body)} }}")
    return out


def _keep(triples, kept: set[str]) -> list[str]:
    """N-Triples lines of ``triples`` that stay inside ``kept`` (row links are rebuilt by :func:`_row_chains`)."""
    import pyoxigraph as ox

    target: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == _RDF_OBJECT and isinstance(t.object, ox.NamedNode):
            target[t.subject.value] = t.object.value
    out = []
    for t in triples:
        s, p, o = t.subject.value, t.predicate.value, t.object
        if p == _NEXT_ROW:
            continue
        if s in target and target[s] not in kept:
            continue  # the statement of an edge that leaves the scope
        if p in IRI_VALUED and isinstance(o, ox.NamedNode) and o.value not in kept:
            continue
        out.append(f"{t.subject} {t.predicate} {o} .")
    return out


def _row_chains(store: _Store, triples, kept: set[str]) -> list[str]:
    """``pg:nextRow`` links that give papers which tie on (stage, order) their rows' relative order.

    The reading order breaks such ties by row (:func:`papergraph.orderindex.sort_key`);
    only the papers that tie are asked for their place in the store's row
    chain. A stage without ``pg:order`` is ranked by its row among all
    stages, which a scope cannot see: the command is refused rather than
    answered differently.
    """
    import pyoxigraph as ox

    paper_class = KIND_CLASS["paper"]
    kind, stage, order = {}, {}, {}
    for t in triples:
        s, p, o = t.subject.value, t.predicate.value, t.object
        if s not in kept:
            continue
        if p == _RDF_TYPE and o.value in KIND_CLASS.values():
            kind[s] = o.value
        elif p == _IN_STAGE and isinstance(o, ox.NamedNode):
            stage.setdefault(s, o.value)
        elif p == _ORDER and isinstance(o, ox.Literal):
            order[s] = o.value
    unordered = [s for s, c in kind.items() if c == KIND_CLASS["stage"] and s not in order]
    if unordered:
        raise NeedsWholeGraph(f"stage <{unordered[0]}> has no pg:order")
    groups: dict[tuple, list[str]] = {}
    for s, c in kind.items():
        if c == paper_class:
            groups.setdefault((stage.get(s), order.get(s)), []).append(s)
    tied = sorted(s for g in groups.values() if len(g) > 1 for s in g)
    if not tied:
        return []
    row: dict[str, int] = {}
    for k in range(0, len(tied), CHUNK):
        part = tied[k:k + CHUNK]
        for r in store.select(f"SELECT ?x (COUNT(?y) AS ?n) WHERE {{ "
                              f"{store.where(_values('x', part) + f' ?y <{_NEXT_ROW}>+ ?x .')} }} GROUP BY ?x"):
            try:
                row[r["x"]] = int(r["n"])
            except (KeyError, TypeError, ValueError):
                raise EndpointError(f"{store.url}: a row count came back as {r.get('n')!r}, not a number") from None
    out = []
    for g in groups.values():
        if len(g) > 1:
            g.sort(key=lambda s: (row.get(s, 0), s))
            out += [f"<{a}> <{_NEXT_ROW}> <{b}> ." for a, b in zip(g, g[1:])]
    return out


def _import(url: str, graph: str | None, text: str, into) -> Path:
    where = Path(into) if into is not None else Path(tempfile.mkdtemp(prefix="papergraph-scope-"))
    with tempfile.NamedTemporaryFile("w", suffix=".nt", encoding="utf-8", dir=where, delete=False) as fh:
        fh.write(text)
        answer = Path(fh.name)
    try:
        import_answer(url, graph, answer, where)
    finally:
        answer.unlink(missing_ok=True)
    return where
