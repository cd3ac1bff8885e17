"""Store reads and writes for incremental resolution (migration 0100): the units the last
resolution saw with their entity and blocking keys, the name links found in each document,
and the documents whose mentions changed since (kept by triggers on `mentions`).

Nothing here decides what to re-resolve (that is `kartoteka.incremental`); the writers
expect to run inside `Store.transaction()`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable

from kartoteka.store.batches import batches, placeholders, rows_in

Unit = tuple[int, str]  # (document id, unit name)

__all__ = [
    "key_hash",
    "dirty_documents",
    "snapshot_of_documents",
    "units_with_keys",
    "key_component_exceeds",
    "mentions_of_entities",
    "entities_of_mentions",
    "units_named",
    "write_snapshot",
    "read_name_links",
    "write_name_links",
    "snapshot_count",
]


def key_hash(key: str) -> int:
    """A blocking key as a signed 64-bit integer (SQLite's): two keys that collide only
    make a change touch more units, never fewer."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def dirty_documents(conn: sqlite3.Connection) -> set[int]:
    return {r[0] for r in conn.execute("SELECT doc_id FROM resolution_dirty")}


def snapshot_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM resolution_units").fetchone()[0]


def snapshot_of_documents(
    conn: sqlite3.Connection, doc_ids: Iterable[int]
) -> list[tuple[Unit, int | None, set[int]]]:
    """The units the last resolution saw in these documents: (unit, entity id, key hashes)."""
    out = []
    for doc_id, name, entity_id, keys in rows_in(
        conn,
        "SELECT u.doc_id, u.name, u.entity_id, group_concat(k.key) FROM resolution_units u"
        " LEFT JOIN resolution_keys k ON k.unit_id = u.id"
        " WHERE u.doc_id IN ({marks}) GROUP BY u.id",
        doc_ids,
    ):
        found = {int(k) for k in keys.split(",")} if keys else set()
        out.append(((doc_id, name), entity_id, found))
    return out


def units_with_keys(conn: sqlite3.Connection, keys: Iterable[int]) -> set[Unit]:
    sql = (
        "SELECT u.doc_id, u.name FROM resolution_keys k JOIN resolution_units u"
        " ON u.id = k.unit_id WHERE k.key IN ({marks})"
    )
    return {(r[0], r[1]) for r in rows_in(conn, sql, keys)}


def key_component_exceeds(conn: sqlite3.Connection, keys: Iterable[int], limit: float) -> bool:
    """Whether the units reachable from `keys` by shared keys alone (a unit brings all its
    keys) are more than `limit`; read from the last run's units, stopping once they are."""
    units: set[int] = set()
    seen: set[int] = set()
    frontier = set(keys)
    while frontier:
        seen |= frontier
        sql = "SELECT unit_id FROM resolution_keys WHERE key IN ({marks})"
        found = {r[0] for r in rows_in(conn, sql, frontier)}
        found -= units
        units |= found
        if len(units) > limit:
            return True
        sql = "SELECT key FROM resolution_keys WHERE unit_id IN ({marks})"
        frontier = {r[0] for r in rows_in(conn, sql, found)}
        frontier -= seen
    return False


def mentions_of_entities(
    conn: sqlite3.Connection, entity_ids: Iterable[int]
) -> set[tuple[int, int]]:
    """(document id, mention id) of every mention the entities hold now."""
    sql = "SELECT doc_id, id FROM mentions WHERE entity_id IN ({marks})"
    return {(r[0], r[1]) for r in rows_in(conn, sql, entity_ids)}


def entities_of_mentions(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> dict[int, int]:
    """Mention id -> the entity it is in now, for the mentions of these documents."""
    sql = "SELECT id, entity_id FROM mentions WHERE entity_id IS NOT NULL AND doc_id IN ({marks})"
    return {r[0]: r[1] for r in rows_in(conn, sql, doc_ids)}


def units_named(conn: sqlite3.Connection, names: Iterable[str]) -> set[Unit]:
    sql = "SELECT doc_id, name FROM resolution_units WHERE name IN ({marks})"
    return {(r[0], r[1]) for r in rows_in(conn, sql, names)}


def write_snapshot(
    conn: sqlite3.Connection,
    units: Iterable[tuple[Unit, int | None, Iterable[int]]],
    *,
    replace_documents: Iterable[int] | None,
    replace_units: Iterable[Unit] = (),
) -> None:
    """Record units (unit, entity id, key hashes) as the last resolution saw them, in place
    of what was recorded for `replace_documents` (None: for every document) and for
    `replace_units`; and forget that those documents changed."""
    if replace_documents is None:
        conn.execute("DELETE FROM resolution_keys")
        conn.execute("DELETE FROM resolution_units")
        conn.execute("DELETE FROM resolution_dirty")
        conn.execute("DELETE FROM name_links WHERE doc_id NOT IN (SELECT id FROM documents)")
    else:
        for chunk in batches(sorted(set(replace_documents))):
            marks = placeholders(chunk)
            conn.execute(f"DELETE FROM resolution_units WHERE doc_id IN ({marks})", chunk)
            conn.execute(f"DELETE FROM resolution_dirty WHERE doc_id IN ({marks})", chunk)
            conn.execute(  # a removed document's links
                f"DELETE FROM name_links WHERE doc_id IN ({marks})"
                " AND doc_id NOT IN (SELECT id FROM documents)",
                chunk,
            )
        conn.executemany(
            "DELETE FROM resolution_units WHERE doc_id = ? AND name = ?", list(replace_units)
        )
    for (doc_id, name), entity_id, keys in units:
        unit_id = conn.execute(
            "INSERT INTO resolution_units (doc_id, name, entity_id) VALUES (?, ?, ?)",
            (doc_id, name, entity_id),
        ).lastrowid
        conn.executemany(
            "INSERT OR IGNORE INTO resolution_keys (key, unit_id) VALUES (?, ?)",
            [(k, unit_id) for k in keys],
        )


def read_name_links(
    conn: sqlite3.Connection, doc_ids: Iterable[int]
) -> dict[int, tuple[str, list[tuple[str, str]]]]:
    """Per document: the fingerprint its links were found with, and the links."""
    sql = "SELECT doc_id, fingerprint, links FROM name_links WHERE doc_id IN ({marks})"
    return {
        doc_id: (fingerprint, [tuple(pair) for pair in json.loads(links)])
        for doc_id, fingerprint, links in rows_in(conn, sql, doc_ids)
    }


def write_name_links(
    conn: sqlite3.Connection, doc_id: int, fingerprint: str, links: Iterable[tuple[str, str]]
) -> None:
    conn.execute(
        "INSERT INTO name_links (doc_id, fingerprint, links) VALUES (?, ?, ?)"
        " ON CONFLICT(doc_id) DO UPDATE SET fingerprint = excluded.fingerprint,"
        " links = excluded.links",
        (doc_id, fingerprint, json.dumps(sorted(links), ensure_ascii=False)),
    )
