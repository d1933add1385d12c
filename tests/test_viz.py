"""The map library (layout, styles, focus, filters, cap, cards, HTML), i18n, exports and the two commands."""

from __future__ import annotations

import json
import re

import pytest
from explorer_support import (
    CURRICULUM,
    MINIMAL,
    QUESTIONS,
    TOOLS,
    XSS_IMG,
    XSS_SCRIPT,
    XSS_TEXT,
    large_graph,
    stage_graph,
    xss_graph,
)

from papergraph import exports, i18n, progress, schema, viz
from papergraph.load import load_graph
from papergraph.order import guide_order
from papergraph.query import explain, prerequisites, unlocks


@pytest.fixture(scope="module")
def G():
    return load_graph(CURRICULUM, cache=False)


@pytest.fixture(scope="module")
def L(G):
    return viz.layout(G)


@pytest.fixture(scope="module")
def xss(tmp_path_factory):
    return load_graph(xss_graph(tmp_path_factory.mktemp("xss")), cache=False)


@pytest.fixture(scope="module")
def SG(tmp_path_factory):
    """The curriculum with tools and self-check questions in stages 1 and 2."""
    return load_graph(stage_graph(tmp_path_factory.mktemp("stages")), cache=False)


def net_map(G, lang="zh", **kw):
    """The full concept network (the map's other view; the roadmap is tested in test_roadmap.py)."""
    return viz.map_data(G, lang, view="network", **kw)


def net_html(G, lang="zh", **kw):
    return viz.map_html(G, lang, view="network", **kw)


def by_id(data):
    return {n["id"]: n for n in data["nodes"]}


# ---------------------------------------------------------------- layout

def test_stages_run_left_to_right_and_sit_above_their_papers(G, L):
    xs = [L.pos[s][0] for s in L.stages]
    assert L.stages == [f"s{i}-{n}" for i, n in enumerate(
        ["foundation", "transformer", "llm", "scaling", "reasoning", "multimodal", "topics"], 1)]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    for p in guide_order(G):
        st = L.home[p]
        assert L.pos[st][1] < L.pos[p][1]
        assert L.column[p] == L.stages.index(st)


def test_papers_follow_the_listing_order_and_concepts_sit_beside_their_introducer(G, L):
    stage1 = [p for p in guide_order(G) if L.home[p] == "s1-foundation"]
    assert stage1 == ["word2vec", "seq2seq", "resnet"]
    assert [L.pos[p][1] for p in stage1] == sorted(L.pos[p][1] for p in stage1)
    assert L.pos["word-embedding"][0] > L.pos["word2vec"][0]
    assert L.pos["word-embedding"][1] == L.pos["word2vec"][1]
    assert L.column["word-embedding"] == L.column["word2vec"]


def test_background_concepts_are_left_of_the_first_stage(G, L):
    first_x = min(L.pos[n][0] for n in G if L.column[n] == 0)
    for c in ("neural-network", "backprop", "rnn", "attention"):
        assert L.column[c] == -1 and L.home[c] is None
        assert L.pos[c][0] < first_x
    assert [h[0] for h in L.headers] == ["background"]


def test_layout_is_stable_between_runs(G):
    assert viz.layout(G).pos == viz.layout(load_graph(CURRICULUM, cache=False)).pos


def test_graph_without_stages_is_laid_out_by_reading_generation():
    G = load_graph(MINIMAL, cache=False)  # b builds on a
    L = viz.layout(G)
    assert L.stages == [] and L.pos["a"][0] < L.pos["b"][0]
    data = net_map(G, "en")
    assert {n["id"] for n in data["nodes"]} == {"a", "b"}
    assert data["legend"]["stages"] == []
    assert "<!DOCTYPE html>" in viz.render_html(data)


# ---------------------------------------------------------------- styles and legend

def test_shape_by_kind_colour_by_stage(G):
    data = net_map(G, "zh")
    nodes = by_id(data)
    assert {nodes[n]["shape"] for n in ("word2vec", "dit")} == {"box"}
    assert nodes["attention"]["shape"] == "dot" and nodes["s1-foundation"]["shape"] == "hexagon"
    assert nodes["word2vec"]["color"]["border"] == nodes["resnet"]["color"]["border"] == viz.PALETTE[0]
    assert nodes["dit"]["color"]["border"] == viz.PALETTE[5]
    assert nodes["attention"]["color"]["border"] != nodes["word2vec"]["color"]["border"]
    assert all(isinstance(n["x"], (int, float)) and isinstance(n["y"], (int, float)) for n in data["nodes"])
    assert data["options"]["physics"] == {"enabled": False}


def test_prerequisite_edges_look_different_from_citations_and_related(G):
    data = net_map(G, "en")
    style = {}
    for e in data["edges"]:
        style.setdefault(e["relation"], (e["color"]["highlight"], e["width"], json.dumps(e["dashes"]),
                                         e["arrows"]["to"]["enabled"]))
    assert {"requires", "builds_on", "cites", "related_to", "introduces", "precedes"} <= set(style)
    assert "in_stage" not in style  # told by colour and column instead
    assert len(set(style.values())) == len(style)
    assert style["requires"][2] == style["builds_on"][2] == "false"  # solid
    assert style["cites"][2] != "false" and style["related_to"][2] != "false"  # dashed, dotted
    assert style["related_to"][3] is False  # symmetric: no arrow
    assert min(style["requires"][1], style["builds_on"][1]) > style["cites"][1]
    legend = {r["relation"]: r for r in data["legend"]["relations"]}
    assert legend["requires"]["prerequisite"] and legend["builds_on"]["prerequisite"]
    assert not legend["cites"]["prerequisite"] and not legend["related_to"]["prerequisite"]


