"""Citation apparatus and footnotes (kartoteka.nlp.citations), on passages written for the test
in the manner of an eighteenth-century history."""

from kartoteka.nlp.citations import find_citations, find_notes, inside

PASSAGE = (
    "The reign of the young prince began in A.D. 180, when his father died at Vindobona. 1\n"
    "\n"
    "1 (return) [ Dion Cassius, l. lxxii. p. 1203. Hist. August. p. 46. The prince had been\n"
    "made Augustus about the year 177. See Tillemont, Hist. des Empereurs, tom. ii. p. 752;\n"
    "and Wolle, de Annis Imperii, Lipsiae, 1752, 8vo.]\n"
    "\n"
    "In the spring the legions returned to their camps."
)


def _cited(text):
    return [" ".join(text[s:e].split()) for s, e in find_citations(text)]


def test_locators_and_the_author_and_title_before_them():
    cited = _cited(PASSAGE)
    assert "Dion Cassius, l. lxxii. p. 1203." in cited
    assert "Hist. August. p. 46." in cited
    assert any(c.startswith("See Tillemont, Hist. des Empereurs, tom. ii. p. 752") for c in cited)


def test_a_printing_place_and_year_after_a_title_is_a_citation():
    cited = _cited(PASSAGE)
    assert any("Lipsiae, 1752, 8vo" in c for c in cited)
    assert _cited("Gibbon follows the Augustan History (London, 1740) closely.") == [
        "(London, 1740)"
    ]


def test_prose_is_not_a_citation():
    text = PASSAGE
    for prose in ("The prince had been", "made Augustus about the year 177", "A.D. 180"):
        start = text.index(prose)
        assert not inside(find_citations(text), start, start + len(prose)), prose
    # news and narrative: a place and a year, a page of a report, circa
    for sentence in (
        "He was born in Madrid, 1997 was the year of his first race.",
        "He was born c. 570 in Mecca.",
        "He was born in Rome, c. 570, to a senatorial family.",
        "On Mon. Sept. 15 the court sat.",
    ):
        assert find_citations(sentence) == [], sentence


def test_weak_locators_need_a_title():
    assert _cited("Cicero pro Flacco, c. 27.") == ["Cicero pro Flacco, c. 27."]
    assert _cited("(de Die Natali, c. 18) fixes the games.") == ["de Die Natali, c. 18"]
    assert _cited("The council met c. 27 times that year.") == []


def test_footnotes_are_paragraphs_opening_with_a_marker():
    notes = find_notes(PASSAGE)
    assert len(notes) == 1
    note = PASSAGE[notes[0][0] : notes[0][1]]
    assert note.startswith("1 (return) [") and note.endswith("8vo.]")
    assert find_notes("[Footnote 12: Dion, l. lxxi.]\n\nText.") == [(0, 29)]
    assert find_notes("In 1937 he wrote 12 letters.\n\n12 days later he left.") == []


def test_inside():
    spans = [(10, 20), (30, 40)]
    assert inside(spans, 15, 16) and inside(spans, 5, 11) and inside(spans, 39, 45)
    assert not inside(spans, 0, 10) and not inside(spans, 20, 30) and not inside(spans, 40, 50)


def test_a_documents_citations_are_found_once_for_every_layer_that_needs_them():
    # the mention layer, stated identity and the time tagger all leave citations out; finding
    # them costs a second or more on a book, so annotating a document finds them once
    from kartoteka.nlp import citations, load_pipeline
    from kartoteka.pipeline import annotate
    from kartoteka.read import read_text

    document = read_text(PASSAGE, name="history.txt")
    doc = load_pipeline()(document.clean_text)
    citations._citations.cache_clear()
    annotation = annotate(document, doc)
    info = citations._citations.cache_info()
    assert info.misses == 1 and info.hits >= 1
    # and what each got is its own list: one layer cannot change the other's
    spans = find_citations(document.clean_text)
    spans.clear()
    assert find_citations(document.clean_text)
    assert not any("August" in t.text for t in annotation.timexes)
