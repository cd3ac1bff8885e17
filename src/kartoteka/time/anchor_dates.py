"""Anchoring calendar dates: a meaning of kind date, decade, century, turn or range, and the
text's time (`narrative.TimeContext`), to a Value."""

from __future__ import annotations

from kartoteka.time.dates import Meaning
from kartoteka.time.narrative import NARRATIVE_AHEAD, TimeContext
from kartoteka.time.points import (
    GRAN_ORDER,
    SEASON_FIRST_MONTH,
    SEASON_TIMEX,
    Day,
    Point,
    Value,
    add_months,
    approx_edtf,
    at,
    bc_century,
    bc_decade,
    part_of,
    timeml_year,
    values_of,
)

# "last winter" said within this many days after the winter began is the one before it.
_SEASON_DAYS = 92


def easter(year: int) -> Day:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return Day(year, month, day + 1)


def holiday_day(code: str, y: int) -> Day:
    """The day of a holiday (a lexicon code: "12-25", "EASTER-2", "THANKSGIVING") in year y."""
    if code == "THANKSGIVING":  # the fourth Thursday of November
        first = Day(y, 11, 1)
        return first + ((3 - first.weekday()) % 7 + 21)
    if code == "ELECTION":  # (American) the Tuesday after the first Monday of November
        first = Day(y, 11, 1)
        return first + ((0 - first.weekday()) % 7 + 1)
    if code.startswith("EASTER"):
        return easter(y) + int(code[6:] or 0)
    mo, d = code.split("-")
    return Day(y, int(mo), int(d))


def holiday_month(code: str | None) -> int | None:
    """The month a holiday falls in (about), to choose its year like a month's."""
    if not code:
        return None
    if code in ("THANKSGIVING", "ELECTION"):
        return 11
    if code.startswith("EASTER"):
        return 4
    return int(code.split("-")[0])


def _season_year(ctx: TimeContext, mg: Meaning, start: int) -> tuple[int, str] | None:
    """The year of a season named without one ("that autumn", "last winter")."""
    sh = (mg.get("shift") or "").lower()
    # "last winter", and in a dated text "the summer" as a month would be, count from the
    # text's date; "that autumn", "the following spring" from the story's time
    deictic = sh in ("last", "next", "this", "past") or (sh == "" and ctx.doc is not None)
    ref = (ctx.doc or ctx.narr) if deictic else ctx.anaphoric()
    if ref is None or GRAN_ORDER[ref.point.gran] > GRAN_ORDER["year"]:
        return None  # the story known only to a decade or century gives no year
    y = ref.point.year
    if mg.get("year_shift") is not None:
        return y + mg["year_shift"], ref.why
    code = mg["season"]
    first = Day(y, SEASON_FIRST_MONTH[code], 1)
    r = ref.point.day
    in_or_after = r >= first
    if sh in ("last", "past") and in_or_after and r < first + _SEASON_DAYS:
        y -= 1
    elif sh in ("last", "past") and not in_or_after:
        y -= 1
    elif sh in ("next", "the following") and in_or_after:
        y += 1
    elif sh == "the previous":
        y -= 1
    elif sh in ("", "this", "that") and ref.point.gran in _WITHIN_YEAR:
        y += _season_ahead(ctx, code, r.month, start)
    return y, ref.why


# Granularities finer than a year: a season named after one of them follows it in time.
_WITHIN_YEAR = ("day", "week", "month", "season")


def _season_ahead(ctx: TimeContext, code: int, month: int, start: int) -> int:
    """How many years after the reference month's year a season named without one is: -1
    for the winter a January is in; +1 for a spring told after a December, as the story
    moves on (not in a dated text, nor where the clause looks back)."""
    if code == 24 and month <= 2:
        return -1
    first = SEASON_FIRST_MONTH[code]
    if (
        not ctx.doc
        and first < month
        and (first - month) % 12 <= NARRATIVE_AHEAD
        and not ctx.looks_back(start)
    ):
        return 1
    return 0


