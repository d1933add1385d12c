"""Stage cards: tools, self-check questions, `papergraph stage`, and plans that carry them."""

import json

import pytest
from conftest import run

from papergraph.cards import resolve_stage, stage_card
from papergraph.query import nodes_of_kind, resolve

#: Every tool the guide's study advice names, by the name it uses, with its stage.
GUIDE_TOOLS = [("Gensim", 1), ("PyTorch", 1), ("Hugging Face Transformers", 2), ("ChatGPT API", 3),
               ("PEFT", 4), ("DeepSpeed", 4), ("ChatGPT", 5), ("LangChain", 5), ("AutoGPT", 5),
               ("Stable Diffusion WebUI", 6), ("Hugging Face Diffusers", 6)]


@pytest.mark.parametrize("name,stage", GUIDE_TOOLS)
def test_every_tool_the_guide_names_is_present_with_a_url(seed, name, stage):
    tool = resolve(seed, name, kinds=("tool",))
    assert seed.nodes[tool]["url"].startswith("https://")
    assert tool in stage_card(seed, f"stage-{stage}")["tools"]
    assert any(r == "demonstrates" for _, _, r in seed.out_edges(tool, keys=True))


@pytest.mark.parametrize("n", range(1, 8))
def test_every_stage_has_bilingual_questions_on_existing_concepts(seed, n):
    card = stage_card(seed, resolve_stage(seed, str(n)))
    assert 3 <= len(card["questions"]) <= 6
    for q in card["questions"]:
        assert q["text_en"].strip() and q["text_zh"].strip()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in q["text_zh"])
        assert q["concepts"]
        for c in q["concepts"]:
            assert seed.nodes[c]["kind"] == "concept"


@pytest.mark.parametrize("n", range(1, 8))
def test_stage_card_json(runner, seed, n):
    r = run(runner, "stage", str(n), "--json")
    assert r.exit_code == 0, r.output
    card = json.loads(r.stdout)
    assert {"stage", "goal", "weeks", "papers", "concepts", "tools", "questions"} <= set(card)
    assert card["stage"] == n
    stage = f"stage-{n}"
    members = {p for p, _, rel in seed.in_edges(stage, keys=True) if rel == "in_stage"
               and seed.nodes[p]["kind"] == "paper"}
    assert set(card["papers"]) == members
    assert card["weeks"] == [seed.nodes[stage]["weeks_min"], seed.nodes[stage]["weeks_max"]]
    assert card["goal"] == seed.nodes[stage]["description_zh"]
    for c in card["concepts"]:
        assert any(seed.has_edge(p, c, "introduces") for p in card["papers"])
    for q in card["questions"]:
        assert {"id", "text_zh", "text_en", "concepts"} <= set(q)


def test_milestones_the_guide_asks_about_are_covered(seed):
    asked = {t for q in nodes_of_kind(seed, "question") for _, t, r in seed.out_edges(q, keys=True)
             if r == "asks_about"}
    for concept in ("residual-connection", "encoder-decoder", "query-key-value", "scaled-dot-product-attention",
                    "multi-head-attention", "low-rank-adaptation", "rlhf", "chain-of-thought-prompting",
                    "forward-diffusion", "reverse-diffusion"):
        assert concept in asked, concept


def test_stage_card_in_english_and_by_name(runner):
    r = run(runner, "stage", "Multimodal & Diffusion", "--lang", "en")
    assert r.exit_code == 0
    assert "Stage 6: Multimodal & Diffusion" in r.stdout and "Self-check questions" in r.stdout
    assert "https://huggingface.co/docs/diffusers" in r.stdout


def test_unknown_stage(runner):
    r = run(runner, "stage", "9")
    assert r.exit_code == 1 and "unknown stage '9'" in r.stderr


def test_plan_markdown_lists_tools_and_questions_after_each_stage(runner, tmp_path):
    md = tmp_path / "plan.md"
    r = run(runner, "plan", "--target", "BERT", "--start", "2026-01-05", "--markdown", md)
    assert r.exit_code == 0, r.output
    text = md.read_text(encoding="utf-8")
    s1, s2 = text.index("## Foundation"), text.index("## The Transformer Era")
    stage1 = text[s1:s2]
    assert "[Gensim](https://radimrehurek.com/gensim/)" in stage1
    assert "- [ ] " in stage1
    assert "Hugging Face" in text[s2:] and "- [ ] " in text[s2:]
