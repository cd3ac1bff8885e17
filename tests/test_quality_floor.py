"""Floors under the scoreboard (bench/quality.py) on texts written by others.

The dev corpus and its gold live in the shared folder beside the checkout, not in the
repository (they are other people's texts). The floors sit a little under what we reach, so a
change that loses aliases, events or dates on real pages fails here. Raise them with the gains.
"""

from __future__ import annotations

import json

import pytest

from .conftest import shared_folder

FLOORS = {
    "mention_f1": 0.97,
    "mention_type_accuracy": 0.955,
    "b3_f1": 0.97,
    "alias_entities_whole": 0.83,
    "timex_value_accuracy": 0.91,
    "event_f1": 0.87,
    "event_argument_recall": 0.67,
    "event_date_accuracy": 0.79,
    "relation_f1": 0.67,
}
#: Pairs the gold calls different that may share an entity, at most.
MAX_DISTINCT_VIOLATIONS = 0


@pytest.fixture(scope="module")
def dev_measures(tmp_path_factory):
    shared = shared_folder()
    if shared is None:
        pytest.skip("the shared dev corpus is not beside this clone (set KARTOTEKA_SHARED)")
    from kartoteka.evaluate import evaluate_store
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    path = tmp_path_factory.mktemp("dev") / "dev.db"
    with Store.open(path) as store:
        report = ingest([shared / "corpus" / "dev" / "texts"], store)
        assert not report.failed, report.failed
        measures, _ = evaluate_store(store, shared / "gold" / "dev.json")
    return measures


@pytest.mark.model
@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_dev_corpus_floor(dev_measures, measure):
    assert dev_measures[measure] >= FLOORS[measure], (measure, dev_measures[measure])


@pytest.mark.model
def test_dev_corpus_keeps_distinct_people_apart(dev_measures):
    violations = dev_measures["distinct_violations"]
    assert violations <= MAX_DISTINCT_VIOLATIONS, json.dumps(violations)
