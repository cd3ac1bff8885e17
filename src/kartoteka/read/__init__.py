"""Read sources: find the files, decode them, clean them, keep the map back to the original.

>>> from kartoteka.read import read_text
>>> doc = read_text("He left.fn3 Then", name="x.txt")
>>> doc.clean_text
'He left. Then'
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kartoteka.model import Document, Removal
from kartoteka.read.clean import clean, find_title
from kartoteka.read.decode import ReadError, decode
from kartoteka.read.formats import SUFFIXES as LAID_OUT_SUFFIXES
from kartoteka.read.formats import read_laid_out
from kartoteka.read.markup import html_edits, html_title, markdown_edits
from kartoteka.read.offsets import ComposedMap, apply_edits

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "VERSION",
    "ReadError",
    "SUFFIXES",
    "discover",
    "format_size",
    "parse_size",
    "read_document",
    "read_text",
]

#: Bump when reading gives another text or cleaned text for the same bytes (part of the
#: pipeline version: stored documents read by an older version are read and annotated again).
#: v2: decoding never guesses silently (a damaged UTF-8 file was read as ISO-8859); an
#: unclosed HTML comment or script runs to the end of the file, as in a browser.
#: v3: a word broken at a line end by OCR's hyphen sign ("¬", "⸗") is joined, and a line that
#: ends with a title's abbreviation or an initial ("Mr.", "H.") goes on into the next.
VERSION = "kartoteka.read.v3"

#: The largest file read unless the user raises the limit: ten times a long book (War and
#: Peace is 3 MB of text); parsing needs memory in proportion to the text.
DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024
#: How many times the text limit a PDF, EPUB or Word file may weigh before its text is taken
#: out (scanned books with a text layer are mostly images).
LAID_OUT_SIZE_FACTOR = 16

#: The file kinds we read, by suffix; anything else in a folder is skipped.
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    **LAID_OUT_SUFFIXES,  # pdf, epub, docx, ALTO .xml, hocr: read.formats
}


def discover(
    paths: Iterable[str | os.PathLike], on_skip: Callable[[str, str], None] | None = None
) -> Iterator[Path]:
    """Every readable source under `paths`, in a stable order; folders are walked.

    A path that does not exist is yielded as is, so the caller reports it with the others;
    so are links to nothing, links in a loop and folders that cannot be listed, which
    `read_document` then explains.
    A file given by name is yielded whatever its suffix (the user asked for it). Links to
    folders are followed, once: a folder reached a second time (through a link back up,
    which would loop forever, or a second link to it) is skipped and `on_skip(path, why)`
    is told.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(_walk(path, on_skip or (lambda path, why: None)))
        else:
            yield path


def _walk(root: Path, on_skip: Callable[[str, str], None]) -> Iterator[Path]:
    # the real path of every folder walked or about to be -> the path it is walked as
    walked: dict[str, str] = {}

    unreadable: list[str] = []  # yielded too, so that reading them says why

    def cannot_list(error: OSError) -> None:
        unreadable.append(str(error.filename))

    for folder, subfolders, files in os.walk(root, followlinks=True, onerror=cannot_list):
        walked.setdefault(os.path.realpath(folder), folder)
        keep = []
        # real folders claim their place before links to them, so a link is what is skipped
        names = [n for n in subfolders if not n.startswith(".")]
        for name in sorted(names, key=lambda n: (os.path.islink(os.path.join(folder, n)), n)):
            sub = os.path.join(folder, name)
            real = os.path.realpath(sub)
            if real in walked:
                on_skip(sub, f"leads back to {walked[real]}, which is read already; skipped")
                continue
            walked[real] = sub
            keep.append(name)
        subfolders[:] = sorted(keep)
        for name in files:
            found = Path(folder, name)
            if name.startswith(".") or found.suffix.lower() not in SUFFIXES:
                continue
            # a link to nothing or a link loop is yielded too, so that reading it says so
            if found.is_file() or found.is_symlink():
                yield found
    yield from (Path(folder) for folder in unreadable)


def read_document(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    as_of: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Read one file into a Document. Raises ReadError with the path and what to do.

    A file larger than `max_bytes` (default DEFAULT_MAX_FILE_BYTES) is refused without
    reading it all: parsing costs time and memory in proportion to the text."""
    path = Path(path)
    limit = DEFAULT_MAX_FILE_BYTES if max_bytes is None else max_bytes
    laid_out = path.suffix.lower() in LAID_OUT_SUFFIXES
    # A PDF, EPUB or Word file is mostly fonts, images and markup: its text, which is what
    # costs memory to annotate, is held to the limit after extraction, the file to a multiple.
    read_limit = limit * LAID_OUT_SIZE_FACTOR if laid_out else limit
    try:
        with path.open("rb") as f:
            # one byte more than the limit tells a file over it
            data = f.read(read_limit + 1)
    except IsADirectoryError as e:
        raise ReadError(str(path), "is a folder; give files or folders of .txt/.md/.html") from e
    except FileNotFoundError as e:
        if path.is_symlink():
            target = os.readlink(path)
            raise ReadError(str(path), f"is a link to {target}, which does not exist") from e
        raise ReadError(str(path), "no such file; check the path") from e
    except PermissionError as e:
        raise ReadError(
            str(path), "cannot be read (permission denied); check its permissions"
        ) from e
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ReadError(str(path), "is a link in a loop (it leads back to itself)") from e
        raise ReadError(str(path), f"cannot be read ({e.strerror or e})") from e
    if len(data) > read_limit:
        raise _too_large(path, read_limit, "per file")
    if laid_out:
        document = read_laid_out(SUFFIXES[path.suffix.lower()], data, path, as_of=as_of)
        if len(document.text.encode("utf-8")) > limit:
            raise _too_large(path, limit, "of text per file")
        return document
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


def _too_large(path: Path, limit: int, what: str) -> ReadError:
    return ReadError(
        str(path),
        f"is larger than the limit of {format_size(limit)} {what}; split it, or raise "
        f"the limit (kartoteka ingest --max-file-size {format_size(limit * 4, unit=True)})",
    )


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?)i?b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(value: str) -> int:
    """ "50MB", "50M", "512k", "2GB", "1000000" -> bytes (units of 1024). ValueError if not."""
    m = _SIZE.fullmatch(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a size (e.g. 50MB, 512KB, 2GB)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def format_size(size: int, *, unit: bool = False) -> str:
    """ "32 MB" (or "32MB" with `unit`, as an option takes it)."""
    for name, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            number = f"{size / factor:.1f}".removesuffix(".0")
            return f"{number}{'' if unit else ' '}{name}"
    return f"{size}{'' if unit else ' '}bytes"


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
