"""Search over names and text, with SQLite FTS5.

The search tables (migration 0030) are derived from the store and brought up to date here,
never by ingest or resolution: documents one by one when their id, sha256 or ingest time
changed, names all at once when a signature of the entities and aliases changed. The web app
calls `ensure_index` when it starts and `search` calls it before every query, so a store
changed by the command line while the app runs is still searched right.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from kartoteka.store import Store

__all__ = ["ensure_index", "search", "fts_query"]

# markers FTS5's snippet() puts around hits; control characters cannot occur in a query term
_HIT_OPEN, _HIT_CLOSE = "\x02", "\x03"
_TERM = re.compile(r"\w+", re.UNICODE)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _names_signature(store: Store) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for row in store.conn.execute("SELECT id, name FROM entities ORDER BY id"):
        digest.update(f"{row[0]}\x1f{row[1]}\x1e".encode())
    for row in store.conn.execute("SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias"):
        digest.update(f"{row[0]}\x1f{row[1]}\x1d".encode())
    return digest.hexdigest()


def ensure_index(store: Store) -> dict:
    """Bring the search tables up to date; returns what was done (counts)."""
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
            tx.execute(
                "INSERT INTO search_documents (rowid, title, text) SELECT id,"
                " COALESCE(title, name), text FROM documents WHERE id = ?",
                (doc_id,),
            )
            tx.execute(
                "INSERT INTO search_document_state (doc_id, sha256, ingested_at)"
                " SELECT id, sha256, ingested_at FROM documents WHERE id = ?",
                (doc_id,),
            )
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


def fts_query(text: str) -> str | None:
    """A user's words as an FTS5 query: every word must occur, the last as a prefix
    ("Skob" finds Skoblin). Operators and quotes typed by the user are taken as words, so no
    input is a syntax error. None when there is no word at all."""
    terms = _TERM.findall(text or "")
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _snippet_parts(snippet: str) -> list[dict]:
    """A snippet as pieces [{text, hit}], so a page can mark hits without trusting markup."""
    parts, hit = [], False
    for piece in re.split(f"([{_HIT_OPEN}{_HIT_CLOSE}])", snippet):
        if piece == _HIT_OPEN:
            hit = True
        elif piece == _HIT_CLOSE:
            hit = False
        elif piece:
            parts.append({"text": piece, "hit": hit})
    return parts


def search(store: Store, text: str, *, limit: int = 20, refresh: bool = True) -> dict:
    """Entities whose name or an alias matches, and documents whose text does, best first."""
    query = fts_query(text)
    result = {"query": text, "fts": query, "entities": [], "documents": []}
    if query is None:
        return result
    if refresh:
        ensure_index(store)
    conn = store.conn
    seen: dict[int, dict] = {}
    for r in conn.execute(
        "SELECT s.entity_id AS id, s.name AS matched, e.name, e.type, e.mention_count,"
        " e.doc_count FROM search_names s JOIN entities e ON e.id = s.entity_id"
        " WHERE search_names MATCH ? ORDER BY s.rank, e.mention_count DESC LIMIT ?",
        (query, limit * 5),
    ):
        if r["id"] not in seen and len(seen) < limit:
            seen[r["id"]] = dict(r)
    result["entities"] = sorted(seen.values(), key=lambda e: -e["mention_count"])
    for r in conn.execute(
        "SELECT s.rowid AS id, d.name, d.title, snippet(search_documents, 1, ?, ?, '…', 16)"
        " AS snippet FROM search_documents s JOIN documents d ON d.id = s.rowid"
        " WHERE search_documents MATCH ? ORDER BY s.rank LIMIT ?",
        (_HIT_OPEN, _HIT_CLOSE, query, limit),
    ):
        result["documents"].append(
            {
                "id": r["id"],
                "name": r["name"],
                "title": r["title"],
                "snippet": _snippet_parts(r["snippet"]),
            }
        )
    return result
