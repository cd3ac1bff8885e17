"""The blocking keys of each unit: what incremental resolution (`kartoteka.incremental`) needs
to find every unit a changed name can be compared with, without running resolution.

Two units of different documents are only ever compared when they share one of these keys,
the keys `candidates.across_documents` blocks on (a unit's signature, and for persons the
phonetic keys of the surname, a ruler's name and number, a first name with a surname's
ending; for other names a known organization, the last word's phonetic keys, an acronym).
Keep the two in step: tests/test_incremental.py compares incremental and full runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from kartoteka.resolve.names import acronym, given_groups, phonetic_keys, strip_possessive
from kartoteka.resolve.types import Authority, MentionRecord
from kartoteka.resolve.units import Unit, build_units


def _keys(u: Unit) -> frozenset[str]:
    keys = {f"S|{u.type == 'PER'}|{u.norm}"} if u.norm else set()
    if u.type == "PER" and u.person is not None:
        keys |= {f"P|{k}" for k in u.keys}
        surname, first = u.person.surname_word, u.person.first
        if u.person.ordinal:
            keys |= {f"R|{u.person.ordinal}|{g}" for g in given_groups(surname) or {surname}}
        if not u.person.bare and first and len(first) > 1 and len(surname) >= 6:
            keys.add(f"F|{min(given_groups(first), default=first)}|{surname[-4:]}")
    elif u.type != "PER":
        words = u.norm.split()
        keys |= {f"N|{len(words)}|{k}" for k in phonetic_keys(words[-1])} if words else set()
        keys |= {f"G|{u.group}"} if u.group else set()
        if u.type == "ORG":
            short = " " not in u.norm and u.name.replace(".", "").isupper()
            keys |= {f"A|{x}" for x in (u.norm if short else None, acronym(u.name)) if x}
    return frozenset(keys)


def blocking_keys(
    mentions: Sequence[MentionRecord], authorities: Sequence[Authority] = ()
) -> tuple[dict[int, tuple[str, frozenset[str]]], list[frozenset[str]]]:
    """Mention id -> (the name of its unit, the unit's keys); and per authority entry the
    keys of all its variants (an entry joins them all).

    The keys come from a unit's name and type alone, so they are worked out once per name
    and type, not per unit; a unit whose mentions differ in type gets the keys of each."""
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    unit_of: dict[int, tuple[str, str]] = {}
    for m in mentions:
        unit = (m.doc, unit_name(m))
        kinds[unit].add(m.type)
        unit_of[m.id] = unit
    keys = {unit: name_keys(unit[1], found) for unit, found in kinds.items()}
    by_mention = {m: (unit[1], keys[unit]) for m, unit in unit_of.items()}
    entries: list[frozenset[str]] = [frozenset() for _ in authorities]
    for u in build_units([], authorities):
        if u.authority is not None:
            entries[u.authority] |= _keys(u)
    return by_mention, entries


def unit_name(m: MentionRecord) -> str:
    """The name of the unit a mention is in, as `build_units` makes it."""
    return strip_possessive(m.name or m.text) or m.text


def name_keys(name: str, kinds: Iterable[str]) -> frozenset[str]:
    """The keys of a unit of this name whose mentions are of these types."""
    return frozenset().union(*(_name_keys(name, kind) for kind in kinds))


@lru_cache(maxsize=262144)
def _name_keys(name: str, kind: str) -> frozenset[str]:
    return _keys(build_units([MentionRecord(0, "", 0, 0, name, name, kind)])[0])
