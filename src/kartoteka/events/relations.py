"""Relations in one document: appositions, possessives, role nouns, verbs, places in places.

Every rule reads the dependency parse and the patterns in `relations.toml`; each relation
records which rule found it (`pattern`) so a card can say why it is there.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Token

from kartoteka.events.affiliations import affiliations
from kartoteka.events.modality import NOT_EVENTS, modality
from kartoteka.events.ontology import Ontology, OntologyError, _merge_raw
from kartoteka.events.places import born_marks, place_appositions, places
from kartoteka.events.role_nouns import in_charge, named_before, one_of, role_nouns
from kartoteka.events.syntax import (
    MentionIndex,
    companions,
    controlling_object,
    prep_children,
    subject_of,
)
from kartoteka.model import RelationMention, Span

__all__ = ["RelationPatterns", "load_relation_patterns", "extract_relations"]

# word lists of relations.toml read as they are (see the file for what each means)
_MORE_WORD_LISTS = (
    "envoy_nouns",
    "legation_nouns",
    "owned_nouns",
    "job_nouns",
    "job_verbs",
    "group_nouns",
    "body_part_nouns",
    "back_reference_nouns",
    "command_nouns",
    "command_verbs",
    "place_nouns",
    "organizer_posts",
)
# how a text tells a tie it does not vouch for: denied, asked about, only believed or planned
_NOT_A_TIE = NOT_EVENTS | {"hedged", "planned"}


@dataclass(slots=True)
class RelationPatterns:
    version: str
    predicates: dict[str, tuple[frozenset[str], frozenset[str]]]
    role_nouns: dict[str, str]
    person_to_person: frozenset[str]
    sub_units: frozenset[str]
    facility_nouns: frozenset[str]
    seat_nouns: frozenset[str]
    located_verbs: frozenset[str]
    double_agent_words: frozenset[str]
    surname_female: dict[str, str]
    verb_patterns: list[dict]
    subordinate_modifiers: frozenset[str] = frozenset()
    secret_adverbs: frozenset[str] = frozenset()
    membership_nouns: frozenset[str] = frozenset()
    envoy_nouns: frozenset[str] = frozenset()
    legation_nouns: frozenset[str] = frozenset()
    owned_nouns: frozenset[str] = frozenset()
    job_nouns: frozenset[str] = frozenset()
    job_verbs: frozenset[str] = frozenset()
    group_nouns: frozenset[str] = frozenset()
    body_part_nouns: frozenset[str] = frozenset()
    back_reference_nouns: frozenset[str] = frozenset()
    command_nouns: frozenset[str] = frozenset()
    command_verbs: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    organizer_posts: frozenset[str] = frozenset()
    #: nouns naming a tie the other way round: "Karin's father, Otto Lenz" (Karin CHILD_OF Otto)
    inverse_role_nouns: dict[str, str] = field(default_factory=dict)


def load_relation_patterns(extra: str | Path | None = None) -> RelationPatterns:
    raw = tomllib.loads(
        resources.files("kartoteka.events").joinpath("relations.toml").read_text("utf-8")
    )
    if extra is not None:
        try:
            with open(extra, "rb") as fh:
                user = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise OntologyError(f"{extra}: cannot read relation patterns ({e})") from e
        for key in ("role_nouns", "inverse_role_nouns", "surname_female", "predicates"):
            raw[key] = {**raw.get(key, {}), **user.get(key, {})}
        for key in (
            "person_to_person",
            "sub_units",
            "facility_nouns",
            "seat_nouns",
            "located_verbs",
            "double_agent_words",
            "subordinate_modifiers",
            "secret_adverbs",
            "membership_nouns",
            *_MORE_WORD_LISTS,
        ):
            raw[key] = list(raw.get(key, [])) + list(user.get(key, []))
        raw["verb_patterns"] = list(user.get("verb_patterns", [])) + raw.get("verb_patterns", [])
    preds = {}
    for name, spec in raw.get("predicates", {}).items():
        preds[name] = (frozenset(spec.get("subject", [])), frozenset(spec.get("object", [])))
    for where, pred in (
        list(raw.get("role_nouns", {}).items())
        + list(raw.get("inverse_role_nouns", {}).items())
        + [
            (f"verb_patterns[{i}]", p.get("predicate"))
            for i, p in enumerate(raw.get("verb_patterns", []))
        ]
    ):
        if pred not in preds:
            raise OntologyError(
                f"relation patterns: {where} names predicate {pred!r}, which "
                "is not declared under [predicates]"
            )
    _ = _merge_raw  # the event ontology merges the same way; kept in one place there
    return RelationPatterns(
        str(raw.get("version", "unversioned")),
        preds,
        {k.lower(): v for k, v in raw.get("role_nouns", {}).items()},
        frozenset(raw.get("person_to_person", [])),
        frozenset(raw.get("sub_units", [])),
        frozenset(raw.get("facility_nouns", [])),
        frozenset(raw.get("seat_nouns", [])),
        frozenset(raw.get("located_verbs", [])),
        frozenset(raw.get("double_agent_words", [])),
        dict(raw.get("surname_female", {})),
        list(raw.get("verb_patterns", [])),
        frozenset(raw.get("subordinate_modifiers", [])),
        frozenset(raw.get("secret_adverbs", [])),
        frozenset(raw.get("membership_nouns", [])),
        *(frozenset(raw.get(key, [])) for key in _MORE_WORD_LISTS),
        inverse_role_nouns={k.lower(): v for k, v in raw.get("inverse_role_nouns", {}).items()},
    )


class _Collector:
    def __init__(
        self, doc: Doc, index: MentionIndex, sentences: list[Span], pats: RelationPatterns
    ):
        self.doc, self.index, self.sentences, self.pats = doc, index, sentences, pats
        self.onto = index.onto
        self.out: list[RelationMention] = []
        self.seen: set[tuple[int, str, int]] = set()

    def add(self, subj: int | None, pred: str, obj: int | None, at: Token, pattern: str) -> bool:
        if subj is None or obj is None or subj == obj:
            return False
        if modality(at, self.onto) in _NOT_A_TIE:
            # "the Abwehr denied that he was one of their agents", "the Japanese believed
            # that Sorge was an Abwehr agent": a card shows relations as facts
            return False
        m = self.index.mentions
        stypes, otypes = self.pats.predicates[pred]
        if m[subj].type not in stypes or m[obj].type not in otypes:
            return False
        if m[subj].name == m[obj].name:
            return False
        key = (subj, pred, obj)
        if key in self.seen:
            return False
        self.seen.add(key)
        sent = next((s for s in self.sentences if s.start <= at.idx < s.end), None)
        if sent is None:
            sent = Span(at.sent.start_char, at.sent.end_char, at.sent.text)
        self.out.append(
            RelationMention(subj, pred, obj, Span(sent.start, sent.end, sent.text), pattern)
        )
        return True


def _memberships(c: _Collector) -> None:
    """ "his Nazi party membership", "Smirnov's membership in the Party": who holds it is the
    possessor, of what the body compounded on it or named after "in"/"of"."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() not in c.pats.membership_nouns:
            continue
        holders = [
            mi for ch in tok.children if ch.dep_ == "poss" for mi in idx.mentions_of(ch, conj=False)
        ]
        bodies = [
            idx.mention_at(ch)
            for ch in tok.children
            if ch.dep_ in ("compound", "nmod") and idx.mention_at(ch) is not None
        ]
        bodies += [
            mi for p, o in prep_children(tok) if p in ("in", "of") for mi in idx.mentions_of(o)
        ]
        for h in holders:
            for b in bodies:
                c.add(h, "MEMBER_OF", b, tok, "membership")


