// The network page: draws /network.json with Cytoscape.js. Text from the sources only ever
// goes into the page as textContent (never as HTML): it is untrusted.
(function () {
  "use strict";
  var box = document.getElementById("cy");
  if (!box) return;
  var status = document.getElementById("graph-status");
  var panel = document.getElementById("edge-panel");
  var COLORS = { PER: "#2f6db5", ORG: "#3a8a4b", PLACE: "#c2761b" };

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function showEdge(edge, names) {
    panel.replaceChildren();
    var head = el("h3");
    head.append(el("a", names[edge.source], { href: "/entity/" + edge.source }),
                document.createTextNode(" — " + edge.type + " — "),
                el("a", names[edge.target], { href: "/entity/" + edge.target }));
    panel.append(head, el("p", edge.kind + ", " + edge.count + " time" +
                          (edge.count === 1 ? "" : "s"), { class: "muted small" }));
    edge.evidence.forEach(function (p) {
      var quote = el("blockquote", p.text, { class: "passage" });
      var cite = el("cite");
      cite.append(el("a", (p.name || "document " + p.doc) + ", " + p.start + "–" + p.end,
                     { href: "/document/" + p.doc + (p.anchor ? "#" + p.anchor : "") }));
      quote.append(cite);
      panel.append(quote);
    });
  }

  function draw(data) {
    var names = {};
    var maxMentions = 1, maxCount = 1;
    data.nodes.forEach(function (n) {
      names[n.id] = n.name;
      maxMentions = Math.max(maxMentions, n.mention_count);
    });
    data.edges.forEach(function (e) { maxCount = Math.max(maxCount, e.count); });
    var elements = data.nodes.map(function (n) {
      return { data: { id: "n" + n.id, entity: n.id, label: n.name, type: n.type,
                       mentions: n.mention_count } };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, index: i, source: "n" + e.source, target: "n" + e.target,
                       kind: e.kind, count: e.count,
                       label: e.type + (e.count > 1 ? " ×" + e.count : "") } };
    }));
    var cy = cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
          "background-color": function (n) { return COLORS[n.data("type")] || "#777"; },
          "width": "mapData(mentions, 1, " + maxMentions + ", 14, 46)",
          "height": "mapData(mentions, 1, " + maxMentions + ", 14, 46)",
          "color": "#222", "text-outline-color": "#fff", "text-outline-width": 2 } },
        { selector: "edge", style: {
          "width": "mapData(count, 1, " + maxCount + ", 1.5, 7)", "curve-style": "bezier",
          "line-color": "#8aa0b8", "opacity": 0.8 } },
        { selector: "edge[kind = 'relation']", style: {
          "line-color": "#a23b3b", "target-arrow-shape": "triangle",
          "target-arrow-color": "#a23b3b" } },
        { selector: "edge[kind = 'sentence']", style: {
          "line-style": "dotted", "line-color": "#bbb" } },
        { selector: "edge:selected, edge.hover", style: {
          "label": "data(label)", "font-size": 10, "text-rotation": "autorotate",
          "text-background-color": "#fff", "text-background-opacity": 0.9 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#111" } },
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000,
                idealEdgeLength: 90, numIter: data.nodes.length > 400 ? 400 : 1000 },
    });
    cy.on("tap", "node", function (ev) {
      window.location.href = "/entity/" + ev.target.data("entity");
    });
    cy.on("tap", "edge", function (ev) { showEdge(data.edges[ev.target.data("index")], names); });
    cy.on("mouseover", "edge", function (ev) { ev.target.addClass("hover"); });
    cy.on("mouseout", "edge", function (ev) { ev.target.removeClass("hover"); });
    status.textContent = data.nodes.length + " entities, " + data.edges.length + " edges";
    window.kartotekaGraph = cy;  // for the browser tests and the curious
    box.dataset.ready = "1";
  }

  status.textContent = "loading…";
  fetch(box.dataset.source, { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) return r.json().then(function (e) { throw new Error(e.error || r.status); });
      return r.json();
    })
    .then(draw)
    .catch(function (e) { status.textContent = "Could not draw the network: " + e.message; });
})();
