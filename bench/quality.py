"""The project's scoreboard: every gold set we have, scored through the real pipeline, one table.

usage: python bench/quality.py [--shared DIR] [--json OUT.json] [--details CORPUS]
           [--only seeds,dev,dev-A,dev-B,events5,hipe,hipe-A,hipe-B,litbank]

`--details CORPUS` prints what that corpus's figures miss, among them, under "mentions and
identity", each unfound, extra or mistyped mention and each gold entity split over several
entities (with the strings each part holds) or merged with another.

Columns are corpora, rows are measures grouped by layer:
- seeds: the two example passages with their gold (../shared/gold/seeds.json);
- dev, dev-A, dev-B: the twelve texts written by others (../shared/corpus/dev) and its two
  halves by file. Develop on dev-A, confirm on dev-B: a rule that only helps one half is
  probably a rule for a sentence, not for a kind of text;
- events5: our own five texts in other styles (tests/cases/events/corpus);
- hipe-2020: the HIPE-2022 English dev set of hipe2020 (OCR'd newspapers), scored by the
  shared `hipe_score.py` (fuzzy/strict entity-mention F1, and B-cubed of cross-document
  identity over Wikidata links); hipe-A and hipe-B are its two halves (`HIPE_HALVES`: every
  other document in id order, so both span every newspaper and decade), each ingested alone.
  `--only hipe` scores the set and both halves;
- litbank: LitBank's proper-name entity mentions (PROP; PER, ORG, and GPE/LOC/FAC as PLACE),
  fuzzy F1 as HIPE scores it, and B-cubed of resolve() on the PER coreference chains.

Each corpus is ingested into a fresh store in a temporary folder, exported, and scored with
`kartoteka.evaluate` (which a test keeps equal to the shared `score.py`). Nothing here is
cached: the figures are what a fresh ingest gives.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The dev corpus, split by file so that each half has a machine translation pair, an
#: encyclopedia text and a contemporary piece. Kinds are in ../shared/corpus/dev/README.md.
DEV_HALVES = {
    "dev-A": (
        "t01_01_trotsky_1938_fears_fate_of_klement.txt",  # press statement
        "t03_03_socialist_appeal_1940_jackson_confession_ocr.txt",  # OCR front page
        "t04_04_zxc_wiki_orlov_mt.txt",  # machine translation
        "c01_01_wikipedia_cambridge_five.txt",  # encyclopedia
        "c06_06_zxc_igor_gusenko_machine_translation.txt",  # machine translation
        "p05_05_wikipedia_leopold_trepper.txt",  # encyclopedia biography
    ),
    "dev-B": (
        "t06_06_nin_1937_final_declaration_to_police.txt",  # police statement
        "c02_02_zxc_arnold_deutsch_machine_translation.txt",  # machine translation
        "c03_03_martell_1946_spy_scare_canada.txt",  # newspaper article
        "p02_02_court_1936_kirov_indictment.txt",  # court record
        "p03_03_zxc_de_wikipedia_jagoda.txt",  # machine translation
        "p06_06_wikipedia_richard_sorge.txt",  # encyclopedia biography
    ),
}

LAYERS = {
    "mentions": ("mention_f1", "mention_precision", "mention_recall", "mention_type_accuracy"),
    "identity": ("b3_f1", "b3_recall", "alias_entities_whole", "distinct_violations"),
    "time": ("timex_recall", "timex_value_accuracy"),
    "events": (
        "event_f1",
        "event_precision",
        "event_recall",
        "event_argument_recall",
        "event_date_accuracy",
    ),
    "relations": ("relation_f1", "relation_precision", "relation_recall"),
    "newspapers (HIPE)": ("hipe_fuzzy_f1", "hipe_strict_f1", "hipe_nel_b3_f1"),
    "novels (LitBank)": ("litbank_fuzzy_f1", "litbank_per_b3_f1"),
}


def find_shared(given: str | None) -> Path:
    """The shared folder beside the checkout (or given): corpora, gold, data, tools."""
    candidates = [Path(given)] if given else []
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    for c in candidates:
        if (c / "gold").is_dir():
            return c
    sys.exit("no shared folder with gold/ found; give it with --shared DIR")


def subset_gold(gold: dict, files: tuple[str, ...]) -> dict:
    """The gold of the documents whose files are listed, every part filtered to them."""
    docs = {k: v for k, v in gold["documents"].items() if v["file"] in files}
    entities = []
    for e in gold["entities"]:
        mentions = {d: m for d, m in e["mentions"].items() if d in docs}
        if mentions:
            entities.append({**e, "mentions": mentions})
    kept = {e["key"] for e in entities}
    return {
        **gold,
        "documents": docs,
        "entities": entities,
        "distinct": [p for p in gold.get("distinct", []) if set(p) <= kept],
        "ignore": {d: v for d, v in gold.get("ignore", {}).items() if d in docs},
        "timexes": [t for t in gold.get("timexes", []) if t["doc"] in docs],
        "events": [e for e in gold.get("events", []) if e["doc"] in docs],
        "relations": [r for r in gold.get("relations", []) if r["doc"] in docs],
    }


def ingest_folder(folder: Path, files: tuple[str, ...] | None, work: Path):
    """A fresh store holding the folder's texts (or the listed files of it)."""
    from kartoteka.pipeline import ingest
    from kartoteka.store import Store

    paths = [folder / f for f in files] if files else [folder]
    db = work / "store.db"
    store = Store.open(db)
    report = ingest(paths, store)
    if report.failed:
        print(f"  failed: {report.failed}", file=sys.stderr)
    return store


