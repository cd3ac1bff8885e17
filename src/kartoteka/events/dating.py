"""When an event happened: the time expression governing its clause, else the narrative time
of its passage, else none.

- **clause**: a date in the trigger's own clause ("was arrested on 18 October 1941", "the
  kidnapping of Miller in 1937"), or one its clause inherits: through an infinitive ("was
  sent in 1933 to organize ..."), from the verb a coordinated verb shares its subject with
  ("was arrested in 1912 and exiled to Siberia"), from the support verb of an event noun
  ("carried out the murder on 20 August"), or a date put before the main verb of a sentence
  ("In 1933 he went to Paris, where he was arrested").
- **narrative**: the latest date of the story told before the sentence, or the date the text
  gave an earlier telling of the same event (`retold_date`). A footnote is not the story: an
  event in the text never takes a date from a footnote, one in a footnote only from its own
  note or the text. A date of unknown year ("the fourth of April" in a text that names no
  year) and a person's lifespan in brackets ("(born 13 January 1919 in Rogachevo; † 25 June
  1982)") date no later event.
- **none**: no date before it.

Never the date of another event in the same sentence: a reported clause does not take the
date of its reporting ("In 1956 Khrushchev said that Kirov was killed ..."), an "after the
letter of 10 August" phrase or an "after he returned in 1937" clause dates something else.
Never a publication date or a cited work: dates in a heading set in capitals ("SATURDAY,
AUGUST 31, 1940"), on a publication line ("First published: ... 30 July 1938") or a year in
brackets after a title or author ("The Great Terror (1968)") are neither.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Token

from kartoteka.events.ontology import Ontology
from kartoteka.events.syntax import strays
from kartoteka.model import Timex
from kartoteka.nlp.citations import find_notes
from kartoteka.time.values import bounds

__all__ = ["Dating", "usable_date"]

# the children whose subtrees tell something else, with its own time
_OTHER_CLAUSES = frozenset({"conj", "cc", "relcl", "ccomp", "parataxis", "csubj"})
_TEMPORAL_MARKS = frozenset({"after", "before", "since", "until", "till", "once"})
_TEMPORAL_PREPS = frozenset({"after", "before", "following", "since", "until", "till", "prior"})
_MAX_CLIMB = 6
_SHARED_TIME_PREPS = frozenset({"at", "during", "in"})
_ABOUT = frozenset({"of", "about", "on", "concerning", "regarding"})
# where news came from: "heard of his arrest from a memo"
_SOURCE_PREPS = frozenset({"from", "through", "via"})
_CITATION_REST = re.compile(r"^[\s,;:]*(?:(?:[A-Z][\w'’.-]*|et al\.?|and|&|ed\.|eds\.)\s*)*$")
_PAGES = re.compile(r"^[\s,;:]*(?:pp?\.\s*[\d–-]+|vol\.\s*\w+)?[\s,;:]*$")
# a bracket holding a lifespan: "(born 1903 in Vienna; † 1942)", "(* 21 August 1895 in
# Bobruisk)", "(b. 1891, d. 1938)"
_LIFESPAN = re.compile(r"\bborn\b|†|\A\s*\*|\bb\.\s*\d|\bd\.\s*\d|\bdied\b|\bnée\b")
_BRACKET_REACH = 300  # a lead bracket of names in three scripts and two calendars is long
# between the items of a list of dates: "1936, 1937 and 1938", "1936,1937, and 1938"
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|&)\s*")


def usable_date(t: Timex) -> bool:
    """A timex that can date an event: a date with a value, not a duration or open range."""
    if t.type not in ("DATE", "TIME") or not t.value:
        return False
    v = t.value
    return not (v.startswith("..") or v.endswith("..") or v.startswith("P") or "/" == v[-1:])


def _in_heading(t: Timex) -> bool:
    """ "SATURDAY, AUGUST 31, 1940": a date set in capitals heads a page or an article."""
    letters = [c for c in t.text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _cited(text: str, t: Timex) -> bool:
    """ "The Great Terror (1968)", "(Conquest 1990, p. 12)", "[1938]": a bare year in
    brackets, alone or with authors' names and pages, is a work's date, not a time told."""
    if not re.fullmatch(r"-?\d{4}", t.value or ""):
        return False
    left = text.rfind("(", max(0, t.start - 60), t.start)
    left_sq = text.rfind("[", max(0, t.start - 60), t.start)
    opening = max(left, left_sq)
    if opening < 0 or any(c in text[opening + 1 : t.start] for c in ")]\n"):
        return False
    closing_char = ")" if opening == left else "]"
    closing = text.find(closing_char, t.end, t.end + 30)
    if closing < 0:
        return False
    before, after = text[opening + 1 : t.start], text[t.end : closing]
    return bool(_CITATION_REST.match(before)) and bool(_PAGES.match(after))


def _in_lifespan(text: str, t: Timex) -> bool:
    """ "(born January 13, 1919 in Rogachevo, † June 25, 1982 in Mississauga)": a date in a
    bracket that gives a person's birth or death belongs to that life, not to the story."""
    return _lifespan_bracket(text, t) is not None


