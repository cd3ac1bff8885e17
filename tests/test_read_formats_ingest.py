"""A folder with one file of each laid-out format, ingested whole: nothing fails, every span
of a paged source carries its page in the export, page furniture becomes no mention or date,
and the document page shows the page breaks."""

from __future__ import annotations

import pytest

from tests.formats import HEAD, write_sample_folder

pytestmark = pytest.mark.model

FURNITURE = {"running-head", "page-number", "page-margin"}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    base = tmp_path_factory.mktemp("formats")
    folder = base / "sources"
    write_sample_folder(folder)
    path = base / "formats.db"
    with Store.open(path) as store:
        report = ingest([folder], store)
    assert not report.failed, report.failed
    assert len(report.added) == 5
    return path


@pytest.fixture(scope="module")
def exported(sample_db):
    from kartoteka.export.json import export_data
    from kartoteka.store import Store

    with Store.open(sample_db) as store:
        return export_data(store)


def test_every_span_of_a_paged_source_carries_its_page(exported):
    paged = {d["id"]: d for d in exported["documents"] if d.get("pages")}
    assert {d["name"] for d in paged.values()} == {
        "quiet.pdf",
        "quiet.alto.xml",
        "quiet.hocr",
        "letters.epub",
        "letters.docx",
    }
    mentions = [m for e in exported["entities"] for m in e["mentions"] if m["doc"] in paged]
    assert mentions and all(isinstance(m["page"], int) and m["page"] >= 1 for m in mentions)
    passages = [
        p for item in (*exported["events"], *exported["relations"]) for p in item["evidence"]
    ]
    assert passages and all("page" in p for p in passages if p["doc"] in paged)
    # the same sentence stands on the same page in the PDF, the ALTO and the hOCR
    orlov = {
        (paged[m["doc"]]["name"], m["page"])
        for e in exported["entities"]
        for m in e["mentions"]
        if m["text"] == "Orlov" and m["doc"] in paged
    }
    for name in ("quiet.pdf", "quiet.alto.xml", "quiet.hocr"):
        assert {page for n, page in orlov if n == name} == {2, 3}, orlov


def test_page_furniture_becomes_no_mention_and_no_date(sample_db, exported):
    import json

    from kartoteka.store import Store

    with Store.open(sample_db) as store:
        removed = {
            r["id"]: [
                (x["start"], x["end"])
                for x in json.loads(r["removals"])
                if x["reason"] in FURNITURE
            ]
            for r in store.conn.execute("SELECT id, removals FROM documents")
        }
    assert sum(len(v) for v in removed.values()) >= 3 * 6  # head and number on 3 pages, x3
    spans = [m for e in exported["entities"] for m in e["mentions"]] + exported["timexes"]
    for span in spans:
        for start, end in removed[span["doc"]]:
            assert span["end"] <= start or span["start"] >= end, span
    assert not any(HEAD.lower() in e["name"].lower() for e in exported["entities"])


def test_the_document_page_shows_page_breaks(sample_db):
    from starlette.testclient import TestClient

    from kartoteka.store import Store
    from kartoteka.web import WebConfig, create_app

    with Store.open(sample_db) as store:
        doc_id = store.conn.execute("SELECT id FROM documents WHERE name = 'quiet.pdf'").fetchone()[
            0
        ]
    app = create_app(WebConfig(str(sample_db), allowed_hosts=("testserver",), auth=False))
    with TestClient(app) as client:
        data = client.get(f"/document/{doc_id}.json").json()
        html = client.get(f"/document/{doc_id}").text
    assert [page for _, page in data["pages"]] == [1, 2, 3]
    for page in (1, 2, 3):
        assert f'id="page-{page}" class="pg" data-page="{page}"' in html


def test_bad_laid_out_files_are_reported_and_the_batch_goes_on(tmp_path):
    import zipfile

    from fpdf import FPDF

    from kartoteka.pipeline import ingest
    from kartoteka.store import Store
    from tests.formats import write_alto

    folder = tmp_path / "sources"
    folder.mkdir()
    write_alto(folder)
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 60, style="F")
    scan.output(str(folder / "scan.pdf"))
    with zipfile.ZipFile(folder / "bomb.epub", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("OEBPS/c1.xhtml", b"\0" * (50 * 2**20))
    (folder / "broken.xml").write_text("<alto><Layout></alto>")
    with Store.open(tmp_path / "k.db") as store:
        report = ingest([folder], store)
    reasons = {path.rsplit("/", 1)[-1]: reason for path, reason in report.failed}
    assert [p.rsplit("/", 1)[-1] for p in report.added] == ["quiet.alto.xml"]
    assert "ocrmypdf" in reasons["scan.pdf"]
    assert "zip bomb" in reasons["bomb.epub"]
    assert "not well-formed XML" in reasons["broken.xml"]


def test_exports_of_paged_sources_carry_the_pages(sample_db, tmp_path):
    import csv

    from lxml import etree

    from kartoteka.export import write_export
    from kartoteka.store import Store

    with Store.open(sample_db) as store:
        write_export(store, "tei", tmp_path / "tei")
        write_export(store, "csv", tmp_path / "csv")
    tei = "{http://www.tei-c.org/ns/1.0}"
    root = etree.parse(str(next((tmp_path / "tei").glob("*-quiet.tei.xml")))).getroot()
    assert [pb.get("n") for pb in root.iter(f"{tei}pb")] == ["1", "2", "3"]
    with open(tmp_path / "csv" / "mentions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["page"] for r in rows)


def test_the_cli_asks_for_a_folder_for_csv_and_tei(sample_db):
    from click.testing import CliRunner

    from kartoteka.cli import main

    result = CliRunner().invoke(main, ["export", "--db", str(sample_db), "--format", "csv"])
    assert result.exit_code != 0 and "-o FOLDER" in result.output
