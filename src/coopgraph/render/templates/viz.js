/* coopgraph viz: the panel, the tooltips and the filters of the page.
 * Text from the data is only ever set with textContent or drawn on the canvas. */
(function () {
  "use strict";
  var read = function (id) { return JSON.parse(document.getElementById(id).textContent); };
  var cg = read("cg-data");
  var W = cg.words;
  // The page writes each thing once and refers to it by its place (see coopgraph.render.html.payload):
  // here the tables become the objects the panel and the tooltips read.
  var rawNodes = read("cg-nodes");
  var orgs = {};
  var acts = cg.acts.map(function (a) {
    return {
      label: a[0], kindLabel: cg.kinds[a[1]], dates: a[2], y0: a[3], y1: a[4], dated: a[3] !== null || a[4] !== null,
      participants: a[5], sources: a[6].map(function (s) { return cg.sources[s]; }), roles: []
    };
  });
  var typeLabels = {};
  cg.types.forEach(function (t) { typeLabels[t[0]] = t[1]; });
  var countryLabels = {};
  cg.countries.forEach(function (c) { countryLabels[c[0]] = c[1]; });
  cg.orgs.forEach(function (o, i) {
    var n = rawNodes[i];
    o.activities = [];
    o.sources = o.sources.map(function (s) { return cg.sources[s]; });
    o.typeLabel = o.type === null ? "" : typeLabels[o.type];
    o.countryLabel = o.country === null ? "" : countryLabels[o.country];
    orgs[n.id] = o;
    n.kind = "organization";
    n.borderWidth = 1;
    n.color = {
      background: n.color, border: "#333333",
      highlight: { background: n.color, border: "#000000" }, hover: { background: n.color, border: "#000000" }
    };
  });
  cg.acts.forEach(function (a, i) {
    var taking = a[7];
    var seen = new Set();
    for (var k = 0; k < taking.length; k += 2) {
      var o = cg.orgs[taking[k]];
      acts[i].roles.push([rawNodes[taking[k]].id, cg.roles[taking[k + 1]]]);
      if (!seen.has(o)) { seen.add(o); o.activities.push(i); }
    }
  });
  rawNodes.forEach(function (n) { if (n.act !== undefined) { n.kind = "activity"; } });
  var nodes = new vis.DataSet(rawNodes);
  var edges = new vis.DataSet(read("cg-edges").map(function (e, i) {
    var edge = { id: "e" + i, from: rawNodes[e[0]].id, to: rawNodes[e[1]].id, activities: e[2] };
    if (e.length > 3) { edge.value = e[3]; }
    return edge;
  }));
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; });

  // Search ignores case and diacritics: "hai phong" finds "Hải Phòng", "dai hoc" finds "Đại học".
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/đ/g, "d");
  }
  var haystack = {};
  nodes.forEach(function (n) {
    var info = n.kind === "activity" ? acts[n.act] : orgs[n.id];
    var names = [n.id, info.label].concat(info.names || []);
    haystack[n.id] = fold(names.join(" \u0001 "));
  });

  var key = function (v) { return v === null || v === undefined ? "" : v; };
  var years = cg.years;
  var state = {};
  function resetState() {
    state.search = "";
    state.types = new Set(cg.types.map(function (t) { return key(t[0]); }));
    state.countries = new Set(cg.countries.map(function (c) { return key(c[0]); }));
    state.from = years ? years[0] : null;
    state.to = years ? years[1] : null;
    state.undated = true;
  }
  resetState();

  function activityPasses(at) {  // at: the activity's place in the table
    var a = acts[at];
    if (!a) { return true; }
    if (!a.dated) { return state.undated; }
    if (state.from === null) { return true; }
    if (a.y0 !== null && a.y0 > state.to) { return false; }
    if (a.y1 !== null && a.y1 < state.from) { return false; }
    return true;
  }

  var visibleNodes = new Set();
  var visibleEdges = new Set();
  var matched = new Set();
  function compute() {
    var base = new Set();
    nodes.forEach(function (n) {
      if (n.kind === "activity") { return; }
      var o = orgs[n.id];
      if (!state.types.has(key(o.type)) || !state.countries.has(key(o.country))) { return; }
      if (o.activities.length && !o.activities.some(activityPasses)) { return; }
      base.add(n.id);
    });
    if (cg.mode === "activities") {
      var linked = new Set();
      edges.forEach(function (e) {
        if (base.has(e.from) || base.has(e.to)) { linked.add(base.has(e.from) ? e.to : e.from); }
      });
      nodes.forEach(function (n) {
        if (n.kind === "activity" && linked.has(n.id) && activityPasses(n.act)) { base.add(n.id); }
      });
    }
    var baseEdges = new Set();
    edges.forEach(function (e) {
      if (base.has(e.from) && base.has(e.to) && e.activities.filter(activityPasses).length >= cg.minWeight) {
        baseEdges.add(e.id);
      }
    });
    if (cg.minWeight > 1) {  // as on the command line: an organization needs a link left
      var linkedOrgs = new Set();
      baseEdges.forEach(function (id) { var e = edges.get(id); linkedOrgs.add(e.from); linkedOrgs.add(e.to); });
      base.forEach(function (id) { if (!linkedOrgs.has(id) && !orgs[id].focus) { base.delete(id); } });
    }
    matched = new Set();
    var q = fold(state.search.trim());
    if (q) {
      base.forEach(function (id) { if (haystack[id].indexOf(q) >= 0) { matched.add(id); } });
      var shown = new Set(matched);
      edges.forEach(function (e) {
        if (!baseEdges.has(e.id)) { return; }
        if (matched.has(e.from)) { shown.add(e.to); }
        if (matched.has(e.to)) { shown.add(e.from); }
      });
      base = shown;
      baseEdges.forEach(function (id) {
        var e = edges.get(id);
        if (!(shown.has(e.from) && shown.has(e.to))) { baseEdges.delete(id); }
      });
    }
    visibleNodes = base;
    visibleEdges = baseEdges;
  }

  compute();
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) { return visibleEdges.has(e.id); } });
  var container = document.getElementById("cg-network");
  // The data is set last, once every handler is in place (see "ready" below).
  var network = new vis.Network(container, { nodes: [], edges: [] }, cg.options);

  var status = document.getElementById("cg-status");
  function showStatus() {
    var template = cg.mode === "activities" ? W["shown-activities"] : W.shown;
    status.textContent = template
      .replace("{n}", String(nodesView.length)).replace("{total}", String(nodes.length))
      .replace("{e}", String(edgesView.length)).replace("{etotal}", String(edges.length));
  }
  var highlighted = [];
  function apply() {
    compute();
    nodesView.refresh();
    edgesView.refresh();
    var updates = highlighted.filter(function (id) { return !matched.has(id); })
      .map(function (id) { return { id: id, borderWidth: 1 }; });
    matched.forEach(function (id) { updates.push({ id: id, borderWidth: 4 }); });
    if (updates.length) { nodes.update(updates); }
    highlighted = Array.from(matched);
    showStatus();
  }
  showStatus();

  // --- the panel ---------------------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  var SHAPES = { dot: "\u25CF", diamond: "\u25C6", triangle: "\u25B2", square: "\u25A0" };
  var legend = document.getElementById("cg-legend-list");
  function legendRow(symbol, text) {
    var li = el("li");
    li.appendChild(el("span", symbol, "cg-shape"));
    li.appendChild(el("span", text));
    legend.appendChild(li);
  }
  legendRow(SHAPES.dot, W.domestic.replace("{home}", cg.home || "?"));
  legendRow(SHAPES.diamond, W.foreign);
  legendRow(SHAPES.triangle, W.unknown);
  if (cg.mode === "activities") {
    cg.classes.forEach(function (c) {
      var li = el("li");
      var sw = el("span", null, "cg-swatch");
      sw.style.background = c[1];
      li.appendChild(sw);
      li.appendChild(el("span", c[0]));
      legend.appendChild(li);
    });
    legendRow(SHAPES.square, W.activity);
    legendRow("\u2014", W.participation);
  } else {
    legendRow("\u2014", W.link);
  }
  legendRow("\u25CB", W.size);

  function toggles(listId, group, items, set, swatch) {
    var list = document.getElementById(listId);
    items.forEach(function (item) {
      var li = el("li");
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.group = group;
      box.value = key(item[0]);
      box.addEventListener("change", function () {
        if (box.checked) { set().add(box.value); } else { set().delete(box.value); }
        apply();
      });
      label.appendChild(box);
      if (swatch) {
        var sw = el("span", null, "cg-swatch");
        sw.style.background = item[2];
        label.appendChild(sw);
      }
      var name = item[0] ? item[1] + (group === "country" ? " (" + item[0] + ")" : "") : item[1];
      label.appendChild(el("span", name));
      li.appendChild(label);
      li.appendChild(el("span", String(item[item.length - 1]), "cg-count"));
      list.appendChild(li);
    });
  }
  toggles("cg-types", "type", cg.types, function () { return state.types; }, true);
  toggles("cg-countries", "country", cg.countries, function () { return state.countries; }, false);
  function setGroup(group, on) {
    var set = group === "type" ? state.types : state.countries;
    document.querySelectorAll('input[data-group="' + group + '"]').forEach(function (box) {
      box.checked = on;
      if (on) { set.add(box.value); } else { set.delete(box.value); }
    });
    apply();
  }
  document.querySelectorAll(".cg-all").forEach(function (b) {
    b.addEventListener("click", function () { setGroup(b.dataset.group, true); });
  });
  document.querySelectorAll(".cg-none").forEach(function (b) {
    b.addEventListener("click", function () { setGroup(b.dataset.group, false); });
  });

  var from = document.getElementById("cg-from");
  var to = document.getElementById("cg-to");
  var undated = document.getElementById("cg-undated");
  if (years) {
    [from, to].forEach(function (input) { input.min = years[0]; input.max = years[1]; });
    from.value = years[0];
    to.value = years[1];
  } else {
    from.disabled = true;
    to.disabled = true;
  }
  undated.disabled = !cg.undated;
  function readYears() {
    if (!years) { return; }
    var a = parseInt(from.value, 10);
    var b = parseInt(to.value, 10);
    state.from = isNaN(a) ? years[0] : a;
    state.to = isNaN(b) ? years[1] : b;
    apply();
  }
  from.addEventListener("input", readYears);
  to.addEventListener("input", readYears);
  undated.addEventListener("change", function () { state.undated = undated.checked; apply(); });

  var search = document.getElementById("cg-search");
  search.addEventListener("input", function () { state.search = search.value; apply(); });
  document.getElementById("cg-reset").addEventListener("click", function () {
    resetState();
    search.value = "";
    document.querySelectorAll("#cg-panel input[type=checkbox]").forEach(function (b) { b.checked = true; });
    if (years) { from.value = years[0]; to.value = years[1]; }
    apply();
  });

  // --- tooltips ------------------------------------------------------------------------
  var tip = document.getElementById("cg-tip");
  function line(label, value) {
    var p = el("p");
    if (label) { p.appendChild(el("span", label + ": ", "cg-muted")); }
    p.appendChild(document.createTextNode(value));
    return p;
  }
  function orgTip(id) {
    var o = orgs[id];
    var box = el("div");
    box.appendChild(el("h3", o.label));
    if (o.names.length) { box.appendChild(el("p", o.names.join(" \u00B7 "), "cg-muted")); }
    box.appendChild(line(W.type, o.typeLabel || "?"));
    box.appendChild(line(W.country, o.country ? o.countryLabel + " (" + o.country + ")" : W.unknown));
    box.appendChild(line(W.partners, String(o.partners) + " \u00B7 " + W.activities + ": " + o.activities.length));
    if (o.sources.length) { box.appendChild(line(W.sources, o.sources.join("; "))); }
    return box;
  }
  function rolesOf(a, id) {
    return a.roles.filter(function (r) { return r[0] === id; }).map(function (r) { return r[1]; }).join(", ");
  }
  function activityItem(at, sides) {
    var a = acts[at];
    var li = el("li");
    li.appendChild(el("strong", a.kindLabel + ": "));
    li.appendChild(document.createTextNode(a.label + " (" + a.dates + ")"));
    sides.forEach(function (side) {
      li.appendChild(el("div", orgs[side].label + ": " + (rolesOf(a, side) || "?"), "cg-muted"));
    });
    if (a.sources.length) { li.appendChild(el("div", W.sources + ": " + a.sources.join("; "), "cg-muted")); }
    return li;
  }
  function activityTip(at) {
    var a = acts[at];
    var box = el("div");
    box.appendChild(el("h3", a.label));
    box.appendChild(line(null, a.kindLabel));
    box.appendChild(line(W.dates, a.dates));
    box.appendChild(line(W.participants, String(a.participants)));
    if (a.sources.length) { box.appendChild(line(W.sources, a.sources.join("; "))); }
    return box;
  }
  function edgeTip(id) {
    var e = edges.get(id);
    var box = el("div");
    if (cg.mode === "activities") {
      var org = orgs[e.from] ? e.from : e.to;
      var act = acts[e.activities[0]];
      box.appendChild(el("h3", orgs[org].label));
      box.appendChild(line(W.role, rolesOf(act, org) || "?"));
      box.appendChild(line(null, act.label));
      return box;
    }
    box.appendChild(el("h3", orgs[e.from].label + " \u2014 " + orgs[e.to].label));
    var shown = e.activities.filter(activityPasses);
    box.appendChild(line(W.shared, String(shown.length)));
    var ul = el("ul");
    shown.slice(0, 12).forEach(function (aid) { ul.appendChild(activityItem(aid, [e.from, e.to])); });
    if (shown.length > 12) { ul.appendChild(el("li", "\u2026 +" + (shown.length - 12))); }
    box.appendChild(ul);
    return box;
  }
  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var main = document.getElementById("cg-main").getBoundingClientRect();
    var area = container.getBoundingClientRect();
    var x = area.left - main.left + pointer.x + 14;
    var y = area.top - main.top + pointer.y + 14;
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    if (x + w > main.width) { x = Math.max(0, x - w - 28); }
    if (y + h > main.height) { y = Math.max(0, main.height - h - 4); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) {
    var n = byId[p.node];
    showTip(n.kind === "activity" ? activityTip(n.act) : orgTip(p.node), p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) { showTip(edgeTip(p.edge), p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // --- ready: physics has stabilized and stopped, or the precomputed layout is drawn ----
  var api = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
    ready: false, readyAt: null,
    shown: function () { return { nodes: nodesView.length, edges: edgesView.length }; }
  };
  window.coopgraph = api;
  function ready() {
    if (api.ready) { return; }
    api.ready = true;
    api.readyAt = performance.now();
    document.body.dataset.ready = "1";
  }
  if (cg.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", function () { network.fit(); ready(); });
  }
  network.setData({ nodes: nodesView, edges: edgesView });
  if (cg.physics && !nodesView.length) { ready(); }
})();
