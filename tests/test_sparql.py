"""SPARQL at scale and against real stores: the Oxigraph engine, --var, --timeout, --endpoint and push.

The remote tests start a real Oxigraph server (the ``oxigraph`` package from
PyPI, installed by scripts/test.sh with the test extras) on a free loopback
port, push graphs into it with ``papergraph push`` and query it with
``papergraph query --endpoint``; a missing server fails the tests.
"""

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import graphs
import pytest
from conftest import HERE, ROOT, run
from hypothesis import HealthCheck, given, settings
from rdflib import Literal

from papergraph import exports
from papergraph.load import load_graph
from papergraph.query import nodes_of_kind, prerequisites
from papergraph.rdf.engine import QueryTimeout, evaluate
from papergraph.rdf.export import graph_triples, to_rdflib
from papergraph.rdf.resources import example_queries
from papergraph.rdf.serialize import to_ntriples
from papergraph.rdf.sparql import check_query, format_result, parse_binding, prepare, run_query

CURRICULUM = HERE / "rdf_good" / "curriculum"
SEED = ROOT / "graph"
#: (example, bindings) pairs run by the comparisons: each example unbound and bound.
CASES = [("prerequisites", {}), ("prerequisites", {"paper": "dit"}), ("prerequisites", {"paper": "bert"}),
         ("concepts-of-stage", {}), ("concepts-of-stage", {"stage": "stage-4"}),
         ("papers-by-year", {}), ("background-concepts", {})]


def run_cli(*args, **kw):
    from click.testing import CliRunner

    return run(CliRunner(), *[str(a) for a in args], **kw)


def nt_of(G) -> bytes:
    return to_ntriples(graph_triples(G)).encode("utf-8")


def oxigraph_answer(G, name, binds, nt=None):
    text = example_queries()[name]
    q = check_query(text)
    terms = dict(parse_binding(f"{k}={v}") for k, v in binds.items())
    return evaluate(prepare(text, q, terms), nt if nt is not None else nt_of(G), 60)


def rdflib_answer(G, name, binds):
    text = example_queries()[name]
    terms = dict(parse_binding(f"{k}={v}") for k, v in binds.items())
    return run_query(to_rdflib(graph_triples(G)), check_query(text), terms)


def paper_prereqs(result) -> dict[str, set]:
    out: dict[str, set] = {}
    for row in result:
        out.setdefault(str(row["paper"]), set()).add(str(row["prerequisite"]))
    return out


@pytest.fixture(scope="module")
def seed():
    return load_graph(SEED, cache=False)


@pytest.fixture(scope="module")
def curriculum():
    return load_graph(CURRICULUM, cache=False)


# ---------------------------------------------------------------- the local engine


@pytest.mark.parametrize("name,binds", CASES)
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_oxigraph_gives_rdflibs_answer_byte_for_byte(seed, name, binds, fmt):
    ours = format_result(oxigraph_answer(seed, name, binds), fmt)
    theirs = format_result(rdflib_answer(seed, name, binds), fmt)
    assert ours == theirs
    rows = format_result(oxigraph_answer(seed, name, binds), "csv").splitlines()[1:]
    assert len(rows) >= 3  # a real answer (BERT has the fewest rows: three prerequisites), not an empty one


def test_group_concat_lists_ids_in_order(seed):
    rows = list(csv.DictReader(io.StringIO(format_result(oxigraph_answer(seed, "papers-by-year", {}), "csv"))))
    assert rows and all(r["ids"].split() == sorted(r["ids"].split()) for r in rows)
    assert sum(int(r["papers"]) for r in rows) == sum(1 for _, y in seed.nodes(data="year") if y is not None)


def test_the_example_is_the_prereqs_rule_for_every_seed_paper(seed):
    answer = paper_prereqs(oxigraph_answer(seed, "prerequisites", {}))
    for paper in nodes_of_kind(seed, "paper"):
        assert answer.get(paper, set()) == set(prerequisites(seed, paper).papers), paper


def test_the_bound_example_is_the_prereqs_command(seed):
    for paper in ("dit", "transformer", "word2vec"):
        r = run_cli("query", "--example", "prerequisites", "--var", f"paper={paper}", "--format", "csv")
        assert r.exit_code == 0, r.output
        got = [row["prerequisite"] for row in csv.DictReader(io.StringIO(r.stdout))]
        assert set(got) == set(prerequisites(seed, paper).papers) and len(got) == len(set(got))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graphs.valid_graphs())
