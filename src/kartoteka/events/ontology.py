"""The event ontology as data: types, trigger words, conditional patterns and role slots.

The shipped `ontology.toml` is read with `load_ontology()`; a user file given with
`extra=` is merged over it (its trigger lists extend ours, its role tables override ours, its
patterns come first so they win). Bad files raise `OntologyError` saying what to fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = [
    "Ontology",
    "EventType",
    "Trigger",
    "Condition",
    "OntologyError",
    "load_ontology",
    "ROLES",
]

ROLES = ("agent", "patient", "recipient", "partner", "place")
_CONDITION_KINDS = {
    "obj",
    "obj_lemma",
    "prep",
    "xcomp",
    "prt",
    "sent",
    "near",
    "poss_or_of",
    "claim",
    "clause",
    "subj_lemma",
    "advmod",
    "obj_name",
    "attr_lemma",
    "copula",
    "time",
    "under",
    "support",
}


class OntologyError(ValueError):
    """An ontology file cannot be used; the message says which entry and why."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One `requires`/`forbids` entry: `kind:values` (see ontology.toml)."""

    kind: str  # obj, obj_lemma, prep, xcomp, prt, sent, near, poss_or_of, claim, clause, or a preposition
    values: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    description: str = ""
    key_roles: tuple[str, ...] = ()
    once: bool = False  # can happen only once to its key participants (a death)
    min_roles: int = 0
    verb_roles: dict[str, str] = field(default_factory=dict)
    noun_roles: dict[str, str] = field(default_factory=dict)
    #: may take the narrative time as its date (a birth is not in the story's time)
    narrative: bool = True
    #: a life event of a person (birth, death): a fact of their card, exported apart from
    #: the events of the story (`life_events` in the JSON export)
    life: bool = False


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    lemmas: frozenset[str]
    pos: str | None  # VERB, NOUN or None for either
    requires: tuple[Condition, ...] = ()
    forbids: tuple[Condition, ...] = ()
    roles: dict[str, str] | None = None  # overrides the type's table
    source: str = "list"  # "list" (verbs/nouns of a type) or "pattern N"
    #: more types the same words tell ("fled the country" is a movement and a defection)
    also: tuple[str, ...] = ()


@dataclass(slots=True)
class Ontology:
    version: str
    types: dict[str, EventType]
    triggers: list[Trigger]
    support_verbs: frozenset[str]
    generic_modifiers: frozenset[str]
    pronouns: dict[str, frozenset[str]]
    gender: dict[str, frozenset[str]]
    generic_determiners: frozenset[str] = frozenset()
    receive_verbs: frozenset[str] = frozenset()
    averting_heads: frozenset[str] = frozenset()
    #: how sure the source is: word lists by cue (`[modality]` in ontology.toml)
    modality: dict[str, frozenset[str]] = field(default_factory=dict)
    #: what makes a date no event's date (`[dates]` in ontology.toml)
    dates: dict[str, frozenset[str]] = field(default_factory=dict)
    #: nouns whose definite use ("the defector") points back to the one named entity the
    #: text called so before
    descriptive_nouns: frozenset[str] = frozenset()
    #: verbs of going somewhere: what a verb joined to one does there is done to whom it went
    going_verbs: frozenset[str] = frozenset()
    #: "ordered the NKVD to arrest him": verbs whose object does what follows "to"; with
    #: `ordering_verbs` the subject ordered it
    object_control_verbs: frozenset[str] = frozenset()
    ordering_verbs: frozenset[str] = frozenset()
    by_lemma: dict[str, list[Trigger]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[Trigger]] = {}
        for trig in self.triggers:
            for lemma in trig.lemmas:
                index.setdefault(lemma, []).append(trig)
        self.by_lemma = index

    def roles_for(self, trig: Trigger, is_noun: bool) -> dict[str, str]:
        if trig.roles is not None:
            return trig.roles
        t = self.types[trig.type]
        return t.noun_roles if is_noun else t.verb_roles


