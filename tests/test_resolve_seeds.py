"""Resolution on the ingested examples, scored against their gold (needs the spaCy model)."""

from __future__ import annotations

import json

import pytest

from kartoteka.corpus import resolve_corpus
from kartoteka.evaluate import evaluate_store
from kartoteka.store import Store

pytestmark = pytest.mark.model


def test_seeds_clusters_and_aliases(seeds_copy, gold_path):
    with Store.open(seeds_copy) as store:
        resolve_corpus(store)
        measures, details = evaluate_store(store, gold_path)
    assert measures["b3_f1"] >= 0.95, details
    assert measures["alias_entities_whole"] >= 0.9, details
    assert measures["distinct_violations"] == 0, details


def test_every_merge_explains_itself(seeds_copy):
    with Store.open(seeds_copy) as store:
        resolve_corpus(store)
        rows = store.conn.execute(
            "SELECT name, explanation, mention_count FROM entities"
        ).fetchall()
    for row in rows:
        explanation = json.loads(row["explanation"])
        assert explanation["resolver"].startswith("kartoteka.resolve")
        for merge in explanation["merges"]:
            assert 0 < merge["score"] <= 1 and merge["rule"], (row["name"], merge)
