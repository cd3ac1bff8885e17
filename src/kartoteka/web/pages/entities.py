"""The entities: the index, and one entity's card."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request

from kartoteka.query.cards import card, entity_list, relation_anchors
from kartoteka.query.errors import BadValue
from kartoteka.query.facts import Naming, naming
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


#: a card's long lists (documents with their mentions, events, relations) come a page at a
#: time: the biggest entities of a large corpus are in thousands of documents
CARD_PAGE = 100
#: the query parameter that says where each list starts
OFFSETS = {"documents": "documents_from", "events": "events_from", "relations": "relations_from"}


def card_data(
    store: Store,
    entity_id: int,
    limit: int | None = CARD_PAGE,
    offsets: dict | None = None,
    named: Naming | None = None,
) -> dict:
    """The card with what the page adds: each mention's context and link, anchors of the
    passages, open suggestions and judgements. `limit` items of each long list (None: all),
    each from its offset in `offsets` (list name -> offset)."""
    offsets = offsets or {}
    data = card(
        store,
        entity_id,
        limit=limit,
        documents_from=offsets.get("documents", 0),
        events_from=offsets.get("events", 0),
        relations_from=offsets.get("relations", 0),
        named=named,
    )
    for doc in data["documents"]:
        for m in doc["mentions"]:
            m["context"] = _context(m)
            m["href"] = f"/document/{doc['id']}#m-{m['id']}"
    for ev in data.get("events", []):
        for p in ev.get("evidence", []):
            if p.get("event_mention_id") is not None:
                p["anchor"] = f"e-{p['event_mention_id']}"
    passages = [p for rel in data.get("relations", []) for p in rel.get("evidence", [])]
    anchors = relation_anchors(store, [p.get("relation_mention_id") for p in passages])
    for p in passages:
        p["anchor"] = anchors.get(p.get("relation_mention_id"))
    data["suggestions"] = suggestions_for(store, entity_id)
    data["judgements"] = judgements_about(store, data["aliases"])
    return data


def _page_links(entity_id: int, pages: dict, offsets: dict, limit: int) -> dict:
    """Per long list, the address of the page after this one (None at the end); the other
    lists stay where they are."""
    links: dict[str, str | None] = {}
    for name, page in pages.items():
        if not page["more"]:
            links[name] = None
            continue
        query = {OFFSETS[k]: v for k, v in offsets.items() if v}
        query[OFFSETS[name]] = page["offset"] + page["shown"]
        if limit != CARD_PAGE:
            query["limit"] = limit
        links[name] = f"/entity/{entity_id}?{urlencode(sorted(query.items()))}"
    return links


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
    entity_id = request.path_params["entity_id"]
    limit = int_param(request, "limit", CARD_PAGE, lo=1, hi=5000)
    offsets = {k: int_param(request, v, 0, lo=0, hi=10**9) for k, v in OFFSETS.items()}
    store = store_of(request)
    # every document's label, kept while the corpus stays the same (see query.cache)
    named = request.app.state.cache.get(store, ("naming",), lambda: naming(store))
    data = card_data(store, entity_id, limit, offsets, named)
    data["next_pages"] = _page_links(entity_id, data["pages"], offsets, limit)
    return data


routes = [
    *twin("/entities", _list, "entities.html"),
    *twin("/entity/{entity_id:int}", _card, "entity.html"),
]
