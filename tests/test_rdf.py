"""RDF: vocabulary, export, import, SHACL, SPARQL, and what independent tools make of them."""

import csv
import io
import json
import shutil
import subprocess
import sys

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import HERE, ROOT, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from papergraph import schema
from papergraph.errors import DataError
from papergraph.load import load_graph
from papergraph.query import nodes_of_kind, prerequisites
from papergraph.rdf import DEFAULT_BASE, EXPORT_FORMATS, IMPORT_FORMATS
from papergraph.rdf.export import csv_columns, export_text, graph_triples, to_rdflib
from papergraph.rdf.importer import import_rdf, read_rdf
from papergraph.rdf.mapping import (
    EDGE_TERMS,
    KIND_CLASS,
    NODE_TERMS,
    RELATION_TERMS,
    relation_term,
)
from papergraph.rdf.namespace import PG, SCHEMA, check_base, pg, pg_terms, sdo
from papergraph.rdf.resources import example_queries, read_text
from papergraph.rdf.serialize import Triples, escape, literal, to_ntriples, to_turtle
from papergraph.rdf.shacl import validate
from papergraph.rdf.sparql import check_query

CURRICULUM = HERE / "rdf_good" / "curriculum"
GOOD = sorted(p for p in (HERE / "good").iterdir() if p.is_dir()) + [CURRICULUM]
BAD = sorted(p for p in (HERE / "rdf_bad").iterdir() if p.suffix != ".expected")
PAPER = DEFAULT_BASE + "paper/"
CONCEPT = DEFAULT_BASE + "concept/"
STAGE = DEFAULT_BASE + "stage/"


@pytest.fixture(scope="module")
def G():
    return load_graph(CURRICULUM, cache=False)


@pytest.fixture(scope="module")
def ttl(G):
    return export_text(G, "ttl", columns=csv_columns(CURRICULUM))


@pytest.fixture(scope="module")
def rdf_graph(ttl):
    return rdflib.Graph().parse(data=ttl, format="turtle")


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def round_trip(data_dir, tmp_path, fmt="ttl", name="export"):
    """Export ``data_dir`` through the CLI, import it back; return both RDF texts and the new directory."""
    runner_out = tmp_path / f"{name}.{fmt}"
    out_dir = tmp_path / f"{name}-csv"
    r = run_cli("export", "--format", fmt, "--data", data_dir, "-o", runner_out)
    assert r.exit_code == 0, r.output
    r = run_cli("import", runner_out, "-o", out_dir)
    assert r.exit_code == 0, r.output
    again = tmp_path / f"{name}-again.{fmt}"
    r = run_cli("export", "--format", fmt, "--data", out_dir, "-o", again)
    assert r.exit_code == 0, r.output
    return runner_out.read_bytes(), again.read_bytes(), out_dir


def run_cli(*args):
    from click.testing import CliRunner

    return run(CliRunner(), *args)


def triple_set(graph):
    """Triples as N-Triples strings, comparable across rdflib and pyoxigraph."""
    return {f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph}


def ox_set(quads):
    return {f"{q.subject} {q.predicate} {q.object}" for q in quads}


# ---------------------------------------------------------------- vocabulary


def test_the_namespace_is_closed():
    assert str(PG.Paper) == "https://w3id.org/papergraph/ns#Paper"
    for namespace, typo in ((PG, "Papr"), (pg, "requiresConcpt"), (SCHEMA, "nmae")):
        with pytest.raises(AttributeError):
            getattr(namespace, typo)
    assert type(sdo.name) is str


def test_every_kind_column_and_relation_of_the_schema_has_a_term():
    assert set(KIND_CLASS) == set(schema.KINDS)
    assert set(NODE_TERMS) == set(schema.NODE_COLUMNS) - {"kind"}  # the kind is the class
    assert set(EDGE_TERMS) == set(schema.EDGE_COLUMNS) - set(schema.REQUIRED_EDGE_COLUMNS)
    for name, rel in schema.RELATIONS.items():
        for source, _ in rel.pairs:
            assert relation_term(name, source) in {str(PG[t]) for t in pg_terms()}


def test_ontology_declares_every_term_in_english_and_chinese():
    g = rdflib.Graph().parse(data=read_text("ontology.ttl"), format="turtle")
    ns = str(PG._NS)
    declared = {s for s in g.subjects() if str(s).startswith(ns)}
    used = {o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(ns)}
    assert {str(t) for t in declared | used} == {ns + t for t in pg_terms()}
    for term in pg_terms():
        s = PG[term]
        for prop in (RDFS.label, RDFS.comment):
            langs = sorted(o.language for o in g.objects(s, prop))
            assert langs == ["en", "zh"], (term, prop)
    assert not any(isinstance(x, rdflib.BNode) for t in g for x in t)