def test_legend_names_stages_kinds_relations_in_the_language(G):
    zh = net_map(G, "zh")["legend"]
    en = net_map(G, "en")["legend"]
    assert [s["label"] for s in zh["stages"]][:2] == ["基础概念", "Transformer 革命"]
    assert [s["label"] for s in en["stages"]][:2] == ["Foundations", "The Transformer era"]
    assert zh["stages"][-1]["label"] == "背景概念"
    assert [k["label"] for k in zh["kinds"]] == ["论文", "概念", "阶段"]
    assert {k["kind"]: k["shape"] for k in en["kinds"]} == {"paper": "box", "concept": "dot", "stage": "hexagon"}
    assert zh["titles"]["legend"] == "图例" and en["titles"]["legend"] == "Legend"


def test_hover_is_a_short_plain_text_card(G):
    nodes = by_id(net_map(G, "zh"))
    hover = nodes["dit"]["title"]
    assert hover.splitlines()[:3] == ["扩散 Transformer", "DiT", "论文 · 2022 · 多模态与扩散模型"]
    assert "使用 Transformer" in hover and len(hover) < 300


def test_chinese_labels_are_wrapped_for_the_boxes():
    assert viz.wrap_label("非平衡热力学扩散模型", 10) == "非平衡热力\n学扩散模型"
    assert viz.wrap_label("Attention Is All You Need", 12) == "Attention Is\nAll You Need"
    assert viz.wrap_label("BERT") == "BERT"


# ---------------------------------------------------------------- focus, filters, cap

def test_focus_shows_prerequisites_and_unlocks_and_fades_the_rest(G):
    near = viz.neighbourhood(G, "transformer", None)
    assert near["transformer"] == 0
    assert near["seq2seq"] < 0 and near["bert"] > 0
    data = net_map(G, "zh", focus="transformer", depth=None)
    nodes = by_id(data)
    assert data["focus"] == "transformer" and "Transformer" in data["focus_text"]
    assert not nodes["seq2seq"].get("faded") and not nodes["bert"].get("faded")
    assert nodes["ddpm"].get("faded")  # neither needed by nor needing the Transformer
    assert nodes["transformer"]["borderWidth"] > nodes["bert"]["borderWidth"]
    hidden = net_map(G, "zh", focus="transformer", depth=None, others="hide")
    assert "ddpm" not in by_id(hidden) and {"seq2seq", "bert", "s2-transformer"} <= set(by_id(hidden))


def test_depth_limits_the_focus(G):
    one = net_map(G, "en", focus="dit", depth=1, others="hide")
    every = net_map(G, "en", focus="dit", depth=None, others="hide")
    assert {"ldm", "latent-diffusion", "patch-embedding"} <= set(by_id(one))
    assert "word2vec" not in by_id(one) and "word2vec" in by_id(every)
    assert one["shown"] < every["shown"]


def test_filters_by_stage_kind_and_relation(G):
    data = net_map(G, "en", stages=["s6-multimodal"])
    ids = set(by_id(data))
    assert {"dit", "ddpm", "s6-multimodal", "diffusion"} <= ids
    assert not ids & {"bert", "s1-foundation"}
    assert "residual-connection" in ids  # a concept the stage's papers need
    papers_only = net_map(G, "en", kinds=["paper"])
    assert {n["kind"] for n in papers_only["nodes"]} == {"paper"}
    cites = net_map(G, "en", relations=["cites"])
    assert {e["relation"] for e in cites["edges"]} == {"cites"}
    assert [r["relation"] for r in cites["legend"]["relations"]] == ["cites"]
    staged = net_map(G, "en", relations=list(schema.RELATIONS))
    assert "in_stage" in {e["relation"] for e in staged["edges"]}


def test_progress_marks_read_and_next(G):
    nodes = by_id(net_map(G, "zh", read=["word2vec"], next_up=["seq2seq"]))
    assert nodes["word2vec"]["label"].startswith("✓ ")
    assert nodes["seq2seq"]["color"]["border"] == "#c99700" and nodes["seq2seq"]["borderWidth"] == 4


def test_large_graph_is_capped_with_a_message(tmp_path):
    G = load_graph(large_graph(tmp_path), cache=False)
    assert G.number_of_nodes() > 3000
    L = viz.layout(G)
    data = net_map(G, "en", layout_=L)
    assert data["shown"] == viz.MAX_NODES and data["total"] == G.number_of_nodes()
    assert "3007" in data["message"] and "400" in data["message"]
    kinds = [n["kind"] for n in data["nodes"]]
    assert kinds.count("stage") == 7  # every stage, then the first stage's papers and concepts
    assert all(L.home.get(n["id"]) in (None, "s0") for n in data["nodes"] if n["kind"] == "paper")
    focused = net_map(G, "en", focus="p1000", depth=2, others="hide", layout_=L)
    assert focused["shown"] <= viz.MAX_NODES and focused["focus"] == "p1000"
    faded = net_map(G, "en", focus="p1000", depth=None, layout_=L)  # everything else faded in: capped
    assert faded["shown"] == viz.MAX_NODES and faded["focus"] == "p1000"
    name = G.nodes["p1000"]["label_en"]
    assert f"the {viz.MAX_NODES} nearest {name}" in faded["message"] and "3007" in faded["message"]
    assert "离「" in net_map(G, "zh", focus="p1000", depth=None, layout_=L)["message"]


