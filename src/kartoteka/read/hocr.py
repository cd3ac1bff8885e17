"""hOCR: the HTML that Tesseract (`tesseract page.png out hocr`), OCRopus and kraken write.

Pages (`ocr_page`), paragraphs or areas (`ocr_par`, `ocr_carea`), lines (`ocr_line` and the
other line classes) and words (`ocrx_word`) become text, with the line and word boxes kept
(the `bbox` of each element's title, in pixels of the page image). The page number is the
page's `ppageno` plus one when it has one (hOCR counts from 0), else its place in the file.
"""

from __future__ import annotations

from lxml import etree

from kartoteka.read.decode import ReadError
from kartoteka.read.layout import Extracted, TextBuilder
from kartoteka.read.safety import html_parser

_LINES = {"ocr_line", "ocrx_line", "ocr_header", "ocr_textfloat", "ocr_caption"}
_BLOCKS = {"ocr_par", "ocr_carea", "ocrx_block"}


def extract_hocr(data: bytes, path: str) -> Extracted:
    try:
        root = etree.fromstring(data, html_parser())
    except (etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(path, f"is not readable hOCR ({e}); run the OCR again") from e
    pages = [e for e in root.iter() if "ocr_page" in _classes(e)] if root is not None else []
    if not pages:
        raise ReadError(
            path,
            "has no ocr_page element, so it is not hOCR; give Tesseract's hOCR output "
            "(`tesseract page.png out hocr`)",
        )
    builder = TextBuilder()
    for page in pages:
        number = _properties(page).get("ppageno")
        builder.page(
            int(number[0]) + 1 if number and number[0].isascii() and number[0].isdigit() else None
        )
        _walk(page, builder)
    return builder.build()


def _walk(element, builder: TextBuilder) -> None:
    for child in element:
        classes = _classes(child)
        if classes & _LINES:
            _read_line(child, builder)
        elif "ocr_page" in classes:
            continue  # pages are taken one by one by the caller
        else:
            block = bool(classes & _BLOCKS)
            _walk(child, builder)
            if block:
                builder.end_block()


def _read_line(line, builder: TextBuilder) -> None:
    words = [e for e in line.iter() if "ocrx_word" in _classes(e)]
    if words:
        for word in words:
            text = "".join(word.itertext()).strip()
            if text:
                builder.write(" ")
                builder.write(text, box=_box(word))
    else:
        builder.write("".join(line.itertext()))
    builder.end_line(box=_box(line))


def _classes(element) -> set[str]:
    if not isinstance(element.tag, str):
        return set()
    return set((element.get("class") or "").split())


def _properties(element) -> dict[str, list[str]]:
    """The hOCR properties in an element's title: "bbox 10 20 30 40; x_wconf 95"."""
    found = {}
    for part in (element.get("title") or "").split(";"):
        if part.strip():
            name, *values = part.split()
            found[name] = values
    return found


def _box(element) -> tuple[float, float, float, float] | None:
    bbox = _properties(element).get("bbox")
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox or ())
    except ValueError:
        return None
    return x0, y0, x1 - x0, y1 - y0
