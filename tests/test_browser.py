"""The explorer and the standalone map in a real browser: offline, safe, clickable, bilingual.

Uses Debian's Chromium at /usr/bin/chromium through Playwright (never
``playwright install``). Screenshots go to tests/artifacts/ (git-ignored).
Every page records its requests, console messages and dialogs: nothing may
leave the machine, nothing may log an error, no script from the data may run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from explorer_support import ARTIFACTS, QUESTIONS, TOOLS, XSS_IMG, XSS_SCRIPT, stage_graph, xss_graph
from playwright import sync_api

CHROMIUM = "/usr/bin/chromium"


def test_chromium_is_installed():
    """The browser tests need Debian's chromium (scripts/test.sh installs it); without it CI fails, never skips."""
    assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}: run scripts/test.sh, or apt-get install chromium"

ROOT = ARTIFACTS.parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LOCAL = ("http://127.0.0.1:", "http://localhost:", "ws://127.0.0.1:", "file:", "data:", "blob:", "about:")
WAIT = 60_000  # ms


class Watch:
    """Requests, console errors, page errors and dialogs of one page."""

    def __init__(self, page):
        self.requests, self.errors, self.dialogs = [], [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self):
        outside = [u for u in self.requests if not u.startswith(LOCAL)]
        assert not outside, f"requests left the machine: {outside}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.dialogs, f"a script from the data ran: {self.dialogs}"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def xss_dir(tmp_path_factory):
    """The curriculum with hostile labels, tools and self-check questions."""
    d = xss_graph(tmp_path_factory.mktemp("xss"))
    return stage_graph(d, base=d)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(xss_dir, tmp_path_factory):
    """The explorer served by Streamlit on a free loopback port (the curriculum with hostile labels)."""
    port = _free_port()
    log = open(tmp_path_factory.mktemp("server") / "streamlit.log", "w+", encoding="utf-8")  # noqa: SIM115
    env = dict(os.environ, PAPERGRAPH_CACHE_DIR=str(tmp_path_factory.mktemp("cache")))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--", "--data", str(xss_dir)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not become healthy in 60 s")
            time.sleep(0.25)
        yield url + "/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def map_frame(page, lang=None):
    """The frame holding the drawn map (``data-ready`` set after vis-network's first drawing)."""
    deadline = time.monotonic() + WAIT / 1000
    while time.monotonic() < deadline:
        for f in page.frames:
            try:
                ok = f.evaluate("() => document.body && document.body.getAttribute('data-ready') === '1'"
                                " ? document.documentElement.lang : null")
            except sync_api.Error:  # a frame being replaced as the app reruns
                continue
            if ok and (lang is None or ok == lang):
                return f
        page.wait_for_timeout(100)
    raise AssertionError("the map was not drawn")


def click_node(page, frame, node):
    """A real mouse click on ``node`` in the map's canvas."""
    inner = frame.parent_frame is not None
    if inner:
        frame.frame_element().scroll_into_view_if_needed()
    pos = frame.evaluate("""id => {
        const g = window.papergraph, r = document.getElementById('pg-map').getBoundingClientRect();
        let p = g.network.canvasToDOM(g.network.getPositions([id])[id]);
        if (p.x < 40 || p.y < 40 || p.x > r.width - 40 || p.y > r.height - 40) {  // pan it into view, as a reader would
            g.network.moveTo({position: g.network.getPositions([id])[id], animation: false});
            p = g.network.canvasToDOM(g.network.getPositions([id])[id]);
        }
        return {x: p.x + r.left, y: p.y + r.top};
    }""", node)
    box = frame.frame_element().bounding_box() if inner else {"x": 0, "y": 0}
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    frame.wait_for_selector(f'#pg-card[data-node="{node}"]', timeout=WAIT)
    return frame.inner_text("#pg-card")


def close_card(frame):
    """Close the card, and go back from a paper's path to the whole roadmap."""
    frame.click("#pg-card-close")
    frame.wait_for_selector("#pg-card", state="hidden")
    frame.evaluate("() => window.papergraph.exitFocus()")


