"""Events and relations: what happened, who stands how to whom, and who says so.

`extract` is the per-document stage (pure: parse, mentions and time expressions in, event
and relation mentions out); `kartoteka.events.merge` joins tellings across sources;
the ontology and relation patterns are data files beside this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kartoteka.model import EventMention, Mention, RelationMention, Span, Timex

if TYPE_CHECKING:  # only for the signature: importing events.merge must not load spaCy
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = ["extract", "key_roles", "life_types", "VERSION"]

#: bump when extraction changes what it finds, so cached annotations are redone
VERSION = "kartoteka.events.v6"


@lru_cache(maxsize=8)
def _ontology(extra: str | None):
    from kartoteka.events.ontology import load_ontology

    return load_ontology(extra)


@lru_cache(maxsize=8)
def _patterns(extra: str | None):
    from kartoteka.events.relations import load_relation_patterns

    return load_relation_patterns(extra)


def life_types(ontology: str | Path | None = None) -> frozenset[str]:
    """The event types that are life events of a person (a birth, a death: `life = true` in
    the ontology), facts of a card rather than events of the story."""
    onto = _ontology(str(ontology) if ontology else None)
    return frozenset(name for name, t in onto.types.items() if t.life)


def key_roles(ontology: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """The roles that say who each event type is about ("patient" for a killing): tellings
    with the same key participants may be one event (`kartoteka.events.merge`)."""
    onto = _ontology(str(ontology) if ontology else None)
    return {name: tuple(t.key_roles) for name, t in onto.types.items()}


def extract(
    doc: Doc,
    mentions: list[Mention],
    timexes: list[Timex],
    sentences: list[Span] | list[SpacySpan] | None = None,
    *,
    ontology: str | Path | None = None,
    relation_patterns: str | Path | None = None,
) -> tuple[list[EventMention], list[RelationMention]]:
    """Event and relation mentions of one document.

    `doc` is the parse of the text that `mentions`, `timexes` and `sentences` index (the
    cleaned text); `ontology`/`relation_patterns` name extra TOML files merged over the
    shipped ones. Roles, places, subjects and objects are indices into `mentions`.
    """
    from kartoteka.events.relations import extract_relations
    from kartoteka.events.syntax import MentionIndex
    from kartoteka.events.triggers import extract_events

    sents = [
        s if isinstance(s, Span) else Span(s.start_char, s.end_char, s.text)
        for s in (sentences if sentences is not None else doc.sents)
    ]
    onto = _ontology(str(ontology) if ontology else None)
    index = MentionIndex(doc, mentions, onto)
    events = extract_events(doc, index, timexes, sents, onto)
    relations = extract_relations(
        doc, index, sents, _patterns(str(relation_patterns) if relation_patterns else None)
    )
    return events, relations + _born_in(events, relations, mentions)


def _born_in(
    events: list[EventMention], relations: list[RelationMention], mentions: list[Mention]
) -> list[RelationMention]:
    """A birth with its place is a BORN_IN relation ("born January 13, 1919 in Rogachevo")."""
    have = {(r.subject, r.predicate, r.object) for r in relations}
    out = []
    for ev in events:
        if ev.type != "BIRTH" or ev.place is None or ev.modality != "asserted":
            continue
        for person in ev.roles.get("patient", []):
            if mentions[person].type == "PER" and (person, "BORN_IN", ev.place) not in have:
                have.add((person, "BORN_IN", ev.place))
                out.append(RelationMention(person, "BORN_IN", ev.place, ev.evidence, "birth"))
    return out
