"""What a full resolution keeps of its work for the next additions (`kartoteka.graph_changes`):
its units, each name's representative in full, the blocks they fall in, every pair scored
with what the merge made of it, and each entity's constraints (migration 0140).
"""

from __future__ import annotations

import json
import sqlite3

from kartoteka.resolve import ResolveConfig
from kartoteka.resolve.candidates import (
    Pair,
    block_keys,
    hub_of,
    representatives,
    same_names,
    signature,
)
from kartoteka.resolve.cluster import Cluster, profile_of
from kartoteka.resolve.names import acronym, fold
from kartoteka.resolve.units import Unit, unit_to_json
from kartoteka.store import graph as stored
from kartoteka.store.graph import FeatureIds, PairRow, UnitRow

__all__ = ["GraphRecorder", "signature_text", "block_text", "short_name", "unit_row"]

#: Pairs written to the store this many at a time.
PAIR_BATCH = 20_000


def signature_text(u: Unit) -> str | None:
    kind, norm = signature(u)
    return f"{kind}|{norm}" if u.norm else None


def block_text(key: tuple) -> str:
    return "|".join(str(part) for part in key)


def short_name(u: Unit) -> str | None:
    """An organization written as one upper-case word ("NKVD", "G.P.U."): an acronym."""
    if u.type == "ORG" and " " not in u.norm and u.name.replace(".", "").isupper():
        return u.norm
    return None


def _doc_name(u: Unit) -> str | None:
    """What a unit adds to the names its document mentions (`candidates.document_names`)."""
    if u.type == "PER" and u.person and u.person.surname_word:
        return u.person.surname_word
    return (u.group or u.norm) if u.norm else None


def unit_row(u: Unit, db_id: int, doc_id: int, rep: bool, accounted: bool) -> UnitRow:
    return UnitRow(
        id=db_id,
        doc_id=doc_id,
        doc=u.doc,
        name=u.name,
        gender=u.gender,
        first_pos=u.first_pos,
        year=u.year,
        own_type=u.own_type or u.type,
        type=u.type,
        titled=bool(u.titles),
        count=u.count,
        fold=fold(u.name),
        signature=signature_text(u),
        rep=rep,
        accounted=accounted,
        acronym=acronym(u.name) if rep and u.type == "ORG" else None,
        short=short_name(u) if rep else None,
        first_mention=min(u.mention_ids),
        mention_ids=f"[{','.join(map(str, sorted(u.mention_ids)))}]",
        doc_name=_doc_name(u),
        data=unit_to_json(u) if rep else None,
    )


class GraphRecorder:
    """What a full run keeps of its work (`resolve(recorder=...)`): written as it goes."""

    def __init__(self, conn: sqlite3.Connection, config: ResolveConfig, doc_ids: dict[str, int]):
        self.conn, self.config, self.doc_ids = conn, config, doc_ids
        self.features = FeatureIds(conn)
        self.batch: list[PairRow] = []
        self.next_pair = 1
        self.profiles: dict[str, str] = {}

    def scored(self, units: list[Unit], pairs: list[Pair], accounted: set[int]) -> None:
        stored.clear_graph(self.conn)
        reps = {
            u.id
            for members in same_names(units).values()
            for u in representatives(members, hub_of(members))
        }
        stored.insert_units(
            self.conn,
            (
                unit_row(u, u.id, self.doc_ids[u.doc], u.id in reps, u.id in accounted)
                for u in units
            ),
        )
        stored.insert_blocks(
            self.conn, ((block_text(k), u.id) for u in units if u.id in reps for k in block_keys(u))
        )

    def tried(self, pair: Pair, outcome: int | None) -> None:
        above = outcome is not None
        self.batch.append(
            PairRow(
                id=self.next_pair,
                left=pair.left,
                right=pair.right,
                score=pair.score,
                same_doc=bool(pair.features.get("same_document", False)),
                rule=pair.features.get("rule", ""),
                origin=pair.origin,
                features=self.features.id_of(pair.features),
                merged=outcome,
                above=above,
            )
        )
        self.next_pair += 1
        if len(self.batch) >= PAIR_BATCH:
            self.flush()

    def flush(self) -> None:
        stored.insert_pairs(self.conn, self.batch)
        self.batch = []

    def clustered(self, clusters: dict[str, Cluster]) -> None:
        self.profiles = {key: json.dumps(profile_of(c)) for key, c in clusters.items()}

    def finish(self, entity_id: dict[str, int]) -> None:
        """Write what is left, once the entities have their ids."""
        self.flush()
        stored.write_profiles(
            self.conn, ((entity_id[key], p) for key, p in self.profiles.items() if key in entity_id)
        )
