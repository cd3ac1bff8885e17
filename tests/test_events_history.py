"""Event dates in a long history with footnotes, through the whole pipeline: an event told in
the text never takes a date from a footnote, one told in a footnote takes its own note's
date, and a date of unknown year or a lifespan in brackets dates no later event. The text is
written for this test in the manner of an eighteenth-century history and of an encyclopedia
article."""

from __future__ import annotations

import pytest

from kartoteka.pipeline import ingest
from kartoteka.store import Store

pytestmark = pytest.mark.model

HISTORY = """Chapter IX: The Fall Of The Favourite

In the year 211 the emperor Severinus marched against the Caledonians, and the legions
crossed the wall. 4 The favourite Plautinus governed the palace in his absence.

4 (return) [ Xiphilinus, l. lxxvi. p. 1280. Plautinus had been arrested once before,
about the year 187, by the prefect of the city.]

The senate met in haste. Plautinus was arrested by the guards in the palace, and the
tribunes were banished to the islands.

5 (return) [ Tillemont, Hist. des Empereurs, tom. iii. p. 84. Spartian places the revolt
of the guards on the fourth of April, in a year he does not name.]

The soldiers murdered the young Caesar Getulus in the arms of his mother.
"""

ARTICLE = """Nikolai Ivanovich Petrov

Nikolai Ivanovich Petrov (born 3 May 1890 in Tver; † 9 June 1961 in Paris) was a Soviet
diplomat.

Petrov defected to France. The NKVD arrested his brother Boris Petrov in Moscow.
"""


def _tellings(tmp_path_factory, name: str, text: str) -> list[tuple[str, str, str | None, str]]:
    folder = tmp_path_factory.mktemp(name)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    with Store.open(folder / "k.db") as store:
        report = ingest([folder], store)
        assert not report.failed, report.failed
        return [
            (r[0], r[1], r[2], r[3])
            for r in store.conn.execute(
                "SELECT type, trigger_text, date, date_source FROM event_mentions ORDER BY id"
            )
        ]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    return _tellings(tmp_path_factory, "history", HISTORY)


def test_the_text_never_takes_a_date_from_a_footnote(history):
    arrests = [(t, d, s) for typ, t, d, s in history if typ == "ARREST"]
    # the note's "about the year 187" dates the arrest the note tells ...
    assert ("arrested", "0187~", "clause") in arrests
    # ... and not the one the text tells after it, which is in the story's year
    assert ("arrested", "0211", "narrative") in arrests
    killings = [(d, s) for typ, _, d, s in history if typ == "KILLING"]
    # after a note naming "the fourth of April" of no known year, still the story's year
    assert killings == [("0211", "narrative")], killings


def test_a_lifespan_in_brackets_dates_no_later_event(tmp_path_factory):
    tellings = _tellings(tmp_path_factory, "article", ARTICLE)
    dates = {typ: (d, s) for typ, _, d, s in tellings}
    assert dates["BIRTH"] == ("1890-05-03", "clause")  # the bracket dates the birth it tells
    assert dates["DEFECTION"] == (None, "none")
    assert dates["ARREST"] == (None, "none")