def _lifespan_bracket(text: str, t: Timex) -> tuple[int, int] | None:
    """The span of the bracket giving a lifespan that holds the date, if it is in one."""
    opening = text.rfind("(", max(0, t.start - _BRACKET_REACH), t.start)
    if opening < 0 or ")" in text[opening : t.start]:
        return None
    closing = text.find(")", t.end, t.end + _BRACKET_REACH)
    if closing < 0 or not _LIFESPAN.search(text[opening + 1 : closing]):
        return None
    return opening, closing + 1


def _year_known(value: str) -> bool:
    """ "1937-04-04", not "XXXX-04-04": a date a later event may be placed by."""
    year = value.lstrip("-").split("-")[0]
    return bool(year) and "X" not in year.upper()


class Dating:
    """The dates of one document's events: which time expressions may date an event, the
    tokens each covers, and the narrative time before each sentence."""

    def __init__(self, doc: Doc, timexes: list[Timex], onto: Ontology):
        self.doc = doc
        self.timexes = timexes
        publication = onto.dates.get("publication_words", frozenset())
        # verbs whose object or clause is news of an event told at another time
        self.content_heads = onto.dates.get("content_heads", frozenset()) | onto.modality.get(
            "reported_heads", frozenset()
        )
        self.tokens: dict[int, set[int]] = {}
        for i, t in enumerate(timexes):
            if not usable_date(t) or _in_heading(t) or _cited(doc.text, t):
                continue
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is None or _publication_line(span, publication):
                continue
            self.tokens[i] = {x.i for x in span}
        self.dated = sorted(self.tokens, key=lambda i: timexes[i].start)
        self.notes = find_notes(doc.text)
        # a lifespan's dates date only what its bracket tells ("(born ...; † 15 March 1938 in
        # Moscow) was the head of the NKVD": not the headship)
        self.lifespan: dict[int, set[int]] = {}
        for i in self.dated:
            bracket = _lifespan_bracket(doc.text, timexes[i])
            if bracket is not None:
                inside = doc.char_span(*bracket, alignment_mode="expand")
                self.lifespan[i] = {x.i for x in inside} if inside is not None else set()
        # the dates that tell the story's time: a later event may take them
        self.story = [
            i
            for i in self.dated
            if _year_known(timexes[i].value or "") and not _in_lifespan(doc.text, timexes[i])
        ]

    # -- clause ---------------------------------------------------------------------------
    def _own(self, tok: Token, others: frozenset[int] = frozenset()) -> set[int]:
        """Token indices of the clause `tok` heads, without the clauses and phrases in it
        that tell another event with its own time (and without the phrases of the other
        triggers in `others`: "the letter of 10 August announced his murder")."""
        out = {tok.i}
        stack = [tok]
        while stack:
            t = stack.pop()
            out.add(t.i)
            for c in t.children:
                if not _other_time(c, others):
                    stack.append(c)
                elif c.dep_ == "relcl":
                    # "documents, some of which were signed by Stalin, to the Allies on 5
                    # September": what follows the clause's closing comma is ours
                    stack.extend(strays(c))
                elif c.pos_ in ("NOUN", "PROPN") and t.pos_ in ("VERB", "AUX"):
                    # "It reached Ott with the arrest the next day": a bare time phrase the
                    # parse hung on an event noun belongs to the verb over it
                    stack.extend(g for g in c.children if g.dep_ == "npadvmod")
        return out

    def _in(self, clause: set[int], before: int | None = None) -> list[int]:
        return [
            i
            for i in self.dated
            if self.tokens[i] & clause
            and (before is None or max(self.tokens[i]) < before)
            and not (i in self.lifespan and not self.lifespan[i].issuperset(clause))
        ]

    def _nearest(self, hits: list[int], tok: Token) -> int:
        return min(hits, key=lambda i: abs(self.timexes[i].start - tok.idx))

    def clause_date(self, tok: Token, others: frozenset[int] = frozenset()) -> int | None:
        """The time expression governing the trigger's clause, if any; `others` are the
        token indices of the document's other triggers."""
        others = others - {tok.i}
        hits = self._in(self._own(tok, others))
        if hits:
            return self._nearest(hits, tok)
        t = tok
        for _ in range(_MAX_CLIMB):
            head, link = t.head, t.dep_
            if head.i == t.i:
                return None
            if link == "prep" and t.lower_ in _SOURCE_PREPS:
                told = self._news_source(tok, head, others)
                if told is not None:
                    return told
            step = self._inherits(t, head, link)
            if step is None:
                return None
            if step == "fronted":
                # "In 1933 he went to Paris, where he was arrested": a date set before the
                # verb whose clause holds the noun the relative clause hangs on
                head = _governing_verb(head)
            clause = self._own(head, others | {t.i})
            hits = self._in(clause, before=head.i if step == "fronted" else None)
            if hits:
                return self._nearest(hits, tok)
            if step == "fronted":
                return None
            t = head
        return None

    def own_date(self, tok: Token) -> int | None:
        """A time expression in the clause `tok` heads itself, inheriting none."""
        hits = self._in(self._own(tok))
        return self._nearest(hits, tok) if hits else None

    def over_list(self, tok: Token, others: frozenset[int] = frozenset()) -> str | None:
        """ "the Moscow trials of 1936, 1937 and 1938": a plural event noun whose own phrase
        lists several dates happened over their span (an EDTF interval from the first to the
        last); None when it is one event or names one date."""
        if tok.tag_ not in ("NNS", "NNPS"):
            return None
        hits = self._in(self._own(tok, others - {tok.i}))
        if not hits:
            return None
        # the list goes on in the text where the parse may have lost it ("1936,1937, and 1938")
        k = self.dated.index(hits[0])
        hits = hits[:1]
        for i in self.dated[k + 1 :]:
            gap = self.doc.text[self.timexes[hits[-1]].end : self.timexes[i].start]
            if not _LIST_GAP.fullmatch(gap):
                break
            hits.append(i)
        try:
            values = sorted((bounds(v), v) for v in (self.timexes[i].value for i in hits) if v)
        except ValueError:  # a value with no bounds ("XXXX-04") spans nothing
            return None
        if len(values) < 2 or values[0][0][0] >= values[-1][0][0]:
            return None
        return f"{values[0][1]}/{values[-1][1]}"

    def _news_source(self, tok: Token, news: Token, others: frozenset[int]) -> int | None:
        """ "heard of Sorge's arrest the next day from a brief memo notifying him": the parse
        hangs the memo on the arrest, but where news came from is the hearing's, at the
        hearing's time (a time phrase on the news is the hearing's too)."""
        if news.dep_ != "pobj" or news.head.lower_ not in _ABOUT:
            return None
        verb = news.head.head
        if not _is(verb, self.content_heads):
            return None
        clause = self._own(verb, others | {news.i})
        clause |= {g.i for c in news.children if c.dep_ == "npadvmod" for g in c.subtree}
        hits = self._in(clause)
        return self._nearest(hits, tok) if hits else None

    def _inherits(self, t: Token, head: Token, link: str) -> str | None:
        """How a word's clause takes a date from the word governing it: "clause" (the
        head's whole clause), "fronted" (only a date before the head) or None (not at all)."""
        if link in ("ccomp", "parataxis", "csubj"):
            return None  # "said that ...": the saying has its own time
        if link == "conj":
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            return "fronted" if own_subject else "clause"
        if link == "advcl":
            temporal = any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in t.children)
            return None if temporal else "clause"  # "when he returned", "having returned"
        if link == "relcl":
            return "fronted"
        if link == "acl":
            # "a memo notifying him": a participle shares its noun's time; "the man who ..."
            return "clause" if t.tag_ in ("VBG", "VBN") else "fronted"
        if link in ("pobj", "pcomp"):
            return None if head.lower_ in _TEMPORAL_PREPS else "clause"
        if _is(head, self.content_heads) and (
            link in ("dobj", "attr", "oprd") or (link == "prep" and t.lower_ in _ABOUT)
        ):
            return None  # "heard of his arrest the next day": the hearing's time
        return "clause"

    # -- narrative ------------------------------------------------------------------------
    def note_at(self, offset: int) -> int | None:
        """The index of the footnote holding `offset`, None in the text itself."""
        k = bisect.bisect_right(self.notes, offset, key=lambda span: span[0]) - 1
        return k if k >= 0 and offset < self.notes[k][1] else None

    def narrative_date(self, sent_start: int) -> int | None:
        """The latest date of the story told before the sentence starting at `sent_start`,
        from the text itself or the footnote the sentence is in, never another footnote."""
        own = self.note_at(sent_start)
        for i in reversed(self.story):
            t = self.timexes[i]
            if t.end <= sent_start and self.note_at(t.start) in (None, own):
                return i
        return None


