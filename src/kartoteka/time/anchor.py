"""Resolution: from a meaning (see `grammar`) and the text's own time to EDTF and TimeML values.

Two reference times, never the clock:
- the *document time*: `as_of` (a date the user gives, or the creation date of a news text).
  Deictic expressions ("yesterday", "last week", "two years ago", a bare "Friday") count from
  it; without it they fall back to the narrative time.
- the *narrative time*: the last date the text stated (or as_of before the text states any).
  Anaphoric and partial expressions ("the next day", "that autumn", "10 February") resolve
  against it, and each resolved date moves it on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kartoteka.time.values import bounds

GRAN_ORDER = {
    "day": 0,
    "week": 1,
    "month": 2,
    "season": 3,
    "quarter": 3,
    "half": 4,
    "year": 5,
    "decade": 6,
    "century": 7,
}
SEASON_TIMEX = {21: "SP", 22: "SU", 23: "FA", 24: "WI"}
SEASON_FIRST_MONTH = {21: 3, 22: 6, 23: 9, 24: 12}


@dataclass(frozen=True, slots=True)
class Point:
    """A resolved position on the calendar at some granularity.

    `day` is the first day it covers (the Monday of a week, the 1st of a month...); `code` is
    the season (21-24), quarter (1-4) or half (1-2) number where the granularity needs one.
    """

    day: date
    gran: str
    code: int | None = None

    @property
    def year(self) -> int:
        return self.day.year


@dataclass(slots=True)
class Ref:
    point: Point
    why: str  # human-readable: what this reference time came from
    pos: int = -1  # where in the text it was stated (-1: not in the text)


@dataclass(slots=True)
class Value:
    type: str
    edtf: str | None
    timex3: str | None
    mod: str | None = None
    point: Point | None = None  # where the narrative time moves to, if it does
    anchor: str | None = None


# ---- calendar helpers ----------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def shift(p: Point, unit: str, n: int, gran: str | None = None) -> Point:
    """`p` moved by n units, at granularity `gran` (default: the unit's own)."""
    d = p.day
    if unit == "D":
        d2, g = d + timedelta(days=n), "day"
    elif unit == "FN":
        d2, g = d + timedelta(days=14 * n), "day"
    elif unit in ("W", "WE"):
        d2, g = d + timedelta(weeks=n), "week"
    elif unit == "M":
        d2, g = add_months(d, n), "month"
    elif unit == "Q":
        d2, g = add_months(d, 3 * n), "quarter"
    elif unit == "Y":
        d2, g = _year_shift(d, n), "year"
    elif unit == "DE":
        d2, g = _year_shift(d, 10 * n), "decade"
    elif unit == "CE":
        d2, g = _year_shift(d, 100 * n), "century"
    else:
        raise ValueError(unit)
    g = gran or g
    # a result cannot be finer than what it was computed from ("the next day" after "March
    # 1937" is somewhere in March 1937, not the 2nd)
    if GRAN_ORDER.get(p.gran, 9) > GRAN_ORDER.get(g, 9):
        g = p.gran
        d2 = d if unit in ("D", "W", "WE", "FN") else d2
    return at(d2, g, p)


def _year_shift(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def at(d: date, gran: str, like: Point | None = None) -> Point:
    """The Point of granularity `gran` that contains day `d`."""
    if gran == "day":
        return Point(d, "day")
    if gran == "week":
        return Point(d - timedelta(days=d.weekday()), "week")
    if gran == "month":
        return Point(d.replace(day=1), "month")
    if gran == "quarter":
        q = (d.month - 1) // 3 + 1
        return Point(date(d.year, 3 * q - 2, 1), "quarter", q)
    if gran == "half":
        h = 1 if d.month <= 6 else 2
        return Point(date(d.year, 1 if h == 1 else 7, 1), "half", h)
    if gran == "season":
        code = like.code if like and like.gran == "season" else _season_of(d)
        first = SEASON_FIRST_MONTH[code]
        y = d.year - 1 if code == 24 and d.month <= 2 else d.year
        return Point(date(y, first, 1), "season", code)
    if gran == "year":
        return Point(date(d.year, 1, 1), "year")
    if gran == "decade":
        return Point(date(d.year - d.year % 10 or 1, 1, 1), "decade")
    if gran == "century":
        return Point(date(d.year - d.year % 100 or 1, 1, 1), "century")
    raise ValueError(gran)


def _season_of(d: date) -> int:
    return {12: 24, 1: 24, 2: 24, 3: 21, 4: 21, 5: 21, 6: 22, 7: 22, 8: 22}.get(d.month, 23)


def point_from_edtf(value: str) -> Point | None:
    """The Point an as_of value (EDTF, maybe just "1937") stands for."""
    value = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T.*)?", value)
    if not m:
        try:
            lo, _ = bounds(value)
        except ValueError:
            return None
        return Point(date.fromisoformat(lo), "day") if lo else None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if d:
        return Point(date(int(y), int(mo), int(d)), "day")
    if mo:
        if int(mo) in SEASON_TIMEX:
            return Point(date(int(y), SEASON_FIRST_MONTH[int(mo)], 1), "season", int(mo))
        return Point(date(int(y), int(mo), 1), "month")
    return Point(date(int(y), 1, 1), "year")


# ---- values --------------------------------------------------------------------------------


def _ymd(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def values_of(p: Point) -> tuple[str, str]:
    """(EDTF, TimeML) values of a point."""
    d = p.day
    if p.gran == "day":
        return _ymd(d), _ymd(d)
    if p.gran == "week":
        iso = d.isocalendar()
        return f"{_ymd(d)}/{_ymd(d + timedelta(days=6))}", f"{iso[0]}-W{iso[1]:02d}"
    if p.gran == "month":
        return f"{d.year:04d}-{d.month:02d}", f"{d.year:04d}-{d.month:02d}"
    if p.gran == "quarter":
        q = p.code
        return (f"{d.year:04d}-{3 * q - 2:02d}/{d.year:04d}-{3 * q:02d}", f"{d.year:04d}-Q{q}")
    if p.gran == "half":
        h = p.code
        return (
            f"{d.year:04d}-{1 if h == 1 else 7:02d}/{d.year:04d}-{6 if h == 1 else 12:02d}",
            f"{d.year:04d}-H{h}",
        )
    if p.gran == "season":
        return f"{d.year:04d}-{p.code}", f"{d.year:04d}-{SEASON_TIMEX[p.code]}"
    if p.gran == "year":
        return f"{d.year:04d}", f"{d.year:04d}"
    if p.gran == "decade":
        return f"{d.year // 10:03d}X", f"{d.year // 10:03d}"
    if p.gran == "century":
        return f"{d.year // 100:02d}XX", f"{d.year // 100:02d}"
    raise ValueError(p.gran)


def approx_edtf(edtf: str) -> str:
    """`edtf` marked approximate: "1937-07" → "1937-07~", an interval on both ends."""
    if "/" in edtf:
        a, b = edtf.split("/", 1)
        return "/".join(x if x in ("", "..") or x.endswith("~") else x + "~" for x in (a, b))
    return edtf if edtf.endswith("~") else edtf + "~"


def part_of(p: Point, part: str) -> tuple[str, str | None]:
    """EDTF for the start, middle or end of a point ("early 1937", "the late 1930s")."""
    d = p.day
    y = d.year
    if p.gran == "month":
        return approx_edtf(values_of(p)[0]), part
    if p.gran == "year":
        span = {"START": (1, 4), "MID": (5, 8), "END": (9, 12)}[part]
        return f"{y:04d}-{span[0]:02d}~/{y:04d}-{span[1]:02d}~", part
    if p.gran == "decade":
        span = {"START": (0, 3), "MID": (3, 6), "END": (6, 9)}[part]
        return f"{y + span[0]:04d}~/{y + span[1]:04d}~", part
    if p.gran == "century":
        span = {"START": (0, 33), "MID": (33, 66), "END": (66, 99)}[part]
        return f"{y + span[0]:04d}~/{y + span[1]:04d}~", part
    return values_of(p)[0], part
