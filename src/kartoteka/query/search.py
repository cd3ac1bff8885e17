"""Search over names and text, with SQLite FTS5.

The search tables (migration 0030) are derived from the store and brought up to date by
`kartoteka.store.search.refresh_search_index` whenever the store changes (at the end of the
corpus stages, in the same transaction), so a search only reads: in one read transaction,
which never keeps a writer waiting.

A search is bounded: at most `MAX_TERMS` words, a page of results at a time, and
`SEARCH_SECONDS` of work, after which it answers with what it has and says so. FTS5 ranks the
documents (fast: it reads the index); the snippet of each is cut here, around the first hit
in the text, because FTS5's snippet() scores every hit of the document, which for "the" in a
long text took half a minute.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from functools import lru_cache

from kartoteka.query.documents import document_labels
from kartoteka.query.limits import Deadline, is_interrupted, time_limit
from kartoteka.store import Store

__all__ = ["search", "fts_query", "SEARCH_SECONDS", "MAX_TERMS"]

#: How long one search may read (seconds) before it answers with what it found so far.
SEARCH_SECONDS = 2.0
#: Words of a query beyond these are dropped (each costs a pass over the index).
MAX_TERMS = 16
#: Characters of a snippet before and after its first hit.
_BEFORE, _AFTER = 90, 160

_TERM = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """A user's words as an FTS5 query: every word must occur, the last as a prefix
    ("Skob" finds Skoblin). Operators and quotes typed by the user are taken as words, so no
    input is a syntax error. None when there is no word at all.

    >>> fts_query('Skob " OR NEAR(')
    '"Skob" "OR" "NEAR"*'
    """
    terms = _terms(text)
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _terms(text: str | None) -> list[str]:
    return _TERM.findall(text or "")[:MAX_TERMS]


def search(
    store: Store,
    text: str,
    *,
    limit: int = 20,
    offset: int = 0,
    seconds: float = SEARCH_SECONDS,
) -> dict:
    """Entities whose name or an alias matches, and documents whose text does, best first:
    the page of `limit` from `offset` on (`more`: whether another page follows). Past
    `seconds`, what was found so far, with `complete` False and a `note` saying so."""
    query = fts_query(text)
    result: dict = {
        "query": text,
        "fts": query,
        "limit": limit,
        "offset": offset,
        "entities": [],
        "documents": [],
        "more": False,
        "complete": True,
        "note": None,
    }
    if query is None:
        return result
    with store.reading() as conn, time_limit(conn, seconds) as deadline:
        try:
            _names(conn, query, limit, offset, result)
            _documents(store, query, _terms(text), limit, offset, deadline, result)
        except sqlite3.OperationalError as e:
            if not is_interrupted(e):
                raise
            result["complete"] = False
    if not result["complete"]:
        result["note"] = (
            f"stopped after {seconds:g} s with what it had found; refine the search "
            "(more words, rarer words)"
        )
    return result


def _names(conn: sqlite3.Connection, query: str, limit: int, offset: int, result: dict) -> None:
    rows = conn.execute(
        "SELECT s.entity_id AS id, min(s.rank) AS best, e.name, e.type, e.mention_count,"
        " e.doc_count, (SELECT n.name FROM search_names n WHERE n.entity_id = s.entity_id"
        " AND search_names MATCH :q ORDER BY n.rank LIMIT 1) AS matched"
        " FROM search_names s JOIN entities e ON e.id = s.entity_id"
        " WHERE search_names MATCH :q GROUP BY s.entity_id"
        " ORDER BY best, e.mention_count DESC, s.entity_id LIMIT :limit OFFSET :offset",
        {"q": query, "limit": limit + 1, "offset": offset},
    ).fetchall()
    result["more"] = len(rows) > limit
    # the page is the best matches; on it, the most mentioned first (as a reader looks)
    page = sorted(rows[:limit], key=lambda r: -r["mention_count"])
    result["entities"] = [
        {k: r[k] for k in ("id", "matched", "name", "type", "mention_count", "doc_count")}
        for r in page
    ]


def _documents(
    store: Store,
    query: str,
    terms: list[str],
    limit: int,
    offset: int,
    deadline: Deadline,
    result: dict,
) -> None:
    conn = store.conn
    rows = conn.execute(
        "SELECT s.rowid AS id, d.name, d.title FROM search_documents s"
        " JOIN documents d ON d.id = s.rowid"
        " WHERE search_documents MATCH ? ORDER BY s.rank LIMIT ? OFFSET ?",
        (query, limit + 1, offset),
    ).fetchall()
    result["more"] = result["more"] or len(rows) > limit
    labels = document_labels(store) if rows else {}
    hits = _hit_pattern(tuple(terms))
    for r in rows[:limit]:
        text = None if deadline.passed() else _text(conn, r["id"])
        if text is None:  # out of time: the rest are listed without their passage
            result["complete"] = False
        result["documents"].append(
            {
                "id": r["id"],
                "name": r["name"],
                "label": labels.get(r["id"]),
                "title": r["title"],
                "snippet": _snippet(text, hits) if text is not None else [],
            }
        )


def _text(conn: sqlite3.Connection, doc_id: int) -> str | None:
    row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def _snippet(text: str, hits: re.Pattern) -> list[dict]:
    """A window of `text` around its first hit, as pieces [{text, hit}] (so a page marks
    hits without trusting markup); the start of the text if no hit is found."""
    first = hits.search(text)
    start = 0 if first is None else max(0, first.start() - _BEFORE)
    end = min(len(text), (first.end() if first else 0) + _AFTER)
    if start > 0:  # begin and end on a word boundary
        space = text.find(" ", start, start + 20)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    window = " ".join(text[start:end].split())
    parts: list[dict] = [{"text": "…", "hit": False}] if start > 0 else []
    last = 0
    for m in hits.finditer(window):
        if m.start() > last:
            parts.append({"text": window[last : m.start()], "hit": False})
        parts.append({"text": m.group(), "hit": True})
        last = m.end()
    if last < len(window):
        parts.append({"text": window[last:], "hit": False})
    if end < len(text):
        parts.append({"text": "…", "hit": False})
    return parts


@lru_cache(maxsize=256)
def _hit_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """The words of a query as FTS5 finds them: whole words, any case, accents ignored
    (the index folds them: "muller" finds Müller), the last word as a prefix."""
    alternatives = []
    for i, term in enumerate(terms):
        body = "".join(_letter_class(c) for c in term)
        alternatives.append(body + (r"\w*" if i == len(terms) - 1 else r"(?!\w)"))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def _letter_class(c: str) -> str:
    base = _fold(c)
    variants = _accented().get(base, "")
    if not variants and base == c:
        return re.escape(c)
    return "[" + re.escape(base + c + variants) + "]"


def _fold(c: str) -> str:
    decomposed = unicodedata.normalize("NFD", c)
    bare = "".join(x for x in decomposed if not unicodedata.combining(x))
    return bare.lower() if len(bare) == 1 else c


@lru_cache(maxsize=1)
def _accented() -> dict[str, str]:
    """Base letter -> the Latin letters with diacritics that fold to it (à, Ä, ő, ...)."""
    found: dict[str, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        c = chr(code)
        base = _fold(c)
        if base != c.lower() and base.isascii() and base.isalpha():
            found[base] = found.get(base, "") + c
    return found
