"""Store reads and writes of the resolution graph (migration 0140): the units of the last
full run, the blocks its representatives fall in, and the pairs it scored with what the merge
made of each (`kartoteka.graph_changes` decides what to do with them).

The writers expect to run inside `Store.transaction()`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kartoteka.store.batches import batches, placeholders, rows_in

__all__ = [
    "UnitRow",
    "PairRow",
    "clear_graph",
    "insert_units",
    "insert_blocks",
    "insert_pairs",
    "FeatureIds",
    "type_votes",
    "units_where",
    "reps_where",
    "vote_units",
    "now_representative",
    "delete_units",
    "block_members",
    "pairs_touching",
    "features_of",
    "set_outcomes",
    "across_pairs_of",
    "delete_pairs",
    "no_longer_representative",
    "entities_of_units",
    "unit_ids_of_entities",
    "max_unit_id",
    "graph_units_of_documents",
    "first_place_of_entity",
    "max_pair_id",
    "entities_named",
    "write_profiles",
    "profiles_of",
    "delete_profiles",
    "pairs_between",
    "document_names_of",
]

UNIT_COLUMNS = (
    "id, doc_id, doc, name, gender, first_pos, year, own_type, type, titled, count, fold,"
    " signature, rep, accounted, acronym, short, first_mention, mention_ids, doc_name, data"
)


@dataclass(slots=True)
class UnitRow:
    """One unit as the graph keeps it (`graph_units`)."""

    id: int
    doc_id: int
    doc: str
    name: str
    gender: str | None
    first_pos: int
    year: int | None
    own_type: str
    type: str
    titled: bool
    count: int
    fold: str
    signature: str | None
    rep: bool
    accounted: bool
    acronym: str | None
    short: str | None
    first_mention: int
    mention_ids: str  # JSON, parsed when needed (a component holds tens of thousands)
    doc_name: str | None = None  # what it adds to its document's names (`document_names`)
    data: str | None = None  # a representative in full (`units.unit_to_json`)

    @property
    def order(self) -> tuple[str, int]:
        """Where resolution puts the unit among all (its id in a full run follows this)."""
        return (self.doc, self.first_pos)

    def as_row(self) -> tuple:
        return (
            self.id,
            self.doc_id,
            self.doc,
            self.name,
            self.gender,
            self.first_pos,
            self.year,
            self.own_type,
            self.type,
            int(self.titled),
            self.count,
            self.fold,
            self.signature,
            int(self.rep),
            int(self.accounted),
            self.acronym,
            self.short,
            self.first_mention,
            self.mention_ids,
            self.doc_name,
            self.data,
        )


def _unit(row: Sequence) -> UnitRow:
    values = list(row)
    values[9], values[13], values[14] = bool(values[9]), bool(values[13]), bool(values[14])
    return UnitRow(*values)


@dataclass(slots=True)
class PairRow:
    """One scored pair (`graph_pairs`); `merged` is what the merge made of it, when it is
    `above` the merge threshold (None for a pair not tried yet). `features` is the id of
    its features as stored, or the features themselves until they are."""

    id: int
    left: int
    right: int
    score: float
    same_doc: bool
    rule: str
    origin: str
    features: int | dict
    merged: int | None
    above: bool

    def as_row(self) -> tuple:
        return (
            self.id,
            self.left,
            self.right,
            self.score,
            int(self.same_doc),
            self.rule,
            self.origin,
            self.features,
            self.merged,
            int(self.above),
        )


def _pair(row: Sequence) -> PairRow:
    values = list(row)
    values[4], values[9] = bool(values[4]), bool(values[9])
    return PairRow(*values)


PAIR_COLUMNS = "id, left, right, score, same_doc, rule, origin, features, merged, above"


def clear_graph(conn: sqlite3.Connection) -> None:
    for table in ("graph_pairs", "graph_blocks", "graph_units", "graph_features", "graph_profiles"):
        conn.execute(f"DELETE FROM {table}")


def insert_units(conn: sqlite3.Connection, units: Iterable[UnitRow]) -> None:
    conn.executemany(
        f"INSERT INTO graph_units ({UNIT_COLUMNS}) VALUES ({', '.join('?' * 21)})",
        (u.as_row() for u in units),
    )


def insert_blocks(conn: sqlite3.Connection, blocks: Iterable[tuple[str, int]]) -> None:
    conn.executemany("INSERT OR IGNORE INTO graph_blocks (key, unit) VALUES (?, ?)", blocks)


def insert_pairs(conn: sqlite3.Connection, pairs: Iterable[PairRow]) -> None:
    conn.executemany(
        f"INSERT INTO graph_pairs ({PAIR_COLUMNS}) VALUES ({', '.join('?' * 10)})",
        (p.as_row() for p in pairs),
    )


class FeatureIds:
    """The features of pairs, each distinct set stored once (most pairs share one of a few
    thousand)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.ids: dict[str, int] = {}
        self.by_items: dict[tuple, int] = {}

    def id_of(self, features: dict) -> int:
        # writing JSON costs more than looking a tuple of the items up: most sets of
        # features are one of a few thousand, each met again and again
        try:
            key = tuple(  # with the types: True == 1 == 1.0, but not in JSON
                (
                    k,
                    type(v),
                    tuple((i, type(j), j) for i, j in v.items()) if isinstance(v, dict) else v,
                )
                for k, v in features.items()
            )
            found = self.by_items.get(key)
        except TypeError:  # a list among them
            key, found = None, None
        if found is None:
            found = self._stored(json.dumps(features, ensure_ascii=False, sort_keys=True))
            if key is not None:
                self.by_items[key] = found
        return found

    def _stored(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            row = self.conn.execute("SELECT id FROM graph_features WHERE json = ?", (text,))
            existing = row.fetchone()
            if existing is not None:
                found = existing[0]
            else:
                inserted = self.conn.execute(
                    "INSERT INTO graph_features (json) VALUES (?)", (text,)
                ).lastrowid
                assert inserted is not None
                found = inserted
            self.ids[text] = found
        return found


def features_of(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict]:
    sql = "SELECT id, json FROM graph_features WHERE id IN ({marks})"
    return {r[0]: json.loads(r[1]) for r in rows_in(conn, sql, ids)}


def type_votes(conn: sqlite3.Connection, folds: Iterable[str]) -> dict[str, Counter]:
    """Per folded name, the mentions each type has in the stored units (their own types)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    sql = "SELECT fold, own_type, count FROM graph_units WHERE fold IN ({marks}) ORDER BY id"
    for fold, kind, count in rows_in(conn, sql, folds):
        votes[fold][kind] += count
    return votes


def units_where(conn: sqlite3.Connection, column: str, values: Iterable) -> list[UnitRow]:
    """The stored units whose `column` (a column of graph_units) is one of `values`."""
    sql = f"SELECT {UNIT_COLUMNS} FROM graph_units WHERE {column} IN ({{marks}})"
    return [_unit(r) for r in rows_in(conn, sql, values)]


def reps_where(conn: sqlite3.Connection, column: str, values: Iterable) -> list[UnitRow]:
    """The stored representatives whose `column` is one of `values`."""
    sql = f"SELECT {UNIT_COLUMNS} FROM graph_units WHERE rep = 1 AND {column} IN ({{marks}})"
    return [_unit(r) for r in rows_in(conn, sql, values)]


def vote_units(
    conn: sqlite3.Connection, folds: Iterable[str]
) -> list[tuple[int, str, str, bool, str]]:
    """(document id, folded name, own type, titled, voted type) of the stored units of these
    names, each kind once per document."""
    sql = (
        "SELECT DISTINCT doc_id, fold, own_type, titled, type FROM graph_units"
        " WHERE fold IN ({marks})"
    )
    return [(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows_in(conn, sql, folds)]


def now_representative(conn: sqlite3.Connection, row: UnitRow, keys: Iterable[str]) -> None:
    """A stored unit that is its name's hub now: its data and blocks (`row` holds them)."""
    conn.execute(
        "UPDATE graph_units SET rep = 1, acronym = ?, short = ?, data = ? WHERE id = ?",
        (row.acronym, row.short, row.data, row.id),
    )
    insert_blocks(conn, ((k, row.id) for k in keys))


def delete_units(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    for chunk in batches(sorted(set(ids))):
        marks = placeholders(chunk)
        conn.execute(f"DELETE FROM graph_units WHERE id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM graph_blocks WHERE unit IN ({marks})", chunk)


def graph_units_of_documents(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> list[UnitRow]:
    return units_where(conn, "doc_id", doc_ids)


def block_members(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, list[int]]:
    """Block key -> the stored representatives in it."""
    out: dict[str, list[int]] = defaultdict(list)
    sql = "SELECT key, unit FROM graph_blocks WHERE key IN ({marks})"
    for key, unit in rows_in(conn, sql, keys):
        out[key].append(unit)
    return out


def pairs_touching(conn: sqlite3.Connection, units: Iterable[int], above: bool) -> list[PairRow]:
    """The pairs above (or below) the merge threshold with one of `units` on either side."""
    found: dict[int, PairRow] = {}
    for side in ("left", "right"):
        sql = f"SELECT {PAIR_COLUMNS} FROM graph_pairs WHERE {side} IN ({{marks}}) AND above = ?"
        for chunk in batches(sorted(set(units))):
            query = sql.format(marks=placeholders(chunk))
            for r in conn.execute(query, [*chunk, int(above)]):
                found[r[0]] = _pair(r)
    return list(found.values())


def across_pairs_of(conn: sqlite3.Connection, unit: int) -> list[PairRow]:
    """The pairs a unit has as its name's representative (star, block, acronym)."""
    found = []
    for side in ("left", "right"):
        found += conn.execute(
            f"SELECT {PAIR_COLUMNS} FROM graph_pairs WHERE {side} = ?"
            " AND origin IN ('star', 'block', 'acronym')",
            (unit,),
        ).fetchall()
    return [_pair(r) for r in {r[0]: r for r in found}.values()]


def delete_pairs(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    conn.executemany("DELETE FROM graph_pairs WHERE id = ?", [(i,) for i in ids])


def no_longer_representative(conn: sqlite3.Connection, unit: int) -> None:
    conn.execute(
        "UPDATE graph_units SET rep = 0, acronym = NULL, short = NULL WHERE id = ?", (unit,)
    )
    conn.execute("DELETE FROM graph_blocks WHERE unit = ?", (unit,))


def set_outcomes(conn: sqlite3.Connection, outcomes: Iterable[tuple[int | None, int]]) -> None:
    """(outcome, pair id): what the merge now makes of stored pairs."""
    conn.executemany("UPDATE graph_pairs SET merged = ? WHERE id = ?", outcomes)


def entities_of_units(conn: sqlite3.Connection, units: Iterable[UnitRow]) -> dict[int, int]:
    """Unit id -> the entity its mentions are in now."""
    by_mention = {u.first_mention: u.id for u in units}
    sql = "SELECT id, entity_id FROM mentions WHERE id IN ({marks})"
    return {by_mention[r[0]]: r[1] for r in rows_in(conn, sql, by_mention) if r[1] is not None}


def unit_ids_of_entities(conn: sqlite3.Connection, entity_ids: Iterable[int]) -> set[int]:
    """The stored units whose mentions the entities hold."""
    sql = (
        "SELECT g.id FROM mentions m JOIN graph_units g ON g.first_mention = m.id"
        " WHERE m.entity_id IN ({marks})"
    )
    return {r[0] for r in rows_in(conn, sql, entity_ids)}


def max_unit_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM graph_units").fetchone()[0]


def first_place_of_entity(conn: sqlite3.Connection, entity_id: int) -> tuple[str, int]:
    """Where an entity's first unit stands (document key, position)."""
    row = conn.execute(
        "SELECT g.doc, g.first_pos FROM mentions m JOIN graph_units g ON g.first_mention = m.id"
        " WHERE m.entity_id = ? ORDER BY g.doc, g.first_pos LIMIT 1",
        (entity_id,),
    ).fetchone()
    return (row[0], row[1])


def pairs_between(conn: sqlite3.Connection, a: int, b: int, origin: str) -> list[PairRow]:
    rows = conn.execute(
        f"SELECT {PAIR_COLUMNS} FROM graph_pairs WHERE origin = ?"
        " AND ((left = ? AND right = ?) OR (left = ? AND right = ?))",
        (origin, a, b, b, a),
    ).fetchall()
    return [_pair(r) for r in rows]


def document_names_of(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> dict[str, set[str]]:
    """Per document (by key), the names it mentions (`candidates.document_names`)."""
    names: dict[str, set[str]] = defaultdict(set)
    sql = "SELECT doc, doc_name FROM graph_units WHERE doc_id IN ({marks})"
    for doc, name in rows_in(conn, sql, doc_ids):
        if name is not None:
            names[doc].add(name)
    return names


def write_profiles(conn: sqlite3.Connection, profiles: Iterable[tuple[int, str]]) -> None:
    """(entity id, profile JSON), replacing what was there."""
    conn.executemany(
        "INSERT INTO graph_profiles (entity_id, profile) VALUES (?, ?) ON CONFLICT(entity_id)"
        " DO UPDATE SET profile = excluded.profile",
        profiles,
    )


def profiles_of(conn: sqlite3.Connection, entity_ids: Iterable[int]) -> dict[int, dict]:
    sql = "SELECT entity_id, profile FROM graph_profiles WHERE entity_id IN ({marks})"
    return {r[0]: json.loads(r[1]) for r in rows_in(conn, sql, entity_ids)}


def delete_profiles(conn: sqlite3.Connection, entity_ids: Iterable[int]) -> None:
    conn.executemany("DELETE FROM graph_profiles WHERE entity_id = ?", [(i,) for i in entity_ids])


def entities_named(conn: sqlite3.Connection, names: Iterable[str]) -> set[int]:
    """The entities with one of these names among their aliases."""
    sql = "SELECT entity_id FROM aliases WHERE alias IN ({marks})"
    return {r[0] for r in rows_in(conn, sql, names)}


def max_pair_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM graph_pairs").fetchone()[0]
