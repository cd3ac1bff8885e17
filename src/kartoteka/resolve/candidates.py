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

from kartoteka.resolve.context import overlap
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
    phonetic_keys,
    similarity,
)
from kartoteka.resolve.types import ResolveConfig, StatedLinkRecord
from kartoteka.resolve.units import Unit


@dataclass(slots=True)
class Pair:
    score: float
    left: int  # unit ids
    right: int
    features: dict


def _pair(score: float, a: Unit, b: Unit, **features) -> Pair:
    features = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in features.items()}
    return Pair(round(min(score, 1.0), 4), a.id, b.id, features)


# person names -----------------------------------------------------------------------------


def _surname_relation(a: Unit, b: Unit) -> tuple[str | None, float]:
    """How two surnames relate: ("equal" | "phonetic" | None, Jaro-Winkler)."""
    sa, sb = a.person.surname_word, b.person.surname_word
    if not sa or not sb:
        return None, 0.0
    if a.person.ordinal and b.person.ordinal:
        if a.person.ordinal != b.person.ordinal:
            return None, 0.0  # Frederick II / Frederick III
        if sa != sb and given_compatible(sa, sb) is not None:
            return "ruler", similarity(sa, sb)  # Nicholas II / Nikolai II
    if sa == sb or a.person.surname == b.person.surname:
        return "equal", 1.0
    jw = similarity(sa, sb)
    if gendered_pair(sa, sb):
        return None, jw
    if a.keys & b.keys:
        return "phonetic", jw
    return None, jw


def person_pair(a: Unit, b: Unit, same_doc: bool) -> Pair | None:
    """Score two person names by their parts (not for the context-only rules)."""
    relation, jw = _surname_relation(a, b)
    if relation is None:
        return None
    pa, pb = a.person, b.person
    givens = givens_compatible(pa.given, pb.given)
    if givens is None:
        return None
    features = {"surname": relation, "jaro_winkler": jw, "given": givens, "same_document": same_doc}
    phonetic_bonus = 0.0
    if relation == "phonetic":
        key = max(a.keys & b.keys, key=len)
        features["phonetic_key"] = key
        # a short key is shared by many names (Reiss, Rice): worth less
        phonetic_bonus = 0.05 * jw + (0.04 if len(key) >= 5 else -0.06 if len(key) <= 3 else 0.0)
    if relation == "ruler":
        score = 0.9
    elif not pa.bare and not pb.bare:
        score = 0.97 if relation == "equal" else 0.86 + phonetic_bonus
        if givens == "initial":
            score -= 0.05
    else:
        # a bare surname: as sure as the surname is distinctive
        score = 0.92 if relation == "equal" else 0.80 + phonetic_bonus
        if pa.bare and pb.bare and relation == "equal":
            score = 0.95
    if bool(pa.ordinal) != bool(pb.ordinal):
        # "Charles" may or may not be Charles II: ask
        score = min(score, 0.7)
        features["ordinal"] = pa.ordinal or pb.ordinal
    if not same_doc:
        score -= 0.02
        shared_titles = set(a.titles) & set(b.titles)
        if shared_titles:
            score += 0.02
            features["shared_title"] = sorted(shared_titles)[0]
    return _pair(score, a, b, rule="name-parts", **features)


