"""HTML and Markdown to plain text, as edits over the source so offsets still map back.

For an HTML file the original text is its source: a mention's span covers the characters of
the source that show it. We do not need a full HTML parser for that: tags, comments,
scripts and entities are recognized lexically, which is also what lets every character of the
output keep its place in the source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from kartoteka.read.offsets import Edit

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "blockquote",
    "header",
    "footer",
    "hr",
    "pre",
    "dd",
    "dt",
    "dl",
    "td",
    "th",
    "title",
    "figcaption",
    "aside",
    "nav",
    "main",
}
# Where a token may start: a comment, a raw-text element (its content is not text), a
# doctype, a processing instruction, a tag, an entity. Where it ends is found separately, by
# a `_Finder`: one regex ending in `.*?-->` or `[^>]*>` rescans the rest of the file from every
# unclosed `<!--` or `<a` (quadratic: 4,000 unclosed `<script>` took 10 s, 20,000 five minutes).
_HTML_START = re.compile(
    r"<(?:(!--)|(script|style|noscript|template)\b|(!doctype)\b|(\?)|/?([a-zA-Z][a-zA-Z0-9:-]*))"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);",
    re.IGNORECASE,
)


class _Finder:
    """The next match of `pattern` at or after a position, remembering its last answer: the
    tokenizer asks from ever later positions, and an answer holds for every position up to
    the match it found (or for all later ones, when there was none), so all the scans of
    one kind over a file add up to one pass."""

    def __init__(self, text: str, pattern: str):
        self.text = text
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.asked: int | None = None
        self.span = (-1, -1)

    def __call__(self, start: int) -> tuple[int, int]:
        if self.asked is not None and self.asked <= start:
            if self.span[0] < 0 or start <= self.span[0]:
                return self.span
        self.asked = start
        m = self.pattern.search(self.text, start)
        self.span = m.span() if m else (-1, -1)
        return self.span


def _closing(name: str) -> str:
    return rf"</{name}\s*>"


def html_tokens(source: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, tag name) of every comment, raw-text element (script, style...),
    doctype, processing instruction, tag and entity, in order. An unclosed comment or
    raw-text element runs to the end of the file, as in a browser; a `<` with no `>` after
    it is text."""
    next_gt = _Finder(source, ">")
    comment_end = _Finder(source, "-->")
    raw_ends: dict[str, _Finder] = {}
    pos = 0
    while m := _HTML_START.search(source, pos):
        start = m.start()
        comment, raw, doctype, instruction, tag = m.groups()
        if m.group().startswith("&"):
            yield start, m.end(), "entity", ""
            pos = m.end()
            continue
        if comment:
            end = comment_end(m.end())[1]
            pos = end if end >= 0 else len(source)
            yield start, pos, "comment", ""
            continue
        gt = next_gt(m.end())[0]
        if gt < 0:  # no `>` anywhere after: this is text, and so is every later `<`
            pos = start + 1
            continue
        if raw:
            name = raw.lower()
            finder = raw_ends.setdefault(name, _Finder(source, _closing(name)))
            end = finder(gt + 1)[1]
            pos = end if end >= 0 else len(source)
            yield start, pos, "raw", name
        elif instruction and source[gt - 1] != "?":
            pos = start + 1  # "<?" not closed by "?>" is text
        else:
            pos = gt + 1
            yield start, pos, "tag" if tag else "declaration", (tag or "").lower()


def html_edits(source: str) -> list[Edit]:
    """Edits turning HTML source into its visible text (head, tags and scripts removed)."""
    edits: list[Edit] = []
    head_seen, head_end = False, -1
    for start, end, kind, name in html_tokens(source):
        if start < head_end:
            continue
        if kind == "entity":
            edits.append(Edit(start, end, html.unescape(source[start:end]), "html-entity"))
            continue
        if kind == "tag" and name == "head" and not head_seen and source[start + 1] != "/":
            # the head (title, meta, scripts) is not text, up to its closing tag
            head_seen = True
            close = re.compile(_closing("head"), re.IGNORECASE).search(source, end)
            if close:
                head_end = close.end()
                edits.append(Edit(start, head_end, "", "html-head"))
                continue
        replacement = "\n" if kind == "tag" and name in _BLOCK_TAGS else ""
        edits.append(Edit(start, end, replacement, "html-tag"))
    return edits


_TITLE_LIMIT = 2000  # a title longer than this is not one; its markup is not worth stripping


def html_title(source: str) -> str | None:
    """The text of the first `<title>` (or else `<h1>`) that is closed."""
    found = []
    for name in ("title", "h1"):
        # the attributes' length is bounded, so a file of "<title" with no ">" costs a
        # bounded scan at each, not a scan to the end
        opening = re.compile(rf"<{name}\b[^>]{{0,200}}>", re.IGNORECASE).search(source)
        if not opening:
            continue
        close = re.compile(_closing(name), re.IGNORECASE).search(source, opening.end())
        if close:
            found.append((opening.start(), source[opening.end() : close.start()]))
    if not found:
        return None
    inner = re.sub(r"<[^<>]*>", "", min(found)[1][:_TITLE_LIMIT])
    title = " ".join(html.unescape(inner).split())
    return title or None


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
# A link's "[" and "](" are found by regex and their closing "]" and ")" by `_Finder`, for
# the same reason as in HTML: a line of "[" that never close must not be rescanned from each.
_MD_LINK_START = re.compile(r"!?\[")


def markdown_links(source: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, text start, text end, end) of every `[text](target)` or `![alt](target)`."""
    bracket_end = _Finder(source, r"[\]\n]")
    target_end = _Finder(source, r"[)\n]")
    pos = 0
    while m := _MD_LINK_START.search(source, pos):
        close = bracket_end(m.end())[0]
        if close < 0:
            return
        if source.startswith("](", close):
            end = target_end(close + 2)[0]
            if end >= 0 and source[end] == ")":
                yield m.start(), m.end(), close, end + 1
                pos = end + 1
                continue
        pos = m.start() + 1


def markdown_edits(source: str) -> list[Edit]:
    """Edits removing Markdown syntax (heading marks, emphasis, link targets)."""
    edits = [Edit(m.start(), m.end(), "", "markdown") for m in _MD_HEADING.finditer(source)]
    for start, text_start, text_end, end in markdown_links(source):
        edits.append(Edit(start, text_start, "", "markdown"))  # "[" or "!["
        edits.append(Edit(text_end, end, "", "markdown"))  # "](target)"
    edits += [Edit(m.start(), m.end(), "", "markdown") for m in _MD_EMPHASIS.finditer(source)]
    return edits
