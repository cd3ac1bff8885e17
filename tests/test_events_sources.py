"""Two sources through the whole pipeline: one event they agree on (corroborated, sources=2)
and one they date differently (a listed contradiction, both passages shown)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

SOURCE_A = (
    "On 12 March 1938 General Orlov was arrested by the NKVD in Leningrad. "
    "His deputy Colonel Petrov fled to Finland. "
    "On 3 April 1938 General Orlov was shot in the cellar of the prison.\n"
)
SOURCE_B = (
    "General Orlov was arrested by the NKVD in Leningrad on 12 March 1938. "
    "He was questioned for weeks. "
    "General Orlov was executed on 20 June 1938.\n"
)

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    folder = tmp_path_factory.mktemp("sources")
    (folder / "memoir.txt").write_text(SOURCE_A, encoding="utf-8")
    (folder / "history.txt").write_text(SOURCE_B, encoding="utf-8")
    path = str(folder / "k.db")
    with Store.open(path) as store:
        report = ingest([str(folder)], store)
        assert not report.failed, report.failed
    return path


def _orlov(store):
    from kartoteka.query.cards import find_entities

    return [e for e in find_entities(store, "Orlov") if e["type"] == "PER"][0]["id"]


def test_agreeing_tellings_are_one_corroborated_event(store_path):
    from kartoteka.query.facts import events_for_entity
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        arrests = [e for e in events_for_entity(store, _orlov(store)) if e["type"] == "ARREST"]
    assert len(arrests) == 1
    arrest = arrests[0]
    assert arrest["sources"] == 2 and arrest["date"] == "1938-03-12"
    assert {ev["name"] for ev in arrest["evidence"]} == {"memoir.txt", "history.txt"}
    assert all("arrested" in ev["text"] for ev in arrest["evidence"])


def test_conflicting_dates_are_a_listed_contradiction(store_path):
    from kartoteka.query.facts import contradictions, events_for_entity
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        found = contradictions(store)
        killings = [e for e in events_for_entity(store, _orlov(store)) if e["type"] == "KILLING"]
    assert len(found) == 1 and found[0]["kind"] == "date"
    sides = {found[0]["left"]["date"], found[0]["right"]["date"]}
    assert sides == {"1938-04-03", "1938-06-20"}
    assert {found[0]["left"]["name"], found[0]["right"]["name"]} == {"memoir.txt", "history.txt"}
    # nothing averaged away: both tellings stay, each with its own date
    assert sorted(k["date"] for k in killings) == ["1938-04-03", "1938-06-20"]


def test_contradictions_command_shows_both_passages(store_path):
    from kartoteka.cli.facts import contradictions_command

    result = CliRunner().invoke(contradictions_command, ["--db", store_path], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "1938-04-03" in result.output and "1938-06-20" in result.output
    assert "shot" in result.output and "executed" in result.output
    assert "memoir.txt" in result.output and "history.txt" in result.output


def test_relations_for_entity_have_evidence(store_path):
    from kartoteka.query.cards import find_entities
    from kartoteka.query.facts import relations_for_entity
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        petrov = [e for e in find_entities(store, "Petrov") if e["type"] == "PER"][0]["id"]
        rels = relations_for_entity(store, petrov)
    assert any(
        r["predicate"] == "DEPUTY_OF"
        and r["object"]["name"].endswith("Orlov")
        and "deputy" in r["evidence"][0]["text"]
        for r in rels
    )
