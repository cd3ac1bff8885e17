"""The map of the corpus's places and the events at them, filtered by period and entity.
`/map` is a frame whose script draws `/map.json` (the same filters) over Natural Earth's
country outlines; `/map.geojson` gives the same places to a GIS."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kartoteka.geo import default_gazetteer
from kartoteka.query.cards import entity_summary, find_entities
from kartoteka.query.errors import NotFound
from kartoteka.query.places import place_map
from kartoteka.web.common import cached_json, int_param, render, store_of


def _entity(request: Request) -> dict | None:
    entity_id = int_param(request, "entity", None, hi=10**12)
    who = (request.query_params.get("who") or "").strip()
    if entity_id is None and not who:
        return None
    store = store_of(request)
    found = entity_summary(store, entity_id) if entity_id is not None else None
    if found is None and who:
        matches = find_entities(store, who)  # the most mentioned of those answering
        found = matches[0] if matches else None
    if found is None:
        raise NotFound(f"no entity answers to {who or entity_id!r}")
    return found


def map_data(request: Request) -> dict:
    q = request.query_params
    entity = _entity(request)
    data = place_map(
        store_of(request),
        default_gazetteer(),
        entity_id=entity["id"] if entity else None,
        start=q.get("from") or None,
        end=q.get("to") or None,
    )
    return {"entity": entity, **data}


def _key(request: Request, kind: str) -> tuple:
    return (kind, tuple(sorted(request.query_params.multi_items())))


def _json(request: Request) -> Response:
    return cached_json(request, _key(request, "map"), lambda: map_data(request))


def _geojson(request: Request) -> Response:
    def build() -> dict:
        data = map_data(request)
        events = {e["id"]: e for e in data["events"]}
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": p["id"],
                    "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                    "properties": {
                        **{k: v for k, v in p.items() if k not in ("lat", "lon", "events")},
                        "events": [events[i] for i in p["events"]],
                    },
                }
                for p in data["places"]
            ],
        }

    body = json.dumps(build(), ensure_ascii=False)
    return Response(
        body,
        media_type="application/geo+json",
        headers={"content-disposition": 'attachment; filename="places.geojson"'},
    )


def _page(request: Request) -> Response:
    q = request.query_params
    try:
        entity, missing = _entity(request), None
    except NotFound:
        entity, missing = None, q.get("who") or q.get("entity")
    query: dict[str, object] = {
        k: v for k, v in (("from", q.get("from")), ("to", q.get("to"))) if v
    }
    if entity:
        query["entity"] = entity["id"]
    return render(
        request,
        "map.html",
        {
            "entity": entity,
            "not_found": missing,
            "from": q.get("from", ""),
            "to": q.get("to", ""),
            "query": "" if missing else urlencode(query),
        },
    )


routes = [
    Route("/map.json", _json),
    Route("/map.geojson", _geojson),
    Route("/map", _page),
]
