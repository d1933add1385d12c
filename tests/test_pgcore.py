"""The page's prerequisite core (static/pgcore.js) answers exactly as papergraph.core, on random graphs.

Run in Node. A machine without Node fails this test rather than skipping it:
``scripts/test.sh`` installs Debian's ``nodejs`` when ``node`` is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
from graphs import valid_graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import papergraph
from papergraph import core, names
from papergraph.orderindex import STRATEGIES, index_of

STATIC = Path(papergraph.__file__).parent / "static"
RUNNER = Path(__file__).parent / "pgcore_runner.js"
NODE = shutil.which("node") or shutil.which("nodejs")


def run_js(ix, questions):
    assert NODE, "Node.js is needed for this test (scripts/test.sh installs Debian's nodejs)"
    out = subprocess.run([NODE, str(RUNNER), str(STATIC)], input=json.dumps({"index": ix.to_page(),
                                                                            "questions": questions}),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def graph_of(nodes, edges, listing):
    G = nx.MultiDiGraph()
    for i, d in enumerate(nodes):
        data = {k: v for k, v in d.items() if v != "" and k != "id"}
        if "year" in data:
            data["year"] = int(data["year"])
        data["row"] = i + 2
        if d["kind"] == "paper" and listing is not None:
            data["order"] = listing[i % len(listing)]
        G.add_node(d["id"], **data)
    for s, t, r in edges:
        G.add_edge(s, t, r, relation=r)
    return G


def python_answers(ix, questions):
    out = []
    for what, *args in questions:
        if what == "prereqs":
            r = core.prerequisites(ix, args[0], direct=args[1], strategy=args[2])
            out.append([r.papers, r.concepts, r.background, [r.walk.chain(x) for x in r.walk.parent],
                        r.components, r.recommended, [r.chain(x) for x in r.recommended]])
        elif what == "unlocks":
            u = core.unlocks(ix, args[0], args[1])
            out.append([u.papers, u.direct, [u.walk.chain(x) for x in u.papers]])
        elif what == "why":
            out.append(core.why(ix, *args))
        elif what == "order":
            out.append(core.reading_order(ix, strategy=args[0], papers_only=False))
        elif what == "kahn":
            out.append(core.kahn(ix, set(args[0]), args[1]))
        elif what == "plan":
            out.append(core.plan(ix, args[0], args[1], args[2]))
        elif what == "next":
            out.append(core.next_papers(ix, args[0], args[1]))
        elif what == "stage":
            out.append(core.stage_papers(ix, *args))
        elif what == "check":
            r = core.check_order(ix, args[0], complete=args[1])
            out.append([r["valid"], [[v["paper"], v["needs"], v["why"], v["missing"]] for v in r["violations"]],
                        r["missing"], r["duplicates"]])
        elif what == "fold":
            out.append(names.fold(args[0]))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=valid_graphs(), data=st.data())
def test_the_page_core_answers_as_python_does(graph, data):
    nodes, edges = graph
    listing = data.draw(st.none() | st.lists(st.integers(1, 5), min_size=1, max_size=4))
    G = graph_of(nodes, edges, listing)
    ix = index_of(G)
    n = ix.n
    papers = [i for i in range(n) if ix.is_paper(i)]
    stages = [i for i in range(n) if ix.kind_of(i) == "stage"]
    some = st.lists(st.integers(0, n - 1), max_size=n, unique=True)
    questions = []
    for s in STRATEGIES:
        questions.append(["order", s])
        questions.append(["next", data.draw(st.lists(st.sampled_from(papers), max_size=len(papers))), s])
        questions.append(["plan", data.draw(st.lists(st.sampled_from(papers), max_size=3)),
                          data.draw(st.lists(st.sampled_from(papers), max_size=3)), s])
        questions.append(["kahn", data.draw(some), s])
        for st_ in stages:
            questions.append(["stage", st_, s])
    for i in range(n):
        for direct in (False, True):
            questions.append(["prereqs", i, direct, data.draw(st.sampled_from(STRATEGIES))])
        questions.append(["unlocks", i, "guide"])
        questions.append(["why", data.draw(st.integers(0, n - 1)), i])
    listed = data.draw(st.lists(st.sampled_from(papers), max_size=len(papers) + 2))
    questions.append(["check", listed, data.draw(st.booleans())])
    questions.append(["fold", "  ArXiv:1706.03762 "])
    assert run_js(ix, questions) == python_answers(ix, questions)


def test_the_page_core_answers_as_python_on_the_seed(seed):
    ix = index_of(seed)
    questions = [["prereqs", i, d, "guide"] for i in range(ix.n) for d in (False, True)]
    questions += [["unlocks", i, "guide"] for i in range(ix.n)]
    questions += [["order", s] for s in STRATEGIES] + [["next", [], "guide"]]
    got, want = run_js(ix, questions), python_answers(ix, questions)
    assert got == want
    assert any(a[0] for a in want[: 2 * ix.n])  # some paper of the seed has prerequisites


def test_every_name_of_the_seed_resolves_the_same_on_the_page(seed):
    """The page folds what is typed (PGCore.fold) and looks it up in the names Python resolved."""
    typed = []
    for n, d in seed.nodes(data=True):
        typed += [name for name, _ in names.names_of(n, d)]
    ix = index_of(seed)
    folded = run_js(ix, [["fold", t] for t in typed])
    table = names.resolved_names(seed)
    for name, key in zip(typed, folded):
        try:
            want = names.resolve(seed, name, kinds=None)
        except Exception:
            want = None
        assert table.get(key, "missing") == want, name


def test_a_list_is_ordered_within_its_own_closure_target_included():
    """The target counts as the paper that needs its prerequisites (core.own_order), in Python and on the page.

    t is first in the guide and needs w and y; w needs x. Everything is pulled to t's turn, so the
    guide's order breaks the ties: y (4) before x (6); x is still read before w, which needs it.
    """
    G = nx.MultiDiGraph()
    for pid, order in (("t", 1), ("w", 3), ("y", 4), ("x", 6)):
        G.add_node(pid, kind="paper", order=order)
    for s, t in (("t", "w"), ("t", "y"), ("w", "x")):
        G.add_edge(s, t, "builds_on", relation="builds_on")
    ix = index_of(G)
    t = ix.position("t")
    want = python_answers(ix, [["prereqs", t, False, "guide"]])
    assert [ix.ids[i] for i in want[0][0]] == ["y", "x", "w"]
    assert run_js(ix, [["prereqs", t, False, "guide"]]) == want
