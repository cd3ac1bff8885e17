"""Curation commands: people decide who is who, and it lasts.

Each decision is appended to the judgement log (never rewritten) and resolution re-runs, so
the store reflects it at once and every later ingest re-applies it. `commands` lists what the
main CLI registers.
"""

from __future__ import annotations

import json

import click

from kartoteka.cli.common import db_option, library_errors, open_store

author_option = click.option(
    "--author", metavar="NAME", help="Who decides (default: your user name)."
)
note_option = click.option("--note", metavar="TEXT", help="Why, for whoever reads the log.")


@click.command("review")
@db_option
@author_option
@click.option(
    "--limit", type=click.IntRange(0, 10**9), default=0, help="Stop after this many suggestions."
)
@library_errors
def review_command(db_path, author, limit):
    """Walk the merge suggestions, best first: same / not same / unsure / skip / quit."""
    from kartoteka.curation import decide_suggestion
    from kartoteka.query.review import review_queue

    with open_store(db_path) as store:
        seen = 0
        skipped: set[tuple[str, str]] = set()
        while not (limit and seen >= limit):
            queue = review_queue(store, limit=1, skip=skipped, alias_limit=None)
            if not queue["items"]:
                break
            s = queue["items"][0]
            seen += 1
            click.echo(_describe_suggestion(s))
            answer = click.prompt(
                "  same? [y]es / [n]o / [u]nsure / [s]kip / [q]uit",
                type=click.Choice(["y", "n", "u", "s", "q"]),
                default="s",
                show_choices=False,
            )
            if answer == "q":
                break
            if answer == "s":  # a skip leaves no trace in the log
                skipped.add((s["left"]["key"], s["right"]["key"]))
                continue
            decision = {"y": "same", "n": "not_same", "u": "unsure"}[answer]
            decide_suggestion(store, s["id"], decision, fingerprint=s["fingerprint"], author=author)
        click.echo(f"{seen} suggestion(s) seen", err=True)


def _describe_suggestion(s: dict) -> str:
    left, right = s["left"], s["right"]
    why = ", ".join(f"{k}={v}" for k, v in s["features"].items())
    return "\n".join(
        [
            f"\n[{s['score']:.2f}] {left['name']} ({left['key']})  ~  "
            f"{right['name']} ({right['key']})",
            f"  left:  {', '.join(a['name'] for a in left['aliases'])}",
            f"  right: {', '.join(a['name'] for a in right['aliases'])}",
            f"  why:   {why}",
        ]
    )


@click.command("merge")
@click.argument("left")
@click.argument("right")
@db_option
@author_option
@note_option
@library_errors
def merge_command(left, right, db_path, author, note):
    """Record that entities LEFT and RIGHT (key, id or name) are one."""
    from kartoteka.curation import merge

    with open_store(db_path) as store:
        merge(store, left, right, author=author, note=note)
        click.echo(f"merged {left} and {right}", err=True)


@click.command("not-same")
@click.argument("left")
@click.argument("right")
@db_option
@author_option
@note_option
@library_errors
def not_same_command(left, right, db_path, author, note):
    """Record that entities LEFT and RIGHT are different and must never merge."""
    from kartoteka.curation import keep_apart

    with open_store(db_path) as store:
        keep_apart(store, left, right, author=author, note=note)
        click.echo(f"{left} and {right} kept apart", err=True)


@click.command("split")
@click.argument("entity")
@click.argument("aliases", nargs=-1, required=True)
@db_option
@author_option
@note_option
@library_errors
def split_command(entity, aliases, db_path, author, note):
    """Split the mentions named ALIASES off ENTITY into an entity of their own."""
    from kartoteka.curation import split_entity

    with open_store(db_path) as store:
        split_entity(store, entity, aliases, author=author, note=note)
        click.echo(f"split {', '.join(aliases)} off {entity}", err=True)


@click.command("rename")
@click.argument("entity")
@click.argument("name")
@db_option
@author_option
@note_option
@library_errors
def rename_command(entity, name, db_path, author, note):
    """Give ENTITY the canonical name NAME (kept across re-runs)."""
    from kartoteka.curation import rename

    with open_store(db_path) as store:
        rename(store, entity, name, author=author, note=note)
        click.echo(f"{entity} is now called {' '.join(name.split())}", err=True)


@click.command("judgements")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the log as JSON.")
@library_errors
def judgements_command(db_path, as_json):
    """Show the judgement log (append-only), oldest first."""
    from kartoteka.query.review import judgement_log

    with open_store(db_path) as store:
        log = judgement_log(store)
    if as_json:
        click.echo(json.dumps(log, ensure_ascii=False, indent=2))
        return
    for j in log:
        left = "; ".join(f"{name} ({doc or '*'})" for doc, name in j["left"][:3])
        right = "; ".join(f"{name} ({doc or '*'})" for doc, name in j["right"][:3])
        extra = f" -> {j['value']}" if j["value"] else ""
        if j["ambiguous"]:
            files = ", ".join(sorted({doc for doc, _name in j["ambiguous"]}))
            extra += f"  [not applied: {files} may be any of several documents]"
        click.echo(
            f"{j['id']}\t{j['created_at']}\t{j['author']}\t{j['kind']}\t{left}"
            + (f"  |  {right}" if right else "")
            + extra
        )


@click.group("authority")
def authority_group():
    """Authority files: known entities with their variant names and identifiers."""


@authority_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
@library_errors
def authority_load_command(file, db_path):
    """Load FILE (CSV or JSON: canonical, type, variants, identifier) and re-resolve."""
    from kartoteka.curation import load_authorities

    with open_store(db_path, must_exist=False) as store:
        count = load_authorities(store, file)
        click.echo(f"{count} authority entries loaded from {file}", err=True)


commands = [
    review_command,
    merge_command,
    not_same_command,
    split_command,
    rename_command,
    judgements_command,
    authority_group,
]
