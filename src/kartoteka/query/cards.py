"""Entities and their cards: what the list, `show`, the web page and scripts read."""

from __future__ import annotations

import json

from kartoteka.query.facts import events_for_entity, relations_for_entity
from kartoteka.query.stated import stated_aliases
from kartoteka.store import Store


class NotFound(LookupError):
    """No entity answers to that name or id."""


def entity_list(
    store: Store, *, type: str | None = None, limit: int | None = None, query: str | None = None
) -> list[dict]:
    """Entities with mention and document counts, most mentioned first."""
    sql = (
        "SELECT id, type, name, identifier, mention_count, doc_count FROM entities"
        " WHERE (:type IS NULL OR type = :type)"
        " AND (:query IS NULL OR name LIKE :like OR id IN"
        "      (SELECT entity_id FROM aliases WHERE alias LIKE :like))"
        " ORDER BY mention_count DESC, name LIMIT :limit"
    )
    rows = store.conn.execute(
        sql,
        dict(
            type=type.upper() if type else None,
            query=query,
            like=f"%{query}%" if query else None,
            limit=limit if limit is not None else -1,
        ),
    )
    return [dict(r) for r in rows]


def find_entities(store: Store, name: str) -> list[dict]:
    """Entities answering to `name`: an id, else an exact name or alias (any case), else a
    name or alias containing it."""
    conn = store.conn
    if name.isdigit():
        rows = conn.execute("SELECT * FROM entities WHERE id = ?", (int(name),)).fetchall()
        if rows:
            return [dict(r) for r in rows]
    for sql in (
        "SELECT * FROM entities WHERE name = ? COLLATE NOCASE OR id IN"
        " (SELECT entity_id FROM aliases WHERE alias = ? COLLATE NOCASE)",
        "SELECT * FROM entities WHERE name LIKE '%' || ? || '%' OR id IN"
        " (SELECT entity_id FROM aliases WHERE alias LIKE '%' || ? || '%')",
    ):
        rows = conn.execute(sql + " ORDER BY mention_count DESC", (name, name)).fetchall()
        if rows:
            return [dict(r) for r in rows]
    return []


def card(store: Store, entity_id: int) -> dict:
    """Everything the index knows of one entity, each mention with its sentence."""
    conn = store.conn
    row = conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    entity = dict(row)
    entity["explanation"] = json.loads(entity["explanation"]) if entity["explanation"] else None
    names = {r["id"]: r["name"] for r in conn.execute("SELECT id, name FROM documents")}
    aliases = [
        dict(
            name=r["alias"],
            count=r["count"],
            documents=[dict(id=d, name=names.get(d)) for d in json.loads(r["doc_ids"])],
        )
        for r in conn.execute(
            "SELECT alias, count, doc_ids FROM aliases WHERE entity_id = ?"
            " ORDER BY count DESC, alias",
            (entity_id,),
        )
    ]
    documents: dict[int, dict] = {}
    for r in conn.execute(
        'SELECT m.id, m.doc_id, m.start, m."end", m.text, m.type, s.start AS s_start,'
        ' s."end" AS s_end, substr(d.text, s.start + 1, s."end" - s.start) AS sentence,'
        " d.name, d.title FROM mentions m JOIN documents d ON d.id = m.doc_id"
        " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence"
        " WHERE m.entity_id = ? ORDER BY d.name, m.start",
        (entity_id,),
    ):
        doc = documents.setdefault(
            r["doc_id"], dict(id=r["doc_id"], name=r["name"], title=r["title"], mentions=[])
        )
        doc["mentions"].append(
            dict(
                id=r["id"],
                start=r["start"],
                end=r["end"],
                text=r["text"],
                type=r["type"],
                sentence=dict(start=r["s_start"], end=r["s_end"], text=r["sentence"]),
            )
        )
    return dict(
        entity=entity,
        aliases=aliases,
        stated_aliases=stated_aliases(store, entity_id).get(entity_id, []),
        documents=list(documents.values()),
        events=events_for_entity(store, entity_id),
        relations=relations_for_entity(store, entity_id),
    )
