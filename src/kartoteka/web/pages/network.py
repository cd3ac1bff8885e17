"""The network of people and organizations, and the paths between two entities.

`/network` is a frame whose script draws `/network.json` (the same filters); a click asks
`/network/node/ID.json` (the side panel's summary) or `/network/edge.json?a=&b=` (the
passages behind an edge). `/network.gexf` and `/network.graphml` give the graph on screen to
Gephi, Cytoscape or yEd.
"""

from __future__ import annotations

import io

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartoteka.query.cards import find_entities
from kartoteka.query.documents import document_names
from kartoteka.query.errors import NotFound
from kartoteka.query.network import (
    DEFAULT_KINDS,
    DEFAULT_TYPES,
    EDGE_KINDS,
    Period,
    edge_passages,
    graph,
    node_summary,
    path_between,
)
from kartoteka.store import corpus_generation
from kartoteka.web.common import cached_json, int_param, render, store_of, twin

TYPES = ("PER", "ORG", "PLACE")
#: nodes drawn unless `limit=` says otherwise; the page stays fluid well beyond (2,000 nodes)
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
MAX_HOPS = 3


def _choices(request: Request, name: str, allowed, default) -> tuple[str, ...]:
    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    if not values:
        return tuple(default)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise HTTPException(400, f"{name}: {', '.join(bad)} unknown; one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(values))


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "") in ("1", "on", "true", "yes")


def _ego(request: Request) -> dict | None:
    """The entity whose neighbourhood is asked for (`ego=` a name, alias or id)."""
    text = (request.query_params.get("ego") or "").strip()
    if not text:
        return None
    found = find_entities(store_of(request), text)  # the most mentioned of those answering
    if not found:
        raise NotFound(f"no entity answers to {text!r}; try part of a name, or /search")
    return found[0]


def network_filters(request: Request) -> dict:
    period = Period.parse(request.query_params.get("from"), request.query_params.get("to"))
    ego = _ego(request)
    return {
        "types": _choices(request, "type", TYPES, DEFAULT_TYPES),
        "kinds": _choices(request, "kind", EDGE_KINDS, DEFAULT_KINDS),
        "doc_id": int_param(request, "doc", None, hi=10**12),
        "period": period,
        "limit": int_param(request, "limit", DEFAULT_LIMIT, lo=1, hi=MAX_LIMIT),
        "isolated": _flag(request, "isolated"),
        "ego": ego["id"] if ego else None,
        "hops": int_param(request, "hops", 1, lo=1, hi=MAX_HOPS),
        "passages": _flag(request, "passages"),
    }


def _key(f: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in f.items()))


def _graph(request: Request, f: dict) -> dict:
    store = store_of(request)
    # the page keeps the layout it computed for this graph under this token
    return {**graph(store, **f), "generation": corpus_generation(store)[0]}


def _network_json(request: Request) -> Response:
    f = network_filters(request)
    return cached_json(request, ("network", _key(f)), lambda: _graph(request, f))


def _network_file(fmt: str):
    def respond(request: Request) -> Response:
        import networkx as nx

        from kartoteka.export.graph import view_graph

        f = {**network_filters(request), "passages": False}
        g = view_graph(_graph(request, f))
        out = io.StringIO()
        lines = nx.generate_gexf(g, version="1.2draft") if fmt == "gexf" else nx.generate_graphml(g)
        for line in lines:
            out.write(line + "\n")
        return Response(
            out.getvalue(),
            media_type="application/xml",
            headers={"content-disposition": f'attachment; filename="network.{fmt}"'},
        )

    return respond


def _edge_json(request: Request) -> Response:
    f = network_filters(request)
    a = int_param(request, "a", None, hi=10**12)
    b = int_param(request, "b", None, hi=10**12)
    if a is None or b is None:
        raise HTTPException(400, "give the two entities of the edge: a=ID&b=ID")
    data = edge_passages(
        store_of(request), a, b, kinds=f["kinds"], doc_id=f["doc_id"], period=f["period"]
    )
    return JSONResponse(data)


def _node_json(request: Request) -> Response:
    entity_id = int(request.path_params["entity_id"])
    summary = node_summary(store_of(request), entity_id)
    if summary is None:
        raise NotFound(
            f"no entity {entity_id}; entity ids change when resolution re-runs, reload the page"
        )
    return JSONResponse(summary)


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
                "isolated": f["isolated"],
                "ego": q.get("ego", ""),
                "hops": f["hops"],
            },
            "max_hops": MAX_HOPS,
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
    Route("/network.gexf", _network_file("gexf")),
    Route("/network.graphml", _network_file("graphml")),
    Route("/network/edge.json", _edge_json),
    Route("/network/node/{entity_id:int}.json", _node_json),
    Route("/network", _network_page),
    *twin("/path", _path, "path.html"),
]
