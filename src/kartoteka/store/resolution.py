"""Store glue for resolution: read mentions, judgements and authorities; write entities,
aliases, suggestions and `mentions.entity_id` in one transaction.

The pure work is `kartoteka.resolve.resolve`; this module only moves data in and out.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from kartoteka.resolve import (
    Authority,
    Judgement,
    MentionRecord,
    Ref,
    Resolution,
    ResolveConfig,
    StatedLinkRecord,
    resolve,
)
from kartoteka.resolve.authority import read_authority_file
from kartoteka.resolve.judgements import JUDGEMENT_KINDS


class ResolutionError(Exception):
    """A curation request that cannot be carried out (unknown entity, bad kind, ...)."""


def read_mentions(store) -> list[MentionRecord]:
    """Every mention in the store, with the sentence it stands in as context."""
    conn = store.conn
    docs = {}
    for row in conn.execute("SELECT id, name, path, text FROM documents"):
        docs[row["id"]] = (row["name"] or Path(row["path"]).name, row["text"])
    sentences: dict[tuple[int, int], tuple[int, int]] = {}
    for row in conn.execute('SELECT doc_id, idx, start, "end" FROM sentences'):
        sentences[(row["doc_id"], row["idx"])] = (row["start"], row["end"])
    years = _timex_years(conn)
    records = []
    for row in conn.execute(
        'SELECT id, doc_id, start, "end", text, name, title, type, sentence FROM mentions '
        "ORDER BY doc_id, start, id"
    ):
        doc_name, text = docs.get(row["doc_id"], (str(row["doc_id"]), ""))
        span = sentences.get((row["doc_id"], row["sentence"]))
        if span is None:  # no sentence stored: a window around the mention will do
            span = (max(0, row["start"] - 150), min(len(text), row["end"] + 150))
        context = text[span[0] : span[1]]
        records.append(
            MentionRecord(
                id=row["id"],
                doc=doc_name,
                start=row["start"],
                end=row["end"],
                text=row["text"],
                name=row["name"],
                type=row["type"],
                title=row["title"],
                context=context,
                doc_id=row["doc_id"],
                context_start=row["start"] - span[0],
                year=_nearest_year(years.get(row["doc_id"], []), row["start"]),
            )
        )
    return records


#: how far (in characters) a date may stand from a name and still tell the name's time
YEAR_REACH = 600


def _timex_years(conn) -> dict[int, list[tuple[int, int]]]:
    """Per document, (offset, year) of every dated time expression, in text order."""
    out: dict[int, list[tuple[int, int]]] = {}
    for row in conn.execute(
        "SELECT doc_id, start, value FROM timexes WHERE type = 'DATE' ORDER BY doc_id, start"
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


def read_stated_links(store) -> list[StatedLinkRecord]:
    """What the texts say about identity, as links between mention ids."""
    return [
        StatedLinkRecord(
            head=row["head"],
            alias=row["alias"],
            cue=row["cue"],
            doc=row["doc"] or Path(row["path"]).name,
            start=row["start"],
            end=row["end"],
        )
        for row in store.conn.execute(
            'SELECT h.id AS head, a.id AS alias, k.cue, k.start, k."end", d.name AS doc,'
            " d.path FROM stated_links k JOIN documents d ON d.id = k.doc_id"
            " JOIN mentions h ON h.doc_id = k.doc_id AND h.idx = k.head_idx"
            " JOIN mentions a ON a.doc_id = k.doc_id AND a.idx = k.alias_idx ORDER BY k.id"
        )
    ]


def read_judgements(store) -> list[Judgement]:
    out = []
    for row in store.conn.execute("SELECT * FROM judgements ORDER BY id"):
        out.append(
            Judgement(
                kind=row["kind"],
                left=tuple(Ref.from_json(r) for r in json.loads(row["left_ref"])),
                right=tuple(Ref.from_json(r) for r in json.loads(row["right_ref"] or "[]")),
                value=row["value"],
                author=row["author"],
                created_at=row["created_at"],
                note=row["note"],
                id=row["id"],
            )
        )
    return out


def read_authorities(store) -> list[Authority]:
    return [
        Authority(
            canonical=row["canonical"],
            type=row["type"],
            variants=tuple(json.loads(row["variants"])),
            identifier=row["identifier"],
            source=row["source"],
        )
        for row in store.conn.execute("SELECT * FROM authorities ORDER BY id")
    ]


def run_resolution(store, config: ResolveConfig | None = None) -> Resolution:
    """Resolve every mention in the store and rewrite what resolution derives, in one
    transaction: `entities`, `aliases`, `suggestions` and `mentions.entity_id`; then the
    events and relations across sources, which are stated between entities."""
    from kartoteka.store.facts import run_event_merging

    mentions = read_mentions(store)
    resolution = resolve(
        mentions,
        read_judgements(store),
        read_authorities(store),
        config,
        links=read_stated_links(store),
    )
    write_resolution(store, resolution, mentions)
    run_event_merging(store)
    return resolution


def write_resolution(store, resolution: Resolution, mentions: Sequence[MentionRecord]) -> None:
    doc_ids = {m.doc: m.doc_id for m in mentions}
    with store.transaction() as conn:
        # an entity whose key survives keeps its id, so links to /entity/42 stay valid
        previous = {r[0]: r[1] for r in conn.execute("SELECT key, id FROM entities")}
        next_id = max(previous.values(), default=0) + 1
        conn.execute("UPDATE mentions SET entity_id = NULL")
        conn.execute("DELETE FROM suggestions")
        conn.execute("DELETE FROM aliases")
        conn.execute("DELETE FROM entities")
        entity_id = {}
        for e in resolution.entities:
            if e.key in previous:
                new_id = previous[e.key]
            else:
                new_id, next_id = next_id, next_id + 1
            cur = conn.execute(
                "INSERT INTO entities (id, key, type, name, identifier, mention_count,"
                " doc_count, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new_id,
                    e.key,
                    e.type,
                    e.name,
                    e.identifier,
                    len(e.mention_ids),
                    len(e.docs),
                    json.dumps(e.explanation, ensure_ascii=False, sort_keys=True),
                ),
            )
            entity_id[e.key] = cur.lastrowid
            conn.executemany(
                "INSERT INTO aliases (entity_id, alias, count, doc_ids) VALUES (?, ?, ?, ?)",
                [
                    (
                        cur.lastrowid,
                        alias,
                        count,
                        json.dumps(sorted(doc_ids[d] for d in docs if doc_ids.get(d) is not None)),
                    )
                    for alias, (count, docs) in e.aliases.items()
                ],
            )
            conn.executemany(
                "UPDATE mentions SET entity_id = ? WHERE id = ?",
                [(cur.lastrowid, m) for m in e.mention_ids],
            )
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


# judgements -------------------------------------------------------------------------------


def entity_refs(store, entity: str) -> tuple[Ref, ...]:
    """The stable references of an entity given by key, id or name (every (document, alias)
    pair it holds now)."""
    row = find_entity(store, entity)
    refs = set()
    for m in store.conn.execute(
        "SELECT d.name AS doc, d.path AS path, m.name AS name FROM mentions m"
        " JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = ?",
        (row["id"],),
    ):
        refs.add(Ref(m["doc"] or Path(m["path"]).name, m["name"]))
    if not refs:
        raise ResolutionError(f"entity {entity!r} has no mentions; run resolution first")
    return tuple(sorted(refs, key=lambda r: (r.doc or "", r.name)))


def find_entity(store, entity: str):
    """An entity row by key, numeric id or exact name; a readable error if none or several."""
    conn = store.conn
    row = conn.execute("SELECT * FROM entities WHERE key = ?", (entity,)).fetchone()
    if row is None and str(entity).isdigit():
        row = conn.execute("SELECT * FROM entities WHERE id = ?", (int(entity),)).fetchone()
    if row is None:
        rows = conn.execute(
            "SELECT * FROM entities WHERE name = ? COLLATE NOCASE", (entity,)
        ).fetchall()
        if not rows:
            rows = conn.execute(
                "SELECT DISTINCT e.* FROM entities e JOIN aliases a ON a.entity_id = e.id"
                " WHERE a.alias = ? COLLATE NOCASE",
                (entity,),
            ).fetchall()
        if len(rows) > 1:
            keys = ", ".join(r["key"] for r in rows)
            raise ResolutionError(f"{entity!r} names several entities ({keys}); give a key")
        row = rows[0] if rows else None
    if row is None:
        raise ResolutionError(f"no entity {entity!r}; see `kartoteka list` for keys and names")
    return row


def add_judgement(
    store,
    kind: str,
    left: Iterable[Ref],
    right: Iterable[Ref] = (),
    value: str | None = None,
    author: str | None = None,
    note: str | None = None,
    *,
    rerun: bool = True,
) -> int:
    """Append a judgement to the log (never rewritten) and, by default, re-run resolution so
    the store reflects it. Returns the judgement's id."""
    if kind not in JUDGEMENT_KINDS:
        raise ResolutionError(f"unknown judgement {kind!r}; one of {', '.join(JUDGEMENT_KINDS)}")
    left = tuple(left)
    if not left:
        raise ResolutionError("a judgement needs at least one mention reference")
    if kind == "rename" and not value:
        raise ResolutionError("rename needs the new name")
    author = author or _default_author()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO judgements (kind, left_ref, right_ref, value, author, created_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                json.dumps([r.to_json() for r in left], ensure_ascii=False),
                json.dumps([r.to_json() for r in right], ensure_ascii=False),
                value,
                author,
                now,
                note,
            ),
        )
        judgement_id = cur.lastrowid
    if rerun:
        run_resolution(store)
    return judgement_id


