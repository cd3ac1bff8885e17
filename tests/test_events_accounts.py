"""Accounts: a document's tellings of one event, one export entry per claim it makes.

The pure rule (`kartoteka.events.accounts`) first, then the export through the pipeline on
a made-up court record that tells one murder four times."""

from __future__ import annotations

import pytest

from kartoteka.events.accounts import Telling, accounts


def test_a_retelling_that_adds_nothing_is_more_evidence_for_the_account_before():
    # "Weber was murdered ... The murder shocked Paris ... Weber's murder was never solved"
    assert accounts([Telling(0), Telling(40), Telling(90)]) == [[0, 1, 2]]
    assert accounts([Telling(0, {7}), Telling(40, {7})]) == [[0, 1]]


def test_a_retelling_with_other_doers_or_its_own_date_is_another_account():
    # the one killed is the key and not counted: doers 3 and 5 are what the tellings add
    told = [Telling(0, {3}), Telling(50, {5}), Telling(90, set(), "1934-12-01")]
    assert accounts(told) == [[0], [1], [2]]
    # a date given again, or doers named again, add nothing
    again = [Telling(0, {3}, "1934-12-01"), Telling(50, {3}, "1934-12-01")]
    assert accounts(again) == [[0, 1]]


def test_what_the_sentence_an_account_opened_in_adds_is_that_account():
    # "shot on the charge of murdering him on 1 December, ... the group who committed the
    # murder": one sentence, one claim
    told = [Telling(0, {3}), Telling(50, set(), "1934-12-01"), Telling(50, {8})]
    assert accounts(told) == [[0], [1, 2]]
    # a later sentence adding doers to that account is a claim of its own
    assert accounts(told + [Telling(120, {9})]) == [[0], [1, 2], [3]]


def test_an_account_that_names_no_one_yet_is_completed_by_the_next_telling():
    # "All but five refused to return. Of those who refused, I knew four: A, B, C, D."
    told = [Telling(0), Telling(30, {1, 2, 3, 4}), Telling(80, {1})]
    assert accounts(told) == [[0, 1, 2]]


def test_accounts_follow_the_text_whatever_the_order_given():
    told = [Telling(90, {5}), Telling(0, {3})]
    assert accounts(told) == [[1], [0]]


RECORD = (
    "Report of the Court\n\n"
    "On 1 December 1934 Sergei Kirov was murdered in Leningrad by Leonid Nikolayev. "
    "The murder shocked the whole country. "
    "Later the investigators established that the murder of Kirov was carried out on the "
    "orders of the Leningrad Centre. "
    "The murder of Kirov was long discussed in the press.\n"
)


@pytest.mark.model
def test_the_export_lists_each_account_with_its_passages_and_what_each_names(tmp_path):
    from kartoteka.export.json import export_data
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    (tmp_path / "record.txt").write_text(RECORD, encoding="utf-8")
    with Store.open(tmp_path / "k.db") as store:
        assert not ingest([str(tmp_path / "record.txt")], store).failed
        data = export_data(store)
    names = {e["id"]: e["name"] for e in data["entities"]}
    killings = [e for e in data["events"] if e["type"] == "KILLING"]
    # one event, two claims: by Nikolayev on 1 December; on the Centre's orders
    assert len({e["id"] for e in killings}) == 1
    assert len(killings) == 2
    ordered = sorted(killings, key=lambda e: e["evidence"][0]["start"])
    assert [p["trigger"] for p in ordered[0]["evidence"]] == ["murdered", "murder"]
    assert [p["trigger"] for p in ordered[1]["evidence"]] == ["murder", "murder"]
    # every entry carries the event's roles; each passage what it names itself
    assert all(e["roles"] == killings[0]["roles"] for e in killings)
    named = {names[i] for ids in ordered[1]["evidence"][0]["roles"].values() for i in ids}
    assert "Leningrad Centre" in named and "Leonid Nikolayev" not in named
    assert all(e["date"] == "1934-12-01" for e in killings)
