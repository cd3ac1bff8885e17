"""The entities: the index, and one entity's card."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.requests import Request

from kartoteka.query.cards import NotFound, card, entity_list
from kartoteka.store import Store
from kartoteka.web.common import int_param, store_of, twin

TYPES = ("PER", "ORG", "PLACE")


def _context(mention: dict) -> dict:
    """The sentence around a mention as three plain strings (before, the name, after)."""
    s = mention["sentence"]
    if s.get("text") is None or s.get("start") is None:
        return {"before": "", "text": mention["text"], "after": ""}
    a, b = mention["start"] - s["start"], mention["end"] - s["start"]
    return {"before": s["text"][:a], "text": s["text"][a:b], "after": s["text"][b:]}


def suggestions_for(store: Store, entity_id: int) -> list[dict]:
    """Open merge suggestions that involve the entity, best first."""
    rows = store.conn.execute(
        "SELECT s.id, s.score, s.left_entity_id, s.right_entity_id, l.name AS left_name,"
        " r.name AS right_name FROM suggestions s JOIN entities l ON l.id = s.left_entity_id"
        " JOIN entities r ON r.id = s.right_entity_id"
        " WHERE s.left_entity_id = ? OR s.right_entity_id = ? ORDER BY s.score DESC LIMIT 20",
        (entity_id, entity_id),
    )
    out = []
    for r in rows:
        other_left = r["right_entity_id"] == entity_id
        out.append(
            {
                "id": r["id"],
                "score": r["score"],
                "other": {
                    "id": r["left_entity_id"] if other_left else r["right_entity_id"],
                    "name": r["left_name"] if other_left else r["right_name"],
                },
            }
        )
    return out


def card_data(store: Store, entity_id: int) -> dict:
    try:
        data = card(store, entity_id)
    except NotFound:
        raise HTTPException(
            404,
            f"no entity {entity_id}; entity ids change when resolution"
            " re-runs, so search for the name at /search",
        ) from None
    for doc in data["documents"]:
        for m in doc["mentions"]:
            m["context"] = _context(m)
            m["href"] = f"/document/{doc['id']}#m-{m['id']}"
    for ev in data.get("events", []):
        for p in ev.get("evidence", []):
            if p.get("event_mention_id") is not None:
                p["anchor"] = f"e-{p['event_mention_id']}"
    for rel in data.get("relations", []):
        for p in rel.get("evidence", []):
            p["anchor"] = _relation_anchor(store, p.get("relation_mention_id"))
    data["suggestions"] = suggestions_for(store, entity_id)
    data["judgements"] = judgements_about(store, data["aliases"])
    return data


def _relation_anchor(store: Store, relation_mention_id: int | None) -> str | None:
    """The anchor of the subject's name in the document page, where the relation is told."""
    if relation_mention_id is None:
        return None
    row = store.conn.execute(
        "SELECT m.id FROM relation_mentions r JOIN mentions m ON m.doc_id = r.doc_id"
        " AND m.idx = r.subject_idx WHERE r.id = ?",
        (relation_mention_id,),
    ).fetchone()
    return f"m-{row[0]}" if row else None


def judgements_about(store: Store, aliases: list[dict]) -> list[dict]:
    """Judgements in the log naming any alias of the entity (newest first, at most 20)."""
    names = {a["name"] for a in aliases}
    found = []
    for r in store.conn.execute(
        "SELECT id, kind, left_ref, right_ref, value, author,"
        " created_at, note FROM judgements ORDER BY id DESC"
    ):
        refs = json.loads(r["left_ref"]) + json.loads(r["right_ref"] or "[]")
        if any((ref[1] if isinstance(ref, list) else ref.get("name")) in names for ref in refs):
            found.append({k: r[k] for k in ("id", "kind", "value", "author", "created_at", "note")})
            if len(found) >= 20:
                break
    return found


def _list(request: Request) -> dict:
    store = store_of(request)
    type_ = request.query_params.get("type", "").upper() or None
    if type_ and type_ not in TYPES:
        raise HTTPException(400, f"type must be one of {', '.join(TYPES)}")
    query = request.query_params.get("q") or None
    limit = int_param(request, "limit", 500, lo=1, hi=5000)
    rows = entity_list(store, type=type_, limit=limit, query=query)
    return {"entities": rows, "type": type_, "q": query, "limit": limit, "types": list(TYPES)}


def _card(request: Request) -> dict:
    return card_data(store_of(request), request.path_params["entity_id"])


routes = [
    *twin("/entities", _list, "entities.html"),
    *twin("/entity/{entity_id:int}", _card, "entity.html"),
]