def _possessive_orgs(c: _Collector) -> None:
    """ "Heydrich's SD": a person's organization is one they head."""
    idx = c.index
    for tok in c.doc:
        if tok.dep_ != "poss":
            continue
        owner = idx.mention_at(tok)
        owned = idx.mention_at(tok.head)
        if owner is None or owned is None or owner == owned or tok.lower_ in ("his", "her"):
            continue
        if idx.mentions[owner].type == "PER" and idx.mentions[owned].type == "ORG":
            c.add(owner, "HEAD_OF", owned, tok, "possessive-org")


def _passive(tok: Token) -> bool:
    """A passive verb: with a passive subject or auxiliary, or a bare participle hung on a
    noun or fronted ("the section, headed by Belov", "Born in Minsk, Gordon studied")."""
    if any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children):
        return True
    return (
        tok.tag_ == "VBN"
        and tok.dep_ in ("acl", "advcl")
        and not any(ch.dep_ in ("aux", "nsubj") for ch in tok.children)
    )


def _verb_subject(tok: Token, passive: bool, onto: Ontology) -> Token | None:
    """Who a verb is said of: the passive subject, the noun a participle hangs on, the
    subject of the clause a fronted participle belongs to, the object of "appointed Kotin
    to head the department", or the active subject."""
    if not passive:
        controller = controlling_object(tok, onto)
        if controller is None and tok.dep_ == "xcomp":
            # "Mirs was promoted to head of the office": the one promoted heads it
            controller = next((c for c in tok.head.children if c.dep_ == "nsubjpass"), None)
        return controller if controller is not None else subject_of(tok)
    subj = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
    if subj is None and tok.dep_ in ("acl", "relcl"):
        subj = tok.head
    elif subj is None and tok.dep_ == "advcl" and tok.i < tok.head.i:
        subj = subject_of(tok.head)  # "Born in Minsk, Gordon studied law"
    elif subj is None and tok.dep_ == "advcl" and tok.i >= 2 and tok.doc[tok.i - 1].text == ",":
        # "... against the Grand Fleet, led by Jellicoe": a participle after the clause
        # describes the noun before its comma, whatever the parse hung it on
        before = tok.doc[tok.i - 2]
        subj = before if before.pos_ in ("NOUN", "PROPN") else None
    return subj


