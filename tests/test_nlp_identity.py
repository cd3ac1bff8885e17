"""Stated identity (kartoteka.nlp.identity) on made-up sentences, with the real spaCy pipeline:
golden cases in tests/cases/identity/cases.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kartoteka.model import Span
from kartoteka.nlp import load_pipeline
from kartoteka.nlp.identity import find_links, script_names
from kartoteka.nlp.mentions import find_mentions

pytestmark = pytest.mark.model

CASES = json.loads(
    (Path(__file__).parent / "cases" / "identity" / "cases.json").read_text(encoding="utf-8")
)["cases"]


def _annotate(case):
    text = case["text"]
    doc = load_pipeline()(text)
    sentences = [Span(s.start_char, s.end_char, s.text) for s in doc.sents]
    title_end = text.find("\n") if case.get("title") else 0
    mentions = find_mentions(doc, sentences, title_end=title_end)
    return find_links(doc, mentions, sentences, title_end=title_end)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_identity_case(case):
    mentions, links = _annotate(case)
    # links join names into one identity: what counts is which names end up together
    group = {m.text: m.text for m in mentions}

    def root(name):
        while group.get(name, name) != name:
            name = group[name]
        return name

    for k in links:
        group[root(mentions[k.alias].text)] = root(mentions[k.head].text)
    found = sorted((mentions[k.head].text, mentions[k.alias].text) for k in links)
    for head, alias in case.get("links", []):
        assert head in group and alias in group, (head, alias, found)
        assert root(head) == root(alias), (head, alias, found)
    for head, alias in case.get("no_links", []):
        assert root(head) != root(alias), (head, alias, found)
    types = {m.text: m.type for m in mentions}
    for text, kind in case.get("types", {}).items():
        assert types.get(text) == kind, (text, types.get(text))
    for k in links:  # every link keeps its passage: both names lie inside it
        assert (
            k.start <= mentions[k.head].start
            and mentions[k.alias].end <= k.end
            or (k.start <= mentions[k.alias].start and mentions[k.head].end <= k.end)
        )


def test_a_name_in_cyrillic_is_one_mention_replacing_the_taggers_pieces():
    from kartoteka.model import Mention

    text = "Russian Лев (Лейб) Лазаревич Фельдбин was born in 1895."
    pieces = [Mention(0, 11, "Russian Лев", "PER", "Russian Лев")]
    found = script_names(text, pieces)
    assert [(m.text, m.type) for m in found] == [("Лев (Лейб) Лазаревич Фельдбин", "PER")]
