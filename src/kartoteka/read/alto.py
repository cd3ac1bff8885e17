"""ALTO XML (versions 2 to 4, and the older unversioned files): OCR output from libraries'
digitization projects, Transkribus, ABBYY and Tesseract.

Every page (`Page`), text block, line and word (`String`, with `SP` between words and `HYP`
at a line-break hyphen) becomes text, with the line and word boxes kept (HPOS, VPOS, WIDTH,
HEIGHT, in the file's MeasurementUnit). The page number is the page's PHYSICAL_IMG_NR when it
has one (a file holding page 37 of a book says "p. 37"), else its place in the file. What the
OCR put in the top and bottom margins (TopMargin, BottomMargin: running heads, page numbers)
stays in the text and is removed by cleaning; text in the side margins (marginal notes) is
kept.
"""

from __future__ import annotations

from kartoteka.read.decode import ReadError
from kartoteka.read.layout import Extracted, TextBuilder
from kartoteka.read.safety import local_name, parse_xml

_MARGINS = {"TopMargin": "page-margin", "BottomMargin": "page-margin"}


def extract_alto(data: bytes, path: str) -> Extracted:
    root = parse_xml(data, path, "ALTO file")
    if local_name(root).lower() != "alto":
        raise ReadError(
            path,
            f"is XML but not ALTO (its root element is <{local_name(root)}>); kartoteka reads "
            "ALTO v2-v4 .xml files (a METS file lists them: ingest the ALTO files themselves)",
        )
    builder = TextBuilder()
    pages = 0
    for page in (e for e in root.iter() if local_name(e) == "Page"):
        pages += 1
        builder.page(_int(page.get("PHYSICAL_IMG_NR")) or None)
        for area in page:
            _read_area(area, builder, _MARGINS.get(local_name(area)))
    if not pages:
        raise ReadError(path, "is an ALTO file with no <Page>; export the OCR again")
    return builder.build()


def _read_area(element, builder: TextBuilder, furniture: str | None) -> None:
    for node in element:
        name = local_name(node)
        if name == "TextBlock":
            for line in node:
                if local_name(line) == "TextLine":
                    _read_line(line, builder, furniture)
            builder.end_block()
        elif name == "ComposedBlock":
            _read_area(node, builder, furniture)


def _read_line(line, builder: TextBuilder, furniture: str | None) -> None:
    previous = ""  # the kind of the last item written: String, SP or HYP
    hyphen_owed = False
    for item in line:
        name = local_name(item)
        if name == "String":
            content = item.get("CONTENT") or ""
            if not content:
                continue
            if previous == "String":
                builder.write(" ")  # some producers leave out the SP between words
            builder.write(content, box=_box(item))
            hyphen_owed = item.get("SUBS_TYPE") == "HypPart1" and not content.endswith("-")
        elif name == "SP":
            builder.write(" ")
        elif name == "HYP":
            # the hyphen as printed ("-", "¬", "\u00ad"): written as "-" so that cleaning joins
            # the word as it joins any line-break hyphen
            builder.write("-")
            hyphen_owed = False
        else:
            continue
        previous = name
    if hyphen_owed:
        builder.write("-")
    builder.end_line(box=_box(line), furniture=furniture)


def _box(element) -> tuple[float, float, float, float] | None:
    try:
        x, y, width, height = (float(element.get(a)) for a in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    except (TypeError, ValueError):
        return None
    return x, y, width, height


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number and number > 0 else None
