"""Shared fixtures: the seeds ingested once per test session into a real SQLite file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The command line annotates with a process per core by default; the tests that are not
# about workers ingest a file or two, where starting workers costs more than it saves (and
# the machine is shared). tests/test_engines.py asks for workers explicitly.
os.environ.setdefault("KARTOTEKA_WORKERS", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: what a careful reader gets out of the examples (copied from the project's shared gold)
GOLD = ROOT / "tests" / "data" / "seeds.gold.json"


def shared_folder() -> Path | None:
    """The shared folder of other people's corpora, gold and scoring tools: given by
    KARTOTEKA_SHARED, beside the checkout, or where this machine keeps it (CI clones the
    repository into a temporary folder, so "beside" is not enough)."""
    for candidate in (os.environ.get("KARTOTEKA_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "gold").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """Path of a store holding the ingested examples. Read it; to change it, use seeds_copy."""
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Store.open(path) as store:
        report = ingest([EXAMPLES], store)
    assert not report.failed, report.failed
    return path


@pytest.fixture
def seeds_copy(seeds_db, tmp_path) -> Path:
    """A private copy of the seeds store that a test may change."""
    copy = tmp_path / "seeds.db"
    shutil.copy(seeds_db, copy)
    return copy


@pytest.fixture
def gold_path() -> Path:
    return GOLD
