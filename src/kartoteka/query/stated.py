"""What the texts state about identity, per entity: the stated aliases a card shows apart
from the names resolution inferred, each with the passage that states it."""

from __future__ import annotations

from collections import defaultdict

from kartoteka.store import Store

_SQL = (
    'SELECT k.doc_id, d.name AS doc_name, k.cue, k.start, k."end",'
    ' substr(d.text, k.start + 1, k."end" - k.start) AS passage,'
    " h.name AS head_name, h.entity_id AS head_entity,"
    " a.name AS alias_name, a.entity_id AS alias_entity"
    " FROM stated_links k JOIN documents d ON d.id = k.doc_id"
    " JOIN mentions h ON h.doc_id = k.doc_id AND h.idx = k.head_idx"
    " JOIN mentions a ON a.doc_id = k.doc_id AND a.idx = k.alias_idx"
)


def stated_aliases(store: Store, entity_id: int | None = None) -> dict[int, list[dict]]:
    """Entity id -> its stated aliases: `name` (the alias as the text names it), `of` (the
    name it is stated to belong to), `cue` (the words that say so: "alias", "cryptonym",
    "russian", "gloss" for a bare bracketed name, "title"), `doc`, `doc_name`, `start`,
    `end` and `passage` (the original text that states it). A link whose two names ended in
    two entities (a person's judgement split them) is listed on both."""
    sql = _SQL
    args: tuple[int, ...] = ()
    if entity_id is not None:
        sql += " WHERE h.entity_id = ? OR a.entity_id = ?"
        args = (entity_id, entity_id)
    out: dict[int, list[dict]] = defaultdict(list)
    for r in store.conn.execute(sql + " ORDER BY k.doc_id, k.start, k.id", args):
        item = dict(
            name=r["alias_name"],
            of=r["head_name"],
            cue=r["cue"],
            doc=r["doc_id"],
            doc_name=r["doc_name"],
            start=r["start"],
            end=r["end"],
            passage=r["passage"],
        )
        for entity in {r["alias_entity"], r["head_entity"]} - {None}:
            if entity_id is None or entity == entity_id:
                out[entity].append(item)
    return dict(out)
