"""How sure the sources are, and how each date was found, through the whole pipeline: the
store, the card, the timeline, the export, the contradictions (asserted accounts contradict
each other, a hedged one is an alternative) and the entity page."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

SOURCE_A = (
    "On 3 April 1938 General Lebedev was shot in the cellar of the prison in Kiev.\n\n"
    "In May 1938 the commissar ordered the arrest of Colonel Sorin. "
    "Colonel Sorin was arrested soon afterwards.\n"
)
SOURCE_B = (
    "The historian Volkov believes that General Lebedev was probably shot on 20 June 1938 "
    "in Kiev.\n"
)
SOURCE_C = "General Lebedev was executed in Kiev on 9 September 1938.\n"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    folder = tmp_path_factory.mktemp("modality")
    (folder / "memoir.txt").write_text(SOURCE_A, encoding="utf-8")
    (folder / "essay.txt").write_text(SOURCE_B, encoding="utf-8")
    (folder / "history.txt").write_text(SOURCE_C, encoding="utf-8")
    path = str(folder / "k.db")
    with Store.open(path) as store:
        report = ingest([str(folder)], store)
        assert not report.failed, report.failed
    return path


def _person(store, name):
    from kartoteka.query.cards import find_entities

    return [e for e in find_entities(store, name) if e["type"] == "PER"][0]["id"]


def test_every_exported_event_has_modality_and_date_source(store_path):
    from kartoteka.export.json import EVENT_LISTS, export_data
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        data = export_data(store)
    events = [e for key in EVENT_LISTS for e in data[key]]
    assert events
    for ev in events:
        assert ev["modality"] in ("asserted", "reported", "hedged", "planned", "attempted")
        assert ev["date_source"] in ("clause", "narrative", "none")
        assert (ev["date"] is None) == (ev["date_source"] == "none")
        for passage in ev["evidence"]:
            assert {"modality", "date", "date_source"} <= set(passage)
    kinds = {(e["type"], e["modality"]) for e in events}
    assert ("KILLING", "hedged") in kinds and ("ARREST", "planned") in kinds
    # what happened is apart from what was only ordered: a plan to arrest is no arrest
    assert all(e["modality"] not in ("planned", "attempted") for e in data["events"])
    assert {e["modality"] for e in data["plans_and_attempts"]} == {"planned"}


def test_the_card_says_how_sure_and_how_dated(store_path):
    from kartoteka.query.facts import events_for_entity
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        sorin = events_for_entity(store, _person(store, "Sorin"))
    arrests = sorted((e["modality"], e["date"], e["date_source"]) for e in sorin)
    # the order is a plan; the arrest that followed is dated by the narrative, not stated
    assert arrests == [("asserted", "1938-05", "narrative"), ("planned", "1938-05", "clause")]


def test_asserted_accounts_contradict_and_a_hedged_one_is_an_alternative(store_path):
    from kartoteka.query.facts import contradictions
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        found = contradictions(store)
    firm = [c for c in found if not c["alternative"]]
    alternatives = [c for c in found if c["alternative"]]
    assert len(firm) == 1
    assert {firm[0]["left"]["date"], firm[0]["right"]["date"]} == {"1938-04-03", "1938-09-09"}
    assert alternatives and all(
        "hedged" in (c["left"]["modality"], c["right"]["modality"]) for c in alternatives
    )
    assert found[: len(firm)] == firm  # contradictions first, alternatives after


def test_the_contradictions_command_lists_alternatives_apart(store_path):
    from kartoteka.cli.facts import contradictions_command

    result = CliRunner().invoke(contradictions_command, ["--db", store_path], terminal_width=160)
    assert result.exit_code == 0, result.output
    before, _, after = result.output.partition("Alternative accounts")
    assert "1938-09-09" in before and "hedged" in after


def test_the_timeline_shows_modality_and_date_source(store_path):
    from kartoteka.query.timeline import timeline
    from kartoteka.store import Store

    with Store.open(store_path) as store:
        lines = [line for line in timeline(store) if line["kind"] == "event"]
    assert all(line["modality"] and line["date_source"] for line in lines)
    assert any("[hedged]" in line["label"] for line in lines)


def test_the_entity_page_shows_modality_and_date_source(store_path):
    from starlette.testclient import TestClient

    from kartoteka.store import Store
    from kartoteka.web import WebConfig, create_app

    with Store.open(store_path) as store:
        sorin = _person(store, "Sorin")
    app = create_app(WebConfig(store_path, auth=False, allowed_hosts=("testserver",)))
    html = TestClient(app).get(f"/entity/{sorin}").text
    assert '<span class="modality">planned</span>' in html
    assert "from the narrative" in html and "stated" in html
