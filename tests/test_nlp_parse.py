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


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "The minister explained his decision to the House of. Commons on March 3, and nobody"
        " objected.",
        "The general reported to the Chamber of. Deputies in June.",
        "He wrote to the Ministry of. Defence twice.",
    ],
)
def test_a_stop_after_a_word_no_sentence_ends_with_ends_nothing(text):
    nlp = load_pipeline()
    assert [s.text for s in nlp(text).sents] == [text]


@pytest.mark.model
def test_no_sentence_starts_inside_a_name_but_one_starts_after_a_line_break():
    from kartoteka.nlp.parse import line_breaks

    nlp = load_pipeline()

    def starts(text):
        doc = line_breaks(nlp.make_doc(text))
        return {t.text: t.is_sent_start for t in doc}

    # "Peter May ,": a name inside a sentence, closed by a comma
    assert starts("was the physicist Hans Peter May , who worked.")["May"] is False
    assert starts("He met Hans Peter May (a chemist) there.")["May"] is False
    # a name at the head of a paragraph with a bracket after it: an encyclopedia's lead
    lead = starts("Anna Kovac\n\nAnna Kovac (March 3, 1901 - May 2, 1970) was a courier.")
    assert lead["Kovac"] is False
    # after a line break a sentence starts, whatever the words
    assert starts("was the physicist Hans Peter\nMay , who worked.")["May"] is True
    # a run of capitals that more words follow, or that no lower-case word begins, may hold
    # a sentence whose stop the OCR lost: the parser decides
    assert starts("at Lakeside High School Tom Bell's party")["Bell"] is None
    assert starts("12 Oak Street Mill Creek, Ohio")["Creek"] is None
    # after a real full stop the parser decides
    assert starts("He left. Then Ivanov came.")["Then"] is None


@pytest.mark.model
def test_no_sentence_starts_inside_a_bracket_opened_mid_sentence_nor_right_after_it():
    nlp = load_pipeline()
    text = (
        "Pavel Orsky ( Russian Павел Орский ; * 3 May 1890 greg. In Kursk . † around 2 June"
        " 1939 ) Omsk ) was the head of the Frontier Corps."
    )
    assert [s.text for s in nlp(text).sents] == [text]
    # a bracket that opens a sentence of its own is the parser's to split
    two = "He left Kursk. (He never returned.) Then the war began."
    assert len(list(nlp(two).sents)) >= 2
