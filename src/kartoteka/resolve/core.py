"""resolve(): mentions (+ judgements, authorities) -> entities with explanations, and
suggestions. Pure: no store, no I/O beyond the shipped name data."""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Protocol

from anyascii import anyascii

from kartoteka.resolve.bounds import bound_document
from kartoteka.resolve.candidates import (
    Pair,
    across_documents,
    forget_shared_features,
    stated_pairs,
    within_document_orgs,
    within_document_persons,
)
from kartoteka.resolve.cluster import Cluster, Clustering
from kartoteka.resolve.judgements import latest_pair_decisions, ref_units
from kartoteka.resolve.types import (
    RESOLVER,
    Authority,
    Entity,
    Judgement,
    MentionRecord,
    Resolution,
    ResolveConfig,
    StatedLinkRecord,
    Suggestion,
)
from kartoteka.resolve.units import TYPE_ORDER, Unit, build_units


def resolve(
    mentions: Iterable[MentionRecord],
    judgements: Sequence[Judgement] = (),
    authorities: Sequence[Authority] = (),
    config: ResolveConfig | None = None,
    links: Sequence[StatedLinkRecord] = (),
    recorder: Recorder | None = None,
) -> Resolution:
    """Cluster mentions into entities.

    Every mention of one name in one document is a unit; units are linked by scored pairs
    (within a document, then across documents through blocking keys), by authority files
    (all variants of an entry are one entity, two entries never are), by what the texts
    state (`links`: "X, alias Y" joins X and Y whatever their spelling) and by judgements
    (`same` links, `not_same`/`split` forbid, later judgements win). Pairs at or above
    `config.merge_threshold` merge unless a constraint forbids; pairs in the band below are
    returned as suggestions. `mentions` is read once: an iterator streaming them from a
    store lets each go once it is in its unit. A `recorder` is shown the units and pairs,
    and what became of each pair (what `kartoteka.graph_changes` keeps of a run).
    """
    # Resolution allocates many small objects and makes no reference cycles; the cyclic
    # garbage collector would rescan the whole growing heap again and again, which made the
    # cost grow faster than the corpus. Reference counting still frees everything.
    collecting = gc.isenabled()
    gc.disable()
    try:
        config = config or ResolveConfig()
        return _resolve(mentions, judgements, authorities, config, links, recorder)
    finally:
        forget_shared_features()
        if collecting:
            gc.enable()


def _resolve(
    mentions: Iterable[MentionRecord],
    judgements: Sequence[Judgement],
    authorities: Sequence[Authority],
    config: ResolveConfig,
    links: Sequence[StatedLinkRecord] = (),
    recorder: Recorder | None = None,
) -> Resolution:
    units = build_units(mentions, authorities)
    clustering = Clustering(units)
    _join_authority_variants(units, clustering)
    resolved, stale = _apply_judgements(units, clustering, judgements)
    pairs, warnings, accounted = _candidate_pairs(units, config, links)
    if recorder is not None:
        recorder.scored(units, pairs, accounted)
    below = _merge_pairs(units, clustering, pairs, config, recorder)
    entities, key_of_root = _entities(units, clustering, resolved, list(authorities))
    if recorder is not None:
        recorder.clustered({key: clustering.cluster(root) for root, key in key_of_root.items()})
    quiet = _effective(resolved)[2]
    suggestions = _suggestions(units, clustering, below, key_of_root, quiet, config)
    return Resolution(
        entities=entities, suggestions=suggestions, stale_judgements=stale, warnings=warnings
    )


def _join_authority_variants(units: list[Unit], clustering: Clustering) -> None:
    """Every variant of an authority entry is one entity (two entries never are: cluster)."""
    by_authority: dict[int, list[Unit]] = defaultdict(list)
    for u in units:
        if u.authority is not None:
            by_authority[u.authority].append(u)
    for members in by_authority.values():
        for u in members[1:]:
            clustering.union(members[0].id, u.id)


