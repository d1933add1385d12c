"""SPARQL over a papergraph (rdflib), refusing anything that could leave the machine.

:func:`check_query` parses a query with rdflib's SPARQL parser, translates it
to the algebra and inspects it before anything runs: ``SERVICE`` (which
rdflib would evaluate over HTTP), ``FROM`` / ``FROM NAMED`` (which rdflib
would load) and every update (``LOAD``, ``INSERT``, ``DELETE``, ``CLEAR``,
``DROP``, ``CREATE``, ``ADD``, ``MOVE``, ``COPY``) are refused. The export's
prefixes (``pg:``, ``schema:``, ``skos:``, ``paper:`` …) are predeclared.

Examples
--------
>>> check_query("SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
    ...
papergraph.errors.DataError: 1 problem found:
<query>:1: SERVICE <http://example.org/sparql> is refused: papergraph queries never reach the network
>>> check_query("LOAD <http://example.org/data.ttl>")
Traceback (most recent call last):
    ...
papergraph.errors.DataError: 1 problem found:
<query>:1: LOAD is refused: papergraph queries only read the graph (no LOAD, INSERT, DELETE, CLEAR, DROP, CREATE, …)
>>> check_query("SELECT ?x WHERE { ?x a pg:Paper }").algebra.name
'SelectQuery'
"""

from __future__ import annotations

import re

from ..errors import DataError, PapergraphError, Problem
from . import QUERY_FORMATS
from .namespace import DEFAULT_BASE, all_prefixes, check_base

__all__ = [
    "QUERY_FORMATS",
    "check_query",
    "format_result",
    "parse_binding",
    "prepare",
    "query_form",
    "run_query",
    "sparql_term",
]


_UPDATE_WORDS = r"LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH"
_UPDATE_START = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>|#[^\n]*)\s*)*"
                           rf"\b({_UPDATE_WORDS})\b", re.IGNORECASE)
_UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "INSERT/DELETE",
}


def _line_of(text: str, pattern: str) -> int:
    m = re.search(pattern, text, re.IGNORECASE)
    return text.count("\n", 0, m.start()) + 1 if m else 0


def _walk(node):
    """Yield every algebra node (rdflib ``CompValue``) below ``node``."""
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if getattr(x, "name", None):
                yield x
            stack.extend(x.values())
        elif isinstance(x, (list, tuple, set, frozenset)) or type(x).__name__ == "ParseResults":
            stack.extend(x)


def _refuse_update(text: str, source: str, parsed=None) -> DataError:
    names = [_UPDATE_NAMES.get(r.name, r.name) for r in parsed.request] if parsed is not None else []
    if not names:
        m = _UPDATE_START.search(text)
        names = [m.group(1).upper()] if m else ["an update"]
    first = names[0].split()[0].split("/")[0]
    line = _line_of(text, rf"\b{first}\b")
    return DataError([Problem(source, line, f"{', '.join(dict.fromkeys(names))} is refused: papergraph queries "
                                            "only read the graph (no LOAD, INSERT, DELETE, CLEAR, DROP, CREATE, …)")])


