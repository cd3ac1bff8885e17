"""The timeline: events and dated statements in date order, across documents.

Each line carries the date as written, the EDTF value and its bounds (approximate and
interval dates sort by their earliest day and draw as ranges), and the passage it comes from.
Durations ("two months") are not points in time and are left out.
"""

from __future__ import annotations

import json

from kartoteka.query.errors import BadValue
from kartoteka.query.sources import source_labels
from kartoteka.store import Store
from kartoteka.time.values import bounds, sort_key


def period_bounds(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """ISO bounds of a period given as EDTF values: `--from 1937 --to 1937-06`.

    >>> period_bounds("1937", "1937-06")
    ('1937-01-01', '1937-06-30')
    """
    try:
        lower = bounds(start)[0] if start else None
        upper = bounds(end)[1] if end else None
    except ValueError as e:
        raise BadValue(f"{e}; give dates in EDTF, e.g. 1937, 1937-05 or 1937-05-12") from e
    return lower, upper


def _within(item_lower, item_upper, lower, upper) -> bool:
    if lower and item_upper and sort_key(item_upper) < sort_key(lower):
        return False
    if upper and item_lower and sort_key(item_lower) > sort_key(upper):
        return False
    return True


def timeline(
    store: Store,
    *,
    entity_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    dated_statements: bool = True,
) -> list[dict]:
    """Lines of the timeline, earliest first; filter by entity and by period (EDTF)."""
    lower, upper = period_bounds(start, end)
    documents = {r[0]: r[1] for r in store.conn.execute("SELECT id, name FROM documents")}
    lines, event_timexes = _event_lines(store, entity_id, lower, upper, documents)

    if dated_statements:
        lines += _dated_statements(store, entity_id, lower, upper, event_timexes, documents)
    labels = source_labels(store)  # who says it, beside each passage ("Dewar 1951")
    for line in lines:
        for passage in line["evidence"]:
            passage["source"] = labels.get(passage["doc"], passage["name"])
    lines.sort(
        key=lambda line: (
            sort_key(line["lower"] or "9999-12-31"),  # BC days too: "-0480" before "-0043"
            sort_key(line["upper"] or "9999-12-31"),
            line["kind"] != "event",
        )
    )
    return lines


def _event_lines(store, entity_id, lower, upper, documents) -> tuple[list[dict], set]:
    """A line per dated event (of the entity, in the period), and the time expressions
    the events took their dates from (those are not repeated as dated statements)."""
    conn = store.conn
    names = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM entities")}
    lines: list[dict] = []
    event_timexes: set[tuple[int, int]] = set()
    for ev in conn.execute("SELECT * FROM events WHERE date IS NOT NULL"):
        roles = json.loads(ev["roles"])
        members = {e for ids in roles.values() for e in ids}
        if ev["place_entity_id"] is not None:
            members.add(ev["place_entity_id"])
        tellings = conn.execute(_TELLINGS, (ev["id"],)).fetchall()
        for t in tellings:
            if t["timex_idx"] is not None:
                event_timexes.add((t["doc_id"], t["timex_idx"]))
        if entity_id is not None and entity_id not in members:
            continue
        if not _within(ev["date_lower"], ev["date_upper"], lower, upper):
            continue
        who = "; ".join(
            f"{role}: {', '.join(names.get(e, str(e)) for e in ids)}"
            for role, ids in roles.items()
            if ids
        )
        lines.append(
            dict(
                kind="event",
                id=ev["id"],
                type=ev["type"],
                date=ev["date"],
                lower=ev["date_lower"],
                upper=ev["date_upper"],
                # as written: only where the telling's own date came from that expression
                written=next(
                    (
                        t["written"]
                        for t in tellings
                        if t["written"] and t["date_source"] == "clause"
                    ),
                    None,
                ),
                label=f"{ev['type']}"
                + (f" [{ev['modality']}]" if ev["modality"] != "asserted" else "")
                + (f" ({who})" if who else ""),
                # how sure the sources are, and whether the date is stated or the narrative's
                modality=ev["modality"],
                date_source=ev["date_source"],
                sources=ev["sources"],
                place=names.get(ev["place_entity_id"]),
                evidence=[
                    dict(
                        doc=t["doc_id"],
                        name=documents.get(t["doc_id"]),
                        start=t["evidence_start"],
                        end=t["evidence_end"],
                        text=" ".join(t["passage"].split()),
                    )
                    for t in tellings
                ],
            )
        )
    return lines, event_timexes


_TELLINGS = (
    "SELECT m.doc_id, m.evidence_start, m.evidence_end, m.timex_idx, m.date_source,"
    " t.text AS written,"
    " substr(d.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS passage"
    " FROM event_links l JOIN event_mentions m ON m.id = l.event_mention_id"
    " JOIN documents d ON d.id = m.doc_id"
    " LEFT JOIN timexes t ON t.doc_id = m.doc_id AND t.idx = m.timex_idx"
    " WHERE l.event_id = ? ORDER BY m.doc_id, m.evidence_start"
)


def _dated_statements(store, entity_id, lower, upper, skip, documents) -> list[dict]:
    """Sentences holding a date that no event took: "In December 1936 Kandelaki ..."."""
    rows = store.conn.execute(
        "SELECT t.doc_id, t.idx, t.text, t.value, t.lower, t.upper, t.anchor,"
        ' s.start AS s_start, s."end" AS s_end,'
        ' substr(d.text, s.start + 1, s."end" - s.start) AS passage'
        " FROM timexes t JOIN documents d ON d.id = t.doc_id"
        ' JOIN sentences s ON s.doc_id = t.doc_id AND s.start <= t.start AND t.start < s."end"'
        " WHERE t.type IN ('DATE', 'TIME') AND t.lower IS NOT NULL"
        " ORDER BY t.lower"
    ).fetchall()
    spans: dict[int, list[int]] = {}
    if entity_id is not None:
        for m in store.conn.execute(
            "SELECT doc_id, start FROM mentions WHERE entity_id = ?", (entity_id,)
        ):
            spans.setdefault(m[0], []).append(m[1])
    lines = []
    for r in rows:
        if (r["doc_id"], r["idx"]) in skip or not _within(r["lower"], r["upper"], lower, upper):
            continue
        if entity_id is not None and not any(
            r["s_start"] <= s < r["s_end"] for s in spans.get(r["doc_id"], ())
        ):
            continue
        lines.append(
            dict(
                kind="date",
                id=None,
                type=None,
                date=r["value"],
                lower=r["lower"],
                upper=r["upper"],
                written=r["text"],
                anchor=r["anchor"],
                label=" ".join(r["passage"].split()),
                sources=1,
                place=None,
                evidence=[
                    dict(
                        doc=r["doc_id"],
                        name=documents.get(r["doc_id"]),
                        start=r["s_start"],
                        end=r["s_end"],
                        text=" ".join(r["passage"].split()),
                    )
                ],
            )
        )
    return lines


def add_anchors(store: Store, lines: list[dict]) -> None:
    """Give each passage the anchor of its place in the document page: the event sentence
    (#e-ID) for an event, the date (#t-ID) for a dated sentence."""
    wanted = {
        (p["doc"], p["start"])
        for line in lines
        if line["kind"] == "event"
        for p in line["evidence"]
    }
    events: dict[tuple[int, int], int] = {}
    for doc_id in {d for d, _ in wanted}:
        for r in store.conn.execute(
            "SELECT id, evidence_start FROM event_mentions WHERE doc_id = ? ORDER BY id", (doc_id,)
        ):
            events.setdefault((doc_id, r[1]), r[0])
    for line in lines:
        for p in line["evidence"]:
            if line["kind"] == "event":
                found = events.get((p["doc"], p["start"]))
                p["anchor"] = f"e-{found}" if found else None
            else:
                row = store.conn.execute(
                    "SELECT id FROM timexes WHERE doc_id = ? AND start >= ? AND start < ?"
                    " AND text = ? ORDER BY start LIMIT 1",
                    (p["doc"], p["start"], p["end"], line.get("written")),
                ).fetchone()
                p["anchor"] = f"t-{row[0]}" if row else None
