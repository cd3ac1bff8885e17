"""Store reads and writes for resolution: mentions, judgements and authorities in; entities,
aliases, suggestions and `mentions.entity_id` out.

Nothing here runs resolution (that is `kartoteka.corpus`) or decides anything (that is
`kartoteka.curation`); the writers expect to run inside `Store.transaction()`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from kartoteka.resolve import (
    Authority,
    Entity,
    Judgement,
    MentionRecord,
    Ref,
    Resolution,
    StatedLinkRecord,
)
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders
from kartoteka.store.documents import common_tail, now, path_parts


def document_keys(conn: sqlite3.Connection) -> dict[int, str]:
    """document id -> the key resolution and the judgement log name it by: its path as
    stored, unique in the store (two files of one name in two folders are two documents)."""
    return {row[0]: row[1] for row in conn.execute("SELECT id, path FROM documents")}


class DocumentIndex:
    """Finds the documents a logged reference means. A judgement names a document by its
    path; one logged before documents were named by path names it by file name alone, and a
    corpus folder may have moved since. So: the document with that path; else those whose
    path ends the same way for the most folders: at least the file name for a bare file
    name, the file name and its folder for a path (a notes.txt in another folder is another
    document); among several, those that hold the name the reference is about. One found:
    that document. Several: ambiguous."""

    def __init__(self, store: Store):
        self.conn = store.conn
        self.paths = set(document_keys(self.conn).values())
        self._by_file: dict[str, list[str]] = {}
        for path in self.paths:
            self._by_file.setdefault((path_parts(path) or (path,))[0], []).append(path)

    def documents(self, doc: str, name: str) -> tuple[str, ...]:
        """The paths `doc` may mean for mentions named `name` (none: no such document)."""
        if doc in self.paths:
            return (doc,)
        parts = path_parts(doc)
        candidates = self._by_file.get(parts[0], []) if parts else []
        tails = {c: common_tail(doc, c) for c in candidates}
        candidates = [c for c in candidates if tails[c] >= min(len(parts), 2)]
        if len(candidates) > 1:
            best = max(tails[c] for c in candidates)
            candidates = [c for c in candidates if tails[c] == best]
        if len(candidates) > 1:
            holding = [c for c in candidates if self._holds(c, name)]
            candidates = holding or candidates
        return tuple(sorted(candidates))

    def pinned(self, ref: Ref) -> Ref | None:
        """`ref` naming its document by path; None if it may mean several documents. A
        document the store does not hold (any more) is left as logged: the judgement is stale
        until it comes back."""
        if ref.doc is None:
            return ref
        found = self.documents(ref.doc, ref.name)
        if len(found) > 1:
            return None
        return Ref(found[0], ref.name) if found else ref

    def _holds(self, path: str, name: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM mentions m JOIN documents d ON d.id = m.doc_id"
                " WHERE d.path = ? AND m.name = ? LIMIT 1",
                (path, name),
            ).fetchone()
            is not None
        )


def read_mentions(store: Store, doc_ids: Iterable[int] | None = None) -> list[MentionRecord]:
    """Every mention in the store (or in the documents `doc_ids`), with the sentence it
    stands in as context; `doc` is the document's key (`document_keys`)."""
    return list(iter_mentions(store, doc_ids))


def iter_mentions(store: Store, doc_ids: Iterable[int] | None = None) -> Iterator[MentionRecord]:
    """`read_mentions` a few hundred documents at a time: the texts, sentences and dates of
    one chunk are all that is held besides the records, and a caller that does not keep
    them (resolve() groups them into units) never holds the whole corpus's."""
    if doc_ids is None:
        # every mention has its document (a foreign key, deleted with it)
        wanted = [r[0] for r in store.conn.execute("SELECT id FROM documents ORDER BY id")]
    else:
        wanted = sorted(set(doc_ids))
    shared: dict = {}
    for chunk in batches(wanted):
        yield from _mention_records(store.conn, chunk, shared)


