"""Parsing long texts in pieces gives one Doc with the same text and true offsets."""

import pytest

from kartoteka.nlp import load_pipeline
from kartoteka.nlp.parse import parse, split_for_parsing


def test_pieces_rejoin_to_the_text_and_respect_the_limit():
    text = ("A sentence here. " * 40 + "\n\n") * 50
    pieces = split_for_parsing(text, limit=2000)
    assert "".join(pieces) == text
    assert all(len(p) <= 2000 for p in pieces) and len(pieces) > 1
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_a_text_without_breaks_is_still_cut():
    assert "".join(split_for_parsing("x" * 5000, limit=1000)) == "x" * 5000


@pytest.mark.model
def test_a_long_text_parses_into_one_doc_with_the_same_offsets():
    nlp = load_pipeline()
    paragraph = "General Skoblin met Heydrich in Berlin. The NKVD sent a letter to Paris.\n\n"
    text = paragraph * 60
    ((doc, context),) = parse(nlp, [(text, "ctx")], limit=1500)
    assert context == "ctx" and doc.text == text
    skoblins = [e for e in doc.ents if e.text == "Skoblin"]
    assert len(skoblins) == 60
    assert all(text[e.start_char : e.end_char] == "Skoblin" for e in skoblins)


@pytest.mark.model
def test_a_line_break_starts_a_sentence():
    nlp = load_pipeline()
    for text in (
        "A Report\nSkoblin met Heydrich in Berlin. He left.",
        "Secret History of the Purge\n\nThe NKVD sent Skoblin to Berlin.",
    ):
        heading, sentence = text.split("\n", 1)
        sentences = [s.text.strip() for s in nlp(text).sents]
        assert sentences[0] == heading
        assert sentences[1] == sentence.strip().split(". ")[0].rstrip(".") + "."
