"""Incremental resolution: after documents are added, replaced or removed, or a judgement
is made, re-resolve only what the change can touch, with the result a full run would give.

`resolve_store` picks the way. In a store without judgements or authority files, a full run
records its graph (`kartoteka.resolution_graph`) and changed documents are resolved from it
(`kartoteka.graph_changes`); where the graph cannot tell, a full run records it again.
Otherwise what the change touches is followed, as below.

`resolve()` stays the pure function of every mention it always was; what it decides about a
name depends on
- the names it can be compared with in other documents: those sharing a blocking key
  (`kartoteka.resolve.blocking`), and the authority entries sharing one;
- in its own document, the names the document links to it (the pairs resolution scores
  there, found once per document: `name_links`), and the rest of the document (whether a
  surname is ambiguous there, which other names the document mentions);
- the judgements that name it;
- the entity it was in (whose other members may now part), and the entities whose keys are
  numbered alongside its own (per-smith, per-smith-2).
`Touch` follows these from the changed documents (their new names, and the keys and entities
of their old ones) to a closed set of units (every mention of one name in one document);
`resolve()` runs on the whole documents that hold them, the rest of each document being
context whose results are dropped. A context name that turns out to be entangled with a
touched one (merged with it, suggested with it) joins the touched set and the run is done
again. What the touched units get replaces their old entities; every other entity, its id
and its suggestions stay as they were.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from kartoteka.graph_changes import (
    GraphResult,
    Unresolvable,
    resolve_from_graph,
)
from kartoteka.resolution_graph import GraphRecorder
from kartoteka.resolve import (
    RESOLVER,
    Authority,
    Judgement,
    MentionRecord,
    Resolution,
    ResolveConfig,
    StatedLinkRecord,
    resolve,
)
from kartoteka.resolve.blocking import blocking_keys, name_keys, unit_name
from kartoteka.store import Store, get_setting
from kartoteka.store.batches import rows_in
from kartoteka.store.graph import clear_graph
from kartoteka.store.incremental import (
    Unit,
    dirty_documents,
    entities_of_mentions,
    key_component_exceeds,
    key_hash,
    mentions_of_entities,
    read_name_links,
    snapshot_count,
    snapshot_of_documents,
    units_named,
    units_with_keys,
    write_name_links,
    write_snapshot,
)
from kartoteka.store.resolution import (
    document_keys,
    iter_mentions,
    read_authorities,
    read_judgements,
    read_mention_names,
    read_mentions,
    read_stated_links,
    replace_entities,
    write_resolution,
)

__all__ = [
    "resolve_store",
    "Touch",
    "resolve_touched",
    "touched_rows",
    "name_links",
    "links_fingerprint",
    "unit_rows",
]

#: Above this share of all units, a full run costs less than finding and re-running them;
#: and in a store of fewer units than FULL_RUN_FLOOR, a full run takes a few seconds at most
#: and costs less than finding what a change touches (unless incremental is asked for).
FULL_RUN_SHARE = 0.3
FULL_RUN_FLOOR = 20_000
#: Rounds of "run, find entangled context names, run again" before giving up for a full run.
MAX_ROUNDS = 8


def name_links(
    records: Sequence[MentionRecord],
    config: ResolveConfig,
    stated: Sequence[StatedLinkRecord] = (),
) -> set[tuple[str, str]]:
    """The pairs of names one document's own text links: every pair resolution scores at
    least at the suggestion threshold within the document (nothing is merged here, so each
    pair shows up as a suggestion), and the names the text says are one (`stated`), as
    (name, name) sorted."""
    alone = replace(config, merge_threshold=2.0, max_suggestions=10**9)
    resolution = resolve(records, config=alone, links=stated)
    names = {e.key: sorted(e.aliases) for e in resolution.entities}
    links: set[tuple[str, str]] = set()
    for e in resolution.entities:  # joined in spite of the threshold (a stated identity)
        links |= {(a, b) for a in names[e.key] for b in names[e.key] if a < b}
    for s in resolution.suggestions:
        links |= {(min(a, b), max(a, b)) for a in names[s.left] for b in names[s.right] if a != b}
    return links


def links_fingerprint(records: Sequence[MentionRecord], config: ResolveConfig) -> str:
    """What one document's name links depend on: its mentions, their sentences, the settings."""
    digest = hashlib.blake2b(f"{RESOLVER}|{config!r}".encode(), digest_size=16)
    for m in sorted(records, key=lambda m: (m.start, m.end, m.name)):
        fields = (m.start, m.end, m.text, m.name, m.type, m.title, m.context_start, m.context)
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
    return digest.hexdigest()


