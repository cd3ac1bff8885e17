"""Which single-byte encoding, if any, reads a file that is not UTF-8 as text.

A general detector picks the reading whose statistics look most like some language, and on a
page of French it may answer cp775 ("cafķ"). We ask a narrower question with evidence a reader
can check: read the bytes in each encoding our sources come in, and look at every character
made of a byte above 127 where it stands. In the right encoding those characters are letters
inside words of one script and one case pattern ("Müller", "Ежов", "ЕЖОВ"), or typographic
punctuation (“ ” ’ – …). In a wrong one they are symbols and box drawing ("Ð–Ð¾"), words that
mix scripts ("cafй"), case that flips inside a word ("нИКОЛАЙ"), or Latin words made mostly of
accented letters ("Íèêîëàé"). The reading with the most such characters in place wins; ties
go to the earlier encoding in CANDIDATES, and the report names the other reading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: The single-byte encodings tried, most common first (ties go to the earlier one):
#: Western and Central European Windows, the three Cyrillic ones (Windows, KOI8-R, DOS) and
#: Mac Roman. Not Greek: cp1253 reads Russian cp1251 as Greek words of the same shape
#: ("Νθκξλΰι"), which no test of form can tell apart; give --encoding for Greek sources.
CANDIDATES = ("cp1252", "cp1250", "cp1251", "koi8-r", "cp866", "mac-roman")

#: Non-letters above ASCII that text really uses.
TYPOGRAPHIC = set("“”‘’„‚«»‹›–—―…•·°§¶©®™€£¥¢×÷±†‡‰№¡¿ªº¹²³½¼¾\u00a0\u202f")

#: At least this share of the judged characters must be in place for a reading to count as
#: evidence (one stray symbol in a long file does not sink the right encoding).
EVIDENCE_SHARE = 0.95

_SAMPLE_BYTES = 64 * 1024
_WINDOWS = 16
_TOKEN = re.compile(r"[^\W\d_]+|[^\x00-\x7f]")


@dataclass(frozen=True)
class Reading:
    """One encoding's reading of the sample: how many non-ASCII characters stood where text
    puts them (`good`) and how many did not (`bad`), and the first words that show it."""

    encoding: str
    good: int
    bad: int
    examples: tuple[str, ...]
    text: str  # the sample as this encoding reads it

    @property
    def share(self) -> float:
        judged = self.good + self.bad
        return self.good / judged if judged else 0.0

    @property
    def evident(self) -> bool:
        return self.good > 0 and self.share >= EVIDENCE_SHARE


def sample(data: bytes) -> bytes:
    """The whole file if small, else windows spread over it (a preface in English must not
    hide a body in Russian)."""
    if len(data) <= _SAMPLE_BYTES:
        return data
    size = _SAMPLE_BYTES // _WINDOWS
    step = (len(data) - size) // (_WINDOWS - 1)
    return b"\n".join(data[i * step : i * step + size] for i in range(_WINDOWS))


def readings(data: bytes, candidates: tuple[str, ...] = CANDIDATES) -> list[Reading]:
    """Every candidate's reading of `data` (sampled), best first."""
    part = sample(data)
    found = [_judge(part.decode(name, errors="replace"), name) for name in candidates]
    order = {name: i for i, name in enumerate(candidates)}
    return sorted(found, key=lambda r: (-round(r.share, 3), -r.good, order[r.encoding]))


def _judge(text: str, encoding: str) -> Reading:
    good = bad = 0
    examples: list[str] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token.isascii():
            continue
        weight = sum(1 for c in token if ord(c) > 127)
        verdict = _in_place(token)
        if verdict is True:
            good += weight
            if len(examples) < 3:
                example = _word_around(text, m.start(), m.end())
                if example not in examples:
                    examples.append(example)
        elif verdict is False:
            bad += weight
    return Reading(encoding, good, bad, tuple(examples), text)


def first_difference(a: Reading, b: Reading) -> tuple[str, str] | None:
    """The first word the two readings read differently, as each reads it. A single-byte
    encoding gives one character per byte, so the two samples line up."""
    for i, (x, y) in enumerate(zip(a.text, b.text)):
        if x != y:
            return _word_around(a.text, i, i + 1), _word_around(b.text, i, i + 1)
    return None


def _word_around(text: str, start: int, end: int, reach: int = 12) -> str:
    """The stretch between spaces that holds text[start:end] ("didn’t", "“no”")."""
    while start > 0 and end - start < 2 * reach and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and end - start < 3 * reach and not text[end].isspace():
        end += 1
    return text[start:end]


def _in_place(token: str) -> bool | None:
    """Does this word (or lone non-letter) look like text? None: a lone letter, which could
    be either ("à" in French, "Ѓ" from a stray byte)."""
    if not token.isalpha():
        return token in TYPOGRAPHIC
    if len({_script(c) for c in token}) > 1:
        return False
    if not (token.islower() or token.isupper() or token.istitle()):
        return False
    if len(token) == 1:
        return None
    if _script(token[0]) == "LATIN" and len(token) >= 4:
        accented = sum(1 for c in token if ord(c) > 127)
        if accented * 2 > len(token):
            return False
    return True


def _script(letter: str) -> str:
    if letter.isascii():
        return "LATIN"
    return unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0]