def _verb_ends(c: _Collector, vp: dict, tok: Token, passive: bool):
    """(subjects, objects) of a verb for a pattern: the subject with those who did it
    "together with" them, and the direct object and the objects of the pattern's
    prepositions; with `holder = "object"` the direct object holds the tie ("recruited
    Blunt for the NKVD")."""
    idx = c.index
    subj_tok = _verb_subject(tok, passive, c.onto)
    if vp.get("holder") == "object":
        subj_tok = next((ch for ch in tok.children if ch.dep_ == "dobj"), None)
    if subj_tok is None:
        return [], []
    # "joined the Party together with Klahr and Reisberg": they joined it too
    subjects = idx.mentions_of(subj_tok) + [
        mi for o in companions(tok) for mi in idx.mentions_of(o) if idx.mentions[mi].type == "PER"
    ]
    objects: list[int] = []
    # "born in Rogachevo, Moscow Oblast": the place after a comma is where the first lies,
    # not a second birthplace; "lived in Paris and Berlin" names two
    places = vp["predicate"] in ("BORN_IN", "LOCATED_IN")
    if vp.get("object"):
        for ch in tok.children:
            if ch.dep_ == "dobj":
                objects += _bodies(c, ch, places)
    preps = set(vp.get("prep", []))
    phrases = prep_children(tok)
    if tok.dep_ == "acomp":
        # "was active in the Party", parsed with the phrase on the copula
        phrases += [(p, o) for p, o in prep_children(tok.head) if o.i > tok.i]
    for prep, obj in phrases:
        if prep in preps:
            objects += _bodies(c, obj, places)
    return subjects, objects


def _bodies(c: _Collector, tok: Token, places: bool = False) -> list[int]:
    """What an object names: its mentions, or for "the ranks of the Party", "the service
    of the Cheka" the body after "of", or for "the embassy" the one the text named."""
    if places:
        if tok.lemma_.lower() in c.pats.place_nouns and c.index.mention_at(tok) is None:
            # "born in the village of Ostrovo": the place the noun is given as its name
            tok = next((o for p, o in prep_children(tok) if p == "of"), tok)
        found = c.index.mentions_of(tok, conj=False)
        if any(ch.dep_ == "cc" for ch in tok.children):
            found += [
                mi for ch in tok.children if ch.dep_ == "conj" for mi in c.index.mentions_of(ch)
            ]
        return found
    found = c.index.mentions_of(tok)
    if not found and tok.lemma_.lower() in c.pats.body_part_nouns:
        found = [mi for p, o in prep_children(tok) if p == "of" for mi in c.index.mentions_of(o)]
    if not found:
        found = named_before(c, tok)
    return found


