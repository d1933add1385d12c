"""The curated seed graph: completeness, facts that must hold, and the answers we defend."""

import hashlib
import re

import pytest
from conftest import ROOT

from papergraph.load import default_data_dir, load_graph
from papergraph.order import check_order, guide_order, next_papers, plan_papers, reading_order, stage_conflicts
from papergraph.query import nodes_of_kind, prerequisites, resolve, stage_of, unlocks, why


def test_seed_passes_strict_validation():
    G = load_graph(ROOT / "graph", cache=False, strict=True)
    assert G.number_of_nodes() > 100


def test_packaged_copy_is_the_repository_graph():
    for name in ("nodes.csv", "edges.csv"):
        assert (default_data_dir() / name).read_bytes() == (ROOT / "graph" / name).read_bytes()


def test_counts(seed):
    assert len(nodes_of_kind(seed, "tool")) >= 10
    assert len(nodes_of_kind(seed, "question")) >= 21
    assert len(nodes_of_kind(seed, "paper")) == 30
    assert len(nodes_of_kind(seed, "stage")) == 7
    assert len(nodes_of_kind(seed, "concept")) >= 60


#: The titles as the guide prints them, in its order (facts from ../shared/seed).
GUIDE_TITLES = [
    "Efficient Estimation of Word Representations in Vector Space",
    "Sequence to Sequence Learning with Neural Networks",
    "Deep Residual Learning for Image Recognition",
    "ImageNet Large Scale Visual Recognition Challenge",
    "Attention Is All You Need",
    "BERT: Pre-training of Deep Bidirectional Transformers",
    "Scaling Laws for Neural Language Models",
    "Language Models are Few-Shot Learners",
    "Training Compute-Optimal Large Language Models",
    "Training Language Models to Follow Instructions with Human Feedback",
    "LoRA: Low-Rank Adaptation of Large Language Models",
    "Distilling the Knowledge in a Neural Network",
    "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
    "Outrageously Large Neural Networks: The Sparsely-Gated Mixture-of-Experts Layer",
    "Google's Neural Machine Translation System",
    "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
    "ReAct: Synergizing Reasoning and Acting in Language Models",
    "Context Engineering 2.0",
    "A Survey of Context Engineering",
    "An Image is Worth 16x16 Words",
    "Learning Transferable Visual Models From Natural Language Supervision",
    "Deep Unsupervised Learning using Nonequilibrium Thermodynamics",
    "Denoising Diffusion Probabilistic Models",
    "High-Resolution Image Synthesis with Latent Diffusion Models",
    "Scalable Diffusion Models with Transformers",
    "Two-Stream Convolutional Networks for Action Recognition in Videos",
    "One-Shot Adaptation of Supervised Deep Convolutional Models",
    "Feeds, Feelings, and Focus",
    "The Bitter Lesson",
    "A Note on Plane Partition Diamonds",
]


def test_every_paper_the_guide_names_is_present_in_its_order(seed):
    papers = sorted(nodes_of_kind(seed, "paper"), key=lambda p: seed.nodes[p]["order"])
    assert len(papers) == len(GUIDE_TITLES)
    for p, short in zip(papers, GUIDE_TITLES):
        assert seed.nodes[p]["title"].casefold().startswith(short.casefold()), (p, short)


def test_guide_numbering(seed):
    papers = sorted(nodes_of_kind(seed, "paper"), key=lambda p: seed.nodes[p]["order"])
    numbers = [seed.nodes[p]["guide_no"] for p in papers]
    assert numbers[24] == "25-26" and seed.nodes[papers[24]]["label_en"] == "DiT"
    flat = []
    for n in numbers:
        a, _, b = n.partition("-")
        flat += list(range(int(a), int(b or a) + 1))
    assert flat == list(range(1, 32))


@pytest.mark.parametrize("paper,stage", [("word2vec", 1), ("transformer", 2), ("instructgpt", 3), ("zero", 4),
                                         ("react", 5), ("dit", 6), ("bitter-lesson", 7)])
