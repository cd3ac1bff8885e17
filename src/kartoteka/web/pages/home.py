"""The front page and search."""

from __future__ import annotations

from starlette.requests import Request

from kartoteka.query.overview import overview
from kartoteka.query.search import search
from kartoteka.web.common import int_param, store_of, twin


def _home(request: Request) -> dict:
    data = overview(store_of(request))
    data["store"] = request.app.state.config.db_name
    return data


def _search(request: Request) -> dict:
    q = request.query_params.get("q", "")
    limit = int_param(request, "limit", 20, lo=1, hi=200)
    offset = int_param(request, "offset", 0, hi=100_000)
    # reads only (the index is kept fresh), one page, within SEARCH_SECONDS
    return search(store_of(request), q, limit=limit, offset=offset)


routes = [
    *twin("/", _home, "home.html"),
    *twin("/search", _search, "search.html"),
]
