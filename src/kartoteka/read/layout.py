"""From the pages, blocks, lines and words of a laid-out source to one text, and a Document.

Each reader of a laid-out format (PDF, EPUB, DOCX, ALTO, hOCR) walks its source and tells a
`TextBuilder` what it finds: a page starts, a line holds these words (with their boxes), a
block (paragraph, text box) ends. The builder writes the *extracted text*, which is the
document's original text: lines end with a newline, blocks with a blank line. It keeps the
page map and the boxes, and it knows the page edges, which plain-text cleaning cannot see:

- a line at the top or bottom of two or more pages that reads the same on them (digits
  aside) is a running head; a line there that is only a number is a page number;
- a sentence that runs on over a page break is joined again (and "organiza-" at the foot of
  a page with "tion" at the head of the next becomes "organization").

These become edits applied *before* the text rules of `read.clean` (which then remove what
is left: footnote markers, line-break hyphens, paragraph line breaks), so the offset map leads
from the cleaned text back to the extracted text, as for any other source.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from kartoteka.model import Document, Removal, SourceMetadata
from kartoteka.read.clean import RULES, clean, find_title
from kartoteka.read.decode import ReadError
from kartoteka.read.offsets import Edit
from kartoteka.read.pages import Box, PageMap

_SPACES = re.compile(r"\s+")
# a line that is only a page number: "12", "- 12 -", "[12]", "Page 12", "xiv"
_PAGE_NUMBER = re.compile(
    r"[-–—\[(]?\s*(?:page|p\.)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—\])]?", re.IGNORECASE
)
_SENTENCE_END = (".", "!", "?", ":", "”", '"', "’", ";")


@dataclass
class Extracted:
    """A laid-out source as one text: the page map, the boxes, and the edits that remove
    page furniture (found by the builder or marked as such by the format itself)."""

    text: str
    page_map: PageMap | None
    boxes: list[Box] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    encoding: str = "utf-8"
    #: what the file says of itself (an EPUB's title and creator, a Word file's title)
    metadata: SourceMetadata | None = None


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    page: int  # index into the builder's pages, -1 before any page
    furniture: str | None  # a reason when the format marks the whole line as furniture


class TextBuilder:
    """Collects text line by line; see the module docstring.

    >>> b = TextBuilder()
    >>> b.page(1); b.write("Hello"); b.write(" world"); b.end_block()
    >>> b.page(2); b.write("Again"); b.end_block()
    >>> e = b.build()
    >>> e.text, e.page_map.breaks()
    ('Hello world\\n\\nAgain\\n', [(0, 1), (13, 2)])
    """

    def __init__(self, *, page_furniture: bool = True) -> None:
        #: look for running heads and page numbers at the page edges; False for reflowable
        #: sources (EPUB, Word), whose page breaks fall anywhere in the text
        self.page_furniture = page_furniture
        self._out: list[str] = []
        self._pos = 0
        self._pending = ""  # the separator owed before the next line ("\n" or "\n\n")
        self._line: list[
            tuple[str, tuple[float, float, float, float] | None, str | None]
        ] = []  # text, word box, furniture
        self._lines: list[_Line] = []
        self._page_starts: list[int] = []
        self._page_numbers: list[int] = []
        self._page_pending: int | None = None
        self._boxes: list[Box] = []
        self._edits: list[Edit] = []

    # what readers call ----------------------------------------------------------------------

    def page(self, number: int | None = None) -> None:
        """A new page starts; `number` is the source's own (1-based), else the next one."""
        self.end_block()
        if number is None:
            number = (self._page_numbers[-1] + 1) if self._page_numbers else 1
        self._page_pending = number

    def write(
        self,
        text: str,
        *,
        box: tuple[float, float, float, float] | None = None,
        furniture: str | None = None,
    ) -> None:
        """Add text to the current line. Runs of white space become one space; `box` (x, y,
        width, height) makes it a word box; `furniture` (a reason) removes it when cleaning."""
        text = _SPACES.sub(" ", text)
        if not self._line or self._line[-1][0].endswith(" "):
            text = text.lstrip(" ")
        if not text:
            return
        self._line.append((text, box, furniture))

    def end_line(
        self, box: tuple[float, float, float, float] | None = None, furniture: str | None = None
    ) -> None:
        """The current line ends; `box` is the line's box, `furniture` marks the whole line
        (e.g. the text of an ALTO TopMargin) as page furniture."""
        while self._line and self._line[-1][0].endswith(" "):
            text, wbox, wfurn = self._line.pop()
            if text.rstrip(" "):
                self._line.append((text.rstrip(" "), wbox, wfurn))
        if not self._line:
            return
        if self._pos > 0:
            self._emit(self._pending or "\n")
        if self._page_pending is not None:
            self._page_starts.append(self._pos)
            self._page_numbers.append(self._page_pending)
            self._page_pending = None
        page = self._page_numbers[-1] if self._page_numbers else 0
        start = self._pos
        for text, wbox, wfurn in self._line:
            if wbox is not None:
                word_start = self._pos + len(text) - len(text.lstrip(" "))
                self._boxes.append(
                    Box(word_start, self._pos + len(text.rstrip(" ")), page, "word", *wbox)
                )
            if wfurn:
                self._edits.append(Edit(self._pos, self._pos + len(text), "", wfurn))
            self._emit(text)
        if box is not None:
            self._boxes.append(Box(start, self._pos, page, "line", *box))
        self._lines.append(_Line(start, self._pos, len(self._page_starts) - 1, furniture))
        self._line = []
        self._pending = "\n"

    def end_block(self) -> None:
        """The current block (paragraph, text box) ends: a blank line follows it."""
        self.end_line()
        if self._pos > 0:
            self._pending = "\n\n"

    def build(self) -> Extracted:
        self.end_block()
        if self._pos > 0:
            self._emit("\n")
        text = "".join(self._out)
        page_map = None
        if self._page_starts:
            starts = self._page_starts
            if starts[0] != 0:  # text before the first page marker belongs to that page
                starts = [0, *starts[1:]]
            page_map = PageMap(starts, self._page_numbers)
        edits = list(self._edits)
        edits += _line_furniture(text, self._lines)
        if page_map is not None:
            edits += _page_edges(text, self._lines, edits, furniture=self.page_furniture)
        return Extracted(text, page_map, sorted(self._boxes, key=lambda b: b.start), edits)

    def _emit(self, text: str) -> None:
        self._out.append(text)
        self._pos += len(text)


