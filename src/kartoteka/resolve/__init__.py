"""Entity resolution: who is who, within and across documents.

`resolve(mentions, judgements, authorities, config)` is the pure core; the store glue is in
`kartoteka.store.resolution` and the curation commands in `kartoteka.cli.curate`.
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
