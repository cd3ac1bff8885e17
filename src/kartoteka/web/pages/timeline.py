"""The timeline of events and dated statements, filtered by entity and period."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartoteka.query.cards import entity_summary, find_entities
from kartoteka.query.errors import NotFound, shown
from kartoteka.query.timeline import add_anchors, timeline
from kartoteka.web.common import int_param, render, store_of


def _entity(request: Request) -> tuple[dict | None, str | None]:
    """The entity to filter by (`entity=ID` or `who=NAME`), and the name that found none."""
    store = store_of(request)
    entity_id = int_param(request, "entity", None, hi=10**12)
    who = (request.query_params.get("who") or "").strip()
    if entity_id is None and who:
        found = find_entities(store, who)  # the most mentioned of those answering
        if not found:
            return None, who
        entity_id = found[0]["id"]
    if entity_id is None:
        return None, None
    entity = entity_summary(store, entity_id)
    return (entity, None) if entity else (None, str(entity_id))


def _events_only(request: Request) -> bool:
    return request.query_params.get("dates", "1") in ("0", "off", "false")


def timeline_data(request: Request) -> dict:
    q = request.query_params
    entity, missing = _entity(request)
    if missing:
        raise NotFound(f"no entity answers to {shown(missing)}")
    limit = int_param(request, "limit", 2000, lo=1, hi=50_000)
    lines = timeline(
        store_of(request),
        entity_id=entity["id"] if entity else None,
        start=q.get("from") or None,
        end=q.get("to") or None,
        dated_statements=not _events_only(request),
    )
    total, lines = len(lines), lines[:limit]
    add_anchors(store_of(request), lines)
    return {
        "entity": entity,
        "from": q.get("from"),
        "to": q.get("to"),
        "total": total,
        "limit": limit,
        "items": lines,
    }


def _json(request: Request) -> Response:
    return JSONResponse(timeline_data(request))


def _page(request: Request) -> Response:
    # a frame: its script draws /timeline.json with the same filters (the entity by id)
    q = request.query_params
    entity, missing = _entity(request)
    query = {k: v for k, v in (("from", q.get("from")), ("to", q.get("to"))) if v}
    if entity:
        query["entity"] = entity["id"]
    if _events_only(request):
        query["dates"] = "0"
    return render(
        request,
        "timeline.html",
        {
            "entity": entity,
            "not_found": missing,
            "from": q.get("from", ""),
            "to": q.get("to", ""),
            "dates": not _events_only(request),
            "query": "" if missing else urlencode(query),
        },
    )


routes = [Route("/timeline.json", _json), Route("/timeline", _page)]
