"""Two files with the same name in different folders are two documents, in every layer:
resolution, judgements, cards, search, the scorer (issue 12: 12.4, Must have 3). And a
judgement log written when documents were named by file name alone still applies where that
name is unambiguous. Real SQLite files; documents written with the store's own writer."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from kartoteka.corpus import resolve_corpus
from kartoteka.curation import CurationError, add_judgement, rename
from kartoteka.evaluate import GoldError, load_gold
from kartoteka.export.json import export_data
from kartoteka.model import Annotation, Document, Mention, Span
from kartoteka.query.cards import card, the_entity
from kartoteka.query.documents import document_labels, document_list
from kartoteka.query.review import judgement_log
from kartoteka.read.offsets import OffsetMap
from kartoteka.resolve import Ref
from kartoteka.store import Store, _migration_files, _split_sql
from kartoteka.store.documents import write_document
from kartoteka.store.resolution import read_judgements

A_NOTES = "Hans Miller came to Berlin in May. Miller wrote to his brother."
B_NOTES = "Karl Miller stayed in Vienna all year. Miller burned the letters."
MEMOIR = "Ignatius Reiss broke with the service. Reiss sent a letter."
HISTORY = "Reiß was shot near Lausanne."
TYPES = {
    "Hans Miller": "PER",
    "Karl Miller": "PER",
    "Miller": "PER",
    "Ignatius Reiss": "PER",
    "Reiss": "PER",
    "Reiß": "PER",
    "Berlin": "PLACE",
    "Vienna": "PLACE",
    "Lausanne": "PLACE",
}


def _annotate(text: str) -> Annotation:
    sentences = [Span(m.start(), m.end(), m.group()) for m in re.finditer(r"[^.]+\.", text)]
    mentions, taken = [], []
    for name in sorted(TYPES, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            sentence = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append(Mention(m.start(), m.end(), name, TYPES[name], name, sentence=sentence))
    mentions.sort(key=lambda m: m.start)
    return Annotation(sentences=sentences, mentions=mentions, words=len(text.split()))


def _write(store: Store, path: str, text: str) -> None:
    document = Document(
        path=path,
        name=path.rsplit("/", 1)[-1],
        sha256=str(hash(text)),
        text=text,
        clean_text=text,
        offset_map=OffsetMap.identity(len(text)),
    )
    with store.transaction() as conn:
        write_document(conn, document, _annotate(text), pipeline_version="test", run_id=None)


A, B = "/corpus/a/notes.txt", "/corpus/b/notes.txt"


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "k.db") as store:
        _write(store, A, A_NOTES)
        _write(store, B, B_NOTES)
        _write(store, "/corpus/memoir.txt", MEMOIR)
        _write(store, "/corpus/history.txt", HISTORY)
        resolve_corpus(store)
        yield store


def _entity_of(store: Store, path: str, name: str) -> int:
    (entity,) = {
        r[0]
        for r in store.conn.execute(
            "SELECT m.entity_id FROM mentions m JOIN documents d ON d.id = m.doc_id"
            " WHERE d.path = ? AND m.name = ?",
            (path, name),
        )
    }
    return entity


def _doc_id(store: Store, path: str) -> int:
    return store.conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()[0]


def test_each_miller_joins_the_full_name_of_his_own_file(store):
    assert _entity_of(store, A, "Miller") == _entity_of(store, A, "Hans Miller")
    assert _entity_of(store, B, "Miller") == _entity_of(store, B, "Karl Miller")
    assert _entity_of(store, A, "Hans Miller") != _entity_of(store, B, "Karl Miller")


def test_cards_name_the_right_sources(store):
    """Every alias's documents are the documents its mentions stand in."""
    for entity_id, alias, doc_ids in store.conn.execute(
        "SELECT entity_id, alias, doc_ids FROM aliases"
    ):
        held = {
            r[0]
            for r in store.conn.execute(
                "SELECT DISTINCT doc_id FROM mentions WHERE entity_id = ? AND name = ?",
                (entity_id, alias),
            )
        }
        assert set(json.loads(doc_ids)) == held, (alias, doc_ids, held)
    hans = card(store, _entity_of(store, A, "Hans Miller"))
    assert [d["id"] for d in hans["documents"]] == [_doc_id(store, A)]
    assert hans["entity"]["doc_count"] == 1


def test_a_judgement_about_one_file_leaves_the_other_alone(store):
    decision = add_judgement(store, "not_same", [Ref(A, "Miller")], [Ref(B, "Miller")])
    assert decision.judgement_id
    rename(store, "Hans Miller", "Johann Miller")
    names = {r[0] for r in store.conn.execute("SELECT name FROM entities")}
    assert "Johann Miller" in names and "Karl Miller" in names
    assert card(store, _entity_of(store, B, "Miller"))["entity"]["name"] == "Karl Miller"
    # the log names documents by their path
    logged = [r for j in read_judgements(store, as_stored=True) for r in j.left]
    assert {r.doc for r in logged} <= {A, B}


def test_a_bare_file_name_shared_by_two_documents_is_refused(store):
    with pytest.raises(CurationError, match="notes.txt"):
        add_judgement(store, "rename", [Ref("notes.txt", "Miller")], value="Somebody")


def test_a_bare_file_name_still_names_a_document_it_alone_has(store):
    """What a judgement logged before documents were named by path says still holds."""
    add_judgement(store, "split", [Ref("history.txt", "Reiß")], [Ref("memoir.txt", "Reiss")])
    assert _entity_of(store, "/corpus/history.txt", "Reiß") != _entity_of(
        store, "/corpus/memoir.txt", "Reiss"
    )


