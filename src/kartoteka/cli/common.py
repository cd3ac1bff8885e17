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


class Refused(click.ClickException):
    """Bad input: a name no entity answers to, a file that cannot be read or written, a
    store that is not one. One line on stderr and exit status 2, as for a bad option."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(one_line(message))


class StoreProblem(Refused):
    """The --db path holds no store, or something that is not one: a bad argument."""


#: A message longer than this quotes something huge the user typed: its middle goes.
MAX_MESSAGE = 400


def one_line(message: str) -> str:
    """A message as one short line: its lines joined (a list of candidates, a parser's
    report), and its middle cut if it quotes something huge, keeping what to do at its end.

    >>> one_line("no entity\\n  12 Smith\\n")
    'no entity; 12 Smith'
    >>> len(one_line("not a date: " + "x" * 50_000 + "; give EDTF")) <= MAX_MESSAGE
    True
    """
    line = "; ".join(part.strip() for part in str(message).splitlines() if part.strip())
    if len(line) <= MAX_MESSAGE:
        return line
    keep = (MAX_MESSAGE - 30) // 2
    return f"{line[:keep]} …({len(line) - 2 * keep} characters)… {line[-keep:]}"


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


def _setup_errors() -> tuple[type[Exception], ...]:
    """What the installation or the machine lacks: the spaCy pipeline, a reachable cluster."""
    from kartoteka.engines import ClusterError
    from kartoteka.nlp import PipelineError

    return (PipelineError, ClusterError)


def _input_errors() -> tuple[type[Exception], ...]:
    """The library's errors that say the input was bad (imported only when a command failed)."""
    from kartoteka.curation import CurationError
    from kartoteka.evaluate import GoldError
    from kartoteka.events.ontology import OntologyError
    from kartoteka.export import ExportError
    from kartoteka.query.errors import QueryError
    from kartoteka.resolve.authority import AuthorityFileError

    return (
        StoreError,
        OntologyError,
        CurationError,
        AuthorityFileError,
        QueryError,
        ExportError,
        GoldError,
    )


def library_errors(command):
    """Show a library error as one line instead of a traceback: exit status 2 for bad input
    (a name, a file, a value), 1 for what the installation lacks (the spaCy pipeline, a
    reachable Dask cluster)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as e:
            if isinstance(e, _setup_errors()):
                raise click.ClickException(one_line(str(e))) from e
            if isinstance(e, _input_errors()):
                raise Refused(str(e)) from e
            raise

    return wrapper
