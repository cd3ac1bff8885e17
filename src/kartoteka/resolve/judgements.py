"""Judgements: people's decisions about who is who, as an append-only log.

A judgement never names a mention row (its id changes when a document is re-ingested); it
names `Ref`s, (document name, surface name) pairs, which survive re-ingest as long as the
document keeps its file name and the name is still found in it. On every resolve the whole
log is re-applied in order, so a later judgement overrides an earlier one about the same pair.

How each kind acts on clustering (see docs/resolve.md):
- `same`: a must-link between the mentions of `left` and those of `right`.
- `not_same` and `split`: a cannot-link between them, stronger than any score.
- `rename`: the entity holding `left` takes `value` as its name.
- `unsure`: no effect on clusters; the pair is not suggested again.
A Ref that matches no mention any more makes the judgement stale: it is kept, reported, and
applies again if the mention comes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kartoteka.resolve.types import Judgement, Ref

JUDGEMENT_KINDS = ("same", "not_same", "unsure", "rename", "split")


def ref_units(
    refs: Iterable[Ref],
    units_by_ref: Mapping[tuple, Sequence[int]],
    units_by_name: Mapping[str, Sequence[int]],
) -> list[int]:
    """The clustering units (mention groups) a list of Refs points at."""
    out: list[int] = []
    for ref in refs:
        if ref.doc is None:
            out.extend(units_by_name.get(ref.name, ()))
        else:
            out.extend(units_by_ref.get((ref.doc, ref.name), ()))
    return sorted(set(out))


def latest_pair_decisions(judgements: Sequence[Judgement]) -> list[Judgement]:
    """The log in order; kept as a function so the rule 'later wins' has one home."""
    return sorted(judgements, key=lambda j: (j.created_at or "", j.id or 0))
