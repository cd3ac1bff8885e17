"""Positions on the calendar: days of any era, points at a granularity, and their values.

`datetime.date` holds years 1-9999 only, and histories need 44 BC. A `Day` is a day of the
proleptic Gregorian calendar with astronomical years (0 is 1 BC, -43 is 44 BC); its
arithmetic borrows `date`'s by moving a year into range by whole 400-year cycles, which
repeat the calendar exactly, leap days and weekdays included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kartoteka.time.values import bounds

# Days in 400 Gregorian years: the calendar (and the week) repeats after it.
_CYCLE_DAYS = 146097
_CYCLE_YEARS = 400

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


def _cycles(year: int) -> int:
    """How many 400-year cycles bring `year` into the years `date` can hold."""
    if year < 1:
        return (1 - year + _CYCLE_YEARS - 1) // _CYCLE_YEARS
    if year > 9999:
        raise ValueError(f"year {year} is beyond the calendar we count in")
    return 0


@dataclass(frozen=True, order=True, slots=True)
class Day:
    """A day of the proleptic Gregorian calendar, astronomical year numbering."""

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        self._date()  # raises ValueError for a day the month does not have

    def _date(self) -> date:
        return date(self.year + _cycles(self.year) * _CYCLE_YEARS, self.month, self.day)

    @classmethod
    def of(cls, d: date) -> Day:
        return cls(d.year, d.month, d.day)

    @classmethod
    def from_ordinal(cls, n: int) -> Day:
        k = (1 - n + _CYCLE_DAYS - 1) // _CYCLE_DAYS if n < 1 else 0
        d = date.fromordinal(n + k * _CYCLE_DAYS)
        return cls(d.year - k * _CYCLE_YEARS, d.month, d.day)

    def ordinal(self) -> int:
        return self._date().toordinal() - _cycles(self.year) * _CYCLE_DAYS

    def __add__(self, days: int) -> Day:
        return Day.from_ordinal(self.ordinal() + days)

    def minus(self, days: int) -> Day:
        return Day.from_ordinal(self.ordinal() - days)

    def days_since(self, other: Day) -> int:
        return self.ordinal() - other.ordinal()

    def weekday(self) -> int:
        """Monday 0 ... Sunday 6, as `date.weekday`."""
        return self._date().weekday()

    def isoweekday(self) -> int:
        return self._date().isoweekday()

    def iso_week(self) -> tuple[int, int]:
        """(ISO week-numbering year, week number)."""
        iso = self._date().isocalendar()
        return iso[0] - _cycles(self.year) * _CYCLE_YEARS, iso[1]

    def replace(self, year: int | None = None, month: int | None = None) -> Day:
        return Day(self.year if year is None else year, month or self.month, self.day)

    def iso(self) -> str:
        return f"{edtf_year(self.year)}-{self.month:02d}-{self.day:02d}"


def edtf_year(year: int) -> str:
    """An astronomical year as EDTF writes it: 1937 → "1937", 476 → "0476", -43 → "-0043"."""
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def timeml_year(year: int) -> str:
    """An astronomical year as TimeML writes it: 476 → "0476", -43 (44 BC) → "BC0044"."""
    return f"{year:04d}" if year >= 1 else f"BC{1 - year:04d}"


@dataclass(frozen=True, slots=True)
class Point:
    """A resolved position on the calendar at some granularity.

    `day` is the first day it covers (the Monday of a week, the 1st of a month...); `code` is
    the season (21-24), quarter (1-4) or half (1-2) number where the granularity needs one.
    """

    day: Day
    gran: str
    code: int | None = None

    @property
    def year(self) -> int:
        return self.day.year


@dataclass(slots=True)
class Ref:
    """A reference time: where it is, what it came from (for the reader), where it was said."""

    point: Point
    why: str
    pos: int = -1  # where in the text it was stated (-1: not in the text)


@dataclass(slots=True)
class Value:
    """What one expression came to: its type, EDTF and TimeML values, and the point (if any)
    the narrative time moves to."""

    type: str
    edtf: str | None
    timex3: str | None
    mod: str | None = None
    point: Point | None = None
    anchor: str | None = None
    # a comparison with a period ("a year earlier" in a report on a quarter) leaves the
    # narrative time on the period the text is about
    keep_gran: bool = False
    # the values of a range's two ends ("10-12 February"), which TimeML marks apart
    ends: tuple[Value, Value] | None = None
    # what TimeML makes of the expression where it differs: "[five days] after the fall of
    # Girona" is a date for us, a duration in TimeML
    timeml: Value | None = None
    # what TIMEX2 (ACE 2005, as WikiWars is marked) makes of it where it differs: "the past
    # decade" is a length (P1DE), "the last week of August" P1W
    timex2: Value | None = None


# ---- calendar arithmetic -------------------------------------------------------------------


def add_months(d: Day, n: int) -> Day:
    y, m = divmod(d.month - 1 + n, 12)
    return Day(d.year + y, m + 1, 1)


def _year_shift(d: Day, n: int) -> Day:
    try:
        return Day(d.year + n, d.month, d.day)
    except ValueError:  # 29 February
        return Day(d.year + n, d.month, 28)


_UNIT_STEP = {
    "D": ("day", 1),
    "FN": ("day", 14),
    "W": ("week", 7),
    "WE": ("week", 7),
    "M": ("month", 1),
    "Q": ("quarter", 3),
    "Y": ("year", 1),
    "DE": ("decade", 10),
    "CE": ("century", 100),
}


def shift(p: Point, unit: str, n: int, gran: str | None = None) -> Point:
    """`p` moved by n units, at granularity `gran` (default: the unit's own)."""
    if unit not in _UNIT_STEP:
        raise ValueError(unit)
    g, step = _UNIT_STEP[unit]
    d = p.day
    if unit in ("D", "FN", "W", "WE"):
        d2 = d + step * n
    elif unit in ("M", "Q"):
        d2 = add_months(d, step * n)
    else:
        d2 = _year_shift(d, step * n)
    g = gran or g
    # a result cannot be finer than what it was computed from ("the next day" after "March
    # 1937" is somewhere in March 1937, not the 2nd)
    if GRAN_ORDER.get(p.gran, 9) > GRAN_ORDER.get(g, 9):
        g = p.gran
        d2 = d if unit in ("D", "W", "WE", "FN") else d2
    return at(d2, g)


def at(d: Day, gran: str) -> Point:
    """The Point of granularity `gran` that contains day `d`."""
    if gran == "day":
        return Point(d, "day")
    if gran == "week":
        return Point(d.minus(d.weekday()), "week")
    if gran == "month":
        return Point(Day(d.year, d.month, 1), "month")
    if gran == "quarter":
        q = (d.month - 1) // 3 + 1
        return Point(Day(d.year, 3 * q - 2, 1), "quarter", q)
    if gran == "half":
        h = 1 if d.month <= 6 else 2
        return Point(Day(d.year, 1 if h == 1 else 7, 1), "half", h)
    if gran == "season":
        code = season_of(d)
        y = d.year - 1 if code == 24 and d.month <= 2 else d.year
        return Point(Day(y, SEASON_FIRST_MONTH[code], 1), "season", code)
    if gran == "year":
        return Point(Day(d.year, 1, 1), "year")
    if gran == "decade" and d.year <= 0:
        return bc_decade(((1 - d.year) // 10) * 10)
    if gran == "century" and d.year <= 0:
        return bc_century((-d.year) // 100 + 1)
    if gran == "decade":
        return Point(Day(d.year - d.year % 10 or 1, 1, 1), "decade")
    if gran == "century":
        return Point(Day(d.year - d.year % 100 or 1, 1, 1), "century")
    raise ValueError(gran)


def bc_decade(first: int) -> Point:
    """The decade BC written `first`s ("the 480s BC": 489 to 480 BC), from its earliest day."""
    return Point(Day(1 - (first + 9), 1, 1), "decade")


def bc_century(n: int) -> Point:
    """The nth century BC (the fifth: 500 to 401 BC), from its earliest day."""
    return Point(Day(1 - n * 100, 1, 1), "century")


def season_of(d: Day) -> int:
    return {12: 24, 1: 24, 2: 24, 3: 21, 4: 21, 5: 21, 6: 22, 7: 22, 8: 22}.get(d.month, 23)


def point_from_edtf(value: str) -> Point | None:
    """The Point an as_of value (EDTF, maybe just "1937") stands for."""
    value = value.strip()
    m = re.fullmatch(r"(-?\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T.*)?", value)
    if not m:
        try:
            lo, _ = bounds(value)
        except ValueError:
            return None
        if not lo:
            return None
        ly, lm, ld = lo.rsplit("-", 2)
        return Point(Day(int(ly), int(lm), int(ld)), "day")
    y = int(m.group(1))
    if m.group(3):
        return Point(Day(y, int(m.group(2)), int(m.group(3))), "day")
    if m.group(2):
        mo = int(m.group(2))
        if mo in SEASON_TIMEX:
            return Point(Day(y, SEASON_FIRST_MONTH[mo], 1), "season", mo)
        return Point(Day(y, mo, 1), "month")
    return Point(Day(y, 1, 1), "year")


# ---- values --------------------------------------------------------------------------------


def values_of(p: Point) -> tuple[str, str]:
    """(EDTF, TimeML) values of a point."""
    d = p.day
    ey, ty = edtf_year(d.year), timeml_year(d.year)
    if p.gran == "day":
        return d.iso(), f"{ty}-{d.month:02d}-{d.day:02d}"
    if p.gran == "week":
        wy, wn = d.iso_week()
        return f"{d.iso()}/{(d + 6).iso()}", f"{timeml_year(wy)}-W{wn:02d}"
    if p.gran == "month":
        return f"{ey}-{d.month:02d}", f"{ty}-{d.month:02d}"
    if p.gran in ("quarter", "half", "season") and p.code is None:
        raise ValueError(f"a {p.gran} without its number")
    if p.gran == "quarter" and p.code:
        q = p.code
        return f"{ey}-{3 * q - 2:02d}/{ey}-{3 * q:02d}", f"{ty}-Q{q}"
    if p.gran == "half" and p.code:
        h = p.code
        return f"{ey}-{1 if h == 1 else 7:02d}/{ey}-{6 if h == 1 else 12:02d}", f"{ty}-H{h}"
    if p.gran == "season" and p.code:
        return f"{ey}-{p.code}", f"{ty}-{SEASON_TIMEX[p.code]}"
    if p.gran == "year":
        return ey, ty
    if p.gran in ("decade", "century") and d.year <= 0:
        # BC: an interval in EDTF (its digits do not count down), TimeML's "BC048", "BC04"
        span, width = (9, 3) if p.gran == "decade" else (99, 2)
        label = (-d.year) // (span + 1)
        return f"{ey}/{edtf_year(d.year + span)}", f"BC{label:0{width}d}"
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


def uncertain_edtf(edtf: str) -> str:
    """`edtf` marked uncertain ("probably 223" → "0223?"; approximate too → "0223%")."""
    if "/" in edtf:
        return "/".join(uncertain_edtf(x) if x not in ("", "..") else x for x in edtf.split("/"))
    if edtf.endswith(("?", "%")):
        return edtf
    return edtf[:-1] + "%" if edtf.endswith("~") else edtf + "?"


# The first and last of the next smaller unit a point holds: months of a year, years of a
# decade or century.
_EDGES = {"year": (1, 12), "decade": (0, 9), "century": (0, 99)}


def part_of(p: Point, part: str, edge: bool = False) -> tuple[str, str | None]:
    """EDTF for a part of a point, as the shared gold writes it: "mid-July 1937" and "mid-1914"
    are the month or year, approximate (`1937-07~`, `1914~`); "the early 1950s" the decade
    (`195X`); an edge ("the end of 1930", "the beginning of the 1930s") its first or last
    month or year, approximate (`1930-12~`, `1930~`). The mod says which part."""
    y = p.year
    if p.gran == "month" or (p.gran == "year" and not edge):
        return approx_edtf(values_of(p)[0]), part
    if p.gran in _EDGES and edge and part in ("START", "END"):
        first, last = _EDGES[p.gran]
        k = first if part == "START" else last
        if p.gran == "year":
            return f"{edtf_year(y)}-{k:02d}~", part
        return f"{edtf_year(y + k)}~", part
    return values_of(p)[0], part
