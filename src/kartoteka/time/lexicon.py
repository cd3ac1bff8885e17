"""The tagger's vocabulary, read from lexicon.json, and the regex fragments built from it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

Trie = dict[str, "Trie"]


@cache
def lexicon() -> dict[str, Any]:
    """The words of lexicon.json, by list name ("_notes" says what each list is for)."""
    with resources.files("kartoteka.time").joinpath("lexicon.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def alternation(words: Iterable[str], *, dotted: Iterable[str] = ()) -> str:
    """A regex matching any of `words`, as a trie ("sept" and "sep" share "sep"), so that the
    regex engine does not try a hundred words one by one at every position. Spaces match any
    run of whitespace, apostrophes either kind; the abbreviations in `dotted` may end in a
    dot."""
    trie: Trie = {}
    may_dot = set(dotted)
    for w in set(words):
        forms = [w]
        if w in may_dot:
            forms.append(w + ".")
        for form in forms:
            node = trie
            for ch in form:
                node = node.setdefault(ch, {})
            node[""] = {}
    return _trie_regex(trie)


def _char(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def _trie_regex(node: Trie) -> str:
    ends = "" in node
    branches = [_char(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    # longer continuations first so "sept" wins over "sep" where both fit
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body if len(branches) == 1 else body


def number_value(text: str) -> float | None:
    """'two' → 2, 'twenty-five' → 25, '18' → 18, 'a' → 1; None for a vague quantity."""
    t = re.sub(r"\s+", " ", text.lower().strip())
    nums = lexicon()["numbers"]
    if t in nums:
        return float(nums[t]) if isinstance(nums[t], float) else int(nums[t])
    t = t.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t) if "." in t else int(t)
    m = re.fullmatch(r"(\d+) 1/2", t)
    if m:
        return int(m.group(1)) + 0.5
    m = re.fullmatch(r"([a-z]+)[- ]([a-z]+)", t)
    if m and m.group(1) in nums and m.group(2) in nums and nums[m.group(2)] < 10:
        return int(nums[m.group(1)] + nums[m.group(2)])
    return None


def _abbreviations(names: dict[str, int]) -> list[str]:
    """The keys that are not the longest name for their value ("sept", "sep" for
    "september"): these may end in a dot."""
    longest: dict[int, str] = {}
    for name, value in names.items():
        if len(name) > len(longest.get(value, "")):
            longest[value] = name
    return [name for name, value in names.items() if name != longest[value]]


@cache
def fragments() -> dict[str, str]:
    """Named regex pieces the rules are written with ({MONTH}, {YEAR}, ...)."""
    lx = lexicon()
    num_words = [
        w for w in lx["numbers"] if " " not in w or w.startswith(("a ", "one ", "couple "))
    ]
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    ones = "one|two|three|four|five|six|seven|eight|nine"
    f = {
        "MONTH": alternation(lx["months"], dotted=_abbreviations(lx["months"])),
        "WEEKDAY": alternation(
            [w for w in lx["weekdays"] if len(w) > 4]
            + ["mon.", "tue.", "tues.", "wed.", "thu.", "thurs.", "fri.", "sat.", "sun."]
        ),
        "SEASON": alternation(lx["seasons"]),
        "ORDWORD": alternation(lx["ordinals"]),
        "UNIT": alternation(lx["units"]),
        "POD": alternation(lx["parts_of_day"]),
        "APPROX": alternation(lx["approximators"]),
        "VAGUE": alternation(lx["vague_numbers"]),
        "HOLIDAY": alternation(lx["holidays"]),
        "DECWORD": alternation(lx["decade_words"]),
    }
    f["NUMWORD"] = rf"(?:(?:{tens})(?:[- ](?:{ones}))?|" + alternation(num_words)[3:-1] + ")"
    f["NUM"] = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?(?:\s+1/2)?|{f['NUMWORD']})"
    # A day of the month: 1-31 with an optional ordinal suffix, or an ordinal word.
    f["DAY"] = rf"(?:(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?|{f['ORDWORD']})"
    # A year: 1000-2099 standing alone (not inside a longer number or a decimal).
    f["YEAR"] = r"(?<![\d.,$£€/-])(?:1[0-9]{3}|20[0-9]{2})(?![\d]|,\d|\.\d|['’]?s\b|-\d)"
    f["PART"] = (
        r"(?:(?:the\s+)?(?:very\s+)?(?:early|beginning|start|middle|end|close|"
        r"latter\s+part|early\s+part|last\s+part|first\s+half|second\s+half|"
        r"first\s+days|last\s+days)\s+of(?:\s+the)?|early|mid|late|mid-?)"
    )
    return f
