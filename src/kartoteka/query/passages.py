"""Where a span stands in its source: the page of a paged source, the sentence around a
mention, the text of a passage. For the exports and the document page."""

from __future__ import annotations

import json
from bisect import bisect_right

from kartoteka.read.pages import Box, PageMap, boxes_from_json
from kartoteka.store import Store


def page_maps(store: Store) -> dict[int, PageMap]:
    """The page map of every paged document, by document id."""
    return {
        r["id"]: PageMap.from_json(json.loads(r["page_map"]))
        for r in store.conn.execute("SELECT id, page_map FROM documents WHERE page_map IS NOT NULL")
    }


def page_map(store: Store, doc_id: int) -> PageMap | None:
    row = store.conn.execute("SELECT page_map FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return PageMap.from_json(json.loads(row[0])) if row and row[0] else None


def boxes(store: Store, doc_id: int) -> list[Box]:
    """The line and word boxes of an OCR'd (or PDF) document, in text order."""
    row = store.conn.execute("SELECT boxes FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return boxes_from_json(json.loads(row[0])) if row and row[0] else []


def document_texts(store: Store) -> dict[int, str]:
    """The original text of every document, by id."""
    return {r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")}


class Sentences:
    """The sentence spans of every document, to find the sentence around a span."""

    def __init__(self, store: Store):
        self._starts: dict[int, list[int]] = {}
        self._ends: dict[int, list[int]] = {}
        for r in store.conn.execute(
            'SELECT doc_id, start, "end" FROM sentences ORDER BY doc_id, idx'
        ):
            self._starts.setdefault(r["doc_id"], []).append(r["start"])
            self._ends.setdefault(r["doc_id"], []).append(r["end"])

    def around(self, doc_id: int, start: int, end: int) -> tuple[int, int]:
        """The span of the sentence(s) holding [start, end), or the span itself."""
        starts, ends = self._starts.get(doc_id), self._ends.get(doc_id)
        if not starts or not ends:
            return start, end
        i = max(bisect_right(starts, start) - 1, 0)
        j = max(bisect_right(starts, max(end - 1, start)) - 1, i)
        return min(starts[i], start), max(ends[j], end)
