"""The features resolution weighs: small functions of two units and what is known about the
pair, each answering one question with a value in [0, 1] (0: it does not fire).

The weights are not here: `kartoteka.resolve.model` lists, rule by rule, which features count
and how much. Each function is tested alone in tests/test_resolve_features.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kartoteka.resolve.names import is_common_given, is_known_given
from kartoteka.resolve.units import Unit


@dataclass(slots=True)
class Facts:
    """What the candidate search learnt about a pair, for the features to read.

    `relation` is how the surnames relate ("equal", "phonetic", "ruler"), `jaro_winkler` the
    likeness of the compared strings, `given` how the first names agree ("equal", "initial",
    "variant", "absent", ...)."""

    same_document: bool = True
    relation: str | None = None
    jaro_winkler: float = 0.0
    given: str | None = None
    phonetic_key: str = ""
    first_name: str = ""  # the first name two names share, or a bare name standing for one
    first_name_match: str = ""  # "equal" or "variant" (a pet form)
    context_overlap: float = 0.0
    shared_roles: list[str] = field(default_factory=list)
    surname_never_alone: bool = False
    ambiguous: bool = False
    crowded: bool = False
    ocr_confusion: str = ""
    cue: str = ""  # a stated link's cue
    shared_co_mentions: list[str] = field(default_factory=list)
    candidates: int = 1  # how many names a weak or short name could stand for


# the surname -------------------------------------------------------------------------------


def surnames_equal(a: Unit, b: Unit, f: Facts) -> float:
    """The two names carry the same surname ("Krivitsky" / "General Walter Krivitsky")."""
    return 1.0 if f.relation == "equal" else 0.0


def surnames_sound_alike(a: Unit, b: Unit, f: Facts) -> float:
    """The surnames are two spellings with one transliteration-aware phonetic key
    ("Jeschow" / "Yezhov")."""
    return 1.0 if f.relation == "phonetic" else 0.0


def regnal_names_alike(a: Unit, b: Unit, f: Facts) -> float:
    """A ruler's name in two languages with the same number ("Nicholas II" / "Nikolai II")."""
    return 1.0 if f.relation == "ruler" else 0.0


def sound_alike_closeness(a: Unit, b: Unit, f: Facts) -> float:
    """How close two phonetically equal spellings are letter by letter (Jaro-Winkler)."""
    return f.jaro_winkler if f.relation == "phonetic" else 0.0


def long_phonetic_key(a: Unit, b: Unit, f: Facts) -> float:
    """The shared key is long (five sounds or more): few names share it."""
    return 1.0 if f.relation == "phonetic" and len(f.phonetic_key) >= 5 else 0.0


def short_phonetic_key(a: Unit, b: Unit, f: Facts) -> float:
    """The shared key is short (three sounds or fewer): Reiss and Rice both give RES."""
    return 1.0 if f.relation == "phonetic" and len(f.phonetic_key) <= 3 else 0.0


# full and bare names -----------------------------------------------------------------------


def _bare(u: Unit) -> bool:
    return u.person is None or u.person.bare


def both_named_in_full(a: Unit, b: Unit, f: Facts) -> float:
    """Both names have a first name (or initial) as well as a surname."""
    return 1.0 if not _bare(a) and not _bare(b) and f.relation != "ruler" else 0.0


def both_bare_and_equal(a: Unit, b: Unit, f: Facts) -> float:
    """Two bare surnames spelled alike ("Reiss" / "Reiss")."""
    return 1.0 if _bare(a) and _bare(b) and f.relation == "equal" else 0.0


def only_initials_agree(a: Unit, b: Unit, f: Facts) -> float:
    """Two full names whose first names agree only by an initial ("W. Krivitsky")."""
    return 1.0 if f.given == "initial" and both_named_in_full(a, b, f) else 0.0


# documents and titles ----------------------------------------------------------------------


def in_other_documents(a: Unit, b: Unit, f: Facts) -> float:
    """The two names stand in different documents: a little less sure than in one."""
    return 0.0 if f.same_document else 1.0


def shared_title_across_documents(a: Unit, b: Unit, f: Facts) -> float:
    """Across documents, both names carry the same title ("General Miller" twice)."""
    if f.same_document:
        return 0.0
    return 1.0 if any(t in b.titles for t in a.titles) else 0.0