def test_documents_of_one_name_are_told_apart_wherever_they_are_listed(store):
    labels = document_labels(store)
    assert labels[_doc_id(store, A)] == "a/notes.txt"
    assert labels[_doc_id(store, B)] == "b/notes.txt"
    assert labels[_doc_id(store, "/corpus/memoir.txt")] == "memoir.txt"
    listed = {d["id"]: d["label"] for d in document_list(store)["documents"]}
    assert listed == labels
    karl = card(store, the_entity(store, "Karl Miller")["id"])
    assert {d["label"] for d in karl["documents"]} == {"b/notes.txt"}
    assert {d["label"] for a in karl["aliases"] for d in a["documents"]} == {"b/notes.txt"}


def test_the_scorer_matches_a_gold_file_by_its_path_not_its_bare_name(store, tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(
        json.dumps(
            {
                "schema": "dossier-gold/1",
                "documents": {"d1": {"file": "notes.txt"}},
                "entities": {},
            }
        ),
        encoding="utf-8",
    )
    texts = {r[0]: r[1] for r in store.conn.execute("SELECT id, text FROM documents")}
    with pytest.raises(GoldError, match="a/notes.txt"):
        load_gold(gold, export_data(store), texts)
    gold.write_text(gold.read_text().replace('"notes.txt"', '"b/notes.txt"'), encoding="utf-8")
    matched = load_gold(gold, export_data(store), texts)
    assert matched.doc_of_export == {_doc_id(store, B): "d1"}
    assert matched.texts == {"d1": B_NOTES}


# a store from before documents were named by path -----------------------------------------


def _old_store(path) -> None:
    """A store without 0110 (documents by path), its judgements naming documents by file name;
    the later migrations are there, so today's writer can fill it."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    for number, name, sql in _migration_files():
        if number == 110:
            continue
        for statement in _split_sql(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
    conn.commit()
    conn.close()


def test_an_old_judgement_log_is_upgraded_where_a_file_name_is_unambiguous(tmp_path):
    db = tmp_path / "old.db"
    _old_store(db)
    with Store.open(db, migrate=False) as store:
        for path, text in ((A, A_NOTES), (B, B_NOTES), ("/corpus/memoir.txt", MEMOIR)):
            _write(store, path, text)
        _write(store, "/corpus/history.txt", HISTORY)
        rows = [
            # unique file names: pinned to their documents
            ("split", [["history.txt", "Reiß"]], [["memoir.txt", "Reiss"]], None),
            # notes.txt names two documents, but only one of them names Hans Miller
            ("rename", [["notes.txt", "Hans Miller"]], [], "Johann Miller"),
            # both name a Miller: which one was meant cannot be told
            ("rename", [["notes.txt", "Miller"]], [], "Somebody"),
        ]
        with store.transaction() as conn:
            for kind, left, right, value in rows:
                conn.execute(
                    "INSERT INTO judgements (kind, left_ref, right_ref, value, author,"
                    " created_at) VALUES (?, ?, ?, ?, 'old', '2024-01-01T00:00:00+00:00')",
                    (kind, json.dumps(left), json.dumps(right), value),
                )
    with Store.open(db) as store:  # migrates
        log = {j.id: j for j in read_judgements(store, as_stored=True)}
        assert log[1].left == (Ref("/corpus/history.txt", "Reiß"),)
        assert log[1].right == (Ref("/corpus/memoir.txt", "Reiss"),)
        assert log[2].left == (Ref(A, "Hans Miller"),)
        assert log[3].left == (Ref("notes.txt", "Miller"),)  # left as logged
        resolve_corpus(store)
        assert _entity_of(store, "/corpus/history.txt", "Reiß") != _entity_of(
            store, "/corpus/memoir.txt", "Reiss"
        )
        names = {r[0] for r in store.conn.execute("SELECT name FROM entities")}
        assert "Johann Miller" in names and "Somebody" not in names
        shown = {j["id"]: j for j in judgement_log(store)}
        assert shown[3]["ambiguous"] == [["notes.txt", "Miller"]]
        assert shown[1]["ambiguous"] == [] and shown[2]["ambiguous"] == []


@pytest.mark.model
def test_the_command_line_keeps_two_notes_txt_apart(tmp_path):
    """The reproduction: `kartoteka ingest a b` where both folders hold a notes.txt."""
    from click.testing import CliRunner

    from kartoteka.cli import main

    for folder, text in (("a", A_NOTES), ("b", B_NOTES)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "k.db")
    done = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--db", db]
    )
    assert done.exit_code == 0, done.output
    hans = CliRunner().invoke(main, ["show", "Hans Miller", "--db", db])
    assert hans.exit_code == 0, hans.output
    assert "a/notes.txt" in hans.output and "b/notes.txt" not in hans.output
    assert "2 mentions in 1 document" in hans.output  # his "Miller", not Karl's
    karl = CliRunner().invoke(main, ["show", "Karl Miller", "--json", "--db", db])
    assert {d["label"] for d in json.loads(karl.output)["documents"]} == {"b/notes.txt"}


def test_a_path_follows_its_folder_when_the_corpus_moves_but_not_to_another_folder(store):
    from kartoteka.store.resolution import DocumentIndex

    index = DocumentIndex(store)
    assert index.pinned(Ref("/old/place/corpus/a/notes.txt", "Miller")) == Ref(A, "Miller")
    assert index.pinned(Ref("/corpus/memoir.txt", "Reiss")) == Ref("/corpus/memoir.txt", "Reiss")
    # a notes.txt of a folder the store has none of is no document of the store
    assert index.pinned(Ref("/corpus/c/notes.txt", "Miller")) == Ref(
        "/corpus/c/notes.txt", "Miller"
    )
    assert index.pinned(Ref("notes.txt", "Hans Miller")) == Ref(A, "Hans Miller")
    assert index.pinned(Ref("notes.txt", "Miller")) is None