def test_empty_selection_says_so(G):
    data = net_map(G, "en", kinds=[])
    assert data["shown"] == 0 and data["message"] == i18n.t("map_empty", "en")


# ---------------------------------------------------------------- cards

def test_paper_card_has_everything_a_learner_needs(G):
    c = viz.card(G, "dit", "zh")
    assert c["label"] == "扩散 Transformer" and c["subtitle"] == "DiT"
    assert c["title"] == "Scalable Diffusion Models with Transformers"
    facts = dict(c["facts"])
    assert facts["作者"] == "William Peebles, Saining Xie" and facts["年份"] == "2022"
    assert facts["发表于"] == "ICCV" and facts["阶段"] == "多模态与扩散模型" and facts["arXiv"] == "2212.09748"
    assert c["url"] == "https://arxiv.org/abs/2212.09748"
    assert c["text"] == "使用 Transformer 作为扩散模型主干。"
    sections = {s["heading"]: s for s in c["sections"]}
    pre = sections["先读这些论文"]
    r = prerequisites(G, "dit")
    assert [i["id"] for i in pre["items"]] == r.papers
    assert pre["items"][-1]["detail"] == explain(G, r.why["ldm"], "zh")
    assert [i["id"] for i in sections["直接使用的概念"]["items"]] == ["latent-diffusion", "patch-embedding"]
    en = viz.card(G, "dit", "en")
    assert en["text"] == "A Transformer as the backbone of a diffusion model."
    assert dict(en["facts"])["Stage"] == "Multimodal and diffusion"


def test_card_lists_what_a_paper_unlocks(G):
    c = viz.card(G, "transformer", "en")
    sec = next(s for s in c["sections"] if s["heading"] == "What it unlocks")
    assert [i["id"] for i in sec["items"]] == unlocks(G, "transformer").papers
    bert = next(i for i in sec["items"] if i["id"] == "bert")
    assert bert["detail"].startswith("direct · BERT → builds on → Transformer")


def test_flagged_paper_card_carries_the_note(G):
    c = viz.card(G, "plane-partition", "zh")
    assert c["flag"] == "偏离主题" and "与 AI 无关" in c["note"]
    assert viz.card(G, "plane-partition", "en")["note"].startswith("Not about AI")


def test_concept_and_stage_cards(G):
    c = viz.card(G, "self-attention", "en")
    sections = {s["heading"]: [i["id"] for i in s["items"]] for s in c["sections"]}
    assert sections["Introduced by"] == ["transformer"]
    assert set(sections["Needed by"]) == {"bert", "scaling-laws", "gpt3", "vit"}
    assert sections["Related concepts"] == ["attention"]
    s = viz.card(G, "s1-foundation", "zh")
    assert dict(s["facts"])["建议时长"] == "2 周"
    assert s["sections"][0]["heading"].startswith("本阶段论文")
    assert [i["id"] for i in s["sections"][0]["items"]] == ["word2vec", "seq2seq", "resnet"]


def test_search_names_cover_both_languages_aliases_and_arxiv(G):
    names = {name: n for name, n in viz.search_names(G)}
    assert names["DiT"] == names["扩散 Transformer"] == names["2212.09748"] == names["Diffusion Transformer"] == "dit"


# ---------------------------------------------------------------- the standalone page

def test_script_json_escapes_what_could_end_a_script():
    text = viz.script_json({"a": XSS_SCRIPT, "b": XSS_TEXT})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == {"a": XSS_SCRIPT, "b": XSS_TEXT}


def test_html_is_self_contained(G):
    page = viz.render_html(net_map(G, "zh"))
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page and '<html lang="zh-CN">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<(script|img|iframe|link)\b[^>]*\b(src|href)\s*=", page, re.IGNORECASE)
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@version 9.1.2" in page and "vis.js is dual licensed" in page
    assert page.count('<script type="application/json" id="pg-data">') == 1
    assert "基础概念" in page


def test_hostile_labels_never_reach_the_html_unescaped(xss):
    data = net_map(xss, "zh")
    page = viz.render_html(data)
    for bad in (XSS_IMG, XSS_SCRIPT, "<b>bold</b>", "Mallory <script>", "\u2028"):
        assert bad not in page
    parsed = viz.page_islands(page)
    assert parsed["cards"]["xss-img"]["label"] == XSS_IMG
    assert parsed["cards"]["xss-script"]["label"] == XSS_SCRIPT
    assert parsed["cards"]["xss-img"]["text"] == XSS_TEXT
    assert "innerHTML" not in viz.html._assets()[1]  # the page's own script builds cards with textContent


def test_write_html_writes_utf8_atomically(G, tmp_path):
    out = tmp_path / "map.html"
    data = viz.write_html(G, out, "en", focus="bert", depth=1, view="network")
    raw = out.read_bytes()
    assert "基础概念".encode() in raw and raw.decode("utf-8").count("<!DOCTYPE html>") == 1
    assert '<html lang="en">' in raw.decode("utf-8") and data["focus"] == "bert"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_vendored_vis_network_ships_with_its_license():
    from importlib.resources import files

    static = files("papergraph").joinpath("static")
    js = static.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    assert js.startswith("/**\n * vis-network") and "@license" in js[:1000]
    assert "MIT License" in static.joinpath("LICENSE-vis-network.txt").read_text(encoding="utf-8")
    for name in ("map.html", "map.css", "map.js"):
        assert static.joinpath(name).is_file()


