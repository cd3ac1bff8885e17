"""The JSON export: the stable contract other tools read (docs/export.md).

Keys named in the contract never change meaning; keys may be added. Offsets are code-point
offsets into each document's original text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import IO

from kartoteka.events import key_roles, life_types
from kartoteka.events.accounts import Telling, accounts
from kartoteka.query.passages import page_maps
from kartoteka.query.sources import source_label
from kartoteka.query.stated import stated_aliases
from kartoteka.store import Store

FORMAT = "kartoteka-export/2"  # 2: events listed once per account (was: per document)
#: surest first (kartoteka.events.modality)
MODALITY_ORDER = ("asserted", "reported", "hedged", "attempted", "planned")
#: told as ordered, decided or tried: it did not happen (or not as told)
UNREALIZED = frozenset({"planned", "attempted"})
#: the lists events are exported in (each entry of the same shape)
EVENT_LISTS = ("events", "life_events", "plans_and_attempts")


def export_data(store: Store) -> dict:
    """The whole store as plain data, in the shape of the export contract."""
    events, life_events, plans = _by_kind(_events(store))
    data = dict(
        format=FORMAT,
        documents=_documents(store),
        entities=_entities(store),
        timexes=_timexes(store),
        events=events,
        life_events=life_events,
        plans_and_attempts=plans,
        relations=_relations(store),
    )
    add_pages(data, page_maps(store))
    return data


def _documents(store: Store) -> list[dict]:
    """Each document with what is known of its source (None where nothing is) and the
    label its passages are shown with."""
    return [
        dict(
            id=r["id"],
            name=r["name"],
            path=r["path"],
            sha256=r["sha256"],
            title=r["title"],
            author=r["author"],
            date=r["date"],
            kind=r["kind"],
            reliability=r["reliability"],
            metadata_from=r["metadata_from"],
            as_of=r["as_of"],
            source=source_label(r["name"], r["author"], r["date"]),
        )
        for r in store.conn.execute(
            "SELECT id, name, path, sha256, title, author, date, kind, reliability,"
            " metadata_from, as_of FROM documents ORDER BY id"
        )
    ]


def _entities(store: Store) -> list[dict]:
    conn = store.conn
    mentions = defaultdict(list)
    for r in conn.execute(
        'SELECT entity_id, doc_id, start, "end", text FROM mentions'
        " WHERE entity_id IS NOT NULL ORDER BY doc_id, start"
    ):
        mentions[r["entity_id"]].append(
            dict(doc=r["doc_id"], start=r["start"], end=r["end"], text=r["text"])
        )
    aliases = defaultdict(list)
    for r in conn.execute(
        "SELECT entity_id, alias, count, doc_ids FROM aliases ORDER BY entity_id, count DESC, alias"
    ):
        aliases[r["entity_id"]].append(
            dict(name=r["alias"], count=r["count"], docs=json.loads(r["doc_ids"]))
        )
    stated = stated_aliases(store)
    return [
        dict(
            id=r["id"],
            type=r["type"],
            name=r["name"],
            identifier=r["identifier"],
            aliases=[a["name"] for a in aliases[r["id"]]],
            alias_details=aliases[r["id"]],
            stated_aliases=[
                {k: s[k] for k in ("name", "of", "cue", "doc", "start", "end")}
                for s in stated.get(r["id"], [])
            ],
            mentions=mentions[r["id"]],
        )
        for r in conn.execute("SELECT id, type, name, identifier FROM entities ORDER BY id")
    ]


def _timexes(store: Store) -> list[dict]:
    return [
        dict(
            doc=r["doc_id"],
            start=r["start"],
            end=r["end"],
            text=r["text"],
            value=r["value"],
            type=r["type"],
            timex3=r["timex3"],
            lower=r["lower"],
            upper=r["upper"],
            anchor=r["anchor"],
        )
        for r in store.conn.execute(
            'SELECT doc_id, start, "end", text, value, type, timex3,'
            " lower, upper, anchor FROM timexes ORDER BY doc_id, start"
        )
    ]


def _events(store: Store) -> list[dict]:
    """One entry per account of an event in a document (`kartoteka.events.accounts`): a
    reader of one source sees that source's passages, a document that tells the event again
    with other doers or its own date shows each claim with its passage, and `id` and
    `sources` show which entries are one event."""
    evidence = _event_evidence(store)
    keys = key_roles()
    events = []
    for r in store.conn.execute(
        "SELECT id, type, date, date_source, modality, place_entity_id, roles, sources"
        " FROM events ORDER BY date_lower IS NULL, date_lower, id"
    ):
        by_document = defaultdict(list)
        for passage in evidence[r["id"]]:
            by_document[passage["doc"]].append(passage)
        for doc_id, passages in by_document.items():
            for account in _accounts(passages, keys.get(r["type"], ())):
                events.append(
                    dict(
                        id=r["id"],
                        type=r["type"],
                        date=r["date"],
                        date_source=r["date_source"],
                        # how this account tells it (its surest telling)
                        modality=_surest(p["modality"] for p in account),
                        place=r["place_entity_id"],
                        roles=json.loads(r["roles"]),
                        sources=r["sources"],
                        doc=doc_id,
                        evidence=account,
                    )
                )
    return events


def _event_evidence(store: Store) -> dict[int, list[dict]]:
    """Each event's passages, with what each says: its trigger, modality, date and how the
    date was found, and the entities it names in each role."""
    conn = store.conn
    named: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for r in conn.execute(
        "SELECT er.event_mention_id, er.role, m.entity_id FROM event_roles er"
        " JOIN event_mentions em ON em.id = er.event_mention_id"
        " JOIN mentions m ON m.doc_id = em.doc_id AND m.idx = er.mention_idx"
        " WHERE m.entity_id IS NOT NULL ORDER BY er.event_mention_id, er.role, m.entity_id"
    ):
        ids = named[r[0]].setdefault(r[1], [])
        if r[2] not in ids:
            ids.append(r[2])
    evidence = defaultdict(list)
    for r in conn.execute(
        "SELECT l.event_id, m.id, m.doc_id, m.evidence_start, m.evidence_end,"
        " m.trigger_text, m.modality, m.date, m.date_source FROM event_links l"
        " JOIN event_mentions m ON m.id = l.event_mention_id"
        " ORDER BY l.event_id, m.doc_id, m.evidence_start, m.id"
    ):
        evidence[r["event_id"]].append(
            dict(
                doc=r["doc_id"],
                start=r["evidence_start"],
                end=r["evidence_end"],
                trigger=r["trigger_text"],
                modality=r["modality"],
                date=r["date"],
                date_source=r["date_source"],
                roles=named.get(r["id"], {}),
            )
        )
    return evidence


def _accounts(passages: list[dict], key: tuple[str, ...]) -> list[list[dict]]:
    """A document's passages of one event, grouped into its accounts of it (`key`: the
    roles that say who the event is about)."""
    tellings = [
        Telling(
            p["start"],
            frozenset(e for role, ids in p["roles"].items() if role not in key for e in ids),
            p["date"] if p["date_source"] == "clause" else None,
        )
        for p in passages
    ]
    return [[passages[i] for i in group] for group in accounts(tellings)]


def _by_kind(entries: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """(events, life events, plans and attempts): what the story tells as having happened; a
    person's birth and death, which belong on their card; and what was only ordered, planned
    or tried. An attempted murder is no murder, and a plan to arrest is no arrest: a tool
    reading `events` gets what happened, with how sure the source is of it."""
    life = life_types()
    events, life_events, plans = [], [], []
    for entry in entries:
        if entry["modality"] in UNREALIZED:
            plans.append(entry)
        elif entry["type"] in life:
            life_events.append(entry)
        else:
            events.append(entry)
    return events, life_events, plans


def _relations(store: Store) -> list[dict]:
    conn = store.conn
    relation_evidence = {
        r["id"]: dict(doc=r["doc_id"], start=r["evidence_start"], end=r["evidence_end"])
        for r in conn.execute(
            "SELECT id, doc_id, evidence_start, evidence_end FROM relation_mentions"
        )
    }
    return [
        dict(
            id=r["id"],
            subject=r["subject_entity_id"],
            predicate=r["predicate"],
            object=r["object_entity_id"],
            evidence=[
                relation_evidence[i]
                for i in json.loads(r["relation_mention_ids"])
                if i in relation_evidence
            ],
        )
        for r in conn.execute(
            "SELECT id, subject_entity_id, predicate, object_entity_id,"
            " relation_mention_ids FROM relations ORDER BY id"
        )
    ]


def add_pages(data: dict, maps: dict) -> None:
    """Give every span of a paged document its page (1-based): mentions, timexes and the
    evidence of events and relations; and each paged document its number of pages."""
    for document in data["documents"]:
        if document["id"] in maps:
            document["pages"] = len(maps[document["id"]])

    def mark(span: dict) -> None:
        pages = maps.get(span.get("doc"))
        if pages is not None and "start" in span:
            span["page"] = pages.page_at(span["start"])

    for entity in data["entities"]:
        for mention in entity["mentions"]:
            mark(mention)
    for timex in data["timexes"]:
        mark(timex)
    for item in (*(e for k in EVENT_LISTS for e in data[k]), *data["relations"]):
        for passage in item["evidence"]:
            mark(passage)


def _surest(modalities) -> str:
    found = list(modalities)
    return next((m for m in MODALITY_ORDER if m in found), found[0] if found else "asserted")


def write_json(store: Store, out: IO[str]) -> None:
    json.dump(export_data(store), out, ensure_ascii=False, indent=1)
    out.write("\n")
