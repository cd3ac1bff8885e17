"""Candidate pairs of units with a score and the features that made it.

Two passes, both linear in the number of units up to block size:
- within a document: name parts and titles, first names, variant spellings, and, for the
  garbles of machine translation, the same rare first name or a near spelling in the same role;
- across documents: units sharing a blocking key (a phonetic key of the surname, a known
  organization, an acronym, a normalized name) are compared, identical names linked in a star
  rather than all pairs.
Scores are on one scale: >= ResolveConfig.merge_threshold merges, a band below suggests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kartoteka.resolve.context import overlap
from kartoteka.resolve.features import Facts
from kartoteka.resolve.model import (
    ACRONYM,
    FIRST_NAME,
    GARBLED_SURNAME,
    KNOWN_ORGANIZATION,
    KNOWN_ORGANIZATION_IN_CONTEXT,
    NAME_PARTS,
    NEAR_SPELLING,
    OCR_VARIANT,
    QUALIFIED_PLACE,
    SAME_FIRST_NAME,
    SAME_NAME,
    SHORTENED_NAME,
    STATED,
    TRANSLATED_SURNAME,
    VARIANT_SPELLING,
    Rule,
)
from kartoteka.resolve.names import (
    acronym,
    edit_distance,
    gendered_pair,
    given_compatible,
    given_groups,
    givens_compatible,
    is_common_given,
    is_known_given,
    keys_match,
    ocr_confusion,
    org_norm,
    phonetic_keys,
    qualified_place,
    similarity,
    translated_surname,
)
from kartoteka.resolve.types import ResolveConfig, StatedLinkRecord
from kartoteka.resolve.units import Unit


@dataclass(slots=True)
class Pair:
    score: float
    left: int  # unit ids
    right: int
    #: read only: pairs with the very same features share one dict (`scored`)
    features: dict
    #: what found it: "document", "star", "block", "acronym" or "stated" (`core`,
    #: `across_documents`; `kartoteka.graph_changes` replaces what a name's new hub changes)
    origin: str = ""


def scored(rule: Rule, a: Unit, b: Unit, facts: Facts, **evidence) -> Pair:
    """A pair scored by `rule` (kartoteka.resolve.model); its features name the rule, what
    the candidate search saw (`evidence`) and every feature that fired."""
    score, fired = rule.score(a, b, facts)
    details = {"rule": rule.name, "same_document": facts.same_document, **evidence}
    details = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in details.items()}
    details["fired"] = fired
    return Pair(score, a.id, b.id, _shared(details))


def _shared(details: dict) -> dict:
    """One dict for all the pairs whose features are these: in a large corpus most pairs
    have one of a few thousand (two identical names, two equal surnames, ...), and a dict
    each was a third of resolution's memory. Features holding a list are left alone."""
    try:
        key = tuple(
            (k, type(v), tuple(v.items()) if isinstance(v, dict) else v) for k, v in details.items()
        )
        hash(key)
    except TypeError:
        return details
    return _features(key)


@lru_cache(maxsize=8192)
def _features(key: tuple) -> dict:
    return {k: dict(v) if t is dict else v for k, t, v in key}


def forget_shared_features() -> None:
    """Drop the shared feature dicts (resolve() does when it ends: nothing is kept between
    runs; a dict already handed out stays as it is)."""
    _features.cache_clear()


# person names -----------------------------------------------------------------------------


def _surname_relation(a: Unit, b: Unit) -> tuple[str | None, float]:
    """How two surnames relate: ("equal" | "phonetic" | "ruler" | None, Jaro-Winkler)."""
    pa, pb = a.person, b.person
    if pa is None or pb is None:
        return None, 0.0
    sa, sb = pa.surname_word, pb.surname_word
    if not sa or not sb:
        return None, 0.0
    if pa.ordinal and pb.ordinal:
        if pa.ordinal != pb.ordinal:
            return None, 0.0  # Frederick II / Frederick III
        if sa != sb and given_compatible(sa, sb) is not None:
            return "ruler", similarity(sa, sb)  # Nicholas II / Nikolai II
    if sa == sb or pa.surname == pb.surname:
        return "equal", 1.0
    jw = similarity(sa, sb)
    if gendered_pair(sa, sb):
        return None, jw
    if a.keys & b.keys:
        return "phonetic", jw
    return None, jw


