"""What resolution believes, in one place: the rules that can say two names are one entity,
the features each weighs, and their weights.

A rule's score for a pair is the sum of weight x value over its features (each feature a small
documented function in `kartoteka.resolve.features`, value 0 when it does not fire), held in
[0, 1] and under the ceiling of any ceiling feature that fires. A pair the candidate search
offers under a rule gets that rule's score; >= ResolveConfig.merge_threshold (0.80) merges,
the band above suggest_threshold (0.55) suggests. The pair's features name the rule and every
feature that fired with what it added, so each merge and suggestion explains itself.

To see what matching believes, read the rules below; to change it, change a weight here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kartoteka.resolve import features as ft
from kartoteka.resolve.features import Facts
from kartoteka.resolve.units import Unit


@dataclass(frozen=True, slots=True)
class Feature:
    func: Callable[[Unit, Unit, Facts], float]
    weight: float

    @property
    def name(self) -> str:
        return self.func.__name__


@dataclass(frozen=True, slots=True)
class Ceiling:
    """When `func` holds, the rule's score is at most `cap`: the pair is only suggested."""

    func: Callable[[Unit, Unit, Facts], bool]
    cap: float

    @property
    def name(self) -> str:
        return self.func.__name__


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    features: tuple[Feature, ...]
    ceilings: tuple[Ceiling, ...] = ()

    def score(self, a: Unit, b: Unit, facts: Facts) -> tuple[float, dict[str, float]]:
        """(score, {feature name: what it added or the cap it set})."""
        fired: dict[str, float] = {}
        total = 0.0
        for feature in self.features:
            value = feature.func(a, b, facts)
            if value:
                fired[feature.name] = round(feature.weight * value, 4)
                total += feature.weight * value
        total = max(0.0, min(total, 1.0))
        for ceiling in self.ceilings:
            if ceiling.func(a, b, facts) and total > ceiling.cap:
                total = ceiling.cap
                fired[ceiling.name] = ceiling.cap
        return round(total, 4), fired


# people ------------------------------------------------------------------------------------

#: Two person names by their parts: surname (equal, phonetic, a ruler's name), first names.
NAME_PARTS = Rule(
    "name-parts",
    (
        Feature(ft.surnames_equal, 0.92),
        Feature(ft.surnames_sound_alike, 0.81),
        Feature(ft.regnal_names_alike, 0.90),
        Feature(ft.both_named_in_full, 0.05),
        Feature(ft.both_bare_and_equal, 0.03),
        Feature(ft.only_initials_agree, -0.05),
        Feature(ft.sound_alike_closeness, 0.05),
        Feature(ft.long_phonetic_key, 0.04),
        Feature(ft.short_phonetic_key, -0.06),
        Feature(ft.in_other_documents, -0.02),
        Feature(ft.shared_title_across_documents, 0.02),
        Feature(ft.company_shared_across_documents, 0.06),
    ),
    (
        Ceiling(ft.ambiguous_bare_surname, 0.6),
        Ceiling(ft.ordinal_on_one_side, 0.7),
        Ceiling(ft.common_given_name_alone, 0.7),
    ),
)

#: A bare first name standing for the one person in the document who bears it.
FIRST_NAME = Rule(
    "first-name",
    (
        Feature(ft.first_name_alone, 0.60),
        Feature(ft.listed_given_name, 0.14),
        Feature(ft.rare_given_name, 0.08),
        Feature(ft.pet_form, -0.02),
    ),
)

#: One rare first name with two unrelated surnames: a surname machine translation garbled.
SAME_FIRST_NAME = Rule(
    "same-first-name",
    (
        Feature(ft.shared_rare_first_name, 0.55),
        Feature(ft.uncommon_first_name, 0.20),
        Feature(ft.surname_never_alone, 0.10),
        Feature(ft.context_overlap, 0.10),
    ),
)

#: A look-alike surname in the same role: a garble ("Yerev" for "Yezhov").
NEAR_SPELLING = Rule(
    "near-spelling-same-role",
    (
        Feature(ft.near_spelling_in_shared_role, 0.37),
        Feature(ft.spelling_closeness, 0.50),
        Feature(ft.context_overlap, 0.35),
    ),
    (Ceiling(ft.crowded_initial, 0.75),),
)

#: A surname machine translation rendered as a word, under one first name.
TRANSLATED_SURNAME = Rule("translated-surname", (Feature(ft.surname_translated, 0.88),))

#: One letter misread by OCR ("Jdckson" for "Jackson").
OCR_VARIANT = Rule("ocr-variant", (Feature(ft.ocr_misreading, 0.86),))

#: Across documents: one uncommon first name, surnames a letter or two apart.
GARBLED_SURNAME = Rule(
    "garbled-surname",
    (
        Feature(ft.garbled_surname, 0.60),
        Feature(ft.surname_closeness_above_085, 0.20),
        Feature(ft.company_shared, 0.15),
    ),
)

#: What the text states ("X, alias Y"): above any likeness of the names.
STATED = Rule(
    "stated",
    (
        Feature(ft.stated_outright, 1.0),
        Feature(ft.stated_by_pronoun, 0.9),
        Feature(ft.stated_by_title, 0.9),
    ),
)

# organizations and places ------------------------------------------------------------------

KNOWN_ORGANIZATION_IN_CONTEXT = Rule(
    "known-organization-in-context",
    (Feature(ft.weak_name_in_its_context, 0.90),),
    (Ceiling(ft.several_organizations_in_context, 0.6),),
)
SHORTENED_NAME = Rule(
    "shortened-name",
    (Feature(ft.shortened_name, 0.85),),
    (Ceiling(ft.loosely_shortened, 0.65),),
)
ACRONYM = Rule(
    "acronym",
    (Feature(ft.acronym_of_name, 0.90), Feature(ft.in_other_documents, -0.05)),
)
KNOWN_ORGANIZATION = Rule("known-organization", (Feature(ft.same_known_organization, 0.95),))
VARIANT_SPELLING = Rule(
    "variant-spelling",
    (Feature(ft.words_sound_alike, 0.755), Feature(ft.spelling_closeness, 0.10)),
)
QUALIFIED_PLACE = Rule("qualified-place", (Feature(ft.place_under_a_qualifier, 0.88),))
SAME_NAME = Rule(
    "same-name",
    (Feature(ft.identical_name, 0.95),),
    (Ceiling(ft.weak_name, 0.7),),
)

#: Every rule, for the documentation and the tests.
RULES = (
    STATED,
    NAME_PARTS,
    FIRST_NAME,
    SAME_FIRST_NAME,
    NEAR_SPELLING,
    OCR_VARIANT,
    TRANSLATED_SURNAME,
    GARBLED_SURNAME,
    KNOWN_ORGANIZATION_IN_CONTEXT,
    SHORTENED_NAME,
    ACRONYM,
    KNOWN_ORGANIZATION,
    VARIANT_SPELLING,
    QUALIFIED_PLACE,
    SAME_NAME,
)
