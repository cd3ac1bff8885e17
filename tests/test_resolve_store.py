"""Resolution in the store: resolve_corpus, the judgement log across re-ingest, authority
files. Hermetic: documents are written with the store's own writer, no spaCy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kartoteka.corpus import resolve_corpus
from kartoteka.curation import (
    CurationError,
    add_judgement,
    entity_refs,
    judge_entities,
    load_authorities,
    split_entity,
)
from kartoteka.model import Annotation, Document, Mention, Span
from kartoteka.query.review import review_queue
from kartoteka.read.offsets import OffsetMap
from kartoteka.resolve import Ref
from kartoteka.resolve.authority import AuthorityFileError, read_authority_file
from kartoteka.store import Store
from kartoteka.store.documents import write_document
from kartoteka.store.resolution import read_judgements

CASES = Path(__file__).parent / "cases" / "names"

MEMOIR = (
    "Ignatius Reiss broke with the service in July. Reiss sent a letter to Moscow. "
    "Walter Krivitsky was warned. Krivitsky fled to Paris. Smirnov was arrested. "
    "Smirnova asked for her husband. The NKVD sent a team. The Ministry of the "
    "Interior kept the file. The ROVS lost its leader."
)
HISTORY = "Reiß was shot near Lausanne. Kriwitzki wrote a book. The NKVD denied it."
PEOPLE = {
    "Ignatius Reiss": "PER",
    "Reiss": "PER",
    "Reiß": "PER",
    "Walter Krivitsky": "PER",
    "Krivitsky": "PER",
    "Kriwitzki": "PER",
    "Smirnov": "PER",
    "Smirnova": "PER",
    "NKVD": "ORG",
    "Ministry of the Interior": "ORG",
    "ROVS": "ORG",
    "Moscow": "PLACE",
    "Paris": "PLACE",
    "Lausanne": "PLACE",
    "Rice": "PER",
}


def _annotate(text: str) -> Annotation:
    sentences = [Span(m.start(), m.end(), m.group()) for m in re.finditer(r"[^.]+\.", text)]
    mentions, taken = [], []
    for name in sorted(PEOPLE, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            sentence = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append(
                Mention(m.start(), m.end(), name, PEOPLE[name], name, sentence=sentence)
            )
    mentions.sort(key=lambda m: m.start)
    return Annotation(sentences=sentences, mentions=mentions, words=len(text.split()))


def _ingest(store: Store, name: str, text: str) -> None:
    document = Document(
        path=f"/corpus/{name}",
        name=name,
        sha256=str(hash(text)),
        text=text,
        clean_text=text,
        offset_map=OffsetMap.identity(len(text)),
    )
    with store.transaction() as conn:
        write_document(conn, document, _annotate(text), pipeline_version="test", run_id=None)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "k.db") as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        resolve_corpus(store)
        yield store


def _entity_of(store: Store, name: str) -> set[str]:
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.name = ?",
            (name,),
        )
    }


def test_every_mention_gets_an_entity_and_aliases_count_them(store):
    assert (
        store.conn.execute("SELECT COUNT(*) FROM mentions WHERE entity_id IS NULL").fetchone()[0]
        == 0
    )
    assert (
        _entity_of(store, "Reiss")
        == _entity_of(store, "Reiß")
        == _entity_of(store, "Ignatius Reiss")
    )
    assert _entity_of(store, "Kriwitzki") == _entity_of(store, "Walter Krivitsky")
    assert _entity_of(store, "Smirnov") != _entity_of(store, "Smirnova")
    row = store.conn.execute(
        "SELECT * FROM entities WHERE key = ?", (next(iter(_entity_of(store, "Reiss"))),)
    ).fetchone()
    assert row["name"] == "Ignatius Reiss" and row["doc_count"] == 2
    aliases = {
        r["alias"]: (r["count"], json.loads(r["doc_ids"]))
        for r in store.conn.execute("SELECT * FROM aliases WHERE entity_id = ?", (row["id"],))
    }
    assert aliases["Reiß"][0] == 1 and len(aliases["Reiß"][1]) == 1
    explanation = json.loads(row["explanation"])
    assert explanation["resolver"].startswith("kartoteka.resolve")
    assert all("score" in m for m in explanation["merges"])


def test_a_judgement_outlives_reingest(store):
    key = next(iter(_entity_of(store, "Reiss")))
    split_entity(store, key, ["Reiß"], author="tester")
    assert _entity_of(store, "Reiß") != _entity_of(store, "Reiss")
    rows = "SELECT m.id, d.name, m.name FROM mentions m JOIN documents d ON d.id = m.doc_id"
    old_ids = {tuple(r) for r in store.conn.execute(rows)}
    # re-ingest both documents in another order: mention ids now mean other mentions
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents")
    _ingest(store, "history.txt", HISTORY)
    _ingest(store, "memoir.txt", MEMOIR)
    assert old_ids != {tuple(r) for r in store.conn.execute(rows)}
    resolve_corpus(store)
    assert _entity_of(store, "Reiß") != _entity_of(store, "Reiss")
    assert _entity_of(store, "Reiss") == _entity_of(store, "Ignatius Reiss")


def test_later_judgement_wins(store):
    a = next(iter(_entity_of(store, "Smirnov")))
    b = next(iter(_entity_of(store, "Smirnova")))
    judge_entities(store, "same", a, b, author="tester")
    assert _entity_of(store, "Smirnov") == _entity_of(store, "Smirnova")
    merged = next(iter(_entity_of(store, "Smirnov")))
    split_entity(store, merged, ["Smirnova"], author="tester", note="his wife")
    assert _entity_of(store, "Smirnov") != _entity_of(store, "Smirnova")
    kinds = [j.kind for j in read_judgements(store)]
    assert kinds == ["same", "split"]  # the log only grows


def test_rename_sticks(store):
    key = next(iter(_entity_of(store, "Krivitsky")))
    judge_entities(store, "rename", key, value="Walter G. Krivitsky", author="tester")
    names = {
        r[0]
        for r in store.conn.execute(
            "SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.name = 'Kriwitzki'"
        )
    }
    assert names == {"Walter G. Krivitsky"}


def test_unknown_entity_is_a_readable_error(store):
    with pytest.raises(CurationError, match="no entity"):
        judge_entities(store, "same", "per-nobody", "per-smirnov")
    with pytest.raises(CurationError, match="unknown judgement"):
        add_judgement(store, "maybe", [Ref("memoir.txt", "Reiss")])


def test_weak_name_joins_the_organization_named_in_its_document(store):
    assert _entity_of(store, "Ministry of the Interior") == _entity_of(store, "NKVD")


@pytest.mark.parametrize("name", ["authority.json", "authority.csv"])
def test_authority_file_gives_canonical_name_and_identifier(store, name):
    count = load_authorities(store, CASES / name)
    assert count >= 2
    row = store.conn.execute(
        "SELECT e.* FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.name = 'Reiß'"
    ).fetchone()
    assert (row["name"], row["identifier"]) == ("Ignace Reiss", "test:reiss")
    assert _entity_of(store, "Reiss") == _entity_of(store, "Ignatius Reiss") == {row["key"]}
    rovs = store.conn.execute(
        "SELECT e.* FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.name = 'ROVS'"
    ).fetchone()
    assert (rovs["name"], rovs["identifier"]) == ("Russian All-Military Union", "test:rovs")
    # loading again replaces, it does not duplicate
    load_authorities(store, CASES / name)
    assert store.conn.execute("SELECT COUNT(*) FROM authorities").fetchone()[0] == count


def test_bad_authority_file_says_what_to_fix(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("canonical,type,variants\nSomeone,ALIEN,x\n", encoding="utf-8")
    with pytest.raises(AuthorityFileError, match="bad.csv:2: type"):
        read_authority_file(bad)


def test_entity_refs_are_document_and_name_pairs(store):
    refs = entity_refs(store, next(iter(_entity_of(store, "Reiss"))))
    # documents by the path they were read from (two notes.txt are two documents)
    assert Ref("/corpus/history.txt", "Reiß") in refs and Ref("/corpus/memoir.txt", "Reiss") in refs


def test_the_review_queue_has_both_sides(store):
    for s in review_queue(store, limit=None)["items"]:
        assert s["left"]["key"] != s["right"]["key"] and 0 < s["score"] < 1


def test_a_name_ending_in_a_number_never_takes_a_numbered_key():
    """Seven "Ryev"s are per-ryev ... per-ryev-7; an OCR slip "Ryev[7" must not be per-ryev-7
    too (the store's keys are unique: the full run failed on this)."""
    from kartoteka.resolve import MentionRecord, resolve

    mentions = [
        MentionRecord(i, f"d{i}.txt", 0, 4, title + " Ryev", "Ryev", "PER", title=title)
        for i, title in enumerate(["Mr.", "Mrs."])
    ]
    mentions.append(MentionRecord(9, "d9.txt", 0, 6, "Ryev[2", "Ryev[2", "PER"))
    keys = [e.key for e in resolve(mentions).entities]
    assert len(keys) == len(set(keys)) == 3
    assert "per-ryev2" in keys
