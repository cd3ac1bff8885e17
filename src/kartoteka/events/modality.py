"""How sure the source is of an event: asserted, reported, hedged, planned, attempted,
questioned or negated.

The cues are word lists in the ontology (`[modality]`): on the trigger itself (a modal or
negation, an adverb such as "probably", a modifier such as "alleged" or "attempted", a compound
head such as "assassination attempt") and on the words that govern it, climbing the parse
through clausal complements and the verbs and nouns an event noun hangs on ("the police said
that ...", "he tried to kill ...", "orders for the arrest of ..."). The strongest cue wins.
Relative and adverbial clauses are not climbed: "the man who killed Reiss was never found"
tells the killing as a fact.
"""

from __future__ import annotations

from spacy.tokens import Token

from kartoteka.events.ontology import Ontology

__all__ = ["MODALITIES", "NOT_EVENTS", "modality"]

#: strongest first: when cues disagree, the first one found in this order wins
MODALITIES = ("negated", "questioned", "planned", "attempted", "hedged", "reported", "asserted")
#: told as not having happened, or asked about: not events
NOT_EVENTS = frozenset({"negated", "questioned"})

# Links climbed from a word to the word governing it, and through which kind of cue each
# can carry: a clause ("said that ..."), an infinitive ("tried to ...") or a noun's head
# ("ordered the arrest", "plans for the murder").
_CLAUSAL = frozenset({"ccomp", "xcomp", "csubj", "csubjpass"})
_NOMINAL = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "oprd", "appos", "compound"})
_MAX_CLIMB = 6
_TEMPORAL_PREPS = frozenset({"after", "before", "following", "since", "until", "till"})
# prepositions through which a noun names what is planned, feared, reported: "plans for",
# "fear of", "reports on", "charged with"
_CONTENT_PREPS = frozenset({"of", "for", "on", "about", "over", "with", "from", "to"})


def _words(onto: Ontology, key: str) -> frozenset[str]:
    return onto.modality.get(key, frozenset())


def _is(tok: Token, words: frozenset[str]) -> bool:
    return tok.lemma_.lower() in words or tok.lower_ in words


def _own_cues(tok: Token, onto: Ontology) -> set[str]:
    """Cues on the trigger itself (or on a verb it shares a clause with)."""
    cues: set[str] = set()
    children = list(tok.children)
    if any(c.dep_ == "neg" and not _not_until(c) for c in children) or any(
        c.dep_ == "det" and c.lower_ == "no" for c in children
    ):
        cues.add("negated")
    aux = [c for c in children if c.dep_ in ("aux", "auxpass")]
    if any(c.dep_ == "mark" and _is(c, _words(onto, "question_marks")) for c in children):
        cues.add("questioned")
    modal = [c for c in aux if c.tag_ == "MD"]
    if any(c.lower_ in ("would", "could", "might") for c in modal) and any(
        c.lemma_ == "have" for c in aux
    ):
        # "would have been arrested": a road not taken; "might have been" stays hedged
        cues.add("questioned" if any(c.lower_ == "would" for c in modal) else "hedged")
    elif any(_is(c, _words(onto, "hedged_aux")) for c in modal):
        cues.add("hedged")
    elif any(_is(c, _words(onto, "planned_aux")) for c in modal):
        cues.add("planned")
    for c in children:
        if c.dep_ == "advmod":
            if _is(c, _words(onto, "hedged_adverbs")):
                cues.add("hedged")
            elif _is(c, _words(onto, "reported_adverbs")):
                cues.add("reported")
        elif c.dep_ in ("amod", "compound", "nmod") and tok.pos_ in ("NOUN", "PROPN"):
            cues |= _modifier_cues(c, onto)
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        # "an assassination attempt", "a murder plot"
        if _is(tok.head, _words(onto, "attempted_compounds")):
            cues.add("attempted")
        elif _is(tok.head, _words(onto, "planned_compounds")):
            cues.add("planned")
    return cues


def _not_until(neg: Token) -> bool:
    """ "It was not until March that he was arrested": a time, not a denial."""
    nxt = neg.doc[neg.i + 1] if neg.i + 1 < len(neg.doc) else None
    return nxt is not None and nxt.lower_ in ("until", "till")


def _modifier_cues(mod: Token, onto: Ontology) -> set[str]:
    for key, cue in (
        ("attempted_modifiers", "attempted"),
        ("planned_modifiers", "planned"),
        ("hedged_modifiers", "hedged"),
        ("reported_modifiers", "reported"),
    ):
        if _is(mod, _words(onto, key)):
            return {cue}
    return set()