@dataclass
class _Document:
    """A document read in full: its mentions, and per unit name its keys and linked names."""

    mentions: list[MentionRecord]
    unit_of: dict[int, str] = field(default_factory=dict)
    keys: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    links: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: the entities its names are in now (a name may be in two: Mr. and Mrs. Smith)
    entities: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


class Touch:
    """The units a change touches, closed under everything resolution decides them by."""

    def __init__(
        self,
        store: Store,
        config: ResolveConfig,
        judgements: Sequence[Judgement],
        authorities: Sequence[Authority],
    ):
        self.store, self.config = store, config
        conn = store.conn
        self.dirty = dirty_documents(conn)
        self.docs: dict[int, _Document] = {}
        self.units: set[Unit] = set()
        self.old_entities: set[int] = set()
        self._keys_done: set[int] = set()
        self._dirty_by_key: dict[int, set[Unit]] = defaultdict(set)
        self._authorities = [
            {key_hash(k) for k in keys} for keys in blocking_keys([], authorities)[1]
        ]
        self._judgements = judgements
        self._groups: list[set[Unit]] | None = None

    # the start: what changed --------------------------------------------------------------

    def start(self, new_judgements: Sequence[Judgement], limit: float = float("inf")) -> bool:
        """Touch the changed documents (their names now, and what their names held before)
        and the names new judgements refer to; False if that is more than `limit` units."""
        sql = "SELECT id FROM documents WHERE id IN ({marks})"
        existing = {r[0] for r in rows_in(self.store.conn, sql, self.dirty)}
        self._load(existing, links=False)
        before = snapshot_of_documents(self.store.conn, self.dirty)
        # following the keys alone reaches fewer names than the whole closure: if that is
        # already too many, stop before reading any other document
        keys = {k for d in existing for hashes in self.docs[d].keys.values() for k in hashes}
        keys |= {k for _, _, hashes in before for k in hashes}
        if key_component_exceeds(self.store.conn, keys, limit):
            return False
        for d in existing:
            self._add_links(d)
        frontier = {(d, n) for d in existing for n in self.docs[d].keys}
        frontier |= self._by_entities({entity for _, entity, _ in before if entity is not None})
        frontier |= self._by_keys({k for _, _, keys in before for k in keys})
        for judgement in new_judgements:
            frontier |= self._judgement_units(judgement)
        return self.close(frontier, limit)

    # the closure ---------------------------------------------------------------------------

    def close(self, frontier: set[Unit], limit: float = float("inf")) -> bool:
        """Add `frontier` and everything it reaches; False if that is more than `limit`
        units (the rest is not followed)."""
        while frontier:
            new = frontier - self.units
            if not new:
                return True
            if len(self.units) + len(new) > limit:
                return False
            self.units |= new
            self._load({d for d, _ in new} - self.docs.keys())
            frontier = set()
            keys: set[int] = set()
            for d, name in new:
                document = self.docs[d]
                keys |= document.keys.get(name, set())
                frontier |= {(d, other) for other in document.links.get(name, ())}
            held = {e for d, name in new for e in self.docs[d].entities.get(name, ())}
            frontier |= self._by_entities(held)
            frontier |= self._by_keys(keys)
            for group in self._judgement_groups():
                if group & new:
                    frontier |= group
        return True

    def _by_keys(self, keys: set[int]) -> set[Unit]:
        keys = set(keys)
        grew = True
        while grew:  # an authority entry sharing a key brings the keys of all its variants
            grew = False
            for entry in self._authorities:
                if entry & (keys | self._keys_done) and not entry <= keys | self._keys_done:
                    keys |= entry
                    grew = True
        keys -= self._keys_done
        self._keys_done |= keys
        found = {u for u in units_with_keys(self.store.conn, keys) if u[0] not in self.dirty}
        for k in keys:
            found |= self._dirty_by_key.get(k, set())
        return found

    def _by_entities(self, entity_ids: set[int]) -> set[Unit]:
        entity_ids -= self.old_entities
        self.old_entities |= entity_ids
        held = mentions_of_entities(self.store.conn, entity_ids)
        self._load({d for d, _ in held} - self.docs.keys())
        return {(d, self.docs[d].unit_of[m]) for d, m in held if d not in self.dirty}

    def _judgement_groups(self) -> list[set[Unit]]:
        if self._groups is None:
            self._groups = [self._judgement_units(j) for j in self._judgements]
        return self._groups

    def _judgement_units(self, judgement: Judgement) -> set[Unit]:
        """The units (as they are now) that a judgement's references name."""
        refs = [*judgement.left, *judgement.right]
        names = {r.name for r in refs}
        found = {u for u in units_named(self.store.conn, names) if u[0] not in self.dirty}
        for d in self.dirty & self.docs.keys():  # changed documents: their names now
            found |= {(d, n) for n in self.docs[d].keys if n in names}
        doc_names = self._doc_names({d for d, _ in found})
        return {
            (d, n)
            for d, n in found
            if any(r.name == n and r.doc in (None, doc_names.get(d)) for r in refs)
        }

    def _doc_names(self, doc_ids: set[int]) -> dict[int, str]:
        """Document id -> the key judgements refer to it by, its path (as `read_mentions`
        gives it; `read_judgements` pins older references to it)."""
        sql = "SELECT id, path FROM documents WHERE id IN ({marks})"
        return {r[0]: r[1] for r in rows_in(self.store.conn, sql, doc_ids)}

    # documents read in full -------------------------------------------------------------------

    def _load(self, doc_ids: set[int], links: bool = True) -> None:
        if not doc_ids:
            return
        records = read_mentions(self.store, doc_ids)
        units, _ = blocking_keys(records)
        by_doc: dict[int, list[MentionRecord]] = defaultdict(list)
        for m in records:
            by_doc[m.doc_id or 0].append(m)
        cached = read_name_links(self.store.conn, doc_ids)
        entity_of = entities_of_mentions(self.store.conn, doc_ids)
        for doc_id in doc_ids:
            document = self.docs[doc_id] = _Document(by_doc.get(doc_id, []))
            for m in document.mentions:
                name, unit_keys = units[m.id]
                document.unit_of[m.id] = name
                document.keys[name] |= {key_hash(k) for k in unit_keys}
                if m.id in entity_of:
                    document.entities[name].add(entity_of[m.id])
            if links:
                self._add_links(doc_id, cached.get(doc_id))
            if doc_id in self.dirty:
                for name, hashes in document.keys.items():
                    for k in hashes:
                        self._dirty_by_key[k].add((doc_id, name))

    def _add_links(self, doc_id: int, cached=None) -> None:
        document = self.docs[doc_id]
        if cached is None:
            cached = read_name_links(self.store.conn, [doc_id]).get(doc_id)
        for a, b in self._links(doc_id, document.mentions, cached):
            document.links[a].add(b)
            document.links[b].add(a)

    def _links(self, doc_id: int, records: list[MentionRecord], cached) -> set[tuple[str, str]]:
        fingerprint = links_fingerprint(records, self.config)
        if cached is not None and cached[0] == fingerprint:
            return set(cached[1])
        links = name_links(records, self.config, read_stated_links(self.store, [doc_id]))
        write_name_links(self.store.conn, doc_id, fingerprint, links)
        return links

    # after a run --------------------------------------------------------------------------

    def mentions(self) -> list[MentionRecord]:
        """What the run reads: every mention of the touched units, and of each other name of
        their documents one mention, without its sentence. Those names only stand there as
        the document's other names (which surnames are shared there, which names it has);
        their own results are dropped, and if one turns out joined to a touched name it is
        touched and read in full the next round. The mentions a text's stated identity joins
        are all read: what the text accounts for keeps guesses off its names."""
        out = []
        linked = {
            i for link in read_stated_links(self.store, self.docs) for i in (link.head, link.alias)
        }
        for d in sorted(self.docs):
            document = self.docs[d]
            seen: set[tuple[str, str | None]] = set()
            for m in document.mentions:
                name = document.unit_of[m.id]
                if (d, name) in self.units:
                    out.append(m)
                elif (name, m.title) not in seen or m.id in linked:
                    seen.add((name, m.title))  # a title may make it another unit (Mrs.)
                    out.append(replace(m, context="", context_start=-1))
        return out

    def unit(self, m: MentionRecord) -> Unit:
        doc_id = m.doc_id or 0
        return doc_id, self.docs[doc_id].unit_of[m.id]

    def same_base_units(self, bases: set[str]) -> set[Unit]:
        """The units of stored entities (not touched yet) whose keys are numbered with one of
        `bases`: a full run numbers all entities of one name together."""
        found: set[int] = set()
        for base in bases:
            for entity_id, key in self.store.conn.execute(
                "SELECT id, key FROM entities WHERE key = ? OR (key > ? AND key < ?)",
                (base, base + "-", base + "."),
            ):
                if key == base or re.fullmatch(re.escape(base) + r"-\d+", key):
                    found.add(entity_id)
        return self._by_entities(found - self.old_entities)

    def old_bases(self) -> set[str]:
        """The names (keys before numbering) of the stored entities touched so far."""
        conn = self.store.conn
        keys = {
            r[0]
            for r in rows_in(
                conn, "SELECT key FROM entities WHERE id IN ({marks})", self.old_entities
            )
        }
        prefixes = {p.group(1) for k in keys if (p := re.fullmatch(r"(.+)-\d+", k))}
        stored = {
            r[0] for r in rows_in(conn, "SELECT key FROM entities WHERE key IN ({marks})", prefixes)
        }
        return {_base(k, stored | keys) for k in keys}

    def entangled(self, result: Resolution) -> set[Unit]:
        """Context units the run joined to touched ones (in one entity, in one suggestion),
        and stored entities numbered alongside the touched ones: they must be touched too."""
        members = self._members(result)
        strays: set[Unit] = set()
        for units in members.values():
            if units & self.units:
                strays |= units - self.units
        for s in result.suggestions:
            left, right = members[s.left], members[s.right]
            if bool(left & self.units) != bool(right & self.units):
                strays |= (left | right) - self.units
        keys = set(members)
        bases = {_base(k, keys) for k, units in members.items() if units & self.units}
        return strays | self.same_base_units(bases)

    def _members(self, result: Resolution) -> dict[str, set[Unit]]:
        by_id = {m.id: m for d in self.docs.values() for m in d.mentions}
        return {e.key: {self.unit(by_id[m]) for m in e.mention_ids} for e in result.entities}

    def kept(self, result: Resolution) -> Resolution:
        """The entities and suggestions of the touched units, keys numbered as the full run
        numbers them (among all entities of one name, which are all touched)."""
        members = self._members(result)
        entities = [e for e in result.entities if members[e.key] and members[e.key] <= self.units]
        all_keys = {e.key for e in result.entities}
        numbered: dict[str, int] = defaultdict(int)
        renamed = {}
        for e in entities:
            base = _base(e.key, all_keys)
            numbered[base] += 1
            renamed[e.key] = base if numbered[base] == 1 else f"{base}-{numbered[base]}"
        suggestions = [
            replace(s, left=renamed[s.left], right=renamed[s.right])
            for s in result.suggestions
            if s.left in renamed and s.right in renamed
        ]
        return Resolution(
            entities=[replace(e, key=renamed[e.key]) for e in entities],
            suggestions=suggestions,
            stale_judgements=result.stale_judgements,
            warnings=result.warnings,
        )