def person_facts(a: Unit, b: Unit, same_doc: bool) -> Facts | None:
    """What the name parts of two person units say, or None when they cannot be one person
    (unrelated surnames, incompatible first names)."""
    relation, jw = _surname_relation(a, b)
    if relation is None or a.person is None or b.person is None:
        return None
    givens = givens_compatible(a.person.given, b.person.given)
    if givens is None:
        return None
    # the longest shared key, the same one whatever the order of the set (ties by text)
    key = max(a.keys & b.keys, key=lambda k: (len(k), k)) if relation == "phonetic" else ""
    return Facts(
        same_document=same_doc, relation=relation, jaro_winkler=jw, given=givens, phonetic_key=key
    )


def person_pair(a: Unit, b: Unit, same_doc: bool) -> Pair | None:
    """Two person names scored by their parts (the name-parts rule)."""
    facts = person_facts(a, b, same_doc)
    if facts is None:
        return None
    evidence: dict = {"surname": facts.relation, "jaro_winkler": facts.jaro_winkler}
    evidence["given"] = facts.given
    if facts.phonetic_key:
        evidence["phonetic_key"] = facts.phonetic_key
    return scored(NAME_PARTS, a, b, facts, **evidence)


@dataclass
class _Document:
    """The person units of one document, indexed the ways the rules look them up."""

    people: list[Unit]
    by_surname: dict[str, list[Unit]]
    by_key: dict[str, list[Unit]]
    by_given: dict[str, list[Unit]]
    ambiguous_cache: dict[str, bool]

    @classmethod
    def of(cls, units: list[Unit]) -> _Document:
        people = [u for u in units if u.type == "PER" and u.person and u.person.surname]
        doc = cls(people, defaultdict(list), defaultdict(list), defaultdict(list), {})
        for u in people:
            assert u.person is not None
            doc.by_surname[u.person.surname_word].append(u)
            for k in u.keys:
                doc.by_key[k].append(u)
            first = u.person.first
            if not u.person.bare and first and len(first) > 1:
                doc.by_given[first].append(u)
        return doc

    def ambiguous(self, surname: str) -> bool:
        """Do two people with different first names (or sexes) share this surname here? A
        full name counts as another person's when its first word looks like a given name
        (listed, an initial, or used more than once): "Staliif Trotsky", a headline run into
        an OCR'd column, does not make the bare "Trotsky" ambiguous."""
        if surname not in self.ambiguous_cache:
            holders = self.by_surname.get(surname, [])
            fulls = {
                u.person.given
                for u in holders
                if u.person
                and not u.person.bare
                and u.person.first
                and (is_known_given(u.person.first) or len(u.person.first) == 1 or u.count > 1)
            }
            genders = {u.gender for u in holders if u.gender}
            self.ambiguous_cache[surname] = len(genders) > 1 or any(
                givens_compatible(x, y) is None for x in fulls for y in fulls
            )
        return self.ambiguous_cache[surname]


def within_document_persons(units: list[Unit]) -> Iterable[Pair]:
    """Pairs of person units in one document, rule by rule (kartoteka.resolve.model)."""
    doc = _Document.of(units)
    yield from _name_part_pairs(doc)
    yield from _first_name_pairs(doc)
    yield from _alias_cue_pairs(doc)
    yield from _same_first_name_pairs(doc)
    yield from _translated_surname_pairs(doc)
    yield from _look_alike_pairs(doc)


def _translated_surname_pairs(doc: _Document) -> Iterable[Pair]:
    """Two full names with one first name whose surnames are a word and its machine
    translation ("Arnold Deutsch" / "Arnold German")."""
    for first, holders in doc.by_given.items():
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                assert a.person is not None and b.person is not None
                sa, sb = a.person.surname_word, b.person.surname_word
                if translated_surname(sa, sb) and not a.shares_sentence(b):
                    facts = Facts(relation="translated")
                    yield scored(TRANSLATED_SURNAME, a, b, facts, given=first, surnames=[sa, sb])


