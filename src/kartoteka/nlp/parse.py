"""Parsing many texts of any length with one spaCy pipeline.

spaCy refuses texts over `nlp.max_length` (a million characters) because the parser's memory
grows with the text; a book is longer than that. We cut long texts at paragraph breaks into
pieces of at most CHUNK_CHARS, parse the pieces in the same stream as everything else, and
join them back into one Doc whose text is exactly the input, so offsets stay true.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TypeVar

import numpy
from spacy.language import Language
from spacy.tokens import Doc

Context = TypeVar("Context")

CHUNK_CHARS = 20_000  # with batches of 16, about 320k characters in the parser at once
_BREAKS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?])\s+"),
    re.compile(r"\s+"),
)

LINE_BREAKS = "kartoteka_line_breaks"


#: words a sentence cannot end with: a full stop right after one is a slip of the pen, the
#: typist or the OCR ("to the House of. Commons"), not the end of a sentence
_NO_END_WORDS = frozenset({"the", "a", "an", "of", "and", "or", "with", "from", "by"})
#: what may follow a name inside a sentence: the punctuation that closes its phrase
_NAME_ENDS = frozenset({",", "("})
#: tokens a bracket opened inside a sentence may hold before we stop trusting it to close
_BRACKET_REACH = 80


@Language.component(LINE_BREAKS)
def line_breaks(doc: Doc) -> Doc:
    """A sentence starts after a line break: cleaning has already joined the lines of a
    paragraph, so a break left in the text ends a heading or a paragraph. Elsewhere, no
    sentence starts inside a name (a capitalized word right after another, with nothing
    between them: "the physicist Alan Nunn May, who ..."), after a full stop that follows a
    word no sentence ends with ("the House of. Commons"), or inside a bracket opened in the
    middle of a sentence ("Jagoda (Russian ...; * 7 November 1891 greg. in Rybinsk; † 15
    March 1938 in Moscow) was the head of ..."); the parser keeps all three."""
    opened = None  # where a bracket opened mid-sentence, while it is open
    closed = False  # the token before closed such a bracket: the sentence goes on
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if _line_break_before(token):
            opened, closed = None, False
            if not token.is_space:
                token.is_sent_start = True
            continue
        if previous.text == "(" and previous.i > 0 and doc[previous.i - 1].text not in ".!?":
            opened = previous.i
        if (
            opened is not None
            or closed
            or _inside_name(previous, token)
            or _stray_stop(doc, previous, token)
        ):
            token.is_sent_start = False
        closed = token.text == ")" and opened is not None and previous.text not in ".!?"
        if token.text == ")" or (opened is not None and token.i - opened > _BRACKET_REACH):
            opened = None
    return doc


def _capitalized(token) -> bool:
    """A word of a name: a capital, then letters with at least one small one ("Grigor'evič",
    "Nunn"; not "NKVD", "I")."""
    text = token.text
    return (
        len(text) > 1
        and text[0].isupper()
        and any(c.islower() for c in text[1:])
        and all(c.isalpha() or c in "'’-" for c in text)
    )


def _inside_name(previous, token) -> bool:
    """Two capitalized words of a name that a comma or a bracket closes: inside a sentence
    ("the physicist Alan Nunn May , who"), or at the head of a paragraph when a bracket
    follows ("Leopold Trepper (February 23, 1904 - ...) was"). A run of capitals begun
    otherwise, or that more words follow, may hold a sentence start whose stop the OCR lost
    ("12 Oak Street Mill Creek, Ohio", "at Lakeside High School Tom Bell's party")."""
    doc = token.doc
    if not (_capitalized(previous) and _capitalized(token)):
        return False
    after = doc[token.i + 1].text if token.i + 1 < len(doc) else ""
    if after not in _NAME_ENDS:
        return False
    start = previous.i
    while start > 0 and _capitalized(doc[start - 1]) and not _line_break_before(doc[start]):
        start -= 1
    if start == 0 or _line_break_before(doc[start]):
        return after == "("
    before = doc[start - 1]
    return before.is_alpha and before.is_lower


def _line_break_before(token) -> bool:
    if token.i == 0:
        return True
    previous = token.doc[token.i - 1]
    return "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text)


def _stray_stop(doc: Doc, previous, token) -> bool:
    return (
        previous.text == "."
        and previous.i > 0
        and doc[previous.i - 1].lower_ in _NO_END_WORDS
        and doc[previous.i - 1].is_lower
        and _capitalized(token)
    )


def add_line_breaks(nlp: Language) -> Language:
    if LINE_BREAKS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


def split_for_parsing(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut at the strongest break available, whose
    concatenation is `text`."""
    pieces = []
    while len(text) > limit:
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(text, limit // 2, limit)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or limit
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def parse(
    nlp: Language,
    items: Iterable[tuple[str, Context]],
    *,
    batch_size: int = 16,
    limit: int = CHUNK_CHARS,
) -> Iterator[tuple[Doc, Context]]:
    """(Doc, context) for every (text, context), in order, whatever the texts' lengths."""

    def pieces():
        for text, context in items:
            chunks = split_for_parsing(text, limit)
            for i, chunk in enumerate(chunks):
                yield chunk, (context, i == len(chunks) - 1)

    parts: list[Doc] = []
    for doc, (context, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        # the tok2vec output (a vector per token) is not read after parsing: a book's worth
        # of it is hundreds of megabytes
        doc.tensor = numpy.zeros((0,), dtype="float32")
        parts.append(doc)
        if last:
            whole = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []
            yield whole, context
