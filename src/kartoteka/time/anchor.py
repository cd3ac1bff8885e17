"""Anchoring: walk the expressions of a text in reading order, giving each its value against
the text's own time (`narrative.TimeContext`), and moving the narrative time on."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from kartoteka.nlp.citations import find_citations, find_notes, inside
from kartoteka.time.anchor_dates import (
    anchor_century,
    anchor_date,
    anchor_decade,
    anchor_range,
    anchor_regnal,
    anchor_turn,
)
from kartoteka.time.anchor_relative import (
    anchor_duration,
    anchor_ref,
    anchor_rel,
    anchor_set,
    anchor_time,
    anchor_weekday,
)
from kartoteka.time.dates import Meaning
from kartoteka.time.era import astronomical
from kartoteka.time.grammar import Found, find
from kartoteka.time.lexicon import lexicon
from kartoteka.time.narrative import TimeContext
from kartoteka.time.points import Value, approx_edtf, uncertain_edtf

_KINDS: dict[str, Callable[[TimeContext, Meaning, str, int], Value | None]] = {
    "date": anchor_date,
    "range": anchor_range,
    "decade": anchor_decade,
    "century": anchor_century,
    "turn": anchor_turn,
    "regnal": anchor_regnal,
    "rel": anchor_rel,
    "weekday": anchor_weekday,
    "time": anchor_time,
    "ref": anchor_ref,
    "duration": anchor_duration,
    "set": anchor_set,
}
# Kinds that are not points in the story and so never move its time.
_TIMELESS = ("ref", "duration", "set")
_RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—)\s*$", re.I)
# "on the sixth of March, probably of the year 223": a day and, after it, its year
_YEAR_AFTER = re.compile(r"^\s*,?\s*(?:(?P<u>\w+)\s+)?(?:of|in)\s*$", re.I)


class Anchored(NamedTuple):
    start: int
    end: int
    meaning: Meaning
    value: Value


def _event_offset(ctx: TimeContext, meaning: Meaning, text: str, start: int) -> Value | None:
    """ "two days after the invasion": a duration from an event, whose date we do not know;
    but right after a date ("On 27 June 1950, two days after the invasion") it says that
    date again, and is that date (TimeML still marks the duration)."""
    duration = anchor_duration(ctx, meaning["duration"], text, start)
    last = ctx.last
    if not (last and re.fullmatch(r"\s*,\s*", ctx.text[last[0] : start])):
        # the story's time is not reliably the event's: "eight days after Fort Sumter" may
        # follow a date a day after it. TIMEX2 gives the date all the same, counted from the
        # story's time ("five days after the fall of Girona", told just after it fell)
        if duration is not None:
            counted = {k: v for k, v in meaning.items() if k not in ("event", "duration")}
            duration.timex2 = anchor_rel(ctx, counted, text, start)
        return duration
    v = Value(last[1].type, last[1].edtf, last[1].timex3, None, last[1].point)
    v.anchor = f"the date stated just before it (at {last[0]})"
    v.timeml = duration
    return v


def anchor(ctx: TimeContext, meaning: Meaning, text: str, start: int) -> Value | None:
    """The value of one expression (`text` at `start`), moving the narrative time on."""
    kind = meaning["kind"]
    if meaning.get("event"):
        v = _event_offset(ctx, meaning, text, start)
    else:
        v = _KINDS[kind](ctx, meaning, text, start)
    if v is None:
        return None
    if v.type == "DURATION":
        return v
    if meaning.get("approx") and v.edtf and kind not in ("duration", "set"):
        # EDTF qualifies dates, not times of day or seasons: "around 7:15 p.m." keeps its
        # time, and the mod says it is approximate
        season = v.point is not None and v.point.gran == "season"
        v.edtf = v.edtf if kind == "time" or season else approx_edtf(v.edtf)
        v.mod = v.mod or "APPROX"
    if meaning.get("uncertain") and v.edtf:
        # a hedge inside the expression ("the sixth of March, probably of the year 223"); one
        # before it ("probably on 7 November") hedges the statement, which the event layer
        # records, not the date
        v.edtf = uncertain_edtf(v.edtf)
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
    keeps = (
        meaning.get("keep_gran")
        or v.keep_gran
        or (kind == "rel" and meaning.get("n") == 0 and meaning.get("anchor") == "anaphoric")
    )
    end = start + len(text)
    if (
        v.point is not None
        and kind not in _TIMELESS
        and not keeps
        and not ctx.background(kind, meaning, start, end, v.point)
    ):
        ctx.move(v.point, text, start, meaning.get("explicit_year", False))
    ctx.note_era(meaning.get("b", meaning))
    if v.point is not None and v.edtf:
        ctx.last = (end, v)
        ctx.note_reign(v.point, start, end)
    return v


def _share_years(text: str, found: list[Found]) -> None:
    """A range's first half takes the year or era stated only in its second ("from May to
    July 1937", "from 264 to 241 BC"); a day takes the year said right after it ("the sixth
    of March, probably of the year 223")."""
    for f1, f2 in zip(found, found[1:], strict=False):
        a, b = f1.meaning, f2.meaning
        after = _YEAR_AFTER.match(text[f1.end : f2.start])
        if (
            after
            and a.get("kind") == "date"
            and a.get("m")
            and a.get("y") is None
            and b.get("kind") == "date"
            and b.get("y") is not None
            and not b.get("m")
            and (not after["u"] or after["u"].lower() in lexicon()["uncertain_words"])
        ):
            a.update({k: b[k] for k in ("y", "written", "era") if k in b})
            a["uncertain"] = bool(after["u"])
            continue
        if not (
            a.get("kind") == "date"
            and b.get("kind") == "date"
            and b.get("y") is not None
            and _RANGE_JOIN.match(text[f1.end : f2.start])
        ):
            continue
        if a.get("y") is None and (a.get("m") or a.get("season")):
            a["y"] = b["y"]
            for key in ("written", "era"):
                if key in b:
                    a[key] = b[key]
        elif a.get("written") and not a.get("era") and b.get("era") == "BC":
            if a["written"] > b["written"]:  # BC years count down
                a.update(era="BC", y=astronomical(a["written"], "BC"))


