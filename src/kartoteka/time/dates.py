"""What calendar-date rules mean: from a regex match to a plain *meaning*, unresolved.

A meaning is a dict such as ``{"kind": "date", "y": 1937, "m": 9, "d": 4}`` (a date, maybe
partial), ``{"kind": "decade", "decade": 193}`` or ``{"kind": "range", "a": ..., "b": ...}``;
`anchor` turns meanings into values. A function returns None to reject a match the regex
alone cannot rule out ("May I ...", "the fall of Perennis").
"""

from __future__ import annotations

import re
from typing import Any

from kartoteka.time import era as eras
from kartoteka.time.lexicon import lexicon

Meaning = dict[str, Any]
Match = re.Match[str]


def part(text: str | None) -> str | None:
    """The TimeML mod of a part-of-a-period phrase: "the early part of" → START."""
    if not text:
        return None
    words = lexicon()["part_words"]
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in words:
            return str(words[w])
    return None


def month(text: str) -> int | None:
    value = lexicon()["months"].get(text.lower().rstrip("."))
    return int(value) if value is not None else None


def day(text: str) -> int | None:
    t = text.lower()
    if t in lexicon()["ordinals"]:
        return int(lexicon()["ordinals"][t])
    m = re.match(r"\d+", t)
    return int(m.group()) if m else None


def weekday(text: str | None) -> int | None:
    if not text:
        return None
    value = lexicon()["weekdays"].get(text.lower().rstrip("."))
    return int(value) if value is not None else None


def pod(text: str) -> str:
    """The TimeML code of a part of the day: "the small hours" → MO."""
    return str(lexicon()["parts_of_day"][re.sub(r"\s+", " ", text.lower())])


def capitalized_month(text: str) -> bool:
    # "may", "march" in lower case are verbs; month names are capitalized in English
    return text[:1].isupper()


def approx(m: Match) -> bool:
    return bool(m.groupdict().get("approx"))


def year(text: str | None) -> int | None:
    return int(text) if text else None


def era_of(m: Match, name: str = "y") -> str | None:
    """The era marked on the year in group `name` ("44 BC", "AD 14"), or None."""
    groups = m.groupdict()
    return eras.era_of(groups.get(name + "e0") or groups.get(name + "e1"))


def year_meaning(m: Match, name: str = "y") -> Meaning:
    """What the year in group `name` adds to a date: the astronomical year `y`, the number as
    written and its era (or none, which the narrative may supply: "In 499" after "500 BC")."""
    written = int(m[name])
    era = era_of(m, name)
    out: Meaning = {"y": eras.astronomical(written, era), "written": written, "era": era}
    if era is None and len(m[name]) < 4:
        # "in 476", "March 17, 180": a year only where the story's time is not far off ("about
        # 700 students" in a 1998 text, "in January of 114 to over 250")
        out["bare"] = True
    if eras.is_approximate(era):
        out["approx"] = True
    return out


def date_meaning(match: Match, **kw: Any) -> Meaning:
    d: Meaning = {"kind": "date", "approx": approx(match)}
    d.update({k: v for k, v in kw.items() if v is not None})
    if match.groupdict().get("y") and "y" not in kw:
        d.update(year_meaning(match))
        d["approx"] = d["approx"] or approx(match)
    return d


# ---- the rules' meanings -------------------------------------------------------------------


def m_iso(m: Match) -> Meaning | None:
    return date_meaning(m, y=int(m["y"]), m=int(m["mo"]), d=int(m["d"]))


def m_numeric(m: Match) -> Meaning | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        return None
    # dots are European (day first); slashes American unless the first number cannot be a month
    d, mo = (a, b) if m["sep"] == "." or a > 12 else (b, a)
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return date_meaning(m, y=y, m=mo, d=d)


_NOUN_NEXT = re.compile(r"[ \t]+(?!(?:and|or|of|in|on|at|to|by|he|she|it|they|we|the|a|an)\b)[a-z]")


