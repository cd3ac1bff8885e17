"""Entities and their cards: what the list, `show`, the web page and scripts read."""

from __future__ import annotations

import json

from kartoteka.query.errors import (
    MAX_ID,
    MAX_NAME,
    Ambiguous,
    BadValue,
    NotFound,
    asked_name,
    known_id,
    shown,
)
from kartoteka.query.facts import (
    Naming,
    Page,
    count_events_for_entity,
    count_relations_for_entity,
    events_for_entity,
    naming,
    relations_for_entity,
)
from kartoteka.query.stated import stated_aliases
from kartoteka.store import Store
from kartoteka.store.batches import batches, placeholders

__all__ = [
    "entity_list",
    "aliases_by_entity",
    "find_entities",
    "the_entity",
    "entity_summary",
    "card",
    "relation_anchors",
    "NotFound",
    "Ambiguous",
]


#: Longer digit strings are no entity id (and would overflow SQLite's integers).
_MAX_ID_DIGITS = 18
#: "`column` contains :query", case-insensitive as LIKE is (ASCII letters), but literal: instr()
#: has no wildcards to escape and no limit on the length of what it looks for.
_CONTAINS = "instr(lower({column}), lower(:query)) > 0"


def entity_list(
    store: Store, *, type: str | None = None, limit: int | None = None, query: str | None = None
) -> list[dict]:
    """Entities with mention and document counts, most mentioned first; with `query`, those
    whose name or an alias contains it (literally: `%` and `_` are characters, not wildcards).
    """
    if query is not None and len(query) > MAX_NAME:
        raise BadValue(f"a name of more than {MAX_NAME} characters is no name; search for less")
    sql = (
        "SELECT id, type, name, identifier, mention_count, doc_count FROM entities"
        " WHERE (:type IS NULL OR type = :type)"
        f" AND (:query IS NULL OR {_CONTAINS.format(column='name')} OR id IN"
        f"      (SELECT entity_id FROM aliases WHERE {_CONTAINS.format(column='alias')}))"
        " ORDER BY mention_count DESC, name LIMIT :limit"
    )
    rows = store.conn.execute(
        sql,
        dict(
            type=type.upper() if type else None,
            query=query or None,
            limit=limit if limit is not None else -1,
        ),
    )
    return [dict(r) for r in rows]


def aliases_by_entity(store: Store) -> dict[int, list[str]]:
    """Every entity's aliases, most used first."""
    aliases: dict[int, list[str]] = {}
    for r in store.conn.execute("SELECT entity_id, alias FROM aliases ORDER BY count DESC"):
        aliases.setdefault(r[0], []).append(r[1])
    return aliases


def find_entities(store: Store, text: str, *, exact: bool = False) -> list[dict]:
    """Entities answering to `text`, most mentioned first: the one with that key or id, else
    those with that exact name or alias (any case), else (unless `exact`) those with a name or
    alias containing it (literally: `%` and `_` are no wildcards). Nothing answers to an empty
    name or one longer than a name can be. This is the one entity look-up; `the_entity` picks
    from it.

    >>> store = Store.open(":memory:")
    >>> find_entities(store, "Skoblin")
    []
    """
    conn = store.conn
    text = text.strip()
    if not text or len(text) > MAX_NAME:
        return []
    rows = conn.execute("SELECT * FROM entities WHERE key = ?", (text,)).fetchall()
    if not rows and text.isascii() and text.isdigit() and len(text) <= _MAX_ID_DIGITS:
        rows = conn.execute("SELECT * FROM entities WHERE id = ?", (int(text),)).fetchall()
    if rows:
        return [dict(r) for r in rows]
    searches = [
        "SELECT * FROM entities WHERE name = :query COLLATE NOCASE OR id IN"
        " (SELECT entity_id FROM aliases WHERE alias = :query COLLATE NOCASE)"
    ]
    if not exact:
        searches.append(
            f"SELECT * FROM entities WHERE {_CONTAINS.format(column='name')} OR id IN"
            f" (SELECT entity_id FROM aliases WHERE {_CONTAINS.format(column='alias')})"
        )
    for sql in searches:
        rows = conn.execute(sql + " ORDER BY mention_count DESC", {"query": text}).fetchall()
        if rows:
            return [dict(r) for r in rows]
    return []


