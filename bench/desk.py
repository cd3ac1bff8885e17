"""The network, timeline and map of a whole book: how long each page takes to draw in headless
Chromium, what it shows, and whether anything failed. For the whole-volume check the browser
tests leave out (they cut one chapter): Gibbon's first volume, 270,000 words in one document.

    .venv/bin/python bench/desk.py /work/shared/data/narrative_texts/gibbon_decline_and_fall_vol01.txt
    .venv/bin/python bench/desk.py --db /tmp/gibbon.db --keep     # reuse an ingested store

Screenshots go to screenshots/bench-desk-VIEW.png. Chromium draws WebGL in software here
(SwiftShader); times are taken on the machine as it is.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {
    "network": ("/network", "#graph[data-ready]", "#graph-status"),
    "network-co-mentions": (
        "/network?kind=relation&kind=event&kind=sentence&limit=1000",
        "#graph[data-ready]",
        "#graph-status",
    ),
    "timeline": ("/timeline", "#timeline[data-ready]", "#timeline-status"),
    "timeline-dated-sentences": ("/timeline?dates=1", "#timeline[data-ready]", "#timeline-status"),
    "map": ("/map", "#map[data-ready]", "#map-status"),
}


def ingest(sources: list[Path], db: Path) -> float:
    from kartoteka.pipeline import ingest as run
    from kartoteka.store import Store

    folder = Path(tempfile.mkdtemp(prefix="kartoteka-desk-"))
    for source in sources:
        if source.is_dir():
            shutil.copytree(source, folder / source.name)
        else:
            shutil.copy(source, folder / source.name)
    started = time.perf_counter()
    with Store.open(db) as store:
        report = run([folder], store)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    return time.perf_counter() - started


def open_views(db: Path) -> None:
    from playwright.sync_api import sync_playwright

    from kartoteka.web import Server, WebConfig, create_app

    shots = ROOT / "screenshots"
    shots.mkdir(exist_ok=True)
    app = create_app(WebConfig(str(db), token="bench"))
    with Server(app) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        for name, (url, ready, status) in VIEWS.items():
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on(
                "console",
                lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
            )
            started = time.perf_counter()
            page.goto(server.url + url)
            page.wait_for_selector(ready, timeout=300_000, state="attached")
            seconds = time.perf_counter() - started
            page.wait_for_timeout(500)
            page.screenshot(path=shots / f"bench-desk-{name}.png")
            said = page.locator(status).inner_text()
            print(f"{name:26} {seconds:6.1f} s  {said}")
            for error in errors:
                print(f"{'':26} ERROR {error}")
            page.close()
        browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="files or folders to ingest")
    parser.add_argument("--db", type=Path, default=None, help="the store (default: a temp file)")
    parser.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    args = parser.parse_args(argv)
    db = args.db or Path(tempfile.mkdtemp(prefix="kartoteka-desk-")) / "desk.db"
    if not (args.keep and db.exists()):
        if not args.sources:
            parser.error("give the sources to ingest, or --db with --keep")
        print(f"ingested in {ingest(args.sources, db):.0f} s -> {db}")
    open_views(db)
    print("(times taken on this machine as it is: the figures mean little under load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