def test_ontology_refines_the_standard_terms():
    g = rdflib.Graph().parse(data=read_text("ontology.ttl"), format="turtle")
    sub_class = {(str(a), str(b)) for a, b in g.subject_objects(RDFS.subClassOf)}
    sub_prop = {(str(a), str(b)) for a, b in g.subject_objects(RDFS.subPropertyOf)}
    assert (pg.Paper, sdo.ScholarlyArticle) in sub_class
    assert (pg.Concept, str(SKOS.Concept)) in sub_class
    assert (pg.Stage, sdo.Course) in sub_class
    for term, std in [(pg.introduces, sdo.teaches), (pg.requiresConcept, sdo.competencyRequired),
                      (pg.buildsOn, "http://purl.org/spar/cito/extends"), (pg.cites, "http://purl.org/spar/cito/cites"),
                      (pg.inStage, sdo.isPartOf), (pg.label, str(RDFS.label)), (pg.relatedTo, str(SKOS.related)),
                      (pg.requires, "http://purl.org/dc/terms/requires"), (pg.weeksMin, pg.suggestedWeeks)]:
        assert (term, std) in sub_prop, term


def test_ontology_labels_are_the_schema_labels():
    g = rdflib.Graph().parse(data=read_text("ontology.ttl"), format="turtle")

    def labels(term):
        return {o.language: str(o) for o in g.objects(URIRef(term), RDFS.label)}

    for kind, spec in schema.KINDS.items():
        assert labels(KIND_CLASS[kind]) == {"en": spec.label_en, "zh": spec.label_zh}
    for name, by_kind in RELATION_TERMS.items():
        if len(set(by_kind.values())) == 1:
            spec = schema.RELATIONS[name]
            assert labels(next(iter(by_kind.values()))) == {"en": spec.label_en, "zh": spec.label_zh}


def test_shapes_check_both_ends_of_every_relation_as_the_schema_allows():
    from rdflib.collection import Collection

    g = rdflib.Graph().parse(data=read_text("shapes.ttl"), format="turtle")
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    kind_of = {URIRef(v): k for k, v in KIND_CLASS.items()}

    def kinds(node):
        one = g.value(node, SH["class"])
        if one is not None:
            return {kind_of[one]}
        return {kind_of[g.value(x, SH["class"])] for x in Collection(g, g.value(node, SH["or"]))}

    for name, by_kind in RELATION_TERMS.items():
        for pred in set(by_kind.values()):
            sources = {k for k, p in by_kind.items() if p == pred}
            shape = next(g.subjects(SH.targetSubjectsOf, URIRef(pred)))
            assert kinds(shape) == sources, pred
            targets = {b for a, b in schema.RELATIONS[name].pairs if a in sources}
            assert kinds(g.value(shape, SH.property)) == targets, pred


def test_base_must_be_an_absolute_ascii_iri():
    assert check_base("https://example.org/x") == "https://example.org/x/"
    for bad in ("example.org/", "https://例子.org/", "https://a b/", "https://x/<y>"):
        with pytest.raises(Exception, match="--base"):
            check_base(bad)


# ---------------------------------------------------------------- writers


def test_literals_are_escaped_as_the_grammars_require():
    text = 'quote " backslash \\ newline \n return \r tab \t bell \x07 del \x7f 中文'
    t = Triples()
    t.add("http://ex.org/a", "http://ex.org/p", literal(text, lang="zh"))
    t.add("http://ex.org/a", "http://ex.org/q", literal("2017", datatype=str(XSD.gYear)))
    nt = to_ntriples(t)
    assert nt.count("\n") == 2 and "\\u0007" in nt and "\\u007F" in nt  # one line a triple
    for data, fmt in ((nt, ox.RdfFormat.N_TRIPLES), (to_turtle(t, {"ex": "http://ex.org/"}), ox.RdfFormat.TURTLE)):
        got = {q.predicate.value: q.object for q in ox.parse(data.encode(), format=fmt)}
        assert got["http://ex.org/p"].value == text and got["http://ex.org/p"].language == "zh"
        assert got["http://ex.org/q"].datatype.value == str(XSD.gYear)
        g = rdflib.Graph().parse(data=data, format="nt" if fmt == ox.RdfFormat.N_TRIPLES else "turtle")
        assert str(g.value(URIRef("http://ex.org/a"), URIRef("http://ex.org/p"))) == text
    assert escape("plain 中文") == "plain 中文"


def test_turtle_is_byte_identical_run_after_run_and_independent_of_insertion_order(G, ttl):
    assert export_text(G, "ttl", columns=csv_columns(CURRICULUM)) == ttl
    H = nx.MultiDiGraph(**G.graph)  # same files (the dataset description reads them), other insertion order
    H.add_nodes_from(reversed(list(G.nodes(data=True))))  # same rows, other insertion order
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert export_text(H, "ttl", columns=csv_columns(CURRICULUM)) == ttl
    assert export_text(H, "nt") == export_text(G, "nt")


def test_cli_export_twice_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for out in (a, b):
        assert run_cli("export", "--data", CURRICULUM, "-o", out).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    r = run_cli("export", "--data", CURRICULUM)
    assert r.stdout.encode() == a.read_bytes()


