"""The query cache (load.open_graph / CachedGraph) and the fast paths of issue #6.

Every fast path must give exactly what the plain NetworkX path gives: the
same answers, in the same order, with the same messages.
"""

import os
import subprocess
import sys
import time

import networkx as nx
import pytest
from conftest import HERE, ROOT, run
from graphs import valid_graphs, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph import cache as cache_mod
from papergraph import core, load, order, orderindex, query
from papergraph.errors import PapergraphError
from papergraph.load import CachedGraph, load_graph, open_graph
from papergraph.stats import stats

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(d))
    return d


def _answers(G, papers):
    """Everything query.py and order.py answer about ``papers``, as plain data."""
    out = {"papers": query.nodes_of_kind(G, "paper"), "stats": stats(G)}
    for strategy in order.STRATEGIES:
        out[f"order-{strategy}"] = order.reading_order(G, strategy=strategy)
        out[f"all-{strategy}"] = order.reading_order(G, strategy=strategy, papers_only=False)
    out["guide"] = order.guide_order(G)
    out["conflicts"] = order.stage_conflicts(G)
    out["next"] = order.next_papers(G, papers[:2])
    out["check"] = order.check_order(G, list(reversed(papers)))
    for p in papers:
        for direct in (False, True):
            out[f"pre-{p}-{direct}"] = query.prerequisites(G, p, direct=direct).to_dict()
        u = query.unlocks(G, p)
        out[f"unl-{p}"] = (u.papers, u.direct, u.why)
        out[f"plan-{p}"] = order.plan_papers(G, [p], papers[:1], "chronological")
        out[f"why-{p}"] = [query.why(G, q, p) for q in papers[:5]]
        out[f"explain-{p}"] = [query.explain(G, c, lang) for c in out[f"pre-{p}-False"]["why"].values()
                               for lang in ("en", "zh")]
        out[f"stage-{p}"] = query.stage_of(G, p)
        out[f"edges-{p}"] = (list(G.out_edges(p, keys=True)), list(G.in_edges(p, keys=True)),
                             {v: dict(kd) for v, kd in G[p].items()})
    return out


def _resolutions(G, names):
    out = []
    for name in names:
        for kinds in (("paper",), None, ("concept",)):
            try:
                out.append(query.resolve(G, name, kinds))
            except PapergraphError as exc:
                out.append(f"{type(exc).__name__}: {exc}")
    return out


