"""Events in one document: triggers from the ontology, roles from the dependency parse.

A word is a trigger when its lemma is listed in the ontology (a verb or a noun of a type, or
a conditional pattern whose conditions hold). Its slots (`kartoteka.events.slots`) are mapped
to roles and resolved to mentions (`kartoteka.events.roles`); its modality says how sure the
source is (`kartoteka.events.modality`: negated and questioned tellings are not events) and
its date comes from its clause, else the narrative (`kartoteka.events.dating`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Token

from kartoteka.events.dating import Dating, usable_date
from kartoteka.events.ellipsis import compared_again
from kartoteka.events.modality import NOT_EVENTS, modality
from kartoteka.events.ontology import Condition, Ontology, Trigger
from kartoteka.events.roles import fill_roles
from kartoteka.events.slots import Slots, is_noun, is_verb
from kartoteka.events.syntax import MentionIndex, prep_children
from kartoteka.model import EventMention, Span, Timex

__all__ = ["extract_events", "usable_date"]

# words that stand for a person the text names elsewhere: an event with one of these as its
# only participant has a participant we could not name, not none (the narrator's "I" names
# no one else; "they" is as often a group the text never names)
_PERSONAL = frozenset("he him his she her hers".split())
_PARTICIPANT_SLOTS = ("subj", "obj", "poss", "of", "by", "support", "receiver", "to", "with")
_FUNCTION_POS = frozenset({"ADP", "DET", "CCONJ", "PART", "SCONJ"})


def _obj_lemma(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "passed large amounts of intelligence": the object or what it is an amount of
    objs = slots.tokens.get("obj", [])
    objs = objs + [o for t in objs for p, o in prep_children(t) if p == "of"]
    return any(t.lemma_.lower() in values or t.lower_ in values for t in objs)


def _subj_lemma(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "evidence which convicts him": a relative pronoun is the noun it hangs on
    subjects = [
        tok.head if tok.dep_ == "relcl" and c.tag_ in ("WDT", "WP") else c
        for c in tok.children
        if c.dep_ in ("nsubj", "nsubjpass")
    ]
    return any(c.lemma_.lower() in values or c.lower_ in values for c in subjects)


def _xcomp(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "came to see", "refused to return"; not "came to be seen as"
    return any(
        c.dep_ in ("xcomp", "ccomp", "advcl")
        and (not values or c.lemma_.lower() in values)  # "xcomp:" any infinitive
        and not any(g.dep_ == "auxpass" for g in c.children)
        for c in tok.children
    )


def _obj_name(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "joined the Palestine Communist Party", "joined the CPSU": the object's name, or a
    # name of the known organization it is, holds one of these words
    return any(
        _name_words(index.mentions[mi].name) & values
        for t in slots.tokens.get("obj", [])
        for mi in index.mentions_of(t)
    )


@lru_cache(maxsize=4096)
def _name_words(name: str) -> frozenset[str]:
    """The words of a name and of every name of the known organization it means ("CPSU":
    "Communist Party of the Soviet Union", ...), lower case."""
    from kartoteka.resolve.names import known_names, org_group

    words = set(name.lower().replace("(", " ").replace(")", " ").split())
    group = org_group(name)
    if group is not None:
        for other in known_names("ORG"):
            if org_group(other) == group:
                words |= set(other.lower().split())
    return frozenset(words)


def _attr_lemma(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "went on to become a private tutor": what the subject is or becomes
    return any(
        c.dep_ in ("attr", "oprd", "acomp") and (c.lemma_.lower() in values or c.lower_ in values)
        for c in tok.children
    )


def _copula(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "X was the head of the NKVD": the noun says what the subject of "be" was
    return tok.dep_ in ("attr", "oprd") and tok.head.lemma_ == "be" and "subj" in slots.tokens


def _time(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "from 1934 to 1936", "for two years", "in 1918-1922": the clause says when or how long
    clause = tok.head if tok.dep_ in ("attr", "oprd") else tok
    return any(t.ent_type_ in ("DATE", "TIME") for t in clause.subtree)


def _under(tok: Token, values: frozenset[str], slots: Slots, index: MentionIndex) -> bool:
    # "handed over the files as a defector": the object of one of these prepositions
    return tok.dep_ == "pobj" and tok.head.lower_ in values


_CHECKS = {
    "obj_lemma": _obj_lemma,
    "subj_lemma": _subj_lemma,
    "xcomp": _xcomp,
    "obj_name": _obj_name,
    "attr_lemma": _attr_lemma,
    "copula": _copula,
    "time": _time,
    "under": _under,
    "advmod": lambda tok, values, slots, index: any(
        c.dep_ in ("advmod", "prt") and c.lower_ in values for c in tok.children
    ),
    "prep": lambda tok, values, slots, index: any(p in values for p, _ in prep_children(tok)),
    "prt": lambda tok, values, slots, index: any(
        c.dep_ == "prt" and c.lower_ in values for c in tok.children
    ),
    "sent": lambda tok, values, slots, index: any(
        t.lemma_.lower() in values or t.lower_ in values for t in tok.sent
    ),
    "near": lambda tok, values, slots, index: any(
        t.lemma_.lower() in values for t in tok.doc[max(0, tok.i - 3) : tok.i + 4] if t.i != tok.i
    ),
    "poss_or_of": lambda tok, values, slots, index: "poss" in slots.tokens or "of" in slots.tokens,
    "claim": lambda tok, values, slots, index: bool(slots.claim_subjects(values)),
    "support": lambda tok, values, slots, index: "support" in slots.tokens,
    # "the police recalled that ...": a verb reporting a clause tells of no event
    "clause": lambda tok, values, slots, index: any(c.dep_ == "ccomp" for c in tok.children),
}


def _holds(cond: Condition, slots: Slots, index: MentionIndex) -> bool:
    check = _CHECKS.get(cond.kind)
    if check is not None:
        return check(slots.tok, cond.values, slots, index)
    # obj:TYPES or <prep>:TYPES (or <prep>|<prep>:TYPES): the slot names a mention of one
    # of the types
    fillers = [t for k in cond.kind.split("|") for t in slots.tokens.get(k, [])]
    return any(
        not cond.values or index.mentions[mi].type in cond.values
        for t in fillers
        for mi in index.mentions_of(t)
    )


def _matches(trig: Trigger, tok: Token, slots: Slots, index: MentionIndex) -> bool:
    if trig.pos == "VERB" and (
        not is_verb(tok)
        or tok.dep_ in ("amod", "compound")
        or _capitalized_inside(tok)
        or _describing(tok)
    ):
        # "poisoned candies", "recruiting agents" describe, they do not tell; "Die Rote
        # Kapelle" is a name
        return False
    if trig.pos == "NOUN" and (not is_noun(tok) or _in_a_name(tok, index)):
        return False
    if not all(_holds(c, slots, index) for c in trig.requires):
        return False
    return not any(_holds(c, slots, index) for c in trig.forbids)


def _in_a_name(tok: Token, index: MentionIndex) -> bool:
    """ "the Supreme Tribunal", "the Military Collegium": a word of an organization's or a
    person's name names it, it tells no event."""
    mi = index.by_token.get(tok.i)
    return mi is not None and index.mentions[mi].type in ("ORG", "PER")


