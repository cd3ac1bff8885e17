"""TEI P5: one file per document, its original text with the names and dates marked.

Each file is a `TEI` in the TEI namespace with a header (title, source file), a `standOff`
holding a `listPerson`, `listOrg` and `listPlace` of the entities the document names (each
with its canonical name, aliases and authority identifier, `xml:id` "e" + entity id), and the
text: paragraphs (`p`, at blank lines) with `persName`, `orgName`, `placeName` (`ref` to the
entity) and `date` (`when` for a day, month or year; `notBefore`/`notAfter` for anything
else, with the EDTF value in `ana`) around the very characters of the source, and `pb n=` at
every page break of a paged source. A name or date that would cross a paragraph or overlap
another is left unmarked (TEI elements nest).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lxml import etree

from kartoteka.export.json import export_data
from kartoteka.query.passages import document_texts, page_maps
from kartoteka.store import Store

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NAME_TAGS = {"PER": "persName", "ORG": "orgName", "PLACE": "placeName"}
LIST_TAGS = {
    "PER": ("listPerson", "person"),
    "ORG": ("listOrg", "org"),
    "PLACE": ("listPlace", "place"),
}
# xs:gYear, xs:gYearMonth, xs:date (not an EDTF season: "1937-22" is summer 1937)
_W3C_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


#: a date TEI's @when takes as it is (xs:gYear, xs:gYearMonth, xs:date)
_ISO_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
EDTF_SPEC = "https://www.loc.gov/standards/datetime/"


def _el(tag: str, parent=None, text: str | None = None, **attrs):
    element = (
        etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
        if parent is not None
        else etree.Element(f"{{{TEI_NS}}}{tag}", nsmap={None: TEI_NS})
    )
    for key, value in attrs.items():
        if value is not None:
            element.set(XML_ID if key == "xml_id" else key, str(value))
    if text is not None:
        element.text = text
    return element


def _append(parent, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _marks(doc_id: int, data: dict, by_doc_mentions: dict) -> list[tuple[int, int, str, dict]]:
    marks = [
        (m["start"], m["end"], NAME_TAGS[entity["type"]], {"ref": f"#e{entity['id']}"})
        for entity, m in by_doc_mentions[doc_id]
    ]
    for t in data["timexes"]:
        if t["doc"] != doc_id or t["type"] not in ("DATE", "TIME") or not t.get("value"):
            continue
        if _W3C_DATE.fullmatch(t["value"]):
            attrs = {"when": t["value"]}
        elif t.get("lower") or t.get("upper"):
            attrs = {"notBefore": t.get("lower"), "notAfter": t.get("upper"), "ana": t["value"]}
        else:
            continue
        marks.append((t["start"], t["end"], "date", attrs))
    kept, last_end = [], -1
    for mark in sorted(marks, key=lambda m: (m[0], -m[1])):
        if mark[0] >= last_end and mark[1] > mark[0]:
            kept.append(mark)
            last_end = mark[1]
    return kept


def _source_desc(source_desc: etree._Element, document: dict, authors: list[str]) -> None:
    """The source: a `bibl` of what its metadata says (author, title, date as EDTF in
    `when-custom`, kind, reliability as a note), and the file it was read from."""
    bibl = _el("bibl", source_desc)
    for author in authors:
        _el("author", bibl, author)
    if document.get("title"):
        _el("title", bibl, document["title"])
    date = document.get("date")
    if date and _ISO_DATE.fullmatch(date):
        _el("date", bibl, date, when=date)
    elif date:  # uncertain, approximate or partly known: EDTF, which TEI's @when cannot hold
        _el("date", bibl, date, **{"when-custom": date, "datingMethod": EDTF_SPEC})
    if document.get("kind"):
        bibl.set("type", document["kind"])
    if document.get("reliability"):
        _el("note", bibl, document["reliability"], type="reliability")
    _el("idno", bibl, f"{document['name']} (sha256 {document['sha256']})", type="file")


def tei_document(document: dict, text: str, data: dict, mentioned: list, breaks) -> etree._Element:
    tei = _el("TEI")
    header = _el("teiHeader", tei)
    file_desc = _el("fileDesc", header)
    title_stmt = _el("titleStmt", file_desc)
    _el("title", title_stmt, document.get("title") or document["name"])
    authors = [a.strip() for a in (document.get("author") or "").split(";") if a.strip()]
    for author in authors:
        _el("author", title_stmt, author)
    _el(
        "p",
        _el("publicationStmt", file_desc),
        "Exported by kartoteka: names and dates marked by machine.",
    )
    _source_desc(_el("sourceDesc", file_desc), document, authors)

    stand_off = _el("standOff", tei)
    entities = {entity["id"]: entity for entity, _ in mentioned}
    for kind, (list_tag, item_tag) in LIST_TAGS.items():
        chosen = [e for e in entities.values() if e["type"] == kind]
        if not chosen:
            continue
        listing = _el(list_tag, stand_off)
        for entity in sorted(chosen, key=lambda e: e["id"]):
            item = _el(item_tag, listing, xml_id=f"e{entity['id']}")
            _el(NAME_TAGS[kind], item, entity["name"], type="main")
            for alias in entity["aliases"]:
                if alias != entity["name"]:
                    _el(NAME_TAGS[kind], item, alias, type="alias")
            if entity.get("identifier"):
                _el("idno", item, entity["identifier"], type="authority")

    body = _el("body", _el("text", tei))
    marks = _marks(document["id"], data, {document["id"]: mentioned})
    page_starts = [(start, number) for start, number in (breaks or [])]
    cuts = [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text)), len(text)]
    mark_i = page_i = 0
    for start, end in zip(cuts, cuts[1:]):
        if start == end:
            continue
        p = _el("p", body)
        pos = start
        while True:
            next_mark = marks[mark_i] if mark_i < len(marks) else None
            next_page = page_starts[page_i] if page_i < len(page_starts) else None
            mark_at = next_mark[0] if next_mark and next_mark[0] < end else None
            page_at = next_page[0] if next_page and next_page[0] < end else None
            if mark_at is None and page_at is None:
                break
            if (
                next_page is not None
                and page_at is not None
                and (mark_at is None or page_at <= mark_at)
            ):
                _append(p, text[pos : max(page_at, pos)])
                pos = max(page_at, pos)
                _el("pb", p, n=next_page[1])
                page_i += 1
                continue
            assert next_mark is not None  # mark_at is set, so there is a mark
            m_start, m_end, tag, attrs = next_mark
            mark_i += 1
            if m_start < pos or m_end > end:
                continue  # crosses a paragraph (or a page break already written): unmarked
            if any(pos <= s < m_end and s > m_start for s, _ in page_starts[page_i:]):
                continue  # a page break inside a name: leave the name unmarked
            _append(p, text[pos:m_start])
            _el(tag, p, text[m_start:m_end], **attrs)
            pos = m_end
        _append(p, text[pos:end])
    return tei


def write_tei(store: Store, folder: Path) -> list[Path]:
    data = export_data(store)
    texts = document_texts(store)
    maps = page_maps(store)
    mentioned: dict[int, list] = defaultdict(list)
    for entity in data["entities"]:
        for m in entity["mentions"]:
            mentioned[m["doc"]].append((entity, m))
    written = []
    for document in data["documents"]:
        pages = maps.get(document["id"])
        tei = tei_document(
            document,
            texts.get(document["id"], ""),
            data,
            mentioned[document["id"]],
            pages.breaks() if pages else None,
        )
        stem = _UNSAFE_NAME.sub("_", Path(document["name"]).stem)
        path = folder / f"{document['id']:04d}-{stem}.tei.xml"
        etree.ElementTree(tei).write(str(path), xml_declaration=True, encoding="UTF-8")
        written.append(path)
    return written