def test_app_in_a_browser(browser, server, xss_dir):
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, locale="zh-CN")
    watch = Watch(page)
    page.goto(server, wait_until="domcontentloaded")
    frame = map_frame(page, "zh-CN")
    assert frame.locator("#pg-map canvas").count() == 1
    page.get_by_text(f"papergraph · {xss_dir.name}").first.wait_for(timeout=WAIT)  # the loaded curriculum's name
    shot(page, "app-map-zh.png")

    card = click_node(page, frame, "transformer")
    assert "Attention Is All You Need" in card and "先读这些论文" in card and "它解锁的论文" in card
    assert "Ashish Vaswani" in card and "序列到序列" in card
    shot(page, "app-card-zh.png")
    close_card(frame)

    card = click_node(page, frame, "s1-foundation")  # a stage: its progress, tools with links, questions
    assert "0/3 篇 · 0/2 题" in card and "准备好进入下一阶段了吗？" in card
    assert QUESTIONS["q1-residual"][1] in card and "PyTorch 深度学习框架" in card
    assert TOOLS["pytorch"] in frame.eval_on_selector_all("#pg-card a", "as => as.map(a => a.href)")
    shot(page, "app-stage-card-zh.png")
    close_card(frame)

    card = click_node(page, frame, "xss-img")
    assert frame.inner_text("#pg-card h2") == XSS_IMG
    assert XSS_SCRIPT in card and frame.locator("#pg-card img, #pg-card script").count() == 0
    shot(page, "app-xss.png")
    close_card(frame)

    page.get_by_text("English", exact=True).first.click()
    frame = map_frame(page, "en")
    page.get_by_text("papers are numbered in reading order", exact=False).first.wait_for(timeout=WAIT)
    card = click_node(page, frame, "bert")
    assert "Read first" in card and "Bidirectional pre-training then fine-tuning." in card
    shot(page, "app-card-en.png")

    search = page.get_by_label("Search (English, Chinese, alias or arXiv id)")
    search.fill("扩散 Transformer")
    search.press("Enter")
    page.get_by_role("heading", name="DiT").wait_for(timeout=WAIT)
    frame = map_frame(page, "en")
    frame.wait_for_selector('#pg-card[data-node="dit"]', timeout=WAIT)  # the focus opens its card in the map too
    assert "扩散 Transformer" in page.inner_text("section.stMain, [data-testid='stMain'], body")
    shot(page, "app-focus-en.png")
    watch.assert_clean()
    page.close()


def test_standalone_map_offline_and_safe(browser, xss_dir, tmp_path):
    from papergraph import viz
    from papergraph.load import load_graph

    out = tmp_path / "map.html"
    viz.write_html(load_graph(xss_dir, cache=False), out, "zh", view="network")  # the concept network's legend
    page = browser.new_page(viewport={"width": 1400, "height": 850})
    watch = Watch(page)
    page.goto(out.as_uri())
    frame = map_frame(page, "zh-CN")
    assert page.locator("#pg-map canvas").count() == 1
    assert "图例" in page.inner_text("#pg-legend") and "需要 (前置)" in page.inner_text("#pg-legend")
    card = click_node(page, frame, "dit")
    assert card.startswith("×") or "扩散 Transformer" in card
    assert "先读这些论文" in card and "Scalable Diffusion Models with Transformers" in card
    shot(page, "html-card-zh.png")

    for query, expected in ((XSS_IMG, XSS_IMG), ("[click](javascript:alert(1))", XSS_SCRIPT)):
        page.fill("#pg-search", query)
        page.press("#pg-search", "Enter")
        page.wait_for_function("t => document.querySelector('#pg-card h2').textContent === t", arg=expected)
    assert page.locator("img").count() == 0
    shot(page, "html-xss.png")

    page.click('#pg-legend [data-relation="cites"]')
    hidden = page.evaluate("() => window.papergraph.edges.get({filter: e => e.relation === 'cites'})"
                           ".every(e => e.hidden === true)")
    assert hidden
    page.fill("#pg-search", "no such thing at all")
    page.press("#pg-search", "Enter")
    assert "没有与“no such thing at all”匹配的节点。" in page.inner_text("#pg-message")
    watch.assert_clean()
    assert all(u.startswith("file:") for u in watch.requests)
    page.close()


