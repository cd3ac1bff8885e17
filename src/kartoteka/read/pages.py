"""Where a span of a paged source stands: its page, and for OCR output its line and word boxes.

A PDF, an ALTO or hOCR file, or an EPUB with print page markers is read into one text; the
page map says on which page each character of that text stands, so a mention, an event or a
passage can say "p. 2". Offsets are those of the original text (the extracted text), like
every other stored offset.

>>> pages = PageMap([0, 120, 260], [1, 2, 3])
>>> pages.page_at(0), pages.page_at(119), pages.page_at(120), pages.page_at(999)
(1, 1, 2, 3)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass


class PageMap:
    """Page starts (offsets, increasing) and the page number (1-based) of each page.

    The numbers are the source's own when it gives them (ALTO's PHYSICAL_IMG_NR, hOCR's
    ppageno, an EPUB's print page markers), else 1, 2, 3, ... in order.
    """

    __slots__ = ("starts", "numbers")

    def __init__(self, starts: list[int], numbers: list[int]):
        if len(starts) != len(numbers) or not starts:
            raise ValueError("a page map needs one number for each page start, and one page")
        self.starts = list(starts)
        self.numbers = list(numbers)

    def __len__(self) -> int:
        return len(self.starts)

    def page_at(self, offset: int) -> int:
        """The page of the character at `offset` (offsets before the first start: page one)."""
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]

    def page_of_span(self, start: int, end: int) -> int:
        """The page a span starts on (a passage running over a page break starts there)."""
        return self.page_at(start)

    def breaks(self) -> list[tuple[int, int]]:
        """(offset, page number) of every page start."""
        return list(zip(self.starts, self.numbers))

    def to_json(self) -> list[list[int]]:
        return [[s, n] for s, n in zip(self.starts, self.numbers)]

    @classmethod
    def from_json(cls, rows: list[list[int]]) -> PageMap:
        return cls([r[0] for r in rows], [r[1] for r in rows])


@dataclass(slots=True, frozen=True)
class Box:
    """A line or word of an OCR'd (or PDF) page: its span of the original text and where it
    stands on the page, in the source's units (pixels for hOCR, ALTO's MeasurementUnit)."""

    start: int
    end: int
    page: int
    kind: str  # "line" | "word"
    x: float
    y: float
    w: float
    h: float

    def to_json(self) -> list:
        return [self.start, self.end, self.page, self.kind, self.x, self.y, self.w, self.h]

    @classmethod
    def from_json(cls, row: list) -> Box:
        return cls(*row)


def boxes_to_json(boxes: list[Box]) -> list[list]:
    return [b.to_json() for b in boxes]


def boxes_from_json(rows: list[list] | None) -> list[Box]:
    return [Box.from_json(r) for r in rows or ()]


def boxes_of_span(boxes: list[Box], start: int, end: int, kind: str = "word") -> list[Box]:
    """The boxes of `kind` that hold some character of [start, end); `boxes` in text order."""
    chosen = [b for b in boxes if b.kind == kind]
    i = bisect_left([b.end for b in chosen], start + 1)
    found = []
    for box in chosen[i:]:
        if box.start >= end:
            break
        if box.end > start:
            found.append(box)
    return found