# first names -------------------------------------------------------------------------------


def first_name_alone(a: Unit, b: Unit, f: Facts) -> float:
    """A bare name is the first name of the one person in the document who bears it
    ("Walter" for Walter Krivitsky), or a pet form of it ("Lizzy" for Elizabeth)."""
    return 1.0 if f.first_name_match else 0.0


def listed_given_name(a: Unit, b: Unit, f: Facts) -> float:
    """The shared first name is listed as a given name (data/given_names.json)."""
    return 1.0 if f.first_name and is_known_given(f.first_name) else 0.0


def rare_given_name(a: Unit, b: Unit, f: Facts) -> float:
    """The shared first name is listed and not among the very common ones (John, Ivan)."""
    name = f.first_name
    return 1.0 if name and is_known_given(name) and not is_common_given(name) else 0.0


def uncommon_first_name(a: Unit, b: Unit, f: Facts) -> float:
    """The shared first name is not a common one and not a short one (Ignatius, not Jan)."""
    name = f.first_name
    return 1.0 if name and not is_common_given(name) and len(name) >= 4 else 0.0


def pet_form(a: Unit, b: Unit, f: Facts) -> float:
    """The bare name is a variant of the first name, not the name itself ("Lizzy")."""
    return 1.0 if f.first_name_match == "variant" else 0.0


def shared_rare_first_name(a: Unit, b: Unit, f: Facts) -> float:
    """Two full names with one listed first name and unrelated surnames, never side by side:
    machine translation renders one surname two ways ("Ignatius Rice" / "Ignatius Les")."""
    return 1.0 if f.first_name and not f.first_name_match else 0.0


def surname_never_alone(a: Unit, b: Unit, f: Facts) -> float:
    """One of the two surnames never stands alone in the text: a garble seen once."""
    return 1.0 if f.surname_never_alone else 0.0


# context -----------------------------------------------------------------------------------


def context_overlap(a: Unit, b: Unit, f: Facts) -> float:
    """How much the words around the two names overlap (overlap coefficient of stems)."""
    return f.context_overlap


def near_spelling_in_shared_role(a: Unit, b: Unit, f: Facts) -> float:
    """Two look-alike surnames (same start, most letters shared) that stand in the same role
    ("Yerev's assassins" / "the assassins of Yezhov"): a garble of machine translation."""
    return 1.0 if f.shared_roles else 0.0


def spelling_closeness(a: Unit, b: Unit, f: Facts) -> float:
    """Jaro-Winkler likeness of the two spellings."""
    return f.jaro_winkler


def ocr_misreading(a: Unit, b: Unit, f: Facts) -> float:
    """The two spellings differ by one pair of letters OCR reads one for another
    (data/ocr_confusions.json: "Jdckson" / "Jackson"), one used once, the other more."""
    return 1.0 if f.ocr_confusion else 0.0


# ceilings: when one of these holds, the pair is at most suggested ---------------------------


def ordinal_on_one_side(a: Unit, b: Unit, f: Facts) -> bool:
    """One name carries a ruler's number and the other not: "Charles" may be Charles II."""
    pa, pb = a.person, b.person
    return bool(pa and pb and bool(pa.ordinal) != bool(pb.ordinal))


def ambiguous_bare_surname(a: Unit, b: Unit, f: Facts) -> bool:
    """A bare surname that two people named in full share in the document (Lev and Sergei
    Kamenev): which one a bare "Kamenev" is, the names cannot say."""
    return f.ambiguous


def common_given_name_alone(a: Unit, b: Unit, f: Facts) -> bool:
    """Across documents, one bare name that is a very common given name ("John" twice)."""
    if f.same_document or a.norm != b.norm or a.person is None or not a.person.bare:
        return False
    return is_common_given(a.person.surname_word)


def crowded_initial(a: Unit, b: Unit, f: Facts) -> bool:
    """Many names in the document begin with the same letter: look-alikes happen by chance."""
    return f.crowded


# what the text states ----------------------------------------------------------------------


def stated_outright(a: Unit, b: Unit, f: Facts) -> float:
    """The text names both and says they are one ("Reiss, alias Ludwig", "Maclean
    (cryptonym: Homer)", "Orlov ( Russian Орлов )")."""
    return 1.0 if f.cue and not stated_by_pronoun(a, b, f) and f.cue != "title" else 0.0


