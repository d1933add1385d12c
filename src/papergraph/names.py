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
           "resolved_names"]

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


def _table(G):
    """The name table of ``G``: its order index's (one per graph, see :mod:`papergraph.orderindex`)."""
    from .orderindex import index_of

    return index_of(G)


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
    ix = _table(G)
    what = "/".join(kinds) if kinds else "node"
    exact = ix.position(name) if isinstance(name, str) else None
    if exact is not None and (kinds is None or ix.kind_of(exact) in kinds):
        return name
    key = fold(name)
    hits, other = [], {}
    for strength, krank, i in ix.lookup_name(key):
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
    vocab = ix.vocabulary(kinds)
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
    ix = _table(G)
    keys: dict[str, None] = {}
    for i in (range(ix.n) if nodes is None else (ix.position(n) for n in nodes)):
        if i is None:
            continue
        for f, _, _, _ in name_entries(ix.ids[i], ix.node_data(i)):
            keys[f] = None
    out: dict[str, str | None] = {}
    for f in keys:
        try:
            out[f] = resolve(G, f, kinds=None)
        except (UnknownNameError, NotAPaperError):
            out[f] = None
    return out