def test_standalone_stage_card(browser, xss_dir, tmp_path):
    """Clicking a stage in the standalone page opens its card: goal, weeks, papers, tools with links, questions."""
    from papergraph import viz
    from papergraph.load import load_graph

    G = load_graph(xss_dir, cache=False)
    for lang, i in (("zh", 1), ("en", 0)):
        out = tmp_path / f"stages-{lang}.html"
        viz.write_html(G, out, lang)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        watch = Watch(page)
        page.goto(out.as_uri())
        frame = map_frame(page)
        card = click_node(page, frame, "s1-foundation")
        for q in ("q1-residual", "q1-word-vectors"):
            assert QUESTIONS[q][i] in card
        assert ("自测问题" if lang == "zh" else "Self-check questions") in card
        assert ("2 周" if lang == "zh" else "2 weeks") in card
        links = page.eval_on_selector_all("#pg-card a", "as => as.map(a => [a.href, a.target, a.rel])")
        assert [TOOLS["pytorch"], "_blank", "noopener noreferrer"] in links
        assert [TOOLS["gensim"], "_blank", "noopener noreferrer"] in links
        assert page.locator("#pg-card .pg-progress").count() == 0  # the standalone page keeps no progress
        label = page.evaluate("() => window.papergraph.nodes.get('s1-foundation').label")
        assert label.endswith("3 篇论文 · 2 道题" if lang == "zh" else "3 papers · 2 questions")
        shot(page, f"html-stage-card-{lang}.png")
        page.locator("#pg-card .pg-jump", has_text="PyTorch").first.click()  # a tool on the map: jump to its card
        frame.wait_for_selector('#pg-card[data-node="pytorch"]', timeout=WAIT)
        assert TOOLS["pytorch"] in page.eval_on_selector_all("#pg-card a", "as => as.map(a => a.href)")
        watch.assert_clean()
        page.close()


def test_standalone_map_of_the_seed_graph(browser, seed, tmp_path):
    from papergraph import viz

    for lang in ("zh", "en"):
        out = tmp_path / f"seed-{lang}.html"
        data = viz.write_html(seed, out, lang)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        watch = Watch(page)
        page.goto(out.as_uri())
        frame = map_frame(page)
        shot(page, f"seed-map-{lang}.png")
        paper = next(n["id"] for n in data["nodes"] if n["kind"] == "paper")
        card = click_node(page, frame, paper)
        assert data["cards"][paper]["label"] in card
        shot(page, f"seed-card-{lang}.png")
        watch.assert_clean()
        page.close()


# ---------------------------------------------------------------- cards computed in the page

def _all_kinds(G):
    from papergraph import viz

    return viz.kinds_present(G)


