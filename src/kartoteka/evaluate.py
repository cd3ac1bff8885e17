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

from kartoteka.store.documents import common_tail, path_labels, path_parts

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


def load_gold(path: str | Path, export: dict, texts_by_id: dict[int, str]) -> Gold:
    """Read a gold file and match its documents to the export's: a gold `file` is the end of
    a document's path (a file name, or folders and file name); one that ends the paths of
    several documents is refused, so no document is scored against another's gold."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GoldError(f"{path}: cannot read the gold file ({e})") from e
    if not isinstance(data, dict) or "documents" not in data or "entities" not in data:
        raise GoldError(f"{path}: not a dossier-gold file (no 'documents' or 'entities')")
    paths = {d["id"]: d.get("path") or d.get("name") or "" for d in export["documents"]}
    doc_of_export = {}
    for key, gold_doc in data["documents"].items():
        file = str(gold_doc.get("file", ""))
        wanted = len(path_parts(file))
        found = [i for i, p in paths.items() if wanted and common_tail(file, p) == wanted]
        if len(found) > 1:
            labels = path_labels([paths[i] for i in found])
            raise GoldError(
                f"{path}: gold document {key} ({file}) may be any of "
                f"{', '.join(sorted(labels.values()))}; write more of its path in 'file'"
            )
        if found:
            doc_of_export[found[0]] = key
    texts = {key: texts_by_id[i] for i, key in doc_of_export.items() if i in texts_by_id}
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


Measures = dict[str, float]
Details = dict[str, list]
GoldMention = tuple[str, int, int]  # (gold document, start, end)


def score(gold: Gold, export: dict) -> tuple[Measures, Details]:
    """(measures, details): the details list what was missed, for --verbose. One scorer
    per layer; identity hands on which gold entity each system entity stands for, which
    events and relations are compared through."""
    gold_mentions = _gold_mentions(gold)
    system = _system_mentions(gold, export)
    matched = _match_mentions(gold_mentions, system)
    measures = score_mentions(gold, gold_mentions, system, matched)
    identity, identity_details, gold_key_of = score_identity(gold, gold_mentions, matched)
    timexes, timex_misses = score_timexes(gold, export)
    events, event_misses = score_events(gold, export, gold_key_of)
    relations, relation_misses = score_relations(gold, export, gold_key_of)
    measures.update(identity)
    measures.update(timexes)
    measures.update(events)
    measures.update(relations)
    details = {
        **identity_details,
        "timexes wrong or missed": timex_misses,
        "events missed": event_misses,
        "relations missed": relation_misses,
    }
    return measures, details


def _system_mentions(gold: Gold, export: dict) -> dict[str, list[tuple[int, int, int, str]]]:
    """gold document -> [(start, end, entity id, type)] of the export's mentions."""
    system = defaultdict(list)
    for e in export["entities"]:
        for m in e["mentions"]:
            doc = gold.doc_of_export.get(m["doc"])
            if doc is not None and e["type"] in ("PER", "ORG", "PLACE"):
                system[doc].append((m["start"], m["end"], e["id"], e["type"]))
    return system


def _match_mentions(gold_mentions, system) -> dict[GoldMention, tuple[int, str]]:
    """Gold mention -> (entity id, type) of the system mention overlapping it most."""
    matched = {}
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
    return matched


def score_mentions(gold: Gold, gold_mentions, system, matched) -> Measures:
    """Recall over gold mentions, precision over system mentions (those overlapping a string
    the gold ignores count neither way), type accuracy over found ones."""
    g = gold.data
    gold_type = {e["key"]: e["type"] for e in g["entities"]}
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
    measures: Measures = {}
    measures["mention_recall"] = _ratio(len(matched), len(gold_mentions))
    measures["mention_precision"] = _ratio(hits, len(scored))
    measures["mention_f1"] = f1(measures["mention_precision"], measures["mention_recall"])
    measures["mention_type_accuracy"] = _ratio(
        sum(1 for k, (_, t) in matched.items() if t == gold_type[gold_mentions[k]]), len(matched)
    )
    return measures