def touched_rows(
    touch: Touch, kept: Resolution, entity_id: dict[str, int]
) -> list[tuple[Unit, int | None, set[int]]]:
    """Snapshot rows for the touched units after the run."""
    by_id = {m.id: m for d in touch.docs.values() for m in d.mentions}
    entity_of: dict[Unit, int] = {}
    for e in kept.entities:
        for m in e.mention_ids:
            entity_of[touch.unit(by_id[m])] = entity_id[e.key]
    return [
        ((d, n), entity_of.get((d, n)), touch.docs[d].keys.get(n, set()))
        for d, n in sorted(touch.units)
    ]


def _base(key: str, keys: set[str]) -> str:
    """The key before resolution numbered it: "per-smith-2" is "per-smith" when that key
    is there too (numbering starts at the second entity of a name)."""
    found = re.fullmatch(r"(.+)-(\d+)", key)
    return found.group(1) if found and found.group(1) in keys else key


def resolve_touched(
    store: Store,
    config: ResolveConfig,
    judgements: Sequence[Judgement],
    authorities: Sequence[Authority],
    new_judgements: Sequence[Judgement],
    *,
    forced: bool = False,
) -> tuple[Touch, Resolution] | None:
    """The touched units and what resolution gives them, or None when a full run is the
    better way (a small store, too much touched, rounds that do not settle); `forced`: the
    touched units whatever their number."""
    total = snapshot_count(store.conn)
    if total < FULL_RUN_FLOOR and not forced:
        return None
    limit = float("inf") if forced else FULL_RUN_SHARE * total
    touch = Touch(store, config, judgements, authorities)
    if not touch.start(new_judgements, limit):
        return None
    for _ in range(MAX_ROUNDS):
        if not touch.close(touch.same_base_units(touch.old_bases()), limit):
            return None
        mentions = touch.mentions()
        loaded = {m.doc_id for m in mentions if m.doc_id is not None}
        stated = read_stated_links(store, loaded)
        result = resolve(mentions, judgements, authorities, config, links=stated)
        strays = touch.entangled(result)
        if not strays:
            return touch, touch.kept(result)
        if not touch.close(strays, limit):
            return None
    return None


