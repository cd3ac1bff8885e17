"""The timeline of events and dated statements, filtered by entity and period."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartoteka.query.cards import find_entities
from kartoteka.query.timeline import timeline
from kartoteka.web.common import int_param, render, store_of


def _entity(request: Request) -> tuple[dict | None, str | None]:
    """The entity to filter by (`entity=ID` or `who=NAME`), and the name that found none."""
    store = store_of(request)
    entity_id = int_param(request, "entity", None, hi=10**12)
    who = (request.query_params.get("who") or "").strip()
    if entity_id is None and who:
        found = find_entities(store, who)
        if not found:
            return None, who
        entity_id = found[0]["id"]
    if entity_id is None:
        return None, None
    row = store.conn.execute(
        "SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)
    ).fetchone()
    return (dict(row), None) if row else (None, str(entity_id))


def _events_only(request: Request) -> bool:
    return request.query_params.get("dates", "1") in ("0", "off", "false")


def timeline_data(request: Request) -> dict:
    q = request.query_params
    entity, missing = _entity(request)
    if missing:
        raise HTTPException(404, f"no entity answers to {missing!r}")
    limit = int_param(request, "limit", 2000, lo=1, hi=50_000)
    try:
        lines = timeline(
            store_of(request),
            entity_id=entity["id"] if entity else None,
            start=q.get("from") or None,
            end=q.get("to") or None,
            dated_statements=not _events_only(request),
        )
    except ValueError as e:
        raise HTTPException(400, f"{e}; give dates as 1937, 1937-05 or 1937-05-12") from None
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


def add_anchors(store, lines: list[dict]) -> None:
    """Give each passage the anchor of its place in the document page: the event sentence
    (#e-ID) for an event, the date (#t-ID) for a dated sentence."""
    wanted = {
        (p["doc"], p["start"])
        for line in lines
        if line["kind"] == "event"
        for p in line["evidence"]
    }
    events = {}
    for doc_id in {d for d, _ in wanted}:
        for r in store.conn.execute(
            "SELECT id, evidence_start FROM event_mentions WHERE doc_id = ? ORDER BY id", (doc_id,)
        ):
            events.setdefault((doc_id, r[1]), r[0])
    for line in lines:
        for p in line["evidence"]:
            if line["kind"] == "event":
                found = events.get((p["doc"], p["start"]))
                p["anchor"] = f"e-{found}" if found else None
            else:
                row = store.conn.execute(
                    "SELECT id FROM timexes WHERE doc_id = ? AND start >= ? AND start < ?"
                    " AND text = ? ORDER BY start LIMIT 1",
                    (p["doc"], p["start"], p["end"], line.get("written")),
                ).fetchone()
                p["anchor"] = f"t-{row[0]}" if row else None


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