def judge_entities(
    store,
    kind: str,
    left: str,
    right: str | None = None,
    value: str | None = None,
    author: str | None = None,
    note: str | None = None,
) -> int:
    """A judgement about entities named by key, id or name (what the CLI takes)."""
    left_refs = entity_refs(store, left)
    right_refs = entity_refs(store, right) if right else ()
    return add_judgement(store, kind, left_refs, right_refs, value, author, note)


def split_entity(
    store, entity: str, aliases: Sequence[str], author: str | None = None, note: str | None = None
) -> int:
    """Split the mentions named `aliases` off `entity` into an entity of their own."""
    refs = entity_refs(store, entity)
    wanted = set(aliases)
    if not any(r.name in wanted for r in refs):  # exact first: "Reiß" and "Reiss" differ
        wanted = {a.lower() for a in aliases}
        refs_named = {r: r.name.lower() for r in refs}
    else:
        refs_named = {r: r.name for r in refs}
    left = tuple(r for r in refs if refs_named[r] in wanted)
    right = tuple(r for r in refs if refs_named[r] not in wanted)
    if not left:
        raise ResolutionError(f"{entity!r} has no alias among {', '.join(aliases)}")
    if not right:
        raise ResolutionError("that would leave the entity empty; split off fewer aliases")
    return add_judgement(store, "split", left, right, author=author, note=note)


