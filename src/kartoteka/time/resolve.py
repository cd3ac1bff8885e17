"""Walk the expressions of a text in order, resolving each against the text's own time."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from kartoteka.time.anchor import (
    GRAN_ORDER,
    SEASON_FIRST_MONTH,
    Point,
    Ref,
    Value,
    approx_edtf,
    part_of,
    point_from_edtf,
    shift,
    values_of,
)
from kartoteka.time.lexicon import alternation, lexicon

# How many months after the document's date a month named without a year is taken as coming
# (rather than last year's) when the clause has no future cue.
NEAR_AHEAD = 2
# A business report speaks of the quarter that ended within this many days of its date as
# "the latest quarter" or "this quarter".
REPORT_LAG_DAYS = 45
# A dated text is read as a narrative of its own time (its document date ignored for anchoring)
# when it states at least this many years and fewer than this share lie near its date.
NARRATIVE_MIN_YEARS = 5
NARRATIVE_NEAR_SHARE = 0.5
# In a narrative, a month named without a year up to this many months after the narrative
# month (counting over the new year) is next year's: "in December ... on 11 January".
NARRATIVE_AHEAD = 3

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


@cache
def _future_rx():
    return re.compile(r"\b" + alternation(lexicon()["future_markers"]) + r"\b", re.I)


def easter(year: int) -> date:
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
    return date(year, month, day + 1)


# Where a clause ends: a full stop that does not close an initial or an abbreviation
# ("Daniel P. Davison", "Mr. Schwarz", "Feb. 1"), a semicolon, a comma, a line end, a quote.
_CLAUSE_END = re.compile(
    r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|"
    r"Oct|Nov|Dec|Mrs|Gen|Sen|Rep|Gov|Inc|Col))(?<!\b(?:Sept|Corp))\.\s|"
    r"[;,]\s|\n|``|''"
)
_PLUPERFECT = re.compile(r"\b(?:had|earlier|previously|before)\b", re.I)
_SPEECH_TIME = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday|tomorrow|(?:this|last|next)\s+week)\b"
)
_YEARS = re.compile(r"(?<![\d$£€.,])(1[0-9]{3}|20[0-9]{2})(?![\d%])")


def _narrates_other_time(text: str, doc_year: int) -> bool:
    """Does a dated text tell of another time: do most of the years it states lie well away
    from its date? (News states mostly its own year or the last; a war history, its war's.)"""
    years = [int(y) for y in _YEARS.findall(text)]
    if len(years) < NARRATIVE_MIN_YEARS:
        return False
    near = sum(doc_year - 3 <= y <= doc_year + 1 for y in years)
    if near >= NARRATIVE_NEAR_SHARE * len(years):
        return False
    # news about the past still speaks from its date: "said Friday", "last week"
    return len(_SPEECH_TIME.findall(text)) * 5 <= len(years)


class Resolver:
    """Holds the document time and the running narrative time while a text is read."""

    def __init__(self, text: str, as_of: str | None):
        self.text = text
        self.doc: Ref | None = None
        if as_of:
            p = point_from_edtf(as_of)
            if p is None:
                raise ValueError(
                    f"as_of is not a date we can read: {as_of!r} "
                    "(give an EDTF date such as 1937-02-11 or 1937)"
                )
            self.doc = Ref(p, f"as_of {as_of}")
        self.narr: Ref | None = Ref(self.doc.point, self.doc.why) if self.doc else None
        if self.doc and _narrates_other_time(text, self.doc.point.year):
            # a history with a modern date on it (an encyclopedia article, a reissued book):
            # its own dates, not the date it was written, anchor what it tells
            self.doc = None

    # -- reference times ---------------------------------------------------------------------
    def deictic(self) -> Ref | None:
        return self.doc or self.narr

    def anaphoric(self) -> Ref | None:
        return self.narr or self.doc

    def _future(self, start: int, end: int) -> bool:
        """Does the clause around [start, end) speak of the future ("will", "next", ...)?"""
        return bool(_future_rx().search(self._clause_before(start)))

    def _clause_before(self, start: int) -> str:
        """The words of the clause before `start` (up to 70 characters)."""
        lo = max(0, start - 70)
        before = self.text[lo:start]
        cut = -1
        for m in _CLAUSE_END.finditer(before):
            cut = m.end()
        return before[cut:] if cut >= 0 else before

    def move(self, p: Point, text: str, start: int, explicit_year: bool = False) -> None:
        """Move the narrative time to `p`, keeping a finer time within the same year."""
        if (
            self.narr
            and explicit_year
            and p.gran == "year"
            and self.narr.point.year == p.year
            and GRAN_ORDER[self.narr.point.gran] < 5
        ):
            return
        if self.doc and GRAN_ORDER[p.gran] >= GRAN_ORDER["year"]:
            return  # in a dated text (news, a letter) a bare year is background
        iso = values_of(p)[0]
        self.narr = Ref(p, f"narrative time {iso} from '{text}' at {start}", start)

    # -- one expression ----------------------------------------------------------------------
    def resolve(self, meaning: dict, text: str, start: int, end: int) -> Value | None:
        kind = meaning["kind"]
        fn = getattr(self, "_" + kind)
        v = fn(meaning, text, start, end)
        if v is None:
            return None
        if meaning.get("approx") and v.edtf and kind not in ("duration", "set"):
            v.edtf = approx_edtf(v.edtf)
            v.mod = v.mod or "APPROX"
        if (
            meaning.get("pod")
            and v.point is not None
            and v.timex3
            and v.point.gran == "day"
            and "T" not in v.timex3
        ):
            v.timex3 += "T" + meaning["pod"]
            v.type = "TIME"
        # comparisons with a period ("a year earlier", "the quarter") leave the narrative on
        # the period the text is about
        keeps = meaning.get("keep_gran") or (
            kind == "rel" and meaning.get("n") == 0 and meaning.get("anchor") == "anaphoric"
        )
        if v.point is not None and kind not in ("ref", "duration", "set") and not keeps:
            self.move(v.point, text, start, meaning.get("explicit_year", False))
        return v

    def _year_for(self, meaning, start, end, month: int | None, day: int | None):
        """The year of a date stated without one, and what it was taken from."""
        ref = self.anaphoric()
        if ref is None:
            return None, None
        if self.doc:
            # a dated text (news, a letter) that is not a narrative of another time (see
            # _narrates_other_time) speaks from its date: "on February 10" after "in July 1997"
            # is this February in news, as TimeBank reads it
            ref = self.doc
        y = ref.point.year
        shift_word = (meaning.get("shift") or "").lower()
        if shift_word:
            base = self.doc or ref if shift_word in ("last", "next", "this") else ref
            y = base.point.year
            m0 = base.point.day.month
            if month is not None:
                if shift_word in ("last", "the previous") and month >= m0:
                    y -= 1
                elif shift_word in ("next", "the following") and month <= m0:
                    y += 1
            return y, base.why
        # Speech-time reference (a news text's date): a month after it is last year's unless
        # the clause speaks of the future, and one before it next year's if it does.
        if ref is self.doc:
            r = ref.point.day
            if month is not None and ref.point.gran in ("day", "week", "month"):
                fut = self._future(start, end)
                # the next such month if the clause speaks of the future or it is only a
                # month or two ahead ("payable Jan. 2" in November); else the last one
                ahead = (month - r.month) % 12
                if meaning.get("quarter"):
                    # a quarter is this year's unless the clause speaks of the future and
                    # this year's ended over a quarter ago ("expects in the first quarter")
                    forward = fut and month + 2 < r.month - 3
                else:
                    forward = ahead and (fut or ahead <= NEAR_AHEAD)
                if forward and month < r.month:
                    y += 1
                elif not forward and month > r.month:
                    y -= 1
        elif (
            month is not None
            and not meaning.get("quarter")
            and ref.point.gran in ("day", "week", "month")
            and month < ref.point.day.month
            and (month - ref.point.day.month) % 12 <= NARRATIVE_AHEAD
            and not _PLUPERFECT.search(self._clause_before(start))
        ):
            # narrative time moves on: "in December ... on 11 January" is the next January,
            # unless the clause looks back ("had", "earlier")
            y += 1
        return y, ref.why

    # -- kinds -------------------------------------------------------------------------------
    def _date(self, mg, text, start, end):
        y = mg.get("y")
        if y is None and mg.get("ry") and self.deictic():
            # "July last year": the year counts from the document's time
            ref = self.deictic()
            y = ref.point.year + {"this": 0, "last": -1, "next": 1}[mg["ry"]]
        anchor = None
        month, day = mg.get("m"), mg.get("d")
        if mg.get("season") and y is None:
            sh = (mg.get("shift") or "").lower()
            ref = (
                (self.doc or self.narr)
                if sh in ("last", "next", "this", "past")
                else self.anaphoric()
            )
            if ref is None:
                return Value("DATE", None, f"XXXX-{SEASON_TIMEX_(mg['season'])}")
            y = ref.point.year
            code = mg["season"]
            r = ref.point.day
            in_or_after = r >= date(y, SEASON_FIRST_MONTH[code], 1)
            if (
                sh in ("last", "past")
                and in_or_after
                and r < date(y, SEASON_FIRST_MONTH[code], 1) + timedelta(days=92)
            ):
                y -= 1
            elif sh in ("last", "past") and not in_or_after:
                y -= 1
            elif sh in ("next", "the following") and in_or_after:
                y += 1
            elif sh == "the previous":
                y -= 1
            anchor = ref.why
        elif y is None and (month or mg.get("quarter") or mg.get("half") or mg.get("holiday")):
            first = (
                month
                or (3 * mg["quarter"] - 2 if mg.get("quarter") else None)
                or _holiday_month(mg.get("holiday"))
            )
            y, anchor = self._year_for(mg, start, end, first, day)
            if y is None:
                return self._unanchored_date(mg)
        if y is None:
            return None
        try:
            if mg.get("holiday"):
                p = Point(self._holiday(mg["holiday"], y), "day")
            elif mg.get("season"):
                p = Point(date(y, SEASON_FIRST_MONTH[mg["season"]], 1), "season", mg["season"])
            elif mg.get("quarter"):
                q = mg["quarter"]
                p = Point(date(y, 3 * q - 2, 1), "quarter", q)
            elif mg.get("half"):
                p = Point(date(y, 1 if mg["half"] == 1 else 7, 1), "half", mg["half"])
            elif month and day:
                p = Point(date(y, month, day), "day")
            elif month:
                p = Point(date(y, month, 1), "month")
            else:
                p = Point(date(y, 1, 1), "year")
        except ValueError:
            return None
        edtf, tx = values_of(p)
        mod = None
        part = mg.get("part")
        if part and p.gran in ("month", "year", "season"):
            if p.gran == "season":
                edtf, mod = approx_edtf(edtf), part
            else:
                edtf, mod = part_of(p, part)
        elif part:
            mod = part
        return Value("TIME" if mg.get("pod") else "DATE", edtf, tx, mod, p, anchor)

    def _unanchored_date(self, mg):
        month, day = mg.get("m"), mg.get("d")
        if month and day:
            return Value("DATE", f"XXXX-{month:02d}-{day:02d}", f"XXXX-{month:02d}-{day:02d}")
        if month:
            return Value("DATE", f"XXXX-{month:02d}", f"XXXX-{month:02d}")
        return None

    def _holiday(self, code: str, y: int) -> date:
        if code == "THANKSGIVING":  # the fourth Thursday of November
            first = date(y, 11, 1)
            return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
        if code.startswith("EASTER"):
            off = int(code[6:] or 0)
            return easter(y) + timedelta(days=off)
        mo, d = code.split("-")
        return date(y, int(mo), int(d))

    def _rel(self, mg, text, start, end):
        ref = self.deictic() if mg["anchor"] == "deictic" else self.anaphoric()
        unit, n = mg["unit"], mg.get("n")
        if n is None:
            if mg["anchor"] == "deictic":
                tx = "PAST_REF" if "ago" in text.lower() else "FUTURE_REF"
                return Value("DATE", None, tx)
            return None
        if ref is None:
            return None
        if isinstance(n, float) and not n.is_integer():
            return None
        if mg.get("offset") and unit in ("DE", "CE"):
            # "a decade ago" is a year: ten years back, as precise as "ten years ago"
            unit, n = "Y", n * (10 if unit == "DE" else 100)
        n = int(n)
        p = ref.point
        if unit == "CUR":
            edtf, tx = values_of(p)
            return Value("DATE", edtf, tx, None, p, ref.why)
        if (
            unit in ("Y", "Q")
            and n == 0
            and mg["anchor"] == "anaphoric"
            and GRAN_ORDER.get(p.gran, 9) > GRAN_ORDER[UNIT_GRAN[unit]]
            and self.doc
        ):
            p = self.doc.point  # "the quarter" after "1988": the document's own
        # a year before a quarter (or month) is that quarter a year before, as TimeML reads
        # "a year ago" in a report on the third quarter
        if (
            unit == "Y"
            and abs(n) == 1
            and self.narr
            and self.narr.point.gran in ("quarter", "half")
            and not mg.get("part")
        ):
            p = self.narr.point
            mg["keep_gran"] = True
            ref = self.narr
        if (
            unit == "Q"
            and n == 0
            and self.doc
            and p is self.doc.point
            and p.gran == "day"
            and not mg.get("current")
            and not self._future(start, end)
        ):
            # "the latest quarter", "this quarter's loss" in a report dated in October: the
            # quarter just reported on, which ended within the last month and a half
            p = Point(p.day - timedelta(days=REPORT_LAG_DAYS), "day")
        gran = UNIT_GRAN.get(unit)
        if gran is None:
            return None
        if (
            mg.get("keep_gran")
            and GRAN_ORDER.get(p.gran, 9) < GRAN_ORDER["year"]
            and p.gran != "day"
        ):
            gran = p.gran
        if unit in ("D", "FN") and p.gran != "day":
            # counting days from a coarser time stays within it
            p2 = p
        else:
            base = p if GRAN_ORDER.get(p.gran, 9) <= GRAN_ORDER[gran] else p
            p2 = shift(base, unit, n, gran)
        edtf, tx = values_of(p2)
        if unit == "WE" and p2.gran == "week":
            sat = p2.day + timedelta(days=5)
            edtf = f"{sat.isoformat()}/{(sat + timedelta(days=1)).isoformat()}"
            tx += "-WE"
        mod = mg.get("part")
        if mod and p2.gran in ("month", "year", "decade", "century"):
            edtf, mod = part_of(p2, mod)
        return Value("TIME" if mg.get("pod") else "DATE", edtf, tx, mod, p2, ref.why)

    def _weekday(self, mg, text, start, end):
        anaphoric = mg["anchor"] == "anaphoric"
        ref = self.anaphoric() if anaphoric else self.deictic()
        wd = mg["wd"]
        if ref is None or ref.point.gran != "day":
            tx = f"XXXX-WXX-{wd}"
            return Value(
                "DATE", None, tx + (f"T{mg['pod']}" if mg.get("pod") else ""), mg.get("part")
            )
        r = ref.point.day
        n = mg.get("n")
        delta = wd - r.isoweekday()
        if n is None:
            # bare "Friday": the one this week; past unless the clause speaks of the future
            if self._future(start, end):
                delta = delta % 7
            elif delta > 0:
                delta -= 7
        elif n == 0:
            pass
        elif n > 0:
            delta = delta % 7 or 7
        else:
            delta = -((-delta) % 7 or 7)
        p = Point(r + timedelta(days=delta), "day")
        edtf, tx = values_of(p)
        return Value("DATE", edtf, tx, mg.get("part"), p, ref.why)

    def _time(self, mg, text, start, end):
        ref = self.anaphoric()
        day = None
        why = None
        if mg.get("m") and mg.get("d"):
            y, why = self._year_for(mg, start, end, mg["m"], mg["d"])
            if y is not None:
                try:
                    day = date(y, mg["m"], mg["d"])
                except ValueError:
                    return None
        elif mg.get("wd"):
            v = self._weekday({"wd": mg["wd"], "n": None, "anchor": "deictic"}, text, start, end)
            if v and v.point:
                day, why = v.point.day, v.anchor
        elif mg.get("rw"):
            r = self.deictic()
            if r and r.point.gran == "day":
                off = {"today": 0, "yesterday": -1, "tomorrow": 1}[mg["rw"]]
                day, why = r.point.day + timedelta(days=off), r.why
        elif ref and ref.point.gran == "day":
            day, why = ref.point.day, ref.why
        elif self.doc and self.doc.point.gran == "day":
            day, why = self.doc.point.day, self.doc.why
        hh, mi = mg["hh"], mg["mi"]
        if hh == 24:
            hh = 0
            if day:
                day = day + timedelta(days=1)
        clock = f"T{hh:02d}:{mi:02d}"
        if day is None:
            return Value("TIME", None, "XXXX-XX-XX" + clock)
        p = Point(day, "day")
        return Value(
            "TIME", f"{day.isoformat()}{clock}:00", f"{day.isoformat()}{clock}", None, p, why
        )

    def _decade(self, mg, text, start, end):
        dec = mg.get("decade")
        why = None
        if dec is None:
            ref = self.anaphoric()
            century = (ref.point.year // 100) if ref else 19
            if ref and century * 100 + mg["short"] * 10 > ref.point.year:
                century -= 1
            dec = century * 10 + mg["short"]
            why = ref.why if ref else "no reference time: the 20th century assumed"
        p = Point(date(dec * 10 or 1, 1, 1), "decade")
        edtf, tx = values_of(p)
        mod = mg.get("part")
        if mod:
            edtf, mod = part_of(p, mod)
        return Value("DATE", edtf, tx, mod, p, why)

    def _century(self, mg, text, start, end):
        c = mg["century"]
        if mg.get("bc") or c < 0 or c > 20:
            return Value("DATE", None, None)
        p = Point(date(c * 100 or 1, 1, 1), "century")
        edtf, tx = values_of(p)
        mod = mg.get("part")
        if mod:
            edtf, mod = part_of(p, mod)
        return Value("DATE", edtf, tx, mod, p, None)

    def _turn(self, mg, text, start, end):
        ref = self.anaphoric()
        if mg["unit"] == "Y":
            if mg.get("y"):
                y, why = mg["y"] - 1, None
            elif ref is None:
                return Value("DATE", None, None, "APPROX")
            else:
                r = ref.point
                y = (
                    r.year - 1
                    if r.gran in ("day", "week", "month") and r.day.month <= 6
                    else r.year
                )
                why = ref.why
            edtf = f"{y:04d}-12~/{y + 1:04d}-01~"
            return Value("DATE", edtf, f"{y + 1:04d}-01", "APPROX", None, why)
        if ref is None:
            return Value("DATE", None, None, "APPROX")
        size = 100 if mg["unit"] == "CE" else 10
        y = int(round(ref.point.year / size)) * size
        return Value("DATE", f"{y - 1:04d}~/{y:04d}~", f"{y:04d}", "APPROX", None, ref.why)

    def _ref(self, mg, text, start, end):
        return Value("DATE", None, mg["ref"])

    def _duration(self, mg, text, start, end):
        n, unit = mg.get("n"), mg["unit"]
        value = duration_value(n, unit)
        iso = value if "X" not in value else None
        return Value("DURATION", iso, value, mg.get("mod"))

    def _set(self, mg, text, start, end):
        if mg.get("value"):
            return Value("SET", mg["value"], mg["value"])
        v = duration_value(mg.get("n", 1), mg["unit"])
        return Value("SET", v, v)

    def _range(self, mg, text, start, end):
        a = self._date(mg["a"], text, start, end)
        b = self._date(mg["b"], text, start, end)
        if not a or not b or not a.edtf or not b.edtf:
            return None
        return Value("DATE", f"{a.edtf}/{b.edtf}", a.timex3, None, a.point, a.anchor)


def _holiday_month(code: str | None) -> int | None:
    """The month a holiday falls in (about), to choose its year like a month's."""
    if not code:
        return None
    if code == "THANKSGIVING":
        return 11
    if code.startswith("EASTER"):
        return 4
    return int(code.split("-")[0])


def SEASON_TIMEX_(code: int) -> str:
    return {21: "SP", 22: "SU", 23: "FA", 24: "WI"}[code]


def duration_value(n, unit: str) -> str:
    """ISO 8601 (TimeML) duration: (2, "M") → "P2M"; (None, "Y") → "PXY"; (0.5, "H") → "PT30M"."""
    if unit == "DE":
        unit, n = "Y", (None if n is None else n * 10)
    elif unit == "CE":
        unit, n = "Y", (None if n is None else n * 100)
    elif unit == "FN":
        unit, n = "W", (None if n is None else n * 2)
    elif unit == "WE":
        unit, n = "D", (None if n is None else n * 2)
    t, letter = DUR_UNIT.get(unit, ("", unit))
    if n is None:
        return f"P{t}X{letter}"
    if isinstance(n, float) and not n.is_integer():
        whole = int(n)
        smaller = {
            "Y": (12, "", "M"),
            "M": (30, "", "D"),
            "D": (24, "T", "H"),
            "H": (60, "T", "M"),
            "W": (7, "", "D"),
        }.get(unit)
        if smaller:
            k, t2, l2 = smaller
            frac = int(round((n - whole) * k))
            head = f"{whole}{letter}" if whole else ""
            if t and not t2:
                return f"P{t}{head}{frac}{l2}"
            if t2 and not t:
                return f"P{head}T{frac}{l2}"
            return f"P{t}{head}{frac}{l2}"
        n = whole
    return f"P{t}{int(n)}{letter}"