def read_mention_names(store: Store) -> list[MentionRecord]:
    """Every mention as `read_mentions` gives it, but without its context and year: what
    writing resolution's result needs (which document, which name), at a fraction of the
    memory."""
    docs = {
        row[0]: (row[1], row[0]) for row in store.conn.execute("SELECT id, path FROM documents")
    }
    shared: dict = {}
    return [
        MentionRecord(
            id=row[0],
            doc=docs[row[1]][0],
            start=row[2],
            end=row[3],
            text=shared.setdefault(row[4], row[4]),
            name=shared.setdefault(row[5], row[5]),
            type=shared.setdefault(row[6], row[6]),
            title=shared.setdefault(row[7], row[7]),
            doc_id=docs[row[1]][1],
        )
        for row in store.conn.execute(
            'SELECT id, doc_id, start, "end", text, name, type, title FROM mentions'
            " ORDER BY doc_id, start, id"
        )
    ]


def _mention_records(
    conn: sqlite3.Connection, doc_ids: list[int] | None, shared: dict
) -> list[MentionRecord]:
    """The records of the documents `doc_ids` (None: all); `shared` holds one copy of each
    name, type and title string met so far, for all the records to share."""
    where = f" WHERE id IN ({','.join('?' * len(doc_ids))})" if doc_ids is not None else ""
    docs = {}
    for row in conn.execute("SELECT id, path, text FROM documents" + where, doc_ids or ()):
        docs[row["id"]] = (row["path"], row["text"], row["id"])
    where = where.replace("id IN", "doc_id IN")
    sentences: dict[tuple[int, int], tuple[int, int]] = {}
    for row in conn.execute(
        'SELECT doc_id, idx, start, "end" FROM sentences' + where, doc_ids or ()
    ):
        sentences[(row["doc_id"], row["idx"])] = (row["start"], row["end"])
    years = _timex_years(conn, where, doc_ids)
    records = []
    # the mentions of one sentence share one string of it (a corpus holds millions)
    contexts: dict[tuple[int, int, int], str] = {}
    for row in conn.execute(
        'SELECT id, doc_id, start, "end", text, name, title, type, sentence FROM mentions'
        + where
        + " ORDER BY doc_id, start, id",
        doc_ids or (),
    ):
        doc_name, text, doc_id = docs.get(row["doc_id"], (str(row["doc_id"]), "", row["doc_id"]))
        span = sentences.get((row["doc_id"], row["sentence"]))
        if span is None:  # no sentence stored: a window around the mention will do
            span = (max(0, row["start"] - 150), min(len(text), row["end"] + 150))
        where_in = (row["doc_id"], span[0], span[1])
        context = contexts.get(where_in)
        if context is None:
            context = contexts[where_in] = text[span[0] : span[1]]
        records.append(
            MentionRecord(
                id=row["id"],
                doc=doc_name,
                start=row["start"],
                end=row["end"],
                text=shared.setdefault(row["text"], row["text"]),
                name=shared.setdefault(row["name"], row["name"]),
                type=shared.setdefault(row["type"], row["type"]),
                title=shared.setdefault(row["title"], row["title"]),
                context=context,
                doc_id=doc_id,
                context_start=row["start"] - span[0],
                year=_nearest_year(years.get(row["doc_id"], []), row["start"]),
            )
        )
    return records


#: how far (in characters) a date may stand from a name and still tell the name's time
YEAR_REACH = 600


