"""Incremental resolution (issue 14 item 3): after documents are added, replaced or removed,
or a judgement is made, only the name blocks the change touches are resolved again, and the
store ends up exactly as a full run leaves it; entities the change does not touch keep their
ids. Hermetic: documents are written with the store's own writer, no spaCy.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartoteka.corpus import resolve_corpus
from kartoteka.model import Annotation, Document, Mention, Span, StatedLink
from kartoteka.read.offsets import OffsetMap
from kartoteka.resolve import Judgement, Ref, ResolveConfig
from kartoteka.store import Store
from kartoteka.store.documents import write_document
from kartoteka.store.resolution import append_judgement

TITLES = ("General", "Colonel", "Mr.", "Mrs.", "Comrade")


def annotated(text: str) -> tuple[str, Annotation]:
    """A text written with its names marked, "{General Krivitsky} fled to {Paris:PLACE}.",
    as the plain text and its annotation (sentences end at '. ', "{X}, alias {Y}" a stated
    link)."""
    plain, mentions = "", []
    pos = 0
    for m in re.finditer(r"\{([^}:]+)(?::(\w+))?\}", text):
        plain += text[pos : m.start()]
        surface, kind = m.group(1), m.group(2) or "PER"
        start = len(plain)
        plain += surface
        first, _, rest = surface.partition(" ")
        title = first if first in TITLES and rest else None
        mentions.append(
            Mention(start, len(plain), surface, kind, rest if title else surface, title=title)
        )
        pos = m.end()
    plain += text[pos:]
    sentences = [Span(s.start(), s.end(), s.group()) for s in re.finditer(r"[^.]+\.?", plain)]
    for mention in mentions:
        mention.sentence = next(
            i for i, s in enumerate(sentences) if s.start <= mention.start < s.end
        )
    # "{X}, alias {Y}" states that the two are one, as the identity stage finds it
    links = [
        StatedLink(k, k + 1, "alias", a.start, b.end)
        for k, (a, b) in enumerate(zip(mentions, mentions[1:]))
        if plain[a.end : b.start] == ", alias "
    ]
    annotation = Annotation(
        sentences=sentences, mentions=mentions, words=len(plain.split()), links=links
    )
    return plain, annotation


def put(store: Store, name: str, text: str) -> None:
    """Write (or replace) a document as ingest does, one transaction."""
    plain, annotation = annotated(text)
    document = Document(
        path=f"/corpus/{name}",
        name=name,
        sha256=str(hash(plain)),
        text=plain,
        clean_text=plain,
        offset_map=OffsetMap.identity(len(plain)),
    )
    with store.transaction() as conn:
        write_document(conn, document, annotation, pipeline_version="test", run_id=None)


def judge(store: Store, kind: str, left, right=(), value: str | None = None) -> None:
    """Log a judgement as curation does, leaving the corpus stages to the test."""
    judgement = Judgement(kind, tuple(left), tuple(right), value, "tester", "2026-01-01")
    with store.transaction() as conn:
        append_judgement(conn, judgement)


def remove(store: Store, name: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE name = ?", (name,))


def canonical(store: Store) -> dict:
    """What resolution wrote, without the ids a full run and an incremental one may number
    differently (the ids of untouched entities are checked apart)."""
    conn = store.conn
    path = dict(conn.execute("SELECT id, path FROM documents").fetchall())
    key = dict(conn.execute("SELECT id, key FROM entities").fetchall())
    entities = {}
    for row in conn.execute("SELECT * FROM entities"):
        entities[row["key"]] = {
            "type": row["type"],
            "name": row["name"],
            "identifier": row["identifier"],
            "counts": (row["mention_count"], row["doc_count"]),
            "explanation": json.loads(row["explanation"]),
            "aliases": sorted(
                (a["alias"], a["count"], sorted(path[d] for d in json.loads(a["doc_ids"])))
                for a in conn.execute("SELECT * FROM aliases WHERE entity_id = ?", (row["id"],))
            ),
            "mentions": sorted(
                (path[m[0]], m[1], m[2])
                for m in conn.execute(
                    'SELECT doc_id, start, "end" FROM mentions WHERE entity_id = ?', (row["id"],)
                )
            ),
        }
    suggestions = sorted(
        (key[s["left_entity_id"]], key[s["right_entity_id"]], s["score"], s["features"])
        for s in conn.execute("SELECT * FROM suggestions")
    )
    unresolved = conn.execute("SELECT COUNT(*) FROM mentions WHERE entity_id IS NULL").fetchone()
    return {"entities": entities, "suggestions": suggestions, "unresolved": unresolved[0]}


def full_run(store: Store, tmp: Path, config: ResolveConfig | None = None) -> dict:
    """The same documents and judgements resolved from scratch, in a copy of the store."""
    copy = tmp / f"full-{len(list(tmp.iterdir()))}.db"
    target = sqlite3.connect(copy)
    store.conn.backup(target)
    target.close()
    with Store.open(copy) as other:
        resolve_corpus(other, config, full=True)
        return canonical(other)


def ids(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.conn.execute("SELECT key, id FROM entities")}


BASE = {
    "memoir.txt": "{Ignatius Reiss} broke with the service in July. {Reiss} sent a letter to "
    "{Moscow:PLACE}. {Walter Krivitsky} was warned. {Krivitsky} fled to {Paris:PLACE}. "
    "The {NKVD:ORG} sent a team. The {Ministry of the Interior:ORG} kept the file.",
    "history.txt": "{Reiß} was shot near {Lausanne:PLACE}. {Kriwitzki} wrote a book. "
    "The {NKVD:ORG} denied it.",
    "new_york.txt": "{Samuel Ginsberg} lived in {New York:PLACE}. {Ginsberg} wrote to the "
    "{State Department:ORG}. {Ginsberg} feared the {NKVD:ORG}.",
    "smiths.txt": "{Mr. Smith} met {Mrs. Smith} at {Lausanne:PLACE}. {Colonel Smirnov} "
    "watched {Smirnova}. {Mr. Smith} left.",
    "garden.txt": "{Mary Lennox} walked in the garden of {Misselthwaite:PLACE}. {Mary} "
    "found a key. {Dickon} spoke to {Mary}.",
}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "k.db") as store:
        for name, text in BASE.items():
            put(store, name, text)
        resolve_corpus(store, full=False)
        yield store


def _untouched(before: dict[str, int], after: dict[str, int], keys: list[str]) -> None:
    for key in keys:
        assert key in before and after.get(key) == before[key], key


def test_a_new_document_bridging_two_blocks_is_resolved_as_a_full_run_would(store, tmp_path):
    before = ids(store)
    # the text says the two names are one man: the Krivitsky and Ginsberg blocks meet
    put(
        store,
        "bridge.txt",
        "{Walter Krivitsky}, alias {Samuel Ginsberg}, crossed to {New York:PLACE}. "
        "{Krivitsky} met {Mary Lennox}.",
    )
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)
    krivitsky = _entity_of(store, "bridge.txt", "Walter Krivitsky")
    assert _entity_of(store, "new_york.txt", "Samuel Ginsberg") == krivitsky
    assert _entity_of(store, "memoir.txt", "Krivitsky") == krivitsky
    untouched = [k for k in before if k.startswith(("per-reiss", "place-lausanne", "per-dickon"))]
    _untouched(before, ids(store), untouched)


def test_a_judgement_and_documents_that_touch_its_names(store, tmp_path):
    reiss = _entity_key(store, "memoir.txt", "Reiss")
    judge(store, "split", [Ref("history.txt", "Reiß")], [Ref("memoir.txt", "Reiss")])
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)
    assert _entity_of(store, "history.txt", "Reiß") != _entity_of(store, "memoir.txt", "Reiss")
    before = ids(store)
    put(store, "letter.txt", "{Reiss} wrote to {Smirnov} about {Reiß} and the {NKVD:ORG}.")
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)
    assert _entity_of(store, "history.txt", "Reiß") != _entity_of(store, "memoir.txt", "Reiss")
    _untouched(before, ids(store), [k for k in before if k.startswith("per-mary")])
    assert reiss in ids(store)


def test_a_replaced_document_whose_names_disappear(store, tmp_path):
    before = ids(store)
    put(
        store,
        "memoir.txt",
        "{Ignatius Reiss} broke with the service. {Reiss} went to {Paris:PLACE}.",
    )
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)
    # Krivitsky is only in the history now, the Ministry nowhere
    assert {d for d, _ in _mentions_of(store, _entity_of(store, "history.txt", "Kriwitzki"))} == {
        "history.txt"
    }
    assert not store.conn.execute(
        "SELECT 1 FROM aliases WHERE alias = 'Ministry of the Interior'"
    ).fetchone()
    _untouched(before, ids(store), [k for k in before if k.startswith(("per-mary", "per-dickon"))])


def test_a_removed_document_and_names_numbered_together(store, tmp_path):
    # two Smiths (a man and a woman, by title) are per-smith and per-smith-2
    assert {k for k in ids(store) if k.startswith("per-smith")} >= {"per-smith", "per-smith-2"}
    put(store, "a_smith.txt", "{Mrs. Smith} wrote from {Moscow:PLACE}.")
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)
    remove(store, "smiths.txt")
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)
    remove(store, "history.txt")
    resolve_corpus(store, full=False)
    assert canonical(store) == full_run(store, tmp_path)


def test_only_the_touched_blocks_are_resolved_again(store):
    put(store, "note.txt", "{Mary Lennox} and {Dickon} went to {Misselthwaite:PLACE}.")
    resolution = resolve_corpus(store, full=False)
    touched = {e.name for e in resolution.entities}
    assert "Mary Lennox" in touched
    # the Reiss and Krivitsky blocks share no name, key or document with the note
    assert not touched & {"Ignatius Reiss", "Walter Krivitsky", "Lausanne"}


def _entity_of(store: Store, doc: str, name: str) -> int:
    row = store.conn.execute(
        "SELECT m.entity_id FROM mentions m JOIN documents d ON d.id = m.doc_id"
        " WHERE d.name = ? AND m.name = ?",
        (doc, name),
    ).fetchone()
    return row[0]


def _entity_key(store: Store, doc: str, name: str) -> str:
    entity = _entity_of(store, doc, name)
    return store.conn.execute("SELECT key FROM entities WHERE id = ?", (entity,)).fetchone()[0]


def _mentions_of(store: Store, entity: int) -> list[tuple[str, str]]:
    return store.conn.execute(
        "SELECT d.name, m.name FROM mentions m JOIN documents d ON d.id = m.doc_id"
        " WHERE m.entity_id = ?",
        (entity,),
    ).fetchall()


# any sequence of changes -----------------------------------------------------------------------

#: Names that collide on purpose: spellings of one surname, a man's and a woman's form, one
#: first name for two people, an organization and its weak name, a place.
NAMES = [
    "Reiss",
    "Reiß",
    "Ignatius Reiss",
    "Rice",
    "Walter Krivitsky",
    "Krivitsky",
    "Kriwitzki",
    "Walter",
    "Walter Ginsberg",
    "Smirnov",
    "Smirnova",
    "Mr. Smith",
    "Mrs. Smith",
    "General Smith",
    "Anna Smirnova",
    "Anna",
    "NKVD:ORG",
    "Ministry of the Interior:ORG",
    "Paris:PLACE",
    "Lausanne:PLACE",
]
TEMPLATES = ["{} met {}.", "{} wrote to {}.", "{}, alias {}, left.", "{} and {} spoke."]

_document = st.lists(
    st.tuples(st.sampled_from(TEMPLATES), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    min_size=1,
    max_size=4,
).map(lambda parts: " ".join(t.format("{" + a + "}", "{" + b + "}") for t, a, b in parts))

_step = st.one_of(
    st.tuples(st.just("put"), st.integers(0, 5), _document),
    st.tuples(st.just("remove"), st.integers(0, 5), st.just("")),
    st.tuples(
        st.just("judge"),
        st.integers(0, 5),
        st.tuples(
            st.sampled_from(["same", "not_same", "split", "rename"]),
            st.sampled_from([n.split(":")[0] for n in NAMES]),
            st.sampled_from([n.split(":")[0] for n in NAMES]),
        ),
    ),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=st.lists(_document, min_size=2, max_size=5), steps=st.lists(_step, max_size=4))
def test_any_changes_leave_the_store_as_a_full_run_does(tmp_path_factory, start, steps):
    tmp = tmp_path_factory.mktemp("any")
    with Store.open(tmp / "k.db") as store:
        for i, text in enumerate(start):
            put(store, f"doc{i}.txt", text)
        resolve_corpus(store, full=False)
        for kind, i, what in steps:
            if kind == "put":
                put(store, f"doc{i}.txt", what)
            elif kind == "remove":
                remove(store, f"doc{i}.txt")
            else:
                _judge(store, i, *what)
            resolve_corpus(store, full=False)
            assert canonical(store) == full_run(store, tmp)


def _judge(store: Store, i: int, kind: str, left: str, right: str) -> None:
    doc = f"doc{i}.txt"
    left_name = left.split(" ", 1)[1] if left.split(" ")[0] in TITLES else left
    right_name = right.split(" ", 1)[1] if right.split(" ")[0] in TITLES else right
    if kind == "rename":
        judge(store, kind, [Ref(doc, left_name)], value=f"{left_name} the Elder")
    else:
        judge(store, kind, [Ref(doc, left_name)], [Ref(None, right_name)])


# documents changed: resolved from the recorded graph (kartoteka.graph_changes) ----------------------


def _last_run(store: Store) -> dict:
    from kartoteka.store import get_setting

    state = json.loads(get_setting(store, "resolution_state"))
    return {**state["last_run"], "graph": state["graph"]}


def test_added_documents_are_resolved_from_the_graph_as_a_full_run_would(store, tmp_path):
    before = ids(store)
    put(store, "more.txt", "{Ignatius Reiss} met {Walter Krivitsky} in {Paris:PLACE}.")
    resolve_corpus(store, full=False)
    run = _last_run(store)
    assert run["graph"] and "why_full" not in run and run["resolved"] < run["units"]
    assert canonical(store) == full_run(store, tmp_path)
    _untouched(before, ids(store), [k for k in before if k.startswith(("per-mary", "per-dickon"))])


def test_a_new_mention_of_a_known_place_joins_it_without_a_replay(store, tmp_path):
    paris = _entity_of(store, "memoir.txt", "Paris")
    put(store, "zz_paris.txt", "{Dickon} went to {Paris:PLACE} and wrote from {Paris:PLACE}.")
    resolve_corpus(store, full=False)
    assert _entity_of(store, "zz_paris.txt", "Paris") == paris
    row = store.conn.execute("SELECT mention_count, doc_count FROM entities WHERE id = ?", (paris,))
    assert tuple(row.fetchone()) == (3, 2)
    assert canonical(store) == full_run(store, tmp_path)


def test_a_new_name_that_takes_over_its_names_star(store, tmp_path):
    # "Reiss" is one unit in memoir.txt; a document naming him three times is its hub now
    put(
        store, "a_reiss.txt", "{Reiss} wrote. {Reiss} left. {Reiss} was shot near {Lausanne:PLACE}."
    )
    resolve_corpus(store, full=False)
    assert "why_full" not in _last_run(store)
    assert canonical(store) == full_run(store, tmp_path)


_added = st.lists(_document, min_size=1, max_size=3)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(_document, min_size=2, max_size=5),
    batches=st.lists(_added, min_size=1, max_size=3),
    crowded=st.booleans(),
)
def test_any_documents_added_leave_the_store_as_a_full_run_does(
    tmp_path_factory, start, batches, crowded
):
    """Only additions, so that the graph is what resolves them; `crowded`: blocks capped at
    a few names, so that new names push others out of the comparisons and let them in."""
    _add_and_compare(tmp_path_factory.mktemp("added"), start, batches, crowded)


def test_documents_added_that_sort_before_the_stored_ones(tmp_path):
    """doc10.txt comes before doc2.txt: the new units are not the last in resolution's
    order, and an entity's name goes by that order on a tie (found by the test above)."""
    start = [
        "{Walter Krivitsky} met {Walter Krivitsky}.",
        "{Walter Krivitsky} met {Kriwitzki}.",
        "{Walter Krivitsky} met {Walter Krivitsky}.",
        "{Kriwitzki} met {Walter Krivitsky}.",
        "{Kriwitzki} met {Walter Krivitsky}.",
    ]
    batches = [
        [
            "{Walter Krivitsky} met {Walter Krivitsky}.",
            "{Walter Krivitsky} met {Walter Krivitsky}.",
            "{Rice} met {Walter Krivitsky}. {Reiß} met {Kriwitzki}.",
        ],
        [
            "{Rice} met {Reiß}.",
            "{Rice} met {Walter Krivitsky}. {Walter Krivitsky} met {Reiß}.",
            "{Reiß} met {Kriwitzki}. {Walter Krivitsky} met {Walter Krivitsky}.",
        ],
    ]
    _add_and_compare(tmp_path, start, batches, False)


