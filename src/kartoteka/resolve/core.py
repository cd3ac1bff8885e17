"""resolve(): mentions (+ judgements, authorities) -> entities with explanations, and
suggestions. Pure: no store, no I/O beyond the shipped name data."""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

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
from kartoteka.resolve.cluster import Clustering
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
) -> Resolution:
    """Cluster mentions into entities.

    Every mention of one name in one document is a unit; units are linked by scored pairs
    (within a document, then across documents through blocking keys), by authority files
    (all variants of an entry are one entity, two entries never are), by what the texts
    state (`links`: "X, alias Y" joins X and Y whatever their spelling) and by judgements
    (`same` links, `not_same`/`split` forbid, later judgements win). Pairs at or above
    `config.merge_threshold` merge unless a constraint forbids; pairs in the band below are
    returned as suggestions. `mentions` is read once: an iterator streaming them from a
    store lets each go once it is in its unit.
    """
    # Resolution allocates many small objects and makes no reference cycles; the cyclic
    # garbage collector would rescan the whole growing heap again and again, which made the
    # cost grow faster than the corpus. Reference counting still frees everything.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _resolve(mentions, judgements, authorities, config or ResolveConfig(), links)
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
) -> Resolution:
    units = build_units(mentions, authorities)
    clustering = Clustering(units)
    _join_authority_variants(units, clustering)
    resolved, stale = _apply_judgements(units, clustering, judgements)
    pairs, warnings = _candidate_pairs(units, config, links)
    below = _merge_pairs(units, clustering, pairs, config)
    entities, key_of_root = _entities(units, clustering, resolved, list(authorities))
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
) -> tuple[list[Pair], list[str]]:
    """Every scored pair, in the order they are tried: each document first, then the corpus
    (within a document "Miller" is the one Miller it names in full, whatever an identical
    "Miller" elsewhere scores), best first; and a warning for each name block too crowded
    to score pair by pair (`bound_document`)."""
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
        scored_units, review, crowded = bound_document(doc_units, config)
        warnings.extend(crowded)
        pairs.extend(worth(within_document_persons(scored_units)))
        pairs.extend(worth(within_document_orgs(doc_units)))
        pairs.extend(worth(review))
    pairs.extend(worth(across_documents(units, config)))
    stated = list(stated_pairs(units, links))
    # a name the text itself accounts for ("Léon Nikolaeff", Orlov's pseudonym) is not also
    # a garble of some other name that happens to share its first name
    accounted = {u for p in stated for u in (p.left, p.right)}
    pairs = [
        p
        for p in pairs
        if not (p.features.get("rule") in GUESSES and {p.left, p.right} & accounted)
    ]
    pairs.extend(worth(stated))
    pairs.sort(
        key=lambda p: (not p.features.get("same_document", False), -p.score, p.left, p.right)
    )
    return pairs, warnings


def _merge_pairs(
    units: list[Unit], clustering: Clustering, pairs: list[Pair], config: ResolveConfig
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
            continue
        if clustering.conflict(p.left, p.right) is not None:
            continue
        record = {
            "left": units[p.left].ref.to_json(),
            "right": units[p.right].ref.to_json(),
            "score": p.score,
            **p.features,
        }
        clustering.union(p.left, p.right, record)
    return below


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


def _canonical(members: list[Unit], authorities: list, groups: AbstractSet[str]) -> str:
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
        real = [u for u in members if not u.is_authority]
        if not real:
            continue
        types: Counter[str] = Counter()
        for u in real:
            types[u.type] += u.count
        kind = min(types, key=lambda t: (-types[t], TYPE_ORDER.get(t, 9)))
        authority_names = sorted(
            {authorities[u.authority].canonical for u in members if u.authority is not None}
        )
        name = renames.get(root) or _canonical(members, authority_names, cluster.groups)
        base = f"{kind.lower()}-{_slug(name)}"
        used_keys[base] += 1
        key = base if used_keys[base] == 1 else f"{base}-{used_keys[base]}"
        key_of_root[root] = key
        entry = next((authorities[u.authority] for u in members if u.authority is not None), None)
        explanation: dict = {"resolver": RESOLVER, "merges": cluster.merges}
        if entry is not None:
            explanation["authority"] = {
                "canonical": entry.canonical,
                "source": entry.source,
                "identifier": entry.identifier,
            }
        if root in renames:
            explanation["renamed"] = renames[root]
        explanation["units"] = len(real)
        entities.append(
            Entity(
                key=key,
                type=kind,
                name=name,
                mention_ids=sorted(m for u in real for m in u.mention_ids),
                identifier=entry.identifier if entry is not None else None,
                aliases=_aliases(real),
                docs=sorted({u.doc for u in real}),
                explanation=explanation,
            )
        )
    return entities, key_of_root


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