def _with_newline(text: str, line: _Line) -> tuple[int, int]:
    """A furniture line with the line breaks after it, so that no blank line stays behind."""
    end = line.end
    while end < len(text) and text[end] == "\n":
        end += 1
    return line.start, end


def _line_furniture(text: str, lines: list[_Line]) -> list[Edit]:
    return [Edit(*_with_newline(text, li), "", li.furniture) for li in lines if li.furniture]


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _page_edges(
    text: str, lines: list[_Line], marked: list[Edit], *, furniture: bool = True
) -> list[Edit]:
    """Running heads and page numbers at the page edges, and the joins over page breaks."""
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        if not line.furniture:
            by_page.setdefault(line.page, []).append(line)
    edge_lines = []  # (line, page) for the first and last line of every page
    for page, page_lines in by_page.items():
        for line in {id(x): x for x in (page_lines[0], page_lines[-1])}.values():
            edge_lines.append((line, page))
    pages_with_key: dict[str, set[int]] = {}
    for line, page in edge_lines:
        pages_with_key.setdefault(_key(text[line.start : line.end]), set()).add(page)
    repeats = Counter({k: len(v) for k, v in pages_with_key.items()})

    edits: list[Edit] = []
    found: set[int] = set()  # ids of lines found to be furniture
    for line, _ in edge_lines if furniture else ():
        body = text[line.start : line.end].strip()
        if _PAGE_NUMBER.fullmatch(body):
            reason = "page-number"
        elif repeats[_key(body)] >= 2 and len(body) <= 70 and re.search(r"[^\W\d_]", body):
            reason = "running-head"
        else:
            continue
        found.add(id(line))
        edits.append(Edit(*_with_newline(text, line), "", reason))

    # joins: from the last body line of a page to the first of the next
    body_lines = [li for li in lines if not li.furniture and id(li) not in found]
    removed = sorted((e.start, e.end) for e in (*marked, *edits))
    for before, after in zip(body_lines, body_lines[1:]):
        if before.page == after.page:
            continue
        edits += _join(text, before, after, removed)
    return edits


def _join(text: str, before: _Line, after: _Line, removed: list[tuple[int, int]]) -> list[Edit]:
    """Edits over the gap between two body lines on either side of a page break: the white
    space left between the removed furniture becomes one space (the sentence runs on), nothing
    (a hyphenated word), or one blank line (a paragraph ended with the page)."""
    last, first = text[before.start : before.end], text[after.start : after.end]
    gaps, pos = [], before.end
    for start, end in removed:
        if end <= before.end or start >= after.start:
            continue
        if start > pos:
            gaps.append((pos, start))
        pos = max(pos, end)
    if after.start > pos:
        gaps.append((pos, after.start))
    if not gaps:
        return []
    edits = []
    if last.endswith("-") and len(last) > 1 and last[-2].isalpha() and first[:1].islower():
        edits.append(Edit(before.end - 1, before.end, "", "hyphenation"))
        joined = ""
    elif first[:1].islower() or not last.endswith(_SENTENCE_END):
        joined = " "
    else:
        joined = "\n\n"
    first_gap, *rest = gaps
    if text[first_gap[0] : first_gap[1]] != joined:
        edits.append(Edit(*first_gap, joined, "page-break"))
    edits += [Edit(s, e, "", "page-break") for s, e in rest]
    return edits


def document_from_extracted(
    extracted: Extracted,
    *,
    name: str,
    path: str,
    data: bytes,
    as_of: str | None = None,
) -> Document:
    """Clean an extracted text as any text is cleaned, after its page furniture is removed."""
    text = extracted.text
    if not text.strip():
        raise ReadError(path, "has no text; nothing to ingest")
    furniture = extracted.edits
    cleaned, offset_map, edits = clean(text, rules=(lambda _: furniture, *RULES))
    removals = [
        Removal(e.start, e.end, text[e.start : e.end], e.replacement, e.reason) for e in edits
    ]
    return Document(
        path=path,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        clean_text=cleaned,
        offset_map=offset_map,
        # the first line of what the NLP sees, when it reads as a heading (the pipeline
        # treats that line as the title line)
        title=find_title(cleaned),
        encoding=extracted.encoding,
        as_of=as_of,
        removals=removals,
        page_map=extracted.page_map,
        boxes=extracted.boxes,
        metadata=extracted.metadata,
    )
