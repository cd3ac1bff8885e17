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


#: Longer is no name (a pasted paragraph, a mistake); ids past SQLite's integers are no ids.
MAX_NAME = 300
MAX_ID = 2**63 - 1


def shown(text: str, width: int = 60) -> str:
    """`text` quoted for a one-line message, cut if long, so a message stays one short line
    whatever the user typed.

    >>> shown("Skoblin")
    "'Skoblin'"
    >>> shown("x" * 5000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (5000 characters)"
    """
    if len(text) <= width:
        return repr(text)
    return f"{text[: width - 8]!r}"[:-1] + f"…' ({len(text)} characters)"


def asked_name(text: str | None, what: str = "name") -> str:
    """The name a user asked for, stripped; `BadValue` if it is empty or too long to be one.

    >>> asked_name("  Skoblin ")
    'Skoblin'
    """
    name = (text or "").strip()
    if not name:
        raise BadValue(f"the {what} is empty; give a name, an alias, a key or an id")
    if len(name) > MAX_NAME:
        raise BadValue(
            f"the {what} {shown(name)} is longer than {MAX_NAME} characters, so it is no name;"
            " give a name, an alias, a key or an id"
        )
    return name


def known_id(value: int, what: str = "entity") -> int:
    """`value` if it can be a row id; `NotFound` if it cannot (negative, or past SQLite's
    integers), so no bad id reaches the database as an overflow."""
    if not 0 <= value <= MAX_ID:
        raise NotFound(f"no {what} {value}")
    return value