def test_turtle_has_fixed_prefixes_sorted_subjects_and_one_triple_a_line(ttl):
    head, _, body = ttl.partition("\n\n")
    assert head.splitlines()[0] == "@prefix cito: <http://purl.org/spar/cito/> ."
    assert all(line.startswith("@prefix ") for line in head.splitlines())
    blocks = body.split("\n\n")
    subjects = [b.split(" ", 1)[0] for b in blocks]
    assert subjects == sorted(subjects, key=lambda s: s.replace(":", "/"))  # prefixed names sort as their IRIs
    for block in blocks:
        lines = block.rstrip(" .\n").split(" ;\n    ")
        assert lines[1:] == sorted(lines[1:]) and " a " in lines[0]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_every_rdf_format_parses_back_to_the_same_triples(G, fmt, parser):
    expected = triple_set(to_rdflib(graph_triples(G)))
    text = export_text(G, fmt)
    assert triple_set(rdflib.Graph().parse(data=text, format=parser)) == expected


def test_jsonld_uses_the_prefixes_as_its_context(G):
    data = json.loads(export_text(G, "jsonld"))
    assert data["@context"]["pg"] == str(PG._NS) and data["@context"]["schema"] == "https://schema.org/"
    quads = ox.parse(json.dumps(data).encode(), format=ox.RdfFormat.JSON_LD)
    assert ox_set(quads) == ox_set(ox.parse(export_text(G, "nt").encode(), format=ox.RdfFormat.N_TRIPLES))


def test_no_blank_nodes_and_no_chinese_in_iris(rdf_graph):
    for triple in rdf_graph:
        assert not any(isinstance(x, rdflib.BNode) for x in triple)
        assert all(str(x).isascii() for x in triple if isinstance(x, URIRef))


def test_iris_use_the_base_and_the_id():
    H = nx.MultiDiGraph()
    H.add_node("a b", kind="paper", label_en="A", doi="10.1000/中文<x>", url="https://例子.org/a b")
    H.add_node("1706.03762", kind="concept", label_en="Id with a digit and dots.", row=1)
    nt = export_text(H, "nt", base="https://example.org/g")
    iris = {str(x) for t in rdflib.Graph().parse(data=nt, format="nt") for x in t if isinstance(x, URIRef)}
    assert "https://example.org/g/paper/a%20b" in iris
    assert "https://example.org/g/concept/1706.03762" in iris
    assert "https://doi.org/10.1000/%E4%B8%AD%E6%96%87%3Cx%3E" in iris
    assert all(i.isascii() for i in iris)
    assert "https://example.org/g/paper/a%20b" in {
        str(s) for s in rdflib.Graph().parse(data=export_text(H, "ttl", base="https://example.org/g"),
                                             format="turtle").subjects()}


def test_the_standard_triples_are_written_beside_the_canonical_ones(rdf_graph):
    g = rdf_graph
    dit, ldm, vit = URIRef(PAPER + "dit"), URIRef(PAPER + "ldm"), URIRef(PAPER + "vit")
    vae, attn = URIRef(CONCEPT + "vae"), URIRef(CONCEPT + "attention")
    found = URIRef(STAGE + "1")  # stages are named by their number
    schema_ns = rdflib.Namespace("https://schema.org/")
    cito = rdflib.Namespace("http://purl.org/spar/cito/")
    assert (dit, RDF.type, URIRef(pg.Paper)) in g and (dit, RDF.type, schema_ns.ScholarlyArticle) in g
    assert g.value(dit, schema_ns.name) == Literal("Scalable Diffusion Models with Transformers")
    assert set(g.objects(dit, schema_ns.author)) == {Literal("William Peebles"), Literal("Saining Xie")}
    assert g.value(dit, URIRef(pg.authors)) == Literal("William Peebles; Saining Xie")
    assert g.value(dit, schema_ns.datePublished) == Literal("2022-12", datatype=XSD.gYearMonth)
    assert g.value(dit, URIRef(pg.year)) == Literal(2022)
    assert URIRef("https://arxiv.org/abs/2212.09748") in set(g.objects(dit, schema_ns.sameAs))
    assert (dit, URIRef(pg.buildsOn), ldm) in g and (dit, cito.extends, ldm) in g and (dit, cito.cites, vit) in g
    assert (dit, schema_ns.competencyRequired, URIRef(CONCEPT + "latent-diffusion")) in g
    assert {(o.language, str(o)) for o in g.objects(vae, SKOS.prefLabel)} == {
        ("en", "variational autoencoder"), ("zh", "变分自编码器")}
    assert Literal("VAE", lang="en") in set(g.objects(vae, SKOS.altLabel))
    assert Literal("卷积网络", lang="zh") in set(g.objects(URIRef(CONCEPT + "cnn"), SKOS.altLabel))
    assert (vae, SKOS.inScheme, URIRef(DEFAULT_BASE + "concepts")) in g
    assert (vae, SKOS.related, URIRef(CONCEPT + "diffusion")) in g  # both directions
    assert (URIRef(CONCEPT + "self-attention"), URIRef(pg.prerequisite), attn) in g
    assert g.value(found, schema_ns.position) == Literal(1)
    assert g.value(found, URIRef(pg.weeksMin)) == Literal(2) and g.value(found, URIRef(pg.weeksMax)) == Literal(3)
    assert (found, schema_ns.isPartOf, URIRef(DEFAULT_BASE + "curriculum")) in g
    assert (URIRef(STAGE + "2"), schema_ns.coursePrerequisites, found) in g
    assert g.value(dit, URIRef(pg.note)) == Literal('A back\\slash and "quotes" in a note.', lang="en")


