/* papergraph's prerequisite core for the map's page: a port of papergraph/core.py.
 *
 * It works on the order index that Python serialises (OrderIndex.to_page()) and touches no DOM,
 * so a test runs it in Node against papergraph.core on random graphs. Every function here has a
 * twin of the same name in core.py, with the same answers in the same order: change both or
 * neither. Node i is the i-th node of the index; lists of neighbours are already sorted (by id,
 * then relation), so a walk finds the same shortest reason chains as Python's.
 */
(function (root) {
  "use strict";

  function open(ix) {
    var n = ix.ids.length;
    var paper = ix.kinds.indexOf("paper"), concept = ix.kinds.indexOf("concept");
    var introducing = ix.rels.map(function (r) { return !!r[2]; });
    var at = new Map();
    for (var i = 0; i < n; i++) { at.set(ix.ids[i], i); }
    var posMemo = {};

    function isPaper(x) { return ix.kind[x] === paper; }
    function isConcept(x) { return ix.kind[x] === concept; }
    function position(id) { return at.has(id) ? at.get(id) : null; }

    function introducers(c) {
      var out = [];
      for (var k = ix.bptr[c]; k < ix.bptr[c + 1]; k++) {
        if (introducing[ix.brel[k]]) { out.push(ix.bsrc[k]); }
      }
      return out;
    }

    // core.walk: breadth first; {node: parent} in the order found (a Map keeps it); the start's parent is -1
    function walk(start, forward, throughPapers, stop) {
      var ptr = forward ? ix.aptr : ix.bptr, nbr = forward ? ix.adst : ix.bsrc;
      var parent = new Map([[start, -1]]), queue = [start], head = 0;
      if (throughPapers === undefined) { throughPapers = true; }
      if (stop === undefined) { stop = -1; }
      while (head < queue.length) {
        var x = queue[head++];
        if (x !== start && !throughPapers && isPaper(x)) { continue; }
        for (var k = ptr[x]; k < ptr[x + 1]; k++) {
          var y = nbr[k];
          if (!parent.has(y)) {
            parent.set(y, x);
            if (y === stop) { return parent; }
            queue.push(y);
          }
        }
      }
      return parent;
    }

    function chain(parent, x) {  // core.Walk.chain: the start … x
      var out = [x];
      while (parent.get(out[out.length - 1]) !== -1) { out.push(parent.get(out[out.length - 1])); }
      return out.reverse();
    }

    function found(parent, start) {
      var out = [];
      parent.forEach(function (_, x) { if (x !== start) { out.push(x); } });
      return out;
    }

    function closure(starts) {
      var seen = new Set(starts), stack = Array.from(seen);
      while (stack.length) {
        var x = stack.pop();
        for (var k = ix.bptr[x]; k < ix.bptr[x + 1]; k++) {
          var y = ix.bsrc[k];
          if (!seen.has(y)) { seen.add(y); stack.push(y); }
        }
      }
      return seen;
    }

    function Heap(rank) {
      var h = [];
      this.size = function () { return h.length; };
      this.push = function (x) {
        var i = h.length;
        h.push(x);
        while (i > 0) {
          var p = (i - 1) >> 1;
          if (rank[h[p]] <= rank[x]) { break; }
          h[i] = h[p]; i = p;
        }
        h[i] = x;
      };
      this.pop = function () {
        var top = h[0], last = h.pop();
        if (h.length) {
          var i = 0, m = h.length;
          for (;;) {
            var l = 2 * i + 1, r = l + 1, c = i, best = rank[last];
            if (l < m && rank[h[l]] < best) { c = l; best = rank[h[l]]; }
            if (r < m && rank[h[r]] < best) { c = r; }
            if (c === i) { break; }
            h[i] = h[c]; i = c;
          }
          h[i] = last;
        }
        return top;
      };
    }

    // core.kahn: the smallest valid order of `among` (null: everything) under the strategy's ranks; null on a cycle
    function kahn(among, strategy, keys) {
      var rank = keys || ix["pull_" + (strategy || "guide")], heap = new Heap(rank), out = [], indeg, member = null, v, k;
      if (among === null || among === undefined) {
        indeg = new Int32Array(n);
        for (v = 0; v < n; v++) { indeg[v] = ix.bptr[v + 1] - ix.bptr[v]; if (!indeg[v]) { heap.push(v); } }
      } else {
        member = among instanceof Set ? among : new Set(among);
        indeg = new Map();
        member.forEach(function (w) {
          var d = 0;
          for (var j = ix.bptr[w]; j < ix.bptr[w + 1]; j++) { if (member.has(ix.bsrc[j])) { d++; } }
          indeg.set(w, d);
        });
        // the heap is seeded in rank order either way: ties cannot happen, ranks are distinct
        indeg.forEach(function (d, w) { if (!d) { heap.push(w); } });
      }
      while (heap.size()) {
        var x = heap.pop();
        out.push(x);
        for (k = ix.aptr[x]; k < ix.aptr[x + 1]; k++) {
          v = ix.adst[k];
          if (member !== null) {
            if (!member.has(v)) { continue; }
            var d = indeg.get(v) - 1;
            indeg.set(v, d);
            if (!d) { heap.push(v); }
          } else if (!--indeg[v]) { heap.push(v); }
        }
      }
      return out.length < (member === null ? n : member.size) ? null : out;
    }

    function globalOrder(strategy) {
      strategy = strategy || "guide";
      var key = "order_" + strategy;
      return ix[key] && ix[key].length === n ? ix[key] : (ix[key] = kahn(null, strategy));
    }

    function orderPosition(strategy) {
      strategy = strategy || "guide";
      if (!posMemo[strategy]) {
        var order = globalOrder(strategy), pos = new Int32Array(n);
        for (var p = 0; p < order.length; p++) { pos[order[p]] = p; }
        posMemo[strategy] = pos;
      }
      return posMemo[strategy];
    }

    function byOrder(nodes, strategy) {  // core._by_order: a set closed under "read before", in the global order
      var pos = orderPosition(strategy), out = Array.from(nodes);
      out.sort(function (a, b) { return pos[a] - pos[b]; });
      return out;
    }

    function byId(a, b) { return ix.ids[a] < ix.ids[b] ? -1 : ix.ids[a] > ix.ids[b] ? 1 : 0; }

    function prerequisites(target, direct, strategy) {
      var parent = walk(target, false, !direct), all = found(parent, target);
      var papers = all.filter(isPaper);
      var concepts = all.filter(isConcept).sort(byId);
      var background = concepts.filter(function (c) { return !introducers(c).length; });
      var introduced = concepts.filter(function (c) { return introducers(c).length > 0; });
      var order = [];
      if (papers.length) {
        var keep = new Set(papers), scope = direct ? closure([target]) : new Set(parent.keys());
        order = ownOrder(scope, strategy).filter(function (x) { return keep.has(x); });
      }
      // core.prerequisites: the target's own components and the papers recommended for them
      var comps = [], seenC = new Set(), via = new Map();
      for (var k = ix.uptr[target]; k < ix.uptr[target + 1]; k++) {
        var c = ix.udst[k];
        if (!parent.has(c) && !seenC.has(c)) { seenC.add(c); comps.push(c); }
      }
      comps.sort(byId);
      comps.forEach(function (c) {
        introducers(c).forEach(function (q) {
          if (q !== target && !parent.has(q) && !via.has(q) && notLater(q, target)) { via.set(q, c); }
        });
      });
      var recommended = via.size ? ownOrder(closure(Array.from(via.keys())), strategy).filter(function (x) { return via.has(x); }) : [];
      return { papers: order, concepts: introduced, background: background, parent: parent,
               components: comps, recommended: recommended, via: via };
    }

    function notLater(q, p) {  // core.not_later
      var yq = ix.year[q], yp = ix.year[p];
      if (yq < 0 || yp < 0) { return true; }
      if (yq !== yp) { return yq < yp; }
      var mq = ix.month[q], mp = ix.month[p];
      return !(mq && mp && mq > mp);
    }

    // core.own_order: a set closed under "read before" in its own order, each node pulled forward
    // to the earliest paper among the set that needs it (depends on nothing outside the set)
    function ownOrder(nodes, strategy) {
      var member = nodes instanceof Set ? nodes : new Set(nodes), rank = ix["rank_" + (strategy || "guide")];
      var topo = kahn(member, strategy, rank);
      if (topo === null) { throw new Error("the reading order has a cycle"); }
      var big = n + 1, eff = new Map(), keys = {};
      for (var i = topo.length - 1; i >= 0; i--) {
        var x = topo[i], e = isPaper(x) ? rank[x] : big;
        for (var k = ix.aptr[x]; k < ix.aptr[x + 1]; k++) {
          var f = eff.has(ix.adst[k]) ? eff.get(ix.adst[k]) : big;
          if (f < e) { e = f; }
        }
        eff.set(x, e);
        keys[x] = e * (n + 2) + rank[x];  // the pair (eff, rank) as one number (n < 2^26)
      }
      return kahn(member, strategy, keys);
    }

    function unlocks(target, strategy) {
      var parent = walk(target, true, true), among = new Set(parent.keys());
      among.delete(target);
      var any = false;
      among.forEach(function (x) { any = any || isPaper(x); });
      if (!any) { return { papers: [], direct: [], parent: parent }; }
      var near = walk(target, true, false);
      var order = kahn(among, strategy).filter(isPaper), rank = new Map();
      order.forEach(function (x, i) { rank.set(x, i); });
      var direct = [];
      near.forEach(function (_, x) { if (x !== target && isPaper(x)) { direct.push(x); } });
      direct.sort(function (a, b) { return rank.get(a) - rank.get(b); });
      return { papers: order, direct: direct, parent: parent };
    }

    function why(a, b) {  // [b, …, a], or null
      if (a === b) { return null; }
      var parent = walk(b, false, true, a);
      return parent.has(a) ? chain(parent, a) : null;
    }

    function readingOrder(among, strategy, papersOnly) {
      var order = among === null || among === undefined ? globalOrder(strategy) : kahn(among, strategy);
      if (order === null) { return null; }
      return papersOnly === false ? Array.from(order) : order.filter(isPaper);
    }

    function plan(targets, read, strategy) {
      var done = new Set(read || []), order;
      if (targets && targets.length) { order = byOrder(closure(targets), strategy); }
      else { order = readingOrder(null, strategy, false); }
      return order.filter(function (x) { return isPaper(x) && !done.has(x); });
    }

    function nextPapers(read, strategy) {
      var done = new Set(read || []), blocked = new Uint8Array(n), out = [];
      readingOrder(null, strategy, false).forEach(function (x) {
        for (var k = ix.bptr[x]; k < ix.bptr[x + 1]; k++) {
          var u = ix.bsrc[k];
          if (blocked[u] || (isPaper(u) && !done.has(u))) { blocked[x] = 1; return; }
        }
        if (isPaper(x) && !done.has(x)) { out.push(x); }
      });
      return out;
    }

    function stagePapers(stage, strategy) {
      var members = [];
      for (var x = 0; x < n; x++) { if (ix.stage[x] === stage && isPaper(x)) { members.push(x); } }
      if (!members.length) { return []; }
      return byOrder(closure(members), strategy).filter(function (y) { return ix.stage[y] === stage && isPaper(y); });
    }

    function checkOrder(papers, complete) {
      var pos = new Map(), duplicates = [], violations = [];
      papers.forEach(function (p, i) { if (pos.has(p)) { duplicates.push(p); } else { pos.set(p, i); } });
      pos.forEach(function (at, p) {
        var parent = walk(p, false, true);
        parent.forEach(function (_, q) {
          if (q === p || !isPaper(q)) { return; }
          if (!pos.has(q) || pos.get(q) > at) {
            violations.push({ paper: p, needs: q, why: chain(parent, q), missing: !pos.has(q) });
          }
        });
      });
      var missing = [];
      for (var x = 0; x < n; x++) { if (isPaper(x) && !pos.has(x)) { missing.push(x); } }
      var valid = !violations.length && !duplicates.length && !(complete && missing.length);
      return { valid: valid, violations: violations, missing: missing, duplicates: duplicates };
    }

    return {
      n: n, ids: ix.ids, isPaper: isPaper, isConcept: isConcept, position: position, introducers: introducers,
      notLater: notLater, walk: walk, chain: chain, closure: closure, kahn: kahn, globalOrder: globalOrder, prerequisites: prerequisites,
      unlocks: unlocks, why: why, readingOrder: readingOrder, plan: plan, nextPapers: nextPapers,
      stagePapers: stagePapers, checkOrder: checkOrder
    };
  }

  // names.fold as the page can apply it to what a reader types; the page looks the result up in the
  // names Python resolved (names.resolved_names), it never ranks candidates itself
  function fold(s) {
    var key = String(s).toLowerCase().split(/\s+/).filter(Boolean).join(" ");
    if (key.indexOf("arxiv:") === 0) { key = key.slice(6).trim(); }
    return key;
  }

  var api = { open: open, fold: fold };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  else { root.PGCore = api; }
})(typeof self !== "undefined" ? self : this);
