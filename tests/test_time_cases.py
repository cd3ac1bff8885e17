"""Golden cases for the time tagger, as data: tests/cases/timex/*.json (see the README there)."""

import json
import re
from pathlib import Path

import pytest

from kartoteka.time import tag, tag_timeml
from kartoteka.time.values import is_valid

CASES = Path(__file__).resolve().parent / "cases" / "timex"


def _cases(path: Path):
    """A file holds a list of cases, or {"passages": {name: text}, "cases": [...]} where a
    case may name a passage instead of giving its text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        return data
    passages = data["passages"]
    return [
        {**case, "text": case.get("text") or passages[case["passage"]]} for case in data["cases"]
    ]


def _load():
    for path in sorted(CASES.glob("*.json")):
        for i, case in enumerate(_cases(path)):
            marks = (
                [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            )
            yield pytest.param(case, id=f"{path.stem}:{i}:{case['expr']}", marks=marks)


def _tag(case):
    if case.get("mode") == "timeml":
        return tag_timeml(case["text"], case.get("as_of"), scheme=case.get("scheme", "timeml"))
    return tag(case["text"], as_of=case.get("as_of"))


@pytest.mark.parametrize("case", list(_load()))
def test_case(case):
    text, expr = case["text"], case["expr"]
    n = case.get("occurrence", 1)
    spans = [m.span() for m in re.finditer(re.escape(expr), text)]
    a, b = spans[n - 1]
    timexes = _tag(case)
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
    if "value" in case:
        assert t.value == case["value"]
    if t.value is not None and t.type in ("DATE", "TIME") and not t.value.startswith("X"):
        assert is_valid(t.value)
        assert t.lower or t.upper
    for key in ("timex3", "mod", "lower", "upper"):
        if key in case:
            assert getattr(t, key) == case[key], key
    if case.get("anchor"):
        assert t.anchor and case["anchor"] in t.anchor, t.anchor


def test_every_case_file_reads():
    for path in sorted(CASES.glob("*.json")):
        for case in _cases(path):
            assert case["text"] and case["expr"] in case["text"], (path.name, case["expr"])
