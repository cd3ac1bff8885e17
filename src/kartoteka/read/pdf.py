"""PDF with a text layer, read with pdfminer.six.

Why pdfminer.six rather than pypdf: pypdf gives the text in the order of the page's content
stream, which is the order a program happened to draw it in; a page whose right column, page
number or running head was drawn first comes out scrambled. pdfminer.six groups the
characters into lines and text boxes by where they stand and orders the boxes as a reader
reads them, and gives every line its box. It is some six times slower (about 10 ms a page
here), which is nothing beside the language pipeline that reads the text afterwards.
(pdfplumber is built on pdfminer.six and adds tables and drawing; we need neither.)
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager

from kartoteka.model import SourceMetadata
from kartoteka.read.decode import ReadError
from kartoteka.read.layout import Extracted, TextBuilder

# a glyph without a character map comes out as "(cid:123)": such a text layer is unusable
_CID = re.compile(r"\(cid:\d+\)")
OCR_HINT = "OCR it first, e.g. with ocrmypdf (`ocrmypdf in.pdf out.pdf`), then ingest the result"


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning for every harmless oddity of a PDF; keep the ingest readable."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def extract_pdf(data: bytes, path: str) -> Extracted:
    """The text layer of a PDF, page by page, text box by text box, line by line."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    builder = TextBuilder()
    pages = characters = unmapped = 0
    try:
        with _quiet_pdfminer():
            for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
                pages += 1
                builder.page(pages)
                height = page.height
                for element in page:
                    if not isinstance(element, LTTextContainer):
                        continue
                    lines = element if not isinstance(element, LTTextLine) else [element]
                    for line in lines:
                        if not isinstance(line, LTTextLine):
                            continue
                        text = line.get_text()
                        unmapped += sum(len(m) for m in _CID.findall(text))
                        characters += len(text.strip())
                        builder.write(text)
                        x0, y0, x1, y1 = line.bbox
                        # PDF measures from the bottom of the page; boxes here, as in ALTO
                        # and hOCR, from the top
                        builder.end_line(box=(_r(x0), _r(height - y1), _r(x1 - x0), _r(y1 - y0)))
                    builder.end_block()
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise ReadError(
            path,
            "is an encrypted PDF that needs a password; save a decrypted copy "
            "(e.g. `qpdf --decrypt --password=... in.pdf out.pdf`) and ingest that",
        ) from e
    except (PDFSyntaxError, PSException) as e:
        raise ReadError(
            path, f"is not a readable PDF ({e}); check that it opens in a PDF viewer"
        ) from e
    except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as e:
        # pdfminer meets a broken file with whatever error the broken part causes
        raise ReadError(
            path, f"is a damaged PDF ({type(e).__name__}: {e}); repair or re-save it"
        ) from e
    if pages == 0:
        raise ReadError(path, "is a PDF with no pages; nothing to ingest")
    if characters == 0:
        raise ReadError(path, f"is a PDF with no text layer (scanned images only): {OCR_HINT}")
    if unmapped > characters / 2:
        raise ReadError(
            path,
            f"has a text layer without a character map (its text reads as '(cid:…)'): {OCR_HINT}",
        )
    extracted = builder.build()
    extracted.metadata = _metadata(data)
    return extracted


# what programs write as a PDF's title when the author gave none: the file it was made from
_NOT_A_TITLE = re.compile(
    r"^(untitled|microsoft (word|powerpoint) - .*|.*\.(docx?|odt|rtf|txt|tex|pdf|indd|qxd))$",
    re.IGNORECASE,
)


def _metadata(data: bytes) -> SourceMetadata | None:
    """The PDF's own title (its Info dictionary), unless it is only the name of the file it
    was made from. The author field is left alone: it names whoever made the PDF file."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.utils import decode_text

    try:
        with _quiet_pdfminer():
            info = PDFDocument(PDFParser(io.BytesIO(data))).info
        raw = next((i.get("Title") for i in info if i.get("Title")), None)
        title = decode_text(raw) if isinstance(raw, bytes) else None
    except Exception:  # the text was read; a damaged Info dictionary only loses the title
        return None
    title = " ".join((title or "").replace("\x00", "").split())
    if not title or _NOT_A_TITLE.match(title):
        return None
    return SourceMetadata(title=title, origin="PDF metadata")


def _r(value: float) -> float:
    return round(value, 1)