def _governing_verb(tok: Token) -> Token:
    """The verb a noun is an argument of (through a preposition), or the noun itself."""
    t = tok
    for _ in range(3):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t if t.pos_ in ("VERB", "AUX") else tok


def _is(tok: Token, words: frozenset[str]) -> bool:
    return tok.lemma_.lower() in words or tok.lower_ in words


def _other_time(child: Token, others: frozenset[int]) -> bool:
    """A child phrase or clause that tells another event at its own time; an event in an
    "at", "during" or "in" phrase shares it ("sentenced at the trial in March 1938")."""
    if child.i in others and not (child.dep_ == "pobj" and child.head.lower_ in _SHARED_TIME_PREPS):
        return True
    if child.dep_ in _OTHER_CLAUSES:
        return True
    if child.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in _TEMPORAL_MARKS for c in child.children)
    if child.dep_ == "prep":
        return child.lower_ in _TEMPORAL_PREPS
    if child.dep_ == "npadvmod" and child.head.pos_ in ("NOUN", "PROPN"):
        # "heard of Sorge's arrest the next day": a bare time phrase modifies a verb; on an
        # event noun it is the parse's mistake
        return True
    return False


def _publication_line(span, publication: frozenset[str]) -> bool:
    """ "First Published: Socialist Appeal, 30 July 1938": a line saying when the text (or a
    work it cites) was published, not when anything in it happened."""
    sent = span.sent
    if any(t.dep_ in ("nsubj", "nsubjpass") for t in sent):
        return False
    return any(t.lemma_.lower() in publication or t.lower_ in publication for t in sent)
