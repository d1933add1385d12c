"""Stage cards: a stage's goal, weeks, papers, concepts, tools and self-check questions.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("s", kind="stage", order=1, label_en="Basics", weeks_min=1, weeks_max=2,
...            description_en="Learn the basics.", description_zh="学习基础。")
>>> G.add_node("p", kind="paper", label_en="P")
>>> G.add_node("c", kind="concept", label_en="C")
>>> G.add_node("t", kind="tool", label_en="T", url="https://t.example")
>>> G.add_node("q", kind="question", label_en="Why C?", label_zh="为什么是 C？")
>>> for s, t, r in [("p", "s", "in_stage"), ("p", "c", "introduces"), ("s", "t", "practises_with"),
...                 ("q", "s", "in_stage"), ("q", "c", "asks_about")]:
...     _ = G.add_edge(s, t, r, relation=r)
>>> card = stage_card(G, "s", lang="en")
>>> card["goal"], card["weeks"], card["papers"], card["concepts"], card["tools"]
('Learn the basics.', [1, 2], ['p'], ['c'], ['t'])
>>> card["questions"]
[{'id': 'q', 'text_zh': '为什么是 C？', 'text_en': 'Why C?', 'concepts': ['c'], 'papers': []}]
>>> resolve_stage(G, "1")
's'
"""

from __future__ import annotations

from . import core
from .errors import UnknownNameError
from .names import resolve
from .orderindex import index_of
from .query import nodes_of_kind

__all__ = ["resolve_stage", "stage_papers", "stage_tools", "stage_questions", "stage_card"]


def _row(G, n):
    return (G.nodes[n].get("row", 0), n)


def resolve_stage(G, name: str) -> str:
    """A stage by its number (``order``), id, name or alias."""
    name = str(name).strip()
    if name.isdigit():
        for s in nodes_of_kind(G, "stage"):
            if G.nodes[s].get("order") == int(name):
                return s
        numbers = sorted(str(G.nodes[s].get("order")) for s in nodes_of_kind(G, "stage") if "order" in G.nodes[s])
        raise UnknownNameError(name, numbers, "stage")
    return resolve(G, name, kinds=("stage",))


def _sources(G, node: str, *rels: str) -> list[str] | dict[str, list[str]]:
    """The sources of ``node``'s in-edges keyed ``rel``, in the order ``G.in_edges(node, keys=True)`` gives.

    With several relations, ``{rel: sources}`` from one pass. On a plain
    NetworkX graph, straight from its adjacency dict (a stage has thousands
    of papers, a popular concept thousands of readers; an edge view costs
    more than the answer).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("p", "c", "requires"); _ = G.add_edge("q", "c", "introduces")
    >>> _sources(G, "c", "requires"), _sources(G, "c", "requires", "introduces")
    (['p'], {'requires': ['p'], 'introduces': ['q']})
    """
    pred = getattr(G, "_pred", None)
    nbrs = pred.get(node) if type(pred) is dict else None
    if type(nbrs) is dict and len(rels) == 1:
        rel = rels[0]
        return [s for s, keys in nbrs.items() if rel in keys]
    out = {r: [] for r in rels}
    if type(nbrs) is dict:
        for s, keys in nbrs.items():
            for r in keys:
                if r in out:
                    out[r].append(s)
    else:
        for s, _, r in G.in_edges(node, keys=True):
            if r in out:
                out[r].append(s)
    return out[rels[0]] if len(rels) == 1 else out


def _members(G, stage, kind):
    nodes = getattr(G, "_node", None)
    if type(nodes) is not dict:
        nodes = G.nodes
    return sorted([s for s in _sources(G, stage, "in_stage") if nodes[s].get("kind") == kind],
                  key=lambda n: _row(G, n))


def stage_papers(G, stage: str, strategy: str = "guide") -> list[str]:
    """The stage's papers in a valid reading order (:func:`papergraph.core.stage_papers`)."""
    ix = index_of(G)
    return [ix.ids[x] for x in core.stage_papers(ix, ix.position(stage), strategy)]


def stage_tools(G, stage: str) -> list[str]:
    """Tools the stage practises with, in file order."""
    return sorted((t for _, t, r in G.out_edges(stage, keys=True) if r == "practises_with"),
                  key=lambda n: _row(G, n))


def stage_questions(G, stage: str) -> list[dict]:
    """The stage's self-check questions, each with the concepts and papers it asks about."""
    out = []
    for q in _members(G, stage, "question"):
        about = [t for _, t, r in G.out_edges(q, keys=True) if r == "asks_about"]
        d = G.nodes[q]
        out.append({
            "id": q,
            "text_zh": d.get("label_zh", ""),
            "text_en": d.get("label_en", ""),
            "concepts": sorted((t for t in about if G.nodes[t].get("kind") == "concept"), key=lambda n: _row(G, n)),
            "papers": sorted((t for t in about if G.nodes[t].get("kind") == "paper"), key=lambda n: _row(G, n)),
        })
    return out


def _introduced(G, papers) -> list[str]:
    """The concepts ``papers`` introduce, paper by paper, each paper's in file order; each concept once.

    Read from the order index (no node is read but the concepts' rows), so a
    stage of thousands of papers costs a few look-ups.
    """
    ix = index_of(G)
    code = ix.codes.get("introduces")
    ids = ix.ids
    per_paper = []
    for p in papers:
        i = ix.position(p)
        per_paper.append([ids[c] for c, r in ix.after(i) if r == code] if i is not None and code is not None else [])
    wanted = {c for cs in per_paper for c in cs}
    fields = getattr(G, "node_fields", None)
    got = fields(("row",), wanted) if fields is not None and len(wanted) > 50 else None
    if got is not None:
        row = {c: (got.get(c, {}).get("row", 0), c) for c in wanted}
    else:
        row = {c: _row(G, c) for c in wanted}
    seen: set = set()
    out = []
    for cs in per_paper:
        for c in sorted(cs, key=row.__getitem__):
            if c not in seen:
                seen.add(c)
                out.append(c)
    return out


def stage_card(G, stage: str, lang: str = "zh", *, papers: list[str] | None = None) -> dict:
    """Everything a learner needs at the start (and end) of a stage.

    ``papers``, when given, is :func:`stage_papers` already computed.
    """
    d = G.nodes[stage]
    if papers is None:
        papers = stage_papers(G, stage)
    concepts = _introduced(G, papers)
    goal = d.get(f"description_{lang}") or d.get("description_en", "")
    return {
        "stage": d.get("order"),
        "id": stage,
        "name": d.get(f"label_{lang}") or d.get("label_en", stage),
        "goal": goal,
        "weeks": [d.get("weeks_min"), d.get("weeks_max")],
        "papers": papers,
        "concepts": concepts,
        "tools": stage_tools(G, stage),
        "questions": stage_questions(G, stage),
    }
