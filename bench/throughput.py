"""Words per second: the whole ingest pipeline with 1 worker and with N, against bare spaCy,
side by side in one run.

usage: python bench/throughput.py CORPUS_DIR [--limit-words N] [--doc-words N]
                                  [--workers N] [--spacy-model NAME]

Cuts CORPUS_DIR into documents of about --doc-words words (up to --limit-words in all), then
times, on the same texts:
- bare `nlp.pipe` in this process on the pieces our pipeline parses (long texts cut at
  paragraphs): what spaCy alone costs;
- `ingest` into a fresh store with 1 worker (in this process) and with --workers processes
  (default: one per core), each with the corpus stages (resolution, event merging) and
  without them, so the speedup of annotation is seen apart from the stages that run once.
The ratios are what our layers cost on top of spaCy and what the workers gain; measured side
by side they mean something on a shared machine where absolute times do not (the goals:
speedup >= 1.7 with 2 workers on 2 cores, overhead <= 1.3x).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from kartoteka.engines import default_workers
from kartoteka.nlp import load_pipeline
from kartoteka.nlp.parse import split_for_parsing
from kartoteka.pipeline import ingest
from kartoteka.read import discover, read_document
from kartoteka.store import Store


def prepare(corpus: Path, limit_words: int | None, doc_words: int, workdir: Path) -> Path:
    """Documents of about `doc_words` words cut from the corpus at paragraph breaks, up to
    `limit_words` words (all of it when None), so the work can be spread over workers."""
    out = workdir / "corpus"
    out.mkdir()
    left = limit_words if limit_words else float("inf")
    count = 0
    for path in discover([corpus]):
        if left <= 0:
            break
        text = path.read_text(encoding="utf-8", errors="replace")
        piece: list[str] = []
        words = 0
        for paragraph in text.split("\n\n"):
            piece.append(paragraph)
            words += len(paragraph.split())
            if words >= min(doc_words, left):
                (out / f"{path.stem}_{count:05d}.txt").write_text(
                    "\n\n".join(piece), encoding="utf-8"
                )
                count += 1
                left -= words
                piece, words = [], 0
                if left <= 0:
                    break
        if piece and left > 0:
            (out / f"{path.stem}_{count:05d}.txt").write_text("\n\n".join(piece), encoding="utf-8")
            count += 1
            left -= words
    return out


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_ingest(
    corpus: Path, db: Path, workers: int, model: str | None, resolve: bool
) -> tuple[float, float]:
    """Wall seconds and CPU seconds (this process and the workers) of one ingest."""
    load_pipeline.cache_clear()  # each run loads the pipeline, as each worker does
    start, cpu = time.perf_counter(), cpu_seconds()
    with Store.open(db) as store:
        report = ingest([corpus], store, spacy_model=model, workers=workers, resolve=resolve)
    seconds = time.perf_counter() - start
    if report.failed:
        print(f"failed: {report.failed}", file=sys.stderr)
    return seconds, cpu_seconds() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit-words", type=int, default=None, help="about this many words")
    parser.add_argument("--doc-words", type=int, default=2000, help="words per document")
    parser.add_argument("--workers", type=int, default=max(2, default_workers()))
    parser.add_argument("--spacy-model", default=None)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"{args.corpus}: no such folder", file=sys.stderr)
        return 2
    nlp = load_pipeline(args.spacy_model)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = prepare(args.corpus, args.limit_words, args.doc_words, Path(tmp))
        texts = [read_document(p).clean_text for p in discover([corpus])]
        words = sum(len(t.split()) for t in texts)

        start = time.perf_counter()
        for _ in nlp.pipe([p for t in texts for p in split_for_parsing(t)], batch_size=16):
            pass
        bare = time.perf_counter() - start

        runs = {}
        for workers in (1, args.workers):
            for resolve in (False, True):
                db = Path(tmp) / f"bench-{workers}-{resolve}.db"
                runs[workers, resolve] = timed_ingest(
                    corpus, db, workers, args.spacy_model, resolve
                )
    n = args.workers
    print(f"documents                        {len(texts)}")
    print(f"words                            {words}")
    print(f"bare nlp.pipe, same pieces       {words / bare:8.0f} words/s  ({bare:.1f} s)")
    for workers in (1, n):
        for resolve, what in ((False, "annotate+store"), (True, "whole ingest  ")):
            seconds, cpu = runs[workers, resolve]
            print(
                f"{what} {workers} worker{'s' if workers > 1 else ' '}   "
                f"{words / seconds:8.0f} words/s  ({seconds:.1f} s, {cpu:.1f} CPU s)"
            )
    wall = {k: v[0] for k, v in runs.items()}
    cpu = {k: v[1] for k, v in runs.items()}
    print(f"speedup {n} workers / 1 (annotate+store)  {wall[1, False] / wall[n, False]:6.2f}")
    print(f"speedup {n} workers / 1 (whole ingest)    {wall[1, True] / wall[n, True]:6.2f}")
    print(f"overhead 1 worker / bare spaCy (whole)   {wall[1, True] / bare:6.2f}")
    # on a shared machine the CPU seconds say what the wall clock cannot: the work the
    # workers add (spawning, loading the pipeline each, shipping texts and results)
    print(f"CPU {n} workers / 1 (whole ingest)        {cpu[n, True] / cpu[1, True]:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
