"""Bytes to text: UTF-8 first, legacy encodings detected, binary and empty files refused."""

from __future__ import annotations

import codecs


class ReadError(Exception):
    """A file that cannot be read as a source; the message says why and what to do."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


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


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). Raises ReadError for empty, binary or undecodable data."""
    if not data.strip():
        raise ReadError(path, "the file is empty; nothing to ingest")
    if encoding:
        try:
            return normalize_newlines(data.decode(encoding)), encoding
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
                return normalize_newlines(data.decode(name)), name
            except UnicodeDecodeError as e:
                raise ReadError(
                    path,
                    f"starts with a {name} byte-order mark but is not valid "
                    f"{name} ({e}); give the encoding with --encoding",
                ) from e
    if _looks_binary(data):
        raise ReadError(
            path, "looks like a binary file, not text; convert it to .txt, .md or .html first"
        )
    try:
        return normalize_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ReadError(
            path,
            "cannot tell its character encoding; give it with --encoding (e.g. --encoding cp1251)",
        )
    return normalize_newlines(str(best)), best.encoding
