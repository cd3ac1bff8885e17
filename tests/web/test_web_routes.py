"""Pages and their JSON twins, in process (Starlette's TestClient), on the ingested seeds."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest


def _db(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture(scope="module")
def ids(read_db):
    conn = _db(read_db)
    reiss = conn.execute(
        "SELECT entity_id FROM mentions WHERE name = 'Ignatius Rice' AND entity_id IS NOT NULL"
    ).fetchone()[0]
    doc = conn.execute("SELECT id FROM documents WHERE name LIKE '000_%'").fetchone()[0]
    hostile = conn.execute("SELECT id FROM documents WHERE name = 'hostile_source.txt'").fetchone()[
        0
    ]
    return {"reiss": reiss, "doc": doc, "hostile": hostile}


PAGES = [
    "/",
    "/documents",
    "/document/{doc}",
    "/document/{doc}?removals=1",
    "/entities",
    "/entities?type=PER",
    "/entity/{reiss}",
    "/network",
    "/path?a=Skoblin&b=Heydrich",
    "/timeline",
    "/timeline?entity={reiss}",
    "/map",
    "/map?entity={reiss}",
    "/search?q=Skoblin",
    "/review",
    "/login",
]
TWINS = [
    "/index.json",
    "/documents.json",
    "/document/{doc}.json",
    "/entities.json",
    "/entity/{reiss}.json",
    "/network.json",
    "/path.json?a=Skoblin&b=Heydrich",
    "/timeline.json",
    "/map.json",
    "/search.json?q=Skoblin",
    "/review.json",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_with_html(client, ids, url):
    r = client.get(url.format(**ids))
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in r.headers


@pytest.mark.parametrize("url", TWINS)
def test_every_twin_answers_with_json(client, ids, url):
    r = client.get(url.format(**ids))
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json(), dict)


def test_each_page_links_its_json_twin(client, ids):
    html = client.get(f"/entity/{ids['reiss']}").text
    assert f'href="/entity/{ids["reiss"]}.json"' in html


def test_card_twin_holds_every_alias_stored_for_the_entity(client, ids, read_db):
    stored = {
        r[0]
        for r in _db(read_db).execute(
            "SELECT alias FROM aliases WHERE entity_id = ?", (ids["reiss"],)
        )
    }
    data = client.get(f"/entity/{ids['reiss']}.json").json()
    assert {a["name"] for a in data["aliases"]} == stored
    assert "Ignatius Rice" in stored
    html = client.get(f"/entity/{ids['reiss']}").text
    for alias in stored:
        assert f'<td class="alias-name">{alias}</td>' in html


def test_card_mentions_link_to_their_place_in_the_document(client, ids, read_db):
    data = client.get(f"/entity/{ids['reiss']}.json").json()
    mentions = [m for d in data["documents"] for m in d["mentions"]]
    assert mentions
    html = client.get(f"/entity/{ids['reiss']}").text
    for m in mentions:
        assert m["href"].endswith(f"#m-{m['id']}")
        assert f'href="{m["href"]}"' in html
    # and the anchor exists in the document page, on the mention itself
    doc_id = data["documents"][0]["id"]
    page = client.get(f"/document/{doc_id}").text
    first = data["documents"][0]["mentions"][0]
    assert re.search(
        rf'<a id="m-{first["id"]}" class="m m-PER"[^>]*href="/entity/'
        rf'{ids["reiss"]}"',
        page,
    )


def test_document_marks_mentions_timexes_and_event_sentences(client, ids):
    data = client.get(f"/document/{ids['doc']}.json").json()
    html = client.get(f"/document/{ids['doc']}").text
    resolved = [m for m in data["mentions"] if m["entity_id"] is not None]
    assert resolved
    for m in resolved[:10]:
        assert f'id="m-{m["id"]}"' in html and f'href="/entity/{m["entity_id"]}"' in html
    dated = [t for t in data["timexes"] if t["value"]]
    assert dated
    for t in dated:
        assert re.search(
            rf'id="t-{t["id"]}" class="tx tx-{t["type"]}" title="{t["type"]} '
            rf"{re.escape(t['value'])}",
            html,
        )
    assert data["events"]
    for e in data["events"][:5]:
        assert f'id="e-{e["id"]}" class="ev"' in html


def test_document_text_reads_the_same_with_marks_removed(client, ids):
    """Marks only wrap the text: stripping the tags gives back the original exactly."""
    import html as htmllib

    data = client.get(f"/document/{ids['doc']}.json").json()
    page = client.get(f"/document/{ids['doc']}").text
    inner = re.search(r'<article class="text" id="doc-text">(.*?)</article>', page, re.S)[1]
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", inner)) == data["text"]


def test_removals_are_shown_on_request(client, read_db):
    conn = _db(read_db)
    row = conn.execute("SELECT id, removals FROM documents WHERE removals != '[]'").fetchone()
    if row is None:
        pytest.skip("cleaning removed nothing from these documents")
    removals = json.loads(row["removals"])
    assert 'id="removals"' not in client.get(f"/document/{row['id']}").text
    page = client.get(f"/document/{row['id']}?removals=1").text
    assert 'id="removals"' in page and 'class="rm"' in page
    assert page.count("<tr>") >= len(removals)


def test_unknown_entity_and_document_are_404_with_a_way_on(client):
    r = client.get("/entity/987654")
    assert r.status_code == 404 and "/search" in r.text
    assert client.get("/document/987654.json").status_code == 404
    assert client.get("/document/987654.json").json()["status"] == 404


def test_network_has_the_seeds_people_and_edges_with_passages(client, read_db):
    data = client.get("/network.json?passages=1").json()
    names = {n["name"] for n in data["nodes"]}
    for person in ("Skoblin", "Ignatius Rice", "Walter Krivitsky"):
        assert person in names
    assert {n["type"] for n in data["nodes"]} <= {"PER", "ORG"}
    assert data["edges"]
    for e in data["edges"]:
        assert e["count"] >= 1 and e["sources"] >= 1 and e["evidence"]
        assert all(p["text"] and p["name"] for p in e["evidence"])


def test_network_filters(client, ids):
    people = client.get("/network.json?type=PER").json()
    assert {n["type"] for n in people["nodes"]} == {"PER"}
    one_doc = client.get(f"/network.json?doc={ids['doc']}&passages=1").json()
    assert all(p["doc"] == ids["doc"] for e in one_doc["edges"] for p in e["evidence"])
    in_1937 = client.get("/network.json?from=1937&to=1937").json()
    assert all(e["kind"] == "event" for e in in_1937["edges"])
    assert client.get("/network.json?from=someday").status_code == 400
    assert client.get("/network.json?type=DOG").status_code == 400


def test_path_from_skoblin_to_heydrich_shows_the_passages(client):
    data = client.get("/path.json?a=Skoblin&b=Heydrich").json()
    result = data["result"]
    assert result["paths"], "Skoblin and Heydrich are linked in the seeds"
    for path in result["paths"]:
        assert path["hops"][0]["from"]["name"] == "Skoblin"
        assert "Heydrich" in path["hops"][-1]["to"]["name"]
        for hop in path["hops"]:
            assert hop["edges"] and all(p["text"] for e in hop["edges"] for p in e["evidence"])
    html = client.get("/path?a=Skoblin&b=Heydrich").text
    assert 'id="path-summary"' in html and "blockquote" in html


def test_timeline_is_in_date_order_and_filters_by_entity(client, ids):
    items = client.get("/timeline.json").json()["items"]
    assert any(i["kind"] == "event" for i in items)
    lowers = [i["lower"] for i in items if i["lower"]]
    assert lowers == sorted(lowers)
    mine = client.get(f"/timeline.json?entity={ids['reiss']}").json()
    assert mine["entity"]["id"] == ids["reiss"]
    assert 0 < len(mine["items"]) < len(items)
    by_name = client.get("/timeline.json?who=Ignatius Rice").json()
    assert by_name["entity"]["id"] == ids["reiss"]
    assert client.get("/timeline.json?who=Nobody Atall").status_code == 404


def test_search_finds_names_by_prefix_and_text(client):
    data = client.get("/search.json?q=Skob").json()
    assert any(e["name"] == "Skoblin" for e in data["entities"])
    assert any(any(p["hit"] for p in d["snippet"]) for d in data["documents"])
    assert client.get('/search.json?q=" OR NEAR(').status_code == 200  # no FTS syntax error


def test_static_files_come_from_the_package_only(client):
    for vendored in (
        "graph/graph.min.js",
        "graph/graph.LICENSES.txt",
        "graph/layout-worker.min.js",
        "map/map.min.js",
        "map/countries-50m.json",
        "vis-timeline/vis-timeline-graph2d.min.js",
        "vis-timeline/LICENSE.MIT.txt",
    ):
        assert client.get(f"/static/vendor/{vendored}").status_code == 200, vendored
    for bad in (
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/web.db",
        "/static//etc/passwd",
    ):
        assert client.get(bad).status_code == 404, bad


def test_pages_load_nothing_from_another_site(client, ids):
    for url in ("/", "/network", "/timeline", "/map", f"/entity/{ids['reiss']}"):
        html = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def _walk(client, first: str, name: str, key) -> list:
    """Every item of a card's list `name`, page by page, following the card's own links."""
    items, url = [], first
    while url:
        data = client.get(url.replace("?", ".json?", 1) if "?" in url else url + ".json").json()
        items += [key(x) for x in data[name]]
        url = data["next_pages"][name]
    return items


def test_a_card_comes_a_page_at_a_time_and_the_pages_hold_it_whole(client, read_db):
    conn = _db(read_db)
    busiest = conn.execute(
        "SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id"
        " ORDER BY COUNT(DISTINCT doc_id) DESC LIMIT 1"
    ).fetchone()[0]
    whole = client.get(f"/entity/{busiest}.json?limit=5000").json()
    assert len(whole["documents"]) >= 3 and whole["pages"]["documents"]["more"] is False

    paged = _walk(client, f"/entity/{busiest}?limit=2", "documents", lambda d: d["id"])
    assert paged == [d["id"] for d in whole["documents"]]  # same order, none twice, none lost

    first = client.get(f"/entity/{busiest}.json?limit=2").json()
    assert len(first["documents"]) == 2
    assert first["pages"]["documents"] == {
        "total": len(whole["documents"]),
        "offset": 0,
        "limit": 2,
        "shown": 2,
        "more": True,
    }
    html = client.get(f"/entity/{busiest}?limit=2").text
    assert 'rel="next">next documents</a>' in html
    assert f"documents 1–2 of {len(whole['documents'])}" in html


def test_a_card_pages_its_events_and_relations_too(client, read_db):
    conn = _db(read_db)
    rows = conn.execute("SELECT roles FROM events").fetchall()
    counts: dict[int, int] = {}
    for (roles,) in rows:
        for ids in json.loads(roles).values():
            for e in set(ids):
                counts[e] = counts.get(e, 0) + 1
    entity = max(counts, key=counts.get)
    whole = client.get(f"/entity/{entity}.json?limit=5000").json()
    assert len(whole["events"]) >= 2
    paged = _walk(client, f"/entity/{entity}?limit=1", "events", lambda e: e["id"])
    assert paged == [e["id"] for e in whole["events"]]
    paged = _walk(client, f"/entity/{entity}?limit=1", "relations", lambda r: r["id"])
    assert paged == [r["id"] for r in whole["relations"]]
