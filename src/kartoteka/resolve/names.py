"""Name knowledge: folding, parsing person names, transliteration-aware phonetic keys,
gendered surnames, given-name equivalence and organization name groups.

The knowledge itself lives in `data/*.json` (read once, on first use); this module only applies
it. Everything here works on single names and is independent of documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler, Levenshtein

_APOSTROPHES = "'’‘`´ʼ"
_ROMAN = re.compile(r"(?=[ivxl])(x{0,3})(ix|iv|v?i{0,3})")
_POSSESSIVE = re.compile(r"[" + _APOSTROPHES + r"]s?$")


@cache
def data(name: str) -> dict:
    """A shipped data file, parsed (cached: read on first use, not at import)."""
    path = resources.files("kartoteka.resolve").joinpath("data", name)
    return json.loads(path.read_text("utf-8"))


@lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """ASCII, lower case, letters, digits and single spaces only ("Reiß" -> "reiss")."""
    # an apostrophe inside a word is a transliterated soft sign or an elision ("Fel'dbin",
    # "Grigor'evič", "O'Brien"): the word stays one
    text = re.sub(r"(?<=\w)[" + _APOSTROPHES + r"](?=\w)(?!s\b)", "", anyascii(text)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def strip_possessive(name: str) -> str:
    """ "Les’s" -> "Les", "Reiss'" -> "Reiss"."""
    name = name.strip()
    stripped = _POSSESSIVE.sub("", name)
    return stripped if stripped else name


# person names -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name taken apart: given names (possibly initials) and the surname.

    A single word ("Les", "Paul") is `bare`: it may be a surname, a given name or an alias.
    """

    given: tuple[str, ...]  # folded, in order; an initial is one letter
    surname: str  # folded, particles included ("von neurath")
    surname_word: str  # folded last word of the surname, what keys are made from
    bare: bool
    #: a regnal number ("ii" in "Frederick II"): Frederick II and Frederick III are two people
    ordinal: str = ""

    @property
    def first(self) -> str | None:
        return self.given[0] if self.given else None


@lru_cache(maxsize=1)
def _name_parts() -> tuple[frozenset, frozenset, frozenset]:
    parts = data("name_parts.json")
    return (
        frozenset(parts["titles"]),
        frozenset(parts["particles"]),
        frozenset(parts["family_words"]),
    )


_NICKNAME = re.compile(r"^(\S+)\s+[\"“‘']([^\"”’']+)[\"”’']\s+(.+)$")


@lru_cache(maxsize=65536)
def parse_person(name: str) -> PersonName:
    # a nickname in quotes is the first name the person goes by: 'Harold "Kim" Philby' is
    # Kim Philby to every other source
    quoted = _NICKNAME.match(name.strip())
    if quoted:
        name = f"{quoted.group(2)} {quoted.group(3)}"
    titles, particles, family = _name_parts()
    # a possessive inside the span ends the name ("Heydrich's SD" is Heydrich's)
    inner = re.split(r"[" + _APOSTROPHES + r"]s\b", name, maxsplit=1)
    if len(inner) == 2 and inner[0].strip():
        name = inner[0]
    words = [w for w in fold(strip_possessive(name)).split() if w]
    while len(words) > 1 and words[0] in titles:
        words = words[1:]
    while len(words) > 1 and words[-1] in family:
        words = words[:-1]
    ordinal = ""
    if words and _ROMAN.fullmatch(words[-1]):
        if len(words) == 1:
            return PersonName((), "", "", True)  # a numeral alone names nobody
        # a ruler: "Frederick II" is Frederick, the second; the numeral tells them apart
        ordinal = words[-1]
        return PersonName((), " ".join(words[:-1]), words[-2], True, ordinal)
    if not words:
        return PersonName((), "", "", True)
    if len(words) == 1:
        return PersonName((), words[0], words[0], True)
    words = _given_name_first(words, surname_first=name.count(",") == 1)
    # the surname is the last word plus any particles before it (von Neurath, de Gaulle)
    i = len(words) - 1
    while i > 1 and words[i - 1] in particles:
        i -= 1
    given = tuple(w for w in words[:i] if w not in particles)
    surname_words = words[i:]
    if not given:
        return PersonName((), " ".join(surname_words), surname_words[-1], True)
    return PersonName(given, " ".join(surname_words), surname_words[-1], False)


