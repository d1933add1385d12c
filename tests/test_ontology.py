"""The ontology under an OWL 2 DL reasoner (HermiT, bundled with owlready2, run by Java), the dataset
description, and the SHACL check of dates' lexical form."""

import subprocess
from pathlib import Path

import owlready2
import pyoxigraph as ox
from conftest import ROOT

from papergraph.load import load_graph
from papergraph.rdf.export import export_text, ontology_triples
from papergraph.rdf.serialize import to_ntriples
from papergraph.rdf.shacl import validate

HERMIT = Path(owlready2.__file__).parent / "hermit"
OWL = "http://www.w3.org/2002/07/owl#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"


def hermit(path: Path, *extra: str) -> subprocess.CompletedProcess:
    """HermiT's command line: load, then check that owl:Thing is satisfiable (consistency)."""
    cp = f"{HERMIT}:{HERMIT / 'HermiT.jar'}"
    return subprocess.run(["java", "-Xmx1500M", "-cp", cp, "org.semanticweb.HermiT.cli.CommandLine", "-k",
                           *extra, path.as_uri()], capture_output=True, text=True, timeout=300)


def test_hermit_accepts_the_ontology(tmp_path):
    f = tmp_path / "ontology.nt"
    f.write_text(to_ntriples(ontology_triples()), encoding="utf-8")
    r = hermit(f)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "UnsupportedDatatype" not in r.stderr and "satisfiable" in r.stdout.lower() + r.stderr.lower()


def test_hermit_finds_the_seed_export_consistent(tmp_path):
    # the data's dates stay xsd:gYearMonth / xsd:gYear literals (outside the OWL 2 datatype map): HermiT is told
    # to ignore those datatypes, as the README says
    f = tmp_path / "seed.nt"
    f.write_text(export_text(load_graph(ROOT / "graph"), "nt", with_ontology=True), encoding="utf-8")
    r = hermit(f, "--ignoreUnsupportedDatatypes")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "is satisfiable" in r.stdout and "not satisfiable" not in r.stdout


def test_owlready2_classifies_the_ontology(tmp_path):
    f = tmp_path / "ontology.nt"
    f.write_text(to_ntriples(ontology_triples()), encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(f.as_uri()).load(format="ntriples")
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []


def test_the_ontology_has_a_version_iri_creator_and_licence():
    triples = {(s, p): o for s, p, o in ((t.subject.value, t.predicate.value, t.object.value) for t in ox.parse(
        to_ntriples(ontology_triples()).encode(), format=ox.RdfFormat.N_TRIPLES))}
    onto = "https://w3id.org/papergraph/ns"
    assert triples[(onto, OWL + "versionIRI")] == "https://w3id.org/papergraph/ns/2"
    assert triples[(onto, DCT + "creator")] and triples[(onto, DCT + "license")].startswith("https://spdx.org/")


def test_the_export_describes_the_dataset(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    G = load_graph(ROOT / "graph")
    nt = export_text(G, "nt", endpoint="http://localhost:7878/query")
    triples = list(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES))
    about = {}
    for t in triples:
        if t.subject.value == "https://w3id.org/papergraph/dataset":
            about.setdefault(t.predicate.value, []).append(t.object.value)
    assert int(about[VOID + "triples"][0]) == len(triples) == nt.count("\n")
    assert about[DCT + "modified"] == ["2026-01-01"]
    assert about[DCT + "license"] and about[DCT + "creator"] and about["http://www.w3.org/ns/dcat#version"]
    assert about[VOID + "sparqlEndpoint"] == ["http://localhost:7878/query"]
    assert int(about[VOID + "entities"][0]) == G.number_of_nodes()
    assert {VOID + "Dataset", "http://www.w3.org/ns/dcat#Dataset"} <= set(
        about["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"])
    ttl = export_text(G, "ttl", endpoint="http://localhost:7878/query")
    assert len(list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))) == len(triples)
    assert export_text(G, "ttl", endpoint="http://localhost:7878/query") == ttl  # deterministic


def test_shacl_checks_the_lexical_form_of_dates():
    import rdflib

    G = load_graph(ROOT / "graph")
    nt = export_text(G, "nt")
    line = next(x for x in nt.splitlines() if "/ns#date>" in x)
    bad = line.rsplit('"', 2)
    broken = nt.replace(line, line.split('"')[0] + '"2015-13"' + line.split('"', 2)[2])
    assert broken != nt and bad
    found = validate(rdflib.Graph().parse(data=broken, format="nt"))
    assert any("pg:date" in str(v) and "YYYY-MM" in str(v) for v in found), found
    assert validate(rdflib.Graph().parse(data=nt, format="nt")) == []
