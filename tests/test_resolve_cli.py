"""The curation commands, run with click's CliRunner on a hermetic store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoteka.cli.curate import commands
from kartoteka.corpus import resolve_corpus
from kartoteka.store import Store
from tests.test_resolve_store import HISTORY, MEMOIR, _entity_of, _ingest

CASES = Path(__file__).parent / "cases" / "names"
COMMANDS = {c.name: c for c in commands}


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "k.db"
    with Store.open(path) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        # "Rice" in a third text sounds like Reiss: near enough to suggest, not to merge
        _ingest(store, "notes.txt", "Rice was seen in Geneva.")
        resolve_corpus(store)
    return str(path)


def _run(name, *args, input=None):
    result = CliRunner().invoke(COMMANDS[name], list(args), input=input)
    return result


def _key(db, name):
    with Store.open(db) as store:
        return next(iter(_entity_of(store, name)))


def test_merge_split_rename_and_the_log(db):
    assert _key(db, "Smirnov") != _key(db, "Smirnova")
    result = _run(
        "merge",
        _key(db, "Smirnov"),
        _key(db, "Smirnova"),
        "--db",
        db,
        "--author",
        "ann",
        "--note",
        "test",
    )
    assert result.exit_code == 0, result.output
    assert _key(db, "Smirnov") == _key(db, "Smirnova")
    result = _run("split", _key(db, "Smirnov"), "Smirnova", "--db", db, "--author", "ann")
    assert result.exit_code == 0, result.output
    assert _key(db, "Smirnov") != _key(db, "Smirnova")
    result = _run("rename", _key(db, "Smirnova"), "Mrs Smirnova", "--db", db)
    assert result.exit_code == 0, result.output
    assert _key(db, "Smirnova") == "per-mrs-smirnova"
    log = json.loads(_run("judgements", "--db", db, "--json").output)
    assert [j["kind"] for j in log] == ["same", "split", "rename"]
    assert log[0]["author"] == "ann" and log[0]["left"][0][0].endswith(".txt")


def test_not_same_and_unknown_entity(db):
    result = _run("not-same", "per-nobody", _key(db, "Smirnov"), "--db", db)
    assert result.exit_code != 0 and "no entity" in result.output
    result = _run("not-same", _key(db, "Reiss"), _key(db, "Krivitsky"), "--db", db)
    assert result.exit_code == 0, result.output


def test_authority_load(db):
    result = _run("authority", "load", str(CASES / "authority.json"), "--db", db)
    assert result.exit_code == 0, result.output
    assert "4 authority entries" in result.output
    with Store.open(db) as store:
        row = store.conn.execute(
            "SELECT name, identifier FROM entities WHERE key = ?",
            (next(iter(_entity_of(store, "Reiß"))),),
        ).fetchone()
    assert tuple(row) == ("Ignace Reiss", "test:reiss")


def test_review_walks_suggestions(db):
    with Store.open(db) as store:
        pending = store.conn.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0]
    assert pending >= 1
    result = _run("review", "--db", db, input="q\n")
    assert result.exit_code == 0, result.output
    assert "Rice" in result.output and "phonetic_key" in result.output
    if pending:
        result = _run("review", "--db", db, "--author", "ann", input="n\n" * pending)
        assert result.exit_code == 0, result.output
        with Store.open(db) as store:
            assert store.conn.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0] == 0
            kinds = {r[0] for r in store.conn.execute("SELECT kind FROM judgements")}
        assert kinds == {"not_same"}
