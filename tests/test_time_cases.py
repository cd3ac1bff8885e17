"""Golden cases for the time tagger, as data: tests/cases/timex/*.json (see the README there)."""

import json
import re
from pathlib import Path

import pytest

from kartoteka.time import tag
from kartoteka.time.values import is_valid

CASES = Path(__file__).resolve().parent / "cases" / "timex"


def _load():
    for path in sorted(CASES.glob("*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            marks = (
                [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            )
            yield pytest.param(case, id=f"{path.stem}:{i}:{case['expr']}", marks=marks)


@pytest.mark.parametrize("case", list(_load()))
def test_case(case):
    text, expr = case["text"], case["expr"]
    n = case.get("occurrence", 1)
    spans = [m.span() for m in re.finditer(re.escape(expr), text)]
    a, b = spans[n - 1]
    timexes = tag(text, as_of=case.get("as_of"))
    hits = [t for t in timexes if t.start < b and a < t.end]
    if case.get("absent"):
        assert not hits, hits
        return
    assert hits, f"{expr!r} not found in {timexes}"
    t = hits[0]
    if not case.get("overlap"):
        assert (t.start, t.end) == (a, b), f"span {t.text!r}, expected {expr!r}"
    assert t.text == text[t.start : t.end]
    assert t.type == case["type"]
    assert t.value == case["value"]
    if t.value is not None and t.type in ("DATE", "TIME") and not t.value.startswith("X"):
        assert is_valid(t.value)
        assert t.lower or t.upper
    for key in ("timex3", "mod", "lower", "upper"):
        if key in case:
            assert getattr(t, key) == case[key], key
    if case.get("anchor"):
        assert t.anchor and case["anchor"] in t.anchor, t.anchor
