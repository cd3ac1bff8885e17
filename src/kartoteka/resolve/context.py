"""Context of a name in its document: the words around it, for telling whether two names
that look different stand in the same role ("Yerev's assassins" / "the assassins of Yezhov").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from kartoteka.resolve.names import data

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(data("context_stopwords.json")["words"])


def stem(word: str) -> str:
    """A crude key for an English word, enough to meet "sent"/"send", "believed"/"believe",
    "assassins"/"assassin": the first five letters (three for a four-letter word)."""
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    if len(w) == 4:
        return w[:3]
    return w[:5]


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


def overlap(a: Collection[str], b: Collection[str]) -> float:
    """Overlap coefficient |a & b| / min(|a|, |b|) of two collections of distinct words, 0
    when either is empty; a small set counts as four words, so two names seen once in a bare
    citation do not look alike."""
    if not a or not b:
        return 0.0
    return len(set(a).intersection(b)) / max(min(len(a), len(b)), 4)


_POSSESSED = re.compile(r"^(?:['’]s?)?\s+(?:[a-z]+\s+)?([a-z]{3,})")
_OF_BEFORE = re.compile(r"([a-z]{3,})\s+(?:of|by|for)\s+(?:the\s+)?$")


def role_words(context: str, start: int, end: int) -> set[str]:
    """The nouns a name stands in a role to: "Yerev's assassins", "the assassins of Yezhov"
    both give "assas". Empty when the position in the sentence is unknown. The span may or
    may not include the possessive ending."""
    if start < 0:
        return set()
    out = set()
    possessive = bool(re.search(r"['’]s?$", context[start:end])) or bool(
        re.match(r"['’]s?\s", context[end : end + 3])
    )
    m = _POSSESSED.match(context[end : end + 60]) if possessive else None
    if m:
        out.add(stem(m.group(1)))
    m = _OF_BEFORE.search(context[max(0, start - 40) : start])
    if m:
        out.add(stem(m.group(1)))
    stop = _stopwords()
    return {w for w in out if w not in stop}


# "Reiss, alias Ludwig", "Krivitsky (real name Ginsberg)", "Orlov, also known as Nikolsky"
_ALIAS_CUE = re.compile(
    r"^['’]?s?\s*[,(]?\s*(?:alias|aliases|a\.k\.a\.|aka|also known as|known as|better known as|"
    r"code[- ]?named|codename|code name|cover name|under the name(?: of)?|whose real name was|"
    r"real name|born|née|nee|pseudonym|pen name|nom de guerre)\s*:?\s+(?:the\s+)?"
    r"[\"“‘']?((?:[A-ZÀ-ÖØ-Þ][\w’'.-]*\s?){1,4})"
)


def alias_after(context: str, end: int) -> str | None:
    """The name an alias cue right after a mention gives ("Reiss, alias Ludwig" -> "Ludwig"),
    or None. `end` is the mention's end inside `context`."""
    if end < 0:
        return None
    m = _ALIAS_CUE.match(context[end : end + 80])
    return m.group(1).strip(" .,'’\"”") if m else None
