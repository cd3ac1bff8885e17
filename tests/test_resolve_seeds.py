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


def test_a_full_run_writes_what_resolve_gives_on_the_list_of_mentions(seeds_copy):
    """A full run streams the mentions into resolve() and reads them again, without their
    sentences, to write the result (so that the corpus is never held twice): what it writes
    must be what resolve() gives on the list of every mention, and resolve() must give the
    same on an iterator as on a list."""
    from kartoteka.corpus import CORPUS_CONFIG
    from kartoteka.resolve import resolve
    from kartoteka.store.resolution import (
        read_authorities,
        read_judgements,
        read_mentions,
        read_stated_links,
    )

    with Store.open(seeds_copy) as store:
        resolve_corpus(store, full=True)
        mentions = read_mentions(store)
        inputs = (read_judgements(store), read_authorities(store), CORPUS_CONFIG)
        links = read_stated_links(store)
        written: dict[str, set[int]] = {}
        for row in store.conn.execute(
            "SELECT e.key, m.id FROM mentions m JOIN entities e ON e.id = m.entity_id"
        ):
            written.setdefault(row["key"], set()).add(row["id"])
        explanations = {
            row["key"]: json.loads(row["explanation"])
            for row in store.conn.execute("SELECT key, explanation FROM entities")
        }
    listed = resolve(mentions, *inputs, links=links)
    streamed = resolve(iter(mentions), *inputs, links=links)
    assert streamed == listed
    assert len(listed.entities) > 10
    assert written == {e.key: set(e.mention_ids) for e in listed.entities}
    assert explanations == {
        e.key: json.loads(json.dumps(e.explanation, sort_keys=True)) for e in listed.entities
    }