def _timex_years(
    conn: sqlite3.Connection, where: str = "", doc_ids: list[int] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Per document (those `where` keeps), (offset, year) of every dated time expression, in
    text order."""
    out: dict[int, list[tuple[int, int]]] = {}
    dated = (
        where.replace(" WHERE ", " WHERE type = 'DATE' AND ") if where else " WHERE type = 'DATE'"
    )
    for row in conn.execute(
        "SELECT doc_id, start, value FROM timexes" + dated + " ORDER BY doc_id, start",
        doc_ids or (),
    ):
        m = re.match(r"(\d{4})", row["value"] or "")
        if m:
            out.setdefault(row["doc_id"], []).append((row["start"], int(m.group(1))))
    return out


def _nearest_year(years: list[tuple[int, int]], pos: int) -> int | None:
    """The year of the dated expression nearest a name, if one stands within YEAR_REACH."""
    i = bisect_right(years, (pos, 10**6))
    near = [years[j] for j in (i - 1, i) if 0 <= j < len(years)]
    best = min(near, key=lambda t: abs(t[0] - pos), default=None)
    return best[1] if best and abs(best[0] - pos) <= YEAR_REACH else None


def read_stated_links(store: Store, doc_ids: Iterable[int] | None = None) -> list[StatedLinkRecord]:
    """What the texts (or those of the documents `doc_ids`) say about identity, as links
    between mention ids; `doc` is the document's key, as for mentions (`document_keys`)."""
    sql = (
        'SELECT k.id AS link, h.id AS head, a.id AS alias, k.cue, k.start, k."end",'
        " d.name AS doc, d.path FROM stated_links k JOIN documents d ON d.id = k.doc_id"
        " JOIN mentions h ON h.doc_id = k.doc_id AND h.idx = k.head_idx"
        " JOIN mentions a ON a.doc_id = k.doc_id AND a.idx = k.alias_idx"
    )
    if doc_ids is None:
        rows = list(store.conn.execute(sql + " ORDER BY k.id"))
    else:
        rows = []
        for chunk in batches(sorted(set(doc_ids))):
            where = f" WHERE k.doc_id IN ({placeholders(chunk)})"
            rows.extend(store.conn.execute(sql + where, chunk))
        rows.sort(key=lambda r: r["link"])  # the order of the full read
    return [
        StatedLinkRecord(
            head=row["head"],
            alias=row["alias"],
            cue=row["cue"],
            doc=row["path"],
            start=row["start"],
            end=row["end"],
        )
        for row in rows
    ]


def read_judgements(store: Store, *, as_stored: bool = False) -> list[Judgement]:
    """The judgement log, oldest first, each reference naming its document by the path
    resolution keys it by (`DocumentIndex`). A judgement with a reference that may mean
    several documents (a file name from an older log that two folders share) is left out:
    it cannot be told which was meant (`query.review.judgement_log` marks it). With `as_stored`,
    the log exactly as written."""
    index = None if as_stored else DocumentIndex(store)
    out = []
    for row in store.conn.execute("SELECT * FROM judgements ORDER BY id"):
        j = Judgement(
            kind=row["kind"],
            left=tuple(Ref.from_json(r) for r in json.loads(row["left_ref"])),
            right=tuple(Ref.from_json(r) for r in json.loads(row["right_ref"] or "[]")),
            value=row["value"],
            author=row["author"],
            created_at=row["created_at"],
            note=row["note"],
            id=row["id"],
        )
        if index is not None:
            left = [index.pinned(r) for r in j.left]
            right = [index.pinned(r) for r in j.right]
            if None in left or None in right:
                continue
            j = replace(j, left=tuple(filter(None, left)), right=tuple(filter(None, right)))
        out.append(j)
    return out


def read_authorities(store: Store) -> list[Authority]:
    return [
        Authority(
            canonical=row["canonical"],
            type=row["type"],
            variants=tuple(json.loads(row["variants"])),
            identifier=row["identifier"],
            source=row["source"],
            lat=row["lat"],
            lon=row["lon"],
        )
        for row in store.conn.execute("SELECT * FROM authorities ORDER BY id")
    ]


def append_judgement(conn: sqlite3.Connection, judgement: Judgement) -> int:
    """Add a line to the judgement log (it is never rewritten); returns its id."""
    cur = conn.execute(
        "INSERT INTO judgements (kind, left_ref, right_ref, value, author, created_at, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            judgement.kind,
            json.dumps([r.to_json() for r in judgement.left], ensure_ascii=False),
            json.dumps([r.to_json() for r in judgement.right], ensure_ascii=False),
            judgement.value,
            judgement.author,
            judgement.created_at,
            judgement.note,
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def replace_authorities(
    conn: sqlite3.Connection, source: str, entries: Iterable[Authority]
) -> None:
    """Put the entries of one authority file in place of an earlier load of it."""
    loaded_at = now()
    conn.execute("DELETE FROM authorities WHERE source = ?", (source,))
    conn.executemany(
        "INSERT INTO authorities (source, canonical, type, identifier, variants, loaded_at,"
        " lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                source,
                a.canonical,
                a.type,
                a.identifier,
                json.dumps(list(a.variants), ensure_ascii=False),
                loaded_at,
                a.lat,
                a.lon,
            )
            for a in entries
        ],
    )


