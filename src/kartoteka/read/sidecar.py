"""Sidecar files: what is known of each source (title, author, date, kind, reliability), kept
in a file beside the sources. The format is documented in docs/sources.md.

- `sources.csv`: a header row naming the columns, then one row per source. `path` (or
  `file`) is the source's path relative to the folder holding sources.csv, or its bare file
  name when no other file under that folder has that name; `title`, `author` (several
  separated by ";"), `date` (EDTF: 1951, 1951-03, 1951-03-14, 1951~), `kind` and
  `reliability` (free text). Other columns are left alone. Comma, semicolon or tab
  separated, UTF-8 with or without a byte order mark (what spreadsheets write).
- CSL-JSON (`sources.json` or `NAME.csl.json`, the list of items Zotero and Better BibTeX
  export): an item names its file with a `path` or `file` field, else by its `id` (the
  citation key) being the file's name or its name without the suffix. `title`, `author`
  (family and given, or literal), `issued` (date-parts, raw or literal), `type` (the kind);
  the reliability is a `reliability` field or a line "reliability: ..." of `note` (Zotero's
  Extra field).

A problem in a sidecar (a row without a path, a date that is not EDTF, a row naming two
files, a file that is not CSV or JSON) is reported with the file and line, and every row that
can be read is used.

>>> entries, problems = parse_csv("path,author,date\\nch1.txt,Hugo Dewar,1951\\n", "s.csv")
>>> entries[0].keys, entries[0].metadata.author, entries[0].metadata.date, problems
(('ch1.txt',), 'Hugo Dewar', '1951', [])
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from kartoteka.model import SourceMetadata

#: file names of sidecars; besides these, any NAME.csl.json
SIDECAR_NAMES = ("sources.csv", "sources.json")
CSL_SUFFIX = ".csl.json"
#: the columns of sources.csv we read (`file` is another name for `path`)
COLUMNS = ("path", "title", "author", "date", "kind", "reliability")
_EDTF_HINT = "EDTF, e.g. 1951, 1951-03, 1951-03-14 or 1951~"


@dataclass(frozen=True, slots=True)
class Entry:
    """One row (or CSL item): what it says of a source, and how it names the file."""

    keys: tuple[str, ...]  # a relative path, a bare file name, or (CSL) a citation key
    metadata: SourceMetadata
    line: int
    by_stem: bool = False  # a CSL citation key also matches a file's name without its suffix


@dataclass
class Sidecar:
    path: Path
    entries: list[Entry] = field(default_factory=list)
    #: (sidecar path, "line N: what is wrong and what to do")
    problems: list[tuple[str, str]] = field(default_factory=list)


def is_sidecar(path: Path) -> bool:
    name = path.name.lower()
    return name in SIDECAR_NAMES or name.endswith(CSL_SUFFIX)


def read_sidecar(path: Path) -> Sidecar:
    """The entries of one sidecar file; what cannot be read becomes a problem, not an error."""
    sidecar = Sidecar(path)
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        sidecar.problems.append((where, f"cannot be read ({e.strerror or e})"))
        return sidecar
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        sidecar.problems.append(
            (where, f"line {line}: not UTF-8 text; save it as UTF-8 (in a spreadsheet: CSV UTF-8)")
        )
        return sidecar
    parse = parse_csv if path.name.lower().endswith(".csv") else parse_csl_json
    sidecar.entries, problems = parse(text, where)
    sidecar.problems += [(where, p) for p in problems]
    return sidecar


# sources.csv --------------------------------------------------------------------------------


def _dialect(header: str) -> str:
    """The separator a spreadsheet used: comma, or semicolon (locales with a decimal comma),
    or tab."""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def parse_csv(text: str, origin: str) -> tuple[list[Entry], list[str]]:
    """Entries and problems ("line N: ...") of the text of a sources.csv."""
    first_line = text.split("\n", 1)[0]
    # strict: a quote never closed is an error here, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(first_line), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return [], [f"line 1: not CSV ({e})"]
    columns = [h.strip().lower() for h in header or []]
    columns = ["path" if c == "file" else c for c in columns]
    if "path" not in columns:
        return [], [
            "line 1: the header names no `path` column; the first row must name the columns: "
            + ", ".join(COLUMNS)
        ]
    entries: list[Entry] = []
    problems: list[str] = []
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:  # e.g. a quote never closed: nothing after it can be trusted
            problems.append(f"line {line}: not CSV ({e}); the rows after it are not read")
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        values = {c: cell.strip() for c, cell in zip(columns, row) if c in COLUMNS}
        entry = _csv_entry(values, origin, start, problems)
        if entry:
            entries.append(entry)
    return entries, problems


def _csv_entry(values: dict[str, str], origin: str, line: int, problems: list[str]) -> Entry | None:
    path = values.get("path", "")
    if not path:
        problems.append(f"line {line}: no path; give the file's path relative to this file")
        return None
    date = _checked_date(values.get("date"), line, problems)
    authors = [a.strip() for a in values.get("author", "").split(";") if a.strip()]
    metadata = SourceMetadata(
        title=values.get("title") or None,
        author="; ".join(authors) or None,
        date=date,
        kind=values.get("kind") or None,
        reliability=values.get("reliability") or None,
        origin=f"{origin} line {line}",
    )
    return Entry((path,), metadata, line)


def _checked_date(value: str | None, line: int, problems: list[str]) -> str | None:
    """An EDTF date, or None (and a problem) when the value is not one."""
    if not value:
        return None
    from edtf import parse_edtf

    try:
        parse_edtf(value)
    except Exception:  # edtf raises its own errors and others on odd input
        problems.append(
            f"line {line}: the date {value!r} is not {_EDTF_HINT}; the row is used without it"
        )
        return None
    return value


# CSL-JSON ---------------------------------------------------------------------------------


def parse_csl_json(text: str, origin: str) -> tuple[list[Entry], list[str]]:
    """Entries and problems of a CSL-JSON file (a list of items, or one item)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        return [], [f"line {e.lineno}: not JSON ({e.msg}); export it again as CSL JSON"]
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        return [], ["line 1: CSL JSON is a list of items; this file holds something else"]
    entries: list[Entry] = []
    problems: list[str] = []
    for number, item in enumerate(items, 1):
        line = _line_of(text, item, number)
        if not isinstance(item, dict):
            problems.append(f"line {line}: item {number} is not an object; it is skipped")
            continue
        entry = _csl_entry(item, origin, line, problems)
        if entry:
            entries.append(entry)
    return entries, problems