def _js_cards(browser, tmp_path, G, lang, nodes, name, **kw):
    """The full cards the page computes for ``nodes`` (their shells put in the page), and its watch."""
    from papergraph import viz

    data = viz.map_data(G, lang, **kw)
    data["cards"] = {**viz.card_shells_for(G, nodes, lang), **data["cards"]}
    out = tmp_path / f"{name}-{lang}.html"
    out.write_text(viz.render_html(data), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    watch = Watch(page)
    page.goto(out.as_uri())
    map_frame(page)
    got = {}
    nodes = list(nodes)
    for i in range(0, len(nodes), 200):
        chunk = nodes[i:i + 200]
        got.update(zip(chunk, page.evaluate("ids => ids.map(id => window.papergraph.fullCard(id))", chunk)))
    return page, watch, got


def _compare(G, lang, got, nodes):
    import json

    from papergraph import viz

    bad = []
    for n in nodes:
        want = json.loads(json.dumps(viz.card(G, n, lang)))
        if got[n] != want:
            mine = {s["heading"]: s for s in got[n]["sections"]} if got[n] else {}
            diff = [s["heading"] for s in want["sections"] if mine.get(s["heading"]) != s]
            bad.append((n, diff or "fields"))
    assert not bad, f"{len(bad)} cards differ from papergraph.viz.cards.card ({lang}): {bad[:10]}"


def _graphs(seed, xss_dir, tmp_path_factory):
    from explorer_support import CURRICULUM, MINIMAL, large_graph

    from papergraph.load import load_graph

    big = load_graph(large_graph(tmp_path_factory.mktemp("large")), cache=False)
    sample = sorted(n for i, n in enumerate(sorted(big)) if i % 23 == 0 or big.nodes[n].get("kind") == "stage")
    sample += ["p0", "p1", "p2", "c0", "c1", "c5", "p1399"]  # a paper that unlocks most of the graph; the last one
    return [("seed", seed, list(seed)), ("curriculum", load_graph(CURRICULUM, cache=False), None),
            ("xss-stages", load_graph(xss_dir, cache=False), None), ("minimal", load_graph(MINIMAL, cache=False), None),
            ("large", big, sample)]


def test_cards_computed_in_the_page_match_python(browser, seed, xss_dir, tmp_path, tmp_path_factory):
    """For every node (a sample of the large graph), the page's card equals ``papergraph.viz.cards.card``.

    The map carries shells; the page computes prerequisites with their reason chains, what a paper
    unlocks, background concepts and a stage's papers and concepts from the order graph, including
    the truncation at CARD_LIMIT and the "… and N more" line.
    """
    checked_more = False
    for name, G, nodes in _graphs(seed, xss_dir, tmp_path_factory):
        nodes = nodes if nodes is not None else list(G)
        for lang in ("zh", "en"):
            page, watch, got = _js_cards(browser, tmp_path, G, lang, nodes, name)
            _compare(G, lang, got, nodes)
            checked_more = checked_more or any(s["more"] for c in got.values() if c for s in c["sections"])
            watch.assert_clean()
            page.close()
    assert checked_more, "no card was long enough to test the truncation"


def test_stage_card_with_progress_computed_in_the_page(browser, xss_dir, tmp_path):
    """The app's map: a stage's papers are computed in the page and ticked as the learner's progress says."""
    import json

    from papergraph import viz
    from papergraph.load import load_graph
    from papergraph.progress import stage_progress
    from papergraph.viz.mapdata import _with_progress

    G = load_graph(xss_dir, cache=False)
    read, ticked = ["word2vec", "resnet", "bert"], ["q1-residual"]
    for lang in ("zh", "en"):
        page, watch, got = _js_cards(browser, tmp_path, G, lang, [], "progress", read=read, ticked=ticked)
        got = page.evaluate("() => window.papergraph.fullCard('s1-foundation')")
        want = _with_progress(viz.card(G, "s1-foundation", lang),
                              stage_progress(G, "s1-foundation", read, ticked), G, lang)
        assert got == json.loads(json.dumps(want))
        papers = next(s for s in got["sections"] if s["key"] == "papers")
        assert [(it["id"], it["done"]) for it in papers["items"]] == [
            ("word2vec", True), ("seq2seq", False), ("resnet", True)]
        card = click_node(page, map_frame(page), "s1-foundation")
        assert card.count("☑") == 3 and card.count("☐") == 2  # two papers and one question ticked
        watch.assert_clean()
        page.close()


# ---------------------------------------------------------------- the roadmap (issue 13)

VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}


def _visible(page):
    return page.evaluate("""() => {
        const g = window.papergraph;
        return {nodes: g.nodes.get({filter: n => !n.hidden}).map(n => n.id),
                edges: g.edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to, e.relation])};
    }""")


def _label_px(page):
    """The on-screen size (CSS px) of every drawn paper card's text at the current zoom."""
    return page.evaluate("""() => {
        const g = window.papergraph, s = g.network.getScale();
        return g.nodes.get({filter: n => !n.hidden && n.kind === 'paper'}).map(n => n.font.size * s);
    }""")