def _name_part_pairs(doc: _Document) -> Iterable[Pair]:
    """Names sharing a surname or its phonetic key."""
    seen: set[tuple[int, int]] = set()
    for block in list(doc.by_key.values()) + list(doc.by_surname.values()):
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if (a.id, b.id) in seen or a.id == b.id:
                    continue
                seen.add((a.id, b.id))
                facts = person_facts(a, b, True)
                if facts is None:
                    continue
                # a bare surname shared by two people with different first names
                loose = [x for x in (a, b) if x.person and x.person.bare and not x.gender]
                if loose and loose[0].person and doc.ambiguous(loose[0].person.surname_word):
                    facts.ambiguous = True
                evidence: dict = {"surname": facts.relation, "jaro_winkler": facts.jaro_winkler}
                evidence["given"] = facts.given
                if facts.phonetic_key:
                    evidence["phonetic_key"] = facts.phonetic_key
                if facts.ambiguous:
                    evidence["ambiguous"] = "several people share this surname"
                yield scored(NAME_PARTS, a, b, facts, **evidence)


def _first_name_pairs(doc: _Document) -> Iterable[Pair]:
    """A bare first name standing for the one person in the document who has it ("Walter"),
    or a pet form of it ("Lizzy" for Elizabeth Bennet)."""
    full_surnames = {
        s
        for s, holders in doc.by_surname.items()
        if any(not x.person.bare for x in holders if x.person)
    }
    by_group: dict[int, list[Unit]] = defaultdict(list)
    for first, holders_ in doc.by_given.items():
        for group in given_groups(first):
            by_group[group].extend(holders_)
    for u in doc.people:
        assert u.person is not None
        token = u.person.surname_word
        if not u.person.bare or token in full_surnames or u.person.ordinal:
            continue
        holders = [(f, "equal") for f in doc.by_given.get(token, [])]
        if not holders:
            holders = [(f, "variant") for g in given_groups(token) for f in by_group[g]]
        holders = [
            (f, why)
            for f, why in holders
            if f.person
            and not f.person.bare
            and not (f.gender and u.gender and f.gender != u.gender)
        ]
        if len({f.person.surname_word for f, _ in holders if f.person}) != 1:
            continue
        for f, why in {f.id: (f, why) for f, why in holders}.values():
            facts = Facts(first_name=token, first_name_match=why)
            yield scored(FIRST_NAME, u, f, facts, given=token, first_name=why)


def _alias_cue_pairs(doc: _Document) -> Iterable[Pair]:
    """ "Reiss, alias Ludwig" read from the mention's sentence, for callers that give
    resolve() no stated links (the pipeline gives them, found by kartoteka.nlp.identity)."""
    by_name: dict[str, list[Unit]] = defaultdict(list)
    for u in doc.people:
        by_name[u.name].append(u)
    for u in doc.people:
        for named in u.aliases_named:
            found = by_name.get(named, []) or [
                x for x in doc.people if x.name.startswith(named) or named.startswith(x.name + " ")
            ]
            for v in found:
                if v.id != u.id:
                    yield scored(STATED, u, v, Facts(cue="alias"), cue="alias", alias=named)


def _same_first_name_pairs(doc: _Document) -> Iterable[Pair]:
    """The same rare first name with two unrelated surnames: a garbled surname (machine
    translation renders one person's surname two ways), when the two never stand in one
    sentence and no third surname shares the first name."""
    for first, holders in doc.by_given.items():
        surnames_here = {h.person.surname_word for h in holders if h.person}
        if len(surnames_here) != 2 or not is_known_given(first):
            continue  # "Compare Heeren" / "Compare Cicero": not a first name
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                assert a.person is not None and b.person is not None
                sa, sb = a.person.surname_word, b.person.surname_word
                if sa == sb or keys_match(sa, sb) or gendered_pair(sa, sb):
                    continue  # the name-parts rule has it, or a couple
                if a.shares_sentence(b):
                    continue  # named side by side: two people
                lone = [
                    u
                    for u in (a, b)
                    if u.person
                    and not any(
                        x.person.bare
                        for x in doc.by_surname.get(u.person.surname_word, [])
                        if x.person
                    )
                ]
                facts = Facts(
                    first_name=first,
                    surname_never_alone=bool(lone),
                    context_overlap=overlap(a.context, b.context),
                )
                yield scored(
                    SAME_FIRST_NAME, a, b, facts, given=first, context_overlap=facts.context_overlap
                )


