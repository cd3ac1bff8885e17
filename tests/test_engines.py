"""Annotation on every core and on a Dask cluster (issue 14 items 1 and 2): the store is the
same whatever ran the annotation, and a worker that dies costs its item a retry, never the
batch. Real worker processes, a real `distributed.LocalCluster`, the real spaCy pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoteka.engines import WorkerLost, open_engine
from kartoteka.export.json import export_data
from kartoteka.pipeline import ingest
from kartoteka.store import Store
from tests.conftest import EXAMPLES

#: Made-up texts, so that more documents than workers are annotated and written.
TEXTS = {
    "a_letter.txt": "General Walter Krivitsky wrote to Paris in March 1937. Krivitsky was afraid.",
    "b_report.txt": "The NKVD sent Ignace Reiss to Lausanne. Reiss broke with Moscow in July 1937.",
    "c_note.txt": "Colonel Smirnov met Krivitsky in The Hague on 5 October 1937.",
    "d_diary.txt": "Anna Petrovna left Berlin for Warsaw. Petrovna never came back to Berlin.",
}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for path in EXAMPLES.iterdir():
        if path.is_file() and path.suffix == ".txt":
            (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _comparable(data):
    """The export without what differs between two runs of the same work (times)."""
    if isinstance(data, dict):
        return {k: _comparable(v) for k, v in data.items() if not k.endswith("_at")}
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


def _export(db: Path, corpus: Path, **how) -> dict:
    with Store.open(db) as store:
        report = ingest([corpus], store, **how)
        assert not report.failed, report.failed
        assert len(report.added) == len(list(corpus.iterdir()))
        return _comparable(export_data(store))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("engines") / "corpus")


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory) -> dict:
    return _export(tmp_path_factory.mktemp("one") / "k.db", corpus, workers=1)


@pytest.mark.model
@pytest.mark.slow
def test_two_workers_make_the_same_store_as_one(corpus, one_worker, tmp_path):
    two = _export(tmp_path / "k.db", corpus, workers=2)
    assert two["documents"] and two["entities"]
    assert two == one_worker


@pytest.mark.model
@pytest.mark.slow
def test_the_command_line_takes_workers_and_refuses_two_engines(corpus, tmp_path):
    from kartoteka.cli import main

    db = tmp_path / "k.db"
    result = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert f"{len(list(corpus.iterdir()))} added" in result.output
    both = ["ingest", str(corpus), "--db", str(db), "--workers", "2", "--cluster", "tcp://x:1"]
    result = CliRunner().invoke(main, both)
    assert result.exit_code == 2 and "not both" in result.output


# workers that die ----------------------------------------------------------------------------


def shout(items: list[str], marks: str) -> list[str]:
    """A batch function for the engines: "die-once" kills its process the first time it is
    seen (a mark file says it was), "die" every time; the rest come back upper-cased."""
    out = []
    for item in items:
        mark = Path(marks) / item
        if item == "die" or (item == "die-once" and not mark.exists()):
            mark.touch()
            os._exit(1)  # as a worker killed by the system: no exception, no cleanup
        out.append(item.upper())
    return out


ITEMS = [["a", "b"], ["die-once", "c"], ["d"], ["e", "die", "f"], ["g"]]
EXPECTED = ["A", "B", "DIE-ONCE", "C", "D", "E", None, "F", "G"]


def _results(engine, marks: Path) -> list:
    got = []
    for batch, results in engine.map(shout, ITEMS, str(marks)):
        assert len(results) == len(batch)
        got.extend(None if isinstance(r, WorkerLost) else r for r in results)
    return got


def test_a_dead_worker_process_costs_its_item_a_retry_and_the_rest_go_on(tmp_path):
    engine = open_engine(2)
    try:
        assert _results(engine, tmp_path) == EXPECTED
    finally:
        engine.close()


# a Dask cluster -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import dask

    # a batch is given up after its worker died twice (not Dask's default of three), to
    # keep the test short; the item-by-item retry that follows is ours
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local:
            yield local.scheduler_address


@pytest.mark.model
@pytest.mark.slow
def test_a_dask_cluster_makes_the_same_store_as_a_local_ingest(
    cluster, corpus, one_worker, tmp_path
):
    assert _export(tmp_path / "k.db", corpus, cluster=cluster) == one_worker


@pytest.mark.slow
def test_a_dead_dask_worker_costs_its_item_a_retry_and_the_rest_go_on(cluster, tmp_path):
    engine = open_engine(cluster=cluster)
    try:
        assert _results(engine, tmp_path) == EXPECTED
    finally:
        engine.close()


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    from kartoteka.cli import main

    pytest.importorskip("distributed")
    db = tmp_path / "k.db"
    args = ["ingest", str(EXAMPLES), "--db", str(db), "--cluster", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output
