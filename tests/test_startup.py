"""Commands that do not annotate start at once: they never import spaCy (issue 14 item 4).

Each check runs in a fresh interpreter, since this test process may have loaded spaCy already.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kartoteka.corpus import resolve_corpus
from kartoteka.store import Store
from tests.test_resolve_store import HISTORY, MEMOIR, _ingest

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_the_command_line_leaves_spacy_unloaded():
    done = _python(
        "import sys, kartoteka.cli; assert not {'spacy', 'distributed'} & set(sys.modules)"
    )
    assert done.returncode == 0, done.stderr


def test_reading_commands_and_the_web_app_never_load_spacy(tmp_path):
    db = tmp_path / "k.db"
    with Store.open(db) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        resolve_corpus(store)
    done = _python(
        f"""
        import sys
        from click.testing import CliRunner
        from kartoteka.cli import main
        from kartoteka.web import WebConfig, create_app

        db = {str(db)!r}
        for args in (
            ["--help"],
            ["entities", "--db", db],
            ["show", "Krivitsky", "--db", db],
            ["timeline", "--db", db],
            ["path", "Reiss", "Krivitsky", "--db", db],
            ["export", "--db", db],
            ["contradictions", "--db", db],
            ["judgements", "--db", db],
        ):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, (args, result.output)
        create_app(WebConfig(db))  # what `kartoteka serve` does before it listens
        loaded = sorted(m for m in sys.modules if m == "spacy" or m.startswith("spacy."))
        assert not loaded, loaded[:5]
        """
    )
    assert done.returncode == 0, done.stderr