def unit_rows(
    mentions: Sequence[MentionRecord], entity_of: dict[int, int]
) -> Iterator[tuple[Unit, int | None, set[int]]]:
    """Snapshot rows (unit, entity id, key hashes) for every unit of `mentions`, in the
    order of their first mentions, given the entity id of each mention (a unit whose
    mentions differ takes its last one's). Made one at a time, as they are written: a
    corpus has hundreds of thousands."""
    units: dict[Unit, tuple[list[int | None], set[str]]] = {}
    for m in mentions:
        unit = (m.doc_id or 0, unit_name(m))
        found = units.get(unit)
        if found is None:
            found = units[unit] = ([None], set())
        if m.id in entity_of:
            found[0][0] = entity_of[m.id]
        found[1].add(m.type)
    for unit, ([entity], kinds) in units.items():
        yield unit, entity, {key_hash(k) for k in name_keys(unit[1], kinds)}


# the whole resolution stage ---------------------------------------------------------------

#: Settings key: what the last resolution ran with (resolver, settings, authority files, the
#: judgements it applied); a run with anything else starts from scratch.
STATE = "resolution_state"


def resolve_store(
    store: Store, config: ResolveConfig, *, full: bool | None = None
) -> tuple[Resolution, bool]:
    """Resolve the store: only what changed since the last resolution when that is known and
    worth it, else everything; `full` True resolves everything, False only what changed
    whenever the last run's record allows. Returns what was resolved (the touched entities,
    or all) and whether it was everything. Call inside a transaction."""
    judgements, authorities = read_judgements(store), read_authorities(store)
    state = _state(store, config, judgements, authorities)
    previous = _recorded_state(store) or {}
    # the entities as the last run left them (a store repaired or edited by hand is not)
    intact = previous.get("entities") == _entity_count(store)
    if full is not True and intact and previous.get("settings") == state["settings"]:
        done = previous["judgements"]
        new = [j for j in judgements if (j.id or 0) > done["last"]]
        if len(judgements) - len(new) == done["count"]:
            dirty = dirty_documents(store.conn)
            if previous.get("graph") and not judgements and not authorities:
                from_graph = _resolve_from_graph(store, config, dirty)
                if isinstance(from_graph, GraphResult):
                    _record_state(store, state, from_graph.touched, graph=True)
                    return from_graph.resolution, False
                if full is None:  # a full run keeps the graph for the next additions
                    resolution, graph = _resolve_everything(store, config, judgements, authorities)
                    _record_state(store, state, None, graph=graph, why=from_graph)
                    return resolution, True
            result = _resolve_by_closure(
                store, config, judgements, authorities, new, forced=full is False
            )
            if result is not None:
                resolution, touched = result
                _record_state(store, state, touched, graph=False)
                return resolution, False
    resolution, graph = _resolve_everything(store, config, judgements, authorities)
    _record_state(store, state, None, graph=graph)
    return resolution, True