def test_seed_graph_draws(seed):
    data = net_map(seed, "zh")
    drawn = [n for n, k in seed.nodes(data="kind") if k in viz.DEFAULT_KINDS]
    assert data["shown"] == min(len(drawn), viz.MAX_NODES)
    assert viz.render_html(data).startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- through pyvis

def test_the_page_is_rendered_by_pyvis_with_our_template(G, monkeypatch):
    from pyvis.network import Network

    calls = {"add_node": 0, "add_edge": 0, "generate_html": 0, "template": []}
    for name in ("add_node", "add_edge", "generate_html"):
        original = getattr(Network, name)

        def spy(self, *a, _name=name, _original=original, **kw):
            calls[_name] += 1
            if _name == "generate_html":
                calls["template"].append((self.template_dir, self.path))
            return _original(self, *a, **kw)

        monkeypatch.setattr(Network, name, spy)
    for forbidden in ("show", "write_html"):
        monkeypatch.setattr(Network, forbidden, lambda *a, f=forbidden, **kw: pytest.fail(f"Network.{f} was called"))
    data = net_map(G, "zh")
    page = viz.render_html(data)
    assert calls["add_node"] == len(data["nodes"]) and calls["add_edge"] == len(data["edges"])
    assert calls["generate_html"] == 1
    ((folder, name),) = calls["template"]
    assert name == "map.html" and folder.rstrip("/").endswith("papergraph/static")
    net = viz.pyvis_network(data)
    assert net.directed and net.options == data["options"] and net.options["physics"] == {"enabled": False}
    back = viz.page_islands(page)
    assert back["nodes"] == net.nodes and back["edges"] == net.edges  # what pyvis holds is what the page draws
    assert {n["id"]: (n["x"], n["y"]) for n in back["nodes"]} == {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert back["cards"] == data["cards"] and back["legend"] == data["legend"]
    assert "bootstrap" not in page and "cdn" not in page.lower().replace("cdn_resources", "")


def test_pyvis_is_imported_only_to_render():
    import subprocess
    import sys

    code = ("import sys; import papergraph.viz as v; from papergraph.load import load_graph; "
            f"d = v.map_data(load_graph({str(CURRICULUM)!r}, cache=False), 'en', view='network'); a = 'pyvis' in sys.modules; "
            "v.render_html(d); print(a, 'pyvis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_a_script_label_stays_literal_through_pyvis():
    import networkx as nx

    G = nx.MultiDiGraph()
    hostile = XSS_SCRIPT + "\u2028\u2029 & <b>"
    G.add_node("p", kind="paper", label_en=hostile, label_zh=hostile, description_en=XSS_TEXT)
    G.add_node("c", kind="concept", label_en=XSS_SCRIPT)
    G.add_edge("p", "c", "introduces", relation="introduces", note=XSS_SCRIPT)
    page = net_html(G, "en", title=XSS_SCRIPT)
    ours = page.replace(viz.vis_js(), "")  # the vendored library has "<b>" in its own code
    assert [bad for bad in (XSS_SCRIPT, "\u2028", "\u2029", "<b>", "alert(1)</") if bad in ours] == []
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    # the islands are the only JSON in the page, and each one parses back to the literal text
    islands = re.findall(r'<script type="application/json" id="pg-(\w+)">(.*?)</script>', page, re.DOTALL)
    assert [name for name, _ in islands] == ["nodes", "edges", "options", "data", "order"]
    for _, text in islands:
        assert not re.search("[<>&\u2028\u2029]", text)
    back = viz.page_islands(page)
    assert by_id(back)["p"]["label"].startswith(XSS_SCRIPT) and by_id(back)["c"]["label"] == XSS_SCRIPT
    assert back["cards"]["p"]["label"] == hostile and back["edges"][0]["title"].endswith(XSS_SCRIPT)
    assert dict(zip(back["order"]["index"]["ids"], back["order"]["labels"])) == {"c": XSS_SCRIPT, "p": hostile}


# ---------------------------------------------------------------- stages and progress

def test_stage_progress_counts_papers_read_and_questions_ticked(SG):
    p = progress.stage_progress(SG, "s1-foundation")
    assert p["papers"] == ["word2vec", "seq2seq", "resnet"] and p["questions"] == ["q1-residual", "q1-word-vectors"]
    assert not p["done"] and p["fraction"] == 0 and p["next"] == ["s2-transformer"]
    read = ["word2vec", "seq2seq", "resnet", "bert"]  # bert is another stage's paper
    p = progress.stage_progress(SG, "s1-foundation", read, ["q2-qkv"])
    assert p["papers_read"] == ["word2vec", "seq2seq", "resnet"] and p["papers_left"] == []
    assert p["questions_ticked"] == [] and not p["done"], "papers read but questions not ticked: not done"
    p = progress.stage_progress(SG, "s1-foundation", ["word2vec"], ["q1-residual", "q1-word-vectors"])
    assert not p["done"], "questions ticked but papers not read: not done"
    p = progress.stage_progress(SG, "s1-foundation", read, ["q1-residual", "q1-word-vectors"])
    assert p["done"] and p["fraction"] == 1.0
    # a stage without questions is done once its papers are read; the last stage has no next one
    assert progress.stage_progress(SG, "s3-llm", progress.stage_progress(SG, "s3-llm")["papers"])["done"]
    assert progress.stage_progress(SG, "s7-topics")["next"] == []
    assert set(progress.stages_progress(SG, ["s1-foundation", "s2-transformer"])) == {"s1-foundation", "s2-transformer"}


def test_stages_show_counts_on_the_standalone_map_and_progress_in_the_app(SG):
    plain = by_id(net_map(SG, "zh"))
    assert plain["s1-foundation"]["label"] == "基础概念\n3 篇论文 · 2 道题"
    assert plain["s3-llm"]["label"] == "大语言模型基础\n3 篇论文"  # no questions: no question count
    assert by_id(net_map(SG, "en"))["s2-transformer"]["label"] == "The Transformer era\n2 papers · 1 question"
    data = net_map(SG, "zh", progress=True)
    assert by_id(data)["s1-foundation"]["label"] == "基础概念\n0/3 篇 · 0/2 题"
    assert [s["state"] for s in data["legend"]["state"]] == ["read", "next", "stage"]
    read = ["word2vec", "seq2seq", "resnet"]
    half = net_map(SG, "zh", read=read)
    assert by_id(half)["s1-foundation"]["label"] == "基础概念\n3/3 篇 · 0/2 题"
    assert not half["cards"]["s1-foundation"]["progress"]["done"]
    assert half["cards"]["s1-foundation"]["progress"]["ready"] == "还没有：2 道自测题未勾选。"
    done = net_map(SG, "en", read=read, ticked=["q1-residual", "q1-word-vectors"])
    assert by_id(done)["s1-foundation"]["label"] == "✓ Foundations\n3/3 papers · 2/2 questions"
    prog = done["cards"]["s1-foundation"]["progress"]
    assert prog["done"] and prog["fraction"] == 1.0 and "Next: The Transformer era." in prog["ready"]
    assert prog["ready_heading"] == "Ready for the next stage?"
    sections = {s["key"]: s for s in done["cards"]["s1-foundation"]["sections"] if s["key"]}
    assert all(it["done"] for it in sections["questions"]["items"])
    # the page lists the stage's papers itself (tests/test_browser.py), ticking those the map names
    assert sections["papers"]["compute"] == "stage_papers" and sorted(sections["papers"]["done"]) == sorted(read)
    assert "done" not in sections["concepts"]
    assert "progress" not in net_map(SG, "en")["cards"]["s1-foundation"]  # the standalone map has none


def test_stage_card_in_the_map_lists_tools_with_links_and_questions(SG):
    for lang in ("zh", "en"):
        data = net_map(SG, lang)
        c = data["cards"]["s1-foundation"]
        assert c["text"] and dict(c["facts"])[i18n.t("card_weeks", lang)]
        sections = {s["key"]: s for s in c["sections"] if s["key"]}
        assert [(it["id"], it["url"]) for it in sections["tools"]["items"]] == [
            ("pytorch", TOOLS["pytorch"]), ("gensim", TOOLS["gensim"])]
        texts = [it["label"] for it in sections["questions"]["items"]]
        assert texts == [QUESTIONS[q][0 if lang == "en" else 1] for q in ("q1-residual", "q1-word-vectors")]
        assert by_id(data)["pytorch"]["shape"] == "diamond" and "q1-residual" not in by_id(data)
        assert data["cards"]["pytorch"]["url"] == TOOLS["pytorch"]
    with_questions = net_map(SG, "en", kinds=list(schema.KINDS))
    assert by_id(with_questions)["q1-residual"]["shape"] == "triangle"


def test_cards_and_layout_are_remembered_per_graph_without_leaking_progress(SG):
    viz.clear_card_memo()
    assert SG.graph.get("digest")
    assert viz.layout_for(SG) is viz.layout_for(SG)
    first = net_map(SG, "zh")
    again = net_map(SG, "zh", focus="bert", read=["word2vec", "seq2seq", "resnet"],
                         ticked=["q1-residual", "q1-word-vectors"])
    assert again["cards"]["bert"] is first["cards"]["bert"]  # built once, shared by every map of this graph
    assert again["cards"]["s1-foundation"]["progress"]["done"]
    plain = net_map(SG, "zh")["cards"]["s1-foundation"]
    assert "progress" not in plain and all("done" not in it for sec in plain["sections"] for it in sec.get("items", ()))
    assert all("done" not in sec for sec in plain["sections"])
    assert net_map(SG, "en")["cards"]["bert"]["label"] == "BERT"  # per language
    page = viz.render_html(again)  # a remembered card keeps its page JSON; a decorated one is written afresh
    assert viz.page_islands(page)["cards"] == json.loads(json.dumps(again["cards"]))
    assert viz.page_islands(viz.render_html(again)) == viz.page_islands(page)
    import networkx as nx

    H = nx.MultiDiGraph()  # no digest (built in code): never remembered
    H.add_node("p", kind="paper", label_en="P")
    assert viz.cards_for(H, ["p"], "en")["p"] is not viz.cards_for(H, ["p"], "en")["p"]


def test_map_without_cards_keeps_the_stage_counts(SG):
    lean = net_map(SG, "zh", with_cards=False, read=["word2vec"], ticked=["q1-residual"])
    assert lean["cards"] == {} and by_id(lean)["s1-foundation"]["label"] == "基础概念\n1/3 篇 · 1/2 题"


# ---------------------------------------------------------------- i18n

def test_every_string_exists_in_both_languages_with_the_same_fields():
    fields = re.compile(r"\{(\w+)\}")
    for key, texts in i18n.STRINGS.items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"].strip() and texts["en"].strip(), key
        assert set(fields.findall(texts["zh"])) == set(fields.findall(texts["en"])), key
    assert i18n.DEFAULT_LANG == "zh" and i18n.norm_lang("xx") == "zh"
    for k in schema.KINDS:
        assert i18n.kind_label(k, "zh") != i18n.kind_label(k, "en")
    for r in schema.RELATIONS:
        assert i18n.relation_label(r, "zh") and i18n.relation_label(r, "en", inverse=True)


def test_every_ui_key_used_in_code_exists():
    import pathlib

    import papergraph

    root = pathlib.Path(papergraph.__file__).parent
    used = set()
    for path in [*sorted((root / "viz").glob("*.py")), *sorted((root / "webapp").glob("*.py"))]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_-]+)["']""", path.read_text(encoding="utf-8")))
    assert used and used <= set(i18n.STRINGS), used - set(i18n.STRINGS)


