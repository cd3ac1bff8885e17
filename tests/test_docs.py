"""A command or option that is not documented fails the tests (as in sqlite-utils)."""

from pathlib import Path

import click
import pytest

from kartoteka.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(group=main, prefix="kartoteka"):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


@pytest.mark.parametrize("name, command", list(_commands()), ids=lambda x: str(x))
def test_every_command_and_option_is_in_docs_cli(name, command):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = text.partition(f"## `{name}`")[2].partition("\n## ")[0]
    assert section, f"docs/cli.md has no section for `{name}`"
    for option in (p for p in command.params if isinstance(p, click.Option)):
        assert any(f"`{o}`" in section for o in option.opts), (name, option.opts)


def test_the_readme_opens_with_the_two_commands():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    head = readme[:400]
    assert "make demo" in head and "make test" in head


def test_the_export_contract_names_every_top_level_key():
    text = (DOCS / "export.md").read_text(encoding="utf-8")
    for key in (
        "documents",
        "entities",
        "timexes",
        "events",
        "relations",
        "aliases",
        "mentions",
        "evidence",
        "value",
        "roles",
    ):
        assert key in text


def test_docs_cli_md_is_what_the_generator_makes_now():
    """docs/cli.md is generated; a command or help text changed without regenerating it
    fails here. Fix: python docs/make_cli_md.py > docs/cli.md"""
    import subprocess
    import sys

    made = subprocess.run(
        [sys.executable, str(DOCS / "make_cli_md.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert made == (DOCS / "cli.md").read_text(encoding="utf-8"), (
        "docs/cli.md is out of date: python docs/make_cli_md.py > docs/cli.md"
    )