def test_stages(seed, paper, stage):
    assert seed.nodes[stage_of(seed, paper)]["order"] == stage


def test_stage_weeks_follow_the_guide(seed):
    weeks = {seed.nodes[s]["order"]: (seed.nodes[s]["weeks_min"], seed.nodes[s]["weeks_max"])
             for s in nodes_of_kind(seed, "stage")}
    assert weeks == {1: (2, 2), 2: (1, 2), 3: (2, 3), 4: (2, 2), 5: (1, 1), 6: (3, 4), 7: (1, 2)}


def test_arxiv_ids_agree_with_first_version_dates(seed):
    for p in nodes_of_kind(seed, "paper"):
        d = seed.nodes[p]
        if "arxiv" not in d:
            continue
        m = re.match(r"(\d\d)(\d\d)\.", d["arxiv"])
        assert 2000 + int(m.group(1)) == d["year"], p
        assert d["url"] == f"https://arxiv.org/abs/{d['arxiv']}"
        if p != "clip":  # submitted 26 Feb 2021, announced under 2103
            assert d["date"] == f"{d['year']}-{m.group(2)}", p


def test_first_public_year_kept_and_guide_year_recorded(seed):
    for p, first, guide in [("ilsvrc", 2014, 2015), ("zero", 2019, 2020), ("react", 2022, 2023),
                            ("latent-diffusion", 2021, 2022), ("dit", 2022, 2023)]:
        assert seed.nodes[p]["year"] == first
        assert seed.nodes[p]["guide_year"] == guide
        assert seed.nodes[p].get("note") and seed.nodes[p].get("note_zh")


def test_flagged_entries(seed):
    flags = {p: seed.nodes[p].get("flag") for p in nodes_of_kind(seed, "paper") if seed.nodes[p].get("flag")}
    assert flags == {"feeds-feelings-focus": "off-topic", "plane-partition-diamonds": "off-topic",
                     "one-shot-adaptation": "doubtful"}
    for p in ("feeds-feelings-focus", "plane-partition-diamonds"):
        assert [r for _, _, r in seed.out_edges(p, keys=True)] == ["in_stage"]


def test_bilingual_everywhere(seed):
    for n, d in seed.nodes(data=True):
        assert d.get("label_zh"), n
        assert d.get("description_en") and d.get("description_zh"), n
        assert re.search(r"[\u4e00-\u9fff]", d["description_zh"]), n


def test_prose_is_not_copied_from_the_guide(seed):
    """No run of 12 characters (at least 6 of them Chinese) is shared with the guide."""
    lines = (ROOT / "tests" / "guide-12grams.txt").read_text().splitlines()
    guide = {x for x in lines if x and not x.startswith("#")}
    assert len(guide) > 1000
    for n, d in seed.nodes(data=True):
        for key in ("description_zh", "note_zh") + (("label_zh",) if d["kind"] == "question" else ()):
            s = re.sub(r"\s", "", d.get(key, ""))
            for i in range(max(0, len(s) - 11)):
                if len(re.findall(r"[\u4e00-\u9fff]", s[i:i + 12])) < 6:
                    continue  # names such as "InstructGPT的" are not prose
                h = hashlib.blake2b(s[i:i + 12].encode(), digest_size=6).hexdigest()
                assert h not in guide, (n, key, s[i:i + 12])


# ------------------------------------------------------------ the answers we defend

def test_transformer_is_a_prerequisite_of_bert_and_vit(seed):
    assert "transformer" in prerequisites(seed, "bert").papers
    assert "transformer" in prerequisites(seed, "vit").papers


def test_dit_needs_latent_diffusion_vit_and_ddpm(seed):
    r = prerequisites(seed, "dit")
    assert {"latent-diffusion", "vit", "ddpm", "diffusion-thermodynamics", "transformer"} <= set(r.papers)
    assert r.why["latent-diffusion"][0] == "dit" and r.why["latent-diffusion"][-1] == "latent-diffusion"
    assert r.papers.index("ddpm") < r.papers.index("latent-diffusion")
    assert "backpropagation" in r.background or "neural-network" in r.background
    assert not set(r.background) & set(r.concepts)