# ---------------------------------------------------------------- exports

def test_csv_tables_round_trip(G, tmp_path):
    for name, data in exports.csv_tables(G).items():
        (tmp_path / name).write_bytes(data)
    H = load_graph(tmp_path, cache=False)
    assert set(H.nodes) == set(G.nodes) and set(H.edges(keys=True)) == set(G.edges(keys=True))
    assert H.nodes["dit"]["aliases"] == G.nodes["dit"]["aliases"]
    assert H.nodes["plane-partition"]["note_zh"] == G.nodes["plane-partition"]["note_zh"]


def test_graph_downloads(G):
    assert "<graphml" in exports.graph_text(G, "graphml")
    try:
        ttl = exports.graph_text(G, "ttl")
        jsonld = exports.graph_text(G, "jsonld")
    except exports.ExportUnavailable:
        pytest.skip("papergraph.rdf is not installed")
    assert "扩散 Transformer" in ttl and "@prefix" in ttl
    assert json.loads(jsonld)


def test_progress_file_keeps_ticked_questions(SG):
    doc = exports.progress_document(["word2vec"], [], ticked=["q1-residual", "q2-qkv"])
    assert json.loads(doc)["ticked"] == ["q1-residual", "q2-qkv"] and json.loads(doc)["version"] == 1
    got = exports.read_progress(SG, doc)
    assert got["ticked"] == ["q1-residual", "q2-qkv"] and got["read"] == ["word2vec"]
    mixed = json.dumps({"format": "papergraph-progress", "read": ["q1-residual", "bert"],
                        "ticked": ["bert", "q2-qkv", "q2-qkv", "ghost"]})
    got = exports.read_progress(SG, mixed)
    assert got["read"] == ["bert"] and got["ticked"] == ["q2-qkv"]
    assert got["unknown"] == ["q1-residual", "bert", "ghost"]
    old = json.dumps({"format": "papergraph-progress", "version": 1, "read": ["bert"], "targets": []})
    assert exports.read_progress(SG, old)["ticked"] == []  # a file from before ticks still reads
    with pytest.raises(exports.PapergraphError, match="ticked"):
        exports.read_progress(SG, json.dumps({"format": "papergraph-progress", "ticked": "q2-qkv"}))