def score_identity(gold: Gold, gold_mentions, matched) -> tuple[Measures, Details, dict[int, str]]:
    """B-cubed over gold mentions, alias entities kept whole, distinct pairs kept apart;
    also returns the gold entity each system entity stands for (by most of its mentions)."""
    g = gold.data
    gold_cluster = defaultdict(set)
    system_of: dict = {}
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
    measures: Measures = {"b3_precision": precision / n, "b3_recall": recall / n}
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
    votes: dict[int, Counter] = defaultdict(Counter)
    for k, (eid, _) in matched.items():
        votes[eid][gold_mentions[k]] += 1
    gold_key_of = {eid: c.most_common(1)[0][0] for eid, c in votes.items()}
    measures["overmerged_system_entities"] = sum(1 for c in votes.values() if len(c) > 1)
    details = {"alias entities not whole": not_whole, "distinct violated": violated}
    return measures, details, gold_key_of


def score_timexes(gold: Gold, export: dict) -> tuple[Measures, list]:
    """A gold timex is found when a system timex overlaps it, right when a value is equal."""
    g = gold.data
    system_timexes = defaultdict(list)
    for t in export["timexes"]:
        doc = gold.doc_of_export.get(t["doc"])
        if doc is not None:
            system_timexes[doc].append(t)
    found = right = 0
    misses = []
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
            misses.append((gt["text"], gt["value"], [t["value"] for t in hit] or None))
    n_timex = len(g.get("timexes", [])) or 1
    return {"timex_recall": found / n_timex, "timex_value_accuracy": right / n_timex}, misses


def score_events(gold: Gold, export: dict, gold_key_of: dict[int, str]) -> tuple[Measures, list]:
    """Same document, same type, overlapping evidence; roles through the gold entities."""
    g = gold.data
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
    misses = []
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
            misses.append((ge["type"], ge["evidence"][:60]))
            continue
        used.add(match)
        event_hits += 1
        ev = system_events[match][0]
        got = {gold_key_of.get(eid) for eids in ev["roles"].values() for eid in eids}
        role_hits += sum(1 for keys in ge.get("roles", {}).values() for k in keys if k in got)
        date_hits += bool(ge.get("date")) and str(ev.get("date")) == ge["date"]
    n_events = len(g.get("events", [])) or 1
    measures: Measures = {"event_recall": event_hits / n_events}
    measures["event_precision"] = _ratio(event_hits, sum(1 for _, spans in system_events if spans))
    measures["event_f1"] = f1(measures["event_precision"], measures["event_recall"])
    measures["event_argument_recall"] = _ratio(role_hits, role_total)
    measures["event_date_accuracy"] = _ratio(date_hits, date_total)
    return measures, misses


def score_relations(gold: Gold, export: dict, gold_key_of: dict[int, str]) -> tuple[Measures, list]:
    """(subject, predicate, object) over gold entity keys, corpus-wide."""
    gold_triples = {
        (r["subject"], r["predicate"], r["object"]) for r in gold.data.get("relations", [])
    }
    system_triples, unmapped = set(), set()
    for r in export["relations"]:
        s, o = gold_key_of.get(r["subject"]), gold_key_of.get(r["object"])
        if s and o:
            system_triples.add((s, r["predicate"].upper(), o))
        else:
            unmapped.add((r["subject"], r["predicate"], r["object"]))
    hits = len(gold_triples & system_triples)
    measures: Measures = {
        "relation_precision": _ratio(hits, len(system_triples) + len(unmapped)),
        "relation_recall": _ratio(hits, len(gold_triples)),
    }
    measures["relation_f1"] = f1(measures["relation_precision"], measures["relation_recall"])
    return measures, sorted(gold_triples - system_triples)


def evaluate_store(store, gold_path: str | Path) -> tuple[dict[str, float], dict[str, list]]:
    """Score what the store holds against a gold file."""
    from kartoteka.export.json import export_data

    export = export_data(store)
    texts = {r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")}
    return score(load_gold(gold_path, export, texts), export)


def format_measures(measures: dict[str, float]) -> str:
    lines = [
        f"{k:32s} {v:.3f}" if isinstance(v, float) else f"{k:32s} {v}" for k, v in measures.items()
    ]
    lines.append("summary: " + " ".join(f"{k}={measures[k]:.2f}" for k in SUMMARY_KEYS))
    return "\n".join(lines)