def check_query(text: str, source: str = "<query>", base: str = DEFAULT_BASE):
    """Parse and translate a SPARQL query; refuse what could reach the network or write.

    Parameters
    ----------
    text : str
        The query.
    source : str
        Where the query comes from (a file name), for messages.
    base : str
        The base of the export, for the predeclared data prefixes.

    Returns
    -------
    rdflib.plugins.sparql.sparql.Query
        Ready for :func:`run_query`.

    Raises
    ------
    DataError
        On a syntax error (``SOURCE:LINE: …`` with the parser's column and
        message), and on ``SERVICE``, ``FROM``, ``LOAD`` or any update.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            update = parseUpdate(text)
        except ParseException:
            if _UPDATE_START.search(text):
                raise _refuse_update(text, source) from None
            raise DataError([Problem(source, exc.lineno,
                                     f"SPARQL syntax error at column {exc.col}: {exc.msg}")]) from None
        raise _refuse_update(text, source, update) from None
    try:
        query = translateQuery(parsed, initNs=all_prefixes(check_base(base)))
    except Exception as exc:  # noqa: BLE001 -- rdflib raises a bare Exception, e.g. for an unknown prefix
        raise DataError([Problem(source, 0, f"SPARQL error: {exc}")]) from None
    query._papergraph_parsed = parsed[1]
    problems = []
    for node in _walk(query.algebra):
        if node.name == "Graph":
            problems.append(Problem(source, _line_of(text, r"\bGRAPH\b"),
                                    "GRAPH is not supported: the papergraph is one graph, without named graphs"))
        if node.name == "ServiceGraphPattern":
            target = dict.get(node, "term")
            problems.append(Problem(source, _line_of(text, r"\bSERVICE\b"),
                                    f"SERVICE {target.n3() if hasattr(target, 'n3') else target} is refused: "
                                    "papergraph queries never reach the network"))
        if dict.get(node, "datasetClause"):
            problems.append(Problem(source, _line_of(text, r"\bFROM\b"),
                                    "FROM and FROM NAMED are refused: the query runs over the papergraph "
                                    "only and never loads other graphs"))
    if problems:
        raise DataError(sorted(set(problems)))
    return query


def parse_binding(spec: str, base: str = DEFAULT_BASE):
    """``NAME=VALUE`` as a variable name and an RDF term.

    ``<iri>`` and ``prefix:local`` (a known prefix) give IRIs, whole numbers
    integers, anything else a plain string: node ids are strings, so
    ``--var paper=dit`` matches ``?x pg:id ?paper``.

    >>> parse_binding("paper=dit")
    ('paper', rdflib.term.Literal('dit'))
    >>> parse_binding("p=paper:dit")[1]
    rdflib.term.URIRef('https://w3id.org/papergraph/paper/dit')
    """
    from rdflib import Literal, URIRef

    name, sep, value = spec.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise PapergraphError(f"--var needs NAME=VALUE, got {spec!r}")
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or _BAD_IRI.search(iri):
            raise PapergraphError(f"--var {name}: {value!r} is not an IRI (no spaces, quotes, <>{{}}|^`\\ "
                                  "or control characters)")
        return name, URIRef(iri)
    prefix, colon, local = value.partition(":")
    prefixes = all_prefixes(check_base(base))
    if colon and prefix in prefixes and not local.startswith("//"):
        return name, URIRef(prefixes[prefix] + local)
    if re.fullmatch(r"-?\d+", value):
        return name, Literal(int(value))
    return name, Literal(value)


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def sparql_term(term) -> str:
    """An rdflib term in SPARQL (N-Triples) syntax, escaped so that it cannot end the clause it sits in.

    >>> from rdflib import Literal, URIRef
    >>> sparql_term(Literal('a" } ; DROP ALL #')), sparql_term(Literal(3)), sparql_term(URIRef("http://a/b"))
    ('"a\\\\" } ; DROP ALL #"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '<http://a/b>')
    """
    from rdflib import Literal, URIRef

    from .serialize import literal

    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise PapergraphError(f"{str(term)!r} is not an IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        return literal(str(term), lang=term.language or "", datatype=str(term.datatype or ""))
    raise PapergraphError(f"cannot bind {term!r}")


def query_form(query) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` for a query from :func:`check_query`."""
    return _FORMS.get(query.algebra.name, "SELECT")


def _variables(text: str) -> set[str]:
    """Names of the variables written in ``text`` (outside strings, IRIs and comments)."""
    found = set()
    for m in _TOKENS.finditer(text):
        if m.group("var"):
            found.add(m.group("var")[1:])
    return found


_TOKENS = re.compile(r'(?P<str>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
                     r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)|(?P<comment>#[^\n]*)|(?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)')


def prepare(text: str, query, bindings: dict | None = None, source: str = "<query>",
            base: str = DEFAULT_BASE) -> str:
    """The text that runs: predeclared prefixes, the query, and ``bindings`` as a trailing ``VALUES``.

    A trailing ``VALUES`` clause is joined with the ``WHERE`` pattern before
    grouping and ordering, so it means what rdflib's ``initBindings`` meant,
    and every engine (Oxigraph here, any SPARQL 1.1 endpoint) can start the
    pattern from the bound value. The terms are escaped (:func:`sparql_term`).

    Raises
    ------
    PapergraphError
        When a bound variable is not in the query, or the query already ends
        with a ``VALUES`` clause.

    >>> from rdflib import Literal
    >>> q = "SELECT ?x WHERE { ?p pg:id ?x }"
    >>> print(prepare(q, check_query(q), {"x": Literal("dit")}).splitlines()[-1])
    VALUES ?x { "dit" }
    """
    prologue = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in all_prefixes(check_base(base)).items())
    if not bindings:
        return prologue + text + "\n"
    written = _variables(text)
    missing = [n for n in bindings if n not in written]
    if missing:
        raise PapergraphError(f"--var {missing[0]}: the query has no ?{missing[0]} "
                              f"(its variables: {', '.join('?' + v for v in sorted(written)) or 'none'})")
    if dict.get(_query_part(query), "valuesClause") is not None:
        raise PapergraphError(f"{source}: --var cannot be used with a query that ends with its own VALUES clause")
    names = list(bindings)
    values = " ".join(sparql_term(bindings[n]) for n in names)
    if len(names) == 1:
        clause = f"VALUES ?{names[0]} {{ {values} }}"
    else:
        clause = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}"
    return prologue + text + "\n" + clause + "\n"