def test_the_example_is_the_prereqs_rule_on_random_graphs(tmp_path_factory, graph):
    d = tmp_path_factory.mktemp("g")
    graphs.write(d, *graph)
    G = load_graph(d, cache=False)
    answer = paper_prereqs(oxigraph_answer(G, "prerequisites", {}))
    for paper in nodes_of_kind(G, "paper"):
        assert answer.get(paper, set()) == set(prerequisites(G, paper).papers), paper


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A graph from bench/generate.py (threads, Zipf-skewed foundations, background concepts)."""
    d = tmp_path_factory.mktemp("gen")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--papers", "400", "-o", str(d)],
                   check=True, capture_output=True)
    return load_graph(d, cache=False)


def test_the_example_is_the_prereqs_rule_on_a_generated_graph(generated):
    answer = paper_prereqs(oxigraph_answer(generated, "prerequisites", {}))
    papers = nodes_of_kind(generated, "paper")
    assert sum(map(len, answer.values())) > len(papers)  # the graph has real chains
    for paper in papers:
        assert answer.get(paper, set()) == set(prerequisites(generated, paper).papers), paper


def test_a_bound_value_is_escaped_not_spliced():
    q = "SELECT ?p WHERE { ?p pg:id ?paper }"
    for value in ('dit" } ; DROP ALL #', "dit\" }\nSELECT * WHERE { ?s ?p ?o", "a\\\"b", "<x> } LIMIT 1"):
        text = prepare(q, check_query(q), {"paper": Literal(value)})
        check_query(text)  # still one read-only query
        r = run_cli("query", q, "--var", f"paper={value}", "--format", "csv")
        assert r.exit_code == 0, r.output
        assert r.stdout.strip().splitlines() == ["p"]
    r = run_cli("query", q, "--var", "paper=<http://a>} DROP ALL {<b>", "--format", "csv")
    assert r.exit_code == 1 and "not an IRI" in r.stderr


def test_var_errors_are_one_line():
    r = run_cli("query", "--example", "prerequisites", "--var", "nope=dit")
    assert r.exit_code == 1 and "the query has no ?nope" in r.stderr and "Traceback" not in r.output
    r = run_cli("query", "SELECT ?x WHERE { ?p pg:id ?x } VALUES ?x { \"dit\" }", "--var", "x=bert")
    assert r.exit_code == 1 and "VALUES" in r.stderr


def _children_running_the_engine() -> list[int]:
    me = os.getpid()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == me and b"papergraph.rdf.engine" in cmd:
            found.append(int(stat.parent.name))
    return found


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_slow_query_is_stopped_at_the_time_limit():
    start = time.monotonic()
    r = run_cli("query", SLOW, "--timeout", "1.5")
    took = time.monotonic() - start
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "did not finish within 1.5 s and was stopped" in r.stderr and "已被终止" in r.stderr
    assert took < 10
    assert _children_running_the_engine() == []


def test_the_explorer_always_applies_a_time_limit(seed):
    with pytest.raises(QueryTimeout, match="stopped"):
        exports.sparql(seed, SLOW, timeout=1)
    assert _children_running_the_engine() == []
    assert exports.sparql(seed, "ASK { ?s ?p ?o }") == (["result"], [["true"]])


def test_timeout_must_be_positive():
    r = run_cli("query", "ASK { ?s ?p ?o }", "--timeout", "0")
    assert r.exit_code == 1 and "--timeout" in r.stderr


# ---------------------------------------------------------------- a real store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A real Oxigraph server on a free loopback port; yields its base URL."""
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert exe, "the oxigraph server is not installed (pip install oxigraph; scripts/test.sh does)"
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_push_then_every_example_answers_as_locally(store, seed):
    r = run_cli("push", store + "/store")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("sent ") and "?default" in r.stdout
    for name, binds in CASES:
        args = [a for k, v in binds.items() for a in ("--var", f"{k}={v}")]
        for fmt in ("table", "json", "csv"):
            local = run_cli("query", "--example", name, *args, "--format", fmt)
            remote = run_cli("query", "--example", name, *args, "--format", fmt, "--endpoint", store + "/query")
            assert remote.exit_code == 0, remote.output
            assert remote.stdout == local.stdout, (name, binds, fmt)


def test_prereqs_of_every_seed_paper_from_the_store(store, seed):
    run_cli("push", store + "/store")
    for paper in nodes_of_kind(seed, "paper"):
        r = run_cli("query", "--example", "prerequisites", "--var", f"paper={paper}", "--format", "csv",
                    "--endpoint", store + "/query")
        got = {row["prerequisite"] for row in csv.DictReader(io.StringIO(r.stdout))}
        assert got == set(prerequisites(seed, paper).papers), paper


