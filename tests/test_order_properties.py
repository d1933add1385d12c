"""Property tests of orders, plans, next and check-order on random graphs."""

import networkx as nx
from graphs import valid_graphs, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.load import load_graph
from papergraph.order import check_order, next_papers, plan_papers, reading_order
from papergraph.query import nodes_of_kind, prerequisites

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def oracle(G):
    """Prerequisites straight from the definition, computed another way.

    Q is a direct prerequisite of P when P builds on Q, or P requires a concept
    (directly or through concept-requires-concept) that Q introduces or
    presents (first met in Q); then take the transitive closure. Components
    (``uses``) and citations add nothing.
    """
    req = nx.DiGraph((s, t) for s, t, r in G.edges(keys=True) if r == "requires")
    direct = nx.DiGraph()
    papers = nodes_of_kind(G, "paper")
    direct.add_nodes_from(papers)
    for p in papers:
        needed = nx.descendants(req, p) if p in req else set()
        for s, t, r in G.edges(keys=True):
            if r == "builds_on" and s == p:
                direct.add_edge(t, p)
            if r in ("introduces", "presents") and t in needed and s != p:
                direct.add_edge(s, p)
    return {p: nx.ancestors(direct, p) for p in papers}


def load(tmp_path_factory, graph):
    tmp = tmp_path_factory.mktemp("g")
    write(tmp, *graph)
    return load_graph(tmp, cache=False)


@SETTINGS
@given(graph=valid_graphs())
def test_prerequisites_match_the_definition(tmp_path_factory, graph):
    G = load(tmp_path_factory, graph)
    truth = oracle(G)
    for p, expected in truth.items():
        r = prerequisites(G, p)
        assert set(r.papers) == expected
        for q in r.papers:
            chain = r.why[q]
            assert chain[0] == p and chain[-1] == q
            for a, b in zip(chain, chain[1:]):
                assert G.has_edge(a, b) or G.has_edge(b, a)


@SETTINGS
@given(graph=valid_graphs(), strategy=st.sampled_from(["guide", "chronological"]))
def test_every_order_is_a_linear_extension(tmp_path_factory, graph, strategy):
    G = load(tmp_path_factory, graph)
    truth = oracle(G)
    order = reading_order(G, strategy=strategy)
    assert sorted(order) == sorted(truth)
    pos = {p: i for i, p in enumerate(order)}
    for p, needs in truth.items():
        assert all(pos[q] < pos[p] for q in needs)
    assert check_order(G, order)["valid"]
    assert order == reading_order(G, strategy=strategy)  # deterministic


@SETTINGS
@given(graph=valid_graphs(), data=st.data())
def test_plan_is_the_closure_minus_what_is_read(tmp_path_factory, graph, data):
    G = load(tmp_path_factory, graph)
    truth = oracle(G)
    papers = sorted(truth)
    targets = data.draw(st.lists(st.sampled_from(papers), min_size=1, max_size=3, unique=True))
    read = data.draw(st.lists(st.sampled_from(papers), max_size=len(papers), unique=True))
    plan = plan_papers(G, targets, read)
    closure = set(targets).union(*(truth[t] for t in targets))
    assert set(plan) == closure - set(read)
    assert len(plan) == len(set(plan))
    pos = {p: i for i, p in enumerate(plan)}
    for p in plan:
        assert all(pos[q] < pos[p] for q in truth[p] if q in pos)


@SETTINGS
@given(graph=valid_graphs(), data=st.data())
def test_next_is_exactly_the_unread_papers_with_everything_read(tmp_path_factory, graph, data):
    G = load(tmp_path_factory, graph)
    truth = oracle(G)
    read = set(data.draw(st.lists(st.sampled_from(sorted(truth)), max_size=len(truth), unique=True)))
    got = next_papers(G, read)
    expected = {p for p in truth if p not in read and truth[p] <= read}
    assert set(got) == expected


@SETTINGS
@given(graph=valid_graphs(), data=st.data())
def test_check_order_rejects_exactly_the_swaps_that_break_a_prerequisite(tmp_path_factory, graph, data):
    G = load(tmp_path_factory, graph)
    truth = oracle(G)
    order = reading_order(G)
    if len(order) < 2:
        return
    i = data.draw(st.integers(0, len(order) - 2))
    j = data.draw(st.integers(i + 1, len(order) - 1))
    swapped = list(order)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    pos = {p: k for k, p in enumerate(swapped)}
    broken = any(pos[q] > pos[p] for p in truth for q in truth[p])
    report = check_order(G, swapped)
    assert report["valid"] is (not broken)
    for v in report["violations"]:
        assert v["needs"] in truth[v["paper"]]
        assert v["why"][0] == v["paper"] and v["why"][-1] == v["needs"]


def _before_graph(G):
    """"Must be read before" as a DiGraph u → v, straight from the schema's relations."""
    from papergraph import schema

    D = nx.DiGraph()
    D.add_nodes_from(G)
    for s, t, r in G.edges(keys=True):
        how = schema.RELATIONS[r].order
        if how == "source-first":
            D.add_edge(s, t)
        elif how == "target-first":
            D.add_edge(t, s)
    return D


def _answer(r):
    return (r.papers, r.concepts, r.background, r.components, r.recommended, [r.why[q] for q in r.papers + r.recommended])


@SETTINGS
@given(graph=valid_graphs())
def test_an_answer_depends_only_on_the_closure_it_names(tmp_path_factory, graph):
    """What ``--endpoint`` relies on: prereqs from the closure alone, unlocks from the descendants alone.

    The closure of P is P, its components, everything that must be read
    before them, and the stages of all of these; any other node, removed,
    changes nothing in P's answer (papers and their order, concepts,
    components, recommended papers, reason chains).
    """
    from papergraph.query import unlocks

    G = load(tmp_path_factory, graph)
    D = _before_graph(G)
    stages = set(nodes_of_kind(G, "stage"))
    for p in nodes_of_kind(G, "paper"):
        roots = {p} | {t for _, t, r in G.out_edges(p, keys=True) if r == "uses"}
        scope = set(roots).union(*(nx.ancestors(D, x) for x in roots)) | stages
        H = G.subgraph(scope).copy()
        assert _answer(prerequisites(H, p)) == _answer(prerequisites(G, p))
        after = {p} | nx.descendants(D, p) | stages
        u, v = unlocks(G.subgraph(after).copy(), p), unlocks(G, p)
        assert (u.papers, u.direct) == (v.papers, v.direct)
    for p in nodes_of_kind(G, "paper"):  # and every list is a valid reading order of its papers
        order = prerequisites(G, p).papers
        for i, a in enumerate(order):
            assert not any(nx.has_path(D, b, a) for b in order[i + 1:])
