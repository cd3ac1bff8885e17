"""What the dependency parse tells about who is who: tokens → mentions, subjects, pronouns.

Shared by event and relation extraction. Everything here is rule-based and explainable: a
filler token is a name (a mention covers it), a pronoun (the most recent compatible name
before it), a relative pronoun (its antecedent) or a group noun ("a team from the NKVD",
"Yezhov's assassins") standing for the organization or person it names.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kartoteka.events.coref import PERSON_NOUNS, link_references
from kartoteka.events.ontology import Ontology
from kartoteka.model import Mention

__all__ = [
    "MentionIndex",
    "subject_of",
    "prep_children",
    "clause_tokens",
    "companions",
    "strays",
    "attached_to",
    "controlling_object",
    "GROUP_NOUNS",
]

# Nouns that stand for the people or body they come from ("a team from the NKVD").
GROUP_NOUNS = frozenset(
    """team group squad unit detachment agents agent men man officers
officer assassins assassin killers killer plainclothesman plainclothesmen policeman police
staff people emissary emissaries envoy representative representatives courier couriers gang
band troops soldiers operatives operative spies spy brigade commando network station
residency delegation mission government authorities regime leadership employee employees
worker workers functionary functionaries officials gunmen thugs family household
service department section branch directorate division bureau office wing apparatus
staff""".split()
)

_RELATIVE = frozenset({"who", "whom", "which", "that", "whose"})
_YEAR = re.compile(r"\b\d{3,4}\b")
# phrases that give whose order or decision an act carried out: "on the orders of", "under
# a decree of", "in accordance with the decision of"
_ORDER_PREPS = frozenset({"on", "upon", "under", "at", "in"})
_ACCORDANCE = frozenset({"accordance", "compliance"})
# acts that stand for whoever did them: "by sentence of the Collegium", "on orders of X"
_ACT_NOUNS = frozenset(
    "sentence order orders decision decree verdict command instruction instructions ruling".split()
)
# things that say something on their sender's behalf ("a circular announcing ...")
_DOCUMENT_NOUNS = frozenset(
    "circular letter telegram message note memo memorandum report statement order "
    "decree article communique communiqué cable dispatch leaflet declaration".split()
)
_PREP_DEPS = ("prep", "dative", "agent")
_DIRECTION_ADVERBS = frozenset(
    {
        "back",
        "home",
        "away",
        "off",
        "out",
        "abroad",
        "over",
        "down",
        "up",
        "straight",
        "directly",
        "later",
        "again",
    }
)
_IDENTIFYING = frozenset({"this", "that", "it", "he", "she"})
_SUBJECT_LIKE = frozenset({"nsubj", "nsubjpass", "attr"})
_NOT_IN_A_NAME = frozenset({"ADP", "DET", "CCONJ", "PRON", "SCONJ"})


def strays(rel: Token) -> list[Token]:
    """The phrases the parse hung on a relative clause set off by commas after the comma
    that closes it: "handing over documents, some of which were signed by Stalin, to the
    Allies on 5 September": "to the Allies" and "on 5 September" are the handing's."""
    if rel.dep_ != "relcl":
        return []
    comma = next((c for c in rel.children if c.text == "," and c.i > rel.i), None)
    if comma is None:
        return []
    return [c for c in rel.children if c.i > comma.i and c.dep_ in ("prep", "npadvmod")]


def attached_to(tok: Token) -> Token:
    """The word a phrase belongs to: its head, or for a stray after a relative clause's
    closing comma (`strays`), the word the clause's noun is an argument of."""
    head = tok.head
    if head.dep_ == "relcl" and tok in strays(head):
        noun = head.head
        return noun.head.head if noun.dep_ == "pobj" else noun.head
    return head


def orders_for(tok: Token) -> list[Token]:
    """The acts on whose strength `tok` was done: "arrested on the orders of the Gestapo",
    "committed in accordance with the decision of the centre" (the act nouns, which stand
    for whoever gave them: see `MentionIndex.mentions_of`)."""
    out = []
    for prep, obj in prep_children(tok):
        if prep not in _ORDER_PREPS:
            continue
        if obj.lemma_.lower() in _ACCORDANCE:
            obj = next((o for p, o in prep_children(obj) if p in ("with", "to")), obj)
        if obj.lemma_.lower() in _ACT_NOUNS:
            out.append(obj)
    return out


