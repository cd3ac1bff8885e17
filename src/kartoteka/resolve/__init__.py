"""Entity resolution: who is who, within and across documents.

`resolve(mentions, judgements, authorities, config)` is the pure core; its input and output
are read and written by `kartoteka.store.resolution`, `kartoteka.corpus` runs it over the
store, and people's decisions go through `kartoteka.curation`.
See docs/resolve.md for the method, the judgement log and authority files.
"""

from kartoteka.resolve.core import resolve
from kartoteka.resolve.types import (
    RESOLVER,
    Authority,
    Entity,
    Judgement,
    MentionRecord,
    Ref,
    Resolution,
    ResolveConfig,
    StatedLinkRecord,
    Suggestion,
)

__all__ = [
    "resolve",
    "RESOLVER",
    "Authority",
    "Entity",
    "Judgement",
    "MentionRecord",
    "Ref",
    "Resolution",
    "ResolveConfig",
    "StatedLinkRecord",
    "Suggestion",
]
