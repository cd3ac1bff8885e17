"""Score the store against a gold file (dossier-gold/1, see docs/evaluate.md).

The measures are those of the project's reference scorer, computed over our export so that
what is scored is exactly what users get:

- mentions: a gold mention is every whole-word occurrence of one of its entity's strings in
  its document (longest first, no overlaps); a system mention finds it when the spans overlap.
  Precision counts system mentions that overlap any gold mention. Type accuracy is over found
  mentions, with the type of the system entity.
- clusters: B-cubed over gold mentions (a gold mention no system mention found is alone),
  and the share of gold entities with several surface forms or documents that end whole in
  one system entity; `distinct` pairs that share a system entity are violations.
- timexes: a gold timex is found when a system timex overlaps it; its value must be equal.
- events: same document, same type, evidence overlapping the gold evidence; roles compared
  through the gold entity each system entity stands for (by majority of its mentions).
- relations: (subject, predicate, object) over gold entity keys, corpus-wide.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

SUMMARY_KEYS = (
    "mention_f1",
    "b3_f1",
    "alias_entities_whole",
    "timex_value_accuracy",
    "event_f1",
    "relation_f1",
)


class GoldError(Exception):
    """The gold file is unreadable or does not match the store."""


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _overlap(a: int, b: int, x: int, y: int) -> bool:
    return min(b, y) > max(a, x)


def whole_word_spans(text: str, s: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)]


@dataclass
class Gold:
    data: dict
    texts: dict[str, str]  # gold doc key -> text
    doc_of_export: dict[int, str]  # export doc id -> gold doc key


def load_gold(path: str | Path, export: dict, texts_by_name: dict[str, str]) -> Gold:
    """Read a gold file and match its documents to the export's by file name."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GoldError(f"{path}: cannot read the gold file ({e})") from e
    if "documents" not in data or "entities" not in data:
        raise GoldError(f"{path}: not a dossier-gold file (no 'documents' or 'entities')")
    by_file = {v["file"]: k for k, v in data["documents"].items()}
    doc_of_export = {}
    for d in export["documents"]:
        name = d.get("name") or Path(d.get("path", "")).name
        if name in by_file:
            doc_of_export[d["id"]] = by_file[name]
    texts = {by_file[n]: t for n, t in texts_by_name.items() if n in by_file}
    missing = sorted(set(data["documents"]) - set(texts))
    if not doc_of_export or missing:
        files = ", ".join(data["documents"][k]["file"] for k in missing)
        raise GoldError(f"{path}: the store lacks gold documents ({files}); ingest them first")
    return Gold(data, texts, doc_of_export)


def _gold_mentions(gold: Gold) -> dict[tuple[str, int, int], str]:
    found = {}
    for doc, text in gold.texts.items():
        candidates = [
            (b - a, a, b, e["key"])
            for e in gold.data["entities"]
            for s in e.get("mentions", {}).get(doc, [])
            for a, b in whole_word_spans(text, s)
        ]
        taken: list[tuple[int, int]] = []
        for _, a, b, key in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if not any(_overlap(a, b, x, y) for x, y in taken):
                taken.append((a, b))
                found[(doc, a, b)] = key
    return found


