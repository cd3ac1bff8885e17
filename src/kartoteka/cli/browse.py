"""`kartoteka entities` and `kartoteka show`: the index and its cards."""

from __future__ import annotations

import json

import click

from kartoteka.cli.common import Refused, db_option, library_errors, open_store
from kartoteka.query.cards import aliases_by_entity, card, entity_list, find_entities, the_entity
from kartoteka.query.documents import document_list
from kartoteka.query.errors import Ambiguous, NotFound, asked_name, shown


@click.command("entities")
@db_option
@click.option(
    "--type",
    "entity_type",
    type=click.Choice(["PER", "ORG", "PLACE"], case_sensitive=False),
    help="Only entities of this type.",
)
@click.option("--limit", type=click.IntRange(0, 10**9), default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@library_errors
def entities_command(db_path, entity_type, limit, as_json):
    """List the entities of the index with their mention and document counts."""
    with open_store(db_path) as store:
        rows = entity_list(store, type=entity_type, limit=limit)
        aliases = aliases_by_entity(store)
    if as_json:
        for row in rows:
            click.echo(
                json.dumps({**row, "aliases": aliases.get(row["id"], [])}, ensure_ascii=False)
            )
        return
    click.echo(f"{'id':>5}  {'type':5}  {'mentions':>8}  {'docs':>4}  name (aliases)")
    for row in rows:
        others = [a for a in aliases.get(row["id"], []) if a != row["name"]]
        extra = f"  ({', '.join(others[:6])}{', ...' if len(others) > 6 else ''})" if others else ""
        ident = f" [{row['identifier']}]" if row["identifier"] else ""
        click.echo(
            f"{row['id']:>5}  {row['type']:5}  {row['mention_count']:>8}  "
            f"{row['doc_count']:>4}  {row['name']}{ident}{extra}"
        )


@click.command("documents")
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@library_errors
def documents_command(db_path, as_json):
    """List the documents with what is known of each source: title, author, date, kind and
    reliability (from a sources.csv or CSL-JSON beside the files, or the file itself), and
    the label passages are shown with ("Dewar 1951")."""
    with open_store(db_path) as store:
        rows = document_list(store, limit=None)["documents"]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(f"{'id':>5}  {'words':>6}  {'names':>5}  document (source): title")
    for row in rows:
        source = f" ({row['source']})" if row["source"] != row["name"] else ""
        title = f": {row['title']}" if row["title"] else ""
        click.echo(
            f"{row['id']:>5}  {row['words']:>6}  {row['mentions']:>5}  {row['name']}{source}{title}"
        )
        about = [
            row["kind"],
            row["date"] and f"dated {row['date']}",
            row["as_of"] and row["as_of"] != row["date"] and f"as of {row['as_of']}",
            row["reliability"] and f"reliability: {row['reliability']}",
            row["metadata_from"] and f"from {row['metadata_from']}",
        ]
        if any(about):
            click.echo(" " * 23 + " · ".join(a for a in about if a))


@click.command("show")
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The card as JSON.")
@library_errors
def show_command(name, db_path, as_json):
    """Show the card of the entity NAME (a name, an alias or an id)."""
    with open_store(db_path) as store:
        try:
            entity = the_entity(store, name)
        except NotFound:
            raise Refused(f"no entity answers to {shown(name)}; see `kartoteka entities`") from None
        except Ambiguous as e:
            listed = ", ".join(f"{c['id']} {shown(c['name'], 40)}" for c in e.candidates[:10])
            more = f" and {len(e.candidates) - 10} more" if len(e.candidates) > 10 else ""
            raise Refused(
                f"{shown(name)} fits several entities ({listed}{more}); give an id"
            ) from None
        data = card(store, entity["id"])
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(format_card(data))


def format_card(data: dict) -> str:
    e = data["entity"]
    out = [
        f"{e['name']}  ({e['type']}, id {e['id']}"
        + (f", {e['identifier']}" if e.get("identifier") else "")
        + ")",
        f"{e['mention_count']} mentions in {e['doc_count']} "
        f"document{'s' if e['doc_count'] != 1 else ''}",
        "",
        "Aliases:",
    ]
    for a in data["aliases"]:
        docs = ", ".join(d.get("label") or d["name"] for d in a["documents"])
        out.append(f"  {a['name']} ×{a['count']}  ({docs})")
    if data.get("stated_aliases"):
        out += ["", "Stated in the sources:"]
        for s in data["stated_aliases"]:
            out.append(f"  {s['name']} for {s['of']} ({s['cue']}) in {s['doc_name']}:")
            out.append(f"      “{_one_line(s['passage'])}”")
    if data.get("relations"):
        out += ["", "Relations:"]
        for r in data["relations"]:
            out.append(f"  {r['subject']['name']} {r['predicate']} {r['object']['name']}")
            out += [f"      {_said(ev)}" for ev in r["evidence"][:2]]
    if data.get("events"):
        out += ["", "Events:"]
        for ev in data["events"]:
            roles = "; ".join(
                f"{role}: {', '.join(e['name'] for e in members)}"
                for role, members in ev["roles"].items()
                if members
            )
            place = f" in {ev['place']['name']}" if ev.get("place") else ""
            sources = f", {ev['sources']} sources" if ev["sources"] > 1 else ""
            out.append(f"  {ev.get('date') or '?':12} {ev['type']}{place} ({roles}{sources})")
            out += [f"      {_said(p)}" for p in ev["evidence"][:2]]
    for doc in data["documents"]:
        name = _doc(doc)
        source = f"{doc['source']}, {name}" if doc.get("source") not in (None, name) else name
        out += ["", f"In {source}" + (f" — {doc['title']}" if doc.get("title") else "") + ":"]
        for m in doc["mentions"]:
            s = m["sentence"]
            if s["text"] is None:
                out.append(f"  [{m['start']}-{m['end']}] {m['text']}")
                continue
            a, b = m["start"] - s["start"], m["end"] - s["start"]
            text = s["text"][:a] + "[" + s["text"][a:b] + "]" + s["text"][b:]
            out.append(f"  [{m['start']}-{m['end']}] " + _one_line(text))
    return "\n".join(out)


def _said(passage: dict) -> str:
    """Who says what: "Dewar 1951: “…”" (the document's label when the author is unknown)."""
    return f"{passage.get('source') or _doc(passage)}: “{_one_line(passage['text'] or '')}”"


def _doc(item: dict) -> str:
    """What to call the document of a passage or card section ("a/notes.txt" where two
    folders hold a notes.txt)."""
    return item.get("label") or item.get("name") or f"document {item.get('doc') or item.get('id')}"


def _one_line(text: str, width: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command("timeline")
@db_option
@click.option("--entity", metavar="NAME", help="Only lines about this entity (name, alias or id).")
@click.option(
    "--from", "start", metavar="DATE", help="Only from this date on (EDTF: 1937, 1937-06)."
)
@click.option("--to", "end", metavar="DATE", help="Only up to this date (EDTF).")
@click.option("--events-only", is_flag=True, help="Leave out dated statements that are not events.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
@library_errors
def timeline_command(db_path, entity, start, end, events_only, as_json):
    """What happened, in date order across documents, with the source of each line."""
    from kartoteka.query.timeline import timeline

    with open_store(db_path) as store:
        entity_id = None
        if entity is not None:
            found = find_entities(store, asked_name(entity, "entity"))  # the most mentioned
            if not found:
                raise Refused(f"no entity answers to {shown(entity)}; see `kartoteka entities`")
            entity_id = found[0]["id"]
        lines = timeline(
            store, entity_id=entity_id, start=start, end=end, dated_statements=not events_only
        )
    for line in lines:
        if as_json:
            click.echo(json.dumps(line, ensure_ascii=False))
            continue
        source = ", ".join(sorted({e.get("source") or _doc(e) for e in line["evidence"]}))
        written = f"“{line['written']}”" if line.get("written") else ""
        click.echo(f"{line['date']:<16} {written:<34} {line['label'][:110]}  [{source}]")