def refs_of_entity(store: Store, entity_id: int) -> tuple[Ref, ...]:
    """The stable references of an entity: every (document path, alias) pair it holds now."""
    refs = {
        Ref(m["path"], m["name"])
        for m in store.conn.execute(
            "SELECT d.path AS path, m.name AS name FROM mentions m"
            " JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = ?",
            (entity_id,),
        )
    }
    return tuple(sorted(refs, key=lambda r: (r.doc or "", r.name)))


def entities_holding(store: Store, refs: Iterable[Ref]) -> Counter[int | None]:
    """How many of the mentions `refs` name each entity holds (None: left unresolved)."""
    index = DocumentIndex(store)
    wanted: dict[str | None, set[str]] = {}
    for ref in refs:
        pinned = index.pinned(ref)
        if pinned is not None:
            wanted.setdefault(pinned.doc, set()).add(pinned.name)
    held: Counter[int | None] = Counter()
    if not wanted:
        return held
    for row in store.conn.execute(
        "SELECT d.path AS doc, m.name AS name, m.entity_id FROM mentions m"
        " JOIN documents d ON d.id = m.doc_id"
    ):
        if row["name"] in wanted.get(row["doc"], ()) or row["name"] in wanted.get(None, ()):
            held[row["entity_id"]] += 1
    return held


def write_resolution(
    conn: sqlite3.Connection, resolution: Resolution, mentions: Sequence[MentionRecord]
) -> dict[str, int]:
    """Rewrite `entities`, `aliases`, `suggestions` and `mentions.entity_id` from a
    resolution of `mentions`; returns the entities' ids by key. Call inside a transaction."""
    # an entity whose key survives keeps its id, so links to /entity/42 stay valid
    previous = {r[0]: r[1] for r in conn.execute("SELECT key, id FROM entities")}
    conn.execute("UPDATE mentions SET entity_id = NULL")
    conn.execute("DELETE FROM suggestions")
    conn.execute("DELETE FROM aliases")
    conn.execute("DELETE FROM entities")
    entity_id = insert_entities(conn, resolution.entities, mentions, previous)
    _write_suggestions(conn, resolution, entity_id)
    return entity_id


def replace_entities(
    conn: sqlite3.Connection,
    old_ids: Iterable[int],
    resolution: Resolution,
    mentions: Sequence[MentionRecord],
) -> dict[str, int]:
    """Put the entities and suggestions of `resolution` in place of the entities `old_ids`
    (and the suggestions that name them), leaving every other entity as it is; returns the
    new entities' ids by key. Call inside a transaction."""
    doc_ids = {m.doc: m.doc_id for m in mentions}
    entity_id = rewrite_entities(conn, resolution.entities, old_ids, None, doc_ids)
    _write_suggestions(conn, resolution, entity_id)
    return entity_id


def rewrite_entities(
    conn: sqlite3.Connection,
    entities: Sequence[Entity],
    old_ids: Iterable[int],
    held_before: dict[str, list[tuple[int | None, list[int]]]] | None,
    doc_ids: Mapping[str, int | None],
) -> dict[str, int]:
    """Put `entities` in place of the entities `old_ids` (and drop the suggestions that name
    those); an entity whose key was among them keeps its id. With `held_before` (per entity
    key, each unit's entity before and its mentions) only what changed is written: such an
    entity's row is updated, and of its mentions only those of units that were in another
    entity are pointed at it. Without, the old entities are let go and every mention of the
    new ones pointed at them. Returns the ids by key. Call inside a transaction."""
    old_ids = set(old_ids)
    previous: dict[str, int] = {}
    for chunk in batches(sorted(old_ids)):
        marks = placeholders(chunk)
        previous.update(conn.execute(f"SELECT key, id FROM entities WHERE id IN ({marks})", chunk))
        conn.execute(
            f"DELETE FROM suggestions WHERE left_entity_id IN ({marks})"
            f" OR right_entity_id IN ({marks})",
            chunk + chunk,
        )
        conn.execute(f"DELETE FROM aliases WHERE entity_id IN ({marks})", chunk)
    kept = (
        set() if held_before is None else {previous[e.key] for e in entities if e.key in previous}
    )
    for chunk in batches(sorted(old_ids - kept)):
        marks = placeholders(chunk)
        conn.execute(f"UPDATE mentions SET entity_id = NULL WHERE entity_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM entities WHERE id IN ({marks})", chunk)
    next_id = _next_entity_id(conn, previous)
    entity_id: dict[str, int] = {}
    for e in entities:
        if e.key in previous:
            new_id = previous[e.key]
        else:
            new_id, next_id = next_id, next_id + 1
        _write_entity(conn, e, new_id, doc_ids, exists=new_id in kept)
        entity_id[e.key] = new_id
        if held_before is None:
            moved = e.mention_ids
        else:
            moved = [m for was, ms in held_before.get(e.key, ()) if was != new_id for m in ms]
        conn.executemany(
            "UPDATE mentions SET entity_id = ? WHERE id = ?", [(new_id, m) for m in moved]
        )
    return entity_id


