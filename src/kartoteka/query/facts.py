"""Events, relations and contradictions as plain dicts, each with the passage that says so.

Evidence offsets index the original text of the document (as every stored offset does).
"""
from __future__ import annotations

import json

from kartoteka.store import Store

__all__ = ["contradictions", "events_for_entity", "relations_for_entity", "event_evidence"]


def _passage(store: Store, doc_id: int, start: int, end: int) -> dict:
    row = store.conn.execute("SELECT name, substr(text, ? + 1, ?) AS passage FROM documents"
                             " WHERE id = ?", (start, end - start, doc_id)).fetchone()
    return {"doc": doc_id, "name": row["name"] if row else None, "start": start, "end": end,
            "text": row["passage"] if row else None}


def _mention_evidence(store: Store, event_mention_id: int) -> dict | None:
    r = store.conn.execute("SELECT doc_id, evidence_start, evidence_end, trigger_text, type,"
                           " date, date_source FROM event_mentions WHERE id = ?",
                           (event_mention_id,)).fetchone()
    if r is None:
        return None
    out = _passage(store, r["doc_id"], r["evidence_start"], r["evidence_end"])
    out.update(event_mention_id=event_mention_id, trigger=r["trigger_text"], type=r["type"],
               date=r["date"], date_source=r["date_source"])
    return out


def _names(store: Store, ids) -> dict[int, str]:
    ids = list({i for i in ids if i is not None})
    if not ids:
        return {}
    q = ",".join("?" * len(ids))
    return {r[0]: r[1] for r in store.conn.execute(
        f"SELECT id, name FROM entities WHERE id IN ({q})", ids)}


def event_evidence(store: Store, event_id: int) -> list[dict]:
    """Every telling of an event: document, offsets, sentence, trigger, its own date."""
    rows = store.conn.execute("SELECT event_mention_id FROM event_links WHERE event_id = ?"
                              " ORDER BY event_mention_id", (event_id,)).fetchall()
    return [e for r in rows if (e := _mention_evidence(store, r[0])) is not None]


def _event_dict(store: Store, row) -> dict:
    roles = json.loads(row["roles"])
    names = _names(store, [e for ids in roles.values() for e in ids] + [row["place_entity_id"]])
    return {
        "id": row["id"], "type": row["type"], "date": row["date"],
        "date_lower": row["date_lower"], "date_upper": row["date_upper"],
        "sources": row["sources"],
        "place": ({"id": row["place_entity_id"], "name": names.get(row["place_entity_id"])}
                  if row["place_entity_id"] is not None else None),
        "roles": {role: [{"id": e, "name": names.get(e)} for e in ids]
                  for role, ids in roles.items()},
        "evidence": event_evidence(store, row["id"]),
    }


def events_for_entity(store: Store, entity_id: int) -> list[dict]:
    """Events the entity takes part in (any role) or that happened at it, by date."""
    rows = store.conn.execute(
        "SELECT e.* FROM events e WHERE e.place_entity_id = :id OR EXISTS"
        " (SELECT 1 FROM json_each(e.roles) r, json_each(r.value) v WHERE v.value = :id)"
        " ORDER BY e.date_lower IS NULL, e.date_lower, e.id", {"id": entity_id}).fetchall()
    return [_event_dict(store, r) for r in rows]


def all_events(store: Store) -> list[dict]:
    rows = store.conn.execute("SELECT * FROM events ORDER BY date_lower IS NULL, date_lower,"
                              " id").fetchall()
    return [_event_dict(store, r) for r in rows]


def relations_for_entity(store: Store, entity_id: int) -> list[dict]:
    """Relations with the entity on either side, each with the passages stating it."""
    rows = store.conn.execute(
        "SELECT * FROM relations WHERE subject_entity_id = ? OR object_entity_id = ?"
        " ORDER BY predicate, id", (entity_id, entity_id)).fetchall()
    names = _names(store, [r["subject_entity_id"] for r in rows] +
                   [r["object_entity_id"] for r in rows])
    out = []
    for r in rows:
        evidence = []
        for mid in json.loads(r["relation_mention_ids"]):
            m = store.conn.execute("SELECT doc_id, evidence_start, evidence_end, pattern FROM"
                                   " relation_mentions WHERE id = ?", (mid,)).fetchone()
            if m is not None:
                ev = _passage(store, m["doc_id"], m["evidence_start"], m["evidence_end"])
                ev.update(relation_mention_id=mid, pattern=m["pattern"])
                evidence.append(ev)
        out.append({
            "id": r["id"], "predicate": r["predicate"],
            "subject": {"id": r["subject_entity_id"], "name": names.get(r["subject_entity_id"])},
            "object": {"id": r["object_entity_id"], "name": names.get(r["object_entity_id"])},
            "direction": "out" if r["subject_entity_id"] == entity_id else "in",
            "evidence": evidence,
        })
    return out


def contradictions(store: Store) -> list[dict]:
    """Where sources disagree: kind, description and both passages side by side."""
    rows = store.conn.execute("SELECT * FROM contradictions ORDER BY id").fetchall()
    out = []
    for r in rows:
        left = _mention_evidence(store, r["left_event_mention_id"])
        right = _mention_evidence(store, r["right_event_mention_id"])
        event_ids = {row[0] for row in store.conn.execute(
            "SELECT event_id FROM event_links WHERE event_mention_id IN (?, ?)",
            (r["left_event_mention_id"], r["right_event_mention_id"]))}
        out.append({"id": r["id"], "kind": r["kind"], "description": r["description"],
                    "event_ids": sorted(event_ids), "left": left, "right": right})
    return out
