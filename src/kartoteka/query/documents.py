"""The documents: the list, and one document's text with everything found in it."""

from __future__ import annotations

import json

from kartoteka.query.errors import NotFound, known_id
from kartoteka.query.sources import source_label
from kartoteka.store import Store
from kartoteka.store.documents import path_labels

__all__ = ["document_list", "document_data", "document_names", "document_labels"]


def document_labels(store: Store) -> dict[int, str]:
    """document id -> what to call it: its file name, or where two files of one name were
    read from two folders, the end of its path that tells it apart ("a/notes.txt")."""
    rows = store.conn.execute("SELECT id, path FROM documents").fetchall()
    labels = path_labels([r[1] for r in rows])
    return {r[0]: labels[r[1]] for r in rows}


def document_list(store: Store, *, limit: int | None = 500, offset: int = 0) -> dict:
    """The documents by file name, each with what is known of its source (title, author,
    date, kind, reliability, where that came from: docs/sources.md) and its label."""
    rows = store.conn.execute(
        "SELECT d.id, d.name, d.path, d.title, d.author, d.date, d.kind, d.reliability,"
        " d.metadata_from, d.words, d.as_of, d.ingested_at,"
        " (SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id) AS mentions"
        " FROM documents d ORDER BY d.name, d.path LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    )
    labels = document_labels(store)
    documents = [
        {
            **r,
            "label": labels[r["id"]],
            "source": source_label(labels[r["id"]], r["author"], r["date"]),
        }
        for r in map(dict, rows)
    ]
    total = store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    return {"documents": documents, "total": total, "limit": limit, "offset": offset}


def document_data(store: Store, doc_id: int) -> dict:
    """A document and everything found in it, offsets into `text` (the original)."""
    conn = store.conn
    row = conn.execute(
        "SELECT id, path, name, title, author, date, kind, reliability, metadata_from,"
        " sha256, encoding, as_of, text, removals, words, pipeline_version, ingested_at"
        " FROM documents WHERE id = ?",
        (known_id(doc_id, "document"),),
    ).fetchone()
    if row is None:
        raise NotFound(f"no document {doc_id}; see the list of documents (/documents)")
    doc = dict(row)
    doc["label"] = document_labels(store)[doc["id"]]
    doc["source"] = source_label(doc["label"], doc["author"], doc["date"])
    doc["removals"] = json.loads(doc["removals"] or "[]")
    doc["mentions"] = [
        dict(r)
        for r in conn.execute(
            'SELECT m.id, m.idx, m.start, m."end", m.text, m.name, m.title, m.type, m.sentence,'
            " m.source, m.entity_id, e.name AS entity_name FROM mentions m"
            " LEFT JOIN entities e ON e.id = m.entity_id WHERE m.doc_id = ? ORDER BY m.start",
            (doc_id,),
        )
    ]
    doc["timexes"] = [
        dict(r)
        for r in conn.execute(
            'SELECT id, idx, start, "end", text, type, value, timex3, lower, upper, anchor, mod'
            " FROM timexes WHERE doc_id = ? ORDER BY start",
            (doc_id,),
        )
    ]
    events: dict[int, dict] = {}
    for r in conn.execute(
        "SELECT em.id, em.idx, em.type, em.trigger_start, em.trigger_end, em.trigger_text,"
        " em.evidence_start, em.evidence_end, em.date, em.date_lower, em.date_upper,"
        " em.date_source, el.event_id FROM event_mentions em"
        " LEFT JOIN event_links el ON el.event_mention_id = em.id"
        " WHERE em.doc_id = ? ORDER BY em.evidence_start, em.id",
        (doc_id,),
    ):
        events.setdefault(r["id"], {**dict(r), "roles": {}})
    by_idx = {m["idx"]: m for m in doc["mentions"]}
    for r in conn.execute(
        "SELECT er.event_mention_id, er.role, er.mention_idx FROM event_roles er"
        " JOIN event_mentions em ON em.id = er.event_mention_id WHERE em.doc_id = ?",
        (doc_id,),
    ):
        m = by_idx.get(r["mention_idx"])
        if m is not None and r["event_mention_id"] in events:
            events[r["event_mention_id"]]["roles"].setdefault(r["role"], []).append(
                {"mention": m["id"], "entity": m["entity_id"], "text": m["text"]}
            )
    doc["events"] = list(events.values())
    doc["relations"] = []
    for r in conn.execute(
        "SELECT id, subject_idx, predicate, object_idx, evidence_start, evidence_end,"
        " pattern FROM relation_mentions WHERE doc_id = ? ORDER BY evidence_start",
        (doc_id,),
    ):
        s, o = by_idx.get(r["subject_idx"]), by_idx.get(r["object_idx"])
        doc["relations"].append(
            {
                "id": r["id"],
                "predicate": r["predicate"],
                "pattern": r["pattern"],
                "evidence_start": r["evidence_start"],
                "evidence_end": r["evidence_end"],
                "subject": s and {"mention": s["id"], "entity": s["entity_id"], "text": s["text"]},
                "object": o and {"mention": o["id"], "entity": o["entity_id"], "text": o["text"]},
            }
        )
    return doc


def document_names(store: Store, *, limit: int = 2000) -> list[dict]:
    """Id, name, label and title of each document, by name (for a chooser)."""
    labels = document_labels(store)
    return [
        {**dict(r), "label": labels[r["id"]]}
        for r in store.conn.execute(
            "SELECT id, name, title FROM documents ORDER BY name, path LIMIT ?", (limit,)
        )
    ]
