"""A document's text with its annotations as a flat list of tokens for the template.

Annotations may nest (a name inside an event sentence) or cross (a name running over a
sentence end). The text is cut at every span boundary; for each piece the spans covering it
are put in a fixed nesting order, and tags are opened and closed to match, so crossing spans
are split into well-nested pieces (only the first piece carries the anchor id).

Tokens are plain data: ("open", tag, attrs), ("text", str), ("close", tag). The template
writes them with autoescaping on, so the source text can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: outer to inner: pages, cleaning removals, event sentences, names, dates, event triggers
LAYERS = {"page": -1, "removal": 0, "event": 1, "mention": 2, "timex": 3, "trigger": 4}


@dataclass
class Mark:
    start: int
    end: int
    layer: str
    tag: str
    attrs: dict = field(default_factory=dict)

    def order(self) -> tuple:
        return (LAYERS[self.layer], self.start, -self.end)


def tokens(text: str, marks: list[Mark]) -> list[tuple]:
    """The text cut into tokens with every mark opened and closed around its characters."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starting: dict[int, list[Mark]] = {}
    for m in marks:
        starting.setdefault(m.start, []).append(m)
    active: list[Mark] = []  # covering the current piece
    open_: list[Mark] = []  # tags open now, outermost first
    started: set[int] = set()  # marks whose first piece is out (they got their id)
    out: list[tuple] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > a] + starting.get(a, [])
        wanted = sorted(active, key=Mark.order)
        keep = 0
        while keep < min(len(open_), len(wanted)) and open_[keep] is wanted[keep]:
            keep += 1
        for m in reversed(open_[keep:]):
            out.append(("close", m.tag))
        open_ = open_[:keep]
        for m in wanted[keep:]:
            attrs = dict(m.attrs)
            if id(m) in started:
                attrs.pop("id", None)
            started.add(id(m))
            out.append(("open", m.tag, attrs))
            open_.append(m)
        out.append(("text", text[a:b]))
    for m in reversed(open_):
        out.append(("close", m.tag))
    return out


def document_marks(doc: dict, *, show_removals: bool = False) -> list[Mark]:
    """Marks for the document page from the plain data of `documents.document_data`
    (and, for a paged source, `pages`: [[offset, page number], ...])."""
    marks: list[Mark] = []
    breaks = doc.get("pages") or []
    for (start, number), following in zip(breaks, [*breaks[1:], [len(doc["text"]), None]]):
        attrs = {"id": f"page-{number}", "class": "pg", "data-page": str(number)}
        marks.append(Mark(start, following[0], "page", "span", attrs))
    for m in doc["mentions"]:
        attrs = {
            "id": f"m-{m['id']}",
            "class": f"m m-{m['type']}",
            "title": f"{m['type']}: {m['entity_name'] or m['name']}",
        }
        if m["entity_id"] is not None:
            attrs["href"] = f"/entity/{m['entity_id']}"
            marks.append(Mark(m["start"], m["end"], "mention", "a", attrs))
        else:
            attrs["class"] += " unresolved"
            marks.append(Mark(m["start"], m["end"], "mention", "span", attrs))
    for t in doc["timexes"]:
        bounds = ""
        if t["lower"] or t["upper"]:
            bounds = f" ({t['lower'] or '…'} – {t['upper'] or '…'})"
        marks.append(
            Mark(
                t["start"],
                t["end"],
                "timex",
                "span",
                {
                    "id": f"t-{t['id']}",
                    "class": f"tx tx-{t['type']}",
                    "title": f"{t['type']} {t['value'] or '?'}{bounds}",
                    "data-edtf": t["value"] or "",
                },
            )
        )
    for e in doc["events"]:
        title = f"event: {e['type']}" + (f", {e['date']}" if e["date"] else "")
        marks.append(
            Mark(
                e["evidence_start"],
                e["evidence_end"],
                "event",
                "span",
                {"id": f"e-{e['id']}", "class": "ev", "title": title, "data-type": e["type"]},
            )
        )
        marks.append(
            Mark(
                e["trigger_start"],
                e["trigger_end"],
                "trigger",
                "span",
                {"class": "trig", "title": e["type"]},
            )
        )
    if show_removals:
        for i, r in enumerate(doc["removals"]):
            replaced = f" → {r.get('replacement')!r}" if r.get("replacement") else ""
            marks.append(
                Mark(
                    r["start"],
                    r["end"],
                    "removal",
                    "span",
                    {"id": f"r-{i}", "class": "rm", "title": f"cleaning: {r['reason']}{replaced}"},
                )
            )
    return marks
