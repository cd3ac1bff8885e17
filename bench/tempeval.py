"""TempEval-3 style evaluation of kartoteka's time tagger on a folder of TimeML files.

    .venv/bin/python bench/tempeval.py /work/shared/data/tempeval3/TBAQ-cleaned [--out DIR]
        [--errors FILE]

Each file's DCT is the reference time (as_of). Prints strict and relaxed extraction P/R/F1
and value F1 the way TempEval-3 scored them: relaxed match = any overlap; value F1 = relaxed
F1 x value accuracy over the relaxed matches. Writes our TIMEX3s into copies of the files
under --out (default: a temporary folder), and with --errors every miss, false alarm and
wrong value to a file for study.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
import time
from pathlib import Path

from kartoteka.time import tag_timeml
from kartoteka.time.values import edtf_to_timex3

TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*?)(/?)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path):
    """(text, gold timexes [(start, end, attrs)], dct value) from a TimeML file's TEXT."""
    raw = path.read_text(encoding="utf-8")
    dct_m = re.search(r'<DCT>.*?value="([^"]+)"', raw, re.S)
    dct = dct_m.group(1) if dct_m else None
    a = raw.index("<TEXT>") + len("<TEXT>")
    b = raw.index("</TEXT>")
    body = raw[a:b]
    out, gold, pos, open_t = [], [], 0, None
    n = 0
    for m in TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        out.append(chunk)
        n += len(chunk)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_t = (n, dict(ATTR.findall(m.group(3))))
        elif open_t:
            gold.append((open_t[0], n, open_t[1]))
            open_t = None
    out.append(html.unescape(body[pos:]))
    return "".join(out), gold, dct


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


def evaluate(folder: Path, out: Path, errors: Path | None = None) -> dict:
    files = sorted(folder.rglob("*.tml"))
    if not files:
        raise SystemExit(f"no .tml files under {folder}")
    n_gold = n_sys = strict_g = strict_s = relax_g = relax_s = value_ok = value_n = 0
    err_lines = []
    t0 = time.perf_counter()
    words = 0
    for path in files:
        text, gold, dct = read_tml(path)
        words += len(text.split())
        sys_t = tag_timeml(text, dct)
        write_tml(out / path.name, text, sys_t, dct)
        n_gold += len(gold)
        n_sys += len(sys_t)
        spans = {(t.start, t.end) for t in sys_t}
        gspans = {(s, e) for s, e, _ in gold}
        strict_g += sum((s, e) in spans for s, e, _ in gold)
        strict_s += sum((t.start, t.end) in gspans for t in sys_t)
        for t in sys_t:
            if any(s < t.end and t.start < e for s, e, _ in gold):
                relax_s += 1
            else:
                err_lines.append(f"FALSE\t{path.name}\t{t.text!r}\t{timeml_value(t)[0]}")
        for s, e, attrs in gold:
            hits = [t for t in sys_t if s < t.end and t.start < e]
            ctx = text[max(0, s - 40) : e + 20].replace("\n", " ")
            if not hits:
                err_lines.append(f"MISS\t{path.name}\t{text[s:e]!r}\t{attrs.get('value')}\t{ctx}")
                continue
            relax_g += 1
            value_n += 1
            got = timeml_value(hits[0])[0]
            if got == attrs.get("value"):
                value_ok += 1
            else:
                err_lines.append(
                    f"VALUE\t{path.name}\t{text[s:e]!r}\t{attrs.get('value')}\t"
                    f"got {hits[0].text!r} {got}\t{ctx}"
                )
    seconds = time.perf_counter() - t0
    sp, sr = strict_s / max(n_sys, 1), strict_g / max(n_gold, 1)
    rp, rr = relax_s / max(n_sys, 1), relax_g / max(n_gold, 1)
    acc = value_ok / max(value_n, 1)
    if errors:
        errors.write_text("\n".join(sorted(err_lines)) + "\n", encoding="utf-8")
    return {
        "files": len(files),
        "gold": n_gold,
        "system": n_sys,
        "strict_p": sp,
        "strict_r": sr,
        "strict_f1": f1(sp, sr),
        "relaxed_p": rp,
        "relaxed_r": rr,
        "relaxed_f1": f1(rp, rr),
        "value_accuracy": acc,
        "value_f1": f1(rp, rr) * acc,
        "seconds": seconds,
        "words": words,
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
    print(f"tagged files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
