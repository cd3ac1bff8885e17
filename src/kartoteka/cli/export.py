"""`kartoteka export` and `kartoteka evaluate`."""

from __future__ import annotations

import json

import click

from kartoteka.cli.common import db_option, library_errors, open_store


@click.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "gexf", "graphml", "csv", "timelinejs", "ftm", "tei"]),
    default="json",
    show_default=True,
    help="json (the contract), gexf and graphml (Gephi, Cytoscape), csv (a folder of tables),"
    " timelinejs, ftm (FollowTheMoney JSON lines, for Aleph), tei (a folder, one TEI P5 file"
    " per document).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(),
    default="-",
    help="Write to this file instead of standard output; a folder for csv and tei.",
)
@library_errors
def export_command(db_path, fmt, output):
    """Export the whole index (see docs/export.md for the formats)."""
    from kartoteka.export import check_output, write_export
    from kartoteka.export.ftm import MissingDependency

    check_output(fmt, output)  # before the store is read: a typo costs nothing
    with open_store(db_path) as store:
        try:
            write_export(store, fmt, output)
        except MissingDependency as e:
            raise click.ClickException(str(e)) from e


@click.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--verbose", "-v", is_flag=True, help="Also list what was missed.")
@click.option("--json", "as_json", is_flag=True, help="The measures as JSON.")
@library_errors
def evaluate_command(gold, db_path, verbose, as_json):
    """Score the store against a GOLD file (dossier-gold/1) and print the measures."""
    from kartoteka.evaluate import evaluate_store, format_measures

    with open_store(db_path) as store:
        measures, details = evaluate_store(store, gold)
    click.echo(json.dumps(measures, indent=2) if as_json else format_measures(measures))
    if verbose:
        for what, items in details.items():
            click.echo(f"{what}: {items}", err=True)