#: More people with one initial in a document than this, and a near spelling is only suggested.
CROWDED_BLOCK = 25


def _look_alike_pairs(doc: _Document) -> Iterable[Pair]:
    """Look-alike surnames: a near spelling in the same role (MT garbles: "Yerev" for
    "Yezhov") and a letter misread by OCR ("Jdckson" for "Jackson")."""
    by_initial: dict[str, list[Unit]] = defaultdict(list)
    for u in doc.people:
        if u.person and len(u.person.surname_word) >= 4:
            by_initial[u.person.surname_word[0]].append(u)
    for block in by_initial.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                pair = _ocr_variant(a, b) or _near_spelling(a, b, len(block) > CROWDED_BLOCK)
                if pair is not None:
                    yield pair


def _ocr_variant(a: Unit, b: Unit) -> Pair | None:
    assert a.person is not None and b.person is not None
    sa, sb = a.person.surname_word, b.person.surname_word
    if sa == sb or min(len(sa), len(sb)) < 5 or a.shares_sentence(b):
        return None
    if sorted((a.count, b.count))[0] != 1 or max(a.count, b.count) < 2:
        return None  # a misreading is the odd one out
    if givens_compatible(a.person.given, b.person.given) is None:
        return None
    confusion = ocr_confusion(sa, sb)
    if not confusion:
        return None
    facts = Facts(ocr_confusion=confusion)
    return scored(OCR_VARIANT, a, b, facts, ocr_confusion=confusion)


def _near_spelling(a: Unit, b: Unit, crowded: bool) -> Pair | None:
    assert a.person is not None and b.person is not None
    sa, sb = a.person.surname_word, b.person.surname_word
    if sa == sb or (a.keys & b.keys) or gendered_pair(sa, sb):
        return None
    if not (a.person.bare or b.person.bare):
        return None
    if givens_compatible(a.person.given, b.person.given) is None:
        return None
    jw = similarity(sa, sb)
    if jw < 0.72 or a.shares_sentence(b):
        return None
    roles = sorted(r for r in a.roles if r in b.roles)
    if not roles:
        # a look-alike spelling with common context words says nothing: in a book,
        # Domitian and Diocletian share plenty of both
        return None
    dist = edit_distance(sa, sb)
    prefix = _common_prefix(sa, sb)
    if prefix < 2 or dist > 3 or dist * 2 > max(len(sa), len(sb)):
        return None  # a garble keeps the start and most of the letters
    facts = Facts(
        jaro_winkler=jw,
        context_overlap=overlap(a.context, b.context),
        shared_roles=roles,
        crowded=crowded,
    )
    return scored(
        NEAR_SPELLING,
        a,
        b,
        facts,
        jaro_winkler=jw,
        edit_distance=dist,
        common_prefix=prefix,
        context_overlap=facts.context_overlap,
        shared_roles=roles,
    )


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


# organizations and places -----------------------------------------------------------------


def within_document_orgs(units: list[Unit]) -> Iterable[Pair]:
    """A weak name (Ministry of the Interior) joins the known organization the document
    names outright (NKVD); an acronym joins its spelled-out form; a shortened name the one
    longer name it ends."""
    orgs = [u for u in units if u.type in ("ORG", "PLACE")]
    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in orgs:
        if u.group:
            groups[u.group].append(u)
    for u in orgs:
        if u.group or not u.weak_groups:
            continue
        present = [g for g in u.weak_groups if g in groups]
        facts = Facts(relation="context", candidates=len(present))
        for g in present:
            for v in groups[g]:
                evidence: dict = {"organization": g}
                if len(present) > 1:
                    evidence["ambiguous"] = present
                yield scored(KNOWN_ORGANIZATION_IN_CONTEXT, u, v, facts, **evidence)
    yield from _acronym_pairs(orgs, True)
    yield from _shortened_names(orgs)
    yield from _qualified_places(orgs)


