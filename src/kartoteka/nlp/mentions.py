"""Entity mentions from a spaCy Doc: spaCy's entities, made consistent and complete.

spaCy's small English pipeline finds most names but types single surnames unreliably
("Kandelaki" a place, "Schacht" an organization), glues possessives and titles on or off
at random, and misses repeated occurrences. This component fixes what is cheap to fix:

1. each entity span is trimmed (articles, possessives, dangling "and"), split at an inner
   possessive ("Heydrich’s SD" is two names), and extended over a preceding title or rank;
2. every span votes for a type for its *name*, with weights: spaCy's label, a title, an
   organization word in the name, a person-only verb or possessed noun in the parse, a
   surname ending; names that are parts of a longer person name vote person;
3. every mention of a name takes the name's winning type;
4. other occurrences of a known name that spaCy missed are added.

The word lists live in `data/` (see its README).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kartoteka.model import Mention, Span
from kartoteka.nlp.citations import find_citations, inside

NAME = "kartoteka_mentions"
VERSION = "kartoteka_mentions.v7"

#: spaCy label -> our type; NORP ("Soviet", "Nazi") is not an entity of ours, but spaCy
#: sometimes puts a surname there, so its spans are kept as voteless candidates.
LABELS = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": None,
}
_POSSESSIVE_TOKENS = {"’s", "'s", "’", "'", "s'", "s’"}
_POSSESSIVE_SUFFIX = re.compile(r"(?:[’']s|(?<=s)[’'])$")
_EDGE_WORDS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "and",
    "or",
    "of",
    "&",
    "former",
    "late",
}
#: a comma or a bracket inside a tagged span separates names ("Sonny, Stanley", "Red
#: Orchestra (Die Rote Kapelle")
_LIST_BREAKS = {",", "(", ")", "[", "]", ";"}
_ORG_EXTENDERS = {"Embassy", "Legation", "Consulate", "Mission", "Residency", "Station"}


@dataclass(frozen=True)
class NameKnowledge:
    titles: frozenset[tuple[str, ...]]
    org_words: frozenset[str]
    place_words: frozenset[str]
    place_names: frozenset[str]
    place_endings: tuple[str, ...]
    region_abbreviations: tuple[str, ...]
    person_verbs: frozenset[str]
    person_nouns: frozenset[str]
    person_roles: frozenset[str]
    person_patient_verbs: frozenset[str]
    surname_endings: tuple[str, ...]
    not_names: frozenset[str]
    not_entity_heads: frozenset[str]


def _word_list(name: str) -> list[str]:
    text = resources.files("kartoteka.nlp").joinpath("data", name).read_text("utf-8")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@lru_cache(maxsize=1)
def name_knowledge() -> NameKnowledge:
    """The shipped word lists, read once on first use."""
    return NameKnowledge(
        # "General Miller" and, in running text, "marshal Tukhachevsky"
        titles=frozenset(
            variant
            for t in _word_list("titles.txt")
            for variant in (tuple(t.split()), tuple(t.lower().split()))
            if len(t) > 3 or not variant[0].islower()
        ),
        org_words=frozenset(_word_list("org_words.txt")),
        place_words=frozenset(_word_list("place_words.txt")),
        place_names=frozenset(_word_list("place_names.txt")),
        place_endings=tuple(_word_list("place_endings.txt")),
        region_abbreviations=tuple(_word_list("region_abbreviations.txt")),
        person_verbs=frozenset(_word_list("person_verbs.txt")),
        person_nouns=frozenset(_word_list("person_nouns.txt")),
        person_roles=frozenset(_word_list("person_roles.txt")),
        person_patient_verbs=frozenset(_word_list("person_patient_verbs.txt")),
        surname_endings=tuple(sorted(_word_list("surname_endings.txt"), key=len, reverse=True)),
        not_names=frozenset(_word_list("not_names.txt")),
        not_entity_heads=frozenset(_word_list("not_entity_heads.txt")),
    )


@dataclass
class _Candidate:
    start: int  # first token of the name
    end: int  # one past the last token of the name
    title_start: int  # first token of the title, == start when there is none
    label: str | None
    weight: float  # how much spaCy's label counts
    needs_support: bool = False  # keep only if the name is found elsewhere too
    key: str = ""


def find_mentions(
    doc,
    sentences: list[Span] | None = None,
    title_end: int = 0,
    knowledge: NameKnowledge | None = None,
) -> list[Mention]:
    """Mentions of people, organizations and places in `doc`, sorted by offset.

    `title_end` is the character offset where the document's title line ends (0: no title);
    a name seen only in the title is dropped, since title case misleads the tagger.
    """
    knowledge = knowledge or name_knowledge()
    text = doc.text  # spaCy rebuilds doc.text from the tokens on every access: once only
    candidates = _candidates(doc, knowledge)
    for c in candidates:
        c.key = _key(doc, text, c)
    _cut_headline_verbs(doc, text, candidates)
    votes = _vote(doc, candidates, knowledge)
    winners = {
        key: counter.most_common(1)[0][0]
        for key, counter in votes.items()
        if counter and counter.most_common(1)[0][1] > 0
    }

    in_body = {c.key for c in candidates if doc[c.start].idx >= title_end}
    supported = Counter(c.key for c in candidates if not c.needs_support)
    mentions: list[Mention] = []
    for c in candidates:
        kind = winners.get(c.key)
        if kind is None or c.key in knowledge.not_names or not _looks_like_name(c.key):
            continue
        if c.needs_support and not supported[c.key]:
            continue
        if title_end and doc[c.start].idx < title_end and c.key not in in_body:
            continue
        mentions.append(_mention(doc, text, c, kind))
    mentions = _drop_common_nouns(mentions, knowledge)
    mentions = _known_names(text, mentions)
    mentions += _listed_places(text, mentions, knowledge)
    mentions += _gazetteer_places(doc, text, mentions, knowledge)
    mentions = _datelines(text, mentions, knowledge)
    mentions += _named_by_class(doc, text, mentions)
    mentions = _named_by_place_noun(doc, text, mentions)
    mentions = _damaged_names(doc, text, mentions)
    mentions = _capital_signatures(text, mentions)
    mentions = _split_run_together(mentions)
    mentions += _propagate(doc, text, mentions, winners, knowledge)
    mentions = _drop_capital_words(text, mentions, knowledge)
    mentions = _with_region(text, mentions, knowledge)
    mentions = _organization_units(doc, text, mentions)
    mentions = _not_ships(text, mentions)
    mentions = outside_citations(mentions, text)
    mentions.sort(key=lambda m: m.start)
    if sentences is not None:
        starts = [s.start for s in sentences]
        for m in mentions:
            m.sentence = max(bisect_right(starts, m.start) - 1, 0)
    return mentions


def outside_citations(mentions: list[Mention], text: str) -> list[Mention]:
    """Mentions that are not in a source citation ("Dion Cassius, l. lxxii. p. 1203"): a cited
    author or title is not an actor of the story (see `kartoteka.nlp.citations`)."""
    spans = find_citations(text)
    return [m for m in mentions if not inside(spans, m.start, m.end)]


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """English words (lemmas of nouns, verbs, adjectives and adverbs: WordNet's, in the spaCy
    pipeline's lemmatizer tables); empty when the pipeline has none. WordNet lists some
    places too ("monaco"): a place the tagger typed an organization may be lost with the
    common words, which costs less than the common words kept."""
    return _lexicon()[0]


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(every WordNet lemma, the lemmas that are verbs, adjectives or adverbs)."""
    try:
        from kartoteka.nlp import load_pipeline

        table = load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except Exception:  # another pipeline, without the tables: the rules then keep all
        return frozenset(), frozenset()
    every = frozenset(w for key in table.keys() for w in table[key])
    others = frozenset(w for key in ("verb", "adj", "adv") for w in table.get(key, []))
    return every, others


def _plural_of(word: str, words: frozenset[str]) -> bool:
    """ "taxes" of "tax", "allies" of "ally", "friends" of "friend"."""
    if not word.endswith("s"):
        return False
    if word.endswith("ies") and word[:-3] + "y" in words:
        return True
    return word[:-1] in words or (word.endswith("es") and word[:-2] in words)


def _drop_common_nouns(mentions: list[Mention], knowledge: NameKnowledge) -> list[Mention]:
    """Old print capitalizes nouns ("Taxes are payable", "my Friends and Allies", "a
    Courier"): a lone capitalized English word typed an organization is no name, unless the
    name knowledge lists it (Comintern, Gestapo), it is an organization word ("the Party",
    "the Kremlin") or an acronym; typed a person or a place, when it is also a verb, an
    adjective or an adverb, or a plural, and no longer name holds it."""
    from kartoteka.resolve.names import known_names

    words = _english_words()
    if not words:
        return mentions
    known = set(known_names("ORG")) | set(known_names("PLACE")) | knowledge.org_words

    others = _lexicon()[1]
    # a word that is part of a longer name in the text ("Fred Rose" and "Rose") is a name
    parts = {w for m in mentions if " " in m.name for w in m.name.split()}

    def common(m: Mention) -> bool:
        w = m.name.lower()
        if " " in m.name or m.name.isupper() or m.name in known or m.title:
            return False
        if m.name in knowledge.place_names:  # "Japan" is a verb, "Kansas" a plural to WordNet
            return False
        if m.type == "ORG":
            return w in words or _plural_of(w, words)
        # a person or a place: WordNet lists many as nouns ("texas", "trotsky"), so only a
        # word that is also a verb, an adjective or an adverb, or a plural ("Handing",
        # "Curious", "Libraries"), and that no longer name of the text holds
        if m.name in parts or _is_given_name(m.name):
            return False
        return w in others or _plural_of(w, words)

    return [m for m in mentions if not common(m)]


def _inflected(word: str, words: frozenset[str]) -> bool:
    """Is `word` one of `words` or a plural, past or -ing form of one ("determined")?"""
    if word in words or _plural_of(word, words):
        return True
    for ending, restore in (("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(ending) and word[: -len(ending)] + restore in words:
            return True
    return False


#: short words a headline in capitals holds between its content words
_HEADLINE_GLUE = {"a", "an", "the", "of", "and", "in", "on", "at", "to", "for", "by", "with"}


def _drop_capital_words(text: str, mentions: list[Mention], knowledge: NameKnowledge):
    """A headline in capitals puts common words where the tagger expects names ("TRUSTEE'S
    SALE", "KILLED A BEAR!", "HE IS DETERMINED"): a mention in capitals is no name when each
    of its words is one the text also writes in lower case, or a verb, adjective or adverb of
    English, unless the name knowledge lists it, a word of it is a given name, or the text
    also writes it in mixed case ("TROTSKY" beside "Trotsky")."""
    from kartoteka.resolve.names import is_known_given, known_names

    others = _lexicon()[1]
    if not others:
        return mentions
    lower_words = set(re.findall(r"(?<![\w-])[a-z]+(?![\w-])", text))
    mixed = {m.name.upper() for m in mentions if not m.name.isupper()}
    known = {n.upper() for kind in ("ORG", "PLACE") for n in known_names(kind)}
    known |= {n.upper() for n in knowledge.place_names}

    def common(m: Mention) -> bool:
        name = _POSSESSIVE_SUFFIX.sub("", m.name)
        if not name.isupper() or m.title or name in mixed or name in known:
            return False
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", name)]
        content = [w for w in words if w not in _HEADLINE_GLUE]
        return bool(content) and all(
            len(w) >= 3
            and not is_known_given(w.title())
            and (w in lower_words or _inflected(w, others))
            for w in content
        )

    return [m for m in mentions if not common(m)]


@lru_cache(maxsize=1)
def _known_name_pattern() -> tuple[re.Pattern, dict[str, str]]:
    from kartoteka.resolve.names import known_names

    kinds = {n: kind for kind in ("PLACE", "ORG") for n in known_names(kind)}
    # a known name is a name however the tagger saw it, but two-letter acronyms (SS, SA, UK)
    # are too often something else to be looked for
    usable = [n for n in kinds if len(n.replace(".", "")) >= 3 and n[:1].isupper()]
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(n) for n in sorted(usable, key=len, reverse=True))
        # a hyphen ends the name only before a space ("Vienna- Leopoldstadt", a machine
        # translation's broken compound), not inside one ("Montreal-Cartier")
        + r")(?!\w|-\w)"
    )
    return pattern, kinds


def _known_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names the shipped name knowledge lists (resolve/data: NKVD, Comintern, People's
    Commissariat of the Interior, Moscow...) wherever they stand, with the type the knowledge
    gives: the tagger misses many acronyms and types others as people ("the G.P.U."). A known
    name replaces the mentions it covers; a longer mention holding it stays."""
    pattern, kinds = _known_name_pattern()
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]
    out = list(mentions)
    for found in pattern.finditer(text):
        a, b = found.span()
        i = bisect_right(starts, b)
        overlapping = [(x, y) for x, y in spans[max(0, i - 8) : i] if x < b and a < y]
        if any(x < a or y > b for x, y in overlapping):
            continue  # inside a longer name, or across one
        if not overlapping and _MODIFIER.match(text, b):
            continue
        covered = set(overlapping)
        out = [m for m in out if (m.start, m.end) not in covered]
        name = found.group()
        out.append(Mention(a, b, name, kinds[name], name, source="known"))
    return out


@lru_cache(maxsize=4)
def _listed_place_pattern(knowledge: NameKnowledge) -> re.Pattern:
    forms = {n for n in knowledge.place_names} | {n.upper() for n in knowledge.place_names}
    return re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(n) for n in sorted(forms, key=len, reverse=True))
        + r")(?![\w-])"
    )


#: a capitalized word just before, or a title or body "of" the place ("the Duke de Bordeaux",
#: "the Bank of England"): the place is part of a longer name
_CAPITALIZED_BEFORE = re.compile(r"[A-Z][\w'’.-]*[ \t]+(?:(?:of|de|du|von|van)[ \t]+)?$")
_CAPITALIZED_AFTER = re.compile(r"[ \t]+[A-Z]")


def _listed_places(text: str, mentions: list[Mention], knowledge: NameKnowledge):
    """The places of the name knowledge (countries, states, seas, great cities) where the
    tagger saw nothing: "from Bengal", "via Gibraltar", a headline "NEWS FROM ITALY". Not
    where a capitalized word stands next to it on its line, which makes it part of a longer
    name ("Richmond Whig", "Turkey Creek"), unless the line is a headline in capitals."""
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]
    found = []
    for match in _listed_place_pattern(knowledge).finditer(text):
        a, b = match.span()
        i = bisect_right(starts, b)
        if any(x < b and a < y for x, y in spans[max(0, i - 8) : i]):
            continue
        line_start = text.rfind("\n", 0, a) + 1
        line_end = text.find("\n", b)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if match.group().isupper() != (line.isupper() and len(match.group()) > 3):
            continue  # capitals only in a headline in capitals, which needs no more care
        if not line.isupper() and (
            _CAPITALIZED_BEFORE.search(text, line_start, a) or _CAPITALIZED_AFTER.match(text, b)
        ):
            continue
        name = match.group()
        found.append(Mention(a, b, name, "PLACE", name, source="listed"))
    return found


#: prepositions after which a town the gazetteer lists is taken for a place when the tagger
#: saw nothing there ("died at Jericho", "held in Pullman", "sent to Rambouillet")
_TOWN_BEFORE = {"at", "in", "near", "from", "via"}


def _gazetteer_places(doc, text: str, mentions: list[Mention], knowledge: NameKnowledge):
    """Towns of the gazetteer (`kartoteka.nlp.gazetteer`) the tagger missed, where a locative
    preposition governs them ("died at Jericho", "held in Pullman") or a journey ends there
    ("sent to Rambouillet"). Not a given name ("in Florence" may be a girl's school report),
    an English verb or adjective ("in Reading"), a name followed by more capitalized words
    ("at Jackson Hall") or by a possessive ("at Jackson's")."""
    from kartoteka.nlp.gazetteer import town_names
    from kartoteka.resolve.names import is_known_given

    towns = town_names()
    if not towns:
        return []
    others = _lexicon()[1]
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for p in doc[:-1]:
        if p.text not in _TOWN_BEFORE and not (
            p.text == "to" and (p.head.lemma_ in _JOURNEY or p.head.lemma_ == "send")
        ):
            continue
        end = p.i + 1
        while end < len(doc) and end - p.i <= 3 and doc[end].is_title and doc[end].is_alpha:
            end += 1
        if end == p.i + 1 or (end < len(doc) and (doc[end].is_title or doc[end].tag_ == "POS")):
            continue
        span = doc[p.i + 1 : end]
        name = span.text
        if name not in towns or name in knowledge.not_names or name in knowledge.org_words:
            continue
        if len(span) == 1 and (is_known_given(name) or _inflected(name.lower(), others)):
            continue
        a, b = span.start_char, span.end_char
        if any(x < b and a < y for x, y in taken):
            continue
        found.append(Mention(a, b, name, "PLACE", name, source="gazetteer"))
    return found


#: a dateline opening an article: a place in capitals or title case (with its state), then a
#: dash or a date ("WASHINGTON, Jan. 5.-", "NEW YORK.—All over", "Rambouillet, August 2")
_DATELINE = re.compile(
    r"^[ \t\"“‘']*((?:[A-Z][\w'’.-]*[ \t]+){0,2}[A-Z][\w'’-]*)"
    r"(?=(?:[ \t]*,[ \t]*[A-Z][\w.]*(?:[ \t]?[A-Z]\.)?)?[ \t]*[.,]?[ \t]*"
    r"(?:[—–]|--|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]*,?[ \t]*\d))",
    re.M,
)


def _datelines(text: str, mentions: list[Mention], knowledge: NameKnowledge) -> list[Mention]:
    """The place of a dateline at the start of a line ("WASHINGTON, Jan. 5.—", "NEW YORK.—All
    over the nation"): a place, whatever the tagger typed it, when the place names or the
    gazetteer list it (a name in capitals is looked up in title case)."""
    from kartoteka.nlp.gazetteer import town_names

    towns = town_names()
    out = list(mentions)
    for match in _DATELINE.finditer(text):
        a, b = match.span(1)
        name = match.group(1)
        looked_up = name.title() if name.isupper() else name
        if name in knowledge.not_names or not (
            looked_up in towns
            or looked_up in knowledge.place_names
            or name in knowledge.place_names
        ):
            continue
        if any(x.start < b and a < x.end and (x.start < a or x.end > b) for x in out):
            continue  # part of a longer mention
        out = [x for x in out if not (a <= x.start and x.end <= b)]
        out.append(Mention(a, b, name, "PLACE", name, source="dateline"))
    return out


#: nouns that name a class of organization: the name after them is one ("the newspaper
#: "Ottawa Journal"", "the French magazine, Vu")
_CLASS_NOUNS = {"newspaper", "magazine", "journal", "weekly", "daily", "paper", "periodical"}
#: "the Soviet embassy", "the Nazi party": a nationality and one of these is an organization
_NATIONAL_BODIES = {"embassy", "legation", "consulate", "party"}
#: a known name before a plural noun is used as a modifier ("forty Cheka agents"): not named
_MODIFIER = re.compile(r"\s+[a-z]+s\b")


def _named_by_class(doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """Organizations named after a class noun or by a nationality and a body noun."""
    taken = [(m.start, m.end) for m in mentions]
    added = []
    for token in doc[:-1]:
        if token.lower_ in _CLASS_NOUNS and token.pos_ == "NOUN":
            m = re.match(
                r"\s*,?\s*[\"“„]?(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})",
                text[token.idx + len(token.text) :],
            )
            if m:
                a = token.idx + len(token.text) + m.start(1)
                added.append((a, a + len(m.group(1))))
        elif (
            token.lower_ in _NATIONAL_BODIES
            and token.i > 0
            and doc[token.i - 1].ent_type_ == "NORP"
            and token.text.islower()
        ):
            added.append((doc[token.i - 1].idx, token.idx + len(token.text)))
    out = []
    exact = {(m.start, m.end): m for m in mentions}
    for a, b in added:
        if (a, b) in exact:  # "the Nazi journal, Geopolitik" typed a place: it is a journal
            exact[(a, b)].type = "ORG"
        elif not any(x < b and a < y for x, y in taken):
            taken.append((a, b))
            out.append(Mention(a, b, text[a:b], "ORG", text[a:b], source="class"))
    return out


def _name_before(doc, i: int) -> int:
    """The first token of the capitalized words just before token i ("Main" of "Main street",
    "Chariton" of "Chariton county"); i when there are none."""
    start = i
    while start > 0 and i - start < 3:
        token = doc[start - 1]
        if not (token.is_title or token.is_upper) or token.lower_ in _EDGE_WORDS:
            break
        if token.pos_ not in ("PROPN", "NOUN", "ADJ") or (
            token.pos_ != "PROPN" and token.is_sent_start
        ):
            break
        start -= 1
    return start


def _named_by_place_noun(doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """A place named by capitalized words and a place noun in lower case ("Main street",
    "Chariton county", "the Coosa river", "Market-street"): the noun is part of the name, and
    the name a place even where the tagger typed its first words a person ("Jackson")."""
    out = list(mentions)
    for token in doc[1:]:
        if token.text not in _PLACE_NOUNS_AFTER:
            continue
        i = (
            token.i - 1
            if doc[token.i - 1].text == "-" and not doc[token.i - 2].whitespace_
            else token.i
        )
        start = _name_before(doc, i)
        if start == i:
            continue
        a, b = doc[start].idx, token.idx + len(token.text)
        inside = [m for m in out if m.start < b and a < m.end]
        if any(m.start < a or m.end > b for m in inside):
            continue  # part of a longer name, or across one
        out = [m for m in out if m not in inside]
        out.append(Mention(a, b, text[a:b], "PLACE", text[a:b], source="place-noun"))
    return out


#: a line that is a name in capitals, a signature or a byline: "JOHN RUMSEY.", "By THOMAS
#: MARSHALL," (initials allowed: "ROBERT H. HAMILTON")
_CAPITAL_LINE = re.compile(
    r"^[ \t]*(?:By[ \t]+)?((?:[A-Z][A-Z'’-]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][A-Z'’-]+|[A-Z]\.)){1,3})"
    r"[ \t]*[,.]?[ \t]*$",
    re.M,
)


#: a name in capitals in mixed-case text, ended by punctuation: "lights. SIMEON COLTON."
_CAPITAL_NAME = re.compile(r"\b([A-Z]{3,}(?:[ \t]+[A-Z]\.)?[ \t]+[A-Z][A-Z'’-]+)(?=[ \t]*[,.;])")


def _capital_signatures(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name in capitals whose first word is a given name, alone on its line ("JOHN
    RUMSEY.", "By THOMAS MARSHALL,") or closing a sentence of mixed-case text ("...lights.
    SIMEON COLTON."): the signature of a letter or notice, or a byline, is a person. It takes
    the place of the tagger's mentions inside it. In a headline set in capitals a run of
    capitals is no signature."""
    from kartoteka.resolve.names import is_known_given

    out = list(mentions)
    found = [m.span(1) for m in _CAPITAL_LINE.finditer(text)]
    for m in _CAPITAL_NAME.finditer(text):
        around = text[max(0, m.start() - 40) : m.start()] + text[m.end() : m.end() + 40]
        if re.search(r"[a-z]{3}", around):
            found.append(m.span(1))
    for a, b in sorted(set(found)):
        first = text[a:b].split()[0]
        if len(first) < 3 or not is_known_given(first):
            continue
        if any(x.start < b and a < x.end and (x.start < a or x.end > b) for x in out):
            continue
        out = [x for x in out if not (a <= x.start and x.end <= b)]
        out.append(Mention(a, b, text[a:b], "PER", text[a:b], source="signature"))
    return out


def _split_run_together(mentions: list[Mention]) -> list[Mention]:
    """Two names an OCR'd page ran together (columns interleaved, a headline into a line:
    "Staliif Trotsky"): a two-word person span whose words are each, or nearly, a name the
    text uses alone for someone else is two mentions."""
    from kartoteka.resolve.names import fold, ocr_confusion

    alone = {m.name for m in mentions if m.type == "PER" and " " not in m.name}
    folded = {fold(n): n for n in alone}

    def known(word: str) -> bool:
        w = fold(word)
        return w in folded or any(ocr_confusion(w, f) for f in folded if abs(len(f) - len(w)) <= 1)

    out = []
    for m in mentions:
        words = m.name.split()
        if m.type != "PER" or len(words) != 2 or m.title or m.name in alone:
            out.append(m)
            continue
        first, last = words
        if last in alone and known(first) and not _is_given_name(first) and first not in alone:
            cut = m.start + m.text.index(last)
            out.append(Mention(m.start, m.start + len(first), first, "PER", first, source=m.source))
            out.append(Mention(cut, m.end, m.text[cut - m.start :], "PER", last, source=m.source))
        else:
            out.append(m)
    return out


#: a vessel's class before its name ("the brig Essex", "the steamer Arctic", "H.M.S. Hood")
_VESSELS = (
    r"(?:\b(?:ship|brig|schooner|sloop|steamer|steamship|frigate|barque|bark|packet|vessel|"
    r"yacht|cutter|gunboat|whaler)|(?<![\w.])(?:H\.\s?M\.\s?S|U\.\s?S\.\s?S|S\.\s?S)\.?)\s+"
)
_VESSEL = re.compile(_VESSELS + "$", re.IGNORECASE)
_VESSEL_FIRST = re.compile("^" + _VESSELS + "[A-Z]", re.IGNORECASE)


def _not_ships(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name right after a vessel's class is a ship's ("the brig Essex arrived"): not a
    person, a body or a place, whatever the tagger said."""
    return [
        m
        for m in mentions
        if m.title
        or not (_VESSEL.search(text, max(0, m.start - 20), m.start) or _VESSEL_FIRST.match(m.text))
    ]


#: what a body's own units are called: "the Transcaucasian OGPU troops" is not the OGPU
_UNIT_NOUNS = {"troops", "forces", "units", "department", "directorate", "section", "division"}
#: what a group named after a place is called: "the so-called "Moscow centre""
_GROUP_NOUNS = {"centre", "center", "bloc", "group"}
_SO_CALLED = re.compile(r"(?:so-called|[\"“‘'])\s*$")


def _organization_units(doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """An organization's unit named by a capitalized modifier, the organization and a unit
    noun ("the Transcaucasian OGPU troops"), and a group named after a place that the text
    marks as a name ("the so-called "Moscow centre"") are organizations of their own."""
    out = list(mentions)
    for m in mentions:
        after = re.match(r"\s+([a-z]+)\b", text[m.end : m.end + 20])
        if not after or m.type == "PER":
            continue
        start, end = m.start, m.end + after.end()
        if m.type == "ORG" and after.group(1) in _UNIT_NOUNS:
            before = re.search(r"\b([A-Z][a-z]+)\s+$", text[max(0, m.start - 30) : m.start])
            if not before:
                continue
            start -= len(before.group(0))
        elif not (
            m.type == "PLACE"
            and after.group(1) in _GROUP_NOUNS
            and _SO_CALLED.search(text[max(0, m.start - 20) : m.start])
        ):
            continue
        if any(x is not m and x.start < end and start < x.end for x in out):
            continue
        out.remove(m)
        name = text[start:end]
        out.append(Mention(start, end, name, "ORG", name, source="unit"))
    return out


def _looks_like_name(key: str) -> bool:
    return len(key) >= 2 and key[0].isupper()


def _candidates(doc, knowledge: NameKnowledge) -> list[_Candidate]:
    found: list[_Candidate] = []
    ents = list(doc.ents)
    ent_at = {e.start: e for e in ents}
    consumed: set[int] = set()
    for ent in ents:
        if ent.start in consumed or ent.label_ not in LABELS:
            continue
        label = LABELS[ent.label_]
        for n, (start, end, after_possessive) in enumerate(_segments(doc, ent.start, ent.end)):
            start, end, title_start = _split_title(doc, start, end, knowledge)
            if start >= end or doc[end - 1].text in knowledge.not_entity_heads:
                continue
            # "Soviet Embassy in Berlin" is one organization, not an embassy and a city
            if (
                label in ("ORG", "PLACE")
                and doc[end - 1].text in _ORG_EXTENDERS
                and end + 1 < len(doc)
                and doc[end].lower_ in ("in", "at")
                and end + 1 in ent_at
                and ent_at[end + 1].label_ in ("GPE", "LOC")
            ):
                consumed.add(end + 1)
                end = ent_at[end + 1].end
                label = "ORG"
            found.append(
                _Candidate(
                    start,
                    end,
                    title_start,
                    label,
                    weight=0.0 if label is None else (0.5 if n else 1.0),
                    needs_support=after_possessive or label is None,
                )
            )
    found += _titled_names(doc, ents, knowledge)
    return found


_VERB_TAGS = {"VBD", "VBN", "VBZ", "VBP"}


def _headline_verb(token) -> bool:
    """A capitalized verb in a title-case headline: tagged as one, or a past form the tagger
    took for a name ("Refused"), which no given name is."""
    if not token.is_title:
        return False
    if token.tag_ in _VERB_TAGS:
        return True
    from kartoteka.resolve.names import is_known_given

    word = token.lower_
    return len(word) >= 6 and word.endswith("ed") and word.isalpha() and not is_known_given(word)


def _cut_headline_verbs(doc, text: str, candidates: list[_Candidate]) -> None:
    """A headline in title case runs words into a name ("Stalin Refused Entry", "The Moscow
    Trials Letter Found", "G.P.U. Victim"): a capitalized verb inside a span, or a headline
    line holding a span named nowhere else, ends the name at the longest start of it that the
    text also names on its own ("Moscow", "G.P.U."), else before the verb."""
    counts = Counter(c.key for c in candidates)
    for c in candidates:
        verb = next((i for i in range(c.start + 1, c.end) if _headline_verb(doc[i])), None)
        if verb is None and (counts[c.key] > 1 or not _in_headline_line(text, doc[c.start].idx)):
            continue
        stop = verb if verb is not None else c.end
        if all(t.lower_ in _EDGE_WORDS for t in doc[c.start : stop]):
            continue  # "The United States": a participle that opens a name is no verb
        full = c.key
        for end in range(stop, c.start, -1):
            c.end = end
            if _key(doc, text, c) in counts and _key(doc, text, c) != full:
                break
        else:
            c.end = stop  # no known start: the words before the verb (or all of a headline)
        c.key = _key(doc, text, c)


def _in_headline_line(text: str, pos: int) -> bool:
    """Is `pos` on a line set in title case or capitals ("Trotsky Fears Fate of Klement, G.P.U.
    Victim"): four words or more, every word of four letters or more capitalized?"""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    words = re.findall(r"[^\W\d_][\w'’.-]*", text[start : end if end >= 0 else len(text)])
    long_words = [w for w in words if len(w) >= 4]
    return len(words) >= 4 and bool(long_words) and all(w[0].isupper() for w in long_words)


def _titled_names(doc, ents, knowledge: NameKnowledge) -> list[_Candidate]:
    """A title followed by proper nouns that spaCy left untagged: "General Köstring"."""
    in_entity = {i for e in ents if e.label_ in LABELS for i in range(e.start, e.end)}
    found = []
    i = 0
    while i < len(doc):
        length = _title_at(doc, i, len(doc), knowledge)
        if not length:
            i += 1
            continue
        start = end = i + length
        while (
            end < len(doc)
            and doc[end].pos_ == "PROPN"
            and doc[end].text[:1].isupper()
            and end not in in_entity
            and doc[end].text not in knowledge.org_words
            and doc[end].text not in knowledge.not_entity_heads
        ):
            end += 1
        if end > start and not any(j in in_entity for j in range(i, start)):
            found.append(_Candidate(start, end, i, "PER", 1.0))
        i = max(end, i + 1)
    return found


def _segments(doc, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Token ranges of the names inside an entity span: split at a possessive or at "and"
    between names, trimmed of articles and punctuation at the edges. The flag says the
    range follows a possessive ("SD" in "Heydrich’s SD"), where a name is less certain."""
    segments, current, after_possessive = [], [], False
    for i in range(start, end):
        token = doc[i]
        if (
            token.text in _POSSESSIVE_TOKENS
            or token.tag_ == "POS"
            or token.lower_ == "and"
            or token.text in _LIST_BREAKS
        ):
            segments.append((current, after_possessive))
            current = []
            after_possessive = (
                after_possessive or token.text in _POSSESSIVE_TOKENS or (token.tag_ == "POS")
            )
        else:
            current.append(i)
    segments.append((current, after_possessive))
    out = []
    for seg, flag in segments:
        while (
            seg
            and (doc[seg[0]].is_punct or doc[seg[0]].lower_ in _EDGE_WORDS)
            and not (doc[seg[0]].text == "The" and not doc[seg[0]].is_sent_start)
        ):
            seg = seg[1:]
        while seg and (doc[seg[-1]].is_punct or doc[seg[-1]].lower_ in _EDGE_WORDS):
            seg = seg[:-1]
        if seg and any(doc[i].text[:1].isupper() for i in seg):
            out.append((seg[0], seg[-1] + 1, flag))
    return out


def _split_title(doc, start: int, end: int, knowledge: NameKnowledge) -> tuple[int, int, int]:
    """(name start, name end, title start): a title inside the span is split off the name,
    a title just before it is taken in."""
    name_start = start
    while True:  # titles spaCy put inside the span: "General Skoblin"
        length = _title_at(doc, name_start, end, knowledge)
        if not length:
            break
        name_start += length
    title_start = start
    while True:  # titles just before the span: "Dr. Schacht"
        length = _title_ending_at(doc, title_start, knowledge)
        if not length:
            break
        title_start -= length
    return name_start, end, min(title_start, start)


def _title_words(doc, start: int, end: int) -> tuple[str, ...]:
    """The words of doc[start:end], an abbreviation's full stop put back on it: the tokenizer
    cuts "Hon." and "Lieut." into a word and a full stop, as it knows only the common ones."""
    words = tuple(t.text for t in doc[start:end])
    if len(words) == 2 and words[1] == "." and not doc[start].whitespace_:
        return (words[0] + ".",)
    return words


def _title_at(doc, i: int, end: int, knowledge: NameKnowledge) -> int:
    for length in (2, 1):
        if i + length < end and _title_words(doc, i, i + length) in knowledge.titles:
            return length
    return 0


def _title_ending_at(doc, start: int, knowledge: NameKnowledge) -> int:
    for length in (2, 1):
        if start - length >= 0:
            words = _title_words(doc, start - length, start)
            if words in knowledge.titles and not any(
                t.is_sent_end for t in doc[start - length : start] if t.i != start - 1
            ):
                return length
    return 0


def _name_end_char(doc, end: int) -> int:
    """End offset of the name's last token, without a possessive glued to it ("Les’s")."""
    last = doc[end - 1]
    m = _POSSESSIVE_SUFFIX.search(last.text)
    return last.idx + (m.start() if m and m.start() > 0 else len(last.text))


def _key(doc, text: str, c: _Candidate) -> str:
    return " ".join(text[doc[c.start].idx : _name_end_char(doc, c.end)].split())


def _vote(doc, candidates: list[_Candidate], knowledge: NameKnowledge) -> dict[str, Counter]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in candidates:
        counter = votes[c.key]
        if c.label:
            counter[c.label] += c.weight * (
                2.0 if c.label == "PER" and c.end - c.start > 1 else 1.0
            )
        if c.title_start < c.start:
            counter["PER"] += 3
        if any(t.text in knowledge.org_words for t in doc[c.start : c.end]) or _chamber(doc, c):
            counter["ORG"] += 3
        if _place_word(doc, c, knowledge) or c.key in knowledge.place_names:
            counter["PLACE"] += 3
        elif _place_ending(c.key, knowledge):
            counter["PLACE"] += 1.5
        counter["PER"] += _person_cues(doc, c, knowledge)
        counter["PLACE"] += _place_cues(doc, c, knowledge)
        if c.end - c.start == 1 and _is_given_name(doc[c.start].text):
            counter["PER"] += 1  # "the son of Manuel and Antonia"
    # a name that is the surname or first name of a person named in full is that person's
    person_parts: dict[str, float] = defaultdict(float)
    first_names = set()
    for key, counter in votes.items():
        words = key.split()
        if len(words) > 1 and counter and counter.most_common(1)[0][0] == "PER":
            if "of" not in words:  # "King of France", "Duke of Orleans": no surname
                person_parts[words[-1]] += 3
            person_parts[words[0]] += 1.5
            first_names.add(words[0])
    occurrences = Counter(c.key for c in candidates)
    for key, counter in votes.items():
        words = key.split()
        if len(words) == 1 and key in person_parts:
            # every occurrence of a person's surname is that person's unless it says otherwise
            counter["PER"] += person_parts[key] + 1.5 * (occurrences[key] - 1)
        elif len(words) > 1 and words[0] in first_names:
            counter["PER"] += 2
    _agree_in_lists(doc, candidates, votes)
    return votes


def _agree_in_lists(doc, candidates: list[_Candidate], votes: dict[str, Counter]) -> None:
    """Names in one list are of one kind ("the accused Zinoviev, Kamenev and Bakayev"): each
    name gets a vote for the type its fellow conjuncts lean to."""
    at = {}
    for c in candidates:
        for i in range(c.start, c.end):
            at[i] = c
    # two names the tagger put in one span ("the Soviet High Command and Tukhachevsky") are
    # no evidence for each other: it typed them together
    span_of = {i: e.start for e in doc.ents for i in range(e.start, e.end)}
    leaning = {key: counter.most_common(1)[0] for key, counter in votes.items() if counter}
    extra: dict[str, Counter] = defaultdict(Counter)
    for c in candidates:
        root = doc[c.start : c.end].root
        fellows = [
            t
            for t in root.conjuncts
            if t.i in at
            and at[t.i].key != c.key
            and span_of.get(t.i, -1) != span_of.get(root.i, -2)
        ]
        for t in fellows:
            kind, weight = leaning.get(at[t.i].key, (None, 0.0))
            if kind and weight > 0:
                extra[c.key][kind] += 1.0 / len(fellows)
    for key, counter in extra.items():
        votes[key].update(counter)


#: place nouns that follow a name in lower case ("Chariton county", "the Coosa river")
_PLACE_NOUNS_AFTER = {
    "county",
    "river",
    "creek",
    "street",
    "avenue",
    "road",
    "turnpike",
    "bridge",
    "island",
    "valley",
    "park",
    "lake",
    "township",
    "parish",
}


def _chamber(doc, c: _Candidate) -> bool:
    """ "House of Delegates", "House of Lords": a house "of" someone is a chamber, a body."""
    return c.end - c.start > 2 and doc[c.start].text == "House" and doc[c.start + 1].text == "of"


def _place_word(doc, c: _Candidate, knowledge: NameKnowledge) -> bool:
    """Does a place word end the name ("Wright Park"), follow it in lower case ("Chariton
    county") or open it before "of" ("the County of Chariton")?"""
    if c.end - c.start > 1 and doc[c.end - 1].text in knowledge.place_words:
        return True
    if c.end < len(doc) and doc[c.end].text in _PLACE_NOUNS_AFTER:
        return True
    first = doc[c.start].text
    return (
        c.end - c.start > 2 and first in knowledge.place_words and doc[c.start + 1].lower_ == "of"
    )


def _abbreviation_pattern(abbreviation: str) -> str:
    """ "N.C." as a pattern that also reads "N. C." and "N. C" (OCR loses the last stop)."""
    letters = [re.escape(part) for part in abbreviation.split(".") if part]
    return r"\.\s?".join(letters) + r"\.?"


@lru_cache(maxsize=4)
def _region_after(knowledge: NameKnowledge, names: bool = True) -> re.Pattern:
    """ ", Va." (a state's abbreviation) or, with `names`, ", Idaho" (a state or country of
    the place names) at the start of a text."""
    forms = [_abbreviation_pattern(a) for a in knowledge.region_abbreviations]
    if names:
        forms += [re.escape(n) for n in knowledge.place_names]
    return re.compile(
        r"\s*,\s*(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?![\w-])"
    )


def _with_region(text: str, mentions: list[Mention], knowledge: NameKnowledge):
    """A place's mention takes in the abbreviation of its state after a comma ("Salem, Va.",
    "Raleigh, N. C."): the state says which Salem, and is no entity of its own."""
    pattern = _region_after(knowledge, names=False)
    out = list(mentions)
    for m in mentions:
        found = pattern.match(text, m.end) if m.type == "PLACE" else None
        if found is None:
            continue
        end = found.end()
        if any(x is not m and x.start < end and m.end < x.end and x.end > end for x in out):
            continue
        out = [x for x in out if x is m or not (m.end <= x.start and x.end <= end)]
        m.end, m.text = end, text[m.start : end]
    return out


def _place_ending(key: str, knowledge: NameKnowledge) -> bool:
    """A one-word name with an ending that makes town names ("Cookeville", "Harrisburg")."""
    word = key.lower()
    return " " not in key and any(
        word.endswith(e) and len(word) >= len(e) + 3 for e in knowledge.place_endings
    )


def _is_given_name(word: str) -> bool:
    from kartoteka.resolve.names import is_known_given

    return word[:1].isupper() and not word.isupper() and is_known_given(word)


#: prepositions whose object is a place far more often than a person ("near Kiev")
_LOCATIVE = {"in", "at", "near", "outside", "via", "across", "throughout", "towards", "toward"}


#: "a native of Vendrell", "the streets of Madrid": nouns whose "of" names a place
_PLACE_OF = {
    "native",
    "natives",
    "resident",
    "residents",
    "inhabitant",
    "inhabitants",
    "mayor",
    "governor",
    "outskirts",
    "suburbs",
    "streets",
    "city",
    "town",
    "village",
    "province",
    "region",
    "capital",
    "port",
    "environs",
    "county",
    "state",
    "territory",
    "district",
    "kingdom",
    "colony",
    "isle",
    "island",
}


#: a journey's verbs, and the prepositions of its ends: "sailed for Cagliari", "came to
#: Hopperville", "arrived from Bengal" (not "send" or "write": a letter goes to a person)
_JOURNEY = {
    "go",
    "come",
    "sail",
    "arrive",
    "depart",
    "return",
    "travel",
    "march",
    "proceed",
    "move",
    "flee",
    "escape",
    "ride",
    "drive",
    "fly",
    "head",
    "emigrate",
    "remove",
    "journey",
    "walk",
}
_BOUND = {"to", "for", "from", "into", "toward", "towards"}
#: verbs whose object is a place: "reached Boneventa", "left Cookeville"
_REACHED = {"reach", "leave", "enter", "visit"}


def _place_cues(doc, c: _Candidate, knowledge: NameKnowledge) -> float:
    """A name governed by a locative preposition ("a strike in Kraków", "a native of
    Vendrell") is likely a place: a vote worth more than the tagger's own. A name followed by
    its state or country ("Salem, Va.", "Lewiston, Idaho") is a place: a strong vote."""
    if c.title_start < c.start:
        return 0.0
    if c.end < len(doc) and _region_after(knowledge).match(doc[c.end : c.end + 6].text):
        return 3.0
    root = doc[c.start : c.end].root
    if root.dep_ == "dobj" and root.head.lemma_ in _REACHED:
        return 1.5
    while root.dep_ == "conj" and root.head.i < root.i:  # "in Kansas and Nebraska"
        root = root.head
    if root.dep_ != "pobj":
        return 0.0
    preposition = root.head
    if preposition.lower_ in _LOCATIVE:
        return 1.5
    if preposition.lower_ == "of" and preposition.head.lower_ in _PLACE_OF:
        return 1.5
    if preposition.lower_ == "of" and _person_of(doc, preposition):
        return 1.5  # "Mr. H. Eddings of Loris", "Mrs. Brown, of Norfolk": where one lives
    if preposition.lower_ in _BOUND and preposition.head.lemma_ in _JOURNEY:
        return 1.5
    return 0.0


def _person_of(doc, preposition) -> bool:
    """Does this "of" follow a person's name the tagger found ("John Ames of", "Mrs. Brown,
    of"), not a title of rank ("the Duke of")?"""
    i = preposition.i - 1
    if i > 0 and doc[i].text == ",":
        i -= 1
    return (
        i >= 0
        and doc[i].ent_type_ == "PERSON"
        and doc[i].ent_iob_ in ("B", "I")
        and (i + 1 >= len(doc) or doc[i + 1].ent_type_ != "PERSON" or doc[i + 1].ent_iob_ == "B")
    )


def _person_cues(doc, c: _Candidate, knowledge: NameKnowledge) -> float:
    span = doc[c.start : c.end]
    root = span.root
    score = 0.0
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in knowledge.person_verbs:
        score += 2
    elif root.dep_ == "nsubjpass" and root.head.lemma_ in knowledge.person_patient_verbs:
        score += 1.5
    if root.dep_ == "poss" and root.head.lemma_.lower() in knowledge.person_nouns:
        score += 2
    if c.end + 1 < len(doc) and doc[c.end].text == "," and doc[c.end + 1].lower_ == "who":
        score += 2
    if _said_to_be_a_person(doc, c, root, knowledge):
        score += 3  # as strong as a title: the text says what the name is
    last = doc[c.end - 1].text
    if not last.isupper():
        lowered = last.lower()
        if any(
            lowered.endswith(e) and len(lowered) >= len(e) + 3 for e in knowledge.surname_endings
        ):
            score += 0.9
    return score


def _said_to_be_a_person(doc, c: _Candidate, root, knowledge: NameKnowledge) -> bool:
    """The text calls the name a person: "Balbinus was an admired orator" (a predicate noun
    only a person can be), "the emperors Maximus and Balbinus", "his colleague, Vask" (the
    noun just before the name, or the one it stands in apposition to)."""
    if "&" in c.key:  # "Stephens & Trammel are the men who...": a firm of two people
        return False
    roles = knowledge.person_roles
    head = root.head
    if root.dep_ == "nsubj" and head.lemma_ == "be":
        if any(t.dep_ == "attr" and t.lemma_.lower() in roles for t in head.children):
            return True
    if root.dep_ == "appos" and head.lemma_.lower() in roles and head.i < c.start:
        return True
    i = c.title_start - 1
    while i >= 0 and doc[i].is_space:  # a line break between the noun and the name
        i -= 1
    before = doc[i] if i >= 0 else None
    return (
        before is not None
        and before.pos_ == "NOUN"
        and before.lemma_.lower() in roles
        and not before.text[:1].isupper()
    )


def _mention(doc, text: str, c: _Candidate, kind: str, source: str = "spacy") -> Mention:
    start = doc[c.title_start].idx
    name_start = doc[c.start].idx
    end = _name_end_char(doc, c.end)
    title = text[start:name_start].strip() or None
    return Mention(
        start=start,
        end=end,
        text=text[start:end],
        type=kind,
        name=text[name_start:end],
        title=title,
        source=source,
    )


def spread_names(doc, mentions: list[Mention]) -> list[Mention]:
    """Other occurrences of the names in `mentions` that no mention covers yet (for names
    added after the tagger's, such as those a stated alias brings in)."""
    return _propagate(doc, doc.text, mentions, {}, name_knowledge())


def _propagate(
    doc, text: str, mentions: list[Mention], winners: dict[str, str], knowledge: NameKnowledge
) -> list[Mention]:
    """Occurrences of a known name that spaCy did not tag."""
    names: dict[str, str] = {}
    for m in mentions:
        names.setdefault(" ".join(m.name.split()), m.type)
    # a surname is looked for alone unless the text also uses it as a word of another kind:
    # "Roman" of a misread "Orbis Roman" is tagged a nationality elsewhere, and must not turn
    # every Roman into that person
    alone = {m.name for m in mentions if len(m.name.split()) == 1}
    nationalities = {e.text for e in doc.ents if e.label_ == "NORP"}
    for m in mentions:
        words = m.name.split()
        if m.type != "PER" or len(words) < 2 or "of" in words:
            continue
        surname = words[-1]
        if surname in alone or (
            surname not in nationalities
            and surname[:1].isupper()
            and not re.search(r"(?<!\w)" + re.escape(surname.lower()) + r"(?!\w)", text)
        ):
            names.setdefault(surname, "PER")
    names = {n: t for n, t in names.items() if n not in knowledge.not_names and _looks_like_name(n)}
    if not names:
        return []
    forms = _page_forms(names)
    taken = sorted((m.start, m.end) for m in mentions)
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(n) for n in sorted(forms, key=len, reverse=True))
        + r")(?![\w-])"
    )
    added: list[Mention] = []
    starts = [a for a, _ in taken]
    for m in pattern.finditer(text):
        i = bisect_right(starts, m.start())
        if (i > 0 and taken[i - 1][1] > m.start()) or (i < len(taken) and taken[i][0] < m.end()):
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None:
            continue
        kind = forms[m.group()][1]
        firm = _firm_around(doc, span, knowledge)
        if firm is not None:  # "M Clausen Shokai" is Clausen's firm, not Clausen
            added.append(firm)
            continue
        _, _, title_start = _split_title(doc, span.start, span.end, knowledge)
        c = _Candidate(span.start, span.end, title_start, kind, 1.0)
        added.append(_mention(doc, text, c, kind, source="propagated"))
    return added


def _firm_around(doc, span, knowledge: NameKnowledge) -> Mention | None:
    """A person's name followed by a capitalized organization word names a firm or body
    ("M Clausen Shokai", "Putilov Works"): the organization, from the first capitalized word
    or initial before the name to the organization word."""
    end = span.end
    if end >= len(doc) or doc[end].text not in knowledge.org_words or not doc[end].is_title:
        return None
    start = span.start
    while start > 0 and doc[start - 1].is_title and not doc[start - 1].is_sent_start:
        start -= 1
    a, b = doc[start].idx, doc[end].idx + len(doc[end].text)
    return Mention(a, b, doc.text[a:b], "ORG", doc.text[a:b], source="propagated")


def _page_forms(names: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The forms a known name takes on a printed page besides its own: in capitals in a
    headline or byline ("TROTSKY"). Form -> (name, type)."""
    forms = {n: (n, t) for n, t in names.items()}
    for name, kind in names.items():
        if len(name.replace(" ", "")) >= 4 and not name.isupper():
            forms.setdefault(name.upper(), (name, kind))
    return forms


def _damaged_names(doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """A person's surname as OCR or an inconsistent translation left it: split by a space
    ("Sta lin", for a name the text uses at least twice) or spelled another way that sounds
    the same ("Nikolsky" beside "Nikolski"). Such a word becomes a mention of the name (a
    split one names the joined name); mentions inside a split word give way to it."""
    counts = Counter(m.name.split()[-1] for m in mentions if m.type == "PER" and m.name.split())
    surnames = {n for n in counts if len(n) >= 5 and n.isalpha() and n[0].isupper()}
    out = _rejoin_split_names(text, mentions, sorted(n for n in surnames if counts[n] >= 2))
    return out + _respelled_names(text, out, surnames)


def _rejoin_split_names(text: str, mentions: list[Mention], names: list[str]) -> list[Mention]:
    if not names:
        return mentions
    forms = {name[:k] + " " + name[k:]: name for name in names for k in range(2, len(name) - 1)}
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?![\w-])"
    )
    out = list(mentions)
    for m in pattern.finditer(text):
        a, b = m.span()
        if any(x.start < b and a < x.end and (x.start < a or x.end > b) for x in out):
            continue
        out = [x for x in out if not (a <= x.start and x.end <= b)]
        out.append(Mention(a, b, m.group(), "PER", forms[m.group()], source="ocr-split"))
    return out


_TITLE_WORD = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{4,}(?![\w-])")


def _respelled_names(text: str, mentions: list[Mention], surnames: set[str]) -> list[Mention]:
    from kartoteka.resolve.names import phonetic_keys, similarity

    if not surnames:
        return []
    keys = {k: n for n in surnames for k in phonetic_keys(n)}
    taken = sorted((x.start, x.end) for x in mentions)
    added = []
    for m in _TITLE_WORD.finditer(text):
        word, start = m.group(), m.start()
        if word in surnames:
            continue
        match = next((keys[k] for k in phonetic_keys(word) if k in keys), None)
        if match is None or match[0] != word[0] or similarity(match.lower(), word.lower()) < 0.88:
            continue
        i = bisect_right(taken, (start, 10**9))
        if (i and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < m.end()):
            continue
        added.append(Mention(start, m.end(), word, "PER", word, source="respelled"))
    return added
