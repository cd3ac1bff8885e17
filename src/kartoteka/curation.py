"""Curation: people decide who is who, and it lasts. The one API the command line and the
web app both call.

Every decision is a judgement appended to the log (never rewritten); the corpus stages then
run again, so the store shows the decision at once and every later ingest re-applies it. One
transaction (BEGIN IMMEDIATE) spans finding the entities, logging, resolving and writing:
two people deciding at once are served one after the other, the second seeing the first's
result, never overwriting it. After the stages the decision is checked; one that does not
hold (resolution could not apply it) is rolled back with a `CurationError`, never logged and
quietly lost.
"""

from __future__ import annotations

import getpass
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kartoteka.corpus import OnStage, resolve_corpus
from kartoteka.query.cards import the_entity
from kartoteka.query.errors import MAX_NAME, QueryError, shown
from kartoteka.query.review import suggestion
from kartoteka.resolve import Judgement, Ref
from kartoteka.resolve.authority import read_authority_file
from kartoteka.resolve.judgements import JUDGEMENT_KINDS
from kartoteka.store import Store
from kartoteka.store.documents import now
from kartoteka.store.resolution import (
    DocumentIndex,
    append_judgement,
    entities_holding,
    refs_of_entity,
    replace_authorities,
)

__all__ = [
    "CurationError",
    "Decision",
    "add_judgement",
    "judge_entities",
    "merge",
    "keep_apart",
    "rename",
    "split_entity",
    "decide_suggestion",
    "load_authorities",
    "entity_refs",
    "REVIEW_DECISIONS",
]

#: A decision in the review queue -> the judgement it logs ("skip": seen, undecided).
REVIEW_DECISIONS = {"same": "same", "not_same": "not_same", "unsure": "unsure", "skip": "unsure"}
#: Judgements about two groups of mentions; the others (rename) name one.
_TWO_SIDED = ("same", "not_same", "split", "unsure")


class CurationError(Exception):
    """A decision that cannot be carried out (unknown entity, empty name, ...); nothing was
    logged or changed."""


@dataclass(frozen=True)
class Decision:
    """A decision that holds: its line in the log, and the entity it leaves the user looking
    at (the merged one, the renamed one, what is left after a split)."""

    judgement_id: int
    entity_id: int | None


def entity_refs(store: Store, entity: str) -> tuple[Ref, ...]:
    """The stable references (document, alias) of the entity named by key, id or exact name."""
    try:
        row = the_entity(store, entity, exact=True)
    except QueryError as e:
        raise CurationError(str(e)) from None
    refs = refs_of_entity(store, row["id"])
    if not refs:
        raise CurationError(f"entity {entity!r} has no mentions; run resolution first")
    return refs


def add_judgement(
    store: Store,
    kind: str,
    left: Iterable[Ref],
    right: Iterable[Ref] = (),
    value: str | None = None,
    author: str | None = None,
    note: str | None = None,
    *,
    on_stage: OnStage | None = None,
) -> Decision:
    """Append a judgement about mentions (given as Refs), re-run the corpus stages and check
    that it holds, all in one transaction. A Ref names its document by path; a bare file
    name is taken when one document of the store has it, and refused when several do."""
    if kind not in JUDGEMENT_KINDS:
        raise CurationError(f"unknown judgement {kind!r}; one of {', '.join(JUDGEMENT_KINDS)}")
    if kind == "rename" and not (value or "").strip():
        raise CurationError("rename needs the new name")
    with store.transaction() as conn:
        judgement = Judgement(
            kind=kind,
            left=_pinned(store, left),
            right=_pinned(store, right),
            value=value,
            author=author or _default_author(),
            created_at=now(),
            note=note,
        )
        if not judgement.left:
            raise CurationError("a judgement needs at least one mention reference")
        judgement_id = append_judgement(conn, judgement)
        resolve_corpus(store, on_stage=on_stage)
        return Decision(judgement_id, _check_holds(store, judgement))


def _pinned(store: Store, refs: Iterable[Ref]) -> tuple[Ref, ...]:
    """`refs` naming their documents by path, as the log keeps them."""
    index = DocumentIndex(store)
    out = []
    for ref in refs:
        pinned = index.pinned(ref)
        if pinned is None:
            paths = ", ".join(index.documents(ref.doc or "", ref.name))
            raise CurationError(
                f"{shown(ref.doc or '')} may be any of several documents ({paths}); "
                "name the document by its path"
            )
        out.append(pinned)
    return tuple(out)


def _check_holds(store: Store, j: Judgement) -> int | None:
    """The entity the decision leaves in view, once checked that resolution applied it."""
    left = entities_holding(store, j.left)
    right = entities_holding(store, j.right)
    if not left or (j.kind in _TWO_SIDED and not right):
        raise CurationError(
            "the judgement names mentions the store does not hold (see `kartoteka show` for "
            "the aliases of each entity); nothing was changed"
        )
    shown = (right if j.kind == "split" else left).most_common(1)
    entity_id = shown[0][0] if shown else None
    if j.kind == "same" and len(set(left) | set(right)) != 1:
        raise CurationError(
            "resolution could not put these together (an authority entry or a type keeps "
            "them apart); nothing was changed"
        )
    if j.kind in ("not_same", "split") and set(left) & set(right):
        raise CurationError("resolution could not keep these apart; nothing was changed")
    if j.kind == "rename":
        row = store.conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None or row[0] != j.value:
            raise CurationError("resolution could not apply the new name; nothing was changed")
    return entity_id


