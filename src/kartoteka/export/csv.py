"""A folder of CSV tables (spreadsheets, Palladio, Gephi's table import), UTF-8 with a header
row each; ids join the tables:

- documents.csv: id, name, title, path, pages, source (the label: "Dewar 1951"), author, date,
  kind, reliability
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kartoteka.export.graph import build_graph
from kartoteka.export.json import export_data
from kartoteka.export.shared import Passages, date_bounds, events_once, happened, sources
from kartoteka.store import Store


@dataclass
class _Tables:
    """What every table's rows are made from: the export, the passages, names by id."""

    data: dict
    passages: Passages
    names: dict
    documents: dict

    def roles_in_words(self, event: dict) -> str:
        return "; ".join(
            f"{role}: {', '.join(self.names.get(i, str(i)) for i in ids)}"
            for role, ids in event["roles"].items()
        )


def _documents(t: _Tables) -> Iterable[list]:
    for d in t.data["documents"]:
        yield [
            d["id"],
            d["name"],
            d.get("title"),
            d["path"],
            d.get("pages"),
            *(d.get(k) for k in ("source", "author", "date", "kind", "reliability")),
        ]


def _entities(t: _Tables) -> Iterable[list]:
    for e in t.data["entities"]:
        documents = len({m["doc"] for m in e["mentions"]})
        aliases = "; ".join(e["aliases"])
        yield [
            e["id"],
            e["type"],
            e["name"],
            e.get("identifier"),
            len(e["mentions"]),
            documents,
            aliases,
        ]


def _aliases(t: _Tables) -> Iterable[list]:
    for e in t.data["entities"]:
        for a in e["alias_details"]:
            yield [e["id"], e["name"], a["name"], a["count"], " ".join(map(str, a["docs"]))]


def _mentions(t: _Tables) -> Iterable[list]:
    for e in t.data["entities"]:
        for m in e["mentions"]:
            passage = t.passages.sentence(m["doc"], m["start"], m["end"])
            where = [m["doc"], t.documents.get(m["doc"]), m.get("page"), m["start"], m["end"]]
            yield [e["id"], e["name"], e["type"], *where, m["text"], passage]


def _events(t: _Tables) -> Iterable[list]:
    for event in happened(t.data):
        for p in event["evidence"][:1]:
            place = event.get("place")
            yield [
                event["id"],
                event["type"],
                event.get("date"),
                *date_bounds(event.get("date")),
                place,
                t.names.get(place),
                t.roles_in_words(event),
                event.get("sources"),
                p["doc"],
                t.documents.get(p["doc"]),
                p.get("page"),
                p.get("trigger"),
                t.passages.text(p["doc"], p["start"], p["end"]),
            ]


def _event_roles(t: _Tables) -> Iterable[list]:
    for event in events_once(t.data):
        for role, ids in event["roles"].items():
            for i in ids:
                yield [event["id"], role, i, t.names.get(i)]


def _relations(t: _Tables) -> Iterable[list]:
    for r in t.data["relations"]:
        for p in r["evidence"]:
            yield [
                r["id"],
                r["subject"],
                t.names.get(r["subject"]),
                r["predicate"],
                r["object"],
                t.names.get(r["object"]),
                sources(r["evidence"]),
                p["doc"],
                t.documents.get(p["doc"]),
                p.get("page"),
                t.passages.text(p["doc"], p["start"], p["end"]),
            ]


def _edges(t: _Tables) -> Iterable[list]:
    for a, b, attrs in build_graph(t.data).edges(data=True):
        yield [
            a,
            b,
            t.names.get(a),
            t.names.get(b),
            attrs["kind"],
            attrs["label"],
            attrs["weight"],
            attrs.get("date"),
            attrs.get("date_from"),
            attrs.get("date_to"),
        ]


#: Each table: its file, its header, and the function that gives its rows.
TABLES: list[tuple[str, str, Callable[[_Tables], Iterable[list]]]] = [
    ("documents.csv", "id name title path pages source author date kind reliability", _documents),
    ("entities.csv", "id type name identifier mentions documents aliases", _entities),
    ("aliases.csv", "entity_id entity alias count documents", _aliases),
    ("mentions.csv", "entity_id entity type doc document page start end text passage", _mentions),
    (
        "events.csv",
        "event_id type date date_from date_to place_id place roles sources doc document page"
        " trigger passage",
        _events,
    ),
    ("event_roles.csv", "event_id role entity_id entity", _event_roles),
    (
        "relations.csv",
        "relation_id subject_id subject predicate object_id object sources doc document page"
        " passage",
        _relations,
    ),
    (
        "edges.csv",
        "source target source_name target_name kind type weight date date_from date_to",
        _edges,
    ),
]


def write_csv(store: Store, folder: Path) -> None:
    data = export_data(store)
    tables = _Tables(
        data=data,
        passages=Passages(store),
        names={e["id"]: e["name"] for e in data["entities"]},
        documents={d["id"]: d["name"] for d in data["documents"]},
    )
    for name, header, rows in TABLES:
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header.split())
            writer.writerows(rows(tables))
