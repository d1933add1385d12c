"""The explorer driven headless with Streamlit's AppTest: every view and control."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("streamlit")

from explorer_support import (
    CURRICULUM,
    MINIMAL,
    QUESTIONS,
    TOOLS,
    XSS_IMG,
    XSS_SCRIPT,
    large_graph,
    stage_graph,
    xss_graph,
)
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from papergraph.webapp import script_path
from papergraph.webapp.text import md

TIMEOUT = 60


@pytest.fixture
def downloads(monkeypatch):
    """``{file name: bytes}`` of every download button the app drew."""
    got = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, *args, **kwargs):
        filename = kwargs.get("filename", args[1] if len(args) > 1 else None)
        if filename:
            got[filename] = path_or_data
        return original(self, path_or_data, mimetype, *args, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return got


def make_app(monkeypatch, data=CURRICULUM, query=None):
    monkeypatch.setenv("PAPERGRAPH_DATA", str(data))
    at = AppTest.from_file(script_path(), default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def run(at, action=None):
    (action or at).run()
    assert not at.exception, at.exception
    return at


def map_html(at) -> str:
    frames = at.get("iframe")
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def map_data(at) -> dict:
    """The map's data read back from the page (pyvis's nodes, edges and options merged in)."""
    from papergraph.viz import page_islands

    return page_islands(map_html(at))


def texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "subheader", "title", "header", "info", "warning",
                                  "success", "error") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def widget(at, kind, key):
    return getattr(at, kind)(key=key)


# ---------------------------------------------------------------- the map

def test_opens_in_chinese_on_the_map(monkeypatch):
    at = make_app(monkeypatch)
    assert at.title[0].value == "papergraph · curriculum"  # the loaded curriculum names the title
    assert widget(at, "radio", "w:lang").value == "zh"
    html = map_html(at)
    assert '<html lang="zh-CN">' in html and "vis.Network" in html
    data = map_data(at)
    assert {n["id"] for n in data["nodes"]} >= {"s1-foundation", "word2vec", "dit", "attention"}
    assert data["legend"]["titles"]["legend"] == "图例"
    assert at.get("iframe")[0].proto.alt == "概念地图"


def test_language_switch_changes_every_label(monkeypatch):
    at = make_app(monkeypatch)
    run(at, widget(at, "radio", "w:lang").set_value("en"))
    assert at.title[0].value == "papergraph · curriculum"
    assert widget(at, "radio", "w:view").label == "View"
    assert widget(at, "text_input", "w:search").label.startswith("Search")
    data = map_data(at)
    assert data["lang"] == "en" and data["legend"]["titles"]["legend"] == "Legend"
    assert next(n for n in data["nodes"] if n["id"] == "s1-foundation")["label"] == "Foundations\n0/3 papers"
    assert at.query_params["lang"] == "en"
    run(at, widget(at, "radio", "w:lang").set_value("zh"))
    assert at.title[0].value == "papergraph · curriculum" and "lang" not in at.query_params


@pytest.mark.parametrize("query", ["2212.09748", "扩散 Transformer", "diffusion transformer", "dit", "arXiv:2212.09748"])
def test_search_by_any_name_focuses_and_shows_the_card(monkeypatch, query):
    at = make_app(monkeypatch)
    run(at, widget(at, "text_input", "w:search").input(query))
    assert widget(at, "selectbox", "w:focus").value == "dit"
    assert at.subheader[0].value == md("扩散 Transformer")
    shown = texts(at)
    assert "先读这些论文" in shown and md("Scalable Diffusion Models with Transformers") in shown
    assert md("扩散 Transformer → 基于 → 潜在扩散模型") in shown  # a reason chain
    assert "**年份**: 2022" in shown and "**发表于**: ICCV" in shown
    assert at.get("link_button")[0].proto.url == "https://arxiv.org/abs/2212.09748"
    assert map_data(at)["focus"] == "dit" and at.query_params["focus"] == "dit"


def test_unknown_search_suggests_names(monkeypatch):
    at = make_app(monkeypatch)
    run(at, widget(at, "text_input", "w:search").input("Transformr"))
    assert md("没有名为“Transformr”的节点。") in [w.value for w in at.sidebar.warning]
    assert widget(at, "selectbox", "w:focus").value == ""
    suggestion = at.sidebar.button[0]
    run(at, suggestion.click())
    assert widget(at, "selectbox", "w:focus").value != ""


def test_focus_depth_and_hiding(monkeypatch):
    at = make_app(monkeypatch, query={"style": "network"})  # the concept network (the roadmap: test_browser.py)
    run(at, widget(at, "selectbox", "w:focus").set_value("transformer"))
    faded = {n["id"] for n in map_data(at)["nodes"] if n.get("faded")}
    assert "ddpm" in faded and "bert" not in faded
    run(at, widget(at, "radio", "w:others").set_value("hide"))
    ids = {n["id"] for n in map_data(at)["nodes"]}
    assert "ddpm" not in ids and {"transformer", "bert", "seq2seq"} <= ids
    run(at, widget(at, "select_slider", "w:depth").set_value(1))
    one = {n["id"] for n in map_data(at)["nodes"]}
    run(at, widget(at, "select_slider", "w:depth").set_value("all"))
    every = {n["id"] for n in map_data(at)["nodes"]}
    assert one < every and "word2vec" in every and "word2vec" not in one
    assert at.query_params["depth"] == "all" and at.query_params["others"] == "hide"


def test_filters(monkeypatch):
    at = make_app(monkeypatch, query={"style": "network"})
    run(at, widget(at, "multiselect", "w:f_stages").set_value(["s6-multimodal"]))
    ids = {n["id"] for n in map_data(at)["nodes"]}
    assert "dit" in ids and "bert" not in ids
    run(at, widget(at, "multiselect", "w:f_kinds").set_value(["paper"]))
    assert {n["kind"] for n in map_data(at)["nodes"]} == {"paper"}
    run(at, widget(at, "multiselect", "w:f_kinds").set_value(["paper", "concept", "stage"]))
    run(at, widget(at, "multiselect", "w:f_relations").set_value(["builds_on"]))
    assert {e["relation"] for e in map_data(at)["edges"]} == {"builds_on"}
    run(at, widget(at, "multiselect", "w:f_kinds").set_value([]))
    assert "在当前筛选条件下没有可显示的内容。" in [i.value for i in at.info]


def test_map_download_is_the_map(monkeypatch, downloads):
    at = make_app(monkeypatch)
    assert downloads["papergraph-map.html"].decode("utf-8") == map_html(at)


def test_card_checkbox_marks_a_paper_read(monkeypatch):
    at = make_app(monkeypatch, query={"focus": "bert"})
    box = widget(at, "checkbox", "w:read:bert")
    assert box.value is False
    run(at, box.check())
    assert at.query_params["read"] == "bert"
    bert = next(n for n in map_data(at)["nodes"] if n["id"] == "bert")
    assert bert["label"].startswith("✓ ")


# ---------------------------------------------------------------- progress and plan

def test_progress_lives_in_the_url_and_next_papers_follow(monkeypatch):
    at = make_app(monkeypatch, query={"view": "plan", "read": "word2vec,seq2seq,nonsense", "lang": "en",
                                          "style": "network"})
    read = widget(at, "multiselect", "w:read")
    assert read.value == ["word2vec", "seq2seq"]
    assert at.query_params["read"] == "word2vec,seq2seq"
    shown = texts(at)
    assert "You can read next" in shown and md("ResNet") in shown
    run(at, at.button(key="mark:resnet").click())
    assert widget(at, "multiselect", "w:read").value == ["word2vec", "seq2seq", "resnet"]
    assert at.query_params["read"] == "word2vec,seq2seq,resnet"
    assert "Read 3 of 18 papers" in at.sidebar.get("progress")[0].proto.text
    run(at, widget(at, "radio", "w:view").set_value("map"))
    nodes = {n["id"]: n for n in map_data(at)["nodes"]}
    assert nodes["resnet"]["label"].startswith("✓ ") and nodes["transformer"]["borderWidth"] == 4


def test_plan_for_targets_with_downloads(monkeypatch, downloads):
    at = make_app(monkeypatch, query={"view": "plan", "read": "word2vec"})
    run(at, at.text_input(key="w:plan_target").input("DiT"))  # one target, by name
    run(at, widget(at, "date_input", "w:start").set_value(__import__("datetime").date(2026, 1, 5)))
    table = at.dataframe[0].value
    assert list(table["编号"]) == ["seq2seq", "resnet", "transformer", "vit", "ddpm", "ldm", "dit"]
    assert table["开始"].iloc[0] == "2026-01-05"
    assert md("7 篇论文，2026-01-05 →") in texts(at)
    ics = downloads["papergraph-plan.ics"].decode("utf-8")
    assert ics.count("BEGIN:VEVENT") == 7 and "DTSTART;VALUE=DATE:20260105" in ics
    assert "扩散 Transformer" in downloads["papergraph-plan.md"].decode("utf-8")
    assert downloads["papergraph-plan.csv"].decode("utf-8-sig").count("\n") == 8
    run(at, widget(at, "radio", "w:strategy").set_value("chronological"))
    assert list(at.dataframe[0].value["编号"])[:2] == ["seq2seq", "resnet"]
    assert at.query_params["targets"] == "dit" and at.query_params["strategy"] == "chronological"


def test_progress_export_and_import(monkeypatch, downloads):
    at = make_app(monkeypatch, query={"view": "plan", "read": "bert"})
    doc = json.loads(downloads["papergraph-progress.json"])
    assert doc["format"] == "papergraph-progress" and doc["read"] == ["bert"]
    upload = json.dumps({"format": "papergraph-progress", "read": ["word2vec", "gpt3", "ghost"], "targets": ["dit"]})
    run(at, at.file_uploader(key="w:import").set_value(("progress.json", upload.encode(), "application/json")))
    assert widget(at, "multiselect", "w:read").value == ["word2vec", "gpt3"]
    assert at.session_state["pg:targets"] == ["dit"]
    assert "已导入：2 篇论文标为已读，0 道自测题已勾选。" in [s.value for s in at.success]
    assert any("ghost" in w.value for w in at.warning)
    run(at, at.file_uploader(key="w:import").set_value(("bad.json", b"{nope", "application/json")))
    assert any("不是 papergraph 进度文件" in e.value for e in at.error)
    assert widget(at, "multiselect", "w:read").value == ["word2vec", "gpt3"]


# ---------------------------------------------------------------- stage cards

@pytest.fixture(scope="module")
def stages_dir(tmp_path_factory):
    return stage_graph(tmp_path_factory.mktemp("stages"))


def map_node(at, node):
    return next(n for n in map_data(at)["nodes"] if n["id"] == node)


def test_stage_card_shows_goal_weeks_tools_and_questions(monkeypatch, stages_dir):
    at = make_app(monkeypatch, data=stages_dir, query={"view": "stages", "stage": "s1-foundation"})
    assert widget(at, "selectbox", "w:stage").value == "s1-foundation"
    assert at.subheader[0].value == md("基础概念")
    shown = texts(at)
    assert md("第 1 阶段") in shown and "**建议时长**: 2 周" in shown
    assert md("建立深度学习基础认知，理解词嵌入、序列模型与卷积网络。") in shown
    assert {b.proto.url for b in at.get("link_button")} == {TOOLS["pytorch"], TOOLS["gensim"]}
    assert [b.proto.label for b in at.get("link_button")] == [md("PyTorch 深度学习框架"), md("Gensim 词向量库")]
    boxes = {c.key: c for c in at.checkbox}
    assert boxes["w:tick:q1-residual"].label == md(QUESTIONS["q1-residual"][1]) and not boxes["w:tick:q1-residual"].value
    assert {"w:sread:word2vec", "w:sread:seq2seq", "w:sread:resnet", "w:tick:q1-word-vectors"} <= set(boxes)
    assert any(md("准备好进入下一阶段了吗？ 还没有：还有 3 篇论文未读，2 道自测题未勾选。") == i.value for i in at.info)
    run(at, widget(at, "radio", "w:lang").set_value("en"))
    assert at.subheader[0].value == md("Foundations")
    assert at.checkbox(key="w:tick:q1-residual").label == md(QUESTIONS["q1-residual"][0])


def test_ticking_questions_keeps_them_in_the_url_the_map_and_the_progress_file(monkeypatch, stages_dir, downloads):
    at = make_app(monkeypatch, data=stages_dir, query={"view": "stages", "stage": "s1-foundation"})
    run(at, at.checkbox(key="w:tick:q1-residual").check())
    assert at.query_params["q"] == "q1-residual" and at.query_params["stage"] == "s1-foundation"
    assert at.checkbox(key="w:tick:q1-residual").value is True
    assert "已勾选 1 / 3 道自测题" in at.sidebar.get("progress")[1].proto.text
    run(at, widget(at, "radio", "w:view").set_value("map"))
    assert map_node(at, "s1-foundation")["label"] == "基础概念\n0/3 篇 · 1/2 题"
    card = map_data(at)["cards"]["s1-foundation"]
    questions = next(sec for sec in card["sections"] if sec["key"] == "questions")
    assert [(it["id"], it["done"]) for it in questions["items"]] == [("q1-residual", True), ("q1-word-vectors", False)]
    run(at, widget(at, "radio", "w:view").set_value("plan"))
    doc = json.loads(downloads["papergraph-progress.json"])
    assert doc["ticked"] == ["q1-residual"] and doc["read"] == []
    # importing a progress file restores its ticks (and only the ids this graph has as questions)
    upload = json.dumps({"format": "papergraph-progress", "read": ["bert"], "ticked": ["q2-qkv", "ghost", "bert"]})
    run(at, at.file_uploader(key="w:import").set_value(("progress.json", upload.encode(), "application/json")))
    assert at.query_params["q"] == "q2-qkv" and at.query_params["read"] == "bert"
    assert "已导入：1 篇论文标为已读，1 道自测题已勾选。" in [x.value for x in at.success]
    run(at, widget(at, "radio", "w:view").set_value("stages"))
    assert at.checkbox(key="w:tick:q1-residual").value is False
    run(at, widget(at, "selectbox", "w:stage").set_value("s2-transformer"))
    assert at.checkbox(key="w:tick:q2-qkv").value is True and at.checkbox(key="w:sread:bert").value is True
    run(at, at.checkbox(key="w:tick:q2-qkv").uncheck())
    assert "q" not in at.query_params


def test_a_stage_is_done_only_when_its_papers_are_read_and_its_questions_ticked(monkeypatch, stages_dir):
    at = make_app(monkeypatch, data=stages_dir,
                  query={"view": "stages", "stage": "s1-foundation", "lang": "en", "q": "q1-residual,q1-word-vectors"})
    assert at.checkbox(key="w:tick:q1-word-vectors").value is True  # ticks come back from the URL
    assert not at.success and any(md("Ready for the next stage? Not yet: 3 papers to read.") in i.value for i in at.info)
    for paper in ("word2vec", "seq2seq"):
        run(at, at.checkbox(key=f"w:sread:{paper}").check())
    assert not at.success
    assert at.query_params["read"] == "word2vec,seq2seq"
    run(at, at.checkbox(key="w:sread:resnet").check())
    assert any(md("Ready for the next stage? Yes: every paper is read and every question ticked. "
                  "Next: The Transformer era.") == x.value for x in at.success)
    assert widget(at, "selectbox", "w:stage").format_func("s1-foundation").startswith("✓ Foundations")
    run(at, at.checkbox(key="w:tick:q1-residual").uncheck())
    assert not at.success
    run(at, at.checkbox(key="w:tick:q1-residual").check())
    run(at, widget(at, "radio", "w:view").set_value("map"))
    assert map_node(at, "s1-foundation")["label"] == "✓ Foundations\n3/3 papers · 2/2 questions"
    assert map_data(at)["cards"]["s1-foundation"]["progress"]["done"] is True
    assert map_node(at, "s2-transformer")["label"] == "The Transformer era\n0/2 papers · 0/1 questions"


def test_focusing_a_stage_on_the_map_opens_its_stage_card(monkeypatch, stages_dir):
    at = make_app(monkeypatch, data=stages_dir, query={"focus": "s2-transformer", "q": "q2-qkv,nonsense,bert"})
    assert at.query_params["q"] == "q2-qkv"
    assert at.subheader[0].value == md("Transformer 革命")
    assert [b.proto.url for b in at.get("link_button")] == [TOOLS["hf-transformers"]]
    assert at.checkbox(key="w:tick:q2-qkv").value is True
    assert map_node(at, "s2-transformer")["label"] == "Transformer 革命\n0/2 篇 · 1/1 题"


def test_stages_view_without_stages(monkeypatch):
    at = make_app(monkeypatch, data=MINIMAL, query={"view": "stages", "lang": "en"})
    assert "This graph has no stages." in [i.value for i in at.info]


# ---------------------------------------------------------------- exports and SPARQL

def test_exports_and_sparql(monkeypatch, downloads):
    at = make_app(monkeypatch, query={"view": "data", "lang": "en"})
    labels = {b.label for b in at.get("download_button")}
    assert {"nodes.csv", "edges.csv", "GraphML (.graphml)"} <= labels
    assert downloads["nodes.csv"].startswith(b"id,kind,label_en")
    assert b"<graphml" in downloads["papergraph.graphml"]
    if "Turtle (.ttl)" not in labels:
        pytest.skip("papergraph.rdf is not installed")
    assert "Turtle (.ttl)" in labels and "JSON-LD (.jsonld)" in labels
    assert "@prefix" in downloads["papergraph.ttl"].decode("utf-8")
    json.loads(downloads["papergraph.jsonld"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Paper"] == "18" and metrics["Stage"] == "7"
    from explorer_support import sparql_broken

    from papergraph.exports import sparql_examples

    if sparql_broken():
        pytest.xfail(sparql_broken())
    examples = sparql_examples()
    if examples:
        first, *rest = list(examples)
        assert at.selectbox(key="w:sparql_example").value == first
        assert at.text_area(key="w:sparql").value == examples[first]
        run(at, at.button(key="sparql_run").click())
        assert at.dataframe and not at.error
    if examples and rest:
        run(at, at.selectbox(key="w:sparql_example").set_value(rest[0]))
        assert at.text_area(key="w:sparql").value == examples[rest[0]]
    run(at, at.text_area(key="w:sparql").input(
        "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label LIMIT 5"))
    run(at, at.button(key="sparql_run").click())
    assert len(at.dataframe[0].value) == 5 and "5 rows" in [c.value for c in at.caption]
    # the table can be downloaded as CSV (Streamlit's toolbar): a cell never starts a spreadsheet formula
    run(at, at.text_area(key="w:sparql").input('SELECT ?x ?n WHERE { VALUES (?x ?n) { ("=HYPERLINK(1)" "-3") } }'))
    run(at, at.button(key="sparql_run").click())
    assert list(at.dataframe[0].value.iloc[0]) == ["'=HYPERLINK(1)", "-3"]
    run(at, at.text_area(key="w:sparql").input("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"))
    run(at, at.button(key="sparql_run").click())
    assert any("refused" in e.value for e in at.error)


# ---------------------------------------------------------------- any graph

def test_hostile_labels_are_shown_as_text(monkeypatch, tmp_path):
    at = make_app(monkeypatch, data=xss_graph(tmp_path / "xss"), query={"focus": "xss-img"})
    assert at.subheader[0].value == md(XSS_IMG)
    shown = texts(at)
    assert XSS_IMG not in shown and XSS_SCRIPT not in shown
    assert md(XSS_SCRIPT) in shown  # the title, the note and the concept it introduces
    html = map_html(at)
    assert XSS_IMG not in html and XSS_SCRIPT not in html
    data = map_data(at)
    assert data["cards"]["xss-img"]["label"] == XSS_IMG
    run(at, widget(at, "selectbox", "w:focus").set_value("xss-script"))
    assert at.subheader[0].value == md(XSS_SCRIPT)


def test_minimal_graph_without_stages(monkeypatch):
    at = make_app(monkeypatch, data=MINIMAL, query={"lang": "en", "style": "network"})
    assert {n["id"] for n in map_data(at)["nodes"]} == {"a", "b"}
    assert at.multiselect(key="w:f_kinds").value == ["paper"]
    run(at, widget(at, "radio", "w:view").set_value("plan"))
    assert list(at.dataframe[0].value["id"]) == ["a", "b"]
    run(at, widget(at, "radio", "w:view").set_value("data"))


def test_invalid_graph_is_reported_without_a_traceback(monkeypatch, tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind,label_en\na,gadget,A\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("source,target,relation\n", encoding="utf-8")
    at = make_app(monkeypatch, data=tmp_path)
    assert "中的图谱无效" in at.error[0].value
    assert "unknown kind 'gadget'" in at.code[0].value


def test_large_graph_opens_capped(monkeypatch, tmp_path):
    at = make_app(monkeypatch, data=large_graph(tmp_path / "big"), query={"style": "network"})
    assert "地图只显示其中 400 个" in at.info[0].value
    assert len(map_data(at)["nodes"]) == 400


def test_large_graph_focus_list_is_capped_and_search_reaches_the_rest(monkeypatch, tmp_path):
    from papergraph.webapp.pages import FOCUS_LIST_MAX

    at = make_app(monkeypatch, data=large_graph(tmp_path / "big"), query={"style": "network"})  # 3,007 nodes
    box = widget(at, "selectbox", "w:focus")
    assert len(box.options) == FOCUS_LIST_MAX  # "(whole map)" and the first papers in guide order
    assert any("3007" in c.value and str(FOCUS_LIST_MAX) in c.value for c in at.sidebar.caption)
    run(at, widget(at, "text_input", "w:search").input("Concept 1599"))  # far past the list's end
    box = widget(at, "selectbox", "w:focus")
    assert box.value == "c1599" and box.options[-1].startswith("概念 1599")  # added at the end, shown by name
    assert len(box.options) == FOCUS_LIST_MAX + 1 and not at.exception


def test_plan_for_clip_is_exactly_clip_and_what_it_needs(monkeypatch):
    """Typing "CLIP" and Enter plans for CLIP only: its prerequisites, then CLIP (an exact name wins)."""
    from papergraph.load import default_data_dir, load_graph
    from papergraph.order import plan_papers
    from papergraph.query import prerequisites

    at = make_app(monkeypatch, data=default_data_dir(), query={"view": "plan", "lang": "en"})
    run(at, at.text_input(key="w:plan_target").input("CLIP"))
    assert at.session_state["pg:targets"] == ["clip"]
    G = load_graph(default_data_dir())
    rows = at.dataframe[0].value
    ids = list(rows[next(c for c in rows.columns if c.lower() == "id")])
    assert ids == plan_papers(G, ["clip"]) and set(ids) == set(prerequisites(G, "clip").papers) | {"clip"}


def test_the_map_opens_on_the_roadmap(monkeypatch):
    at = make_app(monkeypatch, query={"lang": "en"})
    assert at.session_state["pg:style"] == "roadmap"
    assert any("papers are numbered in reading order" in c.value for c in at.caption)
