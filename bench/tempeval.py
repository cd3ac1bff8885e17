"""TempEval-3 style evaluation of kartoteka's time tagger on TimeML or WikiWars files.

    .venv/bin/python bench/tempeval.py /work/shared/data/tempeval3/TBAQ-cleaned [--out DIR]
        [--errors FILE]
    .venv/bin/python bench/tempeval.py /work/shared/data/wikiwars_train/keyinline

A folder of `.tml` files is TimeML (TIMEX3, the DCT in <DCT>); a folder of `.key.xml` files
is WikiWars (inline TIMEX2, the reference time in <DATETIME>; see SOURCE.md beside it). Each
file's reference time is `as_of`. Prints strict and relaxed extraction P/R/F1 and value F1 the
way TempEval-3 scored them: relaxed match = any overlap; value F1 = relaxed F1 x value
accuracy over the relaxed matches. Writes our TIMEX3s into copies of TimeML files under --out
(default: a temporary folder), and with --errors every miss, false alarm and wrong value to a
file for study.

Both halves are printed too (odd and even files): develop on one, confirm on the other.
WikiWars is tagged with `tag_timeml(scheme="timex2")`, whose values follow TIMEX2 where it
differs from TimeML (an event-anchored "five days after the fall of Girona" is a date, "daily"
is XXXX-XX-XX). Other mark-up differences the scoring leaves alone: a range ("14 August-24
August") is two TIMEX2s, as `tag_timeml` gives it; spans take in more ("the last week of
August", "two months of fierce battles"), which only strict matching sees; a TIMEX2 without
a value is compared as an empty value.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kartoteka.time import tag_timeml
from kartoteka.time.values import edtf_to_timex3

TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*?)(/?)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class GoldDoc:
    """One annotated text: the plain text, gold spans with their attributes, reference time."""

    name: str
    text: str
    gold: list[tuple[int, int, dict[str, str]]]
    dct: str | None
    scheme: str = "timeml"


def _inline(body: str, tag: str) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """Plain text and the spans of `tag` elements (nested ones too) in inline mark-up."""
    out: list[str] = []
    gold: list[tuple[int, int, dict[str, str]]] = []
    pos = n = 0
    open_tags: list[tuple[int, dict[str, str]]] = []
    for m in TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        out.append(chunk)
        n += len(chunk)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != tag:
            continue
        if not closing:
            open_tags.append((n, {k.lower(): v for k, v in ATTR.findall(m.group(3))}))
        elif open_tags:
            start, attrs = open_tags.pop()
            gold.append((start, n, attrs))
    out.append(html.unescape(body[pos:]))
    gold.sort(key=lambda g: (g[0], -g[1]))
    return "".join(out), gold


def read_tml(path: Path) -> GoldDoc:
    """A TimeML file: its TEXT, gold TIMEX3s and DCT value."""
    raw = path.read_text(encoding="utf-8")
    dct_m = re.search(r'<DCT>.*?value="([^"]+)"', raw, re.S)
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    text, gold = _inline(body, "TIMEX3")
    return GoldDoc(path.name, text, gold, dct_m.group(1) if dct_m else None)


def read_wikiwars(path: Path) -> GoldDoc:
    """A WikiWars file: its TEXT, gold TIMEX2s (`val` as `value`) and DATETIME."""
    raw = path.read_text(encoding="utf-8")
    dct_m = re.search(r'<DATETIME>.*?val="([^"]+)"', raw, re.S)
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    text, gold = _inline(body, "TIMEX2")
    gold = [(s, e, {**a, "value": a.get("val", "")}) for s, e, a in gold]
    return GoldDoc(path.name, text, gold, dct_m.group(1) if dct_m else None, "timex2")


def read_folder(folder: Path) -> list[GoldDoc]:
    tml = sorted(folder.rglob("*.tml"))
    if tml:
        return [read_tml(p) for p in tml]
    ww = sorted(folder.rglob("*.key.xml"))
    if ww:
        return [read_wikiwars(p) for p in ww]
    raise SystemExit(f"no .tml or .key.xml files under {folder}")


def timeml_value(t) -> tuple[str | None, str | None]:
    """The TIMEX3 value and mod of one of our Timexes."""
    if t.timex3:
        return t.timex3, t.mod
    if t.value:
        return edtf_to_timex3(t.value)
    return None, t.mod


def write_tml(path: Path, text: str, timexes, dct: str | None) -> None:
    parts, pos = [], 0
    for i, t in enumerate(timexes, 1):
        value, mod = timeml_value(t)
        parts.append(html.escape(text[pos : t.start], quote=False))
        attrs = f'tid="t{i}" type="{t.type}" value="{html.escape(value or "")}"'
        if mod:
            attrs += f' mod="{mod}"'
        parts.append(f"<TIMEX3 {attrs}>{html.escape(t.text, quote=False)}</TIMEX3>")
        pos = t.end
    parts.append(html.escape(text[pos:], quote=False))
    dct_xml = (
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
        f'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n'
        if dct
        else ""
    )
    path.write_text(
        f'<?xml version="1.0" ?>\n<TimeML>\n{dct_xml}<TEXT>{"".join(parts)}</TEXT>\n</TimeML>\n',
        encoding="utf-8",
    )


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    files: int = 0
    gold: int = 0
    system: int = 0
    strict_g: int = 0
    strict_s: int = 0
    relax_g: int = 0
    relax_s: int = 0
    value_ok: int = 0
    words: int = 0

    def add(self, other: Counts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def scores(self) -> dict[str, float]:
        sp, sr = self.strict_s / max(self.system, 1), self.strict_g / max(self.gold, 1)
        rp, rr = self.relax_s / max(self.system, 1), self.relax_g / max(self.gold, 1)
        acc = self.value_ok / max(self.relax_g, 1)
        return {
            "strict_p": sp,
            "strict_r": sr,
            "strict_f1": f1(sp, sr),
            "relaxed_p": rp,
            "relaxed_r": rr,
            "relaxed_f1": f1(rp, rr),
            "value_accuracy": acc,
            "value_f1": f1(rp, rr) * acc,
        }


def score_document(doc: GoldDoc, sys_t, err_lines: list[str], half: str = "") -> Counts:
    """Counts of one document; its misses, false alarms and wrong values go to `err_lines`,
    each with the document's half ("odd", "even") and name."""
    text, gold = doc.text, doc.gold
    c = Counts(files=1, gold=len(gold), system=len(sys_t), words=len(text.split()))
    spans = {(t.start, t.end) for t in sys_t}
    gspans = {(s, e) for s, e, _ in gold}
    c.strict_g = sum((s, e) in spans for s, e, _ in gold)
    c.strict_s = sum((t.start, t.end) in gspans for t in sys_t)
    for t in sys_t:
        if any(s < t.end and t.start < e for s, e, _ in gold):
            c.relax_s += 1
        else:
            err_lines.append(f"FALSE\t{half}\t{doc.name}\t{t.text!r}\t{timeml_value(t)[0]}")
    for s, e, attrs in gold:
        hits = [t for t in sys_t if s < t.end and t.start < e]
        ctx = text[max(0, s - 40) : e + 20].replace("\n", " ")
        if not hits:
            err_lines.append(
                f"MISS\t{half}\t{doc.name}\t{text[s:e]!r}\t{attrs.get('value')}\t{ctx}"
            )
            continue
        c.relax_g += 1
        got = timeml_value(hits[0])[0]
        if (got or "") == attrs.get("value", ""):
            c.value_ok += 1
        else:
            err_lines.append(
                f"VALUE\t{half}\t{doc.name}\t{text[s:e]!r}\t{attrs.get('value')}\t"
                f"got {hits[0].text!r} {got}\t{ctx}"
            )
    return c


