"""Units: what resolution clusters. A unit is every mention of one name in one document
(the gold and the reader both take one string in one document to mean one entity), or one
variant name of an authority entry. Clustering units instead of mentions keeps the cost in
the number of distinct names, and a unit is exactly what a judgement's Ref names.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from sys import intern

from kartoteka.resolve.context import alias_after, role_words, window_words
from kartoteka.resolve.names import (
    PersonName,
    dated_group,
    fold,
    org_group,
    org_norm,
    org_weak_groups,
    parse_person,
    phonetic_keys,
    strip_possessive,
    title_gender,
)
from kartoteka.resolve.types import Authority, MentionRecord, Ref

TYPE_ORDER = {"PER": 0, "ORG": 1, "PLACE": 2}


@dataclass(slots=True)
class Unit:
    id: int
    doc: str  # document name; "authority:<source>" for an authority variant
    name: str  # the surface name as stored (the Ref's name)
    type: str
    mention_ids: list[int] = field(default_factory=list)
    # what its mentions' sentences say: tuples without repeats, as a corpus holds hundreds
    # of thousands of units with a word or a few each (a set costs 216 bytes even empty)
    titles: tuple[str, ...] = ()  # folded titles ("general")
    context: tuple[str, ...] = ()  # stems of the words around its mentions
    roles: tuple[str, ...] = ()  # "X's assassins", "assassins of X"
    aliases_named: tuple[str, ...] = ()  # "X, alias Y" gives Y
    # hashes of its sentences: a tuple for a few (most units), a frozenset for more
    sentence_ids: tuple[int, ...] | frozenset[int] = ()
    authority: int | None = None  # index into the authorities given to resolve()
    gender: str | None = None  # "M"/"F" from a title (Mr. / Mrs. Bennet are two units)
    first_pos: int = 0
    year: int | None = None  # the year the text speaks of at the unit's first dated mention
    # derived name features
    person: PersonName | None = None
    norm: str = ""  # folded name (PER) or org_norm (ORG/PLACE)
    keys: frozenset[str] = frozenset()
    group: str | None = None  # known organization this name always means
    weak_groups: tuple[str, ...] = ()
    own_type: str = ""  # the type its own mentions give it, before the corpus's vote

    @property
    def count(self) -> int:
        return len(self.mention_ids)

    @property
    def ref(self) -> Ref:
        return Ref(self.doc, self.name)

    @property
    def is_authority(self) -> bool:
        return self.authority is not None

    def shares_sentence(self, other: Unit) -> bool:
        """Do the two names stand in one sentence somewhere?"""
        mine, theirs = self.sentence_ids, other.sentence_ids
        if len(mine) > len(theirs):
            mine, theirs = theirs, mine
        return any(s in theirs for s in mine)


#: up to this many sentences, a unit keeps their hashes in a tuple (a set costs 216 bytes)
FEW_SENTENCES = 4


def _derive(unit: Unit) -> Unit:
    if unit.type == "PER":
        unit.person = parse_person(unit.name)
        unit.norm = intern(" ".join(unit.person.given + (unit.person.surname,)))
        unit.keys = (
            phonetic_keys(unit.person.surname_word) if unit.person.surname_word else frozenset()
        )
    else:
        unit.norm = intern(org_norm(unit.name))
        words = unit.norm.split()
        unit.keys = frozenset(phonetic_keys(words[-1])) if words else frozenset()
        # a known organization or place; the type of the other file too, so a "USSR" typed
        # ORG still finds the Soviet Union
        other = "PLACE" if unit.type == "ORG" else "ORG"
        unit.group = (
            org_group(unit.name, unit.type)
            or org_group(unit.name, other)
            or dated_group(unit.name, unit.year)
        )
        unit.weak_groups = org_weak_groups(unit.name, unit.type) or org_weak_groups(
            unit.name, other
        )
    return unit


#: a name's type across the corpus wins over a document's when it holds this share of the
#: name's mentions, and this many at least
CORPUS_TYPE_SHARE = 0.75
CORPUS_TYPE_MENTIONS = 4


def type_votes(units: Iterable[Unit]) -> dict[str, Counter]:
    """Per folded name, the mentions each type has (the units' own types)."""
    by_name: dict[str, Counter] = defaultdict(Counter)
    for u in units:
        by_name[fold(u.name)][u.own_type or u.type] += u.count
    return by_name


def voted_type(own_type: str, titled: bool, counter: Counter) -> str:
    """A name that is a person in most documents is a person in all, unless a text says
    otherwise: a unit whose type the corpus outvotes (three mentions in four, four at least,
    across other documents) takes the corpus's type, when no title of its own marks it."""
    kind, count = counter.most_common(1)[0]
    if kind == own_type or titled:
        return own_type
    others = count  # mentions of the winning type, all in other units
    if others >= CORPUS_TYPE_MENTIONS and others >= CORPUS_TYPE_SHARE * sum(counter.values()):
        return kind
    return own_type


def _agree_types_across_documents(
    units: list[Unit], elsewhere: dict[str, Counter] | None = None
) -> None:
    """Each unit takes the type the corpus votes for its name (`voted_type`); `elsewhere`:
    the votes of the rest of the corpus, when `units` are only some of it."""
    by_name = type_votes(units)
    for name, votes in (elsewhere or {}).items():
        if name in by_name:
            by_name[name] = by_name[name] + votes
    for u in units:
        u.type = voted_type(u.type, bool(u.titles), by_name[fold(u.name)])


def _read_mentions(unit: Unit, ms: list[MentionRecord]) -> None:
    """What a unit's mentions and their sentences say about it."""
    titles: set[str] = set()
    context: set[str] = set()
    roles: set[str] = set()
    named_set: set[str] = set()
    sentence_ids: set[int] = set()
    for m in ms:
        unit.mention_ids.append(m.id)
        if m.title:
            titles.add(fold(m.title))
        if m.context:
            pos = m.context_start
            end = pos + (m.end - m.start) if pos >= 0 else -1
            context |= window_words(m.context, pos, end)
            roles |= role_words(m.context, pos, end)
            named = alias_after(m.context, end)
            if named:
                named_set.add(named)
            sentence_ids.add(hash(m.context))
    unit.titles = tuple(titles)
    unit.context = tuple(map(intern, context))
    unit.roles = tuple(map(intern, roles))
    unit.aliases_named = tuple(named_set)
    few = len(sentence_ids) <= FEW_SENTENCES
    unit.sentence_ids = tuple(sentence_ids) if few else frozenset(sentence_ids)


def lite_unit(
    unit_id: int,
    doc: str,
    name: str,
    kind: str,
    gender: str | None,
    first_pos: int,
    year: int | None,
    mention_ids: list[int],
) -> Unit:
    """A unit known by its name alone (no sentences): its name features, derived once per
    name, type and year."""
    unit = Unit(
        id=unit_id,
        doc=doc,
        name=name,
        type=kind,
        mention_ids=mention_ids,
        gender=gender,
        first_pos=first_pos,
        year=year,
    )
    derived = _derived(name, kind, year if kind != "PER" else None)
    unit.person, unit.norm, unit.keys, unit.group, unit.weak_groups = derived
    return unit


@lru_cache(maxsize=65536)
def _derived(name: str, kind: str, year: int | None) -> tuple:
    unit = _derive(Unit(id=0, doc="", name=name, type=kind, year=year))
    return unit.person, unit.norm, unit.keys, unit.group, unit.weak_groups


def unit_to_json(u: Unit) -> str:
    """What a unit's mentions and sentences gave it, as JSON (its name features are
    derived again by `unit_from_json`)."""
    return json.dumps(
        {
            "doc": u.doc,
            "name": u.name,
            "type": u.type,
            "own_type": u.own_type,
            "mentions": u.mention_ids,
            "titles": u.titles,
            "context": u.context,
            "roles": u.roles,
            "aliases_named": u.aliases_named,
            "sentences": list(u.sentence_ids),
            "gender": u.gender,
            "first_pos": u.first_pos,
            "year": u.year,
        },
        ensure_ascii=False,
    )


def unit_from_json(text: str, unit_id: int) -> Unit:
    """The unit `unit_to_json` wrote, with this id."""
    d = json.loads(text)
    sentences = tuple(d["sentences"])
    unit = Unit(
        id=unit_id,
        doc=d["doc"],
        name=d["name"],
        type=d["type"],
        mention_ids=d["mentions"],
        titles=tuple(d["titles"]),
        context=tuple(map(intern, d["context"])),
        roles=tuple(map(intern, d["roles"])),
        aliases_named=tuple(d["aliases_named"]),
        sentence_ids=sentences if len(sentences) <= FEW_SENTENCES else frozenset(sentences),
        gender=d["gender"],
        first_pos=d["first_pos"],
        year=d["year"],
        own_type=d["own_type"],
    )
    return _derive(unit)


def build_units(
    mentions: Iterable[MentionRecord],
    authorities: Sequence[Authority] = (),
    *,
    elsewhere: dict[str, Counter] | None = None,
    types: dict[tuple[str, str, str | None], str] | None = None,
) -> list[Unit]:
    """Group mentions by (document, name) and add one unit per authority variant. Each
    group of mentions is let go once its unit is made: given an iterator, nothing holds
    every mention and every unit at once.

    For some documents of a corpus: `elsewhere` holds the type votes of the rest of it
    (`type_votes`), or `types` the type each unit (doc, name, gender) was voted."""
    grouped: dict[tuple[str, str, str | None], list[MentionRecord]] = defaultdict(list)
    for m in mentions:
        name = strip_possessive(m.name or m.text) or m.text
        gender = title_gender(m.title, name) if m.type == "PER" else None
        grouped[(m.doc, name, gender)].append(m)
    units: list[Unit] = []
    for doc, name, gender in sorted(grouped, key=lambda k: (k[0], grouped[k][0].start)):
        ms = grouped.pop((doc, name, gender))
        kinds = Counter(m.type for m in ms)
        kind = min(kinds, key=lambda t: (-kinds[t], TYPE_ORDER.get(t, 9)))
        unit = Unit(
            id=len(units),
            doc=doc,
            name=name,
            type=kind,
            gender=gender,
            first_pos=min(m.start for m in ms),
            own_type=kind,
        )
        unit.year = next((m.year for m in ms if m.year is not None), None)
        _read_mentions(unit, ms)
        units.append(unit)
    if types is None:
        _agree_types_across_documents(units, elsewhere)
    else:
        for u in units:
            u.type = types.get((u.doc, u.name, u.gender), u.type)
    units = [_derive(u) for u in units]
    for index, authority in enumerate(authorities):
        names = dict.fromkeys((authority.canonical,) + tuple(authority.variants))
        for name in names:
            unit = Unit(
                id=len(units),
                doc=f"authority:{authority.source}",
                name=name,
                type=authority.type,
                authority=index,
                gender=title_gender(name) if authority.type == "PER" else None,
            )
            units.append(_derive(unit))
    return units