def _resolve_from_graph(store: Store, config: ResolveConfig, dirty: set[int]) -> GraphResult | str:
    """Documents changed since a full run (without judgements or authority files): resolved
    from its graph (`kartoteka.graph_changes`) and written, with the snapshot of units the
    closure path reads; or why that cannot be done (then nothing is written)."""
    conn = store.conn
    if not dirty:
        return GraphResult(Resolution(), [], {}, 0)
    conn.execute("SAVEPOINT graph")
    try:
        result = resolve_from_graph(store, config, dirty)
    except Unresolvable as why:
        conn.execute("ROLLBACK TO graph")
        conn.execute("RELEASE graph")
        return str(why)
    entity_of_mention = {}
    for m in result.mentions:
        entity = result.entity_of.get((m.doc_id or 0, unit_name(m)))
        if entity is not None:
            entity_of_mention[m.id] = entity
    anew = dirty | result.documents
    write_snapshot(conn, unit_rows(result.mentions, entity_of_mention), replace_documents=anew)
    conn.executemany(
        "UPDATE resolution_units SET entity_id = ? WHERE doc_id = ? AND name = ?",
        [(e, d, n) for (d, n), e in result.entity_of.items() if d not in anew],
    )
    conn.execute("RELEASE graph")
    return result


def _entity_count(store: Store) -> int:
    return store.conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]


