"""The reader's desk in headless Chromium (Debian's), driven by Playwright, against uvicorn
serving the ingested seeds in a thread. Screenshots of each page go to screenshots/."""

from __future__ import annotations

import sqlite3

import pytest

pytestmark = pytest.mark.browser


def _q(db, sql, *args):
    return sqlite3.connect(db).execute(sql, args).fetchall()


def _reiss(db) -> int:
    return _q(
        db, "SELECT entity_id FROM mentions WHERE name = 'Ignatius Rice' AND entity_id IS NOT NULL"
    )[0][0]


def test_a_mention_links_to_its_card(page, live, read_db, screenshots):
    doc = _q(read_db, "SELECT doc_id FROM mentions WHERE name = 'Ignatius Rice'")[0][0]
    page.goto(f"{live}/document/{doc}")
    page.screenshot(path=screenshots / "document.png", full_page=True)
    mention = page.locator("#doc-text a.m-PER", has_text="Ignatius Rice").first
    mention.click()
    page.wait_for_url(f"**/entity/{_reiss(read_db)}")
    assert "Ignatius Rice" in page.locator("h1").inner_text()
    assert not page.errors


def test_the_card_shows_every_alias_of_the_entity(page, live, read_db, screenshots):
    reiss = _reiss(read_db)
    stored = {r[0] for r in _q(read_db, "SELECT alias FROM aliases WHERE entity_id = ?", reiss)}
    assert "Ignatius Rice" in stored
    page.goto(f"{live}/entity/{reiss}")
    page.screenshot(path=screenshots / "entity.png", full_page=True)
    shown = set(page.locator("#aliases td.alias-name").all_inner_texts())
    assert shown == stored
    # each mention in context leads to its place in the document
    first = page.locator("li.mention-context a.hit").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(f"**{href}")
    anchor = href.split("#")[1]
    assert page.locator(f"#{anchor}").is_visible()


def test_the_network_draws_the_seeds_linked_people(page, live, read_db, screenshots):
    linked = {
        r[0]
        for r in _q(
            read_db,
            "SELECT DISTINCT e.name FROM entities e JOIN mentions m ON m.entity_id = e.id"
            " JOIN relation_mentions r ON r.doc_id = m.doc_id"
            " AND m.idx IN (r.subject_idx, r.object_idx) WHERE e.type = 'PER'",
        )
    }
    page.goto(f"{live}/network")
    page.wait_for_selector("#graph[data-ready]", timeout=30_000)
    assert page.locator("#graph canvas").count() > 0
    labels = set(page.evaluate("window.kartotekaNetwork.graph.mapNodes((n, a) => a.label)"))
    assert linked and linked <= labels, linked - labels
    assert page.evaluate("window.kartotekaNetwork.graph.size") > 0
    page.screenshot(path=screenshots / "network.png")
    # a real click on a node: its neighbourhood is highlighted, its summary in the panel
    skoblin = _q(read_db, "SELECT id FROM entities WHERE name = 'Skoblin'")[0][0]
    at = page.evaluate(
        f"""() => {{
        const n = window.kartotekaNetwork, a = n.graph.getNodeAttributes("{skoblin}");
        const p = n.renderer.graphToViewport({{x: a.x, y: a.y}});
        const box = document.getElementById("graph").getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }}"""
    )
    page.mouse.click(*at)
    page.wait_for_selector(f"#panel-body h3 a[href='/entity/{skoblin}']", timeout=10_000)
    # what sigma draws: the neighbourhood in its colours, every other node greyed
    highlighted = page.evaluate(
        "window.kartotekaNetwork.graph.filterNodes(n =>"
        " window.kartotekaNetwork.renderer.getNodeDisplayData(n).color !== '#dcdcdc')"
    )
    neighbours = page.evaluate(f"window.kartotekaNetwork.graph.neighbors('{skoblin}')")
    assert set(highlighted) == {str(skoblin), *neighbours}
    page.screenshot(path=screenshots / "network-selected.png")
    assert not page.errors


def test_an_edge_shows_the_passages_behind_it(page, live):
    page.goto(f"{live}/network?type=PER&type=ORG")
    page.wait_for_selector("#graph[data-ready]", timeout=30_000)
    page.evaluate(
        "() => window.kartotekaNetwork.showEdge(window.kartotekaNetwork.graph.edges()[0])"
    )
    page.wait_for_selector("#panel-body blockquote.passage", timeout=10_000)
    assert page.locator("#panel-body blockquote.passage").count() >= 1


