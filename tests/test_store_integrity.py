"""Nothing lost: a crash between an ingest's documents and its corpus stages is finished by the
next command; two curation decisions at once both hold; a file that is not a store is left
alone (issue 12: 12.1, 12.2, 12.5). Real SQLite files, real processes, a real SIGKILL."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoteka.cli import main
from kartoteka.corpus import resolve_corpus
from kartoteka.store import Store, corpus_stages_pending, mark_corpus_stages_pending
from tests.test_resolve_store import HISTORY, MEMOIR, _entity_of, _ingest

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent


def _count(db, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# 12.5: reading never makes or changes a store ----------------------------------------------


@pytest.fixture
def foreign_db(tmp_path) -> Path:
    path = tmp_path / "theirs.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.execute("INSERT INTO people VALUES ('Ann')")
    conn.commit()
    conn.close()
    return path


READERS = [
    ["entities"],
    ["show", "Ann"],
    ["timeline"],
    ["path", "Ann", "Bob"],
    ["export"],
    ["contradictions"],
    ["judgements"],
    ["merge", "Ann", "Bob"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_database_that_is_not_a_store_is_refused_untouched(foreign_db, command):
    before = _digest(foreign_db)
    result = _cli(*command, "--db", foreign_db)
    assert result.exit_code == 2, result.output
    assert "not a kartoteka store" in result.output and "people" in result.output
    assert _digest(foreign_db) == before
    assert not Path(f"{foreign_db}-wal").exists()


def test_ingest_does_not_write_into_another_database_either(foreign_db, tmp_path):
    before = _digest(foreign_db)
    (tmp_path / "a.txt").write_text("Ann met Bob in Paris.", encoding="utf-8")
    result = _cli("ingest", tmp_path / "a.txt", "--db", foreign_db)
    assert result.exit_code == 2 and "not a kartoteka store" in result.output
    assert _digest(foreign_db) == before


def test_a_file_that_is_no_database_is_refused_untouched(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list: bread, milk\n" * 50, encoding="utf-8")
    before = _digest(junk)
    result = _cli("entities", "--db", junk)
    assert result.exit_code == 2 and "not a kartoteka store" in result.output
    assert _digest(junk) == before


@pytest.mark.parametrize("empty", [False, True], ids=["missing", "empty file"])
def test_reading_where_there_is_no_store_creates_nothing(tmp_path, empty):
    path = tmp_path / "new.db"
    if empty:
        path.touch()
    result = _cli("entities", "--db", path)
    assert result.exit_code == 2
    assert "no store here yet" in result.output and "kartoteka ingest" in result.output
    assert path.exists() == empty and (not empty or path.stat().st_size == 0)


def test_the_web_app_refuses_a_database_that_is_not_a_store(foreign_db):
    from kartoteka.web import WebConfig, WebError, create_app

    before = _digest(foreign_db)
    with pytest.raises(WebError, match="not a kartoteka store"):
        create_app(WebConfig(str(foreign_db)))
    assert _digest(foreign_db) == before


# 12.1: an ingest is one story --------------------------------------------------------------


def _documents_only(path: Path) -> Path:
    """A store as a crash leaves it: documents written (each marking the corpus stages
    pending, as ingest does), the corpus stages never committed."""
    with Store.open(path) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        with store.transaction() as conn:
            mark_corpus_stages_pending(conn, None)
    return path


def test_a_read_command_finishes_what_a_crash_left_and_says_so(tmp_path):
    db = _documents_only(tmp_path / "k.db")
    assert _count(db, "entities") == 0
    result = CliRunner().invoke(main, ["entities", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "stopped before" in result.stderr and "finishing" in result.stderr
    assert "Krivitsky" in result.stdout
    with Store.open(db) as store:
        assert corpus_stages_pending(store) is None
        assert _entity_of(store, "Kriwitzki") == _entity_of(store, "Walter Krivitsky")
    again = CliRunner().invoke(main, ["entities", "--db", str(db)])
    assert "finishing" not in again.stderr  # done once, not on every read


def test_a_running_ingest_is_left_to_finish(tmp_path):
    db = _documents_only(tmp_path / "k.db")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with Store.open(db) as store, store.transaction() as conn:
            conn.execute(
                "UPDATE settings SET value = json_set(value, '$.pid', ?) WHERE key = ?",
                (sleeper.pid, "corpus_stages_pending"),
            )
        result = CliRunner().invoke(main, ["entities", "--db", str(db)])
        assert result.exit_code == 0 and "still writing" in result.stderr
        assert _count(db, "entities") == 0
    finally:
        sleeper.kill()
        sleeper.wait()
    result = CliRunner().invoke(main, ["entities", "--db", str(db)])
    assert "finishing" in result.stderr and _count(db, "entities") > 0


def test_a_store_from_before_the_marker_is_rebuilt_once(tmp_path):
    """A store an older version left half done has no marker: migration 0070 sets one."""
    db = tmp_path / "old.db"
    with Store.open(db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        resolve_corpus(store)
        with store.transaction() as conn:  # as the old bug left it: derived tables lost
            conn.execute("DELETE FROM aliases")
            conn.execute("DELETE FROM entities")
            conn.execute("DELETE FROM schema_migrations WHERE number = 70")
    result = CliRunner().invoke(main, ["entities", "--db", str(db)])
    assert result.exit_code == 0 and "earlier kartoteka" in result.stderr
    assert _count(db, "entities") > 0
    again = CliRunner().invoke(main, ["entities", "--db", str(db)])
    assert "earlier kartoteka" not in again.stderr


class Crash(Exception):
    pass


@pytest.mark.model
def test_an_ingest_that_dies_after_its_documents_is_finished_by_the_next_read(tmp_path, seeds_db):
    """A real exception from a hook, after the last document is stored."""
    from kartoteka.pipeline import ingest

    files = sorted(EXAMPLES.glob("*.txt"))
    db = tmp_path / "k.db"

    def crash_after_last(kind: str, message: str) -> None:
        if kind == "added" and message.endswith(files[-1].name):
            raise Crash("killed")

    with Store.open(db) as store, pytest.raises(Crash):
        ingest([EXAMPLES], store, on_event=crash_after_last)
    assert _count(db, "documents") == len(files) and _count(db, "events") == 0
    result = CliRunner().invoke(main, ["timeline", "--db", str(db)])
    assert result.exit_code == 0 and "finishing" in result.stderr
    for table in ("entities", "events", "relations"):
        assert _count(db, table) == _count(seeds_db, table) > 0, table


KILL_AT_STAGE = """
import os, signal, sys
from kartoteka.pipeline import ingest
from kartoteka.store import Store

