"""Bad input to every command: one line that names the problem, exit status 2, no traceback,
and nothing written (issue 12: 12.13, 12.14). The real command line (click's runner, and a
subprocess where standard input matters) on a real store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kartoteka.cli import main
from kartoteka.corpus import resolve_corpus
from kartoteka.store import Store
from tests.test_resolve_store import HISTORY, MEMOIR, _ingest

#: What the adversarial test typed: a superscript digit (str.isdigit() says yes, int() says
#: no), a number past SQLite's integers, a 50 kB name, LIKE's wildcards, nothing, blanks.
HOSTILE = {
    "superscript": "²",
    "20 digits": "12345678901234567890",
    "50 kB": "Krivitsky" * 5600,
    "percent": "%",
    "underscore": "_",
    "wildcards inside": "Kr%v_tsky",
    "empty": "",
    "blank": "   ",
}

#: Each command with the hostile value in each place a name goes.
COMMANDS = {
    "show": lambda v: ["show", v],
    "timeline --entity": lambda v: ["timeline", "--entity", v],
    "path (source)": lambda v: ["path", v, "Smirnov"],
    "path (target)": lambda v: ["path", "Smirnov", v],
    "merge (left)": lambda v: ["merge", v, "Smirnov"],
    "merge (right)": lambda v: ["merge", "Smirnov", v],
    "not-same (right)": lambda v: ["not-same", "Smirnov", v],
    "split (entity)": lambda v: ["split", v, "Smirnov"],
    "split (alias)": lambda v: ["split", "Krivitsky", v],
    "rename (entity)": lambda v: ["rename", v, "Someone Else"],
    "rename (new name)": lambda v: ["rename", "Krivitsky", v],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "k.db"
    with Store.open(path) as store:
        _ingest(store, "memoir.txt", MEMOIR)
        _ingest(store, "history.txt", HISTORY)
        resolve_corpus(store)
    return path


@pytest.fixture
def db(built, tmp_path) -> Path:
    copy = tmp_path / "k.db"
    copy.write_bytes(built.read_bytes())
    return copy


def _state(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT COUNT(*) FROM judgements").fetchone()[0],
            conn.execute("SELECT group_concat(name, '|') FROM entities ORDER BY id").fetchone()[0],
        )
    finally:
        conn.close()


def _refused(result, *, mentions: str | None = None) -> str:
    """The result of a refused command: exit status 2 and one short line saying why."""
    out = result.output.strip()
    assert result.exit_code == 2, (result.exit_code, out[:500], result.exception)
    assert "Traceback" not in out and not isinstance(result.exception, AssertionError)
    assert "\n" not in out, out[:500]
    assert len(out) < 400, out[:500]
    if mentions:
        assert mentions in out, out
    return out


#: a new name with letters may hold % and _ (see test_names_match_literally)
CASES = [
    pytest.param(command, value, id=f"{what}-{kind}")
    for what, command in COMMANDS.items()
    for kind, value in HOSTILE.items()
    if (what, kind) != ("rename (new name)", "wildcards inside")
]


@pytest.mark.parametrize("command, value", CASES)
def test_a_bad_name_is_one_line_and_exit_status_2(db, command, value):
    before = _state(db)
    result = CliRunner().invoke(main, [*command(value), "--db", str(db)])
    _refused(result)
    assert _state(db) == before, "a refused command changed the store"


def test_names_match_literally(db):
    """`%` and `_` are characters of a name, never wildcards."""
    with Store.open(db) as store:
        with store.transaction() as conn:
            conn.execute("UPDATE entities SET name = '100% Krivitsky' WHERE name LIKE 'Walter%'")
    found = CliRunner().invoke(main, ["show", "100%", "--db", str(db)])
    assert found.exit_code == 0 and "100% Krivitsky" in found.output, found.output
    _refused(CliRunner().invoke(main, ["show", "1_0%", "--db", str(db)]), mentions="no entity")
    # a new name is taken as typed, and found as typed
    renamed = CliRunner().invoke(main, ["rename", "Smirnov", "Sm_rn%v", "--db", str(db)])
    assert renamed.exit_code == 0, renamed.output
    card = CliRunner().invoke(main, ["show", "Sm_rn%v", "--json", "--db", str(db)])
    assert card.exit_code == 0 and '"name": "Sm_rn%v"' in card.output, card.output
    _refused(CliRunner().invoke(main, ["show", "Smirn%", "--db", str(db)]), mentions="no entity")


@pytest.mark.parametrize(
    "args",
    [["merge", "Smirnov", ""], ["not-same", "Smirnov", ""], ["rename", "Krivitsky", "  "]],
    ids=["merge-empty", "not-same-empty", "rename-blank"],
)
def test_empty_and_blank_names_are_refused_and_log_nothing(db, args):
    before = _state(db)
    _refused(CliRunner().invoke(main, [*args, "--db", str(db)]))
    assert _state(db) == before


def test_export_into_a_missing_folder_says_so(db, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.json"
    for fmt in ("json", "csv", "gexf"):
        result = CliRunner().invoke(
            main, ["export", "--format", fmt, "-o", str(target), "--db", str(db)]
        )
        _refused(result, mentions="does not exist")
    assert not target.parent.exists()


def test_timex_of_a_binary_on_standard_input_says_what_to_do():
    """The real program, standard input a binary: `timex - < /bin/ls`."""
    binary = Path(sys.executable).resolve().read_bytes()[:200_000]
    done = subprocess.run(
        [sys.executable, "-m", "kartoteka", "timex", "-"],
        input=binary,
        capture_output=True,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "replace").strip()
    assert done.returncode == 2, err[-2000:]
    assert "Traceback" not in err and "\n" not in err, err[-2000:]
    assert "--encoding" in err


def test_timex_of_a_file_in_another_encoding_says_which_byte(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("On 3 March 1938 in Zürich".encode("latin-1"))
    _refused(CliRunner().invoke(main, ["timex", str(latin)]), mentions="--encoding")
    ok = CliRunner().invoke(main, ["timex", str(latin), "--encoding", "latin-1"])
    assert ok.exit_code == 0 and "1938-03-03" in ok.output


MALFORMED_AUTHORITIES = {
    "variants not a list.json": b'[{"canonical": "Reiss", "type": "PER", "variants": 7}]',
    "variant not a string.json": b'[{"canonical": "Reiss", "type": "PER", "variants": [{}]}]',
    "canonical not a string.json": b'[{"canonical": ["Reiss"], "type": "PER"}]',
    "entities not a list.json": b'{"entities": 5}',
    "not utf-8.csv": b"canonical,type\nReiss,PER\n\xff\xfe\xfa,PER\n",
    "nul bytes.csv": b"canonical,type\nRei\x00ss,PER\n",
    "unclosed quote.csv": b'canonical,type\n"Reiss,PER\n',
    "bad json.json": b'[{"canonical": "Reiss",',
    "a binary.csv": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", MALFORMED_AUTHORITIES, ids=MALFORMED_AUTHORITIES.keys())
def test_a_malformed_authority_file_is_one_line(db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(MALFORMED_AUTHORITIES[name])
    before = _state(db)
    out = _refused(CliRunner().invoke(main, ["authority", "load", str(path), "--db", str(db)]))
    assert name in out
    assert _state(db) == before
