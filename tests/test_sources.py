"""Sidecar files (sources.csv, CSL-JSON): reading them, matching rows to files, the label
"Author year", and what the readers of EPUB, Word and PDF say of their own files. No language
model here; tests/test_sources_ingest.py ingests with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kartoteka.model import SourceMetadata
from kartoteka.pipeline import describe_source, title_line_end
from kartoteka.query.sources import source_label
from kartoteka.read import read_document, read_text
from kartoteka.read.sidecar import SourceCatalog, merge_metadata, parse_csl_json, parse_csv
from tests.formats import write_docx, write_epub, write_pdf


def _files(folder: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Kessler left Riga.\n", encoding="utf-8")
        out.append(path)
    return out


# sources.csv ------------------------------------------------------------------------------


def test_a_spreadsheets_csv_is_read_whatever_its_separator_case_and_byte_order_mark():
    text = (
        "\ufeffFile;Title;AUTHOR;Date;Kind;Reliability;Shelf\n"
        'ch1.txt;"Couriers; ch. 1";Marta Ilves;1953;memoir;"from memory,\nlate";B4\n'
        'ch2.txt;;"Ilves, Marta; Roth, Karl";1953-03;memoir;;B5\n'
    )
    entries, problems = parse_csv(text.removeprefix("\ufeff"), "sources.csv")
    assert problems == []
    first, second = entries
    assert first.keys == ("ch1.txt",) and first.line == 2
    assert first.metadata.title == "Couriers; ch. 1"
    assert first.metadata.reliability == "from memory,\nlate"
    assert first.metadata.origin == "sources.csv line 2"
    # the quoted cell ran over two lines: the next row starts on line 4
    assert second.line == 4 and second.metadata.title is None
    assert second.metadata.author == "Ilves, Marta; Roth, Karl"
    assert second.metadata.date == "1953-03"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("title,author\nx,y\n", "line 1: the header names no `path` column"),
        ("path,date\nch1.txt,19S1\n", "line 2: the date '19S1' is not EDTF"),
        ("path,author\n,Ilves\n", "line 2: no path"),
        ('path,title\nch1.txt,"never closed\n', "line 2: not CSV"),
    ],
)
def test_a_bad_csv_row_is_a_problem_naming_its_line(text, expected):
    _, problems = parse_csv(text, "sources.csv")
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_row_with_a_bad_date_is_used_without_it():
    entries, _ = parse_csv("path,author,date\nch1.txt,Ilves,March 1953\n", "s.csv")
    assert entries[0].metadata.author == "Ilves" and entries[0].metadata.date is None


# CSL-JSON ---------------------------------------------------------------------------------

ZOTERO = [
    {
        "id": "ilves1953",
        "type": "chapter",
        "title": "Riga",
        "container-title": "The Quiet Couriers",
        "author": [{"family": "Ilves", "given": "Marta"}, {"literal": "The Latvian Circle"}],
        "issued": {"date-parts": [[1953, 3]]},
        "note": "shelf: B4\nReliability: written from memory",
    },
    {"id": "roth", "path": "b/roth.txt", "issued": {"raw": "1936~"}, "reliability": "hearsay"},
    {"id": "bad", "issued": {"raw": "spring"}},
]


def test_zotero_csl_json_gives_title_authors_date_kind_and_reliability():
    text = json.dumps(ZOTERO, indent=2)
    entries, problems = parse_csl_json(text, "sources.json")
    first, second, third = entries
    assert first.keys == ("ilves1953",) and first.by_stem
    assert first.metadata.author == "Ilves, Marta; The Latvian Circle"
    assert first.metadata.date == "1953-03"
    assert first.metadata.kind == "chapter"
    assert first.metadata.reliability == "written from memory"
    assert second.keys == ("b/roth.txt",) and not second.by_stem
    assert second.metadata.date == "1936~" and second.metadata.reliability == "hearsay"
    assert third.metadata.date is None
    # the problem names the line where the bad item starts
    start = text.splitlines().index("  {", 30) + 1
    assert len(problems) == 1
    assert problems[0].startswith(f"line {start}: the date 'spring' is not EDTF")


def test_a_file_that_is_not_json_names_the_line():
    _, problems = parse_csl_json('[\n{"id": "a",\n "title": }\n]', "sources.json")
    assert problems[0].startswith("line 3: not JSON")


# matching rows to files -------------------------------------------------------------------


def test_rows_match_by_relative_path_or_by_a_file_name_no_other_file_has(tmp_path):
    files = _files(tmp_path, "a/ch1.txt", "b/ch1.txt", "b/ch2.txt", "notes.md")
    (tmp_path / "sources.csv").write_text(
        "path,author\na/ch1.txt,Ilves\nch2.txt,Roth\nch1.txt,Both\nnotes.md,Self\nch9.txt,X\n",
        encoding="utf-8",
    )
    catalog = SourceCatalog.find([tmp_path], files)
    assert catalog.lookup(tmp_path / "a/ch1.txt").author == "Ilves"
    assert catalog.lookup(tmp_path / "b/ch2.txt").author == "Roth"
    assert catalog.lookup(tmp_path / "b/ch1.txt") is None
    assert catalog.lookup(tmp_path / "notes.md").author == "Self"
    reasons = [reason for _, reason in catalog.problems]
    assert reasons[0].startswith("line 4: 'ch1.txt' names 2 files (a/ch1.txt, b/ch1.txt)")
    assert reasons[1].startswith("line 6: no file 'ch9.txt'")
    assert len(reasons) == 2


def test_the_nearer_sidecar_wins_and_a_second_row_for_a_file_is_reported(tmp_path):
    files = _files(tmp_path, "book/ch1.txt", "book/ch2.txt")
    (tmp_path / "sources.csv").write_text(
        "path,author,date\nbook/ch1.txt,Outer,1950\nbook/ch2.txt,Outer,1950\n", encoding="utf-8"
    )
    (tmp_path / "book" / "sources.csv").write_text(
        "path,author\nch1.txt,Inner\nch1.txt,Again\n", encoding="utf-8"
    )
    catalog = SourceCatalog.find([tmp_path], files)
    assert catalog.lookup(files[0]).author == "Inner"
    assert catalog.lookup(files[1]).author == "Outer"
    assert [r for _, r in catalog.problems] == [
        "line 3: a second row for ch1.txt (the first is at line 2); the first is used"
    ]


def test_a_csl_citation_key_matches_a_file_named_after_it(tmp_path):
    files = _files(tmp_path, "ilves1953.txt", "b/roth.txt")
    (tmp_path / "library.csl.json").write_text(json.dumps(ZOTERO[:2]), encoding="utf-8")
    catalog = SourceCatalog.find([tmp_path], files)
    assert catalog.lookup(files[0]).title == "Riga"
    assert catalog.lookup(files[1]).reliability == "hearsay"


def test_a_file_given_by_name_finds_the_sidecar_beside_it_and_no_row_is_missing(tmp_path):
    files = _files(tmp_path, "ch1.txt", "ch2.txt")
    (tmp_path / "sources.csv").write_text(
        "path,author\nch1.txt,Ilves\nch2.txt,Roth\n", encoding="utf-8"
    )
    catalog = SourceCatalog.find([files[0]], files[:1])
    assert catalog.lookup(files[0]).author == "Ilves"
    assert catalog.problems == []  # ch2.txt was not asked for: its row is not missing


def test_a_sidecar_that_is_not_utf8_is_reported_and_nothing_else_stops(tmp_path):
    files = _files(tmp_path, "ch1.txt")
    (tmp_path / "sources.csv").write_bytes(b"path,author\nch1.txt,Ren\xe9\n")
    catalog = SourceCatalog.find([tmp_path], files)
    assert catalog.lookup(files[0]) is None
    assert catalog.problems[0][1].startswith("line 2: not UTF-8 text")


# what the metadata does to a document -----------------------------------------------------


def test_the_sidecar_wins_field_by_field_over_the_files_own_metadata():
    sidecar = SourceMetadata(author="Ilves, Marta", date="1953", origin="s.csv line 2")
    own = SourceMetadata(title="The Quiet Couriers", author="M. I.", origin="EPUB metadata")
    merged = merge_metadata(sidecar, own)
    assert (merged.title, merged.author, merged.date) == (
        "The Quiet Couriers",
        "Ilves, Marta",
        "1953",
    )
    assert merged.origin == "s.csv line 2; EPUB metadata"
    assert merge_metadata(None, own) is own


def test_the_sources_date_is_the_reference_date_unless_as_of_is_given():
    doc = read_text("Kessler left Riga on 12 March.", name="a.txt")
    describe_source(doc, SourceMetadata(title="Riga", date="1953"))
    assert doc.as_of == "1953" and doc.shown_title == "Riga"
    describe_source(doc, SourceMetadata(date="1953"), as_of="1940-01-01")
    assert doc.as_of == "1940-01-01"
    describe_source(doc, SourceMetadata(date="XXXX"))  # names no point in time: anchors nothing
    assert doc.as_of is None and doc.metadata.date == "XXXX"


def test_only_a_first_line_that_is_the_texts_own_title_hides_its_names():
    heading = read_text("The Quiet Couriers. Marta Ilves 1953\n\nKessler left.", name="a.txt")
    assert title_line_end(heading) == len("The Quiet Couriers. Marta Ilves 1953")
    describe_source(heading, SourceMetadata(title="Riga"))  # metadata leaves the rule alone
    assert title_line_end(heading) == len("The Quiet Couriers. Marta Ilves 1953")
    page = read_text(
        "<html><head><title>Notes</title></head><body><p>Marta Ilves wrote to Kessler.</p>"
        "<p>He left.</p></body></html>",
        name="a.html",
        kind="html",
    )
    assert page.title == "Notes" and title_line_end(page) == 0


@pytest.mark.parametrize(
    "name, author, date, label",
    [
        ("ch1.txt", "Marta Ilves", "1953", "Ilves 1953"),
        ("ch1.txt", "Ilves, Marta", "1953-03-14", "Ilves 1953"),
        ("ch1.txt", "Ilves, Marta; Roth, Karl", "1953~", "Ilves and Roth 1953"),
        ("ch1.txt", "Ilves, Marta; Roth, Karl; Lind, Eva", None, "Ilves et al."),
        ("ch1.txt", "Charles de Gaulle", "195X", "de Gaulle 195X"),
        ("ch1.txt", None, "1953", "ch1.txt"),
        ("ch1.txt", " ; ", "1953", "ch1.txt"),
    ],
)
def test_the_source_label(name, author, date, label):
    assert source_label(name, author, date) == label


# the files' own metadata ------------------------------------------------------------------


def test_an_epub_gives_its_title_and_authors_but_not_its_translator(tmp_path):
    path = write_epub(
        tmp_path,
        creators=(
            '<dc:creator id="c1">Marta Ilves</dc:creator>'
            '<dc:creator id="c2" xmlns:opf="http://www.idpf.org/2007/opf" opf:role="trl">'
            "Karl Roth</dc:creator>"
        ),
    )
    metadata = read_document(path).metadata
    assert (metadata.title, metadata.author, metadata.origin) == (
        "The Letters",
        "Marta Ilves",
        "EPUB metadata",
    )


def test_a_word_file_gives_its_title_but_not_the_typist_as_author(tmp_path):
    document = read_document(write_docx(tmp_path, title="The Letters, copied"))
    assert document.metadata.title == "The Letters, copied"
    assert document.metadata.author is None
    assert document.shown_title == "The Letters, copied"
    assert read_document(write_docx(tmp_path, name="b.docx")).metadata is None


def test_a_pdf_gives_its_title_unless_it_is_only_a_file_name(tmp_path):
    assert read_document(write_pdf(tmp_path, title="The Quiet Years")).shown_title == (
        "The Quiet Years"
    )
    made = read_document(write_pdf(tmp_path, name="b.pdf", title="Microsoft Word - quiet.docx"))
    assert made.metadata is None
