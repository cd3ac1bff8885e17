"""`kartoteka timex`: the time expressions of one text, one JSON line each."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from kartoteka.cli.common import Refused


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
@click.argument("file", type=click.File("rb", lazy=True))
def timex_command(file, as_of: str | None, encoding: str) -> None:
    """Find the time expressions in FILE (or - for standard input) and print each as a JSON
    line: start, end, text, type, value (EDTF), timex3 (TimeML), lower, upper, anchor, mod.
    Offsets index the text as given (after universal-newline reading)."""
    from kartoteka.time import tag

    name = "standard input" if file.name in ("-", "<stdin>") else file.name
    text = _decoded(file.read(), name, encoding)
    try:
        timexes = tag(text, as_of=as_of)
    except ValueError as e:
        raise Refused(str(e)) from e
    for t in timexes:
        click.echo(json.dumps(asdict(t), ensure_ascii=False))


def _decoded(data: bytes, name: str, encoding: str) -> str:
    """`data` as text (universal newlines, as text mode reads it), or a one-line refusal
    that says where decoding failed and what to do."""
    try:
        text = data.decode(encoding)
    except LookupError:
        raise Refused(
            f"no encoding {encoding!r}; give one Python knows (utf-8, cp1251, ...)"
        ) from None
    except UnicodeDecodeError as e:
        raise Refused(
            f"{name} is not {encoding} text (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "give its encoding with --encoding, or give a text file"
        ) from None
    if "\x00" in text:
        raise Refused(f"{name} holds NUL characters, so it is no text file; give a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")
