"""A long history through the whole pipeline: the years of its dated events, chapter by
chapter, and whether any date or name comes from its citations.

    .venv/bin/python bench/history.py [FILE] [--from 'Chapter IV:'] [--to 'Chapter VIII:']

Default: chapters IV-VII of Gibbon's Decline and Fall, vol. 1 (../shared/data/narrative_texts,
Project Gutenberg), which narrate AD 180-248. The chapters are cut out to a temporary file
(ingesting the whole volume takes minutes), ingested into a fresh store, and the timeline's
dated events are counted by year for each chapter; then the time expressions and mentions that
lie in citation apparatus (kartoteka.nlp.citations) are counted: there should be none.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

from kartoteka.nlp.citations import find_citations, inside
from kartoteka.pipeline import ingest
from kartoteka.query.timeline import timeline
from kartoteka.store import Store

ROOT = Path(__file__).resolve().parent.parent
GIBBON = ROOT.parent / "shared/data/narrative_texts/gibbon_decline_and_fall_vol01.txt"
CHAPTER = re.compile(r"^\s*Chapter ([IVXLC]+):", re.M)


def cut(text: str, start: str, end: str) -> str:
    """From the line where `start` opens a chapter to the line where `end` does; the first
    such heading that has the chapters' text after it, not the table of contents."""
    for m in re.finditer(rf"^[ \t]*{re.escape(start)}", text, re.M):
        b = text.find(end, m.end()) if end else len(text)
        if b < 0:
            b = len(text)
        if b - m.start() > 20_000:
            return text[m.start() : text.rfind("\n", 0, b) if b < len(text) else b]
    raise SystemExit(f"no {start!r} heading with a chapter after it")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path, nargs="?", default=GIBBON)
    ap.add_argument("--from", dest="start", default="Chapter IV:")
    ap.add_argument("--to", dest="end", default="Chapter VIII:")
    args = ap.parse_args(argv)
    text = cut(
        args.file.read_text(encoding="utf-8-sig").replace("\r\n", "\n"), args.start, args.end
    )
    work = Path(tempfile.mkdtemp(prefix="kartoteka-history-"))
    (work / "history.txt").write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    with Store.open(work / "k.db") as store:
        report = ingest([work / "history.txt"], store)
        print(
            f"{len(text.split())} words ingested in {time.perf_counter() - t0:.0f} s {report.failed or ''}"
        )
        body = store.conn.execute("SELECT text FROM documents").fetchone()[0]
        heads = [(m.start(), m.group(1)) for m in CHAPTER.finditer(body)]
        per = collections.defaultdict(collections.Counter)
        for line in timeline(store, dated_statements=False):
            at = line["evidence"][0]["start"]
            chapter = next((name for s, name in reversed(heads) if s <= at), "?")
            m = re.match(r"-?\d{4}", line["date"] or "")
            per[chapter][m.group() if m else line["date"]] += 1
        for chapter, years in per.items():
            print(f"chapter {chapter}: {sum(years.values())} dated events, {sorted(years.items())}")
        cited = find_citations(body)
        timexes = store.conn.execute('SELECT start, "end" FROM timexes').fetchall()
        mentions = store.conn.execute('SELECT start, "end" FROM mentions').fetchall()
        print(
            f"citation spans {len(cited)}; time expressions in them "
            f"{sum(inside(cited, s, e) for s, e in timexes)} of {len(timexes)}; mentions in them "
            f"{sum(inside(cited, s, e) for s, e in mentions)} of {len(mentions)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