def _default_author() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name on this system: say so rather than fail
        return "unknown"


# authorities ------------------------------------------------------------------------------


def load_authorities(store, path: str | Path, *, rerun: bool = True) -> int:
    """Load an authority file (CSV or JSON) into the store, replacing an earlier load of the
    same file, and re-run resolution. Returns the number of entries loaded."""
    entries = read_authority_file(path)
    source = str(Path(path).name)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as conn:
        conn.execute("DELETE FROM authorities WHERE source = ?", (source,))
        conn.executemany(
            "INSERT INTO authorities (source, canonical, type, identifier, variants, loaded_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    source,
                    a.canonical,
                    a.type,
                    a.identifier,
                    json.dumps(list(a.variants), ensure_ascii=False),
                    now,
                )
                for a in entries
            ],
        )
    if rerun:
        run_resolution(store)
    return len(entries)


# review -----------------------------------------------------------------------------------


def pending_suggestions(store, exclude: Iterable[tuple[str, str]] = ()) -> list[dict]:
    """Suggestions not yet judged, best first, with both entities' names and aliases.
    `exclude` holds (left key, right key) pairs skipped this session (ids change on re-run,
    keys do not)."""
    exclude = set(exclude)
    conn = store.conn
    out = []
    for row in conn.execute(
        "SELECT s.id, s.score, s.features, l.key AS lk, l.name AS ln, r.key AS rk,"
        " r.name AS rn, s.left_entity_id AS lid, s.right_entity_id AS rid"
        " FROM suggestions s JOIN entities l ON l.id = s.left_entity_id"
        " JOIN entities r ON r.id = s.right_entity_id ORDER BY s.score DESC, s.id"
    ):
        if (row["lk"], row["rk"]) in exclude:
            continue
        aliases = {}
        for side in ("lid", "rid"):
            aliases[side] = [
                a["alias"]
                for a in conn.execute(
                    "SELECT alias FROM aliases WHERE entity_id = ? ORDER BY count DESC",
                    (row[side],),
                )
            ]
        out.append(
            {
                "id": row["id"],
                "score": row["score"],
                "features": json.loads(row["features"]),
                "left_key": row["lk"],
                "left_name": row["ln"],
                "right_key": row["rk"],
                "right_name": row["rn"],
                "left_aliases": aliases["lid"],
                "right_aliases": aliases["rid"],
            }
        )
    return out


def judge_suggestion(
    store, suggestion: dict, kind: str, author: str | None = None, note: str | None = None
) -> int:
    """Decide a suggestion from `pending_suggestions` (same / not_same / unsure)."""
    left = entity_refs(store, suggestion["left_key"])
    right = entity_refs(store, suggestion["right_key"])
    return add_judgement(store, kind, left, right, author=author, note=note)
