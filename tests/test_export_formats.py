"""Every export format read back by the consuming side's own library or schema: networkx for
GEXF and GraphML, the csv module for the tables, TimelineJS's JSON shape, followthemoney's
model for FtM, lxml for TEI."""

from __future__ import annotations

import csv
import json
import re

import pytest

from kartoteka.export import write_export
from kartoteka.export.json import export_data
from kartoteka.store import Store

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seeds(seeds_db):
    with Store.open(seeds_db) as store:
        yield store, export_data(store)


def _happened(data):
    """What the other formats show: the story's events and people's births and deaths."""
    return data["events"] + data["life_events"]


def _events_once(data):
    return {e["id"]: e for e in _happened(data)}


def _expected_edges(data):
    relations = {
        (r["subject"], r["object"], r["predicate"], len({p["doc"] for p in r["evidence"]}))
        for r in data["relations"]
        if r["subject"] != r["object"]
    }
    return relations


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_formats_read_back_with_networkx(seeds, tmp_path, fmt):
    import networkx as nx

    store, data = seeds
    path = tmp_path / f"index.{fmt}"
    write_export(store, fmt, path)
    graph = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_nodes() == len(data["entities"])
    for entity in data["entities"]:
        node = graph.nodes[str(entity["id"])]
        assert node["label"] == entity["name"] and node["type"] == entity["type"]
        assert int(node["mentions"]) == len(entity["mentions"])
        assert int(node["documents"]) == len({m["doc"] for m in entity["mentions"]})
    edges = list(graph.edges(data=True))
    relations = {
        (int(a), int(b), d["label"], int(d["weight"]))
        for a, b, d in edges
        if d["kind"] == "relation"
    }
    assert relations == _expected_edges(data) and relations
    events = _events_once(data)
    event_edges = [d for _, _, d in edges if d["kind"] == "event"]
    assert event_edges
    for d in event_edges:
        event = events[int(d["event"])]
        assert d["label"] == event["type"] and int(d["weight"]) == event["sources"]
        assert d.get("date") == event["date"]


def test_csv_tables_join_up(seeds, tmp_path):
    store, data = seeds
    write_export(store, "csv", tmp_path / "tables")

    def rows(name):
        with open(tmp_path / "tables" / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    entities = {r["id"]: r for r in rows("entities.csv")}
    assert len(entities) == len(data["entities"])
    mentions = rows("mentions.csv")
    assert len(mentions) == sum(len(e["mentions"]) for e in data["entities"])
    for m in mentions:
        assert entities[m["entity_id"]]["name"] == m["entity"]
        assert m["text"].split()[-1] in m["passage"]  # the sentence holding the mention
    for r in rows("event_roles.csv"):
        assert r["entity_id"] in entities
    assert {r["event_id"] for r in rows("events.csv")} == {str(e["id"]) for e in _happened(data)}
    assert len(rows("relations.csv")) == sum(len(r["evidence"]) for r in data["relations"])
    assert {(e["source"], e["target"]) for e in rows("edges.csv")} >= {
        (str(a), str(b)) for a, b, *_ in _expected_edges(data)
    }
    assert len(rows("aliases.csv")) == sum(len(e["alias_details"]) for e in data["entities"])


def _check_date(date: dict) -> None:
    assert isinstance(date["year"], int)
    assert set(date) <= {
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "millisecond",
        "display_date",
        "format",
    }
    if "month" in date:
        assert 1 <= date["month"] <= 12
    if "day" in date:
        assert "month" in date and 1 <= date["day"] <= 31


def test_timelinejs_follows_the_documented_shape(seeds, tmp_path):
    store, data = seeds
    path = tmp_path / "timeline.json"
    write_export(store, "timelinejs", path)
    timeline = json.loads(path.read_text(encoding="utf-8"))
    assert set(timeline) <= {"events", "title", "eras", "scale"}
    assert isinstance(timeline["title"]["text"]["headline"], str)
    slides = timeline["events"]
    dated = {e["id"] for e in _happened(data) if e["date"]}
    assert len(slides) == len(dated) and slides
    ids = [s["unique_id"] for s in slides]
    assert len(set(ids)) == len(ids)
    for slide in slides:
        assert set(slide) <= {
            "start_date",
            "end_date",
            "text",
            "media",
            "group",
            "display_date",
            "background",
            "autolink",
            "unique_id",
        }
        _check_date(slide["start_date"])
        if "end_date" in slide:
            _check_date(slide["end_date"])
        assert slide["text"]["headline"] and "<p>" in slide["text"]["text"]


def test_ftm_entities_load_and_validate_in_followthemoney(seeds, tmp_path):
    from followthemoney import model

    store, data = seeds
    path = tmp_path / "index.ftm.json"
    write_export(store, "ftm", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    proxies = {}
    for line in lines:
        raw = json.loads(line)
        proxy = model.get_proxy(raw, cleaned=False)
        proxy.schema.validate(raw)  # raises InvalidData on a bad property
        proxies[proxy.id] = proxy
    schemata = {p.schema.name for p in proxies.values()}
    assert {"Document", "Person", "Organization", "Address", "Event"} <= schemata
    documents = {i for i, p in proxies.items() if p.schema.name == "Document"}
    assert len(documents) == len(data["documents"])
    for proxy in proxies.values():
        if proxy.schema.name != "Document":
            assert proxy.get("proof") and set(proxy.get("proof")) <= documents, proxy.id
        for prop in ("involved", "organizer", "subject", "object", "addressEntity"):
            if prop in proxy.schema.properties:
                assert set(proxy.get(prop)) <= set(proxies), (proxy.id, prop)


TEI = "{http://www.tei-c.org/ns/1.0}"


def test_tei_files_are_well_formed_tei_with_names_dates_and_lists(seeds, tmp_path):
    from lxml import etree

    store, data = seeds
    write_export(store, "tei", tmp_path / "tei")
    files = sorted((tmp_path / "tei").glob("*.xml"))
    assert len(files) == len(data["documents"])
    texts = {d["id"]: None for d in data["documents"]}
    for path in files:
        root = etree.parse(str(path)).getroot()  # raises on malformed XML
        assert root.tag == f"{TEI}TEI"
        doc_id = int(path.name.split("-")[0])
        ids = {el.get("{http://www.w3.org/XML/1998/namespace}id") for el in root.iter()}
        names = list(root.iter(f"{TEI}persName", f"{TEI}orgName", f"{TEI}placeName"))
        marked = [n for n in names if n.get("ref")]
        assert marked, path.name
        for name in marked:
            assert name.get("ref")[1:] in ids  # every ref points at the list of the file
        assert root.find(f"{TEI}standOff/{TEI}listPerson") is not None
        dates = list(root.iter(f"{TEI}date"))
        assert dates and all(
            d.get("when") or d.get("notBefore") or d.get("notAfter") for d in dates
        )
        for d in dates:
            if d.get("when"):
                assert re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?", d.get("when"))
        # the body is the original text, character for character
        with Store.open(store.path) as again:
            original = again.conn.execute(
                "SELECT text FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()[0]
        body = root.find(f"{TEI}text/{TEI}body")
        assert "".join(body.itertext()) == original
        texts[doc_id] = original
    assert all(texts.values())
