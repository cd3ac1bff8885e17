"""Scale: stores of 1K, 10K and 100K documents, and what they cost.

usage: python bench/scale.py [--sizes 1000,10000,100000] [--annotate-up-to 10000]
                             [--sample 100] [--workers N] [--texts DIR] [--keep DIR]

Each document is a piece of real narrative text (../shared/data/narrative_texts by default)
of about 400 words whose names are replaced by names from a made-up population: a few very
common (every corpus has its Rome), most rare, and each written in several spellings across
documents (Krivitsky / Kriwitzki / Krivitski), so resolution has work to do.

A store of up to --annotate-up-to documents is made by `ingest` from files (the real
pipeline, all workers); a larger one with annotation skipped: each document's made-up names
become its mentions, written straight to the store with `write_document`, so the store and
resolution are measured at that size. For each size it prints:
- ingest words/s with all workers (the whole store) and with 1 worker (on --sample
  documents), when the size is annotated;
- full resolution: seconds of the resolution stage and of all corpus stages, peak memory
  (maximum resident size of a process that only opens the store and resolves it), and that
  peak per 1,000 documents (the goal: 100K documents in at most 8 GB);
- adding 10 documents: seconds of the resolution stage and of all corpus stages, and the
  resolution stage as a share of the full one (the goal: at most 5% at 10K);
- the store's size on disk, and the card page's median and p95 in the web app (in process).
Timings on a shared machine are noisy; the shares and ratios are what to compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT.parent / "shared" / "data" / "narrative_texts"
DOC_WORDS = 400

SYLLABLES = (
    "ko va le ni ro ma tin sha vo ber gen dor mi lo zhe chen ka ba ry po sel dan tro".split()
)
ENDINGS = ["ov", "ev", "in", "sky", "enko", "er", "mann", "ski", "ich", "ak", "ova", "ina"]
GIVEN = (
    "Nikolai Ivan Walter Ignace Gertrude Yevgeny Pavel Lev Anna Mikhail Boris Hans Karl "
    "Josef Maria Sergei Georgy David Elena Olga Vera Marta Emil Oskar Viktor"
).split()
TITLES = [None, None, None, "General", "Dr.", "Colonel", "Mr.", "Mrs."]
ORGS = "NKVD GRU Gestapo ROVS Comintern Party Senate Army Church Synod".split()
PLACES = "Moscow Paris Berlin Lausanne Warsaw Geneva Prague Rome Vienna Odessa".split()
VARIANTS = [("v", "w"), ("sky", "ski"), ("ks", "x"), ("ts", "tz"), ("kh", "ch"), ("e", "ye")]


class Population:
    """Made-up people with Zipf-like frequencies and a few spellings each."""

    def __init__(self, size: int, rng: random.Random):
        self.rng = rng
        self.people = []
        for _ in range(size):
            stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2)))
            surname = stem.capitalize() + rng.choice(ENDINGS)
            self.people.append((rng.choice(GIVEN), surname))
        self.weights = [1 / (rank + 1) ** 1.05 for rank in range(size)]

    def cast(self, count: int) -> list[tuple[str, str]]:
        chosen = self.rng.choices(self.people, weights=self.weights, k=count)
        return [(given, self.spelling(surname)) for given, surname in chosen]

    def spelling(self, surname: str) -> str:
        if self.rng.random() < 0.7:
            return surname
        a, b = self.rng.choice(VARIANTS)
        return surname.replace(a, b)


def text_pieces(folder: Path, words: int) -> list[str]:
    """The narrative texts cut at paragraphs into pieces of about `words` words."""
    pieces = []
    for path in sorted(folder.glob("*.txt")):
        current: list[str] = []
        count = 0
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")):
            paragraph = " ".join(paragraph.split())
            if not paragraph:
                continue
            current.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                pieces.append("\n\n".join(current))
                current, count = [], 0
    return pieces


CAPITALIZED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?")


def synthetic(piece: str, population: Population, rng: random.Random):
    """The piece with its capitalized names replaced by made-up ones: (text, mentions as
    (start, end, text, name, type, title))."""
    found = list(CAPITALIZED.finditer(piece))
    cast = population.cast(max(3, len(found) // 4))
    out, mentions, pos = [], [], 0
    for match in found:
        roll = rng.random()
        given, surname = rng.choice(cast)
        if roll < 0.15:
            name, kind, title = rng.choice(PLACES), "PLACE", None
        elif roll < 0.25:
            name, kind, title = rng.choice(ORGS), "ORG", None
        else:
            name = f"{given} {surname}" if rng.random() < 0.35 else surname
            kind, title = "PER", rng.choice(TITLES)
        surface = f"{title} {name}" if title else name
        out.append(piece[pos : match.start()])
        start = sum(map(len, out))
        out.append(surface)
        mentions.append((start, start + len(surface), surface, name, kind, title))
        pos = match.end()
    out.append(piece[pos:])
    return "".join(out), mentions


def corpus(size: int, seed: int, texts: Path):
    """`size` documents: (file name, text, mentions)."""
    rng = random.Random(seed)
    pieces = text_pieces(texts, DOC_WORDS)
    population = Population(max(50, size * 3), rng)
    for i in range(size):
        text, mentions = synthetic(pieces[i % len(pieces)], population, rng)
        yield f"doc{seed:03d}_{i:06d}.txt", text, mentions


def write_files(folder: Path, docs) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for name, text, _ in docs:
        (folder / name).write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def write_annotated(store, docs) -> int:
    """Documents with their made-up names as mentions, straight into the store (annotation
    skipped), a hundred per transaction."""
    from kartoteka.model import Annotation, Document, Mention, Span
    from kartoteka.pipeline import PIPELINE_VERSION
    from kartoteka.read.offsets import OffsetMap
    from kartoteka.store.documents import write_document

    words = 0
    batch = []
    for name, text, mentions in docs:
        sentences = [
            Span(m.start(), m.end(), m.group()) for m in re.finditer(r"[^.!?]+[.!?]*", text)
        ]
        starts = [s.start for s in sentences]
        annotation = Annotation(sentences=sentences, words=len(text.split()))
        for start, end, surface, mention_name, kind, title in mentions:
            sentence = max(0, next((i for i, s in enumerate(starts) if s > start), len(starts)) - 1)
            annotation.mentions.append(
                Mention(start, end, surface, kind, mention_name, title=title, sentence=sentence)
            )
        document = Document(
            path=f"/bench/{name}",
            name=name,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
            clean_text=text,
            offset_map=OffsetMap.identity(len(text)),
        )
        batch.append((document, annotation))
        words += annotation.words
        if len(batch) == 100:
            _write_batch(store, batch, write_document, PIPELINE_VERSION)
            batch = []
    if batch:
        _write_batch(store, batch, write_document, PIPELINE_VERSION)
    return words


def _write_batch(store, batch, write_document, version) -> None:
    from kartoteka.store import mark_corpus_stages_pending

    with store.transaction() as conn:
        for document, annotation in batch:
            write_document(conn, document, annotation, pipeline_version=version, run_id=None)
        mark_corpus_stages_pending(conn, None)


def timed_stages(store, **how) -> dict:
    """Seconds of each corpus stage, and in all."""
    from kartoteka.corpus import resolve_corpus

    marks = []
    started = time.perf_counter()
    resolve_corpus(store, on_stage=lambda stage: marks.append((stage, time.perf_counter())), **how)
    ended = time.perf_counter()
    times = {}
    for (stage, at), (_, until) in zip(marks, [*marks[1:], ("end", ended)]):
        times[stage] = until - at
    times["all"] = ended - started
    return times


RESOLVE_ALONE = """
import json, resource, sys, time
from kartoteka.store import Store
sys.path.insert(0, {bench!r})
from scale import timed_stages
with Store.open({db!r}) as store:
    times = timed_stages(store, full=True)