def score_gold_corpus(folder: Path, gold_path: Path, files: tuple[str, ...] | None):
    from kartoteka.evaluate import evaluate_store

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if files:
            gold = subset_gold(json.loads(gold_path.read_text(encoding="utf-8")), files)
            gold_path = work / "gold.json"
            gold_path.write_text(json.dumps(gold), encoding="utf-8")
        store = ingest_folder(folder, files, work)
        try:
            measures, misses = evaluate_store(store, gold_path)
            misses["mentions and identity"] = who_is_who_details(store, gold_path)
        finally:
            store.close()
        has_timexes = bool(json.loads(gold_path.read_text(encoding="utf-8")).get("timexes"))
    if not has_timexes:  # a gold without dates says nothing about them
        measures = {k: v for k, v in measures.items() if not k.startswith("timex_")}
    return measures, misses


def who_is_who_details(store, gold_path: Path) -> dict[str, list[str]]:
    """What mentions and identity get wrong, one readable line each: gold mentions no system
    mention found, system mentions the gold does not have, mentions of the wrong type, gold
    entities split over several system entities (with the strings each part holds), and
    system entities holding several gold entities."""
    from kartoteka.evaluate import _gold_mentions, _overlap, load_gold, whole_word_spans
    from kartoteka.export.json import export_data

    export = export_data(store)
    texts = {r["id"]: r["text"] for r in store.conn.execute("SELECT id, text FROM documents")}
    gold = load_gold(gold_path, export, texts)
    gold_of = _gold_mentions(gold)
    gold_type = {e["key"]: e["type"] for e in gold.data["entities"]}
    names = {e["id"]: e["name"] for e in export["entities"]}
    system = defaultdict(list)
    for e in export["entities"]:
        for m in e["mentions"]:
            doc = gold.doc_of_export.get(m["doc"])
            if doc:
                system[doc].append((m["start"], m["end"], e["id"], e["type"]))
    out: dict[str, list[str]] = defaultdict(list)
    part_of = {}
    for (doc, a, b), key in sorted(gold_of.items()):
        hits = [
            (min(b, y) - max(a, x), eid, t) for x, y, eid, t in system[doc] if _overlap(a, b, x, y)
        ]
        surface = gold.texts[doc][a:b]
        if not hits:
            out["unfound"].append(f"{doc} {gold_type[key]} {surface!r} ({key})")
            part_of[(doc, a, b)] = None
            continue
        _, eid, kind = max(hits)
        part_of[(doc, a, b)] = eid
        if kind != gold_type[key]:
            out["wrong type"].append(f"{doc} {surface!r}: {kind}, gold {gold_type[key]}")
    ignored = {
        doc: [span for s in strings for span in whole_word_spans(gold.texts.get(doc, ""), s)]
        for doc, strings in gold.data.get("ignore", {}).items()
    }
    for doc, spans in sorted(system.items()):
        for x, y, _eid, kind in spans:
            if any(_overlap(x, y, a, b) for a, b in ignored.get(doc, ())):
                continue
            if not any(d == doc and _overlap(a, b, x, y) for d, a, b in gold_of):
                out["not in gold"].append(f"{doc} {kind} {gold.texts[doc][x:y]!r}")
    parts: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    holders: dict[int, set] = defaultdict(set)
    for (doc, a, b), eid in part_of.items():
        key = gold_of[(doc, a, b)]
        parts[key][names.get(eid, "UNFOUND")].add(f"{doc}:{gold.texts[doc][a:b]}")
        if eid is not None:
            holders[eid].add(key)
    for key, by_entity in parts.items():
        if len(by_entity) > 1:
            out["split"].append(
                f"{key}: " + " | ".join(f"[{n}] {sorted(v)}" for n, v in by_entity.items())
            )
    for eid, keys in holders.items():
        if len(keys) > 1:
            out["merged"].append(f"[{names[eid]}] {sorted(keys)}")
    return dict(out)


