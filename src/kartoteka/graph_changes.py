"""Documents added, replaced or removed in a resolved store, resolved without reading the
corpus again.

A full resolution (`kartoteka.incremental.resolve_store`) records its graph in the store
(`kartoteka.resolution_graph.GraphRecorder`, migration 0140): every unit and where it
stands, each name's representative in full with the blocks it falls in, every pair scored
with what the merge made of it, and each entity's constraints. After documents change, what
a full run would do is worked out from that graph:

1. the units of removed and replaced documents go, with their pairs; the units of new and
   replaced documents come, typed by the corpus's vote (the stored votes less the gone
   units' plus theirs); a stored document of a name whose vote that turns goes and comes
   again too;
2. the new units' pairs: within each document as always; across documents, a new unit joins
   the star of its name (the stored hub; or, when it outdoes it or the hub is gone, the
   best unit of the name, and the star is drawn again), a new name is compared with the
   representatives of the blocks it falls in and with the acronyms, and the names a block's
   cap now leaves out of its comparisons, or lets in, lose or gain their pairs;
3. the merges are replayed (`kartoteka.resolve.replay`) over the entities the changed pairs
   reach, deciding again only the pairs whose clusters changed; a new mention that only
   joins a known place or organization as one more of its names is added to it in place;
4. the entities that changed are made again, numbered among the stored ones of their name,
   with the suggestions that name them; and the graph is kept in step.

The result is the one a full run gives. Where the graph cannot tell (a name whose new hub
would be another known organization, type votes that keep turning), `resolve_from_graph`
raises `Unresolvable` and the caller resolves another way.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from kartoteka.resolution_graph import block_text, short_name, signature_text, unit_row
from kartoteka.resolve import Entity, MentionRecord, Ref, Resolution, ResolveConfig, Suggestion
from kartoteka.resolve.blocking import unit_name
from kartoteka.resolve.candidates import (
    ACRONYM,
    Facts,
    Pair,
    block_keys,
    block_pair,
    comparable,
    document_names,
    hub_of,
    is_representative,
    scored,
    star_pair,
    stated_pairs,
)
from kartoteka.resolve.cluster import (
    Cluster,
    cluster_of,
    cluster_of_profile,
    conflict_between,
    holds,
    profile_of,
)
from kartoteka.resolve.core import (
    MERGED,
    build_entity,
    document_pairs,
    entity_base,
    entity_name,
    guessed_against_text,
    pair_order,
)
from kartoteka.resolve.names import acronym, fold
from kartoteka.resolve.replay import Replay, Step
from kartoteka.resolve.units import (
    Unit,
    build_units,
    lite_unit,
    type_votes,
    unit_from_json,
    voted_type,
)
from kartoteka.store import Store
from kartoteka.store import graph as stored
from kartoteka.store.batches import batches, placeholders, rows_in
from kartoteka.store.graph import FeatureIds, PairRow, UnitRow
from kartoteka.store.incremental import snapshot_of_documents
from kartoteka.store.resolution import (
    _write_suggestions,
    read_mentions,
    read_stated_links,
    rewrite_entities,
)

__all__ = ["resolve_from_graph", "GraphResult", "Unresolvable"]

#: Replays (each with the entities the one before met) before giving up.
MAX_ROUNDS = 8


# the run on changed documents ---------------------------------------------------------------


@dataclass
class GraphResult:
    """What `resolve_from_graph` resolved and wrote: the entities and suggestions it made
    again, the new documents' mentions, and the entity each unit it touched is in now (by
    document id and name, for the snapshot of `kartoteka.incremental`)."""

    resolution: Resolution
    mentions: list[MentionRecord]
    entity_of: dict[tuple[int, str], int]
    touched: int
    #: the documents whose units were resolved anew (added, replaced, removed, typed again)
    documents: set[int] = field(default_factory=set)


class Unresolvable(Exception):
    """The changed documents cannot be resolved from the graph (the reason why)."""


def resolve_from_graph(store: Store, config: ResolveConfig, changed: set[int]) -> GraphResult:
    """Resolve the documents `changed` since the graph was written (added, replaced or
    removed) from the graph, write the result, and keep the graph in step. Raises
    `Unresolvable` when that cannot give what a full run gives; then the caller rolls back
    what was written. Call inside a transaction."""
    return _GraphRun(store, config, changed).run()


def _beats(count: int, order: tuple[str, int], other_count: int, other: tuple[str, int]) -> bool:
    """Would a unit (its count and place) be its name's hub over another (`hub_of`)?"""
    return count > other_count or (count == other_count and order < other)


def _place(u: Unit) -> tuple[str, int]:
    return (u.doc, u.first_pos)


def _lite(row: UnitRow, mentions: bool = True) -> Unit:
    """A stored unit's name features, without its sentences: enough for its cluster's
    constraints and (with its `mentions`) its entity's name."""
    mention_ids = json.loads(row.mention_ids) if mentions else []
    return lite_unit(
        row.id, row.doc, row.name, row.type, row.gender, row.first_pos, row.year, mention_ids
    )


def _order(p: PairRow, place) -> tuple:
    """`core.pair_order`, by where the units stand (`place`); a pair found twice (two rules,
    or one rule twice) in the order it was found."""
    return (not p.same_doc, -p.score, place(p.left), place(p.right), p.rule, p.id)


