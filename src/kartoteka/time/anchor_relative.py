"""Anchoring relative expressions: "the next day", "two years later", "Friday", "at 5 p.m.",
and the values of durations, sets and vague references."""

from __future__ import annotations

from kartoteka.time.dates import Meaning
from kartoteka.time.narrative import TimeContext
from kartoteka.time.points import (
    GRAN_ORDER,
    Day,
    Point,
    Ref,
    Value,
    part_of,
    shift,
    values_of,
)

# A business report speaks of the quarter that ended within this many days of its date as
# "the latest quarter" or "this quarter".
REPORT_LAG_DAYS = 45

UNIT_GRAN = {
    "D": "day",
    "W": "week",
    "WE": "week",
    "FN": "day",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
    "DE": "decade",
    "CE": "century",
}
DUR_UNIT = {
    "S": ("T", "S"),
    "MIN": ("T", "M"),
    "H": ("T", "H"),
    "D": ("", "D"),
    "W": ("", "W"),
    "WE": ("", "D"),
    "FN": ("", "W"),
    "M": ("", "M"),
    "Q": ("", "Q"),
    "Y": ("", "Y"),
    "DE": ("", "DE"),
    "CE": ("", "CE"),
    "ML": ("", "ML"),
}
# A unit counted in another, for durations: a decade is ten years ("P10Y").
_DUR_AS = {"DE": ("Y", 10), "CE": ("Y", 100), "FN": ("W", 2), "WE": ("D", 2)}
# The next smaller unit, for a fractional duration ("two and a half years" is P2Y6M).
_SMALLER = {
    "Y": (12, "", "M"),
    "M": (30, "", "D"),
    "D": (24, "T", "H"),
    "H": (60, "T", "M"),
    "W": (7, "", "D"),
    "MIN": (60, "T", "S"),
}


def _base(
    ctx: TimeContext, mg: Meaning, unit: str, n: int, ref: Ref, start: int
) -> tuple[Point, Ref, bool]:
    """The point a relative expression counts from, which is not always the reference time,
    and whether the result keeps that point's granularity (and leaves the narrative there)."""
    p = ref.point
    keep = bool(mg.get("keep_gran"))
    if (
        unit == "D"
        and mg["anchor"] == "anaphoric"
        and GRAN_ORDER.get(p.gran, 9) >= GRAN_ORDER["year"]
        and ctx.last_day is not None
    ):
        # "the next morning" told when the story is only known to a year ("released in
        # 1952"): from the last day it was at
        p, ref = ctx.last_day.point, ctx.last_day
    if mg.get("latest") and ctx.doc:
        p = ctx.doc.point  # "the latest quarter" is the last one reported by the text's date
    if (
        unit in ("Y", "Q")
        and n == 0
        and mg["anchor"] == "anaphoric"
        and GRAN_ORDER.get(p.gran, 9) > GRAN_ORDER[UNIT_GRAN[unit]]
        and ctx.doc
    ):
        p = ctx.doc.point  # "the quarter" after "1988": the document's own
    # a year before the quarter a report is on is that quarter a year before, as TimeML
    # reads "a year ago", "a year earlier", "the year-ago period" (but "last year" is the year)
    if (
        unit == "Y"
        and abs(n) == 1
        and (mg.get("offset") or mg.get("keep_gran"))
        and ctx.reported
        and not mg.get("part")
    ):
        p, ref, keep = ctx.reported.point, ctx.reported, True
    if (
        unit == "Q"
        and n == 0
        and ctx.doc
        and p is ctx.doc.point
        and p.gran == "day"
        and not mg.get("current")
        and not ctx.future(start)
    ):
        # "the latest quarter", "this quarter's loss" in a report dated in October: the
        # quarter just reported on, which ended within the last month and a half
        p = Point(p.day.minus(REPORT_LAG_DAYS), "day")
    return p, ref, keep


