"""What every page shares: the store per thread, rendering, JSON twins and form posts."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable
from typing import overload
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from kartoteka.curation import CurationError
from kartoteka.query.errors import QueryError
from kartoteka.store import Store

#: a curation form is a few fields; anything bigger is not ours
MAX_FORM_BYTES = 64 * 1024


class Stores:
    """One read connection per server thread (sqlite3 connections are not shared across
    threads safely); writes also serialize on `write_lock`, so there is one writer."""

    def __init__(self, path: str):
        self.path = path
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[Store] = []
        self._guard = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.path, migrate=False, create=False)
            self._local.store = store
            with self._guard:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._guard:
            for store in self._opened:
                try:
                    store.close()
                except Exception:  # a connection of a finished thread: nothing to keep
                    pass
            self._opened.clear()


def store_of(request: Request) -> Store:
    return request.app.state.stores.get()


def cached_json(request: Request, key: Hashable, build: Callable[[], object]) -> Response:
    """`build()` as a JSON response, the encoded bytes kept in the app's query cache until
    the store's corpus generation changes (see `kartoteka.query.cache`)."""

    def encode() -> bytes:
        return json.dumps(
            build(), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")

    body = request.app.state.cache.get(store_of(request), key, encode)
    return Response(body, media_type="application/json")


def render(request: Request, template: str, data: dict, status_code: int = 200) -> Response:
    state = request.app.state
    guard = state.guard
    context = {
        "data": data,
        "signed_in": guard.signed_in(request),
        "auth": guard.auth,
        "csrf": guard.csrf,
        "json_url": json_twin_url(request),
    }
    return state.templates.TemplateResponse(request, template, context, status_code=status_code)


def json_twin_url(request: Request) -> str | None:
    path = request.url.path
    if path.endswith(".json"):
        return None
    twin = "/index.json" if path == "/" else path + ".json"
    return twin + (f"?{request.url.query}" if request.url.query else "")


def twin(path: str, build: Callable[[Request], dict], template: str) -> list[Route]:
    """An HTML page and its JSON twin (`path` and `path.json`) from one builder of plain
    data, so the page and scripts always see the same thing."""

    def html(request: Request) -> Response:
        return render(request, template, build(request))

    def as_json(request: Request) -> Response:
        return JSONResponse(build(request))

    json_path = "/index.json" if path == "/" else path + ".json"
    return [Route(json_path, as_json), Route(path, html)]


@overload
def int_param(
    request: Request, name: str, default: int, *, lo: int = 0, hi: int = 10_000
) -> int: ...


@overload
def int_param(
    request: Request, name: str, default: None = None, *, lo: int = 0, hi: int = 10_000
) -> int | None: ...


def int_param(
    request: Request, name: str, default: int | None = None, *, lo: int = 0, hi: int = 10_000
) -> int | None:
    """A whole-number query parameter, clamped to [lo, hi]; `default` when absent."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return default
    try:
        return min(max(int(value), lo), hi)
    except ValueError:
        raise HTTPException(400, f"{name} must be a whole number") from None


async def read_form(request: Request) -> dict[str, list[str]]:
    """A urlencoded form body (what our pages post); JSON bodies are accepted for scripts.
    Its size is limited while it streams in (MAX_FORM_BYTES), by `_BodyLimit` in app.py."""
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            raw = json.loads(body or b"{}")
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        if not isinstance(raw, dict):
            raise HTTPException(400, "send a JSON object")
        return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in raw.items()}
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def first(form: dict[str, list[str]], name: str, default: str = "") -> str:
    values = form.get(name) or [default]
    return values[0].strip()


async def guarded_write(request: Request, action: Callable[[Store, dict], str]) -> Response:
    """Run a curation `action(store, form) -> redirect URL` if the request may write.

    The action runs in a worker thread under the store's write lock (resolution re-runs can
    take seconds). A browser gets a 303 redirect; a script asking for JSON gets
    {"ok": true, "location": ...}.
    """
    guard = request.app.state.guard
    # the headers first: a request that may not write is refused before its body is read
    refusal = guard.refusal_before_body(request)
    form: dict[str, list[str]] = {}
    if refusal is None:
        form = await read_form(request)
        flat = {k: v[0] for k, v in form.items() if v}
        refusal = guard.write_refusal(request, flat)
    wants_json = "application/json" in request.headers.get("accept", "")
    if refusal:
        if wants_json:
            return JSONResponse({"ok": False, "error": refusal}, status_code=403)
        return render(request, "error.html", {"status": 403, "message": refusal}, 403)
    stores: Stores = request.app.state.stores

    def run() -> str:
        with stores.write_lock:
            return action(stores.get(), form)

    try:
        location = await run_in_threadpool(run)
    except (UserError, CurationError, QueryError) as e:
        if wants_json:
            return JSONResponse({"ok": False, "error": str(e)}, status_code=400)
        return render(request, "error.html", {"status": 400, "message": str(e)}, 400)
    if wants_json:
        return JSONResponse({"ok": True, "location": location})
    return RedirectResponse(location, status_code=303)


class UserError(Exception):
    """A curation request we understand but cannot carry out; shown to the user."""
