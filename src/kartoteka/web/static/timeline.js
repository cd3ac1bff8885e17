// The timeline page: draws /timeline.json with vis-timeline. Item contents are DOM nodes
// built with textContent, never HTML strings: the source text is untrusted.
(function () {
  "use strict";
  var box = document.getElementById("timeline");
  if (!box) return;
  var status = document.getElementById("timeline-status");
  var panel = document.getElementById("item-panel");

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

  function show(item) {
    panel.replaceChildren();
    var when = item.date + (item.lower !== item.upper ?
      " (" + (item.lower || "…") + " – " + (item.upper || "…") + ")" : "");
    panel.append(el("h3", (item.kind === "event" ? item.type : "dated sentence") + ", " + when));
    if (item.written) panel.append(el("p", "written: " + item.written, { class: "muted" }));
    if (item.kind === "event") panel.append(el("p", "date " + (item.date_source === "clause" ?
      "stated in the passage" : "from the narrative") + (item.modality !== "asserted" ?
      "; told as " + item.modality : ""), { class: "muted" }));
    item.evidence.forEach(function (p) {
      var quote = el("blockquote", p.text, { class: "passage" });
      var cite = el("cite");
      cite.append(el("a", (p.name || "document " + p.doc) + ", " + p.start + "–" + p.end,
                     { href: "/document/" + p.doc + (p.anchor ? "#" + p.anchor : "") }));
      quote.append(cite);
      panel.append(quote);
    });
  }

  function draw(data) {
    var items = [];
    data.items.forEach(function (it, i) {
      if (!it.lower && !it.upper) return;
      var text = it.kind === "event" ? it.label : (it.written || it.date);
      var content = el("span", text, {
        title: it.kind === "event" ? it.label + " — " + it.date : it.label,
        "data-lower": it.lower || it.upper, "data-kind": it.kind });
      var item = { id: i, content: content, className: "tl-" + it.kind };
      if (it.lower && it.upper && it.lower !== it.upper) {
        item.start = it.lower;
        item.end = dayAfter(it.upper);
        item.type = "range";
      } else {
        item.start = it.lower || it.upper;
        item.type = "point";
      }
      items.push(item);
    });
    if (!items.length) {
      status.textContent = "Nothing dated to show.";
      box.dataset.ready = "1";
      return;
    }
    var timeline = new vis.Timeline(box, new vis.DataSet(items), {
      stack: true, zoomable: true, zoomKey: "", maxHeight: 620, orientation: "top",
      margin: { item: 6 }, showCurrentTime: false,
    });
    timeline.on("select", function (props) {
      if (props.items.length) show(data.items[props.items[0]]);
    });
    status.textContent = items.length + " dated items" +
      (data.total > data.items.length ? " (the first " + data.items.length + " of " +
       data.total + ")" : "");
    window.kartotekaTimeline = timeline;  // for the browser tests and the curious
    box.dataset.ready = "1";
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
