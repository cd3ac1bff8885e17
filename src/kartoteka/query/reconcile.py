"""The index as a reconciliation service (the Reconciliation Service API v0.2, what OpenRefine
speaks): a user's list of names is matched against the entities, aliases counted.

Entities are identified by their `key` ("per-anton-kessler"), which stays the same when
resolution runs again while the entity keeps its mentions (ids do not). A query is compared
with every name and alias of an entity, in the project's own name forms: folded to ASCII
lower case, a person's titles left out ("General Jan Orlik" is "jan orlik"), an
organization's article and possessive left out. The score is 100 × the weighted sum of the
named features below for the entity's best name; `match` is true only when a name or alias is
the query itself (in that form) and no other entity has it.

>>> name_features("Gen. Jan Orlik", "Jan Orlik", "PER")["name_equal"]
1.0
>>> name_features("Jeschow", "Yezhov", "PER")["name_key"]
1.0
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from kartoteka.query.errors import BadValue, NotFound
from kartoteka.query.sources import source_labels
from kartoteka.resolve.names import (
    acronym,
    fold,
    givens_compatible,
    org_group,
    org_norm,
    parse_person,
    phonetic_keys,
)
from kartoteka.store import Store

__all__ = [
    "TYPES",
    "WEIGHTS",
    "manifest",
    "parse_queries",
    "reconcile",
    "name_features",
    "entity_for_key",
    "preview",
]

#: our entity types as reconciliation types
TYPES = {"PER": "Person", "ORG": "Organization", "PLACE": "Place"}

#: What matching believes, in one place: feature -> weight (they sum to 1).
#: - name_equal: the query is this name or alias, in the name form of its type;
#: - name_similarity: Jaro-Winkler similarity of the two name forms (a person asked for by
#:   one word: of that word and the surname);
#: - name_key: for a person, the surnames share a transliteration-aware phonetic key and
#:   the given names do not clash ("Jeschow" / "Nikolai Yezhov"); for an organization or a
#:   place, the share of the query's words that sound like a word of the name, or one known
#:   group or acronym ("NKVD" / "People's Commissariat for Internal Affairs").
WEIGHTS = {"name_equal": 0.3, "name_similarity": 0.5, "name_key": 0.2}

#: candidates scoring below this are not shown
MIN_SCORE = 50.0
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
#: queries in one batch; OpenRefine sends 10 at a time
BATCH_SIZE = 50


def manifest(base_url: str, name: str) -> dict:
    """The service manifest, for a service at `base_url` (no trailing slash)."""
    return {
        "versions": ["0.2"],
        "name": f"kartoteka: {name}",
        "identifierSpace": f"{base_url}/entity/",
        "schemaSpace": f"{base_url}/reconcile/types/",
        "defaultTypes": [{"id": t, "name": n} for t, n in TYPES.items()],
        "view": {"url": f"{base_url}/reconcile/view?id={{{{id}}}}"},
        "preview": {
            "url": f"{base_url}/reconcile/preview?id={{{{id}}}}",
            "width": 400,
            "height": 220,
        },
        "batchSize": BATCH_SIZE,
    }


# name forms and features ------------------------------------------------------------------


def name_form(name: str, kind: str) -> str:
    """A name as compared: a person's without titles, an organization's or place's without
    an article or possessive; folded either way."""
    if kind == "PER":
        person = parse_person(name)
        return " ".join((*person.given, person.surname)).strip() or fold(name)
    return org_norm(name)


def _word_keys(form: str) -> list[frozenset[str]]:
    return [phonetic_keys(w) for w in form.split() if len(w) > 1]


def _key_feature(query: str, name: str, q_form: str, n_form: str, kind: str) -> float:
    if kind == "PER":
        q, n = parse_person(query), parse_person(name)
        if not q.surname_word or not n.surname_word:
            return 0.0
        sounds = bool(phonetic_keys(q.surname_word) & phonetic_keys(n.surname_word))
        return 1.0 if sounds and givens_compatible(q.given, n.given) is not None else 0.0
    group = org_group(query, kind)
    if group is not None and group == org_group(name, kind):
        return 1.0
    if q_form and (acronym(name) == q_form.replace(" ", "") or acronym(query) == n_form):
        return 1.0
    q_keys, n_keys = _word_keys(q_form), _word_keys(n_form)
    if not q_keys or not n_keys:
        return 0.0
    return sum(1 for k in q_keys if any(k & other for other in n_keys)) / max(
        len(q_keys), len(n_keys)
    )


def name_features(query: str, name: str, kind: str) -> dict[str, float]:
    """The features of one query against one name of an entity of type `kind`."""
    q_form, n_form = name_form(query, kind), name_form(name, kind)
    compared = (q_form, n_form)
    if kind == "PER" and parse_person(query).bare and not parse_person(name).bare:
        compared = (parse_person(query).surname, parse_person(name).surname)
    return {
        "name_equal": 1.0 if q_form and q_form == n_form else 0.0,
        "name_similarity": round(JaroWinkler.similarity(*compared), 4),
        "name_key": round(_key_feature(query, name, q_form, n_form, kind), 4),
    }


def _score(features: dict[str, float]) -> float:
    return round(100 * sum(WEIGHTS[k] * v for k, v in features.items()), 1)


# the names of the index -------------------------------------------------------------------


@dataclass
class _Names:
    """Every name and alias of every entity in its name form, and look-ups to find the
    names worth scoring for a query without scoring them all."""

    entities: dict[int, dict]
    names: list[tuple[int, str]] = field(default_factory=list)  # (entity id, name)
    forms: list[str] = field(default_factory=list)  # the name form of names[i]
    by_form: dict[str, list[int]] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)

    def add(self, entity_id: int, name: str, kind: str) -> None:
        i = len(self.names)
        form = name_form(name, kind)
        self.names.append((entity_id, name))
        self.forms.append(form)
        self.by_form.setdefault(form, []).append(i)
        for keys in _word_keys(form)[-1:] if kind == "PER" else _word_keys(form):
            for key in keys:
                self.by_key.setdefault(key, []).append(i)

    def near(self, query: str, kinds: list[str]) -> set[int]:
        """Indices of the names that may answer to `query`: the same form, a shared word
        key, or a similar form."""
        found: set[int] = set()
        for kind in kinds:
            form = name_form(query, kind)
            found.update(self.by_form.get(form, ()))
            for keys in _word_keys(form):
                for key in keys:
                    found.update(self.by_key.get(key, ()))
            for _, _, i in process.extract(
                form, self.forms, scorer=JaroWinkler.similarity, score_cutoff=0.8, limit=50
            ):
                found.add(i)
        return found


_cached: dict[str, tuple[str, _Names]] = {}  # store path -> (names signature, names)


def _names(store: Store) -> _Names:
    """The names of the index, built once per state of the entities: the search index's
    signature of the names (kept fresh by the corpus stages) says when they changed."""
    row = store.conn.execute("SELECT signature FROM search_state WHERE what = 'names'").fetchone()
    signature = row[0] if row else None
    if signature is not None and store.path in _cached and _cached[store.path][0] == signature:
        return _cached[store.path][1]
    entities = {
        r["id"]: dict(r)
        for r in store.conn.execute(
            "SELECT id, key, name, type, mention_count, doc_count FROM entities"
        )
    }
    names = _Names(entities)
    for e in entities.values():
        names.add(e["id"], e["name"], e["type"])
    for r in store.conn.execute("SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias"):
        entity = entities.get(r["entity_id"])
        if entity is not None and fold(r["alias"]) != fold(entity["name"]):
            names.add(entity["id"], r["alias"], entity["type"])
    if signature is not None and store.path != ":memory:":
        _cached.clear()  # one store per app: keep only its latest names
        _cached[store.path] = (signature, names)
    return names


# queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One reconciliation query, checked."""

    text: str
    types: tuple[str, ...]  # empty: any type
    limit: int


