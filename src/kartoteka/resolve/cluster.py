"""Constrained greedy clustering: pairs are merged best first unless the two clusters hold
something that cannot be one entity (two incompatible first names, a man's and a woman's form
of a surname, two authority entries, a person's "not the same" judgement, PER with ORG).
This is correlation clustering's usual greedy approximation with cannot-links; it is linear
in the number of pairs (times the small size of the constraint sets).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kartoteka.resolve.names import gendered_pair, given_compatible, keys_match
from kartoteka.resolve.units import Unit


@dataclass(slots=True)
class Cluster:
    members: set[int]
    per: bool
    # (first given name, surname) of its full names: an authority entry may list an alias
    # with another surname (Samuel Ginsberg for Walter Krivitsky), so first names only clash
    # under related surnames
    firsts: set[tuple[str, str]] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    authorities: set[int] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)  # from titles: Mr. / Mrs.
    ordinals: set[tuple[str, str]] = field(default_factory=set)  # (name, regnal number)
    groups: set[str] = field(default_factory=set)
    forbidden: set[int] = field(default_factory=set)  # units this cluster must not join
    merges: list[dict] = field(default_factory=list)


class Clustering:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.parent = list(range(len(units)))
        self.clusters: dict[int, Cluster] = {}
        for u in units:
            c = Cluster({u.id}, u.type == "PER")
            if u.person is not None:
                if u.person.first and len(u.person.first) > 1:
                    c.firsts.add((u.person.first, u.person.surname_word))
                if u.person.surname_word:
                    c.surnames.add(u.person.surname_word)
            if u.authority is not None:
                c.authorities.add(u.authority)
            if u.gender:
                c.genders.add(u.gender)
            if u.person is not None and u.person.ordinal:
                c.ordinals.add((u.person.surname_word, u.person.ordinal))
            if u.group:
                c.groups.add(u.group)
            self.clusters[u.id] = c

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def forbid(self, a: int, b: int) -> None:
        self.clusters[self.find(a)].forbidden.add(b)
        self.clusters[self.find(b)].forbidden.add(a)

    def conflict(self, a: int, b: int) -> str | None:
        """Why the clusters of units a and b cannot be one entity, or None."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        x, y = self.clusters[ra], self.clusters[rb]
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

    def union(self, a: int, b: int, record: dict | None = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        x, y = self.clusters[ra], self.clusters[rb]
        if len(x.members) < len(y.members):
            ra, rb, x, y = rb, ra, y, x
        self.parent[rb] = ra
        x.members |= y.members
        x.firsts |= y.firsts
        x.surnames |= y.surnames
        x.authorities |= y.authorities
        x.genders |= y.genders
        x.ordinals |= y.ordinals
        x.groups |= y.groups
        x.forbidden |= y.forbidden
        x.merges.extend(y.merges)
        if record is not None:
            x.merges.append(record)
        del self.clusters[rb]
        return True

    def roots(self) -> dict[int, Cluster]:
        return self.clusters