def score(gold: Gold, export: dict) -> tuple[dict[str, float], dict[str, list]]:
    """(measures, details): the details list what was missed, for --verbose."""
    g = gold.data
    gold_mentions = _gold_mentions(gold)
    gold_type = {e["key"]: e["type"] for e in g["entities"]}
    types = {"PER": "PER", "ORG": "ORG", "PLACE": "PLACE"}

    system = defaultdict(list)  # gold doc -> [(start, end, entity id, type)]
    for e in export["entities"]:
        for m in e["mentions"]:
            doc = gold.doc_of_export.get(m["doc"])
            if doc is not None and types.get(e["type"]):
                system[doc].append((m["start"], m["end"], e["id"], types[e["type"]]))

    matched = {}  # gold mention -> (entity id, type), by largest overlap
    for doc, a, b in gold_mentions:
        best = max(
            (
                (min(b, y) - max(a, x), eid, t)
                for x, y, eid, t in system[doc]
                if _overlap(a, b, x, y)
            ),
            default=None,
            key=lambda c: c[0],
        )
        if best:
            matched[(doc, a, b)] = best[1:]
    measures: dict[str, float] = {}
    # strings the gold deliberately leaves out count neither for nor against
    ignored = {
        doc: [span for s in strings for span in whole_word_spans(gold.texts.get(doc, ""), s)]
        for doc, strings in g.get("ignore", {}).items()
    }
    scored = [
        (doc, x, y)
        for doc, ms in system.items()
        for x, y, _, _ in ms
        if not any(_overlap(x, y, a, b) for a, b in ignored.get(doc, ()))
    ]
    hits = sum(
        1
        for doc, x, y in scored
        if any(d == doc and _overlap(a, b, x, y) for d, a, b in gold_mentions)
    )
    n_system = len(scored)
    measures["mention_recall"] = _ratio(len(matched), len(gold_mentions))
    measures["mention_precision"] = _ratio(hits, n_system)
    measures["mention_f1"] = f1(measures["mention_precision"], measures["mention_recall"])
    measures["mention_type_accuracy"] = _ratio(
        sum(1 for k, (_, t) in matched.items() if t == gold_type[gold_mentions[k]]), len(matched)
    )

    # clusters
    gold_cluster = defaultdict(set)
    system_of = {}
    for k, key in gold_mentions.items():
        gold_cluster[key].add(k)
        system_of[k] = matched[k][0] if k in matched else ("unfound", k)
    system_cluster = defaultdict(set)
    for k, sid in system_of.items():
        system_cluster[sid].add(k)
    precision = recall = 0.0
    for k, key in gold_mentions.items():
        inter = len(gold_cluster[key] & system_cluster[system_of[k]])
        precision += inter / len(system_cluster[system_of[k]])
        recall += inter / len(gold_cluster[key])
    n = len(gold_mentions) or 1
    measures["b3_precision"], measures["b3_recall"] = precision / n, recall / n
    measures["b3_f1"] = f1(precision / n, recall / n)
    several = [
        e["key"]
        for e in g["entities"]
        if len({s for ss in e.get("mentions", {}).values() for s in ss}) > 1
        or len(e.get("mentions", {})) > 1
    ]
    not_whole = [
        key
        for key in several
        if len({system_of[k] for k in gold_cluster[key]}) != 1
        or any(isinstance(system_of[k], tuple) for k in gold_cluster[key])
    ]
    measures["alias_entities_whole"] = 1 - _ratio(len(not_whole), len(several)) if several else 1.0
    violated = [
        (a, b)
        for a, b in g.get("distinct", [])
        if {system_of[k] for k in gold_cluster[a]} & {system_of[k] for k in gold_cluster[b]}
    ]
    measures["distinct_violations"] = len(violated)
    votes = defaultdict(Counter)
    for k, (eid, _) in matched.items():
        votes[eid][gold_mentions[k]] += 1
    gold_key_of = {eid: c.most_common(1)[0][0] for eid, c in votes.items()}
    measures["overmerged_system_entities"] = sum(1 for c in votes.values() if len(c) > 1)

    # timexes
    system_timexes = defaultdict(list)
    for t in export["timexes"]:
        doc = gold.doc_of_export.get(t["doc"])
        if doc is not None:
            system_timexes[doc].append(t)
    found = right = 0
    timex_misses = []
    for gt in g.get("timexes", []):
        text = gold.texts[gt["doc"]]
        spans = whole_word_spans(text, gt["text"])
        if not spans:
            i = text.find(gt["text"])
            spans = [(i, i + len(gt["text"]))]
        a, b = spans[gt.get("occurrence", 1) - 1]
        hit = [t for t in system_timexes[gt["doc"]] if _overlap(a, b, t["start"], t["end"])]
        found += bool(hit)
        if any(str(t["value"]) == gt["value"] for t in hit):
            right += 1
        else:
            timex_misses.append((gt["text"], gt["value"], [t["value"] for t in hit] or None))
    n_timex = len(g.get("timexes", [])) or 1
    measures["timex_recall"] = found / n_timex
    measures["timex_value_accuracy"] = right / n_timex

    # events
    system_events = [
        (
            ev,
            [
                (gold.doc_of_export.get(x["doc"]), x["start"], x["end"])
                for x in ev["evidence"]
                if gold.doc_of_export.get(x["doc"])
            ],
        )
        for ev in export["events"]
    ]
    used: set[int] = set()
    event_hits = role_hits = role_total = date_hits = date_total = 0
    event_misses = []
    for ge in g.get("events", []):
        i = gold.texts[ge["doc"]].find(ge["evidence"])
        a, b = i, i + len(ge["evidence"])
        role_total += sum(len(keys) for keys in ge.get("roles", {}).values())
        date_total += bool(ge.get("date"))
        match = next(
            (
                j
                for j, (ev, spans) in enumerate(system_events)
                if j not in used
                and ev["type"].upper() == ge["type"]
                and any(d == ge["doc"] and _overlap(a, b, x, y) for d, x, y in spans)
            ),
            None,
        )
        if match is None:
            event_misses.append((ge["type"], ge["evidence"][:60]))
            continue
        used.add(match)
        event_hits += 1
        ev = system_events[match][0]
        got = {gold_key_of.get(eid) for eids in ev["roles"].values() for eid in eids}
        role_hits += sum(1 for keys in ge.get("roles", {}).values() for k in keys if k in got)
        date_hits += bool(ge.get("date")) and str(ev.get("date")) == ge["date"]
    n_events = len(g.get("events", [])) or 1
    n_system_events = sum(1 for _, spans in system_events if spans)
    measures["event_recall"] = event_hits / n_events
    measures["event_precision"] = _ratio(event_hits, n_system_events)
    measures["event_f1"] = f1(measures["event_precision"], measures["event_recall"])
    measures["event_argument_recall"] = _ratio(role_hits, role_total)
    measures["event_date_accuracy"] = _ratio(date_hits, date_total)

    # relations
    gold_triples = {(r["subject"], r["predicate"], r["object"]) for r in g.get("relations", [])}
    system_triples, unmapped = set(), set()
    for r in export["relations"]:
        s, o = gold_key_of.get(r["subject"]), gold_key_of.get(r["object"])
        triple = (s, r["predicate"].upper(), o)
        (system_triples if s and o else unmapped).add(
            triple if s and o else (r["subject"], r["predicate"], r["object"])
        )
    relation_hits = len(gold_triples & system_triples)
    measures["relation_precision"] = _ratio(relation_hits, len(system_triples) + len(unmapped))
    measures["relation_recall"] = _ratio(relation_hits, len(gold_triples))
    measures["relation_f1"] = f1(measures["relation_precision"], measures["relation_recall"])

    details = {
        "alias entities not whole": not_whole,
        "distinct violated": violated,
        "timexes wrong or missed": timex_misses,
        "events missed": event_misses,
        "relations missed": sorted(gold_triples - system_triples),
    }
    return measures, details


def evaluate_store(store, gold_path: str | Path) -> tuple[dict[str, float], dict[str, list]]:
    """Score what the store holds against a gold file."""
    from kartoteka.export.json import export_data

    export = export_data(store)
    texts = {r["name"]: r["text"] for r in store.conn.execute("SELECT name, text FROM documents")}
    return score(load_gold(gold_path, export, texts), export)


def format_measures(measures: dict[str, float]) -> str:
    lines = [
        f"{k:32s} {v:.3f}" if isinstance(v, float) else f"{k:32s} {v}" for k, v in measures.items()
    ]
    lines.append("summary: " + " ".join(f"{k}={measures[k]:.2f}" for k in SUMMARY_KEYS))
    return "\n".join(lines)
