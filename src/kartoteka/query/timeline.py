"""The timeline: events and dated statements in date order, across documents.

Each line carries the date as written, the EDTF value and its bounds (approximate and
interval dates sort by their earliest day and draw as ranges), a label "who — what — whom",
and the passages it comes from. Durations ("two months") are not points in time and are left
out.

Bounded on a large store: the events are filtered on their dates and participants without
reading any text, and passages are cut only for the lines asked for (`limit`, `offset`),
reading each document's text once; dated statements are found through the time expressions'
date index and counted in SQL.
"""

from __future__ import annotations

import json
import math
from datetime import date

from kartoteka.query.documents import document_labels
from kartoteka.query.errors import BadValue
from kartoteka.query.sources import source_labels
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders
from kartoteka.time.values import bounds, sort_key

__all__ = ["period_bounds", "timeline", "timeline_page", "LANES"]

#: lanes drawn when the user picks none: the entities taking part in the most events
LANES = 8
#: the densest stretch the timeline opens on holds this share of the dated events
DENSE_SHARE = 0.6
#: roles read as the "who" of "who — what — whom"; the others are the "whom"
WHO_ROLES = ("agent",)
#: names shown per side of a label before "and N more"
NAMES_PER_SIDE = 2


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


def timeline(
    store: Store,
    *,
    entity_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    dated_statements: bool = True,
) -> list[dict]:
    """Every line of the timeline, earliest first; filter by entity and by period (EDTF)."""
    return timeline_page(
        store,
        entity_id=entity_id,
        start=start,
        end=end,
        dated_statements=dated_statements,
        limit=None,
        lanes=(),
    )["items"]


def timeline_page(
    store: Store,
    *,
    entity_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    dated_statements: bool = False,
    limit: int | None = 1000,
    offset: int = 0,
    lanes: tuple[int, ...] | None = None,
) -> dict:
    """One page of the timeline: `items` from `offset` (at most `limit`), the `total` there
    are, the `lanes` to group events in (the entities given, else the `LANES` most active),
    and the `window` to open on (the period asked for, else the densest stretch)."""
    lower, upper = period_bounds(start, end)
    events = _events(store, entity_id, lower, upper)
    statements_total = _count_statements(store, entity_id, lower, upper) if dated_statements else 0
    end_at = None if limit is None else offset + limit
    statements = _statements(store, entity_id, lower, upper, end_at) if dated_statements else []
    merged = sorted(events[:end_at] + statements, key=_in_time)
    items = merged[offset:end_at]
    _fill_events(store, [i for i in items if i["kind"] == "event"])
    _fill_statements(store, [i for i in items if i["kind"] == "date"])
    lane_list = _lanes(store, events, lanes)
    chosen = {lane["id"] for lane in lane_list}
    for item in items:
        item["lanes"] = [e for e in item.pop("_members", []) if e in chosen]
    return {
        "total": len(events) + statements_total,
        "events": len(events),
        "offset": offset,
        "limit": limit,
        "items": items,
        "lanes": lane_list,
        "window": _window(events, lower, upper),
    }


def _in_time(line: dict) -> tuple:
    """Earliest first, BC days too ("-0480" before "-0043"); an event before a sentence
    dated the same."""
    return (
        sort_key(line["lower"] or "9999-12-31"),
        sort_key(line["upper"] or "9999-12-31"),
        line["kind"] != "event",
    )


def _within(item_lower: str | None, item_upper: str | None, lower, upper) -> bool:
    """Whether an item's bounds meet the period, compared as dates (BC included), not text."""
    if lower and item_upper and sort_key(item_upper) < sort_key(lower):
        return False
    return not (upper and item_lower and sort_key(item_lower) > sort_key(upper))


def _text_bounds(lower: str | None, upper: str | None) -> dict:
    """The period for SQL, where ISO strings compare as text: right for years 1-9999, not
    between BC days ("-0480" > "-0043" as text), so a BC bound is left to `_within`."""
    return {
        "lower": None if lower and lower.startswith("-") else lower,
        "upper": None if upper and upper.startswith("-") else upper,
    }


# events ------------------------------------------------------------------------------------