def _query_part(query):
    return getattr(query, "_papergraph_parsed", None) or {}


def run_query(graph, query, bindings: dict | None = None, source: str = "<query>"):
    """Evaluate a query from :func:`check_query` over an rdflib graph, to the end.

    Raises
    ------
    DataError
        When rdflib cannot evaluate the query (for example a ``GRAPH``
        pattern: the export is one graph, without named graphs).
    """
    try:
        result = graph.query(query, initBindings=bindings or {})
        if result.type == "SELECT":
            result.bindings  # noqa: B018 -- rdflib evaluates lazily; finish here, inside the try
    except Exception as exc:  # noqa: BLE001 -- rdflib raises bare Exceptions while evaluating
        raise DataError([Problem(source, 0, f"SPARQL evaluation failed: {exc}")]) from None
    return result


def _cell(term, compact) -> str:
    from rdflib import Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, Literal):
        return str(term)
    return term.n3()


def _json_term(term) -> dict:
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.datatype is not None:
            out["datatype"] = str(term.datatype)
        if term.language is not None:
            out["xml:lang"] = term.language
        return out
    return {"type": "bnode", "value": str(term)}


def _json_results(result) -> str:
    """W3C SPARQL JSON results, each binding's variables in the order of ``head.vars`` (whatever the engine)."""
    import json

    names = [str(v) for v in result.vars]
    rows = [{n: _json_term(row[v]) for n, v in zip(names, result.vars) if row[v] is not None} for row in result]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": rows}}, ensure_ascii=False) + "\n"


def format_result(result, fmt: str = "table", base: str = DEFAULT_BASE) -> str:
    """A query result as text: an aligned table, or the W3C SPARQL JSON / CSV results.

    ``ASK`` gives ``true`` or ``false``; ``CONSTRUCT`` and ``DESCRIBE`` give
    Turtle (JSON-LD with ``json``).
    """
    from ..textout import table
    from .serialize import Compactor

    if result.type == "ASK":
        if fmt == "json":
            return result.serialize(format="json").decode("utf-8") + "\n"
        return "true\n" if result.askAnswer else "false\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph
        for name, ns in all_prefixes(check_base(base)).items():
            g.bind(name, ns, override=True, replace=True)
        return g.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        return _json_results(result)
    if fmt == "csv":
        out = result.serialize(format=fmt).decode("utf-8")
        if fmt == "csv":  # meant for spreadsheets: no cell may start a formula
            from ..textout import spreadsheet_csv

            out = spreadsheet_csv(out)
        return out if out.endswith("\n") else out + "\n"
    compact = Compactor(all_prefixes(check_base(base))).name
    names = [str(v) for v in result.vars]
    rows = [[_cell(row[v], compact) for v in result.vars] for row in result]
    rows = [[c.replace("\n", " ") for c in r] for r in rows]
    return table(rows, names) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