def _compare(d, monkeypatch, names=()):
    G = load_graph(d, cache=False)
    papers = query.nodes_of_kind(G, "paper")
    want = _answers(G, papers)
    want_names = _resolutions(G, names)
    for bulk_after in (10**9, 0):  # look-ups one by one; the whole graph read at once
        monkeypatch.setattr(CachedGraph, "BULK_AFTER", bulk_after)
        V = open_graph(d)
        assert isinstance(V, CachedGraph), V
        V = open_graph(d)  # from the cache this time
        assert isinstance(V, CachedGraph)
        assert V.graph["digest"] == G.graph["digest"] and V.graph["data_dir"] == G.graph["data_dir"]
        assert list(V) == list(G) and len(V) == len(G) and V.number_of_edges() == G.number_of_edges()
        assert list(V.nodes(data=True)) == list(G.nodes(data=True))
        assert list(V.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
        assert list(V.in_edges(keys=True)) == list(G.in_edges(keys=True))
        assert _answers(V, papers) == want
        assert _resolutions(open_graph(d), names) == want_names


def test_the_seed_graph_answers_the_same_from_the_cache(cache, monkeypatch):
    names = ["DiT", "dit", "Transformer", "attention", "1706.03762", "arxiv:1706.03762", "注意力", "BERT",
             "no such paper", "Transfomer", "stage-1", "  diT  "]
    _compare(ROOT / "graph", monkeypatch, names)


def test_a_generated_graph_answers_the_same_from_the_cache(cache, tmp_path, monkeypatch):
    d = tmp_path / "g"
    generate.write(d, *generate.generate(300, seed=3))
    _compare(d, monkeypatch, ["p000007", "P7", "P000007", "Paper 12", "bg00003", "stage-02", "nothing"])


@pytest.mark.parametrize("case", ["bom-chinese", "extra-columns", "minimal"])
def test_good_inputs_answer_the_same_from_the_cache(cache, case, monkeypatch):
    _compare(HERE / "good" / case, monkeypatch, ["a", "A", "p", "attn", "注意力"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=valid_graphs())
def test_random_graphs_answer_the_same_from_the_cache(tmp_path_factory, graph):
    tmp = tmp_path_factory.mktemp("g")
    write(tmp, *graph)
    os.environ["PAPERGRAPH_CACHE_DIR"] = str(tmp / "cache")
    try:
        G = load_graph(tmp, cache=False)
        papers = query.nodes_of_kind(G, "paper")
        assert _answers(open_graph(tmp), papers) == _answers(G, papers)
    finally:
        os.environ.pop("PAPERGRAPH_CACHE_DIR")


COMMANDS = [
    ["prereqs", "DiT"], ["prereqs", "DiT", "--direct", "--json"], ["prereqs", "nothing-like-it"],
    ["unlocks", "Transformer"], ["unlocks", "resnet", "--json"], ["why", "Transformer", "BERT"],
    ["why", "BERT", "Transformer", "--json"], ["order"], ["order", "--target", "DiT", "--strategy", "chronological",
                                                       "--json"],
    ["next", "--read", "word2vec,seq2seq"], ["check-order", "--guide"], ["stats"], ["stats", "--json"],
    ["plan", "--target", "CLIP", "--start", "2026-01-05", "--json"], ["stage", "1"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_commands_print_the_same_from_the_cache(cache, args, runner, monkeypatch):
    got = run(runner, *args)
    monkeypatch.setattr(load, "open_graph", lambda d=None: load_graph(d))
    want = run(runner, *args)
    assert (got.exit_code, got.stdout, got.stderr) == (want.exit_code, want.stdout, want.stderr)


@pytest.mark.parametrize("args", [["order"], ["next"], ["stats"], ["stats", "--json"], ["check-order", "--guide"],
                                  ["stage", "1", "--json"], ["stage", "2"]],
                         ids=lambda a: " ".join(a))
def test_listings_of_many_papers_print_the_same_from_the_cache(cache, args, runner, monkeypatch, tmp_path):
    """Over 200 papers a listing picks its fields by SQL, and stats counts by SQL: the same text."""
    import csv

    d = tmp_path / "g"
    generate.write(d, *generate.generate(300, seed=5))
    with open(d / "nodes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("flag")
    papers = 0
    for r in rows[1:]:
        r.append("")
        if r[1] == "paper" and papers < 40:
            papers += 1
            r[3] = ""  # no Chinese label: the English one in the bilingual column
            r[-1] = "doubtful" if papers % 2 else ""
    with open(d / "nodes.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    got = run(runner, *args, "--data", d)
    assert got.exit_code == 0 and "Traceback" not in got.output
    if args[0] not in ("check-order", "stage"):
        assert got.stdout.count("\n") > 10 and ("doubtful" in got.stdout or args[0] != "stats")
    monkeypatch.setattr(load, "open_graph", lambda d=None: load_graph(d))
    want = run(runner, *args, "--data", d)
    assert (got.exit_code, got.stdout, got.stderr) == (want.exit_code, want.stdout, want.stderr)


# ------------------------------------------------------------------ freshness

def _write(d, label):
    (d / "nodes.csv").write_text(f"id,kind,label_en\na,paper,{label}\nb,paper,B\n", encoding="utf-8")
    (d / "edges.csv").write_text("source,target,relation\nb,a,builds_on\n", encoding="utf-8")


def test_the_query_cache_sees_every_change(cache, tmp_path):
    _write(tmp_path, "One")
    assert open_graph(tmp_path).nodes["a"]["label_en"] == "One"
    _write(tmp_path, "Two")  # same size, at once: within the file system's timestamp granularity
    assert open_graph(tmp_path).nodes["a"]["label_en"] == "Two"
    st = os.stat(tmp_path / "nodes.csv")
    _write(tmp_path, "Six")  # same size, and the old mtime put back: ctime still moves
    os.utime(tmp_path / "nodes.csv", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert open_graph(tmp_path).nodes["a"]["label_en"] == "Six"
    (tmp_path / "edges.csv").write_text("source,target,relation\na,a,cites\n")
    with pytest.raises(load.DataError):
        open_graph(tmp_path)


def test_an_unchanged_graph_is_not_read_again(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "_RACY_NS", 0)
    _write(tmp_path, "One")
    time.sleep(0.01)
    assert "a" in open_graph(tmp_path)

    def fail(path):
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(cache_mod, "read_bytes", fail)
    assert open_graph(tmp_path).nodes["a"]["label_en"] == "One"
    assert load_graph(tmp_path).nodes["a"]["label_en"] == "One"


def test_a_corrupt_query_cache_is_ignored(cache, tmp_path):
    _write(tmp_path, "One")
    open_graph(tmp_path)
    for f in cache.glob("*.sqlite"):
        f.write_bytes(b"not a database" * 100)
    G = open_graph(tmp_path)
    assert G.nodes["a"]["label_en"] == "One" and query.prerequisites(G, "b").papers == ["a"]


def test_an_unwritable_cache_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    _write(tmp_path, "One")
    G = open_graph(tmp_path)
    assert isinstance(G, nx.MultiDiGraph) and query.prerequisites(G, "b").papers == ["a"]


def test_old_cache_entries_are_removed(cache, tmp_path):
    from papergraph import viz

    _write(tmp_path, "One")
    open_graph(tmp_path)
    G = load_graph(tmp_path)
    viz.map_html(G, "en")  # the map keeps its layout and order graph beside the caches
    digest = G.graph["digest"]
    first = {p.name for p in cache.iterdir() if p.is_file() and p.name.startswith(digest)}
    assert any("-map-" in name for name in first) and any(name.endswith(".sqlite") for name in first)
    _write(tmp_path, "Two")
    open_graph(tmp_path)
    now = {p.name for p in cache.iterdir() if p.is_file()}
    assert first and not (first & now)


def test_missing_files_are_reported_as_before(cache, tmp_path, runner):
    result = run(runner, "prereqs", "x", "--data", tmp_path / "nowhere")
    assert result.exit_code == 1 and "nodes.csv: file not found" in result.stderr


# ------------------------------------------------------------------ the other fast paths

edge_lists = st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdefg"),
                                st.sampled_from(["cites", "requires", "builds_on"]),
                                st.dictionaries(st.sampled_from(["note", "w"]), st.text(max_size=3), max_size=2)),
                      max_size=30)


@settings(max_examples=100, deadline=None)
@given(nodes=st.lists(st.tuples(st.sampled_from("abcdef"), st.dictionaries(st.sampled_from(["kind", "x"]),
                                                                           st.text(max_size=2))), max_size=8),
       edges=edge_lists)
def test_filling_the_graph_directly_is_what_networkx_builds(nodes, edges):
    want = nx.MultiDiGraph()
    want.add_nodes_from((n, dict(d)) for n, d in nodes)
    want.add_edges_from((s, t, k, dict(d)) for s, t, k, d in edges)
    got = nx.MultiDiGraph()
    load._fill(got, ((n, dict(d)) for n, d in nodes), ((s, t, k, dict(d)) for s, t, k, d in edges))
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert list(got.edges(keys=True, data=True)) == list(want.edges(keys=True, data=True))
    assert list(got.in_edges(keys=True, data=True)) == list(want.in_edges(keys=True, data=True))
    assert all(got._succ[u][v] is got._pred[v][u] for u, v in got.edges())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=valid_graphs(), data=st.data())
def test_checking_an_order_in_one_pass_finds_the_same(tmp_path_factory, graph, data, monkeypatch):
    tmp = tmp_path_factory.mktemp("g")
    write(tmp, *graph)
    G = load_graph(tmp, cache=False)
    papers = query.nodes_of_kind(G, "paper")
    listed = data.draw(st.lists(st.sampled_from(papers), max_size=len(papers) + 2))
    monkeypatch.setattr(core, "ONE_PASS_FROM", 10**9)
    want = order.check_order(G, listed)
    monkeypatch.setattr(core, "ONE_PASS_FROM", 0)
    assert order.check_order(G, listed) == want


# ------------------------------------------------------------------ what a question costs

def test_the_query_path_imports_no_heavy_library(tmp_path):
    env = dict(os.environ, PAPERGRAPH_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PAPERGRAPH_DATA", None)
    cmd = [sys.executable, "-X", "importtime", "-m", "papergraph", "prereqs", "dit"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == first.stdout
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    heavy = sorted(m for m in imported if m.split(".")[0] in ("pandas", "rdflib", "pyvis", "streamlit", "networkx"))
    assert heavy == [], heavy
    assert "Prerequisites of" in again.stdout


def test_status_line_only_on_a_terminal(monkeypatch):
    class Tty:
        def __init__(self, tty):
            self.tty, self.text = tty, []

        def isatty(self):
            return self.tty

        def write(self, s):
            self.text.append(s)
            return len(s)

        def flush(self):
            pass

    for tty, big, shown in ((False, True, False), (True, False, False), (True, True, True)):
        err = Tty(tty)
        monkeypatch.setattr(sys, "stderr", err)
        with load._progress(load._PROGRESS_BYTES if big else 10) as say:
            say("validating")
            time.sleep(0.2)
        assert bool("".join(err.text)) == shown, (tty, big)


def test_the_order_index_of_a_networkx_graph_follows_its_changes():
    G = load_graph(ROOT / "graph", cache=False)
    query.prerequisites(G, "dit")
    assert orderindex._MEMO in G.__networkx_cache__
    assert "zz-new" not in query.prerequisites(G, "dit").papers
    G.add_node("zz-new", kind="paper", label_en="New")
    G.add_edge("zz-new", "latent-diffusion", "introduces", relation="introduces")
    assert orderindex._MEMO not in G.__networkx_cache__  # NetworkX cleared it
    assert "zz-new" in query.prerequisites(G, "dit").papers
    G.add_edge("dit", "latent-diffusion", "requires", relation="requires")
    fresh = nx.MultiDiGraph(G)
    assert query.prerequisites(G, "dit").to_dict() == query.prerequisites(fresh, "dit").to_dict()
    assert "zz-new" in query.prerequisites(G, "dit").papers


def _read_table_reference(path, raw, required, problems):
    """read_table as it was before issue #6: one csv.reader pass, following reader.line_num."""
    import csv
    import io

    name = str(path)
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines, header, start = [], [], None, 1
    try:
        for row in reader:
            here, start = start, reader.line_num + 1
            if not row or all(not c.strip() for c in row):
                continue
            if header is None:
                header = [c.strip() for c in row]
                continue
            if len(row) != len(header):
                problems.append(load.Problem(name, here, f"malformed row: expected {len(header)} fields, "
                                                         f"found {len(row)}"))
                continue
            rows.append([c.strip() for c in row])
            lines.append(here)
    except csv.Error as exc:
        problems.append(load.Problem(name, reader.line_num, f"malformed CSV: {exc}"))
    return header, rows, lines


cells = st.text(alphabet='ab ,"\n\r\t\u3000x', max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cells, min_size=0, max_size=4), max_size=8), st.sampled_from(["\n", "\r\n", "\r"]),
       st.booleans())
def test_reading_a_table_finds_the_same_rows_and_lines(table, newline, raw_join):
    import csv
    import io

    if raw_join:  # not always valid CSV: quotes and separators as they come
        text = newline.join(",".join(r) for r in table)
    else:
        buf = io.StringIO()
        csv.writer(buf, lineterminator=newline).writerows(table)
        text = buf.getvalue()
    raw = text.encode("utf-8")
    want_problems, got_problems = [], []
    header, rows, lines = _read_table_reference("t.csv", raw, (), want_problems)
    got = load.read_table(load.Path("t.csv"), raw, (), got_problems)
    if header is None:
        assert got is None
    else:
        assert (got.header, got.rows, got.lines) == (header, rows, lines)
        assert got_problems[:len(want_problems)] == want_problems


def test_fields_picked_by_sql_are_the_nodes_fields(cache, tmp_path):
    d = tmp_path / "g"
    generate.write(d, *generate.generate(300, seed=8))
    G, view = load_graph(d), open_graph(d)
    ids = list(G.nodes)[::3] + ["no-such-node"]
    got = view.node_fields(("row", "kind", "year"), ids)
    assert set(got) == set(ids) - {"no-such-node"}
    for n in got:
        assert got[n] == {f: G.nodes[n][f] for f in ("row", "kind", "year") if G.nodes[n].get(f) is not None}
    papers = view.node_fields(("label_en", "year"), kind="paper")
    assert papers == {n: {f: G.nodes[n][f] for f in ("label_en", "year") if G.nodes[n].get(f) is not None}
                      for n in G if G.nodes[n]["kind"] == "paper"}
    with pytest.raises(ValueError):
        view.node_fields(("row') FROM node; --",), ids)


def test_a_graph_from_the_pickle_reads_its_index_from_the_query_cache(cache, tmp_path, monkeypatch):
    from papergraph import orderindex

    d = tmp_path / "g"
    generate.write(d, *generate.generate(200, seed=4))
    open_graph(d)  # validates, writes the pickle and the query cache (with the index)
    G = load_graph(d)  # from the pickle
    assert orderindex.STORED in G.__networkx_cache__
    built = []
    real = orderindex.from_graph
    monkeypatch.setattr(orderindex, "from_graph", lambda H: built.append(1) or real(H))
    ix = orderindex.index_of(G)
    assert not built and ix.connection is None  # read from the file, which is closed again
    fresh = real(G)
    for name in orderindex._ARRAYS:
        assert list(getattr(ix, name)) == list(getattr(fresh, name)), name
    assert ix.global_order("guide") == fresh.global_order("guide")
    assert ix.node_data(0) is G.nodes[ix.ids[0]]
    # a changed graph gets an index of its own
    p, q = [n for n in G if G.nodes[n]["kind"] == "paper"][:2]
    G.add_edge("new-paper", p, "builds_on")
    G.nodes["new-paper"].update(kind="paper", label_en="New")
    again = orderindex.index_of(G)
    assert built and "new-paper" in again.ids and again is not ix
