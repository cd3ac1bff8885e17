"""Curation from the web goes into the same judgement log as the command line's."""

from __future__ import annotations

import re
import sqlite3


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def _entity_of(db, name: str) -> int:
    return (
        sqlite3.connect(db)
        .execute("SELECT entity_id FROM mentions WHERE name = ? AND entity_id IS NOT NULL", (name,))
        .fetchone()[0]
    )


def _judgements(db) -> list[tuple]:
    return (
        sqlite3.connect(db)
        .execute("SELECT kind, value, author, note FROM judgements ORDER BY id")
        .fetchall()
    )


def test_review_queue_lists_suggestions_with_their_features(curator):
    data = curator.get("/review.json").json()
    assert data["total"] >= 1, "the test documents give resolution a pair to suggest"
    item = data["items"][0]
    assert item["left"]["aliases"] and item["right"]["aliases"] and item["features"]
    assert "left_refs" not in item["features"]


def test_same_in_the_review_queue_merges_and_is_logged(curator, writable_db):
    item = curator.get("/review.json").json()["items"][0]
    page = curator.get("/review").text
    r = curator.post(
        f"/review/{item['id']}",
        data={"csrf": _csrf(page), "decision": "same", "fingerprint": item["fingerprint"]},
    )
    assert r.status_code == 200 and r.url.path == "/review"
    assert _judgements(writable_db)[-1][:3] == ("same", None, "tester")
    left_alias = item["left"]["aliases"][0]["name"]
    conn = sqlite3.connect(writable_db)
    holders = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT entity_id FROM mentions WHERE name = ?", (left_alias,)
        )
    }
    assert len(holders) == 1
    # the pair is no longer suggested
    assert all(
        i["fingerprint"] != item["fingerprint"] for i in curator.get("/review.json").json()["items"]
    )


def test_a_stale_suggestion_id_is_found_by_its_fingerprint(curator, writable_db):
    item = curator.get("/review.json").json()["items"][0]
    page = curator.get("/review").text
    r = curator.post(
        "/review/999999",
        data={"csrf": _csrf(page), "decision": "skip", "fingerprint": item["fingerprint"]},
    )
    assert r.status_code == 200
    assert _judgements(writable_db)[-1][0] == "unsure"
    gone = curator.post(
        "/review/999999",
        data={"csrf": _csrf(page), "decision": "skip", "fingerprint": "no-such-pair"},
    )
    assert gone.status_code == 400 and "gone" in gone.text


def test_rename_split_and_merge_from_a_card(curator, writable_db):
    reiss = _entity_of(writable_db, "Ignatius Rice")
    page = curator.get(f"/entity/{reiss}").text
    csrf = _csrf(page)

    r = curator.post(f"/entity/{reiss}/rename", data={"csrf": csrf, "name": "Ignace Reiss"})
    assert r.status_code == 200
    assert "<h1" in r.text and "Ignace Reiss" in r.text
    assert _judgements(writable_db)[-1][:2] == ("rename", "Ignace Reiss")

    reiss = _entity_of(writable_db, "Ignatius Rice")
    r = curator.post(f"/entity/{reiss}/split", data={"csrf": csrf, "alias": ["Les"]})
    assert r.status_code == 200
    les, rice = _entity_of(writable_db, "Les"), _entity_of(writable_db, "Ignatius Rice")
    assert les != rice
    assert _judgements(writable_db)[-1][0] == "split"

    r = curator.post(f"/entity/{rice}/merge", data={"csrf": csrf, "other": str(les)})
    assert r.status_code == 200
    assert _entity_of(writable_db, "Les") == _entity_of(writable_db, "Ignatius Rice")
    card = curator.get(r.url.path + ".json").json()
    assert {"Les", "Ignatius Rice"} <= {a["name"] for a in card["aliases"]}
    assert [j["kind"] for j in card["judgements"]][:3] == ["same", "split", "rename"]


def test_bad_requests_say_what_to_do(curator, writable_db):
    reiss = _entity_of(writable_db, "Ignatius Rice")
    csrf = _csrf(curator.get(f"/entity/{reiss}").text)
    r = curator.post(f"/entity/{reiss}/merge", data={"csrf": csrf, "other": "Nobody Atall"})
    assert r.status_code == 400 and "no entity" in r.text
    r = curator.post(f"/entity/{reiss}/split", data={"csrf": csrf})
    assert r.status_code == 400 and "tick" in r.text
    r = curator.post(f"/entity/{reiss}/rename", data={"csrf": csrf, "name": "  "})
    assert r.status_code == 400


def test_search_follows_a_rename(curator, writable_db):
    stalin = _entity_of(writable_db, "Stalin")
    csrf = _csrf(curator.get(f"/entity/{stalin}").text)
    assert not curator.get("/search.json?q=Dzhugashvili").json()["entities"]
    curator.post(f"/entity/{stalin}/rename", data={"csrf": csrf, "name": "Iosif Dzhugashvili"})
    found = curator.get("/search.json?q=Dzhugashvili").json()["entities"]
    assert [e["name"] for e in found] == ["Iosif Dzhugashvili"]


def test_both_review_queues_log_the_same_references(tmp_path, client_for, token):
    """The same decision on the same suggestion, once from `kartoteka review` and once from
    the web queue, leaves the same line in the log (hermetic store, no spaCy)."""
    import shutil

    from click.testing import CliRunner
    from tests.test_resolve_store import HISTORY, MEMOIR, _ingest

    from kartoteka.cli import main
    from kartoteka.corpus import resolve_corpus
    from kartoteka.store import Store

    cli_db, web_db = tmp_path / "cli.db", tmp_path / "web.db"
    with Store.open(cli_db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        _ingest(store, "notes.txt", "Rice was seen in Geneva.")  # sounds like Reiss
        resolve_corpus(store)
    shutil.copy(cli_db, web_db)

    result = CliRunner().invoke(main, ["review", "--db", str(cli_db), "--limit", "1"], input="y\n")
    assert result.exit_code == 0, result.output

    web = client_for(web_db)
    web.get("/login", params={"token": token})
    item = web.get("/review.json").json()["items"][0]
    r = web.post(
        f"/review/{item['id']}",
        data={
            "csrf": _csrf(web.get("/review").text),
            "decision": "same",
            "fingerprint": item["fingerprint"],
        },
    )
    assert r.status_code == 200

    def logged(db):
        return (
            sqlite3.connect(db)
            .execute("SELECT kind, left_ref, right_ref FROM judgements ORDER BY id")
            .fetchall()
        )

    assert logged(cli_db) == logged(web_db) and len(logged(cli_db)) == 1
