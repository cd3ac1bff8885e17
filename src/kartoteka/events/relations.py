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

from kartoteka.events.ontology import OntologyError, _merge_raw
from kartoteka.events.syntax import MentionIndex, prep_children, subject_of
from kartoteka.model import RelationMention, Span

__all__ = ["RelationPatterns", "load_relation_patterns", "extract_relations"]


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
    )


class _Collector:
    def __init__(
        self, doc: Doc, index: MentionIndex, sentences: list[Span], pats: RelationPatterns
    ):
        self.doc, self.index, self.sentences, self.pats = doc, index, sentences, pats
        self.out: list[RelationMention] = []
        self.seen: set[tuple[int, str, int]] = set()

    def add(self, subj: int | None, pred: str, obj: int | None, at: Token, pattern: str) -> bool:
        if subj is None or obj is None or subj == obj:
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


def _role_noun_object(c: _Collector, noun: Token) -> list[tuple[int, bool]]:
    """What a role noun is of: (mention, through a sub-unit?) for "its", "Y's", "of Y"."""
    out: list[tuple[int, bool]] = []
    for child in noun.children:
        if child.dep_ == "poss":
            out += [(mi, False) for mi in c.index.mentions_of(child, conj=False)]
    for child in noun.children:
        if child.dep_ == "compound":
            # "the NKVD resident in Spain"
            cm = c.index.mention_at(child)
            if cm is not None and c.index.mentions[cm].type == "ORG":
                out.append((cm, False))
    for prep, obj in prep_children(noun):
        if prep in ("of", "in", "at", "for"):
            mi = c.index.mention_at(obj)
            if mi is not None:
                out.append((mi, False))
            elif obj.lemma_.lower() in c.pats.sub_units:
                # "head of the Ministry of Internal Affairs intelligence station"
                for ch in obj.children:
                    if ch.dep_ in ("compound", "nmod", "poss", "amod"):
                        cm = c.index.mention_at(ch)
                        if cm is not None:
                            out.append((cm, True))
                for p2, o2 in prep_children(obj):
                    if p2 == "of" and c.index.mention_at(o2) is not None:
                        out.append((c.index.mention_at(o2), True))
    return out


def _role_nouns(c: _Collector) -> None:
    idx = c.index
    for tok in c.doc:
        pred = c.pats.role_nouns.get(tok.lemma_.lower()) or c.pats.role_nouns.get(tok.lower_)
        if pred is None or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        # who holds the role: "X, head of" (appos either way), "his deputy X" (compound)
        holders: list[int] = []
        if tok.dep_ == "appos" or tok.dep_ == "compound":
            holders = idx.mentions_of(tok.head, conj=False)
        for child in tok.children:
            if child.dep_ == "appos":
                holders += idx.mentions_of(child, conj=False)
        if not holders:
            holders = _comma_apposition(c, tok)
        if idx.mention_at(tok) is not None:
            continue  # the noun is part of a name ("the Deputy Commissar Frinovsky" is a title)
        targets = _role_noun_object(c, tok)
        via_title = False
        if not targets and tok.dep_ == "compound":
            # "his deputy Fridrikhson": the possessor hangs on the name
            for child in tok.head.children:
                if child.dep_ == "poss":
                    targets += [(mi, False) for mi in idx.mentions_of(child, conj=False)]
            via_title = True
        for h in holders:
            for obj, via_unit in targets:
                p = pred
                if pred == "HEAD_OF" and (
                    via_unit
                    or any(
                        ch.dep_ in ("amod", "compound")
                        and ch.lower_ in c.pats.subordinate_modifiers
                        for ch in tok.children
                    )
                ):
                    p = "MEMBER_OF"  # "the deputy chief of the department" works there
                if p in c.pats.person_to_person and idx.mentions[obj].type != "PER":
                    continue
                c.add(h, p, obj, tok, "role-noun" + ("-title" if via_title else ""))
        if not holders and pred in ("SPOUSE_OF", "CHILD_OF"):
            _kin_by_surname(c, tok, pred, targets)