def _qualified_places(orgs: list[Unit]) -> Iterable[Pair]:
    """ "Vichy France" in a document that names France: the place under a qualifier."""
    places = defaultdict(list)
    for u in orgs:
        if u.type == "PLACE":
            places[u.norm].append(u)
    for u in orgs:
        place = qualified_place(u.name)
        for v in places.get(org_norm(place), []) if place else []:
            yield scored(QUALIFIED_PLACE, u, v, Facts(relation="qualified"), place=place)


def _shortened_names(orgs: list[Unit]) -> Iterable[Pair]:
    """ "the High Command" after "the German High Command": a shorter name that ends the one
    longer name of the document. Two longer candidates (German and Soviet High Command), or a
    single word ("the Army"), are only suggested."""
    by_last: dict[str, list[Unit]] = defaultdict(list)
    for u in orgs:
        words = u.norm.split()
        if words:
            by_last[words[-1]].append(u)
    for u in orgs:
        words = u.norm.split()
        if not words or u.group:
            continue
        longer = [
            v
            for v in by_last[words[-1]]
            if v.type == u.type and len(v.norm) > len(u.norm) and v.norm.endswith(" " + u.norm)
        ]
        facts = Facts(relation="shortened", candidates=len(longer))
        for v in longer:
            yield scored(SHORTENED_NAME, u, v, facts, candidates=len(longer))


def _acronym_pairs(orgs: list[Unit], same_doc: bool) -> Iterable[Pair]:
    short = defaultdict(list)
    for u in orgs:
        if u.type == "ORG" and " " not in u.norm and u.name.replace(".", "").isupper():
            short[u.norm].append(u)
    if not short:
        return
    for u in orgs:
        if u.type != "ORG":
            continue
        acr = acronym(u.name)
        if acr and acr in short:
            for v in short[acr]:
                if v.doc == u.doc or not same_doc:
                    facts = Facts(same_document=same_doc, relation="acronym")
                    yield scored(ACRONYM, u, v, facts, acronym=acr)


def org_pair(a: Unit, b: Unit) -> Pair | None:
    """Two organization or place names from different documents (not identical)."""
    same_doc = a.doc == b.doc
    if a.group and a.group == b.group:
        facts = Facts(same_document=same_doc, relation="group")
        return scored(KNOWN_ORGANIZATION, a, b, facts, organization=a.group)
    if a.group and b.group:
        return None
    wa, wb = a.norm.split(), b.norm.split()
    if len(wa) != len(wb) or not wa or a.type != b.type:
        return None
    for x, y in zip(wa, wb):
        if x != y and not (keys_match(x, y) and similarity(x, y) >= 0.85):
            return None
    jw = similarity(a.norm, b.norm)
    facts = Facts(same_document=same_doc, relation="variant", jaro_winkler=jw)
    return scored(VARIANT_SPELLING, a, b, facts, jaro_winkler=jw)


# what the texts state ---------------------------------------------------------------------


def stated_pairs(units: list[Unit], links: Iterable[StatedLinkRecord]) -> Iterable[Pair]:
    """The units two mentions a stated link joins ("Reiss, alias Ludwig"): above any
    likeness of spelling, with the passage that states it."""
    unit_of = {m: u for u in units for m in u.mention_ids}
    for link in links:
        a, b = unit_of.get(link.head), unit_of.get(link.alias)
        if a is None or b is None or a.id == b.id:
            continue
        facts = Facts(cue=link.cue)
        yield scored(STATED, a, b, facts, cue=link.cue, passage=[link.doc, link.start, link.end])


# across documents -------------------------------------------------------------------------


def signature(u: Unit) -> tuple[str, str]:
    """Units with one signature are the same name: linked without comparing all pairs."""
    return ("PER" if u.type == "PER" else "NAME", u.norm)


