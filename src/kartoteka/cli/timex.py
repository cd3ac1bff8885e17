"""`kartoteka timex`: the time expressions of one text, one JSON line each."""

from __future__ import annotations

import json
from dataclasses import asdict

import click


@click.command("timex")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="Reference date (EDTF, e.g. 1941-02-22 or 1937) that relative expressions "
    "count from. Default: the dates the text itself states.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of FILE.")
@click.argument("file", type=click.File("r", encoding=None, lazy=True))
def timex_command(file, as_of: str | None, encoding: str) -> None:
    """Find the time expressions in FILE (or - for standard input) and print each as a JSON
    line: start, end, text, type, value (EDTF), timex3 (TimeML), lower, upper, anchor, mod.
    Offsets index the text as given (after universal-newline reading)."""
    from kartoteka.time import tag

    if getattr(file, "name", "-") in ("-", "<stdin>"):
        text = file.read()
    else:
        try:
            with open(file.name, encoding=encoding) as f:
                text = f.read()
        except UnicodeDecodeError as e:
            raise click.ClickException(
                f"{file.name}: not {encoding} ({e.reason}); give the encoding with --encoding"
            ) from None
    try:
        timexes = tag(text, as_of=as_of)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    for t in timexes:
        click.echo(json.dumps(asdict(t), ensure_ascii=False))
