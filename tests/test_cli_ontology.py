"""A historian's own event types, given once at ingest, stay in use for the store."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoteka.cli import main

pytestmark = pytest.mark.model

# the same user file as the ontology tests: an ELECTION type
ELECTIONS = (Path(__file__).parent / "cases" / "events" / "elections.toml").read_text(
    encoding="utf-8"
)


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def event_types(db):
    data = json.loads(run("export", "--db", db))
    return {e["type"] for e in data["events"]}


def test_a_user_ontology_adds_types_and_is_kept(tmp_path):
    source = tmp_path / "congress.txt"
    source.write_text(
        "In March 1934 the delegates elected Sergei Kirov to the Central "
        "Committee in Moscow. Kirov was murdered in Leningrad in December 1934.",
        encoding="utf-8",
    )
    ontology = tmp_path / "elections.toml"
    ontology.write_text(ELECTIONS, encoding="utf-8")
    db = tmp_path / "k.db"
    run("ingest", source, "--db", db, "-q")
    assert "ELECTION" not in event_types(db)
    run("ingest", source, "--db", db, "-q", "--ontology", ontology)  # re-annotates
    assert {"ELECTION", "KILLING"} <= event_types(db)
    run("ingest", source, "--db", db, "-q")  # later runs keep it
    assert "ELECTION" in event_types(db)
    run("ingest", source, "--db", db, "-q", "--ontology", "")  # and it can be dropped
    assert "ELECTION" not in event_types(db)


def test_a_bad_ontology_stops_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[types.X\n", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("Kirov was murdered in Leningrad.", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["ingest", str(source), "--db", str(tmp_path / "k.db"), "--ontology", str(bad)]
    )
    assert result.exit_code == 2 and "bad.toml" in result.output
