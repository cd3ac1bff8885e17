"""Bytes to text, never by a silent guess.

In order: the encoding the user gave; a byte-order mark; UTF-16 without one (every other byte
zero); binary and empty files refused; UTF-8. A file that is not valid UTF-8 is one of two
things, and the bytes say which:
- UTF-8 with a few damaged bytes: most of its non-ASCII bytes still form UTF-8 sequences
  ("Müller" intact, two stray bytes elsewhere). It stays UTF-8; the bad bytes become U+FFFD
  and the note says where they were.
- a legacy single-byte file: no UTF-8 sequences to speak of. A legacy encoding is chosen only
  when its reading puts the non-ASCII characters where text puts them (`kartoteka.read.legacy`),
  and the note says which encoding, why, and which other reading came close.
Otherwise a handful of bad bytes is replaced as in the first case, and more is refused with
a hint drawn from the file itself.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from kartoteka.read import legacy


class ReadError(Exception):
    """A file that cannot be read as a source; the message says why and what to do."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Decoded(NamedTuple):
    text: str
    encoding: str
    #: what decoding had to decide or repair, one sentence each (empty for clean UTF-8)
    notes: list[str]


#: Beyond this many bad bytes a file is not "UTF-8 with a few bad bytes" whatever else it is.
MAX_REPLACED = 1000
#: Bad bytes replaced even when nothing else says UTF-8 (no legacy reading explains them).
FEW_REPLACED = 16
_SHOWN_POSITIONS = 10
_ASCII = bytes(range(128))
_WINDOW = 32 * 1024


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not (
        sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE)
    ):
        return True
    # many C0 control characters other than whitespace: an image, archive or executable
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return len(sample) > 0 and controls / len(sample) > 0.05