def _optional_columns(store: Store, table: str, wanted: tuple[str, ...]) -> list[str]:
    """Columns a newer schema may have (an event's `modality`): read them where present."""
    present = {r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")}
    return [c for c in wanted if c in present]


def _events(store: Store, entity_id: int | None, lower, upper) -> list[dict]:
    """Every dated event meeting the period (and with the entity), earliest first, with what
    sorting, filtering and labelling need; no passage yet."""
    extra = _optional_columns(store, "events", ("modality",))
    out = []
    for r in store.conn.execute(
        "SELECT id, type, date, date_lower, date_upper, place_entity_id, sources, roles"
        + "".join(f", {c}" for c in extra)
        + " FROM events WHERE date IS NOT NULL"
        " AND (:lower IS NULL OR date_upper IS NULL OR date_upper >= :lower)"
        " AND (:upper IS NULL OR date_lower IS NULL OR date_lower <= :upper)"
        " ORDER BY date_lower, date_upper, id",
        _text_bounds(lower, upper),
    ):
        roles = json.loads(r["roles"])
        members = list(dict.fromkeys(e for ids in roles.values() for e in ids))
        if entity_id is not None and entity_id not in members and r["place_entity_id"] != entity_id:
            continue
        if not _within(r["date_lower"], r["date_upper"], lower, upper):
            continue
        line = dict(
            kind="event",
            id=r["id"],
            type=r["type"],
            date=r["date"],
            lower=r["date_lower"],
            upper=r["date_upper"],
            sources=r["sources"],
            roles=roles,
            place_id=r["place_entity_id"],
            _members=members,
            **_date_shape(r["date"], r["date_lower"], r["date_upper"]),
        )
        for c in extra:
            line[c] = r[c]
        out.append(line)
    out.sort(key=_in_time)  # SQL ordered them as text, which puts BC days backwards
    return out


def _fill_events(store: Store, lines: list[dict]) -> None:
    """Names, label, the date as written and the passages of the events on the page."""
    if not lines:
        return
    ids = {e for line in lines for e in line["_members"]}
    ids |= {line["place_id"] for line in lines if line["place_id"] is not None}
    names = _names(store, ids)
    tellings = _tellings(store, [line["id"] for line in lines])
    texts = _Texts(store)
    for line in lines:
        told = tellings.get(line["id"], [])
        line["label"] = event_label(line["type"], line["roles"], names)
        line["place"] = names.get(line["place_id"])
        line["written"] = next(
            (t["written"] for t in told if t["written"] and t["date_source"] == "clause"), None
        )
        line["date_source"] = next((t["date_source"] for t in told if t["date_source"]), None)
        if "modality" not in line:
            line["modality"] = next((t["modality"] for t in told if t.get("modality")), None)
        if line["modality"] not in (None, "asserted"):  # how sure, in the label itself
            line["label"] = event_label(line["type"], line["roles"], names, line["modality"])
        line["who"] = {
            role: [{"id": e, "name": names.get(e, str(e))} for e in ids]
            for role, ids in line["roles"].items()
            if ids
        }
        line["evidence"] = [
            dict(
                doc=t["doc_id"],
                name=t["doc_name"],
                label=texts.label(t["doc_id"]),
                source=texts.source(t["doc_id"]),
                start=t["evidence_start"],
                end=t["evidence_end"],
                text=texts.cut(t["doc_id"], t["evidence_start"], t["evidence_end"]),
                anchor=f"e-{t['id']}",
            )
            for t in told
        ]


def event_label(
    type_: str, roles: dict[str, list[int]], names: dict[int, str], modality: str | None = None
) -> str:
    """ "who — what — whom": the agents, the event type (with how sure the source is, when
    it is not simply asserted), the other participants.

    >>> event_label("KIDNAPPING", {"agent": [1], "patient": [2]}, {1: "Skoblin", 2: "Miller"})
    'Skoblin — kidnapping — Miller'
    >>> event_label("KILLING", {"patient": [2]}, {2: "Reiss"}, "hedged")
    'killing [hedged] — Reiss'
    >>> event_label("TRIAL", {}, {})
    'trial'
    """

    def side(ids: list[int]) -> str:
        shown = [" ".join(names.get(e, str(e)).split()) for e in ids[:NAMES_PER_SIDE]]
        more = len(ids) - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    who = [e for role in WHO_ROLES for e in roles.get(role, [])]
    whom = [e for role, ids in roles.items() if role not in WHO_ROLES for e in ids]
    what = type_.replace("_", " ").lower()
    if modality not in (None, "asserted"):
        what += f" [{modality}]"
    return " — ".join(p for p in (side(who), what, side(whom)) if p)


def _tellings(store: Store, event_ids: list[int]) -> dict[int, list[dict]]:
    extra = _optional_columns(store, "event_mentions", ("modality",))
    out: dict[int, list[dict]] = {}
    for chunk in batches(event_ids):
        for r in store.conn.execute(
            "SELECT l.event_id, m.id, m.doc_id, m.evidence_start, m.evidence_end, m.timex_idx,"
            " m.date_source, t.text AS written, d.name AS doc_name"
            + "".join(f", m.{c}" for c in extra)
            + " FROM event_links l JOIN event_mentions m ON m.id = l.event_mention_id"
            " JOIN documents d ON d.id = m.doc_id"
            " LEFT JOIN timexes t ON t.doc_id = m.doc_id AND t.idx = m.timex_idx"
            f" WHERE l.event_id IN ({placeholders(chunk)})"
            " ORDER BY m.doc_id, m.evidence_start",
            chunk,
        ):
            out.setdefault(r["event_id"], []).append(dict(r))
    return out


def _date_shape(value: str | None, lower: str | None, upper: str | None) -> dict:
    """How a date is to be drawn: a day or a range, approximate (~), uncertain (?)."""
    value = value or ""
    return {
        "range": bool(lower and upper and lower != upper),
        "approximate": "~" in value or "%" in value,
        "uncertain": "?" in value or "%" in value,
    }


# dated statements --------------------------------------------------------------------------

_STATEMENTS = (
    " FROM timexes t WHERE t.type IN ('DATE', 'TIME') AND t.lower IS NOT NULL"
    " AND (:lower IS NULL OR t.upper >= :lower) AND (:upper IS NULL OR t.lower <= :upper)"
    # a date an event took is drawn as that event
    " AND NOT EXISTS (SELECT 1 FROM event_mentions em JOIN event_links l"
    " ON l.event_mention_id = em.id WHERE em.doc_id = t.doc_id AND em.timex_idx = t.idx)"
    " AND (:entity IS NULL OR EXISTS (SELECT 1 FROM mentions m JOIN sentences s"
    " ON s.doc_id = m.doc_id AND s.idx = m.sentence WHERE m.entity_id = :entity"
    ' AND m.doc_id = t.doc_id AND s.start <= t.start AND t.start < s."end"))'
)


def _count_statements(store: Store, entity_id: int | None, lower, upper) -> int:
    return store.conn.execute(
        "SELECT COUNT(*)" + _STATEMENTS, {"lower": lower, "upper": upper, "entity": entity_id}
    ).fetchone()[0]


def _statements(store: Store, entity_id, lower, upper, limit: int | None) -> list[dict]:
    """Sentences holding a date that no event took ("In December 1936 Kandelaki ..."), the
    first `limit` in date order; no passage yet."""
    rows = store.conn.execute(
        "SELECT t.id, t.doc_id, t.start, t.text, t.value, t.lower, t.upper, t.anchor"
        + _STATEMENTS
        + " ORDER BY t.lower, t.upper, t.doc_id, t.start LIMIT :limit",
        {
            "lower": lower,
            "upper": upper,
            "entity": entity_id,
            "limit": -1 if limit is None else limit,
        },
    )
    return [
        dict(
            kind="date",
            id=None,
            type=None,
            date=r["value"],
            lower=r["lower"],
            upper=r["upper"],
            written=r["text"],
            anchor=r["anchor"],
            sources=1,
            place=None,
            _timex=(r["id"], r["doc_id"], r["start"]),
            **_date_shape(r["value"], r["lower"], r["upper"]),
        )
        for r in rows
    ]


def _fill_statements(store: Store, lines: list[dict]) -> None:
    texts = _Texts(store)
    for line in lines:
        timex_id, doc_id, start = line.pop("_timex")
        row = store.conn.execute(
            'SELECT start, "end" FROM sentences WHERE doc_id = ? AND start <= ?'
            " ORDER BY start DESC LIMIT 1",
            (doc_id, start),
        ).fetchone()
        s_start, s_end = (row[0], row[1]) if row else (start, start)
        passage = texts.cut(doc_id, s_start, s_end)
        line["label"] = passage
        line["evidence"] = [
            dict(
                doc=doc_id,
                name=texts.name(doc_id),
                label=texts.label(doc_id),
                source=texts.source(doc_id),
                start=s_start,
                end=s_end,
                text=passage,
                anchor=f"t-{timex_id}",
            )
        ]


# lanes and the window ----------------------------------------------------------------------


def _lanes(store: Store, events: list[dict], chosen: tuple[int, ...] | None) -> list[dict]:
    """The entities to group events by: those `chosen`, else (None) the most active people
    and organizations (in the most events of the filtered timeline); () for none."""
    if chosen == ():
        return []
    counts: dict[int, int] = {}
    for line in events:
        for e in line["_members"]:
            counts[e] = counts.get(e, 0) + 1
    if chosen:
        ids = list(dict.fromkeys(chosen))
    else:
        ids = sorted(counts, key=lambda e: (-counts[e], e))[: LANES * 3]  # spare: no places
    rows = {r["id"]: dict(r) for r in _entity_rows(store, ids)}
    lanes = [{**rows[e], "count": counts.get(e, 0)} for e in ids if e in rows]
    return lanes if chosen else [lane for lane in lanes if lane["type"] != "PLACE"][:LANES]


def _window(events: list[dict], lower: str | None, upper: str | None) -> dict | None:
    """Where to open: the period asked for, else the shortest stretch holding `DENSE_SHARE`
    of the dated events (padded a little), so a few far outliers do not shrink the rest."""
    if lower or upper:
        return {"start": lower, "end": upper, "reason": "period"}
    days = sorted(
        d for d in (_ordinal(line["lower"]) for line in events if line["lower"]) if d is not None
    )
    if not days:
        return None
    k = max(1, math.ceil(len(days) * DENSE_SHARE))
    best = min(range(len(days) - k + 1), key=lambda i: (days[i + k - 1] - days[i], i))
    first, last = days[best], days[best + k - 1]
    pad = max(20, (last - first) // 5)
    return {
        "start": date.fromordinal(max(1, first - pad)).isoformat(),
        # twice as much room after the last: a day's label is written to the right of it
        "end": date.fromordinal(min(date.max.toordinal(), last + 2 * pad)).isoformat(),
        "reason": "densest",
    }


def _ordinal(iso: str) -> int | None:
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:  # BC years and other values Python's dates do not hold
        return None


# helpers -----------------------------------------------------------------------------------


def _entity_rows(store: Store, ids) -> list:
    out = []
    for chunk in batches(list(ids)):
        out += store.conn.execute(
            f"SELECT id, name, type FROM entities WHERE id IN ({placeholders(chunk)})",
            chunk,
        ).fetchall()
    return out


def _names(store: Store, ids) -> dict[int, str]:
    return {r["id"]: r["name"] for r in _entity_rows(store, ids)}


class _Texts:
    """Documents' texts, each read once, to cut passages from (SQLite's substr would read a
    long document's whole text again for every passage)."""

    def __init__(self, store: Store):
        self.store = store
        self._texts: dict[int, str] = {}
        self._names: dict[int, str | None] = {}
        self._labels: dict[int, str] | None = None
        self._sources: dict[int, str] | None = None

    def _load(self, doc_id: int) -> None:
        if doc_id not in self._texts:
            row = self.store.conn.execute(
                "SELECT name, text FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
            self._texts[doc_id] = row["text"] if row else ""
            self._names[doc_id] = row["name"] if row else None

    def cut(self, doc_id: int, start: int, end: int) -> str:
        self._load(doc_id)
        return " ".join(self._texts[doc_id][start:end].split())

    def name(self, doc_id: int) -> str | None:
        self._load(doc_id)
        return self._names[doc_id]

    def label(self, doc_id: int) -> str | None:
        """What to call the document ("a/notes.txt" where two folders hold a notes.txt)."""
        if self._labels is None:
            self._labels = document_labels(self.store)
        return self._labels.get(doc_id)

    def source(self, doc_id: int) -> str | None:
        """Who says it ("Dewar 1951"), else the document's label."""
        if self._sources is None:
            self._sources = source_labels(self.store)
        return self._sources.get(doc_id)
