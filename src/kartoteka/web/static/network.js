// The network page: draws /network.json with sigma (WebGL) over a graphology graph.
//
// It opens settled: communities (Louvain) are found first and seed the positions, then
// ForceAtlas2 runs in a web worker, and the graph is drawn once, laid out. Labels are chosen
// by this script, not by sigma's density grid: the most important first, each one only where
// it overlaps no label already shown, again after every zoom or move, so they never overlap.
//
// Text from the sources only ever goes into the page as textContent (never as HTML): it is
// untrusted.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box) return;
  var lib = window.KartotekaGraph;
  var status = document.getElementById("graph-status");
  var panel = document.getElementById("panel-body");
  var legend = document.getElementById("legend");
  var sizeBy = document.getElementById("size-by");
  var colorBy = document.getElementById("color-by");

  var TYPE_COLORS = { PER: "#2f6db5", ORG: "#3a8a4b", PLACE: "#c2761b" };
  var KIND_COLORS = { relation: "#b03a2e", event: "#4a7fb5", sentence: "#b9b9b9" };
  var KIND_NAMES = { relation: "stated relation", event: "shared event", sentence: "co-mention" };
  var KIND_RANK = { relation: 0, event: 1, sentence: 2 };
  // twelve colours told apart on white, for the biggest communities; the rest are grey
  var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
                 "#8c564b", "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39"];
  var LABEL_FONT = "Arial, Helvetica, sans-serif";
  var LABEL_GAP = 3;  // pixels between a node and its label, and between two labels
  // above this many links, the cheaper drawing (see draw)
  var MANY_LINKS = 3000;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function filtersQuery() {
    // the page's filters, to ask for an edge's passages under the same ones
    var source = box.dataset.source;
    return source.indexOf("?") >= 0 ? source.slice(source.indexOf("?") + 1) : "";
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) return r.json().then(function (e) { throw new Error(e.error || r.status); });
      return r.json();
    });
  }

  // A small seeded generator, so communities and layout are the same on every load.
  function seeded(seed) {
    return function () {
      seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // ---------------------------------------------------------------- the graph ---------

  function buildGraph(data) {
    var graph = new lib.Graph({ type: "undirected", multi: false });
    data.nodes.forEach(function (n) {
      graph.addNode(String(n.id), {
        label: n.name.replace(/\s+/g, " "), entity: n.id, type: n.type, mentions: n.mention_count,
        documents: n.doc_count, links: n.links, degree: n.degree, x: 0, y: 0,
      });
    });
    // one drawn link per pair: its strongest kind gives the colour, its best-attested edge
    // (the most documents) the width; a click lists every edge of the pair
    data.edges.forEach(function (e) {
      var a = String(e.source), b = String(e.target);
      if (!graph.hasNode(a) || !graph.hasNode(b)) return;
      var key = a < b ? a + "-" + b : b + "-" + a;
      if (!graph.hasEdge(key)) {
        graph.addEdgeWithKey(key, a, b, { kind: e.kind, sources: 0, count: 0, types: [],
                                           weight: 0, directed: e.kind === "relation",
                                           from: a });
      }
      var attrs = graph.getEdgeAttributes(key);
      if (KIND_RANK[e.kind] < KIND_RANK[attrs.kind]) attrs.kind = e.kind;
      if (e.kind !== "relation" || attrs.from !== a) attrs.directed = false;
      attrs.sources = Math.max(attrs.sources, e.sources);
      attrs.count += e.count;
      attrs.weight += e.sources;
      attrs.types.push(e.type);
    });
    graph.forEachEdge(function (key, attrs) {
      attrs.size = Math.min(1 + 1.6 * Math.log2(attrs.sources + 1), 8);
      attrs.color = KIND_COLORS[attrs.kind];
    });
    return graph;
  }

  function setSizes(graph, by) {
    var max = 1;
    graph.forEachNode(function (n, a) { max = Math.max(max, by === "links" ? a.links : a.mentions); });
    graph.updateEachNodeAttributes(function (n, a) {
      var share = Math.sqrt((by === "links" ? a.links : a.mentions) / max);
      a.size = 3 + 11 * share;
      a.labelSize = Math.round(11 + 7 * share);
      return a;
    });
  }

  function findCommunities(graph) {
    if (graph.size === 0) {
      graph.forEachNode(function (n, a) { a.community = 0; });
      return [];
    }
    lib.louvain.assign(graph, { getEdgeWeight: "weight", rng: seeded(1937) });
    var groups = {};
    graph.forEachNode(function (n, a) {
      (groups[a.community] = groups[a.community] || []).push(n);
    });
    // biggest first, each named after its most mentioned member
    var list = Object.keys(groups).map(function (c) {
      var members = groups[c].sort(function (x, y) {
        return graph.getNodeAttribute(y, "mentions") - graph.getNodeAttribute(x, "mentions");
      });
      return { id: c, members: members };
    }).sort(function (x, y) { return y.members.length - x.members.length; });
    list.forEach(function (c, i) {
      c.color = i < PALETTE.length && c.members.length > 1 ? PALETTE[i] : "#9a9a9a";
      c.members.forEach(function (n) {
        graph.setNodeAttribute(n, "communityColor", c.color);
        graph.setNodeAttribute(n, "communityRank", i);
      });
    });
    return list;
  }

  function setColors(graph, by) {
    graph.updateEachNodeAttributes(function (n, a) {
      a.color = by === "community" ? a.communityColor : (TYPE_COLORS[a.type] || "#777");
      return a;
    });
  }

  // The layout runs in a web worker (static/vendor/graph/layout-worker.min.js): the graph of
  // communities first, then each community's members around its place, then ForceAtlas2 on
  // the whole, for a number of iterations that keeps a 2,000-node graph near a second. The
  // result depends on the graph only, so it is kept for the session: the same view opens
  // at once the next time.
  function layout(graph, signature) {
    var n = graph.order;
    var iterations = n <= 300 ? 300 : n <= 1000 ? 120 : 60;
    var settings = {
      // strong gravity keeps the small components near the big one instead of far out
      barnesHutOptimize: n > 300, barnesHutTheta: 0.8, gravity: 0.05, scalingRatio: 8,
      slowDown: 1 + Math.log(1 + n) / 2, edgeWeightInfluence: 0.5, linLogMode: false,
      outboundAttractionDistribution: true, strongGravityMode: true, adjustSizes: false,
    };
    var keys = graph.nodes();
    var remembered = recall(signature, keys.length);
    if (remembered) {
      keys.forEach(function (k, i) {
        graph.mergeNodeAttributes(k, { x: remembered.x[i], y: remembered.y[i] });
      });
      if (spareWorker) spareWorker.terminate();  // not needed: the layout is known
      spareWorker = null;
      return Promise.resolve({ iterations: 0, ms: 0, cached: true });
    }
    var index = {};
    keys.forEach(function (k, i) { index[k] = i; });
    var community = new Int32Array(n), links = new Float32Array(n);
    keys.forEach(function (k, i) {
      community[i] = graph.getNodeAttribute(k, "communityRank");
      links[i] = graph.getNodeAttribute(k, "links");
    });
    var pairs = new Uint32Array(graph.size * 2), weights = new Float32Array(graph.size);
    var e = 0;
    graph.forEachEdge(function (key, a, s, t) {
      pairs[2 * e] = index[s]; pairs[2 * e + 1] = index[t]; weights[e] = a.weight || 1; e++;
    });
    return new Promise(function (resolve) {
      function place(x, y) {
        keys.forEach(function (k, i) { graph.mergeNodeAttributes(k, { x: x[i], y: y[i] }); });
      }
      function fallback() {  // no worker: a circle, drawn at once rather than nothing
        keys.forEach(function (k, i) {
          var r = 10 * Math.sqrt(i), t = i * 2.39996;
          graph.mergeNodeAttributes(k, { x: r * Math.cos(t), y: r * Math.sin(t) });
        });
        resolve({ iterations: 0, ms: 0 });
      }
      var worker = takeWorker();
      if (!worker) return fallback();
      worker.onmessage = function (msg) {
        place(msg.data.x, msg.data.y);
        remember(signature, msg.data.x, msg.data.y);
        worker.terminate();
        resolve(msg.data);
      };
      worker.onerror = function () { worker.terminate(); fallback(); };
      worker.postMessage({ nodes: n, community: community, links: links, edges: pairs,
                           weights: weights, iterations: iterations, settings: settings },
                         [community.buffer, links.buffer, pairs.buffer, weights.buffer]);
    });
  }

  // The worker is started as the page starts, so that loading its script overlaps fetching
  // and building the graph; a later layout (new filters) starts its own.
  var spareWorker = startWorker();
  function startWorker() {
    if (!window.Worker) return null;
    try {
      return new Worker(box.dataset.worker);
    } catch (err) {
      return null;
    }
  }
  function takeWorker() {
    var worker = spareWorker || startWorker();
    spareWorker = null;
    return worker;
  }

  function recall(signature, n) {
    try {
      var found = JSON.parse(sessionStorage.getItem("kartoteka-layout") || "null");
      if (found && found.signature === signature && found.x.length === n) return found;
    } catch (err) { /* private mode or a full store: lay out again */ }
    return null;
  }

  function remember(signature, x, y) {
    try {
      sessionStorage.setItem("kartoteka-layout", JSON.stringify(
        { signature: signature, x: Array.from(x), y: Array.from(y) }));
    } catch (err) { /* too big for the session store: lay out again next time */ }
  }

  // ---------------------------------------------------------------- labels ------------

  var measureContext = document.createElement("canvas").getContext("2d");
  var widths = {};
  function labelWidth(text, size) {
    var key = size + "|" + text;
    if (!(key in widths)) {
      measureContext.font = size + "px " + LABEL_FONT;
      widths[key] = measureContext.measureText(text).width;
    }
    return widths[key];
  }

  // Which labels to show, and on which side of their node: in order of importance (the
  // selection's first, then by size), each label goes right of its node, else left, below or
  // above, wherever its box overlaps no label already placed and no node as big as its own
  // (a smaller node may lie under it: else the big nodes of a dense centre go unnamed); else
  // it is not shown. A uniform grid of placed boxes keeps each check to the few nearby.
  var SIDES = ["right", "left", "below", "above"];

  // The box of a label `w` pixels wide in a font of `size` pixels, on `side` of a node of
  // radius `r` at (x, y), in pixels of the view.
  function labelBox(side, x, y, r, w, size) {
    var g = LABEL_GAP, b;
    if (side === "right") b = { x1: x + r + g, y1: y - size / 2 - g / 2 };
    else if (side === "left") b = { x1: x - r - g - w - g, y1: y - size / 2 - g / 2 };
    else if (side === "below") b = { x1: x - w / 2 - g / 2, y1: y + r + g };
    else b = { x1: x - w / 2 - g / 2, y1: y - r - g - size - g };
    b.x2 = b.x1 + w + g;
    b.y2 = b.y1 + size + g;
    return b;
  }

  // sigma's label drawing: a chosen label on its side, on a light ground so that a name
  // stays legible over the links and small nodes under it; no other label
  function drawLabel(context, data) {
    if (!data.labelSide || !data.label) return;
    var size = data.labelSize, w = labelWidth(data.label, size);
    var b = labelBox(data.labelSide, data.x, data.y, data.size, w, size);
    context.fillStyle = "rgba(255, 255, 255, 0.75)";
    context.fillRect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
    context.fillStyle = data.labelColor;
    context.font = size + "px " + LABEL_FONT;
    context.textBaseline = "middle";
    context.fillText(data.label, b.x1 + LABEL_GAP / 2, (b.y1 + b.y2) / 2);
  }

  // "#rrggbb" with an opacity, as sigma reads it
  function withAlpha(hex, alpha) {
    if (alpha >= 1) return hex;
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + alpha + ")";
  }
  function chooseLabels(renderer, graph, order, focus) {
    var width = box.clientWidth, height = box.clientHeight;
    var cell = 64, grid = {}, shown = [];
    function cells(b, visit) {
      for (var gx = Math.floor(b.x1 / cell); gx <= Math.floor(b.x2 / cell); gx++) {
        for (var gy = Math.floor(b.y1 / cell); gy <= Math.floor(b.y2 / cell); gy++) {
          if (visit(gx + ":" + gy) === false) return false;
        }
      }
      return true;
    }
    function free(b) {
      return cells(b, function (k) {
        var list = grid[k] || [];
        for (var i = 0; i < list.length; i++) {
          var o = list[i];
          if (b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2) return false;
        }
        return true;
      });
    }
    function put(b) { cells(b, function (k) { (grid[k] = grid[k] || []).push(b); }); }
    order.forEach(function (node) {
      var a = graph.getNodeAttributes(node);
      var p = renderer.graphToViewport({ x: a.x, y: a.y });
      var display = renderer.getNodeDisplayData(node);
      var r = renderer.scaleSize(display ? display.size : a.size);
      if (p.x + r < 0 || p.x - r > width || p.y + r < 0 || p.y - r > height) return;
      var placed = !focus || focus.has(node) ? placeLabel(node, a, p, r) : null;
      if (placed) shown.push(placed);
      put({ x1: p.x - r, y1: p.y - r, x2: p.x + r, y2: p.y + r });
    });
    function placeLabel(node, a, p, r) {
      var w = labelWidth(a.label, a.labelSize);
      for (var i = 0; i < SIDES.length; i++) {
        var b = labelBox(SIDES[i], p.x, p.y, r, w, a.labelSize);
        if (b.x1 < 0 || b.x2 > width || b.y1 < 0 || b.y2 > height || !free(b)) continue;
        b.node = node;
        b.side = SIDES[i];
        put(b);
        return b;
      }
      return null;
    }
    return shown;
  }

  // ---------------------------------------------------------------- drawing -----------

  // how long each step took, for bench/web.py and the curious (window.kartotekaNetwork.times)
  var times = {};
  function mark(name, since) { times[name] = Math.round(performance.now() - since); }

  function draw(data) {
    var started = performance.now();
    mark("fetched", 0);
    var graph = buildGraph(data);
    setSizes(graph, sizeBy.value);
    mark("graph", started);
    var communities = findCommunities(graph);
    setColors(graph, colorBy.value);
    mark("communities", started);
    status.textContent = "laying out " + graph.order + " entities and " + graph.size + " links…";
    var signature = box.dataset.source + "|" + data.generation + "|" + graph.order + "|" +
      graph.size;
    var edgeOpacity = graph.size > MANY_LINKS ? 0.25 : graph.size > 800 ? 0.45 : 0.9;
    return layout(graph, signature).then(function (done) {
      mark("layout", started);
      // What each node and link looks like follows from `state` (the selection, each
      // label's side, what is under the pointer) through sigma's reducers; a change of state
      // redraws without re-reading the graph.
      var state = { focus: null, selected: null, shown: new Map(),
                    hoveredEdge: null, pending: false };
      // Chromium without a GPU draws WebGL in software, where each frame costs in proportion
      // to what it draws: on a graph of thousands of links, links are drawn without arrows
      // (a relation's direction is in the side panel) and are not picked under the pointer
      // (a picking pass per frame): a node's panel lists its links, each with its passages.
      var manyLinks = graph.size > MANY_LINKS;
      var links = graph.size;
      // sigma draws a frame as it starts, before the labels are placed, and each frame costs
      // in proportion to the links drawn: on a large graph that first frame holds the nodes
      // only, and the links join the labelled one, so the links are drawn once, not twice
      var heldLinks = manyLinks ? graph.export().edges : null;
      if (heldLinks) graph.clearEdges();
      var renderer = new lib.Sigma(graph, box, {
        nodeProgramClasses: { circle: lib.NodeCircleProgram },
        // a relation stated one way (a subject and an object) ends in an arrow
        edgeProgramClasses: { link: lib.EdgeRectangleProgram, arrow: lib.EdgeArrowProgram },
        defaultNodeType: "circle", defaultEdgeType: "link",
        enableEdgeEvents: !manyLinks, renderEdgeLabels: false, labelRenderedSizeThreshold: 0,
        minCameraRatio: 0.02, maxCameraRatio: 20, stagePadding: 40,
        // sizes in pixels, not in layout units: a node stays readable however far out
        itemSizesReference: "screen", zIndex: true,
        // thousands of links drawn at every frame of a move make it stutter on a weak GPU
        hideEdgesOnMove: manyLinks, hideLabelsOnMove: graph.order > 500,
        labelFont: LABEL_FONT,
        defaultDrawNodeLabel: drawLabel,
        nodeReducer: function (node, a) {
          var dim = state.focus && !state.focus.has(node);
          var side = state.shown.get(node) || "";
          return {
            x: a.x, y: a.y, size: a.size, label: a.label, type: "circle",
            color: dim ? "#dcdcdc" : a.color, zIndex: dim ? 0 : 1,
            labelSide: side, forceLabel: !!side, labelSize: a.labelSize,
            labelColor: dim ? "#aaa" : "#1d1d1f",
          };
        },
        edgeReducer: function (edge, a) {
          var lit = state.focus && state.selected !== null && graph.hasExtremity(edge, state.selected);
          var color = a.color, alpha = lit ? 1 : edgeOpacity;
          if (state.hoveredEdge === edge) { color = "#222222"; alpha = 1; }
          else if (state.focus && !lit) { color = "#eeeeee"; alpha = 1; }
          return {
            size: a.size, color: withAlpha(color, alpha), zIndex: lit ? 1 : 0,
            type: a.directed && !manyLinks ? "arrow" : "link",
          };
        },
      });
      mark("sigma", started);
      var order = graph.nodes().sort(function (x, y) {
        var a = graph.getNodeAttributes(x), b = graph.getNodeAttributes(y);
        return b.size - a.size || (a.label < b.label ? -1 : 1);
      });

      function refreshLabels() {
        state.pending = false;
        var boxes = chooseLabels(renderer, graph, order, state.focus);
        state.shown = new Map(boxes.map(function (b) { return [b.node, b.side]; }));
        state.boxes = boxes;
        renderer.refresh({ skipIndexation: true });
      }
      // a small graph relabels on every frame of a move; a large one once the move stops
      // (its labels hidden meanwhile), so that moving stays smooth
      var large = graph.order > 500;
      function scheduleLabels() {
        if (large) {
          clearTimeout(state.timer);
          state.timer = setTimeout(function () { requestAnimationFrame(refreshLabels); }, 120);
          return;
        }
        if (state.pending) return;
        state.pending = true;
        requestAnimationFrame(refreshLabels);
      }
      renderer.getCamera().on("updated", scheduleLabels);
      renderer.on("resize", scheduleLabels);

      function select(node) {
        state.focus = new Set([node].concat(graph.neighbors(node)));
        state.selected = node;
        refreshLabels();
        showNode(graph, node);
      }
      function clearSelection() {
        if (!state.focus) return;
        state.focus = null;
        state.selected = null;
        refreshLabels();
      }
      renderer.on("enterEdge", function (e) {
        state.hoveredEdge = e.edge;
        renderer.refresh({ skipIndexation: true });
      });
      renderer.on("leaveEdge", function () {
        state.hoveredEdge = null;
        renderer.refresh({ skipIndexation: true });
      });
      renderer.on("clickNode", function (e) { select(e.node); });
      renderer.on("clickEdge", function (e) { showEdge(graph, e.edge); });
      renderer.on("clickStage", function () {
        clearSelection();
        panel.replaceChildren(el("p", "Click a node or a link.", { class: "muted" }));
      });
      sizeBy.addEventListener("change", function () {
        setSizes(graph, sizeBy.value);
        order.sort(function (x, y) {
          return graph.getNodeAttribute(y, "size") - graph.getNodeAttribute(x, "size");
        });
        scheduleLabels();
      });
      colorBy.addEventListener("change", function () {
        setColors(graph, colorBy.value);
        showLegend(graph, communities, colorBy.value);
      });
      showLegend(graph, communities, colorBy.value);

      // sigma drew its first frame in its constructor; label it on the next frame, and say
      // when that one is on screen (the browser tests and bench/web.py wait for it)
      requestAnimationFrame(function () {
        mark("first frame", started);
        if (heldLinks) graph.import({ edges: heldLinks });
        refreshLabels();
        mark("labels", started);
        requestAnimationFrame(function () {
          mark("labelled frame", started);
          // the next frame begins once the labelled one is on screen
          requestAnimationFrame(function () {
            mark("on screen", started);
            box.dataset.drawnMs = String(Math.round(performance.now()));
            box.dataset.layoutMs = String(Math.round(done.ms || 0));
            box.dataset.ready = "1";
          });
        });
      });
      status.textContent = graph.order + " entities, " + links + " links" +
        (data.nodes.length >= data.filters.limit ? " (the first " + data.filters.limit +
         "; raise “at most” for more)" : "") +
        "; laid out in " + Math.round(performance.now() - started) + " ms" +
        // a narrative states few relations: say how to see more of who is with whom
        (links < 20 && data.filters.kinds.indexOf("sentence") < 0 ?
         ". Few stated links here: tick “co-mention” to link names told in one sentence." : "");
      // for the browser tests and the curious
      window.kartotekaNetwork = {
        graph: graph, renderer: renderer, communities: communities, select: select,
        isHighlighted: function (node) { return !!state.focus && state.focus.has(node); },
        showEdge: function (key) { return showEdge(graph, key); },
        labels: function () { return state.boxes || []; },
        times: times,
      };
    });
  }

  // ---------------------------------------------------------------- side panel --------

  function showLegend(graph, communities, by) {
    legend.replaceChildren();
    var list = el("ul", null, { class: "plain legend-list" });
    function item(color, text) {
      var li = el("li");
      li.append(el("span", null, { class: "dot", style: "background:" + color }),
                document.createTextNode(text));
      list.append(li);
    }
    if (by === "community") {
      communities.slice(0, PALETTE.length).forEach(function (c) {
        if (c.members.length < 2) return;
        item(c.color, graph.getNodeAttribute(c.members[0], "label") + " and " +
             (c.members.length - 1) + " more");
      });
      if (communities.length > PALETTE.length) item("#9a9a9a", "smaller communities");
    } else {
      Object.keys(TYPE_COLORS).forEach(function (t) { item(TYPE_COLORS[t], t); });
    }
    Object.keys(KIND_COLORS).forEach(function (k) {
      var li = el("li");
      li.append(el("span", null, { class: "line", style: "background:" + KIND_COLORS[k] }),
                document.createTextNode(KIND_NAMES[k]));
      list.append(li);
    });
    legend.append(list);
  }

  function cite(p) {
    var quote = el("blockquote", p.text, { class: "passage" });
    var c = el("cite");
    c.append(el("a", (p.name || "document " + p.doc) + ", " + p.start + "–" + p.end,
                { href: "/document/" + p.doc + (p.anchor ? "#" + p.anchor : "") }));
    quote.append(c);
    return quote;
  }

  function showNode(graph, node) {
    var a = graph.getNodeAttributes(node);
    panel.replaceChildren(el("h3", a.label), el("p", "loading…", { class: "muted" }));
    return fetchJSON("/network/node/" + a.entity + ".json").then(function (s) {
      panel.replaceChildren();
      var head = el("h3");
      head.append(el("a", s.name, { href: "/entity/" + s.id, class: "ent ent-" + s.type }));
      panel.append(head, el("p", s.type + " · " + s.mention_count + " mentions in " +
                              s.doc_count + " document" + (s.doc_count === 1 ? "" : "s"),
                              { class: "muted small" }));
      if (s.aliases.length > 1) {
        panel.append(el("p", "Also: " + s.aliases.slice(1).map(function (x) {
          return x.name; }).join(", "), { class: "small" }));
      }
      if (s.relations.length) {
        panel.append(el("p", "Relations: " + s.relations.map(function (r) {
          return r.predicate + " ×" + r.count; }).join(", "), { class: "small" }));
      }
      if (s.events.length) {
        panel.append(el("p", "Events: " + s.events.map(function (e) {
          return e.type.toLowerCase() + " ×" + e.count; }).join(", "), { class: "small" }));
      }
      var neighbours = graph.neighbors(node).map(function (n) {
        var key = graph.edge(node, n);
        return { node: n, weight: graph.getEdgeAttribute(key, "weight"), key: key };
      }).sort(function (x, y) { return y.weight - x.weight; });
      if (neighbours.length) {
        panel.append(el("h4", "Linked here to " + neighbours.length));
        var list = el("ul", null, { class: "plain small" });
        neighbours.slice(0, 15).forEach(function (nb) {
          var li = el("li");
          var link = el("a", graph.getNodeAttribute(nb.node, "label"), { href: "#" });
          link.addEventListener("click", function (ev) {
            ev.preventDefault(); showEdge(graph, nb.key);
          });
          li.append(link, el("span", " " + graph.getEdgeAttribute(nb.key, "types").join(", "),
                             { class: "muted" }));
          list.append(li);
        });
        panel.append(list);
      }
      var more = el("p", null, { class: "small" });
      more.append(el("a", "card", { href: "/entity/" + s.id }), document.createTextNode(" · "),
                  el("a", "its ego network", { href: "/network?ego=" + s.id + "&hops=1" }),
                  document.createTextNode(" · "),
                  el("a", "timeline", { href: "/timeline?entity=" + s.id }),
                  document.createTextNode(" · "),
                  el("a", "map", { href: "/map?entity=" + s.id }));
      panel.append(more);
    }).catch(function (e) {
      panel.replaceChildren(el("p", "Could not load the summary: " + e.message,
                               { class: "error" }));
    });
  }

  function showEdge(graph, key) {
    var ends = graph.extremities(key);
    var a = graph.getNodeAttribute(ends[0], "entity"), b = graph.getNodeAttribute(ends[1], "entity");
    var query = filtersQuery();
    panel.replaceChildren(el("p", "loading…", { class: "muted" }));
    return fetchJSON("/network/edge.json?a=" + a + "&b=" + b + (query ? "&" + query : ""))
      .then(function (data) {
        panel.replaceChildren();
        var head = el("h3");
        head.append(el("a", data.source.name, { href: "/entity/" + data.source.id }),
                    document.createTextNode(" — "),
                    el("a", data.target.name, { href: "/entity/" + data.target.id }));
        panel.append(head);
        data.edges.forEach(function (e) {
          var title = el("p", null, { class: "small" });
          title.append(el("span", KIND_NAMES[e.kind], { class: "edge-kind edge-" + e.kind }),
                       document.createTextNode(" " + e.type + " ×" + e.count + ", " +
                         e.sources + " document" + (e.sources === 1 ? "" : "s")));
          panel.append(title);
          e.evidence.forEach(function (p) { panel.append(cite(p)); });
          if (e.count > e.evidence.length) {
            panel.append(el("p", "and " + (e.count - e.evidence.length) + " more",
                            { class: "muted small" }));
          }
        });
      }).catch(function (e) {
        panel.replaceChildren(el("p", "Could not load the passages: " + e.message,
                                 { class: "error" }));
      });
  }

  status.textContent = "loading…";
  if (!lib) {
    status.textContent = "Could not draw the network: its script did not load.";
    return;
  }
  fetchJSON(box.dataset.source)
    .then(function (data) {
      if (!data.nodes.length) {
        status.textContent = "No linked entities here: widen the filters, or tick “unlinked too”.";
        box.dataset.ready = "1";
        return;
      }
      return draw(data);
    })
    .catch(function (e) { status.textContent = "Could not draw the network: " + e.message; });
})();
