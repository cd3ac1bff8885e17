"""What the exports share: the events once each (the JSON export lists an event once per
account of it in each document that tells it), date bounds, and the text of passages.

The other formats show what happened: the story's events and people's births and deaths
(the JSON export's `events` and `life_events`); plans and attempts stay in the JSON export
and on the cards, where their modality is shown with them."""

from __future__ import annotations

from kartoteka.query.passages import Sentences, document_texts
from kartoteka.store import Store
from kartoteka.time.values import bounds


def happened(data: dict) -> list[dict]:
    """The JSON export's entries of what happened: events, then life events."""
    return [*data["events"], *data.get("life_events", [])]


def events_once(data: dict) -> list[dict]:
    """Each event that happened once, with the evidence of every document that tells it, in
    export order."""
    merged: dict[int, dict] = {}
    for entry in happened(data):
        event = merged.setdefault(
            entry["id"], {k: v for k, v in entry.items() if k not in ("doc", "evidence")}
        )
        event.setdefault("evidence", []).extend(entry["evidence"])
    return list(merged.values())


def participants(event: dict) -> list[int]:
    """The entities taking part in an event, in role order, each once."""
    seen: dict[int, None] = {}
    for ids in event["roles"].values():
        for entity_id in ids:
            seen.setdefault(entity_id)
    return list(seen)


def date_bounds(value: str | None) -> tuple[str | None, str | None]:
    """ISO day bounds of an EDTF value, (None, None) when there is none or it is unreadable."""
    if not value:
        return None, None
    try:
        return bounds(value)
    except ValueError:
        return None, None


def sources(passages: list[dict]) -> int:
    """How many documents the passages come from."""
    return len({p["doc"] for p in passages})


class Passages:
    """Document texts and sentences, to quote the passage behind a span."""

    def __init__(self, store: Store):
        self.texts = document_texts(store)
        self.sentences = Sentences(store)

    def text(self, doc: int, start: int, end: int) -> str:
        return " ".join(self.texts.get(doc, "")[start:end].split())

    def sentence(self, doc: int, start: int, end: int) -> str:
        """The sentence around a span (a mention's passage), white space made single."""
        return self.text(doc, *self.sentences.around(doc, start, end))
