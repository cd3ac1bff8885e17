"""Citation apparatus: where a text cites its sources rather than tells its story.

Histories carry footnotes full of references ("Dion Cassius, l. lxxii. p. 1203.", "Hist.
August. p. 46.", "Tillemont, Hist. des Empereurs, tom. ii. p. 752.", "Leipsig, 1773, 8vo").
Read as prose they give false dates (the "August" of the Historia Augusta, a book's printing
year) and false names (the cited authors as actors of the story). `find_citations` returns
the spans of such references, so that the time tagger and the mention layer can leave them
out. A footnote's own prose ("He was consul about the year 175.") is not a citation and is
kept.

    >>> text = "He died in 192. Dion Cassius, l. lxxii. p. 1203. Hist. August. p. 46."
    >>> [text[s:e] for s, e in find_citations(text)]
    ['Dion Cassius, l. lxxii. p. 1203.', 'Hist. August. p. 46.']

`find_notes` returns the footnotes themselves (paragraphs that open with a note's marker),
whose prose is kept but is not the story's flow.

A citation is found from its locators ("p. 46", "l. lxxii.", "tom. ii.", "c. 27" after a
title, "iii. 84"), its markers ("ibid.", "op. cit.") or a printing place and year ("Camb.
1704", "(London, 1831)"), and reaches back over the author and title before it: capitalized
words, abbreviations and title particles ("de", "ad", "pro"). The words are data
(`data/citations.json`).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

# How far back an author and title may reach before a locator, in words.
MAX_HEAD_WORDS = 8
# How far back a printing year looks for the title that makes it a citation, in characters.
PUBLICATION_REACH = 100

_YEAR = r"(?:1[4-9]\d\d|20\d\d)"
# a roman numeral as books are numbered in citations (lower case, up to 399: "lxxii")
_ROMAN = r"(?:c{1,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})|(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
_NUMBER = rf"(?:\d+\b|(?=[ivxlc]){_ROMAN}\b|[IVXLCDM]+\b|ult\b)"
_ROMAN_TOKEN = re.compile(rf"^(?=[ivxlc]){_ROMAN}[.,;]*$")
_CAPITALIZED = re.compile(r"^[A-ZÆŒ][\w’'æœ-]*\.?$")
_SENTENCE_END = re.compile(r"^[a-zæœ][\w’'-]*[.!?]$")


@dataclass(frozen=True)
class CitationWords:
    strong_locators: tuple[str, ...]
    weak_locators: tuple[str, ...]
    standalone: tuple[str, ...]
    head_words: frozenset[str]
    title_particles: frozenset[str]
    formats: tuple[str, ...]
    edition_words: tuple[str, ...]
    lead_words: frozenset[str]
    not_places: tuple[str, ...]


@cache
def citation_words() -> CitationWords:
    """The shipped word lists, read once."""
    path = resources.files("kartoteka.nlp").joinpath("data", "citations.json")
    data = json.loads(path.read_text("utf-8"))
    return CitationWords(
        strong_locators=tuple(data["strong_locators"]),
        weak_locators=tuple(data["weak_locators"]),
        standalone=tuple(data["standalone"]),
        head_words=frozenset(data["head_words"]),
        title_particles=frozenset(data["title_particles"]),
        formats=tuple(data["formats"]),
        edition_words=tuple(data["edition_words"]),
        lead_words=frozenset(data["lead_words"]),
        not_places=tuple(data["not_places"]),
    )


def _words(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])


@dataclass(frozen=True)
class _Patterns:
    strong: re.Pattern[str]
    weak: re.Pattern[str]
    roman_number: re.Pattern[str]
    titled_number: re.Pattern[str]
    standalone: re.Pattern[str]
    chain: re.Pattern[str]
    printed: re.Pattern[str]
    printed_in_brackets: re.Pattern[str]
    cue: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    w = citation_words()
    strong = rf"(?<![\w.])(?:(?:{_words(w.strong_locators)})\.\s*{_NUMBER}|pp?\s+\d+\b)\.?"
    weak = rf"(?<![\w.])(?:{_words(w.weak_locators)})\.?\s*{_NUMBER}\.?"
    formats = rf"(?:{_words(w.formats)})"
    roman_number = rf"(?<![\w.])(?=[ivxlc]){_ROMAN}\.\s*\d+\b\.?"
    locator = rf"(?:{strong}|{weak}|{roman_number}|&c\.|{formats})"
    pages = r"(?:[-–,]\s*\d+\b\.?|\d+\b\.?)"
    # a locator may follow a closing bracket ("[c. 31,] p. 1195"), a bare page number not
    # (after "p. 46.]" comes the next footnote's number)
    chain = rf"[\s,;:]*[\[(]?\s*(?:{locator}|{pages})|[\s,;:\])]*[\[(]?\s*{locator}"
    return _Patterns(
        strong=re.compile(strong),
        weak=re.compile(weak),
        # "Tacit. Annal. i. 17", "Eutropius, viii. 17": a book in roman, a chapter in arabic
        roman_number=re.compile(roman_number),
        # "Hist. August. 73": two abbreviations and a number, unless a date ("Mon. Sept. 15")
        titled_number=re.compile(
            r"(?<![\w.])[A-Z][a-z]+\.\s+(?!(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
            r"[A-Z][a-z]+\.\s+\d+\b\.?"
        ),
        standalone=re.compile(rf"(?<![\w.])(?:{_words(w.standalone)})(?!\w)"),
        chain=re.compile(chain),
        # "Camb. 1704.", "Leipsig, 1773.", "Halæ, 1772, 8vo."
        printed=re.compile(
            rf"\b[A-ZÆŒ][\w’æœ]*[.,]\s+\(?(?P<year>{_YEAR})(?=\s*(?:,\s*{formats}|[.;:)\]]|,))"
        ),
        printed_in_brackets=re.compile(
            rf"\((?:(?!{_words(w.not_places)}\b)[A-Z][\w’æœ.]*,?\s+){{1,3}}{_YEAR}\)"
            rf"|(?<=[_”\"])\s*\({_YEAR}\)"
        ),
        cue=re.compile(
            rf"{strong}|(?<![\w.])(?:{_words(tuple(w.title_particles - {'in'}))})\s+[A-Z]"
            rf"|(?<![\w.])(?:{_words(w.edition_words)})(?!\w)|{formats}"
            r"|\b[A-Z][a-z]+\.\s+[A-Z][a-z]+\.\s"
        ),
    )


def _head_start(text: str, start: int) -> int:
    """Where the author and title before a locator at `start` begin ("Dion Cassius, ",
    "Hist. des Empereurs, "): capitalized words, abbreviations, title words, back to a
    sentence end, a bracket or a lower-case word."""
    w = citation_words()
    window = text[max(0, start - 120) : start]
    offset = start - len(window)
    tokens = list(re.finditer(r"\S+", window))
    head = start
    for tok in reversed(tokens[-MAX_HEAD_WORDS:]):
        raw = tok.group()
        if raw[-1] in ")]":
            break
        core = raw.strip(",;:([")
        locator = _ROMAN_TOKEN.match(core) or core.rstrip(".") in w.weak_locators
        if not core or (_SENTENCE_END.match(core) and not locator):
            break
        if not (_CAPITALIZED.match(core) or core in w.head_words or locator):
            break
        head = offset + tok.start()
        if raw[0] in "([":
            head += 1
            break
        if core in w.lead_words:
            break  # "See Nardini Roma Antica": the citation starts at "See"
    # a head starts on a capitalized word or a title particle ("de Die Natali"), not on "of
    # the"
    while head < start:
        m = re.match(r"(\S+)\s+", text[head:start])
        if not m:
            break
        word = m.group(1).strip(",;:")
        if _CAPITALIZED.match(word) or word in w.title_particles:
            break
        head += m.end()
    return head


def _has_title(text: str, start: int, end: int) -> bool:
    """Does a head name a work: an abbreviation ("Apolog.") or a title particle ("pro
    Flacco", "de Die Natali")?"""
    head = text[start:end]
    # "in Claud." names a work, "in Rome" a place: "in" only before an abbreviation
    particles = citation_words().title_particles - {"in"}
    return bool(
        re.search(r"\b[A-Z][a-z]{2,}\.(?=\s|,)", head)
        or any(re.search(rf"(?<![\w.]){re.escape(p)}\s+[A-Z]", head) for p in particles)
    )


def _extend(text: str, end: int) -> int:
    """`end` moved over the locators, page lists and formats that follow a locator."""
    chain = _patterns().chain
    while True:
        m = chain.match(text, end)
        if not m or m.end() == end:
            return end
        end = m.end()


def _located(text: str) -> list[tuple[int, int]]:
    """Citations found from their locators and markers."""
    p = _patterns()
    spans = []
    for m in p.strong.finditer(text):
        spans.append((_head_start(text, m.start()), _extend(text, m.end())))
    for m in p.titled_number.finditer(text):
        spans.append((_head_start(text, m.start()), _extend(text, m.end())))
    for m in p.standalone.finditer(text):
        spans.append((m.start(), _extend(text, m.end())))
    for rx in (p.weak, p.roman_number):
        for m in rx.finditer(text):
            head = _head_start(text, m.start())
            if head < m.start() and _has_title(text, head, m.start()):
                spans.append((head, _extend(text, m.end())))
    return spans


def _printed(text: str) -> list[tuple[int, int]]:
    """Printing places and years: "Camb. 1704" after a title, "(London, 1831)". The title
    must show ("de Rationario", "Proleg. ad Geoponic.", "edit.", "8vo"): "in Madrid, 1997"
    is no citation."""
    p = _patterns()
    spans = [(m.start(), m.end()) for m in p.printed_in_brackets.finditer(text)]
    for m in p.printed.finditer(text):
        year = m.start("year")
        lo = max(0, year - PUBLICATION_REACH, text.rfind("[", 0, year) + 1)
        if p.cue.search(text, lo, year):
            spans.append((_head_start(text, m.start()), _extend(text, m.end())))
    return spans


# How many texts' citations are kept: the time tagger and the mention layer ask for the same
# document's, one after the other, and a book's take a second or more to find.
CACHED_TEXTS = 4


def find_citations(text: str) -> list[tuple[int, int]]:
    """The spans of citation apparatus in `text`, in order, overlapping ones merged.

    Found once per text: the last few texts' spans are kept, as the time tagger and the
    mention layer both ask for those of the document being annotated."""
    return list(_citations(text))


@lru_cache(maxsize=CACHED_TEXTS)
def _citations(text: str) -> tuple[tuple[int, int], ...]:
    spans = sorted(_located(text) + _printed(text))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        while e > s and text[e - 1].isspace():
            e -= 1
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)


# A footnote: a paragraph that opens with a note's marker ("12 (return) [", "[Footnote 12:",
# "[12]", "Note 12:"), up to the next blank line.
_NOTE = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*(?P<note>(?:\d{1,3}[ \t]*\(return\)[ \t]*\[|\[[ \t]*(?:Footnote[ \t]*)?"
    r"\d{1,3}[ \t]*[:\]]|Note[ \t]+\d{1,3}[.:])[\s\S]*?)(?=\n[ \t]*\n|\Z)"
)


def find_notes(text: str) -> list[tuple[int, int]]:
    """The spans of footnotes in `text` (paragraphs opening with a note's marker), in order.

    A footnote is not the story's flow: what it says of another time ("Faustina died in the
    year 175") must not move the time the story is told in.

    >>> text = "He reigned.\\n\\n3 (return) [ Dion, l. lxxii. He was born in 161.]\\n\\nHe died."
    >>> [text[s:e] for s, e in find_notes(text)]
    ['3 (return) [ Dion, l. lxxii. He was born in 161.]']
    """
    return [(m.start("note"), m.end("note")) for m in _NOTE.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does [start, end) overlap one of `spans` (sorted, as find_citations gives them)?"""
    i = bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end
