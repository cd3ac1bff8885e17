"""The search index (SQLite FTS5, migration 0030): derived from the store, refreshed when
the store changes.

Documents are re-indexed one by one when their id, sha256 or ingest time changed; names all
at once when a signature of the entities and aliases changed. `kartoteka.corpus` refreshes
the index at the end of the corpus stages (after every ingest, curation decision and
authority load); the web app refreshes it when it starts, for stores made before that.
Reading (`kartoteka.query.search`) never writes.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime

from kartoteka.store import Store

__all__ = ["refresh_search_index", "index_document"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _names_signature(store: Store) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for row in store.conn.execute("SELECT id, name FROM entities ORDER BY id"):
        digest.update(f"{row[0]}\x1f{row[1]}\x1e".encode())
    for row in store.conn.execute("SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias"):
        digest.update(f"{row[0]}\x1f{row[1]}\x1d".encode())
    return digest.hexdigest()


def _insert_document(conn: sqlite3.Connection, doc_id: int) -> None:
    conn.execute(
        "INSERT INTO search_documents (rowid, title, text) SELECT id,"
        " COALESCE(title, name), text FROM documents WHERE id = ?",
        (doc_id,),
    )
    conn.execute(
        "INSERT INTO search_document_state (doc_id, sha256, ingested_at)"
        " SELECT id, sha256, ingested_at FROM documents WHERE id = ?",
        (doc_id,),
    )


def index_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Make one document's search entry again (its title changed); inside a transaction."""
    conn.execute("DELETE FROM search_documents WHERE rowid = ?", (doc_id,))
    conn.execute("DELETE FROM search_document_state WHERE doc_id = ?", (doc_id,))
    _insert_document(conn, doc_id)


def refresh_search_index(store: Store) -> dict:
    """Bring the search tables up to date; returns what was done (counts). Inside a
    transaction it joins it."""
    conn = store.conn
    stale_docs = conn.execute(
        "SELECT d.id FROM documents d LEFT JOIN search_document_state s ON s.doc_id = d.id"
        " WHERE s.doc_id IS NULL OR s.sha256 != d.sha256 OR s.ingested_at != d.ingested_at"
    ).fetchall()
    gone = conn.execute(
        "SELECT s.doc_id FROM search_document_state s LEFT JOIN documents d"
        " ON d.id = s.doc_id WHERE d.id IS NULL"
    ).fetchall()
    signature = _names_signature(store)
    row = conn.execute("SELECT signature FROM search_state WHERE what = 'names'").fetchone()
    names_stale = row is None or row[0] != signature
    if not (stale_docs or gone or names_stale):
        return {"documents": 0, "removed": 0, "names": False}
    with store.transaction() as tx:
        for (doc_id,) in [*stale_docs, *gone]:
            tx.execute("DELETE FROM search_documents WHERE rowid = ?", (doc_id,))
            tx.execute("DELETE FROM search_document_state WHERE doc_id = ?", (doc_id,))
        for (doc_id,) in stale_docs:
            _insert_document(tx, doc_id)
        if names_stale:
            tx.execute("DELETE FROM search_names")
            tx.execute("INSERT INTO search_names (name, entity_id) SELECT name, id FROM entities")
            tx.execute(
                "INSERT INTO search_names (name, entity_id) SELECT alias, entity_id FROM aliases"
            )
            tx.execute(
                "INSERT INTO search_state (what, signature, built_at) VALUES"
                " ('names', ?, ?) ON CONFLICT(what) DO UPDATE SET"
                " signature = excluded.signature, built_at = excluded.built_at",
                (signature, _now()),
            )
    return {"documents": len(stale_docs), "removed": len(gone), "names": names_stale}
