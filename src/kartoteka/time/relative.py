"""What relative rules mean: deictic and anaphoric dates, offsets, durations, sets, clock
times (see `dates` for the shape of a meaning)."""

from __future__ import annotations

import re
from functools import cache

from kartoteka.time.dates import Match, Meaning, approx, day, month, part, pod, weekday
from kartoteka.time.lexicon import lexicon, number_value


def _rel_word(text: str, has_the: bool) -> tuple[int, str]:
    w = text.lower().split()[-1]
    n, anchor = lexicon()["relative_words"][w]
    # "the next day" is anaphoric (the day after the last one told); "next week" is deictic
    if has_the and w in ("next", "last", "past"):
        anchor = "anaphoric"
    return int(n), str(anchor)


def _unit(text: str) -> str:
    return str(lexicon()["units"][text.lower()])


def m_deictic_word(m: Match) -> Meaning | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    d: Meaning = {"kind": "rel", "unit": "D", "n": lexicon()["deictic_days"][w]}
    d["anchor"] = "deictic"
    if w == "tonight":
        d["pod"] = "NI"
    if m["pod"]:
        d["pod"] = pod(m["pod"])
    return d


def m_rel_unit(m: Match) -> Meaning | None:
    n, anchor = _rel_word(m["rel"], bool(m["the"]))
    unit = _unit(m["unit"])
    if unit in ("S", "MIN", "H"):
        return None
    past = bool(m["the"]) and m["rel"].lower() in ("last", "past") and unit != "D"
    if past:
        # "the past year", "the last decade": TimeBank gives the period before the text's time
        # (1997 in a 1998 text), as for "last year"; TIMEX2 the length (P1Y, P1DE)
        anchor = "deictic"
    d: Meaning = {
        "kind": "rel",
        "unit": unit,
        "n": n,
        "anchor": anchor,
        "part": part(m["part"]),
        "current": m["rel"].lower() in ("current", "present"),
        "past_period": past and not m["part"],
    }
    if m["pod"]:
        d["pod"] = pod(m["pod"])
    return d


def m_rel_weekday(m: Match) -> Meaning | None:
    n, anchor = _rel_word(m["rel"], bool(m["the"]))
    d: Meaning = {"kind": "weekday", "wd": weekday(m["wd"]), "n": n, "anchor": anchor}
    if m["pod"]:
        d["pod"] = pod(m["pod"])
    return d


def m_rel_pod(m: Match) -> Meaning | None:
    n, anchor = _rel_word(m["rel"], bool(m["the"]))
    return {"kind": "rel", "unit": "D", "n": n, "anchor": anchor, "pod": pod(m["pod"])}


def m_year_end(m: Match) -> Meaning | None:
    """ "year-end" is the day the books close, 31 December; "year's end" the end of the year."""
    n = -1 if m["prep"] else 0
    if m["day"]:
        return {"kind": "rel", "unit": "Y", "n": n, "anchor": "deictic", "last_day": True}
    return {"kind": "rel", "unit": "Y", "n": n, "anchor": "deictic", "part": "END", "edge": True}


def m_part_of_day(m: Match) -> Meaning | None:
    """ "mid-afternoon" (of the day the text is at), "late morning yesterday"."""
    d: Meaning = {"kind": "rel", "unit": "D", "n": 0, "anchor": "anaphoric", "pod": pod(m["pod"])}
    if m["w"]:
        d.update(n=lexicon()["deictic_days"][m["w"].lower()], anchor="deictic")
    return d


def m_weekday(m: Match) -> Meaning | None:
    wd = m["wd"]
    if not wd[:1].isupper():
        return None
    d: Meaning = {
        "kind": "weekday",
        "wd": weekday(wd),
        "n": None,
        "anchor": "deictic",
        "part": part(m["part"]),
    }
    if m["pod"]:
        d["pod"] = pod(m["pod"])
    return d


