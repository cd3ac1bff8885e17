"""Floors under the scoreboard (bench/quality.py) on texts written by others: the dev corpus
and HIPE-2020's English newspapers.

The dev corpus and its gold live in the shared folder beside the checkout, not in the
repository (they are other people's texts). The floors sit a little under what we reach, so a
change that loses aliases, events or dates on real pages fails here. Raise them with the gains.
"""

from __future__ import annotations

import json

import pytest

from .conftest import shared_folder

FLOORS = {
    "mention_f1": 0.97,
    "mention_type_accuracy": 0.955,
    "b3_f1": 0.97,
    "alias_entities_whole": 0.83,
    "timex_value_accuracy": 0.91,
    "event_f1": 0.87,
    "event_argument_recall": 0.67,
    "event_date_accuracy": 0.79,
    "relation_f1": 0.71,
}
#: Pairs the gold calls different that may share an entity, at most.
MAX_DISTINCT_VIOLATIONS = 0


@pytest.fixture(scope="module")
def dev_measures(tmp_path_factory):
    shared = shared_folder()
    if shared is None:
        pytest.skip("the shared dev corpus is not beside this clone (set KARTOTEKA_SHARED)")
    from kartoteka.evaluate import evaluate_store
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    path = tmp_path_factory.mktemp("dev") / "dev.db"
    with Store.open(path) as store:
        report = ingest([shared / "corpus" / "dev" / "texts"], store)
        assert not report.failed, report.failed
        measures, _ = evaluate_store(store, shared / "gold" / "dev.json")
    return measures


@pytest.mark.model
@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_dev_corpus_floor(dev_measures, measure):
    assert dev_measures[measure] >= FLOORS[measure], (measure, dev_measures[measure])


@pytest.mark.model
def test_dev_corpus_keeps_distinct_people_apart(dev_measures):
    violations = dev_measures["distinct_violations"]
    assert violations <= MAX_DISTINCT_VIOLATIONS, json.dumps(violations)


#: HIPE-2020's English dev newspapers (OCR, 1790-1960), scored by the shared hipe_score.py:
#: entity-mention fuzzy F1 (overlap and type), a little under what we reach (0.726).
HIPE_FUZZY_FLOOR = 0.72
HIPE_TSV = "data/hipe2022_en/data/v2.1/hipe2020/en/HIPE-2022-v2.1-hipe2020-dev-en.tsv"


@pytest.mark.model
def test_hipe_newspapers_floor(tmp_path):
    shared = shared_folder()
    if shared is None or not (shared / HIPE_TSV).exists():
        pytest.skip("the HIPE-2020 dev set is not in the shared folder")
    import contextlib
    import io
    import re
    import sys

    from kartoteka.export.json import export_data
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    sys.path.insert(0, str(shared / "tools"))
    import hipe_score

    texts = tmp_path / "texts"
    texts.mkdir()
    for d in hipe_score.read_hipe(shared / HIPE_TSV):
        (texts / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
    with Store.open(tmp_path / "hipe.db") as store:
        assert not ingest([texts], store).failed
        export = export_data(store)
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        hipe_score.main(
            [str(shared / HIPE_TSV), "--export", str(tmp_path / "export.json")]
            + ["--keep", str(tmp_path / "scored")]
        )
    fuzzy = float(re.search(r"fuzzy_f1=([0-9.]+)", out.getvalue()).group(1))
    assert fuzzy >= HIPE_FUZZY_FLOOR, out.getvalue()