def _line_of(text: str, item: object, number: int) -> int:
    """The line where an item starts, found by its id (json keeps no positions)."""
    if isinstance(item, dict) and isinstance(item.get("id"), str | int):
        m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(item["id"])), text)
        if m:
            brace = text.rfind("{", 0, m.start())
            return text.count("\n", 0, max(brace, 0)) + 1
    return 1 if number == 1 else 0


def _csl_entry(item: dict, origin: str, line: int, problems: list[str]) -> Entry | None:
    where = f"line {line}" if line else "an item"
    named = item.get("path") or item.get("file")
    key = named or item.get("id")
    if not isinstance(key, str | int) or not str(key).strip():
        problems.append(
            f"{where}: the item has no `id` or `path`; give the file's path in a `path` field"
        )
        return None
    date = _csl_date(item.get("issued"), line, problems)
    note = item.get("note")
    note = note if isinstance(note, str) else ""
    found = re.search(r"^\s*reliability\s*:\s*(.+)$", note, re.IGNORECASE | re.MULTILINE)
    reliability = item.get("reliability") or (found.group(1).strip() if found else None)
    metadata = SourceMetadata(
        title=_text(item.get("title")),
        author=_csl_names(item.get("author") or item.get("editor")),
        date=date,
        kind=_text(item.get("type")),
        reliability=_text(reliability),
        origin=f"{origin} {where}",
    )
    return Entry((str(key).strip(),), metadata, line, by_stem=not named)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _csl_names(names: object) -> str | None:
    """ "Family, Given; Family, Given" from CSL name objects."""
    if not isinstance(names, list):
        return None
    out = []
    for n in names:
        if not isinstance(n, dict):
            continue
        family = " ".join(str(n.get(k, "")) for k in ("non-dropping-particle", "family"))
        family, given = family.strip(), str(n.get("given", "")).strip()
        literal = str(n.get("literal", "")).strip()
        out.append(f"{family}, {given}" if family and given else family or literal or given)
    return "; ".join(x for x in out if x) or None


def _csl_date(issued: object, line: int, problems: list[str]) -> str | None:
    """EDTF from a CSL date: date-parts ([[1951, 3]] -> 1951-03; two parts are a range),
    else raw or literal text when it is EDTF."""
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts:
        try:
            ends = [
                "-".join(f"{int(p):04d}" if i == 0 else f"{int(p):02d}" for i, p in enumerate(d))
                for d in parts[:2]
                if isinstance(d, list) and d
            ]
        except (TypeError, ValueError):
            ends = []
        if ends:
            value = "/".join(ends)
            return value + ("~" if issued.get("circa") and len(ends) == 1 else "")
    for key in ("raw", "literal"):
        if isinstance(issued.get(key), str):
            return _checked_date(issued[key].strip(), line, problems)
    return None


# which sidecar row describes which file ---------------------------------------------------