def _given_name_first(words: list[str], surname_first: bool) -> list[str]:
    """Names in surname-first order ("Yezhov, Nikolai" in a catalogue; "Yezhov Nikolai",
    "Miyagi Yotoku" in a list) put back in given-name order: with a comma, or when the last
    word is a listed given name and the first is not."""
    if len(words) != 2:
        return words
    first, last = words
    if surname_first or (is_known_given(last) and not is_known_given(first)):
        return [last, first]
    return words


@lru_cache(maxsize=1)
def _gendered_titles() -> tuple[frozenset, frozenset]:
    parts = data("name_parts.json")
    return frozenset(parts["male_titles"]), frozenset(parts["female_titles"])


@lru_cache(maxsize=65536)
def title_gender(*titles: str | None) -> str | None:
    """ "M" or "F" when a title or the first word of a name tells the sex ("Mrs. Bennet"),
    else None. The first telling word wins."""
    male, female = _gendered_titles()
    for title in titles:
        for word in fold(title or "").split()[:2]:
            if word in male:
                return "M"
            if word in female:
                return "F"
    return None


# phonetic keys ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _phonetic_rules():
    spec = data("phonetic_rules.json")
    return [(re.compile(p), outs) for p, outs in spec["rules"]], spec["max_variants"]


@lru_cache(maxsize=65536)
def phonetic_keys(word: str) -> frozenset[str]:
    """Transliteration-aware phonetic keys of one word, a set because spellings are ambiguous
    (German "ch" is Russian "kh", English "ch" is German "tsch"). Two spellings of one name
    share at least one key: Yezhov, Ezhov, Jeschow -> "ESAV"; Krivitsky, Kriwitzki ->
    "KREVESK"; Tukhachevsky, Tuchatschewski -> "TUKASEVSK". Rules: data/phonetic_rules.json.
    """
    rules, max_variants = _phonetic_rules()
    text = re.sub(r"[^a-z]", "", fold(word))
    variants = [""]
    pos = 0
    while pos < len(text):
        for pattern, outs in rules:
            m = pattern.match(text, pos)
            if m and m.end() > pos:
                outs = outs if outs is not None else [m.group(0).upper()]
                variants = [v + o for v in variants for o in outs][:max_variants]
                pos = m.end()
                break
        else:  # a character no rule covers: keep it
            variants = [v + text[pos] for v in variants]
            pos += 1
    return frozenset(_collapse(v) for v in variants if v)


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def keys_match(a: str, b: str) -> bool:
    return bool(phonetic_keys(a) & phonetic_keys(b))


