"""TimelineJS (Knight Lab) JSON: one slide per dated event.

The shape is TimelineJS's documented JSON format: `{"title": slide, "events": [slide]}`, a
slide having `start_date` (and `end_date`), each `{"year", "month", "day", "display_date"}`
as far as the date is known, `text` `{"headline", "text"}`, `group` and `unique_id`. The
headline says what happened and to whom; the text quotes the passage of every source that
tells it, with the document and page. A date that is a day, a month or a year is given at that
precision; any other (a season, an approximate or uncertain date, an interval) is given by
its bounds, with the EDTF value as the date shown. Events without a date are left out.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import IO

from kartoteka.export.json import export_data
from kartoteka.export.shared import Passages, date_bounds, events_once
from kartoteka.store import Store

# a year, a month or a day (not a season: "1937-22" is summer 1937)
_PLAIN = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?")


def _date(iso: str, display: str | None = None) -> dict:
    match = _PLAIN.fullmatch(iso)
    if match is None:
        raise ValueError(f"not a plain year, month or day: {iso!r}")
    year, month, day = match.groups()
    date: dict[str, int | str] = {"year": int(year)}
    if month:
        date["month"] = int(month)
    if day:
        date["day"] = int(day)
    if display:
        date["display_date"] = display
    return date


def event_dates(value: str) -> tuple[dict, dict | None] | None:
    """(start_date, end_date or None) for an EDTF value, None if it has no bounds."""
    if _PLAIN.fullmatch(value):
        return _date(value), None
    lower, upper = date_bounds(value)
    if not lower and not upper:
        return None
    start = _date(lower or upper or value, value)
    end = _date(upper, value) if upper and upper != lower else None
    return start, end


def headline(event: dict, names: dict[int, str]) -> str:
    roles = event["roles"]
    words = [event["type"].replace("_", " ").capitalize()]
    for role, joiner in (
        ("agent", "by"),
        ("patient", "of"),
        ("partner", "with"),
        ("recipient", "to"),
    ):
        if roles.get(role):
            words.append(f"{joiner} {', '.join(names.get(i, '?') for i in roles[role])}")
    if event.get("place") in names:
        words.append(f"in {names[event['place']]}")
    return " ".join(words)


def timeline_data(store: Store) -> dict:
    data = export_data(store)
    passages = Passages(store)
    names = {e["id"]: e["name"] for e in data["entities"]}
    # who says it: "Dewar 1951", else the title, else the file name
    documents = {
        d["id"]: d["source"] if d["source"] != d["name"] else d.get("title") or d["name"]
        for d in data["documents"]
    }
    slides = []
    for event in events_once(data):
        dates = event_dates(event["date"]) if event.get("date") else None
        if dates is None:
            continue
        start, end = dates
        quotes = []
        for p in event["evidence"]:
            where = documents.get(p["doc"], str(p["doc"]))
            if p.get("page"):
                where += f", p. {p['page']}"
            quote = escape(passages.text(p["doc"], p["start"], p["end"]))
            quotes.append(f"<p>“{quote}” <em>({escape(where)})</em></p>")
        slide = {
            "start_date": start,
            "text": {"headline": escape(headline(event, names)), "text": "".join(quotes)},
            "group": event["type"],
            "unique_id": f"event-{event['id']}",
        }
        if end:
            slide["end_date"] = end
        slides.append(slide)
    return {
        "title": {
            "text": {
                "headline": "kartoteka",
                "text": f"{len(slides)} dated events from {len(data['documents'])} documents",
            }
        },
        "events": slides,
    }


def write_timelinejs(store: Store, out: IO[str]) -> None:
    json.dump(timeline_data(store), out, ensure_ascii=False, indent=1)
    out.write("\n")
