"""Replaying a run's merges with some pairs added: what `kartoteka.graph_changes` does instead of
merging everything again.

The merge tries pairs in one fixed order (`core.pair_order`) and joins two clusters unless a
constraint forbids it. A pair between two clusters the recorded run also had at that moment
ends as it did then, so its recorded outcome is taken without looking; only a pair touching a
cluster that differs from the recorded run's (one holding a new unit, or one that merged or
stayed apart otherwise than it did) is decided again, by the constraints of the two clusters
as they are now. A cluster is marked as differing from the moment it does, and whatever joins
it does too. The end state is the one a full merge of all the pairs gives; the clusters not
marked are the recorded run's, unchanged.

Only the entities a change reaches need replaying, not all they were ever compared with: a
pair the recorded run kept apart stays apart while the changed cluster holds at least what
it held then (its constraints only grew, and a constraint once met stays met). A cluster
that lost something (a merge it no longer makes) is `diverged`; a pair between it and an
entity outside the replay cannot be decided: its unit is noted (`outside`), and the caller
adds that entity and replays again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kartoteka.resolve.cluster import Cluster, absorb, cluster_of, conflict_between, root_of
from kartoteka.resolve.core import KEPT_APART, MERGED, ONE_ALREADY
from kartoteka.resolve.units import Unit


@dataclass(slots=True)
class Step:
    """One pair to try: its id, its two units, and what the recorded run made of it (None:
    a pair the recorded run did not have)."""

    pair: int
    left: int
    right: int
    recorded: int | None
    #: a pair the recorded run had and a full run would not have now
    removed: bool = False


@dataclass
class Replay:
    """The clusters of some units, replayed pair by pair. `unit(id)` gives a unit's name
    features (what its cluster's constraints are made of), asked only for the units of
    clusters whose pairs are decided again."""

    unit: Callable[[int], Unit]
    parent: dict[int, int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)
    merges: dict[int, list[int]] = field(default_factory=dict)
    #: roots of the clusters that differ from the recorded run's
    changed: set[int] = field(default_factory=set)
    #: ... of those, the ones that do not hold all the recorded run's cluster held
    diverged: set[int] = field(default_factory=set)
    #: pair id -> what it came to now, for the pairs whose outcome is not the recorded one
    outcomes: dict[int, int] = field(default_factory=dict)
    #: pair id -> its place in the order tried
    tried: dict[int, int] = field(default_factory=dict)
    #: units outside the replay that a diverged cluster met (or that a pair recorded as
    #: joined with one: the caller gave too little)
    outside: set[int] = field(default_factory=set)
    _constraints: dict[int, Cluster] = field(default_factory=dict)

    def add(self, units: Iterable[int], changed: bool = False, diverged: bool = False) -> None:
        for u in units:
            self.parent[u] = u
            self.members[u] = [u]
            self.merges[u] = []
            if changed or diverged:
                self.changed.add(u)
            if diverged:
                self.diverged.add(u)

    def find(self, x: int) -> int:
        return root_of(self.parent, x)

    def run(self, steps: Iterable[Step]) -> None:
        for step in steps:
            self.tried[step.pair] = len(self.tried)
            self.try_pair(step)

    def try_pair(self, step: Step) -> None:
        if step.removed:  # a unit of it is gone, or a full run no longer finds it
            if step.recorded == MERGED:  # the recorded run joined here: now they do not
                self._diverge(*(self.find(u) for u in (step.left, step.right) if u in self.parent))
            return
        for unit, other in ((step.left, step.right), (step.right, step.left)):
            if other not in self.parent:  # an entity not replayed: it was kept apart
                if unit not in self.parent or step.recorded not in (KEPT_APART, None):
                    self.outside.add(other)
                elif self.find(unit) in self.diverged:
                    self.outside.add(other)
                return
        ra, rb = self.find(step.left), self.find(step.right)
        if ra == rb:
            now = ONE_ALREADY
        elif step.recorded is not None and ra not in self.changed and rb not in self.changed:
            now = step.recorded
        else:
            conflict = conflict_between(self._cluster(ra), self._cluster(rb))
            now = MERGED if conflict is None else KEPT_APART
        if now != step.recorded:
            self.outcomes[step.pair] = now
        if now == MERGED:
            was_changed = ra in self.changed or rb in self.changed
            was_diverged = ra in self.diverged or rb in self.diverged
            root = self._union(ra, rb, step.pair)
            if was_changed or step.recorded != MERGED:
                self.changed.add(root)
            if was_diverged:
                self.diverged.add(root)
        elif now == KEPT_APART and step.recorded in (MERGED, ONE_ALREADY):
            self._diverge(ra, rb)  # the recorded run had them together

    def _diverge(self, *roots: int) -> None:
        self.changed.update(roots)
        self.diverged.update(roots)

    def _union(self, ra: int, rb: int, pair: int) -> int:
        """Join rb's cluster into ra's, the larger absorbing the smaller (ra on a tie), as
        `Clustering.union` does."""
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        self.merges[ra].extend(self.merges.pop(rb))
        self.merges[ra].append(pair)
        x, y = self._constraints.pop(ra, None), self._constraints.pop(rb, None)
        if x is not None and y is not None:
            absorb(x, y)
            self._constraints[ra] = x
        self.changed.discard(rb)
        self.diverged.discard(rb)
        return ra

    def _cluster(self, root: int) -> Cluster:
        found = self._constraints.get(root)
        if found is None:
            members = self.members[root]
            found = cluster_of(self.unit(members[0]))
            for u in members[1:]:
                absorb(found, cluster_of(self.unit(u)))
            self._constraints[root] = found
        return found

    def constraints(self, root: int) -> Cluster:
        """The constraints of a cluster (by its root) as they stand."""
        return self._cluster(root)

    def merges_of(self, root: int) -> list[int]:
        """The pairs that made a cluster, in the order they were tried."""
        return sorted(self.merges[root], key=self.tried.__getitem__)

    def roots(self) -> list[int]:
        return list(self.members)