def test_progress_file_round_trip_and_rejects(G):
    doc = exports.progress_document(["word2vec", "bert"], ["dit"], graph="abc")
    got = exports.read_progress(G, doc)
    assert got == {"read": ["word2vec", "bert"], "targets": ["dit"], "ticked": [], "unknown": []}
    got = exports.read_progress(G, json.dumps({"format": "papergraph-progress", "read": ["bert", "nope", "attention"]}))
    assert got["read"] == ["bert"] and got["unknown"] == ["nope", "attention"]
    for bad in (b"\xff\xfe", b"not json", b"[]", b'{"format": "other"}', b'{"format": "papergraph-progress", "read": 1}'):
        with pytest.raises(exports.PapergraphError):
            exports.read_progress(G, bad)


def test_schedule_csv(G):
    import datetime as dt

    from papergraph.plan import schedule

    items = schedule(G, ["word2vec", "seq2seq"], dt.date(2026, 1, 5))
    text = exports.schedule_csv(G, items).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("no,start,end,days,id,paper_en,paper_zh")
    assert lines[1].startswith("1,2026-01-05,") and "词向量 Word2Vec" in lines[1]


def test_sparql_runs_offline_and_refuses_the_network(G):
    from explorer_support import sparql_broken

    if sparql_broken():
        pytest.xfail(sparql_broken())
    try:
        cols, rows = exports.sparql(G, "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 3")
    except exports.ExportUnavailable:
        pytest.skip("papergraph.rdf is not installed")
    assert cols == ["l"] and len(rows) == 3
    assert exports.sparql(G, "ASK { ?s ?p ?o }") == (["result"], [["true"]])
    for q in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
              "LOAD <http://example.org/data.ttl>", "DELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(exports.PapergraphError, match="refused"):
            exports.sparql(G, q)
    with pytest.raises(exports.PapergraphError):
        exports.sparql(G, "SELEC oops")
    for query in exports.sparql_examples().values():
        exports.sparql(G, query)


# ---------------------------------------------------------------- commands

def _cli(runner, *args):
    from papergraph.cli import cli

    return runner.invoke(cli, [str(a) for a in args])


def test_html_command_writes_a_standalone_map(runner, tmp_path):
    out = tmp_path / "dit.html"
    res = _cli(runner, "html", "-o", out, "--focus", "2212.09748", "--depth", "2", "--lang", "en",
               "--data", CURRICULUM)
    assert res.exit_code == 0, res.output
    assert f"wrote {out}" in res.output
    page = out.read_text(encoding="utf-8")
    assert '"focus":"dit"' in page and '<html lang="en">' in page


