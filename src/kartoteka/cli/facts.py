"""`kartoteka contradictions`: where the sources disagree, both passages side by side."""

from __future__ import annotations

import json
import shutil
import textwrap

import click

from kartoteka.cli.common import db_option, library_errors, open_store


def _side_by_side(left: dict | None, right: dict | None, width: int) -> str:
    col = max(30, (width - 3) // 2)

    def lines(side: dict | None) -> list[str]:
        if side is None:
            return ["(telling no longer in the store)"]
        who = side.get("source") or side["name"]
        where = f"{who}, {side['name']}" if who != side["name"] else who
        head = f"{where} [{side['start']}:{side['end']}]"
        head += f"  date {side['date'] or '?'} ({side['date_source'] or 'none'})"
        if side.get("modality", "asserted") != "asserted":
            head += f"  {side['modality']}"
        body = " ".join((side["text"] or "").split())
        return textwrap.wrap(head, col) + [""] + textwrap.wrap(body, col)

    a, b = lines(left), lines(right)
    n = max(len(a), len(b))
    a += [""] * (n - len(a))
    b += [""] * (n - len(b))
    return "\n".join(f"{x:<{col}} | {y}" for x, y in zip(a, b))


@click.command("contradictions")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@library_errors
def contradictions_command(db_path, as_json):
    """List facts the sources disagree on (dates, places), both passages side by side."""
    from kartoteka.query.facts import contradictions

    with open_store(db_path) as store:
        found = contradictions(store)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No contradictions: no two sources disagree on an event's date or place.")
        return
    width = shutil.get_terminal_size((120, 20)).columns
    heading = None
    for c in found:
        if c["alternative"] and heading is None:
            heading = "Alternative accounts (one side hedged or reported):"
            click.echo(heading + "\n")
        click.echo(f"#{c['id']} {c['kind']}: {c['description']}")
        click.echo(_side_by_side(c["left"], c["right"], width))
        click.echo("")


commands = [contradictions_command]
