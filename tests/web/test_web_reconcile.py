"""The reconciliation service (Reconciliation Service API v0.2), as OpenRefine calls it.

The JSON shapes are checked by hand against the fields the specification requires (its JSON
schemas live in the reconciliation-api/specs repository, which states no licence, so they are
not copied here). What each query should find is looked up in the store, not written down."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from tests.web.conftest import TOKEN

from kartoteka.query.cards import find_entities

LOOPBACK = ("testserver", "127.0.0.1", "localhost", "::1", "[::1]")
OPENREFINE = "http://127.0.0.1:3333"


@pytest.fixture(scope="module")
def service(read_db):
    """A client of an app served as on a loopback address (hosts as `kartoteka serve` sets)."""
    from starlette.testclient import TestClient

    from kartoteka.web import WebConfig, create_app

    app = create_app(WebConfig(str(read_db), token=TOKEN, allowed_hosts=LOOPBACK))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def known(read_db):
    """Entities of the store to ask for: name -> the entity answering to it."""
    from kartoteka.store import Store

    with Store.open(read_db) as store:
        found = {}
        for name in ("Krivitsky", "Paris", "Ministry of the Interior", "Stalin"):
            entities = find_entities(store, name, exact=True)
            assert len(entities) == 1, (name, entities)
            found[name] = entities[0]
        return found


# shapes of the specification --------------------------------------------------------------


def check_manifest(m: dict) -> None:
    assert "0.2" in m["versions"]
    for key in ("name", "identifierSpace", "schemaSpace"):
        assert isinstance(m[key], str) and m[key]
    types = m["defaultTypes"]
    assert all(isinstance(t["id"], str) and isinstance(t["name"], str) for t in types)
    assert len({t["id"] for t in types}) == len(types)
    assert "{{id}}" in m["view"]["url"]
    preview = m["preview"]
    assert "{{id}}" in preview["url"]
    assert isinstance(preview["width"], int) and isinstance(preview["height"], int)
    assert isinstance(m.get("batchSize", 1), int)


def check_results(batch: dict, keys: set[str]) -> None:
    assert isinstance(batch, dict) and set(batch) == keys
    for answer in batch.values():
        result = answer["result"]
        assert isinstance(result, list)
        for c in result:
            assert isinstance(c["id"], str) and isinstance(c["name"], str)
            assert isinstance(c["score"], int | float) and not isinstance(c["score"], bool)
            assert isinstance(c.get("match", False), bool)
            for t in c.get("type", []):
                assert isinstance(t, str) or isinstance(t["id"], str)
            for f in c.get("features", []):
                assert isinstance(f["id"], str) and isinstance(f["value"], bool | int | float)
        scores = [c["score"] for c in result]
        assert scores == sorted(scores, reverse=True)  # the spec: best first


def ask(client, queries: dict, method: str = "POST") -> dict:
    payload = json.dumps(queries)
    if method == "POST":
        response = client.post("/reconcile", data={"queries": payload})
    else:
        response = client.get("/reconcile", params={"queries": payload})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    check_results(response.json(), set(queries))
    return response.json()


# the service ------------------------------------------------------------------------------


def test_the_manifest_names_the_types_and_where_cards_and_previews_are(service, known):
    response = service.get("/reconcile")
    assert response.status_code == 200
    manifest = response.json()
    check_manifest(manifest)
    assert [t["id"] for t in manifest["defaultTypes"]] == ["PER", "ORG", "PLACE"]
    key = known["Krivitsky"]["key"]
    view = manifest["view"]["url"].replace("{{id}}", quote(key, safe=""))
    went = service.get(view, follow_redirects=False)
    assert went.status_code == 303
    assert went.headers["location"] == f"/entity/{known['Krivitsky']['id']}"
    shown = service.get(manifest["preview"]["url"].replace("{{id}}", quote(key, safe="")))
    assert shown.status_code == 200 and known["Krivitsky"]["name"] in shown.text


def test_a_batch_finds_names_aliases_and_spellings_get_and_post_alike(service, known):
    queries = {
        "q0": {"query": "Krivitsky"},  # an alias of the entity
        "q1": {"query": "Walter Kriwitzki", "type": "PER"},  # a German spelling
        "q2": {"query": "Ministry of the Interior", "type": ["ORG"], "limit": 3},
        "q3": {"query": known["Stalin"]["key"]},  # an id asked for returns it
        "q4": {"query": "Zyxwv Qqq"},
        "q5": {"query": ""},
    }
    posted = ask(service, queries)
    assert ask(service, queries, method="GET") == posted
    first = {k: (v["result"][0] if v["result"] else None) for k, v in posted.items()}
    assert first["q0"]["id"] == known["Krivitsky"]["key"] and first["q0"]["match"] is True
    assert first["q0"]["score"] == 100
    assert first["q1"]["id"] == known["Krivitsky"]["key"]
    assert first["q1"]["match"] is False and 50 <= first["q1"]["score"] < 100
    assert first["q1"]["type"] == [{"id": "PER", "name": "Person"}]
    assert first["q2"]["id"] == known["Ministry of the Interior"]["key"]
    assert first["q2"]["match"] is True and len(posted["q2"]["result"]) <= 3
    assert first["q3"]["id"] == known["Stalin"]["key"] and first["q3"]["match"] is True
    assert posted["q4"]["result"] == [] and posted["q5"]["result"] == []


def test_types_restrict_the_candidates_and_limits_cut_them(service, known):
    answers = ask(
        service,
        {
            "place": {"query": "Paris", "type": "PLACE"},
            "person": {"query": "Paris", "type": "PER"},
            "one": {"query": "S", "limit": 1},
            "many": {"query": "Stalin", "limit": 500},
        },
    )
    assert answers["place"]["result"][0]["id"] == known["Paris"]["key"]
    assert all(c["type"][0]["id"] == "PER" for c in answers["person"]["result"])
    assert known["Paris"]["key"] not in {c["id"] for c in answers["person"]["result"]}
    assert len(answers["one"]["result"]) <= 1
    assert 1 <= len(answers["many"]["result"]) <= 100


@pytest.mark.parametrize(
    "queries, says",
    [
        ("not json", "queries is not JSON"),
        ('["Paris"]', "queries is a JSON object"),
        ('{"q0": "Paris"}', "query 'q0' is not an object"),
        ('{"q0": {"query": "Paris", "limit": 0}}', "`limit` is a positive whole number"),
        ('{"q0": {"query": "Paris", "type": 3}}', "`type` is a type id"),
        (json.dumps({f"q{i}": {"query": "Paris"} for i in range(51)}), "at most 50 queries"),
    ],
)
def test_a_bad_batch_is_a_400_that_says_why(service, queries, says):
    response = service.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400
    assert says in response.json()["error"]


def test_reconciliation_needs_no_token_but_answers_only_to_known_hosts(service):
    assert service.post("/reconcile", data={"queries": '{"q": {"query": "Paris"}}'}).is_success
    refused = service.get("/reconcile", headers={"host": "evil.example"})
    assert refused.status_code == 400


def test_cors_for_pages_of_this_machine_only(service):
    mine = service.get("/reconcile", headers={"origin": OPENREFINE})
    assert mine.headers["access-control-allow-origin"] == OPENREFINE
    assert "origin" in mine.headers["vary"].lower()
    other = service.get("/reconcile", headers={"origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    preflight = service.options(
        "/reconcile",
        headers={"origin": "http://localhost:3333", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3333"
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_jsonp_for_pages_of_this_machine_only(service):
    asked = {"callback": "jQuery123_456", "queries": '{"q": {"query": "Paris"}}'}
    answered = service.get("/reconcile", params=asked, headers={"referer": OPENREFINE + "/"})
    assert answered.headers["content-type"].startswith("application/javascript")
    body = answered.text
    assert body.startswith("/**/jQuery123_456(") and body.endswith(");")
    check_results(json.loads(body[len("/**/jQuery123_456(") : -2]), {"q"})
    stripped = service.get("/reconcile", params=asked)  # a page that hid where it is
    assert stripped.status_code == 403
    elsewhere = service.get(
        "/reconcile", params=asked, headers={"referer": "https://evil.example/"}
    )
    assert elsewhere.status_code == 403
    bad = service.get(
        "/reconcile", params={"callback": "alert(1)//"}, headers={"referer": OPENREFINE}
    )
    assert bad.status_code == 400


def test_the_preview_is_a_small_card_openrefine_may_frame(service, known, read_db):
    from kartoteka.query.sources import source_labels
    from kartoteka.store import Store

    entity = known["Krivitsky"]
    response = service.get("/reconcile/preview", params={"id": entity["key"]})
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    ancestors = policy.partition("frame-ancestors ")[2].split()
    assert "http://127.0.0.1:*" in ancestors and "http://localhost:*" in ancestors
    assert "*" not in ancestors and "script-src" not in policy
    assert "default-src 'none'" in policy
    assert "x-frame-options" not in response.headers
    assert f'href="/entity/{entity["id"]}"' in response.text
    with Store.open(read_db) as store:
        labels = set(source_labels(store).values())
    assert any(f"{label}:" in response.text for label in labels)
    # every other page still refuses to be framed
    card = service.get(f"/entity/{entity['id']}")
    assert card.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in card.headers["content-security-policy"]
    missing = service.get("/reconcile/preview", params={"id": "per-nobody-at-all"})
    assert missing.status_code == 404


# in a browser: a page of another port on this machine, as OpenRefine's is -----------------


@pytest.fixture
def openrefine_page(tmp_path):
    """Serves `index.html` of a folder on a free loopback port, as OpenRefine serves its
    page; yields (folder, base URL)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_a_page_of_another_port_reads_the_manifest_and_frames_the_preview(
    page, live, known, openrefine_page
):
    folder, base = openrefine_page
    service = live.rstrip("/")
    entity = known["Krivitsky"]
    (folder / "index.html").write_text(
        "<!doctype html><html><head><title>waiting</title></head><body>"
        f'<iframe id="preview" src="{service}/reconcile/preview?id={entity["key"]}"></iframe>'
        f'<iframe id="card" src="{service}/entity/{entity["id"]}"></iframe>'
        "<script>"
        f'fetch("{service}/reconcile").then(r => r.json())'
        '.then(m => { document.title = "manifest " + m.versions.join(","); })'
        '.catch(e => { document.title = "refused"; });'
        "</script></body></html>",
        encoding="utf-8",
    )
    page.goto(f"{base}/index.html")
    page.wait_for_function("document.title !== 'waiting'")
    assert page.title() == "manifest 0.2"
    preview = page.frame_locator("#preview").locator("h1")
    assert entity["name"] in preview.inner_text(timeout=5000)
    # the card itself refuses to be framed: its frame holds no page of ours
    card = page.frame(url=lambda url: "/entity/" in url)
    assert card is None or card.locator("h1").count() == 0
