"""A folder with two chapters of one (made-up) book, a report by someone else, and a
sources.csv, ingested with the real pipeline: titles, authors, the reference date, "who says
what" on cards, the timeline and contradictions, `kartoteka documents`, a sidecar changed
and re-read, a malformed sidecar, and the metadata in the exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoteka.cli import main
from kartoteka.pipeline import ingest
from kartoteka.query.cards import card, the_entity
from kartoteka.query.documents import document_list
from kartoteka.query.facts import contradictions
from kartoteka.query.timeline import timeline
from kartoteka.store import Store

pytestmark = pytest.mark.model

TEXTS = {
    "book/ch1.txt": "The Quiet Couriers. Marta Ilves\n\n"
    "Anton Kessler came to Riga on 12 March. Lina Baum met him at the station.\n",
    "book/ch2.txt": "The Quiet Couriers. Marta Ilves\n\n"
    "Kessler was killed in Vienna on 3 May. Baum said nothing.\n",
    "report.txt": "Police report\n\n"
    "Anton Kessler was killed in Vienna on 9 June. He had a Swiss passport.\n",
}
SOURCES = (
    "path,title,author,date,kind,reliability\n"
    'book/ch1.txt,"The Quiet Couriers, ch. 1",Marta Ilves,1938,memoir,from memory\n'
    'ch2.txt,"The Quiet Couriers, ch. 2",Marta Ilves,1938,memoir,from memory\n'
    'report.txt,Report on Kessler,"Roth, Karl",1938,police report,official\n'
)


def _folder(root: Path, sources: str = SOURCES) -> Path:
    folder = root / "sources"
    for name, text in TEXTS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("couriers")
    folder = _folder(root)
    db = root / "k.db"
    with Store.open(db) as store:
        report = ingest([folder], store)
    assert not report.failed, report.failed
    return folder, db


@pytest.fixture
def copy(ingested, tmp_path) -> tuple[Path, Path]:
    folder, db = ingested
    shutil.copytree(folder, tmp_path / "sources")
    shutil.copy(db, tmp_path / "k.db")
    # the store knows the files and the sidecar by their absolute paths: point it at the copies
    with Store.open(tmp_path / "k.db") as store, store.transaction() as conn:
        conn.execute(
            "UPDATE documents SET path = replace(path, :old, :new),"
            " metadata_from = replace(metadata_from, :old, :new)",
            {"old": str(folder), "new": str(tmp_path / "sources")},
        )
    return tmp_path / "sources", tmp_path / "k.db"


def _documents(db: Path) -> dict[str, dict]:
    with Store.open(db) as store:
        return {d["name"]: d for d in document_list(store)["documents"]}


def _timex(db: Path, name: str, text: str) -> str:
    with Store.open(db) as store:
        return store.conn.execute(
            "SELECT t.value FROM timexes t JOIN documents d ON d.id = t.doc_id"
            " WHERE d.name = ? AND t.text = ?",
            (name, text),
        ).fetchone()[0]


def test_each_chapter_shows_its_own_title_and_its_source(ingested):
    docs = _documents(ingested[1])
    assert docs["ch1.txt"]["title"] == "The Quiet Couriers, ch. 1"
    assert docs["ch2.txt"]["title"] == "The Quiet Couriers, ch. 2"
    assert docs["ch2.txt"]["source"] == "Ilves 1938"
    assert docs["report.txt"]["source"] == "Roth 1938"
    assert docs["report.txt"]["kind"] == "police report"
    assert docs["ch1.txt"]["reliability"] == "from memory"
    assert docs["ch1.txt"]["metadata_from"].endswith("sources.csv line 2")


def test_the_sources_date_anchors_its_partial_dates(ingested):
    assert _timex(ingested[1], "ch1.txt", "12 March") == "1938-03-12"


def test_the_heading_line_still_hides_its_names_when_a_sidecar_gives_the_title(ingested):
    with Store.open(ingested[1]) as store:
        names = {r[0] for r in store.conn.execute("SELECT name FROM entities")}
    assert "Marta Ilves" not in names and "Anton Kessler" in names


def test_cards_timeline_and_contradictions_say_who_says_what(ingested):
    with Store.open(ingested[1]) as store:
        kessler = the_entity(store, "Kessler")
        data = card(store, kessler["id"])
        lines = timeline(store, entity_id=kessler["id"])
        found = contradictions(store)
    assert {d["source"] for d in data["documents"]} == {"Ilves 1938", "Roth 1938"}
    told = {p["source"] for ev in data["events"] for p in ev["evidence"]}
    assert told == {"Ilves 1938", "Roth 1938"}
    assert {p["source"] for line in lines for p in line["evidence"]} >= {"Ilves 1938"}
    assert [(c["left"]["source"], c["right"]["source"]) for c in found] == [
        ("Ilves 1938", "Roth 1938")
    ]


def test_the_command_line_shows_the_sources(ingested):
    db = str(ingested[1])
    runner = CliRunner()
    shown = runner.invoke(main, ["show", "Kessler", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "Roth 1938: “Anton Kessler was killed in Vienna on 9 June.”" in shown.output
    listed = runner.invoke(main, ["documents", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "ch2.txt (Ilves 1938): The Quiet Couriers, ch. 2" in listed.output
    assert "police report · dated 1938 · reliability: official" in listed.output
    as_json = runner.invoke(main, ["documents", "--db", db, "--json"])
    assert {json.loads(line)["source"] for line in as_json.output.splitlines()} == {
        "Ilves 1938",
        "Roth 1938",
    }
    disagree = runner.invoke(main, ["contradictions", "--db", db])
    assert "Ilves 1938, ch2.txt" in disagree.output and "Roth 1938, report.txt" in disagree.output


def test_a_new_title_is_written_without_annotating_again(copy):
    folder, db = copy
    with Store.open(db) as store:
        before = store.conn.execute(
            "SELECT m.id, d.ingested_at FROM mentions m JOIN documents d ON d.id = m.doc_id"
        ).fetchall()
    sources = SOURCES.replace("The Quiet Couriers, ch. 2", "Couriers II: Vienna")
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    with Store.open(db) as store:
        report = ingest([folder], store)
        after = store.conn.execute(
            "SELECT m.id, d.ingested_at FROM mentions m JOIN documents d ON d.id = m.doc_id"
        ).fetchall()
        found = store.conn.execute(
            "SELECT rowid FROM search_documents WHERE search_documents MATCH 'title:Vienna'"
        ).fetchall()
    assert [Path(p).name for p in report.described] == ["ch2.txt"]
    assert (report.added, report.replaced, report.failed) == ([], [], [])
    assert [tuple(r) for r in after] == [tuple(r) for r in before]  # the same rows: not re-read
    assert _documents(db)["ch2.txt"]["title"] == "Couriers II: Vienna"
    assert len(found) == 1  # the search index has the new title


def test_a_new_date_annotates_again_and_as_of_wins(copy):
    folder, db = copy
    (folder / "sources.csv").write_text(SOURCES.replace(",1938,memoir", ",1939,memoir"), "utf-8")
    with Store.open(db) as store:
        report = ingest([folder], store)
    assert sorted(Path(p).name for p in report.replaced) == ["ch1.txt", "ch2.txt"]
    assert _timex(db, "ch1.txt", "12 March") == "1939-03-12"
    with Store.open(db) as store:
        ingest([folder], store, as_of="1940")
    assert _timex(db, "ch1.txt", "12 March") == "1940-03-12"
    assert _documents(db)["ch1.txt"]["date"] == "1939"  # the source's date is kept as given


def test_a_malformed_sidecar_is_reported_by_line_and_the_batch_goes_on(tmp_path):
    bad = SOURCES + "report.txt,Again,Someone,1938\nch9.txt,,,1938\nch1.txt,,,19S8\n"
    folder = _folder(tmp_path, bad)
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "k.db"), "-q"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    where = f"error: {folder / 'sources.csv'}: "
    assert sorted(errors) == sorted(
        [
            where
            + "line 5: a second row for report.txt (the first is at line 4); the first is used",
            where + f"line 6: no file 'ch9.txt' under {folder}; check the path",
            where + "line 7: the date '19S8' is not EDTF, e.g. 1951, 1951-03, 1951-03-14 or 1951~;"
            " the row is used without it",
            where
            + "line 7: a second row for book/ch1.txt (the first is at line 2); the first is used",
        ]
    )
    docs = _documents(tmp_path / "k.db")
    assert set(docs) == {"ch1.txt", "ch2.txt", "report.txt"}  # every file was read
    assert docs["report.txt"]["source"] == "Roth 1938"  # the first row for it holds


def test_the_exports_carry_the_metadata(ingested, tmp_path):
    from lxml import etree

    db = str(ingested[1])
    runner = CliRunner()
    for fmt, out in (("json", "k.json"), ("csv", "csv"), ("tei", "tei"), ("timelinejs", "t.json")):
        result = runner.invoke(
            main, ["export", "--db", db, "--format", fmt, "-o", str(tmp_path / out)]
        )
        assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "k.json").read_text("utf-8"))
    report = next(d for d in data["documents"] if d["name"] == "report.txt")
    assert (report["author"], report["date"], report["kind"], report["source"]) == (
        "Roth, Karl",
        "1938",
        "police report",
        "Roth 1938",
    )
    assert report["as_of"] == "1938" and report["reliability"] == "official"
    header = (tmp_path / "csv" / "documents.csv").read_text("utf-8").splitlines()[0]
    assert header == "id,name,title,path,pages,source,author,date,kind,reliability"
    tei_file = next(p for p in (tmp_path / "tei").iterdir() if "report" in p.name)
    tei = etree.parse(str(tei_file))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert tei.xpath("//t:titleStmt/t:author/text()", namespaces=ns) == ["Roth, Karl"]
    assert tei.xpath("//t:sourceDesc/t:bibl/t:date/@when", namespaces=ns) == ["1938"]
    assert tei.xpath("//t:bibl/t:note[@type='reliability']/text()", namespaces=ns) == ["official"]
    slides = json.loads((tmp_path / "t.json").read_text("utf-8"))["events"]
    assert any("(Roth 1938)" in s["text"]["text"] for s in slides)


def test_the_ftm_document_has_its_author(ingested):
    pytest.importorskip("followthemoney")
    from kartoteka.export.ftm import ftm_entities

    with Store.open(ingested[1]) as store:
        documents = [e for e in ftm_entities(store) if e["schema"] == "Document"]
    report = next(d for d in documents if d["properties"]["fileName"] == ["report.txt"])
    assert report["properties"]["author"] == ["Roth, Karl"]
    assert report["properties"]["publishedAt"] == ["1938"]
