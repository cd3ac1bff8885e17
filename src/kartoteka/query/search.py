"""Search over names and text, with SQLite FTS5.

The search tables (migration 0030) are derived from the store and brought up to date by
`kartoteka.store.search.refresh_search_index` whenever the store changes (at the end of the
corpus stages, in the same transaction), so a search only reads.
"""

from __future__ import annotations

import re

from kartoteka.query.documents import document_labels
from kartoteka.store import Store

__all__ = ["search", "fts_query"]

# markers FTS5's snippet() puts around hits; control characters cannot occur in a query term
_HIT_OPEN, _HIT_CLOSE = "\x02", "\x03"
_TERM = re.compile(r"\w+", re.UNICODE)


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


def search(store: Store, text: str, *, limit: int = 20) -> dict:
    """Entities whose name or an alias matches, and documents whose text does, best first."""
    query = fts_query(text)
    result: dict = {"query": text, "fts": query, "entities": [], "documents": []}
    if query is None:
        return result
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
    labels = document_labels(store)
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
                "label": labels.get(r["id"]),
                "title": r["title"],
                "snippet": _snippet_parts(r["snippet"]),
            }
        )
    return result