def _point(mg: Meaning, y: int) -> Point:
    """The point a date meaning names once its year is known (ValueError: no such day)."""
    month, day = mg.get("m"), mg.get("d")
    if mg.get("holiday"):
        return Point(holiday_day(mg["holiday"], y), "day")
    if mg.get("season"):
        return Point(Day(y, SEASON_FIRST_MONTH[mg["season"]], 1), "season", mg["season"])
    if mg.get("quarter"):
        q = mg["quarter"]
        return Point(Day(y, 3 * q - 2, 1), "quarter", q)
    if mg.get("half"):
        return Point(Day(y, 1 if mg["half"] == 1 else 7, 1), "half", mg["half"])
    if month and mg.get("week_of"):
        # a week of a month: its first seven days, its second ..., or its last seven
        n = mg["week_of"]
        first = (
            add_months(Day(y, month, 1), 1).minus(7) if n == "last" else Day(y, month, 7 * n - 6)
        )
        return Point(first, "week")
    if month and day and mg.get("week"):
        return at(Day(y, month, day), "week")
    if month and day == "last":
        return Point(add_months(Day(y, month, 1), 1).minus(1), "day")
    if month and day:
        return Point(Day(y, month, day), "day")
    if month:
        return Point(Day(y, month, 1), "month")
    return Point(Day(y, 1, 1), "year")