def the_entity(store: Store, text: str, *, exact: bool = False) -> dict:
    """The one entity `text` means (see `find_entities`), or `NotFound` / `Ambiguous`.

    When several answer, the most mentioned one whose own name is `text` is meant; with
    `exact` (what a curation decision needs) it must be the only one so named."""
    text = asked_name(text)
    found = find_entities(store, text, exact=exact)
    if not found:
        raise NotFound(f"no entity answers to {shown(text)}; see `kartoteka entities` or /entities")
    if len(found) == 1:
        return found[0]
    named = [e for e in found if e["name"].casefold() == text.casefold()]
    if named and (not exact or len(named) == 1):
        return named[0]
    listed = "; ".join(f"{e['id']} {shown(e['name'], 40)} ({e['type']})" for e in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    raise Ambiguous(
        f"{shown(text)} fits several entities ({listed}{more}); give an id or a key", found
    )


def entity_summary(store: Store, entity_id: int) -> dict | None:
    """Id, name and type of an entity, or None."""
    if not 0 <= entity_id <= MAX_ID:
        return None
    row = store.conn.execute(
        "SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)
    ).fetchone()
    return dict(row) if row else None


def card(
    store: Store,
    entity_id: int,
    *,
    limit: int | None = None,
    documents_from: int = 0,
    events_from: int = 0,
    relations_from: int = 0,
    named: Naming | None = None,
) -> dict:
    """Everything the index knows of one entity, each mention with its sentence.

    `limit` (None: everything) bounds each long list of the card: the documents (each with
    all its mentions), the events and the relations, each from its own offset; `pages` says,
    per list, its `total` and whether `more` follow. The biggest entities of a large corpus
    are in every document: their whole card is more than a page can show."""
    conn = store.conn
    row = conn.execute("SELECT * FROM entities WHERE id = ?", (known_id(entity_id),)).fetchone()
    if row is None:
        raise NotFound(
            f"no entity {entity_id}; entity ids change when resolution re-runs,"
            " so look the name up (`kartoteka show NAME`, /search)"
        )
    entity = dict(row)
    entity["explanation"] = json.loads(entity["explanation"]) if entity["explanation"] else None
    # what to call each document, read once per card (or given: the web app keeps it while
    # the corpus stays the same, as naming every document of a large store costs most)
    named = named or naming(store)
    pages = {
        "documents": Page(documents_from, limit),
        "events": Page(events_from, limit),
        "relations": Page(relations_from, limit),
    }
    documents = _documents(store, entity_id, pages["documents"], named)
    events = events_for_entity(store, entity_id, pages["events"], named)
    relations = relations_for_entity(store, entity_id, pages["relations"], named)
    totals = {
        "documents": _count_documents(store, entity_id) if limit is not None else len(documents),
        "events": count_events_for_entity(store, entity_id) if limit is not None else len(events),
        "relations": (
            count_relations_for_entity(store, entity_id) if limit is not None else len(relations)
        ),
    }
    shown = {"documents": len(documents), "events": len(events), "relations": len(relations)}
    return dict(
        entity=entity,
        aliases=_aliases(store, entity_id, named),
        stated_aliases=stated_aliases(store, entity_id).get(entity_id, []),
        documents=documents,
        events=events,
        relations=relations,
        pages={k: page.report(totals[k], shown[k]) for k, page in pages.items()},
    )


def _aliases(store: Store, entity_id: int, named: Naming) -> list[dict]:
    rows = [
        (r["alias"], r["count"], json.loads(r["doc_ids"]))
        for r in store.conn.execute(
            "SELECT alias, count, doc_ids FROM aliases WHERE entity_id = ?"
            " ORDER BY count DESC, alias",
            (entity_id,),
        )
    ]
    names = _document_names(store, {d for _, _, ids in rows for d in ids})
    return [
        dict(
            name=alias,
            count=count,
            documents=[dict(id=d, name=names.get(d), label=named.labels.get(d)) for d in ids],
        )
        for alias, count, ids in rows
    ]


def _document_names(store: Store, doc_ids: set[int]) -> dict[int, str]:
    """The file names of these documents (not of every document: a store may hold 100,000)."""
    names: dict[int, str] = {}
    for chunk in batches(sorted(doc_ids)):
        q = placeholders(chunk)
        names.update(store.conn.execute(f"SELECT id, name FROM documents WHERE id IN ({q})", chunk))
    return names


def _count_documents(store: Store, entity_id: int) -> int:
    return store.conn.execute(
        "SELECT COUNT(DISTINCT doc_id) FROM mentions WHERE entity_id = ?", (entity_id,)
    ).fetchone()[0]


def _documents(store: Store, entity_id: int, page: Page, named: Naming) -> list[dict]:
    """The documents that mention the entity, by name, each with every mention in its
    sentence; `page` of the documents."""
    limit, offset = page.sql()
    documents: dict[int, dict] = {}
    for r in store.conn.execute(
        'SELECT m.id, m.doc_id, m.start, m."end", m.text, m.type, s.start AS s_start,'
        ' s."end" AS s_end, substr(d.text, s.start + 1, s."end" - s.start) AS sentence,'
        " d.name, d.title FROM mentions m JOIN documents d ON d.id = m.doc_id"
        " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence"
        " WHERE m.entity_id = :id AND m.doc_id IN (SELECT d2.id FROM documents d2"
        " WHERE d2.id IN (SELECT doc_id FROM mentions WHERE entity_id = :id)"
        " ORDER BY d2.name, d2.path, d2.id LIMIT :limit OFFSET :offset)"
        " ORDER BY d.name, d.path, d.id, m.start",
        {"id": entity_id, "limit": limit, "offset": offset},
    ):
        doc = documents.setdefault(
            r["doc_id"],
            dict(
                id=r["doc_id"],
                name=r["name"],
                label=named.labels.get(r["doc_id"]),
                title=r["title"],
                source=named.sources.get(r["doc_id"], r["name"]),
                mentions=[],
            ),
        )
        doc["mentions"].append(
            dict(
                id=r["id"],
                start=r["start"],
                end=r["end"],
                text=r["text"],
                type=r["type"],
                sentence=dict(start=r["s_start"], end=r["s_end"], text=r["sentence"]),
            )
        )
    return list(documents.values())


def relation_anchors(store: Store, relation_mention_ids: list[int]) -> dict[int, str]:
    """The anchor of the subject's name in the document page, where each relation mention is
    told, in one query per 500 of them."""
    out: dict[int, str] = {}
    for chunk in batches(sorted({i for i in relation_mention_ids if i is not None})):
        q = placeholders(chunk)
        for r in store.conn.execute(
            "SELECT r.id, m.id FROM relation_mentions r JOIN mentions m ON m.doc_id = r.doc_id"
            f" AND m.idx = r.subject_idx WHERE r.id IN ({q})",
            chunk,
        ):
            out[r[0]] = f"m-{r[1]}"
    return out
