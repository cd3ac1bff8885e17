"""Relations in one document: appositions, possessives, role nouns, verbs, places in places.

Every rule reads the dependency parse and the patterns in `relations.toml`; each relation
records which rule found it (`pattern`) so a card can say why it is there.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Token

from kartoteka.events.modality import NOT_EVENTS, modality
from kartoteka.events.ontology import OntologyError, _merge_raw
from kartoteka.events.places import born_marks, place_appositions, places
from kartoteka.events.syntax import MentionIndex, companions, prep_children, subject_of
from kartoteka.model import RelationMention, Span

__all__ = ["RelationPatterns", "load_relation_patterns", "extract_relations"]

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
        for key in ("role_nouns", "surname_female", "predicates"):
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
        ):
            raw[key] = list(raw.get(key, [])) + list(user.get(key, []))
        raw["verb_patterns"] = list(user.get("verb_patterns", [])) + raw.get("verb_patterns", [])
    preds = {}
    for name, spec in raw.get("predicates", {}).items():
        preds[name] = (frozenset(spec.get("subject", [])), frozenset(spec.get("object", [])))
    for where, pred in list(raw.get("role_nouns", {}).items()) + [
        (f"verb_patterns[{i}]", p.get("predicate"))
        for i, p in enumerate(raw.get("verb_patterns", []))
    ]:
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


def _role_noun_object(c: _Collector, noun: Token) -> list[tuple[int, bool, str]]:
    """What a role noun is of: (mention, through a sub-unit?, how) for "its", "Y's", "Y agent",
    "of Y", "in Y", "the son of A and B", "head of the department of the OGPU, the EKU"."""
    idx = c.index
    out: list[tuple[int, bool, str]] = []
    for child in noun.children:
        if child.dep_ == "poss":
            out += [(mi, False, "poss") for mi in idx.mentions_of(child, conj=False)]
        elif child.dep_ in ("compound", "nmod"):
            # "the NKVD resident in Spain", "NKVD agent Ivanov", "Red Army officer X"
            cm = idx.mention_at(child)
            if cm is not None and idx.mentions[cm].type == "ORG":
                out.append((cm, False, "compound"))
    if not out and noun.dep_ in ("nmod", "compound", "conj"):
        # "Red Army officer and radio operator X": the body named before the role noun
        for sib in noun.head.children:
            cm = idx.mention_at(sib)
            if (
                sib.i < noun.i
                and sib.dep_ in ("compound", "nmod")
                and cm is not None
                and idx.mentions[cm].type == "ORG"
            ):
                out.append((cm, False, "compound"))
    for prep, obj in prep_children(noun):
        if prep not in ("of", "in", "at", "for", "with", "within"):
            continue
        if idx.mention_at(obj) is None and obj.lemma_.lower() in c.pats.sub_units:
            out += _through_sub_unit(c, obj, prep)
        else:
            out += [(mi, False, prep) for mi in idx.mentions_of(obj)]
    return out


def _through_sub_unit(c: _Collector, unit: Token, prep: str) -> list[tuple[int, bool, str]]:
    """ "head of the Ministry of Internal Affairs intelligence station": the whole the unit
    is part of (through the unit), and the unit's own name ("the department ..., the EKU")."""
    idx = c.index
    out: list[tuple[int, bool, str]] = []
    for ch in unit.children:
        if ch.dep_ in ("compound", "nmod", "poss", "amod"):
            cm = idx.mention_at(ch)
            if cm is not None:
                out.append((cm, True, prep))
        elif ch.dep_ == "appos":
            out += [(mi, False, prep) for mi in idx.mentions_of(ch, conj=False)]
    named = _name_after_phrase(c, unit)
    if named is not None:
        out.append((named, False, prep))
    for p2, o2 in prep_children(unit):
        if p2 == "of":
            out += [(mi, True, prep) for mi in idx.mentions_of(o2, conj=False)]
            # "the economic department of the OGPU, the EKU": the name closes the phrase
            out += [
                (mi, False, prep)
                for ch in o2.children
                if ch.dep_ == "appos"
                for mi in idx.mentions_of(ch, conj=False)
            ]
    return out


