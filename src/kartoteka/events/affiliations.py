"""Ties told without a role noun: "his firm, Weber Export Company" (HEAD_OF), "got work
from the Hamburger Echo" (MEMBER_OF), "their daughter Nina" (CHILD_OF both parents). Each
adds to the relation collector of `kartoteka.events.relations`; the words are in
`relations.toml` (`owned_nouns`, `job_nouns`, `job_verbs`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kartoteka.events.syntax import prep_children, subject_of

if TYPE_CHECKING:
    from kartoteka.events.relations import _Collector

__all__ = ["affiliations", "couple"]

_KIN = {"daughter": "CHILD_OF", "son": "CHILD_OF", "child": "CHILD_OF", "children": "CHILD_OF"}
_LOOK_BACK = 2  # sentences back to the couple "their" stands for


def affiliations(c: _Collector) -> None:
    _under(c)
    _recruitment(c)
    _owned(c)
    _jobs(c)
    _their_children(c)


def _under(c: _Collector) -> None:
    """ "the Cheka under Borin", "the NKVD under the leadership of Yezhov": a body named
    with the person it was under is headed by them (but "worked under Borin in the Cheka"
    says who was over the worker, not over the body)."""
    idx = c.index
    for tok in c.doc:
        if tok.lower_ != "under" or tok.dep_ != "prep":
            continue
        body = idx.by_token.get(tok.head.i)
        if body is None or idx.mentions[body].type != "ORG":
            continue
        for obj in (o for o in tok.children if o.dep_ == "pobj"):
            if obj.lemma_.lower() in c.pats.command_nouns:
                heads = [
                    mi for p, o in prep_children(obj) if p == "of" for mi in idx.mentions_of(o)
                ]
            else:
                heads = idx.mentions_of(obj)
            for h in heads:
                c.add(h, "HEAD_OF", body, tok, "under")


def _recruitment(c: _Collector) -> None:
    """ "the Razvedupr's recruitment of Lenz", "his recruitment by the Abwehr": the one
    recruited is the service's agent, as with the verb."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() != "recruitment" or tok.pos_ != "NOUN":
            continue
        preps = prep_children(tok)
        poss = [mi for ch in tok.children if ch.dep_ == "poss" for mi in idx.mentions_of(ch)]
        by = [mi for p, o in preps if p == "by" for mi in idx.mentions_of(o)]
        of = [mi for p, o in preps if p == "of" for mi in idx.mentions_of(o)]
        services, recruits = (by, poss + of) if by else (poss, of)
        for r in recruits:
            for s in services:
                if idx.mentions[s].type == "ORG":
                    c.add(r, "AGENT_OF", s, tok, "recruitment")


def _named_org(c: _Collector, noun: Token) -> list[int]:
    """The organization a common noun is given as its name: "his firm, Weber Export
    Company", "the newspaper Japan Advertiser"."""
    idx = c.index
    found = [mi for ch in noun.children if ch.dep_ == "appos" for mi in idx.mentions_of(ch)]
    named = idx._named(noun)
    if named is not None:
        found.append(named)
    return [mi for mi in found if idx.mentions[mi].type == "ORG"]


def _owned(c: _Collector) -> None:
    """ "under cover of his firm, Weber Export Company": who owns a firm heads it."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() not in c.pats.owned_nouns or tok.pos_ != "NOUN":
            continue
        owners = [
            mi
            for ch in tok.children
            if ch.dep_ == "poss"
            for mi in idx.mentions_of(ch, conj=False)
            if idx.mentions[mi].type == "PER"
        ]
        for owner in owners:
            for firm in _named_org(c, tok):
                c.add(owner, "HEAD_OF", firm, tok, "owned")


def _jobs(c: _Collector) -> None:
    """ "got work from the Hamburger Echo", "found a job with the railway administration":
    the subject holds a post in the body; "recommended him for work in the Cheka": the one
    recommended or appointed does."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() not in c.pats.job_nouns:
            continue
        holder, verb = _job_holder(c, tok)
        if holder is None or verb is None:
            continue
        bodies = [
            mi
            for p, o in prep_children(tok) + prep_children(verb)
            if p in ("from", "with", "at", "in", "on")
            for mi in idx.mentions_of(o)
        ]
        # "for work in the Cheka and the Supreme Military Inspection", parsed with the second
        # body joined to the job noun
        bodies += [
            mi
            for ch in tok.children
            if ch.dep_ == "conj"
            for mi in idx.mentions_of(ch, conj=False)
            if idx.mentions[mi].type == "ORG"
        ]
        for s in idx.mentions_of(holder):
            for b in bodies:
                c.add(s, "MEMBER_OF", b, tok, "job")


def _job_holder(c: _Collector, job: Token) -> tuple[Token | None, Token | None]:
    """(who holds the post, the verb that says so) for a job noun, or (None, None)."""
    if job.dep_ == "dobj" and job.head.lemma_.lower() in c.pats.job_verbs:
        return subject_of(job.head), job.head
    if job.dep_ == "pobj" and job.head.lower_ in ("for", "to") and job.head.dep_ == "prep":
        verb = job.head.head
        obj = next((ch for ch in verb.children if ch.dep_ == "dobj"), None)
        return obj, verb
    return None, None


def couple(c: _Collector, tok: Token) -> list[int]:
    """The two people "their" stands for: a pair named together as the subject of the
    sentence or one of the two before it ("Ivan Rudin and Vera Rudina lived in Minsk")."""
    idx = c.index
    sents = list(c.doc.sents)
    here = next((k for k, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
    for s in reversed(sents[max(0, here - _LOOK_BACK) : here + 1]):
        for t in s:
            if t.dep_ not in ("nsubj", "nsubjpass") or t.i >= tok.i:
                continue
            pair = [mi for mi in idx.mentions_of(t) if idx.mentions[mi].type == "PER"]
            if len(pair) == 2:
                return pair
    return []


def _their_children(c: _Collector) -> None:
    """ "Their daughter Nina Rudina": the child of each of the couple."""
    idx = c.index
    for tok in c.doc:
        pred = _KIN.get(tok.lemma_.lower())
        if pred is None or not any(
            ch.dep_ == "poss" and ch.lower_ == "their" for ch in tok.children
        ):
            continue
        children = [
            mi
            for ch in tok.children
            if ch.dep_ == "appos"
            for mi in idx.mentions_of(ch)
            if idx.mentions[mi].type == "PER"
        ]
        named = idx._named(tok)
        if not children and named is not None and idx.mentions[named].type == "PER":
            children = [named]
        for child in children:
            for parent in couple(c, tok):
                c.add(child, pred, parent, tok, "their-kin")
