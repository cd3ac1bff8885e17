"""What our entity mentions get wrong on HIPE-2020's English newspapers, by kind, with counts.

usage: python bench/hipe_errors.py [--shared DIR] [--half hipe-A|hipe-B] [--examples N]
                                   [--kind KIND]

Ingests the HIPE-2020 English dev documents (or one half, see `HIPE_HALVES` in quality.py)
into a fresh store, as `bench/quality.py` does, and sorts every gold mention and every system
mention into kinds, the way `hipe_score.py` matches them (pers/org/loc as PER/ORG/PLACE,
fuzzy = overlap and same type):

- gold side: found (strict: same span; else how the spans differ), typed otherwise ("type
  PLACE->ORG": gold PLACE, ours ORG), or missed (with what the missed words look like: OCR
  damage, capitals, lower case, a title or office, a line break inside...);
- system side: right, typed otherwise, on a gold product or date (newspapers, ships), or
  spurious (with what it looks like and which of our rules made it).

A mention can carry several marks (a missed name may be both in capitals and damaged); the
counts per mark are printed with examples in context. Examples are printed only: HIPE's text
is licensed non-commercial and stays out of the repository.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import find_shared, hipe_export, hipe_half  # noqa: E402

HIPE_TYPES = {"pers": "PER", "org": "ORG", "loc": "PLACE"}
#: words before a name that name a person by rank or office (HIPE takes them into the span)
HONORIFICS = re.compile(
    r"^(?:the\s+)?(?:Mr|Mrs|Miss|Messrs|Dr|Rev|Hon|Capt|Gen|Col|Maj|Lieut|Prof|Sir|Lord|Lady|"
    r"Madam|Judge|Captain|General|President|Governor|King|Queen|Prince|Duke|Count|Baron|"
    r"Emperor|Majesty|Citizen|Senator|Major|Colonel|Ensign|Inspector|Warden|Mayor|Abbe)\b",
    re.I,
)
_DAMAGE = re.compile(r"[^\w\s.,'’&-]|\d|[a-z][A-Z]|(?<=\w)[A-Z]{2,}[a-z]|[|\\*■•«»^]")


def looks(text: str) -> list[str]:
    """Marks for what a span's words look like."""
    words = text.split()
    marks = []
    if "\n" in text:
        marks.append("across a line break")
    if "¬" in text or re.search(r"\w-\s*\n", text):
        marks.append("line-end hyphen")
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        marks.append("capitals")
    if words and words[0][:1].islower() and words[0] != "the":
        marks.append("lower case start")
    if words and words[0].lower() == "the":
        marks.append("starts with 'the'")
    if HONORIFICS.match(text):
        marks.append("title or office")
    if _DAMAGE.search(text.replace("¬", "").replace("\n", " ")):
        marks.append("OCR-like damage")
    if len(words) == 1:
        marks.append("one word")
    if "," in text:
        marks.append("with apposition")
    return marks


def gold_of(shared: Path, tsv: Path, keep: set[str] | None):
    sys.path.insert(0, str(shared / "tools"))
    import hipe_score

    docs = {}
    for d in hipe_score.read_hipe(tsv):
        if keep is None or d["id"] in keep:
            spans = [(a, b, t) for a, b, t, _ in d["ents"]]
            docs[d["id"]] = (d["text"], spans)
    return docs


def system_of(shared: Path, tsv: Path, keep: set[str] | None, work: Path):
    """Per document: (start, end, entity type, mention source) of each system mention."""
    from kartoteka.store import Store

    export, _ = hipe_export(shared, tsv, work, keep)
    name = {x["id"]: x["name"].rsplit(".", 1)[0] for x in export["documents"]}
    store = Store.open(work / "store.db")
    sources = {
        (r[0].rsplit(".", 1)[0], r[1], r[2]): r[3]
        for r in store.conn.execute(
            'SELECT d.name, m.start, m."end", m.source FROM mentions m'
            " JOIN documents d ON d.id = m.doc_id"
        )
    }
    store.close()
    out = defaultdict(list)
    for e in export["entities"]:
        for m in e["mentions"]:
            doc = name[m["doc"]]
            out[doc].append(
                (m["start"], m["end"], e["type"], sources.get((doc, m["start"], m["end"]), "?"))
            )
    return out


def context(text: str, a: int, b: int) -> str:
    left = text[max(0, a - 30) : a].replace("\n", "/")
    right = text[b : b + 30].replace("\n", "/")
    return f"{left}[[{text[a:b].replace(chr(10), '/')}]]{right}"


def classify(gold_docs, system):
    kinds: dict[str, list[str]] = defaultdict(list)
    for doc, (text, spans) in gold_docs.items():
        got = system.get(doc, [])
        scored = [(a, b, HIPE_TYPES[t]) for a, b, t in spans if t in HIPE_TYPES]
        for a, b, t in scored:
            where = f"{doc[11:21]} {t} {context(text, a, b)}"
            same = [(x, y) for x, y, u, _ in got if x < b and a < y and u == t]
            other = [u for x, y, u, _ in got if x < b and a < y and u != t]
            if same:
                if (a, b) in same:
                    kinds["gold: strict"].append(where)
                    continue
                x, y = same[0]
                how = (
                    "ours inside"
                    if a <= x and y <= b
                    else "ours longer"
                    if x <= a and b <= y
                    else "crossing"
                )
                kinds[f"gold: fuzzy only ({how})"].append(where)
            elif other:
                kinds[f"gold: type {t}->{other[0]}"].append(where)
                for mark in looks(text[a:b]):
                    kinds[f"  typed otherwise, {mark}"].append(where)
            else:
                kinds[f"gold: missed {t}"].append(where)
                for mark in looks(text[a:b]):
                    kinds[f"  missed, {mark}"].append(where)
        for x, y, u, source in got:
            where = f"{doc[11:21]} {u} <{source}> {context(text, x, y)}"
            if any(x < b and a < y and u == t for a, b, t in scored):
                kinds["ours: right"].append(where)
                continue
            if any(x < b and a < y for a, b, _ in scored):
                kinds["ours: typed otherwise"].append(where)
                continue
            on = [t for a, b, t in spans if x < b and a < y and t not in HIPE_TYPES]
            if on:
                kinds[f"ours: on gold {on[0]}"].append(where)
                continue
            kinds[f"ours: spurious {u}"].append(where)
            kinds[f"  spurious, from {source}"].append(where)
            for mark in looks(text[x:y]):
                kinds[f"  spurious, {mark}"].append(where)
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared")
    parser.add_argument("--half", choices=("hipe-A", "hipe-B"))
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--kind", help="print every example of the kinds containing this")
    args = parser.parse_args(argv)
    shared = find_shared(args.shared)
    tsv = shared / "data/hipe2022_en/data/v2.1/hipe2020/en/HIPE-2022-v2.1-hipe2020-dev-en.tsv"
    gold_docs = gold_of(shared, tsv, None)
    keep = hipe_half(list(gold_docs), args.half) if args.half else None
    gold_docs = {d: v for d, v in gold_docs.items() if keep is None or d in keep}
    with tempfile.TemporaryDirectory() as tmp:
        system = system_of(shared, tsv, keep, Path(tmp))
    kinds = classify(gold_docs, system)
    counts = Counter({k: len(v) for k, v in kinds.items()})
    for kind in sorted(counts):
        print(f"{counts[kind]:5d}  {kind}")
        shown = kinds[kind] if args.kind and args.kind in kind else kinds[kind][: args.examples]
        for example in shown:
            print(f"         {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