def evaluate(folder: Path, out: Path, errors: Path | None = None) -> dict:
    """Scores of the whole folder, and of its odd and even files ("halves")."""
    docs = read_folder(folder)
    total, halves = Counts(), {"odd": Counts(), "even": Counts()}
    err_lines: list[str] = []
    t0 = time.perf_counter()
    for i, doc in enumerate(docs, 1):
        sys_t = tag_timeml(doc.text, doc.dct, scheme=doc.scheme)
        if doc.name.endswith(".tml"):
            write_tml(out / doc.name, doc.text, sys_t, doc.dct)
        half = "odd" if i % 2 else "even"
        c = score_document(doc, sys_t, err_lines, half)
        total.add(c)
        halves[half].add(c)
    seconds = time.perf_counter() - t0
    if errors:
        errors.write_text("\n".join(sorted(err_lines)) + "\n", encoding="utf-8")
    return {
        **total.scores(),
        "files": total.files,
        "gold": total.gold,
        "system": total.system,
        "words": total.words,
        "seconds": seconds,
        "halves": {k: {**v.scores(), "files": v.files} for k, v in halves.items()},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the tagged .tml files (default: a temporary folder)",
    )
    ap.add_argument(
        "--errors", type=Path, default=None, help="write misses, false alarms and wrong values here"
    )
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="kartoteka-tempeval-"))
    out.mkdir(parents=True, exist_ok=True)
    r = evaluate(args.folder, out, args.errors)
    print(
        f"files {r['files']}  gold timexes {r['gold']}  system timexes {r['system']}  "
        f"({r['words']} words in {r['seconds']:.2f} s)"
    )
    print(f"strict   P {r['strict_p']:.4f}  R {r['strict_r']:.4f}  F1 {r['strict_f1']:.4f}")
    print(f"relaxed  P {r['relaxed_p']:.4f}  R {r['relaxed_r']:.4f}  F1 {r['relaxed_f1']:.4f}")
    print(f"value    accuracy {r['value_accuracy']:.4f}  F1 {r['value_f1']:.4f}")
    for name, h in r["halves"].items():
        print(
            f"  {name:4} half ({h['files']} files): strict F1 {h['strict_f1']:.4f}  "
            f"relaxed F1 {h['relaxed_f1']:.4f}  value accuracy {h['value_accuracy']:.4f}  "
            f"F1 {h['value_f1']:.4f}"
        )
    if any(args.folder.rglob("*.tml")):
        print(f"tagged files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