# "at midnight on 12 June 1937", "about noon, 3 May", "at 5:34 AM Baghdad time on March 20":
# a time and, after it, its day
_DAY_AFTER_TIME = re.compile(
    r"^\s*,?\s*(?:(?:[A-Z][\w.]*\s+){1,2}time\s*,?\s*)?(?:on\s+(?:the\s+)?)?$"
)


def _times_take_their_day(text: str, found: list[Found]) -> None:
    """A clock time said before its day ("at midnight on 12 June 1937") is on that day."""
    for f1, f2 in zip(found, found[1:], strict=False):
        a, b = f1.meaning, f2.meaning
        if (
            a.get("kind") == "time"
            and not (a.get("m") or a.get("wd") or a.get("rw"))
            and b.get("kind") == "date"
            and b.get("m")
            and isinstance(b.get("d"), int)
            and not b.get("bare")
            and _DAY_AFTER_TIME.match(text[f1.end : f2.start])
        ):
            a.update(m=b["m"], d=b["d"])
            if b.get("y") is not None:
                a["y"] = b["y"]


def anchor_all(text: str, as_of: str | None) -> list[Anchored]:
    """Every expression of `text` with its value, in reading order."""
    citations = find_citations(text)
    # a source cited is not the story's time ("Hist. August. p. 46", "Leipsig, 1773")
    found = [f for f in find(text) if not inside(citations, f.start, f.end)]
    _share_years(text, found)
    _times_take_their_day(text, found)
    ctx = TimeContext(text, as_of)
    restarts = [h_start for h_start, _, restarts in ctx.headings if restarts]
    notes = find_notes(text)
    note_end = -1  # where the footnote being read ends (-1: none)
    out = []
    for f in found:
        if note_end >= 0 and f.start >= note_end:
            ctx.leave_note()
            note_end = -1
        while notes and notes[0][1] <= f.start:
            notes.pop(0)
        if note_end < 0 and notes and notes[0][0] <= f.start:
            ctx.enter_note()
            note_end = notes.pop(0)[1]
        while restarts and restarts[0] <= f.start:
            ctx.restart()
            restarts.pop(0)
        try:
            v = anchor(ctx, f.meaning, text[f.start : f.end], f.start)
        except (ValueError, OverflowError):
            # beyond what calendar arithmetic can hold ("1800 years before" an early date):
            # one expression we cannot place must not cost the rest of a book
            continue
        if v is not None:
            out.append(Anchored(f.start, f.end, f.meaning, v))
    return out
