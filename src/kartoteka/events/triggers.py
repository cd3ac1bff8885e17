"""Events in one document: triggers from the ontology, roles from the dependency parse.

A word is a trigger when its lemma is listed in the ontology (a verb or a noun of a type, or
a conditional pattern whose conditions hold). Its roles come from slots in the parse (subject,
object, "by", possessor, "of", prepositions, the subject of a support verb) mapped to roles
by the ontology; slot fillers become mentions through `MentionIndex.mentions_of`. The date is the
time expression in the trigger's clause, else in its sentence, else the narrative time (the
latest date told before the sentence).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kartoteka.events.ontology import Condition, Ontology, Trigger
from kartoteka.events.syntax import MentionIndex, clause_tokens, prep_children, subject_of
from kartoteka.model import EventMention, Span, Timex

__all__ = ["extract_events", "usable_date"]

_QUANTIFIERS = frozenset(
    "those these all some many several both four five six three two "
    "seven eight nine ten others".split()
)


def usable_date(t: Timex) -> bool:
    """A timex that can date an event: a date with a value, not a duration or open range."""
    if t.type not in ("DATE", "TIME") or not t.value:
        return False
    v = t.value
    return not (v.startswith("..") or v.endswith("..") or v.startswith("P") or "/" == v[-1:])


def _is_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN")


def _is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")


def _passive(tok: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


class _Slots:
    """The filler tokens of each slot of a trigger, computed once."""

    def __init__(self, tok: Token, index: MentionIndex, onto: Ontology):
        self.tok = tok
        self.index = index
        self.noun = _is_noun(tok)
        self.tokens: dict[str, list[Token]] = {}
        add = lambda slot, t: self.tokens.setdefault(slot, []).append(t)  # noqa: E731
        passive = _passive(tok)
        has_subjpass = any(c.dep_ == "nsubjpass" for c in tok.children)
        for child in tok.children:
            if child.dep_ == "nsubjpass" or (
                child.dep_ == "dobj" and not (passive and has_subjpass)
            ):
                # "were arrested the commanders Yakir and Uborevich": an inverted passive
                # whose patient the parse calls an object
                add("obj", child)
            elif child.dep_ == "poss":
                add("poss", child)
            elif child.dep_ in ("compound", "nmod"):
                # "Les’s “defection”" comes out as nmod with a case marker
                if any(g.dep_ == "case" for g in child.children):
                    add("poss", child)
                else:
                    add("compound", child)
            elif child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        add("by", obj)
        if tok.dep_ == "acl" and not self.noun and tok.tag_ == "VBN":
            add("obj", tok.head)  # "an NKVD story sent through ..."
            for c in tok.head.children:
                if c.dep_ in ("compound", "nmod", "poss"):
                    add("compound", c)
        for prep, obj in prep_children(tok):
            add("by" if prep == "by" else prep, obj)
        if not self.noun:
            if "obj" not in self.tokens:
                shared = _shared_patient(tok)
                if shared is not None:
                    add("obj", shared)
            subj = subject_of(tok)
            if subj is not None:
                add("subj", subj)
            elif passive and "obj" not in self.tokens:
                # "On 22 September 1937 General Miller ... was kidnapped": a date phrase that
                # swallowed the subject; the nearest name before the verb is the patient
                near = _name_before(tok, index, ("PER",))
                if near is not None:
                    add("obj", near)
            elif not passive:
                # "On 29 January 1937 Kandelaki, with his deputy ..., visited": a parse that
                # missed the subject; the nearest name before the verb in its clause stands in
                near = _name_before(tok, index)
                if near is not None:
                    add("subj", near)
        else:
            self._noun_slots(tok, onto, add)

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
        # support verbs lend their subject: "the NKVD was to carry out ... the murder of X"
        head = tok
        for _ in range(3):
            if (
                head.dep_ not in ("dobj", "conj", "nsubjpass", "pobj", "attr", "oprd", "appos")
                or head.head is head
            ):
                break
            head = head.head
            if _is_verb(head):
                if head.lemma_.lower() in onto.receive_verbs and tok.dep_ == "dobj":
                    subj = subject_of(head)
                    if subj is not None:
                        add("receiver", subj)  # "Orlov received a telegram"
                elif head.lemma_.lower() in onto.support_verbs:
                    subj = subject_of(head)
                    if subj is not None:
                        add("support", subj)
                    for prep, obj in prep_children(head):
                        if prep in ("to", "by"):
                            add(prep, obj)
                break

    def claim_subjects(self, values: frozenset[str]) -> list[Token]:
        """Who is said to be a spy: "announcing that X was a spy", "X was said to be a spy"."""
        out = []
        stack = [c for c in self.tok.children if c.dep_ in ("ccomp", "xcomp", "advcl", "acl")]
        while stack:
            v = stack.pop()
            attrs = [c for c in v.children if c.dep_ in ("attr", "oprd", "dobj")]
            for prep, obj in prep_children(v):
                if prep == "as":
                    attrs.append(obj)
            if any(a.lemma_.lower() in values for a in attrs):
                subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                out.append(subj if subj is not None else self.tok)
            stack.extend(c for c in v.children if c.dep_ in ("conj", "ccomp", "xcomp"))
        return out


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
        c.dep_ in ("nsubj", "nsubjpass", "dobj", "csubj") for c in tok.children
    ):
        return None
    t = tok
    for _ in range(4):
        if t.dep_ == "conj" or (
            t.dep_ == "advcl" and t.tag_ == "VBN" and not any(c.dep_ == "mark" for c in t.children)
        ):
            t = t.head
        else:
            return None
        if any(c.dep_ in ("nsubj", "csubj") for c in t.children):
            return None  # an active verb: "he was tried and shot his guard" is not this
        patient = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
        if patient is not None:
            return patient
        if t.tag_ != "VBN":
            return None
    return None


def _holds(cond: Condition, slots: _Slots, index: MentionIndex) -> bool:
    tok = slots.tok
    kind, values = cond.kind, cond.values
    if kind == "obj_lemma":
        return any(
            t.lemma_.lower() in values or t.lower_ in values for t in slots.tokens.get("obj", [])
        )
    if kind == "prep":
        return any(p in values for p, _ in prep_children(tok))
    if kind == "xcomp":
        return any(
            c.dep_ in ("xcomp", "ccomp", "advcl") and c.lemma_.lower() in values
            for c in tok.children
        )
    if kind == "prt":
        return any(c.dep_ == "prt" and c.lower_ in values for c in tok.children)
    if kind == "sent":
        return any(t.lemma_.lower() in values or t.lower_ in values for t in tok.sent)
    if kind == "near":
        near = tok.doc[max(0, tok.i - 3) : tok.i + 4]
        return any(t.lemma_.lower() in values for t in near if t.i != tok.i)
    if kind == "poss_or_of":
        return "poss" in slots.tokens or "of" in slots.tokens
    if kind == "claim":
        return bool(slots.claim_subjects(values))
    # obj:TYPES or <prep>:TYPES: the slot names a mention of one of the types
    fillers = slots.tokens.get(kind, [])
    for t in fillers:
        for mi in index.mentions_of(t):
            if not values or index.mentions[mi].type in values:
                return True
    return False


def _matches(trig: Trigger, tok: Token, slots: _Slots, index: MentionIndex) -> bool:
    if trig.pos == "VERB" and (not _is_verb(tok) or tok.dep_ == "amod"):
        return False  # "poisoned candies" describes, it does not tell
    if trig.pos == "NOUN" and not _is_noun(tok):
        return False
    if not all(_holds(c, slots, index) for c in trig.requires):
        return False
    return not any(_holds(c, slots, index) for c in trig.forbids)


def _date(
    tok: Token, sent_start: int, sent_end: int, dated: list[tuple[int, Timex]], tok_of_char
) -> tuple[int | None, str | None]:
    """(timex index, source) for the trigger: its clause, its governing clauses, narrative."""
    in_sent = [(i, t) for i, t in dated if sent_start <= t.start < sent_end]
    if in_sent:
        tokens_of = {i: tok_of_char(t) for i, t in in_sent}
        head = tok
        for _ in range(6):
            clause = clause_tokens(head)
            hits = [i for i, toks in tokens_of.items() if toks & clause]
            if hits:
                return min(hits, key=lambda i: abs(dated_pos(in_sent, i) - tok.idx)), "timex"
            if head.head is head:
                break
            head = head.head
        return min(
            (i for i, _ in in_sent), key=lambda i: abs(dated_pos(in_sent, i) - tok.idx)
        ), "sentence"
    before = [i for i, t in dated if t.end <= sent_start]
    if before:
        return before[-1], "narrative"
    return None, None


def dated_pos(in_sent, i):
    return next(t.start for j, t in in_sent if j == i)


def extract_events(
    doc: Doc, index: MentionIndex, timexes: list[Timex], sentences: list[Span], onto: Ontology
) -> list[EventMention]:
    dated = sorted(
        ((i, t) for i, t in enumerate(timexes) if usable_date(t)), key=lambda p: p[1].start
    )

    def tok_of_char(t: Timex) -> set[int]:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        return {x.i for x in span} if span is not None else set()

    found: list[tuple[Token, EventMention]] = []
    for tok in doc:
        cands = onto.by_lemma.get(tok.lemma_.lower(), []) + (
            onto.by_lemma.get(tok.lower_, []) if tok.lower_ != tok.lemma_.lower() else []
        )
        if not cands:
            continue
        slots = _Slots(tok, index, onto)
        trig = next((c for c in cands if _matches(c, tok, slots, index)), None)
        if trig is None:
            continue
        ev = _build_event(trig, tok, slots, index, onto)
        if ev is None:
            continue
        sent = next((s for s in sentences if s.start <= tok.idx < s.end), None)
        if sent is None:
            sent = Span(tok.sent.start_char, tok.sent.end_char, tok.sent.text)
        ev.evidence = Span(sent.start, sent.end, sent.text)
        ti, source = _date(tok, sent.start, sent.end, dated, tok_of_char)
        if ti is not None:
            ev.timex, ev.date, ev.date_source = ti, timexes[ti].value, source
        found.append((tok, ev))
    return _fold_linked(found)


def _negated(tok: Token) -> bool:
    """ "was not arrested", "have not arrested anyone", "was never seen again"."""
    return any(c.dep_ == "neg" for c in tok.children)


def _generic_doer(tok: Token, onto: Ontology) -> bool:
    """ "any man who broke with Moscow would be hunted down": a kind of person, not one."""
    det = onto.generic_determiners
    if tok.dep_ == "relcl" and any(c.dep_ == "det" and c.lower_ in det for c in tok.head.children):
        return True
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and (c.lower_ in det or any(g.dep_ == "det" and g.lower_ in det for g in c.children))
        for c in tok.children
    )


def _averted(tok: Token, onto: Ontology) -> bool:
    """ "Orlov escaped arrest", "he feared arrest", "to avoid a trial": the noun names what
    did not (yet) happen."""
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head  # "in fear of arrest", "to escape from arrest"
    return (
        tok.dep_ in ("dobj", "pobj")
        and head is not tok
        and (head.lemma_.lower() in onto.averting_heads or head.lower_ in onto.averting_heads)
    )


def _irrealis(tok: Token, onto: Ontology) -> bool:
    """ "He ordered that the traitor be killed", "he wanted to warn": told as wished, ordered
    or possible, not as done."""
    if any(c.dep_ == "aux" and c.lower_ in onto.irrealis_aux for c in tok.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in onto.irrealis_marks for c in tok.children):
        return True  # "if he were arrested", "whether the Legation would be questioned"
    t = tok
    for _ in range(4):
        if t.dep_ not in ("conj", "ccomp", "xcomp") or t.head is t:
            return False
        t = t.head
        if t.dep_ != "conj" and t.lemma_.lower() in onto.irrealis_heads and t.i < tok.i:
            return True
    return False


def _build_event(
    trig: Trigger, tok: Token, slots: _Slots, index: MentionIndex, onto: Ontology
) -> EventMention | None:
    if not slots.noun and (_irrealis(tok, onto) or _negated(tok) or _generic_doer(tok, onto)):
        return None
    if slots.noun and _averted(tok, onto):
        return None
    table = onto.roles_for(trig, slots.noun)
    roles: dict[str, list[int]] = {}
    place = None
    slot_tokens = dict(slots.tokens)
    claim_vals = next((c.values for c in trig.requires if c.kind == "claim"), None)
    if claim_vals:
        slot_tokens["claim"] = [t for t in slots.claim_subjects(claim_vals) if t is not tok]
    for slot, fillers in slot_tokens.items():
        role = table.get(slot)
        if role is None:
            continue
        for filler in fillers:
            mids = index.mentions_of(filler)
            if not mids and filler.lower_ in _QUANTIFIERS | {"who"}:
                mids = _enumerated_after_colon(tok, index)
            for mi in mids:
                mtype = index.mentions[mi].type
                r = role
                if slot == "compound" and mtype == "PLACE":
                    r = "place"  # "the third Moscow trial" happened in Moscow
                if r == "place":
                    if mtype == "PLACE" and place is None:
                        place = mi
                    continue
                if mi not in roles.get(r, []) and not any(mi in v for v in roles.values()):
                    roles.setdefault(r, []).append(mi)
    # "Kandelaki, with his deputy Fridrikhson, visited": a "with" before the verb joins the
    # subject, one after it is the other side
    if not slots.noun:
        # in a passive clause the subject is the patient: "Together with him were arrested"
        subj_role = table.get("obj" if _passive(tok) else "subj")
        withs = [(p, o) for p, o in prep_children(tok) if o.i < tok.i]
        for subj in slots.tokens.get("subj", []):
            withs += [(p, o) for p, o in prep_children(subj)]
        for prep, obj in withs:
            if prep == "with" and obj.i < tok.i and subj_role and subj_role != "place":
                for mi in index.mentions_of(obj):
                    for r in list(roles):
                        if mi in roles[r] and r != subj_role:
                            roles[r].remove(mi)
                    if mi not in roles.setdefault(subj_role, []):
                        roles[subj_role].append(mi)
    roles = {r: v for r, v in roles.items() if v}
    etype = onto.types[trig.type]
    if sum(len(v) for v in roles.values()) < etype.min_roles:
        return None
    heads = [tok] + ([tok.head] if tok.dep_ == "conj" else [])
    if (
        slots.noun
        and not roles
        and any(
            c.lower_ in onto.generic_modifiers
            for h in heads
            for c in h.children
            if c.dep_ in ("amod", "det", "nummod")
        )
    ):
        return None
    end = tok.idx + len(tok.text)
    prt = [c for c in tok.children if c.dep_ == "prt"]
    if prt:
        end = max(end, prt[-1].idx + len(prt[-1].text))
    # the trigger's own tokens: doc.text would rebuild the whole text for every event
    trigger_text = tok.doc[tok.i : (prt[-1].i + 1) if prt else tok.i + 1].text
    return EventMention(trig.type, Span(tok.idx, end, trigger_text), Span(0, 0, ""), roles, place)


def _enumerated_after_colon(tok: Token, index: MentionIndex) -> list[int]:
    """ "Of those who refused to return, I knew of four: A, B and C": the names listed."""
    sent = tok.sent
    colon = next((t for t in sent if t.text == ":" and t.i > tok.i), None)
    if colon is None:
        return []
    out = []
    for t in sent:
        if t.i > colon.i:
            mi = index.mention_at(t)
            if mi is not None and index.mentions[mi].type == "PER" and mi not in out:
                out.append(mi)
    return out


def _governs(a: Token, b: Token) -> bool:
    """`a` heads `b` directly or through a preposition ("sentenced at the trial")."""
    return b.head.i == a.i or (b.dep_ == "pobj" and b.head.dep_ == "prep" and b.head.head.i == a.i)


def _fold_linked(found: list[tuple[Token, EventMention]]) -> list[EventMention]:
    """One event where a sentence tells it twice over ("sent a letter"): same type, and one
    trigger governs the other. The roles join; the first trigger stays."""
    out: list[tuple[Token, EventMention]] = []
    for tok, ev in found:
        twin = next(
            (
                e
                for t, e in out
                if e.type == ev.type
                and e.evidence.start == ev.evidence.start
                and (_governs(t, tok) or _governs(tok, t))
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
        if twin.date is None:
            twin.date, twin.timex, twin.date_source = ev.date, ev.timex, ev.date_source
    return [e for _, e in out]
