"""The reader's desk: a Starlette app over one store.

Pages live in `kartoteka.web.pages` (one module per page); every page has a JSON twin. Static
files come from the package's `static/` folder only (the browser libraries are vendored there
by `assets/vendor.mjs`); no route reads any other file.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from kartoteka.query.cache import QueryCache
from kartoteka.query.errors import NotFound, QueryError
from kartoteka.store import NoStore, Store, StoreError
from kartoteka.web.common import MAX_FORM_BYTES, Stores, render
from kartoteka.web.security import Guard

# Scripts from our own origin only, no inline script (the network's layout worker is a
# script file of ours too); styles may be set inline because sigma, vis-timeline and the
# pages' legends position and colour their elements with style attributes.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own
    # form posts, which the CSRF check must refuse
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


@dataclass(frozen=True)
class WebConfig:
    """How the app runs: which store, who may write, which Host headers to answer."""

    db_path: str
    token: str | None = None  # None with auth: a fresh one is made
    auth: bool = True  # False: anyone on this machine may curate (loopback only)
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")
    author: str | None = None  # written in the judgement log; default: the user's login

    @property
    def db_name(self) -> str:
        return Path(self.db_path).name


class WebError(Exception):
    """The app cannot start on this store."""


class _SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: cheap, no body buffering)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                message["headers"] = headers + _security_headers(headers)
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def _security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """SECURITY_HEADERS, but a response that sets its own content security policy (the
    reconciliation preview, which OpenRefine frames) keeps it, and its frame-ancestors
    decides framing in place of X-Frame-Options."""
    if any(name.lower() == b"content-security-policy" for name, _ in headers):
        own = (b"content-security-policy", b"x-frame-options")
        return [(name, value) for name, value in SECURITY_HEADERS if name not in own]
    return SECURITY_HEADERS


class _BodyLimit:
    """Refuses a request body over `limit` bytes while it streams in, before the app holds
    it: at once when its Content-Length says so (before any check that reads it, the token's
    included), else as soon as the bytes received pass the limit. Starlette's
    `request.body()` reads a body whole before anyone can look at its size: a 512 MB POST
    took the server from 134 MB to 1.1 GB before its 413."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    def _too_large(self) -> HTTPException:
        return HTTPException(
            413, f"the request body is larger than {self.limit // 1024} KB; a form is a few fields"
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        lengths = [v for k, v in scope["headers"] if k == b"content-length"]
        if any(not v.isdigit() or int(v) > self.limit for v in lengths):
            request = Request(scope)
            if any(not v.isdigit() for v in lengths):
                error = HTTPException(400, "the Content-Length header is not a number")
            else:
                error = self._too_large()
            response = await _http_error(request, error)
            return await response(scope, receive, send)
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # raised where the page reads the body: the app's handler answers 413
                    raise self._too_large()
            return message

        return await self.app(scope, limited_receive, send)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kartoteka.web", "templates"),
        autoescape=True,  # every page: source text is untrusted
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return Jinja2Templates(env=env)


def _static_dir() -> str:
    return str(resources.files("kartoteka.web").joinpath("static"))


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def prepare_store(db_path: str, say: Callable[[str], None] = _to_stderr) -> dict:
    """Migrate the store, finish an ingest a crash left unfinished, and bring the search
    index up to date (a store made before the corpus stages kept it fresh); returns what the
    index did. A file that is not a kartoteka store is refused untouched."""
    from kartoteka.corpus import finish_interrupted
    from kartoteka.store.search import refresh_search_index

    if db_path == ":memory:":
        raise WebError("the web app needs a store file; give one with --db")
    try:
        with Store.open(db_path, create=False) as store:
            finish_interrupted(store, say=say)
            return refresh_search_index(store)
    except NoStore:
        raise WebError(
            f"{db_path}: no store here yet; run `kartoteka ingest PATH...` first, "
            "or choose one with --db"
        ) from None
    except StoreError as e:
        raise WebError(str(e)) from e


def create_app(config: WebConfig) -> Starlette:
    """The web app over the store at `config.db_path` (migrated and indexed first)."""
    from kartoteka.web.pages import (
        curation,
        documents,
        entities,
        home,
        network,
        places,
        reconcile,
        timeline,
    )

    prepare_store(config.db_path)
    stores = Stores(config.db_path)
    routes = [
        *home.routes,
        *documents.routes,
        *entities.routes,
        *network.routes,
        *timeline.routes,
        *places.routes,
        *curation.routes,
        *reconcile.routes,
        Mount("/static", app=StaticFiles(directory=_static_dir()), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts)),
        Middleware(_SecurityHeaders),
        Middleware(_BodyLimit, limit=MAX_FORM_BYTES),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        stores.close()

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            QueryError: _query_error,
            500: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.guard = Guard.create(config.token, auth=config.auth)
    app.state.stores = stores
    app.state.cache = QueryCache()  # network, timeline and map answers, per corpus generation
    app.state.templates = _templates()
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get(
        "accept", ""
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _wants_json(request):
        return JSONResponse(
            {"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code
        )
    return render(
        request, "error.html", {"status": exc.status_code, "message": exc.detail}, exc.status_code
    )


async def _query_error(request: Request, exc: Exception) -> Response:
    """A question the store cannot answer as asked: 404 for what does not exist, else 400."""
    status = 404 if isinstance(exc, NotFound) else 400
    return await _http_error(request, HTTPException(status, str(exc)))


async def _server_error(request: Request, exc: Exception) -> Response:
    message = f"the app failed on this page ({type(exc).__name__}); please report it"
    if _wants_json(request):
        return JSONResponse({"error": message, "status": 500}, status_code=500)
    return render(request, "error.html", {"status": 500, "message": message}, 500)
