"""resolve(): mentions (+ judgements, authorities) -> entities with explanations, and
suggestions. Pure: no store, no I/O beyond the shipped name data."""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from anyascii import anyascii

from kartoteka.resolve.bounds import bound_document
from kartoteka.resolve.candidates import (
    Pair,
    across_documents,
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
    Suggestion,
)
from kartoteka.resolve.units import TYPE_ORDER, Unit, build_units


def resolve(
    mentions: Sequence[MentionRecord],
    judgements: Sequence[Judgement] = (),
    authorities: Sequence[Authority] = (),
    config: ResolveConfig | None = None,
) -> Resolution:
    """Cluster mentions into entities.

    Every mention of one name in one document is a unit; units are linked by scored pairs
    (within a document, then across documents through blocking keys), by authority files
    (all variants of an entry are one entity, two entries never are) and by judgements
    (`same` links, `not_same`/`split` forbid, later judgements win). Pairs at or above
    `config.merge_threshold` merge unless a constraint forbids; pairs in the band below are
    returned as suggestions.
    """
    # Resolution allocates many small objects and makes no reference cycles; the cyclic
    # garbage collector would rescan the whole growing heap again and again, which made the
    # cost grow faster than the corpus. Reference counting still frees everything.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _resolve(mentions, judgements, authorities, config or ResolveConfig())
    finally:
        if collecting:
            gc.enable()


def _resolve(mentions, judgements, authorities, config: ResolveConfig) -> Resolution:
    units = build_units(mentions, authorities)
    clustering = Clustering(units)
    stale: list[int] = []

    # authority entries: every variant one entity, two entries never one
    by_authority: dict[int, list[Unit]] = defaultdict(list)
    for u in units:
        if u.authority is not None:
            by_authority[u.authority].append(u)
    for members in by_authority.values():
        for u in members[1:]:
            clustering.union(members[0].id, u.id)

    # judgements
    by_ref: dict[tuple, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for u in units:
        by_ref[(u.doc, u.name)].append(u.id)
        by_name[u.name].append(u.id)
    resolved = []
    for j in latest_pair_decisions(judgements):
        left = ref_units(j.left, by_ref, by_name)
        right = ref_units(j.right, by_ref, by_name)
        if not left or (j.kind in ("same", "not_same", "split", "unsure") and not right):
            if j.id is not None:
                stale.append(j.id)
            continue
        resolved.append((j, left, right))
    must, cannot, quiet = _effective(resolved)
    for j, left, right in must:
        for u in left[1:] + right:
            clustering.union(
                left[0],
                u,
                {"rule": "judgement", "judgement": j.id, "author": j.author, "score": 1.0},
            )
    for _j, left, right in cannot:
        for a in left:
            for b in right:
                clustering.forbid(a, b)

    # scored pairs, best first
    pairs: list[Pair] = []
    by_doc: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        if not u.is_authority:
            by_doc[u.doc].append(u)
    warnings: list[str] = []
    for doc_units in by_doc.values():
        scored_units, review, crowded = bound_document(doc_units, config)
        warnings.extend(crowded)
        pairs.extend(within_document_persons(scored_units))
        pairs.extend(within_document_orgs(doc_units))
        pairs.extend(review)
    pairs.extend(across_documents(units, config))
    # each document first, then the corpus: within a document "Miller" is the one Miller it
    # names in full, whatever an identical "Miller" elsewhere scores
    pairs.sort(
        key=lambda p: (not p.features.get("same_document", False), -p.score, p.left, p.right)
    )

    below: list[Pair] = []
    for p in pairs:
        if p.score < config.suggest_threshold:
            continue
        if p.score < config.merge_threshold:
            below.append(p)
            continue
        why = clustering.conflict(p.left, p.right)
        if why is not None:
            continue
        clustering.union(
            p.left,
            p.right,
            {
                "left": units[p.left].ref.to_json(),
                "right": units[p.right].ref.to_json(),
                "score": p.score,
                **p.features,
            },
        )

    entities, key_of_root = _entities(units, clustering, resolved, authorities)
    suggestions = _suggestions(units, clustering, below, key_of_root, quiet, config)
    return Resolution(
        entities=entities, suggestions=suggestions, stale_judgements=stale, warnings=warnings
    )


def _effective(resolved):
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


def _canonical(members: list[Unit], authorities: list, groups: set[str]) -> str:
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


def _entities(units: list[Unit], clustering: Clustering, resolved, authorities):
    entities: list[Entity] = []
    key_of_root: dict[int, str] = {}
    used_keys: Counter = Counter()
    renames: dict[int, str] = {}
    for j, left, _right in resolved:
        if j.kind == "rename" and j.value:
            roots = Counter(clustering.find(u) for u in left)
            renames[roots.most_common(1)[0][0]] = j.value
    roots = sorted(
        clustering.roots().items(),
        key=lambda kv: min((units[u].doc, units[u].first_pos) for u in kv[1].members),
    )
    for root, cluster in roots:
        members = sorted((units[u] for u in cluster.members), key=lambda u: (u.doc, u.first_pos))
        real = [u for u in members if not u.is_authority]
        if not real:
            continue
        types = Counter()
        for u in real:
            types[u.type] += u.count
        kind = min(types, key=lambda t: (-types[t], TYPE_ORDER.get(t, 9)))
        authority_names = sorted(
            {authorities[u.authority].canonical for u in members if u.is_authority}
        )
        name = renames.get(root) or _canonical(members, authority_names, cluster.groups)
        base = f"{kind.lower()}-{_slug(name)}"
        used_keys[base] += 1
        key = base if used_keys[base] == 1 else f"{base}-{used_keys[base]}"
        key_of_root[root] = key
        aliases: dict[str, tuple[int, list[str]]] = {}
        counts: Counter = Counter()
        docs_of: dict[str, set[str]] = defaultdict(set)
        for u in real:
            counts[u.name] += u.count
            docs_of[u.name].add(u.doc)
        for alias, count in counts.most_common():
            aliases[alias] = (count, sorted(docs_of[alias]))
        identifier = None
        authority_info = None
        for u in members:
            if u.is_authority:
                entry = authorities[u.authority]
                identifier = entry.identifier
                authority_info = {
                    "canonical": entry.canonical,
                    "source": entry.source,
                    "identifier": entry.identifier,
                }
                break
        explanation = {"resolver": RESOLVER, "merges": cluster.merges}
        if authority_info:
            explanation["authority"] = authority_info
        if root in renames:
            explanation["renamed"] = renames[root]
        entities.append(
            Entity(
                key=key,
                type=kind,
                name=name,
                mention_ids=sorted(m for u in real for m in u.mention_ids),
                identifier=identifier,
                aliases=aliases,
                docs=sorted({u.doc for u in real}),
                explanation=explanation,
            )
        )
        entities[-1].explanation["units"] = len(real)
    return entities, key_of_root


def _suggestions(units, clustering, below, key_of_root, quiet, config) -> list[Suggestion]:
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
    kept = []
    for pid, p in ranked:
        if len(kept) >= config.max_suggestions:
            break
        if clustering.conflict(p.left, p.right) is None:
            kept.append((pid, p))
    best = dict(kept)
    out = []
    for _pair, p in sorted(best.items(), key=lambda kv: -kv[1].score)[: config.max_suggestions]:
        left, right = units[p.left], units[p.right]
        out.append(
            Suggestion(
                left=key_of_root[clustering.find(p.left)],
                right=key_of_root[clustering.find(p.right)],
                score=p.score,
                features=dict(p.features),
                left_refs=(left.ref,),
                right_refs=(right.ref,),
            )
        )
    return out
