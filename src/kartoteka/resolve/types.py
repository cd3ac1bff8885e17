"""The plain data of resolution: what goes in (mentions, judgements, authorities, a config)
and what comes out (entities with explanations, suggestions).

Resolution never sees the store. `kartoteka.store.resolution` reads these from the store and
writes the result back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The version of the resolution algorithm, stored with every explanation so a store made by an
#: older version stays explainable.
RESOLVER = "kartoteka.resolve.v2"


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """One mention as resolution sees it.

    `id` is the store's mention id (it changes when a document is re-ingested, so nothing that
    must last refers to it); `doc` is the document's stable name (its file name), which is what
    judgements refer to. `name` is the name without title or possessive ("Krivitsky"), `text`
    the mention as written ("General Krivitsky"). `context` is the sentence the mention stands
    in, used for context similarity.
    """

    id: int
    doc: str
    start: int
    end: int
    text: str
    name: str
    type: str  # PER | ORG | PLACE
    title: str | None = None
    context: str = ""
    doc_id: int | None = None
    #: offset of `start` inside `context` (-1: unknown), to find the words around the mention
    context_start: int = -1
    #: the year the text speaks of where the mention stands (the nearest date), if known: a
    #: name whose meaning changed with time ("the GPU") is read in its year
    year: int | None = None


#: The end of a stated link's cue when the text gives the alias's bearer by pronoun ("he went
#: under the pseudonym Otto"), taken as the person the document is about.
PRONOUN_MARK = "(by pronoun)"


@dataclass(frozen=True, slots=True)
class StatedLinkRecord:
    """The text says two mentions name one entity ("Reiss, alias Ludwig"): `alias` and `head`
    are mention ids, `cue` the words that say so, [start, end) the passage in document `doc`.
    Resolution treats it as stronger than any likeness of the names."""

    head: int
    alias: int
    cue: str
    doc: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Ref:
    """A stable reference to mentions: every mention named `name` in document `doc`.

    `doc` None means every document (a name in the whole corpus). Mention ids change on
    re-ingest; (document name, surface name) pairs do not, so judgements are stored as Refs.
    """

    doc: str | None
    name: str

    def to_json(self) -> list:
        return [self.doc, self.name]

    @classmethod
    def from_json(cls, value) -> Ref:
        if isinstance(value, dict):
            return cls(value.get("doc"), value["name"])
        doc, name = value
        return cls(doc, name)


@dataclass(frozen=True, slots=True)
class Judgement:
    """A person's decision, one line of the append-only log.

    kind: `same` (left and right are one entity), `not_same` (never one entity), `unsure`
    (seen, undecided: the suggestion is not offered again), `rename` (the entity holding `left`
    is called `value`), `split` (the mentions in `left` leave the entity that holds the ones in
    `right`). `left`/`right` are tuples of Refs; the entity meant is the one holding most of them.
    """

    kind: str
    left: tuple[Ref, ...]
    right: tuple[Ref, ...] = ()
    value: str | None = None
    author: str = "unknown"
    created_at: str = ""
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Authority:
    """A known entity from an authority file: its canonical name, type, variant names and an
    optional identifier (a Wikidata QID, a VIAF id, ...). A place may carry its latitude and
    longitude (decimal degrees), which the map prefers to the gazetteer's; resolution ignores
    them."""

    canonical: str
    type: str
    variants: tuple[str, ...] = ()
    identifier: str | None = None
    source: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class ResolveConfig:
    """Thresholds. A pair scoring >= `merge_threshold` is merged; one in
    [`suggest_threshold`, `merge_threshold`) is kept apart and offered as a suggestion."""

    merge_threshold: float = 0.80
    suggest_threshold: float = 0.55
    #: at most this many candidates are compared per blocking key (keeps the cost linear)
    max_block: int = 60
    #: at most this many suggestions are kept
    max_suggestions: int = 500
    #: more person names than this on one name key in one document are not compared pair by
    #: pair (a table of "Smith1", "Smith2", ...): kept apart, a few suggested, a warning
    max_name_block: int = 300


@dataclass(slots=True)
class Entity:
    """One real person, organization or place, with the mentions that name it."""

    key: str
    type: str
    name: str
    mention_ids: list[int]
    identifier: str | None = None
    #: alias -> (count, sorted document names)
    aliases: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    docs: list[str] = field(default_factory=list)
    #: why these mentions are one entity: the merges made, each with score and features
    explanation: dict = field(default_factory=dict)


@dataclass(slots=True)
class Suggestion:
    """Two entities that may be one, kept apart because the score is below the threshold."""

    left: str  # entity key
    right: str
    score: float
    features: dict
    left_refs: tuple[Ref, ...] = ()
    right_refs: tuple[Ref, ...] = ()


@dataclass(slots=True)
class Resolution:
    entities: list[Entity] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    #: judgements that could not be applied (their mentions are gone), for the user to see
    stale_judgements: list[int] = field(default_factory=list)
    #: what the user should know about this run (a name block too crowded to score)
    warnings: list[str] = field(default_factory=list)

    def entity_of(self) -> dict[int, str]:
        """mention id -> entity key."""
        return {m: e.key for e in self.entities for m in e.mention_ids}
