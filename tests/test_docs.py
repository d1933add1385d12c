"""Documentation that must stay true: doctests, --help examples, the README."""

import doctest
import importlib
import pkgutil

import pytest
from conftest import ROOT, run

import papergraph
from papergraph.cli import cli

MODULES = [m.name for m in pkgutil.walk_packages(papergraph.__path__, "papergraph.")
           if not m.name.startswith(("papergraph.webapp",)) and m.name != "papergraph.__main__"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_library_modules_have_examples():
    with_examples = [n for n in MODULES if doctest.DocTestFinder().find(importlib.import_module(n))
                     and any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(n)))]
    for core in ("papergraph.schema", "papergraph.load", "papergraph.query", "papergraph.order",
                 "papergraph.plan"):
        assert core in with_examples


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(runner, command):
    r = run(runner, command, "--help")
    assert r.exit_code == 0
    assert "Example" in r.stdout


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented_in_the_readme(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"papergraph {command}" in readme


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```bash")[1:3]]
    assert "streamlit run app.py" in blocks[0] and "pip install ." in blocks[0]
    assert blocks[1] == "bash scripts/test.sh"
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_the_readme_prerequisite_table_is_what_the_core_answers(seed):
    """The README's per-paper table is generated from papergraph.core; a change to data or rule must update it."""
    from papergraph.prereqtable import BEGIN, END, markdown

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    shown = text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip()
    assert shown == markdown(seed).strip()


def test_every_seed_paper_has_a_list_a_learner_can_act_on(seed):
    """No paper needs a later paper, and each list is short (at most 7 papers, the DiT end of the guide)."""
    from papergraph import core
    from papergraph.orderindex import index_of
    from papergraph.query import prerequisites

    ix = index_of(seed)
    assert core.anachronisms(ix) == []
    for p in [n for n, k in seed.nodes(data="kind") if k == "paper"]:
        r = prerequisites(seed, p)
        assert len(r.papers) <= 7, (p, r.papers)
        assert not set(r.papers) & set(r.recommended)
        for q in r.papers + r.recommended:
            assert core.not_later(ix, ix.position(q), ix.position(p)), (p, q)
