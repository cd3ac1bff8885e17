"""Hostile and unlucky files in a batch (issue 12, failures 12 and 14, the reading part).

A size limit per file with a clear message; link loops reported, not skipped silently;
per-file errors printed as they happen, not after the batch; a first ingest that adds
nothing leaves no store file behind; what decoding decided reaches the ingest report.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from click.testing import CliRunner

from kartoteka.cli import main
from kartoteka.read import ReadError, discover, read_document

CLI = "from kartoteka.cli import main; main()"
SENTENCE = "General Petrov met Colonel Ivanov in Riga in the spring of 1921.\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# -- size limit --------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(SENTENCE * 100, encoding="utf-8")
    with pytest.raises(ReadError) as raised:
        read_document(path, max_bytes=1024)
    reason = raised.value.reason
    assert "1 KB" in reason and "--max-file-size" in reason
    assert read_document(path, max_bytes=len(SENTENCE) * 100).text == SENTENCE * 100


def test_the_default_limit_takes_a_whole_book(tmp_path):
    from kartoteka.read import DEFAULT_MAX_FILE_BYTES

    assert DEFAULT_MAX_FILE_BYTES >= 16 * 1024 * 1024  # the longest books are 3 to 5 MB


@pytest.mark.parametrize(
    "text, size",
    [("50MB", 50 * 1024**2), ("512k", 512 * 1024), ("2 GB", 2 * 1024**3), ("1000", 1000)],
)
def test_sizes_are_read_as_people_write_them(text, size):
    from kartoteka.read import parse_size

    assert parse_size(text) == size


def test_a_bad_size_is_a_usage_error(tmp_path):
    result = run("ingest", tmp_path, "--db", tmp_path / "k.db", "--max-file-size", "lots")
    assert result.exit_code == 2 and "not a size" in result.output


@pytest.mark.model
def test_the_size_limit_is_an_ingest_option_kept_for_later_runs(tmp_path):
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(SENTENCE, encoding="utf-8")
    large.write_text(SENTENCE * 40, encoding="utf-8")
    with Store.open(tmp_path / "k.db") as store:
        report = ingest([small, large], store, max_file_bytes=1024)
        assert report.added == [str(small.resolve())]
        assert [p for p, _ in report.failed] == [str(large)]
        # a later run without the option keeps the limit; 0 goes back to the default
        assert ingest([large], store).failed
        assert ingest([large], store, max_file_bytes=0).added == [str(large.resolve())]


# -- links ---------------------------------------------------------------------------------


def test_a_link_loop_is_reported_and_walked_once(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(SENTENCE)
    (corpus / "sub" / "b.txt").write_text(SENTENCE)
    os.symlink("..", corpus / "sub" / "up")  # a loop: sub/up/sub/up/...
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text(SENTENCE)
    os.symlink(elsewhere, corpus / "linked")  # a link to a folder outside: followed
    skipped = []
    found = list(discover([corpus], on_skip=lambda path, why: skipped.append((path, why))))
    assert [p.relative_to(corpus).as_posix() for p in found] == [
        "a.txt",
        "linked/c.txt",
        "sub/b.txt",
    ]
    ((path, why),) = skipped
    assert path == str(corpus / "sub" / "up") and "read already" in why


def test_links_to_nothing_and_file_loops_are_read_errors(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink("missing.txt", corpus / "broken.txt")
    os.symlink("two.txt", corpus / "one.txt")
    os.symlink("one.txt", corpus / "two.txt")
    found = list(discover([corpus]))
    assert [p.name for p in found] == ["broken.txt", "one.txt", "two.txt"]
    with pytest.raises(ReadError, match="link to missing.txt, which does not exist"):
        read_document(found[0])
    with pytest.raises(ReadError, match="loop"):
        read_document(found[1])


# -- the report and the command line -------------------------------------------------------


@pytest.mark.model
def test_what_decoding_decided_is_in_the_report_and_printed(tmp_path):
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    damaged = tmp_path / "damaged.txt"
    text = (SENTENCE * 5 + "Herr Müller kam aus Zürich.\n").encode()
    damaged.write_bytes(text[:70] + b"\xfc" + text[70:])
    heard = []
    with Store.open(tmp_path / "k.db") as store:
        report = ingest([damaged], store, on_event=lambda kind, m: heard.append((kind, m)))
    ((path, note),) = report.warnings
    assert path == str(damaged) and "byte 70" in note
    assert ("warning", f"{damaged}: {note}") in heard
    result = run("ingest", damaged, "--db", tmp_path / "k2.db", "--quiet")
    assert result.exit_code == 0 and "warning:" in result.stderr and "byte 70" in result.stderr


@pytest.mark.model
def test_a_first_ingest_that_adds_nothing_leaves_no_store(tmp_path):
    db = tmp_path / "k.db"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    result = run("ingest", bad, tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1 and "binary" in result.stderr and "no store made" in result.stderr
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("k.db")]
    # a later command says what to do, instead of showing an empty index
    assert "kartoteka ingest" in run("entities", "--db", db).output
    # a store that was there before is never removed, even when nothing is added to it
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    assert run("ingest", good, "--db", db).exit_code == 0
    assert run("ingest", bad, "--db", db).exit_code == 1 and db.exists()


@pytest.mark.model
def test_an_error_is_printed_when_it_happens_not_after_the_batch(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_binary.txt").write_bytes(bytes(range(256)) * 8)
    # a file after it that takes a while to parse: the error must be out before it is stored
    (corpus / "b_long.txt").write_text(
        "The roads were long and the winter was cold that year in the north.\n" * 400,
        encoding="utf-8",
    )
    db = tmp_path / "k.db"
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "ingest", str(corpus), "--db", str(db), "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stderr.readline()
    with closing(sqlite3.connect(db)) as conn:
        stored_by_then = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    rest = process.stderr.read()
    process.wait(timeout=300)
    assert first.startswith("error:") and "a_binary.txt" in first, first + rest
    assert stored_by_then == 0, "the error came out only after the batch"
    assert "a_binary.txt" not in rest  # said once
