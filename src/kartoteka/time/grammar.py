"""Detection: regex rules that find time expressions and say what they mean, unresolved.

Each rule is a regex (written with the named fragments of `lexicon.fragments`) and a function
from its match to a *meaning*: a plain dict such as
``{"kind": "date", "y": 1937, "m": 9, "d": 4}`` (a calendar date, maybe partial),
``{"kind": "rel", "unit": "D", "n": 1, "anchor": "anaphoric"}`` ("the next day") or
``{"kind": "duration", "n": 2, "unit": "M"}``. `anchor.resolve` turns meanings into values.
A function returns None to reject a match the regex alone cannot rule out ("May I ...").

All rules run over the whole text (each a C-level `finditer`); overlapping candidates are
settled longest-first in `find`.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from kartoteka.time.lexicon import alternation, fragments, lexicon, number_value

PART_MOD = {
    "early": "START",
    "beginning": "START",
    "start": "START",
    "first": "START",
    "mid": "MID",
    "middle": "MID",
    "late": "END",
    "end": "END",
    "close": "END",
    "latter": "END",
    "last": "END",
    "second": "END",
}


def _part(text: str | None) -> str | None:
    if not text:
        return None
    words = re.findall(r"[a-z]+", text.lower())
    for w in words:
        if w in PART_MOD and w != "the":
            return PART_MOD[w]
    return None


def _month(text: str) -> int | None:
    return lexicon()["months"].get(text.lower().rstrip("."))


def _day(text: str) -> int | None:
    t = text.lower()
    if t in lexicon()["ordinals"]:
        return lexicon()["ordinals"][t]
    m = re.match(r"\d+", t)
    return int(m.group()) if m else None


def _capitalized_month(text: str) -> bool:
    # "may", "march" in lower case are verbs; month names are capitalized in English
    return text[:1].isupper()


def _approx(m: re.Match) -> bool:
    return bool(m.groupdict().get("approx"))


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def _date(match, **kw):
    d = {"kind": "date", "approx": _approx(match)}
    d.update({k: v for k, v in kw.items() if v is not None})
    return d


# ---- the rules' meanings -------------------------------------------------------------------


def m_iso(m):
    return _date(m, y=int(m["y"]), m=int(m["mo"]), d=int(m["d"]))


def m_numeric(m):
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        return None
    sep = m["sep"]
    # dots are European (day first); slashes American unless the first number cannot be a month
    day, month = (a, b) if sep == "." or a > 12 else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _date(m, y=y, m=month, d=day)


def m_day_month_year(m):
    if m["mon"] and not _capitalized_month(m["mon"]) and m["mon"].lower() in ("may", "march"):
        return None
    d = _date(
        m,
        y=_year(m["y"]),
        m=_month(m["mon"]),
        d=_day(m["d"]),
        wd=_weekday(m["wd"]),
        part=_part(m["part"]),
    )
    if m["podp"]:
        d["pod"] = lexicon()["parts_of_day"][re.sub(r"\s+", " ", m["podp"].lower())]
    return d


def _weekday(text):
    if not text:
        return None
    return lexicon()["weekdays"].get(text.lower().rstrip("."))


def m_month_year(m):
    mon = m["mon"]
    if not _capitalized_month(mon):
        return None
    gd = m.groupdict()
    return _date(
        m,
        y=_year(gd.get("y")),
        m=_month(mon),
        part=_part(m["part"]),
        ry=(gd.get("ry") or "").lower() or None,
    )


def m_month_alone(m):
    mon = m["mon"]
    if not _capitalized_month(mon):
        return None
    if mon.lower().rstrip(".") in lexicon()["months_ambiguous"] and not (
        m["prep"] or m["rel"] or m["part"] or m["approx"]
    ):
        return None
    if mon.lower() not in ("may",) and len(mon.rstrip(".")) <= 3 and not mon.endswith("."):
        return None  # "Jan" alone is a name more often than a month
    d = _date(m, m=_month(mon), part=_part(m["part"]))
    rel = (m["rel"] or "").lower()
    if rel:
        d["shift"] = rel
    return d


_NAME_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")


def m_season(m):
    if m["season"].lower() == "fall" and not (
        m["rel"] or m["y"] or m["part"] or m.group(0).lower().startswith("the")
    ):
        return None  # "fall" alone is a noun or a verb far more often than autumn
    if (
        m["season"][:1].isupper()
        and not (m["y"] or m["rel"])
        and _NAME_NEXT.match(m.string, m.end())
    ):
        return None  # "the Winter War", "the Summer Palace": part of a name
    season = lexicon()["seasons"][m["season"].lower()]
    d = _date(m, y=_year(m["y"]), season=season, part=_part(m["part"]))
    if m["y2"]:  # "the winter of 1936-37" is the winter that starts in 1936
        d["y"] = int(m["y"])
    rel = (m["rel"] or "").lower()
    if rel and not m["y"]:
        d["shift"] = rel
    return d


def m_year(m):
    y = int(m["y"])
    lead = (m["lead"] or "").lower()
    if not lead and not (1500 <= y <= 2099):
        return None
    return _date(m, y=y, part=_part(m["part"]), explicit_year=True)


def m_year_range_short(m):
    # "1936-37", "1936–1937": an interval of years
    y1 = int(m["y1"])
    y2 = m["y2"]
    y2 = int(str(y1)[: 4 - len(y2)] + y2)
    if y2 <= y1:
        return None
    return {"kind": "range", "a": _date(m, y=y1), "b": _date(m, y=y2)}


def m_decade(m):
    if m["dec"]:
        digits = m["dec"]
        dec = int(digits[:3]) if len(digits) == 4 else None
        if dec is None:  # "the '30s": the century comes from the text's time
            return {
                "kind": "decade",
                "short": int(digits[-2:-1]),
                "part": _part(m["part"]),
                "approx": _approx(m),
            }
    else:
        return {
            "kind": "decade",
            "short": lexicon()["decade_words"][m["decw"].lower()],
            "part": _part(m["part"]),
            "approx": _approx(m),
        }
    return {"kind": "decade", "decade": dec, "part": _part(m["part"]), "approx": _approx(m)}


def m_century(m):
    n = _day(m["n"]) if m["n"] else None
    if not n:
        return None
    return {
        "kind": "century",
        "century": n - 1,
        "part": _part(m["part"]),
        "approx": _approx(m),
        "bc": bool(m["bc"]),
    }


def m_turn(m):
    what = m["what"].lower()
    if m["y"]:
        return {"kind": "turn", "unit": "Y", "y": int(m["y"])}
    return {"kind": "turn", "unit": {"year": "Y", "century": "CE", "decade": "DE"}[what]}


def m_deictic_word(m):
    w = re.sub(r"\s+", " ", m["w"].lower())
    table = {
        "today": 0,
        "tonight": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }
    d = {"kind": "rel", "unit": "D", "n": table[w], "anchor": "deictic"}
    if w == "tonight":
        d["pod"] = "NI"
    if m["pod"]:
        d["pod"] = lexicon()["parts_of_day"][re.sub(r"\s+", " ", m["pod"].lower())]
    return d


_REL_WORD = {
    "this": (0, "deictic"),
    "next": (1, "deictic"),
    "last": (-1, "deictic"),
    "past": (-1, "deictic"),
    "coming": (1, "deictic"),
    "previous": (-1, "anaphoric"),
    "following": (1, "anaphoric"),
    "same": (0, "anaphoric"),
    "that": (0, "anaphoric"),
    "preceding": (-1, "anaphoric"),
    "prior": (-1, "anaphoric"),
    "current": (0, "deictic"),
    "present": (0, "deictic"),
    "subsequent": (1, "anaphoric"),
    "succeeding": (1, "anaphoric"),
    "ensuing": (1, "anaphoric"),
    "previous_deictic": (-1, "deictic"),
}


def _rel_word(text: str, has_the: bool):
    w = text.lower().split()[-1]
    n, anchor = _REL_WORD[w]
    # "the next day" is anaphoric (the day after the last one told); "next week" is deictic
    if has_the and w in ("next", "last", "past"):
        anchor = "anaphoric"
    return n, anchor


def m_rel_unit(m):
    n, anchor = _rel_word(m["rel"], bool(m["the"]))
    unit = lexicon()["units"][m["unit"].lower()]
    if unit in ("S", "MIN", "H"):
        return None
    if m["the"] and m["rel"].lower() in ("last", "past") and unit != "D":
        # "the past year", "the last decade": TimeBank gives the period before the text's time
        # (1997 in a 1998 text), as for "last year"
        anchor = "deictic"
    d = {
        "kind": "rel",
        "unit": unit,
        "n": n,
        "anchor": anchor,
        "part": _part(m["part"]),
        "current": m["rel"].lower() in ("current", "present"),
    }
    if m["pod"]:
        d["pod"] = lexicon()["parts_of_day"][m["pod"].lower()]
    return d


def m_rel_weekday(m):
    n, anchor = _rel_word(m["rel"], bool(m["the"]))
    d = {"kind": "weekday", "wd": _weekday(m["wd"]), "n": n, "anchor": anchor}
    if m["pod"]:
        d["pod"] = lexicon()["parts_of_day"][m["pod"].lower()]
    return d


def m_rel_pod(m):
    n, anchor = _rel_word(m["rel"], bool(m["the"]))
    return {
        "kind": "rel",
        "unit": "D",
        "n": n,
        "anchor": anchor,
        "pod": lexicon()["parts_of_day"][m["pod"].lower()],
    }


def m_weekday(m):
    wd = m["wd"]
    if not wd[:1].isupper():
        return None
    d = {
        "kind": "weekday",
        "wd": _weekday(wd),
        "n": None,
        "anchor": "deictic",
        "part": _part(m["part"]),
    }
    if m["pod"]:
        d["pod"] = lexicon()["parts_of_day"][re.sub(r"\s+", " ", m["pod"].lower())]
    return d


def _n(text):
    if text is None:
        return None
    return number_value(text)


def m_offset(m):
    unit = lexicon()["units"][m["unit"].lower()]
    n = _n(m["n"])
    direction = m["dir"].lower()
    sign = (
        1
        if direction in ("later", "after", "afterwards", "afterward", "hence", "on", "from now")
        else -1
    )
    anchor = "deictic" if direction in ("ago", "hence", "from now") else "anaphoric"
    return {
        "kind": "rel",
        "unit": unit,
        "n": None if n is None else sign * n,
        "anchor": anchor,
        "approx": _approx(m),
        "vague": n is None,
        "offset": True,
    }


def m_day_after(m):
    w = m["dir"].lower()
    return {"kind": "rel", "unit": "D", "n": 1 if w == "after" else -1, "anchor": "anaphoric"}


def m_duration(m):
    unit = lexicon()["units"][m["unit"].lower()]
    n = _n(m["n"]) if m["n"] else None
    if m["n"] and n is None and not re.match(lexicon_vague(), m["n"].lower()):
        return None
    mod = None
    q = (m["q"] or "").lower()
    if q == "over" and re.match(r"over\s+the\s", m.group(0)[m.start("q") - m.start() :], re.I):
        q = ""  # "over the past four months": a preposition, not "more than"
    if q.startswith(("more than", "over", "at least")):
        mod = "MORE_THAN" if not q.startswith("at least") else "EQUAL_OR_MORE"
    elif q.startswith(("less than", "fewer than", "under", "up to", "no more than", "within")):
        mod = "LESS_THAN" if not q.startswith(("up to", "no more than")) else "EQUAL_OR_LESS"
    elif q.startswith(
        ("about", "around", "approximately", "roughly", "nearly", "almost", "some ")
    ) or _approx(m):
        mod = "APPROX"
    if (
        n is not None
        and n == 1
        and m["unit"].lower().endswith("s")
        and not m["unit"].lower().endswith("hours")
    ):
        pass
    return {"kind": "duration", "n": n, "unit": unit, "mod": mod}


@cache
def lexicon_vague():
    return r"(?:" + "|".join(re.escape(v) for v in lexicon()["vague_numbers"]) + r")"


def m_bare_plural(m):
    return {
        "kind": "duration",
        "n": None,
        "unit": lexicon()["units"][m["unit"].lower()],
        "mod": None,
    }


def m_set(m):
    if m["w"]:
        return {"kind": "set", "value": lexicon()["set_words"][m["w"].lower()]}
    unit = lexicon()["units"][m["unit"].lower()]
    n = _n(m["n"]) if m["n"] else 1
    return {"kind": "set", "n": n or 1, "unit": unit}


def m_ref(m):
    w = re.sub(r"\s+", " ", m["w"].lower())
    for key, ref in (
        ("present_ref", "PRESENT_REF"),
        ("past_ref", "PAST_REF"),
        ("future_ref", "FUTURE_REF"),
    ):
        if w in lexicon()[key]:
            return {"kind": "ref", "ref": ref}
    return None


def m_time(m):
    hh = m["hh"] or m["hh2"]
    hh = int(hh) if hh else None
    mi = int(m["mi"]) if m["mi"] else 0
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    word = (m["word"] or "").lower()
    if word == "noon" or word == "midday":
        hh, mi = 12, 0
    elif word == "midnight":
        hh, mi = 24, 0
    if hh is None or hh > 24 or mi > 59:
        return None
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    pod = m["podw"]
    if pod and not ampm:
        p = lexicon()["parts_of_day"].get(pod.lower(), "")
        if p in ("AF", "EV", "NI") and hh < 12 and not (p == "NI" and hh < 5):
            hh += 12
    d = {"kind": "time", "hh": hh, "mi": mi, "approx": _approx(m)}
    if m["wd"]:
        d["wd"] = _weekday(m["wd"])
    if m["mon"]:
        d["m"] = _month(m["mon"])
        d["d"] = _day(m["d"])
    if m["rw"]:
        d["rw"] = m["rw"].lower()
    return d


def m_quarter(m):
    q = m["q"].lower()
    qn = {
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
        "final": 4,
        "last": 4,
    }.get(q)
    if qn is None:
        return None
    return {"kind": "date", "quarter": qn, "y": _year(m["y"]), "approx": False}


def m_half(m):
    h = 1 if m["h"].lower() in ("first", "1st") else 2
    return {"kind": "date", "half": h, "y": _year(m["y"]), "approx": False}


def m_fiscal(m):
    return {"kind": "date", "y": int(m["y"]), "approx": False, "explicit_year": True}


def m_spelled_year(m):
    words = {
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
    }
    c = m["c"].lower()
    if c.startswith("two"):
        if not m.group(0).lower().startswith("the year") and not m["o2"]:
            return None
        return {
            "kind": "date",
            "y": 2000 + (words[m["o2"].lower()] if m["o2"] else 0),
            "approx": False,
            "explicit_year": True,
        }
    if not m["t"]:
        return None
    y = (
        (1900 if c == "nineteen" else 1800)
        + words[m["t"].lower()]
        + (words[m["o"].lower()] if m["o"] else 0)
    )
    return {"kind": "date", "y": y, "approx": False, "explicit_year": True}


def m_the_unit(m):
    """ "the year", "the latest quarter", "the week": the one the text is speaking of."""
    unit = m["unit"].lower()
    if unit == "period":
        if not m["adj"] or m["adj"].lower() not in ("latest", "comparable", "same", "recent"):
            return None
        return {"kind": "rel", "unit": "CUR", "n": 0, "anchor": "anaphoric"}
    code = {"year": "Y", "quarter": "Q", "week": "W", "weekend": "WE", "month": "M"}[unit]
    return {
        "kind": "rel",
        "unit": code,
        "n": 0,
        "anchor": "anaphoric",
        "part": _part(m["part"]),
        "current": (m["adj"] or "").lower() == "current",
    }


def m_period_ended(m):
    """ "the year ended March 31" is a year's length in TimeML; "the quarter ended Sept. 30"
    the quarter that date closes."""
    if m["unit"].lower() == "year":
        return {"kind": "duration", "n": 1, "unit": "Y", "mod": None}
    mon = _month(m["mon"])
    return {"kind": "date", "quarter": (mon - 1) // 3 + 1, "y": _year(m["y"]), "approx": False}


def m_year_ago(m):
    return {"kind": "rel", "unit": "Y", "n": -1, "anchor": "anaphoric", "keep_gran": True}


def m_holiday(m):
    code = lexicon()["holidays"][re.sub(r"['’]", "'", re.sub(r"\s+", " ", m["h"].lower()))]
    if not m["h"][:1].isupper():
        return None
    return {"kind": "date", "holiday": code, "y": _year(m["y"]), "approx": _approx(m)}


def m_day_range(m):
    # "10-12 February 1937", "February 10-12, 1937"
    mon, y = _month(m["mon"]), _year(m["y"])
    a, b = _day(m["d1"]), _day(m["d2"])
    if not a or not b or b <= a:
        return None
    return {
        "kind": "range",
        "a": _date(m, y=y, m=mon, d=a),
        "b": _date(m, y=y, m=mon, d=b),
        "split": (m.start("d1"), m.end("d1")),
    }


def _rules():
    f = fragments()
    APPROX = rf"(?:(?P<approx>{f['APPROX']})\s+)?"
    PARTQ = rf"(?:(?P<part>{f['PART']})[\s-]*)?"
    WDQ = rf"(?:(?P<wd>{f['WEEKDAY']}),?\s+)?"
    PODQ = (
        r"(?:(?:the\s+)?(?P<podp>early\s+hours|small\s+hours|wee\s+hours|morning|"
        r"afternoon|evening|night)\s+of\s+)?"
    )
    MON = rf"(?P<mon>{f['MONTH']})"
    Y = rf"(?P<y>{f['YEAR']})"
    REL = (
        r"(?P<rel>this|next|last|past|coming|previous|following|same|that|preceding|prior|"
        r"subsequent|succeeding|ensuing|current)"
    )
    THE = r"(?:(?P<the>the)\s+)?"
    NUMQ = rf"(?P<n>{f['NUM']}|{f['VAGUE']})"
    Q = (
        r"(?:(?P<q>more\s+than|less\s+than|fewer\s+than|at\s+least|over|under|up\s+to|"
        r"no\s+more\s+than|within|about|around|approximately|roughly|nearly|almost|some)\s+)?"
    )
    EL = r"(?:(?:earlier|later)\s+)?"  # "[earlier this year]": TimeML takes it in the span
    ERA = r"(?:\s*(?:A\.?D\.?|B\.?C\.?E?\.?|C\.?E\.?))?"
    rules = [
        ("iso", r"\b(?P<y>[12]\d{3})-(?P<mo>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b", m_iso),
        (
            "numeric",
            r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)"
            r"(?P<y>\d{4}|\d{2})(?![\d./])",
            m_numeric,
        ),
        (
            "day_month_year",
            rf"\b{APPROX}{PODQ}{PARTQ}{WDQ}(?:the\s+)?(?P<d>{f['DAY']})\s+(?:of\s+)?"
            rf"{MON}(?:,?\s+{Y})?\b",
            m_day_month_year,
        ),
        (
            "month_day_year",
            rf"\b{APPROX}{PODQ}{PARTQ}{WDQ}{MON}\s+(?:the\s+)?(?P<d>{f['DAY']})"
            rf"(?!\d|:\d)(?:,?\s+{Y})?\b",
            m_day_month_year,
        ),
        (
            "day_range",
            rf"\b(?P<d1>[12]?\d|3[01])(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*"
            rf"(?P<d2>[12]?\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?{MON}"
            rf"(?:,?\s+{Y})?\b",
            m_day_range,
        ),
        ("month_year", rf"\b{APPROX}{PARTQ}{MON}(?:,|\s+of)?\s+{Y}", m_month_year),
        (
            "month_rel_year",
            rf"\b{APPROX}{PARTQ}{MON}\s+(?:of\s+)?(?P<ry>this|last|next)\s+year\b",
            m_month_year,
        ),
        (
            "month_alone",
            rf"\b{APPROX}(?:(?P<prep>in|of|since|until|till|by|during|from|"
            rf"to|through|before|after|each|every)\s+)?(?:(?P<rel>last|next|this|"
            rf"that|the\s+following|the\s+previous)\s+)?{PARTQ}{MON}\b(?!\s*\d)",
            m_month_alone,
        ),
        (
            "season",
            rf"\b{APPROX}(?:(?P<rel>this|next|last|that|the\s+following|"
            rf"the\s+previous|the\s+same|past)\s+)?(?:the\s+)?{PARTQ}(?:the\s+)?"
            rf"(?P<season>{f['SEASON']})(?:\s+(?:of\s+)?(?P<y>1\d{{3}}|20\d\d)"
            rf"(?:\s*[-–/]\s*(?P<y2>\d{{2,4}}))?)?\b(?![-–/]?\d)",
            m_season,
        ),
        (
            "year_range",
            r"(?<![\d.,$£€/-])(?P<y1>1[0-9]{3}|20[0-9]{2})\s*[-–]\s*(?P<y2>\d{2}|"
            r"1\d{3}|20\d{2})\b(?!-)",
            m_year_range_short,
        ),
        (
            "year",
            rf"(?:\b{APPROX}(?:(?P<lead>the\s+year|in\s+the\s+year|the\s+year\s+of)\s+)?"
            rf"{PARTQ})?{Y}{ERA}",
            m_year,
        ),
        (
            "decade",
            rf"\b{APPROX}(?:the\s+)?{PARTQ}(?:(?P<dec>1\d{{2}}0|20\d0|['’]\d0)['’]?s|"
            rf"the\s+(?P<decw>{f['DECWORD']}))\b",
            m_decade,
        ),
        (
            "century",
            rf"\b{APPROX}(?:the\s+)?{PARTQ}(?P<n>{f['ORDWORD']}|\d{{1,2}}(?:st|nd|rd|th))"
            rf"[\s-]+century(?P<bc>\s+B\.?C\.?)?",
            m_century,
        ),
        (
            "turn",
            r"\b(?:the\s+)?turn\s+of\s+(?:the\s+)?(?:(?P<what>year|century|decade)|"
            r"(?P<y>1\d{3}))\b",
            m_turn,
        ),
        ("holiday", rf"\b{APPROX}(?P<h>{f['HOLIDAY']})(?:\s+(?:of\s+)?{Y})?\b", m_holiday),
        (
            "deictic_word",
            rf"\b{EL}(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
            r"today|tonight|yesterday|tomorrow)(?:['’]s)?(?:\s+(?P<pod>"
            r"morning|afternoon|evening|night))?\b",
            m_deictic_word,
        ),
        (
            "rel_weekday",
            rf"\b{THE}{REL}\s+(?P<wd>{f['WEEKDAY']})(?:\s+(?P<pod>morning|afternoon|"
            rf"evening|night))?\b",
            m_rel_weekday,
        ),
        (
            "rel_unit",
            rf"\b{EL}{PARTQ}{THE}{REL}\s+(?P<unit>day|week|weekend|month|year|decade|"
            rf"century|quarter|fortnight)(?:['’]s)?(?:\s+(?P<pod>morning|"
            rf"afternoon|evening|night))?\b",
            m_rel_unit,
        ),
        ("rel_pod", rf"\b{EL}{THE}{REL}\s+(?P<pod>morning|afternoon|evening|night)\b", m_rel_pod),
        (
            "weekday",
            rf"\b{PARTQ}(?P<wd>{f['WEEKDAY']})(?:['’]s)?(?:\s+(?P<pod>morning|afternoon|"
            rf"evening|night))?\b",
            m_weekday,
        ),
        (
            "offset",
            rf"\b{APPROX}{Q}(?P<n>{f['NUM']}|{f['VAGUE']})\s+(?:more\s+)?"
            rf"(?P<unit>{f['UNIT']})\s+(?P<dir>ago|later|earlier|afterwards?|"
            rf"hence|from\s+now|before(?=\s*[,.;:)]|\s+(?:he|she|they|it|we|I)\b)|"
            rf"after(?=\s*[,.;:)]))",
            m_offset,
        ),
        (
            "day_after",
            r"\bthe\s+day\s+(?P<dir>after|before)(?=\s*[,.;:)]|\s+(?:he|she|they|"
            r"it|we|I)\b)",
            m_day_after,
        ),
        (
            "year_ago",
            r"\b(?:(?:the\s+)?(?:comparable\s+)?(?:year-ago|year-earlier|"
            r"previous\s+year's|last\s+year's)(?:\s+(?:period|quarter))?|"
            r"the\s+(?:corresponding|comparable|same)\s+(?:period|quarter)\s+"
            r"(?:a\s+year\s+(?:ago|earlier)|last\s+year))\b",
            m_year_ago,
        ),
        (
            "quarter",
            rf"\b(?:the\s+)?(?:company's\s+|fiscal\s+)?(?P<q>first|second|third|fourth|"
            rf"1st|2nd|3rd|4th|final|last)[\s-]+(?:fiscal\s+)?quarter"
            rf"(?:\s+of\s+(?:fiscal\s+)?{Y})?\b",
            m_quarter,
        ),
        ("half", rf"\b(?:the\s+)?(?P<h>first|second|1st|2nd)\s+half\s+of\s+{Y}\b", m_half),
        ("fiscal", rf"\bfiscal\s+(?:year\s+)?{Y}", m_fiscal),
        (
            "time",
            rf"\b{APPROX}(?:(?P<hh>[012]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b"
            rf"\.?)|(?P<hh2>[012]?\d)\s+o['’]clock|(?P<word>noon|midnight|midday))"
            rf"(?:\s+(?:[A-Z]{{2,4}}T|GMT|UTC)\b)?"
            rf"(?:\s+in\s+the\s+(?P<podw>morning|afternoon|evening))?"
            rf"(?:,?\s+(?:on\s+)?(?:(?P<rw>today|yesterday|tomorrow)|"
            rf"(?P<wd>{f['WEEKDAY']})|{MON}\s+(?P<d>[0-3]?\d)\b))?",
            m_time,
        ),
        (
            "duration",
            rf"\b{APPROX}{Q}(?:the\s+(?:past|last|next|first|previous|following|"
            rf"coming)\s+)?{NUMQ}[\s-]+(?:(?:more|additional|full|long|straight|"
            rf"consecutive|whole)\s+)?(?P<unit>{f['UNIT']})(?:-long)?\b(?![-\s]old\b)",
            m_duration,
        ),
        (
            "bare_plural",
            r"\b(?:(?P<prep>for|over|in|within)|the\s+past|the\s+last|the\s+next|the\s+coming|"
            r"recent|coming|past)\s+(?P<unit>years|months|weeks|days|decades|"
            r"centuries|hours|minutes)\b",
            m_bare_plural,
        ),
        (
            "set",
            rf"\b(?:(?P<w>{alternation(lexicon()['set_words'])})|(?:every|each|per)\s+(?:(?P<n>{f['NUM']})\s+)?(?P<unit>"
            rf"{f['UNIT']}))\b",
            m_set,
        ),
        (
            "ref",
            r"\b(?P<w>now|right\s+now|currently|at\s+present|presently|nowadays|"
            r"these\s+days|the\s+past|recently|lately|current(?=\s+[a-z])|"
            r"recent(?=\s+[a-z]+(?<!days)(?<!weeks)(?<!months)(?<!years)\b)|"
            r"the\s+future|the\s+present)\b",
            m_ref,
        ),
        (
            "spelled_year",
            r"\b(?:the\s+year\s+)?(?P<c>nineteen|eighteen|two\s+thousand)"
            r"(?:[\s-]+(?P<t>ten|eleven|twelve|thirteen|fourteen|fifteen|"
            r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
            r"sixty|seventy|eighty|ninety)(?:[\s-]+(?P<o>one|two|three|four|five|"
            r"six|seven|eight|nine))?|\s+and\s+(?P<o2>one|two|three|four|five|"
            r"six|seven|eight|nine|ten))?\b",
            m_spelled_year,
        ),
        (
            "period_ended",
            rf"\b(?:the\s+)?(?:(?:latest|fiscal|company's)\s+)?(?P<unit>year|quarter)"
            rf"(?=\s+(?:ended|ending)\s+{MON}\.?\s+\d{{1,2}}(?:,\s+{Y})?)",
            m_period_ended,
        ),
        (
            "the_unit",
            rf"\b{PARTQ}(?P<the>the)\s+(?:(?P<adj>full|fiscal|current|latest|"
            rf"same|comparable|recent|whole)\s+)?(?:(?P<fiscal>fiscal)\s+)?"
            rf"(?P<unit>year|quarter|period|week|weekend|month)(?!\s+(?:of|ended|"
            rf"ending|before|after|earlier|ago|later)\b)\b",
            m_the_unit,
        ),
    ]
    return rules


@cache
def compiled():
    out = []
    for prio, (name, pattern, fn) in enumerate(_rules()):
        out.append((name, re.compile(pattern, re.IGNORECASE), fn, prio))
    return out


@cache
def _trigger():
    """One regex for the words every expression contains at least one of (a digit, a month,
    a unit...), each kind in its own group. Rules run only in windows around the kinds they
    need, which keeps a book fast: most of a text holds no time expression, and the rules'
    optional prefixes make them slow to scan everywhere."""
    lx = lexicon()
    misc = (
        list(lx["decade_words"])
        + list(lx["set_words"])
        + list(lx["holidays"])
        + list(lx["parts_of_day"])
        + list(lx["ordinals"])
        + [
            "today",
            "tonight",
            "yesterday",
            "tomorrow",
            "noon",
            "midnight",
            "midday",
            "now",
            "currently",
            "present",
            "presently",
            "nowadays",
            "recently",
            "previously",
            "formerly",
            "lately",
            "past",
            "future",
            "days",
            "nineteen",
            "eighteen",
            "thousand",
            "current",
            "recent",
            "soon",
            "period",
        ]
    )
    groups = {
        "D": r"\d",
        "MON": alternation(lx["months"]),
        "WD": alternation(lx["weekdays"]),
        "SEA": alternation(lx["seasons"]),
        "UNIT": alternation(lx["units"]),
        "MISC": alternation(misc),
    }
    body = "|".join(
        f"(?P<{k}>{v})" if k == "D" else f"\\b(?P<{k}>{v})\\b" for k, v in groups.items()
    )
    return re.compile(body, re.IGNORECASE)


# Which trigger kinds each rule needs one of (see _trigger).
NEEDS = {
    "iso": "D",
    "numeric": "D",
    "day_range": "D",
    "year_range": "D",
    "fiscal": "D",
    "half": "D",
    "year": "D",
    "decade": "D MISC",
    "century": "UNIT",
    "turn": "UNIT D",
    "day_month_year": "MON",
    "month_day_year": "MON",
    "month_year": "MON",
    "month_rel_year": "MON",
    "month_alone": "MON",
    "season": "SEA",
    "holiday": "MISC",
    "deictic_word": "MISC",
    "rel_weekday": "WD",
    "rel_unit": "UNIT",
    "rel_pod": "MISC",
    "weekday": "WD",
    "offset": "UNIT",
    "day_after": "UNIT",
    "year_ago": "UNIT",
    "quarter": "UNIT",
    "time": "D MISC",
    "duration": "UNIT",
    "bare_plural": "UNIT",
    "set": "UNIT MISC",
    "ref": "MISC",
    "spelled_year": "MISC UNIT",
    "the_unit": "UNIT MISC",
    "period_ended": "UNIT",
}

# How far an expression reaches before and after its trigger word ("at about the early hours
# of September 4": 31 characters before "September").
_BEFORE, _AFTER = 90, 45


def _merge(spans, text):
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    n = len(text)
    res = []
    for a, b in out:
        # end a window on a space so no rule sees half a word at the edge
        while b < n and not text[b].isspace():
            b += 1
        res.append((a, b))
    return res


def windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each trigger kind, the stretches of `text` around its occurrences."""
    spans: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    for m in _trigger().finditer(text):
        spans.setdefault(m.lastgroup, []).append(
            (max(0, m.start() - _BEFORE), min(n, m.end() + _AFTER))
        )
    return spans


