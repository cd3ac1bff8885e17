"""The map: where the corpus's places are, and which events happened at each.

A place is located by an authority file's coordinates when one names it (`kartoteka authority
load` with `lat` and `lon` columns), else by the gazetteer (`kartoteka.geo`); a place neither
knows is listed as unlocated, never guessed. Events are drawn at their place, filtered by
period and by a participant.
"""

from __future__ import annotations

import json

from kartoteka.geo import Gazetteer, Located, locate_places
from kartoteka.geo.gazetteer import name_key
from kartoteka.query.timeline import event_label, period_bounds
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders

__all__ = ["place_map", "locate_store_places"]

#: names of a place tried in the gazetteer, after its own name: its most used aliases
ALIASES_TRIED = 5


def locate_store_places(store: Store, gazetteer: Gazetteer | None) -> tuple[list[dict], list[dict]]:
    """Every place entity, located (with `lat`, `lon` and how) or not: (located, unlocated),
    the most mentioned first."""
    rows = store.conn.execute(
        "SELECT id, name, identifier, mention_count, doc_count FROM entities"
        " WHERE type = 'PLACE' ORDER BY mention_count DESC, name"
    ).fetchall()
    aliases: dict[int, list[str]] = {}
    for r in store.conn.execute(
        "SELECT a.entity_id, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id"
        " WHERE e.type = 'PLACE' ORDER BY a.entity_id, a.count DESC, a.alias"
    ):
        aliases.setdefault(r[0], []).append(r[1])
    names = {
        r["id"]: list(dict.fromkeys([r["name"], *aliases.get(r["id"], [])[:ALIASES_TRIED]]))
        for r in rows
    }
    by_authority = _authority_coordinates(store, rows, names)
    wanted = [
        (r["id"], names[r["id"]], r["mention_count"]) for r in rows if r["id"] not in by_authority
    ]
    by_gazetteer = locate_places(gazetteer, wanted) if gazetteer else {}
    located, unlocated = [], []
    for r in rows:
        where = by_authority.get(r["id"]) or by_gazetteer.get(r["id"])
        base = {
            "id": r["id"],
            "name": r["name"],
            "mentions": r["mention_count"],
            "documents": r["doc_count"],
        }
        if isinstance(where, Located):
            located.append({**base, **where.to_dict()})
        else:
            reason = where.reason if where else "no gazetteer installed (kartoteka[map])"
            unlocated.append({**base, "tried": names[r["id"]], "reason": reason})
    return located, unlocated


def _authority_coordinates(store: Store, rows, names: dict[int, list[str]]) -> dict[int, Located]:
    """Places an authority entry with coordinates names: by identifier, else by its canonical
    name or a variant matching one of the place's names."""
    entries = store.conn.execute(
        "SELECT canonical, identifier, variants, lat, lon, source FROM authorities"
        " WHERE type = 'PLACE' AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id"
    ).fetchall()
    if not entries:
        return {}
    by_identifier = {e["identifier"]: e for e in entries if e["identifier"]}
    by_name: dict[str, object] = {}
    for e in entries:
        for n in [e["canonical"], *json.loads(e["variants"])]:
            by_name.setdefault(name_key(n), e)
    out: dict[int, Located] = {}
    for r in rows:
        entry = by_identifier.get(r["identifier"]) if r["identifier"] else None
        matched = r["name"]
        if entry is None:
            for n in names[r["id"]]:
                if name_key(n) in by_name:
                    entry, matched = by_name[name_key(n)], n
                    break
        if entry is not None:
            out[r["id"]] = Located(
                lat=entry["lat"],  # type: ignore[index]
                lon=entry["lon"],  # type: ignore[index]
                name=entry["canonical"],  # type: ignore[index]
                kind="authority",
                country=None,
                source="authority",
                matched=matched,
                via=entry["source"],  # type: ignore[index]
            )
    return out


def place_map(
    store: Store,
    gazetteer: Gazetteer | None,
    *,
    entity_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict:
    """The places to draw and the events at them.

    `places`: located places with their coordinates, how they were located and the ids of
    the events at them (in the period, with the entity); `unlocated`: places neither an
    authority nor the gazetteer knows; `events`: the events at a located place, earliest
    first (undated ones only when no period is asked for); `span`: the dates they cover."""
    lower, upper = period_bounds(start, end)
    located, unlocated = locate_store_places(store, gazetteer)
    at = {p["id"]: p for p in located}
    events = _events_at(store, set(at), entity_id, lower, upper)
    for p in located:
        p["events"] = []
    for e in events:
        at[e["place"]]["events"].append(e["id"])
    if entity_id is not None:
        located = [p for p in located if p["events"] or p["id"] == entity_id]
        unlocated = [p for p in unlocated if p["id"] == entity_id]
    dated = [e for e in events if e["lower"]]
    return {
        "places": located,
        "unlocated": unlocated,
        "events": events,
        "span": {
            "from": min((e["lower"] for e in dated), default=None),
            "to": max((e["upper"] or e["lower"] for e in dated), default=None),
        },
        "filters": {"entity": entity_id, "from": lower, "to": upper},
        "gazetteer": gazetteer.version if gazetteer else None,
    }


def _events_at(store: Store, places: set[int], entity_id, lower, upper) -> list[dict]:
    rows = store.conn.execute(
        "SELECT id, type, date, date_lower, date_upper, place_entity_id, sources, roles"
        " FROM events WHERE place_entity_id IS NOT NULL"
        " AND (:lower IS NULL OR (date_upper IS NOT NULL AND date_upper >= :lower))"
        " AND (:upper IS NULL OR (date_lower IS NOT NULL AND date_lower <= :upper))"
        " ORDER BY date_lower IS NULL, date_lower, id",
        {"lower": lower, "upper": upper},
    ).fetchall()
    chosen = []
    for r in rows:
        if r["place_entity_id"] not in places:
            continue
        roles = json.loads(r["roles"])
        members = {e for ids in roles.values() for e in ids}
        if entity_id is not None and entity_id not in members and r["place_entity_id"] != entity_id:
            continue
        chosen.append((r, roles))
    names = _names(store, {e for _, roles in chosen for ids in roles.values() for e in ids})
    return [
        {
            "id": r["id"],
            "type": r["type"],
            "label": event_label(r["type"], roles, names),
            "date": r["date"],
            "lower": r["date_lower"],
            "upper": r["date_upper"],
            "place": r["place_entity_id"],
            "sources": r["sources"],
        }
        for r, roles in chosen
    ]


def _names(store: Store, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in batches(list(ids)):
        for r in store.conn.execute(
            f"SELECT id, name FROM entities WHERE id IN ({placeholders(chunk)})", chunk
        ):
            out[r[0]] = r[1]
    return out
