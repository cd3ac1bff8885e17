"""The network of people and organizations, and the paths between two entities."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartoteka.query.documents import document_names
from kartoteka.query.network import (
    DEFAULT_KINDS,
    DEFAULT_TYPES,
    EDGE_KINDS,
    Period,
    graph,
    path_between,
)
from kartoteka.web.common import int_param, render, store_of, twin

TYPES = ("PER", "ORG", "PLACE")


def _choices(request: Request, name: str, allowed, default) -> tuple[str, ...]:
    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    if not values:
        return tuple(default)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise HTTPException(400, f"{name}: {', '.join(bad)} unknown; one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(values))


def network_filters(request: Request) -> dict:
    period = Period.parse(request.query_params.get("from"), request.query_params.get("to"))
    return {
        "types": _choices(request, "type", TYPES, DEFAULT_TYPES),
        "kinds": _choices(request, "kind", EDGE_KINDS, DEFAULT_KINDS),
        "doc_id": int_param(request, "doc", None, hi=10**12),
        "period": period,
        "limit": int_param(request, "limit", 300, lo=1, hi=3000),
    }


def _network_json(request: Request) -> Response:
    f = network_filters(request)
    return JSONResponse(
        graph(
            store_of(request),
            types=f["types"],
            kinds=f["kinds"],
            doc_id=f["doc_id"],
            period=f["period"],
            limit=f["limit"],
        )
    )


def _network_page(request: Request) -> Response:
    f = network_filters(request)
    documents = document_names(store_of(request), limit=2000)
    q = request.query_params
    return render(
        request,
        "network.html",
        {
            "types": list(TYPES),
            "kinds": list(EDGE_KINDS),
            "documents": documents,
            "query": str(request.url.query),
            "chosen": {
                "types": list(f["types"]),
                "kinds": list(f["kinds"]),
                "doc": f["doc_id"],
                "from": q.get("from", ""),
                "to": q.get("to", ""),
                "limit": f["limit"],
            },
        },
    )


def _path(request: Request) -> dict:
    q = request.query_params
    return path_between(
        store_of(request),
        q.get("a", ""),
        q.get("b", ""),
        sentences=q.get("sentences") in ("1", "on", "true"),
        max_paths=int_param(request, "max", 10, lo=1, hi=100),
    )


routes = [
    Route("/network.json", _network_json),
    Route("/network", _network_page),
    *twin("/path", _path, "path.html"),
]
