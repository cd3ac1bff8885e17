"""The store: one SQLite file, the one source of truth for query, CLI, web and export.

`Store` owns the connection (one writer; WAL so readers never block it) and applies the
recorded migrations in `migrations/` on open. Reads and writes for each concern live in the
modules beside this one (`documents`, `resolution`, `facts`).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

DEFAULT_DB = "kartoteka.db"


#: How long a writer waits for another writer (an ingest's corpus stages can take a while)
#: before giving up with a message.
WRITE_WAIT_SECONDS = 120


class StoreError(Exception):
    """The store cannot be opened or is not a kartoteka store."""


class NoStore(StoreError):
    """There is no store at that path yet (and reading does not create one)."""


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
        self._depth = 0  # transactions open, the outermost one included

    @classmethod
    def open(
        cls, path: str | os.PathLike | None = None, *, migrate: bool = True, create: bool = True
    ) -> Store:
        """Open the store at `path` (default: `default_db_path()`).

        A file that is not a kartoteka store is refused before anything is written to it.
        With `create=False` (what reading needs) a missing or empty file is refused too
        (`NoStore`) and no file is made: only writing creates a store.
        """
        path = str(path if path is not None else default_db_path())
        if path != ":memory:":
            parent = Path(path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{path}: the folder {parent} does not exist; create it first")
            if _kind_of_file(path) != "kartoteka" and not create:
                raise NoStore(f"{path}: no kartoteka store here (nothing was created)")
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is
            # exactly what `transaction()` says and nothing is committed behind our back.
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_SECONDS * 1000}")
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
        """All or nothing: a crash inside leaves the store as it was.

        BEGIN IMMEDIATE takes the write lock at once, so what is read inside the transaction
        is still true when it is written back (two writers serialize instead of the later one
        overwriting the earlier). Inside another transaction this one joins it: the outer one
        commits or rolls back the whole."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            raise StoreError(
                f"{self.path}: another command has been writing to this store for over "
                f"{WRITE_WAIT_SECONDS} s; try again when it has finished"
            ) from e
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            self.conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Several reads from one snapshot: a read transaction (BEGIN DEFERRED, never a lock
        a writer waits for: under WAL a writer commits while it runs, and it keeps seeing the
        store as it was when it began). Inside another transaction it joins it. Write in
        `transaction()`, never in here."""
        if self._depth or self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # it only read: nothing to keep

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


def _kind_of_file(path: str) -> str:
    """ "missing", "empty" (no file, or a database without tables) or "kartoteka"; a file
    that is something else raises StoreError. Looked at read-only, so a file that is not ours
    is left exactly as it was."""
    if not os.path.exists(path):
        return "missing"
    if os.path.getsize(path) == 0:
        return "empty"
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            columns = {r[1] for r in conn.execute("PRAGMA table_info(schema_migrations)")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(
            f"{path}: not a kartoteka store ({e}); nothing was changed; choose another --db"
        ) from e
    if not tables:
        return "empty"
    if {"number", "name", "applied_at"} <= columns:
        return "kartoteka"
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    raise StoreError(
        f"{path}: not a kartoteka store (it holds other tables: {shown}); nothing was "
        "changed; choose another --db"
    )


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


# the corpus stages' marker -----------------------------------------------------------------

#: Set in the transaction of every document written, cleared in the transaction of the corpus
#: stages: while it is set, entities, events and relations are behind the documents.
CORPUS_STAGES_PENDING = "corpus_stages_pending"


def mark_corpus_stages_pending(conn: sqlite3.Connection, run_id: int | None) -> None:
    """Say, inside a document's transaction, that the corpus stages must run again, and
    which process will run them (so a reader can tell a running ingest from a dead one)."""
    value = json.dumps({"run": run_id, "pid": os.getpid(), "host": socket.gethostname()})
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
        " DO UPDATE SET value = excluded.value",
        (CORPUS_STAGES_PENDING, value),
    )


def corpus_stages_pending(store: Store) -> dict | None:
    """The marker (run, pid, host; empty for a store upgraded from before the marker) if the
    corpus stages are behind the documents, else None."""
    value = get_setting(store, CORPUS_STAGES_PENDING)
    if value is None:
        return None
    try:
        found = json.loads(value)
    except ValueError:
        found = None
    return found if isinstance(found, dict) else {}


def clear_corpus_stages_pending(conn: sqlite3.Connection) -> None:
    """Say, in the transaction of the corpus stages, that they have run: the marker goes, and
    the corpus generation changes (what derives from the whole corpus was rewritten)."""
    conn.execute("DELETE FROM settings WHERE key = ?", (CORPUS_STAGES_PENDING,))
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
        " DO UPDATE SET value = excluded.value",
        (CORPUS_GENERATION, secrets.token_hex(8)),
    )


#: A fresh token every time the corpus stages commit (after an ingest, a curation decision, an
#: authority load), so a cache of what was read from entities, events and relations can tell
#: it is stale: a cheap key, where hashing the tables would cost what the cache saves.
CORPUS_GENERATION = "corpus_generation"


def corpus_generation(store: Store) -> tuple[str | None, str | None]:
    """The store's corpus generation and its pending marker, as a cache key: both change
    whenever documents or what derives from them do (a store made before the token: None)."""
    rows = dict(
        store.conn.execute(
            "SELECT key, value FROM settings WHERE key IN (?, ?)",
            (CORPUS_GENERATION, CORPUS_STAGES_PENDING),
        ).fetchall()
    )
    return rows.get(CORPUS_GENERATION), rows.get(CORPUS_STAGES_PENDING)
