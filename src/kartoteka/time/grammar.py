"""Detection: run the rules (`rules`) over a text and settle where they overlap.

Each rule is a regex and a function from its match to a *meaning* (see `dates`); `anchor`
turns meanings into values. Rules run only in windows around trigger words (a digit, a month,
a unit...), which keeps a book fast: most of a text holds no time expression, and the rules'
optional prefixes make them slow to scan everywhere. Overlapping candidates are settled
longest-first in `find`.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import NamedTuple

from kartoteka.time.dates import Match, Meaning
from kartoteka.time.lexicon import alternation, lexicon
from kartoteka.time.rules import Compiled, compiled

# How far an expression reaches before and after its trigger word ("at about the early hours
# of September 4": 31 characters before "September").
_BEFORE, _AFTER = 90, 45


class Found(NamedTuple):
    """One time expression found: its span, the rule that found it, what it means."""

    start: int
    end: int
    rule: str
    meaning: Meaning
    match: Match


@cache
def _trigger() -> re.Pattern[str]:
    """One regex for the words every expression contains at least one of (a digit, a month,
    a unit...), each kind in its own group."""
    lx = lexicon()
    misc = (
        list(lx["decade_words"])
        + list(lx["set_words"])
        + list(lx["holidays"])
        + list(lx["parts_of_day"])
        + list(lx["ordinals"])
        + list(lx["trigger_words"])
    )
    groups = {
        "D": r"\d",
        "MON": alternation(lx["months"]),
        "WD": alternation(lx["weekdays"]) + "s?",  # "on Sundays"
        "SEA": alternation(lx["seasons"]),
        "UNIT": alternation(lx["units"]),
        "MISC": alternation(misc),
    }
    body = "|".join(
        f"(?P<{k}>{v})" if k == "D" else f"\\b(?P<{k}>{v})\\b" for k, v in groups.items()
    )
    return re.compile(body, re.IGNORECASE)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
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
        if m.lastgroup:
            spans.setdefault(m.lastgroup, []).append(
                (max(0, m.start() - _BEFORE), min(n, m.end() + _AFTER))
            )
    return spans


_PREP_IN_APPROX = re.compile(r"(?:at|in)\s+", re.I)
_EDGE_WORDS = re.compile(r"\b(?:end|close|beginning|start|first\s+days|last\s+days)\b", re.I)


def _span(text: str, rule: Compiled, m: Match) -> tuple[int, int]:
    """The span TimeML gives a match: without a leading preposition ("for [weeks]", "within
    [two weeks]"), trailing punctuation or a possessive ("[last year]'s")."""
    s, e = m.span()
    groups = rule.regex.groupindex
    if "prep" in groups and m["prep"]:
        s = m.end("prep")
    elif "approx" in groups and m["approx"] and (lead := _PREP_IN_APPROX.match(m["approx"])):
        s = m.start("approx") + lead.end()  # "at [about noon]", "in [about a decade]"
    elif "q" in groups and (
        (m["q"] or "").lower() == "within"
        or (
            (m["q"] or "").lower() == "over"
            and m.group(0)[m.end("q") - m.start() :].lstrip()[:4].lower() == "the "
        )
    ):
        s = m.end("q")
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1] in " \t\n,":
        e -= 1
    if text[e - 2 : e] in ("'s", "’s") and rule.name != "decade":
        e -= 2
    return s, e


def _candidates(text: str) -> list[tuple[int, int, int, Found]]:
    """Every match of every rule near its trigger words: (start, end, priority, found)."""
    cands = []
    spans = windows(text)
    merged: dict[str, list[tuple[int, int]]] = {}
    for rule in compiled():
        if rule.needs not in merged:
            kinds = rule.needs.split()
            merged[rule.needs] = _merge([s for k in kinds for s in spans.get(k, ())], text)
        for wa, wb in merged[rule.needs]:
            for m in rule.regex.finditer(text, wa, wb):
                s, e = _span(text, rule, m)
                if e <= s:
                    continue
                meaning = rule.meaning(m)
                if meaning is not None and meaning.get("part") and m.groupdict().get("part"):
                    # "the end of 1930" names an edge of the year, "late 1930" a part of it
                    meaning["edge"] = bool(_EDGE_WORDS.search(m["part"]))
                if meaning is not None:
                    cands.append((s, e, rule.priority, Found(s, e, rule.name, meaning, m)))
    return cands


def find(text: str) -> list[Found]:
    """Every time expression in `text`, in order.

    Where candidates overlap, the longest wins; on equal length, the rule listed first.
    """
    cands = _candidates(text)
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    starts: list[int] = []
    for s, e, _prio, found in cands:
        i = bisect.bisect_left(starts, s)
        if i > 0 and taken[i - 1][1] > s:
            continue
        if i < len(taken) and taken[i][0] < e:
            continue
        starts.insert(i, s)
        taken.insert(i, (s, e))
        chosen.append(found)
    chosen.sort(key=lambda c: c.start)
    return chosen
