"""What every command shares: the --db option and turning library errors into messages."""

from __future__ import annotations

import functools

import click

from kartoteka.store import Store, StoreError, default_db_path

db_option = click.option(
    "--db",
    "db_path",
    metavar="PATH",
    default=None,
    help="The store (SQLite file). Default: $KARTOTEKA_DB, else ./kartoteka.db.",
)


def open_store(db_path: str | None, *, must_exist: bool = True) -> Store:
    """Open the store; for reading commands, a missing store is an error, not a new file."""
    import os

    path = db_path or default_db_path()
    if must_exist and path != ":memory:" and not os.path.exists(path):
        raise click.ClickException(
            f"{path}: no store here yet; run `kartoteka ingest PATH...` first, or choose one "
            "with --db or KARTOTEKA_DB"
        )
    try:
        return Store.open(path)
    except StoreError as e:
        raise click.ClickException(str(e)) from e


def library_errors(command):
    """Show a library error as a one-line message instead of a traceback."""
    from kartoteka.events.ontology import OntologyError
    from kartoteka.nlp import PipelineError
    from kartoteka.resolve.authority import AuthorityFileError
    from kartoteka.store.resolution import ResolutionError

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (StoreError, PipelineError, OntologyError, ResolutionError, AuthorityFileError) as e:
            raise click.ClickException(str(e)) from e

    return wrapper