def garbled_full_name_pair(a: Unit, b: Unit, names: dict[str, set[str]]) -> Pair | None:
    """ "Gertruda Hildebach" in one source, "Gertrude Schildbach" in another: the same first
    name (or a variant), not a common one, and surnames a letter or two apart. Counts only with
    the company the two documents share."""
    pa, pb = a.person, b.person
    if pa is None or pb is None or not pa.first:
        return None
    why = givens_compatible(pa.given, pb.given)
    if why not in ("equal", "variant", "phonetic") or is_common_given(pa.first):
        return None
    sa, sb = pa.surname_word, pb.surname_word
    if gendered_pair(sa, sb):
        return None
    jw = similarity(sa, sb)
    if jw < 0.85:
        return None
    shared = sorted((names.get(a.doc, set()) & names.get(b.doc, set())) - {sa, sb})
    facts = Facts(
        same_document=a.doc == b.doc, relation="garbled", jaro_winkler=jw, shared_co_mentions=shared
    )
    return scored(
        GARBLED_SURNAME,
        a,
        b,
        facts,
        given=why,
        jaro_winkler=jw,
        edit_distance=edit_distance(sa, sb),
        shared_co_mentions=shared[:5],
    )


def document_names(units: list[Unit]) -> dict[str, set[str]]:
    """Per document, the names it mentions (surnames, organization and place names): what
    two documents share says whether their look-alike names are about the same people."""
    names: dict[str, set[str]] = defaultdict(set)
    for u in units:
        if u.is_authority:
            continue
        if u.type == "PER" and u.person and u.person.surname_word:
            names[u.doc].add(u.person.surname_word)
        elif u.norm:
            names[u.doc].add(u.group or u.norm)
    return names


def _with_co_mentions(a: Unit, b: Unit, names: dict[str, set[str]]) -> Pair | None:
    """A cross-document person pair, raised by the names both documents mention besides
    these two (company_shared_across_documents)."""
    facts = person_facts(a, b, a.doc == b.doc)
    if facts is None:
        return None
    assert a.person is not None and b.person is not None
    own = {a.person.surname_word, b.person.surname_word}
    facts.shared_co_mentions = sorted((names.get(a.doc, set()) & names.get(b.doc, set())) - own)
    evidence: dict = {"surname": facts.relation, "jaro_winkler": facts.jaro_winkler}
    evidence["given"] = facts.given
    if facts.phonetic_key:
        evidence["phonetic_key"] = facts.phonetic_key
    if facts.shared_co_mentions:
        evidence["shared_co_mentions"] = facts.shared_co_mentions[:5]
    return scored(NAME_PARTS, a, b, facts, **evidence)


def across_documents(units: list[Unit], config: ResolveConfig) -> Iterable[Pair]:
    """Pairs across documents: identical names in a star around their most used unit, then
    distinct names inside blocks (a phonetic key of the surname, a ruler's name, a first name
    with a surname ending, a known organization, the last word's key), each capped at
    `config.max_block` names so the cost stays linear.

    What a pair gets does not depend on the order the units come in beyond their ids: a pair
    is scored the strict way when the two share any block but the loose garbled-surname
    ones, and is oriented by id. So the pairs a new document brings can be found from its
    names and the blocks they fall in (`kartoteka.graph_changes`), without the corpus."""
    names = document_names(units)
    reps: list[Unit] = []
    for pair in _same_name_stars(units, reps):
        pair.origin = "star"
        yield pair
    seen: set[tuple[int, int]] = set()
    blocks = _blocks(reps)
    for key in sorted(blocks, key=lambda k: k[0] == "F"):  # the loose blocks last
        block = compared(blocks[key], key, config)
        if len(block) < 2:
            continue
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                pid = (min(a.id, b.id), max(a.id, b.id))
                if pid in seen or not comparable(a, b):
                    continue
                seen.add(pid)
                left, right = (a, b) if a.id < b.id else (b, a)
                found = block_pair(left, right, key[0] == "F", names)
                if found is not None:
                    found.origin = "block"
                    yield found
    for pair in _acronym_pairs([u for u in reps if u.type == "ORG"], False):
        pair.origin = "acronym"
        yield pair