def test_ask_construct_and_a_named_graph(store):
    assert run_cli("push", store + "/store").exit_code == 0  # the default graph, whatever ran before
    g = "https://example.org/papergraph/seed"
    r = run_cli("push", store + "/store", "--graph", g, "--with-ontology")
    assert r.exit_code == 0 and "graph=https%3A%2F%2Fexample.org" in r.stdout
    r = run_cli("query", "ASK { paper:dit pg:buildsOn paper:latent-diffusion }", "--endpoint", store + "/query")
    assert r.exit_code == 0 and r.stdout in ("true\n", "false\n")
    r = run_cli("query", "CONSTRUCT { ?p schema:name ?t } WHERE { ?p pg:title ?t } LIMIT 2",
                "--endpoint", store + "/query")
    assert r.exit_code == 0 and r.stdout.count("schema:name") >= 1


@pytest.fixture(scope="module")
def g10k(store, tmp_path_factory):
    """A generated 10k-paper graph: its directory and graph, pushed to the store's graph <https://example.org/10k>."""
    d = tmp_path_factory.mktemp("g10k")
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--papers", "10000", "-o", str(d)],
                   check=True, capture_output=True)
    r = run_cli("push", store + "/store", "--graph", "https://example.org/10k", "--data", d, "--timeout", "300")
    assert r.exit_code == 0, r.output
    return d, load_graph(d, cache=False)


def test_a_generated_10k_graph_in_the_store(store, g10k):
    d, G = g10k
    papers = nodes_of_kind(G, "paper")
    for paper in papers[::997] + papers[-3:]:
        # the named graph, through the store's union default graph option of the protocol
        r = run_cli("query", "--example", "prerequisites", "--var", f"paper={paper}", "--format", "csv",
                    "--endpoint", store + "/query?default-graph-uri=https%3A%2F%2Fexample.org%2F10k")
        assert r.exit_code == 0, r.output
        got = {row["prerequisite"] for row in csv.DictReader(io.StringIO(r.stdout))}
        assert got == set(prerequisites(G, paper).papers), paper
    # the CLI's own questions, reading the named graph from the store
    ep = ["--endpoint", store + "/query", "--graph", "https://example.org/10k", "--timeout", "300"]
    _same(["order", "--json", "--data", d], ["order", "--json", *ep])
    for paper in papers[::997] + papers[-3:]:
        _same(["prereqs", paper, "--json", "--data", d], ["prereqs", paper, "--json", *ep])


def test_http_failures_are_one_line(store):
    r = run_cli("query", "ASK { ?s ?p ?o }", "--endpoint", store + "/no-such-service")
    assert r.exit_code == 1 and "HTTP 404" in r.stderr and "Traceback" not in r.output
    r = run_cli("push", f"http://127.0.0.1:{_free_port()}/store")
    assert r.exit_code == 1 and "cannot reach the store" in r.stderr and "Traceback" not in r.output
    for bad in ("file:///etc/passwd", "ftp://x/y", "localhost:7878/query"):
        r = run_cli("query", "ASK { ?s ?p ?o }", "--endpoint", bad)
        assert r.exit_code == 1 and "only http:// and https://" in r.stderr
    r = run_cli("push", store + "/store", "--graph", "not an iri")
    assert r.exit_code == 1 and "--graph needs an absolute IRI" in r.stderr
    r = run_cli("query", "SELECT * WHERE { SERVICE <http://x.org/q> { ?s ?p ?o } }", "--endpoint", store + "/query")
    assert r.exit_code == 1 and "refused" in r.stderr


class _Recorder(BaseHTTPRequestHandler):
    """A stub that records requests; ``/slow`` never answers in time; ``/moved`` redirects."""

    seen: list = []

    def log_message(self, *args):
        pass

    def do_PUT(self):
        self.seen.append((self.command, self.path, dict(self.headers),
                          self.rfile.read(int(self.headers["Content-Length"]))))
        if self.path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path.startswith("/slow"):
            time.sleep(5)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>not SPARQL</html>")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (the time-limit test) is expected; its traceback would land in a later test's output


