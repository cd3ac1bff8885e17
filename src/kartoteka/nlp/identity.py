"""What the text itself says about identity: stated links between names, with their passage.

Sources name people in many ways and often say so: "Reiss, alias Ludwig", "Maclean
(cryptonym: Homer)", "Orlov ( Russian Александр Орлов , actually Leiba Feldbin )", "he went
to London under the pseudonym "Stephan"", and an encyclopedia article's title names the
person of its opening sentence. Each such statement becomes a `StatedLink` between two
mentions (the alias and the name it belongs to), with the passage that states it; resolution
treats it as stronger than any likeness of spelling.

Names the tagger missed are added where a cue or a gloss shows them (code names, names in
another script), with the type of the name they belong to. The cues are data
(`data/identity_cues.json`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kartoteka.model import Mention, Span, StatedLink
from kartoteka.resolve.types import PRONOUN_MARK

NAME = "kartoteka_identity"
VERSION = "kartoteka_identity.v1"

_QUOTES = "\"“”„‘’'«»"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁΑ-Ω"
_CYRILLIC_WORD = r"[А-ЯЁ][а-яёА-ЯЁ\u0301-]*"
#: a name in Cyrillic: capitalized words, a bracketed variant inside ("Лев (Лейб) Фельдбин")
_SCRIPT_NAME = re.compile(
    _CYRILLIC_WORD + r"(?:\s+(?:\(" + _CYRILLIC_WORD + r"\)\s+)?" + _CYRILLIC_WORD + r")*"
)
#: a name in Latin letters: one to four capitalized words ("Léon Nikolaeff", "Grigor'evič")
_LATIN_NAME = re.compile(
    r"[" + _UPPER + r"][\w'’\-]*"
    r"(?:\s+(?:(?:de|von|van|der|la|le)\s+)?[" + _UPPER + r"][\w'’\-]*){0,3}"
)
#: after an alias outside brackets the clause goes on: "Trotsky, also Stalin's enemy" is none
_APPOSITION_END = re.compile(r"\s*(?:[,;.:)\]\n(]|$|and\b|or\b|who\b)")
#: a person's name may be followed, in machine translation, by a surname rendered as words
#: ("Leiba Lazarevich field leg"): at most two lower-case words end a gloss segment
_TRAILING_WORDS = re.compile(r"(?:\s+[a-z]+){1,2}\s*$")


@dataclass(frozen=True)
class IdentityCues:
    after: tuple[str, ...]  # longest first
    labels: tuple[str, ...]
    before: tuple[str, ...]
    pronouns: frozenset[str]
    not_alias: frozenset[str]
    person_words: tuple[str, ...]

    def names_a_person(self, cue: str) -> bool:
        """Does the cue say the alias is a person's ("cryptonym", "under the pseudonym")?"""
        return any(word in cue for word in self.person_words)

    def pattern(self, words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@lru_cache(maxsize=1)
def identity_cues() -> IdentityCues:
    """The shipped cue lists, read once on first use."""
    path = resources.files("kartoteka.nlp").joinpath("data", "identity_cues.json")
    spec = json.loads(path.read_text("utf-8"))

    def longest_first(words):
        return tuple(sorted(words, key=len, reverse=True))

    return IdentityCues(
        after=longest_first(spec["after"]),
        labels=longest_first(spec["labels"]),
        before=longest_first(spec["before"]),
        pronouns=frozenset(spec["pronouns"]),
        not_alias=frozenset(spec["not_alias"]),
        person_words=tuple(spec["person_words"]),
    )


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    cues = identity_cues()
    after, labels, before = (cues.pattern(x) for x in (cues.after, cues.labels, cues.before))
    return {
        # ", alias ", " (real name ", " [code name: "
        "after": re.compile(
            r"\s*[,;]?\s*(?P<bracket>[(\[]\s*)?(?:(?:" + labels + r")\s+)?(?P<cue>" + after + r")"
            r"\s*:?\s*(?:the\s+)?",
            re.I,
        ),
        "bracket": re.compile(r"[\s" + _QUOTES + r"]*,?\s*[(\[]"),
        "label": re.compile(r"(?:(?:" + labels + r"|" + after + r")\s*:?\s*)+", re.I),
        "before": re.compile(r"\b(?P<cue>" + before + r")\b\s*,?\s*:?\s*", re.I),
    }


class _Names:
    """The mentions of one document by position, and the names a statement brings in."""

    def __init__(self, text: str, mentions: list[Mention]):
        self.text = text
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.added: set[int] = set()  # ids of mentions made here: their type is the head's
        self._starts: list[int] | None = None
        self.replaced: dict[int, Mention] = {}  # id of a mention -> the one that replaced it

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [m.start for m in self.mentions]
        return self._starts

    def add(self, mention: Mention) -> Mention:
        self.mentions.append(mention)
        self.mentions.sort(key=lambda x: x.start)
        self._starts = None
        self.added.add(id(mention))
        return mention

    def at(self, pos: int) -> Mention | None:
        """The mention starting at `pos` (after quotes and spaces)."""
        pos = _skip(self.text, pos, " " + _QUOTES)
        i = bisect_right(self.starts(), pos) - 1
        if i >= 0 and self.mentions[i].start == pos:
            return self.mentions[i]
        return None

    def covered(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for m in self.mentions)

    def name_at(self, pos: int, kind: str, limit: int) -> Mention | None:
        """The name starting at `pos`: a mention there, else one made from the capitalized
        words (or the Cyrillic ones) found there, of type `kind`."""
        found = self.at(pos)
        if found is not None:
            return found
        pos = _skip(self.text, pos, " " + _QUOTES)
        m = _SCRIPT_NAME.match(self.text, pos, limit) or _LATIN_NAME.match(self.text, pos, limit)
        if not m:
            return None
        name = m.group().rstrip(".,;:'’-")
        if name.split()[0] in identity_cues().not_alias:
            return None
        return self.claim(pos, pos + len(name), kind, "stated")

    def claim(self, start: int, end: int, kind: str, source: str) -> Mention | None:
        """A mention of [start, end): made anew, taking the place of the tagger's mentions
        that lie inside it ("Blau" in "Doktor Blau"); None when a mention crosses its edge."""
        inside = [m for m in self.mentions if m.start < end and start < m.end]
        if any(m.start < start or m.end > end for m in inside):
            return None
        text = self.text[start:end]
        made = Mention(start, end, text, kind, text, source=source)
        if inside:
            self.mentions = [m for m in self.mentions if m not in inside]
            self._starts = None
            for m in inside:
                self.replaced[id(m)] = made
        return self.add(made)

    def drop_inside(self, start: int, end: int) -> None:
        """Forget the tagger's mentions inside [start, end) (a label is no name)."""
        kept = [m for m in self.mentions if not (start <= m.start and m.end <= end)]
        if len(kept) != len(self.mentions):
            self.mentions = kept
            self._starts = None

    def current(self, mention: Mention) -> Mention:
        """The mention that now stands for `mention` (itself, or the longer one that took
        its place)."""
        while id(mention) in self.replaced:
            mention = self.replaced[id(mention)]
        return mention


def _skip(text: str, pos: int, chars: str) -> int:
    while pos < len(text) and text[pos] in chars:
        pos += 1
    return pos


def script_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions for names written in Cyrillic, replacing the pieces the tagger made of them
    ("Russian Лев" and "Лазаревич Фельдбин" for "Лев (Лейб) Лазаревич Фельдбин")."""
    runs = [m for m in _SCRIPT_NAME.finditer(text) if " " in m.group() or len(m.group()) > 3]
    if not runs:
        return mentions
    kept = [m for m in mentions if not any(m.start < r.end() and r.start() < m.end for r in runs)]
    for r in runs:
        kept.append(Mention(r.start(), r.end(), r.group(), "PER", r.group(), source="script"))
    return sorted(kept, key=lambda m: m.start)


def find_links(
    doc,
    mentions: list[Mention],
    sentences: list[Span] | None = None,
    title_end: int = 0,
) -> tuple[list[Mention], list[StatedLink]]:
    """The document's mentions (with the names statements bring in, and their other
    occurrences) and its stated links. `doc` is the spaCy parse the mentions come from.

    A link's `head` and `alias` index into the returned mentions; its passage runs from the
    first of the two names to the last (for a name given by pronoun, the sentence)."""
    from kartoteka.nlp.mentions import outside_citations, spread_names

    text = doc.text
    names = _Names(text, script_names(text, mentions))
    found: list[_Found] = []
    found += _title_subject(names, title_end)
    found += _before_cues(names, sentences)
    for head in list(names.mentions):
        found += _after_name(names, head)
    for f in found:
        f.head, f.alias = names.current(f.head), names.current(f.alias)
    _agree_types(names.mentions, found)
    # the names a statement brought in may stand elsewhere too ("Gusenko" after "Igor
    # Sergejewitsch Gusenko")
    new = [m for m in names.mentions if m.source in ("stated", "script", "title")]
    spread = spread_names(doc, names.mentions) if new else []
    # what a statement brings in counts no more in a source citation than the tagger's names
    mentions = sorted(outside_citations(names.mentions + spread, text), key=lambda m: m.start)
    index = {id(m): i for i, m in enumerate(mentions)}
    links, seen = [], set()
    for f in found:
        key = (id(f.head), id(f.alias))
        if f.head is f.alias or key in seen or not {id(f.head), id(f.alias)} <= index.keys():
            continue
        seen.add(key)
        start, end = f.passage or (min(f.head.start, f.alias.start), max(f.head.end, f.alias.end))
        links.append(StatedLink(index[id(f.head)], index[id(f.alias)], f.cue, start, end))
    if sentences is not None:
        starts = [s.start for s in sentences]
        for m in mentions:
            m.sentence = max(bisect_right(starts, m.start) - 1, 0)
    return mentions, links


def _agree_types(mentions: list[Mention], found: list[_Found]) -> None:
    """Names stated to be one are of one type, wherever the document uses them. The tagger's
    types vote (on an alias, whose lone code name it often mistypes, at half weight; names a
    statement brought in have no say; a bare bracketed translation votes in full), a cue that speaks of a person ("cryptonym",
    "pseudonym") votes for a person, and a tie goes to a person, then an organization (a
    translated name is seldom a place's); with no vote at all, the glossed name's type."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.get(name, name) != name:
            name = parent[name]
        return name

    for f in found:
        a, b = root(f.head.name), root(f.alias.name)
        if a != b:
            parent[b] = a
    if not parent:
        return
    cued = {f.alias.name for f in found if f.cue != "gloss"} - {f.head.name for f in found}
    linked = set(parent) | set(parent.values())
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        if m.name in linked and m.source not in ("stated", "script", "title"):
            votes[root(m.name)][m.type] += 0.5 if m.name in cued else 1.0
    for f in found:
        counter = votes[root(f.head.name)]
        counter[f.head.type] += 0.01
        if identity_cues().names_a_person(f.cue):
            counter["PER"] += 1.0
    order = {"PER": 0, "ORG": 1, "PLACE": 2}
    for m in mentions:
        if m.name in linked:
            counter = votes[root(m.name)]
            m.type = max(counter, key=lambda t: (round(counter[t], 1), -order.get(t, 3)))


@dataclass
class _Found:
    head: Mention
    alias: Mention
    cue: str
    passage: tuple[int, int] | None = None


def _after_name(names: _Names, head: Mention) -> list[_Found]:
    """Links stated right after a name: a cue and a name ("X, alias Y"), or a bracketed
    gloss ("X (Y)"). A name so linked may itself be followed by more ("Gusenko , also
    Gouzenko, ( Russian Гузенко )"); all belong to the first name."""
    found: list[_Found] = []
    pos = head.end
    for _ in range(3):
        step = _cue_after(names, head, pos) or _gloss_after(names, head, pos)
        if not step:
            break
        links, pos = step
        found += links
    return found


def _cue_after(names: _Names, head: Mention, pos: int) -> tuple[list[_Found], int] | None:
    text = names.text
    m = _patterns()["after"].match(text, pos, min(len(text), pos + 80))
    if not m:
        return None
    bracketed = bool(m.group("bracket"))
    limit = _bracket_end(text, m.start("bracket")) if bracketed else _clause_end(text, m.end())
    alias = names.name_at(m.end(), head.type, limit)
    if alias is None or not _fits(alias, head, labelled=True):
        return None
    if not bracketed and not _APPOSITION_END.match(text, alias.end):
        return None
    cue = " ".join(m.group("cue").lower().split())
    links = [_Found(head, alias, cue)]
    end = alias.end
    if bracketed:  # a list inside the brackets: "(cryptonyms: Sonny, Stanley)"
        while True:
            sep = re.match(r"\s*(?:,|;|\band\b|\bor\b)\s*", text[end:limit])
            nxt = names.name_at(end + sep.end(), head.type, limit) if sep else None
            if nxt is None or not _fits(nxt, head, labelled=True):
                break
            links.append(_Found(head, nxt, cue))
            end = nxt.end
        end = min(limit + 1, len(text))
    return links, end


def _gloss_after(names: _Names, head: Mention, pos: int) -> tuple[list[_Found], int] | None:
    """ "X ( Russian Y , scientific transliteration Z , actually W ; born ...)": every segment
    of the brackets that is a label and a name (or, for a person or organization, a name
    alone) glosses X."""
    text = names.text
    m = _patterns()["bracket"].match(text, pos, min(len(text), pos + 6))
    if not m:
        return None
    open_at = m.end() - 1
    close = _bracket_end(text, open_at)
    links: list[_Found] = []
    seg_start = open_at + 1
    for seg_end in _segment_ends(text, seg_start, close) + [close]:
        links += _gloss_segment(names, head, seg_start, seg_end)
        seg_start = seg_end + 1
    if not links:
        return None
    return links, min(close + 1, len(text))


def _gloss_segment(names: _Names, head: Mention, start: int, end: int) -> list[_Found]:
    text = names.text
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    label = _patterns()["label"].match(text, start + lead, end)
    labelled = bool(label and label.group().strip())
    pos = label.end() if label and labelled else start + lead
    if label and labelled:  # "Scientific" of "Scientific transliteration" names nothing
        names.drop_inside(label.start(), label.end())
    alias = names.name_at(pos, head.type, end)
    if alias is None or alias.end > end:
        return []
    translated = _translated(text[start:end], alias, head)
    if not labelled and head.type == "PLACE" and not translated:
        return []  # "Moscow (USSR)" says where, not who
    if not (_fits(alias, head, labelled) or translated):
        return []
    cue = " ".join(label.group().strip().rstrip(":").lower().split()) if labelled else "gloss"
    found = [_Found(head, alias, cue)]
    rest_start = alias.end
    inner = _gloss_after(names, head, alias.end)  # "Ramsay" ("Рамзай" (Ramzai, Ramzay))
    if inner and inner[1] <= end + 1:
        found += inner[0]
        rest_start = min(inner[1], end)
    tail = text[rest_start:end].strip().strip(_QUOTES + ".)]").strip()
    if tail and not (labelled and head.type == "PER" and _TRAILING_WORDS.fullmatch(" " + tail)):
        return []
    return found


def _translated(brackets: str, alias: Mention, head: Mention) -> bool:
    """A name that is all the brackets hold glosses the one before them even when the tagger
    typed the two apart: a translation ("Rote Kapelle (Red Orchestra)", two words or more
    on each side, one side an organization). "Soviet Embassy (Tokyo)" and "Minsk (USSR)" say
    where, not who."""
    if brackets.strip(" " + _QUOTES) != alias.text:
        return False
    if "PLACE" not in (alias.type, head.type):
        return True
    return (
        "ORG" in (alias.type, head.type)
        and len(alias.text.split()) >= 2
        and len(head.text.split()) >= 2
    )


def _fits(alias: Mention, head: Mention, labelled: bool) -> bool:
    """An alias may be of another type only when a label or cue says what it is (the tagger
    often types a lone code name wrongly); a bare bracketed name must be of the head's type."""
    if alias.start < head.end:
        return False
    return labelled or alias.type == head.type or alias.source in ("stated", "script")


def _segment_ends(text: str, start: int, end: int) -> list[int]:
    """Positions of the commas and semicolons at the top level of a bracketed gloss."""
    depth, ends = 0, []
    for i in range(start, end):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch in ",;" and depth == 0:
            ends.append(i)
    return ends


def _bracket_end(text: str, open_at: int, limit: int = 400) -> int:
    """The position of the bracket closing the one at `open_at` (or where the search gave up)."""
    depth = 0
    for i in range(open_at, min(len(text), open_at + limit)):
        if text[i] in "([":
            depth += 1
        elif text[i] in ")]":
            depth -= 1
            if depth == 0:
                return i
        elif text[i] == "\n":
            return i
    return min(len(text), open_at + limit)


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"[,;:()\[\]\n]|\.\s").search(text, pos, min(len(text), pos + 120))
    return m.start() if m else min(len(text), pos + 120)


