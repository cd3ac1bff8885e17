"""Read sources: find the files, decode them, clean them, keep the map back to the original.

>>> from kartoteka.read import read_text
>>> doc = read_text("He left.fn3 Then", name="x.txt")
>>> doc.clean_text
'He left. Then'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from kartoteka.model import Document, Removal
from kartoteka.read.clean import clean, find_title
from kartoteka.read.decode import ReadError, decode
from kartoteka.read.markup import html_edits, html_title, markdown_edits
from kartoteka.read.offsets import ComposedMap, apply_edits

__all__ = ["ReadError", "SUFFIXES", "discover", "read_document", "read_text"]

#: The file kinds we read, by suffix; anything else in a folder is skipped.
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def discover(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Every readable source under `paths`, in a stable order; folders are walked.

    A path that does not exist is yielded as is, so the caller reports it with the others.
    A file given by name is yielded whatever its suffix (the user asked for it).
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if (
                    found.is_file()
                    and found.suffix.lower() in SUFFIXES
                    and not any(part.startswith(".") for part in found.relative_to(path).parts)
                ):
                    yield found
        else:
            yield path


def read_document(
    path: str | os.PathLike, *, encoding: str | None = None, as_of: str | None = None
) -> Document:
    """Read one file into a Document. Raises ReadError with the path and what to do."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as e:
        raise ReadError(str(path), "is a folder; give files or folders of .txt/.md/.html") from e
    except FileNotFoundError as e:
        raise ReadError(str(path), "no such file; check the path") from e
    except PermissionError as e:
        raise ReadError(
            str(path), "cannot be read (permission denied); check its permissions"
        ) from e
    except OSError as e:
        raise ReadError(str(path), f"cannot be read ({e.strerror or e})") from e
    text, used_encoding, notes = decode(data, str(path), encoding)
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    document = read_text(
        text,
        name=path.name,
        path=str(path.resolve()),
        kind=kind,
        encoding=used_encoding,
        as_of=as_of,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    document.notes.extend(notes)
    return document


def read_text(
    text: str,
    *,
    name: str,
    path: str | None = None,
    kind: str = "text",
    encoding: str = "utf-8",
    as_of: str | None = None,
    sha256: str | None = None,
) -> Document:
    """Make a Document from text already decoded (kind: text, markdown or html)."""
    if kind == "html":
        visible, markup_map = apply_edits(text, html_edits(text))
        title = html_title(text)
    elif kind == "markdown":
        visible, markup_map = apply_edits(text, markdown_edits(text))
        title = find_title(text)
    else:
        visible, markup_map = text, None
        title = find_title(text)
    if not visible.strip():
        raise ReadError(path or name, "has no text once its markup is removed; nothing to ingest")
    cleaned, clean_map, edits = clean(visible)
    offset_map = ComposedMap(markup_map, clean_map) if markup_map else clean_map
    removals = []
    for edit in edits:
        start, end = (
            markup_map.to_original(edit.start, edit.end) if markup_map else (edit.start, edit.end)
        )
        removals.append(Removal(start, end, text[start:end], edit.replacement, edit.reason))
    return Document(
        path=path or name,
        name=name,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        clean_text=cleaned,
        offset_map=offset_map,
        title=title,
        encoding=encoding,
        as_of=as_of,
        removals=removals,
    )
