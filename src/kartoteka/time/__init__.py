"""Time expressions: find them, and normalize them to EDTF anchored in the text's own time.

    >>> [(t.text, t.value) for t in tag("On 29 January 1937 he came; on 10 February he left.")]
    [('29 January 1937', '1937-01-29'), ('10 February', '1937-02-10')]

`tag` is the one entry point the pipeline uses; `tag_timeml` gives TimeML-shaped expressions
(no merged ranges or open intervals, TimeML spans) for the TempEval benchmark. See docs/time.md.

Inside: `grammar` finds expressions with the rules of `rules` (meanings in `dates` and
`relative`, words in lexicon.json); `anchor` gives each its value against the text's time
(`narrative`), with calendar arithmetic in `points`; `intervals` joins ranges; `values` reads
EDTF values back (bounds, overlap).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from kartoteka.model import Timex
from kartoteka.time.anchor import anchor_all
from kartoteka.time.dates import Meaning
from kartoteka.time.intervals import join_intervals
from kartoteka.time.points import Value
from kartoteka.time.values import bounds, is_valid, overlaps

__all__ = ["tag", "tag_timeml", "bounds", "overlaps", "VERSION"]

#: Changes whenever the rules change what they find, so stored results stay explainable.
VERSION = "kartoteka.time.v5"


@lru_cache(maxsize=4096)
def _valid(value: str) -> bool:
    return is_valid(value)


def _timex_maker(text: str) -> Callable[[int, int, Value, str | None, str | None], Timex]:
    def make(s: int, e: int, v: Value, value: str | None = None, mod: str | None = None) -> Timex:
        value = v.edtf if value is None else value
        if value is not None and v.type in ("DATE", "TIME") and not _valid(value):
            value = None
        lower = upper = None
        if value is not None and v.type in ("DATE", "TIME"):
            try:
                lower, upper = bounds(value)
            except ValueError:
                value = None
        return Timex(
            start=s,
            end=e,
            text=text[s:e],
            type=v.type,
            value=value,
            timex3=v.timex3,
            lower=lower,
            upper=upper,
            anchor=v.anchor,
            mod=mod or v.mod,
        )

    return make


def tag(text: str, as_of: str | None = None) -> list[Timex]:
    """Every time expression in `text`, with EDTF values resolved against the text's own time.

    `as_of` is a reference date (EDTF: "1941-02-22", "1937") such as a letter's date or a news
    text's creation date; relative expressions count from it. Without it they resolve
    against the dates the text itself states; nothing ever resolves against today's date.
    Ranges ("from 1935 to 1937") come as one interval and open intervals ("until 1935")
    include their preposition.
    """
    found = [a for a in anchor_all(text, as_of) if not a.meaning.get("scheme")]
    return join_intervals(text, found, _timex_maker(text))


# What lies between the two ends of a range ("10-12", "April 24 and 25", "6 to 7 May").
_RANGE_BETWEEN = re.compile(r"\s*(?:[-–—]|(?:and|to|through)\b)?\s*", re.I)

#: TIMEX2 (ACE 2005, WikiWars) writes a set as the pattern of its times.
_TIMEX2_SETS = {"P1D": "XXXX-XX-XX", "P1W": "XXXX-WXX", "P1M": "XXXX-XX", "P1Y": "XXXX"}


def _scheme_value(v: Value, meaning: Meaning, scheme: str) -> Value:
    """The value TimeML or TIMEX2 gives where they differ from ours: TimeML marks the
    duration of "two days after the invasion" where we give the date stated just before;
    TIMEX2 writes "daily" as XXXX-XX-XX (a rate, "per day", stays P1D)."""
    if scheme == "timeml" and v.timeml is not None:
        return v.timeml
    if scheme == "timex2" and v.timex2 is not None:
        return v.timex2
    if (
        scheme == "timex2"
        and v.type == "SET"
        and not meaning.get("rate")
        and v.timex3 in _TIMEX2_SETS
    ):
        return Value("SET", v.edtf, _TIMEX2_SETS[v.timex3], v.mod)
    return v


def tag_timeml(text: str, dct: str | None = None, scheme: str = "timeml") -> list[Timex]:
    """Time expressions as TimeML marks them: each date of a range on its own, prepositions
    outside; `timex3` and `mod` carry the TimeML value (for the TempEval benchmark). With
    `scheme="timex2"`, the values follow TIMEX2 (ACE 2005) where it differs, as WikiWars is
    marked."""
    if scheme not in ("timeml", "timex2"):
        raise ValueError(f"no such scheme: {scheme!r} (timeml or timex2)")
    make = _timex_maker(text)
    out = []
    for a in anchor_all(text, dct):
        if a.meaning.get("scheme") not in (None, scheme):
            continue  # a habit of the other scheme ("former" is a TIMEX2 expression)
        a = a._replace(value=_scheme_value(a.value, a.meaning, scheme))
        split = a.meaning.get("split")
        if split and a.value.ends:
            # "10-12 February", "1861-1865": TimeML marks each end with its own value
            first, second = a.value.ends
            between = _RANGE_BETWEEN.match(text, split[1], a.end)
            rest = between.end() if between else split[1]
            out.append(make(split[0], split[1], first, None, None))
            out.append(make(rest, a.end, second, None, None))
        else:
            out.append(make(a.start, a.end, a.value, None, None))
    return out
