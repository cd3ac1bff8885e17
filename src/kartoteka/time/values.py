"""EDTF values: validation, bounds for sorting, overlap for comparing, and TimeML mapping.

The values we produce are EDTF levels 0-1 (plus the level-2 seasons 21-41, which the `edtf`
package reads): `1937-09-04`, `1937-07`, `1937`, `1937-22` (summer), `193X` (the 1930s),
`1937-07~` (approximate), `1937?` (uncertain), `1936-12/1937-01` (interval), `../1935` (open).

`bounds` is written here rather than taken from `edtf`'s `lower_fuzzy()`/`upper_fuzzy()`:
the package widens an approximate month by a whole year on each side and gives winter as
December alone, both too coarse for deciding whether two tellings of an event agree.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["bounds", "overlaps", "is_valid", "precision", "edtf_to_timex3", "sort_key"]

# One date inside a value, qualifiers anywhere (level 1 puts them at the end, level 2 inside).
_DATE = re.compile(
    r"^(?P<q0>[~?%]?)(?P<sign>-?)(?P<year>[0-9X]{4})(?P<q1>[~?%]?)"
    r"(?:-(?P<q2>[~?%]?)(?P<month>[0-9X]{2})(?P<q3>[~?%]?)"
    r"(?:-(?P<q4>[~?%]?)(?P<day>[0-9X]{2})(?P<q5>[~?%]?))?)?"
    r"(?:T(?P<time>[0-9:]{2,8}(?:Z|[+-][0-9:]{2,5})?))?$"
)

# Season and sub-year codes (EDTF 21-24 level 1; 25-41 level 2) → (first month, months long).
# Winter (24) runs December to February of the next year, as a historian reads "winter 1937".
_SUBYEAR = {
    21: (3, 3),
    22: (6, 3),
    23: (9, 3),
    24: (12, 3),
    # northern hemisphere (25-28), southern (29-32)
    25: (3, 3),
    26: (6, 3),
    27: (9, 3),
    28: (12, 3),
    29: (9, 3),
    30: (12, 3),
    31: (3, 3),
    32: (6, 3),
    # quarters, quadrimesters, semesters
    33: (1, 3),
    34: (4, 3),
    35: (7, 3),
    36: (10, 3),
    37: (1, 4),
    38: (5, 4),
    39: (9, 4),
    40: (1, 6),
    41: (7, 6),
}

# How far an approximate ("~", "%") value is widened on each side, by its precision: about a
# day means a few days either way, about a month half a month, about a year a year.
_APPROX_DAYS = {"day": 3, "month": 15, "season": 30}
_APPROX_YEARS = {"year": 1, "decade": 3, "century": 15, "millennium": 100}

_TIMEX3_SEASON = {
    21: "SP",
    22: "SU",
    23: "FA",
    24: "WI",
    33: "Q1",
    34: "Q2",
    35: "Q3",
    36: "Q4",
    40: "H1",
    41: "H2",
}


YMD = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class _Point:
    """One date of a value: its earliest and latest day, precision and qualifiers."""

    lower: YMD | None
    upper: YMD | None
    precision: str
    approximate: bool
    uncertain: bool


def _iso(d: date | YMD) -> str:
    if isinstance(d, tuple):
        y, m, dd = d
    else:
        y, m, dd = d.year, d.month, d.day
    return f"{'-' if y < 0 else ''}{abs(y):04d}-{m:02d}-{dd:02d}"


def _last_day(year: int, month: int) -> int:
    # calendar wants a year >= 1; the proleptic leap rule repeats every 400 years
    return calendar.monthrange(year % 400 + 400 if year < 1 else year, month)[1]


def _parse_point(text: str) -> _Point:
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"not an EDTF date: {text!r}")
    quals = "".join(m.group(g) or "" for g in ("q0", "q1", "q2", "q3", "q4", "q5"))
    approximate = "~" in quals or "%" in quals
    uncertain = "?" in quals or "%" in quals
    sign = -1 if m.group("sign") else 1
    ytext, mtext, dtext = m.group("year"), m.group("month"), m.group("day")
    if ytext == "XXXX" and mtext and mtext != "XX":
        # "XXXX-05-03": a day of an unknown year; check it as a day of a leap year
        month = int(mtext)
        if (
            not 1 <= month <= 12
            or dtext not in (None, "XX")
            and not 1 <= int(dtext) <= _last_day(2000, month)
        ):
            raise ValueError(f"not a date: {text!r}")
        return _Point(None, None, "day" if dtext else "month", approximate, uncertain)
    if "X" in ytext:
        if not re.fullmatch(r"[0-9]*X*", ytext) or mtext and "X" not in mtext:
            raise ValueError(f"unspecified digits must run to the end: {text!r}")
        known = ytext.rstrip("X")
        width = 10 ** (4 - len(known))
        y0 = int(known or "0") * width
        lo, hi = (y0, y0 + width - 1) if sign > 0 else (-(y0 + width - 1), -y0)
        prec = {10: "decade", 100: "century"}.get(width, "millennium")
        return _Point((lo, 1, 1), (hi, 12, 31), prec, approximate, uncertain)
    year = sign * int(ytext)
    if mtext is None or mtext == "XX":
        if dtext not in (None, "XX"):
            raise ValueError(f"a day without a month: {text!r}")
        return _Point((year, 1, 1), (year, 12, 31), "year", approximate, uncertain)
    month = int(mtext)
    if month in _SUBYEAR:
        if dtext is not None:
            raise ValueError(f"a day in a season: {text!r}")
        first, length = _SUBYEAR[month]
        last_m = first + length - 1
        end_y, end_m = (year + 1, last_m - 12) if last_m > 12 else (year, last_m)
        return _Point(
            (year, first, 1),
            (end_y, end_m, _last_day(end_y, end_m)),
            "season",
            approximate,
            uncertain,
        )
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month} in {text!r}")
    if dtext is None or dtext == "XX":
        return _Point(
            (year, month, 1), (year, month, _last_day(year, month)), "month", approximate, uncertain
        )
    day = int(dtext)
    if not 1 <= day <= _last_day(year, month):
        raise ValueError(f"no day {day} in {year}-{month:02d}: {text!r}")
    return _Point((year, month, day), (year, month, day), "day", approximate, uncertain)


def _widen(p: _Point) -> tuple[str | None, str | None]:
    lo, hi = p.lower, p.upper
    if lo is None or hi is None:
        return None, None
    if p.approximate and p.precision in _APPROX_YEARS:
        years = _APPROX_YEARS[p.precision]
        return _iso((lo[0] - years, 1, 1)), _iso((hi[0] + years, 12, 31))
    if p.approximate and lo[0] >= 1 and hi[0] <= 9998:
        days = timedelta(days=_APPROX_DAYS.get(p.precision, 0))
        try:
            return _iso(date(*lo) - days), _iso(date(*hi) + days)
        except (ValueError, OverflowError):
            pass
    return _iso(lo), _iso(hi)


def _split(value: str) -> tuple[str, str, bool]:
    """A value's two ends ("" or ".." is open/unknown) and whether it is an interval."""
    value = value.strip()
    if "/" in value:
        a, b = value.split("/", 1)
        return a, b, True
    if value.startswith("[") or value.startswith("{"):
        # level 2 sets: one of / all of; bounds are the first and last members
        inner = value.strip("[]{}").split(",")
        first = inner[0].split("..")[0] or ".."
        last = inner[-1].split("..")[-1] or ".."
        return first.strip(), last.strip(), True
    return value, value, False


