"""The entities: the index, and one entity's card."""

from __future__ import annotations

from starlette.requests import Request

from kartoteka.query.cards import card, entity_list, relation_anchor
from kartoteka.query.errors import BadValue
from kartoteka.query.review import judgements_about, suggestions_for
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


def card_data(store: Store, entity_id: int) -> dict:
    """The card with what the page adds: each mention's context and link, anchors of the
    passages, open suggestions and judgements."""
    data = card(store, entity_id)
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
            p["anchor"] = relation_anchor(store, p.get("relation_mention_id"))
    data["suggestions"] = suggestions_for(store, entity_id)
    data["judgements"] = judgements_about(store, data["aliases"])
    return data


def _list(request: Request) -> dict:
    store = store_of(request)
    type_ = request.query_params.get("type", "").upper() or None
    if type_ and type_ not in TYPES:
        raise BadValue(f"type must be one of {', '.join(TYPES)}")
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