#: HIPE-2020's dev documents split in two by their place in id order (even: A, odd: B). Ids
#: sort by newspaper and date, so both halves hold every newspaper and decade (1790-1960).
#: Develop on hipe-A, confirm on hipe-B.
HIPE_HALVES = ("hipe-A", "hipe-B")


def hipe_half(ids: list[str], half: str) -> set[str]:
    """The document ids of one half of a HIPE set."""
    parity = HIPE_HALVES.index(half)
    return {d for i, d in enumerate(sorted(ids)) if i % 2 == parity}


def hipe_subset(tsv: Path, keep: set[str], out: Path) -> Path:
    """A copy of a HIPE TSV holding only the documents in `keep` (written to `out`, outside
    the repository: the data is licensed non-commercial)."""
    header, blocks = [], []
    for line in tsv.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("# hipe2022:document_id"):
            blocks.append([line.split("=", 1)[1].strip(), line])
        elif blocks:
            blocks[-1].append(line)
        else:
            header.append(line)
    out.write_text(
        "".join(header) + "".join("".join(b[1:]) for b in blocks if b[0] in keep),
        encoding="utf-8",
    )
    return out


def hipe_export(shared: Path, tsv: Path, work: Path, keep: set[str] | None = None):
    """Our JSON export of HIPE's rebuilt documents (those in `keep`, or all), ingested into a
    fresh store in `work`, and the folder of their texts."""
    from kartoteka.export.json import export_data

    sys.path.insert(0, str(shared / "tools"))
    import hipe_score

    texts = work / "texts"
    texts.mkdir()
    for d in hipe_score.read_hipe(tsv):
        if keep is None or d["id"] in keep:
            (texts / f"{d['id']}.txt").write_text(d["text"], encoding="utf-8")
    store = ingest_folder(texts, None, work)
    try:
        return export_data(store), texts
    finally:
        store.close()


