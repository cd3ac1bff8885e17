"""Golden name cases (tests/cases/names): variants that must be one entity, look-alikes that
must not, across documents and within one."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from kartoteka.resolve import MentionRecord, resolve

CASES = Path(__file__).parent / "cases" / "names"


def _load(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))["cases"]


def _params(cases, ident):
    return [
        pytest.param(
            c,
            id=ident(c),
            marks=[pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else [],
        )
        for c in cases
    ]


def _mention(i: int, doc: str, name: str, kind: str, title=None, context="") -> MentionRecord:
    return MentionRecord(
        id=i,
        doc=doc,
        start=0,
        end=len(name),
        text=name,
        name=name,
        type=kind,
        title=title,
        context=context or name,
    )


TITLE = re.compile(r"^(General|Dr\.|Mr\.|Mrs\.|Miss|Lady|Sir|Madame|Herr|Frau)\s+")


def _split_title(name: str) -> tuple[str, str | None]:
    """What the mention extractor does: the title apart from the name."""
    m = TITLE.match(name)
    return (name[m.end() :], m.group(1)) if m else (name, None)


@pytest.mark.parametrize(
    "case", _params(_load("pairs.json"), lambda c: f"{c['a']}|{c['b']}|{c['same']}")
)
def test_name_pair(case):
    kind = case.get("type", "PER")
    a, title_a = _split_title(case["a"])
    b, title_b = _split_title(case["b"])
    mentions = [_mention(1, "one.txt", a, kind, title_a), _mention(2, "two.txt", b, kind, title_b)]
    resolution = resolve(mentions)
    of = resolution.entity_of()
    assert (of[1] == of[2]) is case["same"], case["why"]


def _document_mentions(case) -> tuple[list[MentionRecord], dict[int, str]]:
    text = case["text"]
    sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.?", text)]
    names = [(n, "PER") if isinstance(n, str) else tuple(n) for n in case["names"]]
    taken: list[tuple[int, int]] = []
    mentions, name_of = [], {}
    for name, kind in sorted(names, key=lambda n: -len(n[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            s, e = next((a, b) for a, b in sentences if a <= m.start() < b)
            i = len(mentions) + 1
            bare, title = _split_title(name) if kind == "PER" else (name, None)
            mentions.append(
                MentionRecord(
                    id=i,
                    doc="case.txt",
                    start=m.start(),
                    end=m.end(),
                    text=name,
                    name=bare,
                    type=kind,
                    title=title,
                    context=text[s:e],
                    context_start=m.start() - s,
                )
            )
            name_of[i] = name
    return mentions, name_of


@pytest.mark.parametrize("case", _params(_load("documents.json"), lambda c: c["id"]))
def test_document(case):
    mentions, name_of = _document_mentions(case)
    resolution = resolve(mentions)
    entity_of_name: dict[str, set[str]] = {}
    for mention_id, key in resolution.entity_of().items():
        entity_of_name.setdefault(name_of[mention_id], set()).add(key)
    for name, keys in entity_of_name.items():
        assert len(keys) == 1, f"{name} split over {keys}"
    key = {name: next(iter(keys)) for name, keys in entity_of_name.items()}
    clusters = case["clusters"]
    for cluster in clusters:
        assert len({key[n] for n in cluster}) == 1, f"{cluster} should be one entity"
    for i, cluster in enumerate(clusters):
        for other in clusters[i + 1 :]:
            for a in cluster:
                for b in other:
                    assert key[a] != key[b], f"{a} and {b} should be apart"
    for a, b in case.get("apart", []):
        assert key[a] != key[b], f"{a} and {b} should be apart"


@pytest.mark.parametrize("case", _params(_load("corpora.json"), lambda c: c["id"]))
def test_corpus(case):
    mentions, where = [], {}
    for doc, text in case["documents"].items():
        found, name_of = _document_mentions({"text": text, "names": case["names"]})
        for m in found:
            i = len(mentions) + 1
            mentions.append(replace(m, id=i, doc=doc))
            where[i] = (doc, name_of[m.id])
    of = resolve(mentions).entity_of()
    keys: dict[str, set[str]] = {}
    for i, (doc, name) in where.items():
        keys.setdefault(name, set()).add(of[i])
        keys.setdefault(f"{doc}:{name}", set()).add(of[i])

    def key_of(label: str) -> set[str]:
        assert label in keys, f"{label} not found in the texts"
        return keys[label]

    clusters = [set().union(*(key_of(label) for label in c)) for c in case["clusters"]]
    for cluster, labels in zip(clusters, case["clusters"]):
        assert len(cluster) == 1, f"{labels} should be one entity, got {cluster}"
    for i, a in enumerate(clusters):
        for b in clusters[i + 1 :]:
            assert not a & b, f"{case['clusters'][i]} merged with another cluster"
