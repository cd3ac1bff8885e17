"""Constrained greedy clustering: pairs are merged best first unless the two clusters hold
something that cannot be one entity (two incompatible first names, a man's and a woman's form
of a surname, two authority entries, a person's "not the same" judgement, PER with ORG).
This is correlation clustering's usual greedy approximation with cannot-links; it is linear
in the number of pairs (times the small size of the constraint sets).

Memory: most units of a large corpus are never merged, or only into another's cluster, so a
unit's cluster is made from the unit when it is first needed and kept only once it has
merged or been forbidden something; an empty constraint set is one shared empty frozenset
until it holds something.
"""

from __future__ import annotations

from collections.abc import MutableMapping, MutableSequence, Set
from dataclasses import dataclass, field
from typing import TypeVar

from kartoteka.resolve.names import gendered_pair, given_compatible, keys_match
from kartoteka.resolve.units import Unit

_T = TypeVar("_T")
_EMPTY: frozenset = frozenset()


@dataclass(slots=True)
class Cluster:
    members: set[int]
    per: bool
    # (first given name, surname) of its full names: an authority entry may list an alias
    # with another surname (Samuel Ginsberg for Walter Krivitsky), so first names only clash
    # under related surnames
    firsts: Set[tuple[str, str]] = _EMPTY
    surnames: Set[str] = _EMPTY
    authorities: Set[int] = _EMPTY
    genders: Set[str] = _EMPTY  # from titles: Mr. / Mrs.
    ordinals: Set[tuple[str, str]] = _EMPTY  # (name, regnal number)
    groups: Set[str] = _EMPTY
    forbidden: Set[int] = _EMPTY  # units this cluster must not join
    #: the merges that made it, each with its place in the run's order of merges
    merges: list[tuple[int, dict]] = field(default_factory=list)


def _joined(mine: Set[_T], theirs: Set[_T]) -> Set[_T]:
    """`mine` with `theirs` added: in place when it is a set of this cluster's own."""
    if not theirs:
        return mine
    if not mine:
        return theirs  # the other cluster's own set (or a unit's frozenset): it is gone after
    if isinstance(mine, set):
        mine |= theirs
        return mine
    return set(mine) | theirs


def _of_unit(u: Unit) -> Cluster:
    """The cluster of one unit alone."""
    c = Cluster({u.id}, u.type == "PER")
    if u.person is not None:
        if u.person.first and len(u.person.first) > 1:
            c.firsts = {(u.person.first, u.person.surname_word)}
        if u.person.surname_word:
            c.surnames = {u.person.surname_word}
        if u.person.ordinal:
            c.ordinals = {(u.person.surname_word, u.person.ordinal)}
    if u.authority is not None:
        c.authorities = {u.authority}
    if u.gender:
        c.genders = {u.gender}
    if u.group:
        c.groups = {u.group}
    return c


def root_of(parent: MutableSequence[int] | MutableMapping[int, int], x: int) -> int:
    """The root of x in a union-find forest (`parent`: a list or a dict), shortening the
    path to it on the way."""
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


def conflict_between(x: Cluster, y: Cluster) -> str | None:
    """Why two clusters cannot be one entity, or None."""
    if x.per != y.per:
        return "person and non-person"
    if x.forbidden & y.members or y.forbidden & x.members:
        return "judged not the same"
    if len(x.genders | y.genders) > 1:
        return "a man and a woman (titles)"
    for name, number in x.ordinals:
        if any(n == name and o != number for n, o in y.ordinals):
            return f"{name} {number} and another {name}"
    if x.authorities and y.authorities and x.authorities != y.authorities:
        return "two authority entries"
    if x.groups and y.groups and not (x.groups & y.groups):
        return "two known organizations"
    for f, fs in x.firsts:
        for g, gs in y.firsts:
            if (fs == gs or keys_match(fs, gs)) and given_compatible(f, g) is None:
                return f"first names {f} {fs} / {g} {gs}"
    for s in x.surnames:
        for t in y.surnames:
            if gendered_pair(s, t):
                return f"gendered surnames {s} / {t}"
    return None