class SourceCatalog:
    """The sidecars that apply to the files of one ingest, and what they say of each file.

    Sidecars are looked for in every folder given (and all folders under it) and, for a file
    given by name, in its own folder. A row applies to files under its sidecar's folder; when
    sidecars in nested folders both describe a file, the nearer one wins.
    """

    def __init__(self, sidecars: list[tuple[Sidecar, bool]], files: Iterable[Path]):
        self.problems: list[tuple[str, str]] = []
        self._by_file: dict[Path, SourceMetadata] = {}
        resolved = sorted({_resolve(f) for f in files})
        # nearest first: a deeper folder's sidecar is placed before its ancestors'
        for sidecar, whole in sorted(sidecars, key=lambda s: -len(s[0].path.parent.parts)):
            self.problems += sidecar.problems
            self._match(sidecar, whole, resolved)

    @classmethod
    def find(cls, paths: Iterable[str | os.PathLike], files: Iterable[Path]) -> SourceCatalog:
        """The catalog for an ingest of `paths`, which found `files`."""
        found: dict[Path, bool] = {}  # sidecar -> its whole folder was ingested
        for given in paths:
            path = Path(given)
            if path.is_dir():
                for candidate in sorted(path.rglob("*")):
                    hidden = any(p.startswith(".") for p in candidate.relative_to(path).parts)
                    if not hidden and candidate.is_file() and is_sidecar(candidate):
                        found[_resolve(candidate)] = True
            elif path.parent.is_dir():
                for candidate in sorted(path.parent.iterdir()):
                    if candidate.is_file() and is_sidecar(candidate):
                        found.setdefault(_resolve(candidate), False)
        return cls([(read_sidecar(p), whole) for p, whole in found.items()], files)

    def lookup(self, path: str | os.PathLike) -> SourceMetadata | None:
        """What the sidecars say of one file (a copy), or None."""
        found = self._by_file.get(_resolve(Path(path)))
        return replace(found) if found else None

    def _match(self, sidecar: Sidecar, whole: bool, files: list[Path]) -> None:
        folder = sidecar.path.parent
        under = {
            f: PurePosixPath(f.relative_to(folder).as_posix()) for f in files if _under(f, folder)
        }
        by_relative = {str(rel): f for f, rel in under.items()}
        first_row: dict[Path, int] = {}
        where = str(sidecar.path)
        for entry in sidecar.entries:
            key = entry.keys[0]
            matches = _files_for(key, entry.by_stem, under, by_relative)
            if len(matches) > 1:
                shown = ", ".join(str(under[f]) for f in matches[:4])
                self.problems.append(
                    (
                        where,
                        f"line {entry.line}: {key!r} names {len(matches)} files ({shown}); "
                        "give the path relative to this file",
                    )
                )
                continue
            if not matches:
                if whole:
                    self.problems.append(
                        (
                            where,
                            f"line {entry.line}: no file {key!r} under {folder}; check the path",
                        )
                    )
                continue
            file = matches[0]
            if file in first_row:
                self.problems.append(
                    (
                        where,
                        f"line {entry.line}: a second row for {under[file]} (the first is at "
                        f"line {first_row[file]}); the first is used",
                    )
                )
                continue
            first_row[file] = entry.line
            self._by_file.setdefault(file, entry.metadata)


def _files_for(
    key: str, by_stem: bool, under: dict[Path, PurePosixPath], by_relative: dict[str, Path]
) -> list[Path]:
    relative = str(PurePosixPath(key.replace("\\", "/")))
    if relative in by_relative:
        return [by_relative[relative]]
    if "/" in relative:
        return []
    return [f for f, rel in under.items() if rel.name == key or (by_stem and rel.stem == key)]


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def merge_metadata(
    preferred: SourceMetadata | None, fallback: SourceMetadata | None
) -> SourceMetadata | None:
    """Field by field, what `preferred` (a sidecar) says, else what `fallback` (the file's
    own metadata) says; `origin` names both when both gave something.

    >>> a = SourceMetadata(author="Dewar, Hugo", origin="sources.csv line 2")
    >>> b = SourceMetadata(title="Assassins at Large", author="H. Dewar", origin="EPUB metadata")
    >>> m = merge_metadata(a, b)
    >>> m.title, m.author, m.origin
    ('Assassins at Large', 'Dewar, Hugo', 'sources.csv line 2; EPUB metadata')
    """
    if preferred is None or fallback is None:
        return preferred or fallback
    names = ("title", "author", "date", "kind", "reliability")
    merged = {n: getattr(preferred, n) or getattr(fallback, n) for n in names}
    fills = any(getattr(fallback, n) and not getattr(preferred, n) for n in names)
    origins = [preferred.origin] + ([fallback.origin] if fills else [])
    return SourceMetadata(**merged, origin="; ".join(o for o in origins if o) or None)
