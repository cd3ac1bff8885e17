"""Map offsets in a cleaned text back to the original it was made from.

Cleaning is a list of edits over the original (delete "-\\n", replace a footnote marker with
nothing, ...). The cleaned text is then a sequence of pieces: stretches copied unchanged, and
replacements. A copied stretch maps character for character; a replacement maps as a whole to
the original span it replaced. So a span of the cleaned text maps to the smallest span of the
original that holds everything it was made from.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Edit:
    """Replace original[start:end] with `replacement`; `reason` says why."""

    start: int
    end: int
    replacement: str
    reason: str


class OffsetMap:
    """Pieces as parallel lists: clean start, original start, clean length, original length.

    A piece with equal lengths and `copied` True maps linearly; any other piece is a replacement.
    """

    __slots__ = ("clean_starts", "orig_starts", "clean_lengths", "orig_lengths", "copied")

    def __init__(self) -> None:
        self.clean_starts: list[int] = []
        self.orig_starts: list[int] = []
        self.clean_lengths: list[int] = []
        self.orig_lengths: list[int] = []
        self.copied: list[bool] = []

    def _add(self, clean_start: int, orig_start: int, clean_len: int, orig_len: int, copied: bool):
        self.clean_starts.append(clean_start)
        self.orig_starts.append(orig_start)
        self.clean_lengths.append(clean_len)
        self.orig_lengths.append(orig_len)
        self.copied.append(copied)

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        m = cls()
        m._add(0, 0, length, length, True)
        return m

    def _piece(self, clean_offset: int) -> int:
        """Index of the piece holding clean_offset; zero-length pieces are skipped."""
        i = bisect_right(self.clean_starts, clean_offset) - 1
        # several pieces can start at the same clean offset when some are empty (deletions):
        # the last one with that start is the non-empty one, which bisect_right already found.
        return max(i, 0)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the clean span [start, end) to the original span it came from."""
        if not self.clean_starts:
            return start, end
        if end <= start:
            o = self.point_to_original(start)
            return o, o
        i = self._piece(start)
        j = self._piece(end - 1)
        if self.copied[i]:
            orig_start = self.orig_starts[i] + (start - self.clean_starts[i])
        else:
            orig_start = self.orig_starts[i]
        if self.copied[j]:
            orig_end = self.orig_starts[j] + (end - self.clean_starts[j])
        else:
            orig_end = self.orig_starts[j] + self.orig_lengths[j]
        return orig_start, orig_end

    def point_to_original(self, offset: int) -> int:
        i = self._piece(offset)
        delta = offset - self.clean_starts[i]
        if self.copied[i] or delta == 0:
            return self.orig_starts[i] + min(delta, self.orig_lengths[i])
        return self.orig_starts[i] + self.orig_lengths[i]

    # plain-data form, for the store
    def to_json(self) -> list[list[int]]:
        return [
            [cs, os, cl, ol, int(c)]
            for cs, os, cl, ol, c in zip(
                self.clean_starts,
                self.orig_starts,
                self.clean_lengths,
                self.orig_lengths,
                self.copied,
            )
        ]

    @classmethod
    def from_json(cls, rows: list[list[int]]) -> OffsetMap:
        m = cls()
        for cs, os, cl, ol, c in rows:
            m._add(cs, os, cl, ol, bool(c))
        return m


def apply_edits(original: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits to `original`; return the cleaned text and its map back.

    Overlapping edits are a bug in the caller: the later one is dropped rather than corrupting
    the map.
    """
    out: list[str] = []
    offset_map = OffsetMap()
    clean_pos = 0
    orig_pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < orig_pos:
            continue
        if edit.start > orig_pos:
            length = edit.start - orig_pos
            out.append(original[orig_pos : edit.start])
            offset_map._add(clean_pos, orig_pos, length, length, True)
            clean_pos += length
        if edit.replacement or edit.end > edit.start:
            offset_map._add(
                clean_pos, edit.start, len(edit.replacement), edit.end - edit.start, False
            )
            out.append(edit.replacement)
            clean_pos += len(edit.replacement)
        orig_pos = edit.end
    if orig_pos < len(original) or not offset_map.clean_starts:
        length = len(original) - orig_pos
        out.append(original[orig_pos:])
        offset_map._add(clean_pos, orig_pos, length, length, True)
    return "".join(out), offset_map


class ComposedMap:
    """Two maps in a row: `outer` maps the final text to an intermediate one (e.g. cleaned
    text to the visible text of an HTML page), `inner` maps that to the original."""

    __slots__ = ("inner", "outer")

    def __init__(self, inner: OffsetMap | ComposedMap, outer: OffsetMap | ComposedMap):
        self.inner = inner
        self.outer = outer

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.inner.to_original(*self.outer.to_original(start, end))

    def point_to_original(self, offset: int) -> int:
        return self.inner.point_to_original(self.outer.point_to_original(offset))

    def to_json(self) -> dict:
        return {"inner": self.inner.to_json(), "outer": self.outer.to_json()}


def load_offset_map(data) -> OffsetMap | ComposedMap:
    """The inverse of `to_json` for either kind of map."""
    if isinstance(data, dict):
        return ComposedMap(load_offset_map(data["inner"]), load_offset_map(data["outer"]))
    return OffsetMap.from_json(data)