def _count(m: Match) -> float | None:
    """The number of units a match counts, a half added ("two and a half years", "a minute
    and a half"); None for a vague one ("several")."""
    n = number_value(m["n"]) if m["n"] else None
    if n is not None and (m.groupdict().get("half") or m.groupdict().get("half2")):
        return n + 0.5
    return n


def m_offset(m: Match) -> Meaning | None:
    """ "two years later", "three days before", "a decade ago"."""
    n = _count(m)
    direction = re.sub(r"\s+", " ", m["dir"].lower())
    if n is None and direction in ("before", "after"):
        return None  # "months before they would arrive": a length before an event
    sign = lexicon()["offset_directions"][direction]
    deictic = direction in lexicon()["offset_deictic"]
    return {
        "kind": "rel",
        "unit": _unit(m["unit"]),
        "n": None if n is None else sign * n,
        "sign": sign,
        "anchor": "deictic" if deictic else "anaphoric",
        "approx": approx(m),
        "vague": n is None,
        "offset": True,
    }


def m_event_offset(m: Match) -> Meaning | None:
    """ "five days after the fall of Girona": a date counted from an event that the story has
    reached; TimeML marks only the duration ("[five days] after ...")."""
    duration = m_duration(m)
    n = _count(m)
    unit = _unit(m["unit"])
    if duration is None or n is None or unit in ("S", "MIN", "H", "ML"):
        return duration
    sign = 1 if m["dir"].lower() == "after" else -1
    return {
        "kind": "rel",
        "unit": unit,
        "n": sign * n,
        "anchor": "anaphoric",
        "offset": True,
        "approx": approx(m) or bool(duration.get("mod")),
        "event": m.string[m.start("event") : m.start("event") + 60].split(",")[0].strip(),
        "duration": duration,
    }


def m_day_after(m: Match) -> Meaning | None:
    w = m["dir"].lower()
    return {"kind": "rel", "unit": "D", "n": 1 if w == "after" else -1, "anchor": "anaphoric"}


@cache
def _vague() -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(re.escape(v) for v in lexicon()["vague_numbers"]) + r")")


# "a second invasion", "three quarters of the army", "some quarters": an ordinal, a share
_NOT_A_LENGTH = {
    "second": re.compile(r"\s+(?!(?:and|or|of|to|in|on|at|for|before|after|later|ago)\b)[a-z]"),
    "quarter": re.compile(r"\s+of\s+(?!(?:the\s+|a\s+|this\s+|that\s+)?(?:fiscal\s+)?year\b)"),
    # "three quarters of the army", not "several quarters of losses"; "the first two
    # quarters of 1990" is a half-year
    "quarters": re.compile(
        r"\s+of\s+(?:(?:the|a|an|his|her|its|their|our|all)\b(?!\s+(?:fiscal\s+)?year\b)|"
        r"\d|(?:this|next|last)\s+year\b)"
    ),
}


def m_duration(m: Match) -> Meaning | None:
    n = _count(m)
    if m["n"] and n is None and not _vague().match(m["n"].lower()):
        return None
    unit_word = m["unit"].lower()
    if unit_word in _NOT_A_LENGTH and _NOT_A_LENGTH[unit_word].match(m.string, m.end()):
        return None
    q = re.sub(r"\s+", " ", (m["q"] or "").lower())
    if q == "over" and re.match(r"over\s+the\s", m.group(0)[m.start("q") - m.start() :], re.I):
        q = ""  # "over the past four months": a preposition, not "more than"
    mod = lexicon()["quantity_mods"].get(q)
    if mod is None and approx(m):
        mod = "APPROX"
    return {"kind": "duration", "n": n, "unit": _unit(m["unit"]), "mod": mod}


def m_bare_plural(m: Match) -> Meaning | None:
    return {"kind": "duration", "n": None, "unit": _unit(m["unit"]), "mod": None}


