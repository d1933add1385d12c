"""Triples as plain strings, and small deterministic N-Triples and Turtle writers.

A :class:`Triples` holds, per subject IRI, the rest of each triple as one
string, ``"predicate object"``, spelt either for N-Triples (``<iri>``,
``"text"@en``, ``"5"^^<…#integer>``) or for Turtle (``pg:label``,
``paper:dit``, ``5``). Such strings hash, sort fast, and make the output
with one join per subject, which keeps the export of a large graph close to
the speed of a plain f-string writer. Both writers sort subjects, then the
subject's predicate-object strings (in Turtle ``a`` comes first), so the same
graph always gives the same bytes; Turtle puts one triple on a line, so a
changed value changes one line of a diff.

Literals are escaped as the N-Triples and Turtle grammars require: ``"``,
``\\``, line feed and carriage return as ``\\"``, ``\\\\``, ``\\n``, ``\\r``; tab as
``\\t``; the other control characters as ``\\uXXXX``. Other characters,
Chinese included, are written as UTF-8.

Examples
--------
>>> t = Triples()
>>> t.add("http://ex.org/a", "http://ex.org/p", literal('say "hi"\\n', lang="en"))
>>> t.add("http://ex.org/a", str(RDF.type), iri("http://ex.org/C"))
>>> print(to_ntriples(t), end="")
<http://ex.org/a> <http://ex.org/p> "say \\"hi\\"\\n"@en .
<http://ex.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/C> .
>>> print(to_turtle(t, {"ex": "http://ex.org/"}), end="")
@prefix ex: <http://ex.org/> .
<BLANKLINE>
ex:a a ex:C ;
    ex:p "say \\"hi\\"\\n"@en .
"""

from __future__ import annotations

import re
from itertools import islice
from operator import eq

from .namespace import RDF, XSD

__all__ = [
    "Compactor",
    "Triples",
    "escape",
    "iri",
    "literal",
    "needs_escape",
    "to_ntriples",
    "to_turtle",
    "turtle_term",
]

_TYPE = str(RDF.type)
_INTEGER = str(XSD.integer)

_ESCAPES = {i: f"\\u{i:04X}" for i in [*range(0x20), 0x7F]}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
# An ASCII subset of Turtle's PN_LOCAL: cannot start with '-' or '.', cannot end with '.'.
_PN_LOCAL = re.compile(r"[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?")
_TURTLE_INTEGER = re.compile(r"[+-]?[0-9]+")

#: ``needs_escape(text)`` is true when :func:`escape` would change ``text``.
needs_escape = re.compile('[\x00-\x1f"\\\\\x7f]').search


def escape(text: str) -> str:
    """Escape ``text`` for a quoted N-Triples or Turtle string.

    >>> print(escape('a\\\\b "c"\\r\\n\\x00中'))
    a\\\\b \\"c\\"\\r\\n\\u0000中
    """
    if needs_escape(text):
        return text.translate(_ESCAPES)
    return text


def iri(value: str) -> str:
    """An IRI in N-Triples syntax.

    >>> iri("https://schema.org/name")
    '<https://schema.org/name>'
    """
    return f"<{value}>"


