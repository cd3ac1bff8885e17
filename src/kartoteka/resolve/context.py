"""Context of a name in its document: the words around it, for telling whether two names
that look different stand in the same role ("Yerev's assassins" / "the assassins of Yezhov").
"""
from __future__ import annotations

import re
from functools import lru_cache

from kartoteka.resolve.names import data

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(data("context_stopwords.json")["words"])


def stem(word: str) -> str:
    """A crude English stem, enough to meet "sent"/"send", "assassins"/"assassin"."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    for suffix in ("ations", "ation", "ings", "ing", "ers", "er", "ies", "ied", "ed", "es", "s"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    if w.endswith("t") and len(w) >= 4:  # sent/send, spent/spend, meant/mean
        return w[:-1]
    return w


def window_words(context: str, start: int, end: int, width: int = 4) -> set[str]:
    """Stems of the content words within `width` words before `start` and after `end` in
    `context` (the mention's sentence); start < 0 means the whole sentence."""
    if start < 0:
        words = _WORD.findall(context)
    else:
        before = _WORD.findall(context[:start])[-width:]
        after = _WORD.findall(context[end:])[:width]
        words = before + after
    stop = _stopwords()
    return {stem(w) for w in words if w.lower() not in stop and len(w) > 2 and not w[0].isupper()}


def sentence_words(context: str) -> set[str]:
    """Capitalized words of a sentence: the names it also holds (for co-mention checks)."""
    return {w for w in _WORD.findall(context) if w[0].isupper()}


def overlap(a: set[str], b: set[str]) -> float:
    """Overlap coefficient |a & b| / min(|a|, |b|), 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