@pytest.fixture
def stub():
    server = _QuietServer(("127.0.0.1", 0), _Recorder)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_credentials_come_from_the_environment(stub, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_ENDPOINT_TOKEN", "s3cret")
    r = run_cli("push", stub + "/store")
    assert r.exit_code == 0, r.output
    method, path, headers, body = _Recorder.seen[-1]
    assert (method, path) == ("PUT", "/store?default")
    assert headers["Authorization"] == "Bearer s3cret" and headers["Content-Type"] == "application/n-triples"
    assert body.count(b"\n") > 1000 and b"<https://w3id.org/papergraph/paper/dit>" in body
    monkeypatch.setenv("PAPERGRAPH_ENDPOINT_PASSWORD", "pw")
    run_cli("push", stub + "/store", "--user", "ann")
    assert _Recorder.seen[-1][2]["Authorization"] == "Basic YW5uOnB3"


def test_redirects_timeouts_and_wrong_answers(stub):
    r = run_cli("push", stub + "/moved")
    assert r.exit_code == 1 and "HTTP 301" in r.stderr and "not followed" in r.stderr
    start = time.monotonic()
    r = run_cli("query", "ASK { ?s ?p ?o }", "--endpoint", stub + "/slow", "--timeout", "1")
    assert r.exit_code == 1 and "did not finish within 1 s" in r.stderr and time.monotonic() - start < 4
    r = run_cli("query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", stub + "/query")
    assert r.exit_code == 1 and "not application/sparql-results+json" in r.stderr and "Traceback" not in r.output


def test_nothing_is_sent_without_a_url(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    r = run_cli("query", "--example", "prerequisites", "--var", "paper=dit", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["results"]["bindings"]


# ---------------------------------------------------------------- questions read from a store

def _same(args_local, args_remote):
    local, remote = run_cli(*args_local), run_cli(*args_remote)
    assert "Traceback" not in remote.output
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout), args_remote
    return remote


def test_questions_read_from_the_store_answer_as_locally(store, seed):
    """prereqs, unlocks, why, order, next, check-order, plan, stage and stats with --endpoint: the local answers."""
    assert run_cli("push", store + "/store").exit_code == 0
    ep = ["--endpoint", store + "/query"]
    papers = nodes_of_kind(seed, "paper")
    for paper in papers:
        r = _same(["prereqs", paper, "--json"], ["prereqs", paper, "--json", *ep])
        assert json.loads(r.stdout)["target"] == paper
        _same(["unlocks", paper, "--json"], ["unlocks", paper, "--json", *ep])
    for a, b in (("transformer", "bert"), ("bert", "transformer"), ("ddpm", "dit")):
        _same(["why", a, b], ["why", a, b, *ep])
    for strategy in ("guide", "chronological"):
        _same(["order", "--strategy", strategy], ["order", "--strategy", strategy, *ep])
    for args in (["next", "--read", "word2vec,seq2seq"], ["check-order", "--guide"], ["stats", "--json"],
                 ["stage", "2", "--json"], ["plan", "--target", "CLIP", "--start", "2026-01-05", "--json"],
                 ["prereqs", "注意力机制"]):
        _same(args, [*args, *ep])


def test_a_named_graph_of_the_store_and_a_change_to_it(store, tmp_path):
    g = "https://example.org/papergraph/mini"
    mini = HERE / "good" / "minimal"
    assert run_cli("push", store + "/store", "--graph", g, "--data", mini).exit_code == 0
    ep = ["--endpoint", store + "/query", "--graph", g]
    _same(["order", "--json", "--data", mini], ["order", "--json", *ep])
    # the store changes: the next question sees the change (the cached import is keyed by the answer's bytes)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "nodes.csv").write_text("id,kind,label_en\na,paper,A\nb,paper,B\nc,paper,C\n", encoding="utf-8")
    (changed / "edges.csv").write_text("source,target,relation\nb,a,builds_on\nc,b,builds_on\n", encoding="utf-8")
    assert run_cli("push", store + "/store", "--graph", g, "--data", changed).exit_code == 0
    r = run_cli("prereqs", "c", "--json", *ep)
    assert r.exit_code == 0 and json.loads(r.stdout)["papers"] == ["a", "b"]


def test_the_map_reads_from_the_store(store, tmp_path):
    assert run_cli("push", store + "/store").exit_code == 0
    out = tmp_path / "map.html"
    r = run_cli("html", "-o", out, "--endpoint", store + "/query", "--lang", "en")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "Stable Diffusion" in page and "http://127.0.0.1" not in page  # no request to the store from the page


def test_reading_from_a_store_fails_in_one_line(store):
    empty = "https://example.org/papergraph/nothing-here"
    r = run_cli("order", "--endpoint", store + "/query", "--graph", empty)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{store}/query (graph <{empty}>), its answer: no papergraph nodes found" in r.stderr
    r = run_cli("prereqs", "dit", "--endpoint", store + "/query", "--graph", empty)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"no node answers to 'dit' in {store}/query" in r.stderr
    r = run_cli("prereqs", "dit", "--endpoint", f"http://127.0.0.1:{_free_port()}/query")
    assert r.exit_code == 1 and "cannot reach the store" in r.stderr and "Traceback" not in r.output
    r = run_cli("prereqs", "dit", "--endpoint", store + "/query", "--data", HERE / "good" / "minimal")
    assert r.exit_code == 2 and "give --data or --endpoint, not both" in r.stderr
    r = run_cli("order", "--graph", "https://example.org/g")
    assert r.exit_code == 2 and "--graph goes with --endpoint" in r.stderr
    r = run_cli("order", "--endpoint", store + "/query", "--graph", "not an iri")
    assert r.exit_code == 1 and "--graph needs an absolute IRI" in r.stderr


# ---------------------------------------------------------------- the kept store

def _store_dir(d):
    from papergraph.cache import store_path
    from papergraph.load import open_graph

    return store_path(open_graph(d).graph["digest"])


def test_the_loaded_store_is_kept_and_the_graph_is_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    args = ["query", "--example", "prerequisites", "--var", "paper=dit", "--format", "csv"]
    first = run_cli(*args)
    assert first.exit_code == 0 and first.stdout.count("\n") > 3
    store = _store_dir(ROOT / "graph")
    assert (store / "papergraph-store-ready").is_file()
    assert oct(os.stat(store.parent).st_mode & 0o777) == "0o700"
    for pickle in (tmp_path / "cache").glob("*.pickle"):
        pickle.unlink()  # the whole graph: a second query must not need it
    again = run_cli(*args)
    assert again.stdout == first.stdout
    assert not list((tmp_path / "cache").glob("*.pickle"))
    assert not list(store.parent.glob(".*.tmp"))


def test_a_damaged_or_unfinished_store_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    args = ["query", "--example", "papers-by-year", "--format", "csv"]
    want = run_cli(*args).stdout
    store = _store_dir(ROOT / "graph")
    for f in store.iterdir():  # every file of the store overwritten
        if f.is_file() and f.name != "papergraph-store-ready":
            f.write_bytes(b"\0garbage" * 100)
    assert run_cli(*args).stdout == want
    assert (store / "papergraph-store-ready").is_file()
    shutil.rmtree(store)
    store.mkdir()  # a directory without the ready mark (a build that was cut short): not used
    (store / "junk").write_text("x")
    assert run_cli(*args).stdout == want
    assert (store / "papergraph-store-ready").is_file() and not (store / "junk").exists()


def test_a_stopped_query_keeps_no_half_built_store(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    r = run_cli("query", SLOW, "--timeout", "1.5")
    assert r.exit_code == 1 and "did not finish" in r.stderr
    store = _store_dir(ROOT / "graph")
    assert not store.exists() and not list(store.parent.glob(".*.tmp"))


def test_a_store_graph_over_the_input_limit_is_refused_in_one_line(store, monkeypatch):
    assert run_cli("push", store + "/store").exit_code == 0
    monkeypatch.setenv("PAPERGRAPH_MAX_INPUT_BYTES", "100000")  # the seed's N-Triples are about 1 MB
    r = run_cli("order", "--endpoint", store + "/query")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "the answer is larger than 100,000 bytes; raise PAPERGRAPH_MAX_INPUT_BYTES" in r.stderr
    # a question about one paper reads only its part, under the same limit over all its requests
    monkeypatch.setenv("PAPERGRAPH_MAX_INPUT_BYTES", "60000")  # DiT's part is about 200 kB
    r = run_cli("prereqs", "dit", "--endpoint", store + "/query")
    assert r.exit_code == 1 and "Traceback" not in r.output and r.stderr.count("\n") == 1
    assert "what this question needs from the store is over the input limit of 60,000 bytes (" in r.stderr
    assert "raise PAPERGRAPH_MAX_INPUT_BYTES to read it" in r.stderr
    monkeypatch.setenv("PAPERGRAPH_MAX_INPUT_BYTES", "1000000")
    assert run_cli("prereqs", "dit", "--endpoint", store + "/query").exit_code == 0


def test_the_explorer_starts_on_the_stores_graph(store, monkeypatch):
    from papergraph import viz_commands

    assert run_cli("push", store + "/store").exit_code == 0
    started = []
    monkeypatch.setattr(viz_commands, "_run", lambda cmd: started.append(cmd) or 0)
    r = run_cli("app", "--endpoint", store + "/query", "--headless")
    assert r.exit_code == 0, r.output
    (cmd,) = started
    data = Path(cmd[cmd.index("--data") + 1])
    assert (data / "nodes.csv").is_file() and data.name.startswith("endpoint-")
    assert load_graph(data, cache=False).number_of_nodes() == load_graph(ROOT / "graph", cache=False).number_of_nodes()


def test_a_cache_that_cannot_hold_a_store_still_answers(tmp_path, monkeypatch):
    import papergraph.cache

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(papergraph.cache, "store_path", lambda digest: blocker / "store")
    want = run_cli("query", "--example", "papers-by-year", "--format", "csv")
    assert want.exit_code == 0 and want.stdout.count("\n") > 5, want.output
    assert not (blocker.parent / "store").exists()
    monkeypatch.undo()
    assert run_cli("query", "--example", "papers-by-year", "--format", "csv").stdout == want.stdout


# ---------------------------------------------------------------- questions answered from a part of the store

def _scope_rows(store, graph, names, direction="before"):
    from papergraph.rdf.scope import fetch_scope

    with __import__("tempfile").TemporaryDirectory() as d:
        fetch_scope(store + "/query", graph, names, direction, timeout=120, into=d)
        with open(Path(d) / "nodes.csv", encoding="utf-8") as fh:
            return [row["id"] for row in csv.DictReader(fh)]


def test_a_question_fetches_only_what_its_answer_depends_on(store, g10k):
    """prereqs, unlocks and why on a 10k store: the local answers, from a few dozen nodes, not 10k."""
    d, G = g10k
    g = "https://example.org/10k"
    ep = ["--endpoint", store + "/query", "--graph", g]
    papers = nodes_of_kind(G, "paper")
    for paper in papers[::1499] + papers[-2:]:
        rows = _scope_rows(store, g, [paper])
        # the closure (and the stages), never the graph
        expected = {paper} | set(prerequisites(G, paper).papers) | set(prerequisites(G, paper).concepts)
        assert expected <= set(rows) and len(rows) < len(G) // 20, (paper, len(rows))
        _same(["prereqs", paper, "--json", "--data", d], ["prereqs", paper, "--json", *ep])
        _same(["prereqs", paper, "--data", d], ["prereqs", paper, *ep])
    for paper in papers[-40::13]:
        _same(["unlocks", paper, "--json", "--data", d], ["unlocks", paper, "--json", *ep])
    _same(["why", papers[0], papers[-1], "--data", d], ["why", papers[0], papers[-1], *ep])
    label = G.nodes[papers[-1]]["label_en"].upper()  # a name, not an id: the store's names are searched
    _same(["prereqs", label, "--json", "--data", d], ["prereqs", label, "--json", *ep])


def test_papers_that_tie_keep_the_row_order_of_the_store(store, tmp_path):
    """Without ``order`` the guide strategy breaks ties by row: the part fetched keeps the store's rows."""
    data = tmp_path / "no-order"
    data.mkdir()
    with open(SEED / "nodes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["kind"] == "paper":
            row["order"] = ""
    rows.reverse()  # rows no longer follow the ids either
    with open(data / "nodes.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    shutil.copy(SEED / "edges.csv", data / "edges.csv")
    g = "https://example.org/papergraph/no-order"
    assert run_cli("push", store + "/store", "--graph", g, "--data", data).exit_code == 0
    ep = ["--endpoint", store + "/query", "--graph", g]
    for paper in nodes_of_kind(load_graph(data, cache=False), "paper"):
        _same(["prereqs", paper, "--json", "--data", data], ["prereqs", paper, "--json", *ep])


def test_a_stage_without_order_is_answered_from_the_whole_graph(store, tmp_path):
    data = tmp_path / "stage"
    data.mkdir()
    (data / "nodes.csv").write_text("id,kind,label_en\ns1,stage,One\ns2,stage,Two\n"
                                    "a,paper,A\nb,paper,B\nc,paper,C\n", encoding="utf-8")
    (data / "edges.csv").write_text("source,target,relation\na,s2,in_stage\nb,s1,in_stage\nc,s1,in_stage\n"
                                    "c,a,builds_on\nc,b,builds_on\n", encoding="utf-8")
    g = "https://example.org/papergraph/stage"
    assert run_cli("push", store + "/store", "--graph", g, "--data", data).exit_code == 0
    r = _same(["prereqs", "c", "--json", "--data", data],
              ["prereqs", "c", "--json", "--endpoint", store + "/query", "--graph", g])
    assert json.loads(r.stdout)["papers"] == ["b", "a"]


def test_every_unknown_name_is_reported_at_once(store):
    assert run_cli("push", store + "/store").exit_code == 0
    r = run_cli("why", "no-such-paper", "ß-nothing", "--endpoint", store + "/query")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "'no-such-paper'" in r.stderr and "'ß-nothing'" in r.stderr and r.stderr.count("\n") == 1
    r = run_cli("why", "Transformer", "BERT", "--endpoint", store + "/query")  # labels, any case
    assert r.exit_code == 0 and "must be read before" in r.stdout
    for name in ("residual  NETWORKS", "he 2015", "arXiv:1512.03385"):  # aliases (one of a list), an arXiv id
        _same(["prereqs", name, "--json"], ["prereqs", name, "--json", "--endpoint", store + "/query"])
    r = run_cli("prereqs", "注意力", "--endpoint", store + "/query")  # no node is called that: the near names
    assert r.exit_code == 1 and "did you mean:" in r.stderr and "注意力机制" in r.stderr


def _drawn(page: str):
    import re

    found = dict(re.findall(r'<script type="application/json" id="pg-(nodes|edges)">(.*?)</script>', page, re.S))
    nodes = {n["id"] for n in json.loads(found["nodes"])}  # (a stage's card lists only the part's papers)
    edges = sorted(json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True, ensure_ascii=False)
                   for e in json.loads(found["edges"]))  # every field of every edge but its running number
    return nodes, edges


def test_a_focused_map_reads_only_the_part_around_its_focus(store, tmp_path):
    """html --view network --focus X --hide-others --endpoint: the local map's nodes and edges, and a note on the page."""
    assert run_cli("push", store + "/store").exit_code == 0
    for focus in ("dit", "transformer", "word2vec", "注意力机制"):
        args = ["html", "--view", "network", "--focus", focus, "--hide-others", "--lang", "en"]
        local, remote = tmp_path / "local.html", tmp_path / "remote.html"
        assert run_cli(*args, "-o", local).exit_code == 0
        r = run_cli(*args, "-o", remote, "--endpoint", store + "/query")
        assert r.exit_code == 0, r.output
        assert _drawn(remote.read_text(encoding="utf-8")) == _drawn(local.read_text(encoding="utf-8")), focus
        assert f"Read from {store}/query: only the focus" in remote.read_text(encoding="utf-8")
    rows = _scope_rows(store, None, ["word2vec"], "around")
    assert "transformer" not in rows and len(rows) < 20  # Word2Vec unlocks little: little is read


def test_orders_read_only_what_orders_need(store):
    """order, next, check-order and plan read the names, dates, ranks, order relations and tools; no prose, no citations."""
    from papergraph.rdf.remote import mirror

    assert run_cli("push", store + "/store").exit_code == 0
    part = mirror(store + "/query", timeout=60, part="order")
    whole = mirror(store + "/query", timeout=60)
    assert part != whole
    with open(part / "nodes.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(part / "edges.csv", encoding="utf-8") as fh:
        relations = {row["relation"] for row in csv.DictReader(fh)}
    assert not any(r.get("description_en") or r.get("authors") for r in rows)
    assert {"builds_on", "requires", "introduces", "in_stage"} <= relations and "cites" not in relations
    assert (part / "nodes.csv").stat().st_size < (whole / "nodes.csv").stat().st_size / 2
    ep = ["--endpoint", store + "/query"]
    for args in (["order", "--strategy", "chronological"], ["order", "--target", "CLIP", "--read", "resnet"],
                 ["next", "--read", "word2vec"], ["check-order", "--guide", "--json"],
                 ["plan", "--start", "2026-01-05", "--markdown", "-"], ["plan", "--target", "DiT", "--ics", "-"]):
        _same(args, [*args, *ep])


def test_the_explorer_opens_on_the_part_around_a_focus(store, monkeypatch):
    """app --endpoint --focus: the app gets only the part around the focus, and says so on the page."""
    from streamlit.testing.v1 import AppTest

    from papergraph import viz_commands
    from papergraph.webapp import script_path

    assert run_cli("push", store + "/store").exit_code == 0
    started = []
    monkeypatch.setattr(viz_commands, "_run", lambda cmd: started.append(cmd) or 0)
    r = run_cli("app", "--endpoint", store + "/query", "--focus", "Stable Diffusion", "--headless")
    assert r.exit_code == 0, r.output
    (cmd,) = started
    data = Path(cmd[cmd.index("--data") + 1])
    assert cmd[cmd.index("--part-of") + 1] == store + "/query" and cmd[cmd.index("--focus") + 1] == "latent-diffusion"
    part, seed = load_graph(data, cache=False), load_graph(ROOT / "graph", cache=False)
    assert part.number_of_nodes() < seed.number_of_nodes() / 2
    assert set(prerequisites(seed, "dit").papers) <= set(part)  # DiT builds on it: DiT and all it needs are there
    monkeypatch.setattr(sys, "argv", ["streamlit_app.py", *cmd[cmd.index("--") + 1:]])
    at = AppTest.from_file(script_path(), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    (box,) = [b for b in at.info if "only the part around" in b.value]
    assert "latent" in box.value and store.rsplit(":", 1)[1] in box.value  # (the value is escaped Markdown)
    # its SPARQL box asks the store, which holds every paper, not the part
    at = AppTest.from_file(script_path(), default_timeout=120)
    at.query_params["lang"], at.query_params["view"] = "en", "data"
    at.run()
    assert any("Queries run at" in c.value for c in at.caption)
    at.text_area(key="w:sparql").input("SELECT (COUNT(?p) AS ?n) WHERE { ?p a pg:Paper }")
    at.run()
    at.button(key="sparql_run").click()
    at.run()
    assert not at.exception, at.exception
    papers = len(nodes_of_kind(seed, "paper"))
    assert at.dataframe[0].value.iloc[0, 0] == str(papers) and len(nodes_of_kind(part, "paper")) < papers
    r = run_cli("app", "--focus", "dit", "--headless")
    assert r.exit_code == 2 and "--focus goes with --endpoint" in r.stderr


def test_an_iri_from_the_store_is_never_spliced_into_a_query_unchecked():
    from papergraph.rdf.remote import EndpointError
    from papergraph.rdf.scope import _values

    assert _values("x", ["https://ex.org/paper/a"]) == "VALUES ?x { <https://ex.org/paper/a> }"
    for bad in ("https://ex.org/a> } ; DROP ALL #", "https://ex.org/a b", "https://ex.org/\x00"):
        with pytest.raises(EndpointError, match="cannot be written into a query"):
            _values("x", ["https://ex.org/ok", bad])


def test_push_takes_the_store_as_an_option_too_and_explains_a_query_url(store):
    """``push --endpoint URL`` (the issue's form) is ``push URL``; a query endpoint gets a hint, not just a 404."""
    r = run_cli("push", "--endpoint", store + "/store", "--graph", "https://example.org/papergraph/opt")
    assert r.exit_code == 0 and r.stdout.startswith("sent ")
    _same(["prereqs", "dit", "--json"],
          ["prereqs", "dit", "--json", "--endpoint", store + "/query", "--graph", "https://example.org/papergraph/opt"])
    r = run_cli("push", "--endpoint", store + "/query")
    assert r.exit_code == 1 and "Traceback" not in r.output and r.stderr.count("\n") == 1
    assert "looks like a SPARQL query endpoint" in r.stderr and "…/store" in r.stderr
    r = run_cli("push")
    assert r.exit_code == 2 and "papergraph push --endpoint URL" in r.stderr
    r = run_cli("push", store + "/store", "--endpoint", store + "/other")
    assert r.exit_code == 2 and "give the store's URL once" in r.stderr


def test_a_store_that_counts_rows_in_words_is_refused_in_one_line():
    import pyoxigraph as ox

    from papergraph.rdf.namespace import PG
    from papergraph.rdf.remote import EndpointError
    from papergraph.rdf.scope import _row_chains

    class Liar:
        url = "http://127.0.0.1:1/query"

        def where(self, pattern):
            return pattern

        def select(self, text):
            return [{"x": "https://ex.org/paper/a", "n": "three"}]

    paper, stage = ox.NamedNode(str(PG.Paper)), ox.NamedNode("https://ex.org/stage/s")
    triples = [ox.Triple(ox.NamedNode(f"https://ex.org/paper/{p}"), ox.NamedNode(str(PG.inStage)), stage)
               for p in "ab"]
    triples += [ox.Triple(ox.NamedNode(f"https://ex.org/paper/{p}"),
                          ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), paper) for p in "ab"]
    kept = {"https://ex.org/paper/a", "https://ex.org/paper/b"}
    with pytest.raises(EndpointError, match="a row count came back as 'three', not a number"):
        _row_chains(Liar(), triples, kept)


def test_reading_from_a_store_without_a_usable_cache_says_why(store, tmp_path, monkeypatch):
    """What must be kept (a whole graph, an app's part) is refused in one line; a question's part needs no cache."""
    assert run_cli("push", store + "/store").exit_code == 0
    open_dir = tmp_path / "shared"
    open_dir.mkdir()
    open_dir.chmod(0o777)  # others may write: not trusted
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(open_dir))
    for args in (["order"], ["app", "--focus", "dit", "--headless"]):
        r = run_cli(*args, "--endpoint", store + "/query")
        assert r.exit_code == 1 and "Traceback" not in r.output
        assert "there is no usable cache directory (set PAPERGRAPH_CACHE_DIR" in r.stderr, args
    r = run_cli("prereqs", "dit", "--json", "--endpoint", store + "/query")
    assert r.exit_code == 0 and json.loads(r.stdout)["target"] == "dit"