def anchor_rel(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    """ "the next day", "last year", "two weeks later", "this quarter"."""
    ref = ctx.deictic() if mg["anchor"] == "deictic" else ctx.anaphoric()
    unit, n = mg["unit"], mg.get("n")
    if n is None:
        if mg["anchor"] == "deictic":
            return Value("DATE", None, "PAST_REF" if "ago" in text.lower() else "FUTURE_REF")
        return _vague_offset(mg)
    if mg.get("offset") and unit in ("S", "MIN", "H"):
        return _clock_offset(ref, mg)
    if ref is None:
        return None
    if mg.get("offset") and unit in ("DE", "CE"):
        # "a decade ago" is a year: ten years back, as precise as "ten years ago"
        unit, n = "Y", n * (10 if unit == "DE" else 100)
    if isinstance(n, float) and not n.is_integer():
        # "two and a half years later" is thirty months later
        if unit not in _FINER:
            return None
        unit, k = _FINER[unit]
        n = round(n * k)
    n = int(n)
    if unit == "CUR" and mg.get("latest") and ref.point.gran not in ("quarter", "half"):
        unit = "Q"  # "the latest period" of a report on no named period: its latest quarter
    if unit == "CUR":
        edtf, tx = values_of(ref.point)
        return Value("DATE", edtf, tx, None, ref.point, ref.why)
    gran = UNIT_GRAN.get(unit)
    if gran is None:
        return None
    p, ref, keep = _base(ctx, mg, unit, n, ref, start)
    if keep and p.gran in ("quarter", "half"):
        gran = p.gran
    # counting days from a coarser time stays within it
    p2 = p if unit in ("D", "FN") and p.gran != "day" else shift(p, unit, n, gran)
    edtf, tx = values_of(p2)
    if unit == "WE" and p2.gran == "week":
        sat = p2.day + 5
        edtf = f"{sat.iso()}/{(sat + 1).iso()}"
        tx += "-WE"
    if mg.get("offset") and unit == "W" and p.gran == "day":
        # "two weeks later" than a day is a day; TimeML names its week
        p2 = Point(p.day + 7 * n, "day")
        edtf = p2.day.iso()
    if mg.get("last_day") and p2.gran == "year":
        p2 = Point(Day(p2.year, 12, 31), "day")  # "year-end"
        edtf, tx = values_of(p2)
    mod = mg.get("part")
    if mod and p2.gran in ("month", "year", "decade", "century"):
        edtf, mod = part_of(p2, mod, mg.get("edge", False))
    v = Value("TIME" if mg.get("pod") else "DATE", edtf, tx, mod, p2, ref.why)
    v.keep_gran = keep
    if mg.get("past_period"):
        length = anchor_duration_value(1, unit, None)
        v.timex2 = length.timex2 or length
    return v


# A unit and how many of the next finer one it holds, to count a fractional offset in.
_FINER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "FN": ("D", 14)}


def _vague_offset(mg: Meaning) -> Value | None:
    """ "a few days later", "several years earlier": after or before the story's time, by how
    much it does not say (TimeML marks the length: "[a few days] later" is PXD)."""
    if not mg.get("offset"):
        return None
    duration = anchor_duration_value(None, mg["unit"], mg.get("mod"))
    v = Value("DATE", None, "FUTURE_REF" if mg.get("sign", 1) > 0 else "PAST_REF")
    v.timeml = duration
    return v


def _clock_offset(ref: Ref | None, mg: Meaning) -> Value:
    """ "an hour later", "twenty minutes after": on the day the story is at, if it is at one
    (TimeML marks the length: "[an hour] later" is PT1H)."""
    n = mg.get("n")
    duration = anchor_duration_value(None if n is None else abs(n), mg["unit"], None)
    if ref is None or ref.point.gran != "day":
        return duration
    edtf, tx = values_of(ref.point)
    v = Value("DATE", edtf, tx, None, ref.point, ref.why)
    v.timeml = duration
    return v


