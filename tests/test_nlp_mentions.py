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
