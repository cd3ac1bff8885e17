"""A history with footnotes, through the whole pipeline: no date and no name comes from the
citation apparatus, and the dated events fall in the years the passage narrates (AD 177-193).
The passage is written for this test in the manner of an eighteenth-century history."""

from __future__ import annotations

import re

import pytest

from kartoteka.nlp.citations import find_citations, inside
from kartoteka.pipeline import ingest
from kartoteka.query.timeline import timeline
from kartoteka.store import Store

pytestmark = pytest.mark.model

HISTORY = """Chapter IV: The Reign Of The Young Prince

The young prince succeeded his father in A.D. 180, when the old emperor died at Vindobona
on the seventeenth of March. 1 The army received him with joy, and the senate confirmed his
titles. In the year 183 a conspiracy was formed against him in his own family; his sister
was banished to Capreae, and the conspirators were put to death. 2

1 (return) [ Dion Cassius, l. lxxii. p. 1203. Hist. August. p. 46. The prince had been
made Augustus about the year 177, at the age of fifteen.]

2 (return) [ Herodian, l. i. p. 29. See Tillemont, Hist. des Empereurs, tom. ii. p. 752;
and the learned dissertation of Wolle, de Annis Imperii, Lipsiae, 1752, 8vo.]

The prefect of the guards governed the empire for three years. In 185 the legions of
Britain sent a deputation to Rome, and the prefect was murdered by the soldiers. 3 On the
last day of December 192 the prince was strangled in his bath by a wrestler, and on the
first of January 193 the senate proclaimed the old general Pertinax emperor.

3 (return) [ Hist. August. p. 48. Compare Dion, l. lxxii. p. 1210.]
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    (folder / "reign.txt").write_text(HISTORY, encoding="utf-8")
    with Store.open(folder / "k.db") as s:
        report = ingest([folder], s)
        assert not report.failed, report.failed
        yield s


def test_no_date_and_no_name_comes_from_a_citation(store):
    text = store.conn.execute("SELECT text FROM documents").fetchone()[0]
    cited = find_citations(text)
    assert len(cited) >= 6
    timexes = store.conn.execute('SELECT start, "end", text FROM timexes').fetchall()
    mentions = store.conn.execute('SELECT start, "end", text FROM mentions').fetchall()
    assert timexes and mentions
    assert [t[2] for t in timexes if inside(cited, t[0], t[1])] == []
    assert [m[2] for m in mentions if inside(cited, m[0], m[1])] == []
    names = {r[0] for r in store.conn.execute("SELECT name FROM entities")}
    assert not {"Dion Cassius", "Tillemont", "Herodian", "Wolle"} & names
    values = {
        t[2]: v
        for t, v in zip(
            timexes, (r[0] for r in store.conn.execute("SELECT value FROM timexes")), strict=True
        )
    }
    assert not any(v and v.startswith(("1203", "1752", "1210")) for v in values.values())
    assert "August" not in values


def test_the_story_is_told_in_its_own_years(store):
    values = {
        " ".join(text.split()): value
        for text, value in store.conn.execute("SELECT text, value FROM timexes")
    }
    assert values["A.D. 180"] == "0180"
    assert values["the seventeenth of March"] == "0180-03-17"
    assert values["about the year 177"] == "0177~"
    assert values["185"] == "0185"  # the footnote's 177 did not move the story
    assert values["the last day of December 192"] == "0192-12-31"
    assert values["the first of January 193"] == "0193-01-01"


def test_dated_events_fall_in_the_years_narrated(store):
    lines = timeline(store, dated_statements=False)
    assert len(lines) >= 2
    years = []
    for line in lines:
        m = re.match(r"-?\d{4}", line["date"] or "")
        if m:
            years.append(int(m.group()))
    assert years and all(177 <= y <= 193 for y in years), years


def test_a_timeline_before_christ_runs_forward(tmp_path):
    (tmp_path / "wars.txt").write_text(
        "In 218 BC Hannibal crossed the Alps. The first war had begun in 264 BC, and the "
        "peace was made in 241 BC. Carthage was destroyed in 146 BC.\n",
        encoding="utf-8",
    )
    with Store.open(tmp_path / "k.db") as s:
        assert not ingest([tmp_path / "wars.txt"], s).failed
        dates = [line["date"] for line in timeline(s)]
    assert dates == ["-0263", "-0240", "-0217", "-0145"], dates
