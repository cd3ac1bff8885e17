"""Curation: the review queue of merge suggestions, and merge, split and rename from a card.

Every action is a judgement appended to the same log the command line writes
(`kartoteka.store.resolution`), then resolution and event merging re-run, so the store shows
it at once and every later ingest re-applies it.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

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


def fingerprint(features_json: str, left: int, right: int) -> str:
    """Names one suggestion across re-runs (its row id does not survive them)."""
    try:
        f = json.loads(features_json)
        basis = json.dumps([f.get("left_refs"), f.get("right_refs")], sort_keys=True)
    except ValueError:
        basis = f"{left}:{right}"
    return hashlib.blake2b(basis.encode(), digest_size=10).hexdigest()


def _aliases(store: Store, entity_id: int, limit: int = 8) -> list[dict]:
    return [
        dict(r)
        for r in store.conn.execute(
            "SELECT alias AS name, count FROM aliases WHERE entity_id = ? ORDER BY count DESC,"
            " alias LIMIT ?",
            (entity_id, limit),
        )
    ]


def review_queue(store: Store, *, limit: int = 50, offset: int = 0) -> dict:
    """Open merge suggestions, best score first, each with both entities and the features
    that scored it."""
    total = store.conn.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0]
    items = []
    for r in store.conn.execute(
        "SELECT s.id, s.score, s.features, s.left_entity_id, s.right_entity_id,"
        " l.name AS l_name, l.type AS l_type, l.mention_count AS l_count,"
        " r.name AS r_name, r.type AS r_type, r.mention_count AS r_count"
        " FROM suggestions s JOIN entities l ON l.id = s.left_entity_id"
        " JOIN entities r ON r.id = s.right_entity_id ORDER BY s.score DESC, s.id"
        " LIMIT ? OFFSET ?",
        (limit, offset),
    ):
        features = json.loads(r["features"])
        shown = {k: v for k, v in features.items() if k not in ("left_refs", "right_refs")}
        items.append(
            {
                "id": r["id"],
                "score": r["score"],
                "features": shown,
                "fingerprint": fingerprint(
                    r["features"], r["left_entity_id"], r["right_entity_id"]
                ),
                "left": {
                    "id": r["left_entity_id"],
                    "name": r["l_name"],
                    "type": r["l_type"],
                    "mention_count": r["l_count"],
                    "aliases": _aliases(store, r["left_entity_id"]),
                },
                "right": {
                    "id": r["right_entity_id"],
                    "name": r["r_name"],
                    "type": r["r_type"],
                    "mention_count": r["r_count"],
                    "aliases": _aliases(store, r["right_entity_id"]),
                },
            }
        )
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _queue(request: Request) -> dict:
    return review_queue(
        store_of(request),
        limit=int_param(request, "limit", 50, lo=1, hi=500),
        offset=int_param(request, "offset", 0, hi=10**9),
    )


# writes -----------------------------------------------------------------------------------


def _entity_holding(store: Store, mention_id: int | None) -> int | None:
    if mention_id is None:
        return None
    row = store.conn.execute(
        "SELECT entity_id FROM mentions WHERE id = ?", (mention_id,)
    ).fetchone()
    return row[0] if row else None


def _a_mention(store: Store, entity_id: int, *, not_aliases=()) -> int | None:
    """A mention of the entity (mention ids survive resolution; entity ids do not)."""
    for r in store.conn.execute(
        "SELECT id, name FROM mentions WHERE entity_id = ? ORDER BY id", (entity_id,)
    ):
        if r["name"].casefold() not in not_aliases:
            return r["id"]
    return None


def _entity_key(store: Store, entity_id: int) -> tuple[str, str]:
    row = store.conn.execute("SELECT key, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise UserError(f"no entity {entity_id} any more (resolution re-ran); reload the page")
    return row["key"], row["name"]


async def _decide(request: Request) -> Response:
    suggestion_id = request.path_params["suggestion_id"]

    def action(store: Store, form: dict) -> str:
        from kartoteka.resolve import Ref
        from kartoteka.store.resolution import ResolutionError, add_judgement

        decision = first(form, "decision")
        kinds = {"same": "same", "not_same": "not_same", "skip": "unsure"}
        if decision not in kinds:
            raise UserError("decision must be same, not_same or skip")
        wanted = first(form, "fingerprint")
        row = store.conn.execute(
            "SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)
        ).fetchone()
        if row is None or (
            wanted
            and fingerprint(row["features"], row["left_entity_id"], row["right_entity_id"])
            != wanted
        ):
            # the queue was rebuilt since the page was drawn: find the same pair by content
            row = next(
                (
                    r
                    for r in store.conn.execute("SELECT * FROM suggestions")
                    if fingerprint(r["features"], r["left_entity_id"], r["right_entity_id"])
                    == wanted
                ),
                None,
            )
        if row is None:
            raise UserError(
                "that suggestion is gone (someone decided it, or resolution "
                "re-ran); go back to /review and reload"
            )
        features = json.loads(row["features"])
        left = [Ref.from_json(x) for x in features.get("left_refs") or []]
        right = [Ref.from_json(x) for x in features.get("right_refs") or []]
        if not left or not right:
            from kartoteka.store.resolution import entity_refs

            left = list(entity_refs(store, str(row["left_entity_id"])))
            right = list(entity_refs(store, str(row["right_entity_id"])))
        try:
            add_judgement(
                store,
                kinds[decision],
                left,
                right,
                author=_author(request),
                note=f"{NOTE}: review queue",
            )
        except ResolutionError as e:
            raise UserError(str(e)) from None
        back = first(form, "next")
        # only a path of this site: "//host" would send the user elsewhere
        return back if back.startswith("/") and not back.startswith("//") else "/review"

    return await guarded_write(request, action)


async def _merge(request: Request) -> Response:
    entity_id = request.path_params["entity_id"]

    def action(store: Store, form: dict) -> str:
        from kartoteka.query.cards import find_entities
        from kartoteka.store.resolution import ResolutionError, judge_entities

        other_text = first(form, "other")
        found = find_entities(store, other_text) if other_text else []
        if not found:
            raise UserError(f"no entity answers to {other_text!r}; give its id or exact name")
        if (
            len(found) > 1
            and not other_text.isdigit()
            and found[0]["name"].casefold() != other_text.casefold()
        ):
            names = "; ".join(f"{e['id']} {e['name']}" for e in found[:10])
            raise UserError(f"{other_text!r} fits several entities ({names}); give an id")
        other = found[0]
        if other["id"] == entity_id:
            raise UserError("that is the same entity")
        key, _ = _entity_key(store, entity_id)
        keep = _a_mention(store, entity_id)
        try:
            judge_entities(
                store,
                "same",
                key,
                other["key"],
                author=_author(request),
                note=f"{NOTE}: merge from card",
            )
        except ResolutionError as e:
            raise UserError(str(e)) from None
        return f"/entity/{_entity_holding(store, keep) or ''}"

    return await guarded_write(request, action)


async def _split(request: Request) -> Response:
    entity_id = request.path_params["entity_id"]

    def action(store: Store, form: dict) -> str:
        from kartoteka.store.resolution import ResolutionError, split_entity

        aliases = [a for a in form.get("alias", []) if a.strip()]
        if not aliases:
            raise UserError("tick the aliases to split off")
        key, _ = _entity_key(store, entity_id)
        keep = _a_mention(store, entity_id, not_aliases={a.casefold() for a in aliases})
        try:
            split_entity(
                store, key, aliases, author=_author(request), note=f"{NOTE}: split from card"
            )
        except ResolutionError as e:
            raise UserError(str(e)) from None
        return f"/entity/{_entity_holding(store, keep) or ''}"

    return await guarded_write(request, action)


async def _rename(request: Request) -> Response:
    entity_id = request.path_params["entity_id"]

    def action(store: Store, form: dict) -> str:
        from kartoteka.store.resolution import ResolutionError, judge_entities

        name = " ".join(first(form, "name").split())
        if not name:
            raise UserError("give the new name")
        if len(name) > 300:
            raise UserError("a name of more than 300 characters is not a name")
        key, _ = _entity_key(store, entity_id)
        keep = _a_mention(store, entity_id)
        try:
            judge_entities(
                store,
                "rename",
                key,
                value=name,
                author=_author(request),
                note=f"{NOTE}: rename from card",
            )
        except ResolutionError as e:
            raise UserError(str(e)) from None
        return f"/entity/{_entity_holding(store, keep) or ''}"

    return await guarded_write(request, action)


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


def _login_page(request: Request) -> Response:
    guard = request.app.state.guard
    token = request.query_params.get("token")
    if token is not None:
        if not guard.check_token(token):
            return render(request, "login.html", {"error": "wrong token"}, status_code=403)
        response = RedirectResponse("/", status_code=303)
        _cookie(response, request, token)
        return response
    return render(request, "login.html", {"error": None})


async def _login_post(request: Request) -> Response:
    guard = request.app.state.guard
    form = await read_form(request)
    token = first(form, "token")
    if not guard.check_token(token):
        return render(request, "login.html", {"error": "wrong token"}, status_code=403)
    response = RedirectResponse("/", status_code=303)
    _cookie(response, request, token)
    return response


async def _logout(request: Request) -> Response:
    form = await read_form(request)
    guard = request.app.state.guard
    if not hmac.compare_digest(first(form, "csrf"), guard.csrf):
        return HTMLResponse("the form is missing its CSRF field", status_code=403)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


routes = [
    *twin("/review", _queue, "review.html"),
    Route("/review/{suggestion_id:int}", _decide, methods=["POST"]),
    Route("/entity/{entity_id:int}/merge", _merge, methods=["POST"]),
    Route("/entity/{entity_id:int}/split", _split, methods=["POST"]),
    Route("/entity/{entity_id:int}/rename", _rename, methods=["POST"]),
    Route("/login", _login_page, methods=["GET"]),
    Route("/login", _login_post, methods=["POST"]),
    Route("/logout", _logout, methods=["POST"]),
]
