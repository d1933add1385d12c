"""A learner's progress through a stage: papers read, self-check questions ticked, ready for the next stage?

A stage counts as *done* when every paper in it is read and every one of its
self-check questions is ticked (a stage with neither is done at once). The
explorer keeps what is read and ticked in its URL (``read=``, ``q=``) and in
the progress file (:func:`papergraph.exports.progress_document`); this module
only answers questions about them and never stores anything.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("s1", kind="stage", order=1, label_en="Basics")
>>> G.add_node("s2", kind="stage", order=2, label_en="Next")
>>> G.add_node("p", kind="paper", label_en="P")
>>> G.add_node("c", kind="concept", label_en="C")
>>> G.add_node("q", kind="question", label_en="Why C?")
>>> for s, t, r in [("p", "s1", "in_stage"), ("p", "c", "introduces"), ("q", "s1", "in_stage"),
...                 ("q", "c", "asks_about"), ("s1", "s2", "precedes")]:
...     _ = G.add_edge(s, t, r, relation=r)
>>> p = stage_progress(G, "s1", read=["p"])
>>> p["papers_read"], p["questions_ticked"], p["questions_left"], p["done"], p["next"]
(['p'], [], ['q'], False, ['s2'])
>>> stage_progress(G, "s1", read=["p"], ticked=["q"])["done"]
True
>>> stage_progress(G, "s1", read=["p"], ticked=["q"])["fraction"]
1.0
"""

from __future__ import annotations

__all__ = ["stage_progress", "stages_progress"]


def _next_stages(G, stage: str) -> list[str]:
    big = float("inf")
    nxt = [v for _, v, r in G.out_edges(stage, keys=True) if r == "precedes"]
    return sorted(nxt, key=lambda s: (G.nodes[s].get("order", big), G.nodes[s].get("row", big), s))


def stage_progress(G, stage: str, read=(), ticked=(), *, card: dict | None = None) -> dict:
    """How far a learner is through ``stage``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph.
    stage : str
        A stage id.
    read : iterable of str
        Papers the learner has read (ids of other stages' papers are ignored).
    ticked : iterable of str
        Self-check questions the learner has ticked.
    card : dict, optional
        The stage's :func:`papergraph.cards.stage_card`, when the caller
        already has it; only its ``papers`` and ``questions`` are read, so
        any mapping holding the stage's members will do.

    Returns
    -------
    dict
        ``stage``; ``papers`` (in reading order), ``papers_read`` and
        ``papers_left``; ``questions`` (ids), ``questions_ticked`` and
        ``questions_left``; ``done`` (every paper read and every question
        ticked); ``fraction`` (share of papers and questions done, 0–1);
        ``next`` (the stages this one precedes).
    """
    if card is None:
        from .cards import stage_card

        card = stage_card(G, stage)
    read, ticked = set(read), set(ticked)
    papers = list(card["papers"])
    questions = [q["id"] for q in card["questions"]]
    done_p = [p for p in papers if p in read]
    done_q = [q for q in questions if q in ticked]
    total = len(papers) + len(questions)
    return {
        "stage": stage,
        "papers": papers,
        "papers_read": done_p,
        "papers_left": [p for p in papers if p not in read],
        "questions": questions,
        "questions_ticked": done_q,
        "questions_left": [q for q in questions if q not in ticked],
        "done": len(done_p) == len(papers) and len(done_q) == len(questions),
        "fraction": (len(done_p) + len(done_q)) / total if total else 1.0,
        "next": _next_stages(G, stage),
    }


def stages_progress(G, stages, read=(), ticked=(), *, cards: dict | None = None) -> dict[str, dict]:
    """:func:`stage_progress` of each of ``stages``: ``{stage: progress}``.

    ``cards`` may map stage ids to their stage cards already built.
    """
    cards = cards or {}
    return {s: stage_progress(G, s, read, ticked, card=cards.get(s)) for s in stages}
