"""Across tellings: one event told several times, and facts the sources disagree on.

Pure functions over plain records (the store glue is `kartoteka.store.facts`).

Two tellings are one event when they have the same type, the same key participants (the
type's `key_roles`, as resolved entities) and compatible dates and places. Inside one
document, an event that can happen again (an arrest, a move, a post) is told once per
telling unless the text gives both tellings the same date. A date from the
narrative (the latest date told before the sentence) is soft: it never blocks a merge and
never makes a contradiction. Inside one document, a telling with no key participant joins a
telling of the same type in the sentence before or after it ("All but five refused to
return ... Of those who refused to return I knew of four: ...").

Where two documents tell an event that can only happen once to its participants (the
ontology's `once`: a killing, a defection) with incompatible firm dates or places, the two
tellings stay apart and a contradiction lists them side by side. Nothing is averaged. Only
asserted accounts contradict each other; where one side is hedged or reported ("he was
probably poisoned in 1938") the pair is an alternative account, listed apart.

Tellings join only within a kind of modality: what happened (asserted, reported, hedged),
what was planned, what was attempted. A plan to kill and a killing are two events. A merged
event takes the surest modality of its tellings (asserted over reported over hedged) and the
date source of the telling whose date it keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kartoteka.events.ontology import EventType

__all__ = [
    "EventRecord",
    "MergedEvent",
    "Contradiction",
    "RelationRecord",
    "MergedRelation",
    "merge_events",
    "merge_relations",
    "date_bounds",
    "dates_compatible",
    "VERSION",
]

VERSION = "kartoteka.merge.v3"
FIRM = ("clause",)
_LOOK_BACK = 8  # sentences a keyless retelling looks back for the event it retells
#: surest first: a merged event of what happened takes the first its tellings have
CERTAINTY = ("asserted", "reported", "hedged")


def modality_kind(modality: str) -> str:
    """Tellings of one kind may be one event: what happened, what was planned, attempted."""
    return "happened" if modality in CERTAINTY else modality


@dataclass(slots=True)
class EventRecord:
    """One event mention with its participants as entity ids."""

    id: int
    doc_id: int
    type: str
    roles: dict[str, set[int]]
    date: str | None = None
    date_source: str | None = None
    place: int | None = None  # entity id
    sentence: int = -1  # index of the evidence sentence in its document
    modality: str = "asserted"
    refers_back: bool = False  # "the arrest", "had been arrested": told before

    @property
    def firm_date(self) -> str | None:
        return self.date if self.date and self.date_source in FIRM else None


@dataclass(slots=True)
class MergedEvent:
    type: str
    date: str | None
    date_lower: str | None
    date_upper: str | None
    place: int | None
    roles: dict[str, list[int]]
    mention_ids: list[int]
    sources: int  # number of documents telling it
    modality: str = "asserted"
    date_source: str = "none"


@dataclass(slots=True)
class Contradiction:
    kind: str  # date | place
    left: int  # event mention id
    right: int
    description: str
    #: one side is only hedged or reported: an alternative account, not a contradiction
    alternative: bool = False


@dataclass(slots=True)
class RelationRecord:
    id: int
    subject: int | None  # entity ids (None when resolution left the mention out)
    predicate: str
    object: int | None


@dataclass(slots=True)
class MergedRelation:
    subject: int
    predicate: str
    object: int
    mention_ids: list[int] = field(default_factory=list)


def date_bounds(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    try:
        from kartoteka.time.values import bounds

        return bounds(value)
    except (ImportError, ValueError):
        return None, None


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Unknown dates fit anything; known ones must overlap (EDTF bounds)."""
    if not a or not b:
        return True
    try:
        from kartoteka.time.values import overlaps

        return overlaps(a, b)
    except (ImportError, ValueError):
        return a == b


def _key(rec: EventRecord, types: dict[str, EventType]) -> frozenset[int]:
    """Who the event is about: its key roles' entities, else (a post someone joined of
    their own accord, with no one appointing them) all its participants."""
    t = types.get(rec.type)
    roles = t.key_roles if t and t.key_roles else tuple(rec.roles)
    key = frozenset(e for r in roles for e in rec.roles.get(r, ()))
    if not key and t is not None and t.once and rec.refers_back:
        # "the group of Zinovievites who committed the murder": the one told before, whoever
        # else the telling names
        return key
    return key or frozenset(e for ents in rec.roles.values() for e in ents)