def _describing(tok: Token) -> bool:
    """ "charged them with being recruiting agents": a gerund after "being" with a noun
    after it describes the noun (no one is "being recruiting")."""
    return tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ == "being" for c in tok.children)


def _capitalized_inside(tok: Token) -> bool:
    """A capitalized verb inside a sentence of lower-case prose is part of a name."""
    if tok.i == tok.sent.start or not tok.text[:1].isupper() or tok.is_upper:
        return False
    return any(t.is_lower for t in tok.sent if t.is_alpha)


def _trigger_at(tok: Token, index: MentionIndex, onto: Ontology):
    """(trigger, slots) if `tok` is a trigger word whose conditions hold, else (None, None)."""
    cands = onto.by_lemma.get(tok.lemma_.lower(), []) + (
        onto.by_lemma.get(tok.lower_, []) if tok.lower_ != tok.lemma_.lower() else []
    )
    if not cands:
        return None, None
    slots = Slots(tok, index, onto)
    trig = next((c for c in cands if _matches(c, tok, slots, index)), None)
    return trig, slots


def extract_events(
    doc: Doc, index: MentionIndex, timexes: list[Timex], sentences: list[Span], onto: Ontology
) -> list[EventMention]:
    found: list[tuple[Token, EventMention]] = []
    for tok in doc:
        trig, slots = _trigger_at(tok, index, onto)
        if trig is None:
            continue
        ev = _build_event(trig, tok, slots, index, onto)
        if ev is None:
            continue
        sent = next((s for s in sentences if s.start <= tok.idx < s.end), None)
        if sent is None:
            sent = Span(tok.sent.start_char, tok.sent.end_char, tok.sent.text)
        ev.evidence = Span(sent.start, sent.end, sent.text)
        found.append((tok, ev))
        for other in trig.also:  # "fled the country": a movement and a defection
            found.append((tok, replace(ev, type=other, roles=dict(ev.roles))))
    found, elliptic = _with_comparisons(found, index)
    dating = Dating(doc, timexes, onto)
    _date_events(found, dating, onto)
    _date_retold(found, index, onto, dating)
    for tok, ev in found:
        if id(ev) in elliptic:  # "just as Wolf was some time ago": its own time or none
            ti = dating.own_date(tok)
            ev.timex, ev.date = ti, dating.timexes[ti].value if ti is not None else None
            ev.date_source = "clause" if ti is not None else "none"
            ev.refers_back = False  # "as his brother had been": told here, not before
    return _fold_linked(_fold_accusing_messages(found), frozenset(elliptic))


