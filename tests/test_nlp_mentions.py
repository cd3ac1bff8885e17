"""The mention layer on short texts of the kinds we read, with the real spaCy pipeline."""

import pytest

from kartoteka.nlp import load_pipeline
from kartoteka.nlp.mentions import find_mentions
from kartoteka.read.clean import clean

pytestmark = pytest.mark.model


def mentions(text):
    return [(m.text, m.type) for m in find_mentions(load_pipeline()(text))]


def test_a_surname_is_found_alone_after_the_full_name():
    found = mentions(
        "Ignace Reiss left Paris in July. On 4 September Reiss was murdered near Lausanne."
    )
    assert ("Reiss", "PER") in found


def test_a_surname_that_is_also_a_nationality_is_not_spread():
    found = mentions(
        "Orbis Roman wrote of the empire. The Roman legions marched north, and "
        "every Roman citizen paid the tax."
    )
    assert sum(1 for text, _ in found if text == "Roman") == 0


def test_titles_in_lower_case_belong_to_the_mention():
    assert ("marshal Tukhachevsky", "PER") in mentions(
        "Stalin feared marshal Tukhachevsky and the army."
    )


def test_possessives_stay_out_and_types_follow_the_name():
    found = mentions(
        "David Kandelaki went to Berlin. Kandelaki’s deputy was Fridrikhson. "
        "Kandelaki met Dr. Schacht, and Schacht said no."
    )
    assert ("Kandelaki", "PER") in found and ("Dr. Schacht", "PER") in found
    assert not any(text.endswith("’s") for text, _ in found)


def test_superscript_footnote_markers_are_cleaned():
    cleaned, _, edits = clean("by Nikolai Yezhov.¹ Yagoda was arrested.")
    assert cleaned == "by Nikolai Yezhov. Yagoda was arrested."
    assert edits[0].reason == "footnote-marker"


# mentions on real pages: headlines, OCR, name knowledge, lists --------------------------------


def named(text):
    return [(m.text, m.type, m.name) for m in find_mentions(load_pipeline()(text))]


def test_a_name_in_capitals_in_a_headline_is_the_name():
    found = mentions(
        "KALINOWSKI ARRESTED IN LISBON\nJan Kalinowski was arrested in Lisbon on Monday. "
        "Kalinowski denied everything."
    )
    assert ("KALINOWSKI", "PER") in found


def test_a_surname_split_by_ocr_is_the_surname():
    found = named(
        "Kalinowski spoke first. Then Kalinowski left the hall, and later Kali nowski "
        "returned with the papers."
    )
    assert ("Kali nowski", "PER", "Kalinowski") in found


def test_a_surname_spelled_another_way_in_the_same_text_is_found():
    found = mentions(
        "Lev Nikolski joined the service in 1920. His daughter fell ill. "
        "Nikolsky asked a friend for help."
    )
    assert ("Nikolsky", "PER") in found


def test_known_organizations_are_found_whatever_the_tagger_says():
    found = mentions("He was recruited by the OGPU in 1929 and later served the Cheka veterans.")
    assert ("OGPU", "ORG") in found


def test_a_known_name_used_as_a_modifier_is_not_named():
    found = mentions("Some forty Cheka agents abroad received the order.")
    assert not any(text == "Cheka" for text, _ in found)


def test_a_class_noun_names_an_organization():
    found = mentions('He wrote for the newspaper "Morning Courier" until 1930.')
    assert ("Morning Courier", "ORG") in found


def test_a_nationality_and_a_body_noun_are_an_organization():
    found = mentions("He asked the Polish legation for a visa, and the legation refused.")
    assert ("Polish legation", "ORG") in found


def test_names_in_one_list_are_of_one_kind():
    found = mentions(
        "The accused Pyatakov, Sokolnikov, Radek and Muralov confessed on the second day."
    )
    types = {text: kind for text, kind in found}
    assert types and all(kind == "PER" for kind in types.values()), types


def test_a_capitalized_verb_ends_a_name_run_into_a_headline():
    found = mentions("Radek was tried in March. Radek Refused Entry. Radek was shot.")
    assert not any("Refused" in text for text, _ in found), found
    assert {kind for text, kind in found if text == "Radek"} == {"PER"}


def test_a_signature_in_capitals_is_a_person():
    found = mentions("The notice was posted on Monday.\nJOHN RUMSEY.\nClerk of the Board")
    assert ("JOHN RUMSEY", "PER") in found


def test_a_capitalized_common_word_is_no_organization():
    found = mentions(
        "To my Friends and Allies: the Taxes are become payable, and a Courier went to "
        "the Party headquarters in the Kremlin."
    )
    texts = {text for text, _ in found}
    assert not {"Taxes", "Friends", "Allies", "Courier"} & texts, found


def test_a_place_word_makes_a_name_a_place():
    found = mentions(
        "The land lies in Perquimons County. The body was found in Wright Park, and the "
        "prisoner was sent to Sugamo Prison."
    )
    types = dict(found)
    assert types.get("Perquimons County") == "PLACE" and types.get("Wright Park") == "PLACE"
    assert types.get("Sugamo Prison") == "PLACE"


def test_a_name_in_capitals_closing_a_notice_is_its_signature():
    found = mentions(
        "Board and lodging will be given at a fair price, including fuel and lights. "
        "SIMEON COLTON.\nFayetteville, August 13."
    )
    assert ("SIMEON COLTON", "PER") in found