def test_html_command_unknown_focus_is_a_clean_error(runner, tmp_path):
    res = _cli(runner, "html", "-o", tmp_path / "x.html", "--focus", "扩散Transformr", "--data", CURRICULUM)
    assert res.exit_code == 1
    assert "unknown node '扩散Transformr'" in res.output and "did you mean" in res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    assert not (tmp_path / "x.html").exists()


def test_commands_have_an_example_in_their_help(runner):
    for cmd in ("app", "html"):
        res = _cli(runner, cmd, "--help")
        assert res.exit_code == 0 and "Example:\n" in res.output and f"papergraph {cmd}" in res.output
        assert "--data" in res.output


def test_app_command_runs_streamlit_on_the_packaged_script(runner, monkeypatch):
    from papergraph import viz_commands
    from papergraph.webapp import script_path

    calls = []
    monkeypatch.setattr(viz_commands, "_run", lambda cmd: calls.append(cmd) or 0)
    res = _cli(runner, "app", "--data", CURRICULUM, "--port", "8765", "--headless")
    assert res.exit_code == 0, res.output
    (cmd,) = calls
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == script_path()
    assert cmd[cmd.index("--server.port") + 1] == "8765"
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"
    assert cmd[-3:] == ["--", "--data", str(CURRICULUM.resolve())]
    assert "--" not in viz_commands.streamlit_command(None)  # no --data: the app's own default


def test_app_command_checks_the_data_first(runner, tmp_path):
    res = _cli(runner, "app", "--data", tmp_path)
    assert res.exit_code == 1 and "file not found" in res.output