def insert_entities(
    conn: sqlite3.Connection,
    entities: Sequence[Entity],
    mentions: Sequence[MentionRecord],
    previous: dict[str, int],
) -> dict[str, int]:
    """Insert entities with their aliases and point their mentions at them; an entity whose
    key is in `previous` takes the id it had. Returns the ids by key."""
    doc_ids = {m.doc: m.doc_id for m in mentions}
    next_id = _next_entity_id(conn, previous)
    entity_id = {}
    for e in entities:
        if e.key in previous:
            new_id = previous[e.key]
        else:
            new_id, next_id = next_id, next_id + 1
        _write_entity(conn, e, new_id, doc_ids, exists=False)
        entity_id[e.key] = new_id
        conn.executemany(
            "UPDATE mentions SET entity_id = ? WHERE id = ?", [(new_id, m) for m in e.mention_ids]
        )
    return entity_id


def _next_entity_id(conn: sqlite3.Connection, previous: dict[str, int]) -> int:
    """The id a new entity takes: past every entity's, and every id `previous` hands out."""
    next_id = (conn.execute("SELECT MAX(id) FROM entities").fetchone()[0] or 0) + 1
    return max([next_id, *(i + 1 for i in previous.values())])


def _write_entity(
    conn: sqlite3.Connection,
    e: Entity,
    entity_id: int,
    doc_ids: Mapping[str, int | None],
    *,
    exists: bool,
) -> None:
    """An entity's row (updated if it `exists`, else inserted) and its aliases."""
    values = (
        e.type,
        e.name,
        e.identifier,
        len(e.mention_ids),
        len(e.docs),
        json.dumps(e.explanation, ensure_ascii=False, sort_keys=True),
    )
    if exists:
        conn.execute(
            "UPDATE entities SET type = ?, name = ?, identifier = ?, mention_count = ?,"
            " doc_count = ?, explanation = ? WHERE id = ?",
            (*values, entity_id),
        )
    else:
        conn.execute(
            "INSERT INTO entities (id, key, type, name, identifier, mention_count,"
            " doc_count, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (entity_id, e.key, *values),
        )
    conn.executemany(
        "INSERT INTO aliases (entity_id, alias, count, doc_ids) VALUES (?, ?, ?, ?)",
        [
            (
                entity_id,
                alias,
                count,
                json.dumps(sorted(doc_ids[d] for d in docs if doc_ids.get(d) is not None)),
            )
            for alias, (count, docs) in e.aliases.items()
        ],
    )


def _write_suggestions(
    conn: sqlite3.Connection, resolution: Resolution, entity_id: dict[str, int]
) -> None:
    for s in resolution.suggestions:
        if s.left in entity_id and s.right in entity_id:
            features = dict(s.features)
            features["left_refs"] = [r.to_json() for r in s.left_refs]
            features["right_refs"] = [r.to_json() for r in s.right_refs]
            conn.execute(
                "INSERT INTO suggestions (left_entity_id, right_entity_id, score, features)"
                " VALUES (?, ?, ?, ?)",
                (
                    entity_id[s.left],
                    entity_id[s.right],
                    round(s.score, 4),
                    json.dumps(features, ensure_ascii=False, sort_keys=True),
                ),
            )