def stated_by_pronoun(a: Unit, b: Unit, f: Facts) -> float:
    """The text gives the alias and its bearer by pronoun ("he went under the pseudonym
    Otto"), taken as the person the document is about."""
    from kartoteka.resolve.types import PRONOUN_MARK

    return 1.0 if f.cue.endswith(PRONOUN_MARK) else 0.0


def stated_by_title(a: Unit, b: Unit, f: Facts) -> float:
    """An article titled with a name that its opening sentence spells another way."""
    return 1.0 if f.cue == "title" else 0.0


def company_shared_across_documents(a: Unit, b: Unit, f: Facts) -> float:
    """Across documents, two sound-alike surnames gain by the other names both documents
    mention (three or more count fully)."""
    if f.same_document or f.relation != "phonetic":
        return 0.0
    return min(1.0, len(f.shared_co_mentions) / 3)


def garbled_surname(a: Unit, b: Unit, f: Facts) -> float:
    """Across documents, one uncommon first name and surnames a letter or two apart
    ("Gertruda Hildebach" / "Gertrude Schildbach")."""
    return 1.0 if f.relation == "garbled" else 0.0


def surname_closeness_above_085(a: Unit, b: Unit, f: Facts) -> float:
    """How far the surnames' Jaro-Winkler likeness rises above 0.85, scaled to [0, 1]."""
    return max(0.0, min(1.0, (f.jaro_winkler - 0.85) / 0.15))


def company_shared(a: Unit, b: Unit, f: Facts) -> float:
    """The other names both documents mention (five or more count fully)."""
    return min(1.0, len(f.shared_co_mentions) / 5)


# organizations and places ------------------------------------------------------------------


def weak_name_in_its_context(a: Unit, b: Unit, f: Facts) -> float:
    """A weak name ("Ministry of the Interior", "the GPU") in a document that names one of
    the organizations it may mean outright (NKVD)."""
    return 1.0 if f.relation == "context" else 0.0


def several_organizations_in_context(a: Unit, b: Unit, f: Facts) -> bool:
    """The document names more than one organization the weak name may mean."""
    return f.relation == "context" and f.candidates > 1


def shortened_name(a: Unit, b: Unit, f: Facts) -> float:
    """A shorter name that ends the one longer name of the document ("the High Command"
    after "the German High Command")."""
    return 1.0 if f.relation == "shortened" else 0.0


def loosely_shortened(a: Unit, b: Unit, f: Facts) -> bool:
    """Two longer candidates (German and Soviet High Command), or a single word ("Army")."""
    if f.relation != "shortened":
        return False
    return f.candidates > 1 or min(len(a.norm.split()), len(b.norm.split())) < 2


def acronym_of_name(a: Unit, b: Unit, f: Facts) -> float:
    """One name is the acronym of the other ("ROVS" / "Russian All-Military Union")."""
    return 1.0 if f.relation == "acronym" else 0.0


def same_known_organization(a: Unit, b: Unit, f: Facts) -> float:
    """Both names always mean one known organization or place (data/org_names.json,
    place_names.json: "USSR" / "Soviet Union")."""
    return 1.0 if f.relation == "group" else 0.0


def words_sound_alike(a: Unit, b: Unit, f: Facts) -> float:
    """Two names of as many words, each pair of words a spelling of the other."""
    return 1.0 if f.relation == "variant" else 0.0


def identical_name(a: Unit, b: Unit, f: Facts) -> float:
    """The same organization or place name in two documents."""
    return 1.0 if f.relation == "identical" else 0.0


def weak_name(a: Unit, b: Unit, f: Facts) -> bool:
    """The name is a weak one: it may mean several organizations outside a context."""
    return f.relation == "identical" and any(u.weak_groups and not u.group for u in (a, b))


def place_under_a_qualifier(a: Unit, b: Unit, f: Facts) -> float:
    """A place named with a regime's or a period's qualifier in a document that names the
    place itself ("Vichy France" and "France")."""
    return 1.0 if f.relation == "qualified" else 0.0


def surname_translated(a: Unit, b: Unit, f: Facts) -> float:
    """One surname is the word machine translation rendered the other as, under one first
    name ("Arnold Deutsch" / "Arnold German")."""
    return 1.0 if f.relation == "translated" else 0.0
