"""What curation reads: the queue of merge suggestions, the suggestions and judgements about
one entity, and the judgement log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from kartoteka.query.errors import MAX_ID
from kartoteka.store import Store
from kartoteka.store.resolution import DocumentIndex, read_judgements

__all__ = [
    "review_queue",
    "suggestion",
    "suggestions_for",
    "judgements_about",
    "judgement_log",
    "fingerprint",
]

#: Features a suggestion keeps for curation, not for people to read.
_REFS = ("left_refs", "right_refs")


def fingerprint(features_json: str, left: int, right: int) -> str:
    """Names one suggestion across re-runs (its row id does not survive them)."""
    try:
        f = json.loads(features_json)
        basis = json.dumps([f.get("left_refs"), f.get("right_refs")], sort_keys=True)
    except ValueError:
        basis = f"{left}:{right}"
    return hashlib.blake2b(basis.encode(), digest_size=10).hexdigest()


def _aliases(store: Store, entity_id: int, limit: int | None) -> list[dict]:
    return [
        dict(r)
        for r in store.conn.execute(
            "SELECT alias AS name, count FROM aliases WHERE entity_id = ? ORDER BY count DESC,"
            " alias LIMIT ?",
            (entity_id, -1 if limit is None else limit),
        )
    ]


_QUEUE = (
    "SELECT s.id, s.score, s.features, s.left_entity_id, s.right_entity_id,"
    " l.key AS l_key, l.name AS l_name, l.type AS l_type, l.mention_count AS l_count,"
    " r.key AS r_key, r.name AS r_name, r.type AS r_type, r.mention_count AS r_count"
    " FROM suggestions s JOIN entities l ON l.id = s.left_entity_id"
    " JOIN entities r ON r.id = s.right_entity_id"
)


def _item(store: Store, r, alias_limit: int | None) -> dict:
    features = json.loads(r["features"])
    return {
        "id": r["id"],
        "score": r["score"],
        "features": {k: v for k, v in features.items() if k not in _REFS},
        "fingerprint": fingerprint(r["features"], r["left_entity_id"], r["right_entity_id"]),
        **{
            side: {
                "id": r[f"{side}_entity_id"],
                "key": r[f"{side[0]}_key"],
                "name": r[f"{side[0]}_name"],
                "type": r[f"{side[0]}_type"],
                "mention_count": r[f"{side[0]}_count"],
                "aliases": _aliases(store, r[f"{side}_entity_id"], alias_limit),
            }
            for side in ("left", "right")
        },
    }


def review_queue(
    store: Store,
    *,
    limit: int | None = 50,
    offset: int = 0,
    skip: Iterable[tuple[str, str]] = (),
    alias_limit: int | None = 8,
) -> dict:
    """Open merge suggestions, best score first, each with both entities and the features
    that scored it. `skip` holds (left key, right key) pairs passed over this session (ids
    change when resolution re-runs, keys do not)."""
    skipped = set(skip)
    total = store.conn.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0]
    items: list[dict] = []
    passed = 0
    for r in store.conn.execute(_QUEUE + " ORDER BY s.score DESC, s.id"):
        if (r["l_key"], r["r_key"]) in skipped:
            continue
        if passed < offset:
            passed += 1
            continue
        if limit is not None and len(items) >= limit:
            break
        items.append(_item(store, r, alias_limit))
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def suggestion(store: Store, suggestion_id: int, wanted: str | None = None) -> dict | None:
    """A suggestion by id; if `wanted` (a fingerprint) is given and the id now names another
    pair (the queue was rebuilt since it was shown), the suggestion with that fingerprint."""
    row = None
    if 0 <= suggestion_id <= MAX_ID:  # an id past SQLite's integers names nothing
        row = store.conn.execute(_QUEUE + " WHERE s.id = ?", (suggestion_id,)).fetchone()
    if row is not None and wanted:
        if fingerprint(row["features"], row["left_entity_id"], row["right_entity_id"]) != wanted:
            row = None
    if row is None and wanted:
        row = next(
            (
                r
                for r in store.conn.execute(_QUEUE)
                if fingerprint(r["features"], r["left_entity_id"], r["right_entity_id"]) == wanted
            ),
            None,
        )
    return _item(store, row, None) if row is not None else None


def suggestions_for(store: Store, entity_id: int) -> list[dict]:
    """Open merge suggestions that involve the entity, best first."""
    rows = store.conn.execute(
        "SELECT s.id, s.score, s.left_entity_id, s.right_entity_id, l.name AS left_name,"
        " r.name AS right_name FROM suggestions s JOIN entities l ON l.id = s.left_entity_id"
        " JOIN entities r ON r.id = s.right_entity_id"
        " WHERE s.left_entity_id = ? OR s.right_entity_id = ? ORDER BY s.score DESC LIMIT 20",
        (entity_id, entity_id),
    )
    out = []
    for r in rows:
        other_left = r["right_entity_id"] == entity_id
        out.append(
            {
                "id": r["id"],
                "score": r["score"],
                "other": {
                    "id": r["left_entity_id"] if other_left else r["right_entity_id"],
                    "name": r["left_name"] if other_left else r["right_name"],
                },
            }
        )
    return out


def judgements_about(store: Store, aliases: list[dict]) -> list[dict]:
    """Judgements in the log naming any alias of the entity (newest first, at most 20)."""
    names = {a["name"] for a in aliases}
    found = []
    for r in store.conn.execute(
        "SELECT id, kind, left_ref, right_ref, value, author,"
        " created_at, note FROM judgements ORDER BY id DESC"
    ):
        refs = json.loads(r["left_ref"]) + json.loads(r["right_ref"] or "[]")
        if any((ref[1] if isinstance(ref, list) else ref.get("name")) in names for ref in refs):
            found.append({k: r[k] for k in ("id", "kind", "value", "author", "created_at", "note")})
            if len(found) >= 20:
                break
    return found


def judgement_log(store: Store) -> list[dict]:
    """The whole judgement log, oldest first, as plain data, as it was written. `ambiguous`
    lists the references that may mean several documents (a file name an older log named
    them by, now shared by two folders): such a judgement is kept but not applied."""
    index = DocumentIndex(store)
    return [
        {
            "id": j.id,
            "kind": j.kind,
            "left": [r.to_json() for r in j.left],
            "right": [r.to_json() for r in j.right],
            "value": j.value,
            "author": j.author,
            "created_at": j.created_at,
            "note": j.note,
            "ambiguous": [r.to_json() for r in (*j.left, *j.right) if index.pinned(r) is None],
        }
        for j in read_judgements(store, as_stored=True)
    ]
