"""A route or an option missing from docs/web.md fails a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text("utf-8")


def _routes():
    from kartoteka.web.pages import curation, documents, entities, home, network, places, timeline

    for module in (home, documents, entities, network, timeline, places, curation):
        for route in module.routes:
            yield re.sub(r"\{[^}]+\}", "ID", route.path)


@pytest.mark.parametrize("path", sorted(set(_routes())))
def test_every_route_is_documented(path):
    assert f"`{path}" in DOC or f"`POST {path}" in DOC, path


@pytest.mark.parametrize("command", ["serve", "path"])
def test_every_option_is_documented(command):
    from kartoteka.cli.web import path_command, serve_command

    cmd = {"serve": serve_command, "path": path_command}[command]
    for param in cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert f"`{opt}" in DOC, f"{command} {opt}"
