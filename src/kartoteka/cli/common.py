"""What every command shares: the --db option, opening the store, and turning library errors
into one-line messages.

Nothing here imports a stage at module level: `import kartoteka.cli` (and so `--help` and
every command that does not annotate) must not load spaCy.
"""

from __future__ import annotations

import functools

import click

from kartoteka.store import NoStore, Store, StoreError, corpus_stages_pending, default_db_path

db_option = click.option(
    "--db",
    "db_path",
    metavar="PATH",
    default=None,
    help="The store (SQLite file). Default: $KARTOTEKA_DB, else ./kartoteka.db.",
)


class StoreProblem(click.ClickException):
    """The --db path holds no store, or something that is not one: a bad argument."""

    exit_code = 2


def open_store(db_path: str | None, *, must_exist: bool = True) -> Store:
    """Open the store. For commands that read (`must_exist`), a missing store is an error,
    not a new file, and a file that is not a kartoteka store is refused untouched; an ingest
    left unfinished by a crash is finished first (see `kartoteka.corpus.finish_interrupted`)."""
    path = db_path or default_db_path()
    try:
        store = Store.open(path, create=not must_exist)
    except NoStore:
        raise StoreProblem(
            f"{path}: no store here yet; run `kartoteka ingest PATH...` first, or choose one "
            "with --db or KARTOTEKA_DB"
        ) from None
    except StoreError as e:
        raise StoreProblem(str(e)) from e
    if must_exist and corpus_stages_pending(store) is not None:
        from kartoteka.corpus import finish_interrupted

        finish_interrupted(store, say=lambda message: click.echo(message, err=True))
    return store


def _library_errors() -> tuple[type[Exception], ...]:
    """The errors a user can act on, imported only when a command failed."""
    from kartoteka.curation import CurationError
    from kartoteka.engines import ClusterError
    from kartoteka.events.ontology import OntologyError
    from kartoteka.nlp import PipelineError
    from kartoteka.query.errors import QueryError
    from kartoteka.resolve.authority import AuthorityFileError

    return (
        StoreError,
        PipelineError,
        OntologyError,
        CurationError,
        AuthorityFileError,
        QueryError,
        ClusterError,
    )


def library_errors(command):
    """Show a library error as a one-line message instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as e:
            if isinstance(e, _library_errors()):
                raise click.ClickException(str(e)) from e
            raise

    return wrapper
