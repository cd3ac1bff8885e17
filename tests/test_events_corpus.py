"""Events and relations on texts unlike the seeds: a small corpus of other styles (history,
first-person memoir, machine translation, newspaper report, OCR'd page) with its own gold,
ingested through the real pipeline. The floors sit a little under what we reach, so a
change that loses roles or lets false events through fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "cases" / "events" / "corpus"

FLOORS = {
    "event_f1": 0.93,
    "event_argument_recall": 0.86,
    "event_date_accuracy": 0.82,
    "relation_f1": 0.75,
    "relation_precision": 0.89,
}
#: The examples (the seeds) with their gold: what the first texts gave stays.
SEEDS_FLOORS = {
    "event_f1": 0.95,
    "event_argument_recall": 0.92,
    "event_date_accuracy": 0.97,
    "relation_f1": 0.82,
}


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    from kartoteka.evaluate import evaluate_store
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    path = tmp_path_factory.mktemp("events_corpus") / "corpus.db"
    with Store.open(path) as store:
        report = ingest([CORPUS], store)
        assert not report.failed, report.failed
        found, _ = evaluate_store(store, CORPUS / "gold.json")
    return found


@pytest.mark.model
@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_corpus_floor(measures, measure):
    assert measures[measure] >= FLOORS[measure], (measure, measures[measure])


@pytest.mark.model
def test_seeds_floor(seeds_db, gold_path):
    from kartoteka.evaluate import evaluate_store
    from kartoteka.store import Store

    with Store.open(seeds_db) as store:
        found, details = evaluate_store(store, gold_path)
    low = {k: found[k] for k, floor in SEEDS_FLOORS.items() if found[k] < floor}
    assert not low, (low, details["events missed"])