def test_entry_points_are_thin():
    import pathlib

    from papergraph.webapp import data_dir_from_argv, script_path

    root = pathlib.Path(__file__).parent.parent
    app = (root / "app.py").read_text(encoding="utf-8")
    assert "papergraph.webapp" in app and len(app.splitlines()) < 15
    assert pathlib.Path(script_path()).is_file()
    assert data_dir_from_argv(["--data", "d"], {"PAPERGRAPH_DATA": "e"}) == "d"
    config = (root / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "gatherUsageStats = false" in config


def test_markdown_escaping_keeps_data_literal():
    from papergraph.webapp.text import md

    assert md(XSS_IMG) == r"\<img src\=x onerror\=alert\(1\)\>"
    assert md("[x](javascript:alert(1))").startswith(r"\[x\]\(javascript\:")
    assert md(":red[x] $y$") == r"\:red\[x\] \$y\$"


# ---------------------------------------------------------------- card shells, the order graph, what is kept on disk

def _fields(c):
    return {k: v for k, v in c.items() if k != "sections"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_card_shell_is_the_card_less_what_the_page_computes(SG, seed, lang):
    """Each section of a shell is the card's own, or names its items, or is a placeholder for a computed one."""
    for G in (SG, seed):
        L = viz.layout_for(G)
        for n in G:
            full, shell = viz.card(G, n, lang), viz.card(G, n, lang, lazy=True)
            assert _fields(shell) == _fields(full)
            by_heading = {s["heading"]: s for s in full["sections"]}
            rest = [s for s in shell["sections"] if "compute" not in s]
            assert [s["heading"] for s in rest] == [s["heading"] for s in full["sections"]
                                                    if s["heading"] in {r["heading"] for r in rest}]
            # the shell's sections, headings filled in from the page's table, in the card's order
            heads = [viz.cards.lazy_sections(lang)[s["compute"]]["heading"] if "compute" in s else s["heading"]
                     for s in shell["sections"]]
            assert [h for h in heads if h in by_heading] == [s["heading"] for s in full["sections"]]
            for s in shell["sections"]:
                want = by_heading.get(s.get("heading"))
                if "compute" in s:
                    ph = viz.cards.lazy_sections(lang)[s["compute"]]
                    assert s["key"] == ph["key"]
                    want = by_heading.get(ph["heading"])
                    assert want is None or (want["key"], want["empty"]) == (ph["key"], ph["empty"])
                elif "ids" in s:
                    assert s["ids"] == [it["id"] for it in want["items"]] and s["more"] == want["more"]
                    assert all(not it["detail"] and "url" not in it for it in want["items"])
                else:
                    assert s == want
            m = L.members.get(n)
            if m is not None:  # the map's shell of a stage takes its questions from the layout
                assert viz.card(G, n, lang, lazy=True, questions=m["questions"]) == shell


def order_dag(G):
    """The "read before" graph of ``G`` (u → v: u first), straight from the schema, not from papergraph.core."""
    import networkx as nx

    D = nx.DiGraph()
    D.add_nodes_from(G)
    for u, v, r in G.edges(keys=True):
        how = schema.RELATIONS[r].order if r in schema.RELATIONS else None
        if how == "source-first":
            D.add_edge(u, v)
        elif how == "target-first":
            D.add_edge(v, u)
    return D


def test_stage_cards_come_from_one_reading_order_of_the_graph(SG, seed, tmp_path):
    import networkx as nx

    from papergraph.cards import stage_card, stage_papers
    from papergraph.order import reading_order

    big = load_graph(large_graph(tmp_path / "large"), cache=False)
    for G in (SG, seed, big):
        whole = reading_order(G)
        for s in viz.layout_for(G).stages:
            assert viz.cards.stage_card_for(G, s, "en") == stage_card(G, s, "en")
            members = [p for p, t, r in G.edges(keys=True) if r == "in_stage" and t == s]
            # the stage ordered on its own (with what it needs) is the whole graph's order restricted to it
            alone = [p for p in reading_order(G, among=set().union(*(nx.ancestors(order_dag(G), m) | {m}
                                                                      for m in members)) if members else set())
                     if p in members]
            assert stage_papers(G, s) == alone == [p for p in whole if p in members]


def test_order_graph_lists_what_the_page_needs(G):
    from papergraph.order import sort_key

    og = viz.order_graph(G, "en")
    ix = og["index"]
    ids = ix["ids"]
    assert ids == list(G.nodes)
    assert og["labels"] == [G.nodes[n].get("label_en") or n for n in ids]
    key = sort_key(G)
    assert sorted(ids, key=key) == sorted(ids, key=lambda n: ix["pull_guide"][ids.index(n)])
    ordering = {r for r, spec in schema.RELATIONS.items() if spec.order or spec.component}
    got = {(ids[u], ids[v], og["rels"][r][0]) for u, v, r in zip(*[iter(og["edges"])] * 3)}
    assert got == {(u, v, r) for u, v, r in G.edges(keys=True) if r in ordering}
    triples = list(zip(*[iter(og["edges"])] * 3))
    for v in G:  # each node's in-edges come together, in the order of G.in_edges
        mine = [(ids[a], og["rels"][r][0]) for a, b, r in triples if ids[b] == v]
        assert mine == [(u, r) for u, _, r in G.in_edges(v, keys=True) if r in ordering]
    related = {(ids[u], ids[v]) for u, v in zip(*[iter(og["related"])] * 2)}
    assert related == {(u, v) for u, v, r in G.edges(keys=True) if r == "related_to"} and related
    assert ix["stage"][ids.index("dit")] == ids.index("s6-multimodal") and ix["stage"][ids.index("attention")] == -1
    assert viz.order_graph(G, "zh")["labels"][ids.index("dit")] == "扩散 Transformer"


def test_layout_and_order_graph_are_kept_on_disk(SG, tmp_path, monkeypatch, caplog):
    import networkx as nx

    from papergraph.viz import persist

    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    viz.clear_card_memo()
    fresh = viz.layout(SG)
    first = viz.layout_for(SG)  # computed, then kept
    names = sorted(p.name.split("-map-")[1] for p in persist.kept(SG))
    layout_file, order_file = f"layout-{persist.LAYOUT_FORMAT}.json", f"order-{viz.ordergraph.FORMAT}-en.json"
    assert names == [layout_file] and all(p.name.startswith(SG.graph["digest"]) for p in persist.kept(SG))
    page = net_html(SG, "en")
    assert sorted(p.name.split("-map-")[1] for p in persist.kept(SG)) == [layout_file, order_file]
    viz.clear_card_memo()
    back = viz.layout_for(SG)  # read back, as a new process would
    assert back is not first and type(back.pos) is not dict
    for name in ("pos", "column", "home", "rank"):
        got = dict(getattr(back, name))
        assert got == getattr(fresh, name) and len(getattr(back, name)) == len(fresh.pos)
        assert {n: repr(v) for n, v in got.items()} == {n: repr(getattr(fresh, name)[n]) for n in got}  # 0 ≠ 0.0
    assert list(back.pos) == fresh.cap_order  # a layout read back iterates in the order a capped map reads it
    for name in ("headers", "stages", "by_kind", "members", "cap_order", "background"):
        assert getattr(back, name) == getattr(fresh, name)
    assert back.home.get("nowhere", "?") == "?" and "nowhere" not in back.pos
    assert net_html(SG, "en") == page  # the same page from what was kept
    # anything damaged is computed again and written anew, never an error
    for p in persist.kept(SG):
        p.write_bytes(b"\xff\xfe not what was written")
    viz.clear_card_memo()
    with caplog.at_level("INFO", logger="papergraph.viz.persist"):
        assert net_html(SG, "en") == page
    assert caplog.records and all(p.read_bytes()[:2] != b"\xff\xfe" for p in persist.kept(SG))
    for p in persist.kept(SG):  # cut short, as a full disk might leave it
        p.write_bytes(p.read_bytes()[:len(p.read_bytes()) // 2])
    viz.clear_card_memo()
    assert net_html(SG, "en") == page
    assert persist.forget(SG) and persist.kept(SG) == []
    # a cache directory that cannot be written costs only the saving
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(blocked))
    viz.clear_card_memo()
    assert net_html(SG, "en") == page and persist.kept(SG) == []
    # a graph built in code is never kept, with or without a digest
    monkeypatch.setenv("PAPERGRAPH_CACHE_DIR", str(tmp_path / "other"))
    for H in (nx.MultiDiGraph(), nx.MultiDiGraph(digest="d1")):
        H.add_node("p", kind="paper", label_en="P")
        net_html(H, "en")
        assert persist.path_for(H, "x") is None and not (tmp_path / "other").exists()
    viz.clear_card_memo()


def test_the_page_computes_cards_and_carries_no_built_ones(seed):
    data = net_map(seed, "zh")
    page = viz.render_html(data)
    back = viz.page_islands(page)
    assert back["order"]["index"] == viz.order_graph(seed, "zh")["index"]
    computed = [s for c in back["cards"].values() for s in c["sections"] if "compute" in s]
    assert computed and all("items" not in s for s in computed)
    assert not any(s.get("heading") == i18n.t("card_prereqs", "zh") and "items" in s
                   for c in back["cards"].values() for s in c["sections"])
    assert data["strings"]["card_more"] == "…… 另有 {n} 项" and data["card_limit"] == viz.cards.CARD_LIMIT