def _resolve_by_closure(
    store, config, judgements, authorities, new, *, forced: bool
) -> tuple[Resolution, int] | None:
    """What the touched units get, written; and how many units were touched."""
    if not new and not dirty_documents(store.conn):
        return Resolution(), 0
    found = resolve_touched(store, config, judgements, authorities, new, forced=forced)
    if found is None:
        return None
    touch, kept = found
    entity_id = replace_entities(store.conn, touch.old_entities, kept, touch.mentions())
    write_snapshot(
        store.conn,
        touched_rows(touch, kept, entity_id),
        replace_documents=touch.dirty,
        replace_units=touch.units,
    )
    return kept, len(touch.units)


def _resolve_everything(store, config, judgements, authorities) -> tuple[Resolution, bool]:
    """Resolve every mention; and whether its graph was recorded (`kartoteka.graph_changes`:
    not with judgements or authority files, which the graph does not follow)."""
    # resolve() reads the mentions as they stream from the store, and lets each go once it
    # is in its unit; what writing the result needs is read again, without the sentences
    links = read_stated_links(store)
    recorder = None
    clear_graph(store.conn)
    if not judgements and not authorities:
        doc_ids = {key: doc_id for doc_id, key in document_keys(store.conn).items()}
        recorder = GraphRecorder(store.conn, config, doc_ids)
    resolution = resolve(
        iter_mentions(store), judgements, authorities, config, links=links, recorder=recorder
    )

    mentions = read_mention_names(store)
    entity_id = write_resolution(store.conn, resolution, mentions)
    if recorder is not None:
        recorder.finish(entity_id)
    entity_of = {m: entity_id[e.key] for e in resolution.entities for m in e.mention_ids}
    write_snapshot(store.conn, unit_rows(mentions, entity_of), replace_documents=None)
    return resolution, recorder is not None


def _state(store: Store, config: ResolveConfig, judgements, authorities) -> dict:
    digest = hashlib.blake2b(digest_size=16)
    for a in authorities:
        digest.update(
            json.dumps([a.canonical, a.type, a.variants, a.identifier, a.source]).encode()
        )
    return {
        "settings": {
            "resolver": RESOLVER,
            "config": repr(config),
            "authorities": digest.hexdigest(),
        },
        "judgements": {
            "count": len(judgements),
            "last": max((j.id or 0 for j in judgements), default=0),
        },
    }


def _recorded_state(store: Store) -> dict | None:
    value = get_setting(store, STATE)
    try:
        found = json.loads(value) if value else None
    except ValueError:
        return None
    return found if isinstance(found, dict) and "settings" in found else None


def _record_state(
    store: Store, state: dict, touched: int | None, *, graph: bool, why: str | None = None
) -> None:
    """What this run ran with, and what it did: how many units it resolved of how many
    (`touched` None: all of them), whether the graph is in step (`graph`), and `why` added
    documents were resolved in full."""
    units = snapshot_count(store.conn)
    last_run: dict = {"units": units, "resolved": units if touched is None else touched}
    if why is not None:
        last_run["why_full"] = why
    state = {**state, "graph": graph, "entities": _entity_count(store), "last_run": last_run}
    store.conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
        " DO UPDATE SET value = excluded.value",
        (STATE, json.dumps(state, sort_keys=True)),
    )
