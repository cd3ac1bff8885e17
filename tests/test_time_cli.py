"""`kartoteka timex`: one JSON line per expression, offsets into the text as given."""

import json

from click.testing import CliRunner

from kartoteka.cli.timex import timex_command


def test_timex_command_prints_json_lines():
    text = "On 29 January 1937 he came.\nThe next day he left."
    result = CliRunner().invoke(timex_command, ["-"], input=text)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["text"], r["value"]) for r in rows] == [
        ("29 January 1937", "1937-01-29"),
        ("The next day", "1937-01-30"),
    ]
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
    assert "narrative time 1937-01-29" in rows[1]["anchor"]


def test_timex_command_as_of_and_bad_date():
    runner = CliRunner()
    ok = runner.invoke(timex_command, ["--as-of", "1941-02-22", "-"], input="yesterday")
    assert json.loads(ok.output)["value"] == "1941-02-21"
    bad = runner.invoke(timex_command, ["--as-of", "soon", "-"], input="yesterday")
    assert bad.exit_code != 0 and "EDTF" in bad.output
