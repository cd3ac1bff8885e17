"""Relations of places: what lies where, and where people were born.

Facilities named with their city ("the Soviet Embassy in Berlin", "the Escuela Oranciana in
Barcelona"), seats ("its headquarters in Paris", "based in Paris"), places named with the
place they lie in ("Nowy Targ, Poland", "Moscow (USSR)", "Blumauergasse in Vienna"), and the
encyclopedia birth mark "(* 21 August 1895 in Bobruisk)". Each adds to the relation collector
of `kartoteka.events.relations`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kartoteka.events.syntax import prep_children

if TYPE_CHECKING:
    from kartoteka.events.relations import _Collector

__all__ = ["places", "place_appositions", "born_marks"]


def places(c: _Collector) -> None:
    """Places inside places: facilities named with their place, seats, "based in", "part
    of", bodies said to be somewhere, places in a body's name."""
    _facilities(c)
    _seats(c)
    _parts(c)
    _described(c)
    _bodies_somewhere(c)
    _named_after_place(c)


def _described(c: _Collector) -> None:
    """ "Tallinn, the capital of Estonia", "Lida, a small town in Poland", "Lida is a town in
    Poland": a place described as a town or city of another lies in it."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() not in c.pats.place_nouns or tok.pos_ != "NOUN":
            continue
        if tok.dep_ == "appos":
            inner = idx.mentions_of(tok.head, conj=False)
        elif tok.dep_ == "attr" and tok.head.lemma_ == "be":
            subj = next((ch for ch in tok.head.children if ch.dep_ == "nsubj"), None)
            inner = idx.mentions_of(subj, conj=False) if subj is not None else []
        else:
            continue
        outer = [
            mi
            for p, o in prep_children(tok)
            if p in ("in", "of")
            for mi in idx.mentions_of(o, conj=False)
        ]
        for s in inner:
            for o in outer:
                if idx.mentions[s].type == "PLACE" and idx.mentions[o].type == "PLACE":
                    c.add(s, "LOCATED_IN", o, tok, "described-place")


def _parts(c: _Collector) -> None:
    """ "Brody (part of Austria-Hungary at that time)", "Memel, then part of Germany": a
    place said to be part of another lies in it."""
    idx = c.index
    for tok in c.doc:
        if tok.lemma_.lower() != "part" or tok.dep_ not in ("appos", "conj", "npadvmod"):
            continue
        inner = [mi for mi in idx.mentions_of(tok.head, conj=False)]
        outer = [mi for p, o in prep_children(tok) if p == "of" for mi in idx.mentions_of(o)]
        for s in inner:
            for o in outer:
                if idx.mentions[s].type == "PLACE" and idx.mentions[o].type == "PLACE":
                    c.add(s, "LOCATED_IN", o, tok, "part-of")


def _bodies_somewhere(c: _Collector) -> None:
    """ "The Oxford Circle was a group of informers in the United Kingdom": a body said to
    be a group, ring or network in a place is there."""
    idx = c.index
    for tok in c.doc:
        if (
            tok.dep_ != "attr"
            or tok.head.lemma_ != "be"
            or tok.lemma_.lower() not in c.pats.group_nouns
        ):
            continue
        subj = next((ch for ch in tok.head.children if ch.dep_ == "nsubj"), None)
        bodies = (
            [mi for mi in idx.mentions_of(subj) if idx.mentions[mi].type == "ORG"]
            if subj is not None
            else []
        )
        for p, o in prep_children(tok):
            if p != "in":
                continue
            for where in idx.mentions_of(o, conj=False):
                for b in bodies:
                    c.add(b, "LOCATED_IN", where, tok, "body-in")


def _named_after_place(c: _Collector) -> None:
    """ "the University of Leipzig", "the Bank of England": a facility named after a place
    the text names lies in it."""
    idx = c.index
    places: dict[str, int] = {}
    for mi, m in enumerate(idx.mentions):
        if m.type == "PLACE":
            places.setdefault(m.name, mi)
    for mi, m in enumerate(idx.mentions):
        head, sep, tail = m.name.partition(" of ")
        if m.type != "ORG" or not sep or not head.split():
            continue
        if head.split()[-1].lower() in c.pats.facility_nouns and tail in places:
            toks = idx.tokens_of.get(mi)
            if toks:
                c.add(mi, "LOCATED_IN", places[tail], c.doc[toks[0]], "named-after-place")


def _facility_head(c: _Collector, toks: list[int]) -> Token | None:
    """The word a place phrase hangs on: the name's last word when the name is that of a
    facility or a place ("the Escuela Oranciana", "Blumauergasse"), or the facility noun
    after it ("the Belarus station")."""
    doc = c.doc
    words = {doc[t].lemma_.lower() for t in toks} | {doc[t].lower_ for t in toks}
    last = doc[toks[-1]]
    if words & c.pats.facility_nouns:
        return last
    nxt = doc[toks[-1] + 1] if toks[-1] + 1 < len(doc) else None
    if nxt is not None and nxt.lemma_.lower() in c.pats.legation_nouns:
        return None  # "the US embassy in Saigon" is the United States' mission there
    if nxt is not None and nxt.lemma_.lower() in c.pats.facility_nouns and last.head.i == nxt.i:
        return nxt
    return None


def _facilities(c: _Collector) -> None:
    """ "the Soviet Embassy in Berlin" (as one name or two), "the Belarus station in Moscow",
    "the Escuela Oranciana in Barcelona", "Blumauergasse in Vienna"."""
    idx = c.index
    by_text: dict[str, int] = {}
    for mi, m in enumerate(idx.mentions):
        if m.type == "PLACE":
            by_text.setdefault(m.text.removeprefix("the ").removeprefix("The "), mi)
    for mi, m in enumerate(idx.mentions):
        toks = idx.tokens_of.get(mi)
        if not toks or m.type not in ("ORG", "PLACE"):
            continue
        if " in " in m.text and m.text.split()[0].lower() != "in":
            head_part, _, tail = m.text.rpartition(" in ")
            if head_part.split()[-1].lower() in c.pats.facility_nouns:
                target = by_text.get(tail.removeprefix("the "))
                if target is not None:
                    c.add(mi, "LOCATED_IN", target, c.doc[toks[0]], "facility-in-name")
                    continue
        head = _facility_head(c, toks)
        if head is None and m.type == "PLACE":
            nxt = c.doc[toks[-1] + 1] if toks[-1] + 1 < len(c.doc) else None
            if nxt is not None and nxt.lower_ in ("in", "at"):
                head = nxt.head  # "Blumauergasse in Vienna": right after the name
                for o in idx.mentions_of(_pobj(nxt), conj=False) if _pobj(nxt) is not None else []:
                    c.add(mi, "LOCATED_IN", o, nxt, "place-in")
                continue
        if head is None:
            continue
        found = [
            o
            for prep, obj in prep_children(head)
            if prep in ("in", "at")
            for o in idx.mentions_of(obj, conj=False)
        ]
        nxt = c.doc[toks[-1] + 1] if toks[-1] + 1 < len(c.doc) else None
        if not found and nxt is not None and nxt.lower_ in ("in", "at") and _pobj(nxt) is not None:
            # "taken to Lubyanka Prison in Moscow": the parse hung the place on the verb, but
            # it follows the facility's name
            found = idx.mentions_of(_pobj(nxt), conj=False)
        for o in found:
            c.add(mi, "LOCATED_IN", o, head, "facility-in")


def _pobj(prep: Token) -> Token | None:
    return next((ch for ch in prep.children if ch.dep_ == "pobj"), None)


def _seats(c: _Collector) -> None:
    """ "with its main body in Paris", "its headquarters in Berlin", "based in Paris"."""
    idx = c.index
    for tok in c.doc:
        low = tok.lemma_.lower()
        if low in c.pats.seat_nouns and tok.pos_ in ("NOUN", "PROPN"):  # "based" is no base
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
            wheres = [
                o
                for p, obj in prep_children(tok)
                if p in ("in", "at")
                for o in idx.mentions_of(obj, conj=False)
            ]
            # "the Paris-based Liga": the place compounded on the participle
            wheres += [
                o
                for ch in tok.children
                if ch.dep_ in ("npadvmod", "compound") and ch.i < tok.i
                for o in idx.mentions_of(ch, conj=False)
                if idx.mentions[o].type == "PLACE"
            ]
            for s in idx.mentions_of(owner, conj=False):
                for o in wheres:
                    c.add(s, "LOCATED_IN", o, tok, "located-verb")


def _next_place(c: _Collector, after: int, limit: int = 3) -> tuple[int, int] | None:
    """(mention, first token) of a place named right after token `after`, past a comma, an
    opening bracket or "in": "Vienna, Austria", "Moscow (USSR)", "Vendrell (in Tarragona)"."""
    doc, idx = c.doc, c.index
    seen_sep = False
    for t in doc[after + 1 : after + 1 + limit]:
        if t.text in (",", "(") or (t.lower_ == "in" and seen_sep):
            seen_sep = True
            continue
        mi = idx.by_token.get(t.i)
        if seen_sep and mi is not None and idx.mentions[mi].type == "PLACE":
            return mi, t.i
        return None
    return None


def _in_a_list(c: _Collector, first: int, last_tok: int) -> bool:
    """ "Greece, Romania, Syria and Palestine": places listed, not one inside the other. A
    place before the pair, or "and"/"or" and another place after it, make a list."""
    doc, idx = c.doc, c.index
    before = [t for t in doc[max(0, first - 3) : first] if not t.is_space]
    if (
        before
        and before[-1].text == ","
        and any(
            idx.by_token.get(t.i) is not None and idx.mentions[idx.by_token[t.i]].type == "PLACE"
            for t in before[:-1]
        )
    ):
        return True
    after = [t for t in doc[last_tok + 1 : last_tok + 5] if not t.is_space]

    def place_at(k: int) -> bool:
        mi = idx.by_token.get(after[k].i) if k < len(after) else None
        return mi is not None and idx.mentions[mi].type == "PLACE"

    words = [t.lower_ for t in after]
    # "..., Syria and Palestine", "..., Syria, and Palestine", "..., Syria, Palestine"
    return (
        (words[:1] in (["and"], ["or"]) and (place_at(1) or place_at(2)))
        or (words[:1] == [","] and words[1:2] in (["and"], ["or"]) and (place_at(2) or place_at(3)))
        or (words[:1] == [","] and (place_at(1) or (words[1:2] == ["the"] and place_at(2))))
    )


def place_appositions(c: _Collector) -> None:
    """ "Nowy Targ, Poland", "Moscow (USSR)", "Vendrell (in Tarragona)", "Blumauergasse in
    Vienna": a place named with the place it lies in."""
    idx = c.index
    for mi, m in enumerate(idx.mentions):
        toks = idx.tokens_of.get(mi)
        if m.type != "PLACE" or not toks:
            continue
        nxt = _next_place(c, toks[-1])
        if nxt is None:
            continue
        outer, first = nxt
        last = idx.tokens_of.get(outer, [first])[-1]
        if _in_a_list(c, toks[0], last) or any(
            c.doc[t].dep_ in ("nsubj", "nsubjpass") for t in idx.tokens_of.get(outer, [first])
        ):
            continue  # "In France, Trepper established ...": a subject after a fronted place
        if _another_name(m.name, idx.mentions[outer].name):
            continue  # "the Democratic Republic of Vietnam (DRV)": one place, two names
        c.add(mi, "LOCATED_IN", outer, c.doc[toks[0]], "place-apposition")