def _head_cues(head: Token, link: str, onto: Ontology, child: Token) -> set[str]:
    """Cues a governing word lends through the link `link` ("ccomp", "xcomp", "dobj" ...)
    to `child`, the word it governs."""
    cues: set[str] = set()
    clausal = link in _CLAUSAL
    if clausal or link in ("dobj", "pobj"):
        # "escaped arrest", "had expected to be killed", "feared that he would be
        # arrested": what did not (yet) happen
        if _is(head, _words(onto, "negating_heads")) or (
            _is(head, onto.averting_heads)
            and (link != "ccomp" or any(c.tag_ == "MD" for c in child.children))
        ):
            cues.add("negated")
        if _is(head, _words(onto, "attempted_heads")):
            cues.add("attempted")
        # "tell" plans through an infinitive ("told him to go") and reports through a clause
        if _is(head, _words(onto, "planned_heads")) and (
            link != "ccomp" or not _is(head, _words(onto, "reported_heads"))
        ):
            cues.add("planned")
    # "rumours of his arrest" hedge it; "heard of his arrest" takes it as known
    if clausal or (link == "pobj" and head.pos_ in ("NOUN", "PROPN")):
        if _is(head, _words(onto, "hedged_heads")):
            cues.add("hedged")
        elif _is(head, _words(onto, "reported_heads")):
            cues.add("reported")
    if clausal:
        # "it is possible that ...", "it seems likely that ..."
        for c in head.children:
            if c.dep_ in ("acomp", "attr", "oprd") and _is(c, _words(onto, "hedged_heads")):
                cues.add("hedged")
    return cues


def _question_sentence(tok: Token, onto: Ontology) -> bool:
    """A sentence that asks: it ends in "?" and opens with a question word or an auxiliary
    ("Who had ordered it?", "Was he arrested?"), not an OCR'd line that happens to end in
    one."""
    words = [t for t in tok.sent if not (t.is_punct or t.is_space)]
    last = [t for t in tok.sent if not t.is_space]
    if not words or not last or "?" not in last[-1].text:
        return False
    return words[0].lower_ in _words(onto, "question_words")


_INVERTING = frozenset({"had", "were", "should"})


def _inverted_condition(tok: Token) -> bool:
    """ "Had the government not acted - sending police and giving a warning - he would not
    have survived", "Had the police arrested him, ...": a condition told with the auxiliary
    before the subject, as "if" tells one; whatever happens inside it is not told as fact."""
    t = tok
    for _ in range(12):
        if t.dep_ in ("advcl", "ccomp"):
            aux = next((c for c in t.children if c.dep_ == "aux"), None)
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if (
                aux is not None
                and subj is not None
                and aux.lower_ in _INVERTING
                and aux.i < subj.i
                and (aux.i == t.sent.start or aux.nbor(-1).is_punct)
            ):
                return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _according_to(tok: Token) -> bool:
    """ "According to the police, ...": on the trigger or the verb of its clause."""
    for t in (tok, tok.head):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                return True
    return False


def modality(tok: Token, onto: Ontology) -> str:
    """The modality of the event whose trigger is `tok` (one of MODALITIES)."""
    cues = _own_cues(tok, onto)
    if _question_sentence(tok, onto) or _inverted_condition(tok):
        cues.add("questioned")
    if _according_to(tok):
        cues.add("reported")
    t, in_content = tok, False
    for _ in range(_MAX_CLIMB):
        link, head = t.dep_, t.head
        if link == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            link = "xcomp"  # "instructions to organize the murder", "a plan to kill"
        if head.i == t.i or link in ("relcl", "advcl", "acl", "parataxis"):
            break
        found, head = _cues_from_head(t, head, link, onto)
        if found is None:
            break
        if in_content:
            # "asked him to convey that the public was shocked by the kidnapping": what is
            # asked or tried above a that-clause is the saying, not what the clause tells
            found -= {"planned", "attempted"}
        cues |= found
        in_content = in_content or link == "ccomp"
        t = head
    return next((m for m in MODALITIES if m in cues), "asserted")


def _cues_from_head(t: Token, head: Token, link: str, onto: Ontology):
    """(cues, the word to climb to) that the word governing `t` lends it; (None, _) to stop."""
    if link in ("pobj", "pcomp") and head.dep_ in ("prep", "agent"):
        if head.lower_ in _TEMPORAL_PREPS or head.head.i == head.i:
            return None, head  # "after his arrest": told as a fact the clause builds on
        # "plans for the murder", "in fear of arrest", "charged with murdering"; but
        # "arranged by his deputy" plans nothing about the deputy
        prep, above = head.lower_, head.head
        return (_head_cues(above, "pobj", onto, t) if prep in _CONTENT_PREPS else set()), above
    if link == "conj":
        # a conjunct shares its head's modal and governing words, not its negation ("was not
        # charged but shot")
        return _own_cues(head, onto) - {"negated"}, head
    if link in _CLAUSAL or link in _NOMINAL:
        cues = _head_cues(head, link, onto, t)
        if link in _CLAUSAL or _is(head, onto.support_verbs):
            # "did not carry out the murder", "may have said that ...", but "he did not
            # attend the trial" still tells of a trial
            cues |= _own_cues(head, onto) & {"negated", "questioned", "hedged", "planned"}
        return cues, head
    return None, head
