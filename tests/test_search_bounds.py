"""Search is bounded in time, pages through what it finds, and never keeps a writer waiting
(issue 12: 12.8, Must have 6). An anonymous /search.json?q=the on a 7 MB store took 36-42 s;
most of it was FTS5's snippet() over every hit of "the*" in a long document. Real SQLite
files with the real search index; documents written with the store's own writer."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time

import pytest

from kartoteka.model import Annotation, Document
from kartoteka.query.search import search
from kartoteka.read.offsets import OffsetMap
from kartoteka.store import Store
from kartoteka.store.documents import write_document
from kartoteka.store.search import refresh_search_index

COMMON = "the of and to in a was that he his it with as for on by had at from were which".split()


def _prose(rng: random.Random, size: int, extra: str = "") -> str:
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(5000)
    ]
    words, length = [], 0
    while length < size:
        word = rng.choice(COMMON) if rng.random() < 0.45 else rng.choice(vocabulary)
        words.append(word)
        length += len(word) + 1
    return extra + " ".join(words)


def _write(store: Store, path: str, text: str) -> None:
    document = Document(
        path=path,
        name=path.rsplit("/", 1)[-1],
        sha256=str(hash(text)),
        text=text,
        clean_text=text,
        offset_map=OffsetMap.identity(len(text)),
    )
    with store.transaction() as conn:
        write_document(conn, document, Annotation(), pipeline_version="test", run_id=None)


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """A store of one 6 MB document ("the" every few words) and forty short ones."""
    db = tmp_path_factory.mktemp("search") / "k.db"
    rng = random.Random(12)
    with Store.open(db) as store:
        _write(store, "/corpus/huge.txt", _prose(rng, 6_000_000, "Müller wrote the letter. "))
        for i in range(40):
            _write(store, f"/corpus/short{i:02d}.txt", _prose(rng, 2_000, "The letter came. "))
        refresh_search_index(store)
    return db


@pytest.mark.slow
def test_the_commonest_word_in_a_huge_document_is_found_in_time(huge):
    with Store.open(huge, create=False) as store:
        started = time.perf_counter()
        found = search(store, "the", limit=20)
        took = time.perf_counter() - started
    assert took < 5, f"search took {took:.1f} s"
    assert len(found["documents"]) == 20 and found["more"]
    for d in found["documents"]:
        hits = [p["text"] for p in d["snippet"] if p["hit"]]
        assert hits and all(h.lower().startswith("the") for h in hits), d["snippet"]
        assert sum(len(p["text"]) for p in d["snippet"]) < 400


def test_a_snippet_marks_a_hit_whatever_its_accents(huge):
    with Store.open(huge, create=False) as store:
        found = search(store, "muller")
    (doc,) = found["documents"]
    assert [p["text"] for p in doc["snippet"] if p["hit"]] == ["Müller"]


def test_a_search_past_its_time_answers_with_what_it_has(huge):
    with Store.open(huge, create=False) as store:
        started = time.perf_counter()
        found = search(store, "the", seconds=0.0)
        took = time.perf_counter() - started
    assert found["complete"] is False and "refine" in found["note"]
    assert took < 2


def test_pages_of_results_follow_one_another(huge):
    with Store.open(huge, create=False) as store:
        first = search(store, "letter", limit=15)
        second = search(store, "letter", limit=15, offset=15)
        third = search(store, "letter", limit=15, offset=30)
    ids = [d["id"] for page in (first, second, third) for d in page["documents"]]
    assert len(ids) == len(set(ids)) == 41
    assert first["more"] and second["more"] and not third["more"]


def test_a_long_query_is_cut_to_its_first_words(huge):
    with Store.open(huge, create=False) as store:
        found = search(store, "letter " * 5000)
    assert found["fts"].count('"') <= 2 * 16 and found["documents"]


def test_a_curation_write_goes_ahead_while_a_search_reads(tmp_path):
    """A search holds its snapshot (a read transaction) while it runs; a writer in another
    process commits meanwhile, and the search answers from its snapshot."""
    from kartoteka.corpus import resolve_corpus
    from tests.test_resolve_store import HISTORY, MEMOIR, _ingest

    db = tmp_path / "k.db"
    with Store.open(db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        resolve_corpus(store)
    reader = Store.open(db, create=False)
    inside, release = threading.Event(), threading.Event()

    def pause_at_the_documents(statement: str) -> None:
        # the names have been read; the read transaction holds its snapshot now
        if "search_documents MATCH" in statement and not inside.is_set():
            inside.set()
            release.wait(60)

    reader.conn.set_trace_callback(pause_at_the_documents)
    answer: dict = {}
    searching = threading.Thread(target=lambda: answer.update(search(reader, "Krivitsky")))
    searching.start()
    try:
        assert inside.wait(30), "the search never reached its documents"
        started = time.monotonic()
        renamed = subprocess.run(
            [sys.executable, "-m", "kartoteka", "rename", "Krivitsky", "Walter Ginsberg"]
            + ["--db", str(db)],
            capture_output=True,
            text=True,
            timeout=90,
        )
        waited = time.monotonic() - started
        assert waited < 30, f"the writer waited {waited:.0f} s for the search"
        assert renamed.returncode == 0, renamed.stderr
        assert searching.is_alive(), "the search was not running while the writer wrote"
    finally:
        release.set()
        searching.join(60)
        reader.close()
    # the search answered from the snapshot it began with: the old name
    assert [e["name"] for e in answer["entities"]] == ["Walter Krivitsky"]
    with Store.open(db, create=False) as store:
        assert search(store, "Ginsberg")["entities"][0]["name"] == "Walter Ginsberg"
