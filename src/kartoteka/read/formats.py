"""The laid-out formats (PDF, EPUB, Word, ALTO, hOCR): their suffixes and their readers.

Each reader turns the file's bytes into an `Extracted` text with its page map and boxes;
`read_laid_out` cleans that into a Document. A reader's module is imported only when a file
of its kind is read.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from kartoteka.model import Document
from kartoteka.read.decode import ReadError
from kartoteka.read.layout import document_from_extracted

#: suffix -> kind, for the kinds read here
SUFFIXES = {
    ".pdf": "pdf",
    ".epub": "epub",
    ".docx": "docx",
    ".xml": "alto",
    ".alto": "alto",
    ".hocr": "hocr",
}

#: kind -> (module, function) of its reader
READERS = {
    "pdf": ("kartoteka.read.pdf", "extract_pdf"),
    "epub": ("kartoteka.read.epub", "extract_epub"),
    "docx": ("kartoteka.read.docx", "extract_docx"),
    "alto": ("kartoteka.read.alto", "extract_alto"),
    "hocr": ("kartoteka.read.hocr", "extract_hocr"),
}


def read_laid_out(kind: str, data: bytes, path: Path, *, as_of: str | None = None) -> Document:
    """A Document from the bytes of a laid-out file; ReadError says what is wrong with it."""
    if not data.strip():
        raise ReadError(str(path), "the file is empty; nothing to ingest")
    module, function = READERS[kind]
    extract = getattr(import_module(module), function)
    extracted = extract(data, str(path))
    return document_from_extracted(
        extracted, name=path.name, path=str(path.resolve()), data=data, as_of=as_of
    )
