"""Writing a document and its annotation, and reading documents back."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime

from kartoteka.model import Annotation, Document, SourceMetadata
from kartoteka.read.offsets import load_offset_map
from kartoteka.read.pages import boxes_to_json
from kartoteka.time.values import bounds

# Tables holding what annotation found in one document, cleared when it is re-ingested.
# event_roles goes with event_mentions by ON DELETE CASCADE.
_PER_DOCUMENT_TABLES = (
    "sentences",
    "mentions",
    "timexes",
    "event_mentions",
    "relation_mentions",
    "stated_links",
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def find_document(conn: sqlite3.Connection, path: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, sha256, pipeline_version, as_of, title, author, date, kind, reliability,"
        " metadata_from FROM documents WHERE path = ?",
        (path,),
    ).fetchone()


def described(document: Document) -> dict:
    """The columns that say what a source is (title shown, author, date, kind, reliability,
    where that came from): what a change of its metadata alone rewrites."""
    metadata = document.metadata or SourceMetadata()
    return dict(
        title=document.shown_title,
        author=metadata.author,
        date=metadata.date,
        kind=metadata.kind,
        reliability=metadata.reliability,
        metadata_from=metadata.origin,
    )


def update_description(conn: sqlite3.Connection, doc_id: int, document: Document) -> None:
    """Rewrite what is known of a source whose text and annotation stay as they are; call
    inside a transaction. Its title is searched, so its search entry is made again."""
    from kartoteka.store.search import index_document

    columns = described(document)
    conn.execute(
        f"UPDATE documents SET {', '.join(f'{k} = :{k}' for k in columns)} WHERE id = :id",
        {**columns, "id": doc_id},
    )
    index_document(conn, doc_id)


def write_document(
    conn: sqlite3.Connection,
    document: Document,
    annotation: Annotation,
    *,
    pipeline_version: str,
    run_id: int | None,
) -> int:
    """Insert or replace `document` with its annotation; call inside a transaction.

    A re-ingested document keeps its id (links to it stay valid) and loses every row its
    previous version produced.
    """
    existing = find_document(conn, document.path)
    row = dict(
        path=document.path,
        name=document.name,
        **described(document),
        sha256=document.sha256,
        encoding=document.encoding,
        as_of=document.as_of,
        text=document.text,
        clean_text=document.clean_text,
        offset_map=json.dumps(document.offset_map.to_json(), separators=(",", ":")),
        removals=json.dumps([asdict(r) for r in document.removals], ensure_ascii=False),
        page_map=_json_or_null(document.page_map and document.page_map.to_json()),
        boxes=_json_or_null(boxes_to_json(document.boxes)),
        words=annotation.words,
        pipeline_version=pipeline_version,
        run_id=run_id,
        ingested_at=now(),
    )
    if existing:
        doc_id = existing["id"]
        for table in _PER_DOCUMENT_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        conn.execute(
            f"UPDATE documents SET {', '.join(f'{k} = :{k}' for k in row)} WHERE id = :id",
            {**row, "id": doc_id},
        )
    else:
        cursor = conn.execute(
            f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})",
            row,
        )
        doc_id = cursor.lastrowid
    _write_annotation(conn, doc_id, annotation)
    return doc_id


def _json_or_null(value) -> str | None:
    return json.dumps(value, separators=(",", ":")) if value else None


def _write_annotation(conn: sqlite3.Connection, doc_id: int, annotation: Annotation) -> None:
    conn.executemany(
        'INSERT INTO sentences (doc_id, idx, start, "end") VALUES (?, ?, ?, ?)',
        [(doc_id, i, s.start, s.end) for i, s in enumerate(annotation.sentences)],
    )
    conn.executemany(
        'INSERT INTO mentions (doc_id, idx, start, "end", text, name, title, type, sentence,'
        " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc_id, i, m.start, m.end, m.text, m.name, m.title, m.type, m.sentence, m.source)
            for i, m in enumerate(annotation.mentions)
        ],
    )
    conn.executemany(
        'INSERT INTO stated_links (doc_id, head_idx, alias_idx, cue, start, "end")'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(doc_id, k.head, k.alias, k.cue, k.start, k.end) for k in annotation.links],
    )
    conn.executemany(
        'INSERT INTO timexes (doc_id, idx, start, "end", text, type, value, timex3, lower,'
        " upper, anchor, mod) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                i,
                t.start,
                t.end,
                t.text,
                t.type,
                t.value,
                t.timex3,
                t.lower,
                t.upper,
                t.anchor,
                t.mod,
            )
            for i, t in enumerate(annotation.timexes)
        ],
    )
    for i, e in enumerate(annotation.events):
        lower, upper = bounds(e.date) if e.date else (None, None)
        cursor = conn.execute(
            "INSERT INTO event_mentions (doc_id, idx, type, trigger_start, trigger_end,"
            " trigger_text, evidence_start, evidence_end, date, date_lower, date_upper,"
            " date_source, timex_idx, place_mention_idx, modality, refers_back)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                i,
                e.type,
                e.trigger.start,
                e.trigger.end,
                e.trigger.text,
                e.evidence.start,
                e.evidence.end,
                e.date,
                lower,
                upper,
                e.date_source,
                e.timex,
                e.place,
                e.modality,
                int(e.refers_back),
            ),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO event_roles (event_mention_id, role, mention_idx)"
            " VALUES (?, ?, ?)",
            [(cursor.lastrowid, role, idx) for role, idxs in e.roles.items() for idx in idxs],
        )
    conn.executemany(
        "INSERT INTO relation_mentions (doc_id, subject_idx, predicate, object_idx,"
        " evidence_start, evidence_end, pattern) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (doc_id, r.subject, r.predicate, r.object, r.evidence.start, r.evidence.end, r.pattern)
            for r in annotation.relations
        ],
    )


def documents(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT d.id, d.name, d.path, d.title, d.sha256, d.words, d.ingested_at,"
        " (SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id) AS mentions"
        " FROM documents d ORDER BY d.name, d.id"
    ).fetchall()


def document_text(conn: sqlite3.Connection, doc_id: int) -> str | None:
    row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def document_offset_map(conn: sqlite3.Connection, doc_id: int):
    row = conn.execute("SELECT offset_map FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return load_offset_map(json.loads(row[0])) if row else None


# how documents are named ---------------------------------------------------------------------
#
# A document is the file it was read from: its path as stored (absolute, unique in the store).
# Two files of one name in different folders are two documents; resolution and the judgement
# log name documents by path, and people see the shortest end of the path that tells a
# document from the others of its name ("a/notes.txt").


def path_parts(path: str) -> tuple[str, ...]:
    """The folders and file name of a stored path, last first, whichever separator it uses.

    >>> path_parts("/corpus/a/notes.txt")
    ('notes.txt', 'a', 'corpus')
    >>> path_parts("notes.txt")
    ('notes.txt',)
    """
    return tuple(reversed([p for p in path.replace("\\", "/").split("/") if p]))


def common_tail(a: str, b: str) -> int:
    """How many path parts `a` and `b` end with in common (0: not even the file name).

    >>> common_tail("/old/corpus/a/notes.txt", "/new/corpus/a/notes.txt")
    3
    >>> common_tail("notes.txt", "/corpus/b/notes.txt")
    1
    """
    n = 0
    for x, y in zip(path_parts(a), path_parts(b)):
        if x != y:
            break
        n += 1
    return n


def path_labels(paths: list[str]) -> dict[str, str]:
    """Each path's label: its file name when no other path ends with it, else the fewest
    trailing parts that no other path of that file name ends with.

    >>> path_labels(["/c/a/notes.txt", "/c/b/notes.txt", "/c/memoir.txt"])
    {'/c/a/notes.txt': 'a/notes.txt', '/c/b/notes.txt': 'b/notes.txt', '/c/memoir.txt': 'memoir.txt'}
    """
    by_file: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for path in dict.fromkeys(paths):
        parts = path_parts(path) or (path,)
        by_file.setdefault(parts[0], []).append((parts, path))
    labels: dict[str, str] = {}
    for left in by_file.values():
        # one count per depth: a thousand index.html cost a thousand steps per depth
        depth = 1
        while left:
            counts = Counter(parts[:depth] for parts, _ in left)
            for parts, path in left:
                if counts[parts[:depth]] == 1:
                    labels[path] = "/".join(reversed(parts[:depth]))
                elif depth >= len(parts):  # the same parts written two ways: the path itself
                    labels[path] = path
            left = [(parts, path) for parts, path in left if path not in labels]
            depth += 1
    return {path: labels[path] for path in paths}
