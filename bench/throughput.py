"""Words per second: the whole ingest pipeline against bare spaCy, side by side.

usage: python bench/throughput.py CORPUS_DIR [--limit-words N] [--spacy-model NAME]

Ingests CORPUS_DIR into a fresh store (read, clean, parse, mentions, time, events, store,
resolution, event merging) and, in the same run, times `nlp.pipe` alone with the same
pipeline on the same cleaned texts, whole and cut into the pieces the pipeline parses. The ratio is what our layers cost on top of spaCy;
measured side by side, it means something on a shared machine where absolute times do not.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from kartoteka.nlp import load_pipeline
from kartoteka.nlp.parse import split_for_parsing
from kartoteka.pipeline import ingest
from kartoteka.read import discover, read_document
from kartoteka.store import Store


def prepare(corpus: Path, limit_words: int | None, workdir: Path) -> Path:
    """A copy of the corpus cut to about `limit_words` words, so a run takes minutes."""
    if not limit_words:
        return corpus
    out = workdir / "corpus"
    out.mkdir()
    left = limit_words
    for path in discover([corpus]):
        if left <= 0:
            break
        words = path.read_text(encoding="utf-8", errors="replace").split(" ")
        part = " ".join(words[:left])
        (out / path.name).write_text(part, encoding="utf-8")
        left -= len(words[:left])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--limit-words", type=int, default=None, help="cut the corpus to about this many words"
    )
    parser.add_argument("--spacy-model", default=None)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"{args.corpus}: no such folder", file=sys.stderr)
        return 2
    nlp = load_pipeline(args.spacy_model)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = prepare(args.corpus, args.limit_words, Path(tmp))
        texts = [read_document(p).clean_text for p in discover([corpus])]
        words = sum(len(t.split()) for t in texts)

        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        bare = time.perf_counter() - start

        # spaCy alone on the pieces our pipeline parses (long texts cut at paragraphs):
        # the difference to the whole pipeline is what our layers cost
        start = time.perf_counter()
        for _ in nlp.pipe([p for t in texts for p in split_for_parsing(t)], batch_size=16):
            pass
        bare_pieces = time.perf_counter() - start

        start = time.perf_counter()
        with Store.open(Path(tmp) / "bench.db") as store:
            report = ingest([corpus], store, spacy_model=args.spacy_model)
        whole = time.perf_counter() - start
    if report.failed:
        print(f"failed: {report.failed}", file=sys.stderr)
    print(f"documents              {len(texts)}")
    print(f"words                  {words}")
    print(f"bare nlp.pipe, whole texts   {words / bare:10.0f} words/s  ({bare:.2f} s)")
    print(
        f"bare nlp.pipe, same pieces   {words / bare_pieces:10.0f} words/s  ({bare_pieces:.2f} s)"
    )
    print(f"whole pipeline               {words / whole:10.0f} words/s  ({whole:.2f} s)")
    print(f"ratio whole/bare (texts)     {whole / bare:10.2f}")
    print(f"ratio whole/bare (pieces)    {whole / bare_pieces:10.2f}   <- our overhead")
    return 0


if __name__ == "__main__":
    sys.exit(main())