def prep_children(tok: Token) -> list[tuple[str, Token]]:
    """(preposition lemma, its object) for each prepositional phrase on `tok`, with the
    phrases the parse hung on a relative clause of its object after the clause's comma."""
    out = []
    for child in tok.children:
        if child.dep_ in _PREP_DEPS:
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    out.append((child.lemma_.lower(), obj))
            # "an agent of the Abwehr and of the Razvedupr": a phrase joined to the phrase
            for other in (c for c in child.children if c.dep_ == "conj" and c.pos_ == "ADP"):
                out += [(other.lemma_.lower(), o) for o in other.children if o.dep_ == "pobj"]
            # "began teaching as of mid-1914 at the Escuela Normal", "arrested in 1912 by the
            # police": a phrase the parse hung on the date of the verb is the verb's
            for obj in _objs(child) + [o for p in _preps(child) for o in _objs(p)]:
                if _a_date(obj):
                    out += [(p.lemma_.lower(), o) for p in _preps(obj) for o in _objs(p)]
        elif child.dep_ == "advmod" and child.lower_ in _DIRECTION_ADVERBS:
            out += prep_children(child)  # "went back to Moscow"
        elif child.dep_ in ("dobj", "nsubjpass"):
            for stray in (x for r in child.children for x in strays(r) if x.dep_ == "prep"):
                out += [(stray.lemma_.lower(), o) for o in stray.children if o.dep_ == "pobj"]
    return out