def absorb(x: Cluster, y: Cluster) -> None:
    """Add y's members and constraints to x (not its merges)."""
    x.members |= y.members
    x.firsts = _joined(x.firsts, y.firsts)
    x.surnames = _joined(x.surnames, y.surnames)
    x.authorities = _joined(x.authorities, y.authorities)
    x.genders = _joined(x.genders, y.genders)
    x.ordinals = _joined(x.ordinals, y.ordinals)
    x.groups = _joined(x.groups, y.groups)
    x.forbidden = _joined(x.forbidden, y.forbidden)


def profile_of(c: Cluster) -> dict:
    """What a cluster holds that can keep it from joining another, as plain data."""
    return {
        "per": c.per,
        "firsts": sorted(c.firsts),
        "surnames": sorted(c.surnames),
        "authorities": sorted(c.authorities),
        "genders": sorted(c.genders),
        "ordinals": sorted(c.ordinals),
        "groups": sorted(c.groups),
        "forbidden": sorted(c.forbidden),
    }


def cluster_of_profile(profile: dict) -> Cluster:
    """A cluster holding what `profile_of` says (and no members)."""
    return Cluster(
        members=set(),
        per=profile["per"],
        firsts={tuple(f) for f in profile["firsts"]},
        surnames=set(profile["surnames"]),
        authorities=set(profile["authorities"]),
        genders=set(profile["genders"]),
        ordinals={tuple(o) for o in profile["ordinals"]},
        groups=set(profile["groups"]),
        forbidden=set(profile["forbidden"]),
    )


def holds(c: Cluster, other: Cluster) -> bool:
    """Does `c` hold every constraint `other` has (so that joining it adds none)?"""
    return (
        c.per == other.per
        and other.firsts <= c.firsts
        and other.surnames <= c.surnames
        and other.authorities <= c.authorities
        and other.genders <= c.genders
        and other.ordinals <= c.ordinals
        and other.groups <= c.groups
        and not other.forbidden
    )


def cluster_of(u: Unit) -> Cluster:
    """The cluster of one unit alone."""
    return _of_unit(u)


class Clustering:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.parent = list(range(len(units)))
        # the clusters that merged or were forbidden something; any other root's cluster is
        # its unit's alone, made when asked for (`cluster`)
        self.clusters: dict[int, Cluster] = {}
        self.merged = 0  # merges made so far

    def find(self, x: int) -> int:
        return root_of(self.parent, x)

    def cluster(self, root: int) -> Cluster:
        """The cluster whose root is `root` (a unit alone if it never merged)."""
        found = self.clusters.get(root)
        return found if found is not None else _of_unit(self.units[root])

    def _kept(self, root: int) -> Cluster:
        found = self.clusters.get(root)
        if found is None:
            found = self.clusters[root] = _of_unit(self.units[root])
        return found

    def forbid(self, a: int, b: int) -> None:
        x, y = self._kept(self.find(a)), self._kept(self.find(b))
        x.forbidden = _joined(x.forbidden, {b})
        y.forbidden = _joined(y.forbidden, {a})

    def conflict(self, a: int, b: int) -> str | None:
        """Why the clusters of units a and b cannot be one entity, or None."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        return conflict_between(self.cluster(ra), self.cluster(rb))

    def union(self, a: int, b: int, record: dict | None = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        x, y = self._kept(ra), self.cluster(rb)
        if len(x.members) < len(y.members):
            ra, rb, x, y = rb, ra, y, x
            self.clusters[ra] = x
        self.parent[rb] = ra
        absorb(x, y)
        x.merges.extend(y.merges)
        if record is not None:
            x.merges.append((self.merged, record))
            self.merged += 1
        self.clusters.pop(rb, None)
        return True

    def merges(self, root: int) -> list[dict]:
        """The merges that made a cluster, in the order they were made."""
        return [record for _, record in sorted(self.cluster(root).merges, key=lambda m: m[0])]

    def roots(self) -> dict[int, Cluster]:
        """Every cluster by its root, in the order of the roots."""
        return {r: self.cluster(r) for r, p in enumerate(self.parent) if r == p}
