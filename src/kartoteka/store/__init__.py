"""The store: one SQLite file, the one source of truth for query, CLI, web and export.

`Store` owns the connection (one writer; WAL so readers never block it) and applies the
recorded migrations in `migrations/` on open. Reads and writes for each concern live in the
modules beside this one (`documents`, `resolution`, `facts`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

DEFAULT_DB = "kartoteka.db"


class StoreError(Exception):
    """The store cannot be opened or is not a kartoteka store."""


def default_db_path() -> str:
    """`KARTOTEKA_DB` if set, else ./kartoteka.db."""
    return os.environ.get("KARTOTEKA_DB") or DEFAULT_DB


def _migration_files() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("kartoteka.store").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found)


class Store:
    """An open kartoteka store.

    >>> store = Store.open(":memory:")
    >>> store.schema_version() >= 1
    True
    """

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, migrate: bool = True) -> Store:
        path = str(path if path is not None else default_db_path())
        if path != ":memory:":
            parent = Path(path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{path}: the folder {parent} does not exist; create it first")
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is
            # exactly what `transaction()` says and nothing is committed behind our back.
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA busy_timeout = 5000")
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{path}: not a kartoteka store ({e}); choose another --db") from e
        store = cls(conn, path)
        if migrate:
            store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a crash inside leaves the store as it was."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # migrations ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
        ).fetchone()
        if row is None:
            return 0
        return self.conn.execute(
            "SELECT COALESCE(MAX(number), 0) FROM schema_migrations"
        ).fetchone()[0]

    def applied_migrations(self) -> list[tuple[int, str]]:
        if self.schema_version() == 0:
            return []
        return [
            (r[0], r[1])
            for r in self.conn.execute("SELECT number, name FROM schema_migrations ORDER BY number")
        ]

    def migrate(self) -> list[str]:
        """Apply every shipped migration not yet applied, each in its own transaction."""
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
            )
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"{self.path}: not a kartoteka store ({e}); choose another --db"
            ) from e
        done = {n for n, _ in self.applied_migrations()}
        applied = []
        for number, name, sql in _migration_files():
            if number in done:
                continue
            with self.transaction() as conn:
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name)
                )
            applied.append(f"{number:04d}_{name}")
        return applied


def _split_sql(sql: str) -> list[str]:
    """Statements of a migration file, split where SQLite says one is complete
    (executescript would commit behind our transaction)."""
    statements, current = [], []
    for line in sql.splitlines():
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            statements.append("\n".join(current))
            current = []
    return statements


def get_setting(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_setting(store: Store, key: str, value: str | None) -> None:
    """Set `key`, or forget it when `value` is None or empty."""
    with store.transaction() as conn:
        if value:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                " DO UPDATE SET value = excluded.value",
                (key, value),
            )
        else:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
