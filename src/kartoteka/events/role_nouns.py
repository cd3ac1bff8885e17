"""Role nouns: "X, head of Y", "Y's deputy X", "his wife X", "NKVD agent X", "X was the head
of Y", "as a member of Y", "the son of A and B": who holds the role (`_holders`) and of what
(`_role_noun_object`), with the predicate the noun names in `relations.toml`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kartoteka.events.syntax import prep_children, subject_of

if TYPE_CHECKING:
    from kartoteka.events.relations import _Collector

__all__ = ["role_nouns", "in_charge", "one_of", "named_before"]

_PREDICATIVE = ("attr", "acomp", "oprd")
# "succeeded Berg as head of the bureau", "replaced him as chief": the subject takes the post
_SUCCEED = frozenset({"succeed", "replace", "relieve", "follow", "supersede"})
# "rose to deputy chairman", "was promoted to head of the section": the post one reached
_RISE = frozenset({"rise", "promote", "elevate", "advance", "appoint", "name", "elect"})


def _role_noun_object(c: _Collector, noun: Token) -> list[tuple[int, bool, str]]:
    """What a role noun is of: (mention, through a sub-unit?, how) for "its", "Y's", "Y agent",
    "of Y", "in Y", "the son of A and B", "head of the department of the OGPU, the EKU"."""
    idx = c.index
    out: list[tuple[int, bool, str]] = []
    for child in noun.children:
        if child.dep_ == "poss":
            out += [(mi, False, "poss") for mi in idx.mentions_of(child, conj=False)]
        elif child.dep_ in ("compound", "nmod", "amod"):
            # "the NKVD resident in Spain", "NKVD agent Ivanov", "Red Army officer X",
            # "two other Comintern agents" (the parse may call the name an adjective)
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
        if prep not in ("of", "in", "at", "for", "with", "within", "to"):
            continue
        if prep == "to" and _role_predicate(c, noun) not in c.pats.person_to_person:
            continue  # "deputy to Lyubin", "wife to a baker"; but "ambassador to Italy"
        if idx.mention_at(obj) is None and obj.lemma_.lower() in c.pats.sub_units:
            out += _through_sub_unit(c, obj, prep)
        else:
            found = idx.mentions_of(obj) or named_before(c, obj)
            out += [(mi, False, prep) for mi in found]
    if not out and noun.dep_ in _PREDICATIVE:
        # "the Liga, of which Kamo was the chairman", "was a cryptographer at the embassy":
        # the phrase the parse hung on the clause's verb
        for prep, obj in prep_children(noun.head):
            if prep == "of" and obj.lower_ in ("which", "whom"):
                out += [(mi, False, "of") for mi in idx.mentions_of(obj)]
            elif prep in ("at", "in", "for", "with"):
                found = idx.mentions_of(obj, conj=False) or named_before(c, obj)
                out += [(mi, False, prep) for mi in found if idx.mentions[mi].type == "ORG"]
    if not out:
        out = [(mi, False, "legation") for mi in _legation(c, noun)]
    return out


def _role_predicate(c: _Collector, noun: Token) -> str | None:
    pats = c.pats
    low = noun.lemma_.lower()
    return (
        pats.role_nouns.get(low)
        or pats.role_nouns.get(noun.lower_)
        or pats.inverse_role_nouns.get(low)
    )


def _legation(c: _Collector, noun: Token) -> list[int]:
    """ "the Italian ambassador Giulio Conti", with "the Italian Embassy in Tokyo" named in
    the text: the one legation of that nation the text names is what the envoy heads."""
    if noun.lemma_.lower() not in c.pats.envoy_nouns:
        return []
    nations = {ch.lower_ for ch in noun.children if ch.dep_ in ("amod", "compound")}
    found = [
        mi
        for mi, m in enumerate(c.index.mentions)
        if m.type == "ORG"
        and len(words := m.name.lower().split()) > 1
        and words[0] in nations
        and words[1] in c.pats.legation_nouns
    ]
    return found if len({c.index.mentions[mi].name for mi in found}) == 1 else []


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
    if tok.lemma_.lower() in ("organizer", "organiser") and any(
        ch.dep_ in ("amod", "compound") and ch.lower_ in c.pats.organizer_posts
        for ch in tok.children
    ):
        return "MEMBER_OF"  # "national organizer of the party" holds a post in it
    if pred == "AGENT_OF" and how in ("in", "at", "within"):
        return "MEMBER_OF"  # "a Soviet agent in the Gestapo" serves inside it
    return pred


def _holders(c: _Collector, tok: Token) -> tuple[list[int], bool]:
    """Who holds the role a noun names, and whether the noun is a title on their name:
    "X, head of" and "his deputy X" (apposition, compound), "X was the head of", "X became
    a member of", "as a member of", "was appointed head of" (the clause's subject)."""
    idx = c.index
    holders: list[int] = []
    if tok.dep_ == "appos" and tok.tag_ == "NNS":
        # "Orin, Sedin and Kolt, members of the Liga": a plural role noun after a list is
        # said of everyone in it, wherever the parse hung it
        first = tok.head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        holders = idx.mentions_of(first)
    elif tok.dep_ == "appos" and tok.head.pos_ in ("VERB", "AUX"):
        # "he was born in Graz in 1899, the son of Karl Renz": said of the clause's subject
        subj = next((ch for ch in tok.head.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
        holders = idx.mentions_of(subj, conj=False) if subj is not None else []
    elif tok.dep_ in ("appos", "compound"):
        holders = idx.mentions_of(tok.head, conj=False)
    elif _share(tok) is not None and _share(tok).dep_ == "appos":
        # "Kotin, one of the leaders of the circle": the one the share is set beside
        holders = idx.mentions_of(_share(tok).head, conj=False)
    elif tok.dep_ in ("nmod", "conj"):
        named = _name_of_title_chain(c, tok)
        if named is not None:
            return [named], True
    for child in tok.children:
        if child.dep_ == "appos":
            # "two other Comintern agents, Ana Vidal and Ken Mori": a plural role noun
            # names as many as are listed after it
            holders += idx.mentions_of(child, conj=tok.tag_ == "NNS")
    holders += _others_listed(c, tok)
    if not holders:
        holders = _comma_apposition(c, tok)
    if not holders:
        holders = _titled(c, tok)
    if not holders:
        holder = _predicative_holder(tok)
        if holder is not None:
            holders = idx.mentions_of(holder)
    if not holders:
        holders = _included(c, tok)
    if not holders:
        holders = _listed_as(c, tok)
    if not holders and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
        # "the head of the section was Slutin", "its leader was Kamo": the name the copula
        # gives the role
        attr = next((ch for ch in tok.head.children if ch.dep_ == "attr"), None)
        holders = [
            mi
            for mi in (c.index.mentions_of(attr) if attr is not None else [])
            if c.index.mentions[mi].type == "PER"
        ]
    if not holders and tok.dep_ == "dobj":
        # "Stalin made Kotin head of the department", parsed with the name compounded on
        # the noun: the one made head
        holders = [
            mi
            for ch in tok.children
            if ch.dep_ == "compound" and ch.i < tok.i
            for mi in idx.mentions_of(ch, conj=False)
            if idx.mentions[mi].type == "PER"
        ]
    return holders, tok.dep_ == "compound"


def _others_listed(c: _Collector, tok: Token) -> list[int]:
    """ "included Karl Weber, Taro Ito, and two other Comintern agents": "other" says the
    people listed before the role noun hold it too."""
    if tok.dep_ != "conj" or not any(
        ch.dep_ == "amod" and ch.lower_ == "other" for ch in tok.children
    ):
        return []
    first = tok.head
    listed = [first] + [x for x in first.children if x.dep_ == "conj" and x.i < tok.i]
    return [
        mi
        for x in listed
        for mi in c.index.mentions_of(x, conj=False)
        if c.index.mentions[mi].type == "PER"
    ]


def _titled(c: _Collector, tok: Token) -> list[int]:
    """ "The Comintern's chief Osip Pyatnitsky signed": a person named right after the role
    noun, as a title, where the parse made the two subjects side by side."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    mi = c.index.by_token.get(nxt.i) if nxt is not None else None
    if mi is None or c.index.mentions[mi].type != "PER":
        return []
    return [mi] if c.index.tokens_of.get(mi, [-1])[0] == tok.i + 1 else []


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


def _listed_as(c: _Collector, tok: Token) -> list[int]:
    """ "The members of the Liga included Kolt and Sedin", "Among the members of the Liga
    were Kolt and Sedin": the people a plural role noun's clause lists."""
    if tok.tag_ != "NNS":
        return []
    verb, deps = None, ()
    if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in ("include", "comprise"):
        verb, deps = tok.head, ("dobj",)
    elif tok.dep_ == "pobj" and tok.head.lower_ == "among" and tok.head.head.lemma_ == "be":
        verb, deps = tok.head.head, ("nsubj", "attr")
    if verb is None:
        return []
    return [
        mi
        for ch in verb.children
        if ch.dep_ in deps and ch.i != tok.i
        for mi in c.index.mentions_of(ch)
        if c.index.mentions[mi].type == "PER"
    ]


def _name_of_title_chain(c: _Collector, tok: Token) -> int | None:
    """ "Red Army officer and radio operator Max Clausen": a role noun inside the run of
    nouns set before a name belongs to the name."""
    t = tok
    for _ in range(3):
        if t.dep_ not in ("nmod", "conj", "compound") or t.head.i == t.i:
            return None
        link, t = t.dep_, t.head
        mi = c.index.by_token.get(t.i)
        if mi is not None and link == "conj":
            return None  # "Karl Weber, Taro Ito, and two other agents": a list, not a title
        if mi is not None:
            return mi if c.index.mentions[mi].type == "PER" else None
    return None


def _share(tok: Token) -> Token | None:
    """ "one" in "one of the leaders", for a role noun after it."""
    share = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
    if share is not None and share.lower_ in ("one", "another") and share.pos_ in ("NUM", "PRON"):
        return share
    return None


def _predicative_holder(tok: Token) -> Token | None:
    """The one a predicative role noun is said of: the subject of "was the head of", the
    object of "recruited him as an agent", the subject of a passive "was appointed head"."""
    share = _share(tok)
    if share is not None:
        tok = share  # "Tenn was one of the founders of the League": as "was a founder"
    if tok.dep_ in _PREDICATIVE:
        verb = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lemma_ in _RISE:
        verb = tok.head.head  # "rose to deputy chairman of the OGPU"
    elif tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
        verb = tok.head.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if verb.lemma_.lower() in _SUCCEED:
        return subject_of(verb)  # "Tamm succeeded Berg as head": Tamm is the head now
    for dep in ("nsubjpass", "dobj"):
        found = next((ch for ch in verb.children if ch.dep_ == dep), None)
        if found is not None and found.i != tok.i:
            return found
    return subject_of(verb)


def role_nouns(c: _Collector) -> None:
    """Every role noun of the document with its holders and what it is of."""
    idx = c.index
    for tok in c.doc:
        pred = c.pats.role_nouns.get(tok.lemma_.lower()) or c.pats.role_nouns.get(tok.lower_)
        inverse = pred is None and tok.lemma_.lower() in c.pats.inverse_role_nouns
        if inverse:
            pred = c.pats.inverse_role_nouns[tok.lemma_.lower()]
        if pred is None or not (
            tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "ADJ" and tok.dep_ in _PREDICATIVE)
        ):
            continue  # "became assistant to Kamo": the parse may call the noun an adjective
        if idx.mention_at(tok) is not None and not _lowercase_title(c, tok):
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
                if p == "DEPUTY_OF" and idx.mentions[obj].type == "ORG":
                    p = "MEMBER_OF"  # "deputy of the OGPU", "a lieutenant in the Red Army"
                if p in c.pats.person_to_person and idx.mentions[obj].type != "PER":
                    continue
                a, b = (obj, h) if inverse else (h, obj)
                c.add(a, p, b, tok, "role-noun" + ("-title" if via_title else ""))
        if not holders and pred in ("SPOUSE_OF", "CHILD_OF") and not inverse:
            _kin_by_surname(c, tok, pred, [(mi, via) for mi, via, _ in targets])


def _lowercase_title(c: _Collector, tok: Token) -> bool:
    """ "German ambassador Eugen Ott", where the mention took in the role noun before the
    name: a common noun in lower case that opens a person's mention still names a role."""
    mi = c.index.by_token.get(tok.i)
    return (
        mi is not None
        and c.index.mentions[mi].type == "PER"
        and c.index.tokens_of.get(mi, [None])[0] == tok.i
        and tok.is_lower
    )


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


def in_charge(c: _Collector) -> None:
    """ "was in charge of the Special Bureau", "took command of the Baltic Fleet", "stood at
    the head of the Cheka", "assumed the leadership of the party": the subject heads what
    follows "of"."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() not in c.pats.command_nouns or tok.pos_ != "NOUN":
            continue
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and tok.head.dep_ == "prep":
            verb = tok.head.head  # "was in charge of", "stood at the head of"
        elif tok.dep_ == "dobj" and tok.head.lemma_.lower() in c.pats.command_verbs:
            verb = tok.head  # "took command of", "assumed the leadership of"
        else:
            continue
        subj = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
        if subj is None:
            continue
        for prep, obj in prep_children(tok):
            if prep != "of":
                continue
            for h in idx.mentions_of(subj):
                for o in idx.mentions_of(obj):
                    c.add(h, "HEAD_OF", o, tok, "in-charge")


def one_of(c: _Collector) -> None:
    """ "Tenn was one of the Oslo Seven", "Tenn, one of the Oslo Seven, fled": one of a
    named group is its member."""
    idx = c.index
    for tok in c.doc:
        if tok.lower_ != "one" or tok.pos_ not in ("NUM", "PRON"):
            continue
        if tok.dep_ == "attr" and tok.head.lemma_ in ("be", "become", "remain"):
            holder = subject_of(tok.head)
        elif tok.dep_ == "appos":
            holder = tok.head
        else:
            continue
        if holder is None:
            continue
        groups = [
            mi
            for prep, obj in prep_children(tok)
            if prep == "of"
            for mi in idx.mentions_of(obj, conj=False)
            if idx.mentions[mi].type == "ORG"
        ]
        for h in idx.mentions_of(holder, conj=False):
            for g in groups:
                c.add(h, "MEMBER_OF", g, tok, "one-of")


def named_before(c: _Collector, tok: Token) -> list[int]:
    """ "the Soviet Embassy in Oslo ... a clerk at the embassy": a definite common noun
    standing for the one organization the text names whose name holds that noun (an
    encyclopedia's lead may say "the embassy" before it names it)."""
    low = tok.lemma_.lower()
    if low not in c.pats.back_reference_nouns or not any(
        ch.dep_ == "det" and ch.lower_ == "the" for ch in tok.children
    ):
        return []
    idx = c.index
    found: dict[str, int] = {}
    for mi, m in enumerate(idx.mentions):
        if m.type == "ORG" and low in m.name.lower().split():
            found.setdefault(m.name, mi)
    if len(found) > 1:
        # "the embassy in Ottawa": the one named with that place
        where = [o.text for p, o in prep_children(tok) if p in ("in", "at")]
        found = {n: mi for n, mi in found.items() if all(w in n for w in where)}
    longest = max(found, key=len, default="")
    if all(n in longest for n in found):
        return [found[longest]] if found else []  # "Soviet embassy" in "Soviet embassy in X"
    return []
