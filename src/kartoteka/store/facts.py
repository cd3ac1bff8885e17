"""Store reads and writes for events and relations across sources.

The records read here (every event and relation mention, with the entities resolution gave
their mentions) go to `kartoteka.events.merge`; `kartoteka.corpus` writes what it returns
back with `write_facts`, in the same transaction as resolution.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Iterable, Sequence

from kartoteka.events.merge import (
    Contradiction,
    EventRecord,
    MergedEvent,
    MergedRelation,
    RelationRecord,
)
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders

__all__ = ["read_event_records", "read_relation_records", "place_names", "write_facts"]


def _sentence_index(store: Store) -> dict[int, list[int]]:
    starts: dict[int, list[int]] = {}
    for row in store.conn.execute("SELECT doc_id, start FROM sentences ORDER BY doc_id, idx"):
        starts.setdefault(row[0], []).append(row[1])
    return starts


def read_event_records(store: Store) -> list[EventRecord]:
    conn = store.conn
    entity_of = {
        (r[0], r[1]): r[2] for r in conn.execute("SELECT doc_id, idx, entity_id FROM mentions")
    }
    starts = _sentence_index(store)
    records: dict[int, EventRecord] = {}
    for r in conn.execute(
        "SELECT id, doc_id, type, date, date_source, place_mention_idx,"
        " evidence_start, modality, refers_back FROM event_mentions ORDER BY id"
    ):
        doc_starts = starts.get(r["doc_id"], [])
        sentence = (
            bisect.bisect_right(doc_starts, r["evidence_start"]) - 1
            if doc_starts
            else r["evidence_start"]
        )
        place = (
            entity_of.get((r["doc_id"], r["place_mention_idx"]))
            if r["place_mention_idx"] is not None
            else None
        )
        records[r["id"]] = EventRecord(
            r["id"],
            r["doc_id"],
            r["type"],
            {},
            r["date"],
            r["date_source"],
            place,
            sentence,
            r["modality"],
            bool(r["refers_back"]),
        )
    for r in conn.execute(
        "SELECT er.event_mention_id, er.role, er.mention_idx, em.doc_id"
        " FROM event_roles er JOIN event_mentions em"
        " ON em.id = er.event_mention_id"
    ):
        ent = entity_of.get((r[3], r[2]))
        rec = records.get(r[0])
        if ent is not None and rec is not None:
            rec.roles.setdefault(r[1], set()).add(ent)
    return list(records.values())


def read_relation_records(store: Store) -> list[RelationRecord]:
    conn = store.conn
    entity_of = {
        (r[0], r[1]): r[2] for r in conn.execute("SELECT doc_id, idx, entity_id FROM mentions")
    }
    return [
        RelationRecord(r[0], entity_of.get((r[1], r[2])), r[3], entity_of.get((r[1], r[4])))
        for r in conn.execute(
            "SELECT id, doc_id, subject_idx, predicate, object_idx"
            " FROM relation_mentions ORDER BY id"
        )
    ]


def place_names(store: Store, event_mention_ids: Iterable[int]) -> dict[int, str | None]:
    """The name of the entity each event mention places its event in."""
    names: dict[int, str | None] = {}
    for chunk in batches(list(event_mention_ids)):
        for r in store.conn.execute(
            "SELECT em.id, e.name FROM event_mentions em JOIN mentions m"
            " ON m.doc_id = em.doc_id AND m.idx = em.place_mention_idx"
            " LEFT JOIN entities e ON e.id = m.entity_id"
            f" WHERE em.id IN ({placeholders(chunk)})",
            chunk,
        ):
            names[r[0]] = r[1]
    return names


def write_facts(
    conn: sqlite3.Connection,
    events: Sequence[MergedEvent],
    relations: Sequence[MergedRelation],
    contradictions: Sequence[tuple[Contradiction, str]],
) -> None:
    """Rewrite `events`, `event_links`, `relations` and `contradictions` (each contradiction
    with its description); call inside a transaction."""
    conn.execute("DELETE FROM event_links")
    conn.execute("DELETE FROM events")
    conn.execute("DELETE FROM relations")
    conn.execute("DELETE FROM contradictions")
    for ev in events:
        cur = conn.execute(
            "INSERT INTO events (type, date, date_lower, date_upper, place_entity_id,"
            " sources, roles, modality, date_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ev.type,
                ev.date,
                ev.date_lower,
                ev.date_upper,
                ev.place,
                ev.sources,
                json.dumps(ev.roles, sort_keys=True),
                ev.modality,
                ev.date_source,
            ),
        )
        conn.executemany(
            "INSERT INTO event_links (event_id, event_mention_id) VALUES (?, ?)",
            [(cur.lastrowid, mid) for mid in ev.mention_ids],
        )
    conn.executemany(
        "INSERT INTO relations (subject_entity_id, predicate, object_entity_id,"
        " relation_mention_ids) VALUES (?, ?, ?, ?)",
        [(r.subject, r.predicate, r.object, json.dumps(r.mention_ids)) for r in relations],
    )
    conn.executemany(
        "INSERT INTO contradictions (kind, left_event_mention_id, right_event_mention_id,"
        " description, alternative) VALUES (?, ?, ?, ?, ?)",
        [(c.kind, c.left, c.right, d, int(c.alternative)) for c, d in contradictions],
    )