def m_set(m: Match) -> Meaning | None:
    if m["w"]:
        return {"kind": "set", "value": lexicon()["set_words"][m["w"].lower()]}
    n = number_value(m["n"]) if m["n"] else 1
    rate = m.group(0).lower().startswith("per")  # "10,000 a day per day": a rate
    return {"kind": "set", "n": n or 1, "unit": _unit(m["unit"]), "rate": rate}


def m_set_calendar(m: Match) -> Meaning | None:
    """ "each July" (XXXX-07), "every Thursday", "on Sundays" (XXXX-WXX-4), "Tuesday nights"
    (XXXX-WXX-2TNI): the pattern of the times, as TimeML writes a set."""
    if m["mon"]:
        if not m["mon"][:1].isupper():
            return None
        return {"kind": "set", "value": f"XXXX-{month(m['mon']):02d}"}
    wd_text = m["wd"] or m["wds"] or m["wd2"]
    if not wd_text[:1].isupper():
        return None
    value = f"XXXX-WXX-{weekday(wd_text)}"
    pod_text = m["pod"] or (m["pods"] or "").rstrip("s")
    if pod_text:
        value += "T" + pod(pod_text)
    return {"kind": "set", "value": value}


def m_ref(m: Match) -> Meaning | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    if w == "former":
        # "the former president": TIMEX2 marks it (PAST_REF), TimeML does not
        return {"kind": "ref", "ref": "PAST_REF", "scheme": "timex2"}
    for key, ref in (
        ("present_ref", "PRESENT_REF"),
        ("past_ref", "PAST_REF"),
        ("future_ref", "FUTURE_REF"),
    ):
        if w in lexicon()[key]:
            return {"kind": "ref", "ref": ref}
    return None


def _clock(m: Match) -> tuple[int, int] | None:
    """(hour, minute) of a clock time, 24 for midnight; None if it cannot be one."""
    hh_text = m["hh"] or m["hh2"] or m["hh3"]
    hh = int(hh_text) if hh_text else None
    mi = int(m["mi"]) if m["mi"] else 0
    word = (m["word"] or "").lower()
    if word:
        hh, mi = lexicon()["clock_words"][word], 0
    if hh is None or hh > 24 or mi > 59:
        return None
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    if m["podw"] and not ampm:
        p = lexicon()["parts_of_day"].get(m["podw"].lower(), "")
        if p in ("AF", "EV", "NI") and hh < 12 and not (p == "NI" and hh < 5):
            hh += 12
    return hh, mi


def m_time(m: Match) -> Meaning | None:
    clock = _clock(m)
    if clock is None:
        return None
    d: Meaning = {"kind": "time", "hh": clock[0], "mi": clock[1], "approx": approx(m)}
    if m["wd"]:
        d["wd"] = weekday(m["wd"])
    if m["mon"]:
        d["m"] = month(m["mon"])
        d["d"] = day(m["d"])
    if m["rw"]:
        d["rw"] = m["rw"].lower()
    return d


def m_the_unit(m: Match) -> Meaning | None:
    """ "the year", "the latest quarter", "the week": the one the text is speaking of."""
    unit = m["unit"].lower()
    if unit == "period":
        if not m["adj"] or m["adj"].lower() not in ("latest", "comparable", "same", "recent"):
            return None
        return {
            "kind": "rel",
            "unit": "CUR",
            "n": 0,
            "anchor": "anaphoric",
            "latest": m["adj"].lower() == "latest",
        }
    return {
        "kind": "rel",
        "unit": _unit(unit),
        "n": 0,
        "anchor": "anaphoric",
        "part": part(m["part"]),
        "current": (m["adj"] or "").lower() == "current",
        "latest": (m["adj"] or "").lower() == "latest",
    }


def m_year_ago(m: Match) -> Meaning | None:
    return {"kind": "rel", "unit": "Y", "n": -1, "anchor": "anaphoric", "keep_gran": True}