def _before_cues(names: _Names, sentences: list[Span] | None) -> list[_Found]:
    """ "He went to London under the pseudonym "Stephan"": a name after such a cue belongs to
    the person the sentence names before it (when it names one), else, when the sentence
    speaks of him or her by pronoun, to the person the document is about."""
    text = names.text
    out = []
    for m in _patterns()["before"].finditer(text):
        alias = names.name_at(m.end(), "PER", _clause_end(text, m.end()))
        if alias is None:
            continue
        start, end = _sentence_of(sentences, m.start(), text)
        people = [
            x
            for x in names.mentions
            if x.type == "PER" and start <= x.start < m.start() and x is not alias
        ]
        head = people[0] if len(people) == 1 else None
        cue = " ".join(m.group("cue").lower().split())
        words = set(re.findall(r"[a-z]+", text[start : m.end()].lower()))
        if not people and words & identity_cues().pronouns:
            head = _main_person(names, exclude=alias)
            cue += " " + PRONOUN_MARK
        if head is not None:
            out.append(_Found(head, alias, cue, (start, max(end, alias.end))))
    return out


def _sentence_of(sentences: list[Span] | None, pos: int, text: str) -> tuple[int, int]:
    if sentences:
        i = max(bisect_right([s.start for s in sentences], pos) - 1, 0)
        return sentences[i].start, sentences[i].end
    start = max(text.rfind(". ", 0, pos) + 2, text.rfind("\n", 0, pos) + 1, 0)
    end = text.find(". ", pos)
    return start, end + 1 if end > 0 else len(text)