def kill(kind, message):
    if kind == "stage" and message == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)

with Store.open(sys.argv[2]) as store:
    ingest([sys.argv[1]], store, on_event=kill)
"""


@pytest.mark.model
@pytest.mark.parametrize("stage", ["events", "search"])
def test_an_ingest_killed_during_its_corpus_stages_is_finished_by_the_next_ingest(
    tmp_path, seeds_db, stage
):
    """SIGKILL after resolution has written its tables and before event merging (or the
    search index) has: the moment that used to leave a store with no events for good."""
    db = tmp_path / "k.db"
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AT_STAGE, str(EXAMPLES), str(db), stage], cwd=ROOT
    )
    assert killed.returncode == -signal.SIGKILL
    assert _count(db, "documents") == len(list(EXAMPLES.glob("*.txt")))
    assert _count(db, "entities") == _count(db, "events") == 0  # all of it, or none
    result = CliRunner().invoke(main, ["ingest", str(EXAMPLES), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    for table in ("entities", "events", "relations"):
        assert _count(db, table) == _count(seeds_db, table) > 0, table
    with Store.open(db) as store:
        assert corpus_stages_pending(store) is None


# 12.2: curation is never lost --------------------------------------------------------------

PAUSED_RENAME = """
import sys, time
from pathlib import Path
from kartoteka.curation import rename
from kartoteka.store import Store

signals = Path(sys.argv[2])

def pause(stage):
    # inside the transaction, resolution done: hold on until the other writer has started
    if stage == "events":
        (signals / "a-inside").touch()
        deadline = time.time() + 60
        while not (signals / "b-started").exists() and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(1.0)

with Store.open(sys.argv[1]) as store:
    rename(store, "Smirnov", "Ivan Smirnov", author="a", on_stage=pause)
"""


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while not path.exists():
        assert time.time() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def _both_hold(store: Store) -> bool:
    smirnov, smirnova = _entity_of(store, "Smirnov"), _entity_of(store, "Smirnova")
    names = {
        r[0]
        for r in store.conn.execute(
            "SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.name = 'Smirnov'"
        )
    }
    return smirnov == smirnova and len(smirnov) == 1 and names == {"Ivan Smirnov"}


def test_two_curation_commands_at_once_both_hold(tmp_path):
    db = tmp_path / "k.db"
    with Store.open(db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        resolve_corpus(store)
        assert _entity_of(store, "Smirnov") != _entity_of(store, "Smirnova")
    signals = tmp_path / "signals"
    signals.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rename = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RENAME, str(db), str(signals)], cwd=ROOT, env=env
    )
    _wait_for(signals / "a-inside")
    merge = subprocess.Popen(
        [sys.executable, "-m", "kartoteka", "merge", "Smirnov", "Smirnova"]
        + ["--db", str(db), "--author", "b"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    (signals / "b-started").touch()
    assert rename.wait(timeout=120) == 0
    _, err = merge.communicate(timeout=120)
    assert merge.returncode == 0, err
    with Store.open(db) as store:
        assert [r[0] for r in store.conn.execute("SELECT author FROM judgements")] == ["a", "b"]
        assert _both_hold(store)
        # and after a re-ingest, which re-applies the log to new mention rows
        with store.transaction() as conn:
            conn.execute("DELETE FROM documents")
        _ingest(store, "history.txt", HISTORY)
        _ingest(store, "memoir.txt", MEMOIR)
        resolve_corpus(store)
        assert _both_hold(store)


def test_a_decision_that_cannot_hold_fails_and_leaves_no_trace(tmp_path):
    from kartoteka.curation import CurationError, add_judgement
    from kartoteka.resolve import Ref

    db = tmp_path / "k.db"
    with Store.open(db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        resolve_corpus(store)
        # a reference to no mention: resolution could not apply it, so it is not logged
        with pytest.raises(CurationError, match="does not hold"):
            add_judgement(store, "same", [Ref("memoir.txt", "Reiss")], [Ref("x.txt", "Nobody")])
        assert store.conn.execute("SELECT COUNT(*) FROM judgements").fetchone()[0] == 0