def test_a_new_name_past_a_blocks_cap_is_not_compared_there(tmp_path):
    """With room for three names a block, the Reiss block keeps three stored names: "Anna
    Reiss", new, is left out of it and so compared with none of them (found by random
    additions with blocks capped)."""
    start = [
        "{J. Smith} wrote to {Krivitsky}. {Colonel Smirnov} and {General Smith} spoke.",
        "{RA:ORG} and {Moscow:PLACE} spoke. {Walter Krivitsky} and {Mrs. Smith} spoke.",
    ]
    batches = [
        [
            "{Reiss}, alias {Anna Smirnova}, left. {General Krivitsky}, alias {Walter Ginsberg},"
            " left. {Ministry of the Interior:ORG} wrote to {Ignatius Reiss}. {Lausanne:PLACE}"
            " wrote to {Rice}."
        ],
        [
            "{Anna Reiss}, alias {Krivitsky}, left. {Walter Ginsberg} and {Anna Smirnova} spoke."
            " {Mr. Smith}, alias {Rice}, left. {Mrs. Smith} wrote to {Reiß}.",
            "{Anna} wrote to {General Krivitsky}. {Anna Smirnova} met {Rice}.",
        ],
    ]
    _add_and_compare(tmp_path, start, batches, True)


def _add_and_compare(tmp: Path, start: list[str], batches: list[list[str]], crowded: bool) -> None:
    from dataclasses import replace

    from kartoteka.corpus import CORPUS_CONFIG

    config = replace(CORPUS_CONFIG, max_block=3) if crowded else CORPUS_CONFIG
    with Store.open(tmp / "k.db") as store:
        for i, text in enumerate(start):
            put(store, f"doc{i}.txt", text)
        resolve_corpus(store, config, full=True)
        count = len(start)
        for batch in batches:
            for text in batch:
                put(store, f"doc{count}.txt", text)
                count += 1
            resolve_corpus(store, config, full=False)
            assert canonical(store) == full_run(store, tmp, config)


