"""Who did it to whom: the slots of a trigger mapped to roles and resolved to mentions.

The ontology maps each slot to a role for the trigger's type. A few rules sit on top:
- "X's murder of Y", "Stalin's arrest of his generals": when an event noun has an "of", its
  possessor is the doer, not the patient;
- the same mention plays one role: the first slot to claim it keeps it, and the patient of an
  event never comes back as its agent;
- a place named where a person or body is expected ("a letter from Perpignan", "the third
  Moscow trial") is the event's place;
- "Kandelaki, with his deputy Fridrikhson, visited ...": a "with" before the verb joins the
  doers, one after it is the other side, unless "together" or "along" marks it ("joined the
  Party together with Klahr").
"""

from __future__ import annotations

from spacy.tokens import Token

from kartoteka.events.ontology import Ontology, Trigger
from kartoteka.events.slots import Slots, passive
from kartoteka.events.syntax import MentionIndex, companions, prep_children

__all__ = ["fill_roles"]

_QUANTIFIERS = frozenset(
    "those these all some many several both four five six three two "
    "seven eight nine ten others".split()
)
# slots through which a place is where it happened, not who took part
_PLACE_SLOTS = frozenset({"compound", "from", "in", "at", "near", "outside"})
_SLOT_RANK = {"to": 0, "from": 2}


def _slot_table(trig: Trigger, slots: Slots, onto: Ontology) -> dict[str, str]:
    table = dict(onto.roles_for(trig, slots.noun))
    if (
        slots.noun
        and table.get("poss") == table.get("of") == "patient"
        and "of" in slots.tokens
        and "poss" in slots.tokens
    ):
        table["poss"] = "agent"  # "the dictator's murder of his generals"
    return table


def fill_roles(
    trig: Trigger, tok: Token, slots: Slots, index: MentionIndex, onto: Ontology
) -> tuple[dict[str, list[int]], int | None]:
    """(role → mention indices, place mention index) of one trigger."""
    table = _slot_table(trig, slots, onto)
    roles: dict[str, list[int]] = {}
    reflexive: set[int] = set()  # names a reflexive pronoun gives a second role
    place = None
    slot_tokens = dict(slots.tokens)
    claim_vals = next((c.values for c in trig.requires if c.kind == "claim"), None)
    if claim_vals:
        slot_tokens["claim"] = [t for t in slots.claim_subjects(claim_vals) if t.i != tok.i]
    # patients first, so that a name reached through two slots stays the patient; a place
    # gone to before a place come from
    order = sorted(slot_tokens, key=lambda s: (table.get(s) != "patient", _SLOT_RANK.get(s, 1)))
    for slot in order:
        role = table.get(slot)
        if role is None:
            continue
        for filler in slot_tokens[slot]:
            for mi in _fillers(filler, tok, index):
                r = role
                if index.mentions[mi].type == "PLACE" and (slot in _PLACE_SLOTS or r == "place"):
                    r = "place"  # "the third Moscow trial", "a letter from Perpignan"
                if r == "place":
                    if index.mentions[mi].type == "PLACE" and place is None:
                        place = mi
                    continue
                # a name plays one role, unless the text says so: "Sorin accused himself"
                if filler.lower_.endswith("self"):
                    reflexive.add(mi)
                if mi in reflexive or not any(mi in v for v in roles.values()):
                    if mi not in roles.get(r, []):
                        roles.setdefault(r, []).append(mi)
    if not slots.noun:
        _join_with(tok, slots, table, roles, index)
    if place is None and table.get("in") == "place":
        place = _place_on_date(tok, index)
    return {r: v for r, v in roles.items() if v}, place


def _place_on_date(tok: Token, index: MentionIndex) -> int | None:
    """ "born ... on February 23, 1904, in Nowy Targ": a place the parse hung on the date
    phrase of the trigger is where it happened."""
    for _, obj in prep_children(tok):
        for prep, inner in prep_children(obj):
            if prep in ("in", "at", "near"):
                for mi in index.mentions_of(inner, conj=False):
                    if index.mentions[mi].type == "PLACE":
                        return mi
    return None


def _fillers(filler: Token, tok: Token, index: MentionIndex) -> list[int]:
    mids = index.mentions_of(filler)
    if not mids and filler.lower_ in _QUANTIFIERS | {"who"}:
        mids = _enumerated_after_colon(tok, index)
    return mids


def _join_with(
    tok: Token, slots: Slots, table: dict[str, str], roles: dict[str, list[int]], index
) -> None:
    """ "Kandelaki, with his deputy Fridrikhson, visited": a "with" before the verb joins the
    subject; in a passive clause the subject is the patient ("Together with him were
    arrested ...")."""
    subj_role = table.get("obj" if passive(tok) else "subj")
    if not subj_role or subj_role == "place":
        return
    withs = [(p, o) for p, o in prep_children(tok) if o.i < tok.i]
    for subj in slots.tokens.get("subj", []):
        withs += [(p, o) for p, o in prep_children(subj)]
    joined = [o for p, o in withs if p == "with" and o.i < tok.i] + companions(tok)
    if passive(tok) and table.get("with") is None:
        # "was arrested with his deputy Orin": with no other side to the act, one named
        # with the patient underwent it too
        joined += [
            o
            for p, o in prep_children(tok)
            if p == "with"
            and o.i > tok.i
            and any(index.mentions[mi].type == "PER" for mi in index.mentions_of(o))
        ]
    for obj in joined:
        for mi in index.mentions_of(obj):
            for r in list(roles):
                if mi in roles[r] and r != subj_role:
                    roles[r].remove(mi)
            if mi not in roles.setdefault(subj_role, []):
                roles[subj_role].append(mi)


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
