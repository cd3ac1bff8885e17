"""The timeline of events (and, if asked, dated statements), in lanes by entity, filtered by
entity and period. `/timeline` is a frame whose script draws `/timeline.json` (the same
filters)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kartoteka.query.cards import entity_summary, find_entities
from kartoteka.query.errors import NotFound, shown
from kartoteka.query.timeline import timeline_page
from kartoteka.web.common import cached_json, int_param, render, store_of

#: items per answer unless `limit=` says otherwise; `offset=` pages on
DEFAULT_LIMIT = 1000
MAX_LIMIT = 20_000


def _find(request: Request, text: str) -> dict | None:
    if text.isascii() and text.isdigit():  # "²" is a digit to Python, not an id
        return entity_summary(store_of(request), int(text))
    found = find_entities(store_of(request), text)  # the most mentioned of those answering
    return found[0] if found else None


def _entity(request: Request) -> tuple[dict | None, str | None]:
    """The entity to filter by (`entity=ID` or `who=NAME`), and the name that found none."""
    entity_id = int_param(request, "entity", None, hi=10**12)
    who = (request.query_params.get("who") or "").strip()
    text = str(entity_id) if entity_id is not None else who
    if not text:
        return None, None
    found = _find(request, text)
    return (found, None) if found else (None, text)


def _lanes(request: Request) -> tuple[int, ...] | None:
    """`lanes=` names or ids (comma-separated or repeated): the entities to group by; none
    given: the most active."""
    wanted = [v.strip() for raw in request.query_params.getlist("lanes") for v in raw.split(",")]
    wanted = [v for v in wanted if v]
    if not wanted:
        return None
    ids = []
    for text in wanted:
        found = _find(request, text)
        if found is None:
            raise NotFound(f"no entity answers to {shown(text)} (in lanes=)")
        ids.append(found["id"])
    return tuple(ids)


def _with_dates(request: Request) -> bool:
    """Dated statements too (`dates=1`); events only by default, or with `dates=0`."""
    return request.query_params.get("dates", "0") in ("1", "on", "true", "yes")


def timeline_data(request: Request) -> dict:
    q = request.query_params
    entity, missing = _entity(request)
    if missing:
        raise NotFound(f"no entity answers to {shown(missing)}")
    page = timeline_page(
        store_of(request),
        entity_id=entity["id"] if entity else None,
        start=q.get("from") or None,
        end=q.get("to") or None,
        dated_statements=_with_dates(request),
        limit=int_param(request, "limit", DEFAULT_LIMIT, lo=1, hi=MAX_LIMIT),
        offset=int_param(request, "offset", 0, lo=0, hi=10**9),
        lanes=_lanes(request),
    )
    return {"entity": entity, "from": q.get("from"), "to": q.get("to"), **page}


def _json(request: Request) -> Response:
    key = ("timeline", tuple(sorted(request.query_params.multi_items())))
    return cached_json(request, key, lambda: timeline_data(request))


def _page(request: Request) -> Response:
    # a frame: its script draws /timeline.json with the same filters (the entity by id)
    q = request.query_params
    entity, missing = _entity(request)
    query: dict[str, object] = {
        k: v for k, v in (("from", q.get("from")), ("to", q.get("to"))) if v
    }
    if entity:
        query["entity"] = entity["id"]
    if _with_dates(request):
        query["dates"] = "1"
    lanes = ",".join(v for v in q.getlist("lanes") if v.strip())
    if lanes:
        query["lanes"] = lanes
    return render(
        request,
        "timeline.html",
        {
            "entity": entity,
            "not_found": missing,
            "from": q.get("from", ""),
            "to": q.get("to", ""),
            "dates": _with_dates(request),
            "lanes": lanes,
            "query": "" if missing else urlencode(query),
        },
    )


routes = [Route("/timeline.json", _json), Route("/timeline", _page)]
