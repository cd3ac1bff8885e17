"""The slots of a trigger: which words of the parse fill its subject, object, "by", possessor,
"of", preposition and support-verb slots (`_Slots`), before the ontology maps slots to roles.
"""

from __future__ import annotations

from spacy.tokens import Token

from kartoteka.events.ontology import Ontology
from kartoteka.events.syntax import (
    MentionIndex,
    attached_to,
    clause_tokens,
    controlling_object,
    orders_for,
    prep_children,
    subject_of,
)

__all__ = ["Slots", "is_noun", "is_verb", "passive"]


def is_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN")


def is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")


def passive(tok: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


class Slots:
    """The filler tokens of each slot of a trigger, computed once."""

    def __init__(self, tok: Token, index: MentionIndex, onto: Ontology):
        self.tok = tok
        self.index = index
        self.onto = onto
        self.noun = is_noun(tok)
        self.tokens: dict[str, list[Token]] = {}
        self._direct_slots(tok)
        if _object_gap(tok) and "obj" not in self.tokens:
            # "One of the agents he uncovered was X": the noun a relative clause with a
            # subject and no object hangs on is what the verb did something to
            self.add("obj", tok.head)
        if tok.dep_ == "acl" and not self.noun and tok.tag_ == "VBN":
            # "an NKVD story sent through ...", "Nikolayev, Kotolynov and others shot by ..."
            head = _described(tok)
            while head.dep_ == "conj" and head.head.i != head.i:
                head = head.head
            self.add("obj", head)
            for c in tok.head.children:
                if c.dep_ in ("compound", "nmod", "poss"):
                    self.add("compound", c)
        for prep, obj in prep_children(tok):
            self.add("by" if prep == "by" else prep, obj)
        for act in orders_for(tok):
            self.add("order", act)
        if not self.noun and "to" not in self.tokens:
            self._went_to(tok, index, onto)
        if self.noun:
            self._participle_slots(tok)
            self._noun_slots(tok, onto, self.add)
            self._predicate_subject(tok)
        else:
            self._verb_subject(tok, index)

    def _went_to(self, tok: Token, index: MentionIndex, onto: Ontology) -> None:
        """ "went to the newspaper with his documents and asked for protection": a verb
        joined to a verb of going is done to the person or body gone to (not a place: "went
        to Paris and wrote")."""
        if tok.dep_ != "conj" or tok.head.lemma_.lower() not in onto.going_verbs:
            return
        for prep, obj in prep_children(tok.head):
            if prep == "to" and any(
                index.mentions[mi].type in ("PER", "ORG") for mi in index.mentions_of(obj)
            ):
                self.add("went_to", obj)

    def add(self, slot: str, t: Token) -> None:
        self.tokens.setdefault(slot, []).append(t)

    def _direct_slots(self, tok: Token) -> None:
        """Object, possessor, compound and "by" from the trigger's own dependents."""
        inverted = passive(tok) and any(c.dep_ == "nsubjpass" for c in tok.children)
        for child in tok.children:
            if _time_word(child):
                continue  # "and next day were shot": a time the parse took for the subject
            if child.dep_ == "nsubjpass" or (child.dep_ == "dobj" and not inverted):
                # "were arrested the commanders Yakir and Uborevich": an inverted passive
                # whose patient the parse calls an object
                self.add("obj", child)
            elif child.dep_ == "poss":
                self.add("poss", child)
            elif child.dep_ in ("compound", "nmod"):
                # "Les’s “defection”" comes out as nmod with a case marker
                if any(g.dep_ == "case" for g in child.children):
                    self.add("poss", child)
                else:
                    self.add("compound", child)
            elif child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        self.add("by", obj)

    def _verb_subject(self, tok: Token, index: MentionIndex) -> None:
        """The subject of a verb trigger, or the patient of a passive one, read through
        coordination and, where the parse lost it, from the nearest name before the verb."""
        is_passive = passive(tok)
        if "obj" not in self.tokens:
            shared = _shared_patient(tok)
            if shared is None:
                shared = _shared_object(tok)
                if shared is not None and not any(
                    index.mentions[mi].type == "PER" for mi in index.mentions_of(shared)
                ):
                    shared = None  # "fled and joined the Party": not what the flight moved
            if shared is not None:
                self.add("obj", shared)
        undergoer = _causative_undergoer(tok)
        if undergoer is not None:
            # "Stalin had Marshal Tarkin shot": Tarkin was shot, on Stalin's doing
            self.tokens.pop("subj", None)
            self.add("obj", undergoer)
            doer = subject_of(tok.head)
            if doer is not None:
                self.add("subj", doer)
            return
        controller = controlling_object(tok, self.onto)
        if controller is not None:
            # "Yezhov ordered the NKVD to arrest Orin": the NKVD arrests, on Yezhov's order
            self.add("subj", controller)
            if tok.head.lemma_.lower() in self.onto.ordering_verbs:
                orderer = subject_of(tok.head)
                if orderer is not None:
                    self.add("order", orderer)
            return
        subj = subject_of(tok)
        if subj is not None:
            if not is_passive:
                self.add("subj", subj)
            elif "obj" not in self.tokens:
                # "he organized a strike and was imprisoned": the subject a passive verb
                # shares with the verb it is coordinated with is its patient
                self.add("obj", subj)
        elif is_passive and "obj" not in self.tokens:
            # "On 22 September 1937 General Miller ... was kidnapped": a date phrase that
            # swallowed the subject; the nearest name before the verb is the patient
            near = _name_before(tok, index, ("PER",))
            if near is not None:
                self.add("obj", near)
        elif not is_passive:
            # "On 29 January 1937 Kandelaki, with his deputy ..., visited": a parse that
            # missed the subject; the nearest name before the verb in its clause stands in
            near = _name_before(tok, index)
            if near is not None:
                self.add("subj", near)

    def _predicate_subject(self, tok: Token) -> None:
        """Who a noun is said of: "X was the head of the NKVD", "he went on to become a
        tutor", "handed over the files as a defector" (the subject of the verb)."""
        verb = None
        if tok.dep_ in ("attr", "oprd") and tok.head.lemma_ in ("be", "become"):
            verb = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
            verb = attached_to(tok.head)
        if verb is not None and is_verb(verb):
            subj = subject_of(verb)
            if subj is not None and subj.i != tok.i:
                self.add("subj", subj)

    def _participle_slots(self, tok: Token) -> None:
        """ "a letter addressed to me by Klement", "the charges made against Trotsky": the
        phrases of a participle describing the event noun are the noun's."""
        for c in tok.children:
            if c.dep_ != "acl" or c.pos_ != "VERB":
                continue
            for prep, obj in prep_children(c):
                if prep in ("to", "by", "against", "from", "with"):
                    self.add(prep, obj)

    def _noun_slots(self, tok: Token, onto: Ontology, add) -> None:
        # "the kidnapping and murder of X": conjoined nouns share the "of" and the possessor
        group = [tok]
        if tok.dep_ == "conj":
            group.append(tok.head)
        group += [c for c in tok.children if c.dep_ == "conj"]
        if "of" not in self.tokens and "poss" not in self.tokens:
            for other in group[1:]:
                for c in other.children:
                    if c.dep_ == "poss":
                        add("poss", c)
                for prep, obj in prep_children(other):
                    if prep == "of":
                        add("of", obj)
            if "of" not in self.tokens and "poss" not in self.tokens:
                # a parse that hung "of X" elsewhere: "N of X" read off the words
                nxt = tok.doc[tok.i + 1 : tok.i + 6]
                if len(nxt) > 1 and nxt[0].lower_ == "of":
                    for t in nxt[1:]:
                        if self.index.mention_at(t) is not None:
                            add("of", t)
                            break
        self._support_slots(tok, onto)

    def _support_slots(self, tok: Token, onto: Ontology) -> None:
        """Support verbs lend their subject: "the NKVD was to carry out ... the murder of X";
        receive verbs their subject as the receiver: "Orlov received a telegram"."""
        head = tok
        for _ in range(3):
            if (
                head.dep_ not in ("dobj", "conj", "nsubjpass", "pobj", "attr", "oprd", "appos")
                or head.head.i == head.i
            ):
                break
            head = head.head
            if not is_verb(head):
                continue
            if head.lemma_.lower() in onto.receive_verbs and tok.dep_ == "dobj":
                subj = subject_of(head)
                if subj is not None:
                    self.add("receiver", subj)
            elif head.lemma_.lower() in onto.support_verbs:
                subj = subject_of(head)
                if subj is not None:
                    self.add("support", subj)
                # "the murder was prepared and carried out by us": the phrases of the support
                # verbs joined to it are the noun's too
                joined = [c for c in head.children if c.dep_ == "conj" and is_verb(c)]
                for verb in [head] + [v for v in joined if v.lemma_.lower() in onto.support_verbs]:
                    for prep, obj in prep_children(verb):
                        if prep in ("to", "by"):
                            self.add(prep, obj)
                    for act in orders_for(verb):
                        self.add("order", act)
                for c in head.children:
                    if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN", "PRON"):
                        self.add("to", c)  # "gave Bakayev direct instructions"
            break

    def claim_subjects(self, values: frozenset[str]) -> list[Token]:
        """Who is said to be a spy: "announcing that X was a spy", "X was said to be a spy"."""
        out = []
        # "he was identified as a communist agent", "whom the investigation has declared the
        # participants of a plot": the trigger's own "as" or predicate noun
        own_as = [o for p, o in prep_children(self.tok) if p == "as"]
        own_as += [c for c in self.tok.children if c.dep_ in ("oprd", "attr", "dobj")]
        said = {o.i for o in own_as if o.lemma_.lower() in values}
        if said:
            patient = next(
                (
                    c
                    for c in self.tok.children
                    if c.dep_ in ("nsubjpass", "dobj") and c.i not in said
                ),
                None,
            )
            if patient is None and self.tok.dep_ == "relcl":
                patient = self.tok.head  # "Yakir, whom the court declared the plotters"
            if patient is not None:
                out.append(patient)
        stack = [c for c in self.tok.children if c.dep_ in ("ccomp", "xcomp", "advcl", "acl")]
        while stack:
            v = stack.pop()
            if any(c.dep_ == "neg" for c in v.children):
                continue  # "claimed that they were not recruited as agents"
            attrs = [c for c in v.children if c.dep_ in ("attr", "oprd", "dobj")]
            for prep, obj in prep_children(v):
                if prep == "as":
                    attrs.append(obj)
            if any(a.lemma_.lower() in values for a in attrs):
                subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                out.append(subj if subj is not None else self.tok)
            stack.extend(c for c in v.children if c.dep_ in ("conj", "ccomp", "xcomp"))
        return out


def _described(participle: Token) -> Token:
    """The noun a participle describes: its head, or the noun right before it when the
    parse hung it higher ("the case of Orlov, Belkin and others shot by sentence": the
    others were shot, not the case)."""
    prev = participle.doc[participle.i - 1] if participle.i > 0 else None
    if (
        prev is not None
        and prev.i != participle.head.i
        and prev.pos_ in ("NOUN", "PROPN", "PRON")
        and prev in participle.head.subtree
    ):
        return prev
    return participle.head


def _object_gap(tok: Token) -> bool:
    """A relative clause with a subject of its own, no object and no relative word: "the
    agents he uncovered", "the man the police arrested"."""
    if tok.dep_ != "relcl" or tok.pos_ != "VERB" or passive(tok) or _time_word(tok.head):
        return False
    children = list(tok.children)
    return any(c.dep_ == "nsubj" for c in children) and not any(
        c.dep_ in ("dobj", "ccomp", "xcomp") or c.tag_ in ("WDT", "WP", "WP$") for c in children
    )


def _name_before(
    tok: Token, index: MentionIndex, types: tuple[str, ...] = ("PER", "ORG")
) -> Token | None:
    """The nearest person or organization named before a verb in its own clause, outside
    with/by/to/from/against phrases: a stand-in for a subject the parse missed."""
    clause = clause_tokens(tok)
    for t in tok.sent:
        if t.dep_ == "prep" and t.lower_ in ("with", "by", "to", "from", "against"):
            clause -= {x.i for x in t.subtree}
    for t in reversed(tok.doc[tok.sent.start : tok.i]):
        if (
            t.i in clause
            and index.mention_at(t) is not None
            and index.mentions[index.mention_at(t)].type in types
        ):
            return t
    return None


def _shared_patient(tok: Token) -> Token | None:
    """ "X was removed in 1938, arrested in 1939 and shot in 1940": a participle with no
    subject or object of its own, coordinated with a passive verb, shares its patient."""
    if tok.tag_ not in ("VBN", "VBD") or any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj", "csubj") and not _time_word(c)
        for c in tok.children
    ):
        return None
    t = tok
    for _ in range(4):
        if t.dep_ == "conj" or (
            t.dep_ == "advcl" and t.tag_ == "VBN" and not any(c.dep_ == "mark" for c in t.children)
        ):
            t = t.head
        elif t.dep_ == "acl" and t.tag_ == "VBN" and t.head.dep_ == "pobj":
            # "was taken to Moscow aboard a ship, held in the Lubyanka and shot", parsed as
            # if the ship were held: the series goes on from the passive verb above
            above = _verb_above(t.head)
            if above is None:
                return None
            t = above
        else:
            return None
        if t.pos_ not in ("VERB", "AUX"):
            # "was arrested in 1912 and exiled to Siberia", parsed as if "1912 and exiled":
            # the verb the misplaced conjunct hangs under
            t = _verb_above(t)
            if t is None:
                return None
        if any(c.dep_ in ("nsubj", "csubj") for c in t.children):
            return None  # an active verb: "he was tried and shot his guard" is not this
        patient = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
        if patient is not None:
            return patient
        if t.tag_ != "VBN":
            return None
    return None