def judge_entities(
    store: Store,
    kind: str,
    left: str,
    right: str | None = None,
    value: str | None = None,
    author: str | None = None,
    note: str | None = None,
    *,
    on_stage: OnStage | None = None,
) -> Decision:
    """A judgement about entities named by key, id or exact name (what the CLI takes). The
    names are looked up inside the transaction, so they mean what the store holds then."""
    with store.transaction():
        left_refs = entity_refs(store, left)
        right_refs = entity_refs(store, right) if right is not None else ()
        if right_refs and set(left_refs) == set(right_refs):
            raise CurationError(f"{shown(left)} and {shown(right or '')} are the same entity")
        return add_judgement(
            store, kind, left_refs, right_refs, value, author, note, on_stage=on_stage
        )


def merge(store: Store, left: str, right: str, **how) -> Decision:
    """Record that entities `left` and `right` are one."""
    return judge_entities(store, "same", left, right, **how)


def keep_apart(store: Store, left: str, right: str, **how) -> Decision:
    """Record that entities `left` and `right` are different and must never merge."""
    return judge_entities(store, "not_same", left, right, **how)


def rename(store: Store, entity: str, name: str, **how) -> Decision:
    """Give `entity` the canonical name `name` (kept across re-runs)."""
    return judge_entities(store, "rename", entity, value=new_name(name), **how)


def new_name(name: str) -> str:
    """`name` as a new canonical name, its white space made single; `CurationError` if it
    cannot be one: empty, too long, without a letter, or holding control characters.

    >>> new_name("  Walter   G. Krivitsky ")
    'Walter G. Krivitsky'
    """
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in name):
        raise CurationError("the new name holds control characters; type it again")
    name = " ".join(name.split())
    if not name:
        raise CurationError("the new name is empty; give the new name")
    if len(name) > MAX_NAME:
        raise CurationError(f"the new name is longer than {MAX_NAME} characters, so it is no name")
    if not any(c.isalpha() for c in name):
        raise CurationError(f"the new name {shown(name)} has no letter, so it is no name")
    return name


def split_entity(
    store: Store,
    entity: str,
    aliases: Sequence[str],
    author: str | None = None,
    note: str | None = None,
    *,
    on_stage: OnStage | None = None,
) -> Decision:
    """Split the mentions named `aliases` off `entity` into an entity of their own."""
    aliases = [a for a in aliases if a.strip()]
    if not aliases:
        raise CurationError("name the aliases to split off")
    with store.transaction():
        refs = entity_refs(store, entity)
        wanted = set(aliases)
        if not any(r.name in wanted for r in refs):  # exact first: "Reiß" and "Reiss" differ
            wanted = {a.lower() for a in aliases}
            refs_named = {r: r.name.lower() for r in refs}
        else:
            refs_named = {r: r.name for r in refs}
        left = tuple(r for r in refs if refs_named[r] in wanted)
        right = tuple(r for r in refs if refs_named[r] not in wanted)
        if not left:
            asked = shown(", ".join(aliases))
            raise CurationError(f"{shown(entity)} has no alias among {asked}; see its card")
        if not right:
            raise CurationError("that would leave the entity empty; split off fewer aliases")
        return add_judgement(
            store, "split", left, right, author=author, note=note, on_stage=on_stage
        )


def decide_suggestion(
    store: Store,
    suggestion_id: int,
    decision: str,
    *,
    fingerprint: str | None = None,
    author: str | None = None,
    note: str | None = None,
) -> Decision:
    """Decide a merge suggestion of the review queue: same, not_same, unsure (or skip,
    which logs unsure). The two entities are named by every (document, alias) they hold, as
    `merge` names them, whichever queue (command line or web) the decision comes from.
    `fingerprint` finds the pair again if the queue was rebuilt since it was shown."""
    if decision not in REVIEW_DECISIONS:
        raise CurationError(f"decision must be one of {', '.join(REVIEW_DECISIONS)}")
    with store.transaction():
        found = suggestion(store, suggestion_id, fingerprint)
        if found is None:
            raise CurationError(
                "that suggestion is gone (someone decided it, or resolution re-ran); "
                "reload the queue"
            )
        return add_judgement(
            store,
            REVIEW_DECISIONS[decision],
            refs_of_entity(store, found["left"]["id"]),
            refs_of_entity(store, found["right"]["id"]),
            author=author,
            note=note,
        )


def load_authorities(
    store: Store, path: str | Path, *, rerun: bool = True, on_stage: OnStage | None = None
) -> int:
    """Load an authority file (CSV or JSON) into the store, replacing an earlier load of the
    same file, and (by default) re-run the corpus stages in the same transaction. Returns the
    number of entries loaded."""
    entries = read_authority_file(path)
    with store.transaction() as conn:
        replace_authorities(conn, Path(path).name, entries)
        if rerun:
            resolve_corpus(store, on_stage=on_stage)
    return len(entries)


def _default_author() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on this system: say so rather than fail
        return "unknown"