def _another_name(inner: str, outer: str) -> bool:
    """ "Democratic Republic of Vietnam (DRV)", "State of Vietnam (South Vietnam)": the name
    after the place is its acronym or shares a word with it, another name for it."""
    letters = outer.replace(".", "")
    initials = "".join(w[0] for w in inner.split() if w[:1].isupper())
    if letters.isupper() and len(letters) > 1 and letters in initials:
        return True
    long_words = {w for w in inner.split() if len(w) > 3 and w[:1].isupper()}
    return bool(long_words & set(outer.split()))


def born_marks(c: _Collector) -> None:
    """ "Orlov (* 21 August 1895 in Bobruisk; † 25 March 1973 in Cleveland)": in brackets
    after a name, an asterisk marks where the person was born (a dagger where they died)."""
    idx, doc = c.index, c.doc
    for tok in doc:
        if tok.text != "*" or not any(t.text == "(" for t in doc[max(0, tok.i - 40) : tok.i]):
            continue
        place = None
        # "(* 7 November July / 19 November 1891 greg. In Rybinsk; † ...)": the place may
        # come after a date given in two calendars
        for t in doc[tok.i + 1 : tok.i + 16]:
            if t.text in (";", ")", "†"):
                break
            mi = idx.by_token.get(t.i)
            if mi is not None and idx.mentions[mi].type == "PLACE" and doc[t.i - 1].lower_ == "in":
                place = mi
                break
        person = _person_before_bracket(c, tok)
        if place is not None and person is not None:
            c.add(person, "BORN_IN", place, tok, "born-mark")


def _person_before_bracket(c: _Collector, tok: Token) -> int | None:
    """The person named just before the bracket that holds `tok`."""
    doc, idx = c.doc, c.index
    depth, opening = 0, None
    for t in reversed(doc[max(0, tok.i - 60) : tok.i]):  # the bracket still open at `tok`
        if t.text == ")":
            depth += 1
        elif t.text == "(":
            if depth == 0:
                opening = t
                break
            depth -= 1
    if opening is None:
        return None
    for t in reversed(doc[max(0, opening.i - 4) : opening.i]):
        mi = idx.by_token.get(t.i)
        if mi is not None and idx.mentions[mi].type == "PER":
            return mi
    # the name the parse missed before the bracket is often given again inside it
    # ("Orlov (Russian Лев Лазаревич Фельдбин, * 1895 in Bobruisk)")
    for t in doc[opening.i + 1 : tok.i]:
        mi = idx.by_token.get(t.i)
        if mi is not None and idx.mentions[mi].type == "PER":
            return mi
    return None
