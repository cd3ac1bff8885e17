"""Who says it: the short label a passage is shown with ("Dewar 1951: …").

The one place that turns a document's metadata (docs/sources.md) into that label; cards, the
timeline, contradictions and the exports all ask here.
"""

from __future__ import annotations

import re

from kartoteka.store import Store
from kartoteka.store.documents import path_labels

__all__ = ["source_label", "source_labels"]

_YEAR = re.compile(r"-?[0-9X]{4}")


def surname(author: str) -> str:
    """The family name of one author as written: "Dewar, Hugo" and "Hugo Dewar" -> "Dewar";
    lower-case particles stay with it ("Charles de Gaulle" -> "de Gaulle").

    >>> surname("Dewar, Hugo"), surname("Hugo Dewar"), surname("Charles de Gaulle")
    ('Dewar', 'Dewar', 'de Gaulle')
    >>> surname("NKVD")
    'NKVD'
    """
    author = " ".join(author.split())
    if "," in author:
        return author.split(",", 1)[0].strip() or author
    words = author.split(" ")
    i = len(words) - 1
    while i > 0 and words[i - 1][:1].islower():
        i -= 1
    return " ".join(words[i:])


def source_label(name: str, author: str | None = None, date: str | None = None) -> str:
    """ "Author year" when the author is known ("Dewar and Smith 1951", "Dewar et al. 1951",
    "Dewar" without a date), else the file name.

    >>> source_label("ch2.txt", "Hugo Dewar", "1951-03")
    'Dewar 1951'
    >>> source_label("a.txt", "Dewar, Hugo; Smith, Jane; Ross, Al", "1951~")
    'Dewar et al. 1951'
    >>> source_label("notes.txt", None, "1937")
    'notes.txt'
    """
    authors = [surname(a) for a in (author or "").split(";") if a.strip()]
    if not authors:
        return name
    if len(authors) == 1:
        who = authors[0]
    elif len(authors) == 2:
        who = f"{authors[0]} and {authors[1]}"
    else:
        who = f"{authors[0]} et al."
    year = _YEAR.match(date or "")
    return f"{who} {year.group(0)}" if year else who


def source_labels(store: Store) -> dict[int, str]:
    """The label of every document, by id; without an author, what the document is called
    ("a/notes.txt" where two folders hold a notes.txt)."""
    rows = store.conn.execute("SELECT id, path, author, date FROM documents").fetchall()
    names = path_labels([r["path"] for r in rows])
    return {r["id"]: source_label(names[r["path"]], r["author"], r["date"]) for r in rows}
