"""Stated aliases end to end: a made-up text through the real pipeline into a real SQLite
store; the card and the export show what the text states, with its passage."""

from __future__ import annotations

import pytest

from kartoteka.export.json import export_data
from kartoteka.pipeline import ingest
from kartoteka.query.cards import card, find_entities
from kartoteka.store import Store

pytestmark = pytest.mark.model

TEXT = (
    "Report on the Riga station\n\n"
    "The station was run by Viktor Sedov (real name Abram Kagan) until 1936. "
    "His courier Marta Lindqvist (cryptonyms: Heron, Willow) carried the films to Oslo. "
    "Sedov trusted nobody, and Kagan was recalled in May.\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stated")
    (folder / "report.txt").write_text(TEXT, encoding="utf-8")
    with Store.open(folder / "k.db") as s:
        ingest([folder / "report.txt"], s)
        yield s


def test_names_the_text_says_are_one_are_one_entity(store):
    (sedov,) = [e for e in export_data(store)["entities"] if "Viktor Sedov" in e["aliases"]]
    assert {"Viktor Sedov", "Abram Kagan", "Sedov", "Kagan"} <= set(sedov["aliases"])
    (lind,) = [e for e in export_data(store)["entities"] if "Marta Lindqvist" in e["aliases"]]
    assert {"Heron", "Willow"} <= set(lind["aliases"]) and lind["type"] == "PER"


def test_the_export_carries_each_stated_alias_with_its_passage(store):
    data = export_data(store)
    text = TEXT
    (lind,) = [e for e in data["entities"] if "Marta Lindqvist" in e["aliases"]]
    stated = {s["name"]: s for s in lind["stated_aliases"]}
    assert set(stated) == {"Heron", "Willow"}
    heron = stated["Heron"]
    assert heron["of"] == "Marta Lindqvist" and heron["cue"] == "cryptonyms"
    assert text[heron["start"] : heron["end"]] == "Marta Lindqvist (cryptonyms: Heron"


def test_the_card_shows_stated_aliases_apart_from_inferred_ones(store):
    (found,) = find_entities(store, "Viktor Sedov")
    data = card(store, found["id"])
    assert [s["name"] for s in data["stated_aliases"]] == ["Abram Kagan"]
    assert data["stated_aliases"][0]["passage"] == "Viktor Sedov (real name Abram Kagan"
    assert {"Sedov", "Kagan"} <= {a["name"] for a in data["aliases"]}