def anchor_date(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    """A calendar date, maybe partial ("10 February", "that autumn", "the first quarter")."""
    y = ctx.written_year(mg) if mg.get("y") is not None else None
    if y is None and mg.get("bare"):
        if not (mg.get("m") or mg.get("season")):
            return None
        mg = {k: v for k, v in mg.items() if k not in ("y", "written", "era", "bare")}
    deictic = ctx.deictic()
    if y is None and mg.get("ry") and deictic:
        # "July last year": the year counts from the document's time
        y = deictic.point.year + {"this": 0, "last": -1, "next": 1}[mg["ry"]]
    anchor = None
    if mg.get("season") and y is None:
        found = None if mg.get("generic") else _season_year(ctx, mg, start)
        if found is None:
            return Value("DATE", None, f"XXXX-{SEASON_TIMEX[mg['season']]}")
        y, anchor = found
    elif y is None and (mg.get("m") or mg.get("quarter") or mg.get("half") or mg.get("holiday")):
        first = (
            mg.get("m")
            or (3 * mg["quarter"] - 2 if mg.get("quarter") else None)
            or holiday_month(mg.get("holiday"))
        )
        y, anchor = ctx.year_for(mg, start, first)
        if y is None:
            return _unanchored_date(mg)
    if y is None:
        return None
    if mg.get("like_narrative"):
        mg = _like_narrative(ctx, mg)
    try:
        p = _point(mg, y)
    except ValueError:
        return None
    edtf, tx = values_of(p)
    if p.gran == "season" and p.code == 24 and not mg.get("explicit_season_year"):
        # a winter the story reaches is named, in TimeML, by the year of its January (the
        # winter after December 1914 is 1915-WI); "the winter of 1914" as written
        tx = f"{timeml_year(y + 1)}-WI"
    mod = None
    part = mg.get("part")
    if part and p.gran == "season":
        mod = part  # "the early summer": EDTF cannot qualify a season ("1937-22~" is none)
    elif part and p.gran in ("month", "year"):
        edtf, mod = part_of(p, part, mg.get("edge", False))
    elif part:
        mod = part
    v = Value("TIME" if mg.get("pod") else "DATE", edtf, tx, mod, p, anchor)
    v.keep_gran = bool(mg.get("like_narrative"))
    if mg.get("week_of"):
        v.timex2 = Value("DURATION", "P1W", "P1W")  # TIMEX2 marks the length
    return v


def _like_narrative(ctx: TimeContext, mg: Meaning) -> Meaning:
    """ "the 1988 quarter": while the text speaks of a quarter (or half), the one the report
    is on, in the year written; else the year ("the 1988 period" after "the first nine
    months")."""
    narr = ctx.narr.point if ctx.narr else None
    if narr is None or narr.gran not in ("quarter", "half"):
        return mg
    p = ctx.reported.point if ctx.reported else narr
    return {**mg, p.gran: p.code}


def _unanchored_date(mg: Meaning) -> Value | None:
    month, day = mg.get("m"), mg.get("d")
    if month and isinstance(day, int):
        return Value("DATE", f"XXXX-{month:02d}-{day:02d}", f"XXXX-{month:02d}-{day:02d}")
    if month:
        return Value("DATE", f"XXXX-{month:02d}", f"XXXX-{month:02d}")
    return None


def anchor_decade(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    dec = mg.get("decade")
    why = None
    era = mg.get("era") or (ctx.era[0] if ctx.era and dec is not None and dec < 100 else None)
    if dec is not None and era == "BC":
        p = bc_decade(dec * 10)
        edtf, tx = values_of(p)
        mod = mg.get("part")
        if mod:
            edtf, mod = part_of(p, mod, mg.get("edge", False))
        return Value("DATE", edtf, tx, mod, p, None)
    if dec is None:
        ref = ctx.anaphoric()
        century = (ref.point.year // 100) if ref else 19
        if ref and century * 100 + mg["short"] * 10 > ref.point.year:
            century -= 1
        dec = century * 10 + mg["short"]
        why = ref.why if ref else "no reference time: the 20th century assumed"
    p = Point(Day(dec * 10 or 1, 1, 1), "decade")
    edtf, tx = values_of(p)
    mod = mg.get("part")
    if mod:
        edtf, mod = part_of(p, mod, mg.get("edge", False))
    return Value("DATE", edtf, tx, mod, p, why)


def anchor_century(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    c = mg["century"]
    if c < 0 or c > 99:
        return Value("DATE", None, None)
    p = bc_century(c + 1) if mg.get("era") == "BC" else Point(Day(c * 100 or 1, 1, 1), "century")
    edtf, tx = values_of(p)
    mod = mg.get("part")
    if mod:
        edtf, mod = part_of(p, mod, mg.get("edge", False))
    return Value("DATE", edtf, tx, mod, p, None)


def anchor_turn(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    """ "the turn of the year / century / decade", "the turn of 1937"."""
    ref = ctx.anaphoric()
    if mg["unit"] == "Y":
        if mg.get("y"):
            y, why = mg["y"] - 1, None
        elif ref is None:
            return Value("DATE", None, None, "APPROX")
        else:
            r = ref.point
            early = r.gran in ("day", "week", "month") and r.day.month <= 6
            y, why = (r.year - 1 if early else r.year), ref.why
        edtf = f"{y:04d}-12~/{y + 1:04d}-01~"
        return Value("DATE", edtf, f"{y + 1:04d}-01", "APPROX", None, why)
    if ref is None:
        return Value("DATE", None, None, "APPROX")
    size = 100 if mg["unit"] == "CE" else 10
    y = int(round(ref.point.year / size)) * size
    return Value("DATE", f"{y - 1:04d}~/{y:04d}~", f"{y:04d}", "APPROX", None, ref.why)


def anchor_range(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    a = anchor_date(ctx, mg["a"], text, start)
    b = anchor_date(ctx, mg["b"], text, start)
    if not a or not b or not a.edtf or not b.edtf:
        return None
    v = Value("DATE", f"{a.edtf}/{b.edtf}", a.timex3, None, a.point, a.anchor)
    v.ends = (a, b)
    return v


def anchor_regnal(ctx: TimeContext, mg: Meaning, text: str, start: int) -> Value | None:
    """ "the third year of his reign": the reign's first year (the last date the text gave
    with an accession: "ascended the throne", "was proclaimed") plus two. A regnal year
    straddles two of ours, so the value is approximate."""
    if ctx.reign is None:
        return Value("DATE", None, None)
    first, why = ctx.reign
    p = Point(Day(first + mg["n"] - 1, 1, 1), "year")
    edtf, tx = values_of(p)
    return Value("DATE", approx_edtf(edtf), tx, "APPROX", p, f"reign began {why}")
