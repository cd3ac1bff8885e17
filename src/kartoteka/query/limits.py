"""Time limits for reads: a question the store takes too long over is stopped, and the answer
says it is incomplete, instead of holding a page (and a server thread) for minutes.

SQLite calls a progress handler every few thousand steps of a statement; once the deadline has
passed it returns non-zero and SQLite stops the statement ("interrupted"). The same deadline
bounds the Python work between statements (`Deadline.passed`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Deadline", "time_limit", "is_interrupted"]

#: SQLite virtual machine steps between two looks at the clock (about a millisecond).
_STEPS = 10_000


class Deadline:
    """A moment after which a read gives up."""

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.at


@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float) -> Iterator[Deadline]:
    """Within the block, a statement on `conn` still running `seconds` after it began raises
    `sqlite3.OperationalError` (`is_interrupted` tells it apart); the connection is as it
    was afterwards.

    >>> conn = sqlite3.connect(":memory:")
    >>> with time_limit(conn, 0.0):
    ...     try:
    ...         conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
    ...                      " SELECT COUNT(*) FROM n").fetchone()
    ...     except sqlite3.OperationalError as e:
    ...         print(is_interrupted(e))
    True
    """
    deadline = Deadline(seconds)
    conn.set_progress_handler(lambda: 1 if deadline.passed() else 0, _STEPS)
    try:
        yield deadline
    finally:
        conn.set_progress_handler(None, 0)


def is_interrupted(error: BaseException) -> bool:
    """Whether `error` is SQLite stopping a statement (the time limit, or Ctrl-C)."""
    return isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error).lower()
