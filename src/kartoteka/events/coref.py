"""Who a word that is not a name stands for: pronouns, the narrator, "they", and
definite descriptions the text itself resolves.

- he/she/his/her → the most recent compatible person (same sentence first, then the three
  before it, preferring subjects and women marked as such); with no one near, the person the
  document is about; it/its → the most recent organization or country;
- I/me/my → the narrator, when the text is signed or headed by a name alone on its last or
  first line (quoted words are someone else's);
- they/them/their → an organization that was the subject just before ("the Abwehr tracked
  him down. They arrested him"), or two people named together as a subject ("Ivan and Vera
  Rudin ... They moved"), else no one;
- "the defector", "the ring" → the one named entity the text called so before ("Krivitsky,
  a Soviet defector", "the Cambridge Spy Ring"), else no one.

`link_references(index)` fills `index.coref` (word → one mention) and `index.plural` (word →
several) of a `kartoteka.events.syntax.MentionIndex`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

if TYPE_CHECKING:
    from kartoteka.events.syntax import MentionIndex

__all__ = ["link_references", "PERSON_NOUNS"]

# Nouns for a person, whose identity a later sentence may give.
PERSON_NOUNS = frozenset(
    """head chief leader director agent officer man woman defector
resident commander official diplomat deputy spy member colleague friend """.split()
)


_SUBJECT_LIKE = frozenset({"nsubj", "nsubjpass", "attr"})


def link_references(index: MentionIndex) -> None:
    """Fill the index's `coref` and `plural` tables."""
    linker = _Linker(index)
    linker._link_pronouns()
    linker._link_narrator()
    linker._link_plural()
    linker._link_pair_words()
    linker._link_we()
    linker._link_descriptions()
    linker._link_latter()