def _name_after_phrase(c: _Collector, unit: Token) -> int | None:
    """ "the economic department of the OGPU, the EKU": an organization named after a comma
    right where the unit's phrase ends, whatever the parse hung it on."""
    doc, idx = c.doc, c.index
    end = max(t.i for t in unit.subtree)
    nxt = [t for t in doc[end + 1 : end + 4] if not t.is_space]
    if not nxt or nxt[0].text != ",":
        return None
    for t in nxt[1:]:
        mi = idx.by_token.get(t.i)
        if mi is not None:
            return mi if idx.mentions[mi].type == "ORG" else None
        if t.pos_ != "DET":
            return None
    return None


def _predicate(c: _Collector, tok: Token, pred: str, via_unit: bool, how: str) -> str:
    """The predicate a role noun makes with one of its objects."""
    if pred == "HEAD_OF" and (
        via_unit
        or any(
            ch.dep_ in ("amod", "compound") and ch.lower_ in c.pats.subordinate_modifiers
            for ch in tok.children
        )
    ):
        return "MEMBER_OF"  # "the deputy chief of the department" works there
    if pred == "AGENT_OF" and how in ("in", "at", "within"):
        return "MEMBER_OF"  # "a Soviet agent in the Gestapo" serves inside it
    return pred


def _holders(c: _Collector, tok: Token) -> tuple[list[int], bool]:
    """Who holds the role a noun names, and whether the noun is a title on their name:
    "X, head of" and "his deputy X" (apposition, compound), "X was the head of", "X became
    a member of", "as a member of", "was appointed head of" (the clause's subject)."""
    idx = c.index
    holders: list[int] = []
    if tok.dep_ in ("appos", "compound"):
        holders = idx.mentions_of(tok.head, conj=False)
    elif tok.dep_ in ("nmod", "conj"):
        named = _name_of_title_chain(c, tok)
        if named is not None:
            return [named], True
    for child in tok.children:
        if child.dep_ == "appos":
            holders += idx.mentions_of(child, conj=False)
    if not holders:
        holders = _comma_apposition(c, tok)
    if not holders:
        holder = _predicative_holder(tok)
        if holder is not None:
            holders = idx.mentions_of(holder)
    if not holders:
        holders = _included(c, tok)
    return holders, tok.dep_ == "compound"


def _included(c: _Collector, tok: Token) -> list[int]:
    """ "the majority of active members of the groups, including Zinoviev, Kamenev and
    others": the people listed after "including" on the role noun or the share of it."""
    t = tok
    for _ in range(2):
        for prep, obj in prep_children(t):
            if prep in ("including", "include", "among"):
                return [mi for mi in c.index.mentions_of(obj) if c.index.mentions[mi].type == "PER"]
        # "the majority of members", "some of the agents": climb to the share
        if t.dep_ != "pobj" or t.head.lower_ != "of" or t.head.head.pos_ not in ("NOUN", "PRON"):
            break
        t = t.head.head
    return []


def _name_of_title_chain(c: _Collector, tok: Token) -> int | None:
    """ "Red Army officer and radio operator Max Clausen": a role noun inside the run of
    nouns set before a name belongs to the name."""
    t = tok
    for _ in range(3):
        if t.dep_ not in ("nmod", "conj", "compound") or t.head.i == t.i:
            return None
        t = t.head
        mi = c.index.by_token.get(t.i)
        if mi is not None:
            return mi if c.index.mentions[mi].type == "PER" else None
    return None


def _predicative_holder(tok: Token) -> Token | None:
    """The one a predicative role noun is said of: the subject of "was the head of", the
    object of "recruited him as an agent", the subject of a passive "was appointed head"."""
    if tok.dep_ in ("attr", "oprd", "acomp"):
        verb = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
        verb = tok.head.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    for dep in ("nsubjpass", "dobj"):
        found = next((ch for ch in verb.children if ch.dep_ == dep), None)
        if found is not None and found.i != tok.i:
            return found
    return subject_of(verb)


def _role_nouns(c: _Collector) -> None:
    idx = c.index
    for tok in c.doc:
        pred = c.pats.role_nouns.get(tok.lemma_.lower()) or c.pats.role_nouns.get(tok.lower_)
        if pred is None or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if idx.mention_at(tok) is not None:
            continue  # the noun is part of a name ("the Deputy Commissar Frinovsky" is a title)
        holders, as_title = _holders(c, tok)
        targets = _role_noun_object(c, tok)
        via_title = False
        if not targets and as_title:
            # "his deputy Fridrikhson": the possessor hangs on the name
            for child in tok.head.children:
                if child.dep_ == "poss":
                    targets += [(mi, False, "poss") for mi in idx.mentions_of(child, conj=False)]
            via_title = True
        for h in holders:
            for obj, via_unit, how in targets:
                p = _predicate(c, tok, pred, via_unit, how)
                if p in c.pats.person_to_person and idx.mentions[obj].type != "PER":
                    continue
                c.add(h, p, obj, tok, "role-noun" + ("-title" if via_title else ""))
        if not holders and pred in ("SPOUSE_OF", "CHILD_OF"):
            _kin_by_surname(c, tok, pred, [(mi, via) for mi, via, _ in targets])


