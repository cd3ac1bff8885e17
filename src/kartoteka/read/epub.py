"""EPUB (2 and 3), read with ebooklib; the chapters' XHTML walked with lxml.

The chapters are read in spine order (the reading order the book declares), their visible
text block by block. An EPUB has no pages of its own, but one made from a printed book often
marks where the print pages begin (`epub:type="pagebreak"`, `role="doc-pagebreak"`): then the
document gets a page map with the print page numbers, else it has none. Note references
(`epub:type="noteref"`) are kept in the text and removed by cleaning, like any footnote
marker.
"""

from __future__ import annotations

import io
import re

from lxml import etree

from kartoteka.model import SourceMetadata
from kartoteka.read.decode import ReadError
from kartoteka.read.layout import Extracted, TextBuilder
from kartoteka.read.safety import html_parser, local_name, open_zip, xml_parser

_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "hr",
    "body",
}
_SKIPPED = {"head", "script", "style", "nav", "template", "svg", "math", "title"}
# encryption.xml also lists fonts that are merely obfuscated (IDPF, Adobe); anything else
# encrypted is DRM
_FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
}
_DIGITS = re.compile(r"\d+")


def extract_epub(data: bytes, path: str) -> Extracted:
    import ebooklib
    from ebooklib import epub

    archive = open_zip(data, path, "EPUB")
    with archive:
        _refuse_drm(archive, path)
    try:
        book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except (epub.EpubException, KeyError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(
            path, f"is not a readable EPUB ({type(e).__name__}: {e}); check it with epubcheck"
        ) from e
    builder = TextBuilder(page_furniture=False)
    chapters = 0
    for idref, *_ in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        chapters += 1
        root = _parse_chapter(item.get_content(), path, item.get_name())
        body = next((e for e in root.iter() if local_name(e) == "body"), root)
        try:
            _walk(body, builder)
        except RecursionError as e:
            raise ReadError(
                path, f"{item.get_name()} nests its markup too deeply to read; refused"
            ) from e
        builder.end_block()
    if not chapters:
        raise ReadError(path, "is an EPUB whose spine lists no chapters; nothing to ingest")
    extracted = builder.build()
    extracted.metadata = _metadata(book)
    return extracted


def _metadata(book) -> SourceMetadata | None:
    """The book's title and authors from its package metadata (dc:title, dc:creator; a
    creator with another role, such as a translator or editor, is not an author)."""

    def texts(name: str) -> list[tuple[str, dict]]:
        return [
            (" ".join(str(value).split()), attrs or {})
            for value, attrs in book.get_metadata("DC", name)
            if value and str(value).strip()
        ]

    titles = texts("title")
    authors = [
        value
        for value, attrs in texts("creator")
        if all(not k.endswith("role") or v == "aut" for k, v in attrs.items())
    ]
    if not titles and not authors:
        return None
    return SourceMetadata(
        title=titles[0][0] if titles else None,
        author="; ".join(authors) or None,
        origin="EPUB metadata",
    )


def _refuse_drm(archive, path: str) -> None:
    try:
        data = archive.read("META-INF/encryption.xml")
    except KeyError:
        return
    root = etree.fromstring(data, xml_parser())
    for method in root.iter():
        if local_name(method) == "EncryptionMethod":
            if method.get("Algorithm") not in _FONT_OBFUSCATION:
                raise ReadError(
                    path,
                    "is an encrypted (DRM-protected) EPUB; only an EPUB without DRM can be read",
                )


def _parse_chapter(content: bytes, path: str, name: str):
    """XHTML as XML; a chapter that is not well-formed is read as HTML, as readers do."""
    try:
        return etree.fromstring(content, xml_parser())
    except etree.XMLSyntaxError:
        pass
    root = etree.fromstring(content, html_parser()) if content.strip() else None
    if root is None:
        raise ReadError(path, f"{name} in the EPUB is empty or unreadable; check it with epubcheck")
    return root


def _epub_type(element) -> str:
    for key, value in element.attrib.items():
        if key.endswith("}type") or key == "epub:type":
            return value
    return ""


def _page_number(element) -> int | None:
    for label in (
        element.get("title"),
        element.get("aria-label"),
        "".join(element.itertext()),
        element.get("id"),
    ):
        if label:
            found = _DIGITS.findall(label)
            if len(found) == 1:
                return int(found[0])
    return None


def _walk(element, builder: TextBuilder) -> None:
    if not isinstance(element.tag, str):
        return  # an entity left unexpanded; its tail is the parent's
    name = local_name(element)
    kinds = set(_epub_type(element).split()) | {element.get("role") or ""}
    if name in _SKIPPED or kinds & {"toc", "page-list", "landmarks"}:
        return
    if kinds & {"pagebreak", "doc-pagebreak"}:
        number = _page_number(element)
        if number is not None:
            builder.page(number)
        return  # the marker's own text is the page number
    if kinds & {"noteref", "doc-noteref"}:
        builder.write("".join(element.itertext()), furniture="footnote-marker")
        return
    block = name in _BLOCKS
    if block:
        builder.end_block()
    if name == "br":
        builder.end_line()
    if element.text:
        builder.write(element.text)
    for child in element:
        _walk(child, builder)
        if child.tail:
            builder.write(child.tail)
    if block:
        builder.end_block()