def test_a_stated_identity_in_a_document_read_for_context(tmp_path):
    """With a judgement the graph is not used: the touched names are resolved with the rest of
    their documents as context. A stated identity there ("Walter Krivitsky, alias NKVD")
    keeps the same-first-name guess off Walter Krivitsky, as in a full run (found by the
    random changes test once its documents stated identities)."""
    with Store.open(tmp_path / "k.db") as store:
        put(store, "doc0.txt", "{Reiss} met {Reiss}.")
        put(
            store,
            "doc1.txt",
            "{Reiss} met {Walter Ginsberg}. {Reiss} met {NKVD:ORG}."
            " {Walter Krivitsky}, alias {NKVD:ORG}, left.",
        )
        resolve_corpus(store, full=False)
        judge(store, "same", [Ref("doc0.txt", "Reiss")], [Ref(None, "Reiss")])
        resolve_corpus(store, full=False)
        put(store, "doc0.txt", "{Reiss} met {Walter Krivitsky}.")
        resolve_corpus(store, full=False)
        assert canonical(store) == full_run(store, tmp_path)


def test_replaced_and_removed_documents_are_resolved_from_the_graph(store, tmp_path):
    before = ids(store)
    put(
        store,
        "memoir.txt",
        "{Ignatius Reiss} broke with the service. {Reiss} went to {Paris:PLACE}.",
    )
    remove(store, "smiths.txt")
    resolve_corpus(store, full=False)
    run = _last_run(store)
    assert run["graph"] and "why_full" not in run and run["resolved"] < run["units"]
    assert canonical(store) == full_run(store, tmp_path)
    _untouched(before, ids(store), [k for k in before if k.startswith(("per-mary", "per-dickon"))])


def test_a_document_that_turns_a_names_type_is_resolved_from_the_graph(store, tmp_path):
    """Dickon is a person in garden.txt; two documents calling Dickon an organization six
    times turn the corpus's vote: garden.txt is read again, its Dickon an organization."""
    for i in range(2):
        put(store, f"firm{i}.txt", "{Dickon:ORG} sold arms. {Dickon:ORG} and {Dickon:ORG} paid.")
    resolve_corpus(store, full=False)
    assert "why_full" not in _last_run(store)
    kind = store.conn.execute(
        "SELECT e.type FROM entities e WHERE e.id = ?", (_entity_of(store, "garden.txt", "Dickon"),)
    ).fetchone()[0]
    assert kind == "ORG"
    assert canonical(store) == full_run(store, tmp_path)
