"""`kartoteka entities` and `kartoteka show`: the index and its cards."""

from __future__ import annotations

import json

import click

from kartoteka.cli.common import db_option, open_store
from kartoteka.query.cards import card, entity_list, find_entities


@click.command("entities")
@db_option
@click.option(
    "--type",
    "entity_type",
    type=click.Choice(["PER", "ORG", "PLACE"], case_sensitive=False),
    help="Only entities of this type.",
)
@click.option("--limit", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def entities_command(db_path, entity_type, limit, as_json):
    """List the entities of the index with their mention and document counts."""
    with open_store(db_path) as store:
        rows = entity_list(store, type=entity_type, limit=limit)
        aliases = {}
        for r in store.conn.execute("SELECT entity_id, alias FROM aliases ORDER BY count DESC"):
            aliases.setdefault(r[0], []).append(r[1])
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


@click.command("show")
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The card as JSON.")
def show_command(name, db_path, as_json):
    """Show the card of the entity NAME (a name, an alias or an id)."""
    with open_store(db_path) as store:
        found = find_entities(store, name)
        if not found:
            raise click.ClickException(f"no entity answers to {name!r}; see `kartoteka entities`")
        if len(found) > 1 and found[0]["name"].lower() != name.lower():
            lines = "\n".join(f"  {e['id']:>5}  {e['type']:5}  {e['name']}" for e in found[:20])
            raise click.ClickException(f"{name!r} fits several entities; give an id:\n{lines}")
        data = card(store, found[0]["id"])
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
        docs = ", ".join(d["name"] for d in a["documents"])
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
            out += [f"      “{_one_line(ev['text'])}” ({ev['name']})" for ev in r["evidence"][:2]]
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
            out += [f"      “{_one_line(p['text'])}” ({p['name']})" for p in ev["evidence"][:2]]
    for doc in data["documents"]:
        out += ["", f"In {doc['name']}" + (f" — {doc['title']}" if doc.get("title") else "") + ":"]
        for m in doc["mentions"]:
            s = m["sentence"]
            if s["text"] is None:
                out.append(f"  [{m['start']}-{m['end']}] {m['text']}")
                continue
            a, b = m["start"] - s["start"], m["end"] - s["start"]
            text = s["text"][:a] + "[" + s["text"][a:b] + "]" + s["text"][b:]
            out.append(f"  [{m['start']}-{m['end']}] " + _one_line(text))
    return "\n".join(out)


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
def timeline_command(db_path, entity, start, end, events_only, as_json):
    """What happened, in date order across documents, with the source of each line."""
    from kartoteka.query.timeline import timeline

    with open_store(db_path) as store:
        entity_id = None
        if entity:
            found = find_entities(store, entity)
            if not found:
                raise click.ClickException(f"no entity answers to {entity!r}")
            entity_id = found[0]["id"]
        try:
            lines = timeline(
                store, entity_id=entity_id, start=start, end=end, dated_statements=not events_only
            )
        except ValueError as e:
            raise click.ClickException(f"{e}; give dates in EDTF, e.g. 1937 or 1937-06") from e
    for line in lines:
        if as_json:
            click.echo(json.dumps(line, ensure_ascii=False))
            continue
        source = ", ".join(sorted({e["name"] for e in line["evidence"]}))
        written = f"“{line['written']}”" if line.get("written") else ""
        click.echo(f"{line['date']:<16} {written:<34} {line['label'][:110]}  [{source}]")