def within_document_persons(units: list[Unit]) -> Iterable[Pair]:
    """Pairs of person units in one document."""
    people = [u for u in units if u.type == "PER" and u.person and u.person.surname]
    by_surname: dict[str, list[Unit]] = defaultdict(list)
    by_key: dict[str, list[Unit]] = defaultdict(list)
    by_given: dict[str, list[Unit]] = defaultdict(list)
    for u in people:
        by_surname[u.person.surname_word].append(u)
        for k in u.keys:
            by_key[k].append(u)
        if not u.person.bare and len(u.person.first) > 1:
            by_given[u.person.first].append(u)
    set(by_surname)

    ambiguous_cache: dict[str, bool] = {}

    def ambiguous(surname: str) -> bool:
        """Do two people with different first names share this surname here?"""
        if surname not in ambiguous_cache:
            # a full name counts as another person's when its first word looks like a given
            # name (listed, an initial, or used more than once): "Staliif Trotsky", a headline
            # run into an OCR'd column, does not make the bare "Trotsky" ambiguous
            fulls = {
                u.person.given
                for u in by_surname.get(surname, [])
                if not u.person.bare
                and (is_known_given(u.person.first) or len(u.person.first) == 1 or u.count > 1)
            }
            genders = {u.gender for u in by_surname.get(surname, []) if u.gender}
            ambiguous_cache[surname] = len(genders) > 1 or any(
                givens_compatible(x, y) is None for x in fulls for y in fulls
            )
        return ambiguous_cache[surname]

    seen: set[tuple[int, int]] = set()
    for block in list(by_key.values()) + list(by_surname.values()):
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if (a.id, b.id) in seen or a.id == b.id:
                    continue
                seen.add((a.id, b.id))
                pair = person_pair(a, b, True)
                if pair is None:
                    continue
                # a bare surname shared by two people with different first names is ambiguous
                loose = [x for x in (a, b) if x.person.bare and not x.gender]
                if loose and ambiguous(loose[0].person.surname_word):
                    pair.score = min(pair.score, 0.6)
                    pair.features["ambiguous"] = "several people share this surname"
                yield pair

    # a bare first name standing for the one person in the document who has it ("Walter"),
    # or a pet form of it ("Lizzy" for Elizabeth Bennet)
    full_surnames = {
        s for s, units_ in by_surname.items() if any(not x.person.bare for x in units_)
    }
    by_group: dict[int, list[Unit]] = defaultdict(list)
    for first, holders_ in by_given.items():
        for group in given_groups(first):
            by_group[group].extend(holders_)
    for u in people:
        token = u.person.surname_word
        if not u.person.bare or token in full_surnames or u.person.ordinal:
            continue
        holders = [(f, "equal") for f in by_given.get(token, [])]
        if not holders:
            holders = [(f, "variant") for g in given_groups(token) for f in by_group[g]]
        holders = [
            (f, why)
            for f, why in holders
            if not f.person.bare and not (f.gender and u.gender and f.gender != u.gender)
        ]
        if len({f.person.surname_word for f, _ in holders}) == 1:
            # only a word known as a given name: "Roman" in "Roman Hercules" is not one
            known = is_known_given(token)
            common = is_common_given(token)
            score = 0.82 if known and not common else 0.74 if known else 0.6
            for f, why in {f.id: (f, why) for f, why in holders}.values():
                yield _pair(
                    score - (0.02 if why == "variant" else 0.0),
                    u,
                    f,
                    rule="first-name",
                    given=token,
                    first_name=why,
                    known_given=known,
                    common_given=common,
                    same_document=True,
                )

    # "Reiss, alias Ludwig": the text says the two names are one person
    by_name = defaultdict(list)
    for u in people:
        by_name[u.name].append(u)
    for u in people:
        for named in u.aliases_named:
            for v in by_name.get(named, []) or [
                x for x in people if x.name.startswith(named) or named.startswith(x.name + " ")
            ]:
                if v.id != u.id:
                    yield _pair(0.9, u, v, rule="alias-cue", alias=named, same_document=True)

    # the same rare first name with two unrelated surnames: a garbled surname (machine
    # translation renders one person's surname two ways), when one of the surnames never
    # stands alone and no third surname shares the first name
    for first, holders in by_given.items():
        surnames_here = {h.person.surname_word for h in holders}
        if len(surnames_here) != 2 or not is_known_given(first):
            continue  # "Compare Heeren" / "Compare Cicero": not a first name
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                if a.person.surname_word == b.person.surname_word:
                    continue
                if keys_match(a.person.surname_word, b.person.surname_word):
                    continue  # the name-parts rule has it
                if gendered_pair(a.person.surname_word, b.person.surname_word):
                    continue
                if a.sentence_ids & b.sentence_ids:
                    continue  # named side by side: two people
                common = is_common_given(first) or len(first) < 4
                lone = [
                    u
                    for u in (a, b)
                    if not any(x.person.bare for x in by_surname.get(u.person.surname_word, []))
                ]
                ctx = overlap(a.context, b.context)
                score = 0.55 + (0.0 if common else 0.2) + (0.1 if lone else 0.0) + 0.1 * ctx
                yield _pair(
                    score,
                    a,
                    b,
                    rule="same-first-name",
                    given=first,
                    common_given=common,
                    surname_never_alone=bool(lone),
                    context_overlap=ctx,
                    same_document=True,
                )

    # near spellings in the same role (MT/OCR garbles: "Yerev" for "Yezhov")
    by_initial: dict[str, list[Unit]] = defaultdict(list)
    for u in people:
        if len(u.person.surname_word) >= 4:
            by_initial[u.person.surname_word[0]].append(u)
    for block in by_initial.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                sa, sb = a.person.surname_word, b.person.surname_word
                if sa == sb or (a.keys & b.keys) or gendered_pair(sa, sb):
                    continue
                if not (a.person.bare or b.person.bare):
                    continue
                if givens_compatible(a.person.given, b.person.given) is None:
                    continue
                jw = similarity(sa, sb)
                if jw < 0.72:
                    continue
                if a.sentence_ids & b.sentence_ids:
                    continue
                roles = sorted(a.roles & b.roles)
                if not roles:
                    # a look-alike spelling with common context words says nothing: in a
                    # book, Domitian and Diocletian share plenty of both
                    continue
                dist = edit_distance(sa, sb)
                prefix = _common_prefix(sa, sb)
                if prefix < 2 or dist > 3 or dist * 2 > max(len(sa), len(sb)):
                    continue  # a garble keeps the start and most of the letters
                ctx = overlap(a.context, b.context)
                score = 0.2 + 0.5 * jw + 0.35 * ctx + 0.05 + 0.12
                if len(block) > CROWDED_BLOCK:
                    # among many names with one initial, look-alikes happen by chance:
                    # offer the pair for review, never merge it on spelling alone
                    score = min(score, SUGGEST_ONLY)
                yield _pair(
                    score,
                    a,
                    b,
                    rule="near-spelling-same-role",
                    jaro_winkler=jw,
                    edit_distance=dist,
                    common_prefix=prefix,
                    context_overlap=ctx,
                    shared_roles=roles,
                    same_document=True,
                )