class _Cluster:
    def __init__(self, rec: EventRecord, key: frozenset[int]):
        self.type = rec.type
        self.key = key
        self.kind = modality_kind(rec.modality)
        self.members = [rec]

    @property
    def firm_dates(self) -> list[str]:
        return [m.firm_date for m in self.members if m.firm_date]

    @property
    def places(self) -> set[int]:
        return {m.place for m in self.members if m.place is not None and m.date_source != "x"}

    def fits(self, rec: EventRecord, once: bool = True) -> bool:
        return (
            modality_kind(rec.modality) == self.kind
            and all(dates_compatible(d, rec.firm_date) for d in self.firm_dates)
            and (rec.place is None or not self.places or rec.place in self.places)
            and (once or all(_retold(m, rec) for m in self.members if m.doc_id == rec.doc_id))
        )


def _retold(a: EventRecord, b: EventRecord) -> bool:
    """Two tellings in one document of an event that can happen again (he joined one body,
    later left another; he moved to Tbilisi, then to Berlin) are one only when the later
    looks back to the earlier ("the news of Smirnov's arrest", "Sorge had been arrested")
    or the text dates both alike in their own clauses. A date one telling only takes from
    the narrative says nothing: "expelled in 1929. He went to France" are two moves."""
    first, second = (a, b) if (a.sentence, a.id) <= (b.sentence, b.id) else (b, a)
    return (
        second.refers_back
        or bool(a.firm_date and a.firm_date == b.firm_date)
        or _elaborates(first, second)
    )


def _elaborates(first: EventRecord, second: EventRecord) -> bool:
    """ "Yezhov sent out a circular announcing that Smirnov was a spy. He was said to be a
    French spy because ...": the next sentence tells the same act again in the passive, with
    no doer and no date of its own, about the same people."""
    patients = set(second.roles.get("patient", ()))
    return (
        second.doc_id == first.doc_id
        and second.sentence - first.sentence == 1
        and not second.roles.get("agent")
        and not second.firm_date
        and bool(patients)
        and patients <= set(first.roles.get("patient", ()))
    )


def _width(value: str) -> int:
    lo, hi = date_bounds(value)
    if not lo or not hi:
        return 10**9
    y0, m0, d0 = (int(x) for x in lo.lstrip("-").split("-"))
    y1, m1, d1 = (int(x) for x in hi.lstrip("-").split("-"))
    return (y1 - y0) * 372 + (m1 - m0) * 31 + (d1 - d0)


def merge_events(
    records: list[EventRecord], types: dict[str, EventType]
) -> tuple[list[MergedEvent], list[Contradiction]]:
    """Group tellings into events and list where sources disagree."""
    records = sorted(records, key=lambda r: (r.doc_id, r.sentence, r.id))
    clusters: list[_Cluster] = []
    keyless: list[EventRecord] = []
    for rec in records:
        key = _key(rec, types)
        if not key:
            keyless.append(rec)
            continue
        t = types.get(rec.type)
        once = t.once if t else False
        home = next(
            (c for c in clusters if c.type == rec.type and c.key == key and c.fits(rec, once)),
            None,
        )
        if home is None and rec.refers_back:
            home = _told_before(rec, key, clusters)
        if home is None:
            clusters.append(_Cluster(rec, key))
        else:
            home.members.append(rec)
    clusters += _join_keyless(keyless, clusters)
    contradictions = _contradictions(clusters, types)
    return [_merged(c) for c in clusters], contradictions


def _told_before(rec: EventRecord, key: frozenset[int], clusters: list[_Cluster]):
    """ "... a letter from Perpignan addressed to me by Klement. I have not received this
    letter yet.": a telling that looks back joins the latest event of its type a few
    sentences before in its document whose participants include its own."""
    near = [
        c
        for c in clusters
        if c.type == rec.type
        and key <= c.key
        and c.fits(rec)
        and any(
            m.doc_id == rec.doc_id and 0 <= rec.sentence - m.sentence <= _LOOK_BACK
            for m in c.members
        )
    ]
    return max(
        near,
        key=lambda c: max(m.sentence for m in c.members if m.doc_id == rec.doc_id),
        default=None,
    )


