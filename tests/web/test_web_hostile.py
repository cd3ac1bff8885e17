"""The web app given hostile values in every parameter of every route: a 4xx with a message
or an ordinary answer, never a 500, and the connection stays open for the next request
(issue 12: 12.13, Must have 6). A real server (uvicorn in a thread) on a real store, one
keep-alive connection per test, as a browser keeps it."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from tests.test_resolve_store import HISTORY, MEMOIR, _ingest

from kartoteka.corpus import resolve_corpus
from kartoteka.store import Store
from kartoteka.web import Server, WebConfig, create_app

TOKEN = "hostile-test-token"

HOSTILE = {
    "superscript": "²",
    "arabic digits": "١٢",
    "20 digits": "12345678901234567890",
    "negative": "-1",
    "float": "1e5",
    "50 kB": "Krivitsky" * 5600,
    "percent": "%",
    "underscore": "_",
    "empty": "",
    "blank": "   ",
    "quotes and markup": "'\"<b>",
    "nul": "\x00",
}

#: Every route with a parameter, the parameter written as {v}.
GETS = [
    "/entity/{v}",
    "/entity/{v}.json",
    "/document/{v}",
    "/document/{v}.json",
    "/document/1.json?removals={v}",
    "/search?q={v}",
    "/search.json?q={v}",
    "/search.json?q=Reiss&limit={v}",
    "/search.json?q=Reiss&offset={v}",
    "/entities?q={v}",
    "/entities.json?q={v}",
    "/entities.json?type={v}",
    "/entities.json?limit={v}",
    "/documents.json?limit={v}",
    "/documents.json?offset={v}",
    "/network?doc={v}",
    "/network.json?doc={v}",
    "/network.json?type={v}",
    "/network.json?kind={v}",
    "/network.json?from={v}",
    "/network.json?to={v}",
    "/network.json?limit={v}",
    "/path?a={v}&b=Krivitsky",
    "/path.json?a={v}&b=Krivitsky",
    "/path.json?a=Krivitsky&b={v}",
    "/path.json?a=Reiss&b=Krivitsky&max={v}",
    "/timeline?who={v}",
    "/timeline.json?who={v}",
    "/timeline.json?entity={v}",
    "/timeline.json?from={v}",
    "/timeline.json?to={v}",
    "/timeline.json?limit={v}",
    "/review.json?limit={v}",
    "/review.json?offset={v}",
    "/login?token={v}",
]

#: Curation forms: the route, and the form with the hostile value in one field.
POSTS = [
    ("/entity/{v}/merge", {"other": "Krivitsky"}),
    ("/entity/{v}/split", {"alias": "Reiß"}),
    ("/entity/{v}/rename", {"name": "Someone"}),
    ("/review/{v}", {"decision": "same"}),
    ("/entity/{entity}/merge", {"other": "{v}"}),
    ("/entity/{entity}/split", {"alias": "{v}"}),
    ("/entity/{entity}/rename", {"name": "{v}"}),
    ("/review/1", {"decision": "{v}"}),
    ("/review/1", {"decision": "same", "fingerprint": "{v}"}),
    ("/login", {"token": "{v}"}),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile-web") / "k.db"
    with Store.open(db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        resolve_corpus(store)
        entity = store.conn.execute("SELECT id FROM entities ORDER BY id LIMIT 1").fetchone()[0]
    app = create_app(WebConfig(str(db), token=TOKEN, author="tester"))
    with Server(app) as server:
        yield server.url, app.state.guard.csrf, entity, db


class Browser:
    """One keep-alive connection, the session cookie once signed in."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Accept"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response, text

    def sign_in(self) -> None:
        response, _ = self.request("GET", f"/login?token={TOKEN}")
        assert response.status == 303
        self.cookie = response.getheader("set-cookie").split(";")[0]


def _answered(response, text: str, what: str) -> None:
    """A 4xx with a message, or an ordinary answer; never a 5xx; the connection kept."""
    assert response.status < 500, f"{what}: {response.status} {text[:300]}"
    assert (response.getheader("connection") or "").lower() != "close", what
    if response.status >= 400:
        if "json" in (response.getheader("content-type") or ""):
            assert json.loads(text).get("error"), f"{what}: no message in {text[:300]}"
        else:
            assert "<" in text and len(text) > 100, f"{what}: no page with a message"


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_route_answers_a_hostile_value_with_a_4xx_never_a_500(site, value):
    url, _csrf, _entity, _db = site
    browser = Browser(url)
    for template in GETS:
        path = template.format(v=quote(value, safe=""))
        response, text = browser.request("GET", path)
        _answered(response, text, f"GET {template} with {value[:20]!r}")
    # the same connection still answers
    response, _ = browser.request("GET", "/entities.json")
    assert response.status == 200


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_curation_form_answers_a_hostile_value_with_a_4xx(site, value):
    url, csrf, entity, db = site
    browser = Browser(url)
    browser.sign_in()
    with Store.open(db) as store:
        before = store.conn.execute("SELECT MAX(id) FROM judgements").fetchone()[0] or 0
    for template, form in POSTS:
        path = template.format(v=quote(value, safe=""), entity=entity)
        body = {k: v.format(v=value) for k, v in form.items()}
        if template != "/login":
            body["csrf"] = csrf
        response, text = browser.request("POST", path, body)
        _answered(response, text, f"POST {template} {form} with {value[:20]!r}")
    with Store.open(db) as store:
        made = store.conn.execute(
            "SELECT kind, value FROM judgements WHERE id > ?", (before,)
        ).fetchall()
    # only a new name with a letter in it ("1e5", "<b>") is a name, taken literally
    assert all(
        kind == "rename" and name == " ".join(value.split()) and any(c.isalpha() for c in name)
        for kind, name in made
    ), made
    response, _ = browser.request("GET", "/entities.json")
    assert response.status == 200


def test_an_id_past_sqlite_integers_is_not_found(site):
    url, *_ = site
    browser = Browser(url)
    for path in ("/entity/12345678901234567890.json", "/document/99999999999999999999.json"):
        response, text = browser.request("GET", path)
        assert response.status == 404 and "no " in json.loads(text)["error"], text


@pytest.mark.parametrize("where", ["cookie", "bearer", "csrf"])
def test_a_non_ascii_credential_is_refused_not_a_500(site, where):
    url, csrf, entity, _db = site
    browser = Browser(url)
    headers = {
        "cookie": {"Cookie": "kartoteka_session=\u00b2"},
        "bearer": {"Authorization": "Bearer \u00b2"},
        "csrf": {},
    }[where]
    if where == "csrf":
        browser.sign_in()
        headers = {"Cookie": browser.cookie}
    body = urlencode({"name": "Someone", "csrf": "\u00b2" if where == "csrf" else csrf})
    headers |= {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    browser.conn.request(
        "POST", f"/entity/{entity}/rename", body=body.encode("latin-1", "replace"), headers=headers
    )
    response = browser.conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    assert 400 <= response.status < 500, (response.status, text[:300])


def test_the_store_is_where_the_test_left_it(site):
    """The hostile requests changed nothing: the store still opens and passes its check."""
    _url, _csrf, _entity, db = site
    assert Path(db).exists()
    with Store.open(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
