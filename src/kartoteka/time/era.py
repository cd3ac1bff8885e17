"""Eras: years marked BC, AD, A.U.C. (from the founding of Rome) or A.H. (of the Hegira), and
the astronomical years we count in (0 is 1 BC, -43 is 44 BC).

    >>> astronomical(44, "BC"), astronomical(753, "AUC"), astronomical(14, "AD")
    (-43, 0, 14)

The markers are data (`eras` in lexicon.json). They are matched case-sensitively: "ad" and
"bc" in lower case are words ("ad Geoponic."), not eras.
"""

from __future__ import annotations

import re
from functools import cache

from kartoteka.time.lexicon import alternation, lexicon

# A.U.C. 754 is AD 1: the founding of Rome in 753 BC, as Varro counted it.
_AUC_EPOCH = 753
# The Hegira year 1 began in AD 622; a lunar year is 354.37 days, 0.9702 of a solar one.
_AH_EPOCH = 622
_AH_YEAR = 354.367 / 365.2425


def astronomical(n: int, era: str | None) -> int:
    """The astronomical year of year `n` of `era` (None: the common era)."""
    if era == "BC":
        return 1 - n
    if era == "AUC":
        return n - _AUC_EPOCH
    if era == "AH":
        # the AD year in which the Hegira year begins (it runs into the next one)
        return _AH_EPOCH + int((n - 1) * _AH_YEAR)
    return n


def is_approximate(era: str | None) -> bool:
    """A year of this era covers parts of two of ours (a lunar year), so its value is
    approximate."""
    return era == "AH"


@cache
def _markers() -> dict[str, dict[str, list[str]]]:
    eras: dict[str, dict[str, list[str]]] = lexicon()["eras"]
    return eras


@cache
def marker(position: str) -> str:
    """A regex for any era marker written `position` ("before" or "after") the number."""
    words = [w for forms in _markers().values() for w in forms[position]]
    return rf"(?-i:{alternation(words)})"


def era_of(text: str | None) -> str | None:
    """The era a marker names: "B.C." → "BC", "of Rome" → "AUC"; None for no marker."""
    if not text:
        return None
    key = re.sub(r"\s+", " ", text.strip())
    for era, forms in _markers().items():
        if key in forms["before"] or key in forms["after"]:
            return era
    return None
