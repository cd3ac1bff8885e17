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


def write_export(store: Store, fmt: str, output: str | Path = "-") -> None:
    """Write the index in format `fmt` to `output`: a file, "-" for standard output, or a
    folder (created if missing) for the formats of several files (csv, tei)."""
    if fmt not in FORMATS:
        raise ExportError(f"no export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module, function, kind = FORMATS[fmt]
    write = getattr(import_module(module), function)
    if kind == "folder":
        if str(output) == "-":
            raise ExportError(f"--format {fmt} writes a folder of files; give it with -o FOLDER")
        folder = Path(output)
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"{folder} is a file; --format {fmt} needs a folder (-o FOLDER)")
        folder.mkdir(parents=True, exist_ok=True)
        write(store, folder)
    elif str(output) == "-":
        write(store, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as out:
            write(store, out)