def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two folded strings, 0..1."""
    return JaroWinkler.similarity(a, b)


def edit_distance(a: str, b: str) -> int:
    return Levenshtein.distance(a, b)


@lru_cache(maxsize=1)
def _ocr_pairs() -> tuple[tuple[str, str], ...]:
    pairs = [tuple(p) for p in data("ocr_confusions.json")["pairs"]]
    return tuple({(x, y) for x, y in pairs} | {(y, x) for x, y in pairs})


@lru_cache(maxsize=65536)
def ocr_confusion(a: str, b: str) -> str:
    """ "d/a" when `b` is `a` with one group of letters OCR confuses read as another
    (data/ocr_confusions.json: "jdckson" / "jackson"), else "". Works on folded words."""
    if a == b or abs(len(a) - len(b)) > 1:
        return ""
    for x, y in _ocr_pairs():
        start = a.find(x)
        while start >= 0:
            if a[:start] + y + a[start + len(x) :] == b:
                return f"{x}/{y}"
            start = a.find(x, start + 1)
    return ""


@lru_cache(maxsize=1)
def _translated_surnames() -> frozenset[tuple[str, str]]:
    pairs = {(fold(a), fold(b)) for a, b in data("translated_surnames.json")["pairs"]}
    return frozenset(pairs | {(b, a) for a, b in pairs})


def translated_surname(a: str, b: str) -> bool:
    """Is one surname the English word machine translation renders the other as ("deutsch" /
    "german", data/translated_surnames.json)? Works on folded words."""
    return a != b and (a, b) in _translated_surnames()


# gendered surnames ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gender_pairs() -> list[tuple[str, str]]:
    pairs = [
        (fold(f).replace(" ", ""), fold(m).replace(" ", ""))
        for f, m in data("gendered_surnames.json")["pairs"]
    ]
    return sorted(set(pairs), key=lambda p: -len(p[0]))


@lru_cache(maxsize=262144)
def gendered_pair(a: str, b: str) -> bool:
    """True when two surnames are the woman's and the man's form of one family name
    (Smirnova / Smirnov, Kovalska / Kovalski): relatives, never one person."""
    a, b = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    # every woman's ending here ends in a or e, and the stems agree from the start
    if a == b or a[:2] != b[:2] or not (a[-1:] in "ae" or b[-1:] in "ae"):
        return False
    for x, y in ((a, b), (b, a)):
        for female, male in _gender_pairs():
            if x.endswith(female) and y.endswith(male):
                sx, sy = x[: len(x) - len(female)], y[: len(y) - len(male)]
                if len(sx) >= 2 and (sx == sy or (len(sx) >= 3 and keys_match(sx, sy))):
                    return True
    return False


# given names ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _given_groups() -> tuple[dict[str, frozenset[int]], frozenset[str]]:
    spec = data("given_names.json")
    groups: dict[str, set[int]] = {}
    for i, group in enumerate(spec["equivalents"]):
        for name in group:
            groups.setdefault(fold(name).replace(" ", ""), set()).add(i)
    common = frozenset(fold(n) for n in spec["common"])
    return {k: frozenset(v) for k, v in groups.items()}, common


def given_groups(name: str) -> frozenset[int]:
    """The given-name groups a word belongs to (data/given_names.json), maybe none."""
    return _given_groups()[0].get(fold(name).replace(" ", ""), frozenset())


def is_known_given(name: str) -> bool:
    """Is this word listed as a given name (data/given_names.json)?"""
    groups, common = _given_groups()
    word = fold(name).replace(" ", "")
    return word in groups or word in common


def is_common_given(name: str) -> bool:
    groups, common = _given_groups()
    return fold(name) in common


def given_compatible(a: str, b: str) -> str | None:
    """Why two given names can be one person's ("equal", "initial", "variant", "phonetic"),
    or None when they cannot (Walter / Ignace)."""
    a, b = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    if a == b:
        return "equal"
    if len(a) == 1 or len(b) == 1:
        return "initial" if a[0] == b[0] else None
    groups, _ = _given_groups()
    if groups.get(a, frozenset()) & groups.get(b, frozenset()):
        return "variant"
    if keys_match(a, b) and similarity(a, b) >= 0.8:
        return "phonetic"
    # a diminutive spelled as a prefix ("Alex" / "Alexander")
    if len(a) >= 3 and len(b) >= 3 and (a.startswith(b) or b.startswith(a)):
        return "prefix"
    return None


@lru_cache(maxsize=1)
def _patronymic_endings() -> tuple[str, ...]:
    endings = {fold(e) for e in data("name_parts.json")["patronymic_endings"]}
    return tuple(sorted(endings, key=len, reverse=True))


def patronymic_stem(word: str) -> str | None:
    """The father's name inside a patronymic, in any spelling system ("grigoryevich",
    "grigorjewitsch", "grigorevic" -> "grigor..."), or None when the word is no patronymic."""
    for ending in _patronymic_endings():
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)]
    return None


def middle_names_compatible(a: str, b: str) -> bool:
    """Second given names agree: as names, or as two spellings of one patronymic
    (Grigoryevich / Grigorjewitsch / Grigor'evič)."""
    if given_compatible(a, b) is not None:
        return True
    sa, sb = patronymic_stem(a), patronymic_stem(b)
    if not sa or not sb:
        return False
    return sa[:4] == sb[:4] or keys_match(sa, sb)


def givens_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """Compare the first given names; a patronymic or middle name on one side only is fine,
    and on both sides it must agree (in any spelling)."""
    if not a or not b:
        return "absent"
    why = given_compatible(a[0], b[0])
    if why is None:
        return None
    if len(a) > 1 and len(b) > 1 and not middle_names_compatible(a[1], b[1]):
        return None
    return why


# organizations ----------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def org_norm(name: str) -> str:
    """An organization name for comparison: folded, without a leading article, possessive or
    the dots of an acronym ("the N.K.V.D.'s" -> "nkvd")."""
    name = strip_possessive(name)
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}", name.replace(" ", "")):
        name = name.replace(".", "")
    text = fold(name)
    text = re.sub(r"^(the|a|an|la|le|les|die|der|das)\s+", "", text)
    return text


