"""Incremental resolution of real ingests (real spaCy pipeline, real SQLite file): the
bundled examples ingested one file at a time, then one of them edited, resolve through the
graph to what a full run gives."""

from __future__ import annotations

import json
import shutil

import pytest

from kartoteka.pipeline import ingest
from kartoteka.store import Store, get_setting

from .conftest import EXAMPLES
from .test_incremental import canonical, full_run

pytestmark = pytest.mark.model


def test_files_ingested_one_by_one_and_edited_resolve_as_a_full_run(tmp_path):
    first, second = sorted(EXAMPLES.glob("*.txt"))[:2]
    folder = tmp_path / "texts"
    folder.mkdir()
    with Store.open(tmp_path / "k.db") as store:
        shutil.copy(first, folder)
        ingest([folder], store)
        shutil.copy(second, folder)
        ingest([folder], store)
        last_run = json.loads(get_setting(store, "resolution_state"))["last_run"]
        assert "why_full" not in last_run and last_run["resolved"] < last_run["units"]
        assert canonical(store) == full_run(store, tmp_path)
        edited = folder / second.name
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\nLater Reiss wrote to Krivitsky in Paris.\n",
            encoding="utf-8",
        )
        ingest([folder], store)
        assert canonical(store) == full_run(store, tmp_path)