def test_direct_prerequisites_stop_at_papers(seed):
    direct = prerequisites(seed, "dit", direct=True).papers
    assert "latent-diffusion" in direct and "vit" in direct
    # BERT and ILSVRC are reached only through other papers (ViT, ResNet)
    assert "bert" not in direct and "ilsvrc" not in direct
    assert set(direct) <= set(prerequisites(seed, "dit").papers)


def test_papers_with_no_prerequisites(seed):
    for p in ("word2vec", "bitter-lesson", "feeds-feelings-focus"):
        assert prerequisites(seed, p).papers == []


def test_unlocks(seed):
    u = unlocks(seed, "transformer")
    assert {"bert", "vit", "gpt-3", "dit", "clip"} <= set(u.papers)
    assert "bert" in u.direct and "word2vec" not in u.papers


def test_why(seed):
    assert why(seed, "transformer", "bert")[0] == "bert"
    assert why(seed, "transformer", "bert")[-1] == "transformer"
    assert why(seed, "bert", "transformer") is None
    assert why(seed, "dit", "word2vec") is None


def test_guide_order_and_its_two_root_conflicts(seed):
    assert guide_order(seed)[:4] == ["word2vec", "seq2seq", "resnet", "ilsvrc"]
    conflicts = {(c["paper"], c["needs"]) for c in stage_conflicts(seed)}
    # the guide lists GNMT (stage 6) after the Transformer that builds on it, and
    # Context Engineering 2.0 before the survey that introduces context engineering
    assert {("transformer", "gnmt"), ("context-engineering-2", "context-engineering-survey")} <= conflicts
    for c in stage_conflicts(seed):
        assert c["why"][0] == c["paper"] and c["why"][-1] == c["needs"]
        if c["needs"] == "gnmt":
            assert c["paper"] == "transformer" or "gnmt" in c["why"]
        else:
            assert c["needs"] == "context-engineering-survey"
    assert not check_order(seed, guide_order(seed))["valid"]


def test_guide_strategy_follows_stages_where_it_can(seed):
    order = reading_order(seed, strategy="guide")
    stage = {p: seed.nodes[stage_of(seed, p)]["order"] for p in order}
    rest = [p for p in order if p != "gnmt"]
    assert [stage[p] for p in rest] == sorted(stage[p] for p in rest)
    # GNMT is pulled forward just in time, right before the Transformer that builds on it
    assert order.index("gnmt") == order.index("transformer") - 1


def test_chronological_strategy_uses_months(seed):
    order = reading_order(seed, strategy="chronological")
    assert order.index("word2vec") < order.index("one-shot-adaptation")  # 2013-01 before 2013-12
    assert order.index("knowledge-distillation") < order.index("resnet")  # 2015-03 before 2015-12
    years = [seed.nodes[p].get("year", 9999) for p in order]
    assert years[:3] == sorted(years[:3])
    assert check_order(seed, order)["valid"]


def test_plan_for_dit_leaves_out_what_is_read(seed):
    plan = plan_papers(seed, ["dit"], ["word2vec", "resnet"])
    assert plan[-1] == "dit"
    assert "word2vec" not in plan and "resnet" not in plan
    assert set(plan) == set(prerequisites(seed, "dit").papers + ["dit"]) - {"word2vec", "resnet"}


def test_next_after_stage_one(seed):
    nxt = next_papers(seed, ["word2vec", "seq2seq", "resnet", "ilsvrc"])
    assert "gnmt" in nxt and "transformer" not in nxt and "bert" not in nxt
    nxt = next_papers(seed, ["word2vec", "seq2seq", "resnet", "ilsvrc", "gnmt"])
    assert "transformer" in nxt and "bert" not in nxt


@pytest.mark.parametrize("name", ["DiT", "dit", "扩散 Transformer DiT", "2212.09748", "arXiv:2212.09748",
                                  "Scalable Diffusion Models with Transformers", "diffusion transformer"])
def test_names_resolve(seed, name):
    assert resolve(seed, name) == "dit"
