"""The corpus stages: who is who (resolution), then events and relations across sources, run
over the whole store and committed together.

Ingest writes each document in a transaction of its own, which also marks the corpus stages
pending (`kartoteka.store.mark_corpus_stages_pending`); `resolve_corpus` runs them, refreshes
the search index and clears the mark in one transaction. So a crash at any moment leaves
either the old derived tables or the new ones, never half of each, and the mark says whether
they are behind the documents. `finish_interrupted` is what commands call first: a mark left
by a process that is gone is finished there and then.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kartoteka.events.merge import (
    Contradiction,
    MergedEvent,
    MergedRelation,
    merge_events,
    merge_relations,
)
from kartoteka.events.ontology import load_ontology
from kartoteka.incremental import resolve_store
from kartoteka.resolve import Resolution, ResolveConfig
from kartoteka.store import (
    Store,
    clear_corpus_stages_pending,
    corpus_stages_pending,
    get_setting,
)
from kartoteka.store.facts import (
    place_names,
    read_event_records,
    read_relation_records,
    write_facts,
)
from kartoteka.store.search import refresh_search_index

__all__ = ["resolve_corpus", "merge_facts", "finish_interrupted", "STAGES"]

#: Resolution settings of the corpus: every suggestion is kept (the review queue pages
#: through them), so that what a change leaves untouched stays exactly as a full run has it.
CORPUS_CONFIG = ResolveConfig(max_suggestions=10**9)

#: What `on_stage` is told, in order.
STAGES = ("resolution", "events", "search")

OnStage = Callable[[str], None]


def resolve_corpus(
    store: Store,
    config: ResolveConfig | None = None,
    *,
    on_stage: OnStage | None = None,
    on_warning: Callable[[str], None] | None = None,
    full: bool | None = None,
) -> Resolution:
    """Resolve the mentions in the store, then merge events and relations across sources,
    and rewrite all they derive in one transaction (inside another transaction, as part of
    it). `on_stage` is called with each name of `STAGES` as that stage starts, `on_warning`
    with what resolution says the user should know (a name block too crowded to score).

    In a large store, resolution re-resolves only the names that the documents changed
    since the last run, and new judgements, can touch, when they are few enough
    (`kartoteka.incremental`; the result is the one a full run gives). `full` True resolves
    everything again, False only what changed whatever the store's size. Returns what was
    resolved."""
    say = on_stage or (lambda stage: None)
    with store.transaction() as conn:
        say("resolution")
        resolution, _ = resolve_store(store, config or CORPUS_CONFIG, full=full)
        for warning in resolution.warnings:
            if on_warning:
                on_warning(warning)
        say("events")
        merge_facts(store)
        say("search")
        refresh_search_index(store)
        clear_corpus_stages_pending(conn)
    return resolution


def merge_facts(
    store: Store, ontology: str | Path | None = None
) -> tuple[list[MergedEvent], list[MergedRelation], list[Contradiction]]:
    """Rebuild the corpus-level events, relations and contradictions from the mentions and
    the entities resolution gave them (inside a transaction when called from
    `resolve_corpus`). Without `ontology`, the user ontology recorded at ingest is used."""
    types = load_ontology(ontology or get_setting(store, "ontology")).types
    events, contradictions = merge_events(read_event_records(store), types)
    relations = merge_relations(read_relation_records(store))
    places = place_names(
        store, [i for c in contradictions if c.kind == "place" for i in (c.left, c.right)]
    )
    with store.transaction() as conn:
        write_facts(conn, events, relations, [(c, _describe(c, places)) for c in contradictions])
    return events, relations, contradictions


def _describe(c: Contradiction, places: dict[int, str | None]) -> str:
    if c.kind != "place":
        return c.description
    etype = c.description.split(":", 1)[0]
    return f"{etype}: {places.get(c.left, '?')} against {places.get(c.right, '?')}"


def finish_interrupted(store: Store, say: Callable[[str], None] = print) -> bool:
    """Run the corpus stages if an ingest that is no longer running left them pending (it was
    killed, or crashed, after writing documents). Says what it does; True if it ran them.

    A mark set by another live process on this machine is an ingest still at work: it is left
    to finish, and the reader is told that what it sees may be behind."""
    pending = corpus_stages_pending(store)
    if pending is None:
        return False
    if _still_running(pending):
        where = "" if pending.get("host") == socket.gethostname() else f" on {pending['host']}"
        say(
            f"kartoteka: an ingest (process {pending['pid']}{where}) is still writing to "
            f"{store.path}; entities, events and relations may be behind its documents until "
            "it ends"
        )
        return False
    if not pending:  # marked by migration 0070: made by a version without the marker
        say(
            f"kartoteka: {store.path} was made by an earlier kartoteka, which an interrupted "
            "ingest could leave half done; rebuilding who is who, events and relations once"
        )
    else:
        say(
            f"kartoteka: the last ingest into {store.path} stopped before who is who, events "
            "and relations were rebuilt; finishing that now"
        )
    try:
        resolve_corpus(store, full=not pending)  # an earlier version kept no record to go by
    except sqlite3.OperationalError as e:  # a read-only file or folder: read what there is
        say(f"kartoteka: cannot finish it here ({e}); run `kartoteka ingest` where you can write")
        return False
    return True


def _still_running(pending: dict) -> bool:
    pid, host = pending.get("pid"), pending.get("host")
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    if host != socket.gethostname():
        return True  # another machine's process: we cannot tell, so we do not interfere
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True
