"""Untrusted text stays text; writes need the token and a CSRF field; no path to files."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner


def _hostile_id(db) -> int:
    return (
        sqlite3.connect(db)
        .execute("SELECT id FROM documents WHERE name = 'hostile_source.txt'")
        .fetchone()[0]
    )


def test_markup_in_a_source_is_shown_as_text(client, read_db):
    doc = _hostile_id(read_db)
    html = client.get(f"/document/{doc}").text
    assert "&lt;script&gt;window.kartotekaPwned" in html
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html
    # and wherever else the text goes: search snippets, cards
    search = client.get("/search?q=kartotekaPwned").text
    assert "<script>window" not in search
    assert client.get(f"/document/{doc}.json").json()["text"].count("<script>") == 1


def test_reading_needs_no_token_but_writing_does(client, read_db):
    eid = sqlite3.connect(read_db).execute("SELECT id FROM entities LIMIT 1").fetchone()[0]
    assert client.get(f"/entity/{eid}").status_code == 200
    r = client.post(f"/entity/{eid}/rename", data={"name": "X"})
    assert r.status_code == 403 and "token" in r.text


def test_a_signed_in_form_without_its_csrf_field_is_refused(curator, writable_db):
    eid = sqlite3.connect(writable_db).execute("SELECT id FROM entities LIMIT 1").fetchone()[0]
    r = curator.post(f"/entity/{eid}/rename", data={"name": "X"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = curator.post(f"/entity/{eid}/rename", data={"name": "X", "csrf": "forged"})
    assert r.status_code == 403


def test_a_cross_site_post_is_refused_even_with_the_cookie(curator, writable_db):
    eid = sqlite3.connect(writable_db).execute("SELECT id FROM entities LIMIT 1").fetchone()[0]
    page = curator.get(f"/entity/{eid}").text
    import re

    csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    r = curator.post(
        f"/entity/{eid}/rename",
        data={"name": "X", "csrf": csrf},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403 and "cross-site" in r.text


def test_the_session_cookie_is_httponly_and_samesite_strict(writable_db, client_for, token):
    c = client_for(writable_db)
    r = c.get("/login", params={"token": token}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert c.get("/login", params={"token": "wrong"}).status_code == 403


def test_a_script_may_write_with_the_bearer_token(writable_db, client_for, token):
    eid = (
        sqlite3.connect(writable_db)
        .execute("SELECT id FROM entities WHERE type = 'PER' ORDER BY mention_count DESC")
        .fetchone()[0]
    )
    c = client_for(writable_db)
    r = c.post(
        f"/entity/{eid}/rename",
        json={"name": "Renamed By Script"},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["ok"]
    card = c.get(r.json()["location"] + ".json").json()
    assert card["entity"]["name"] == "Renamed By Script"
    bad = c.post(
        f"/entity/{eid}/rename",
        json={"name": "Nope"},
        headers={"Authorization": "Bearer wrong", "Accept": "application/json"},
    )
    assert bad.status_code == 403


def test_without_auth_forms_still_need_the_csrf_field(writable_db, client_for):
    c = client_for(writable_db, auth=False)
    eid = sqlite3.connect(writable_db).execute("SELECT id FROM entities LIMIT 1").fetchone()[0]
    assert c.post(f"/entity/{eid}/rename", data={"name": "X"}).status_code == 403
    assert "curating open" in c.get("/").text


def test_an_unknown_host_header_is_refused(client):
    # DNS rebinding: a page of another site must not read the app through its own name
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_no_auth_is_refused_off_loopback(read_db):
    from kartoteka.cli.web import serve_command

    result = CliRunner().invoke(
        serve_command, ["--db", str(read_db), "--host", "0.0.0.0", "--no-auth"]
    )
    assert result.exit_code != 0 and "loopback" in result.output


def test_serve_says_what_to_do_when_there_is_no_store(tmp_path):
    from kartoteka.cli.web import serve_command

    result = CliRunner().invoke(serve_command, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "kartoteka ingest" in result.output


@pytest.mark.parametrize(
    "template",
    ["document.html", "entity.html", "search.html", "path.html", "review.html", "home.html"],
)
def test_templates_never_mark_text_safe(template):
    from importlib import resources

    text = resources.files("kartoteka.web").joinpath("templates", template).read_text()
    assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text
