"""The command line: a thin layer over the library, one module per command group."""

from __future__ import annotations

import importlib

import click

from kartoteka import __version__

# (module, attribute): a command, or a list of commands. Command modules keep their heavy
# imports (spaCy, the web server) inside the command functions, so building the group is cheap.
COMMANDS = [
    ("kartoteka.cli.ingest", "ingest_command"),
    ("kartoteka.cli.browse", "entities_command"),
    ("kartoteka.cli.browse", "documents_command"),
    ("kartoteka.cli.browse", "show_command"),
    ("kartoteka.cli.browse", "timeline_command"),
    ("kartoteka.cli.export", "export_command"),
    ("kartoteka.cli.export", "evaluate_command"),
    ("kartoteka.cli.timex", "timex_command"),
    ("kartoteka.cli.curate", "commands"),
    ("kartoteka.cli.facts", "commands"),
    ("kartoteka.cli.web", "commands"),
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kartoteka")
def main():
    """kartoteka: a sourced card index of the people, organizations, places, dates and
    events in your sources."""


for module_name, attribute in COMMANDS:
    found = getattr(importlib.import_module(module_name), attribute)
    for command in found if isinstance(found, list) else [found]:
        main.add_command(command)
