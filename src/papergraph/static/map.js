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
    if (ph.compute === "prereqs" || ph.compute === "background") {
      var r = memo.pre || (memo.pre = prerequisites(G, node));
      if (ph.compute === "background") { return section(G, ph, r.background); }
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
    (c.sections || []).forEach(function (s) {
      cardBody.appendChild(el("h3", null, s.heading));
      if (!s.items.length) { cardBody.appendChild(el("p", "pg-empty", s.empty)); return; }
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
    card.hidden = false;
    card.scrollTop = 0;
    card.setAttribute("data-node", id);
    return true;
  }
  function hideCard() { card.hidden = true; card.removeAttribute("data-node"); }
  closeBtn.addEventListener("click", function () { hideCard(); restore(); });

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
  fit.addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

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

  // ------------------------------------------------------------------ start
  setMessage(data.message || data.focus_text || "");
  network.once("afterDrawing", function () {
    if (data.focus && data.highlight && data.highlight.length) {
      network.selectNodes([data.focus]);
      showCard(data.focus);
      fitVisible(data.highlight);
    } else {
      network.fit({ animation: false });
    }
    document.body.setAttribute("data-ready", "1");
  });
  window.papergraph = { network: network, nodes: nodes, edges: edges, data: data, select: select, showCard: showCard,
                        fullCard: fullCard };
})();
