"""Intervals from neighbouring expressions: "from 1935 to 1937", "between May and July",
"1861–1865" become one interval; "until 1935", "since 1934" open ones that include the
preposition. Used by `tag`; `tag_timeml` keeps each date on its own, as TimeML does."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from kartoteka.model import Timex
from kartoteka.time.anchor import Anchored
from kartoteka.time.lexicon import alternation, lexicon
from kartoteka.time.points import Value

_RANGE_LEAD = re.compile(r"\b(?P<w>from|between)\s+$", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—)\s*$", re.I)
_ONWARDS = re.compile(r"^\s+(?:on|onwards?)\b", re.I)

#: Makes a Timex of the span [start, end) from a Value, with another value or mod if given.
MakeTimex = Callable[[int, int, Value, str | None, str | None], Timex]


@cache
def _open_before() -> re.Pattern[str]:
    words = alternation(lexicon()["open_interval_words"])
    return re.compile(rf"(?:\b(?P<w>{words})\s+(?:about\s+)?)$", re.I)


def _day(v: Value) -> bool:
    return v.point is not None and v.point.gran == "day"


def _point_value(v: Value) -> bool:
    return v.type == "DATE" and bool(v.edtf) and "/" not in (v.edtf or "")


_NEGATION = re.compile(r"\b(?:not|never|no)\b|n['’]t\b", re.I)


def _not_until(text: str, lead: re.Match[str]) -> bool:
    """Is it "not ... until X" (which says when a thing happened, at X)?"""
    if lead.group("w").lower() not in ("until", "till", "up until"):
        return False
    before = text[max(0, lead.start() - 80) : lead.start()]
    before = re.split(r"[.;!?]\s", before)[-1]
    return bool(_NEGATION.search(before))


def _closed(text: str, items: list[Anchored], i: int, make: MakeTimex) -> Timex | None:
    """The interval items[i] and items[i + 1] make ("from X to Y", "X–Y"), if they do."""
    if i + 1 >= len(items):
        return None
    s, e, _, v = items[i]
    s2, e2, _, v2 = items[i + 1]
    if not (_point_value(v) and _point_value(v2)):
        return None
    lead = _RANGE_LEAD.search(text, max(0, s - 12), s)
    join = text[e:s2]
    if not _RANGE_JOIN.match(join) or not (lead or join.strip() in ("-", "–", "—")):
        return None
    if lead and lead.group("w").lower() == "between" and join.strip().lower() != "and":
        return None
    if not lead and _day(v) and _day(v2) and v.point and v2.point and v.point.year != v2.point.year:
        return None  # "(February 23, 1904 – January 19, 1982)": a birth and a death, apart
    value = f"{v.edtf}/{v2.edtf}"
    from kartoteka.time.values import is_valid

    if not is_valid(value):
        return None
    return make(lead.start() if lead else s, e2, v, value, None)


def _open(text: str, item: Anchored, make: MakeTimex) -> Timex | None:
    """The open interval "until X", "since X", "from X on" makes, if it does."""
    s, e, _, v = item
    if v.type not in ("DATE", "TIME") or not v.edtf or ".." in v.edtf:
        return None
    lead = _open_before().search(text, max(0, s - 24), s)
    if lead and _not_until(text, lead):
        return None  # "he was not taken in until the next morning": then, not up to then
    if lead:
        mod = lexicon()["open_interval_words"][re.sub(r"\s+", " ", lead.group("w").lower())]
        lo, hi = (v.edtf.split("/", 1) + [v.edtf])[:2] if "/" in v.edtf else (v.edtf, v.edtf)
        value = f"{lo}/.." if mod == "AFTER" else f"../{hi}"
        return make(lead.start(), e, v, value, mod)
    onwards = _ONWARDS.match(text, e)
    if onwards and _RANGE_LEAD.search(text, max(0, s - 8), s):
        return make(s, onwards.end(), v, f"{v.edtf.split('/', 1)[0]}/..", "AFTER")
    return None


def join_intervals(text: str, items: list[Anchored], make: MakeTimex) -> list[Timex]:
    """Timexes of `items`, neighbours that make an interval joined into one."""
    out: list[Timex] = []
    i = 0
    while i < len(items):
        closed = _closed(text, items, i, make)
        if closed is not None:
            out.append(closed)
            i += 2
            continue
        s, e, _, v = items[i]
        out.append(_open(text, items[i], make) or make(s, e, v, None, None))
        i += 1
    return out
