"""The loader's cycle test (papergraph.acyclic) against NetworkX, on both of its paths."""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papergraph import acyclic
from papergraph.acyclic import is_acyclic


@st.composite
def digraphs(draw):
    """Edge lists: random digraphs, random DAGs (edges from a lower to a higher rank), long chains."""
    n = draw(st.integers(1, 40))
    shape = draw(st.sampled_from(["any", "dag", "chain", "chain+back"]))
    if shape in ("chain", "chain+back"):
        edges = [(i, i + 1) for i in range(n - 1)]
        if shape == "chain+back" and n > 1:
            i = draw(st.integers(1, n - 1))
            edges.append((i, draw(st.integers(0, i))))  # back to an earlier node, or a self-loop
    else:
        pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
        edges = draw(st.lists(pairs, max_size=4 * n))
        if shape == "dag":
            edges = [(min(a, b), max(a, b)) for a, b in edges if a != b]
    names = draw(st.permutations([f"n{i}" for i in range(n)]))
    return [(names[a], names[b]) for a, b in edges]


@pytest.mark.parametrize("thin", [0, 2, 10**9], ids=["arrays-only", "mixed", "python-only"])
@settings(max_examples=120, deadline=None)
@given(edges=digraphs())
def test_agrees_with_networkx(thin, edges):
    D = nx.DiGraph()
    D.add_edges_from(edges)
    us, vs = ([a for a, _ in edges], [b for _, b in edges])
    was, acyclic.THIN = acyclic.THIN, thin
    try:
        assert is_acyclic(us, vs) == nx.is_directed_acyclic_graph(D)
    finally:
        acyclic.THIN = was


def test_parallel_edges_are_counted_once_each():
    # two a → b pairs: b has in-degree 2 and leaves after both are removed
    assert is_acyclic(["a", "a", "b"], ["b", "b", "c"])
    assert not is_acyclic(["a", "a", "b", "c"], ["b", "b", "c", "a"])


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="2 sources but 1 targets"):
        is_acyclic(["a", "b"], ["c"])


@settings(max_examples=60, deadline=None)
@given(edges=digraphs())
def test_numbered_arrays_give_the_same_answer(edges):
    import numpy as np

    names = sorted({x for e in edges for x in e})
    number = {x: i for i, x in enumerate(names)}
    us = np.array([number[a] for a, _ in edges], dtype=np.int64)
    vs = np.array([number[b] for _, b in edges], dtype=np.int64)
    assert is_acyclic(us, vs) == is_acyclic([a for a, _ in edges], [b for _, b in edges])