def _a_date(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or bool(_YEAR.search(tok.text))


def _preps(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "prep"]


def _objs(prep: Token) -> list[Token]:
    return [o for o in prep.children if o.dep_ == "pobj"]


_TOGETHER = frozenset({"together", "along"})


def companions(tok: Token) -> list[Token]:
    """Who does it with the subject: "joined the Party together with Klahr and Reisberg",
    "along with his brother", "Together with him were arrested ..." (the objects of a "with"
    marked by "together" or "along", wherever the parse hung them on the verb, or on the
    object of one of its phrases: "was arrested on suspicion of espionage together with
    Clausen")."""
    marked_verb = any(c.dep_ == "advmod" and c.lower_ in _TOGETHER for c in tok.children)
    out = _marked_withs(tok, marked_verb)
    for c in tok.children:
        if c.dep_ == "prep":
            for obj in c.children:
                if obj.dep_ == "pobj" and obj.pos_ == "NOUN":
                    out += _marked_withs(obj, False)
    return out


def _marked_withs(tok: Token, marked: bool) -> list[Token]:
    """The objects of the "with" phrases on `tok` that "together" or "along" marks (or all
    its "with" phrases, when the verb itself is `marked`)."""
    withs = []
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        if c.lower_ == "with" and (
            marked or any(g.dep_ == "advmod" and g.lower_ in _TOGETHER for g in c.children)
        ):
            withs.append(c)
        elif c.lower_ in _TOGETHER:  # "along with", "together with" as two prepositions
            withs += [g for g in c.children if g.dep_ == "prep" and g.lower_ == "with"]
    return [o for w in withs for o in w.children if o.dep_ == "pobj"]


def _before_bracket(subj: Token, verb: Token) -> Token:
    """ "Jagoda (Russian ...; † 15 March 1938 in Moscow) was the head of ...": a parse that
    took a word in the bracket after a name for the subject of the verb after the bracket;
    the subject is the name the bracket follows."""
    doc = subj.doc
    sent_start = subj.sent.start
    opening = next((t for t in doc[sent_start : subj.i] if t.text == "("), None)
    if (
        opening is None
        or opening.i == sent_start
        or not any(t.text == ")" for t in doc[subj.i + 1 : verb.i])
    ):
        return subj
    named = doc[opening.i - 1]
    return named if named.pos_ == "PROPN" else subj


def _antecedent(tok: Token) -> Token | None:
    """What a relative pronoun the parse left off its clause stands for: "the service INO,
    in which Artusow held a post" (the object of the clause's preposition; the parse may
    make the clause an adverbial one, so the noun before the comma), "Arkady Blum, whose
    wife Sonia worked for the Comintern" (the owner in the clause)."""
    low = tok.lower_
    if low == "whose" and tok.dep_ == "poss":
        t = tok.head
        while t.dep_ not in ("relcl", "ROOT") and t.head.i != t.i:
            t = t.head
        return t.head if t.dep_ == "relcl" else None
    if low not in ("which", "whom") or tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return None
    prep, doc = tok.head, tok.doc
    if prep.head.dep_ == "relcl":
        return prep.head.head
    if prep.i >= 2 and doc[prep.i - 1].text == "," and prep.i == tok.i - 1:
        return doc[prep.i - 2]
    return None


def controlling_object(tok: Token, onto: Ontology) -> Token | None:
    """The object of "ordered the NKVD to arrest", "sent a team to kill": who does the act
    the infinitive names (its own subject is the object of the verb above)."""
    if (
        tok.dep_ != "xcomp"
        or any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        or tok.head.lemma_.lower() not in onto.object_control_verbs
    ):
        return None
    return next((c for c in tok.head.children if c.dep_ == "dobj"), None)


def subject_of(tok: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, climbing through "hastened to send", "... and wrote", "who"."""
    if depth > 4:
        return None
    for child in tok.children:
        if child.dep_ in ("nsubj", "csubj"):
            return _before_bracket(child, tok)
    if any(c.dep_ in ("nsubjpass", "csubjpass") for c in tok.children):
        return None  # a passive clause's subject is its patient; its agent is a by-phrase
    if tok.dep_ == "conj" and not any(c.dep_ == "auxpass" for c in tok.children):
        # "Ivanov was born in Tver and later lived in Kiev": an active verb coordinated with
        # a passive one shares its subject
        shared = next((c for c in tok.head.children if c.dep_ == "nsubjpass"), None)
        if shared is not None:
            return shared
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" for c in tok.children):
        # "Although Les was eliminated, Krivitsky broke with ...": a clause of its own,
        # whose doer is not the main clause's subject
        return None
    if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.i != tok.head.i:
        # "he uncovered the network by handing over documents": the doer of the verb the
        # preposition hangs on
        return subject_of(tok.head.head, depth + 1)
    if tok.dep_ == "conj" and tok.i > 0:
        # "the Gestapo uncovered the network and Trepper fled": a name right before the
        # verb that the parse joined to the object before it is the verb's subject
        before = tok.doc[tok.i - 1]
        if before.dep_ == "conj" and before.pos_ == "PROPN" and before.head.dep_ == "dobj":
            return before
    if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") and tok.head.i != tok.i:
        return subject_of(tok.head, depth + 1)
    if tok.dep_ == "dobj" and tok.tag_ == "VBG" and tok.head.i != tok.i:
        # "sent out a circular announcing ...", parsed with the gerund as the object
        return subject_of(tok.head, depth + 1)
    if tok.dep_ == "relcl" and tok.head.i != tok.i:
        return tok.head
    if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
        # "a German exile living in Paris", "a journalist working for Vu": the one described
        # (but "a circular announcing ...": the one who sent the circular announces)
        if tok.head.lemma_.lower() not in _DOCUMENT_NOUNS:
            return tok.head
    if tok.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        # "my duty to make public", "his decision to leave": whose duty, whose decision
        poss = next((c for c in tok.head.children if c.dep_ == "poss"), None)
        if poss is not None:
            return poss
    if tok.dep_ == "acl" and tok.head.i != tok.i:
        # "a circular announcing ...": the one who sent the circular announces
        head = tok.head
        if head.dep_ in ("dobj", "nsubjpass") and head.head.i != head.i:
            return subject_of(head.head, depth + 1)
    return None


def clause_tokens(tok: Token) -> set[int]:
    """Token indices of the clause headed by `tok`, leaving out coordinated clauses."""
    out = {tok.i}
    stack = [c for c in tok.children if c.dep_ not in ("conj", "cc", "relcl", "ccomp")]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(t.children)
    return out


class MentionIndex:
    """Mentions located in the parse, with rule-based pronoun resolution."""

    def __init__(self, doc: Doc, mentions: list[Mention], ontology: Ontology):
        self.doc = doc
        self.mentions = mentions
        self.onto = ontology
        self.by_token: dict[int, int] = {}
        self.tokens_of: dict[int, list[int]] = {}
        # longest first so a token inside "the Soviet Embassy in France" maps to that mention
        order = sorted(range(len(mentions)), key=lambda i: mentions[i].start - mentions[i].end)
        for mi in order:
            m = mentions[mi]
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            self.tokens_of[mi] = [t.i for t in span]
            for t in span:
                self.by_token.setdefault(t.i, mi)
        self.coref: dict[int, int] = {}
        #: a word standing for several names ("they" for "Ivan and Vera Rudin")
        self.plural: dict[int, list[int]] = {}
        link_references(self)

    def named_after_commas(self, tok: Token) -> int | None:
        """ "The wife of Tukhachevsky, Nina Yevgenyevna, was arrested": a person named between
        commas right after a noun's phrase, which the parse hung elsewhere."""
        doc = self.doc
        end, stack = tok.i, [tok]
        while stack:  # the noun's phrase, without what the parse appended to it
            t = stack.pop()
            end = max(end, t.i)
            stack.extend(c for c in t.children if c.dep_ not in ("punct", "appos", "relcl", "acl"))
        if end + 2 >= len(doc) or doc[end + 1].text != ",":
            return None
        mi = self.by_token.get(end + 2)
        if mi is None or self.mentions[mi].type != "PER":
            return None
        last = self.tokens_of[mi][-1]
        closing = doc[last + 1] if last + 1 < len(doc) else None
        if closing is None or (
            closing.text not in (",", ")") and closing.pos_ not in ("VERB", "AUX")
        ):
            return None
        if any(t.lower_ in ("and", "or") for t in doc[end + 1 : end + 3]):
            return None
        return mi

    def identified_later(self, tok: Token) -> int | None:
        """ "... another head of a station broke with Moscow. This was Walter Krivitsky":
        a person described first and named in the next sentence."""
        sent = tok.sent
        if sent.end >= len(self.doc):
            return None
        nxt = self.doc[sent.end : sent.end + 4]
        words = [t for t in nxt if not t.is_space]
        if len(words) >= 3 and words[0].lower_ in _IDENTIFYING and words[1].lemma_ == "be":
            mi = self.by_token.get(words[2].i)
            if mi is None and len(words) > 3:
                mi = self.by_token.get(words[3].i)
            if mi is not None and self.mentions[mi].type == "PER":
                return mi
        return None

    # fillers --------------------------------------------------------------------------
    def mention_at(self, tok: Token) -> int | None:
        mi = self.by_token.get(tok.i)
        if mi is not None:
            return mi
        return self.coref.get(tok.i)

    def _stands_for(self, tok: Token, depth: int) -> list[int]:
        """What a word that is not itself a name stands for: the antecedent of a relative
        pronoun, the body behind a group noun, the name a noun is given, the name it is
        in apposition to, the person a description is identified with later."""
        low = tok.lower_
        if low in _RELATIVE and tok.head.dep_ == "relcl":
            return self.mentions_of(tok.head.head, depth + 1)
        antecedent = _antecedent(tok)
        if antecedent is not None:
            return self.mentions_of(antecedent, depth + 1, conj=False)
        cut = self._name_cut_short(tok)
        if cut is not None:
            return [cut]
        found: list[int] = []
        if tok.lemma_.lower() in _ACT_NOUNS:
            # "shot by sentence of the Military Collegium", "on the orders of Yezhov": a
            # body's act stands for the body
            for child in tok.children:
                if child.dep_ == "poss":
                    found += self.mentions_of(child, depth + 1)
            for prep, obj in prep_children(tok):
                if prep == "of":
                    found += self.mentions_of(obj, depth + 1)
            return found
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in GROUP_NOUNS:
            for child in tok.children:
                if child.dep_ in ("compound", "nmod", "poss", "amod"):
                    cm = self.mention_at(child)
                    if cm is None and child.lower_ == "whose":
                        # "the Razvedupr, whose agents had killed Orsk"
                        cm = next(iter(self.mentions_of(child, depth + 1, conj=False)), None)
                    if cm is not None and self.mentions[cm].type in ("ORG", "PER"):
                        found.append(cm)
            for prep, obj in prep_children(tok):
                if prep in ("from", "of"):
                    found += self.mentions_of(obj, depth + 1)
        if found or tok.pos_ != "NOUN":
            return found
        named = self._named(tok)
        if named is not None:
            return [named]
        if tok.dep_ == "appos" and self.mention_at(tok.head) is not None:
            # "Ignace Reiss, a Soviet agent who had broken with Moscow"
            return [self.mention_at(tok.head)]
        set_off = self.named_after_commas(tok)
        if set_off is not None:
            return [set_off]
        if tok.lemma_.lower() in PERSON_NOUNS and tok.dep_ in ("nsubj", "nsubjpass"):
            later = self.identified_later(tok)
            if later is not None:
                return [later]
        return self._one_of(tok, depth)

    def _name_cut_short(self, tok: Token) -> int | None:
        """ "the physicist Alan Nunn May": a person's name whose last word the mentions left
        out (a surname that is also a month or a word) still names the person, when the parse
        makes that word the head of the name right after it."""
        if tok.pos_ != "PROPN" or not tok.is_title or tok.i == 0:
            return None
        mi = self.by_token.get(tok.i - 1)
        if mi is None or self.mentions[mi].type != "PER" or self.tokens_of[mi][-1] != tok.i - 1:
            return None
        return mi if self.doc[tok.i - 1].head.i == tok.i else None

    def _one_of(self, tok: Token, depth: int) -> list[int]:
        """ "One of the agents he uncovered was the physicist Nunn May": the one named
        after the copula is among the noun's people."""
        share = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
        if share is None or share.lower_ not in ("one", "another") or share.dep_ != "nsubj":
            return []
        verb = share.head
        if verb.lemma_ != "be":
            return []
        attr = next((c for c in verb.children if c.dep_ == "attr"), None)
        return [] if attr is None else self.mentions_of(attr, depth + 1)

    def _named(self, tok: Token) -> int | None:
        """The name a common noun is given: "the Soviet chargé d'affaires Gilchfield", "the
        movement Hashomer Hatzair", "an organization called Rabcors"."""
        for t in self.doc[tok.i + 1 : tok.i + 5]:
            if t.is_quote and not t.is_sent_start:
                continue  # 'the newspaper "Ottawa Journal"'
            if t.is_punct or t.is_sent_start or t.pos_ in _NOT_IN_A_NAME or t.i == tok.head.i:
                break  # "the police arrested Ivanov": the verb ends the noun's phrase
            mi = self.by_token.get(t.i)
            if mi is not None and any(
                self.doc[x].dep_ in ("nsubj", "nsubjpass") for x in self.tokens_of.get(mi, [])
            ):
                break  # "the agents Inspector Dale uncovered": the subject of a clause
            if mi is not None:
                return mi if self.mentions[mi].type in ("PER", "ORG") else None
        for child in tok.children:
            if child.dep_ == "acl" and child.lemma_.lower() in ("call", "name", "know"):
                for t in child.subtree:
                    mi = self.by_token.get(t.i)
                    if mi is not None and t.i > child.i:
                        return mi
        return None

    def _joined_after_gloss(self, mi: int, depth: int) -> list[int]:
        """ "from Anthony Blunt (cryptonyms: Tony, Johnson) and then John Cairncross": a name
        joined by "and" after a bracket that glosses the name before it, which the parse lost
        in the bracket."""
        toks = self.tokens_of.get(mi)
        doc = self.doc
        if not toks or toks[-1] + 1 >= len(doc) or doc[toks[-1] + 1].text != "(":
            return []
        closing = next((t for t in doc[toks[-1] + 2 : toks[-1] + 20] if t.text == ")"), None)
        if closing is None:
            return []
        after = [t for t in doc[closing.i + 1 : closing.i + 4] if t.lower_ != "then"]
        if len(after) < 2 or after[0].lower_ not in ("and", "or"):
            return []
        other = self.by_token.get(after[1].i)
        if other is None or self.mentions[other].type != self.mentions[mi].type:
            return []
        return [other]

    def mentions_of(self, tok: Token, depth: int = 0, conj: bool = True) -> list[int]:
        """Mentions a filler token stands for (with its coordinated partners)."""
        found: list[int] = []
        mi = self.mention_at(tok)
        if mi is not None:
            found.append(mi)
        elif tok.i in self.plural:
            found += self.plural[tok.i]  # "they" for two people named together
        elif depth < 3:
            found = self._stands_for(tok, depth)
        if conj:
            for child in tok.children:
                if child.dep_ == "conj" or (child.dep_ == "appos" and mi is None):
                    found += self.mentions_of(child, depth + 1)
            if mi is not None:
                found += self._joined_after_gloss(mi, depth)
        out = []
        for x in found:
            if x not in out:
                out.append(x)
        return out