def compared(block: list[Unit], key: tuple, config: ResolveConfig) -> list[Unit]:
    """The units of a block that are compared: all, or past the cap the most used (the
    garbled-surname blocks, being loose, get a third of the room)."""
    cap = config.max_block // 3 if key[0] == "F" else config.max_block
    if len(block) > cap:
        return sorted(block, key=lambda u: (-u.count, u.id))[:cap]
    return block


def comparable(a: Unit, b: Unit) -> bool:
    """Two units of one block that are compared: not one name (the star links those), and
    not two persons of one document (the person rules decide there, with its context)."""
    return signature(a) != signature(b) and not (a.doc == b.doc and a.type == "PER")


def hub_of(members: list[Unit]) -> Unit:
    """The unit a name's star is drawn around: the most used, an authority's on a tie, then
    the first."""
    best = max((u.count, u.is_authority) for u in members)
    return min((u for u in members if (u.count, u.is_authority) == best), key=lambda u: u.id)


def star_pair(hub: Unit, u: Unit) -> Pair | None:
    """The pair joining a unit to its name's hub, unless it stands apart (another known
    organization by the same name) or in the hub's own document."""
    if u is hub or u.group != hub.group:
        return None
    if u.doc == hub.doc and not (u.is_authority or hub.is_authority):
        return None
    if u.type == "PER":
        return person_pair(hub, u, False)
    return scored(SAME_NAME, hub, u, Facts(same_document=False, relation="identical"))


def same_names(units: Iterable[Unit]) -> dict[tuple[str, str], list[Unit]]:
    """The units (with a name to go by) by their signature: each list is one name."""
    by_signature: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for u in units:
        if u.norm:
            by_signature[signature(u)].append(u)
    return by_signature


def is_representative(u: Unit, hub: Unit) -> bool:
    """Is the unit compared in blocks for its name: the name's hub, or standing apart from
    it (one name, two meanings in two years: "the GPU")?"""
    return u is hub or u.group != hub.group


def representatives(members: list[Unit], hub: Unit) -> list[Unit]:
    """Of one name's units, those compared in blocks, the hub first."""
    return [hub, *(u for u in members if u is not hub and is_representative(u, hub))]


def _same_name_stars(units: list[Unit], reps: list[Unit]) -> Iterable[Pair]:
    """Units with one signature linked to the most used of them (no all-pairs); the hubs,
    and the units standing apart from them, go into `reps` for the blocks."""
    for members in same_names(units).values():
        hub = hub_of(members)
        reps.extend(representatives(members, hub))
        for u in members:
            pair = star_pair(hub, u)
            if pair is not None:
                yield pair


def block_keys(u: Unit) -> list[tuple]:
    """The blocks a representative unit falls in."""
    keys: list[tuple] = []
    if u.type == "PER" and u.person is not None:
        keys.extend(("P", k) for k in u.keys)
        if u.person.ordinal:  # rulers: Nicholas II, Nikolai II
            groups = given_groups(u.person.surname_word) or {u.person.surname_word}
            keys.extend(("R", u.person.ordinal, g) for g in groups)
        first = u.person.first
        if not u.person.bare and first and len(first) > 1 and len(u.person.surname_word) >= 6:
            # same first name, surname ending alike: a garbled surname in another source
            group = min(given_groups(first), default=first)
            keys.append(("F", group, u.person.surname_word[-4:]))
    elif u.type != "PER":
        if u.group:
            keys.append(("G", u.group))
        words = u.norm.split()
        if words:
            keys.extend(("N", len(words), k) for k in phonetic_keys(words[-1]))
    return keys


def _blocks(reps: list[Unit]) -> dict[tuple, list[Unit]]:
    blocks: dict[tuple, list[Unit]] = defaultdict(list)
    for u in reps:
        for key in block_keys(u):
            blocks[key].append(u)
    return blocks


def block_pair(a: Unit, b: Unit, loose: bool, names: dict[str, set[str]]) -> Pair | None:
    if a.type == "PER" and b.type == "PER":
        pair = _with_co_mentions(a, b, names)
        if pair is None and loose:
            pair = garbled_full_name_pair(a, b, names)
        return pair
    if a.type != "PER" and b.type != "PER":
        return org_pair(a, b)
    return None