def test_the_timeline_shows_dated_events_in_order(page, live, screenshots):
    page.goto(f"{live}/timeline?from=1936&to=1937")
    page.wait_for_selector("#timeline[data-ready]", timeout=20_000)
    page.screenshot(path=screenshots / "timeline.png", full_page=True)
    items = page.evaluate("""() => Array.from(
        document.querySelectorAll('#timeline .vis-item [data-kind="event"]')).map(e => {
          const item = e.closest('.vis-item');
          return [e.dataset.lower, item.getBoundingClientRect().left];
        })""")
    assert len(items) >= 3, "the seeds hold dated events"
    items.sort()
    lefts = [x for _, x in items]
    assert all(b >= a - 8 for a, b in zip(lefts, lefts[1:])), items
    assert lefts[-1] - lefts[0] > 100  # they are spread over time, not piled up
    # it opens on the period asked for
    window = page.evaluate(
        "(() => { const w = window.kartotekaTimeline.getWindow();"
        " return [w.start.toISOString(), w.end.toISOString()]; })()"
    )
    # (vis-timeline reads a day in local time: allow a day either side of midnight UTC)
    assert window[0][:10] in ("1935-12-31", "1936-01-01"), window
    assert window[1][:10] in ("1937-12-31", "1938-01-01"), window


def test_the_path_page_explains_each_step(page, live, screenshots):
    page.goto(f"{live}/path?a=Skoblin&b=Heydrich")
    page.screenshot(path=screenshots / "path.png", full_page=True)
    assert "shortest path" in page.locator("#path-summary").inner_text()
    assert page.locator("section.path blockquote.passage").count() >= 1


def test_a_hostile_source_shows_its_markup_as_text(page, live, read_db, screenshots):
    doc = _q(read_db, "SELECT id FROM documents WHERE name = 'hostile_source.txt'")[0][0]
    page.goto(f"{live}/document/{doc}")
    page.screenshot(path=screenshots / "hostile.png", full_page=True)
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.kartotekaPwned = true;" in text
    assert '<img src=x onerror="window.kartotekaPwned = true">' in text
    assert page.evaluate("typeof window.kartotekaPwned") == "undefined"
    assert page.title() != "pwned"


def test_home_search_and_review_pages(page, live, screenshots):
    for name, url in (("home", "/"), ("search", "/search?q=NKVD"), ("review", "/review")):
        page.goto(live + url)
        page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    assert not page.errors


def test_a_merge_in_the_review_queue_shows_on_the_card_and_survives_reingest(
    page, fresh_site, screenshots
):
    site = fresh_site
    page.goto(f"{site.url}/login?token={site.token}")
    page.goto(f"{site.url}/review")
    pauls = page.locator("section.suggestion").filter(has_text="Paul")
    assert pauls.count() >= 1, "resolution offers the two bare Pauls for review"
    page.screenshot(path=screenshots / "review-queue.png", full_page=True)
    pauls.first.get_by_role("button", name="Same", exact=True).click()
    page.wait_for_url("**/review")

    def paul_card_documents() -> set[str]:
        holders = {
            r[0] for r in _q(site.db, "SELECT DISTINCT entity_id FROM mentions WHERE name = 'Paul'")
        }
        assert len(holders) == 1, "every Paul is on one card"
        page.goto(f"{site.url}/entity/{holders.pop()}")
        return set(page.locator("#aliases tr.alias td:nth-child(3) a").all_inner_texts())

    wanted = {
        "letter_paul.txt",
        *[
            r[0]
            for r in _q(
                site.db,
                "SELECT DISTINCT d.name FROM mentions m JOIN documents d ON d.id = m.doc_id"
                " WHERE m.name = 'Paul' AND d.name != 'letter_paul.txt'",
            )
        ],
    }
    assert len(wanted) == 2
    assert paul_card_documents() == wanted
    page.screenshot(path=screenshots / "merged-card.png", full_page=True)

    site.reingest_changed("letter_paul.txt", "\nPaul came back to Paris in November 1937.\n")
    assert paul_card_documents() == wanted
    assert "same" in page.locator("section.curate").inner_text()
