"""A bound on what one document can cost resolution.

Within a document, person names that share a name key (a surname, or its phonetic key) are
compared pair by pair, and the clusters they form are checked member by member: fine for the
handful of Millers a book names, ruinous for a table of 4,000 "General Smith1", "General
Smith2", ... rows (4 GB, then more). Above `ResolveConfig.max_name_block` names on one key,
the block is not scored: its names stay apart, one entity per exact name (which is what
blocking by name always gives), the most frequent ones are offered for review against the
block's commonest name, and a warning names the document and the key.
"""

from __future__ import annotations

from collections import defaultdict

from kartoteka.resolve.candidates import Pair, person_pair
from kartoteka.resolve.types import ResolveConfig
from kartoteka.resolve.units import Unit

#: Names of a crowded block offered for review against its commonest name.
REVIEWED_PER_BLOCK = 10


def crowded_blocks(units: list[Unit], limit: int) -> dict[str, list[Unit]]:
    """The name keys (surnames, phonetic keys) that more than `limit` person units of one
    document share, with those units."""
    blocks: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        if u.type == "PER" and u.person is not None and u.person.surname_word:
            for key in {u.person.surname_word, *u.keys}:
                blocks[key].append(u)
    return {key: members for key, members in blocks.items() if len(members) > limit}


def bound_document(
    units: list[Unit], config: ResolveConfig
) -> tuple[list[Unit], list[Pair], list[str]]:
    """Split one document's units into those scored pair by pair as usual and the members
    of crowded blocks; for these, the review suggestions and the warning."""
    crowded = crowded_blocks(units, config.max_name_block)
    if not crowded:
        return units, [], []
    left_out = {u.id for members in crowded.values() for u in members}
    kept = [u for u in units if u.id not in left_out]
    suggestions: list[Pair] = []
    warnings = []
    band_top = (config.suggest_threshold + config.merge_threshold) / 2
    for key, members in sorted(crowded.items()):
        ranked = sorted(members, key=lambda u: (-u.count, u.id))
        hub = ranked[0]
        for u in ranked[1 : REVIEWED_PER_BLOCK + 1]:
            pair = person_pair(hub, u, True)
            if pair is None:
                continue
            pair.score = round(min(pair.score, band_top), 4)
            # a pair's features may be shared with other pairs (`candidates.scored`)
            pair.features = {**pair.features, "crowded_block": {"key": key, "names": len(members)}}
            suggestions.append(pair)
        shown = ", ".join(u.name for u in ranked[:3])
        warnings.append(
            f"{hub.doc}: {len(members)} names share the name key {key!r} ({shown}, ...), "
            f"more than max_name_block={config.max_name_block}; they are kept apart by exact "
            f"name and {min(len(members) - 1, REVIEWED_PER_BLOCK)} offered for review"
        )
    return kept, suggestions, warnings
