"""The plain data that flows between kartoteka's stages.

Every stage takes and returns these dataclasses; none of them knows about the store, the CLI or
the web. Offsets are code-point offsets. Inside `annotate` they index the *cleaned* text; the
pipeline maps them back, so everything that leaves `annotate` (and everything in the store)
indexes the *original* text as read from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # read/ builds Documents, so model must not import read/ at run time
    from kartoteka.read.offsets import ComposedMap, OffsetMap
    from kartoteka.read.pages import Box, PageMap

#: Entity types of ours. spaCy's labels are mapped onto these in `kartoteka.nlp.mentions`.
ENTITY_TYPES = ("PER", "ORG", "PLACE")


@dataclass(slots=True)
class Span:
    """A stretch of a text: [start, end) and the characters it holds."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class SourceMetadata:
    """What is known of a source besides its text: who wrote it, when, what it is and how far
    to trust it. From a sidecar file beside the sources (`sources.csv`, CSL-JSON; see
    `kartoteka.read.sidecar`) or from the file's own metadata (EPUB, Word, PDF).

    `author` is as given, several authors separated by "; " ("Dewar, Hugo; Smith, Jane");
    `date` is EDTF ("1951", "1951-03"); `origin` says where all this came from
    ("/sources/sources.csv line 3", "EPUB metadata").
    """

    title: str | None = None
    author: str | None = None
    date: str | None = None
    kind: str | None = None
    reliability: str | None = None
    origin: str | None = None


@dataclass(slots=True)
class Document:
    """A source as read from a file, plus its cleaned text and the map between the two.

    `text` is the original: decoded, with universal newlines (as Python's text mode reads it),
    and it is what every stored offset indexes. `clean_text` is what the NLP sees.
    """

    path: str
    name: str
    sha256: str
    text: str
    clean_text: str
    offset_map: OffsetMap | ComposedMap
    #: the title the text gives itself (its first line, an HTML <title>); what the document
    #: is shown as is `shown_title`, which prefers the source's metadata
    title: str | None = None
    encoding: str = "utf-8"
    #: the reference date (EDTF) that partial and relative dates resolve against: the user's
    #: --as-of, else the source's date from its metadata
    as_of: str | None = None
    removals: list[Removal] = field(default_factory=list)
    #: for a paged source (PDF, ALTO, hOCR, ...): offset in `text` -> page number (1-based)
    page_map: PageMap | None = None
    #: for OCR output (and PDF lines): where each line and word of `text` stands on its page
    boxes: list[Box] = field(default_factory=list)
    #: title, author, date, kind and reliability from a sidecar file or the file itself
    metadata: SourceMetadata | None = None

    @property
    def shown_title(self) -> str | None:
        """The title from the source's metadata, else the one the text gives itself."""
        return (self.metadata and self.metadata.title) or self.title

    #: what reading had to decide or repair (an encoding chosen, bad bytes replaced), for
    #: the ingest report
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Removal:
    """What cleaning removed or replaced, and why (shown on request, like ftfy's explain)."""

    start: int  # in the original text
    end: int
    text: str
    replacement: str
    reason: str  # "footnote-marker", "hyphenation", "page-number", "running-head", ...


@dataclass(slots=True)
class Mention:
    """A name in a text: a person, organization or place as written there.

    `start`/`end` cover the whole mention including a title ("General Skoblin");
    `name` is the name alone ("Skoblin") and `title` the title ("General"), if any.
    """

    start: int
    end: int
    text: str
    type: str  # PER | ORG | PLACE
    name: str
    title: str | None = None
    sentence: int = -1  # index into Annotation.sentences
    source: str = "spacy"  # spacy | propagated | ... : which component found it


@dataclass(slots=True)
class Timex:
    """A time expression and its normalized value.

    `value` is EDTF for DATE/TIME (e.g. "1937-07~", "1937-22", "../1935") and an ISO 8601
    duration for DURATION ("P2M"); `lower`/`upper` are ISO dates bounding a DATE for sorting
    (None for durations); `anchor` says what a relative or partial expression was resolved
    against ("document date 1937", "previous date 1937-01-29 at 412"), None if absolute.
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    timex3: str | None = None  # the TimeML TIMEX3 value ("1937-SU", "P2M", "XXXX-02-10")
    lower: str | None = None
    upper: str | None = None
    anchor: str | None = None
    mod: str | None = None  # TIMEX3 mod: APPROX, START, MID, END, BEFORE, AFTER, ...


@dataclass(slots=True)
class EventMention:
    """One telling of an event in one document.

    `roles` maps a role (agent, patient, recipient, partner) to indices into
    `Annotation.mentions`; `place` is such an index too. `timex` indexes `Annotation.timexes`
    when the date came from a time expression; `date` is the EDTF value in any case.
    `date_source` says how the date was found: "clause" (a time expression governing the
    event's clause), "narrative" (the text's story time before the sentence) or "none".
    `modality` says how the source tells it: asserted, reported, hedged, planned or attempted
    (negated and questioned tellings are not events).
    """

    type: str
    trigger: Span
    evidence: Span  # the sentence (or clause) that states it
    roles: dict[str, list[int]] = field(default_factory=dict)
    place: int | None = None
    date: str | None = None
    timex: int | None = None
    date_source: str = "none"  # "clause", "narrative", "none"
    modality: str = "asserted"
    #: told as already known ("the arrest", "Sorge's arrest", "had been arrested"): a
    #: retelling of an event the text told before
    refers_back: bool = False


@dataclass(slots=True)
class RelationMention:
    """A relation stated in one document: mention `subject` PREDICATE mention `object`."""

    subject: int  # index into Annotation.mentions
    predicate: str
    object: int
    evidence: Span
    pattern: str | None = None  # which rule found it, for explanation


@dataclass(slots=True)
class StatedLink:
    """The text says two names are one ("Reiss, alias Ludwig", "Maclean (cryptonym: Homer)"):
    mention `alias` names the one `head` names. `cue` is the words that say so ("alias",
    "cryptonym", "russian", "gloss" for a bare bracketed name, "title"); [start, end) is the
    passage."""

    head: int  # index into Annotation.mentions
    alias: int
    cue: str
    start: int
    end: int


@dataclass(slots=True)
class Annotation:
    """Everything `annotate` finds in one document."""

    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    relations: list[RelationMention] = field(default_factory=list)
    #: word count, kept for throughput figures and document lists
    words: int = 0
    links: list[StatedLink] = field(default_factory=list)
