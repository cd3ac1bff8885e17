"""Accounts: the tellings of one event in one document, grouped by what each tells.

A document may tell one event several times. Most retellings only point back to it ("the
murder", "Smirnov's arrest", "Les's defection"): they are more evidence for what was told
before. Some tell something new about it: who did it ("the murder was carried out by the
Leningrad group", "was decided by the centre"), or when, in their own clause. A court record
that tells one murder five times, naming other doers each time, makes several claims about
it, and a reader weighing who says what needs each claim with its own passage.

So an event's tellings in a document fall into *accounts*. The first telling opens the
first account. A later telling opens a new one when it adds to what the document told of
the event before it: a participant not named before in a role other than those that say
who the event is about (its doers, for a killing: the one killed is the same in every
telling of it, and a telling naming another one is another event or a misreading), or a
date in its own clause that no earlier telling gave. A telling that adds nothing belongs to the account before it, and so
does one that adds something in the sentence that account opened in (the text is still
telling it: "the group who committed the murder"), or that adds to an account that named
no one and gave no date yet (it says who the first telling was about: "All but five
refused to return. Of those who refused, I knew four: ...").

The JSON export lists an event once per account (docs/export.md), all entries with the
event's id, roles and date; its other formats list the event once.

>>> t = Telling
>>> accounts([t(0, {7}), t(9, {7}), t(20, {7, 3}), t(20, {7, 5})])
[[0, 1], [2, 3]]
>>> accounts([t(0, set()), t(5, {1, 2}), t(9, {1}, "1937-09-04")])
[[0, 1], [2]]
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

__all__ = ["Telling", "accounts"]


@dataclass(frozen=True, slots=True)
class Telling:
    """What one telling of an event says: where its sentence starts, the entities it names
    in the roles that do not say who the event is about, and the date its own clause gives
    (None when it has none, or only takes one from the narrative)."""

    sentence: int
    participants: Collection[int] = field(default_factory=frozenset)
    own_date: str | None = None


def accounts(tellings: Sequence[Telling]) -> list[list[int]]:
    """The tellings (of one event in one document) grouped into accounts, as lists of
    indices into `tellings`, in the text's order."""
    order = sorted(range(len(tellings)), key=lambda i: (tellings[i].sentence, i))
    groups: list[list[int]] = []
    named: set[int] = set()
    dated: set[str] = set()
    for i in order:
        t = tellings[i]
        adds = bool(set(t.participants) - named) or bool(t.own_date and t.own_date not in dated)
        told = bool(named or dated)  # the accounts so far say who or when
        # the last account opened in this sentence: the text is still telling it
        same_sentence = bool(groups) and tellings[groups[-1][0]].sentence == t.sentence
        if not groups or (adds and told and not same_sentence):
            groups.append([i])
        else:
            groups[-1].append(i)
        named.update(t.participants)
        if t.own_date:
            dated.add(t.own_date)
    return groups
