"""The store: recorded migrations, applied once, on a real SQLite file."""

import pytest

from kartoteka.store import Store, StoreError, _migration_files


def test_a_new_store_has_every_migration_recorded(tmp_path):
    store = Store.open(tmp_path / "k.db")
    shipped = [(n, name) for n, name, _ in _migration_files()]
    assert store.applied_migrations() == shipped
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_reopening_applies_nothing_twice(tmp_path):
    Store.open(tmp_path / "k.db").close()
    store = Store.open(tmp_path / "k.db")
    assert store.migrate() == []
    store.close()


def test_an_old_store_is_brought_up_to_date(tmp_path):
    path = tmp_path / "old.db"
    store = Store.open(path, migrate=False)
    store.conn.execute(
        "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT"
        " NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    first_number, first_name, first_sql = _migration_files()[0]
    store.conn.executescript(first_sql)
    store.conn.execute(
        "INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (first_number, first_name)
    )
    store.close()
    store = Store.open(path)
    assert len(store.applied_migrations()) == len(_migration_files())
    store.close()


def test_a_failed_transaction_leaves_the_store_as_it_was(tmp_path):
    store = Store.open(tmp_path / "k.db")
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO runs (started_at, command, pipeline_version) VALUES ('now', 'x', 'v')"
            )
            raise RuntimeError("crash")
    assert store.conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    store.close()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a kartoteka store"):
        Store.open(path)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "k.db")
