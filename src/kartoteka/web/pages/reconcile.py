"""The reconciliation service (Reconciliation Service API v0.2) for OpenRefine and the like.

- `GET /reconcile`: the service manifest; `GET /reconcile?queries=...` or `POST /reconcile`
  with a form field `queries`: a batch of queries, answered with scored candidates;
- `GET /reconcile/preview?id=KEY`: a small HTML card, shown by OpenRefine in a frame;
- `GET /reconcile/view?id=KEY`: the entity's card (a redirect to /entity/ID).

Reconciliation only reads, so it needs no token; it still sits behind the app's host check.
The spec asks for cross-origin access (CORS, and JSONP for older clients), because
OpenRefine's page in the browser asks for the manifest itself. Here it is granted to pages
served from a host the app itself answers to (on a loopback address: 127.0.0.1, localhost,
::1, any port, which is where OpenRefine runs), so that another web site open in the same
browser cannot read the index through it. The preview may be framed by the same pages only.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kartoteka.query.errors import QueryError
from kartoteka.query.reconcile import entity_for_key, manifest, parse_queries, preview, reconcile
from kartoteka.web.common import first, read_form, render, store_of

_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


def _allowed_hosts(request: Request) -> tuple[str, ...]:
    return request.app.state.config.allowed_hosts


def _allowed(request: Request, url: str | None) -> bool:
    """Is `url` (an Origin or Referer) on a host this app answers to?"""
    hosts = _allowed_hosts(request)
    if "*" in hosts:
        return True
    if not url:
        return False
    host = urlsplit(url).hostname
    return bool(host) and (host in hosts or f"[{host}]" in hosts)


def _cors(request: Request, response: Response) -> Response:
    origin = request.headers.get("origin")
    response.headers["vary"] = "Origin"
    if origin and _allowed(request, origin):
        response.headers["access-control-allow-origin"] = origin
    return response


def _answer(request: Request, data: dict, status: int = 200) -> Response:
    """JSON, or JSONP when a `callback` is asked for by a page of an allowed host."""
    callback = request.query_params.get("callback")
    if callback is None:
        return _cors(request, JSONResponse(data, status_code=status))
    if not (_CALLBACK.fullmatch(callback) and len(callback) <= 100):
        return _cors(request, JSONResponse({"error": "callback is not a function name"}, 400))
    if not _allowed(request, request.headers.get("referer")):
        return JSONResponse({"error": "JSONP is answered to pages of this machine only"}, 403)
    body = f"/**/{callback}({json.dumps(data, ensure_ascii=False)});"
    return Response(body, status_code=status, media_type="application/javascript")


async def _service(request: Request) -> Response:
    if request.method == "OPTIONS":  # a preflight: say what a cross-origin call may send
        response = _cors(request, Response(status_code=204))
        response.headers["access-control-allow-methods"] = "GET, POST, OPTIONS"
        response.headers["access-control-allow-headers"] = "Content-Type"
        response.headers["access-control-max-age"] = "600"
        return response
    raw = request.query_params.get("queries")
    if request.method == "POST":
        raw = first(await read_form(request), "queries") or raw
    base = str(request.base_url).rstrip("/")
    if not raw:
        return _answer(request, manifest(base, request.app.state.config.db_name))

    def answer() -> dict:
        return reconcile(store_of(request), parse_queries(raw))

    try:
        return _answer(request, await run_in_threadpool(answer))
    except QueryError as e:
        return _answer(request, {"error": str(e), "status": 400}, 400)


def _frame_ancestors(request: Request) -> str:
    hosts = _allowed_hosts(request)
    if "*" in hosts:
        return "*"
    sources = [h for h in hosts if ":" not in h or h.startswith("[")]
    return " ".join(f"http://{h}:* https://{h}:*" for h in sources)


def _preview(request: Request) -> Response:
    data = preview(store_of(request), request.query_params.get("id", ""))
    response = render(request, "reconcile_preview.html", data)
    # its own policy, which the app's headers leave alone: no script at all, and framed by
    # the pages that may reconcile (OpenRefine shows previews in a frame)
    response.headers["content-security-policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
        f" frame-ancestors {_frame_ancestors(request)}"
    )
    return response


def _view(request: Request) -> Response:
    entity = entity_for_key(store_of(request), request.query_params.get("id", ""))
    return RedirectResponse(f"/entity/{entity['id']}", status_code=303)


routes = [
    Route("/reconcile", _service, methods=["GET", "POST", "OPTIONS"]),
    Route("/reconcile/preview", _preview),
    Route("/reconcile/view", _view),
]