def test_roadmap_first_view(browser, seed, tmp_path):
    """Both languages, laptop and phone: legible cards, start here and next marked with nothing read, a text list."""
    from papergraph import viz
    from papergraph.roadmap import roadmap

    r = roadmap(seed)
    flagged = {n for n in seed if seed.nodes[n].get("flag")}
    for lang in ("zh", "en"):
        out = tmp_path / f"road-{lang}.html"
        viz.write_html(seed, out, lang)
        for name, (w, h) in VIEWPORTS.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            watch = Watch(page)
            page.goto(out.as_uri())
            map_frame(page)
            assert page.evaluate("() => document.documentElement.lang").startswith(lang)
            shot(page, f"roadmap-{name}-{lang}.png")
            sizes = _label_px(page)
            assert sizes and min(sizes) >= 12, f"paper labels at the default zoom on the {name}: {min(sizes):.1f} px"
            vis = _visible(page)
            assert set(vis["nodes"]) >= set(r.start) | set(r.next)  # drawn with nothing read
            assert not {e[2] for e in vis["edges"]} - {"read_first"}  # paper-to-paper arrows only
            assert not flagged & set(r.next) and flagged <= set(page.evaluate("() => window.papergraph.data.roadmap.flagged"))
            marks = page.evaluate("() => Object.fromEntries(window.papergraph.nodes.get({filter: n => n.mark})"
                                  ".map(n => [n.id, n.mark]))")
            assert [k for k, v in marks.items() if v == "start"] == r.start
            assert {k for k, v in marks.items() if v == "next"} == set(r.next) - set(r.start)
            start_word = "从这里开始" if lang == "zh" else "Start here"
            assert start_word in page.evaluate("() => window.papergraph.nodes.get(%r).label" % r.start[0])
            items = page.locator("#pg-list button[data-paper]")
            assert items.count() == len(r.order)  # the same papers as text
            assert start_word in page.inner_text("#pg-list")
            assert page.get_attribute("#pg-map canvas", "aria-label")
            if name == "phone":
                assert page.evaluate("() => window.papergraph.state().spine")
                assert page.evaluate("() => !document.getElementById('pg-legend').open")
            watch.assert_clean()
            assert all(u.startswith("file:") for u in watch.requests)
            page.close()


def test_focus_on_dit_draws_only_what_to_read_first(browser, seed, tmp_path):
    from papergraph import viz
    from papergraph.query import prerequisites, unlocks

    out = tmp_path / "road-en.html"
    viz.write_html(seed, out, "en")
    for name, (w, h) in VIEWPORTS.items():
        page = browser.new_page(viewport={"width": w, "height": h})
        watch = Watch(page)
        page.goto(out.as_uri())
        frame = map_frame(page)
        page.focus("#pg-list button[data-paper='dit']")
        page.keyboard.press("Enter")  # from the text list, by keyboard
        page.wait_for_selector('#pg-card[data-node="dit"]')
        want = set(prerequisites(seed, "dit").papers) | {"dit"}
        vis = _visible(page)
        assert set(vis["nodes"]) == want
        assert vis["edges"] and all(a in want and b in want and rel == "read_first" for a, b, rel in vis["edges"])
        assert min(_label_px(page)) >= 12
        items = page.locator("#pg-card ol.pg-readfirst > li")
        assert items.count() == len(want) - 1  # a numbered read-first list
        direct = set(prerequisites(seed, "dit", direct=True).papers)
        assert page.locator("#pg-card ol.pg-readfirst .pg-badge-direct").count() == len(direct)
        shot(page, f"roadmap-focus-dit-{name}.png")
        assert not unlocks(seed, "dit").papers and page.locator("#pg-card-toggle").count() == 0
        page.locator("#pg-card ol.pg-readfirst button", has_text="ViT").first.click()  # a paper of the list
        page.wait_for_selector('#pg-card[data-node="vit"]')
        page.click("#pg-card-toggle")  # what it unlocks, one click away
        after = set(unlocks(seed, "vit").papers) | {"vit"}
        assert set(_visible(page)["nodes"]) == after
        page.keyboard.press("Escape")  # the card closes and the keyboard focus goes back to the list
        frame.wait_for_selector("#pg-card", state="hidden")
        assert page.evaluate("() => document.activeElement.getAttribute('data-paper')") == "dit"
        page.keyboard.press("Escape")  # back to the whole roadmap
        assert len(_visible(page)["nodes"]) > len(want)
        watch.assert_clean()
        page.close()


