"""HTML and Markdown to plain text, as edits over the source so offsets still map back.

For an HTML file the original text is its source: a mention's span covers the characters of
the source that show it. We do not need a full HTML parser for that: tags, comments,
scripts and entities are recognized lexically, which is also what lets every character of the
output keep its place in the source.
"""

from __future__ import annotations

import html
import re

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
_HTML_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>"
    r"|<!DOCTYPE[^>]*>|<\?[^>]*\?>"
    r"|</?([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);",
    re.DOTALL | re.IGNORECASE,
)
_HTML_TITLE = re.compile(
    r"<title\b[^>]*>(.*?)</title\s*>|<h1\b[^>]*>(.*?)</h1\s*>", re.DOTALL | re.IGNORECASE
)
_HEAD = re.compile(r"<head\b[^>]*>.*?</head\s*>", re.DOTALL | re.IGNORECASE)


def html_edits(source: str) -> list[Edit]:
    """Edits turning HTML source into its visible text (head, tags and scripts removed)."""
    edits: list[Edit] = []
    head = _HEAD.search(source)
    if head:
        edits.append(Edit(head.start(), head.end(), "", "html-head"))
    for m in _HTML_TOKEN.finditer(source):
        if head and head.start() <= m.start() < head.end():
            continue
        token = m.group()
        if token.startswith("&"):
            edits.append(Edit(m.start(), m.end(), html.unescape(token), "html-entity"))
        elif m.group(2) and m.group(2).lower() in _BLOCK_TAGS:
            edits.append(Edit(m.start(), m.end(), "\n", "html-tag"))
        else:
            edits.append(Edit(m.start(), m.end(), "", "html-tag"))
    return edits


def html_title(source: str) -> str | None:
    m = _HTML_TITLE.search(source)
    if not m:
        return None
    inner = re.sub(r"<[^>]+>", "", m.group(1) or m.group(2) or "")
    title = " ".join(html.unescape(inner).split())
    return title or None


_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\n]*)\)")


def markdown_edits(source: str) -> list[Edit]:
    """Edits removing Markdown syntax (heading marks, emphasis, link targets)."""
    edits = [Edit(m.start(), m.end(), "", "markdown") for m in _MD_HEADING.finditer(source)]
    for m in _MD_LINK.finditer(source):
        edits.append(Edit(m.start(), m.start(1), "", "markdown"))  # "[" or "!["
        edits.append(Edit(m.end(1), m.end(), "", "markdown"))  # "](target)"
    edits += [Edit(m.start(), m.end(), "", "markdown") for m in _MD_EMPHASIS.finditer(source)]
    return edits