def _causative_undergoer(tok: Token) -> Token | None:
    """ "had Tarkin shot", "had him arrested", "got the courier arrested": the one the
    parse made the participle's subject undergoes it."""
    if (
        tok.dep_ not in ("ccomp", "xcomp")
        or tok.tag_ not in ("VBN", "VBD")
        or tok.head.lemma_.lower() not in ("have", "get")
        or any(c.dep_ in ("dobj", "aux", "auxpass") for c in tok.children)
    ):
        return None
    return next((c for c in tok.children if c.dep_ == "nsubj"), None)


def _shared_object(tok: Token) -> Token | None:
    """ "The NKVD arrested and shot Orin": a verb with no object of its own, joined by "and"
    to the next verb, shares that verb's object."""
    if passive(tok) or any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in tok.children):
        return None
    doc = tok.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ not in ("and", "or"):
        return None
    nxt = doc[tok.i + 2]
    if nxt.dep_ != "conj" or nxt.head.i != tok.i or any(c.dep_ == "nsubj" for c in nxt.children):
        return None
    return next((c for c in nxt.children if c.dep_ == "dobj"), None)


def _verb_above(tok: Token) -> Token | None:
    t = tok
    for _ in range(3):
        if t.head.i == t.i:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


_TIME_NOUNS = frozenset(
    "day days week weeks month months year years morning evening night time hour hours "
    "spring summer autumn winter".split()
)


def _time_word(tok: Token) -> bool:
    return tok.lemma_.lower() in _TIME_NOUNS and tok.pos_ == "NOUN"