def bounds(value: str) -> tuple[str | None, str | None]:
    """The earliest and latest ISO day `value` can denote; None where it is open or unknown.

    >>> bounds("1937-22")
    ('1937-06-01', '1937-08-31')
    >>> bounds("../1935")
    (None, '1935-12-31')
    >>> bounds("1937-07~")
    ('1937-06-16', '1937-08-15')

    Approximate values are widened by their precision (a day by 3 days, a month by 15, a
    season by 30, a year by one, a decade by three). Raises ValueError for a value that is not
    EDTF as we read it.
    """
    if not value or not value.strip():
        raise ValueError("no value")
    a, b, interval = _split(value)
    lower = upper = None
    if a not in ("", ".."):
        lower = _widen(_parse_point(a))[0]
    if b not in ("", ".."):
        upper = _widen(_parse_point(b))[1]
    if interval and lower and upper and sort_key(lower) > sort_key(upper):
        raise ValueError(f"interval ends before it starts: {value!r}")
    return lower, upper


def sort_key(iso: str) -> tuple[int, int, int]:
    """A key that puts ISO days (as `bounds` gives them) in time order, BC ones too: as
    strings "-0043-03-15" would sort after "-0480-01-01".

    >>> sorted(["0476-01-01", "-0043-03-15", "-0480-09-01"], key=sort_key)
    ['-0480-09-01', '-0043-03-15', '0476-01-01']
    """
    neg = iso.startswith("-")
    y, m, d = iso.lstrip("-").split("-")
    return (-int(y) if neg else int(y), int(m), int(d))