def test_with_ontology_adds_the_vocabulary(G):
    text = export_text(G, "ttl", with_ontology=True)
    g = rdflib.Graph().parse(data=text, format="turtle")
    assert (URIRef(pg.Paper), RDFS.subClassOf, URIRef(sdo.ScholarlyArticle)) in g
    assert len(g) == len(rdflib.Graph().parse(data=export_text(G, "ttl"), format="turtle")) + len(
        rdflib.Graph().parse(data=read_text("ontology.ttl"), format="turtle"))


def test_gephi_and_cytoscape_formats(G, tmp_path):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        assert run_cli("export", "--format", fmt, "--data", CURRICULUM, "-o", out).exit_code == 0
        H = reader(out)
        assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
        assert H.nodes["dit"]["authors"] == "William Peebles;Saining Xie"
        assert H.nodes["dit"]["label"] == "DiT"
    data = json.loads(export_text(G, "json"))
    H = nx.node_link_graph(data, edges="edges")
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert H.nodes["dit"]["authors"] == ["William Peebles", "Saining Xie"]


def test_export_writes_nothing_half_done(tmp_path):
    r = run_cli("export", "--data", CURRICULUM, "-o", tmp_path / "missing" / "g.ttl")
    assert r.exit_code == 1 and "cannot write" in r.stderr and "Traceback" not in r.output
    r = run_cli("export", "--data", CURRICULUM, "--base", "not an iri")
    assert r.exit_code == 2 and "--base must be" in r.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("case", GOOD, ids=lambda p: p.name)
def test_csv_turtle_csv_turtle_is_lossless(case, tmp_path):
    first, second, out = round_trip(case, tmp_path)
    assert first == second
    for name in ("nodes.csv", "edges.csv"):
        before, after = read_csv(case / name), read_csv(out / name)
        assert before[0] == after[0], name  # the header, empty columns included
        if name == "nodes.csv":
            assert before[1] == after[1]  # the same rows, in the same order
        else:
            assert sorted(before[1]) == sorted(after[1])
    G1, G2 = load_graph(case, cache=False), load_graph(out, cache=False)
    assert list(G1.nodes(data=True)) == list(G2.nodes(data=True))
    assert sorted(G1.edges(keys=True, data=True)) == sorted(G2.edges(keys=True, data=True))


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "xml"])
def test_other_formats_come_back_too(fmt, tmp_path):
    _, _, out = round_trip(CURRICULUM, tmp_path, fmt)
    assert read_csv(out / "nodes.csv") == read_csv(CURRICULUM / "nodes.csv")


def test_the_seed_graph_round_trips(tmp_path):
    first, second, _ = round_trip(ROOT / "graph", tmp_path)
    assert first == second


def test_a_second_import_writes_the_same_bytes(tmp_path):
    _, _, out = round_trip(CURRICULUM, tmp_path)
    _, _, out2 = round_trip(out, tmp_path, name="second")
    for name in ("nodes.csv", "edges.csv"):
        assert (out / name).read_bytes() == (out2 / name).read_bytes()


_TEXT = st.text(alphabet=st.sampled_from(list('abcXYZ 019中文注意力"\'\\\n\t,;=%é')), min_size=1, max_size=12)
_CELL = _TEXT.map(str.strip).filter(bool)
_ITEM = _CELL.map(lambda s: s.replace(";", "")).map(str.strip).filter(bool)
_ID = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,6}", fullmatch=True)


def _value(draw, col, i):
    """A valid cell of ``col`` on row ``i`` (later rows are newer, so citations can point back)."""
    spec = schema.NODE_COLUMNS[col]
    if spec.type == "list":
        return "; ".join(draw(st.lists(_ITEM, min_size=1, max_size=3, unique=True)))
    if col == "order":
        return str(i + 1)  # stage orders are unique
    if col == "weeks_min":
        return str(draw(st.integers(0, 3)))
    if col == "weeks_max":
        return str(draw(st.integers(3, 9)))
    if spec.type == "year":
        return str(1950 + i)
    if spec.type == "int":
        return str(draw(st.integers(0, 99)))
    if spec.type == "arxiv":
        return f"{draw(st.integers(1001, 2412))}.{draw(st.integers(10000, 99999))}"
    if spec.type == "url":
        return "https://example.org/" + draw(st.sampled_from(["a", "中文?q=1", "x%20y"]))
    if spec.type == "flag":
        return draw(st.sampled_from(schema.FLAGS))
    if spec.type == "month":
        return ""  # filled with the year below
    return draw(_CELL)