def find(text: str) -> list[tuple[int, int, str, dict, re.Match]]:
    """Every time expression in `text`: (start, end, rule name, meaning, match), in order.

    Where candidates overlap, the longest wins; on equal length, the rule listed first.
    """
    cands = []
    spans = windows(text)
    merged: dict[str, list[tuple[int, int]]] = {}
    for name, rx, fn, prio in compiled():
        kinds = NEEDS[name]
        if kinds not in merged:
            merged[kinds] = _merge([s for k in kinds.split() for s in spans.get(k, ())], text)
        for wa, wb in merged[kinds]:
            for m in rx.finditer(text, wa, wb):
                s, e = m.span()
                # TimeML leaves the preposition out: "for [weeks]", "within [two weeks]"
                if "prep" in rx.groupindex and m["prep"]:
                    s = m.end("prep")
                    while text[s].isspace():
                        s += 1
                elif "q" in rx.groupindex and (
                    (m["q"] or "").lower() == "within"
                    or (
                        (m["q"] or "").lower() == "over"
                        and m.group(0)[m.end("q") - m.start() :].lstrip()[:4].lower() == "the "
                    )
                ):
                    s = m.end("q")
                    while text[s].isspace():
                        s += 1
                # trim trailing whitespace/punctuation a lazy pattern may have taken
                while e > s and text[e - 1] in " \t\n,":
                    e -= 1
                # and the possessive: "[last year]'s results"
                if text[e - 2 : e] in ("'s", "’s") and name != "decade":
                    e -= 2
                if e <= s:
                    continue
                meaning = fn(m)
                if meaning is not None:
                    cands.append((s, e, prio, name, meaning, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    starts: list[int] = []
    for s, e, _prio, name, meaning, m in cands:
        i = bisect.bisect_left(starts, s)
        if i > 0 and taken[i - 1][1] > s:
            continue
        if i < len(taken) and taken[i][0] < e:
            continue
        starts.insert(i, s)
        taken.insert(i, (s, e))
        chosen.append((s, e, name, meaning, m))
    chosen.sort(key=lambda c: c[0])
    return chosen
