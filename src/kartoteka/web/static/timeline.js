// The timeline page: draws /timeline.json with vis-timeline, one lane per chosen entity
// (an event with two of them shows in both), the rest below, dense stretches clustered.
// Item contents are DOM nodes built with textContent, never HTML strings: the source text is
// untrusted (vis-timeline's own tooltips take HTML, so hover text is a plain title attribute).
(function () {
  "use strict";
  var box = document.getElementById("timeline");
  if (!box) return;
  var status = document.getElementById("timeline-status");
  var panel = document.getElementById("item-panel");
  var OTHERS = "others", DATED = "dated";

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function dayAfter(iso) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  function when(item) {
    return item.date + (item.range ? " (" + (item.lower || "…") + " – " + (item.upper || "…") + ")" : "");
  }

  // what the hover says: the date as written, how sure, and where it is told
  function hover(item) {
    var lines = [item.label, when(item)];
    if (item.written) lines.push("written: “" + item.written + "”");
    if (item.approximate) lines.push("approximate date");
    if (item.uncertain) lines.push("uncertain date");
    if (item.date_source && item.date_source !== "clause") lines.push("date from the " + item.date_source);
    if (item.modality && item.modality !== "asserted") lines.push(item.modality);
    if (item.place) lines.push("in " + item.place);
    var sources = {};
    item.evidence.forEach(function (p) { sources[p.source || p.label || p.name || "document " + p.doc] = 1; });
    lines.push("source: " + Object.keys(sources).join("; "));
    return lines.join("\n");
  }

  function show(item) {
    panel.replaceChildren();
    panel.append(el("h3", item.kind === "event" ? item.label : "dated sentence"),
                 el("p", when(item) + (item.place ? ", " + item.place : ""), { class: "muted" }));
    if (item.written) panel.append(el("p", "written: “" + item.written + "”", { class: "small" }));
    if (item.who) {
      var who = el("p", null, { class: "small" });
      Object.keys(item.who).forEach(function (role, i) {
        if (i) who.append(document.createTextNode("; "));
        who.append(document.createTextNode(role + ": "));
        item.who[role].forEach(function (e, j) {
          if (j) who.append(document.createTextNode(", "));
          who.append(el("a", e.name, { href: "/entity/" + e.id }));
        });
      });
      panel.append(who);
    }
    if (item.kind === "event") panel.append(el("p", "date " + (item.date_source === "clause" ?
      "stated in the passage" : item.date_source === "narrative" ? "from the narrative" : "not given") +
      (item.modality && item.modality !== "asserted" ? "; told as " + item.modality : ""), { class: "muted" }));
    item.evidence.forEach(function (p) {
      var quote = el("blockquote", p.text, { class: "passage" });
      var cite = el("cite");
      cite.append(el("a", (p.source || p.label || p.name || "document " + p.doc) + ", " + p.start + "–" + p.end,
                     { href: "/document/" + p.doc + (p.anchor ? "#" + p.anchor : "") }));
      quote.append(cite);
      panel.append(quote);
    });
  }

  function classes(it) {
    var names = ["tl-" + it.kind];
    if (it.approximate) names.push("tl-approx");
    if (it.uncertain) names.push("tl-uncertain");
    if (it.modality && it.modality !== "asserted") names.push("tl-hedged");
    return names.join(" ");
  }

  function groupsOf(data) {
    var groups = data.lanes.map(function (lane, i) {
      var content = el("a", lane.name, { href: "/entity/" + lane.id, class: "ent ent-" + lane.type,
                                         title: lane.count + " events" });
      return { id: "e" + lane.id, content: content, order: i };
    });
    groups.push({ id: OTHERS, content: el("span", data.lanes.length ? "others" : "events"),
                  order: groups.length });
    if (data.items.some(function (it) { return it.kind === "date"; })) {
      groups.push({ id: DATED, content: el("span", "dated sentences"), order: groups.length });
    }
    return groups;
  }

  function itemsOf(data) {
    var items = [];
    data.items.forEach(function (it, i) {
      if (!it.lower && !it.upper) return;
      var lanes = it.kind === "date" ? [DATED] :
        (it.lanes && it.lanes.length ? it.lanes.map(function (e) { return "e" + e; }) : [OTHERS]);
      lanes.forEach(function (lane) {
        var text = it.kind === "event" ? it.label : (it.written || it.date);
        var content = el("span", text + (it.uncertain ? " ?" : ""), {
          title: hover(it), "data-lower": it.lower || it.upper, "data-kind": it.kind,
          "data-index": String(i) });
        var item = { id: i + "@" + lane, index: i, group: lane, content: content,
                     className: classes(it) };
        if (it.range && it.lower && it.upper) {
          item.start = it.lower;
          item.end = dayAfter(it.upper);
          item.type = "range";
        } else {
          item.start = it.lower || it.upper;
          item.type = "point";
        }
        items.push(item);
      });
    });
    return items;
  }

  function draw(data) {
    var items = itemsOf(data);
    if (!items.length) {
      status.textContent = data.total ? "Nothing dated on this page." :
        "Nothing dated to show: widen the period, or tick “dated sentences too”.";
      box.dataset.ready = "1";
      return;
    }
    var options = {
      stack: true, zoomable: true, zoomKey: "", orientation: "top",
      minHeight: 260, maxHeight: Math.max(320, Math.round(window.innerHeight * 0.7)),
      margin: { item: 4 }, showCurrentTime: false, groupOrder: "order",
      cluster: { maxItems: 3, titleTemplate: "{count} items: zoom in", showStipes: true,
                 fitOnDoubleClick: true },
    };
    if (data.window && data.window.start) options.start = data.window.start;
    if (data.window && data.window.end) options.end = dayAfter(data.window.end);
    var timeline = new vis.Timeline(box, new vis.DataSet(items), new vis.DataSet(groupsOf(data)),
                                    options);
    timeline.on("select", function (props) {
      if (!props.items.length) return;
      var chosen = items.filter(function (x) { return x.id === props.items[0]; })[0];
      if (chosen) show(data.items[chosen.index]);
    });
    var shown = data.items.length;
    status.textContent = shown + " item" + (shown === 1 ? "" : "s") +
      (data.total > shown ? " (" + (data.offset + 1) + "–" + (data.offset + shown) + " of " +
       data.total + ")" : "") +
      (data.window && data.window.reason === "densest" ? "; opened on the densest stretch" : "");
    window.kartotekaTimeline = timeline;  // for the browser tests and the curious
    window.kartotekaTimelineData = data;
    // vis-timeline draws on later frames: say it is ready once its items are on screen
    var frames = 0;
    (function whenDrawn() {
      if (box.querySelector(".vis-item") || ++frames > 120) {
        requestAnimationFrame(function () { box.dataset.ready = "1"; });
      } else {
        requestAnimationFrame(whenDrawn);
      }
    })();
  }

  status.textContent = "loading…";
  fetch(box.dataset.source, { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) return r.json().then(function (e) { throw new Error(e.error || r.status); });
      return r.json();
    })
    .then(draw)
    .catch(function (e) { status.textContent = "Could not draw the timeline: " + e.message; });
})();
