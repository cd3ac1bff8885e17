"""Curation: the review queue of merge suggestions, and merge, split and rename from a card.

Every action calls `kartoteka.curation`, the API the command line calls too: the same
judgement log, the same references for the same decision, the corpus stages re-run at once.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from kartoteka.curation import Decision, decide_suggestion, merge, rename, split_entity
from kartoteka.query.cards import entity_summary
from kartoteka.query.review import review_queue
from kartoteka.store import Store
from kartoteka.web.common import (
    UserError,
    first,
    guarded_write,
    int_param,
    read_form,
    render,
    store_of,
    twin,
)
from kartoteka.web.security import COOKIE

NOTE = "web"


# the queue ----------------------------------------------------------------------------


def _queue(request: Request) -> dict:
    return review_queue(
        store_of(request),
        limit=int_param(request, "limit", 50, lo=1, hi=500),
        offset=int_param(request, "offset", 0, hi=10**9),
    )


# writes -----------------------------------------------------------------------------------


async def _decide(request: Request) -> Response:
    suggestion_id = request.path_params["suggestion_id"]

    def action(store: Store, form: dict) -> str:
        decision = first(form, "decision")
        if decision not in ("same", "not_same", "skip"):
            raise UserError("decision must be same, not_same or skip")
        decide_suggestion(
            store,
            suggestion_id,
            decision,
            fingerprint=first(form, "fingerprint") or None,
            author=_author(request),
            note=f"{NOTE}: review queue",
        )
        back = first(form, "next")
        # only a path of this site: "//host" would send the user elsewhere
        return back if back.startswith("/") and not back.startswith("//") else "/review"

    return await guarded_write(request, action)


#: decide(store, entity id, form, author) -> the decision
CardDecision = Callable[[Store, str, dict, "str | None"], Decision]


def _card_action(decide: CardDecision):
    """A curation form on the card of entity {entity_id}; the answer goes to the card of the
    entity the decision leaves in view."""

    async def endpoint(request: Request) -> Response:
        entity_id = request.path_params["entity_id"]

        def action(store: Store, form: dict) -> str:
            if entity_summary(store, entity_id) is None:
                raise UserError(
                    f"no entity {entity_id} any more (resolution re-ran); reload the page"
                )
            decision = decide(store, str(entity_id), form, _author(request))
            return f"/entity/{decision.entity_id or ''}"

        return await guarded_write(request, action)

    return endpoint


def _merge(store: Store, entity: str, form: dict, author: str | None) -> Decision:
    other = first(form, "other")
    if not other:
        raise UserError("give the id or exact name of the entity to merge with")
    return merge(store, entity, other, author=author, note=f"{NOTE}: merge from card")


def _split(store: Store, entity: str, form: dict, author: str | None) -> Decision:
    aliases = [a for a in form.get("alias", []) if a.strip()]
    if not aliases:
        raise UserError("tick the aliases to split off")
    return split_entity(store, entity, aliases, author=author, note=f"{NOTE}: split from card")


def _rename(store: Store, entity: str, form: dict, author: str | None) -> Decision:
    return rename(
        store, entity, first(form, "name"), author=author, note=f"{NOTE}: rename from card"
    )


def _author(request: Request) -> str | None:
    return request.app.state.config.author


# signing in -------------------------------------------------------------------------------


def _cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
    )


def _token_ok(request: Request, token: str) -> bool:
    # tokens are ASCII (secrets.token_urlsafe); anything else is wrong before it is compared
    return token.isascii() and request.app.state.guard.check_token(token)


def _login_page(request: Request) -> Response:
    token = request.query_params.get("token")
    if token is not None:
        if not _token_ok(request, token):
            return render(request, "login.html", {"error": "wrong token"}, status_code=403)
        response = RedirectResponse("/", status_code=303)
        _cookie(response, request, token)
        return response
    return render(request, "login.html", {"error": None})


async def _login_post(request: Request) -> Response:
    form = await read_form(request)
    token = first(form, "token")
    if not _token_ok(request, token):
        return render(request, "login.html", {"error": "wrong token"}, status_code=403)
    response = RedirectResponse("/", status_code=303)
    _cookie(response, request, token)
    return response


async def _logout(request: Request) -> Response:
    form = await read_form(request)
    guard = request.app.state.guard
    sent = first(form, "csrf")
    if not (sent.isascii() and hmac.compare_digest(sent, guard.csrf)):
        return HTMLResponse("the form is missing its CSRF field", status_code=403)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


routes = [
    *twin("/review", _queue, "review.html"),
    Route("/review/{suggestion_id:int}", _decide, methods=["POST"]),
    Route("/entity/{entity_id:int}/merge", _card_action(_merge), methods=["POST"]),
    Route("/entity/{entity_id:int}/split", _card_action(_split), methods=["POST"]),
    Route("/entity/{entity_id:int}/rename", _card_action(_rename), methods=["POST"]),
    Route("/login", _login_page, methods=["GET"]),
    Route("/login", _login_post, methods=["POST"]),
    Route("/logout", _logout, methods=["POST"]),
]
