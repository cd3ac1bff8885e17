"""Time expressions: find them, and normalize them to EDTF anchored in the text's own time.

    >>> [(t.text, t.value) for t in tag("On 29 January 1937 he came; on 10 February he left.")]
    [('29 January 1937', '1937-01-29'), ('10 February', '1937-02-10')]

`tag` is the one entry point the pipeline uses; `tag_timeml` gives TimeML-shaped expressions
(no merged ranges or open intervals, TimeML spans) for the TempEval benchmark. See docs/time.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kartoteka.model import Timex
from kartoteka.time.grammar import find
from kartoteka.time.resolve import Resolver
from kartoteka.time.values import bounds, is_valid, overlaps

__all__ = ["tag", "tag_timeml", "bounds", "overlaps", "VERSION"]

#: Changes whenever the rules change what they find, so stored results stay explainable.
VERSION = "kartoteka.time.v2"

_OPEN_BEFORE = re.compile(
    r"(?:\b(?P<w>until|till|up\s+until|up\s+to|before|prior\s+to|since|"
    r"after|not\s+later\s+than|no\s+later\s+than)\s+(?:about\s+)?)$",
    re.I,
)
_RANGE_LEAD = re.compile(r"\b(?P<w>from|between)\s+$", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|-|–|—)\s*$", re.I)
_ONWARDS = re.compile(r"^\s+(?:on|onwards?)\b", re.I)


@lru_cache(maxsize=4096)
def _valid(value: str) -> bool:
    return is_valid(value)


def _items(text: str, as_of: str | None):
    """(start, end, meaning, Value) for every expression, resolved in reading order."""
    found = find(text)
    # a range's first half takes the year stated only in its second ("from May to July 1937")
    for i in range(len(found) - 1):
        a, b = found[i][3], found[i + 1][3]
        if (
            a.get("kind") == "date"
            and b.get("kind") == "date"
            and a.get("y") is None
            and b.get("y") is not None
            and (a.get("m") or a.get("season"))
            and _RANGE_JOIN.match(text[found[i][1] : found[i + 1][0]])
        ):
            a["y"] = b["y"]
    resolver = Resolver(text, as_of)
    out = []
    for s, e, _name, meaning, _m in found:
        try:
            v = resolver.resolve(meaning, text[s:e], s, e)
        except (ValueError, OverflowError):
            # beyond what calendar arithmetic can hold ("1800 years before" an early date):
            # one expression we cannot place must not cost the rest of a book
            continue
        if v is None:
            continue
        out.append([s, e, meaning, v])
    return out


def _timex(text, s, e, v, value=None, mod=None) -> Timex:
    value = v.edtf if value is None else value
    if value is not None and v.type in ("DATE", "TIME") and not _valid(value):
        value = None
    lower = upper = None
    if value is not None and v.type in ("DATE", "TIME"):
        try:
            lower, upper = bounds(value)
        except ValueError:
            value = None
    return Timex(
        start=s,
        end=e,
        text=text[s:e],
        type=v.type,
        value=value,
        timex3=v.timex3,
        lower=lower,
        upper=upper,
        anchor=v.anchor,
        mod=mod or v.mod,
    )


def tag(text: str, as_of: str | None = None) -> list[Timex]:
    """Every time expression in `text`, with EDTF values resolved against the text's own time.

    `as_of` is a reference date (EDTF: "1941-02-22", "1937") such as a letter's date or a news
    text's creation date; relative expressions count from it. Without it they resolve
    against the dates the text itself states; nothing ever resolves against today's date.
    Ranges ("from 1935 to 1937") come as one interval and open intervals ("until 1935")
    include their preposition.
    """
    items = _items(text, as_of)
    out: list[Timex] = []
    i = 0
    while i < len(items):
        s, e, meaning, v = items[i]
        # "from X to Y", "between X and Y", "X–Y"
        if i + 1 < len(items) and v.type == "DATE" and v.edtf and "/" not in v.edtf:
            s2, e2, _, v2 = items[i + 1]
            lead = _RANGE_LEAD.search(text, max(0, s - 12), s)
            join = text[e:s2]
            if (
                v2.type == "DATE"
                and v2.edtf
                and "/" not in v2.edtf
                and _RANGE_JOIN.match(join)
                and (lead or join.strip() in ("-", "–", "—"))
                and (
                    lead is None
                    or lead.group("w").lower() != "between"
                    or join.strip().lower() == "and"
                )
            ):
                start = lead.start() if lead else s
                value = f"{v.edtf}/{v2.edtf}"
                if _valid(value):
                    t = _timex(text, start, e2, v, value=value)
                    out.append(t)
                    i += 2
                    continue
        if v.type in ("DATE", "TIME") and v.edtf and ".." not in v.edtf:
            lead = _OPEN_BEFORE.search(text, max(0, s - 24), s)
            if lead:
                w = lead.group("w").lower()
                lo, hi = (
                    (v.edtf.split("/", 1) + [v.edtf])[:2] if "/" in v.edtf else (v.edtf, v.edtf)
                )
                value = f"{lo}/.." if w in ("since", "after") else f"../{hi}"
                out.append(
                    _timex(
                        text,
                        lead.start(),
                        e,
                        v,
                        value=value,
                        mod="AFTER" if w in ("since", "after") else "BEFORE",
                    )
                )
                i += 1
                continue
            onwards = _ONWARDS.match(text, e)
            if onwards and _RANGE_LEAD.search(text, max(0, s - 8), s):
                lo = v.edtf.split("/", 1)[0]
                out.append(_timex(text, s, onwards.end(), v, value=f"{lo}/..", mod="AFTER"))
                i += 1
                continue
        out.append(_timex(text, s, e, v))
        i += 1
    return out


def tag_timeml(text: str, dct: str | None = None) -> list[Timex]:
    """Time expressions as TimeML marks them: each date of a range on its own, prepositions
    outside; `timex3` and `mod` carry the TimeML value (for the TempEval benchmark)."""
    return [_timex(text, s, e, v) for s, e, meaning, v in _items(text, dct)]
