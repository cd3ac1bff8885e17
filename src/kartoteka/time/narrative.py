"""The text's own time while it is read: the document time and the running narrative time.

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
from functools import cache
from typing import Any

from kartoteka.time.era import astronomical
from kartoteka.time.lexicon import alternation, lexicon
from kartoteka.time.points import (
    GRAN_ORDER,
    Day,
    Point,
    Ref,
    Value,
    add_months,
    point_from_edtf,
    values_of,
)

# How many months after the document's date a month named without a year is taken as coming
# (rather than last year's) when the clause has no future cue.
NEAR_AHEAD = 2
# A dated text is read as a narrative of its own time (its document date ignored for anchoring)
# when it states at least this many years and fewer than this share lie near its date.
NARRATIVE_MIN_YEARS = 5
NARRATIVE_NEAR_SHARE = 0.5
# ... or when it states this many years, whatever their dates, and few speech-time words (an
# encyclopedia article on a recent war: its years are near its date, and still it narrates)
NARRATIVE_MANY_YEARS = 30
# In a narrative, a month named without a year up to this many months after the narrative
# month (counting over the new year) is next year's: "in December ... on 11 January".
NARRATIVE_AHEAD = 3
# A date this many days or more ahead of a story told day by day or month by month is a
# glimpse ahead ("In November 2008, ..." among the events of April 2003), and a month told
# after it may go on from where the story was.
GLIMPSE_DAYS = 730
# How far back the clause before an expression is read for cues ("will", "had").
CLAUSE_REACH = 70
# A year written without its era is in the era the text last wrote one in ("In 499" after
# "500 BC") when it is within this many years of that one.
ERA_REACH = {"BC": 300, "AUC": 100, "AH": 100}
# A number of three digits standing alone ("in 476") is a year only within this many years
# of the narrative time ("about 700 students" in a 1998 text is not), and after a weak
# preposition ("an army of 300") or a bare "about" ("approximately 700" ships) only within
# the smaller reach.
SHORT_YEAR_REACH = 500
WEAK_YEAR_REACH = 60

# Periods a business report is on, and their length in months.
_REPORTED = {"quarter": 3, "half": 6}

_YEARS = re.compile(r"(?<![\d$£€.,])(1[0-9]{3}|20[0-9]{2})(?![\d%])")
# years with their era written: none of them lies near a modern document's date
_ERA_YEARS = re.compile(r"\b\d{1,4}\s*(?-i:BC|B\.C\.|BCE)|(?-i:AD|A\.D\.)\s*\d{1,4}\b")


@cache
def _future_rx() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(lexicon()["future_markers"]) + r"\b", re.I)


@cache
def _deadline_rx() -> re.Pattern[str]:
    # the word right before the expression ("until [9 a.m. Tuesday]"; "at" may come between;
    # not "by the Feb. 23 accord")
    words = alternation(lexicon()["deadline_words"])
    return re.compile(r"\b" + words + r"\s+(?:at\s+)?$", re.I)


@cache
def _looking_back_rx() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(lexicon()["looking_back_words"]) + r"\b", re.I)


@cache
def _speech_time_rx() -> re.Pattern[str]:
    # case-sensitive on the first letter: "Friday" is a day, "may" is not a month here
    words = lexicon()["speech_time_words"]
    return re.compile(r"\b(?:" + "|".join(_either_case(w) for w in words) + r")\b")


def _either_case(word: str) -> str:
    body = re.escape(word).replace(r"\ ", r"\s+")
    if word in ("today", "yesterday", "tomorrow") or " " in word:
        return body
    return f"{word[0].upper()}{body[1:]}"


@cache
def _accession_rx() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(lexicon()["accession_words"]) + r"\b", re.I)


@cache
def _prospective_rx() -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(lexicon()["prospective_words"]) + r"\b", re.I)


# a date naming a thing rather than a time the story reaches: "the 1614 rules", "the August
# 1792 uprising", "1965's Man of the Year"
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their|our|this|that)\s+$", re.I)
_NOUN_AFTER = re.compile(
    r"^(?:['’]s\b|\s+(?!(?:and|or|to|of|in|on|at|by|with|for|from|as|when|while|until|"
    r"before|after|during|through)\b)[a-z])"
)
# an interval's bound: "until February 1945", "part of the empire since 513 BC"
_END_BEFORE = re.compile(r"\b(?:until|till|up\s+to|up\s+until|since)\s+$", re.I)
# "lasted until the fall of Budapest in February 1945": the interval's end, further on
_UNTIL = re.compile(r"\b(?:until|till)\s+(?:the\s+)?[a-z]+(?:\s+of\s+[\w-]+)?\s+(?:in|on)\s+$")
# a heading: a paragraph of one short line without a sentence's final stop
_HEADING = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*(?P<h>[^\n]{1,100}?)[ \t]*(?=\n[ \t]*\n|\Z)")


def sections(text: str) -> list[tuple[int, int, bool]]:
    """Headings in `text`: (start, end, restarts), `restarts` for those after which the
    story starts again ("Background", "Chapter IV")."""
    restart = tuple(lexicon()["restart_headings"])
    out = []
    for m in _HEADING.finditer(text):
        h = m.group("h")
        first = re.match(r"[A-Za-z]+", h)
        word = first.group().lower() if first else ""
        if h[-1] in ".!?,;:" and word not in ("chapter", "book", "part"):
            continue
        if not h[:1].isupper() and not h[:1].isdigit():
            continue
        out.append((m.start("h"), m.end("h"), word in restart))
    return out


@cache
def _clause_end_rx() -> re.Pattern[str]:
    """Where a clause ends: a full stop that does not close an initial or an abbreviation
    ("Daniel P. Davison", "Mr. Schwarz", "Feb. 1"), a semicolon, a comma, a line end, a
    quote."""
    abbrevs = lexicon()["clause_abbreviations"]
    behinds = "".join(
        f"(?<!\\b(?:{'|'.join(w for w in abbrevs if len(w) == n)}))"
        for n in sorted({len(w) for w in abbrevs})
    )
    return re.compile(rf"(?<![A-Z])(?<!\b[A-Z][a-z]){behinds}\.\s|[;,]\s|\n|``|''")


# How many lines at the end of a text are read for its dateline.
DATELINE_LINES = 4


@cache
def _dateline_rx() -> re.Pattern[str]:
    """A line that is only a date to the day, maybe after a place ("Coyoacan, D.F. July 18,
    1938", "Paris, 3 May 1937", "June 2, 1940.")."""
    months = alternation(lexicon()["months"])
    return re.compile(
        rf"^\s*(?:[A-Z][^\d\n:]{{0,40}}?,?\s+)?(?:(?P<m>{months})\.?\s+(?P<d>\d{{1,2}}),?"
        rf"\s+(?P<y>\d{{4}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{months})\.?,?\s+(?P<y2>\d{{4}}))"
        r"\.?\s*$",
        re.I,
    )


def dateline(text: str) -> Ref | None:
    """The date a letter or statement signs itself with, on a line of its own at its foot
    ("Coyoacan, D.F. July 18, 1938"): its "yesterday" counts from it. (A date line at the
    head is more often the issue of a periodical than the day the piece was written; the
    narrative time starts from it anyway.)"""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for line in lines[len(lines) // 2 :][-DATELINE_LINES:][::-1]:
        m = _dateline_rx().match(line)
        if not m:
            continue
        month = lexicon()["months"].get((m["m"] or m["m2"]).lower().rstrip("."))
        try:
            day = Day(int(m["y"] or m["y2"]), int(month), int(m["d"] or m["d2"]))
        except (TypeError, ValueError):
            continue
        return Ref(Point(day, "day"), f"the text's dateline '{line.strip()}'")
    return None


def narrates_other_time(text: str, doc_year: int) -> bool:
    """Does a dated text tell of another time: do most of the years it states lie well away
    from its date? (News states mostly its own year or the last; a war history, its war's.)"""
    years = [int(y) for y in _YEARS.findall(text)]
    years += [0] * len(_ERA_YEARS.findall(text))
    if len(years) < NARRATIVE_MIN_YEARS:
        return False
    # news about the past still speaks from its date: "said Friday", "last week"
    speech = len(_speech_time_rx().findall(text))
    if len(years) >= NARRATIVE_MANY_YEARS and speech * 10 <= len(years):
        return True
    near = sum(doc_year - 3 <= y <= doc_year + 1 for y in years)
    if near >= NARRATIVE_NEAR_SHARE * len(years):
        return False
    return speech * 5 <= len(years)


class TimeContext:
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
        else:
            self.doc = dateline(text)
        self.narr: Ref | None = Ref(self.doc.point, self.doc.why) if self.doc else None
        # the era the text last wrote a year in, and that year as written
        self.era: tuple[str, int] | None = None
        self.headings = sections(text)
        # the last date anchored: where it ends, and its value
        self.last: tuple[int, Value] | None = None
        # the year a reign began, as the text last said ("ascended the throne in 180"), and
        # where it said so
        self.reign: tuple[int, str] | None = None
        # the last quarter or half-year the text reported on (over by its date): what "a
        # year ago" compares with in a business report
        self.reported: Ref | None = None
        # where the story was before a glimpse years ahead ("In November 2008, ..." told
        # among the events of April 2003), while the text has not gone on from the glimpse
        self.glimpse_from: Ref | None = None
        # the last day the story was at: "the next morning" after "released in 1952" counts
        # from it, not from the year
        self.last_day: Ref | None = None
        # the story's time kept while a footnote is read
        self._story: tuple[Ref | None, tuple[int, Value] | None] = (None, None)
        if self.doc and narrates_other_time(text, self.doc.point.year):
            # a history with a modern date on it (an encyclopedia article, a reissued book):
            # its own dates, not the date it was written, anchor what it tells
            self.doc = None

    def deictic(self) -> Ref | None:
        return self.doc or self.narr

    def anaphoric(self) -> Ref | None:
        return self.narr or self.doc

    def future(self, start: int) -> bool:
        """Does the clause before `start` speak of the future ("will", "next", ...), or the
        word right before it make a deadline ("until Tuesday", "by February"; not "they had
        filed by Wednesday")?"""
        if self.deadline(start):
            # "Until Thursday, they had not called": the clause after it may look back too
            after = self.text[start : start + CLAUSE_REACH]
            return not (self.looks_back(start) or _looking_back_rx().search(after))
        return bool(_future_rx().search(self.clause_before(start)))

    def deadline(self, start: int) -> bool:
        """Is the expression at `start` a deadline ("until Tuesday", "by February")?"""
        return bool(_deadline_rx().search(self.text, max(0, start - 30), start))

    def looks_back(self, start: int) -> bool:
        """Does the clause before `start` look back ("had", "earlier")?"""
        return bool(_looking_back_rx().search(self.clause_before(start)))

    def clause_before(self, start: int) -> str:
        """The words of the clause before `start` (up to CLAUSE_REACH characters)."""
        lo = max(0, start - CLAUSE_REACH)
        before = self.text[lo:start]
        cut = -1
        for m in _clause_end_rx().finditer(before):
            cut = m.end()
        return before[cut:] if cut >= 0 else before

    def background(
        self, kind: str, meaning: dict[str, Any], start: int, end: int, p: Point | None = None
    ) -> bool:
        """Is a date stated here outside the story's course, so that the narrative time stays
        where it is? Looking back ("the previous year", "two decades earlier"), the end of an
        interval ("lasted until February 1945", "since 513 BC"), a date naming a thing ("the 1614 rules", "the
        August 1792 uprising"), one in brackets mid-sentence ("the Civil Constitution of the
        Clergy (1790)"), a plan ("a campaign planned for 1976")."""
        if self.doc:
            return False  # a dated text speaks from its date (see year_for)
        if kind == "rel" and (meaning.get("n") or 0) < 0:
            return True
        if p is not None and self.narr and p.day < self.narr.point.day and self.looks_back(start):
            # a flashback: "forces that had invaded Burma in late 1943", told in May 1944
            return True
        if (meaning.get("shift") or "").lower() in ("last", "the previous", "past", "next"):
            # "the previous April"; "next summer" in a narrative is a speaker's plan ("the
            # withdrawal of 30,000 troops by next summer"), where "the following summer" is
            # the story moving on
            return True
        before = self.text[max(0, start - 40) : start]
        after = self.text[end : end + 30]
        if _END_BEFORE.search(before) or _UNTIL.search(self.clause_before(start)):
            return True
        if (
            _DETERMINER_BEFORE.search(before)
            and _NOUN_AFTER.match(after)
            and self.narr
            and GRAN_ORDER[self.narr.point.gran] < GRAN_ORDER["year"]
        ):
            # "the August 1792 uprising" while the story is in June 1793; but after "in 1781"
            # "the 1777 campaign" may be where the story goes back to
            return True
        line_start = self.text.rfind("\n", 0, start) + 1
        if before.rstrip().endswith("(") and self.text[line_start:start].strip() != "(":
            heading = all(h_start > start or h_end < start for h_start, h_end, _ in self.headings)
            if heading:
                return True
        return bool(_prospective_rx().search(self.clause_before(start)))

    def note_reign(self, p: Point, start: int, end: int) -> None:
        """Remember `p`'s year as a reign's first if its sentence tells of an accession."""
        lo = max(self.text.rfind(". ", 0, start), start - 200, 0)
        hi = self.text.find(". ", end)
        sentence = self.text[lo : hi if 0 <= hi < end + 200 else end + 200]
        if _accession_rx().search(sentence):
            self.reign = (p.year, f"in {values_of(p)[0]} (at {start})")

    def enter_note(self) -> None:
        """A footnote begins: it reads the story's time, and what it tells ("Faustina died in
        the year 175") moves only its own."""
        self._story = (self.narr, self.last)

    def leave_note(self) -> None:
        """Back to the story after a footnote: its time is as the footnote found it."""
        self.narr, self.last = self._story

    def restart(self) -> None:
        """A new section starts the story again: the time told before anchors nothing."""
        self.narr = Ref(self.doc.point, self.doc.why) if self.doc else None
        self.last_day = None

    def move(self, p: Point, text: str, start: int, explicit_year: bool = False) -> None:
        """Move the narrative time to `p`, keeping a finer time within the same year."""
        if (
            self.narr
            and explicit_year
            and p.gran == "year"
            and self.narr.point.year == p.year
            and GRAN_ORDER[self.narr.point.gran] < GRAN_ORDER["year"]
        ):
            return
        if self.doc and GRAN_ORDER[p.gran] >= GRAN_ORDER["year"]:
            return  # in a dated text (news, a letter) a bare year is background
        iso = values_of(p)[0]
        ref = Ref(p, f"narrative time {iso} from '{text}' at {start}", start)
        if p.gran in _REPORTED:
            if self.doc and add_months(p.day, _REPORTED[p.gran]) > self.doc.point.day:
                # a quarter not over by the text's date is a forecast ("a fourth-quarter
                # charge" in a report dated in November): "a year ago" still compares with
                # the one reported
                return
            if self.reported is None or self.reported.point.day <= p.day:
                # the latest one: "after a flat second quarter" in a report on the third
                # tells of an earlier one, and the report is still on the third
                self.reported = ref
        self.glimpse_from = self._glimpse(p)
        self.narr = ref
        if p.gran == "day":
            self.last_day = ref

    def _glimpse(self, p: Point) -> Ref | None:
        """Where the story was, if moving to `p` is a glimpse years ahead of a story told
        day by day or month by month (else None: the story goes on from `p`)."""
        old = self.narr
        if (
            old is not None
            and GRAN_ORDER[old.point.gran] <= GRAN_ORDER["month"]
            and p.day.days_since(old.point.day) > GLIMPSE_DAYS
        ):
            return old
        return None

    def note_era(self, meaning: dict[str, Any]) -> None:
        """Remember the era a year was written in ("500 BC"), for the years that follow."""
        if meaning.get("era") and meaning.get("written") is not None:
            self.era = (meaning["era"], meaning["written"])

    def written_year(self, meaning: dict[str, Any]) -> int | None:
        """The astronomical year of a date meaning whose year is written, its era from the
        narrative where the text leaves it out; None where the number is no year after all:
        a number of three digits far from the story's time ("about 700 students" in a 1998
        text), a weak "of 300" not near it."""
        y: int = meaning["y"]
        written = meaning.get("written")
        if written is not None and not meaning.get("era") and self.era:
            era, last = self.era
            if era in ERA_REACH and abs(written - last) <= ERA_REACH[era]:
                y = astronomical(written, era)
        if meaning.get("bare"):
            ref = self.anaphoric()
            reach = SHORT_YEAR_REACH
            if meaning.get("weak") or meaning.get("loose"):
                reach = WEAK_YEAR_REACH
            if ref is None and meaning.get("weak"):
                return None
            if ref is not None and abs(ref.point.year - y) > reach:
                return None
        return y

    def year_for(
        self, meaning: dict[str, Any], start: int, month: int | None
    ) -> tuple[int | None, str | None]:
        """The year of a date stated without one, and what it was taken from; none where the
        story is only known to a decade or century ("the winter" after "the first century")."""
        ref = self.anaphoric()
        if ref is None or GRAN_ORDER[ref.point.gran] > GRAN_ORDER["year"]:
            return None, None
        if self.doc:
            # a dated text (news, a letter) that is not a narrative of another time (see
            # narrates_other_time) speaks from its date: "on February 10" after "in July 1997"
            # is this February in news, as TimeBank reads it
            ref = self.doc
        shift_word = (meaning.get("shift") or "").lower()
        if shift_word:
            base = self.doc or ref if shift_word in ("last", "next", "this") else ref
            return _shifted_year(base, shift_word, month), base.why
        if ref is self.doc:
            return self._speech_year(ref, meaning, start, month), ref.why
        y = self._narrative_year(ref, meaning, start, month)
        glimpse = self.glimpse_from
        if glimpse is not None and month is not None and (y, month) < _year_month(ref):
            # back from a glimpse far ahead ("On April 9 Baghdad fell ... In November 2008,
            # protesters staged a similar scene. ... on April 15 ..."): a month that would
            # go back from the glimpse goes on from where the story was before it
            y0 = self._narrative_year(glimpse, meaning, start, month)
            if 0 <= _months_between(_year_month(glimpse), (y0, month)) <= NARRATIVE_AHEAD:
                return y0, glimpse.why
        return y, ref.why

    def _narrative_year(
        self, ref: Ref, meaning: dict[str, Any], start: int, month: int | None
    ) -> int:
        """The year of a month told after the narrative time `ref`: its year, or the next
        one as the story moves on ("in December ... on 11 January" is the next January),
        unless the clause looks back ("had", "earlier"; but "had been repulsed by January"
        still reaches January)."""
        y = ref.point.year
        if (
            month is not None
            and not meaning.get("quarter")
            and ref.point.gran in ("day", "week", "month")
            and month < ref.point.day.month
            and (month - ref.point.day.month) % 12 <= NARRATIVE_AHEAD
            and (self.deadline(start) or not self.looks_back(start))
        ):
            y += 1
        return y

    def _speech_year(self, ref: Ref, meaning: dict[str, Any], start: int, month: int | None) -> int:
        """The year of a month named in a dated text (a news text's date): a month after it is
        last year's unless the clause speaks of the future, and one before it next year's if
        it does."""
        y = ref.point.year
        r = ref.point.day
        if month is None or ref.point.gran not in ("day", "week", "month"):
            return y
        fut = self.future(start)
        if meaning.get("quarter"):
            # a quarter is this year's unless the clause speaks of the future and this
            # year's ended over a quarter ago ("expects in the first quarter")
            forward = fut and month + 2 < r.month - 3
        else:
            # the next such month if the clause speaks of the future or it is only a month
            # or two ahead ("payable Jan. 2" in November); else the last one
            ahead = (month - r.month) % 12
            forward = bool(ahead) and (fut or ahead <= NEAR_AHEAD)
        if forward and month < r.month:
            y += 1
        elif not forward and month > r.month:
            y -= 1
        return y


def _year_month(ref: Ref) -> tuple[int, int]:
    return ref.point.year, ref.point.day.month


def _months_between(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + b[1] - a[1]


def _shifted_year(base: Ref, shift_word: str, month: int | None) -> int:
    """The year of "last May", "the following March" counted from `base`."""
    y = base.point.year
    m0 = base.point.day.month
    if month is not None:
        if shift_word in ("last", "the previous") and month >= m0:
            y -= 1
        elif shift_word in ("next", "the following") and month <= m0:
            y += 1
    return y
