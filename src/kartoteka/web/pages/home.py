"""The front page and search."""

from __future__ import annotations

from starlette.requests import Request

from kartoteka.query.search import search
from kartoteka.store import Store
from kartoteka.web.common import int_param, store_of, twin

COUNTED = (
    "documents",
    "mentions",
    "entities",
    "timexes",
    "events",
    "relations",
    "suggestions",
    "judgements",
)


def overview(store: Store) -> dict:
    conn = store.conn
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
    top = {}
    for type_ in ("PER", "ORG", "PLACE"):
        top[type_] = [
            dict(r)
            for r in conn.execute(
                "SELECT id, name, type, mention_count, doc_count FROM entities WHERE type = ?"
                " ORDER BY mention_count DESC, name LIMIT 15",
                (type_,),
            )
        ]
    documents = [
        dict(r)
        for r in conn.execute(
            "SELECT id, name, title, words FROM documents ORDER BY ingested_at DESC, id DESC"
            " LIMIT 20"
        )
    ]
    return {"store": store.path, "counts": counts, "top": top, "recent_documents": documents}


def _home(request: Request) -> dict:
    data = overview(store_of(request))
    data["store"] = request.app.state.config.db_name
    return data


def _search(request: Request) -> dict:
    q = request.query_params.get("q", "")
    limit = int_param(request, "limit", 20, lo=1, hi=200)
    stores = request.app.state.stores
    with stores.write_lock:  # the index may need a refresh, which writes
        return search(stores.get(), q, limit=limit)


routes = [
    *twin("/", _home, "home.html"),
    *twin("/search", _search, "search.html"),
]