def _verbs(c: _Collector) -> None:
    linked: set[tuple[int, bool]] = set()  # verbs a pattern has linked: the first wins
    for vp_i, vp in enumerate(c.pats.verb_patterns):
        lemmas = set(vp["lemma"] if isinstance(vp["lemma"], list) else [vp["lemma"]])
        adverbs = (
            c.pats.secret_adverbs
            if vp.get("adverb") == "secret"
            else frozenset(
                vp.get("adverb", []) if isinstance(vp.get("adverb", []), list) else [vp["adverb"]]
            )
        )
        for tok in c.doc:
            if tok.lemma_.lower() not in lemmas or not (
                tok.pos_ in ("VERB", "AUX") or tok.dep_ == "acomp"
            ):
                continue  # "he is married to Olga": a participle the parse made an adjective
            if adverbs and not any(
                ch.dep_ == "advmod" and ch.lower_ in adverbs for ch in tok.children
            ):
                continue
            if vp.get("particle") and not any(
                ch.dep_ == "prt" and ch.lower_ == vp["particle"] for ch in tok.children
            ):
                continue  # "took over the bureau", not "took the train"
            # one tie between people and bodies per verb, and one of where
            slot = (tok.i, vp["predicate"] in ("LOCATED_IN", "BORN_IN"))
            if slot in linked:
                continue
            passive = _passive(tok)
            if vp.get("passive") is not None and bool(vp["passive"]) != passive:
                continue
            subjects, objects = _verb_ends(c, vp, tok, passive)
            if vp.get("both_ways") and not objects:
                # "Elena and Martin Voss married in Zurich": the two married each other
                pair = [mi for mi in subjects if c.index.mentions[mi].type == "PER"]
                subjects, objects = (pair[:1], pair[1:]) if len(pair) == 2 else ([], [])
            for s in subjects:
                for o in objects:
                    # `reverse`: the tie goes from what follows the verb to its subject
                    # ("the section, headed by Belov": Belov heads it)
                    a, b = (o, s) if vp.get("reverse") else (s, o)
                    if c.add(a, vp["predicate"], b, tok, f"verb {vp_i}"):
                        linked.add(slot)
                    if vp.get("both_ways"):  # "he married Josefine": each is the other's
                        c.add(b, vp["predicate"], a, tok, f"verb {vp_i}")


def _double_agents(c: _Collector) -> None:
    """A double agent works for the two organizations the sentence names."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() != "agent" or not any(
            ch.lower_ in c.pats.double_agent_words for ch in tok.children
        ):
            continue
        verb = tok.head if tok.dep_ == "attr" else tok.head.head if tok.dep_ == "pobj" else None
        subj = subject_of(verb) if verb is not None else None
        if subj is None:
            continue
        orgs = []
        for t in tok.sent:
            mi = idx.mention_at(t)
            if mi is not None and idx.mentions[mi].type == "ORG" and mi not in orgs:
                orgs.append(mi)
        names = {idx.mentions[o].name for o in orgs}
        if len(names) != 2:
            continue
        for s in idx.mentions_of(subj):
            for o in orgs:
                c.add(s, "AGENT_OF", o, tok, "double-agent")


def extract_relations(
    doc: Doc, index: MentionIndex, sentences: list[Span], pats: RelationPatterns
) -> list[RelationMention]:
    c = _Collector(doc, index, sentences, pats)
    role_nouns(c)
    in_charge(c)
    one_of(c)
    affiliations(c)
    _memberships(c)
    _possessive_orgs(c)
    _double_agents(c)
    _verbs(c)
    places(c)
    place_appositions(c)
    born_marks(c)
    return c.out