def anchor_weekday(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    """ "Friday" (this week's, past unless the clause speaks of the future), "next Monday"."""
    ref = ctx.anaphoric() if mg["anchor"] == "anaphoric" else ctx.deictic()
    wd = mg["wd"]
    if ref is None or ref.point.gran != "day":
        tx = f"XXXX-WXX-{wd}" + (f"T{mg['pod']}" if mg.get("pod") else "")
        return Value("DATE", None, tx, mg.get("part"))
    r = ref.point.day
    n = mg.get("n")
    delta = wd - r.isoweekday()
    if n is None:
        if ctx.future(start):
            delta = delta % 7
        elif delta > 0:
            delta -= 7
    elif n > 0:
        delta = delta % 7 or 7
    elif n < 0:
        delta = -((-delta) % 7 or 7)
    p = Point(r + delta, "day")
    edtf, tx = values_of(p)
    return Value("DATE", edtf, tx, mg.get("part"), p, ref.why)


def _clock_day(
    ctx: TimeContext, mg: Meaning, text: str, start: int
) -> tuple[Day | None, str | None]:
    """The day a clock time is on, and what it was taken from."""
    ref = ctx.anaphoric()
    if mg.get("m") and mg.get("d") and mg.get("y") is not None:
        return Day(mg["y"], mg["m"], mg["d"]), None
    if mg.get("m") and mg.get("d"):
        y, why = ctx.year_for(mg, start, mg["m"])
        if y is None:
            return None, why
        return Day(y, mg["m"], mg["d"]), why
    if mg.get("wd"):
        v = anchor_weekday(ctx, {"wd": mg["wd"], "n": None, "anchor": "deictic"}, text, start)
        return (v.point.day, v.anchor) if v and v.point else (None, None)
    if mg.get("rw"):
        r = ctx.deictic()
        if r and r.point.gran == "day":
            off = {"today": 0, "yesterday": -1, "tomorrow": 1}[mg["rw"]]
            return r.point.day + off, r.why
        return None, None
    if ref and ref.point.gran == "day":
        return ref.point.day, ref.why
    if ctx.doc and ctx.doc.point.gran == "day":
        return ctx.doc.point.day, ctx.doc.why
    return None, None


def anchor_time(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    """A clock time: on the day it names, or the narrative's. Midnight on a day is its end:
    TimeML's T24:00 of that day, the next day's 00:00 in EDTF (which has no 24:00)."""
    try:
        day, why = _clock_day(ctx, mg, text, start)
    except ValueError:
        return None
    hh, mi = mg["hh"], mg["mi"]
    clock = f"T{hh:02d}:{mi:02d}"
    if day is None:
        return Value("TIME", None, "XXXX-XX-XX" + clock)
    tx = f"{day.iso()}{clock}"
    if hh == 24:
        day, clock = day + 1, f"T00:{mi:02d}"
    p = Point(day, "day")
    return Value("TIME", f"{day.iso()}{clock}:00", tx, None, p, why)


def anchor_ref(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    return Value("DATE", None, mg["ref"])


def anchor_duration(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    return anchor_duration_value(mg.get("n"), mg["unit"], mg.get("mod"))


def anchor_duration_value(n: float | None, unit: str, mod: str | None) -> Value:
    """A length of time: ISO 8601 in both values, no EDTF where the number is vague."""
    value = duration_value(n, unit)
    iso = value if "X" not in value else None
    v = Value("DURATION", iso, value, mod)
    if unit in ("DE", "CE") and (n is None or float(n).is_integer()):
        # TIMEX2 counts decades and centuries as such: "the past decade" is P1DE
        tx2 = f"P{'X' if n is None else int(n)}{unit}"
        v.timex2 = Value("DURATION", iso, tx2, mod)
    return v


def anchor_set(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    if mg.get("value"):
        return Value("SET", mg["value"], mg["value"])
    v = duration_value(mg.get("n", 1), mg["unit"])
    return Value("SET", v, v)


def duration_value(n: float | None, unit: str) -> str:
    """ISO 8601 (TimeML) duration: (2, "M") → "P2M"; (None, "Y") → "PXY"; (0.5, "H") → "PT30M"."""
    if unit in _DUR_AS:
        unit, k = _DUR_AS[unit]
        n = None if n is None else n * k
    t, letter = DUR_UNIT.get(unit, ("", unit))
    if n is None:
        return f"P{t}X{letter}"
    if isinstance(n, float) and not n.is_integer():
        whole = int(n)
        smaller = _SMALLER.get(unit)
        if smaller:
            k, t2, l2 = smaller
            frac = int(round((n - whole) * k))
            head = f"{whole}{letter}" if whole else ""
            if t2 and not t:
                return f"P{head}T{frac}{l2}"
            return f"P{t}{head}{frac}{l2}"
        n = whole
    return f"P{t}{int(n)}{letter}"
