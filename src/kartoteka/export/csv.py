"""A folder of CSV tables (spreadsheets, Palladio, Gephi's table import), UTF-8 with a header
row each; ids join the tables:

- documents.csv: id, name, title, path, pages
- entities.csv: id, type, name, identifier, mentions, documents, aliases
- aliases.csv: entity_id, entity, alias, count, documents
- mentions.csv: entity_id, entity, type, doc, document, page, start, end, text, passage
- events.csv: one row per event and document that tells it: the date with its ISO bounds,
  the place, the roles in words, the passage
- event_roles.csv: event_id, role, entity_id, entity
- relations.csv: one row per passage stating a relation
- edges.csv: the network of the GEXF and GraphML exports, one row per edge
"""

from __future__ import annotations

import csv
from pathlib import Path

from kartoteka.export.graph import build_graph
from kartoteka.export.json import export_data
from kartoteka.export.shared import Passages, date_bounds, events_once, sources
from kartoteka.store import Store


def write_csv(store: Store, folder: Path) -> None:
    data = export_data(store)
    passages = Passages(store)
    names = {e["id"]: e["name"] for e in data["entities"]}
    documents = {d["id"]: d["name"] for d in data["documents"]}

    def table(name: str, header: list[str], rows) -> None:
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)

    table(
        "documents.csv",
        ["id", "name", "title", "path", "pages"],
        (
            [d["id"], d["name"], d.get("title"), d["path"], d.get("pages")]
            for d in data["documents"]
        ),
    )
    table(
        "entities.csv",
        ["id", "type", "name", "identifier", "mentions", "documents", "aliases"],
        (
            [
                e["id"],
                e["type"],
                e["name"],
                e.get("identifier"),
                len(e["mentions"]),
                len({m["doc"] for m in e["mentions"]}),
                "; ".join(e["aliases"]),
            ]
            for e in data["entities"]
        ),
    )
    table(
        "aliases.csv",
        ["entity_id", "entity", "alias", "count", "documents"],
        (
            [e["id"], e["name"], a["name"], a["count"], " ".join(map(str, a["docs"]))]
            for e in data["entities"]
            for a in e["alias_details"]
        ),
    )
    table(
        "mentions.csv",
        [
            "entity_id",
            "entity",
            "type",
            "doc",
            "document",
            "page",
            "start",
            "end",
            "text",
            "passage",
        ],
        (
            [
                e["id"],
                e["name"],
                e["type"],
                m["doc"],
                documents.get(m["doc"]),
                m.get("page"),
                m["start"],
                m["end"],
                m["text"],
                passages.sentence(m["doc"], m["start"], m["end"]),
            ]
            for e in data["entities"]
            for m in e["mentions"]
        ),
    )

    def roles_in_words(event: dict) -> str:
        return "; ".join(
            f"{role}: {', '.join(names.get(i, str(i)) for i in ids)}"
            for role, ids in event["roles"].items()
        )

    table(
        "events.csv",
        [
            "event_id",
            "type",
            "date",
            "date_from",
            "date_to",
            "place_id",
            "place",
            "roles",
            "sources",
            "doc",
            "document",
            "page",
            "trigger",
            "passage",
        ],
        (
            [
                event["id"],
                event["type"],
                event.get("date"),
                *date_bounds(event.get("date")),
                event.get("place"),
                names.get(event.get("place")),
                roles_in_words(event),
                event.get("sources"),
                p["doc"],
                documents.get(p["doc"]),
                p.get("page"),
                p.get("trigger"),
                passages.text(p["doc"], p["start"], p["end"]),
            ]
            for event in data["events"]
            for p in event["evidence"][:1]
        ),
    )
    table(
        "event_roles.csv",
        ["event_id", "role", "entity_id", "entity"],
        (
            [event["id"], role, i, names.get(i)]
            for event in events_once(data)
            for role, ids in event["roles"].items()
            for i in ids
        ),
    )
    table(
        "relations.csv",
        [
            "relation_id",
            "subject_id",
            "subject",
            "predicate",
            "object_id",
            "object",
            "sources",
            "doc",
            "document",
            "page",
            "passage",
        ],
        (
            [
                r["id"],
                r["subject"],
                names.get(r["subject"]),
                r["predicate"],
                r["object"],
                names.get(r["object"]),
                sources(r["evidence"]),
                p["doc"],
                documents.get(p["doc"]),
                p.get("page"),
                passages.text(p["doc"], p["start"], p["end"]),
            ]
            for r in data["relations"]
            for p in r["evidence"]
        ),
    )
    graph = build_graph(data)
    table(
        "edges.csv",
        [
            "source",
            "target",
            "source_name",
            "target_name",
            "kind",
            "type",
            "weight",
            "date",
            "date_from",
            "date_to",
        ],
        (
            [
                a,
                b,
                names.get(a),
                names.get(b),
                attrs["kind"],
                attrs["label"],
                attrs["weight"],
                attrs.get("date"),
                attrs.get("date_from"),
                attrs.get("date_to"),
            ]
            for a, b, attrs in graph.edges(data=True)
        ),
    )
