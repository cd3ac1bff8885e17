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
@click.option("--limit", type=int, default=0, help="Stop after this many suggestions.")
@library_errors
def review_command(db_path, author, limit):
    """Walk the merge suggestions, best first: same / not same / unsure / skip / quit."""
    from kartoteka.store.resolution import judge_suggestion, pending_suggestions

    store = open_store(db_path)
    with store:
        seen = 0
        skipped: set[tuple[str, str]] = set()
        while True:
            pending = pending_suggestions(store, exclude=skipped)
            if not pending or (limit and seen >= limit):
                break
            s = pending[0]
            seen += 1
            click.echo(
                f"\n[{s['score']:.2f}] {s['left_name']} ({s['left_key']})  ~  "
                f"{s['right_name']} ({s['right_key']})"
            )
            click.echo(f"  left:  {', '.join(s['left_aliases'])}")
            click.echo(f"  right: {', '.join(s['right_aliases'])}")
            click.echo(
                "  why:   "
                + ", ".join(
                    f"{k}={v}"
                    for k, v in s["features"].items()
                    if k not in ("left_refs", "right_refs")
                )
            )
            answer = click.prompt(
                "  same? [y]es / [n]o / [u]nsure / [s]kip / [q]uit",
                type=click.Choice(["y", "n", "u", "s", "q"]),
                default="s",
                show_choices=False,
            )
            if answer == "q":
                break
            if answer == "s":
                skipped.add((s["left_key"], s["right_key"]))  # a skip leaves no trace in the log
                continue
            kind = {"y": "same", "n": "not_same", "u": "unsure"}[answer]
            judge_suggestion(store, s, kind, author)
        click.echo(f"{seen} suggestion(s) seen", err=True)


@click.command("merge")
@click.argument("left")
@click.argument("right")
@db_option
@author_option
@note_option
@library_errors
def merge_command(left, right, db_path, author, note):
    """Record that entities LEFT and RIGHT (key, id or name) are one."""
    from kartoteka.store.resolution import judge_entities

    with open_store(db_path) as store:
        judge_entities(store, "same", left, right, author=author, note=note)
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
    from kartoteka.store.resolution import judge_entities

    with open_store(db_path) as store:
        judge_entities(store, "not_same", left, right, author=author, note=note)
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
    from kartoteka.store.resolution import split_entity

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
    from kartoteka.store.resolution import judge_entities

    with open_store(db_path) as store:
        judge_entities(store, "rename", entity, value=name, author=author, note=note)
        click.echo(f"{entity} is now called {name}", err=True)


@click.command("judgements")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the log as JSON.")
@library_errors
def judgements_command(db_path, as_json):
    """Show the judgement log (append-only), oldest first."""
    from kartoteka.store.resolution import read_judgements

    with open_store(db_path) as store:
        log = read_judgements(store)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": j.id,
                        "kind": j.kind,
                        "left": [r.to_json() for r in j.left],
                        "right": [r.to_json() for r in j.right],
                        "value": j.value,
                        "author": j.author,
                        "created_at": j.created_at,
                        "note": j.note,
                    }
                    for j in log
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for j in log:
        left = "; ".join(f"{r.name} ({r.doc or '*'})" for r in j.left[:3])
        right = "; ".join(f"{r.name} ({r.doc or '*'})" for r in j.right[:3])
        extra = f" -> {j.value}" if j.value else ""
        click.echo(
            f"{j.id}\t{j.created_at}\t{j.author}\t{j.kind}\t{left}"
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
    from kartoteka.store.resolution import load_authorities

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