def m_day_month_year(m: Match) -> Meaning | None:
    if m["mon"] and not capitalized_month(m["mon"]) and m["mon"].lower() in ("may", "march"):
        return None
    if m.groupdict().get("dot") and not m["y"]:
        return None  # "chapter 25. March came": a dotted day only with its year
    if not m["y"] and not m["d"][0].isdigit() and _NOUN_NEXT.match(m.string, m.end()):
        return None  # "in March the second city fell": an ordinal before a noun, no day
    d = date_meaning(
        m,
        m=month(m["mon"]),
        d=day(m["d"]),
        wd=weekday(m["wd"]),
        part=part(m["part"]),
    )
    if m["podp"]:
        d["pod"] = pod(m["podp"])
    return d


def m_week_of(m: Match) -> Meaning | None:
    """ "the last week of August" (its last seven days), "the week of March 6" (the week that
    day is in)."""
    if not capitalized_month(m["mon"]) or bool(m["wk"]) == bool(m["d"]):
        return None
    if m["d"]:
        return date_meaning(m, m=month(m["mon"]), d=int(m["d"]), week=True)
    wk = m["wk"].lower()
    n = "last" if wk in ("last", "final") else day(wk)
    return date_meaning(m, m=month(m["mon"]), week_of=n)


def m_edge_day(m: Match) -> Meaning | None:
    """ "the last day of December 192": the month's first or last day."""
    if not capitalized_month(m["mon"]):
        return None
    edge = 1 if m["edge"].lower() == "first" else "last"
    return date_meaning(m, m=month(m["mon"]), d=edge)


def m_month_year(m: Match) -> Meaning | None:
    mon = m["mon"]
    if not capitalized_month(mon):
        return None
    gd = m.groupdict()
    return date_meaning(
        m,
        m=month(mon),
        part=part(m["part"]),
        ry=(gd.get("ry") or "").lower() or None,
    )


def m_month_alone(m: Match) -> Meaning | None:
    mon = m["mon"]
    if not capitalized_month(mon):
        return None
    if mon.lower().rstrip(".") in lexicon()["months_ambiguous"] and not (
        m["prep"] or m["rel"] or m["part"] or m["approx"]
    ):
        return None
    if mon.lower() not in ("may",) and len(mon.rstrip(".")) <= 3 and not mon.endswith("."):
        return None  # "Jan" alone is a name more often than a month
    d = date_meaning(m, m=month(mon), part=part(m["part"]))
    rel = (m["rel"] or "").lower()
    if rel:
        d["shift"] = rel
    return d


_NAME_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
# "the fall of Perennis", "the spring of any savage": a season word followed by "of" and no
# year is an event or a metaphor ("the summer of that year" is a season)
_OF_NO_YEAR = re.compile(
    r"\s+of\s+(?!(?:that|the\s+same|the\s+following|the\s+next|the\s+previous|this|last|"
    r"next)\s+year\b)(?!\d)",
    re.I,
)


def m_season(m: Match) -> Meaning | None:
    if m["season"].lower() == "fall" and not (
        m["rel"] or m["y"] or m["part"] or m.group(0).lower().startswith("the")
    ):
        return None  # "fall" alone is a noun or a verb far more often than autumn
    if not m["y"] and _OF_NO_YEAR.match(m.string, m.end()):
        return None
    nxt = re.match(r"[ \t]+([A-Za-z]+)", m.string[m.end() : m.end() + 30])
    next_word = nxt.group(1).lower() if nxt else ""
    if (
        m["season"][:1].isupper()
        and not (m["y"] or m["rel"])
        and _NAME_NEXT.match(m.string, m.end())
        and next_word not in lexicon()["season_event_nouns"]
    ):
        return None  # "the Winter War", "the Summer Palace": part of a name
    season = lexicon()["seasons"][m["season"].lower()]
    d = date_meaning(m, season=season, part=part(m["part"]))
    if (
        not (m["y"] or m["rel"] or m.group(0).lower().startswith("the"))
        and next_word in lexicon()["season_generic_nouns"]
        and nxt
        and nxt.group(1).islower()
    ):
        d["generic"] = True  # "winter quarters": any winter
    if m["y"]:
        d["explicit_season_year"] = True
    if m["sy"]:  # "the summer of that year", "the spring of the following year"
        last = m["sy"].lower().split()[-1]
        d["year_shift"] = {"following": 1, "next": 1, "previous": -1}.get(last, 0)
    rel = (m["rel"] or "").lower()
    if rel and not m["y"]:
        d["shift"] = rel
    return d