def _parse_condition(text: str, where: str) -> Condition:
    kind, _, values = str(text).partition(":")
    kind = kind.strip()
    if not kind:
        raise OntologyError(f"{where}: empty condition {text!r}; write it as kind:value|value")
    # "to|into:ORG": any of these prepositions names an organization
    if kind not in _CONDITION_KINDS and not all(k.isalpha() for k in kind.split("|")):
        raise OntologyError(
            f"{where}: unknown condition {kind!r}; use one of "
            f"{sorted(_CONDITION_KINDS)} or a preposition (or several: in|into)"
        )
    vals = frozenset(v.strip() for v in values.split("|") if v.strip())
    return Condition(kind, vals)


def _as_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise OntologyError(f"{where}: expected a word or a list of words, got {value!r}")


def _check_roles(table: dict, where: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise OntologyError(f'{where}: roles must be a table slot = "role"')
    for slot, role in table.items():
        if role not in ROLES:
            raise OntologyError(f"{where}: slot {slot!r} maps to {role!r}; roles are {ROLES}")
    return dict(table)


def _merge_raw(base: dict, extra: dict) -> dict:
    """Extend `base` with a user file: lists grow, tables override key by key."""
    out = dict(base)
    for key in (
        "support_verbs",
        "generic_modifiers",
        "generic_determiners",
        "receive_verbs",
        "going_verbs",
        "object_control_verbs",
        "ordering_verbs",
        "averting_heads",
        "descriptive_nouns",
    ):
        out[key] = list(base.get(key, [])) + list(extra.get(key, []))
    for key in ("pronouns", "gender", "defaults", "modality", "dates"):
        merged = {
            k: dict(v) if isinstance(v, dict) else list(v) for k, v in base.get(key, {}).items()
        }
        for k, v in extra.get(key, {}).items():
            if isinstance(v, dict):
                merged.setdefault(k, {}).update(v)
            else:
                merged[k] = list(merged.get(k, [])) + list(v)
        out[key] = merged
    types = {k: dict(v) for k, v in base.get("types", {}).items()}
    for name, spec in extra.get("types", {}).items():
        cur = types.setdefault(name, {})
        for k, v in spec.items():
            if k in ("verbs", "nouns") and k in cur:
                cur[k] = list(cur[k]) + list(v)
            elif isinstance(v, dict) and isinstance(cur.get(k), dict):
                cur[k] = {**cur[k], **v}
            else:
                cur[k] = v
    out["types"] = types
    # the user's words first: the first trigger that fits a word wins, so a user's ELECTION
    # takes "elect" from our APPOINTMENT
    out["user_types"] = list(extra.get("types", {}))
    # the user's patterns first: the first trigger that fits a word wins
    out["patterns"] = list(extra.get("patterns", [])) + list(base.get("patterns", []))
    if "version" in extra:
        out["version"] = f"{base.get('version')}+{extra['version']}"
    return out


def _build_types(raw: dict) -> tuple[dict[str, EventType], list[Trigger]]:
    """The event types and the triggers their verb and noun lists make."""
    defaults = raw.get("defaults", {})
    dverb = _check_roles(defaults.get("verb_roles", {}), "defaults.verb_roles")
    dnoun = _check_roles(defaults.get("noun_roles", {}), "defaults.noun_roles")
    types: dict[str, EventType] = {}
    list_triggers: list[Trigger] = []
    for name, spec in raw.get("types", {}).items():
        where = f"types.{name}"
        if not name.isupper():
            raise OntologyError(f"{where}: type names are upper case (BATTLE, ELECTION)")
        vr = {**dverb, **_check_roles(spec.get("verb_roles", {}), where + ".verb_roles")}
        nr = {**dnoun, **_check_roles(spec.get("noun_roles", {}), where + ".noun_roles")}
        key_roles = tuple(_as_list(spec.get("key_roles", []), where + ".key_roles"))
        for r in key_roles:
            if r not in ROLES:
                raise OntologyError(f"{where}.key_roles: {r!r} is not a role {ROLES}")
        types[name] = EventType(
            name,
            spec.get("description", ""),
            key_roles,
            bool(spec.get("once", False)),
            int(spec.get("min_roles", 0)),
            vr,
            nr,
            bool(spec.get("narrative", True)),
            bool(spec.get("life", False)),
        )
        verbs = _as_list(spec.get("verbs", []), where + ".verbs")
        nouns = _as_list(spec.get("nouns", []), where + ".nouns")
        if verbs:
            list_triggers.append(Trigger(name, frozenset(v.lower() for v in verbs), "VERB"))
        if nouns:
            list_triggers.append(Trigger(name, frozenset(n.lower() for n in nouns), "NOUN"))
    users = set(raw.get("user_types", ()))
    list_triggers.sort(key=lambda t: t.type not in users)  # stable: ours keep their order
    return types, list_triggers


def _build_pattern(i: int, spec: dict, types: dict[str, EventType]) -> Trigger:
    where = f"patterns[{i}]"
    for name in [spec.get("type")] + _as_list(spec.get("also", []), where + ".also"):
        if name not in types:
            raise OntologyError(
                f"{where}: type {name!r} is not declared under [types]; add a [types.NAME] "
                "table first"
            )
    pos = spec.get("pos")
    if pos not in (None, "VERB", "NOUN"):
        raise OntologyError(f"{where}: pos is VERB or NOUN, not {pos!r}")
    roles = spec.get("roles")
    return Trigger(
        spec["type"],
        frozenset(v.lower() for v in _as_list(spec.get("lemma", []), where + ".lemma")),
        pos,
        tuple(_parse_condition(c, where) for c in spec.get("requires", [])),
        tuple(_parse_condition(c, where) for c in spec.get("forbids", [])),
        _check_roles(roles, where + ".roles") if roles is not None else None,
        f"pattern {i}",
        tuple(_as_list(spec.get("also", []), where + ".also")),
    )


def _build(raw: dict) -> Ontology:
    types, list_triggers = _build_types(raw)
    patterns = [_build_pattern(i, spec, types) for i, spec in enumerate(raw.get("patterns", []))]
    tables = {
        key: {k: frozenset(v) for k, v in raw.get(key, {}).items()}
        for key in ("pronouns", "gender", "modality", "dates")
    }
    return Ontology(
        str(raw.get("version", "unversioned")),
        types,
        patterns + list_triggers,
        frozenset(raw.get("support_verbs", [])),
        frozenset(raw.get("generic_modifiers", [])),
        tables["pronouns"],
        tables["gender"],
        frozenset(raw.get("generic_determiners", [])),
        frozenset(raw.get("receive_verbs", [])),
        frozenset(raw.get("averting_heads", [])),
        tables["modality"],
        tables["dates"],
        frozenset(raw.get("descriptive_nouns", [])),
        going_verbs=frozenset(raw.get("going_verbs", [])),
        object_control_verbs=frozenset(raw.get("object_control_verbs", [])),
        ordering_verbs=frozenset(raw.get("ordering_verbs", [])),
    )


def _read(path: Path | str) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as e:
        raise OntologyError(f"{path}: no such ontology file") from e
    except tomllib.TOMLDecodeError as e:
        raise OntologyError(f"{path}: not valid TOML ({e})") from e


def load_ontology(extra: str | Path | None = None) -> Ontology:
    """The shipped ontology, extended by the TOML file `extra` if given."""
    raw = tomllib.loads(
        resources.files("kartoteka.events").joinpath("ontology.toml").read_text("utf-8")
    )
    if extra is not None:
        raw = _merge_raw(raw, _read(extra))
    return _build(raw)