def score_hipe(shared: Path, tsv: Path, half: str | None = None) -> dict[str, float]:
    """hipe_score.py's own measures on our export of its rebuilt documents (of one half)."""
    sys.path.insert(0, str(shared / "tools"))
    import hipe_score

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if half:
            ids = [d["id"] for d in hipe_score.read_hipe(tsv)]
            tsv = hipe_subset(tsv, hipe_half(ids, half), work / "half.tsv")
        export, texts = hipe_export(shared, tsv, work)
        export_path = work / "export.json"
        export_path.write_text(json.dumps(export), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            hipe_score.main([str(tsv), "--export", str(export_path), "--keep", str(texts)])
    last = out.getvalue().strip().splitlines()[-1]
    found = dict(re.findall(r"(\w+)=([0-9.]+)", last))
    return {
        "hipe_strict_f1": float(found["strict_f1"]),
        "hipe_fuzzy_f1": float(found["fuzzy_f1"]),
        "hipe_nel_b3_f1": float(found["nel_b3_f1"]),
    }


LITBANK_TYPES = {"PER": "PER", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def litbank_gold(folder: Path) -> dict[str, tuple[str, list[tuple[int, int, str]]]]:
    """Each LitBank text (tokens joined by spaces, a sentence a line) with its proper-name
    entity mentions as character spans and our types."""
    out = {}
    for ann in sorted((folder / "coref" / "tsv").glob("*.ann")):
        lines = ann.with_suffix(".txt").read_text(encoding="utf-8").split("\n")
        starts, pos = [], 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        spans = []
        for row in ann.read_text(encoding="utf-8").splitlines():
            cells = row.split("\t")
            if cells[0] != "MENTION" or cells[8] != "PROP" or cells[7] not in LITBANK_TYPES:
                continue
            line, first, last = int(cells[2]), int(cells[3]), int(cells[5])
            tokens = lines[line].split(" ")
            start = starts[line] + len(" ".join(tokens[:first])) + (1 if first else 0)
            end = start + len(" ".join(tokens[first : last + 1]))
            spans.append((start, end, LITBANK_TYPES[cells[7]]))
        out[ann.stem] = ("\n".join(lines), spans)
    return out


def f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_litbank(shared: Path) -> dict[str, float]:
    from kartoteka.export.json import export_data

    folder = shared / "data" / "litbank"
    gold = litbank_gold(folder)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = work / "texts"
        texts.mkdir()
        for stem, (text, _) in gold.items():
            (texts / f"{stem}.txt").write_text(text, encoding="utf-8")
        store = ingest_folder(texts, None, work)
        try:
            export = export_data(store)
        finally:
            store.close()
    names = {d["id"]: d["name"].rsplit(".", 1)[0] for d in export["documents"]}
    system = defaultdict(list)
    for e in export["entities"]:
        for m in e["mentions"]:
            system[names[m["doc"]]].append((m["start"], m["end"], e["type"]))
    found_gold = found_system = n_gold = n_system = 0
    for stem, (_, spans) in gold.items():
        got = system.get(stem, [])
        n_gold += len(spans)
        n_system += len(got)
        found_gold += sum(any(x < b and a < y and u == t for x, y, u in got) for a, b, t in spans)
        found_system += sum(any(x < b and a < y and u == t for a, b, t in spans) for x, y, u in got)
    precision = found_system / n_system if n_system else 0.0
    recall = found_gold / n_gold if n_gold else 0.0
    sys.path.insert(0, str(ROOT / "bench"))
    from resolve import litbank_names

    b3_p, b3_r, _ = litbank_names(folder)
    return {"litbank_fuzzy_f1": f1(precision, recall), "litbank_per_b3_f1": f1(b3_p, b3_r)}


def run(shared: Path, only: set[str], details: str | None) -> dict[str, dict[str, float]]:
    dev_texts = shared / "corpus" / "dev" / "texts"
    gold_corpora = {
        "seeds": (shared / "corpus" / "seeds", shared / "gold" / "seeds.json", None),
        "dev": (dev_texts, shared / "gold" / "dev.json", None),
        "dev-A": (dev_texts, shared / "gold" / "dev.json", DEV_HALVES["dev-A"]),
        "dev-B": (dev_texts, shared / "gold" / "dev.json", DEV_HALVES["dev-B"]),
        "events5": (
            ROOT / "tests" / "cases" / "events" / "corpus",
            ROOT / "tests" / "cases" / "events" / "corpus" / "gold.json",
            None,
        ),
    }
    results: dict[str, dict[str, float]] = {}
    for name, (folder, gold_path, files) in gold_corpora.items():
        if name not in only:
            continue
        began = time.perf_counter()
        measures, misses = score_gold_corpus(folder, gold_path, files)
        results[name] = measures
        print(f"  {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
        if details == name:
            print(json.dumps(misses, indent=1, ensure_ascii=False, default=str), file=sys.stderr)
    hipe = shared / "data" / "hipe2022_en" / "data" / "v2.1"
    # topres19th annotates places only (and in upper case, which hipe_score.py does not read),
    # so its precision would count every person as wrong: hipe2020 is the set that scores.
    tsv = hipe / "hipe2020" / "en" / "HIPE-2022-v2.1-hipe2020-dev-en.tsv"
    for name, flag, half in (
        ("hipe-2020", "hipe", None),
        ("hipe-A", "hipe-A", "hipe-A"),
        ("hipe-B", "hipe-B", "hipe-B"),
    ):
        if ("hipe" in only or flag in only) and tsv.exists():
            began = time.perf_counter()
            results[name] = score_hipe(shared, tsv, half)
            print(f"  {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    if "litbank" in only and (shared / "data" / "litbank").is_dir():
        began = time.perf_counter()
        results["litbank"] = score_litbank(shared)
        print(f"  litbank: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    """A Markdown table: a row per measure (grouped by layer), a column per corpus."""
    corpora = list(results)
    lines = [
        "| layer | measure | " + " | ".join(corpora) + " |",
        "|---|---|" + "---|" * len(corpora),
    ]
    for layer, measures in LAYERS.items():
        for measure in measures:
            cells = []
            for c in corpora:
                v = results[c].get(measure)
                cells.append("" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)))
            if any(cells):
                lines.append(f"| {layer} | {measure} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", help="the shared folder (default: ../shared)")
    parser.add_argument(
        "--only",
        default="seeds,dev,dev-A,dev-B,events5,hipe,litbank",
        help="comma-separated corpora to score",
    )
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--details", help="print the misses of this corpus (e.g. dev-A)")
    args = parser.parse_args(argv)
    shared = find_shared(args.shared)
    results = run(shared, set(args.only.split(",")), args.details)
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
