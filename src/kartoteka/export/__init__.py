"""Exports: the index in the formats other tools read, one module per format.

Every format is made from `export.json.export_data` (the JSON contract) and, for passages and
pages, from `query.passages`; see docs/export.md. `write_export` is what the CLI calls.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

from kartoteka.store import Store

#: format -> (module, function, what it writes: "file" (or standard output) or "folder")
FORMATS = {
    "json": ("kartoteka.export.json", "write_json", "file"),
    "gexf": ("kartoteka.export.gexf", "write_gexf", "file"),
    "graphml": ("kartoteka.export.graphml", "write_graphml", "file"),
    "csv": ("kartoteka.export.csv", "write_csv", "folder"),
    "timelinejs": ("kartoteka.export.timelinejs", "write_timelinejs", "file"),
    "ftm": ("kartoteka.export.ftm", "write_ftm", "file"),
    "tei": ("kartoteka.export.tei", "write_tei", "folder"),
}


class ExportError(Exception):
    """An export that cannot be made as asked; the message says what to do."""


def check_output(fmt: str, output: str | Path = "-") -> None:
    """`ExportError` if `fmt` is unknown or `output` cannot be written: its folder missing
    (never made on a guess: a typo would scatter files), a folder where a file is meant or
    the other way round."""
    if fmt not in FORMATS:
        raise ExportError(f"no export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    kind = FORMATS[fmt][2]
    if str(output) == "-":
        if kind == "folder":
            raise ExportError(f"--format {fmt} writes a folder of files; give it with -o FOLDER")
        return
    target = Path(output)
    parent = target.absolute().parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {parent} does not exist; create it")
    if kind == "folder" and target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; --format {fmt} needs a folder (-o FOLDER)")
    if kind == "file" and target.is_dir():
        raise ExportError(f"{target} is a folder; --format {fmt} writes one file (-o FILE)")


def write_export(store: Store, fmt: str, output: str | Path = "-") -> None:
    """Write the index in format `fmt` to `output`: a file, "-" for standard output, or a
    folder (created if missing, in a folder that exists) for the formats of several files
    (csv, tei). A file that cannot be written is an `ExportError` saying why."""
    check_output(fmt, output)
    module, function, kind = FORMATS[fmt]
    write = getattr(import_module(module), function)
    if str(output) == "-":
        write(store, sys.stdout)
        return
    try:
        if kind == "folder":
            folder = Path(output)
            folder.mkdir(exist_ok=True)
            write(store, folder)
        else:
            with open(output, "w", encoding="utf-8", newline="") as out:
                write(store, out)
    except OSError as e:  # permission denied, disk full, a read-only folder
        raise ExportError(f"cannot write {e.filename or output}: {e.strerror or e}") from e
