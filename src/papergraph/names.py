"""Name resolution: the one rule that turns what a reader types into a node.

A reader may name a node by its id, its English or Chinese label, an alias,
its title or its arXiv id (or DOI). Matching ignores case and repeated
spaces, and an ``arXiv:`` prefix. When several nodes answer to a name, the
strongest kind of match wins, in this order:

1. the exact id (as written, then ignoring case);
2. a label, English or Chinese;
3. an alias;
4. a title;
5. an arXiv id or DOI.

On a tie between kinds, papers win, then tools, then concepts, then stages,
then questions. Two nodes of the same kind that tie are ambiguous: the reader
is asked to use an id.

The rule lives here and only here. The command line, the app and the map's
page all use it: the page receives, for every name it can be searched by,
the node this module resolves it to (:func:`resolved_names`).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("lora", kind="paper", label_en="LoRA", aliases=["low-rank adaptation"])
>>> G.add_node("peft", kind="tool", label_en="PEFT")
>>> G.add_node("rlhf", kind="concept", label_en="RLHF")
>>> G.add_node("instructgpt", kind="paper", label_en="InstructGPT", aliases=["RLHF"])
>>> resolve(G, "peft", kinds=None), resolve(G, "RLHF", kinds=None), resolve(G, "rlhf", kinds=None)
('peft', 'rlhf', 'rlhf')
>>> resolve(G, "rlhf")  # only papers
'instructgpt'
>>> resolve(G, "Low-Rank  Adaptation")
'lora'
"""

from __future__ import annotations

import difflib

from .errors import NotAPaperError, UnknownNameError

__all__ = ["KIND_RANK", "STRENGTHS", "fold", "names_of", "name_entries", "resolve", "resolve_many",
           "resolved_names", "write_table"]

#: How strongly each kind of name identifies a node (lower wins).
STRENGTHS = {"id": 0, "label": 1, "alias": 2, "title": 3, "identifier": 4}

#: Which kind wins a tie between nodes of different kinds (lower wins); unknown kinds last.
KIND_RANK = {"paper": 0, "tool": 1, "concept": 2, "stage": 3, "question": 4}
_LAST = 9


def fold(s) -> str:
    """A name as it is matched: case folded, runs of spaces made one, ``arXiv:`` dropped.

    >>> fold("  ArXiv:1706.03762 "), fold("Attention  Is All\\tYou Need")
    ('1706.03762', 'attention is all you need')
    """
    key = " ".join(str(s).casefold().split())
    if key.startswith("arxiv:"):
        key = key[len("arxiv:"):].strip()
    return key


def names_of(node: str, data: dict):
    """Yield ``(name, strength)`` for every name a reader may type for ``node``."""
    yield node, STRENGTHS["id"]
    for key in ("label_en", "label_zh"):
        if data.get(key):
            yield data[key], STRENGTHS["label"]
    for alias in data.get("aliases") or ():
        if alias:
            yield alias, STRENGTHS["alias"]
    if data.get("title"):
        yield data["title"], STRENGTHS["title"]
    for key in ("arxiv", "doi"):
        if data.get(key):
            yield data[key], STRENGTHS["identifier"]


def name_entries(node: str, data: dict):
    """Yield ``(folded name, strength, kind rank, display name)``, the strongest entry per folded name."""
    krank = KIND_RANK.get(data.get("kind"), _LAST)
    best: dict[str, tuple[int, str]] = {}
    for name, strength in names_of(node, data):
        f = fold(name)
        if f and (f not in best or strength < best[f][0]):
            best[f] = (strength, str(name))
    for f, (strength, shown) in best.items():
        yield f, strength, krank, shown


class _Names:
    """The names of one graph: ``{fold: [(strength, kind rank, i, name)]}`` in memory, or an SQLite table."""

    def __init__(self, ix):
        self.ix = ix
        con = ix.connection
        self.con = con
        self.table = None
        if con is None:
            table: dict[str, list] = {}
            for i, node in enumerate(ix.ids):
                for f, strength, krank, shown in name_entries(node, ix.node_data(i)):
                    table.setdefault(f, []).append((strength, krank, i, shown))
            self.table = table

    def lookup(self, key: str) -> list[tuple[int, int, int]]:
        """``[(strength, kind rank, i)]`` of the nodes with a name that folds to ``key``."""
        if self.table is not None:
            return [e[:3] for e in self.table.get(key, ())]
        return [tuple(r) for r in self.con.execute(
            "SELECT strength, krank, i FROM oi_name WHERE fold = ?", (key,)).fetchall()]

    def vocabulary(self, kinds=None) -> dict[str, str]:
        """``{folded name: name as written}`` of the nodes of ``kinds`` (every kind when None)."""
        ix = self.ix
        rows = ((f, e[2], e[3]) for f, es in self.table.items() for e in es) if self.table is not None else \
            self.con.execute("SELECT fold, i, shown FROM oi_name ORDER BY rowid").fetchall()
        out: dict[str, str] = {}
        for f, i, shown in rows:
            if kinds is None or ix.kind_of(i) in kinds:
                out.setdefault(f, shown)
        return out


