"""Golden cases for the mention layer (tests/cases/mentions), with the real spaCy pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kartoteka.nlp import load_pipeline
from kartoteka.nlp.mentions import find_mentions
from kartoteka.read.clean import clean

pytestmark = pytest.mark.model

CASES = [
    case
    for path in sorted((Path(__file__).parent / "cases" / "mentions").glob("*.json"))
    for case in json.loads(path.read_text("utf-8"))["cases"]
]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["xfail"]))
        if "xfail" in c
        else c
        for c in CASES
    ],
    ids=[c["name"] for c in CASES],
)
def test_mention_case(case):
    text = clean(case["text"])[0] if case.get("clean") else case["text"]
    found = {(m.text, m.type) for m in find_mentions(load_pipeline()(text))}
    for text, kind in case.get("found", []):
        assert (text, kind) in found, sorted(found)
    texts = {text for text, _ in found}
    for text in case.get("not_found", []):
        assert text not in texts, sorted(found)
