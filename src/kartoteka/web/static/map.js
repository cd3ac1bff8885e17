// The map page: draws /map.json over Natural Earth's country outlines (world-atlas TopoJSON,
// projected with d3-geo into an SVG), places as dots sized by their events in the time shown,
// a slider to move through time. Names go into the page with textContent only: the source
// text is untrusted.
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box) return;
  var lib = window.KartotekaMap;
  var status = document.getElementById("map-status");
  var panel = document.getElementById("panel-body");
  var slider = document.getElementById("time");
  var sliderLabel = document.getElementById("time-label");
  var windowChoice = document.getElementById("time-window");
  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) return r.json().then(function (e) { throw new Error(e.error || r.status); });
      return r.json();
    });
  }

  function day(iso) { return iso ? Date.parse(iso.slice(0, 10) + "T00:00:00Z") : NaN; }
  function isoOf(ms) { return new Date(ms).toISOString().slice(0, 10); }

  // The view to open on: the located places with some room around, else the world.
  function target(places) {
    if (!places.length) return { type: "Sphere" };
    var lons = places.map(function (p) { return p.lon; });
    var lats = places.map(function (p) { return p.lat; });
    var w = Math.min.apply(null, lons), e = Math.max.apply(null, lons);
    var s = Math.min.apply(null, lats), n = Math.max.apply(null, lats);
    var padLon = Math.max(4, (e - w) * 0.15), padLat = Math.max(3, (n - s) * 0.15);
    w = Math.max(-180, w - padLon); e = Math.min(180, e + padLon);
    s = Math.max(-85, s - padLat); n = Math.min(85, n + padLat);
    // a grid over the box, not its two corners: the projection bends meridians, so a
    // corner is not where the box is widest
    var grid = [];
    for (var i = 0; i <= 6; i++) {
      for (var j = 0; j <= 6; j++) grid.push([w + (e - w) * i / 6, s + (n - s) * j / 6]);
    }
    return { type: "MultiPoint", coordinates: grid };
  }

  function draw(data, world) {
    var width = box.clientWidth, height = box.clientHeight;
    var projection = lib.geoNaturalEarth1().fitExtent([[10, 10], [width - 10, height - 10]],
                                                       target(data.places));
    var path = lib.geoPath(projection);
    var root = svg("svg", { width: width, height: height, class: "map-svg",
                            viewBox: "0 0 " + width + " " + height });
    var layer = svg("g");
    root.append(layer);
    layer.append(svg("path", { d: path({ type: "Sphere" }), class: "map-sphere" }));
    layer.append(svg("path", { d: path(lib.geoGraticule10()), class: "map-graticule" }));
    var countries = lib.feature(world, world.objects.countries);
    layer.append(svg("path", { d: path(countries), class: "map-land" }));
    layer.append(svg("path", { d: path(lib.mesh(world, world.objects.countries,
                                                function (a, b) { return a !== b; })),
                               class: "map-borders" }));
    var dots = svg("g"), labels = svg("g", { class: "map-labels" });
    layer.append(dots, labels);
    box.replaceChildren(root);

    var events = {};
    data.events.forEach(function (e) { events[e.id] = e; });
    var maxMentions = Math.max.apply(null, data.places.map(function (p) { return p.mentions; }).concat([1]));
    var marks = data.places.map(function (p) {
      var xy = projection([p.lon, p.lat]);
      var ring = p.kind === "country" || p.kind === "continent";
      var dot = svg("circle", { cx: xy[0], cy: xy[1], class: "map-dot" + (ring ? " ring" : ""),
                                "data-id": String(p.id), "data-name": p.name });
      var title = svg("title");
      title.textContent = p.name + (p.name !== p.matched ? " (“" + p.matched + "”)" : "");
      dot.append(title);
      dot.addEventListener("click", function () { showPlace(p); });
      dots.append(dot);
      var label = svg("text", { class: "map-label" });
      label.textContent = p.name;
      labels.append(label);
      return { place: p, x: xy[0], y: xy[1], dot: dot, label: label, shown: 0,
               weight: Math.sqrt(p.mentions / maxMentions) };
    });

    var view = { k: 1, x: 0, y: 0 };
    var range = timeRange(data);

    function visibleEvents(place) {
      if (!range) return place.events.map(function (id) { return events[id]; });
      var until = range.from + slider.value * DAY;
      var span = windowChoice.value === "all" ? null : Number(windowChoice.value) * DAY / 2;
      return place.events.map(function (id) { return events[id]; }).filter(function (e) {
        var lo = day(e.lower), hi = day(e.upper || e.lower);
        if (isNaN(lo)) return span === null;  // undated: only when showing everything
        if (span === null) return lo <= until;
        return lo <= until + span && hi >= until - span;
      });
    }

    function restyle() {
      marks.forEach(function (m) {
        m.shown = visibleEvents(m.place).length;
        var r = (m.shown ? 3.5 + 3 * Math.sqrt(m.shown) : 2.5 + 2.5 * m.weight) / view.k;
        m.dot.setAttribute("r", r.toFixed(3));
        m.dot.classList.toggle("quiet", !m.shown);
        m.dot.setAttribute("stroke-width", (1.2 / view.k).toFixed(3));
        m.r = r * view.k;
      });
      placeLabels();
    }

    // Names beside their dots, the places with most events (then mentions) first, each only
    // where it overlaps no name already placed: names never overlap.
    function placeLabels() {
      var placed = [];
      var order = marks.slice().sort(function (a, b) {
        return b.shown - a.shown || b.place.mentions - a.place.mentions;
      });
      var size = 12;
      order.forEach(function (m) {
        var sx = m.x * view.k + view.x, sy = m.y * view.k + view.y;
        var w = m.place.name.length * size * 0.56;
        var b = { x1: sx + m.r + 3, y1: sy - size / 2 - 1 };
        b.x2 = b.x1 + w; b.y2 = b.y1 + size + 2;
        var inside = b.x1 >= 0 && b.x2 <= width && b.y1 >= 0 && b.y2 <= height;
        var free = inside && placed.every(function (o) {
          return b.x2 <= o.x1 || o.x2 <= b.x1 || b.y2 <= o.y1 || o.y2 <= b.y1;
        });
        m.label.setAttribute("visibility", free ? "visible" : "hidden");
        if (!free) return;
        placed.push(b);
        m.label.setAttribute("x", ((b.x1 - view.x) / view.k).toFixed(2));
        m.label.setAttribute("y", ((sy + size * 0.35 - view.y) / view.k).toFixed(2));
        m.label.setAttribute("font-size", (size / view.k).toFixed(3));
      });
      box.dataset.labels = String(placed.length);
    }

    function apply() {
      layer.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
      restyle();
    }

    // wheel to zoom about the pointer, drag to move
    root.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var rect = root.getBoundingClientRect();
      var px = ev.clientX - rect.left, py = ev.clientY - rect.top;
      var k = Math.min(40, Math.max(1, view.k * Math.exp(-ev.deltaY * 0.002)));
      view.x = px - (px - view.x) * k / view.k;
      view.y = py - (py - view.y) * k / view.k;
      view.k = k;
      apply();
    }, { passive: false });
    var drag = null;
    root.addEventListener("pointerdown", function (ev) {
      if (ev.target.classList && ev.target.classList.contains("map-dot")) return;
      drag = { x: ev.clientX - view.x, y: ev.clientY - view.y };
      root.setPointerCapture(ev.pointerId);
    });
    root.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      view.x = ev.clientX - drag.x; view.y = ev.clientY - drag.y;
      layer.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
    });
    root.addEventListener("pointerup", function () { if (drag) { drag = null; placeLabels(); } });

    if (range) {
      document.getElementById("time-controls").hidden = false;
      slider.max = String(Math.max(0, Math.round((range.to - range.from) / DAY)));
      slider.value = slider.max;
      var onTime = function () {
        sliderLabel.textContent = isoOf(range.from + slider.value * DAY);
        restyle();
      };
      slider.addEventListener("input", onTime);
      windowChoice.addEventListener("change", onTime);
      sliderLabel.textContent = isoOf(range.to);
    }
    apply();
    window.kartotekaMap = {
      projection: projection, marks: marks, data: data,
      at: function (name) {
        var m = marks.filter(function (x) { return x.place.name === name; })[0];
        return m ? { x: m.x, y: m.y } : null;
      },
    };
  }

  function timeRange(data) {
    var from = day(data.span.from), to = day(data.span.to);
    if (isNaN(from) || isNaN(to)) return null;
    return { from: from, to: to };
  }

  function showPlace(p) {
    panel.replaceChildren();
    var head = el("h3");
    head.append(el("a", p.name, { href: "/entity/" + p.id, class: "ent ent-PLACE" }));
    panel.append(head);
    var how = p.source === "authority" ? "located by the authority file " + p.via :
      "located by the gazetteer as " + p.name + (p.country ? ", " + p.country : "") +
      " (" + p.kind + (p.via ? ", read “" + p.matched + "” as " + p.via : "") + ")" +
      (p.candidates > 1 ? "; " + p.candidates + " places answer to “" + p.matched + "”, this one was chosen" : "");
    panel.append(el("p", p.lat.toFixed(3) + ", " + p.lon.toFixed(3) + " — " + how,
                    { class: "muted small" }),
                 el("p", p.mentions + " mentions in " + p.documents + " document" +
                    (p.documents === 1 ? "" : "s"), { class: "small" }));
    var data = window.kartotekaMap.data;
    var list = el("ul", null, { class: "plain small" });
    p.events.forEach(function (id) {
      var e = data.events.filter(function (x) { return x.id === id; })[0];
      if (!e) return;
      var li = el("li");
      li.append(el("span", e.date || "undated", { class: "date" }), document.createTextNode(" " + e.label));
      list.append(li);
    });
    if (p.events.length) {
      panel.append(el("h4", p.events.length + " event" + (p.events.length === 1 ? "" : "s") + " here"), list);
    }
    var more = el("p", null, { class: "small" });
    more.append(el("a", "on the timeline", { href: "/timeline?entity=" + p.id }),
                document.createTextNode(" · "),
                el("a", "in the network", { href: "/network?ego=" + p.id + "&type=PER&type=ORG&type=PLACE" }));
    panel.append(more);
  }

  function listUnlocated(data) {
    var section = document.getElementById("unlocated");
    var list = document.getElementById("unlocated-list");
    list.replaceChildren();
    data.unlocated.forEach(function (p) {
      var li = el("li");
      li.append(el("a", p.name, { href: "/entity/" + p.id }),
                el("span", " " + p.mentions, { class: "n" }));
      list.append(li);
    });
    section.hidden = !data.unlocated.length;
  }

  status.textContent = "loading…";
  if (!lib) {
    status.textContent = "Could not draw the map: its script did not load.";
    return;
  }
  Promise.all([fetchJSON(box.dataset.source), fetchJSON(box.dataset.outlines)])
    .then(function (got) {
      var data = got[0];
      draw(data, got[1]);
      listUnlocated(data);
      status.textContent = data.places.length + " places on the map, " + data.events.length +
        " events at them; " + data.unlocated.length + " not located" +
        (data.gazetteer ? " (gazetteer: " + data.gazetteer + ")" :
         " (no gazetteer installed: pip install kartoteka[map])");
      box.dataset.ready = "1";
    })
    .catch(function (e) { status.textContent = "Could not draw the map: " + e.message; });
})();
