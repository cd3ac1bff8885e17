"""Cleaning and the offset map: every span of the cleaned text maps back to the original."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kartoteka.read import read_text
from kartoteka.read.clean import clean
from kartoteka.read.offsets import Edit, OffsetMap, apply_edits, load_offset_map

# Text made of the pieces that cleaning acts on, so the rules really fire.
pieces = st.sampled_from(
    [
        "word",
        "Name",
        " ",
        "\n",
        "\n\n",
        ".",
        ",",
        "”",
        "fn7",
        "67",
        "-\n",
        "organiza-\ntion",
        "\n12\n",
        "Page 3",
        "1937",
        "’s",
        "\u00ad",
        "\ufb01",
        "No. 5",
        "\r\n",
        "é",
        "Ж",
    ]
)
texts = st.lists(pieces, max_size=60).map("".join)


def _removed_by(original: str, start: int, end: int, edits: list[Edit]) -> str:
    """The original span with every edit inside it applied."""
    inside = [e for e in edits if start <= e.start and e.end <= end]
    out, pos = [], start
    for e in sorted(inside, key=lambda e: e.start):
        out.append(original[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(original[pos:end])
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_a_mapped_span_holds_the_same_characters(original, data):
    cleaned, offset_map, edits = clean(original)
    if not cleaned:
        return
    start = data.draw(st.integers(0, len(cleaned) - 1))
    end = data.draw(st.integers(start + 1, len(cleaned)))
    a, b = offset_map.to_original(start, end)
    assert 0 <= a <= b <= len(original)
    # the original span, cleaned, holds the cleaned span: exactly, unless the span cuts
    # into a replacement ("f" of a ligature "ﬁ" maps to the whole ligature)
    assert cleaned[start:end] in _removed_by(original, a, b, edits)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_a_span_that_cleaning_did_not_touch_maps_to_identical_characters(original):
    cleaned, offset_map, edits = clean(original)
    for word_start in range(0, len(cleaned), 3):
        word_end = min(word_start + 3, len(cleaned))
        a, b = offset_map.to_original(word_start, word_end)
        if not any(a < e.end and e.start < b for e in edits):
            assert original[a:b] == cleaned[word_start:word_end]


@given(texts)
def test_the_map_survives_json(original):
    _, offset_map, _ = clean(original)
    again = load_offset_map(offset_map.to_json())
    for i in range(len(original)):
        assert again.point_to_original(i) == offset_map.point_to_original(i)


def test_footnote_markers_glued_to_sentences_are_removed():
    cleaned, _, edits = clean(
        "left untouched.fn7\nAmong them, “with Stalin,”67\nappears. "
        "in rivalry.68 For in 1937. See No. 5 and p.67 here."
    )
    assert "fn7" not in cleaned and "67\n" not in cleaned and ".68" not in cleaned
    assert "No. 5" in cleaned and "p.67" in cleaned and "1937." in cleaned
    assert {e.reason for e in edits} >= {"footnote-marker"}


def test_hyphenation_page_numbers_and_running_heads():
    page = "The commission was an organiza-\ntion of the state and its officers.\n"
    text = "".join(f"{page * 12}\n{n}\n\nSECRET HISTORY OF THE PURGE\n\n" for n in range(1, 6))
    cleaned, offset_map, edits = clean(text)
    assert "organization" in cleaned and "organiza-" not in cleaned
    assert "SECRET HISTORY" not in cleaned
    assert not any(line.strip().isdigit() for line in cleaned.splitlines())
    reasons = {e.reason for e in edits}
    assert {"hyphenation", "page-number", "running-head"} <= reasons
    i = cleaned.index("organization")
    a, b = offset_map.to_original(i, i + len("organization"))
    assert text[a:b] == "organiza-\ntion"


def test_a_line_that_continues_in_lower_case_is_joined():
    cleaned, _, _ = clean("He said “it originated with Stalin,”\nappears to be so.")
    assert "Stalin,” appears" in cleaned


def test_apply_edits_with_replacement_and_deletion():
    text, m = apply_edits(
        "ab-\ncd &amp; e", [Edit(2, 4, "", "hyphenation"), Edit(7, 12, "&", "html-entity")]
    )
    assert text == "abcd & e"
    assert m.to_original(0, 4) == (0, 6)
    assert m.to_original(5, 6) == (7, 12)
    assert OffsetMap.identity(5).to_original(1, 3) == (1, 3)


def test_html_offsets_point_into_the_source():
    source = (
        "<html><head><title>Report</title></head><body><p>General Miller&#8217;s "
        "deputy <b>Skoblin</b> &amp; others.</p><script>alert(1)</script></body></html>"
    )
    doc = read_text(source, name="r.html", kind="html")
    assert doc.title == "Report"
    assert "alert" not in doc.clean_text and "<" not in doc.clean_text
    i = doc.clean_text.index("Skoblin")
    a, b = doc.offset_map.to_original(i, i + len("Skoblin"))
    assert source[a:b] == "Skoblin"


def test_markdown_marks_are_removed_and_mapped():
    source = "# The Affair\n\nThe **NKVD** met [Skoblin](http://x) in *Paris*.\n"
    doc = read_text(source, name="a.md", kind="markdown")
    assert doc.title == "The Affair"
    assert "The NKVD met Skoblin in Paris." in doc.clean_text
    i = doc.clean_text.index("Paris")
    a, b = doc.offset_map.to_original(i, i + 5)
    assert source[a:b] == "Paris"