def _table(G):
    """``(order index, names)`` of ``G``: one name table per index, kept with it."""
    from .orderindex import index_of

    ix = index_of(G)
    if ix.names is None:
        ix.names = _Names(ix)
    return ix, ix.names


def write_table(con, G) -> None:
    """Store the names of ``G`` in the SQLite connection ``con`` (table ``oi_name``), beside its order index."""
    con.execute("CREATE TABLE oi_name(fold TEXT NOT NULL, i INTEGER NOT NULL, strength INTEGER NOT NULL, "
                "krank INTEGER NOT NULL, shown TEXT NOT NULL)")
    _, names = _table(G)
    con.executemany("INSERT INTO oi_name VALUES (?, ?, ?, ?, ?)",
                    ((f, e[2], e[0], e[1], e[3]) for f, es in names.table.items() for e in es))
    con.execute("CREATE INDEX oi_name_fold ON oi_name(fold)")


def resolve(G, name: str, kinds: tuple[str, ...] | None = ("paper",)) -> str:
    """The id of the node called ``name`` (see the module's precedence).

    Parameters
    ----------
    G : graph
        A graph of :mod:`papergraph.load`, or anything :func:`papergraph.orderindex.index_of` accepts.
    name : str
    kinds : tuple of str or None
        Only nodes of these kinds are considered (``None``: every kind).

    Raises
    ------
    UnknownNameError
        When nothing matches; it suggests the closest names.
    NotAPaperError
        When the name matches only nodes of other kinds, or several nodes equally well.
    """
    ix, table = _table(G)
    what = "/".join(kinds) if kinds else "node"
    exact = ix.position(name) if isinstance(name, str) else None
    if exact is not None and (kinds is None or ix.kind_of(exact) in kinds):
        return name
    key = fold(name)
    hits, other = [], {}
    for strength, krank, i in table.lookup(key):
        if kinds is None or ix.kind_of(i) in kinds:
            hits.append((strength, krank, i))
        else:
            other[ix.ids[i]] = ix.kind_of(i)
    if hits:
        best = min(h[:2] for h in hits)
        top = sorted(ix.ids[i] for s, k, i in hits if (s, k) == best)
        if len(top) == 1:
            return top[0]
        raise NotAPaperError(f"{name!r} is ambiguous: it names {', '.join(top)}; use an id")
    if other:
        found = ", ".join(f"{n} ({k})" for n, k in sorted(other.items()))
        raise NotAPaperError(f"{name!r} names {found}, not a {what}")
    vocab = table.vocabulary(kinds)
    close = difflib.get_close_matches(key, list(vocab), n=5, cutoff=0.6) if len(vocab) <= 50_000 else []
    if not close:
        close = [f for f in vocab if key and key in f][:5]
    raise UnknownNameError(name, [vocab[c] for c in close], what)


def resolve_many(G, names, kinds=("paper",)) -> list[str]:
    """Resolve several names; the unknown ones are reported together."""
    out, errors = [], []
    for n in names:
        try:
            out.append(resolve(G, n, kinds))
        except (UnknownNameError, NotAPaperError) as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise NotAPaperError("; ".join(str(e) for e in errors))
    return out


def resolved_names(G, nodes=None) -> dict[str, str | None]:
    """``{folded name: id}`` for every name of ``nodes`` (default: all), resolved as :func:`resolve` would.

    A name that is ambiguous maps to ``None``. The map's page looks names up
    here instead of applying a rule of its own.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("rlhf", kind="concept", label_en="RLHF")
    >>> G.add_node("instructgpt", kind="paper", label_en="InstructGPT", aliases=["RLHF"])
    >>> resolved_names(G)["rlhf"], resolved_names(G)["instructgpt"]
    ('rlhf', 'instructgpt')
    """
    ix, _ = _table(G)
    keys: dict[str, str] = {}
    for i in (range(ix.n) if nodes is None else (ix.position(n) for n in nodes)):
        if i is None:
            continue
        for f, _, _, shown in name_entries(ix.ids[i], ix.node_data(i)):
            keys[f] = f
            # a browser folds with toLowerCase(), which differs from casefold() for a few letters (ß, ς …)
            keys.setdefault(_js_fold(shown), f)
    out: dict[str, str | None] = {}
    for key, f in keys.items():
        try:
            out[key] = resolve(G, f, kinds=None)
        except (UnknownNameError, NotAPaperError):
            out[key] = None
    return out


def _js_fold(s: str) -> str:
    """What ``PGCore.fold`` in the page makes of ``s`` (lower case, not case folded)."""
    key = " ".join(str(s).lower().split())
    return key[len("arxiv:"):].strip() if key.startswith("arxiv:") else key