_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|his|her|their|our|this|that|a|an)\s+$", re.I)


def _quantity_follows(m: Match) -> bool:
    """Is the number a quantity: "of 1600 horses" (a plural noun after it, "in 1938 few" is
    a year)?"""
    nxt = re.match(r"\s+([a-z]+)\b", m.string[m.end() : m.end() + 30])
    if not nxt or nxt.group(1) in lexicon()["year_followers"]:
        return False
    word = nxt.group(1)
    return word in lexicon()["counted_nouns"] or (
        len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    )


def m_year(m: Match) -> Meaning | None:
    """A year standing alone: "1937", "44 BC", "the year 410", "in 476", "about 570"."""
    written = int(m["y"])
    prep = re.sub(r"\s+", " ", (m["prep"] or "").lower())
    marked = era_of(m) or m["lead"]
    four = len(m["y"]) == 4
    if not marked:
        if not (prep or m["approx"] or four and 1500 <= written <= 2099):
            return None
        if four and _quantity_follows(m) and not _DETERMINER_BEFORE.search(m.string, 0, m.start()):
            return None  # "1600 horses", "of 1600 men"; "the 1989 earthquakes" is a year
    d = date_meaning(m, part=part(m["part"]), explicit_year=True)
    if m["lead"]:
        d.pop("bare", None)  # "the year 410"
    elif d.get("bare") and prep in lexicon()["year_prepositions"]["weak"]:
        d["weak"] = True  # after "of", a year only near the story's time ("an army of 300")
    elif d.get("bare") and not prep and m["approx"].lower().rstrip(".") not in _CIRCA:
        d["loose"] = True  # "about 570" is a year, "approximately 700" ships may not be
    return d


# Approximators that say "year" by themselves ("c. 570"); "about 700" may count anything.
_CIRCA = ("c", "ca", "circa")


def m_era_range(m: Match) -> Meaning | None:
    """ "499-493 BC": both ends in the era written after the second."""
    b = year_meaning(m, "y2")
    era = b["era"]
    if era is None:
        return None
    a_written = int(m["y1"])
    a = {"y": eras.astronomical(a_written, era), "written": a_written, "era": era}
    if a["y"] >= b["y"]:
        return None
    return {
        "kind": "range",
        "a": {"kind": "date", "approx": False, "explicit_year": True, **a},
        "b": {"kind": "date", "approx": False, "explicit_year": True, **b},
        "split": (m.start("y1"), m.end("y1")),
    }


def m_year_range_short(m: Match) -> Meaning | None:
    # "1936-37", "1936–1937": an interval of years
    y1 = int(m["y1"])
    y2 = int(str(y1)[: 4 - len(m["y2"])] + m["y2"])
    if y2 <= y1:
        return None
    return {
        "kind": "range",
        "a": date_meaning(m, y=y1),
        "b": date_meaning(m, y=y2),
        "split": (m.start("y1"), m.end("y1")),
    }


def m_decade(m: Match) -> Meaning | None:
    base = {"kind": "decade", "part": part(m["part"]), "approx": approx(m)}
    if m["decw"]:
        return {**base, "short": lexicon()["decade_words"][m["decw"].lower()]}
    digits = m["dec"]
    if not digits[0].isdigit():  # "the '30s": the century comes from the text's time
        return {**base, "short": int(digits[-2:-1])}
    # "the 1930s", "the 460s BC" (489-480 BC): the decade as written, and its era
    return {**base, "decade": int(digits[:-1]), "era": eras.era_of(m["de"])}


def m_century(m: Match) -> Meaning | None:
    n = day(m["n"]) if m["n"] else None
    if not n:
        return None
    return {
        "kind": "century",
        "century": n - 1,
        "part": part(m["part"]),
        "approx": approx(m),
        "era": eras.era_of(m["ce"]),
    }


