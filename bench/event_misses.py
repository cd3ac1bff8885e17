"""Every event and relation of a gold corpus side by side with what the pipeline made of it.

usage: python bench/event_misses.py [--only dev-A] [--shared DIR] [--docs SUBSTRING]

For each gold event: the system event it matched (as `bench/quality.py` scores it: the first
unused one of its type whose evidence overlaps), its date and how it was found, the roles the
gold lists and which of them no mention in the event's entry stands for, and whether the text
of the evidence holds any mention of a missed participant at all (if not, the miss is
upstream: mentions or identity). Then the system events no gold event matched, and the
relations found wrongly or missed. For reading failures one by one; the scoreboard is
`bench/quality.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import DEV_HALVES, ROOT, find_shared, ingest_folder, subset_gold  # noqa: E402


def _corpora(shared: Path) -> dict[str, tuple[Path, Path, tuple[str, ...] | None]]:
    dev = shared / "corpus" / "dev" / "texts"
    return {
        "seeds": (shared / "corpus" / "seeds", shared / "gold" / "seeds.json", None),
        "dev": (dev, shared / "gold" / "dev.json", None),
        "dev-A": (dev, shared / "gold" / "dev.json", DEV_HALVES["dev-A"]),
        "dev-B": (dev, shared / "gold" / "dev.json", DEV_HALVES["dev-B"]),
        "events5": (
            ROOT / "tests" / "cases" / "events" / "corpus",
            ROOT / "tests" / "cases" / "events" / "corpus" / "gold.json",
            None,
        ),
    }


def _load(name: str, shared: Path):
    from kartoteka.evaluate import (
        _gold_mentions,
        _match_mentions,
        _system_mentions,
        load_gold,
        score_identity,
    )
    from kartoteka.export.json import export_data

    folder, gold_path, files = _corpora(shared)[name]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = json.loads(gold_path.read_text(encoding="utf-8"))
        if files:
            data = subset_gold(data, files)
        gold_path = work / "gold.json"
        gold_path.write_text(json.dumps(data), encoding="utf-8")
        store = ingest_folder(folder, files, work)
        try:
            export = export_data(store)
            texts = {
                r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")
            }
            gold = load_gold(gold_path, export, texts)
        finally:
            store.close()
    gm = _gold_mentions(gold)
    matched = _match_mentions(gm, _system_mentions(gold, export))
    _, _, key_of = score_identity(gold, gm, matched)
    return gold, export, key_of


def _sentence(text: str, a: int, b: int) -> str:
    return " ".join(text[a:b].split())


def report_events(gold, export, key_of, only_doc: str | None) -> None:
    system = []
    for ev in export["events"]:
        spans = [
            (gold.doc_of_export.get(x["doc"]), x["start"], x["end"], x)
            for x in ev["evidence"]
            if gold.doc_of_export.get(x["doc"])
        ]
        system.append((ev, spans))
    # which gold keys have any mention in each document, and where
    mentions = defaultdict(list)
    for e in export["entities"]:
        key = key_of.get(e["id"])
        for m in e["mentions"]:
            doc = gold.doc_of_export.get(m["doc"])
            if doc:
                mentions[doc].append((m["start"], m["end"], key, e["id"]))
    used: set[int] = set()
    tally = defaultdict(int)
    for ge in gold.data["events"]:
        doc = ge["doc"]
        if only_doc and only_doc not in doc:
            continue
        text = gold.texts[doc]
        a = text.find(ge["evidence"])
        b = a + len(ge["evidence"])
        match = next(
            (
                j
                for j, (ev, spans) in enumerate(system)
                if j not in used
                and ev["type"].upper() == ge["type"]
                and any(d == doc and min(b, y) > max(a, x) for d, x, y, _ in spans)
            ),
            None,
        )
        roles = {r: ks for r, ks in ge.get("roles", {}).items()}
        print(f"\n[{doc}] {ge['type']} {roles} date={ge.get('date')}")
        print(f"   gold: {_sentence(text, a, b)[:160]}")
        if match is None:
            tally["event missed"] += 1
            print("   MISSED")
            continue
        used.add(match)
        ev, spans = system[match]
        got = {r: sorted({str(key_of.get(i)) for i in ids}) for r, ids in ev["roles"].items()}
        flat = {k for ks in got.values() for k in ks}
        passages = [x for d, _, _, x in spans if d == doc]
        print(
            f"   sys:  trigger={[p['trigger'] for p in passages]} roles={got}"
            f" date={ev['date']} ({ev['date_source']}) modality={ev['modality']}"
        )
        for r, keys in roles.items():
            for k in keys:
                if k in flat:
                    continue
                near = [m for m in mentions[doc] if m[2] == k and a - 400 <= m[0] <= b + 100]
                where = "a mention near" if near else "NO mention of it near"
                tally[f"role missed ({'mention near' if near else 'no mention near'})"] += 1
                print(f"   role miss: {r}={k} ({where})")
        if ge.get("date") and str(ev["date"]) != ge["date"]:
            tally[f"date wrong ({ev['date_source']})"] += 1
            print(f"   DATE: gold {ge['date']} got {ev['date']} ({ev['date_source']})")
    print("\n== system events no gold event matched ==")
    for j, (ev, spans) in enumerate(system):
        if j in used or not spans:
            continue
        d, x, y, p = spans[0]
        if only_doc and only_doc not in d:
            continue
        tally["false positive"] += 1
        got = {r: sorted({str(key_of.get(i)) for i in ids}) for r, ids in ev["roles"].items()}
        print(
            f"[{d}] {ev['type']} '{p['trigger']}' {got} {ev['date']} {ev['modality']}"
            f"\n     {_sentence(gold.texts[d], x, y)[:200]}"
        )
    print("\n" + json.dumps(dict(tally), indent=1))


def report_relations(gold, export, key_of) -> None:
    gold_triples = {(r["subject"], r["predicate"], r["object"]): r for r in gold.data["relations"]}
    print("\n== relations ==")
    seen = set()
    for r in export["relations"]:
        s, o = key_of.get(r["subject"]), key_of.get(r["object"])
        t = (s, r["predicate"], o)
        ev = r["evidence"][0] if r["evidence"] else None
        where = ""
        if ev and gold.doc_of_export.get(ev["doc"]):
            where = _sentence(gold.texts[gold.doc_of_export[ev["doc"]]], ev["start"], ev["end"])
        mark = "ok " if t in gold_triples else "FP "
        seen.add(t)
        print(f"{mark}{t}  {where[:140]}")
    for t, r in gold_triples.items():
        if t not in seen:
            print(f"MISS {t} [{r['doc']}] {r['evidence'][:140]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="dev-A")
    parser.add_argument("--shared")
    parser.add_argument("--docs", help="only gold documents whose key contains this")
    parser.add_argument("--relations", action="store_true", help="relations only")
    args = parser.parse_args()
    gold, export, key_of = _load(args.only, find_shared(args.shared))
    if not args.relations:
        report_events(gold, export, key_of, args.docs)
    report_relations(gold, export, key_of)
    return 0


if __name__ == "__main__":
    sys.exit(main())
