"""The roadmap of papers: read-first arrows (a transitive reduction), numbers, start here, next, flagged papers."""

import networkx as nx
from graphs import valid_graphs, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.load import load_graph
from papergraph.order import next_papers, reading_order
from papergraph.query import nodes_of_kind, prerequisites
from papergraph.roadmap import read_first_edges, roadmap

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def load(tmp_path_factory, graph):
    tmp = tmp_path_factory.mktemp("g")
    write(tmp, *graph)
    return load_graph(tmp, cache=False)


def before_relation(G, papers):
    keep = set(papers)
    return nx.DiGraph([(q, p) for p in papers for q in prerequisites(G, p).papers if q in keep])


@SETTINGS
@given(graph=valid_graphs(), data=st.data())
def test_arrows_are_the_transitive_reduction_of_read_first(tmp_path_factory, graph, data):
    G = load(tmp_path_factory, graph)
    papers = nodes_of_kind(G, "paper")
    subset = data.draw(st.lists(st.sampled_from(papers), unique=True) if papers else st.just([]))
    for chosen in (papers, subset):
        rel = before_relation(G, chosen)
        rel.add_nodes_from(chosen)
        want = set(nx.transitive_reduction(rel).edges)
        got = read_first_edges(G, chosen)
        assert len(got) == len(set(got)) and set(got) == want
        order = reading_order(G)
        assert [order.index(p) for _, p in got] == sorted(order.index(p) for _, p in got)


@SETTINGS
@given(graph=valid_graphs(), data=st.data())
def test_start_next_and_numbers(tmp_path_factory, graph, data):
    G = load(tmp_path_factory, graph)
    papers = reading_order(G)
    read = data.draw(st.lists(st.sampled_from(papers), unique=True) if papers else st.just([]))
    flagged = set(data.draw(st.lists(st.sampled_from(papers), unique=True) if papers else st.just([])))
    for p in flagged:
        G.nodes[p]["flag"] = "doubtful"
    r = roadmap(G, read=read)
    assert r.order == papers and set(r.flagged) == flagged
    assert list(r.number) == [p for p in papers if p not in flagged]
    assert list(r.number.values()) == list(range(1, len(r.number) + 1))
    assert r.next == [p for p in next_papers(G, read) if p not in flagged]
    unread = [p for p in papers if p not in read and p not in flagged]
    assert r.start == unread[:1]
    assert not set(r.next) & flagged and not set(r.start) & flagged


def test_seed_roadmap(seed):
    r = roadmap(seed)
    assert r.start == [r.order[0]] and r.start[0] in r.next  # nothing read: the first paper is where to start
    assert set(r.flagged) == {n for n in r.order if seed.nodes[n].get("flag")} and r.flagged
    for q, p in r.edges:
        assert q in prerequisites(seed, p).papers
    dit = set(prerequisites(seed, "dit").papers) | {"dit"}
    sub = read_first_edges(seed, dit)
    assert {(q, p) for q, p in r.edges if q in dit and p in dit} == set(sub)