@st.composite
def small_graphs(draw):
    """Valid nodes.csv / edges.csv rows: random cells (Chinese, quotes, newlines), columns and edges."""
    n = draw(st.integers(1, 9))
    ids = draw(st.lists(_ID, min_size=n, max_size=n, unique=True))
    kinds = draw(st.lists(st.sampled_from(list(schema.KINDS)), min_size=n, max_size=n))
    # a kind that needs an edge to another kind only where that kind exists
    for i, k in enumerate(kinds):
        if any(t not in kinds for _, t in schema.KINDS[k].required_edges):
            kinds[i] = "concept"
    known = [c for c in schema.NODE_COLUMNS if c not in ("id", "kind", "label_en")]
    optional = draw(st.sets(st.sampled_from(known + ["homepage", "备注", "a=b%"])))
    optional |= {c for k in kinds for c in schema.KINDS[k].required}
    header = ["id", "kind", "label_en"] + sorted(optional)
    rows = []
    for i, (node_id, kind) in enumerate(zip(ids, kinds)):
        row = {"id": node_id, "kind": kind, "label_en": draw(_CELL)}
        for col in optional:
            if col in schema.KINDS[kind].required or draw(st.booleans()):
                row[col] = _value(draw, col, i) if col in schema.NODE_COLUMNS else draw(_CELL)
        if row.get("date") == "" and "year" in row:
            row["date"] = f"{row['year']}-{draw(st.integers(1, 12)):02d}"
        rows.append({k: v for k, v in row.items() if v})
    ecols = sorted(draw(st.sets(st.sampled_from(["note", "note_zh", "weight"]))))
    edges, seen, single = [], set(), set()

    def add(a, b, name):
        rel = schema.RELATIONS[name]
        if (a, b, name) in seen or (rel.symmetric and (b, a, name) in seen) or (rel.single and (a, name) in single):
            return
        seen.add((a, b, name))
        single.add((a, name))
        cells = {c: draw(_CELL) for c in ecols if draw(st.booleans())}
        edges.append({"source": ids[a], "target": ids[b], "relation": name, **cells})

    for a, k in enumerate(kinds):  # the edges a kind must have
        for name, target in schema.KINDS[k].required_edges:
            add(a, draw(st.sampled_from([b for b, kb in enumerate(kinds) if kb == target])), name)
    for a in range(n):  # the reading order follows the rows, so no cycle is possible
        for b in range(n):
            if a == b or draw(st.integers(0, 3)) != 0:
                continue
            for name, rel in schema.RELATIONS.items():
                if not rel.allows(kinds[a], kinds[b]):
                    continue
                first = a if rel.order == "source-first" else b  # the node read first
                if (rel.order and first != min(a, b)) or (rel.back_in_time and b > a):
                    continue
                add(a, b, name)
    return header, rows, ["source", "target", "relation"] + ecols, edges


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows([r.get(c, "") for c in header] for r in rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(small_graphs())
def test_random_graphs_round_trip(tmp_path_factory, graph):
    header, rows, eheader, edges = graph
    d = tmp_path_factory.mktemp("g")
    write_csv(d / "nodes.csv", header, rows)
    write_csv(d / "edges.csv", eheader, edges)
    G = load_graph(d, cache=False)
    ttl = export_text(G, "ttl", columns=csv_columns(d))
    (d / "g.ttl").write_text(ttl, encoding="utf-8")
    out = d / "back"
    import_rdf(d / "g.ttl", out)
    assert read_csv(out / "nodes.csv") == read_csv(d / "nodes.csv")
    before, after = read_csv(d / "edges.csv"), read_csv(out / "edges.csv")
    assert before[0] == after[0] and sorted(before[1]) == sorted(after[1])
    G2 = load_graph(out, cache=False)
    assert export_text(G2, "ttl", columns=csv_columns(out)) == ttl
    assert export_text(G2, "nt") == export_text(G, "nt")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_bad_rdf_is_reported_with_file_and_line_and_nothing_is_written(case, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "nodes.csv").write_text("untouched\n")
    r = run_cli("import", case, "-o", out)
    assert r.exit_code == 1
    assert "Traceback" not in r.output and r.stdout == ""
    expected = case.with_suffix(".expected").read_text(encoding="utf-8")
    assert r.stderr.replace(str(case.parent) + "/", "{dir}/") == expected
    assert sorted(p.name for p in out.iterdir()) == ["nodes.csv"]
    assert (out / "nodes.csv").read_text() == "untouched\n"


def test_every_bad_case_reports_all_its_problems_at_once():
    for case in BAD:
        with pytest.raises(DataError) as info:
            read_rdf(case)
        assert len(info.value.problems) >= 1
        assert all(p.file == str(case) for p in info.value.problems)
    with pytest.raises(DataError) as info:
        read_rdf(HERE / "rdf_bad" / "malformed.ttl")
    assert len({p.line for p in info.value.problems}) >= 4


def test_import_reports_an_unwritable_directory_and_can_skip_the_loader_checks(tmp_path):
    (tmp_path / "file").write_text("")
    r = run_cli("import", HERE / "rdf_bad" / "loader-problems.ttl", "-o", tmp_path / "file" / "sub", "--no-check")
    assert r.exit_code == 1 and "cannot write into" in r.stderr and "Traceback" not in r.output
    r = run_cli("import", HERE / "rdf_bad" / "loader-problems.ttl", "-o", tmp_path / "out", "--no-check", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["nodes"] == 4
    with pytest.raises(DataError):  # the loader would have said so
        load_graph(tmp_path / "out", cache=False)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["edges.csv", "nodes.csv"]


def test_import_of_a_missing_or_unknown_file(tmp_path):
    r = run_cli("import", tmp_path / "nope.ttl", "-o", tmp_path)
    assert r.exit_code == 1 and "nope.ttl: file not found" in r.stderr
    (tmp_path / "g.data").write_text("")
    r = run_cli("import", tmp_path / "g.data", "-o", tmp_path)
    assert r.exit_code == 1 and "--format" in r.stderr


# ---------------------------------------------------------------- SHACL


def _edit_csv(src, dst, node=None, drop_cells=(), drop_edge=None):
    shutil.copytree(src, dst)
    header, rows = read_csv(dst / "nodes.csv")
    for row in rows:
        if row[0] == node:
            for col in drop_cells:
                row[header.index(col)] = ""
    write_csv(dst / "nodes.csv", header, [dict(zip(header, r)) for r in rows])
    if drop_edge:
        eheader, erows = read_csv(dst / "edges.csv")
        erows = [r for r in erows if tuple(r[:3]) != drop_edge]
        write_csv(dst / "edges.csv", eheader, [dict(zip(eheader, r)) for r in erows])
    return load_graph(dst, cache=False)


def test_shacl_accepts_the_curriculum(rdf_graph):
    assert validate(rdf_graph) == []
    r = run_cli("shacl", "--data", CURRICULUM)
    assert r.exit_code == 0 and "conforms" in r.stdout


def test_shacl_lists_what_a_minimal_graph_lacks():
    r = run_cli("shacl", "--data", HERE / "good" / "minimal")
    assert r.exit_code == 1
    assert "paper:a  pg:title  every paper has one title (pg:title)" in r.stdout
    assert "paper:b  pg:inStage" in r.stdout and "pg:year|pg:date|pg:flag" in r.stdout
    assert r.stdout.rstrip().endswith("6 violations")


def test_shacl_lets_a_flagged_paper_go_without_a_date(tmp_path):
    G = _edit_csv(CURRICULUM, tmp_path / "g", node="dit", drop_cells=["year", "date"])
    assert G.nodes["dit"]["flag"] == "doubtful"
    assert validate(to_rdflib(graph_triples(G))) == []


@pytest.mark.parametrize("case,focus,path", [
    ({"node": "dit", "drop_cells": ["title"]}, "paper:dit", "pg:title"),
    ({"drop_edge": ("dit", "generative", "in_stage")}, "paper:dit", "pg:inStage"),
    ({"node": "ldm", "drop_cells": ["year", "date"]}, "paper:ldm", "pg:year|pg:date|pg:flag"),
    ({"node": "vae", "drop_cells": ["label_zh"]}, "concept:vae", "skos:prefLabel"),
    ({"node": "foundations", "drop_cells": ["order"]}, "stage:foundations", "pg:order"),
    ({"node": "foundations", "drop_cells": ["weeks_min", "weeks_max"]}, "stage:1", "pg:weeksMin"),
], ids=["no-title", "no-stage", "no-date", "no-chinese-label", "no-position", "no-weeks"])
def test_shacl_catches_each_missing_fact(tmp_path, case, focus, path):
    G = _edit_csv(CURRICULUM, tmp_path / "g", **case)
    found = {(v.focus, v.path) for v in validate(to_rdflib(graph_triples(G)))}
    assert (focus, path) in found
    assert {f for f, _ in found} == {focus}


@pytest.mark.parametrize("extra,focus,path,message", [
    (f'<{CONCEPT}vae> <http://www.w3.org/2004/02/skos/core#prefLabel> "another"@en .', "concept:vae",
     "skos:prefLabel", "at most one preferred label"),
    (f"<{PAPER}dit> <{pg.introduces}> <{PAPER}ldm> .", "paper:dit", "pg:introduces", "must point to a concept"),
    (f"<{CONCEPT}vae> <{pg.inStage}> <{STAGE}3> .", "concept:vae", "", "only a paper"),
    (f"<{CONCEPT}vae> <{pg.prerequisite}> <{CONCEPT}latent-diffusion> .", "concept:vae", "pg:prerequisite",
     "its own prerequisite"),
    (f'<{STAGE}1> <{pg.weeksMin}> "9"^^<{XSD.integer}> .', "stage:1", "pg:weeksMin",
     "at most pg:weeksMax"),
], ids=["two-english-labels", "wrong-target-class", "wrong-source-class", "own-prerequisite", "weeks-reversed"])
def test_shacl_catches_each_broken_rdf_fact(G, tmp_path, extra, focus, path, message):
    nt = export_text(G, "nt") + extra + "\n"
    if "weeksMin" in extra:
        nt = nt.replace(f'<{STAGE}1> <{pg.weeksMin}> "2"^^<{XSD.integer}> .\n', "")
    f = tmp_path / "broken.nt"
    f.write_text(nt, encoding="utf-8")
    r = run_cli("shacl", f, "--json")
    assert r.exit_code == 1
    found = json.loads(r.stdout)["violations"]
    assert any(v["focus"] == focus and v["path"] == path and message in v["message"] for v in found), found


def test_shacl_reports_bad_files_with_their_line(tmp_path):
    r = run_cli("shacl", HERE / "rdf_bad" / "malformed.ttl")
    assert r.exit_code == 1 and "malformed.ttl:7: syntax error at column 14" in r.stderr


# ---------------------------------------------------------------- SPARQL


def test_query_table_json_and_csv():
    q = "SELECT ?id ?year WHERE { ?p a pg:Paper ; pg:id ?id ; pg:year ?year } ORDER BY ?year ?id LIMIT 2"
    r = run_cli("query", q, "--data", CURRICULUM)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:4] == ["id        year", "--------  ----", "word2vec  2013", "bahdanau  2014"]
    r = run_cli("query", q, "--data", CURRICULUM, "--format", "json")
    data = json.loads(r.stdout)
    assert data["head"]["vars"] == ["id", "year"]
    assert data["results"]["bindings"][0]["year"] == {
        "type": "literal", "datatype": str(XSD.integer), "value": "2013"}
    r = run_cli("query", q, "--data", CURRICULUM, "--format", "csv")
    assert list(csv.reader(io.StringIO(r.stdout))) == [["id", "year"], ["word2vec", "2013"], ["bahdanau", "2014"]]


def test_query_ask_construct_and_file(tmp_path):
    r = run_cli("query", "ASK { paper:dit pg:buildsOn paper:ldm }", "--data", CURRICULUM)
    assert r.stdout == "true\n"
    f = tmp_path / "q.rq"
    f.write_text("CONSTRUCT { ?p schema:name ?t } WHERE { ?p pg:title ?t } LIMIT 1", encoding="utf-8")
    r = run_cli("query", "--file", f, "--data", CURRICULUM)
    assert r.exit_code == 0 and "schema:name" in r.stdout


@pytest.mark.parametrize("name", sorted(example_queries()))
def test_example_queries_run(name):
    r = run_cli("query", "--example", name, "--data", CURRICULUM, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["results"]["bindings"]


def test_the_prerequisites_query_agrees_with_papergraph(G):
    r = run_cli("query", "--example", "prerequisites", "--var", "paper=dit", "--data", CURRICULUM, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["prerequisite"] for row in rows} == set(prerequisites(G, "dit").papers)
    r = run_cli("query", "--example", "concepts-of-stage", "--var", "stage=generative", "--data", CURRICULUM,
                "--format", "csv")
    assert {row["concept"] for row in csv.DictReader(io.StringIO(r.stdout))} == {"diffusion", "latent-diffusion"}


@pytest.mark.parametrize("query,word", [
    ("SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x.org/q> { ?s ?p ?o } } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x.org/q> { ?s ?p ?o } } }", "SERVICE"),
    ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x.org/q> { ?s ?p ?o } } } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <http://example.org/g.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("PREFIX ex: <http://ex.org/>\nINSERT DATA { ex:a ex:b ex:c }", "INSERT DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP GRAPH <http://ex.org/g>", "DROP"),
    ("CREATE GRAPH <http://ex.org/g>", "CREATE"),
    ("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", "INSERT/DELETE"),
    ("LOAD <http://example.org/a.ttl> ; broken here", "LOAD"),
])
def test_network_and_updates_are_refused_before_anything_runs(query, word, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    # the data directory does not exist: the refusal must come before the graph is even loaded
    r = run_cli("query", query, "--data", "/nonexistent/graph")
    assert r.exit_code == 1
    assert word in r.stderr and "refused" in r.stderr and "Traceback" not in r.output


def test_named_graphs_are_not_pretended():
    r = run_cli("query", "SELECT * WHERE {\n  GRAPH <http://example.org/g> { ?s ?p ?o }\n}", "--data", CURRICULUM)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr.startswith("<query>:2: GRAPH is not supported")


def test_a_syntax_error_gives_line_and_column(tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text("PREFIX pg: <https://w3id.org/papergraph/ns#>\nSELECT ?s\nWHERE { ?s pg:id }\n", encoding="utf-8")
    r = run_cli("query", "--file", f, "--data", CURRICULUM)
    assert r.exit_code == 1
    line = r.stderr.splitlines()[0]
    assert line.startswith(f"{f}:") and "SPARQL syntax error at column" in line
    with pytest.raises(DataError) as info:
        check_query("SELECT ?s WHERE {\n  ?s ?p \n}")
    assert info.value.problems[0].line >= 1


def test_query_usage_errors():
    assert run_cli("query").exit_code == 2
    assert run_cli("query", "ASK {}", "--example", "prerequisites").exit_code == 2
    r = run_cli("query", "--example", "nope", "--data", CURRICULUM)
    assert r.exit_code == 1 and "prerequisites" in r.stderr
    r = run_cli("query", "ASK { ?s ?p ?o }", "--var", "no-equals", "--data", CURRICULUM)
    assert r.exit_code == 1 and "NAME=VALUE" in r.stderr


# ---------------------------------------------------------------- tools nobody here wrote


def _oxigraph_prerequisites(ttl: str) -> dict[str, set]:
    store = ox.Store()
    store.load(ttl.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    answer: dict[str, set] = {}
    for row in store.query(example_queries()["prerequisites"]):
        answer.setdefault(row["paper"].value, set()).add(row["prerequisite"].value)
    return answer


def test_pyoxigraph_reads_the_turtle_and_answers_the_prerequisite_question(G, ttl):
    store = ox.Store()
    store.load(ttl.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(rdflib.Graph().parse(data=ttl, format="turtle"))
    answer = _oxigraph_prerequisites(ttl)
    for paper in nodes_of_kind(G, "paper"):
        assert answer.get(paper, set()) == set(prerequisites(G, paper).papers), paper
    assert {"ldm", "vit", "ddpm", "transformer", "word2vec"} <= answer["dit"]


def test_pyoxigraph_agrees_with_papergraph_on_the_seed_graph(seed):
    answer = _oxigraph_prerequisites(export_text(seed, "ttl"))
    for paper in nodes_of_kind(seed, "paper"):
        assert answer.get(paper, set()) == set(prerequisites(seed, paper).papers), paper


def test_pyoxigraph_and_rdflib_agree_on_every_format(G):
    expected = ox_set(ox.parse(export_text(G, "nt").encode(), format=ox.RdfFormat.N_TRIPLES))
    for fmt, oxfmt in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD), ("xml", ox.RdfFormat.RDF_XML)):
        assert ox_set(ox.parse(export_text(G, fmt).encode(), format=oxfmt)) == expected, fmt


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) is not installed")
@pytest.mark.parametrize("fmt,syntax", [("ttl", "turtle"), ("nt", "ntriples"), ("xml", "rdfxml")])
def test_rapper_parses_the_export(G, tmp_path, fmt, syntax):
    f = tmp_path / f"g.{fmt}"
    f.write_text(export_text(G, fmt), encoding="utf-8")
    done = subprocess.run(["rapper", "-q", "-i", syntax, "-o", "ntriples", str(f)],
                          capture_output=True, check=True)
    theirs = ox_set(ox.parse(done.stdout, format=ox.RdfFormat.N_TRIPLES))
    ours = ox_set(ox.parse(export_text(G, "nt").encode(), format=ox.RdfFormat.N_TRIPLES))
    assert theirs == ours


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("command", ["export", "import", "shacl", "query"])
def test_every_command_has_an_example_in_its_help(command):
    r = run_cli(command, "--help")
    assert r.exit_code == 0 and "Example:" in r.stdout


def test_format_choices_match_the_library():
    from papergraph.rdf.export import FORMATS
    from papergraph.rdf.importer import FORMATS as IN

    assert tuple(FORMATS) == EXPORT_FORMATS and tuple(IN) == IMPORT_FORMATS


def test_other_commands_do_not_import_the_rdf_libraries():
    code = ("import sys, papergraph.cli; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'pyshacl', 'pyoxigraph'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_seed_round_trip_gives_back_the_same_nodes_file_and_turtle(tmp_path):
    from conftest import ROOT

    ttl = tmp_path / "seed.ttl"
    assert run_cli("export", "-o", ttl, "--data", ROOT / "graph").exit_code == 0
    assert run_cli("import", ttl, "-o", tmp_path / "copy").exit_code == 0
    assert (tmp_path / "copy" / "nodes.csv").read_bytes() == (ROOT / "graph" / "nodes.csv").read_bytes()
    again = tmp_path / "again.ttl"
    assert run_cli("export", "-o", again, "--data", tmp_path / "copy").exit_code == 0
    assert again.read_bytes() == ttl.read_bytes()
    assert run_cli("shacl", "--data", ROOT / "graph").exit_code == 0


@pytest.mark.parametrize("drop,focus,path", [
    (("tool/pytorch", "ns#url"), "tool:pytorch", "pg:url"),
    (("question/q-attention", "ns#asksAbout", "concept/attention"), "question:q-attention", "pg:asksAbout"),
    (("question/q-attention", "ns#inStage"), "question:q-attention", "pg:inStage"),
    (("question/q-attention", "ns#label", "@zh"), "question:q-attention", "pg:label"),
], ids=["tool-without-url", "question-without-concept", "question-without-stage", "question-without-chinese"])
def test_shacl_catches_broken_tools_and_questions(G, tmp_path, drop, focus, path):
    lines = export_text(G, "nt").splitlines()
    kept = [line for line in lines if not all(part in line for part in drop)]
    assert len(kept) < len(lines)
    f = tmp_path / "broken.nt"
    f.write_text("\n".join(kept) + "\n", encoding="utf-8")
    r = run_cli("shacl", f, "--json")
    assert r.exit_code == 1
    found = json.loads(r.stdout)["violations"]
    assert any(v["focus"] == focus and v["path"] == path for v in found), found


def test_tools_and_questions_use_schema_org(G):
    g = to_rdflib(graph_triples(G))
    tool = URIRef(DEFAULT_BASE + "tool/pytorch")
    question = URIRef(DEFAULT_BASE + "question/q-attention")
    assert (tool, RDF.type, URIRef("https://schema.org/SoftwareApplication")) in g
    assert (tool, URIRef("https://schema.org/url"), URIRef("https://pytorch.org/")) in g
    assert (question, RDF.type, URIRef("https://schema.org/Question")) in g
    assert (question, URIRef("https://schema.org/about"), URIRef(CONCEPT + "attention")) in g
    assert (question, URIRef(pg.inStage), None) in g
