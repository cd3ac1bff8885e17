"""Decoding never guesses silently (issue 12, failure 3 and part of 14).

UTF-8 with a few bad bytes stays UTF-8, the bad bytes replaced and reported with their
positions; a legacy encoding is chosen only when its reading looks like text, and the choice
is reported; UTF-16 without a byte-order mark is text, not "binary"; an undecodable file gets
a hint that fits it.
"""

from __future__ import annotations

import pytest

from kartoteka.read import ReadError, read_document
from kartoteka.read.decode import decode

GERMAN = "Herr Müller reiste im Mai nach Zürich und traf dort seinen Schwager. "
FRENCH = "Le café à Paris était fermé ce jour-là, et Hélène partit déçue. "
RUSSIAN = "Николай Ежов был наркомом внутренних дел, а Генрих Ягода его предшественником. "
CZECH = "Pan Dvořák přišel do Prahy a potkal tam svého bratra Jiřího. "
ENGLISH = "The delegation left Vienna for Trieste on the morning train. "


def test_utf8_with_two_bad_bytes_stays_utf8_and_says_where(tmp_path):
    good = (ENGLISH * 20 + GERMAN + ENGLISH * 20).encode()
    data = good[:300] + b"\xfc" + good[300:900] + b"\xe9" + good[900:]
    path = tmp_path / "damaged.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == "utf-8"
    assert "Müller" in doc.text and "Zürich" in doc.text
    assert "Ã" not in doc.text and "Ä" not in doc.text
    assert doc.text.count("\ufffd") == 2
    (note,) = doc.notes
    assert "2 bad bytes" in note and "byte 300" in note and "byte 901" in note


def test_a_bad_byte_after_a_utf8_byte_order_mark_is_replaced_not_refused():
    data = b"\xef\xbb\xbf" + (ENGLISH * 3).encode() + b"\xff" + GERMAN.encode()
    text, encoding, notes = decode(data, "x.txt")
    assert encoding == "utf-8-sig" and text == ENGLISH * 3 + "\ufffd" + GERMAN
    assert "byte-order mark" in notes[0] and f"byte {3 + len(ENGLISH) * 3}" in notes[0]


def test_a_stray_bad_byte_in_ascii_text_is_replaced_not_read_as_cyrillic(tmp_path):
    path = tmp_path / "stray.txt"
    path.write_bytes((ENGLISH * 30).encode() + b"\x81\n")
    doc = read_document(path)
    assert doc.encoding == "utf-8" and doc.text.endswith("\ufffd\n")
    assert "byte" in doc.notes[0]


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        (FRENCH * 10, "cp1252", "cp1252"),
        (RUSSIAN * 10, "cp1251", "cp1251"),
        (RUSSIAN * 10, "koi8-r", "koi8-r"),
        (RUSSIAN * 10, "cp866", "cp866"),
        ("He said “no” and didn’t go – not then. " * 10, "cp1252", "cp1252"),
    ],
)
def test_a_legacy_encoding_is_chosen_on_evidence_and_reported(tmp_path, text, encoding, expected):
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.text == text
    assert doc.encoding == expected
    (note,) = doc.notes
    assert expected in note and "--encoding" in note


def test_an_equally_good_other_reading_is_named_in_the_report(tmp_path):
    path = tmp_path / "cz.txt"
    path.write_bytes((CZECH * 10).encode("cp1250"))
    doc = read_document(path)
    # cp1252 and cp1250 both read these bytes as Latin letters; which one is right takes
    # knowing the language, so the report names the other and how it reads
    if doc.encoding == "cp1250":
        assert doc.text == CZECH * 10
    else:
        assert "cp1250" in doc.notes[0] and "Dvořák" in doc.notes[0]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ENGLISH * 10, RUSSIAN * 10])
def test_utf16_without_a_byte_order_mark_is_text(tmp_path, codec, text):
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(codec))
    doc = read_document(path)
    assert doc.text == text and doc.encoding == codec
    assert "byte-order mark" in doc.notes[0]


def test_an_undecodable_file_gets_a_hint_that_fits_it(tmp_path):
    # many bytes that are not UTF-8 and read as nothing sensible in any legacy encoding
    junk = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x98, 0x83])
    path = tmp_path / "junk.txt"
    path.write_bytes(b"".join(ENGLISH.encode() + junk for _ in range(40)))
    with pytest.raises(ReadError) as raised:
        read_document(path)
    reason = raised.value.reason
    assert "--encoding" in reason and "not UTF-8" in reason
    assert "cp1251" not in reason  # nothing Cyrillic about it


def test_a_file_that_mixes_utf8_and_many_legacy_bytes_is_refused_for_what_it_is():
    data = (GERMAN * 30).encode() + (FRENCH * 30).encode("cp1252")
    with pytest.raises(ReadError, match="mixes UTF-8"):
        decode(data, "x.txt")


def test_a_few_cyrillic_words_after_english_are_evidence_enough():
    data = (ENGLISH * 5).encode() + ("Ёжик " * 3).encode("cp1251")
    text, encoding, notes = decode(data, "x.txt")
    assert encoding == "cp1251" and "Ёжик" in text and notes


def test_utf8_text_is_read_without_a_note():
    text, encoding, notes = decode((GERMAN * 3).encode(), "x.txt")
    assert (text, encoding, notes) == (GERMAN * 3, "utf-8", [])


def test_binary_files_are_still_refused():
    with pytest.raises(ReadError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "x.png")
    with pytest.raises(ReadError, match="binary"):
        decode(bytes(range(256)) * 40, "x.bin")
