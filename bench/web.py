"""How fast are the web pages on a store of 1,000 documents?

Builds the store from the seeds: each seed is annotated once by the real pipeline, then
copied many times with its people renamed from a pool of made-up names (text, and every
offset after a changed name, shifted to match), written with the lead's `write_document`,
and resolved with the real `resolve_corpus`. Then it times the pages in process (Starlette's
TestClient, so the figures are the app's, not the network's) and prints median and p95. The
network, timeline and map answers are timed cold (the app's cache emptied before each: the
first answer after the store changed) and warm (from the cache).

With `--draw`, it also serves the store with uvicorn and opens the network page in headless
Chromium with 2,000 nodes, and prints the time until the graph is drawn (from navigation
start: fetching, communities, layout, first frame), first and again (the layout kept for the
session). Chromium draws WebGL in software here (SwiftShader): a real GPU is faster.

    .venv/bin/python bench/web.py                 # 1,000 documents in a temp folder
    .venv/bin/python bench/web.py --docs 200 --db /tmp/bench.db --keep --draw
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import statistics
import sys
import tempfile
import time
from copy import deepcopy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIVEN = (
    "Anna Boris Clara Dmitri Elena Fyodor Galina Hans Irina Jakob Karl Lidia Maxim Nina "
    "Oskar Pavel Rosa Sergei Tatiana Viktor Walter Yuri Zinaida Emil Olga Ivan Marta "
    "Leon Vera Georg"
).split()
BASE_SURNAMES = (
    "Abramov Belinsky Czerny Dorfman Egorov Falk Gromov Hartmann Ilyin Jansen Kovac "
    "Lebedev Morozov Novak Orlov Petrov Quast Rudin Sokolov Tarasov Ulrich Volkov "
    "Weber Yakovlev Zorin Antonov Brandt Chernov Danilov Eckert Fomin Gorky Hofer "
    "Ivanov Jaeger Kirov Lorenz Markov Nikitin Ostrowski Popov Roth Savin Titov "
    "Usov Vogel Winter Zaitsev Baranov Kessler"
).split()


def surnames(count: int) -> list[str]:
    """`count` made-up surnames: the fifty above, then the head of one joined to the tail of
    another ("Abr" + "insky"), so a store of 1,000 documents holds over 2,000 people."""
    out = list(BASE_SURNAMES[:count])
    for a in BASE_SURNAMES:
        for b in BASE_SURNAMES:
            if len(out) >= count:
                return out
            made = a[:3] + b[3:]
            if a != b and made not in out:
                out.append(made)
    return out


SURNAMES = surnames(50)


def annotate_seeds() -> list[tuple]:
    from kartoteka.nlp import load_pipeline
    from kartoteka.pipeline import annotate
    from kartoteka.read import discover, read_document

    nlp = load_pipeline(None)
    out = []
    for path in discover([ROOT / "examples"]):
        document = read_document(path)
        out.append((document, annotate(document, nlp(document.clean_text))))
    return out


def renamed(document, annotation, rng: random.Random, number: int, pool: list[str]):
    """A copy of the document with its people renamed, every offset shifted to match."""
    from kartoteka.model import Document
    from kartoteka.read.offsets import OffsetMap

    given, surname = {}, {}

    def new_name(name: str) -> str:
        words = name.split()
        out = [
            surname.setdefault(w, rng.choice(pool))
            if i == len(words) - 1
            else given.setdefault(w, rng.choice(GIVEN))
            for i, w in enumerate(words)
        ]
        return " ".join(out)

    edits = []  # (start, end, new text), in the original text
    annotation = deepcopy(annotation)
    for m in annotation.mentions:
        if m.type != "PER":
            continue
        fresh = new_name(m.name)
        text = m.text
        for old, new in zip(m.name.split(), fresh.split()):
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        m.name = fresh
        edits.append((m.start, m.end, text))
    edits.sort()
    kept, last = [], -1
    for e in edits:  # overlapping mentions: keep the first
        if e[0] >= last:
            kept.append(e)
            last = e[1]
    pieces, starts, deltas, pos, delta = [], [], [], 0, 0
    for start, end, text in kept:
        pieces += [document.text[pos:start], text]
        delta += len(text) - (end - start)
        starts.append(end)
        deltas.append(delta)
        pos = end
    pieces.append(document.text[pos:])
    new_text = "".join(pieces)

    def shift(offset: int) -> int:
        import bisect

        i = bisect.bisect_right(starts, offset) - 1
        return offset + (deltas[i] if i >= 0 else 0)

    def move(obj):
        obj.start, obj.end = shift(obj.start), shift(obj.end)
        obj.text = new_text[obj.start : obj.end]

    for s in annotation.sentences:
        move(s)
    for item in (*annotation.mentions, *annotation.timexes):
        move(item)
    for e in annotation.events:
        move(e.trigger)
        move(e.evidence)
    for r in annotation.relations:
        move(r.evidence)
    name = f"{number:04d}_{document.name}"
    return Document(
        path=f"/bench/{name}",
        name=name,
        title=document.title,
        sha256=hashlib.sha256(new_text.encode()).hexdigest(),
        text=new_text,
        clean_text=new_text,
        offset_map=OffsetMap.identity(len(new_text)),
        encoding="utf-8",
    ), annotation


def fill(db: Path, count: int, pool: list[str]) -> dict:
    from kartoteka.pipeline import PIPELINE_VERSION, resolve_corpus
    from kartoteka.store import Store
    from kartoteka.store.documents import write_document

    timings = {}
    started = time.perf_counter()
    seeds = annotate_seeds()
    timings["annotate seeds"] = time.perf_counter() - started
    rng = random.Random(1937)
    started = time.perf_counter()
    with Store.open(db) as store:
        for first in range(0, count, 100):
            with store.transaction() as conn:
                for i in range(first, min(count, first + 100)):
                    document, annotation = seeds[i % len(seeds)]
                    doc, ann = renamed(document, annotation, rng, i, pool)
                    write_document(conn, doc, ann, pipeline_version=PIPELINE_VERSION, run_id=None)
        timings["write documents"] = time.perf_counter() - started
        started = time.perf_counter()
        resolve_corpus(store)
        timings["resolve and merge events"] = time.perf_counter() - started
        counts = {
            t: store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "mentions", "entities", "events", "relations")
        }
    return {"timings": timings, "counts": counts}


def measure(client, urls: list[str], cold: bool = False) -> dict:
    """Times of GET `urls`; `cold`: with the app's answer cache emptied before each."""
    times = []
    for url in urls:
        if cold:
            client.app.state.cache.clear()
        started = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url}: {r.status_code} {r.text[:300]}")
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"n": len(times), "median": statistics.median(times), "p95": p95, "max": times[-1]}