def _with_comparisons(
    found: list[tuple[Token, EventMention]], index: MentionIndex
) -> tuple[list[tuple[Token, EventMention]], set[int]]:
    """The events found, each followed by those a comparison clause with its verb left out
    tells again ("just as Wolf was"), and the ids of the latter."""
    out: list[tuple[Token, EventMention]] = []
    elliptic: set[int] = set()
    for tok, ev in found:
        out.append((tok, ev))
        for pair in compared_again(tok, ev, index):
            out.append(pair)
            elliptic.add(id(pair[1]))
    return out, elliptic


def _date_events(found: list[tuple[Token, EventMention]], dating: Dating, onto: Ontology) -> None:
    triggers = frozenset(tok.i for tok, _ in found)
    for tok, ev in found:
        ev.refers_back = _refers_back(tok)
        ti = dating.clause_date(tok, triggers)
        source = "clause"
        if ti is None and onto.types[ev.type].narrative:
            ti, source = dating.narrative_date(ev.evidence.start), "narrative"
        if ti is None:
            ev.date_source = "none"
            continue
        ev.timex, ev.date, ev.date_source = ti, dating.timexes[ti].value, source
        if source == "clause":
            ev.date = dating.over_list(tok, triggers) or ev.date


def _date_retold(
    found: list[tuple[Token, EventMention]], index: MentionIndex, onto: Ontology, dating: Dating
) -> None:
    """ "Sorge had been arrested together with Max Clausen", told after "Sorge was arrested
    on October 18": a telling with no date of its own takes the date the text gave an earlier
    telling of the same type with the same key participant (a name in common), when the
    event can happen only once (a killing) or the telling looks back to one already told
    (a pluperfect, "the arrest", "Sorge's arrest"). A telling in a footnote lends its date
    to no telling outside it."""
    for k, (_, ev) in enumerate(found):
        if ev.date_source == "clause" or not (onto.types[ev.type].once or ev.refers_back):
            continue
        names = _key_names(ev, index, onto)
        own = dating.note_at(ev.evidence.start)
        earlier = next(
            (
                e
                for _, e in reversed(found[:k])
                if e.type == ev.type
                and e.date_source == "clause"
                and dating.note_at(e.evidence.start) in (None, own)
                and names & _key_names(e, index, onto)
            ),
            None,
        )
        if earlier is not None:
            ev.date, ev.timex, ev.date_source = earlier.date, earlier.timex, "narrative"


def _refers_back(tok: Token) -> bool:
    """ "had been arrested", "the arrest", "Sorge's arrest": told as already known."""
    if is_noun(tok):
        if tok.tag_ in ("NNS", "NNPS"):
            # "his messages" are more of them, not one told before; "the Moscow trials" are
            # the ones a name gave them
            return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) and any(
                c.dep_ in ("compound", "amod") and c.pos_ == "PROPN" for c in tok.children
            )
        return any(
            (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss"
            for c in tok.children
        )
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in tok.children)