def _apply_judgements(
    units: list[Unit], clustering: Clustering, judgements: Sequence[Judgement]
) -> tuple[list[tuple[Judgement, list[int], list[int]]], list[int]]:
    """Apply the log: `same` joins, `not_same`/`split` forbid. Returns the judgements that
    found their units, and the ids of the stale ones."""
    by_ref: dict[tuple, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for u in units:
        by_ref[(u.doc, u.name)].append(u.id)
        by_name[u.name].append(u.id)
    resolved, stale = [], []
    for j in latest_pair_decisions(judgements):
        left = ref_units(j.left, by_ref, by_name)
        right = ref_units(j.right, by_ref, by_name)
        if not left or (j.kind in ("same", "not_same", "split", "unsure") and not right):
            if j.id is not None:
                stale.append(j.id)
            continue
        resolved.append((j, left, right))
    must, cannot, _quiet = _effective(resolved)
    for j, left, right in must:
        for other in left[1:] + right:
            clustering.union(
                left[0],
                other,
                {"rule": "judgement", "judgement": j.id, "author": j.author, "score": 1.0},
            )
    for _j, left, right in cannot:
        for a in left:
            for b in right:
                clustering.forbid(a, b)
    return resolved, stale


def _candidate_pairs(
    units: list[Unit], config: ResolveConfig, links: Sequence[StatedLinkRecord]
) -> tuple[list[Pair], list[str], set[int]]:
    """Every scored pair, in the order they are tried: each document first, then the corpus
    (within a document "Miller" is the one Miller it names in full, whatever an identical
    "Miller" elsewhere scores), best first; and a warning for each name block too crowded
    to score pair by pair (`bound_document`); and the units the texts account for."""
    pairs: list[Pair] = []
    by_doc: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        if not u.is_authority:
            by_doc[u.doc].append(u)
    warnings: list[str] = []

    def worth(found: Iterable[Pair]) -> Iterable[Pair]:
        # a pair below the suggestion band neither merges nor suggests: not kept (in a large
        # corpus they are most pairs)
        return (p for p in found if p.score >= config.suggest_threshold)

    for doc_units in by_doc.values():
        pairs.extend(worth(document_pairs(doc_units, config, warnings)))
    pairs.extend(worth(across_documents(units, config)))
    stated = list(stated_pairs(units, links))
    for pair in stated:
        pair.origin = "stated"
    accounted = {u for p in stated for u in (p.left, p.right)}
    pairs = [p for p in pairs if not guessed_against_text(p, accounted)]
    pairs.extend(worth(stated))
    pairs.sort(key=pair_order)
    return pairs, warnings, accounted


def document_pairs(doc_units: list[Unit], config: ResolveConfig, warnings: list[str]) -> list[Pair]:
    """The pairs scored within one document (its units); a crowded block's warning is
    added to `warnings`."""
    scored_units, review, crowded = bound_document(doc_units, config)
    warnings.extend(crowded)
    found = [*within_document_persons(scored_units), *within_document_orgs(doc_units), *review]
    for pair in found:
        pair.origin = "document"
    return found


def guessed_against_text(p: Pair, accounted: AbstractSet[int]) -> bool:
    """A guess about a name the text itself accounts for ("Léon Nikolaeff", Orlov's
    pseudonym): it is not also a garble of some other name that shares its first name."""
    return p.features.get("rule") in GUESSES and (p.left in accounted or p.right in accounted)


def pair_order(p: Pair) -> tuple:
    """The order pairs are tried in: each document first, best first, then by the units'
    ids, and one pair of units found by two rules by the rule's name (a total order: what
    merges does not depend on the order the pairs were found in)."""
    same_document = p.features.get("same_document", False)
    return (not same_document, -p.score, p.left, p.right, p.features.get("rule", ""))


def _merge_pairs(
    units: list[Unit],
    clustering: Clustering,
    pairs: list[Pair],
    config: ResolveConfig,
    recorder: Recorder | None = None,
) -> list[Pair]:
    """Merge the pairs at or above the threshold unless a constraint forbids; return those in
    the suggestion band. Empties `pairs` as it goes, so that a pair tried is freed then
    (a merge keeps a record of its own)."""
    below: list[Pair] = []
    pairs.reverse()
    while pairs:
        p = pairs.pop()
        if p.score < config.suggest_threshold:
            continue
        if p.score < config.merge_threshold:
            below.append(p)
            if recorder is not None:
                recorder.tried(p, None)
            continue
        if clustering.find(p.left) == clustering.find(p.right):
            if recorder is not None:
                recorder.tried(p, ONE_ALREADY)
            continue
        if clustering.conflict(p.left, p.right) is not None:
            if recorder is not None:
                recorder.tried(p, KEPT_APART)
            continue
        if recorder is not None:
            recorder.tried(p, MERGED)
        record = {
            "left": units[p.left].ref.to_json(),
            "right": units[p.right].ref.to_json(),
            "score": p.score,
            **p.features,
        }
        clustering.union(p.left, p.right, record)
    return below


#: What became of a pair at the merge threshold (`Recorder.tried`).
KEPT_APART, MERGED, ONE_ALREADY = 0, 1, 2


class Recorder(Protocol):
    """Shown what a run scored and did (`resolve(recorder=...)`)."""

    def scored(self, units: list[Unit], pairs: list[Pair], accounted: set[int]) -> None:
        """The units, every pair kept (in the order tried), the units the texts account for."""

    def tried(self, pair: Pair, outcome: int | None) -> None:
        """A pair tried: MERGED, KEPT_APART, ONE_ALREADY, or None (below the threshold)."""

    def clustered(self, clusters: dict[str, Cluster]) -> None:
        """The cluster of each entity, by its key."""


#: rules that guess an identity from a likeness alone (a shared rare first name, a near
#: spelling in the same role): they yield to what the text states about either name
GUESSES = frozenset({"same-first-name", "near-spelling-same-role", "garbled-surname"})


_Resolved = list[tuple[Judgement, list[int], list[int]]]
_Sides = list[tuple[Judgement, list[int], list[int]]]


def _effective(resolved: _Resolved) -> tuple[_Sides, _Sides, list[tuple[list[int], list[int]]]]:
    """Split the judgement log into must-links, cannot-links and quiet pairs; a later
    judgement about the same units overrides an earlier one."""
    decisions: list[tuple] = []
    for j, left, right in resolved:
        if j.kind not in ("same", "not_same", "split", "unsure"):
            continue
        sides = (set(left), set(right))
        # drop earlier decisions this one contradicts
        decisions = [
            d
            for d in decisions
            if not ((d[1] & sides[0] and d[2] & sides[1]) or (d[1] & sides[1] and d[2] & sides[0]))
        ]
        decisions.append((j, sides[0], sides[1]))
    must = [(j, sorted(lhs), sorted(rhs)) for j, lhs, rhs in decisions if j.kind == "same"]
    cannot = [
        (j, sorted(lhs), sorted(rhs))
        for j, lhs, rhs in decisions
        if j.kind in ("not_same", "split")
    ]
    quiet = [(sorted(lhs), sorted(rhs)) for j, lhs, rhs in decisions if j.kind != "same"]
    return must, cannot, quiet


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-") or "x"


def _canonical(members: list[Unit], authorities: list) -> str:
    """The name to index under: an authority's; else, for a person, the full name whose
    surname spelling is used by the most documents (a spelling many sources share beats a
    one-source garble), then the most frequent name; else the known organization's or
    place's name; else the most frequent name."""
    if authorities:
        return authorities[0]
    real = [u for u in members if not u.is_authority]
    if any(u.type == "PER" for u in real):
        docs_by_key: dict[str, set[str]] = defaultdict(set)
        for u in real:
            for k in u.keys:
                docs_by_key[k].add(u.doc)

        def weight(u: Unit) -> tuple:
            spread = max((len(docs_by_key[k]) for k in u.keys), default=0)
            return (spread, u.count, len(u.name), -u.id)

        full = [u for u in real if u.person and not u.person.bare]
        return max(full or real, key=weight).name
    for u in real:
        if u.group:
            return u.group
    return max(real, key=lambda u: (u.count, len(u.name), -u.id)).name


def _entities(
    units: list[Unit],
    clustering: Clustering,
    resolved: _Resolved,
    authorities: list[Authority],
) -> tuple[list[Entity], dict[int, str]]:
    """One entity per cluster holding a real mention, with its type, name, key, aliases and
    explanation; and the entity key of each cluster root."""
    entities: list[Entity] = []
    key_of_root: dict[int, str] = {}
    used_keys: Counter[str] = Counter()
    renames: dict[int, str] = {}
    for j, left, _right in resolved:
        if j.kind == "rename" and j.value:
            holders = Counter(clustering.find(u) for u in left)
            renames[holders.most_common(1)[0][0]] = j.value
    roots = sorted(
        clustering.roots().items(),
        key=lambda kv: min((units[u].doc, units[u].first_pos) for u in kv[1].members),
    )
    for root, cluster in roots:
        members = sorted((units[u] for u in cluster.members), key=lambda u: (u.doc, u.first_pos))
        if all(u.is_authority for u in members):
            continue
        kind, name = entity_name(members, authorities, renames.get(root))
        base = entity_base(kind, name)
        used_keys[base] += 1
        key = base if used_keys[base] == 1 else f"{base}-{used_keys[base]}"
        key_of_root[root] = key
        entities.append(
            build_entity(
                key, kind, name, members, authorities, clustering.merges(root), root in renames
            )
        )
    return entities, key_of_root


def entity_name(
    members: list[Unit], authorities: list[Authority], rename: str | None = None
) -> tuple[str, str]:
    """The type and the name of the entity of these units (sorted by document and
    position): the type most of its mentions have, and its canonical name (`_canonical`)."""
    real = [u for u in members if not u.is_authority]
    types: Counter[str] = Counter()
    for u in real:
        types[u.type] += u.count
    kind = min(types, key=lambda t: (-types[t], TYPE_ORDER.get(t, 9)))
    authority_names = sorted(
        {authorities[u.authority].canonical for u in members if u.authority is not None}
    )
    return kind, rename or _canonical(members, authority_names)


def entity_base(kind: str, name: str) -> str:
    """An entity's key before numbering ("per-smith"; the second is "per-smith-2"). A slug
    never ends in a number after a dash ("Ryev[7", an OCR slip, is "per-ryev7"): that is how
    the seventh "Ryev" is numbered, and two entities must never get one key."""
    slug = re.sub(r"-(\d+)$", r"\1", _slug(name))
    return f"{kind.lower()}-{slug}"


def build_entity(
    key: str,
    kind: str,
    name: str,
    members: list[Unit],
    authorities: list[Authority],
    merges: list[dict],
    renamed: bool = False,
) -> Entity:
    """The entity of these units (sorted by document and position), with the merges that
    made it (in the order they were made)."""
    real = [u for u in members if not u.is_authority]
    entry = next((authorities[u.authority] for u in members if u.authority is not None), None)
    explanation: dict = {"resolver": RESOLVER, "merges": merges}
    if entry is not None:
        explanation["authority"] = {
            "canonical": entry.canonical,
            "source": entry.source,
            "identifier": entry.identifier,
        }
    if renamed:
        explanation["renamed"] = name
    explanation["units"] = len(real)
    return Entity(
        key=key,
        type=kind,
        name=name,
        mention_ids=sorted(m for u in real for m in u.mention_ids),
        identifier=entry.identifier if entry is not None else None,
        aliases=_aliases(real),
        docs=sorted({u.doc for u in real}),
        explanation=explanation,
    )


def _aliases(real: list[Unit]) -> dict[str, tuple[int, list[str]]]:
    """Every name of an entity with its count and documents, most used first."""
    counts: Counter[str] = Counter()
    docs_of: dict[str, set[str]] = defaultdict(set)
    for u in real:
        counts[u.name] += u.count
        docs_of[u.name].add(u.doc)
    return {alias: (count, sorted(docs_of[alias])) for alias, count in counts.most_common()}


def _suggestions(
    units: list[Unit],
    clustering: Clustering,
    below: list[Pair],
    key_of_root: dict[int, str],
    quiet: list[tuple[list[int], list[int]]],
    config: ResolveConfig,
) -> list[Suggestion]:
    """The pairs of the suggestion band, one per pair of entities (its best), unless a
    judgement answered it or a constraint forbids it, best first."""
    quiet_pairs = set()
    for left, right in quiet:
        for a in left:
            for b in right:
                ra, rb = clustering.find(a), clustering.find(b)
                quiet_pairs.add((min(ra, rb), max(ra, rb)))
    best: dict[tuple[int, int], Pair] = {}
    for p in below:
        ra, rb = clustering.find(p.left), clustering.find(p.right)
        if ra == rb or ra not in key_of_root or rb not in key_of_root:
            continue
        pid = (min(ra, rb), max(ra, rb))
        if pid in quiet_pairs:
            continue
        if pid not in best or best[pid].score < p.score:
            best[pid] = p
    # a pair the constraints forbid is no suggestion; checked once per pair of entities
    ranked = [(pid, p) for pid, p in sorted(best.items(), key=lambda kv: -kv[1].score)]
    kept: list[tuple[tuple[int, int], Pair]] = []
    for pid, p in ranked:
        if len(kept) >= config.max_suggestions:
            break
        if clustering.conflict(p.left, p.right) is None:
            kept.append((pid, p))
    best = dict(kept)
    out = []
    for _pair, p in sorted(best.items(), key=lambda kv: -kv[1].score)[: config.max_suggestions]:
        out.append(
            Suggestion(
                left=key_of_root[clustering.find(p.left)],
                right=key_of_root[clustering.find(p.right)],
                score=p.score,
                features=dict(p.features),
                left_refs=(units[p.left].ref,),
                right_refs=(units[p.right].ref,),
            )
        )
    return out