def _comma_apposition(c: _Collector, tok: Token) -> list[int]:
    """ "Reiss's widow, Elsa, said": a name set off by commas right after the role noun, which
    the parse made a second subject instead of an apposition."""
    doc = c.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].text != ",":
        return []
    mi = c.index.by_token.get(tok.i + 2)
    if mi is None or c.index.mentions[mi].type != "PER":
        return []
    last = c.index.tokens_of[mi][-1]
    # closed by a comma, and hung on the same word as the role noun
    if (
        last + 1 < len(doc)
        and doc[last + 1].text == ","
        and doc[last].head.i == tok.head.i
        and tok.head.i != tok.i
    ):
        return [mi]
    return []


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
                or tok.pos_ not in ("VERB", "AUX")
                or tok.i in linked
            ):
                continue
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
            subjects = idx.mentions_of(subj_tok)
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


def _copula_agents(c: _Collector) -> None:
    """ "X was an agent of/for Y", "X, a spy for Y"."""
    idx = c.index
    for tok in c.doc:
        pred = c.pats.role_nouns.get(tok.lemma_.lower())
        if pred not in ("AGENT_OF", "MEMBER_OF") or tok.dep_ not in ("attr", "pobj"):
            continue
        verb = tok.head if tok.dep_ == "attr" else tok.head.head
        subj = subject_of(verb) if verb is not None else None
        if subj is None:
            continue
        for prep, obj in prep_children(tok):
            if prep in ("for", "of"):
                for s in idx.mentions_of(subj):
                    for o in idx.mentions_of(obj):
                        c.add(s, pred, o, tok, "copula-agent")


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


def _places(c: _Collector) -> None:
    idx = c.index
    by_text: dict[str, int] = {}
    for mi, m in enumerate(idx.mentions):
        if m.type == "PLACE":
            by_text.setdefault(m.text.removeprefix("the ").removeprefix("The "), mi)
    for mi, m in enumerate(idx.mentions):
        toks = idx.tokens_of.get(mi)
        if not toks or m.type not in ("ORG", "PLACE"):
            continue
        words = m.text.split()
        # "the Soviet Embassy in France" as one name: the place it ends with
        if " in " in m.text and words[0].lower() not in ("in",):
            head_part, _, tail = m.text.rpartition(" in ")
            if head_part.split()[-1].lower() in c.pats.facility_nouns:
                tail = tail.removeprefix("the ")
                target = by_text.get(tail)
                if target is not None:
                    c.add(mi, "LOCATED_IN", target, c.doc[toks[0]], "facility-in-name")
                    continue
        # "the Belarus station in Moscow", "the Soviet Embassy in Berlin"
        last = c.doc[toks[-1]]
        head = last
        if last.lemma_.lower() not in c.pats.facility_nouns:
            nxt = c.doc[toks[-1] + 1] if toks[-1] + 1 < len(c.doc) else None
            if (
                nxt is not None
                and nxt.lemma_.lower() in c.pats.facility_nouns
                and last.head.i == nxt.i
            ):
                head = nxt
            else:
                continue
        for prep, obj in prep_children(head):
            if prep in ("in", "at"):
                for o in idx.mentions_of(obj, conj=False):
                    c.add(mi, "LOCATED_IN", o, head, "facility-in")
    # "with its main body in Paris", "its headquarters in Berlin", "based in Paris"
    for tok in c.doc:
        low = tok.lemma_.lower()
        if low in c.pats.seat_nouns:
            owners = [
                o
                for ch in tok.children
                if ch.dep_ == "poss"
                for o in idx.mentions_of(ch, conj=False)
            ]
            places = [
                o
                for p, obj in prep_children(tok)
                if p in ("in", "at")
                for o in idx.mentions_of(obj, conj=False)
            ]
            for s in owners:
                for o in places:
                    c.add(s, "LOCATED_IN", o, tok, "seat-in")
        elif low in c.pats.located_verbs and tok.tag_ == "VBN":
            owner = (
                tok.head
                if tok.dep_ in ("acl", "amod")
                else next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
            )
            if owner is None:
                continue
            for s in idx.mentions_of(owner, conj=False):
                for p, obj in prep_children(tok):
                    if p in ("in", "at"):
                        for o in idx.mentions_of(obj, conj=False):
                            c.add(s, "LOCATED_IN", o, tok, "located-verb")


def extract_relations(
    doc: Doc, index: MentionIndex, sentences: list[Span], pats: RelationPatterns
) -> list[RelationMention]:
    c = _Collector(doc, index, sentences, pats)
    _role_nouns(c)
    _possessive_orgs(c)
    _double_agents(c)
    _copula_agents(c)
    _verbs(c)
    _places(c)
    return c.out
