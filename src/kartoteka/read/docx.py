"""Word (.docx) files, read with python-docx.

The body is read in order, paragraphs and tables alike; headers, footers and comments are
left out (headers and footers are the running heads and page numbers of a Word file).
A Word file has no fixed pages, but it records where its pages broke when it was last laid
out (`w:lastRenderedPageBreak`) and where the author forced a break (`w:br w:type="page"`):
when either is there, the document gets a page map from them, else it has none.
"""

from __future__ import annotations

import io

from kartoteka.model import SourceMetadata
from kartoteka.read.decode import ReadError
from kartoteka.read.layout import Extracted, TextBuilder
from kartoteka.read.safety import local_name, open_zip


def extract_docx(data: bytes, path: str) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    open_zip(data, path, "Word file").close()
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise ReadError(
            path, f"is not a Word .docx file ({e}); save it again as .docx from Word"
        ) from e
    except Exception as e:  # lxml's XMLSyntaxError and the like: a damaged package
        raise ReadError(path, f"is a damaged Word file ({type(e).__name__}: {e})") from e
    walker = _Walker()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            walker.table(block)
        else:
            walker.paragraph(block._p)
    extracted = walker.builder.build()
    if not walker.page_breaks:
        extracted.page_map = None
    # the title only: a Word file's author is whoever typed the file (a transcriber, a
    # copy-typist), not the author of the source it holds
    title = " ".join((document.core_properties.title or "").split())
    if title:
        extracted.metadata = SourceMetadata(title=title, origin="Word metadata")
    return extracted


class _Walker:
    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.builder.page(1)
        self.page_breaks = 0
        self._text_since_break = False

    def table(self, table) -> None:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                    continue
                seen.add(id(cell._tc))
                for paragraph in cell.paragraphs:
                    self.paragraph(paragraph._p)
                for inner in cell.tables:
                    self.table(inner)

    def paragraph(self, p) -> None:
        for element in p.iter():
            name = local_name(element)
            if name == "t" and element.text:
                self.builder.write(element.text)
                self._text_since_break = True
            elif name == "tab":
                self.builder.write(" ")
            elif name == "noBreakHyphen":
                self.builder.write("-")
            elif name in ("cr",) or (name == "br" and _attr(element, "type") != "page"):
                self.builder.end_line()
            elif name == "lastRenderedPageBreak" or (
                name == "br" and _attr(element, "type") == "page"
            ):
                self._page_break()
            elif name == "pageBreakBefore" and _attr(element, "val") not in ("0", "false"):
                self._page_break()
        self.builder.end_block()

    def _page_break(self) -> None:
        # Word writes a rendered break next to a forced one: one page, not two
        if not self._text_since_break:
            return
        self.page_breaks += 1
        self._text_since_break = False
        self.builder.page()


def _attr(element, name: str) -> str | None:
    for key, value in element.attrib.items():
        if key.rpartition("}")[2] == name:
            return value
    return None
