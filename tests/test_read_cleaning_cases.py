"""Golden cases for cleaning (tests/cases/cleaning): the cleaned text and the way back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kartoteka.read.clean import clean

CASES = json.loads(
    (Path(__file__).parent / "cases" / "cleaning" / "line_breaks.json").read_text("utf-8")
)["cases"]


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
def test_cleaning_case(case):
    cleaned, offset_map, _ = clean(case["original"])
    assert cleaned == case["cleaned"]
    for word, original in case.get("words", {}).items():
        i = cleaned.index(word)
        a, b = offset_map.to_original(i, i + len(word))
        assert case["original"][a:b] == original
