"""The front page: how much the store holds, the most mentioned entities, recent documents."""

from __future__ import annotations

from kartoteka.query.documents import document_labels
from kartoteka.store import Store

__all__ = ["overview"]

COUNTED = (
    "documents",
    "mentions",
    "entities",
    "timexes",
    "events",
    "relations",
    "suggestions",
    "judgements",
)


def overview(store: Store) -> dict:
    """Counts per table, the 15 most mentioned entities of each type, the 20 newest documents."""
    conn = store.conn
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
    top = {}
    for type_ in ("PER", "ORG", "PLACE"):
        top[type_] = [
            dict(r)
            for r in conn.execute(
                "SELECT id, name, type, mention_count, doc_count FROM entities WHERE type = ?"
                " ORDER BY mention_count DESC, name LIMIT 15",
                (type_,),
            )
        ]
    labels = document_labels(store)
    documents = [
        {**dict(r), "label": labels[r["id"]]}
        for r in conn.execute(
            "SELECT id, name, title, words FROM documents ORDER BY ingested_at DESC, id DESC"
            " LIMIT 20"
        )
    ]
    return {"store": store.path, "counts": counts, "top": top, "recent_documents": documents}