_GROUP_FILES = {"ORG": "org_names.json", "PLACE": "place_names.json"}


@lru_cache(maxsize=4)
def _known_groups(kind: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    strong: dict[str, str] = {}
    weak: dict[str, list[str]] = {}
    if kind not in _GROUP_FILES:
        return {}, {}
    for group in data(_GROUP_FILES[kind])["groups"]:
        for name in group["names"]:
            strong.setdefault(org_norm(name), group["canonical"])
        for name in group.get("weak", []):
            holders = weak.setdefault(org_norm(name), [])
            if group["canonical"] not in holders:  # "GPU" and "G.P.U." are one name
                holders.append(group["canonical"])
    return strong, {k: tuple(v) for k, v in weak.items()}


@lru_cache(maxsize=4)
def known_names(kind: str = "ORG") -> tuple[str, ...]:
    """Every name, sure or weak, the data files list for organizations (kind="ORG") or places
    ("PLACE"), as written: what the mention layer looks for when the tagger missed it."""
    if kind not in _GROUP_FILES:
        return ()
    names = {
        name
        for group in data(_GROUP_FILES[kind])["groups"]
        for name in (*group["names"], *group.get("weak", []))
    }
    return tuple(sorted(names))


def org_group(name: str, kind: str = "ORG") -> str | None:
    """The known organization (or place, kind="PLACE") a name always means: NKVD for
    "People's Commissariat for Internal Affairs", Soviet Union for "USSR"; None if unknown."""
    return _known_groups(kind)[0].get(org_norm(name))


def org_weak_groups(name: str, kind: str = "ORG") -> tuple[str, ...]:
    """Known organizations (places) a name may mean in the right context ("Ministry of the
    Interior" -> NKVD, MVD; "Vichy France", a known place under a regime's qualifier ->
    France)."""
    weak = _known_groups(kind)[1].get(org_norm(name), ())
    if weak:
        return weak
    place = qualified_place(name)
    group = org_group(place, "PLACE") if place else None
    return (group,) if group else ()


@lru_cache(maxsize=1)
def _place_qualifiers() -> frozenset[str]:
    return frozenset(data(_GROUP_FILES["PLACE"]).get("qualifiers", []))


def qualified_place(name: str) -> str | None:
    """The place a regime's or a period's qualifier names ("Vichy France" -> "France",
    "Nazi Germany" -> "Germany"; data/place_names.json "qualifiers"), or None."""
    words = name.split()
    if len(words) >= 2 and words[0] in _place_qualifiers():
        return " ".join(words[1:])
    return None


@lru_cache(maxsize=1)
def _dated_names() -> dict[str, list[tuple[int | None, int | None, str]]]:
    out: dict[str, list[tuple[int | None, int | None, str]]] = {}
    for entry in data("org_names.json").get("dated", []):
        periods = [(a, b, group) for a, b, group in entry["periods"]]
        for name in entry["names"]:
            out[org_norm(name)] = periods
    return out


def dated_group(name: str, year: int | None) -> str | None:
    """The organization a name meant in `year`, for a name whose meaning moved with time
    (data/org_names.json "dated": "the GPU" in 1930 is the OGPU, in 1938 the NKVD)."""
    if year is None:
        return None
    for start, end, group in _dated_names().get(org_norm(name), []):
        if (start is None or year >= start) and (end is None or year < end):
            return group
    return None


def acronym(name: str) -> str | None:
    """The acronym of a multi-word name ("Red Army Intelligence" -> "rai"), None for one word."""
    stop = frozenset(data("name_parts.json")["org_stopwords"])
    words = [w for w in re.split(r"[\s\-]+", fold(name)) if w and w not in stop]
    if len(words) < 2 or all(len(w) == 1 for w in words):
        return None  # one word, or an acronym already ("G.P.U.")
    return "".join(w[0] for w in words)
