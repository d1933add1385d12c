"""The loader: golden bad-input files, good edge cases, and property tests."""

import pathlib

import pytest
from conftest import HERE, run
from graphs import valid_graphs, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.errors import DataError
from papergraph.load import load_graph

BAD = sorted(p for p in (HERE / "bad").iterdir() if p.is_dir())
GOOD = sorted(p for p in (HERE / "good").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_bad_input_is_reported_with_file_and_line(case, runner):
    result = run(runner, "validate", "--data", case)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    got = result.stderr.replace(f"{case}/", "{dir}/")
    assert got == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == ""


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_good_input_loads(case, runner):
    result = run(runner, "validate", "--data", case)
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout


def test_bom_crlf_quotes_and_chinese_survive():
    G = load_graph(HERE / "good" / "bom-chinese", cache=False)
    assert G.nodes["attn"]["label_zh"] == "注意力"
    assert G.nodes["p"]["label_en"] == "Paper, with comma"
    assert G.edges["p", "attn", "introduces"]["note_zh"] == "多行\n说明"


def test_minimal_files_and_extra_columns_are_kept():
    G = load_graph(HERE / "good" / "extra-columns", cache=False)
    assert G.nodes["a"]["homepage"] == "https://a.example"
    assert G.nodes["a"]["year"] == 2020 and "homepage" not in G.nodes["b"]
    assert G.edges["b", "a", "cites"]["weight"] == "0.5"


def test_parallel_edges_of_different_relations_are_kept(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind,label_en,year\na,paper,A,2014\nb,paper,B,2015\n")
    (tmp_path / "edges.csv").write_text("source,target,relation\nb,a,cites\nb,a,builds_on\n")
    G = load_graph(tmp_path, cache=False)
    assert sorted(G["b"]["a"]) == ["builds_on", "cites"]


def test_cache_sees_every_change(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "nodes.csv").write_text("id,kind,label_en\na,paper,A\n")
    (tmp_path / "edges.csv").write_text("source,target,relation\n")
    assert load_graph(tmp_path).nodes["a"]["label_en"] == "A"
    assert list((tmp_path / "cache").glob("*.pickle"))
    (tmp_path / "nodes.csv").write_text("id,kind,label_en\na,paper,Changed\n")
    assert load_graph(tmp_path).nodes["a"]["label_en"] == "Changed"
    (tmp_path / "edges.csv").write_text("source,target,relation\na,a,cites\n")
    with pytest.raises(DataError):
        load_graph(tmp_path)


def test_corrupt_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "nodes.csv").write_text("id,kind,label_en\na,paper,A\n")
    (tmp_path / "edges.csv").write_text("source,target,relation\n")
    load_graph(tmp_path)
    for f in (tmp_path / "cache").glob("*.pickle"):
        f.write_bytes(b"not a pickle")
    assert "a" in load_graph(tmp_path)


def test_missing_directory_is_an_error_not_a_traceback(runner, tmp_path):
    result = run(runner, "validate", "--data", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "nodes.csv: file not found" in result.stderr


def test_usage_error_exits_2(runner):
    assert run(runner, "validate", "--no-such-option").exit_code == 2


# ------------------------------------------------------------ property tests

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=valid_graphs())
def test_random_valid_graphs_load(tmp_path_factory, graph):
    tmp = tmp_path_factory.mktemp("g")
    nodes, edges = graph
    write(tmp, nodes, edges)
    G = load_graph(tmp, cache=False)
    assert G.number_of_nodes() == len(nodes)
    assert G.number_of_edges() == len(edges)
    for n in nodes:
        assert G.nodes[n["id"]]["label_en"] == n["label_en"]
        assert G.nodes[n["id"]].get("label_zh", "") == n["label_zh"]


corruptions = st.sampled_from(["dup-id", "bad-kind", "bad-relation", "dangling", "bad-year", "empty-label",
                               "extra-field", "self-loop"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=valid_graphs(), how=st.lists(corruptions, min_size=1, max_size=3, unique=True), data=st.data())
def test_random_corruptions_are_reported_never_crash(tmp_path_factory, graph, how, data):
    tmp = tmp_path_factory.mktemp("c")
    nodes, edges = graph
    nodes = [dict(n) for n in nodes]
    edges = [list(e) for e in edges]
    i = data.draw(st.integers(0, len(nodes) - 1))
    extra_line = None
    for h in how:
        if h == "dup-id":
            nodes.append(dict(nodes[i]))
        elif h == "bad-kind":
            nodes[i]["kind"] = "gadget"
        elif h == "bad-relation":
            edges.append([nodes[0]["id"], nodes[-1]["id"], "inspires"])
        elif h == "dangling":
            edges.append([nodes[0]["id"], "no-such-node", "cites"])
        elif h == "bad-year":
            nodes[i]["year"] = "19x5"
        elif h == "empty-label":
            nodes[i]["label_en"] = ""
        elif h == "extra-field":
            extra_line = True
        elif h == "self-loop":
            edges.append([nodes[i]["id"], nodes[i]["id"], "cites"])
    write(tmp, nodes, edges)
    if extra_line:
        with open(tmp / "edges.csv", "a", encoding="utf-8") as fh:
            fh.write("a,b,cites,surplus\n")
    with pytest.raises(DataError) as info:
        load_graph(tmp, cache=False)
    problems = info.value.problems
    assert problems
    for p in problems:
        assert pathlib.Path(p.file).name in ("nodes.csv", "edges.csv")
        assert str(p).startswith(p.file)
    # every kind of corruption made is named in the report
    text = "\n".join(p.message for p in problems)
    expect = {"dup-id": "duplicate id", "bad-kind": "unknown kind 'gadget'", "bad-relation": "unknown relation",
              "dangling": "'no-such-node' is not a node", "bad-year": "year must be a whole number",
              "empty-label": "empty label_en", "extra-field": "malformed row", "self-loop": "self-loop"}
    for h in how:
        assert expect[h] in text, (h, text)


STRICT_BAD = sorted(p for p in (HERE / "bad-strict").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", STRICT_BAD, ids=lambda p: p.name)
def test_strict_problems_are_reported_with_file_and_line(case, runner):
    """``validate --strict`` also rejects what only a curated graph must not have (a later prerequisite)."""
    result = run(runner, "validate", "--strict", "--data", case)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.replace(f"{case}/", "{dir}/") == (case / "expected.txt").read_text(encoding="utf-8")
    lenient = run(runner, "validate", "--data", case)
    assert lenient.exit_code == 0, lenient.output
