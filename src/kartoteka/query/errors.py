"""What a question to the store can fail with. The web maps these to HTTP statuses
(`NotFound` 404, the others 400), the command line to a one-line message."""

from __future__ import annotations


class QueryError(Exception):
    """A question the store cannot answer as asked; the message says what to do instead."""


class NotFound(QueryError, LookupError):
    """Nothing answers to that id or name."""


class Ambiguous(QueryError, LookupError):
    """Several entities answer to that name; `candidates` lists them, most mentioned first."""

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates


class BadValue(QueryError, ValueError):
    """A filter value that means nothing (a date that is not a date, an unknown type)."""
