"""Authority files: lists of known entities with their variant names and an identifier.

CSV: columns `canonical`, `type`, `variants` (separated by `|` or `;`), `identifier`
(optional), and for a place `lat` and `lon` (optional, decimal degrees: the map puts it
there). JSON: a list of objects with the same keys (`variants` a list), or an object with an
`entities` list. Nothing is shipped by default; a user loads their own with
`kartoteka authority load FILE`.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

from kartoteka.resolve.types import Authority

TYPES = {
    "PER": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "PLACE": "PLACE",
    "LOC": "PLACE",
    "GPE": "PLACE",
    "LOCATION": "PLACE",
}


class AuthorityFileError(ValueError):
    """An authority file that cannot be read; the message says which line and what to fix."""


def read_authority_file(path: str | Path) -> list[Authority]:
    """The entries of an authority file; `AuthorityFileError` naming the file (and line) and
    what to fix for anything else than UTF-8 CSV or JSON of the shape above."""
    path = Path(path)
    if not path.is_file():
        raise AuthorityFileError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise AuthorityFileError(
            f"{path}: not UTF-8 text (bad byte at offset {e.start}); save it as UTF-8 CSV or JSON"
        ) from None
    except OSError as e:
        raise AuthorityFileError(f"{path}: cannot be read ({e.strerror or e})") from e
    if "\x00" in text:
        raise AuthorityFileError(f"{path}: holds NUL characters; give a UTF-8 CSV or JSON file")
    source = path.name
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise AuthorityFileError(f"{path}: not valid JSON ({e})") from e
        if isinstance(data, dict):
            data = data.get("entities", [])
        if not isinstance(data, list):
            raise AuthorityFileError(f"{path}: expected a list of entries (or 'entities': [...])")
        rows = [(i + 1, row) for i, row in enumerate(data)]
    else:
        try:
            reader = csv.DictReader(text.splitlines(), strict=True)
            rows = [(i + 2, row) for i, row in enumerate(reader)]
        except csv.Error as e:
            raise AuthorityFileError(f"{path}: not valid CSV ({e})") from e
    return [_entry(row, line, path, source) for line, row in rows]


def _text(value, what: str, where: str) -> str:
    """A name field: text without control characters (a number is taken as its digits)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AuthorityFileError(f"{where}: {what} must be text, not {type(value).__name__}")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise AuthorityFileError(f"{where}: {what} holds control characters")
    return value.strip()


def _entry(row, line: int, path: Path, source: str) -> Authority:
    where = f"{path}:{line}"
    if not isinstance(row, dict):
        raise AuthorityFileError(f"{where}: expected an object with canonical and type")
    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    canonical = _text(row.get("canonical") or row.get("name"), "the canonical name", where)
    if not canonical:
        raise AuthorityFileError(f"{where}: the canonical name is missing")
    kind = TYPES.get(_text(row.get("type"), "the type", where).upper())
    if kind is None:
        raise AuthorityFileError(f"{where}: type {row.get('type')!r} is not one of PER, ORG, PLACE")
    variants = row.get("variants") or []
    if isinstance(variants, str):
        variants = [v for part in variants.split("|") for v in part.split(";")]
    if not isinstance(variants, list):
        raise AuthorityFileError(f"{where}: variants must be a list of names (or 'a|b' in CSV)")
    variants = tuple(
        dict.fromkeys(v for v in (_text(v, "a variant", where) for v in variants) if v)
    )
    identifier = _text(row.get("identifier") or row.get("id"), "the identifier", where) or None
    lat, lon = _coordinates(row, line, path)
    return Authority(
        canonical=canonical,
        type=kind,
        variants=variants,
        identifier=identifier,
        source=source,
        lat=lat,
        lon=lon,
    )


def _coordinates(row: dict, line: int, path: Path) -> tuple[float | None, float | None]:
    """`lat`/`lon` (or `latitude`/`longitude`), both or neither, in decimal degrees."""
    raw_lat = row.get("lat", row.get("latitude"))
    raw_lon = row.get("lon", row.get("lng", row.get("longitude")))
    if raw_lat in (None, "") and raw_lon in (None, ""):
        return None, None
    try:
        lat, lon = float(str(raw_lat).strip()), float(str(raw_lon).strip())
    except ValueError:
        raise AuthorityFileError(
            f"{path}:{line}: give lat and lon as decimal degrees (48.8566, 2.3522),"
            f" not {raw_lat!r}, {raw_lon!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise AuthorityFileError(f"{path}:{line}: lat {lat}, lon {lon} is not on the Earth")
    return lat, lon
