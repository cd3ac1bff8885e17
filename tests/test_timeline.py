"""The timeline over the seeds' store: date order, filters, the source of each line."""

import pytest

from kartoteka.query.cards import find_entities
from kartoteka.query.timeline import timeline
from kartoteka.store import Store

pytestmark = pytest.mark.model


def test_lines_are_in_date_order_and_carry_their_source(seeds_db):
    with Store.open(seeds_db) as store:
        lines = timeline(store)
    assert len(lines) >= 5
    lowers = [line["lower"] for line in lines]
    assert lowers == sorted(lowers)
    for line in lines:
        assert line["evidence"] and all(e["name"] and e["text"] for e in line["evidence"])
    written = {line["written"]: line["date"] for line in lines if line["written"]}
    assert written.get("29 January 1937") == "1937-01-29"
    assert written.get("the next day") == "1937-02-11"


def test_filter_by_entity_and_period(seeds_db):
    with Store.open(seeds_db) as store:
        (schacht, *_) = find_entities(store, "Schacht")
        about = timeline(store, entity_id=schacht["id"])
        in_1936 = timeline(store, start="1936", end="1936")
    assert about and all("1936" <= line["lower"][:4] <= "1937" for line in about)
    assert in_1936 and all(line["lower"] <= "1936-12-31" for line in in_1936)
    assert all(line["upper"] >= "1936-01-01" for line in in_1936)