def _main_person(names: _Names, exclude: Mention) -> Mention | None:
    """The person the document is about: the one whose surname it names most often (the
    fullest name that carries it, first seen)."""
    people = [m for m in names.mentions if m.type == "PER" and m is not exclude and m.name]
    if not people:
        return None
    counts: dict[str, list[Mention]] = {}
    for m in people:
        counts.setdefault(m.name.split()[-1], []).append(m)
    holders = max(counts.values(), key=lambda ms: (len(ms), -ms[0].start))
    return max(holders, key=lambda m: (len(m.name.split()), -m.start))


def _title_subject(names: _Names, title_end: int) -> list[_Found]:
    """An article whose title is a person's name is about the person its opening sentence
    names: "Arnold German" (a machine-translated title) over "Arnold Deutsch (* 1903 ...".
    The title must be a name and nothing else, and the two must share a word."""
    text = names.text
    title = text[:title_end].strip() if title_end > 0 else ""
    if not _LATIN_NAME.fullmatch(title) or not 2 <= len(title.split()) <= 4 or title.isupper():
        return []
    lead = _lead_person(names, title_end, set(title.split()))
    if lead is None:
        return []
    start = text.find(title)
    head = names.at(start)
    if head is None or head.end != start + len(title):
        head = names.claim(start, start + len(title), "PER", "title")
    return [_Found(lead, head, "title")] if head is not None and head.type == "PER" else []


def _lead_person(names: _Names, title_end: int, words: set[str]) -> Mention | None:
    """The first person named in the opening of the body that shares a word with the title;
    made from the body's first words when the tagger missed it."""
    text = names.text
    body = _skip(text, title_end, " \n\t")
    window = text.find("\n", body)
    window = min(window if window > 0 else len(text), body + 300)
    for m in names.mentions:
        if body <= m.start < window and m.type == "PER" and words & set(m.name.split()):
            return m
    first = _LATIN_NAME.match(text, body, window)
    if first and words & set(first.group().split()) and len(first.group().split()) >= 2:
        return names.name_at(body, "PER", first.end())
    return None
