"""The laid-out formats: PDF, EPUB, Word, ALTO and hOCR read into a text with pages and boxes,
page furniture cleaned away, offsets back to the extracted text; bad files refused with a
reason that says what to do."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from kartoteka.read import ReadError, discover, read_document
from kartoteka.read.pages import PageMap, boxes_of_span
from tests.formats import HEAD, write_alto, write_docx, write_epub, write_hocr, write_pdf

PAGED = {"pdf": write_pdf, "alto": write_alto, "hocr": write_hocr}


def _clean_span_of(doc, word: str) -> tuple[int, int]:
    """The original span of `word` as it stands in the cleaned text."""
    i = doc.clean_text.index(word)
    return doc.offset_map.to_original(i, i + len(word))


@pytest.mark.parametrize("kind", sorted(PAGED))
def test_a_paged_source_keeps_its_pages_and_loses_its_furniture(tmp_path, kind):
    doc = read_document(PAGED[kind](tmp_path))
    assert doc.page_map.breaks()[0] == (0, 1) and len(doc.page_map) == 3
    clean = doc.clean_text
    # the running head and the page numbers are gone; the words are all there
    assert HEAD not in clean
    assert not re.search(r"^\s*\d+\s*$", clean, re.MULTILINE)
    assert {r.reason for r in doc.removals} & {"running-head", "page-number", "page-margin"}
    # the sentence over the page break is whole again, the hyphenated word joined
    assert "the organization of the Vienna station" in clean
    # and each word's original span is on the page it was printed on
    for word, page in (("Pavel Orlov", 1), ("organization", 1), ("July 1937", 2), ("Geneva", 3)):
        start, end = _clean_span_of(doc, word)
        assert doc.page_map.page_at(start) == page, word
    start, end = _clean_span_of(doc, "July 1937")
    assert doc.text[start:end] == "July 1937"


def test_offsets_of_copied_text_point_at_the_same_characters(tmp_path):
    doc = read_document(write_pdf(tmp_path))
    for m in re.finditer(r"[A-Z][a-z]+", doc.clean_text):
        start, end = doc.offset_map.to_original(m.start(), m.end())
        assert doc.text[start:end] == m.group()


@pytest.mark.parametrize("version", [2, 3, 4])
def test_alto_versions_and_word_boxes(tmp_path, version):
    doc = read_document(write_alto(tmp_path, version=version))
    start, end = _clean_span_of(doc, "Marta Lind")
    words = boxes_of_span(doc.boxes, start, end)
    assert [doc.text[b.start : b.end] for b in words] == ["Marta", "Lind"]
    assert all(b.page == 2 for b in words)
    # the written fixture puts the third line of a page at VPOS 280, words 18 units a letter
    assert words[0].y == 280 and words[0].w == 18 * len("Marta")
    lines = boxes_of_span(doc.boxes, start, end, kind="line")
    assert len(lines) == 1 and doc.text[lines[0].start : lines[0].end].endswith("about the arrest.")


def test_alto_without_a_namespace_and_physical_page_numbers(tmp_path):
    xml = (
        "<alto><Layout>"
        '<Page PHYSICAL_IMG_NR="37"><PrintSpace><TextBlock><TextLine>'
        '<String CONTENT="Orlov"/><SP/><String CONTENT="left."/>'
        "</TextLine></TextBlock></PrintSpace></Page>"
        "</Layout></alto>"
    )
    path = tmp_path / "p37.xml"
    path.write_text(xml, encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Orlov left.\n" and doc.page_map.breaks() == [(0, 37)]


def test_hocr_pages_count_from_ppageno_and_keep_word_boxes(tmp_path):
    doc = read_document(write_hocr(tmp_path))
    start, end = _clean_span_of(doc, "Weiss wrote")
    first = boxes_of_span(doc.boxes, start, end)[0]
    assert doc.text[first.start : first.end] == "Weiss" and first.page == 2
    assert (first.x, first.w, first.h) == (100, 110, 30)


def test_epub_reads_the_spine_with_print_page_markers(tmp_path):
    doc = read_document(write_epub(tmp_path))
    assert doc.title == "The Letters"
    assert "Colonel Anton Weiss again on 12 May 1938." in doc.clean_text
    # the note reference is kept in the original and removed by cleaning
    assert "Orlov.1" in doc.text and "Orlov.\n" in doc.clean_text
    start, _ = _clean_span_of(doc, "Marta Lind")
    assert doc.page_map.page_at(start) == 11
    start, _ = _clean_span_of(doc, "General Pavel Orlov")
    assert doc.page_map.page_at(start) == 13


def test_an_epub_without_page_markers_has_no_page_map(tmp_path):
    doc = read_document(write_epub(tmp_path, page_breaks=False))
    assert doc.page_map is None and "Marta Lind moved from Geneva" in doc.clean_text


def test_docx_reads_the_body_pages_from_its_breaks_and_not_the_header(tmp_path):
    doc = read_document(write_docx(tmp_path))
    assert "RUNNING HEAD" not in doc.text
    assert doc.title == "The Letters"
    start, _ = _clean_span_of(doc, "Marta Lind")
    assert doc.page_map.page_at(start) == 1
    start, _ = _clean_span_of(doc, "Colonel Anton Weiss")
    assert doc.page_map.page_at(start) == 2
    assert read_document(write_docx(tmp_path, "flat.docx", page_break=False)).page_map is None


def test_the_new_suffixes_are_discovered(tmp_path):
    for write in (write_pdf, write_epub, write_docx, write_alto, write_hocr):
        write(tmp_path)
    assert sorted(p.suffix for p in discover([tmp_path])) == sorted(
        [".pdf", ".epub", ".docx", ".xml", ".hocr"]
    )


def test_page_map_round_trips_through_json():
    pages = PageMap([0, 10, 25], [4, 5, 6])
    again = PageMap.from_json(pages.to_json())
    assert [again.page_at(i) for i in (0, 9, 10, 24, 25, 10_000)] == [4, 4, 5, 5, 6, 6]


# bad files ---------------------------------------------------------------------------------


def _refused(path, *needles):
    with pytest.raises(ReadError) as raised:
        read_document(path)
    message = str(raised.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    return message


def test_a_pdf_without_a_text_layer_says_to_ocr_it(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a scanned page is an image: no text drawn
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    _refused(path, "no text layer", "ocrmypdf")


def test_an_encrypted_pdf_is_refused_with_what_to_do(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Orlov left Vienna.")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    _refused(path, "encrypted", "decrypt")


def test_a_damaged_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n" + b"x" * 100)
    _refused(path, "PDF")


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = {"mimetype": b"application/epub+zip", "OEBPS/c1.xhtml": b"\0" * (50 * 2**20)}
    for name in ("bomb.epub", "bomb.docx"):
        path = _zip(tmp_path / name, bomb)
        assert path.stat().st_size < 2**20
        _refused(path, "zip bomb")


def test_an_encrypted_word_file_and_a_drm_epub_are_refused(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _refused(path, "password")
    source = write_epub(tmp_path)
    with zipfile.ZipFile(source) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    members["META-INF/encryption.xml"] = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"'
        b' xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        b'<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        b"</enc:EncryptedData></encryption>"
    )
    _refused(_zip(tmp_path / "drm.epub", members), "DRM")


def test_a_file_that_is_not_what_its_suffix_says(tmp_path):
    (tmp_path / "notes.epub").write_text("just some text, not a zip")
    _refused(tmp_path / "notes.epub", "not a readable EPUB")
    (tmp_path / "mets.xml").write_text('<mets xmlns="http://www.loc.gov/METS/"/>')
    _refused(tmp_path / "mets.xml", "not ALTO")
    (tmp_path / "page.hocr").write_text("<html><body><p>no OCR here</p></body></html>")
    _refused(tmp_path / "page.hocr", "ocr_page")


def test_malformed_xml_names_the_line(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<alto>\n<Layout><Page>\n<PrintSpace></Layout>\n</alto>\n")
    _refused(path, "not well-formed XML", "line 3")


def test_xml_entities_are_not_expanded(tmp_path):
    from kartoteka.read.safety import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(9))
    doctype = f'<!DOCTYPE alto [<!ENTITY xxe SYSTEM "file://{secret}">{laughs}]>'
    root = parse_xml(f"{doctype}<alto><x>&xxe;</x></alto>".encode(), "x.xml", "ALTO file")
    assert "TOPSECRET" not in "".join(t for t in root.itertext() if isinstance(t, str))
    # a billion laughs: libxml2 refuses the amplification outright
    try:
        root = parse_xml(f"{doctype}<alto><x>&l8;</x></alto>".encode(), "x.xml", "ALTO file")
    except ReadError as e:
        assert "amplification" in str(e)
    else:
        assert "haha" not in "".join(t for t in root.itertext() if isinstance(t, str))
    # in an attribute (where ALTO keeps its words) an entity is an error, reported as such
    path = tmp_path / "evil.xml"
    path.write_text(
        f'{doctype}<alto><Layout><Page><String CONTENT="&xxe;"/></Page></Layout></alto>'
    )
    _refused(path, "not well-formed XML")


def test_the_zip_check_allows_an_ordinary_book():
    from kartoteka.read.safety import open_zip

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("text.xhtml", ("<p>Orlov left Vienna in July 1937.</p>\n" * 5000).encode())
    open_zip(data.getvalue(), "book.epub", "EPUB").close()