class _Linker:
    def __init__(self, ix: MentionIndex):
        self.ix = ix
        self.doc, self.mentions, self.onto = ix.doc, ix.mentions, ix.onto
        self.by_token, self.tokens_of, self.coref = ix.by_token, ix.tokens_of, ix.coref
        self._sents = list(self.doc.sents)
        self.sent_of = {t.i: si for si, s in enumerate(self._sents) for t in s}
        self._gender = {mi: self._guess_gender(mi) for mi in range(len(self.mentions))}

    # gender ---------------------------------------------------------------------------
    def _guess_gender(self, mi: int) -> str | None:
        m = self.mentions[mi]
        if m.type != "PER":
            return None
        g = self.onto.gender
        title = (m.title or "").lower().strip()
        if title in g.get("female_titles", ()):
            return "f"
        if title in g.get("male_titles", ()):
            return "m"
        toks = self.tokens_of.get(mi)
        if toks:
            before = [t.lower_ for t in self.doc[max(0, toks[0] - 3) : toks[0]]]
            if any(w in g.get("female_cues", ()) for w in before):
                return "f"
            if any(w in g.get("male_cues", ()) for w in before):
                return "m"
            first = self.doc[toks[0]].lower_
            if first in g.get("female_titles", ()):
                return "f"
            if first in g.get("male_titles", ()):
                return "m"
        words = m.name.lower().split() or [""]
        if any(words[-1].endswith(e) for e in g.get("female_endings", ())):
            return "f"
        if (
            len(words) > 1
            and words[0] not in g.get("male_first_names", ())
            and any(words[0].endswith(e) for e in g.get("female_first_endings", ()))
        ):
            return "f"
        return None

    # pronouns -------------------------------------------------------------------------
    def _link_pronouns(self) -> None:
        """he/she/his/her → the most recent compatible person (same sentence first, then the
        three before it, preferring subjects and women marked as such), it/its → the most
        recent organization or country; with no candidate near, he/she → the person the document is
        about (named most often)."""
        pron = self.onto.pronouns
        male, female = pron.get("male", frozenset()), pron.get("female", frozenset())
        org = pron.get("organization", frozenset())
        # names seen so far: (token index, mention index, subject?, sentence)
        seen: list[tuple[int, int, bool, int]] = []
        sent_of = self.sent_of
        central = {g: self._central_person(g) for g in ("m", "f")}
        for t in self.doc:
            mi = self.by_token.get(t.i)
            if mi is not None:
                toks = self.tokens_of.get(mi, [t.i])
                if t.i == toks[-1]:
                    # a subject, or what a copula says the subject is ("One of them was X")
                    is_subj = any(self.doc[x].dep_ in _SUBJECT_LIKE for x in toks)
                    last = self.doc[toks[-1]]
                    # "was the physicist Alan Nunn May": a name whose last word the
                    # mention left out is what that word is in the clause
                    is_subj = is_subj or (
                        last.dep_ == "compound"
                        and last.head.i == last.i + 1
                        and last.head.dep_ in _SUBJECT_LIKE
                    )
                    seen.append((t.i, mi, is_subj, sent_of[t.i]))
                continue
            low = t.lower_
            if t.pos_ != "PRON" and t.tag_ not in ("PRP", "PRP$"):
                continue
            if low in male or low in female:
                want_type, bad = ("PER",), ("f" if low in male else "m")
            elif low in org:
                # "Romania ... its leader": a body or a country; what the sentence says of
                # it decides whether a tie holds (a country heads no one)
                want_type, bad = ("ORG", "PLACE"), None
            else:
                continue
            if t.tag_ == "PRP$" or low in ("his", "her"):
                bound = self._bound_by_common_subject(t)
                if bound is not False:
                    if bound is not None:
                        self.coref[t.i] = bound
                    continue
            here = sent_of[t.i]
            clause_subject = self._clause_subject(t)
            if low.endswith("self"):  # "he saw himself": the subject of its own clause
                if clause_subject is not None:
                    self.coref[t.i] = clause_subject
                continue
            # "Sverdlov recommended him": an object is not the subject of its own clause
            others = {clause_subject} if clause_subject is not None else set()
            best = self._sent_there(t, want_type, bad)
            if best is None and want_type == ("PER",):
                best = self._fronted_for_subject(t, bad, seen)
            if best is None:
                best = self._antecedent(seen, here, want_type, bad, low in female, sent_of, others)
            if best is None and want_type == ("PER",):
                best = central["m" if bad == "f" else "f"]
            if best is not None:
                self.coref[t.i] = best
                seen.append((t.i, best, t.dep_ in ("nsubj", "nsubjpass"), here))

    def _fronted_for_subject(self, pron: Token, bad, seen) -> int | None:
        """ "After his arrest by the NKVD, Ivan Sedin confessed", "When he reached Paris,
        Orin wrote": a pronoun in a phrase set before the subject of the clause, with no
        person named before it in the sentence, is that subject (when the sentence before
        names no other person)."""
        here = self.sent_of[pron.i]
        if any(si == here for _, _, _, si in seen):
            return None  # a person named earlier in the sentence: the usual rule
        t = pron
        for _ in range(6):
            if t.dep_ in ("prep", "advcl", "npadvmod") and t.head.pos_ in ("VERB", "AUX"):
                break
            if t.head.i == t.i:
                return None
            t = t.head
        else:
            return None
        verb = t.head
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or not (t.i < subj.i and max(x.i for x in t.subtree) < subj.i):
            return None
        mi = self.by_token.get(subj.i)
        if mi is None or self.mentions[mi].type != "PER" or self._gender.get(mi) == bad:
            return None
        name = self.mentions[mi].name
        others = [
            m
            for _, m, _, si in seen
            if si == here - 1 and self.mentions[m].type == "PER" and self.mentions[m].name != name
        ]
        return None if others else mi

    def _sent_there(self, pron: Token, want_type: tuple[str, ...], bad) -> int | None:
        """ "Ivanov sent him to Paris, where he met Trotsky", "recommended him for work in the
        Cheka, where he made contacts": the subject of a "where" clause on a phrase of a verb
        is the one that verb sent or put there, its object."""
        clause = pron.head
        if pron.dep_ != "nsubj" or clause.dep_ != "relcl":
            return None
        if not any(c.dep_ == "advmod" and c.lower_ == "where" for c in clause.children):
            return None
        t = clause.head
        for _ in range(5):  # up through "for work in the Cheka and the Inspection"
            if t.pos_ == "VERB" or t.dep_ not in ("pobj", "prep", "conj") or t.head.i == t.i:
                break
            t = t.head
        obj = next((c for c in t.children if c.dep_ == "dobj"), None)
        if t.pos_ != "VERB" or obj is None:
            return None
        found = self.by_token.get(obj.i)
        if found is None:
            found = self.coref.get(obj.i)
        if found is None or self.mentions[found].type not in want_type:
            return None
        return found if bad is None or self._gender.get(found) != bad else None

    def _link_narrator(self) -> None:
        """I/me/my → the narrator: the person a text is signed by or headed with (a name
        alone on its last or first line, perhaps with a date: "Leon Trotsky", "Andrés Nin
        1937"). Quoted words are someone else's and keep no narrator."""
        words = self.onto.pronouns.get("narrator", frozenset())
        narrator = self.narrator()
        if narrator is None or not words:
            return
        for t in self.doc:
            if t.lower_ in words and t.tag_ in ("PRP", "PRP$") and not _quoted(t):
                self.coref.setdefault(t.i, narrator)

    def narrator(self) -> int | None:
        """The mention naming the narrator (`_link_narrator`), or None."""
        lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", self.doc.text)]
        lines = [(a, line) for a, line in lines if line.strip()]
        for start, line in (lines[-1:] + lines[:1]) if lines else []:
            for mi, m in enumerate(self.mentions):
                if m.type != "PER" or not (start <= m.start < start + len(line)):
                    continue
                rest = (line[: m.start - start] + line[m.end - start :]).strip(" \t,.")
                if m.text.strip() and re.fullmatch(r"[\d\s,.–-]*", rest):
                    return mi
        return None

    def _clause_subject(self, pron: Token) -> int | None:
        """The mention that is the subject of the clause a pronoun is an object in (or a
        reflexive pronoun's subject), None if there is none or the pronoun is no object."""
        if pron.dep_ in ("dobj", "dative") or pron.lower_.endswith("self"):
            verb = pron.head
        elif pron.dep_ == "pobj" and pron.head.dep_ in ("prep", "agent", "dative"):
            verb = pron.head.head
        elif pron.dep_ == "poss" and pron.head.dep_ in ("attr", "oprd"):
            verb = pron.head.head  # "Belov became his patron": no one is his own patron
        elif (
            pron.dep_ == "nsubj"
            and pron.head.dep_ in ("ccomp", "xcomp")
            and pron.head.head.lemma_.lower() in ("have", "get")
        ):
            verb = pron.head.head  # "Yezhov had him arrested": him is not Yezhov
        else:
            return None
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects and verb.dep_ == "conj" and not pron.lower_.endswith("self"):
            # "Belov became his patron and recommended him": the subject the verbs share
            subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
        for subj in subjects:  # "the commissar Ivan Belov" may come out as two subjects
            found = self.by_token.get(subj.i)
            if found is None:
                found = self.coref.get(subj.i)
            if found is not None and subj.i != pron.i:
                return found
        return None

    def _antecedent(
        self,
        seen,
        here: int,
        want_type: tuple[str, ...],
        bad,
        female: bool,
        sent_of,
        others=frozenset(),
    ):
        """The mention a pronoun in sentence `here` points back to (none of `others`), or
        None."""
        # "Ivan Belov became his patron. ... Belov sent him": not the subject by another name
        surnames = {self.mentions[mi].name.split()[-1] for mi in others if self.mentions[mi].name}
        seen = [
            s
            for s in seen
            if s[1] not in others
            and not (self.mentions[s[1]].name and self.mentions[s[1]].name.split()[-1] in surnames)
        ]
        if female:
            # a marked woman nearby beats a name of unknown gender
            marked = [
                mi
                for _, mi, _, si in seen
                if self.mentions[mi].type == "PER"
                and self._gender.get(mi) == "f"
                and here - 3 <= si <= here
            ]
            if marked:
                return marked[-1]
        for rank in (0, 1):  # same sentence first, then the three before it
            cands = [
                (ti, mi, subj)
                for ti, mi, subj, si in seen
                if self.mentions[mi].type in want_type
                and (bad is None or self._gender.get(mi) != bad)
                and ((si == here) if rank == 0 else (here - 3 <= si < here))
            ]
            if not cands:
                continue
            if rank == 0:
                return self._most_salient(cands)
            # the latest sentence with a candidate; its subject if it has one
            last_s = max(sent_of[c[0]] for c in cands)
            return self._most_salient([c for c in cands if sent_of[c[0]] == last_s])
        return None

    def _most_salient(self, cands: list[tuple[int, int, bool]]) -> int:
        """The latest subject told in the foreground (not in a relative clause or a
        comparison: "Klement was kidnapped, just as Wolf was", "he switched to the INO, in
        which Artusow held a post"), else the latest subject, else the latest name."""
        subjects = [c for c in cands if c[2]]
        foreground = [c for c in subjects if not _backgrounded(self.doc[c[0]])]
        return (foreground or subjects or cands)[-1][1]

    def _central_person(self, gender: str) -> int | None:
        """The person a text is about: the surname named most often (at least three times),
        not of the other gender. Its first full mention stands for it."""
        counts: dict[str, list[int]] = {}
        for mi, m in enumerate(self.mentions):
            if m.type == "PER" and m.name.split() and self._gender.get(mi) in (None, gender):
                counts.setdefault(m.name.split()[-1], []).append(mi)
        if not counts:
            return None
        surname, mis = max(counts.items(), key=lambda kv: len(kv[1]))
        if len(mis) < 3 or sum(len(v) >= len(mis) for v in counts.values()) > 1:
            return None  # no one stands out
        return max(mis, key=lambda mi: len(self.mentions[mi].name))

    def _bound_by_common_subject(self, pron: Token):
        """ "another head of the station announced his break": "his" is that head, not a name
        further back. Returns the mention the head turns out to be, None if unknown, False
        if the rule does not apply."""
        verb = pron.head
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            subj is None
            or subj.i > pron.i
            or subj.pos_ != "NOUN"
            or self.by_token.get(subj.i) is not None
        ):
            return False
        if subj.lemma_.lower() not in PERSON_NOUNS:
            return False
        return self.ix.identified_later(subj)

    # they -------------------------------------------------------------------------------
    def _link_plural(self) -> None:
        """they/them/their → an organization that was the subject in the sentence before or
        earlier in this one, or two or more people named together as such a subject."""
        words = self.onto.pronouns.get("plural", frozenset())
        for t in self.doc:
            if t.lower_ not in words or t.tag_ not in ("PRP", "PRP$") or _quoted(t):
                continue
            found = self._plural_antecedent(t)
            if len(found) == 1:
                self.coref.setdefault(t.i, found[0])
            elif found:
                self.ix.plural.setdefault(t.i, found)

    def _link_pair_words(self) -> None:
        """ "Orin and Sedin fled. The two men were arrested", "Both were arrested", "the couple
        was arrested": a word for two people named together as a subject just before."""
        for t in self.doc:
            if t.i in self.by_token or t.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            if not _pair_word(t):
                continue
            found = self._plural_antecedent(t)
            if len(found) == 2 and all(self.mentions[m].type == "PER" for m in found):
                self.ix.plural.setdefault(t.i, found)

    def _plural_antecedent(self, pron: Token) -> list[int]:
        here = self.sent_of[pron.i]
        for si in (here, here - 1):
            if si < 0:
                continue
            subjects = [
                t
                for t in self._sents[si]
                if t.dep_ in ("nsubj", "nsubjpass") and t.i < pron.i and t.pos_ == "PROPN"
            ]
            for subj in reversed(subjects):
                mi = self.by_token.get(subj.i)
                if mi is None:
                    continue
                if self.mentions[mi].type == "ORG":
                    # a body that acted is "they" who act next ("The Abwehr tracked him down.
                    # They arrested him"), not "they" who were shot or whose wives were deported;
                    # a band of people named as one ("the Lisbon Group", "the Cambridge Five")
                    # is "they" who do what its members did
                    acting = pron.dep_ == "nsubj" and subj.dep_ == "nsubj"
                    band = pron.dep_ == "nsubj" and self._a_band(mi)
                    return [mi] if acting or band else []
                group = [mi] + [
                    m
                    for c in subj.children
                    if c.dep_ == "conj"
                    and (m := self.by_token.get(c.i)) is not None
                    and self.mentions[m].type == "PER"
                ]
                return group if len(group) > 1 and self.mentions[mi].type == "PER" else []
        return []

    def _a_band(self, mi: int) -> bool:
        """A body whose name says it is a band of people: "the Cambridge Five", "the Lisbon
        Group", "the Red Orchestra" (the words are the ontology's `band_words`)."""
        words = self.mentions[mi].name.lower().split()
        return bool(words) and words[-1] in self.onto.pronouns.get("band_words", frozenset())

    # we -------------------------------------------------------------------------------------
    def _link_we(self) -> None:
        """we/us/our → the one who said "I" in this sentence or the one before, with those
        named together with them ("I - Evdokimov, with Zinoviev, Kamenev and others, deceived
        the court by concealing that the murder was carried out by us"); no one when the text
        names no one with them."""
        words = self.onto.pronouns.get("we", frozenset())
        for t in self.doc:
            if t.lower_ not in words or t.tag_ not in ("PRP", "PRP$"):
                continue
            here = self.sent_of[t.i]
            speakers = [
                s
                for si in (here, here - 1)
                if si >= 0
                for s in self._sents[si]
                if s.i < t.i and s.dep_ == "nsubj" and self._says_i(s)
            ]
            if not speakers:
                continue
            group = self._with_speaker(speakers[-1])
            if len(group) > 1:
                self.ix.plural.setdefault(t.i, group)

    def _says_i(self, subj: Token) -> bool:
        return subj.lower_ == "i" or any(c.lower_ == "i" for c in subj.children)

    def _with_speaker(self, subj: Token) -> list[int]:
        """The speaker a subject "I" stands for, and the people named with it as subject
        ("I, with X and Y", "X and I", "I, together with X")."""
        i_tok = subj if subj.lower_ == "i" else next(c for c in subj.children if c.lower_ == "i")
        speaker = self.by_token.get(subj.i, self.by_token.get(i_tok.i, self.coref.get(i_tok.i)))
        if speaker is None:
            return []
        named = [c for c in subj.children if c.dep_ == "conj"]
        for holder in (subj, subj.head):
            for prep in holder.children:
                if prep.dep_ == "prep" and prep.lower_ == "with":
                    named += [o for o in prep.children if o.dep_ == "pobj"]
        group = [speaker]
        while named:
            t = named.pop(0)
            mi = self.by_token.get(t.i)
            if mi is not None and self.mentions[mi].type == "PER" and mi not in group:
                group.append(mi)
            named += [c for c in t.children if c.dep_ == "conj"]
        return group

    # the latter, the former ---------------------------------------------------------------
    def _link_latter(self) -> None:
        """ "met Bren and Kos; the latter was head of the union": "the latter" is the last
        of the names told just before it (this sentence or the one before), "the former"
        the one named before that."""
        for t in self.doc:
            low = t.lower_
            if low not in ("latter", "former") or t.i in self.by_token:
                continue
            det = [c for c in t.children if c.dep_ == "det"]
            if [d.lower_ for d in det] != ["the"] or any(c.dep_ == "pobj" for c in t.children):
                continue
            if t.head.pos_ == "NOUN" and t.dep_ == "amod":
                continue  # "the former chairman": an adjective on a noun
            here = self.sent_of[t.i]
            named: list[int] = []
            for x in range(t.i - 1, -1, -1):
                if self.sent_of[x] < here - 1:
                    break
                mi = self.by_token.get(x)
                if mi is None or self.mentions[mi].type not in ("PER", "ORG"):
                    continue
                if not named or self.mentions[named[-1]].name != self.mentions[mi].name:
                    named.append(mi)
                if len(named) == 2:
                    break
            if len(named) == 2:
                self.coref[t.i] = named[0] if low == "latter" else named[1]

    # the defector, the ring -----------------------------------------------------------------
    def _link_descriptions(self) -> None:
        """ "the defector", "this ring" → the one named entity the text called so before: by
        an apposition or a title ("Krivitsky, a Soviet defector", "the defector Krivitsky"),
        a copula ("Krivitsky was a defector") or its own name ("the Cambridge Spy Ring")."""
        called: dict[str, list[tuple[int, int]]] = {}  # noun -> [(token, mention)]
        for mi, m in enumerate(self.mentions):
            toks = self.tokens_of.get(mi)
            if not toks:
                continue
            nouns = self._said_of(toks)
            if m.title and m.title.lower() in self.onto.descriptive_nouns:
                nouns.append(m.title.lower())  # "General Popov" is a general
            for noun in nouns:
                called.setdefault(noun, []).append((toks[-1], mi))
            if m.type == "ORG" and len(m.name.split()) > 1:
                last = self.doc[toks[-1]]
                if last.lower_ in self.onto.descriptive_nouns:
                    called.setdefault(last.lower_, []).append((toks[-1], mi))
        for t in self.doc:
            if t.i in self.by_token or t.pos_ != "NOUN" or t.tag_ != "NN":
                continue
            if not _definite_alone(t):
                continue
            before = [mi for ti, mi in called.get(t.lemma_.lower(), []) if ti < t.i]
            if len({self.mentions[mi].name.split()[-1] for mi in before}) == 1:
                self.coref.setdefault(t.i, before[-1])

    def _said_of(self, toks: list[int]) -> list[str]:
        """The nouns a name is given: "X, a Soviet defector", "the defector X", "X was a
        defector"."""
        doc, out = self.doc, []
        for x in toks:
            t = doc[x]
            for c in t.children:
                if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i not in self.by_token:
                    out.append(c.lemma_.lower())
            if t.dep_ == "nsubj" and t.head.lemma_ == "be":
                out += [
                    c.lemma_.lower()
                    for c in t.head.children
                    if c.dep_ == "attr" and c.pos_ == "NOUN"
                ]
        first = doc[toks[0]]
        prev = doc[toks[0] - 1] if toks[0] > 0 else None
        if prev is not None and prev.pos_ == "NOUN" and prev.head.i in toks:
            out.append(prev.lemma_.lower())  # "the defector Krivitsky"
        if first.dep_ == "appos" and first.head.pos_ == "NOUN":
            out.append(first.head.lemma_.lower())  # "a Soviet defector, Krivitsky"
        return [n for n in out if n in self.onto.descriptive_nouns]