def m_turn(m: Match) -> Meaning | None:
    if m["y"]:
        return {"kind": "turn", "unit": "Y", "y": int(m["y"])}
    return {"kind": "turn", "unit": lexicon()["units"][m["what"].lower()]}


def _rel_year(m: Match, *names: str) -> str | None:
    """ "this", "last" or "next" of "next year's first quarter", "the first half of this
    year", in whichever of the groups `names` holds it."""
    for name in names:
        if m.groupdict().get(name):
            return str(m[name]).lower()
    return None


def m_quarter(m: Match) -> Meaning | None:
    qn = lexicon()["quarter_words"].get(m["q"].lower())
    if qn is None:
        return None
    y = year(m["y"] or m["py"])
    d: Meaning = {"kind": "date", "quarter": qn, "y": y, "approx": False}
    ry = _rel_year(m, "ry", "ry2")
    if ry and y is None:
        d["ry"] = ry
    return d


def m_half(m: Match) -> Meaning | None:
    first = (m["h"] or m["hq"]).lower() in ("first", "1st", "former")
    d: Meaning = {"kind": "date", "half": 1 if first else 2, "y": year(m["y"]), "approx": False}
    if m["ry"]:
        d["ry"] = m["ry"].lower()
    return d


def m_year_period(m: Match) -> Meaning | None:
    """ "the 1988 quarter" in a report on the third quarter is 1988's third quarter; "the
    1988 period" after "the first nine months" is 1988."""
    return {"kind": "date", "y": int(m["y"]), "approx": False, "like_narrative": True}


def m_fiscal(m: Match) -> Meaning | None:
    return {"kind": "date", "y": int(m["y"]), "approx": False, "explicit_year": True}


def m_spelled_year(m: Match) -> Meaning | None:
    """ "nineteen thirty-nine", "the year two thousand and one"."""
    words = lexicon()["numbers"]
    c = m["c"].lower()
    if c.startswith("two"):
        if not m.group(0).lower().startswith("the year") and not m["o2"]:
            return None
        y = 2000 + (words[m["o2"].lower()] if m["o2"] else 0)
        return {"kind": "date", "y": y, "approx": False, "explicit_year": True}
    if not m["t"]:
        return None
    y = words[c] * 100 + words[m["t"].lower()] + (words[m["o"].lower()] if m["o"] else 0)
    return {"kind": "date", "y": y, "approx": False, "explicit_year": True}


def m_period_ended(m: Match) -> Meaning | None:
    """ "the year ended March 31" is a year's length in TimeML; "the quarter ended Sept. 30"
    the quarter that date closes."""
    if m["unit"].lower() == "year":
        return {"kind": "duration", "n": 1, "unit": "Y", "mod": None}
    mon = month(m["mon"]) or 1
    return {"kind": "date", "quarter": (mon - 1) // 3 + 1, "y": year(m["y"]), "approx": False}


def m_holiday(m: Match) -> Meaning | None:
    code = lexicon()["holidays"][re.sub(r"['’]", "'", re.sub(r"\s+", " ", m["h"].lower()))]
    if not m["h"][:1].isupper():
        return None
    return date_meaning(m, holiday=code, y=year(m["y"]))


def m_day_range(m: Match) -> Meaning | None:
    # "10-12 February 1937", "February 10-12, 1937"
    mon = month(m["mon"])
    a, b = day(m["d1"]), day(m["d2"])
    if not a or not b or b <= a:
        return None
    return {
        "kind": "range",
        "a": date_meaning(m, m=mon, d=a),
        "b": date_meaning(m, m=mon, d=b),
        # TimeML marks each end: "[10]-[12 February 1937]", "[February 10]-[12, 1937]"
        "split": (min(m.start("d1"), m.start("mon")), m.end("d1")),
    }


def m_regnal(m: Match) -> Meaning | None:
    """ "the third year of his reign": counted from the reign's start, if the text gave it."""
    n = day(m["n"])
    if not n:
        return None
    return {"kind": "regnal", "n": n, "approx": False}
