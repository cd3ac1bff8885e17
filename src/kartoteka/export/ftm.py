"""FollowTheMoney entities as JSON lines (Aleph, `ftm` tools), made with the followthemoney
library so that every entity is one its model accepts.

- each document: a `Document` (title, file name, and from its metadata the authors, the date
  as `publishedAt`, the kind as a keyword, the reliability as a note);
- PER -> `Person`, ORG -> `Organization`, PLACE -> `Address` (`full` is the name): names,
  aliases, the Wikidata id when the authority gave one, and `proof`: the documents naming it;
- each event: an `Event` (name, date or start and end date, `involved`, `organizer` for the
  agents, `addressEntity` and `location` for the place, the passage as `summary`, `proof`);
- each relation between two people or organizations: an `UnknownLink` (subject, object,
  `role` the predicate, `proof`).

followthemoney is an optional dependency (`pip install 'kartoteka[ftm]'`).
"""

from __future__ import annotations

import json
import re
from typing import IO

from kartoteka.export.json import export_data
from kartoteka.export.shared import Passages, date_bounds, events_once, participants
from kartoteka.store import Store

SCHEMATA = {"PER": "Person", "ORG": "Organization", "PLACE": "Address"}
# a year, month or day (not an EDTF season: "1937-22" is summer 1937)
_ISO_PREFIX = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?")
_WIKIDATA = re.compile(r"Q\d+")


class MissingDependency(RuntimeError):
    """followthemoney is not installed."""


def _model():
    try:
        from followthemoney import model
    except ImportError as e:
        raise MissingDependency(
            "the ftm export needs the followthemoney library: pip install 'kartoteka[ftm]'"
        ) from e
    return model


def document_id(doc: int) -> str:
    return f"kartoteka-document-{doc}"


def entity_id(entity: int) -> str:
    return f"kartoteka-entity-{entity}"


def _document(model, d: dict):
    """A source as a Document: title and file name, and what its metadata says."""
    proxy = model.make_entity("Document")
    proxy.id = document_id(d["id"])
    proxy.add("fileName", d["name"])
    proxy.add("title", d.get("title") or d["name"])
    proxy.add("author", [a.strip() for a in (d.get("author") or "").split(";") if a.strip()])
    date = d.get("date")
    if date and _ISO_PREFIX.fullmatch(date):
        proxy.add("publishedAt", date)
    elif date:  # FtM dates are ISO prefixes: an uncertain or partly known date is described
        proxy.add("description", f"date as given: {date} (EDTF)")
    proxy.add("keywords", d.get("kind"))
    if d.get("reliability"):
        proxy.add("notes", f"reliability: {d['reliability']}")
    return proxy


def ftm_entities(store: Store) -> list[dict]:
    """The index as FollowTheMoney entities (plain dicts: id, schema, properties)."""
    model = _model()
    data = export_data(store)
    passages = Passages(store)
    out = []
    for d in data["documents"]:
        out.append(_document(model, d))

    kinds = {}
    for e in data["entities"]:
        schema = SCHEMATA[e["type"]]
        kinds[e["id"]] = schema
        proxy = model.make_entity(schema)
        proxy.id = entity_id(e["id"])
        proxy.add("name", e["name"])
        if schema == "Address":
            proxy.add("full", e["name"])
        proxy.add("alias", [a for a in e["aliases"] if a != e["name"]])
        if e.get("identifier") and _WIKIDATA.fullmatch(e["identifier"]):
            proxy.add("wikidataId", e["identifier"])
        proxy.add("proof", sorted({document_id(m["doc"]) for m in e["mentions"]}))
        out.append(proxy)

    names = {e["id"]: e["name"] for e in data["entities"]}
    legal = {i for i, schema in kinds.items() if schema != "Address"}
    for event in events_once(data):
        proxy = model.make_entity("Event")
        proxy.id = f"kartoteka-event-{event['id']}"
        people = participants(event)
        proxy.add("name", f"{event['type']}: {', '.join(names.get(i, '?') for i in people)}")
        date = event.get("date")
        if date and _ISO_PREFIX.fullmatch(date):
            proxy.add("date", date)
        elif date:
            lower, upper = date_bounds(date)
            proxy.add("startDate", lower)
            proxy.add("endDate", upper)
            proxy.add("description", f"date as stated: {date} (EDTF)")
        proxy.add("involved", [entity_id(i) for i in people if i in legal])
        proxy.add(
            "organizer", [entity_id(i) for i in event["roles"].get("agent", []) if i in legal]
        )
        place = event.get("place")
        if place is not None and kinds.get(place) == "Address":
            proxy.add("addressEntity", entity_id(place))
            proxy.add("location", names[place])
        proxy.add(
            "summary", [passages.text(p["doc"], p["start"], p["end"]) for p in event["evidence"]]
        )
        proxy.add("proof", sorted({document_id(p["doc"]) for p in event["evidence"]}))
        out.append(proxy)

    for r in data["relations"]:
        if r["subject"] not in legal or r["object"] not in legal:
            continue
        proxy = model.make_entity("UnknownLink")
        proxy.id = f"kartoteka-relation-{r['id']}"
        proxy.add("subject", entity_id(r["subject"]))
        proxy.add("object", entity_id(r["object"]))
        proxy.add("role", r["predicate"])
        proxy.add("proof", sorted({document_id(p["doc"]) for p in r["evidence"]}))
        out.append(proxy)
    return [proxy.to_dict() for proxy in out]


def write_ftm(store: Store, out: IO[str]) -> None:
    for entity in ftm_entities(store):
        out.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