def normalize_newlines(text: str) -> str:
    """As Python's text mode reads a file: CRLF and CR become LF, so offsets agree with it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode(data: bytes, path: str, encoding: str | None = None) -> Decoded:
    """Return (text, encoding name, notes). Raises ReadError for empty, binary or
    undecodable data."""
    if not data.strip():
        raise ReadError(path, "the file is empty; nothing to ingest")
    if encoding:
        try:
            return Decoded(normalize_newlines(data.decode(encoding)), encoding, [])
        except (UnicodeDecodeError, LookupError) as e:
            raise ReadError(
                path,
                f"cannot be decoded as {encoding} ({e}); check the encoding given with --encoding",
            ) from e
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(normalize_newlines(data.decode(name)), name, [])
            except UnicodeDecodeError as e:
                if name == "utf-8-sig":  # the mark says UTF-8: a damaged byte does not undo it
                    damage = _utf8_damage(data)
                    if not damage.gave_up:
                        why = "it starts with a UTF-8 byte-order mark"
                        return _utf8_replaced(data, damage, why, name)
                raise ReadError(
                    path,
                    f"starts with a {name} byte-order mark but is not valid "
                    f"{name} ({e}); give the encoding with --encoding",
                ) from e
    wide = _utf16_without_bom(data)
    if wide:
        return wide
    if _looks_binary(data):
        raise ReadError(
            path, "looks like a binary file, not text; convert it to .txt, .md or .html first"
        )
    try:
        return Decoded(normalize_newlines(data.decode("utf-8")), "utf-8", [])
    except UnicodeDecodeError:
        pass
    return _not_utf8(data, path)


class _Damage(NamedTuple):
    positions: list[int]  # byte offsets where an invalid stretch starts (up to MAX_REPLACED)
    bad_bytes: int
    in_sequences: int  # non-ASCII bytes that do form UTF-8 sequences, in the part scanned
    gave_up: bool  # more than MAX_REPLACED bad stretches: only the part before was scanned


def _utf8_damage(data: bytes) -> _Damage:
    """Where UTF-8 decoding fails, reading the file once: each step decodes a window from the
    last failure on (decoding all the rest each time would cost the rest's length per bad
    byte, quadratic in a file full of legacy bytes)."""
    view = memoryview(data)
    positions: list[int] = []
    bad = pos = 0
    while pos < len(data) and len(positions) <= MAX_REPLACED:
        final = pos + _WINDOW >= len(data)
        try:
            # not final: a sequence cut by the window's end waits for the next window
            _, consumed = codecs.utf_8_decode(view[pos : pos + _WINDOW], "strict", final)
            pos += consumed
        except UnicodeDecodeError as e:
            positions.append(pos + e.start)
            bad += e.end - e.start
            pos += e.end
    non_ascii = len(data[:pos].translate(None, _ASCII))
    gave_up = len(positions) > MAX_REPLACED
    return _Damage(positions[:MAX_REPLACED], bad, non_ascii - bad, gave_up)


def _not_utf8(data: bytes, path: str) -> Decoded:
    damage = _utf8_damage(data)
    if not damage.gave_up and damage.in_sequences >= damage.bad_bytes:
        why = f"the other {damage.in_sequences} non-ASCII bytes are valid UTF-8"
        return _utf8_replaced(data, damage, why)
    readings = legacy.readings(data)
    best = readings[0]
    if best.evident and damage.in_sequences * 4 < damage.bad_bytes:
        return _legacy(data, best, readings[1:], damage)
    if not damage.gave_up and damage.bad_bytes <= FEW_REPLACED:
        why = "no single-byte encoding reads them as text"
        return _utf8_replaced(data, damage, why)
    first = f"{_bad(damage)}, the first at {_where(data, damage.positions[0])}"
    if damage.in_sequences * 4 >= damage.bad_bytes:
        raise ReadError(
            path,
            f"mixes UTF-8 ({damage.in_sequences} bytes in UTF-8 sequences) with bytes that are "
            f"not ({first}); convert it to one encoding, or give one with --encoding NAME",
        )
    hint = "if you know its encoding, give it with --encoding NAME"
    close = [r for r in readings if r.share >= 0.75 and r.examples]
    if close:
        hint += " (closest readings: " + ", ".join(_shown(r) for r in close[:2]) + ")"
    raise ReadError(
        path, f"is not UTF-8 ({first}) and no single-byte encoding reads it as text; {hint}"
    )


def _utf8_replaced(data: bytes, damage: _Damage, why: str, name: str = "utf-8") -> Decoded:
    text = data.decode(name, errors="replace")
    shown = ", ".join(_where(data, p) for p in damage.positions[:_SHOWN_POSITIONS])
    more = len(damage.positions) - _SHOWN_POSITIONS
    if more > 0:
        shown += f" and {more} more"
    note = (
        f"read as UTF-8, with U+FFFD for {_bad(damage)} at {shown} ({why}); if the file is "
        f"in another encoding, give it with --encoding"
    )
    return Decoded(normalize_newlines(text), name, [note])


def _legacy(
    data: bytes, best: legacy.Reading, others: list[legacy.Reading], damage: _Damage
) -> Decoded:
    try:
        text = data.decode(best.encoding)
        repaired = ""
    except UnicodeDecodeError:
        # a byte the encoding leaves undefined, outside the sample that chose it
        text = data.decode(best.encoding, errors="replace")
        repaired = f"; {text.count(chr(0xFFFD))} bytes undefined in it replaced by U+FFFD"
    note = (
        f"read as {best.encoding}: not UTF-8 ({_bad(damage)}, the first at "
        f"{_where(data, damage.positions[0])}), and {best.encoding} reads its non-ASCII bytes "
        f"as text ({', '.join(best.examples)}){repaired}"
    )
    # a rival reads the bytes differently and about as well: which is right takes knowing
    # the language (cp1252 "Dvoøák" or cp1250 "Dvořák"), so the user hears of both
    for rival in others[:2]:
        if rival.evident and rival.good >= best.good * 0.9:
            differ = legacy.first_difference(best, rival)
            if differ:
                note += (
                    f"; {rival.encoding} would read it as well (“{differ[1]}” for “{differ[0]}”)"
                )
    note += "; if that is wrong, give the encoding with --encoding"
    return Decoded(normalize_newlines(text), best.encoding, [note])


def _shown(reading: legacy.Reading) -> str:
    return f"{reading.encoding} as {', '.join(reading.examples)}"


def _bad(damage: _Damage) -> str:
    """ "1 bad byte", "2 bad bytes", "more than 1001 bad bytes"."""
    if damage.gave_up:
        return f"more than {damage.bad_bytes} bad bytes"
    return f"{damage.bad_bytes} bad byte{'' if damage.bad_bytes == 1 else 's'}"


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte {offset} (line {line})"


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 with no byte-order mark: in text, the high byte of every ASCII character is
    zero, so zeros fall on one side of the byte pairs only. Accepted when the whole file
    decodes and reads as text, not as control characters."""
    sample = data[: 8192 // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2 or b"\x00" not in sample:
        return None
    zeros_first, zeros_second = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_second >= pairs * 0.05 and zeros_first <= zeros_second * 0.02:
        codec = "utf-16-le"
    elif zeros_first >= pairs * 0.05 and zeros_second <= zeros_first * 0.02:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    head = text[:4096]
    odd = sum(1 for c in head if (c < " " and c not in "\t\n\r\f") or 0xE000 <= ord(c) < 0xF900)
    if odd > len(head) * 0.01:
        return None
    note = (
        f"read as {codec.upper()}: no byte-order mark, but every other byte is zero as in "
        f"UTF-16 text; if that is wrong, give the encoding with --encoding"
    )
    return Decoded(normalize_newlines(text), codec, [note])
