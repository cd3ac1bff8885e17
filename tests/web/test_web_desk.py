"""The network, the timeline and the map in headless Chromium on three kinds of corpus: the
examples, the dev corpus (articles and translations by others, from the shared folder) and a
few chapters of Gibbon (one long narrative). Each view must draw with no error in the page or
the console; screenshots go to screenshots/desk-VIEW-CORPUS.png for a person to look at."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from tests.test_quality_floor import shared_folder
from tests.web.conftest import EXAMPLES, ingest_folder, start_server

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

GIBBON = "data/narrative_texts/gibbon_decline_and_fall_vol01.txt"
#: Chapter IV (Commodus), part I: a few thousand words of one narrative, dated and placed
#: (the table of contents breaks these headings over two lines, so each is found once)
#: a part of a chapter whose text dates its events (Gibbon's own chronological note gives the
#: year 238 and the months of it): the timeline has something to draw
GIBBON_PART = (
    r"Chapter VII: Tyranny Of Maximin, Rebellion, Civil Wars, Death Of\s+Maximin\.—Part II\."
)
GIBBON_NEXT = (
    r"Chapter VII: Tyranny Of Maximin, Rebellion, Civil Wars, Death Of\s+Maximin\.—Part III\."
)


def _gibbon_chapters(folder: Path) -> Path | None:
    """A part of one chapter of Gibbon's first volume, cut into `folder` (the shared text
    stays where it is: it is not ours to copy into the repository)."""
    shared = shared_folder()
    source = shared / GIBBON if shared else None
    if source is None or not source.exists():
        return None
    text = source.read_text(encoding="utf-8-sig")
    # the body's heading, not the table of contents': the last match of each
    start = [m.start() for m in re.finditer(GIBBON_PART, text)][-1]
    end = [m.start() for m in re.finditer(GIBBON_NEXT, text)][-1]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gibbon_maximin.txt").write_text(text[start:end], encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["seeds", "dev", "gibbon"])
def corpus(request, tmp_path_factory):
    """A server on one corpus's store: (name, base URL)."""
    base = tmp_path_factory.mktemp(request.param)
    folder = base / "corpus"
    if request.param == "seeds":
        folder.mkdir()
        for source in EXAMPLES.glob("*.txt"):
            shutil.copy(source, folder / source.name)
    elif request.param == "dev":
        shared = shared_folder()
        if shared is None:
            pytest.skip("the shared dev corpus is not beside this clone (set KARTOTEKA_SHARED)")
        folder = shared / "corpus" / "dev" / "texts"
    elif _gibbon_chapters(folder) is None:
        pytest.skip(f"{GIBBON} is not in the shared folder")
    db = ingest_folder(folder, base / "store.db")
    server = start_server(db)
    yield request.param, server.url
    server.stop()


def _clean(page) -> None:
    assert not page.errors, page.errors
    assert not page.console_errors, page.console_errors


def _no_overlap(boxes: list[dict]) -> None:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x2"] <= b["x1"] or b["x2"] <= a["x1"] or a["y2"] <= b["y1"] or b["y2"] <= a["y1"]
            )
            assert apart, (a, b)


def test_the_network_draws_settled_with_labels_that_never_overlap(page, corpus, screenshots):
    name, url = corpus
    # Gibbon's Commodus chapter links people to places, hardly to bodies: its network of
    # people and bodies alone held one misread link ("Cleander" member of "Imperial palace")
    query = "?type=PER,ORG,PLACE" if name == "gibbon" else ""
    page.goto(f"{url}/network{query}")
    page.wait_for_selector("#graph[data-ready]", timeout=60_000)
    page.screenshot(path=screenshots / f"desk-network-{name}.png")
    order = page.evaluate("window.kartotekaNetwork ? window.kartotekaNetwork.graph.order : 0")
    assert order > 0, page.locator("#graph-status").inner_text()
    labels = page.evaluate(
        "window.kartotekaNetwork.labels().map(b => ({x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2}))"
    )
    assert labels
    _no_overlap(labels)
    # zoomed in, more names fit, and still none overlaps
    page.evaluate("window.kartotekaNetwork.renderer.getCamera().setState({ratio: 0.4})")
    page.wait_for_timeout(300)
    zoomed = page.evaluate(
        "window.kartotekaNetwork.labels().map(b => ({x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2}))"
    )
    _no_overlap(zoomed)
    _clean(page)


def test_the_timeline_draws_events_in_lanes(page, corpus, screenshots):
    name, url = corpus
    page.goto(f"{url}/timeline")
    page.wait_for_selector("#timeline[data-ready]", timeout=60_000)
    data = page.evaluate("window.kartotekaTimelineData || null")
    if data is None or not data["items"]:
        pytest.skip(f"no dated event in the {name} corpus")
    page.wait_for_selector("#timeline .vis-item", timeout=30_000)  # drawn, not only loaded
    page.screenshot(path=screenshots / f"desk-timeline-{name}.png", full_page=True)
    assert page.locator("#timeline .vis-item").count() > 0
    assert page.locator("#timeline .vis-label").count() == len(data["lanes"]) + 1
    window = page.evaluate(
        "(() => { const w = window.kartotekaTimeline.getWindow();"
        " return [w.start.toISOString().slice(0, 10), w.end.toISOString().slice(0, 10)]; })()"
    )
    assert window[0] <= data["window"]["start"] <= window[1]
    _clean(page)


def test_the_map_draws_the_located_places(page, corpus, screenshots):
    name, url = corpus
    page.goto(f"{url}/map")
    page.wait_for_selector("#map[data-ready]", timeout=90_000)
    page.screenshot(path=screenshots / f"desk-map-{name}.png", full_page=True)
    data = page.evaluate("window.kartotekaMap.data")
    assert data["places"], "every corpus here names a place the gazetteer knows"
    assert page.locator("#map circle.map-dot").count() == len(data["places"])
    assert page.locator("#unlocated-list li").count() == len(data["unlocated"])
    if name == "seeds":
        # Paris is drawn west of Berlin, Berlin west of Moscow, Lausanne south of all three
        at = {
            p: page.evaluate(f"window.kartotekaMap.at({p!r})")
            for p in ("Paris", "Berlin", "Moscow", "Lausanne")
        }
        assert at["Paris"]["x"] < at["Berlin"]["x"] < at["Moscow"]["x"]
        assert at["Lausanne"]["y"] > max(at[p]["y"] for p in ("Paris", "Berlin", "Moscow"))
    _clean(page)