# VmHWM, not ru_maxrss: the latter keeps the parent's size from before exec
status = open("/proc/self/status").read()
times["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps(times))
"""


def full_resolution(db: Path) -> dict:
    """A process that only opens the store and resolves all of it: its stages and peak."""
    code = RESOLVE_ALONE.format(db=str(db), bench=str(Path(__file__).parent))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed_ingest(folder: Path, db: Path, workers: int) -> tuple[float, int]:
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    started = time.perf_counter()
    with Store.open(db) as store:
        report = ingest([folder], store, workers=workers, resolve=False)
    if report.failed:
        print(f"  failed: {report.failed[:3]}", file=sys.stderr)
    return time.perf_counter() - started, report.words


def card_times(db: Path, count: int = 100) -> dict:
    from starlette.testclient import TestClient

    from kartoteka.store import Store
    from kartoteka.web import WebConfig, create_app

    with Store.open(db) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM entities")]
        top = [
            r[0]
            for r in store.conn.execute(
                "SELECT id FROM entities ORDER BY mention_count DESC LIMIT 10"
            )
        ]
    rng = random.Random(5)
    urls = [f"/entity/{rng.choice(ids)}" for _ in range(count)] + [f"/entity/{e}" for e in top]
    app = create_app(WebConfig(str(db), token="bench", allowed_hosts=("testserver",)))
    times = []
    with TestClient(app) as client:
        client.get("/")
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {"median": statistics.median(times), "p95": times[math.ceil(0.95 * len(times)) - 1]}


def store_megabytes(db: Path) -> float:
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6


def one_size(size: int, args, work: Path) -> dict:
    from kartoteka.store import Store, get_setting

    row: dict = {"documents": size}
    db = work / f"store-{size}.db"
    annotated = size <= args.annotate_up_to
    if annotated:
        words = write_files(work / f"files-{size}", corpus(size, 1, args.texts))
        seconds, words = timed_ingest(work / f"files-{size}", db, args.workers)
        row["ingest words/s, all workers"] = words / seconds
        sample = min(size, args.sample)
        write_files(work / f"sample-{size}", corpus(sample, 1, args.texts))
        seconds, words = timed_ingest(work / f"sample-{size}", work / f"sample-{size}.db", 1)
        row["ingest words/s, 1 worker"] = words / seconds
    else:
        started = time.perf_counter()
        with Store.open(db) as store:
            write_annotated(store, corpus(size, 1, args.texts))
        row["write s (annotation skipped)"] = time.perf_counter() - started
    full = full_resolution(db)
    row["full: resolution s"] = full["resolution"]
    row["full: corpus stages s"] = full["all"]
    row["full: peak MB"] = full["peak_mb"]
    row["full: peak MB per 1,000 documents"] = full["peak_mb"] * 1000 / size
    new = list(corpus(10, 2, args.texts))
    with Store.open(db) as store:
        if annotated:
            write_files(work / f"new-{size}", new)
            timed_ingest(work / f"new-{size}", db, 1)
        else:
            write_annotated(store, new)
        added = timed_stages(store)
        last = json.loads(get_setting(store, "resolution_state"))["last_run"]
    row["add 10: units resolved again"] = last["resolved"]
    row["add 10: of units"] = last["units"]
    row["add 10: resolution s"] = added["resolution"]
    row["add 10: corpus stages s"] = added["all"]
    row["add 10 / full (resolution)"] = added["resolution"] / full["resolution"]
    row["add 10 / full (corpus stages)"] = added["all"] / full["all"]
    row["store MB"] = store_megabytes(db)
    cards = card_times(db)
    row["card median ms"], row["card p95 ms"] = cards["median"], cards["p95"]
    row["bench process peak MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def main(argv: list[str] | None = None) -> int:
    from kartoteka.engines import default_workers

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--annotate-up-to", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100, help="documents for 1 worker")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--keep", type=Path, help="make the stores in this folder and keep them")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in sizes:
            print(f"-- {size} documents", file=sys.stderr, flush=True)
            rows.append(one_size(size, args, work))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print_table(rows)
    return 0


def print_table(rows: list[dict]) -> None:
    names = list(dict.fromkeys(k for row in rows for k in row))
    print(f"{'':34}" + "".join(f"{row['documents']:>12}" for row in rows))
    for name in names[1:]:
        cells = []
        for row in rows:
            value = row.get(name)
            if value is None:
                cells.append(f"{'-':>12}")
            elif "/ full" in name:
                cells.append(f"{100 * value:>11.1f}%")
            else:
                cells.append(f"{value:>12.{0 if value >= 100 else 2}f}")
        print(f"{name:34}" + "".join(cells))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