def _key_names(ev: EventMention, index: MentionIndex, onto: Ontology) -> set[str]:
    etype = onto.types.get(ev.type)
    roles = etype.key_roles if etype and etype.key_roles else tuple(ev.roles)
    return {
        index.mentions[mi].name.split()[-1]
        for r in roles
        for mi in ev.roles.get(r, ())
        if index.mentions[mi].name.split()
    }


def _generic_doer(tok: Token, onto: Ontology) -> bool:
    """ "any man who broke with Moscow would be hunted down", "to warn all those who tried
    not to return": a kind of person, not one, does it or undergoes it."""
    det = onto.generic_determiners
    if tok.dep_ == "relcl" and any(c.dep_ == "det" and c.lower_ in det for c in tok.head.children):
        return True
    return any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj") and _kind_of_person(c, det) for c in tok.children
    )


def _kind_of_person(tok: Token, det: frozenset[str]) -> bool:
    if tok.lower_ in det or any(g.dep_ == "det" and g.lower_ in det for g in tok.children):
        return True
    # "all those who ...", "those who ...": whoever fits the description
    return tok.lower_ in ("those", "anyone", "whoever") and any(
        g.dep_ == "relcl" for g in tok.children
    )


def _imperative(tok: Token) -> bool:
    """ "See Conquest, The Great Terror": a verb in the base form opening a sentence with no
    subject tells the reader what to do, not what happened."""
    first = next((t for t in tok.sent if not (t.is_punct or t.is_space)), None)
    return (
        first is not None
        and first.i == tok.i
        and tok.tag_ == "VB"
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in tok.children)
    )


def _in_heading(tok: Token) -> bool:
    """A headline or title: a trigger in a run of capitals ("SHOWS GPU HAND IN TROTSKY
    MURDER"), in a run of capitalized words with capitalized function words ("Letter Found
    On Assassin"), or in a line set as a title ("Assassination of Comrade S. M. Kirov")."""
    sent = tok.sent
    window = [
        t for t in tok.doc[max(sent.start, tok.i - 3) : min(sent.end, tok.i + 4)] if t.is_alpha
    ]
    if tok.is_upper and len(tok) > 1 and sum(t.is_upper and len(t) > 1 for t in window) >= 3:
        return True
    if (
        len(window) >= 4
        and all(t.text[0].isupper() for t in window)
        and any(t.pos_ in _FUNCTION_POS for t in window)
    ):
        return True
    return _title_line(sent)


def _title_line(sent) -> bool:
    """A line with no closing stop and no subject that opens with a capital and capitalizes
    most of its words: a title, not a line of prose a scan broke off."""
    words = [t for t in sent if t.is_alpha]
    last = [t for t in sent if not t.is_space]
    if not words or not last or last[-1].text[-1:] in ".!?\"'”’:;)…":
        return False
    if not words[0].text[0].isupper() or any(t.dep_ in ("nsubj", "nsubjpass") for t in sent):
        return False
    content = [t for t in words if t.pos_ not in _FUNCTION_POS]
    return sum(t.text[0].isupper() for t in content) >= 0.6 * len(content)


def _unnamed_participant(slots: Slots) -> bool:
    """The text says who took part but we could not say who: "his arrest" with no one to
    point "his" at. (A name the mention layer missed is still a name: the event stays.)"""
    return any(
        t.lower_ in _PERSONAL for slot in _PARTICIPANT_SLOTS for t in slots.tokens.get(slot, [])
    )


def _build_event(
    trig: Trigger, tok: Token, slots: Slots, index: MentionIndex, onto: Ontology
) -> EventMention | None:
    if not slots.noun and (_generic_doer(tok, onto) or _imperative(tok)):
        return None
    how_sure = modality(tok, onto)
    if how_sure in NOT_EVENTS:
        return None
    roles, place = fill_roles(trig, tok, slots, index, onto)
    heading = _in_heading(tok)
    if heading:
        roles.pop("agent", None)  # a headline names no doer; its patient may stand
    etype = onto.types[trig.type]
    if sum(len(v) for v in roles.values()) < etype.min_roles:
        return None
    if not roles and (heading or _unnamed_participant(slots) or _generic_noun(tok, slots, onto)):
        return None
    if tok.tag_ in ("NNS", "NNPS") and _generic_noun(tok, slots, onto):
        return None  # "Klement's previous letters", "his numerous arrests": many, not one
    end = tok.idx + len(tok.text)
    prt = [c for c in tok.children if c.dep_ == "prt"]
    if prt:
        end = max(end, prt[-1].idx + len(prt[-1].text))
    # the trigger's own tokens: doc.text would rebuild the whole text for every event
    trigger_text = tok.doc[tok.i : (prt[-1].i + 1) if prt else tok.i + 1].text
    return EventMention(
        trig.type,
        Span(tok.idx, end, trigger_text),
        Span(0, 0, ""),
        roles,
        place,
        modality=how_sure,
    )