def literal(value: str, lang: str = "", datatype: str = "") -> str:
    """A literal in N-Triples syntax: plain, language-tagged or typed.

    Plain strings are never typed ``xsd:string`` (rdflib treats the two as
    different terms).

    >>> literal("注意力", lang="zh")
    '"注意力"@zh'
    >>> literal("5", datatype="http://www.w3.org/2001/XMLSchema#integer")
    '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if lang:
        return f'"{escape(value)}"@{lang}'
    if datatype:
        return f'"{escape(value)}"^^<{datatype}>'
    return f'"{escape(value)}"'


def _split(pair: str) -> tuple[str, str]:
    """``'<p> o'`` as ``('p', 'o')`` (an IRI holds neither ``>`` nor a space)."""
    cut = pair.find("> ")
    return pair[1:cut], pair[cut + 2:]


class Triples:
    """A set of triples, grouped by subject, spelt for N-Triples or for Turtle.

    ``by_subject`` maps a subject IRI (without brackets) to a list of
    *entries*: for N-Triples (``prefixes`` is ``None``) each entry is a
    whole line, ``"<s> <p> o .\\n"``; for Turtle it is ``"p o"``, abbreviated
    with ``prefixes``. Either writer then only sorts and joins. The exporter
    fills ``by_subject`` directly, for speed (see :meth:`head` and
    :attr:`tail`); :meth:`add` spells a triple given in N-Triples syntax.
    Duplicates are dropped when writing.

    >>> t = Triples()
    >>> t.add("http://a", "http://p", '"x"'); t.add("http://a", "http://p", '"x"')
    >>> len(t), list(t)
    (1, [('http://a', 'http://p', '"x"')])
    >>> t.by_subject
    {'http://a': ['<http://a> <http://p> "x" .\\n', '<http://a> <http://p> "x" .\\n']}
    >>> t = Triples({"ex": "http://ex.org/"})
    >>> t.add("http://ex.org/a", "http://ex.org/p", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>')
    >>> t.by_subject
    {'http://ex.org/a': ['ex:p 5']}
    """

    __slots__ = ("by_subject", "compactor", "prefixes", "tail")

    def __init__(self, prefixes: dict[str, str] | None = None):
        self.by_subject: dict[str, list[str]] = {}
        self.prefixes = dict(prefixes) if prefixes is not None else None
        self.compactor = Compactor(prefixes) if prefixes is not None else None
        #: What ends an entry: ``" .\\n"`` for N-Triples, nothing for Turtle.
        self.tail = "" if self.turtle else " .\n"

    @property
    def turtle(self) -> bool:
        """Whether the entries are spelt for Turtle."""
        return self.prefixes is not None

    def head(self, subject: str) -> str:
        """What starts an entry of ``subject``: ``"<s> "`` for N-Triples, nothing for Turtle."""
        return "" if self.turtle else f"<{subject}> "

    def entry(self, subject: str, predicate: str, obj: str) -> str:
        """One triple as an entry; ``obj`` in N-Triples syntax."""
        c = self.compactor
        if c is None:
            return f"<{subject}> <{predicate}> {obj} .\n"
        return f"{c.name(predicate)} {c.term(obj)}"

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Add one triple; ``obj`` in N-Triples syntax (see :func:`iri`, :func:`literal`)."""
        entry = self.entry(subject, predicate, obj)
        group = self.by_subject.get(subject)
        if group is None:
            self.by_subject[subject] = [entry]
        else:
            group.append(entry)

    def _pair(self, subject: str, entry: str) -> str:
        """``"<p> o"`` of an N-Triples entry."""
        return entry[len(subject) + 3:-3]

    def update(self, other: Triples) -> None:
        """Add every triple of ``other`` (spelt for N-Triples, or as this set is)."""
        same = other.prefixes == self.prefixes
        if not same and other.turtle:
            raise ValueError("cannot respell Turtle entries; give triples spelt for N-Triples")
        for s, entries in other.by_subject.items():
            group = self.by_subject.setdefault(s, [])
            group.extend(entries if same else [self.entry(s, *_split(other._pair(s, e))) for e in entries])

    def sorted_groups(self):
        """Yield ``(subject, sorted list of its entries)`` without duplicates."""
        by_subject = self.by_subject
        for s in sorted(by_subject):
            entries = sorted(by_subject[s])
            # Duplicates are rare and end up side by side; hashing every entry to find them costs more.
            if any(map(eq, entries, islice(entries, 1, None))):
                entries = list(dict.fromkeys(entries))
            yield s, entries

    def __iter__(self):
        """Every ``(subject, predicate, object)`` in N-Triples syntax, sorted."""
        if self.turtle:
            raise TypeError("iterate over triples spelt for N-Triples (Triples(prefixes=None))")
        for s, entries in self.sorted_groups():
            for e in entries:
                p, o = _split(self._pair(s, e))
                yield s, p, o

    def __len__(self) -> int:
        return sum(len(set(entries)) for entries in self.by_subject.values())


def to_ntriples(triples: Triples) -> str:
    """Sorted N-Triples, one triple a line (by subject, predicate, object)."""
    if triples.turtle:
        raise ValueError("these triples are spelt for Turtle; build them with prefixes=None")
    out: list[str] = []
    extend = out.extend
    for _, entries in triples.sorted_groups():
        extend(entries)
    return "".join(out)


class Compactor:
    """Abbreviates IRIs with prefixes, remembering what it has done.

    >>> Compactor({"ex": "http://ex.org/"}).name("http://ex.org/a")
    'ex:a'
    """

    _LIMIT = 200_000

    def __init__(self, prefixes: dict[str, str]):
        self.by_ns = {ns: name for name, ns in prefixes.items()}
        self.names: dict[str, str] = {_TYPE: "a"}
        self.terms: dict[str, str] = {}

    def name(self, value: str) -> str:
        """An IRI (without brackets) as ``prefix:local`` or ``<iri>``."""
        hit = self.names.get(value)
        if hit is not None:
            return hit
        cut = max(value.rfind("/"), value.rfind("#")) + 1
        prefix = self.by_ns.get(value[:cut])
        local = value[cut:]
        if prefix is not None and (local == "" or _PN_LOCAL.fullmatch(local)):
            out = f"{prefix}:{local}"
        else:
            out = f"<{value}>"
        if len(self.names) < self._LIMIT:
            self.names[value] = out
        return out

    def term(self, obj: str) -> str:
        """An N-Triples object in Turtle syntax."""
        if obj[-1] != ">":
            return obj
        hit = self.terms.get(obj)
        if hit is not None:
            return hit
        if obj[0] == "<":
            out = self.name(obj[1:-1])
        else:
            cut = obj.rfind('"^^<')
            datatype = obj[cut + 4:-1]
            lexical = obj[1:cut]
            if datatype == _INTEGER and _TURTLE_INTEGER.fullmatch(lexical):
                out = lexical
            else:
                out = f'"{lexical}"^^{self.name(datatype)}'
        if len(self.terms) < self._LIMIT:
            self.terms[obj] = out
        return out


def turtle_term(obj: str, prefixes: dict[str, str]) -> str:
    """One N-Triples term in Turtle syntax, abbreviated with ``prefixes``.

    >>> turtle_term('"7"^^<http://www.w3.org/2001/XMLSchema#integer>', {})
    '7'
    >>> turtle_term("<http://ex.org/a>", {"ex": "http://ex.org/"})
    'ex:a'
    """
    return Compactor(prefixes).term(obj)


def to_turtle(triples: Triples, prefixes: dict[str, str] | None = None) -> str:
    """Deterministic Turtle: fixed prefixes, sorted subjects, then one line per predicate and object.

    Each subject's lines are sorted (``a`` first, then by predicate name and
    object), and each holds one triple, except the node's classes, which the
    exporter writes on one ``a`` line: a changed value changes one line.
    Every prefix is declared, used or not, so the header never changes.

    Parameters
    ----------
    triples : Triples
        Spelt for Turtle (fast), or for N-Triples (respelt here with ``prefixes``).
    prefixes : dict, optional
        Needed when ``triples`` is spelt for N-Triples; else those of ``triples``.
    """
    if not triples.turtle:
        if prefixes is None:
            raise ValueError("give the prefixes to abbreviate N-Triples terms with")
        respelt = Triples(prefixes)
        respelt.update(triples)
        triples = respelt
    name = triples.compactor.name
    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(triples.prefixes.items())]
    append = out.append
    for s, pairs in triples.sorted_groups():
        append(f"\n{name(s)} ")
        append(" ;\n    ".join(pairs))
        append(" .\n")
    return "".join(out)
