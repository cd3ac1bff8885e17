"""The command line through click's runner, on a real store."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kartoteka.cli import main

from .conftest import EXAMPLES

pytestmark = pytest.mark.model


def run(*args, ok=True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_ingest_then_list_show_export_evaluate(tmp_path, gold_path):
    db = tmp_path / "k.db"
    run("ingest", EXAMPLES, "--db", db, "--quiet")
    assert db.exists()

    listing = run("entities", "--db", db).output
    assert "Krivitsky" in listing and "NKVD" in listing
    people = run("entities", "--db", db, "--type", "PER", "--json").output.splitlines()
    assert people and all(json.loads(line)["type"] == "PER" for line in people)

    card = run("show", "Skoblin", "--db", db).output
    assert "General Skoblin" in card and "[" in card  # the mention marked in its sentence
    card_json = json.loads(run("show", "Skoblin", "--db", db, "--json").output)
    assert card_json["entity"]["type"] == "PER"
    assert all(m["sentence"]["text"] for d in card_json["documents"] for m in d["mentions"])

    out = tmp_path / "export.json"
    run("export", "--format", "json", "--db", db, "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"documents", "entities", "timexes", "events", "relations"} <= set(data)
    assert {d["name"] for d in data["documents"]} == {p.name for p in EXAMPLES.glob("*.txt")}

    measures = run("evaluate", gold_path, "--db", db).output
    assert "mention_f1" in measures and "summary:" in measures


def test_db_from_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("KARTOTEKA_DB", str(db))
    run("ingest", EXAMPLES / "003_e19b1b0fcc92b871.txt", "--quiet")
    assert db.exists()
    assert "Schacht" in run("entities").output


def test_errors_are_messages_not_tracebacks(tmp_path):
    missing = run("entities", "--db", tmp_path / "none.db", ok=False)
    assert missing.exit_code == 2 and "kartoteka ingest" in missing.output
    assert not (tmp_path / "none.db").exists()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("ingest", bad, "--db", tmp_path / "k.db", ok=False)
    assert result.exit_code == 1 and "bad.txt" in result.output and "empty" in result.output
    result = run("ingest", EXAMPLES, "--db", tmp_path / "k.db", "--as-of", "yesterday", ok=False)
    assert result.exit_code == 2 and "EDTF" in result.output
    result = run("show", "Nobody Atall", "--db", tmp_path / "k.db", ok=False)
    assert result.exit_code == 2 and "no entity" in result.output


def test_another_spacy_pipeline_can_be_named_and_a_missing_one_is_explained(tmp_path):
    result = run(
        "ingest", EXAMPLES, "--db", tmp_path / "k.db", "--spacy-model", "no_such_pipeline", ok=False
    )
    assert result.exit_code == 1 and "not installed" in result.output