def parse_queries(raw: str | dict) -> dict[str, Query]:
    """A query batch (its JSON text or the decoded object) as checked queries; BadValue
    says what is wrong with it."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise BadValue("queries is not JSON; send a JSON object of queries") from None
    if not isinstance(raw, dict):
        raise BadValue('queries is a JSON object: {"q0": {"query": "..."}, ...}')
    if len(raw) > BATCH_SIZE:
        raise BadValue(f"at most {BATCH_SIZE} queries in a batch (the manifest's batchSize)")
    return {str(key): _query(key, value) for key, value in raw.items()}


def _query(key: str, value: object) -> Query:
    if not isinstance(value, dict):
        raise BadValue(f"query {key!r} is not an object")
    text = value.get("query", "")
    if not isinstance(text, str):
        raise BadValue(f"query {key!r}: `query` is a string")
    types = value.get("type") or ()
    types = (types,) if isinstance(types, str) else types
    if not isinstance(types, list | tuple) or not all(isinstance(t, str) for t in types):
        raise BadValue(f"query {key!r}: `type` is a type id or a list of them")
    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 1:
        raise BadValue(f"query {key!r}: `limit` is a positive whole number")
    return Query(text.strip(), tuple(t.upper() for t in types), min(int(limit), MAX_LIMIT))


def reconcile(store: Store, queries: dict[str, Query]) -> dict:
    """The result batch: for each query, its candidates, best first."""
    names = _names(store)
    return {key: {"result": candidates(store, names, query)} for key, query in queries.items()}


def candidates(store: Store, names: _Names, query: Query) -> list[dict]:
    if not query.text:
        return []
    kinds = [t for t in query.types if t in TYPES] if query.types else list(TYPES)
    by_key = {e["key"]: e for e in names.entities.values()}
    if query.text in by_key and by_key[query.text]["type"] in kinds:  # an id asked for
        entity = by_key[query.text]
        features = {"name_equal": 1.0, "name_similarity": 1.0, "name_key": 1.0}
        return [_candidate(entity, features, match=True)]
    best: dict[int, dict[str, float]] = {}
    for i in names.near(query.text, kinds):
        entity_id, name = names.names[i]
        kind = names.entities[entity_id]["type"]
        if kind not in kinds:
            continue
        features = name_features(query.text, name, kind)
        if entity_id not in best or _score(features) > _score(best[entity_id]):
            best[entity_id] = features
    ranked = sorted(
        ((_score(f), f, names.entities[e]) for e, f in best.items() if _score(f) >= MIN_SCORE),
        key=lambda c: (-c[0], -c[2]["mention_count"], c[2]["name"]),
    )[: query.limit]
    exact = [c for c in ranked if c[1]["name_equal"] == 1.0]
    return [_candidate(e, f, match=len(exact) == 1 and exact[0][2] is e) for _, f, e in ranked]


def _candidate(entity: dict, features: dict[str, float], *, match: bool) -> dict:
    docs = entity["doc_count"]
    return {
        "id": entity["key"],
        "name": entity["name"],
        "type": [{"id": entity["type"], "name": TYPES.get(entity["type"], entity["type"])}],
        "score": _score(features),
        "match": match,
        "description": f"{TYPES.get(entity['type'], entity['type'])}, {entity['mention_count']}"
        f" mentions in {docs} document{'s' if docs != 1 else ''}",
        "features": [{"id": k, "value": v} for k, v in features.items()],
    }


# view and preview -------------------------------------------------------------------------


def entity_for_key(store: Store, key: str) -> dict:
    """The entity a reconciliation id names (its key), or NotFound."""
    row = store.conn.execute(
        "SELECT id, key, name, type, identifier, mention_count, doc_count FROM entities"
        " WHERE key = ?",
        (key,),
    ).fetchone()
    if row is None:
        raise NotFound(
            f"no entity {key!r}; it may have been merged or renamed since it was reconciled:"
            " reconcile the name again"
        )
    return dict(row)


def preview(store: Store, key: str, *, mentions: int = 3) -> dict:
    """A small card for an entity: its names, counts, and a few mentions in context with
    their source ("Dewar 1951")."""
    entity = entity_for_key(store, key)
    aliases = [
        r[0]
        for r in store.conn.execute(
            "SELECT alias FROM aliases WHERE entity_id = ? AND alias != ?"
            " ORDER BY count DESC, alias LIMIT 8",
            (entity["id"], entity["name"]),
        )
    ]
    labels = source_labels(store)
    passages = [
        {
            "doc": r["doc_id"],
            "source": labels.get(r["doc_id"], ""),
            "text": " ".join((r["sentence"] or r["text"]).split()),
        }
        for r in store.conn.execute(
            'SELECT m.doc_id, m.text, substr(d.text, s.start + 1, s."end" - s.start) AS sentence'
            " FROM mentions m JOIN documents d ON d.id = m.doc_id"
            " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence"
            " WHERE m.entity_id = ? ORDER BY m.doc_id, m.start LIMIT ?",
            (entity["id"], mentions),
        )
    ]
    return {
        **entity,
        "type_name": TYPES.get(entity["type"], entity["type"]),
        "aliases": aliases,
        "passages": passages,
    }