_COMPARING = frozenset({"as", "than", "like"})


def _backgrounded(tok: Token) -> bool:
    """Is the word in a relative clause or a comparison, told in passing?"""
    t = tok
    for _ in range(10):
        if t.dep_ == "relcl":
            return True
        if t.dep_ == "advcl" and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in _COMPARING for c in t.children
        ):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _definite_alone(t: Token) -> bool:
    """ "the defector", "this ring": a definite noun with nothing that names or limits it."""
    kids = list(t.children)
    return (
        any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in kids)
        and not any(
            c.dep_ in ("poss", "compound", "nmod", "appos", "relcl", "acl", "nummod") for c in kids
        )
        and not any(p.dep_ == "prep" and p.lower_ == "of" for p in kids)
    )


def _quoted(tok: Token) -> bool:
    """Is the word inside quotation marks in its sentence?"""
    before = tok.doc[tok.sent.start : tok.i].text
    straight = before.count('"') % 2 == 1
    return straight or before.count("“") > before.count("”")


_PAIR_NOUNS = frozenset({"couple", "pair"})
_PEOPLE_NOUNS = frozenset(
    {"man", "woman", "brother", "sister", "agent", "spy", "officer", "friend", "defector"}
)


def _pair_word(t: Token) -> bool:
    """ "both" alone, "the couple", "the pair", "the two men", "both agents"."""
    dets = {c.lower_ for c in t.children if c.dep_ in ("det", "predet", "nummod")}
    if t.lower_ == "both" and t.pos_ in ("DET", "PRON", "NOUN"):
        return True
    if t.lemma_.lower() in _PAIR_NOUNS:
        return "the" in dets
    if t.lemma_.lower() in _PEOPLE_NOUNS and t.tag_ == "NNS":
        return "two" in dets or "both" in dets
    return False