def _comma_apposition(c: _Collector, tok: Token) -> list[int]:
    """ "Reiss's widow, Elsa, said", "A Fellow of Trinity College, Blunt, ...": a name set off
    by commas right after the role noun's phrase (`MentionIndex.named_after_commas`)."""
    mi = c.index.named_after_commas(tok)
    return [] if mi is None else [mi]


def _female_forms(surname: str, table: dict[str, str]) -> set[str]:
    out = set()
    for end, fem in sorted(table.items(), key=lambda kv: -len(kv[0])):
        if surname.endswith(end):
            out.add(surname[: len(surname) - len(end)] + fem)
            break  # the longest ending that fits decides
    return out


def _kin_by_surname(c: _Collector, tok: Token, pred: str, targets) -> None:
    """ "Smirnov's wife ... Smirnova": the woman named with the female form of his surname."""
    if tok.lemma_.lower() not in ("wife", "widow", "daughter"):
        return
    for obj, _ in targets:
        m = c.index.mentions[obj]
        if m.type != "PER":
            continue
        surname = m.name.split()[-1]
        forms = _female_forms(surname, c.pats.surname_female)
        for mi, other in enumerate(c.index.mentions):
            if (
                other.type == "PER"
                and other.name.split()
                and other.name.split()[-1] in forms
                and abs(other.start - tok.idx) < 2000
            ):
                c.add(mi, pred, obj, tok, "kin-surname")
                break


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


def _verbs(c: _Collector) -> None:
    idx = c.index
    linked: set[int] = set()  # verbs a pattern has linked: the first pattern wins
    for vp_i, vp in enumerate(c.pats.verb_patterns):
        lemmas = set(vp["lemma"] if isinstance(vp["lemma"], list) else [vp["lemma"]])
        preps = set(vp.get("prep", []))
        adverbs = (
            c.pats.secret_adverbs
            if vp.get("adverb") == "secret"
            else frozenset(
                vp.get("adverb", []) if isinstance(vp.get("adverb", []), list) else [vp["adverb"]]
            )
        )
        for tok in c.doc:
            if (
                tok.lemma_.lower() not in lemmas
                or not (tok.pos_ in ("VERB", "AUX") or tok.dep_ == "acomp")
                or tok.i in linked
            ):
                continue  # "he is married to Olga": a participle the parse made an adjective
            if adverbs and not any(
                ch.dep_ == "advmod" and ch.lower_ in adverbs for ch in tok.children
            ):
                continue
            passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in tok.children)
            if vp.get("passive") is not None and bool(vp["passive"]) != passive:
                continue
            if passive:
                subj_tok = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
                if subj_tok is None and tok.dep_ in ("acl", "relcl"):
                    subj_tok = tok.head
            else:
                subj_tok = subject_of(tok)
            if subj_tok is None:
                continue
            # "joined the Party together with Klahr and Reisberg": they joined it too
            subjects = idx.mentions_of(subj_tok) + [
                mi
                for o in companions(tok)
                for mi in idx.mentions_of(o)
                if idx.mentions[mi].type == "PER"
            ]
            objects: list[int] = []
            if vp.get("object"):
                for ch in tok.children:
                    if ch.dep_ == "dobj":
                        objects += idx.mentions_of(ch)
            for prep, obj in prep_children(tok):
                if prep in preps:
                    objects += idx.mentions_of(obj)
            for s in subjects:
                for o in objects:
                    if c.add(s, vp["predicate"], o, tok, f"verb {vp_i}"):
                        linked.add(tok.i)
                    if vp.get("both_ways"):  # "he married Josefine": each is the other's
                        c.add(o, vp["predicate"], s, tok, f"verb {vp_i}")


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
    _role_nouns(c)
    _memberships(c)
    _possessive_orgs(c)
    _double_agents(c)
    _verbs(c)
    places(c)
    place_appositions(c)
    born_marks(c)
    return c.out
