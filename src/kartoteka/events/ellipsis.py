"""Events told again with the verb left out: "Klement was kidnapped by the GPU, just as Wolf
was some time ago", "the Gestapo arrested Weber, as it did Lanz in 1941".

A comparison clause ("as", "just as", "like") whose verb is only an auxiliary (was, had
been, did) tells the same kind of event again, of someone else: its subject takes the place
the main clause's subject had (the patient of a passive, the doer of an active verb), its
object the patient. The other participants are the main clause's (the GPU kidnapped Wolf
too). It has its own time: a date in the comparison clause, else none (it may be years
before: "some time ago").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kartoteka.events.slots import passive
from kartoteka.events.syntax import MentionIndex
from kartoteka.model import EventMention, Span

__all__ = ["compared_again"]

_COMPARING = frozenset({"as", "like"})
_AUXILIARIES = frozenset({"be", "have", "do"})


def compared_again(
    tok: Token, ev: EventMention, index: MentionIndex
) -> list[tuple[Token, EventMention]]:
    """(the comparison clause's verb, the event it tells again) for each comparison clause
    with its verb left out on the trigger `tok` of `ev`."""
    out = []
    for clause in tok.children:
        if not _elliptic_comparison(clause):
            continue
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in clause.children if c.dep_ == "dobj"), None)
        roles = {r: list(v) for r, v in ev.roles.items()}
        if passive(tok):
            told = {"patient": subject}
        else:
            told = {"agent": subject, "patient": obj}
        named = False
        for role, filler in told.items():
            mentions = index.mentions_of(filler) if filler is not None else []
            if mentions:
                roles[role] = mentions
                named = True
            elif filler is not None and role != "agent":
                roles.pop(role, None)
        if not named or roles == ev.roles:
            continue
        start = subject.left_edge.idx if subject is not None else clause.idx
        end = clause.idx + len(clause.text)
        trigger = Span(start, end, tok.doc.text[start:end])
        out.append((clause, replace(ev, trigger=trigger, roles=roles, refers_back=False)))
    return out


def _elliptic_comparison(clause: Token) -> bool:
    """ "just as Wolf was", "as his brother had been", "as it did Lanz": an adverbial clause
    introduced by "as" or "like" whose head is an auxiliary with no verb of its own."""
    return (
        clause.dep_ == "advcl"
        and clause.lemma_.lower() in _AUXILIARIES
        and any(c.dep_ == "mark" and c.lower_ in _COMPARING for c in clause.children)
        and not any(c.dep_ in ("acomp", "attr", "xcomp", "ccomp") for c in clause.children)
    )
