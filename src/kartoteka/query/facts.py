"""Events, relations and contradictions as plain dicts, each with the passage that says so.

Evidence offsets index the original text of the document (as every stored offset does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kartoteka.query.documents import document_labels
from kartoteka.query.sources import source_labels
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders

__all__ = [
    "Naming",
    "Page",
    "contradictions",
    "count_events_for_entity",
    "count_relations_for_entity",
    "event_evidence",
    "events_for_entity",
    "naming",
    "relations_for_entity",
]


@dataclass(frozen=True)
class Naming:
    """What to call each document, read once per answer: `labels` its file name (or the end
    of its path that tells two of one name apart), `sources` its citation ("Dewar 1951")."""

    labels: dict[int, str]
    sources: dict[int, str]


def naming(store: Store) -> Naming:
    return Naming(document_labels(store), source_labels(store))


@dataclass(frozen=True)
class Page:
    """Which part of a long list to give: `limit` items (None: all) from `offset`."""

    offset: int = 0
    limit: int | None = None

    def sql(self) -> tuple[int, int]:
        """LIMIT and OFFSET values."""
        return (-1 if self.limit is None else self.limit, self.offset)

    def report(self, total: int, shown: int) -> dict:
        """What the answer says of the page: `more` when items follow it."""
        return {
            "total": total,
            "offset": self.offset,
            "limit": self.limit,
            "shown": shown,
            "more": self.offset + shown < total,
        }


def _passage(
    store: Store, doc_id: int, start: int, end: int, labels: dict[int, str] | None = None
) -> dict:
    row = store.conn.execute(
        "SELECT name, substr(text, ? + 1, ?) AS passage FROM documents WHERE id = ?",
        (start, end - start, doc_id),
    ).fetchone()
    return {
        "doc": doc_id,
        "name": row["name"] if row else None,
        "label": (labels if labels is not None else document_labels(store)).get(doc_id),
        "start": start,
        "end": end,
        "text": row["passage"] if row else None,
    }


def _mention_evidence(
    store: Store, event_mention_id: int, labels: dict[int, str] | None = None
) -> dict | None:
    r = store.conn.execute(
        "SELECT doc_id, evidence_start, evidence_end, trigger_text, type,"
        " date, date_source, modality FROM event_mentions WHERE id = ?",
        (event_mention_id,),
    ).fetchone()
    if r is None:
        return None
    out = _passage(store, r["doc_id"], r["evidence_start"], r["evidence_end"], labels)
    out.update(
        event_mention_id=event_mention_id,
        trigger=r["trigger_text"],
        type=r["type"],
        date=r["date"],
        date_source=r["date_source"],
        modality=r["modality"],
    )
    return out


def _names(store: Store, ids) -> dict[int, str]:
    return {
        r[0]: r[1]
        for chunk in batches(list({i for i in ids if i is not None}))
        for r in store.conn.execute(
            f"SELECT id, name FROM entities WHERE id IN ({placeholders(chunk)})", chunk
        )
    }


def event_evidence(store: Store, event_id: int) -> list[dict]:
    """Every telling of an event: document, offsets, sentence, trigger, its own date."""
    return _evidence_by_event(store, [event_id])[event_id]


def _evidence_by_event(
    store: Store, event_ids: list[int], named: Naming | None = None
) -> dict[int, list[dict]]:
    """The tellings of many events in one query per 500 events, not one per telling."""
    out: dict[int, list[dict]] = {i: [] for i in event_ids}
    if not event_ids:
        return out
    named = named or naming(store)
    labels, sources = named.labels, named.sources
    for chunk in batches(event_ids):
        q = placeholders(chunk)
        for r in store.conn.execute(
            "SELECT l.event_id, m.id, m.doc_id, m.evidence_start, m.evidence_end,"
            " m.trigger_text, m.type, m.date, m.date_source, m.modality, d.name,"
            " substr(d.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS text"
            " FROM event_links l JOIN event_mentions m ON m.id = l.event_mention_id"
            f" JOIN documents d ON d.id = m.doc_id WHERE l.event_id IN ({q})"
            " ORDER BY l.event_id, m.id",
            chunk,
        ):
            out[r["event_id"]].append(
                {
                    "doc": r["doc_id"],
                    "name": r["name"],
                    "label": labels.get(r["doc_id"]),
                    "source": sources.get(r["doc_id"], r["name"]),
                    "start": r["evidence_start"],
                    "end": r["evidence_end"],
                    "text": r["text"],
                    "event_mention_id": r["id"],
                    "trigger": r["trigger_text"],
                    "type": r["type"],
                    "date": r["date"],
                    "date_source": r["date_source"],
                    "modality": r["modality"],
                }
            )
    return out


def _event_dicts(store: Store, rows, named: Naming | None = None) -> list[dict]:
    roles_of = {row["id"]: json.loads(row["roles"]) for row in rows}
    names = _names(
        store,
        [e for roles in roles_of.values() for ids in roles.values() for e in ids]
        + [row["place_entity_id"] for row in rows],
    )
    evidence = _evidence_by_event(store, [row["id"] for row in rows], named)
    return [
        {
            "id": row["id"],
            "type": row["type"],
            "date": row["date"],
            "date_source": row["date_source"],
            "modality": row["modality"],
            "date_lower": row["date_lower"],
            "date_upper": row["date_upper"],
            "sources": row["sources"],
            "place": (
                {"id": row["place_entity_id"], "name": names.get(row["place_entity_id"])}
                if row["place_entity_id"] is not None
                else None
            ),
            "roles": {
                role: [{"id": e, "name": names.get(e)} for e in ids]
                for role, ids in roles_of[row["id"]].items()
            },
            "evidence": evidence[row["id"]],
        }
        for row in rows
    ]


#: the events an entity takes part in (any role) or that happened at it
_EVENTS_OF = (
    " FROM events e WHERE e.place_entity_id = :id OR EXISTS"
    " (SELECT 1 FROM json_each(e.roles) r, json_each(r.value) v WHERE v.value = :id)"
)


def events_for_entity(
    store: Store, entity_id: int, page: Page = Page(), named: Naming | None = None
) -> list[dict]:
    """Events the entity takes part in (any role) or that happened at it, by date; `page`
    of them."""
    limit, offset = page.sql()
    rows = store.conn.execute(
        "SELECT e.*" + _EVENTS_OF + " ORDER BY e.date_lower IS NULL, e.date_lower, e.id"
        " LIMIT :limit OFFSET :offset",
        {"id": entity_id, "limit": limit, "offset": offset},
    ).fetchall()
    return _event_dicts(store, rows, named)


def count_events_for_entity(store: Store, entity_id: int) -> int:
    return store.conn.execute("SELECT COUNT(*)" + _EVENTS_OF, {"id": entity_id}).fetchone()[0]


def all_events(store: Store) -> list[dict]:
    rows = store.conn.execute(
        "SELECT * FROM events ORDER BY date_lower IS NULL, date_lower, id"
    ).fetchall()
    return _event_dicts(store, rows)


def relations_for_entity(
    store: Store, entity_id: int, page: Page = Page(), named: Naming | None = None
) -> list[dict]:
    """Relations with the entity on either side, each with the passages stating it; `page`
    of them."""
    limit, offset = page.sql()
    rows = store.conn.execute(
        "SELECT * FROM relations WHERE subject_entity_id = :id OR object_entity_id = :id"
        " ORDER BY predicate, id LIMIT :limit OFFSET :offset",
        {"id": entity_id, "limit": limit, "offset": offset},
    ).fetchall()
    names = _names(
        store, [r["subject_entity_id"] for r in rows] + [r["object_entity_id"] for r in rows]
    )
    mention_ids = [mid for r in rows for mid in json.loads(r["relation_mention_ids"])]
    passages = _relation_passages(store, mention_ids, named)
    out = []
    for r in rows:
        evidence = [
            passages[mid] for mid in json.loads(r["relation_mention_ids"]) if mid in passages
        ]
        out.append(
            {
                "id": r["id"],
                "predicate": r["predicate"],
                "subject": {
                    "id": r["subject_entity_id"],
                    "name": names.get(r["subject_entity_id"]),
                },
                "object": {"id": r["object_entity_id"], "name": names.get(r["object_entity_id"])},
                "direction": "out" if r["subject_entity_id"] == entity_id else "in",
                "evidence": evidence,
            }
        )
    return out


def count_relations_for_entity(store: Store, entity_id: int) -> int:
    return store.conn.execute(
        "SELECT COUNT(*) FROM relations WHERE subject_entity_id = :id OR object_entity_id = :id",
        {"id": entity_id},
    ).fetchone()[0]


def _relation_passages(
    store: Store, mention_ids: list[int], named: Naming | None
) -> dict[int, dict]:
    """The passage of each relation mention, by its id."""
    passages: dict[int, dict] = {}
    if not mention_ids:
        return passages
    named = named or naming(store)
    labels, sources = named.labels, named.sources
    for chunk in batches(mention_ids):
        q = placeholders(chunk)
        for m in store.conn.execute(
            "SELECT m.id, m.doc_id, m.evidence_start, m.evidence_end, m.pattern, d.name,"
            " substr(d.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS text"
            f" FROM relation_mentions m JOIN documents d ON d.id = m.doc_id"
            f" WHERE m.id IN ({q})",
            chunk,
        ):
            passages[m["id"]] = {
                "doc": m["doc_id"],
                "name": m["name"],
                "label": labels.get(m["doc_id"]),
                "source": sources.get(m["doc_id"], m["name"]),
                "start": m["evidence_start"],
                "end": m["evidence_end"],
                "text": m["text"],
                "relation_mention_id": m["id"],
                "pattern": m["pattern"],
            }
    return passages


def contradictions(store: Store) -> list[dict]:
    """Where sources disagree: kind, description and both passages side by side, each with
    its source ("Dewar 1951").

    Contradictions between asserted accounts come first; `alternative` marks a disagreement
    where one side is only hedged or reported (each side's `modality` says which)."""
    rows = store.conn.execute("SELECT * FROM contradictions ORDER BY alternative, id").fetchall()
    labels = document_labels(store) if rows else {}
    sources = source_labels(store) if rows else {}
    out = []
    for r in rows:
        left = _mention_evidence(store, r["left_event_mention_id"], labels)
        right = _mention_evidence(store, r["right_event_mention_id"], labels)
        for side in (left, right):
            if side is not None:
                side["source"] = sources.get(side["doc"], side["name"])
        event_ids = {
            row[0]
            for row in store.conn.execute(
                "SELECT event_id FROM event_links WHERE event_mention_id IN (?, ?)",
                (r["left_event_mention_id"], r["right_event_mention_id"]),
            )
        }
        out.append(
            {
                "id": r["id"],
                "kind": r["kind"],
                "alternative": bool(r["alternative"]),
                "description": r["description"],
                "event_ids": sorted(event_ids),
                "left": left,
                "right": right,
            }
        )
    return out
