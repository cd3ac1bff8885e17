"""Asking SQLite about many ids at once: one statement takes a bounded number of parameters
(999 in older SQLite builds), so a long list of ids is asked `BATCH` at a time.

>>> [list(b) for b in batches([5, 3, 9, 1, 7], size=2)]
[[5, 3], [9, 1], [7]]
>>> placeholders([5, 3])
'?,?'

`rows_in` runs a query whose `{marks}` is such a list, a batch at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

__all__ = ["BATCH", "batches", "placeholders", "rows_in"]

T = TypeVar("T")

#: ids asked in one statement
BATCH = 500


def batches(values: Sequence[T], size: int = BATCH) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, in their order."""
    for i in range(0, len(values), size):
        yield list(values[i : i + size])


def placeholders(batch: Sequence) -> str:
    """The `?` placeholders of an `IN (...)` for `batch`."""
    return ",".join("?" * len(batch))


def rows_in(conn: sqlite3.Connection, sql: str, values: Iterable) -> Iterator[sqlite3.Row]:
    """The rows of `sql` whose `{marks}` is the list of `values` (each once, sorted),
    asked a batch at a time."""
    for chunk in batches(sorted(set(values))):
        yield from conn.execute(sql.format(marks=placeholders(chunk)), chunk)
