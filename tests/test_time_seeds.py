"""The seeds' gold time expressions: each found, and values right for at least 90%.

Scored as /work/shared/tools/score.py scores them: a gold expression is found when a tagged
expression overlaps its (whole-word) occurrence, and right when one of those has its value.
Each seed text is tagged whole with as_of=None: years come from the text alone.
"""

import json
import re
from pathlib import Path

import pytest

from kartoteka.time import tag

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "seeds.gold.json"
EXAMPLES = ROOT / "examples"


def _occurrence(text: str, needle: str, n: int) -> tuple[int, int]:
    spans = [
        (m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text)
    ]
    return spans[n - 1]


def _cases():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for t in gold["timexes"]:
        yield gold["documents"][t["doc"]]["file"], t


@pytest.fixture(scope="module")
def tagged():
    cache = {}

    def get(name):
        if name not in cache:
            text = (EXAMPLES / name).read_text(encoding="utf-8")
            cache[name] = (text, tag(text, as_of=None))
        return cache[name]

    return get


def test_seed_timexes_found_and_valued(tagged):
    found = right = 0
    wrong = []
    cases = list(_cases())
    for name, gt in cases:
        text, timexes = tagged(name)
        a, b = _occurrence(text, gt["text"], gt.get("occurrence", 1))
        hits = [t for t in timexes if t.start < b and a < t.end]
        found += bool(hits)
        if any(t.value == gt["value"] for t in hits):
            right += 1
        else:
            wrong.append((gt["text"], gt["value"], [t.value for t in hits]))
    assert found == len(cases), wrong
    assert right / len(cases) >= 0.9, wrong


@pytest.mark.parametrize(
    "name, gt",
    list(_cases()),
    ids=lambda x: x if isinstance(x, str) and not x.endswith(".txt") else None,
)
def test_each_seed_timex(tagged, name, gt):
    text, timexes = tagged(name)
    a, b = _occurrence(text, gt["text"], gt.get("occurrence", 1))
    hits = [t for t in timexes if t.start < b and a < t.end]
    assert [t.value for t in hits if t.value == gt["value"]], (gt, hits)
    for t in hits:  # what a reader is shown must say why
        assert t.text == text[t.start : t.end]


def test_an_expression_beyond_the_calendar_does_not_stop_the_rest():
    from kartoteka.time import tag

    text = (
        "In the year 20 the legions marched. Some 1800 years before that the city was "
        "founded. On 4 March 1937 the book was printed."
    )
    values = {t.text: t.value for t in tag(text)}
    assert values.get("4 March 1937") == "1937-03-04"