def _generic_noun(tok: Token, slots: Slots, onto: Ontology) -> bool:
    """ "similar kidnappings", "numerous arrests": a kind of event, not one."""
    if not slots.noun:
        return False
    heads = [tok] + ([tok.head] if tok.dep_ == "conj" else [])
    return any(
        c.lower_ in onto.generic_modifiers
        for h in heads
        for c in h.children
        if c.dep_ in ("amod", "det", "nummod")
    )


def _fold_accusing_messages(
    found: list[tuple[Token, EventMention]],
) -> list[tuple[Token, EventMention]]:
    """ "sent out a circular announcing that Smirnov was a spy", "a letter denouncing Yezhov
    as a traitor": the message is the accusation it carries, one act. The communication
    folds into the accusation, which keeps its recipient."""
    accusations = {tok.i: ev for tok, ev in found if ev.type == "ACCUSATION"}
    out = []
    for tok, ev in found:
        if ev.type != "COMMUNICATION" or not accusations:
            out.append((tok, ev))
            continue
        messages = {tok.i} if is_noun(tok) else set()
        messages |= {c.i for c in tok.children if c.dep_ in ("dobj", "nsubjpass")}
        carried = next(
            (
                accusations[t.i]
                for t in tok.sent
                if t.i in accusations and t.dep_ in ("acl", "relcl") and t.head.i in messages
            ),
            None,
        )
        if carried is None:
            out.append((tok, ev))
            continue
        for role in ("agent", "recipient"):
            for mi in ev.roles.get(role, []):
                if not any(mi in v for v in carried.roles.values()):
                    carried.roles.setdefault(role, []).append(mi)
    return out


def _governs(a: Token, b: Token) -> bool:
    """`a` heads `b` as its argument, directly or through a preposition ("sent a letter",
    "sentenced at the trial"); a coordinated verb only counts where the two share their doer
    and place (`_one_act`)."""
    if b.dep_ == "conj":
        return False
    return b.head.i == a.i or (b.dep_ == "pobj" and b.head.dep_ == "prep" and b.head.head.i == a.i)


def _one_act(a: Token, b: Token, ea: EventMention, eb: EventMention) -> bool:
    """ "summoned the chargé d'affaires and asked him to convey ...": coordinated verbs of one
    type with the same doer, told without a place or date of their own, are one act; "moved
    to Berlin and returned to Moscow" are two."""
    if b.dep_ != "conj" or b.head.i != a.i:
        return False
    doers = set(ea.roles.get("agent", [])) & set(eb.roles.get("agent", []))
    return bool(doers) and eb.place in (None, ea.place) and eb.date_source != "clause"


def _fold_linked(
    found: list[tuple[Token, EventMention]], apart: frozenset[int] = frozenset()
) -> list[EventMention]:
    """One event where a sentence tells it twice over ("sent a letter"): same type, and one
    trigger governs the other. The roles join; the first trigger stays. Events whose id is
    in `apart` (told again of someone else: "just as Wolf was") stay apart."""
    out: list[tuple[Token, EventMention]] = []
    for tok, ev in found:
        if id(ev) in apart:
            out.append((tok, ev))
            continue
        twin = next(
            (
                e
                for t, e in out
                if e.type == ev.type
                and e.evidence.start == ev.evidence.start
                and (_governs(t, tok) or _governs(tok, t) or _one_act(t, tok, e, ev))
            ),
            None,
        )
        if twin is None:
            out.append((tok, ev))
            continue
        for role, mids in ev.roles.items():
            for mi in mids:
                if not any(mi in v for v in twin.roles.values()):
                    twin.roles.setdefault(role, []).append(mi)
        if twin.place is None:
            twin.place = ev.place
        if twin.date is None or (twin.date_source != "clause" and ev.date_source == "clause"):
            twin.date, twin.timex, twin.date_source = ev.date, ev.timex, ev.date_source
    return [e for _, e in out]