def overlaps(a: str, b: str) -> bool:
    """Could EDTF values `a` and `b` denote the same time (do their bounds meet)?

    "1937-09-04" and "1937-09" overlap; "1937-22" and "1937-09-04" do not; "../1935" and
    "1936" do not; "1937-07~" and "1937-08-10" do (mid-July, give or take). Raises
    ValueError if either is not a value we read.
    """
    alo, ahi = bounds(a)
    blo, bhi = bounds(b)
    if alo and bhi and sort_key(alo) > sort_key(bhi):
        return False
    if blo and ahi and sort_key(blo) > sort_key(ahi):
        return False
    return True


def is_valid(value: str | None) -> bool:
    """True if `value` is EDTF that both the `edtf` package and `bounds` accept."""
    if not value:
        return False
    try:
        bounds(value)
    except ValueError:
        return False
    try:
        from edtf import parse_edtf
    except ImportError:  # pragma: no cover - edtf is a dependency; bounds has checked the shape
        return True
    import contextlib
    import io

    try:
        # edtf prints "trying to ..." for each grammar alternative that fails
        with contextlib.redirect_stdout(io.StringIO()):
            parse_edtf(value)
    except Exception:  # edtf raises its own EDTFParseException and, for some shapes, others
        return False
    return True


def precision(value: str) -> str | None:
    """The precision of a single-date value: day, month, season, year, decade, century."""
    a, b, interval = _split(value)
    if interval:
        return None
    return _parse_point(a).precision


def edtf_to_timex3(value: str) -> tuple[str, str | None]:
    """A TimeML TIMEX3 (value, mod) for an EDTF value: "1937-22" → ("1937-SU", None),
    "1937-07~" → ("1937-07", "APPROX"), "193X" → ("193", None), "../1935" → ("1935", "BEFORE").

    TimeML has no intervals in a value; an interval gives its start with no mod (the caller
    that knows better, e.g. a range tagger, writes two TIMEX3s).
    """
    mod = None
    if "/" in value:
        a, b = value.split("/", 1)
        if a in ("", ".."):
            value, mod = b, "BEFORE"
        elif b in ("", ".."):
            value, mod = a, "AFTER"
        else:
            value = a
    if any(q in value for q in "~%"):
        mod = mod or "APPROX"
    value = value.replace("~", "").replace("?", "").replace("%", "")
    m = re.fullmatch(r"(-?\d{4})-(\d\d)", value)
    if m and int(m.group(2)) in _TIMEX3_SEASON:
        return f"{m.group(1)}-{_TIMEX3_SEASON[int(m.group(2))]}", mod
    if re.fullmatch(r"-?[0-9]+X+", value):
        return value.rstrip("X"), mod
    return value, mod