def test_layers_switch_on_and_labels_hide_when_too_small(browser, seed, tmp_path):
    from papergraph import viz

    out = tmp_path / "layers-zh.html"
    viz.write_html(seed, out, "zh")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    watch = Watch(page)
    page.goto(out.as_uri())
    map_frame(page)
    page.check('#pg-legend input[data-layer="concepts"]')
    kinds = page.evaluate("() => [...new Set(window.papergraph.nodes.get({filter: n => !n.hidden}).map(n => n.kind))]")
    assert "concept" in kinds
    shot(page, "roadmap-concepts-zh.png")
    threshold = page.evaluate("() => window.papergraph.data.options.nodes.scaling.label.drawThreshold")
    assert threshold >= 12  # vis-network draws no label below threshold - 1 px: legible or hidden
    page.uncheck('#pg-legend input[data-layer="concepts"]')
    assert "concept" not in page.evaluate(
        "() => window.papergraph.nodes.get({filter: n => !n.hidden}).map(n => n.kind)")
    watch.assert_clean()
    page.close()


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory):
    """The explorer on the seed graph."""
    from papergraph.load import default_data_dir

    port = _free_port()
    log = open(tmp_path_factory.mktemp("seedserver") / "streamlit.log", "w+", encoding="utf-8")  # noqa: SIM115
    env = dict(os.environ, PAPERGRAPH_CACHE_DIR=str(tmp_path_factory.mktemp("seedcache")))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--", "--data", str(default_data_dir())],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not become healthy in 60 s")
            time.sleep(0.25)
        yield url + "/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_app_roadmap_and_plan_for_clip(browser, seed, seed_server):
    """The app on the seed graph: the roadmap at both viewports in both languages, lang set, CLIP's plan."""
    from papergraph.order import plan_papers
    from papergraph.query import prerequisites

    for lang, locale in (("zh", "zh-CN"), ("en", "en-US")):
        for name, (w, h) in VIEWPORTS.items():
            page = browser.new_page(viewport={"width": w, "height": h}, locale=locale)
            watch = Watch(page)
            page.goto(seed_server + f"?lang={lang}", wait_until="domcontentloaded")
            frame = map_frame(page)
            page.wait_for_function("l => document.documentElement.lang === l", arg=lang, timeout=WAIT)
            sizes = frame.evaluate("""() => {
                const g = window.papergraph, s = g.network.getScale();
                return g.nodes.get({filter: n => !n.hidden && n.kind === 'paper'}).map(n => n.font.size * s);
            }""")
            assert min(sizes) >= 12
            assert frame.evaluate("() => window.papergraph.nodes.get({filter: n => n.mark === 'start'}).length") == 1
            shot(page, f"app-roadmap-{name}-{lang}.png")
            watch.assert_clean()
            page.close()
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="en-US")
    watch = Watch(page)
    page.goto(seed_server + "?lang=en&view=plan", wait_until="domcontentloaded")
    box = page.get_by_label("Plan for one paper (name, alias or arXiv id; Enter)")
    box.fill("CLIP")
    box.press("Enter")
    page.get_by_text("Planning for: CLIP").first.wait_for(timeout=WAIT)
    want = plan_papers(seed, ["clip"])
    assert set(want) == set(prerequisites(seed, "clip").papers) | {"clip"}
    page.wait_for_function("n => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > 0 &&"
                           " document.body.innerText.includes(n + ' papers')", arg=str(len(want)), timeout=WAIT)
    shot(page, "app-plan-clip-en.png")
    watch.assert_clean()
    page.close()