class _GraphRun:
    def __init__(self, store: Store, config: ResolveConfig, changed: set[int]):
        self.store, self.config, self.conn = store, config, store.conn
        present = {
            r[0]
            for r in rows_in(self.conn, "SELECT id FROM documents WHERE id IN ({marks})", changed)
        }
        #: documents read and resolved anew (added, replaced, and those a type vote turns)
        self.read = present
        #: documents whose stored units are gone (removed, replaced, typed again)
        self.gone_docs = {r.doc_id for r in stored.graph_units_of_documents(self.conn, changed)}
        self.gone: set[int] = set()  # their units' graph ids
        #: names whose star is drawn again around another hub: the new hub if a stored one
        self.redrawn: set[str] = set()
        self.promoted: dict[str, int] = {}
        self.warnings: list[str] = []
        self.rows: dict[int, UnitRow] = {}  # graph id -> stored unit, for those read
        self.context: dict[int, Unit] = {}  # graph id -> stored unit rebuilt in full
        self.new: list[Unit] = []
        self.gid: dict[int, int] = {}  # Unit.id -> graph id, for the units scored
        #: names a new unit becomes the hub of: the stored hub it replaces, and every stored
        #: unit of the name (all are starred to the new hub now)
        self.demoted: dict[str, int] = {}
        self.restarred: dict[str, list[int]] = {}
        #: stored pairs a full run would not find now (the demoted hubs' across pairs)
        self.removed: dict[int, PairRow] = {}
        #: stored pairs of two stored names a full run scores now, with their looseness
        self.rescore: list[tuple[int, int, bool]] = []
        #: stored units whose pairs changed: their entities are made again
        self.marked: set[int] = set()
        self._profiles: dict[int, dict] = {}  # entity id -> its stored profile
        self._graph_ids: dict[int, int] = {}  # id() of an entity's member -> its graph id

    def run(self) -> GraphResult:
        for _ in range(MAX_ROUNDS):
            records = read_mentions(self.store, self.read)
            gone = self._remember(stored.graph_units_of_documents(self.conn, self.gone_docs))
            self.gone = {r.id for r in gone}
            names = {fold(unit_name(m)) for m in records} | {r.fold for r in gone}
            elsewhere = stored.type_votes(self.conn, names)
            for r in gone:  # their votes go with them
                elsewhere[r.fold] = elsewhere[r.fold] - Counter({r.own_type: r.count})
            self.new = build_units(records, elsewhere=elsewhere)
            turned = self._turned(elsewhere)
            if not turned:
                break
            # a name whose type the corpus votes otherwise now: its documents again
            self.read |= turned
            self.gone_docs |= turned
        else:
            raise Unresolvable("the type votes do not settle")
        self.doc_id_of = {m.doc: m.doc_id or 0 for m in records}
        self.removed.update(
            {
                r.id: r
                for above in (True, False)
                for r in stored.pairs_touching(self.conn, self.gone, above)
            }
        )
        pairs = self._score(read_stated_links(self.store, self.read))
        replay, pairs_by_id = self._replay(pairs)
        result = self._write(records, replay, pairs_by_id, pairs)
        result.documents = self.read | self.gone_docs
        return result

    def _turned(self, elsewhere: dict) -> set[int]:
        """The documents of stored units whose type the corpus votes otherwise now."""
        votes = type_votes(self.new)
        for name, counter in elsewhere.items():
            votes[name] = votes[name] + counter if name in votes else counter
        return {
            doc_id
            for doc_id, name, own_type, titled, kind in stored.vote_units(self.conn, votes)
            if doc_id not in self.gone_docs and voted_type(own_type, titled, votes[name]) != kind
        }

    # what the new units are compared with ---------------------------------------------------

    def _plan(self) -> tuple[dict[str, list[Unit]], dict[str, UnitRow], list[Unit]]:
        """The new units by name (signature), the stored hub of each name, and the new
        representatives (new units, or stored ones that are their name's hub now); what they
        are compared with is worked out on the way (`_blocks`)."""
        sigs: dict[str, list[Unit]] = defaultdict(list)
        for u in self.new:
            text = signature_text(u)
            if text is not None:
                sigs[text].append(u)
        names = set(sigs) | {r.signature for g in self.gone if (r := self.rows[g]).signature}
        hubs: dict[str, UnitRow] = {}
        for row in self._remember(stored.reps_where(self.conn, "signature", names)):
            best = hubs.get(row.signature or "")
            if best is None or _beats(row.count, row.order, best.count, best.order):
                hubs[row.signature or ""] = row
        for text, old in hubs.items():
            members = sigs.get(text, [])
            top = hub_of(members) if members else None
            if old.id in self.gone or (
                top is not None and _beats(top.count, _place(top), old.count, old.order)
            ):
                self._redraw(text, old, members)
        self.rep_gid: dict[int, int] = {}
        reps: list[Unit] = []
        for text, members in sigs.items():
            hub = self._hub(text, members, hubs)
            reps.extend(u for u in members if is_representative(u, hub))
        self.rep_gid = {id(u): self.new_gid[id(u)] for u in reps}
        for g in self.promoted.values():
            reps.append(self._full(g))
            self.rep_gid[id(reps[-1])] = g
        self._blocks(reps)
        acronyms = {a for u in reps if u.type == "ORG" and (a := acronym(u.name))}
        shorts = {s for u in reps if (s := short_name(u))}
        partners = stored.reps_where(self.conn, "short", acronyms)
        partners += stored.reps_where(self.conn, "acronym", shorts)
        leaving = set(self.demoted.values()) | self.gone
        self.acronym_partners = {r.id for r in self._remember(partners)} - leaving
        return sigs, hubs, reps

    def _remember(self, rows: list[UnitRow]) -> list[UnitRow]:
        self.rows.update({r.id: r for r in rows})
        return rows

    def _full(self, graph_id: int) -> Unit:
        """A stored unit in full: a representative from its data, any other rebuilt from its
        document (`_load`)."""
        found = self.context.get(graph_id)
        if found is None:
            data = self.rows[graph_id].data
            if data is None:
                raise Unresolvable(f"unit {graph_id} has no data")
            found = self.context[graph_id] = unit_from_json(data, graph_id)
        return found

    def _redraw(self, text: str, old: UnitRow, members: list[Unit]) -> None:
        """The stored hub of a name is gone, or a new unit outdoes it: the name's hub is now
        the best of its stored units left and its new ones, and every stored unit of the
        name is starred to it; the old hub's pairs as a representative are gone."""
        rows = [
            r
            for r in self._remember(stored.units_where(self.conn, "signature", [text]))
            if r.id not in self.gone
        ]
        best = None
        for r in rows:
            if best is None or _beats(r.count, r.order, best.count, best.order):
                best = r
        top = hub_of(members) if members else None
        if top is None and best is None:
            return  # the name is gone with its documents
        hub_group = (
            top.group
            if top is not None
            and (best is None or _beats(top.count, _place(top), best.count, best.order))
            else None
        )
        if best is not None and (
            top is None or not _beats(top.count, _place(top), best.count, best.order)
        ):
            self._load({best.id: best} if best.data is None else {})
            hub_group = self._full(best.id).group
            self.promoted[text] = best.id
        if self._full(old.id).group != hub_group:
            raise Unresolvable(f"the hub of {old.name!r} would be another organization")
        self._load({r.id: r for r in rows if r.data is None})
        self.redrawn.add(text)
        if old.id not in self.gone:
            self.demoted[text] = old.id
            self.removed.update({r.id: r for r in stored.across_pairs_of(self.conn, old.id)})
        self.restarred[text] = [r.id for r in rows]

    def _hub(self, text: str, members: list[Unit], hubs: dict[str, UnitRow]) -> Unit:
        """The hub of a name the new units have: a new one, or a stored one."""
        if text in self.promoted:
            return self._full(self.promoted[text])
        if text in hubs and text not in self.redrawn:
            return self._full(hubs[text].id)
        return hub_of(members)

    def _load(self, rows: dict[int, UnitRow]) -> None:
        """Rebuild stored units in full (with what their sentences say) from their
        documents."""
        docs = {r.doc_id for r in rows.values()}
        if not docs:
            return
        doc_rows = self._remember(stored.graph_units_of_documents(self.conn, docs))
        types = {(r.doc, r.name, r.gender): r.type for r in doc_rows}
        ids = {(r.doc, r.name, r.gender): r.id for r in doc_rows}
        for u in build_units(read_mentions(self.store, docs), types=types):
            graph_id = ids.get((u.doc, u.name, u.gender))
            if graph_id is None:
                raise Unresolvable(f"{u.name!r} in {u.doc} is not in the graph")
            u.id = graph_id
            self.context.setdefault(graph_id, u)

    # blocks --------------------------------------------------------------------------------

    def _cap(self, key: str) -> int:
        return self.config.max_block // 3 if key.startswith("F|") else self.config.max_block

    def _count_place(self, graph_id: int) -> tuple[int, tuple[str, int]]:
        row = self.rows.get(graph_id)
        if row is not None and graph_id not in self.new_ids:
            return row.count, row.order
        u = self._new_unit(graph_id)
        return u.count, _place(u)

    def _compared(self, key: str, members: list[int]) -> set[int]:
        """The members of a block that are compared (`candidates.compared`)."""
        cap = self._cap(key)
        if len(members) <= cap:
            return set(members)

        def rank(g: int) -> tuple:
            count, place = self._count_place(g)
            return (-count, place)

        return set(sorted(members, key=rank)[:cap])

    def _keys_of(self, graph_id: int) -> set[str]:
        if graph_id in self.new_ids:
            return {block_text(k) for k in block_keys(self._new_unit(graph_id))}
        return {block_text(k) for k in block_keys(self._full(graph_id))}

    def _blocks(self, reps: list[Unit]) -> None:
        """The blocks the new representatives fall in (and the demoted or gone ones leave):
        who is compared in each now (`self.after`); and the stored pairs of two stored names
        whose being compared that changes (a name pushed past a block's cap, or let in),
        to remove (`self.removed`) or to score (`self.rescore`)."""
        new_reps = [self.rep_gid[id(u)] for u in reps]
        demoted = set(self.demoted.values()) | {g for g in self.gone if self.rows[g].rep}
        touched = {k for g in [*new_reps, *demoted] for k in self._keys_of(g)}
        in_block = stored.block_members(self.conn, touched)
        self._remember(
            stored.units_where(self.conn, "id", {g for ids in in_block.values() for g in ids})
        )
        new_in: dict[str, list[int]] = defaultdict(list)
        for g in new_reps:
            for k in self._keys_of(g):
                new_in[k].append(g)
        before: dict[str, set[int]] = {}
        self.after: dict[str, set[int]] = {}
        for k in touched:
            old = in_block.get(k, [])
            before[k] = self._compared(k, old)
            self.after[k] = self._compared(k, [g for g in old if g not in demoted] + new_in[k])
        candidates: set[tuple[int, int]] = set()
        fresh = self.new_ids | demoted | set(self.promoted.values())  # all their pairs change
        for k in touched:
            moved = (before[k] ^ self.after[k]) - fresh
            others = (before[k] | self.after[k]) - fresh
            candidates |= {(min(x, y), max(x, y)) for x in moved for y in others if x != y}
        if not candidates:
            return
        keys = {g: self._keys_of(g) for pair in candidates for g in pair}
        extra = {k for x, y in candidates for k in keys[x] & keys[y]} - touched
        more = stored.block_members(self.conn, extra)
        self._remember(
            stored.units_where(self.conn, "id", {g for ids in more.values() for g in ids})
        )
        for k in extra:
            before[k] = self.after[k] = self._compared(k, more.get(k, []))
        for x, y in candidates:
            if not comparable(self._full(x), self._full(y)):
                continue
            shared = keys[x] & keys[y]
            was = [k for k in shared if {x, y} <= before[k]]
            now = [k for k in shared if {x, y} <= self.after[k]]
            loose_was = all(k.startswith("F|") for k in was)
            loose_now = all(k.startswith("F|") for k in now)
            if (bool(was), loose_was) == (bool(now), loose_now):
                continue
            if was:
                self.removed.update(
                    {r.id: r for r in stored.pairs_between(self.conn, x, y, "block")}
                )
            if now:
                self.rescore.append((x, y, loose_now))
            self.marked |= {x, y}

    # scoring -----------------------------------------------------------------------------

    def _score(self, links) -> list[PairRow]:
        """The pairs a full run would score that it did not before, by graph ids."""
        first_new = stored.max_unit_id(self.conn) + 1
        self.new.sort(key=_place)
        self.new_gid = {id(u): first_new + i for i, u in enumerate(self.new)}
        self.new_ids = set(self.new_gid.values())
        self._new_by_gid = {self.new_gid[id(u)]: u for u in self.new}
        sigs, hubs, reps = self._plan()
        self.reps = {self.rep_gid[id(u)] for u in reps}
        self.marked |= set(self.promoted.values())
        # every unit scored, numbered in resolution's order (what ids decide there)
        wanted = {g for k in self.after for g in self.after[k]} - self.new_ids
        wanted |= self.acronym_partners | {g for pair in self.rescore for g in pair[:2]}
        wanted |= {r.id for r in hubs.values() if r.id not in self.gone} | set(self.marked)
        for starred_ids in self.restarred.values():
            wanted |= set(starred_ids)
        old = {g: self._full(g) for g in wanted}
        everything = sorted(
            [*old.items(), *((self.new_gid[id(u)], u) for u in self.new)],
            key=lambda item: _place(item[1]),
        )
        for rank, (graph_id, u) in enumerate(everything):
            u.id = rank
            self.gid[rank] = graph_id
        rank_of = {g: u.id for g, u in everything}
        found: list[Pair] = []
        by_doc: dict[str, list[Unit]] = defaultdict(list)
        for u in self.new:
            by_doc[u.doc].append(u)
        for doc_units in by_doc.values():
            found.extend(document_pairs(doc_units, self.config, self.warnings))
        for text in set(sigs) | self.redrawn:
            members = sigs.get(text, [])
            hub = self._hub(text, members, hubs)
            starred = [*members, *(old[g] for g in self.restarred.get(text, ()))]
            for u in starred:
                if (pair := star_pair(hub, u)) is not None:
                    pair.origin = "star"
                    found.append(pair)
        names = stored.document_names_of(self.conn, {self.rows[g].doc_id for g in old})
        names.update(document_names(self.new))
        found.extend(self._block_pairs(reps, old, names))
        for x, y, loose in self.rescore:
            a, b = sorted((old[x], old[y]), key=lambda u: u.id)
            if (pair := block_pair(a, b, loose, names)) is not None:
                pair.origin = "block"
                found.append(pair)
        found.extend(self._acronym_pairs(reps, [old[g] for g in self.acronym_partners]))
        stated = list(stated_pairs(self.new, links))
        for pair in stated:
            pair.origin = "stated"
        accounted = {u for p in stated for u in (p.left, p.right)}
        self.accounted = {self.gid[u] for u in accounted}
        accounted |= {rank_of[g] for g in old if self.rows[g].accounted}
        found = [p for p in found if not guessed_against_text(p, accounted)]
        found.extend(stated)
        worth = [p for p in found if p.score >= self.config.suggest_threshold]
        return [
            PairRow(
                id=0,
                left=self.gid[p.left],
                right=self.gid[p.right],
                score=p.score,
                same_doc=bool(p.features.get("same_document", False)),
                rule=p.features.get("rule", ""),
                origin=p.origin,
                features=p.features,
                merged=None,
                above=p.score >= self.config.merge_threshold,
            )
            for p in sorted(worth, key=pair_order)
        ]

    def _block_pairs(self, reps: list[Unit], old: dict[int, Unit], names) -> list[Pair]:
        """A new representative with every name compared with it in a block."""
        out: list[Pair] = []
        seen: set[tuple[int, int]] = set()
        unit = {**old, **{self.new_gid[id(u)]: u for u in self.new}}
        for a in reps:
            mine = self.rep_gid[id(a)]
            keys = self._keys_of(mine)
            for key in keys:
                if mine not in self.after[key]:
                    continue  # past the block's cap
                for other in self.after[key]:
                    b = unit[other]
                    pid = (min(a.id, b.id), max(a.id, b.id))
                    if b is a or pid in seen or not comparable(a, b):
                        continue
                    seen.add(pid)
                    both = [
                        k for k in keys & self._keys_of(other) if {mine, other} <= self.after[k]
                    ]
                    loose = all(k.startswith("F|") for k in both)
                    left, right = (a, b) if a.id < b.id else (b, a)
                    pair = block_pair(left, right, loose, names)
                    if pair is not None:
                        pair.origin = "block"
                        out.append(pair)
        return out

    def _acronym_pairs(self, reps: list[Unit], partners: list[Unit]) -> list[Pair]:
        """The acronym pairs with a new representative on a side (`candidates._acronym_pairs`)."""
        orgs = [u for u in [*partners, *reps] if u.type == "ORG"]
        new = {id(u) for u in reps}
        shorts: dict[str, list[Unit]] = defaultdict(list)
        for u in orgs:
            if (short := short_name(u)) is not None:
                shorts[short].append(u)
        out = []
        for u in sorted(orgs, key=lambda u: u.id):
            acr = acronym(u.name)
            for v in shorts.get(acr or "", ()):
                if id(u) in new or id(v) in new:
                    facts = Facts(same_document=False, relation="acronym")
                    pair = scored(ACRONYM, u, v, facts, acronym=acr)
                    pair.origin = "acronym"
                    out.append(pair)
        return out

    # the merges, replayed ------------------------------------------------------------------

    def _replay(self, new_pairs: list[PairRow]) -> tuple[Replay, dict[int, PairRow]]:
        """Replay the merges of the entities the change reaches, with the new pairs; an
        entity a diverged cluster meets is added and the replay done again. A new unit
        that only joins a stored place or organization as one more of its names
        (`_attachments`) is not replayed: it is added to that entity (`_write_attached`)."""
        next_id = stored.max_pair_id(self.conn) + 1
        for p in new_pairs:
            p.id, next_id = next_id, next_id + 1
        self.all_new_pairs = new_pairs
        above = [p for p in new_pairs if p.above]
        self.attached = self._attachments(new_pairs)
        extra: set[int] = set()
        gone_entities = self._gone_entities()
        self.gone_entities = gone_entities
        for _ in range(MAX_ROUNDS):
            general = [
                p for p in above if p.left not in self.attached and p.right not in self.attached
            ]
            reached = {g for p in general for g in (p.left, p.right)} - self.new_ids
            reached |= {g for r in self.removed.values() if r.above for g in (r.left, r.right)}
            reached |= {*self.demoted.values(), *self.marked}
            self._remember(stored.units_where(self.conn, "id", reached - self.rows.keys()))
            entities = (
                set(stored.entities_of_units(self.conn, [self.rows[g] for g in reached]).values())
                | extra
                | gone_entities
            )
            if self._detach(entities):
                continue
            units = stored.unit_ids_of_entities(self.conn, entities) - self.gone
            pairs = {p.id: p for p in general}
            for row in stored.pairs_touching(self.conn, units, above=True):
                pairs[row.id] = row
            ends = {g for p in pairs.values() for g in (p.left, p.right)}
            self._remember(
                stored.units_where(self.conn, "id", ends - self.rows.keys() - self.new_ids)
            )
            steps = sorted(pairs.values(), key=lambda p: _order(p, self._place_of))
            replay = Replay(unit=self._constraint_unit)
            replay.add(units)
            replay.add(self.new_ids - self.attached.keys(), changed=True)
            replay.changed |= (set(self.demoted.values()) | self.marked) & units
            replay.run(Step(p.id, p.left, p.right, p.merged, p.id in self.removed) for p in steps)
            if not replay.outside:
                for pair, _ in self.attached.values():
                    replay.outcomes[pair.id] = MERGED
                return replay, {p.id: p for p in [*pairs.values(), *new_pairs]}
            met = [self.rows[g] for g in replay.outside]
            extra |= set(stored.entities_of_units(self.conn, met).values())
        raise Unresolvable("the replay does not settle")

    def _gone_entities(self) -> set[int]:
        """The entities the gone units were in: as the snapshot says, and those of their
        names left without a mention (Mr. and Mrs. Smith of one document are one row of
        the snapshot)."""
        found = {e for _, e, _ in snapshot_of_documents(self.conn, self.gone_docs) if e}
        # a document typed again still has its mentions, in their entities
        found |= set(
            stored.entities_of_units(self.conn, [self.rows[g] for g in self.gone]).values()
        )
        names = {self.rows[g].name for g in self.gone}
        for entity_id in stored.entities_named(self.conn, names) - found:
            if not self.conn.execute(
                "SELECT 1 FROM mentions WHERE entity_id = ? LIMIT 1", (entity_id,)
            ).fetchone():
                found.add(entity_id)
        return found

    def _attachments(self, new_pairs: list[PairRow]) -> dict[int, tuple[PairRow, int]]:
        """The new units that only join a stored place or organization as one more of its
        names: one pair at the merge threshold, to a stored unit of it; nothing the entity
        does not hold already (so its merges go as they went); its type, and a name that
        does not take over the entity's name or its place in the order of entities. By
        graph id: the pair and the entity."""
        pairs_of: dict[int, list[PairRow]] = defaultdict(list)
        for p in new_pairs:
            pairs_of[p.left].append(p)
            pairs_of[p.right].append(p)
        found: dict[int, tuple[PairRow, int]] = {}
        wanted: dict[int, tuple[PairRow, int]] = {}
        for g in self.new_ids:
            u = self._new_unit(g)
            mine = pairs_of.get(g, [])
            above = [p for p in mine if p.above]
            if u.type == "PER" or len(above) != 1 or signature_text(u) in self.redrawn:
                continue
            other = above[0].right if above[0].left == g else above[0].left
            if other in self.new_ids or any(
                (p.left if p.right == g else p.right) in self.new_ids for p in mine
            ):
                continue
            wanted[g] = (above[0], other)
        if not wanted:
            return found
        self._remember(
            stored.units_where(self.conn, "id", {o for _, o in wanted.values()} - self.rows.keys())
        )
        entity_of = stored.entities_of_units(self.conn, [self.rows[o] for _, o in wanted.values()])
        profiles = stored.profiles_of(self.conn, set(entity_of.values()))
        self._profiles.update(profiles)
        for g, (pair, other) in wanted.items():
            u, entity = self._new_unit(g), entity_of.get(other)
            if entity is None or entity not in profiles:
                continue
            kind, name = self.conn.execute(
                "SELECT type, name FROM entities WHERE id = ?", (entity,)
            ).fetchone()
            profile = cluster_of_profile(profiles[entity])
            if u.type != kind or not holds(profile, cluster_of(u)):
                continue
            if not u.group and not profile.groups and self._takes_name(u, entity, name):
                continue
            if _place(u) < stored.first_place_of_entity(self.conn, entity):
                continue
            found[g] = (pair, entity)
        return found

    def _takes_name(self, u: Unit, entity: int, name: str) -> bool:
        """Would the unit's name become the entity's (`core._canonical`: the most used)?"""
        row = self.conn.execute(
            "SELECT g.count, g.doc, g.first_pos FROM mentions m"
            " JOIN graph_units g ON g.first_mention = m.id"
            " WHERE m.entity_id = ? AND g.name = ?"
            " ORDER BY g.count DESC, g.doc, g.first_pos LIMIT 1",
            (entity, name),
        ).fetchone()
        if row is None:
            return True
        count, place = row[0], (row[1], row[2])
        if (u.count, len(u.name)) != (count, len(name)):
            return (u.count, len(u.name)) > (count, len(name))
        return _place(u) < place

    def _detach(self, entities: set[int]) -> bool:
        """Units attached to an entity the replay reaches (or whose other pairs reach one)
        are replayed after all; True if there were any."""
        moved = [g for g, (_, e) in self.attached.items() if e in entities]
        below = [
            (g, p)
            for g in self.attached
            for p in self.all_new_pairs
            if g in (p.left, p.right) and not p.above
        ]
        others = {(p.left if p.right == g else p.right) for g, p in below}
        if others:
            self._remember(stored.units_where(self.conn, "id", others - self.rows.keys()))
            held = stored.entities_of_units(self.conn, [self.rows[o] for o in others])
            moved += [
                g for g, p in below if held.get(p.left if p.right == g else p.right) in entities
            ]
        for g in set(moved):
            del self.attached[g]
        return bool(moved)

    def _place_of(self, graph_id: int) -> tuple[str, int]:
        row = self.rows.get(graph_id)
        if row is not None:
            return row.order
        return _place(self._new_unit(graph_id))

    def _new_unit(self, graph_id: int) -> Unit:
        return self._new_by_gid[graph_id]

    def _unit(self, graph_id: int) -> Unit:
        """A unit as its entity is made of it (a stored one without its sentences)."""
        if graph_id in self.new_ids:
            return self._new_unit(graph_id)
        return _lite(self.rows[graph_id])

    def _constraint_unit(self, graph_id: int) -> Unit:
        """A unit as far as its cluster's constraints go."""
        if graph_id in self.new_ids:
            return self._new_unit(graph_id)
        return _lite(self.rows[graph_id], mentions=False)

    # the entities that changed -------------------------------------------------------------

    def _write(self, records, replay: Replay, pairs: dict[int, PairRow], new_pairs) -> GraphResult:
        conn = self.conn
        changed = sorted(replay.changed)
        old_units = [
            self.rows[u] for root in changed for u in replay.members[root] if u in self.rows
        ]
        old_entity = stored.entities_of_units(conn, old_units)
        # an entity whose units are all gone goes with them
        replaced = set(old_entity.values()) | self.gone_entities
        if stored.unit_ids_of_entities(conn, replaced) - set(old_entity) - self.gone:
            raise Unresolvable("an entity parted without its units being replayed")
        members = {root: self._members(replay.members[root]) for root in changed}
        features = stored.features_of(
            conn,
            {p.features for p in pairs.values() if isinstance(p.features, int)}
            | {p.features for p in self._below(replay) if isinstance(p.features, int)},
        )
        entities: dict[int, Entity] = {}
        for root in changed:
            kind, name = entity_name(members[root], [])
            merges = [self._record(pairs[p], features) for p in replay.merges_of(root)]
            entities[root] = build_entity("", kind, name, members[root], [], merges)
        keys, renamed = self._number(entities, members, replaced)
        self.renamed = renamed
        for root, entity in entities.items():
            entity.key = keys[root]
        suggestions = self._suggestions(replay, entities, features)
        held_before: dict[str, list[tuple[int | None, list[int]]]] = {}
        for root, entity in entities.items():
            held_before[entity.key] = [
                (old_entity.get(self._graph_id(u)), u.mention_ids) for u in members[root]
            ]
        entity_id = self._store_entities(
            list(entities.values()), replaced, renamed, members, held_before
        )
        kept = {entity_id[e.key] for e in entities.values()}
        stored.delete_profiles(conn, replaced - kept)
        stored.write_profiles(
            conn,
            [
                (entity_id[e.key], json.dumps(profile_of(replay.constraints(root))))
                for root, e in entities.items()
            ],
        )
        for s in suggestions:
            for key in (s.left, s.right):
                if key not in entity_id:
                    entity_id[key] = self._entity_id_of_key(key)
        _write_suggestions(conn, Resolution(suggestions=suggestions), entity_id)
        self._store_graph(replay, new_pairs)
        attached_to = self._write_attached(features)
        entity_of: dict[tuple[int, str], tuple[int, int]] = {}
        for g, holder in attached_to.items():
            u = self._new_unit(g)
            entity_of[(self.doc_id_of[u.doc], u.name)] = (max(u.mention_ids), holder)
        for root, entity in entities.items():
            for u in members[root]:
                if old_entity.get(self._graph_id(u)) == entity_id[entity.key]:
                    continue  # its snapshot row says so already
                doc_id = self.doc_id_of.get(u.doc) or self._doc_id(u)
                last = max(u.mention_ids)
                held = entity_of.get((doc_id, u.name))
                if held is None or held[0] < last:
                    entity_of[(doc_id, u.name)] = (last, entity_id[entity.key])
        resolution = Resolution(
            entities=list(entities.values()), suggestions=suggestions, warnings=self.warnings
        )
        return GraphResult(
            resolution,
            records,
            {unit: entity for unit, (_, entity) in entity_of.items()},
            sum(len(m) for m in members.values()) + len(attached_to),
        )

    # units attached to a stored entity ----------------------------------------------------

    def _write_attached(self, features: dict[int, dict]) -> dict[int, int]:
        """Add the attached units to their entities: its counts, names, mentions, and its
        merges (in the order they were made); and the suggestions their pairs below the
        merge threshold make best. Returns the entity of each (by graph id)."""
        by_entity: dict[int, list[int]] = defaultdict(list)
        for g, (_, entity) in self.attached.items():
            by_entity[entity].append(g)
        for entity, units in by_entity.items():
            self._extend_entity(entity, sorted(units, key=self._place_of))
        self._suggest_attached()
        return {g: entity for g, (_, entity) in self.attached.items()}

    def _extend_entity(self, entity: int, units: list[int]) -> None:
        conn = self.conn
        text, mentions, docs = conn.execute(
            "SELECT explanation, mention_count, doc_count FROM entities WHERE id = ?", (entity,)
        ).fetchone()
        explanation = json.loads(text)
        merges = explanation["merges"]
        new_docs = set()
        for g in units:
            u = self._new_unit(g)
            pair = self.attached[g][0]
            record = self._record(pair, {})
            key = self._record_order(record)
            low, high = 0, len(merges)
            while low < high:  # the merges are in the order made: the pairs' order
                mid = (low + high) // 2
                if self._record_order(merges[mid]) < key:
                    low = mid + 1
                else:
                    high = mid
            merges.insert(low, record)
            mentions += u.count
            new_docs.add(u.doc)
            doc_id = self.doc_id_of[u.doc]
            found = conn.execute(
                "SELECT count, doc_ids FROM aliases WHERE entity_id = ? AND alias = ?",
                (entity, u.name),
            ).fetchone()
            if found is None:
                conn.execute(
                    "INSERT INTO aliases (entity_id, alias, count, doc_ids) VALUES (?, ?, ?, ?)",
                    (entity, u.name, u.count, json.dumps([doc_id])),
                )
            else:
                held = sorted({*json.loads(found[1]), doc_id})
                conn.execute(
                    "UPDATE aliases SET count = ?, doc_ids = ? WHERE entity_id = ? AND alias = ?",
                    (found[0] + u.count, json.dumps(held), entity, u.name),
                )
            conn.executemany(
                "UPDATE mentions SET entity_id = ? WHERE id = ?",
                [(entity, m) for m in u.mention_ids],
            )
        explanation["units"] += len(units)
        conn.execute(
            "UPDATE entities SET mention_count = ?, doc_count = ?, explanation = ? WHERE id = ?",
            (
                mentions,
                docs + len(new_docs),
                json.dumps(explanation, ensure_ascii=False, sort_keys=True),
                entity,
            ),
        )

    def _record_order(self, record: dict) -> tuple:
        """A merge's place in the order pairs are tried (`core.pair_order`)."""
        return (
            not record.get("same_document", False),
            -record["score"],
            self._ref_place(record["left"]),
            self._ref_place(record["right"]),
            record.get("rule", ""),
        )

    def _ref_place(self, ref: list) -> tuple[str, int]:
        doc, name = ref
        for g in self.new_ids:
            u = self._new_unit(g)
            if u.doc == doc and u.name == name:
                return _place(u)
        row = self.conn.execute(
            "SELECT first_pos FROM graph_units WHERE doc = ? AND name = ? ORDER BY first_pos",
            (doc, name),
        ).fetchone()
        return (doc, row[0])

    def _suggest_attached(self) -> None:
        """The pairs of attached units below the merge threshold, as `core._suggestions`
        makes suggestions of them: the best pair of two entities, unless they conflict."""
        place = self._place_of
        attached_below = [
            p
            for p in self.all_new_pairs
            if not p.above and (p.left in self.attached or p.right in self.attached)
        ]
        ends = {g for p in attached_below for g in (p.left, p.right)} - self.new_ids
        self._remember(stored.units_where(self.conn, "id", ends - self.rows.keys()))
        below = sorted(
            (
                p
                for p in self.all_new_pairs
                if not p.above and (p.left in self.attached or p.right in self.attached)
            ),
            key=lambda p: _order(p, place),
        )
        if not below:
            return
        others = {p.left if p.right in self.attached else p.right for p in below}
        self._remember(stored.units_where(self.conn, "id", others - self.rows.keys()))
        held = stored.entities_of_units(self.conn, [self.rows[o] for o in others])
        best: dict[tuple[int, int], PairRow] = {}

        def entity(g: int) -> int:
            return self.attached[g][1] if g in self.attached else held[g]

        for p in below:
            a, b = entity(p.left), entity(p.right)
            if a == b:
                continue
            pid = (min(a, b), max(a, b))
            if pid not in best or best[pid].score < p.score:
                best[pid] = p
        for (a, b), p in best.items():
            existing = self._suggestion_pair(a, b)
            if existing is not None:
                row_id, old = existing
                if not (
                    p.score > old.score
                    or (p.score == old.score and _order(p, place) < _order(old, place))
                ):
                    continue
                self.conn.execute("DELETE FROM suggestions WHERE id = ?", (row_id,))
            else:
                profiles = stored.profiles_of(self.conn, [a, b])
                x, y = cluster_of_profile(profiles[a]), cluster_of_profile(profiles[b])
                if conflict_between(x, y) is not None:
                    continue
            left, right = entity(p.left), entity(p.right)
            keys = dict(
                self.conn.execute(
                    "SELECT id, key FROM entities WHERE id IN (?, ?)", (left, right)
                ).fetchall()
            )
            assert isinstance(p.features, dict)
            suggestion = Suggestion(
                left=keys[left],
                right=keys[right],
                score=p.score,
                features=dict(p.features),
                left_refs=(self._ref(p.left),),
                right_refs=(self._ref(p.right),),
            )
            _write_suggestions(
                self.conn, Resolution(suggestions=[suggestion]), {v: k for k, v in keys.items()}
            )

    def _suggestion_pair(self, a: int, b: int) -> tuple[int, PairRow] | None:
        """The stored suggestion between two entities, and the pair it was made of."""
        row = self.conn.execute(
            "SELECT id, features FROM suggestions WHERE (left_entity_id = ? AND right_entity_id = ?)"
            " OR (left_entity_id = ? AND right_entity_id = ?)",
            (a, b, b, a),
        ).fetchone()
        if row is None:
            return None
        features = json.loads(row[1])
        (ldoc, lname), (rdoc, rname) = features["left_refs"][0], features["right_refs"][0]
        ends = []
        for doc, name in ((ldoc, lname), (rdoc, rname)):
            found = self.conn.execute(
                "SELECT id FROM graph_units WHERE doc = ? AND name = ?", (doc, name)
            ).fetchall()
            ends.append({r[0] for r in found})
        candidates = [
            r
            for left in ends[0]
            for r in stored.pairs_touching(self.conn, [left], above=False)
            if r.right in ends[1] and r.left == left
        ]
        if not candidates:
            raise Unresolvable("a suggestion whose pair is not in the graph")
        self._remember(stored.units_where(self.conn, "id", ends[0] | ends[1]))
        pair = max(candidates, key=lambda r: r.score)
        return row[0], pair

    def _doc_id(self, u: Unit) -> int:
        return self.rows[self._graph_id(u)].doc_id

    def _members(self, graph_ids: list[int]) -> list[Unit]:
        """A cluster's units by document and position, numbered in that order (a full run's
        ids are: the entity's name goes by them on a tie); `_graph_id` gives each one's."""
        units = sorted(((self._unit(g), g) for g in graph_ids), key=lambda ug: _place(ug[0]))
        for rank, (u, g) in enumerate(units):
            u.id = rank
            self._graph_ids[id(u)] = g
        return [u for u, _ in units]

    def _graph_id(self, u: Unit) -> int:
        return self._graph_ids[id(u)]

    def _record(self, p: PairRow, features: dict[int, dict]) -> dict:
        found = features[p.features] if isinstance(p.features, int) else p.features
        return {
            "left": self._ref(p.left).to_json(),
            "right": self._ref(p.right).to_json(),
            "score": p.score,
            **found,
        }

    def _ref(self, graph_id: int) -> Ref:
        row = self.rows.get(graph_id)
        if row is not None:
            return Ref(row.doc, row.name)
        return self._new_unit(graph_id).ref

    def _number(
        self, entities: dict[int, Entity], members: dict[int, list[Unit]], replaced: set[int]
    ) -> tuple[dict[int, str], dict[int, str]]:
        """Keys for the changed entities, numbered among all entities of one name as a full
        run numbers them (by where each first stands); and the new keys of stored entities
        whose number that changes."""
        by_base: dict[str, list[tuple[tuple[str, int], str, int]]] = defaultdict(list)
        for root, entity in entities.items():
            base = entity_base(entity.type, entity.name)
            by_base[base].append((_place(members[root][0]), "new", root))
        # the entities numbered alongside one that is gone are numbered again too
        for chunk in batches(sorted(replaced)):
            for kind, name in self.conn.execute(
                f"SELECT type, name FROM entities WHERE id IN ({placeholders(chunk)})", chunk
            ):
                by_base.setdefault(entity_base(kind, name), [])
        for base in list(by_base):
            for entity_id, key, kind, name in self.conn.execute(
                "SELECT id, key, type, name FROM entities WHERE key = ? OR key GLOB ?",
                (base, base + "-[0-9]*"),
            ):
                if entity_id not in replaced and entity_base(kind, name) == base:
                    place = stored.first_place_of_entity(self.conn, entity_id)
                    by_base[base].append((place, key, entity_id))
        keys: dict[int, str] = {}
        renamed: dict[int, str] = {}
        for base, found in by_base.items():
            for number, (_, old_key, ident) in enumerate(sorted(found), start=1):
                key = base if number == 1 else f"{base}-{number}"
                if old_key == "new":
                    keys[ident] = key
                elif old_key != key:
                    renamed[ident] = key
        return keys, renamed

    def _entity_id_of_key(self, key: str) -> int:
        return self.conn.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()[0]

    # the suggestions that name a changed entity ---------------------------------------------

    def _below(self, replay: Replay) -> list[PairRow]:
        if not hasattr(self, "_below_pairs"):
            units = [u for root in replay.changed for u in replay.members[root]]
            found = [
                r
                for r in stored.pairs_touching(self.conn, units, above=False)
                if r.id not in self.removed
            ]
            found += [
                p
                for p in self.all_new_pairs
                if not p.above and p.left not in self.attached and p.right not in self.attached
            ]
            missing = {g for p in found for g in (p.left, p.right)} - self.rows.keys()
            missing -= self.new_ids
            self.rows.update({r.id: r for r in stored.units_where(self.conn, "id", missing)})
            self._below_pairs = found
        return self._below_pairs

    def _suggestions(
        self, replay: Replay, entities: dict[int, Entity], features: dict[int, dict]
    ) -> list[Suggestion]:
        """As `core._suggestions` makes them, for the pairs with a changed entity on a side."""
        place = self._place_of
        below = sorted(self._below(replay), key=lambda p: _order(p, place))
        stored_entity = stored.entities_of_units(
            self.conn,
            [self.rows[g] for p in below for g in (p.left, p.right) if g in self.rows],
        )

        def side(graph_id: int) -> tuple[str, int]:
            if graph_id in replay.parent:
                root = replay.find(graph_id)
                if root in replay.changed:
                    return ("changed", root)
            return ("stored", stored_entity[graph_id])

        best: dict[tuple, tuple[PairRow, tuple, tuple]] = {}
        for p in below:
            a, b = side(p.left), side(p.right)
            if a == b or (a[0] == "stored" and b[0] == "stored"):
                continue
            pid = (min(a, b), max(a, b))
            if pid not in best or best[pid][0].score < p.score:
                best[pid] = (p, a, b)
        clusters: dict[tuple, Cluster] = {}

        def constraints(s: tuple[str, int]) -> Cluster:
            if s not in clusters:
                if s[0] == "changed":
                    clusters[s] = replay.constraints(s[1])
                else:
                    clusters[s] = self._stored_cluster(s[1])
            return clusters[s]

        ranked = sorted(best.values(), key=lambda item: -item[0].score)
        out = []
        for p, a, b in ranked:
            if conflict_between(constraints(a), constraints(b)) is not None:
                continue
            found = features[p.features] if isinstance(p.features, int) else p.features
            out.append(
                Suggestion(
                    left=self._key_of(a, entities),
                    right=self._key_of(b, entities),
                    score=p.score,
                    features=dict(found),
                    left_refs=(self._ref(p.left),),
                    right_refs=(self._ref(p.right),),
                )
            )
        return out

    def _stored_cluster(self, entity_id: int) -> Cluster:
        if entity_id not in self._profiles:
            self._profiles.update(stored.profiles_of(self.conn, [entity_id]))
        if entity_id not in self._profiles:
            raise Unresolvable(f"entity {entity_id} has no profile")
        return cluster_of_profile(self._profiles[entity_id])

    def _key_of(self, side: tuple[str, int], entities: dict[int, Entity]) -> str:
        if side[0] == "changed":
            return entities[side[1]].key
        if side[1] in self.renamed:
            return self.renamed[side[1]]
        return self.conn.execute("SELECT key FROM entities WHERE id = ?", (side[1],)).fetchone()[0]

    # writing ------------------------------------------------------------------------------

    def _store_entities(
        self,
        entities: list[Entity],
        replaced: set[int],
        renamed: dict[int, str],
        members: dict[int, list[Unit]],
        held_before: dict[str, list[tuple[int | None, list[int]]]],
    ) -> dict[str, int]:
        conn = self.conn
        for ident in renamed:  # out of the way of the keys they and the new ones take
            conn.execute("UPDATE entities SET key = ? WHERE id = ?", (f"~{ident}", ident))
        docs = {
            u.doc: self.doc_id_of.get(u.doc) or self.rows[self._graph_id(u)].doc_id
            for m in members.values()
            for u in m
        }
        entity_id = rewrite_entities(conn, entities, replaced, held_before, docs)
        for ident, key in renamed.items():
            conn.execute("UPDATE entities SET key = ? WHERE id = ?", (key, ident))
            entity_id[key] = ident
        return entity_id

    def _store_graph(self, replay: Replay, new_pairs: list[PairRow]) -> None:
        conn = self.conn
        features = FeatureIds(conn)
        rows = []
        for u in self.new:
            graph_id = self.new_gid[id(u)]
            rows.append(
                unit_row(
                    u,
                    graph_id,
                    self.doc_id_of[u.doc],
                    graph_id in self.reps,
                    graph_id in self.accounted,
                )
            )
        stored.insert_units(conn, rows)
        new_reps = [(u, self.new_gid[id(u)]) for u in self.new]
        stored.insert_blocks(
            conn,
            ((block_text(k), g) for u, g in new_reps if g in self.reps for k in block_keys(u)),
        )
        stored.insert_pairs(
            conn,
            (
                replace(
                    p,
                    features=(
                        features.id_of(p.features) if isinstance(p.features, dict) else p.features
                    ),
                    merged=replay.outcomes.get(p.id) if p.above else None,
                )
                for p in new_pairs
            ),
        )
        stored.delete_pairs(conn, self.removed)
        stored.delete_units(conn, self.gone)
        for hub in self.demoted.values():
            stored.no_longer_representative(conn, hub)
        for hub in self.promoted.values():
            u, row = self._full(hub), self.rows[hub]
            promoted = unit_row(u, hub, row.doc_id, True, row.accounted)
            stored.now_representative(conn, promoted, {block_text(k) for k in block_keys(u)})
        new_ids = {p.id for p in new_pairs}
        stored.set_outcomes(
            conn,
            [(outcome, pair) for pair, outcome in replay.outcomes.items() if pair not in new_ids],
        )