def _join_keyless(keyless: list[EventRecord], clusters: list[_Cluster]) -> list[_Cluster]:
    """A telling with no key participant joins a neighbour of its type in the same document
    (the sentence before or after), or, when it looks back ("the Moscow trials" told again,
    "the arrest could be due to ..."), the latest telling of its type a few sentences
    before. The others stand alone."""
    loose: list[_Cluster] = []
    for rec in keyless:
        candidates = [c for c in clusters + loose if c.type == rec.type and c.fits(rec)]
        near = [
            c
            for c in candidates
            if any(
                m.doc_id == rec.doc_id and abs(m.sentence - rec.sentence) <= 1 for m in c.members
            )
        ]
        if not near and rec.refers_back:
            near = sorted(
                (
                    c
                    for c in candidates
                    if any(
                        m.doc_id == rec.doc_id and 0 < rec.sentence - m.sentence <= _LOOK_BACK
                        for m in c.members
                    )
                ),
                key=lambda c: -max(m.sentence for m in c.members if m.doc_id == rec.doc_id),
            )
        if near:
            near[0].members.append(rec)
        else:
            loose.append(_Cluster(rec, frozenset()))
    return loose


def _merged(c: _Cluster) -> MergedEvent:
    firm = [m for m in c.members if m.firm_date]
    if firm:
        dated = min(firm, key=lambda m: _width(m.date))
    else:
        dated = next((m for m in c.members if m.date), None)
    date = dated.date if dated else None
    lo, hi = date_bounds(date)
    modalities = [m.modality for m in c.members]
    modality = next((m for m in CERTAINTY if m in modalities), modalities[0])
    roles: dict[str, list[int]] = {}
    for m in c.members:
        for role, ents in m.roles.items():
            for e in sorted(ents):
                if e not in roles.setdefault(role, []):
                    roles[role].append(e)
    places = [m.place for m in c.members if m.place is not None]
    place = max(set(places), key=places.count) if places else None
    return MergedEvent(
        c.type,
        date,
        lo,
        hi,
        place,
        roles,
        [m.id for m in c.members],
        len({m.doc_id for m in c.members}),
        modality,
        dated.date_source if dated else "none",
    )


def _contradictions(clusters: list[_Cluster], types: dict[str, EventType]) -> list[Contradiction]:
    out: list[Contradiction] = []
    for i, a in enumerate(clusters):
        t = types.get(a.type)
        if not a.key or t is None or not t.once or a.kind != "happened":
            continue
        for b in clusters[i + 1 :]:
            if b.type != a.type or b.key != a.key or b.kind != a.kind:
                continue
            found = _first_conflict(a, b)
            if found:
                out.append(found)
    return out


def _first_conflict(a: _Cluster, b: _Cluster) -> Contradiction | None:
    """The first disagreement between two documents' tellings: a contradiction if both
    assert, else (one side hedged or reported) an alternative account."""
    found: list[Contradiction] = []
    for x in a.members:
        for y in b.members:
            if x.doc_id == y.doc_id:
                continue
            alternative = not (x.modality == y.modality == "asserted")
            if x.firm_date and y.firm_date and not dates_compatible(x.firm_date, y.firm_date):
                found.append(
                    Contradiction(
                        "date",
                        x.id,
                        y.id,
                        f"{a.type}: {x.firm_date} against {y.firm_date}",
                        alternative,
                    )
                )
            elif x.place is not None and y.place is not None and x.place != y.place:
                found.append(
                    Contradiction(
                        "place",
                        x.id,
                        y.id,
                        f"{a.type}: place entity {x.place} against {y.place}",
                        alternative,
                    )
                )
    return min(found, key=lambda c: c.alternative, default=None)


def merge_relations(records: list[RelationRecord]) -> list[MergedRelation]:
    """Entity-level relations, each once, with the mentions that state it."""
    out: dict[tuple[int, str, int], MergedRelation] = {}
    for r in sorted(records, key=lambda r: r.id):
        if r.subject is None or r.object is None or r.subject == r.object:
            continue
        key = (r.subject, r.predicate, r.object)
        rel = out.setdefault(key, MergedRelation(r.subject, r.predicate, r.object))
        rel.mention_ids.append(r.id)
    return list(out.values())