#: More people with one initial in a document than this, and a near spelling is only suggested.
CROWDED_BLOCK = 25
#: A score below the merge threshold and inside the suggestion band.
SUGGEST_ONLY = 0.75


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
    names outright (NKVD); an acronym joins its spelled-out form."""
    orgs = [u for u in units if u.type in ("ORG", "PLACE")]
    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in orgs:
        if u.group:
            groups[u.group].append(u)
    for u in orgs:
        if u.group or not u.weak_groups:
            continue
        present = [g for g in u.weak_groups if g in groups]
        if len(present) == 1:
            for v in groups[present[0]]:
                yield _pair(
                    0.9,
                    u,
                    v,
                    rule="known-organization-in-context",
                    organization=present[0],
                    same_document=True,
                )
        elif len(present) > 1:
            for g in present:
                for v in groups[g]:
                    yield _pair(
                        0.6,
                        u,
                        v,
                        rule="known-organization-in-context",
                        organization=g,
                        ambiguous=present,
                        same_document=True,
                    )
    yield from _acronym_pairs(orgs, True)
    yield from _shortened_names(orgs)


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
        if not longer:
            continue
        sure = len(longer) == 1 and len(words) >= 2
        for v in longer:
            yield _pair(
                0.85 if sure else 0.65,
                u,
                v,
                rule="shortened-name",
                candidates=len(longer),
                same_document=True,
            )


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
                    yield _pair(
                        0.9 if same_doc else 0.85,
                        u,
                        v,
                        rule="acronym",
                        acronym=acr,
                        same_document=same_doc,
                    )


def org_pair(a: Unit, b: Unit) -> Pair | None:
    """Two organization or place names from different documents (not identical)."""
    if a.group and a.group == b.group:
        return _pair(
            0.95,
            a,
            b,
            rule="known-organization",
            organization=a.group,
            same_document=a.doc == b.doc,
        )
    if a.group and b.group:
        return None
    wa, wb = a.norm.split(), b.norm.split()
    if len(wa) != len(wb) or not wa:
        return None
    if a.type != b.type:
        return None
    for x, y in zip(wa, wb):
        if x != y and not (keys_match(x, y) and similarity(x, y) >= 0.85):
            return None
    jw = similarity(a.norm, b.norm)
    return _pair(
        0.84 + 0.1 * (jw - 0.85),
        a,
        b,
        rule="variant-spelling",
        jaro_winkler=jw,
        same_document=a.doc == b.doc,
    )


# what the texts state ---------------------------------------------------------------------

#: How sure a stated link is: the text names both sides and says they are one ("Reiss, alias
#: Ludwig"), or names the alias only and speaks of its bearer by pronoun ("he went under the
#: pseudonym Otto", taken as the person the document is about), or titles an article with a
#: name that the opening sentence spells another way.
STATED_SCORE = {"explicit": 1.0, "pronoun": 0.9, "title": 0.9}
#: the end of a cue whose name's bearer the sentence gives by pronoun (kartoteka.nlp.identity)
PRONOUN_MARK = "(by pronoun)"


def stated_pairs(units: list[Unit], links: Iterable[StatedLinkRecord]) -> Iterable[Pair]:
    """Pairs of the units two stated links join, above any likeness of spelling."""
    unit_of = {m: u for u in units for m in u.mention_ids}
    for link in links:
        a, b = unit_of.get(link.head), unit_of.get(link.alias)
        if a is None or b is None or a.id == b.id:
            continue
        how = "title" if link.cue == "title" else "explicit"
        if link.cue.endswith(PRONOUN_MARK):
            how = "pronoun"
        yield _pair(
            STATED_SCORE[how],
            a,
            b,
            rule="stated",
            cue=link.cue,
            passage=[link.doc, link.start, link.end],
            same_document=True,
        )


# across documents -------------------------------------------------------------------------


def signature(u: Unit) -> tuple[str, str]:
    """Units with one signature are the same name: linked without comparing all pairs."""
    return ("PER" if u.type == "PER" else "NAME", u.norm)


def garbled_full_name_pair(a: Unit, b: Unit, names: dict[str, set[str]]) -> Pair | None:
    """ "Gertruda Hildebach" in one source, "Gertrude Schildbach" in another: the same first
    name (or a variant), not a common one, and surnames a letter or two apart. Counts only with
    the company the two documents share."""
    pa, pb = a.person, b.person
    why = givens_compatible(pa.given, pb.given)
    if why not in ("equal", "variant", "phonetic") or is_common_given(pa.first):
        return None
    sa, sb = pa.surname_word, pb.surname_word
    if gendered_pair(sa, sb):
        return None
    jw = similarity(sa, sb)
    if jw < 0.85:
        return None
    shared = (names.get(a.doc, set()) & names.get(b.doc, set())) - {sa, sb}
    score = 0.6 + 0.2 * (jw - 0.85) / 0.15 + min(0.15, 0.03 * len(shared))
    return _pair(
        score,
        a,
        b,
        rule="garbled-surname",
        given=why,
        jaro_winkler=jw,
        edit_distance=edit_distance(sa, sb),
        same_document=a.doc == b.doc,
        shared_co_mentions=sorted(shared)[:5],
    )


def _document_names(units: list[Unit]) -> dict[str, set[str]]:
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


def _with_co_mentions(pair: Pair, a: Unit, b: Unit, names: dict[str, set[str]]) -> Pair:
    """Raise a cross-document pair by the names both documents mention besides these two."""
    own = {a.person.surname_word, b.person.surname_word} if a.person and b.person else set()
    shared = (names.get(a.doc, set()) & names.get(b.doc, set())) - own
    if shared:
        pair.features["shared_co_mentions"] = sorted(shared)[:5]
        if pair.features.get("surname") == "phonetic":
            pair.score = round(min(1.0, pair.score + min(0.06, 0.02 * len(shared))), 4)
    return pair


def across_documents(units: list[Unit], config: ResolveConfig) -> Iterable[Pair]:
    names = _document_names(units)
    by_signature: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for u in units:
        if u.norm:
            by_signature[signature(u)].append(u)
    reps: list[Unit] = []
    for _sig, members in by_signature.items():
        hub = max(members, key=lambda u: (u.count, u.is_authority, -u.id))
        reps.append(hub)
        for u in members:
            if u is hub or u.doc == hub.doc and not (u.is_authority or hub.is_authority):
                continue
            if u.type == "PER":
                pair = person_pair(hub, u, False)
                if pair is None:
                    continue
                if hub.person.bare and is_common_given(hub.person.surname_word):
                    pair.score = min(pair.score, 0.7)
                    pair.features["common_given_name_alone"] = True
                yield pair
            else:
                weak = bool(u.weak_groups) and not u.group
                yield _pair(
                    0.7 if weak else 0.95,
                    hub,
                    u,
                    rule="same-name",
                    weak_name=weak,
                    same_document=False,
                )

    blocks: dict[tuple, list[Unit]] = defaultdict(list)
    for u in reps:
        if u.type == "PER":
            for k in u.keys:
                blocks[("P", k)].append(u)
            if u.person.ordinal:  # rulers: Nicholas II, Nikolai II
                for g in given_groups(u.person.surname_word) or {u.person.surname_word}:
                    blocks[("R", u.person.ordinal, g)].append(u)
            if not u.person.bare and len(u.person.first) > 1 and len(u.person.surname_word) >= 6:
                # same first name, surname ending alike: a garbled surname in another source
                first = min(given_groups(u.person.first), default=u.person.first)
                blocks[("F", first, u.person.surname_word[-4:])].append(u)
        else:
            if u.group:
                blocks[("G", u.group)].append(u)
            words = u.norm.split()
            if words:
                for k in phonetic_keys(words[-1]):
                    blocks[("N", len(words), k)].append(u)
    orgs_for_acronyms = [u for u in reps if u.type == "ORG"]
    seen: set[tuple[int, int]] = set()
    for key, block in blocks.items():
        if len(block) < 2:
            continue
        # keep the cost linear: the biggest names only; the garbled-surname blocks (a first
        # name and an ending) are loose, so they get a third of the room
        cap = config.max_block // 3 if key[0] == "F" else config.max_block
        if len(block) > cap:
            block = sorted(block, key=lambda u: -u.count)[:cap]
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                pid = (min(a.id, b.id), max(a.id, b.id))
                if pid in seen or signature(a) == signature(b):
                    continue
                if a.doc == b.doc and a.type == "PER":
                    continue  # within a document the person rules decide, with its context
                seen.add(pid)
                if a.type == "PER" and b.type == "PER":
                    pair = person_pair(a, b, a.doc == b.doc)
                    if pair is None and key[0] == "F":
                        pair = garbled_full_name_pair(a, b, names)
                    if pair is not None:
                        pair = _with_co_mentions(pair, a, b, names)
                elif a.type != "PER" and b.type != "PER":
                    pair = org_pair(a, b)
                else:
                    pair = None
                if pair is not None:
                    yield pair
    yield from _acronym_pairs(orgs_for_acronyms, False)