#: the views whose answers the app caches: timed cold and warm
VIEWS = ("network.json", "timeline.json", "map.json")


def bench_pages(db: Path, repeat: int) -> dict:
    import sqlite3

    from starlette.testclient import TestClient

    from kartoteka.web import WebConfig, create_app

    started = time.perf_counter()
    app = create_app(WebConfig(str(db), token="bench", allowed_hosts=("testserver",)))
    startup = time.perf_counter() - started
    conn = sqlite3.connect(db)
    rng = random.Random(5)
    top = [
        r[0] for r in conn.execute("SELECT id FROM entities ORDER BY mention_count DESC LIMIT 10")
    ]
    anyone = [r[0] for r in conn.execute("SELECT id FROM entities")]
    people = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM entities WHERE type = 'PER' ORDER BY mention_count DESC LIMIT 50"
        )
    ]
    docs = [r[0] for r in conn.execute("SELECT id FROM documents")]
    cards = [f"/entity/{rng.choice(anyone)}" for _ in range(repeat)] + [f"/entity/{e}" for e in top]
    few = max(5, repeat // 4)
    pages = {
        "card (random and the 10 biggest)": (cards, False),
        "card JSON": ([u + ".json" for u in cards], False),
        "document": ([f"/document/{rng.choice(docs)}" for _ in range(repeat)], False),
        "network page (frame)": (["/network"] * 5, False),
        "path.json": (
            [f"/path.json?a={rng.choice(people)}&b={rng.choice(people)}" for _ in range(few)],
            False,
        ),
        "search.json": (
            [f"/search.json?q={rng.choice(SURNAMES)[:4]}" for _ in range(repeat)],
            False,
        ),
        "search.json?q=the (every document)": (["/search.json?q=the"] * few, False),
    }
    views = {
        "network.json (500 nodes)": ["/network.json"] * few,
        "network.json (2,000 nodes)": ["/network.json?limit=2000"] * few,
        "network.json, one document": [f"/network.json?doc={rng.choice(docs)}" for _ in range(few)],
        "network.json, ego 2 hops": [
            f"/network.json?ego={rng.choice(people)}&hops=2" for _ in range(few)
        ],
        "network/edge.json": [
            f"/network/edge.json?a={rng.choice(people)}&b={rng.choice(people)}" for _ in range(few)
        ],
        "timeline.json (first 1,000)": ["/timeline.json"] * few,
        "timeline.json, dated sentences too": ["/timeline.json?dates=1"] * few,
        "timeline.json, one person": [
            f"/timeline.json?entity={rng.choice(people)}" for _ in range(few)
        ],
        "map.json": ["/map.json"] * few,
    }
    results: dict = {"app startup (migrate, search index) s": round(startup, 2)}
    with TestClient(app) as client:
        client.get("/")  # warm: templates compiled, connections opened
        client.get("/map.json")  # the gazetteer is built once per process: not timed below
        for name, (urls, cold) in pages.items():
            results[name] = measure(client, urls, cold)
        for name, urls in views.items():
            results[f"{name}, cold"] = measure(client, urls, cold=True)
            for url in urls:  # each answer made once, then timed from the cache
                client.get(url)
            results[f"{name}, cached"] = measure(client, urls)
    return results


def bench_draw(db: Path, nodes: int = 2000) -> dict:
    """Milliseconds from navigation start until the network page has drawn `nodes` nodes, in
    headless Chromium against uvicorn: the first time, then again in the same session."""
    from playwright.sync_api import sync_playwright

    from kartoteka.web import Server, WebConfig, create_app

    app = create_app(WebConfig(str(db), token="bench"))
    url = f"/network?limit={nodes}&isolated=1"
    out: dict = {}
    with Server(app) as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for attempt in ("first", "again (layout kept)"):
            # the JSON is asked once before, so the figure is the page's, not the cold query's
            page.request.get(server.url + url.replace("/network?", "/network.json?"))
            page.goto(server.url + url)
            page.wait_for_selector("#graph[data-ready]", timeout=120_000, state="attached")
            got = page.evaluate(
                "() => ({drawn: +document.getElementById('graph').dataset.drawnMs,"
                " layout: +document.getElementById('graph').dataset.layoutMs,"
                " nodes: window.kartotekaNetwork.graph.order,"
                " edges: window.kartotekaNetwork.graph.size,"
                " times: window.kartotekaNetwork.times})"
            )
            out[attempt] = got
        browser.close()
    if errors:
        raise SystemExit(f"the network page failed: {errors}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument(
        "--db", type=Path, default=None, help="where to build the store (default: a temp folder)"
    )
    parser.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    parser.add_argument("--repeat", type=int, default=40, help="requests per page kind")
    parser.add_argument(
        "--surnames",
        type=int,
        default=300,
        help="made-up surnames to rename people from (50: the pool of the first benchmark)",
    )
    parser.add_argument(
        "--draw", action="store_true", help="time the network page drawing 2,000 nodes"
    )
    parser.add_argument(
        "--draw-only", action="store_true", help="time the drawing only, not the pages"
    )
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="kartoteka-bench-")
    db = args.db or Path(folder) / "bench.db"
    if not (args.keep and db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        built = fill(db, args.docs, surnames(args.surnames))
        print(f"store: {db}")
        for k, v in built["counts"].items():
            print(f"  {k:12} {v:>8}")
        for k, v in built["timings"].items():
            print(f"  {k:28} {v:6.1f} s")
    if not args.draw_only:
        report_pages(bench_pages(db, args.repeat))
    if args.draw or args.draw_only:
        report_draw(bench_draw(db))
    print("\n(times taken on this machine as it is: the figures mean little under load)")
    return 0


def report_pages(results: dict) -> None:
    print(f"\n{'page':44} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, r in results.items():
        if isinstance(r, dict):
            print(f"{name:44} {r['n']:>4} {r['median']:>10.1f} {r['p95']:>8.1f} {r['max']:>8.1f}")
        else:
            print(f"{name:44} {r}")
    card = results["card (random and the 10 biggest)"]
    verdict = "meets" if card["p95"] < 200 else "MISSES"
    print(f"\ncard p95 {card['p95']:.0f} ms {verdict} the 200 ms target")
    for view in ("network.json (500 nodes)", "timeline.json (first 1,000)"):
        for kind in ("cold", "cached"):
            r = results[f"{view}, {kind}"]
            verdict = "meets" if r["p95"] <= 150 else "MISSES"
            print(f"{view} {kind}: p95 {r['p95']:.0f} ms {verdict} the 150 ms goal")


def report_draw(drawn: dict) -> None:
    for attempt, d in drawn.items():
        verdict = "meets" if d["drawn"] <= 2000 else "MISSES"
        print(
            f"network page, {d['nodes']} nodes and {d['edges']} links, {attempt}: drawn"
            f" {d['drawn']:.0f} ms after navigation (layout {d['layout']:.0f} ms):"
            f" {verdict} the 2 s goal"
        )
        # ms since the answer arrived ("fetched": since navigation) at the end of each step
        print("    steps (ms): " + ", ".join(f"{k} {v}" for k, v in d["times"].items()))


if __name__ == "__main__":
    sys.exit(main())
