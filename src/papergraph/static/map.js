/* papergraph concept map: search, click-for-card, highlight, legend, stage progress.
 *
 * Data comes from JSON islands written by papergraph.viz.html.render_html:
 * #pg-nodes, #pg-edges and #pg-options as pyvis holds them, and #pg-data
 * (legend, cards, strings) from papergraph.viz.mapdata.map_data.
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

  // ------------------------------------------------------------------ card
  var card = document.getElementById("pg-card");
  var cardBody = document.getElementById("pg-card-body");
  var closeBtn = document.getElementById("pg-card-close");
  closeBtn.title = S.close || "";
  closeBtn.setAttribute("aria-label", S.close || "");

  function showCard(id) {
    var c = data.cards[id];
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
    var c = data.cards[id];
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
  window.papergraph = { network: network, nodes: nodes, edges: edges, data: data, select: select, showCard: showCard };
})();
