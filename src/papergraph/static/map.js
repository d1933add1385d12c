/* papergraph concept map: search, click-for-card, highlight, legend, stage progress.
 *
 * Data comes from JSON islands written by papergraph.viz.html.render_html:
 * #pg-nodes, #pg-edges and #pg-options as pyvis holds them, #pg-data
 * (legend, card shells, strings) from papergraph.viz.mapdata.map_data, and
 * #pg-order, the compact order graph of papergraph.viz.ordergraph, read only
 * when a card is first opened: the sections of a card that walk the reading
 * order are computed here, then (see "cards computed in the page").
 * Every piece of data is shown with textContent or as a DOM property; nothing
 * from the data is ever parsed as HTML.
 */
(function () {
  "use strict";

  function island(id) { return JSON.parse(document.getElementById(id).textContent); }
  var data = island("pg-data");
  data.nodes = island("pg-nodes");
  data.edges = island("pg-edges");
  data.options = island("pg-options");
  var S = data.strings || {};
  var FADED = data.faded || {};
  var RM = data.roadmap || null;  // the roadmap (papergraph.viz.roadmapview), or null for the concept network
  var focusState = null;          // {id, dir: "before" | "after", ids} while one paper's path is shown

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function isWeb(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }
  function link(url, text, cls) {
    var a = el("a", cls, text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function setMessage(text) { document.getElementById("pg-message").textContent = text || ""; }

  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("pg-map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  // ------------------------------------------------------------------ cards computed in the page
  // data.cards holds each drawn node's shell (papergraph.viz.cards.card(..., lazy=True)): the sections
  // that walk the reading order or read a node's in-edges are placeholders {compute[, key, done]} (their
  // heading, key and empty text in data.computed[compute]), and a section
  // of papers, concepts or stages without details names them {heading, key, ids, more, empty}. fullCard fills
  // them in from the order graph with ports of papergraph.query (_walk, prerequisites, unlocks, explain),
  // papergraph.order.reading_order and papergraph.cards (stage_papers, stage_card), and gives exactly
  // the dict papergraph.viz.cards.card gives (tests/test_browser.py compares them node by node).
  var LIMIT = data.card_limit || 40;
  var OG = null;

  function orderGraph() {
    if (OG !== null) { return OG; }
    var g = island("pg-order");
    if (!g) { OG = false; return OG; }
    var ix = g.index, n = ix.ids.length, i, k;
    var core = PGCore.open(ix);
    var at = new Map(), intro = [], into = [], edge = new Map(), code = {};
    g.rels.forEach(function (r, c) { code[r[0]] = c; });
    for (i = 0; i < n; i++) { at.set(ix.ids[i], i); intro.push([]); into.push([]); }
    var e = g.edges, introduces = code.introduces;
    for (k = 0; k < e.length; k += 3) {
      var u = e[k], v = e[k + 1], r = e[k + 2];
      if (r === introduces) { intro[u].push(v); }
      into[v].push([u, r]);  // edges come target by target, each target's in the order of G.in_edges
      if (!edge.has(u * n + v)) { edge.set(u * n + v, r); }  // the first ordering relation of u → v, as explain picks it
    }
    function byRow(a, b) { return (g.row[a] < g.row[b] ? -1 : g.row[a] > g.row[b] ? 1 : 0) || byId(a, b); }
    function byId(a, b) { return ix.ids[a] < ix.ids[b] ? -1 : ix.ids[a] > ix.ids[b] ? 1 : 0; }
    for (i = 0; i < n; i++) { intro[i].sort(byRow); }
    var related = [];
    for (i = 0; i < n; i++) { related.push([]); }
    for (k = 0; k < g.related.length; k += 2) { related[g.related[k]].push(g.related[k + 1]); related[g.related[k + 1]].push(g.related[k]); }
    OG = { g: g, ix: ix, core: core, n: n, at: at, intro: intro, into: into, related: related, code: code,
           edge: edge, byId: byId, ids: ix.ids, kinds: ix.kinds, kind: ix.kind };
    return OG;
  }

  function isPaper(G, i) { return G.core.isPaper(i); }
  function chain(parent, node) { return OG.core.chain(parent, node).reverse(); }  // node, its parent, … the start

  // query.explain: a reason chain in words
  function explain(G, ids) {
    var g = G.g, parts = ids.length ? [g.labels[ids[0]]] : [];
    for (var k = 0; k + 1 < ids.length; k++) {
      var x = ids[k], y = ids[k + 1], r = G.edge.get(x * G.n + y), word = "?";
      if (r !== undefined) { word = g.rels[r][2]; }
      else if ((r = G.edge.get(y * G.n + x)) !== undefined) { word = g.rels[r][3]; }
      parts.push(word, g.labels[y]);
    }
    return parts.join(" → ");
  }

  function moreText(more) { return more ? String(S.card_more).split("{n}").join(String(more)) : ""; }

  function section(G, ph, ids, detail, done) {  // viz.cards._section
    var g = G.g, items = [];
    for (var k = 0; k < ids.length && k < LIMIT; k++) {
      var i = ids[k];
      var it = { id: G.ids[i], label: g.labels[i], kind: G.kinds[G.kind[i]], detail: detail ? detail(i) : "" };
      if (it.kind === "tool") { it.url = g.urls[String(i)] || ""; }
      if (done) { it.done = done.has(it.id); }
      items.push(it);
    }
    var more = Math.max(0, ids.length - LIMIT);
    return { heading: ph.heading, key: ph.key, items: items, more: more, more_text: moreText(more), empty: ph.empty };
  }

  function named(G, s) {  // a shell's section given by ids: its items, labels and kinds from the order graph
    var sec = section(G, s, s.ids.map(function (id) { return G.at.get(id); }), null, s.done ? new Set(s.done) : null);
    sec.more = s.more;
    sec.more_text = moreText(s.more);
    return sec;
  }

  // the walks are papergraph.core's, through PGCore (static/pgcore.js)
  function prerequisites(G, node) { return G.core.prerequisites(node, false); }
  function unlocks(G, node) {
    var u = G.core.unlocks(node);
    return { papers: u.papers, direct: new Set(u.direct), parent: u.parent };
  }
  function stagePapers(G, stage) { return G.core.stagePapers(stage); }

  function computed(G, node, ph, memo) {
    var g = G.g, done = ph.done ? new Set(ph.done) : null;
    if (ph.compute === "prereqs" || ph.compute === "background" || ph.compute === "recommended") {
      var r = memo.pre || (memo.pre = prerequisites(G, node));
      if (ph.compute === "background") { return section(G, ph, r.background); }
      if (ph.compute === "recommended") {  // the target → uses → a component → introduced by → p
        return section(G, ph, r.recommended, function (p) { return explain(G, [node, r.via.get(p), p]); });
      }
      return section(G, ph, r.papers, function (p) { return explain(G, chain(r.parent, p).reverse()); });  // the target … p
    }
    if (ph.compute === "unlocks") {
      var u = unlocks(G, node);
      return section(G, ph, u.papers, function (p) {
        var w = chain(u.parent, p);  // p … node
        if (u.direct.has(p)) { return S.card_direct + " · " + explain(G, w); }
        for (var k = 1; k < w.length; k++) {
          if (isPaper(G, w[k])) {
            return w[k] !== node ? String(S.card_via).split("{name}").join(g.labels[w[k]]) : "";
          }
        }
        return "";
      });
    }
    var rel = { introduced_by: "introduces", required_by: "requires", follows: "precedes" }[ph.compute];
    if (rel) {  // viz.cards._in: the sources of the node's in-edges of one relation, in the order of G.in_edges
      var c = G.code[rel], from = [];
      G.into[node].forEach(function (e) { if (e[1] === c) { from.push(e[0]); } });
      return section(G, ph, from);
    }
    if (ph.compute === "related") {  // sorted(set(out) | set(in)) of related_to, by id
      var both = Array.from(new Set(G.related[node]));
      both.sort(G.byId);
      return section(G, ph, both);
    }
    if (ph.compute === "stage_papers" || ph.compute === "stage_concepts") {
      var papers = memo.stage || (memo.stage = stagePapers(G, node));
      if (ph.compute === "stage_papers") { return section(G, ph, papers, null, done); }
      var seen = new Set(), concepts = [];
      papers.forEach(function (p) {
        G.intro[p].forEach(function (c) { if (!seen.has(c)) { seen.add(c); concepts.push(c); } });
      });
      return section(G, ph, concepts, null, done);
    }
    return null;
  }

  var fullCards = {};
  function fullCard(id) {  // the card of a drawn node, its placeholders filled in (remembered)
    if (fullCards[id]) { return fullCards[id]; }
    var shell = data.cards[id];
    if (!shell) { return null; }
    var c = {}, G = null, node = -1, memo = {};
    Object.keys(shell).forEach(function (k) { c[k] = shell[k]; });
    c.sections = [];
    (shell.sections || []).forEach(function (s) {
      if (!s.compute && !s.ids) { c.sections.push(s); return; }
      if (G === null) { G = orderGraph(); node = G && G.at.has(id) ? G.at.get(id) : -1; }
      if (!G) { return; }
      var ph = s;
      if (s.compute) {
        var base = (data.computed || {})[s.compute] || {};
        ph = { heading: base.heading, key: base.key || "", empty: base.empty || "", compute: s.compute, done: s.done };
      }
      var sec = s.ids ? named(G, s) : node >= 0 ? computed(G, node, ph, memo) : null;
      if (sec && (sec.items.length || sec.empty)) { c.sections.push(sec); }
    });
    fullCards[id] = c;
    return c;
  }

  // ------------------------------------------------------------------ card
  var card = document.getElementById("pg-card");
  var cardBody = document.getElementById("pg-card-body");
  var closeBtn = document.getElementById("pg-card-close");
  closeBtn.title = S.close || "";
  closeBtn.setAttribute("aria-label", S.close || "");

  function showCard(id) {
    var c = fullCard(id);
    if (!c) { return false; }
    clear(cardBody);
    cardBody.appendChild(el("div", "pg-kind", c.kind_label + (c.stage ? " · " + c.stage : "")));
    cardBody.appendChild(el("h2", "pg-name", c.label));
    if (c.subtitle) { cardBody.appendChild(el("div", "pg-sub", c.subtitle)); }
    if (c.title && c.title !== c.label) { cardBody.appendChild(el("p", "pg-title", c.title)); }
    if (c.flag) { cardBody.appendChild(el("p", "pg-flag", c.flag + (c.note ? " — " + c.note : ""))); }
    if (c.facts && c.facts.length) {
      var dl = el("dl", "pg-facts");
      c.facts.forEach(function (f) { dl.appendChild(el("dt", null, f[0])); dl.appendChild(el("dd", null, f[1])); });
      cardBody.appendChild(dl);
    }
    if (isWeb(c.url)) { cardBody.appendChild(link(c.url, c.url_label + " ↗", "pg-link")); }
    if (c.text) {
      cardBody.appendChild(el("h3", null, c.text_heading));
      cardBody.appendChild(el("p", "pg-text", c.text));
    }
    if (c.note && !c.flag) {
      cardBody.appendChild(el("h3", null, S.card_note));
      cardBody.appendChild(el("p", "pg-text", c.note));
    }
    if (c.progress) {
      var pr = el("div", "pg-progress" + (c.progress.done ? " pg-done" : ""));
      var bar = el("div", "pg-bar");
      var fill = el("span");
      fill.style.width = Math.round(100 * (c.progress.fraction || 0)) + "%";
      bar.appendChild(fill);
      pr.appendChild(bar);
      pr.appendChild(el("div", "pg-progress-text", c.progress.text));
      pr.appendChild(el("div", "pg-ready", (c.progress.done ? "✓ " : "") + c.progress.ready_heading + " " + c.progress.ready));
      cardBody.appendChild(pr);
    }
    var extra = RM ? cardExtras(id, c) : null;
    if (extra && extra.action) { cardBody.appendChild(extra.action); }
    (c.sections || []).forEach(function (s) {
      cardBody.appendChild(el("h3", null, s.heading));
      if (!s.items.length) { cardBody.appendChild(el("p", "pg-empty", s.empty)); return; }
      if (extra && s.heading === extra.readFirst) { cardBody.appendChild(readFirstList(s, extra.direct)); return; }
      if (RM && s.items.every(function (it) { return it.kind === "concept"; })) { cardBody.appendChild(chips(s)); return; }
      var ul = el("ul", "pg-list" + (s.key ? " pg-list-" + s.key : ""));
      s.items.forEach(function (it) {
        var li = el("li");
        var b;
        if (it.done === true || it.done === false) {
          li.className = it.done ? "pg-item-done" : "pg-item-todo";
          li.appendChild(el("span", "pg-tick", it.done ? "☑" : "☐"));
        }
        if (byId[it.id]) {
          b = el("button", "pg-jump", it.label);
          b.type = "button";
          b.addEventListener("click", function () { select(it.id); });
        } else {
          b = el("span", "pg-item", it.label);
        }
        li.appendChild(b);
        if (isWeb(it.url)) { li.appendChild(document.createTextNode(" ")); li.appendChild(link(it.url, it.url + " ↗", "pg-item-link")); }
        if (it.detail) { li.appendChild(el("div", "pg-why", it.detail)); }
        ul.appendChild(li);
      });
      if (s.more_text) { ul.appendChild(el("li", "pg-more", s.more_text)); }
      cardBody.appendChild(ul);
    });
    if (card.hidden) { opener = document.activeElement; }
    card.hidden = false;
    card.scrollTop = 0;
    card.setAttribute("data-node", id);
    card.setAttribute("aria-label", c.label);
    return true;
  }
  var opener = null;  // what had the keyboard focus when the card opened: it gets it back when the card closes
  function hideCard() {
    var was = !card.hidden;
    card.hidden = true;
    card.removeAttribute("data-node");
    if (was && opener && RM && listBox.hidden && listBox.contains(opener)) { listWas = false; setList(true); }
    if (was && opener && opener !== document.body && document.contains(opener)) {
      try { opener.focus(); } catch (e) { /* an element that cannot take focus */ }
    }
    opener = null;
  }
  closeBtn.addEventListener("click", function () { hideCard(); if (!RM) { restore(); } });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") { return; }
    if (!card.hidden) { ev.preventDefault(); hideCard(); if (!RM) { restore(); } }
    else if (RM && focusState) { ev.preventDefault(); exitFocus(); }
  });

  // ------------------------------------------------------------------ the roadmap's card: read first, chips, unlocks
  function cardExtras(id, c) {
    var G = orderGraph();
    if (!G || !G.at.has(id) || c.kind !== "paper") { return null; }
    var i = G.at.get(id), direct = new Set();
    G.core.prerequisites(i, true).papers.forEach(function (x) { direct.add(G.ids[x]); });
    var out = { readFirst: (data.computed.prereqs || {}).heading, direct: direct, action: null };
    if (focusState && focusState.id === id) {
      var after = focusState.dir === "after";
      var n = after ? G.core.prerequisites(i, false).papers.length : G.core.unlocks(i).papers.length;
      if (n) {
        var b = el("button", "pg-card-action", String(after ? S.map_show_prereqs : S.map_show_unlocks).split("{n}").join(String(n)));
        b.type = "button";
        b.id = "pg-card-toggle";
        b.addEventListener("click", function () { enterFocus(id, after ? "before" : "after"); showCard(id); });
        out.action = b;
      }
    }
    return out;
  }
  function readFirstList(s, direct) {
    var ol = el("ol", "pg-readfirst");
    s.items.forEach(function (it) {
      var li = el("li");
      var b = byId[it.id] ? el("button", "pg-jump", it.label) : el("span", "pg-item", it.label);
      if (byId[it.id]) { b.type = "button"; b.addEventListener("click", function () { select(it.id); }); }
      li.appendChild(b);
      if (direct.has(it.id)) { li.appendChild(el("span", "pg-badge pg-badge-direct", S.map_direct)); }
      if (it.detail) { li.appendChild(el("div", "pg-why", it.detail)); }
      ol.appendChild(li);
    });
    if (s.more_text) { ol.appendChild(el("li", "pg-more", s.more_text)); }
    return ol;
  }
  function chips(s) {
    var d = el("div", "pg-chips");
    s.items.forEach(function (it) {
      var b = el(byId[it.id] ? "button" : "span", "pg-chip", it.label);
      if (byId[it.id]) { b.type = "button"; b.addEventListener("click", function () { select(it.id); }); }
      d.appendChild(b);
    });
    if (s.more_text) { d.appendChild(el("span", "pg-more", s.more_text)); }
    return d;
  }

  // ------------------------------------------------------------------ highlight
  function fadedFont(font) {
    var f = {};
    Object.keys(font || {}).forEach(function (k) { f[k] = font[k]; });
    f.color = FADED.font;
    f.strokeWidth = 0;
    return f;
  }
  function related(id) {
    var keep = {};
    keep[id] = true;
    var c = fullCard(id);
    if (c) { c.sections.forEach(function (s) { s.items.forEach(function (it) { keep[it.id] = true; }); }); }
    return keep;
  }
  function highlight(id) {
    var keep = related(id);
    nodes.update(data.nodes.filter(function (n) { return n.kind !== "header"; }).map(function (n) {
      var base = n.base || n;
      return keep[n.id] ? { id: n.id, color: base.color, font: base.font }
                        : { id: n.id, color: FADED.node, font: fadedFont(n.font) };
    }));
    edges.update(data.edges.map(function (e) {
      var on = keep[e.from] && keep[e.to];
      return { id: e.id, color: on ? { color: e.color.highlight, highlight: e.color.highlight, hover: e.color.highlight }
                                   : { color: FADED.edge, highlight: e.color.highlight, hover: e.color.highlight } };
    }));
    setMessage(S.highlight_hint);
  }
  function restore() {
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: n.color, font: n.font }; }));
    edges.update(data.edges.map(function (e) { return { id: e.id, color: e.color }; }));
    setMessage(data.message || data.focus_text || "");
  }

  function select(id) {
    if (!byId[id]) { return false; }
    if (RM) { return roadSelect(id); }
    network.selectNodes([id]);
    showCard(id);
    highlight(id);
    var s = Math.max(network.getScale(), 0.9), W = container.clientWidth, free = freeWidth();
    network.focus(id, { scale: s, offset: { x: (free - W) / 2, y: 0 }, animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    return true;
  }

  // keep what matters out from under the card (it covers the map's right-hand side)
  function freeWidth() {
    var W = container.clientWidth;
    return card.hidden ? W : Math.max(W - card.offsetWidth - 16, W * 0.4);
  }
  function fitVisible(ids) {
    network.fit({ nodes: ids, animation: false });
    var W = container.clientWidth, free = freeWidth();
    if (free >= W) { return; }
    var s = network.getScale() * free / W, c = network.getViewPosition();
    network.moveTo({ position: { x: c.x + (W - free) / 2 / s, y: c.y }, scale: s, animation: false });
  }
  function keepVisible(id) {
    var W = container.clientWidth, free = freeWidth();
    var p = network.canvasToDOM(network.getPositions([id])[id]);
    if (p.x < free - 30) { return; }
    var s = network.getScale(), c = network.getViewPosition();
    network.moveTo({ position: { x: c.x + (p.x - free / 2) / s, y: c.y }, animation: { duration: 300, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", function (params) {
    if (RM) {
      if (params.nodes.length) { roadSelect(params.nodes[0], true); }
      else if (!params.edges.length) { hideCard(); }
      return;
    }
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (data.cards[id]) { showCard(id); highlight(id); keepVisible(id); }
    } else if (!params.edges.length) {
      hideCard();
      restore();
    }
  });

  // ------------------------------------------------------------------ search
  var input = document.getElementById("pg-search");
  var names = document.getElementById("pg-names");
  input.placeholder = S.search_placeholder || "";
  input.setAttribute("aria-label", S.search_placeholder || "");
  document.getElementById("pg-search-go").textContent = S.search_go || "";
  var seenName = {};
  data.names.forEach(function (pair) {
    if (seenName[pair[0]]) { return; }
    seenName[pair[0]] = true;
    var o = document.createElement("option");
    o.value = pair[0];
    names.appendChild(o);
  });
  function fold(s) { return String(s).toLowerCase().replace(/\s+/g, " ").trim(); }
  function find(q) {
    q = fold(q);
    if (q.indexOf("arxiv:") === 0) { q = q.slice(6).trim(); }
    if (!q) { return null; }
    var i;
    for (i = 0; i < data.names.length; i++) { if (fold(data.names[i][0]) === q) { return data.names[i][1]; } }
    for (i = 0; i < data.names.length; i++) { if (fold(data.names[i][0]).indexOf(q) >= 0) { return data.names[i][1]; } }
    return null;
  }
  function search() {
    var q = input.value;
    if (!fold(q)) { return; }
    var id = find(q);
    if (id) { select(id); } else { setMessage((data.search_none || "{q}").split("{q}").join(q)); }
  }
  document.getElementById("pg-search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search(); });
  input.addEventListener("change", search);

  var fit = document.getElementById("pg-fit");
  fit.textContent = S.fit || "";
  fit.addEventListener("click", function () {
    if (RM) { hideCard(); if (focusState) { exitFocus(); } else { homeView(); } return; }
    network.fit({ animation: { duration: 300 } });
  });

  // ------------------------------------------------------------------ legend
  var SVG = "http://www.w3.org/2000/svg";
  function svg(w, h) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", w); s.setAttribute("height", h); s.setAttribute("viewBox", "0 0 " + w + " " + h);
    return s;
  }
  function shapeIcon(shape) {
    var s = svg(22, 16), e;
    if (shape === "box") {
      e = document.createElementNS(SVG, "rect");
      e.setAttribute("x", 1); e.setAttribute("y", 3); e.setAttribute("width", 20); e.setAttribute("height", 10); e.setAttribute("rx", 2);
    } else if (shape === "hexagon") {
      e = document.createElementNS(SVG, "polygon");
      e.setAttribute("points", "6,1 16,1 21,8 16,15 6,15 1,8");
    } else if (shape === "diamond") {
      e = document.createElementNS(SVG, "polygon");
      e.setAttribute("points", "11,1 18,8 11,15 4,8");
    } else if (shape === "triangle") {
      e = document.createElementNS(SVG, "polygon");
      e.setAttribute("points", "11,2 19,14 3,14");
    } else if (shape === "square") {
      e = document.createElementNS(SVG, "rect");
      e.setAttribute("x", 5); e.setAttribute("y", 2); e.setAttribute("width", 12); e.setAttribute("height", 12);
    } else {
      e = document.createElementNS(SVG, "circle");
      e.setAttribute("cx", 11); e.setAttribute("cy", 8); e.setAttribute("r", 6);
    }
    e.setAttribute("fill", "#dde3ea"); e.setAttribute("stroke", "#4a5560"); e.setAttribute("stroke-width", 1.4);
    s.appendChild(e);
    return s;
  }
  function lineIcon(r) {
    var s = svg(36, 12);
    var l = document.createElementNS(SVG, "line");
    l.setAttribute("x1", 1); l.setAttribute("y1", 6); l.setAttribute("x2", r.arrows ? 28 : 35); l.setAttribute("y2", 6);
    l.setAttribute("stroke", r.color); l.setAttribute("stroke-width", Math.max(1, r.width));
    if (r.dashes && r.dashes.length) { l.setAttribute("stroke-dasharray", r.dashes.join(" ")); }
    s.appendChild(l);
    if (r.arrows) {
      var p = document.createElementNS(SVG, "polygon");
      p.setAttribute("points", "27,1 35,6 27,11");
      p.setAttribute("fill", r.color);
      s.appendChild(p);
    }
    return s;
  }
  function row(icon, text, cls) {
    var d = el("div", "pg-row" + (cls ? " " + cls : ""));
    d.appendChild(icon);
    d.appendChild(el("span", null, text));
    return d;
  }
  function toggler(rowEl, dataset, field, value) {
    var off = false;
    rowEl.classList.add("pg-toggle");
    rowEl.setAttribute("role", "button");
    rowEl.tabIndex = 0;
    function flip() {
      off = !off;
      rowEl.classList.toggle("pg-off", off);
      dataset.update(dataset.get({ filter: function (item) { return item[field] === value; } })
        .map(function (item) { return { id: item.id, hidden: off }; }));
    }
    rowEl.addEventListener("click", flip);
    rowEl.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); flip(); } });
  }
  (function buildLegend() {
    if (RM) { buildRoadLegend(); return; }
    var lg = data.legend, T = lg.titles;
    document.getElementById("pg-legend-title").textContent = T.legend;
    var body = document.getElementById("pg-legend-body");
    function group(title) {
      var g = el("div", "pg-group");
      g.appendChild(el("span", "pg-group-title", title));
      body.appendChild(g);
      return g;
    }
    var g;
    if (lg.stages.length) {
      g = group(T.stages);
      lg.stages.forEach(function (s) {
        var sw = el("span", "pg-swatch");
        sw.style.background = s.color;
        g.appendChild(row(sw, s.label));
      });
    }
    g = group(T.kinds);
    lg.kinds.forEach(function (k) {
      var r = row(shapeIcon(k.shape), k.label);
      r.setAttribute("data-kind", k.kind);
      toggler(r, nodes, "kind", k.kind);
      g.appendChild(r);
    });
    g = group(T.relations);
    lg.relations.forEach(function (rel) {
      var r = row(lineIcon(rel), rel.label + (rel.prerequisite ? " (" + T.prerequisite + ")" : ""));
      r.setAttribute("data-relation", rel.relation);
      toggler(r, edges, "relation", rel.relation);
      g.appendChild(r);
    });
    if (lg.state && lg.state.length) {
      g = group(T.state);
      lg.state.forEach(function (s) {
        var sw = el("span", "pg-swatch");
        if (s.state === "read" || s.state === "stage") { sw.textContent = "✓"; sw.style.color = "#5f6368"; sw.style.fontWeight = "700"; }
        else { sw.style.border = "3px solid " + s.color; sw.style.boxSizing = "border-box"; }
        g.appendChild(row(sw, s.label));
      });
    }
    body.appendChild(el("span", "pg-hint", T.toggle));
  })();


  // ------------------------------------------------------------------ the roadmap
  // Layout only: which papers come first, what must be read before what and what is next come from Python
  // (data.roadmap, papergraph.roadmap) and from PGCore (prerequisites, unlocks) over the order index.
  var layersOn = { concepts: false, citations: false, tools: false };
  var spine = false;
  var MIN_TEXT = 12.5;  // CSS pixels: a card's text is never smaller than this when a view starts
  var LINE = 23;
  var backBtn = document.getElementById("pg-back");
  var listBtn = document.getElementById("pg-list-toggle");
  var listBox = document.getElementById("pg-list");

  function nodeLayersOn() { return layersOn.concepts || layersOn.tools; }
  function basePos(n) {
    if (nodeLayersOn() && n.net) { return n.net; }
    if (spine && n.spine) { return n.spine; }
    return [n.x, n.y];
  }
  function minScale() { return MIN_TEXT / ((RM && RM.card_font) || 18); }
  function shownIds() {
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) { return n.id; });
  }
  function applyView() {
    var flat = nodeLayersOn();
    nodes.update(data.nodes.map(function (n) {
      var p = basePos(n), on = !n.layer || layersOn[n.layer];
      if (flat && n.roadmap_head && !n.net) { on = false; }  // the roadmap's own header has no place on the network
      return { id: n.id, x: p[0], y: p[1], hidden: !on };
    }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, hidden: !(e.layer === "roadmap" || !e.layer || layersOn[e.layer]),
               smooth: spine && !flat && e.layer === "roadmap" ? { enabled: true, type: "curvedCW", roundness: 0.35 }
                                                                  : { enabled: false } };
    }));
  }
  // the first view: everything drawn, never smaller than legible; too big a picture starts at its top left
  function homeView(ids) {
    ids = ids || shownIds();
    if (!ids.length) { return; }
    network.fit({ nodes: ids, animation: false });
    var s = network.getScale(), lo = minScale(), hi = spine ? 1.35 : 1.6;
    if (s >= lo && s <= hi) { return; }
    var box = null;
    ids.forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) { return; }
      box = box ? { left: Math.min(box.left, b.left), top: Math.min(box.top, b.top), right: Math.max(box.right, b.right),
                    bottom: Math.max(box.bottom, b.bottom) } : b;
    });
    var W = container.clientWidth, H = container.clientHeight, c = network.getViewPosition();
    if (spine && !nodeLayersOn()) {  // the spine: as wide as the screen, from its top
      var k = Math.max(lo, Math.min(hi, W / (box.right - box.left + 90)));
      network.moveTo({ position: { x: (box.left + box.right) / 2 + 20 / k, y: box.top - 12 + H / 2 / k }, scale: k, animation: false });
      return;
    }
    if (s > hi) { network.moveTo({ position: c, scale: hi, animation: false }); return; }
    var x = Math.min(box.left - 16 + W / 2 / lo, c.x), y = Math.min(box.top - 16 + H / 2 / lo, c.y);
    if (box.right - box.left < W / lo) { x = c.x; }
    if (box.bottom - box.top < H / lo) { y = c.y; }
    network.moveTo({ position: { x: x, y: y }, scale: lo, animation: false });
  }

  function setLayer(key, on) {
    if (!(key in layersOn)) { return; }
    layersOn[key] = !!on;
    var box = document.querySelector('#pg-legend input[data-layer="' + key + '"]');
    if (box) { box.checked = !!on; }
    if (focusState) { focusState = null; backBtn.hidden = true; }
    applyView();
    homeView();
    setMessage(nodeLayersOn() ? S.map_zoom_hint : (data.message || ""));
  }

  function cardHeight(id) { return (String(byId[id].label).split("\n").length) * LINE + 18; }

  // one paper's path: only what to read before it (dir "before") or what it unlocks ("after"), and itself,
  // as a small left-to-right picture over the read-first arrows among them
  function enterFocus(id, dir) {
    var G = orderGraph();
    if (!G || !G.at.has(id) || !byId[id] || byId[id].kind !== "paper") { return false; }
    dir = dir === "after" ? "after" : "before";
    var i = G.at.get(id);
    var found = (dir === "after" ? G.core.unlocks(i).papers : G.core.prerequisites(i, false).papers)
      .map(function (x) { return G.ids[x]; });
    var drawn = found.filter(function (x) { return byId[x] && byId[x].kind === "paper"; });
    var order = dir === "after" ? [id].concat(drawn) : drawn.concat([id]);  // a reading order of them
    var inside = new Set(order), preds = {}, layer = {};
    RM.edges.forEach(function (e) {
      if (inside.has(e[0]) && inside.has(e[1])) { (preds[e[1]] = preds[e[1]] || []).push(e[0]); }
    });
    order.forEach(function (x) {
      var l = 0;
      (preds[x] || []).forEach(function (u) { l = Math.max(l, layer[u] + 1); });
      layer[x] = l;
    });
    var cols = [];
    order.forEach(function (x) { (cols[layer[x]] = cols[layer[x]] || []).push(x); });
    var pos = {};
    cols.forEach(function (col, c) {
      var total = 0;
      col.forEach(function (x) { total += cardHeight(x) + 28; });
      var y = -total / 2;
      col.forEach(function (x) { var h = cardHeight(x); pos[x] = [c * 215, y + h / 2]; y += h + 28; });
    });
    if (layersOn.concepts || layersOn.tools || layersOn.citations) {
      layersOn = { concepts: false, citations: false, tools: false };
      Array.prototype.forEach.call(document.querySelectorAll("#pg-legend input[data-layer]"), function (b) { b.checked = false; });
    }
    nodes.update(data.nodes.map(function (n) {
      var p = pos[n.id];
      return p ? { id: n.id, x: p[0], y: p[1], hidden: false } : { id: n.id, hidden: true };
    }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, hidden: !(e.layer === "roadmap" && inside.has(e.from) && inside.has(e.to)), smooth: { enabled: false } };
    }));
    if (!focusState && !spine && !listBox.hidden && window.innerWidth < 1600) { listWas = true; setList(false); }
    focusState = { id: id, dir: dir, ids: order };
    document.body.setAttribute("data-focus", id);
    backBtn.hidden = false;
    var msg = String(dir === "after" ? S.map_focus_unlocks : S.map_focus_paper).split("{name}").join(G.g.labels[i])
      .split("{n}").join(String(found.length));
    if (found.length > drawn.length) { msg += " " + String(S.map_focus_hidden).split("{n}").join(String(found.length - drawn.length)); }
    setMessage(msg);
    network.selectNodes([id]);
    // fill the view: zoom in as far as the picture allows (never below legible), the card's side kept free
    window.requestAnimationFrame(function () {
      network.fit({ nodes: order, animation: false });
      var W = container.clientWidth, free = spine ? W : freeWidth();
      var s = Math.min(network.getScale() * (free / W), 1.6), lo = minScale();
      var c = network.getViewPosition();
      if (s < lo) {  // too big to fill the view legibly: the paper itself, at the free side's far end (or start)
        var p = network.getPositions([id])[id], at = dir === "after" ? 120 : free - 120;
        network.moveTo({ position: { x: p.x - (at - W / 2) / lo, y: p.y }, scale: lo, animation: false });
        return;
      }
      network.moveTo({ position: { x: c.x + (W - free) / 2 / s, y: c.y }, scale: s, animation: false });
    });
    return true;
  }
  var listWas = false;  // the list was open before a paper's path took its room
  function exitFocus() {
    focusState = null;
    if (listWas) { listWas = false; setList(true); }
    document.body.removeAttribute("data-focus");
    backBtn.hidden = true;
    network.unselectAll();
    applyView();
    homeView();
    setMessage(data.message || "");
  }
  function roadSelect(id, fromMap) {
    var n = byId[id];
    if (!n) { return false; }
    if (n.kind === "paper") {
      enterFocus(id, focusState && focusState.id === id ? focusState.dir : "before");
      showCard(id);
      return true;
    }
    if (n.layer && !layersOn[n.layer]) { setLayer(n.layer, true); }
    if (!fromMap) {
      network.selectNodes([id]);
      var s = Math.max(network.getScale(), 0.9), W = container.clientWidth;
      showCard(id);
      network.focus(id, { scale: s, offset: { x: (freeWidth() - W) / 2, y: 0 }, animation: false });
    } else {
      showCard(id);
    }
    return true;
  }

  // the legend of the roadmap: the layers to switch on, what the marks mean, the stages' colours
  function buildRoadLegend() {
    var lg = data.legend, T = lg.titles;
    document.getElementById("pg-legend-title").textContent = T.legend;
    var body = document.getElementById("pg-legend-body");
    function group(title) {
      var g = el("div", "pg-group");
      g.appendChild(el("span", "pg-group-title", title));
      body.appendChild(g);
      return g;
    }
    var g = group(S.map_layers);
    RM.layers.forEach(function (l) {
      var lab = el("label", "pg-layer"), box = el("input");
      box.type = "checkbox";
      box.setAttribute("data-layer", l.key);
      box.addEventListener("change", function () { setLayer(l.key, box.checked); });
      lab.appendChild(box);
      lab.appendChild(document.createTextNode(l.label));
      g.appendChild(lab);
    });
    g = group(T.state);
    RM.marks.forEach(function (m) {
      var icon;
      if (m.mark === "arrow") { icon = lineIcon({ color: m.color, width: 2.2, arrows: true }); }
      else {
        icon = el("span", "pg-mark");
        icon.style.border = (m.mark === "start" ? "4px" : m.mark === "next" ? "3px" : "2px") + (m.mark === "flagged" ? " dashed " : " solid ") + m.color;
        if (m.mark === "read") { icon.textContent = "✓"; icon.style.fontSize = "9px"; icon.style.lineHeight = "7px"; icon.style.textAlign = "center"; }
      }
      var r = row(icon, m.label);
      r.setAttribute("data-mark", m.mark);
      g.appendChild(r);
    });
    if (lg.stages.length) {
      g = group(T.stages);
      lg.stages.forEach(function (s) {
        var sw = el("span", "pg-swatch");
        sw.style.background = s.color;
        g.appendChild(row(sw, s.label));
      });
    }
  }

  // the same papers as text: stage by stage, numbered, with their marks; a button focuses each
  function buildList() {
    clear(listBox);
    listBox.setAttribute("aria-labelledby", "pg-list-title");
    var h = el("h2", null, S.map_list);
    h.id = "pg-list-title";
    listBox.appendChild(h);
    var start = new Set(RM.start), next = new Set(RM.next), read = new Set(RM.read), flagged = new Set(RM.flagged);
    RM.stages.forEach(function (st) {
      listBox.appendChild(el("h3", null, st.label));
      var ol = el("ol");
      st.papers.forEach(function (p) {
        var li = el("li" , flagged.has(p) ? "pg-is-flagged" : null), b = el("button");
        b.type = "button";
        b.setAttribute("data-paper", p);
        var no = RM.number[p];
        b.appendChild(el("span", "pg-no", no ? no + "." : "–"));
        b.appendChild(document.createTextNode(cardName(p)));
        if (read.has(p)) { b.appendChild(el("span", "pg-badge pg-badge-read", "✓")); }
        if (start.has(p)) { b.appendChild(el("span", "pg-badge pg-badge-start", S.map_start_here)); }
        else if (next.has(p)) { b.appendChild(el("span", "pg-badge pg-badge-next", S.map_read_next)); }
        if (flagged.has(p)) { b.appendChild(el("span", "pg-badge pg-badge-flagged", "⚠")); }
        b.addEventListener("click", function () { roadSelect(p); });
        li.appendChild(b);
        ol.appendChild(li);
      });
      listBox.appendChild(ol);
    });
  }
  function cardName(p) {
    var c = data.cards[p];
    return c ? c.label : String(byId[p].label).split("\n")[0];
  }
  function setList(open) {
    listBox.hidden = !open;
    listBtn.setAttribute("aria-expanded", open ? "true" : "false");
    network.redraw();
  }

  (function setUpRoadmap() {
    var canvas = container.querySelector("canvas");
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", S.map_label || "");
    if (canvas) { canvas.setAttribute("role", "img"); canvas.setAttribute("aria-label", S.map_label || ""); }
    if (!RM) { return; }
    backBtn.textContent = S.map_back;
    backBtn.addEventListener("click", function () { hideCard(); exitFocus(); });
    listBtn.textContent = S.map_list_toggle;
    listBtn.hidden = false;
    listBtn.addEventListener("click", function () { setList(listBox.hidden); });
    buildList();
    var narrow = window.innerWidth <= 700;
    spine = narrow;
    setList(narrow || window.innerWidth >= 1200);
    if (narrow) { document.getElementById("pg-legend").open = false; applyView(); }  // the page comes as columns
  })();

  // ------------------------------------------------------------------ start
  setMessage(data.message || data.focus_text || "");
  network.once("afterDrawing", function () {
    if (RM) {
      if (data.focus && byId[data.focus]) { roadSelect(data.focus); } else { homeView(); }
    } else if (data.focus && data.highlight && data.highlight.length) {
      network.selectNodes([data.focus]);
      showCard(data.focus);
      fitVisible(data.highlight);
    } else {
      network.fit({ animation: false });
    }
    document.body.setAttribute("data-ready", "1");
  });
  window.papergraph = { network: network, nodes: nodes, edges: edges, data: data, select: select, showCard: showCard,
                        fullCard: fullCard, focus: function (id, dir) { return enterFocus(id, dir); },
                        exitFocus: function () { exitFocus(); }, setLayer: function (k, on) { setLayer(k, on); },
                        state: function () { return { focus: focusState && { id: focusState.id, dir: focusState.dir },
                                                      layers: layersOn, spine: spine }; } };
})();
