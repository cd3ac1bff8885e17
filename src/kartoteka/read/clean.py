"""Remove the artefacts of printing and scanning, and say what was removed and where.

Each rule looks at the original text and proposes edits; `clean` applies them all at once, so
every rule sees the same original and the offset map stays exact. Rules never touch the words
of the text: they remove footnote markers, page furniture and line-break hyphens, and turn a
line break inside a paragraph into a space.
"""

from __future__ import annotations

import re
from collections import Counter

from kartoteka.read.offsets import Edit, OffsetMap, apply_edits

# "contact.fn7", "Stalin,”67", "rivalry.68 For": a marker glued to the end of a sentence or
# clause. The character before the punctuation must not be a digit ("3.14") and the word
# before must not be an abbreviation that takes a number ("No. 5", "p.67").
_NUMBER_ABBREVIATIONS = {
    "no",
    "nos",
    "vol",
    "vols",
    "p",
    "pp",
    "fig",
    "figs",
    "ch",
    "chap",
    "art",
    "sec",
    "col",
    "n",
    "nr",
    "ed",
    "para",
    "pl",
    "tab",
    "op",
}
_FN_MARKER = re.compile(r"(?<=[^\s\d])(fn\d{1,3})(?=[\s.,;:)\]”\"’']|$)")
_GLUED_NUMBER = re.compile(r"(?<=[^\s\d][.,;:!?”\"’)\]])(\d{1,3})(?=\s|$)")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
# a line-break hyphen: "organiza-\ntion" (the continuation is lower case: "Anglo-\nSaxon"
# keeps its hyphen), or the sign OCR gives a hyphen that only breaks a word at a line end
# ("¬", Fraktur's "⸗"), which joins whatever letter follows ("Mc¬\nClellan")
_HYPHEN_BREAK = re.compile(
    r"(?<=[^\W\d_])(?:-[ \t]*\n[ \t]*(?=[a-z])|[¬⸗][ \t]*\n[ \t]*(?=[^\W\d_]))"
)
_SOFT_HYPHEN = re.compile("[\u00ad\u200b\u200c\ufeff]")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
# a line that is only a page number: "67", "- 67 -", "[67]", "Page 67", "xiv". The pattern
# is tried on the line without its outer spaces, and only when that is short: a pattern with
# a [ \t]* on each side of every optional part tries every way of sharing a run of spaces
# among them (cubic in the run: 1,600 spaces took 37 s).
_PAGE_NUMBER = re.compile(
    r"[-–—\[(]?[ \t]*(?:(?:page|p\.)[ \t]*)?(?:\d{1,4}|[ivxlcdm]{1,7})[ \t]*[-–—\])]?",
    re.IGNORECASE,
)
_PAGE_NUMBER_MAX = 24
_LINE = re.compile(
    r"^[ \t]*(?:[-–—\[(]?[ \t]*(?:page|p\.)?[ \t]*(?:\d{1,4}|[ivxlcdm]{1,7})[ \t]*[-–—\])]?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LINE = re.compile(r"^.*$", re.MULTILINE)


# superscript digits are footnote markers wherever they stand: "Yezhov.¹ Yagoda"
_SUPERSCRIPT = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")


def footnote_markers(text: str) -> list[Edit]:
    edits = [Edit(m.start(1), m.end(1), "", "footnote-marker") for m in _FN_MARKER.finditer(text)]
    edits += [Edit(m.start(), m.end(), "", "footnote-marker") for m in _SUPERSCRIPT.finditer(text)]
    for m in _GLUED_NUMBER.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
        if before and before.group(1).lower() in _NUMBER_ABBREVIATIONS:
            continue
        edits.append(Edit(m.start(1), m.end(1), "", "footnote-marker"))
    return edits


def hyphenation(text: str) -> list[Edit]:
    return [Edit(m.start(), m.end(), "", "hyphenation") for m in _HYPHEN_BREAK.finditer(text)]


def invisible_characters(text: str) -> list[Edit]:
    edits = [
        Edit(m.start(), m.end(), "", "invisible-character") for m in _SOFT_HYPHEN.finditer(text)
    ]
    edits += [
        Edit(m.start(), m.end(), _LIGATURES[m.group()], "ligature")
        for m in _LIGATURE.finditer(text)
    ]
    return edits


def _line_with_break(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a line's span over its newline, so removing it leaves no empty line behind."""
    return start, end + 1 if end < len(text) and text[end] == "\n" else end


def is_page_number(line: str) -> bool:
    body = line.strip(" \t")
    return 0 < len(body) <= _PAGE_NUMBER_MAX and _PAGE_NUMBER.fullmatch(body) is not None


def page_numbers(text: str) -> list[Edit]:
    edits = []
    for m in _LINE.finditer(text):
        if not is_page_number(m.group()):
            continue
        # a number alone on a line between two blank lines or at a page edge; a number in a
        # list ("1\n2\n3") would need neighbours that are numbers too, which we leave alone
        start, end = _line_with_break(text, m.start(), m.end())
        edits.append(Edit(start, end, "", "page-number"))
    return edits


def running_heads(text: str, min_repeats: int = 3) -> list[Edit]:
    """Short lines repeated on many pages (the book's or chapter's title, with or without
    the page number) are running heads."""
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text)]
    if len(lines) < 40:  # too short to have pages
        return []

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip()).lower()

    def at_page_edge(i: int) -> bool:
        # a head stands apart from the body: next to a blank line or a page number
        neighbours = [lines[j][2] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        return any(not n.strip() or is_page_number(n) for n in neighbours)

    candidates = [
        (s, e, line)
        for i, (s, e, line) in enumerate(lines)
        if 0 < len(line.strip()) <= 70 and at_page_edge(i)
    ]
    counts = Counter(key(line) for _, _, line in candidates)
    heads = {
        k
        for k, n in counts.items()
        if n >= min_repeats and not k.endswith((".", ",", ";", "-")) and re.search(r"[a-z]", k)
    }
    return [
        Edit(*_line_with_break(text, s, e), "", "running-head")
        for s, e, line in candidates
        if key(line) in heads
    ]


def paragraph_line_breaks(text: str) -> list[Edit]:
    """A single line break inside a paragraph becomes a space.

    A break is inside a paragraph when the next line continues in lower case, or when the
    text is hard-wrapped (most lines end near the same width) and the line does not end a
    sentence. Lines of a text that puts one paragraph on each line are left alone.
    """
    lines = [m for m in _LINE.finditer(text)]
    lengths = sorted(len(m.group()) for m in lines if m.group().strip())
    wrapped_width = 0
    if len(lengths) >= 8:
        typical = lengths[int(len(lengths) * 0.75)]
        near = sum(1 for n in lengths if typical * 0.8 <= n <= typical + 5)
        # a newspaper column holds 25 to 40 characters a line, a book page 60 to 80
        if 25 <= typical <= 120 and near >= len(lengths) * 0.5:
            wrapped_width = typical
    edits = []
    for line, nxt in zip(lines, lines[1:]):
        body, following = line.group().rstrip(), nxt.group().lstrip()
        if not body or not following:
            continue
        # "Mr.\nPleas Farley", "John H.\nSmith": a title or an initial does not end a sentence
        continues = following[0].islower() or _OPENS_A_NAME.search(body) is not None
        if not continues and wrapped_width:
            # a line in capitals is a headline or a signature: a line of its own
            continues = (
                len(body) >= wrapped_width * 0.7
                and not body.endswith((".", "!", "?", ":", "”", '"'))
                and not body.isupper()
                and not following.isupper()
            )
        if continues and body[-1] not in "-¬⸗":
            edits.append(Edit(line.end(), line.end() + 1, " ", "line-break"))
    return edits


#: the end of a line that leaves a name open: a title's abbreviation or an initial
_OPENS_A_NAME = re.compile(
    r"(?<![\w.])(?:Mr|Mrs|Messrs|Dr|Rev|Hon|Capt|Gen|Col|Maj|Lieut|Gov|Prof|Sen|Sgt|[A-Z])\.$"
)

RULES = (
    page_numbers,
    running_heads,
    footnote_markers,
    hyphenation,
    invisible_characters,
    paragraph_line_breaks,
)


def clean(text: str, rules=RULES) -> tuple[str, OffsetMap, list[Edit]]:
    """Apply every rule to `text`; return the cleaned text, its map back and the edits made."""
    edits: list[Edit] = []
    for rule in rules:
        edits = _without_overlaps(edits, rule(text))
    cleaned, offset_map = apply_edits(text, edits)
    return cleaned, offset_map, edits


def _without_overlaps(kept: list[Edit], new: list[Edit]) -> list[Edit]:
    """`kept` (sorted, disjoint) plus the edits of `new` that overlap nothing kept: earlier
    rules win (page furniture is removed whole before anything inside it), and within a rule
    the edit that comes first in the text. One pass over both lists, so a text with a million
    line breaks costs a million steps, not a million squared."""
    accepted: list[Edit] = []
    j = 0
    for edit in sorted(new, key=lambda e: (e.start, e.end)):
        if edit.start == edit.end and not edit.replacement:
            continue
        # kept edits that end before this one starts cannot touch it or any later one
        while j < len(kept) and kept[j].end <= edit.start:
            j += 1
        if j < len(kept) and _overlap(kept[j], edit):
            continue
        if accepted and _overlap(accepted[-1], edit):
            continue
        accepted.append(edit)
    return sorted(kept + accepted, key=lambda e: (e.start, e.end))


def _overlap(a: Edit, b: Edit) -> bool:
    return a.start < b.end and b.start < a.end


_TITLE_LINE = re.compile(r"\A\s*(#{1,3}\s+)?(?P<title>[^\n]{3,150})\n")


def find_title(text: str) -> str | None:
    """The first line, when it reads as a heading: short, no closing full stop."""
    m = _TITLE_LINE.match(text)
    if not m:
        return None
    title = m.group("title").strip()
    if title.endswith((".", ",", ";", ":")) or len(title.split()) > 20:
        return None
    following = text[m.end() : m.end() + 1]
    if not m.group(1) and following not in ("\n", ""):
        return None
    return title
