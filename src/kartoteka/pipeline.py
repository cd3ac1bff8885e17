"""The main job: read files, annotate each document, store it, then resolve the corpus.

`annotate` is pure: a Document and its spaCy Doc in, an Annotation out, every offset in
original-text coordinates. `ingest` is the loop around it that talks to the store: one
transaction per document (a crash loses at most the document in flight, never leaves half of
one behind, and marks the corpus stages pending), then the corpus stages (`kartoteka.corpus`:
resolution, events and relations across sources) in one transaction of their own.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time as clock
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from kartoteka.corpus import resolve_corpus
from kartoteka.engines import WorkerLost, open_engine
from kartoteka.events import VERSION as EVENTS_VERSION
from kartoteka.events import extract as extract_events
from kartoteka.model import Annotation, Document, Mention, SourceMetadata, Span, Timex
from kartoteka.nlp import describe_pipeline, load_pipeline
from kartoteka.nlp.identity import VERSION as IDENTITY_VERSION
from kartoteka.nlp.identity import find_links
from kartoteka.nlp.mentions import VERSION as MENTIONS_VERSION
from kartoteka.nlp.mentions import find_mentions
from kartoteka.nlp.parse import LINE_BREAKS, parse
from kartoteka.read import VERSION as READ_VERSION
from kartoteka.read import ReadError, discover, read_document
from kartoteka.read.sidecar import SourceCatalog, merge_metadata
from kartoteka.store import Store, corpus_stages_pending, mark_corpus_stages_pending
from kartoteka.store.documents import (
    described,
    find_document,
    now,
    update_description,
    write_document,
)
from kartoteka.time import VERSION as TIME_VERSION
from kartoteka.time import tag as tag_times

#: Bump when any stage's output changes: stored documents made by another version are
#: re-annotated on the next ingest, and every stored result says which version made it.
PIPELINE_VERSION = "+".join(
    (
        "kartoteka.pipeline.v4",
        READ_VERSION,
        LINE_BREAKS,
        MENTIONS_VERSION,
        IDENTITY_VERSION,
        TIME_VERSION,
        EVENTS_VERSION,
    )
)


@dataclass(frozen=True)
class PipelineOptions:
    """User knowledge that changes what annotation finds: extra event types and triggers
    (TOML, see docs/events.md) and extra relation patterns."""

    ontology: str | None = None
    relation_patterns: str | None = None

    def version(self) -> str:
        """PIPELINE_VERSION plus a fingerprint of the user's files: when they change,
        documents are annotated again."""
        parts = [PIPELINE_VERSION]
        for label, path in (("ontology", self.ontology), ("relations", self.relation_patterns)):
            if path:
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
                parts.append(f"{label}:{digest}")
        return "+".join(parts)


def annotate(
    document: Document, spacy_doc, options: PipelineOptions = PipelineOptions()
) -> Annotation:
    """Everything found in one document; `spacy_doc` is the parse of `document.clean_text`."""
    sentences = [Span(s.start_char, s.end_char, s.text) for s in spacy_doc.sents]
    title_end = title_line_end(document)
    mentions = find_mentions(spacy_doc, sentences, title_end=title_end)
    mentions, links = find_links(spacy_doc, mentions, sentences, title_end=title_end)
    timexes = tag_times(document.clean_text, as_of=document.as_of)
    event_mentions, relations = extract_events(
        spacy_doc,
        mentions,
        timexes,
        sentences,
        ontology=options.ontology,
        relation_patterns=options.relation_patterns,
    )
    words = sum(1 for t in spacy_doc if not (t.is_punct or t.is_space))
    annotation = Annotation(sentences, mentions, timexes, event_mentions, relations, words, links)
    return to_original(annotation, document)


def title_line_end(document: Document) -> int:
    """Where the title line ends in the cleaned text, when the text's first line is the title
    it gives itself; else 0. Names seen only in that line are dropped (title case misleads
    the tagger). A title from anywhere else (an HTML page's <title>, a sidecar, the file's
    metadata) hides nothing: the first line is then text like any other.

    >>> from kartoteka.read import read_text
    >>> title_line_end(read_text("Hugo Dewar 1951\\n\\nDewar wrote.", name="a.txt"))
    15
    >>> title_line_end(read_text("<title>Notes</title><p>Dewar wrote.</p>", name="a.html", kind="html"))
    0
    """
    if not document.title:
        return 0
    text = document.clean_text
    end = text.find("\n")
    if end <= 0:
        return 0
    first = " ".join(text[:end].lstrip("#").split())
    return end if first == " ".join(document.title.split()) else 0


def describe_source(
    document: Document, sidecar: SourceMetadata | None, as_of: str | None = None
) -> None:
    """Give a document what a sidecar says of it (over what the file says of itself), and its
    reference date for partial and relative dates: `as_of` (the user's --as-of) wins, else
    the source's date when the date tagger can anchor on it (not "XXXX", say).

    A change of the metadata alone is written without annotating the text again, unless it
    changes the reference date (see `_skip_unchanged`)."""
    document.metadata = merge_metadata(sidecar, document.metadata)
    date = document.metadata.date if document.metadata else None
    document.as_of = as_of or (date if date and _anchors(date) else None)


def _anchors(value: str) -> bool:
    """Whether relative dates can count from `value`: it must name its year ("1951",
    "1951-03~", "-0043"), not leave it open ("XXXX", "19XX")."""
    if not re.match(r"-?\d{4}(?![\dX])", value):
        return False
    try:
        tag_times("", as_of=value)
    except ValueError:
        return False
    return True


def to_original(annotation: Annotation, document: Document) -> Annotation:
    """Map every span of an annotation from cleaned-text to original-text offsets."""
    offset_map, text = document.offset_map, document.text

    def span(s: Span) -> Span:
        start, end = offset_map.to_original(s.start, s.end)
        return Span(start, end, text[start:end])

    for i, s in enumerate(annotation.sentences):
        annotation.sentences[i] = span(s)
    items: list[Mention | Timex] = [*annotation.mentions, *annotation.timexes]
    for item in items:
        item.start, item.end = offset_map.to_original(item.start, item.end)
        item.text = text[item.start : item.end]
    for e in annotation.events:
        e.trigger, e.evidence = span(e.trigger), span(e.evidence)
    for r in annotation.relations:
        r.evidence = span(r.evidence)
    for link in annotation.links:
        link.start, link.end = offset_map.to_original(link.start, link.end)
    return annotation


def annotate_batch(
    documents: list[Document],
    spacy_model: str | None,
    options: PipelineOptions,
    batch_size: int = 16,
) -> list[Annotation | str]:
    """What a worker runs: an Annotation for each document, in order, or the error that
    stopped it (as text: it travels back to the writer). The pipeline is loaded once per
    process."""
    nlp = load_pipeline(spacy_model)
    results: list[Annotation | str] = []
    try:
        for spacy_doc, document in parse(
            nlp, ((d.clean_text, d) for d in documents), batch_size=batch_size
        ):
            try:
                results.append(annotate(document, spacy_doc, options))
            except Exception as e:  # one bad document must not stop a library-sized batch
                results.append(repr(e))
    except Exception as e:  # the parser itself: find the document it fails on
        if len(documents) == 1:
            return [repr(e)]
        return [r for d in documents for r in annotate_batch([d], spacy_model, options)]
    return results


def pipeline_description(spacy_model: str | None) -> str:
    """ "name version" of the spaCy pipeline where the work runs (loading it there)."""
    return describe_pipeline(load_pipeline(spacy_model))


#: A batch handed to a worker holds at most this many characters (and `batch_size`
#: documents): a few pages, so spaCy still batches short texts, while the work spreads
#: evenly over the workers and each result reaches the writer soon after it is made. In
#: this process only the number of documents counts.
BATCH_CHARS = 40_000


def _batches(
    documents: Iterable[Document], size: int, chars_limit: float = BATCH_CHARS
) -> Iterator[list[Document]]:
    batch: list[Document] = []
    chars = 0
    for document in documents:
        batch.append(document)
        chars += len(document.clean_text)
        if len(batch) >= size or chars >= chars_limit:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _shipped(document: Document) -> Document:
    """What annotation needs of a document: the texts and the offset map travel, the page
    boxes and the cleaning log stay with the writer."""
    return replace(document, boxes=[], removals=[], page_map=None)


@dataclass
class Annotator:
    """Annotates documents on an engine opened at the first document (so an ingest with
    nothing new starts no worker), giving (document, Annotation | error text) in order."""

    workers: int | None
    cluster: str | None
    spacy_model: str | None
    options: PipelineOptions
    batch_size: int = 16
    description: str | None = None

    def run(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Annotation | str]]:
        pending = iter(documents)
        first = next(pending, None)
        if first is None:
            return
        engine = open_engine(self.workers, self.cluster)
        try:
            self.description = engine.call(pipeline_description, self.spacy_model)
            limit = BATCH_CHARS if engine.parallelism > 1 else float("inf")
            batches = _batches(chain([first], pending), self.batch_size, limit)
            # the engine gives results in the order it was given batches: the originals
            # (with their page boxes) wait here in the same order
            sent: deque[list[Document]] = deque()

            def shipped() -> Iterator[list[Document]]:
                for batch in batches:
                    sent.append(batch)
                    yield [_shipped(d) for d in batch]

            for _, results in engine.map(
                annotate_batch, shipped(), self.spacy_model, self.options, self.batch_size
            ):
                originals = sent.popleft()
                for document, result in zip(originals, results):
                    if isinstance(result, WorkerLost):
                        result = result.reason
                    yield document, result
        finally:
            engine.close()


@dataclass
class IngestReport:
    """What an ingest did, file by file; `failed` holds (path, reason) for every bad file,
    `warnings` (path, note) for what reading decided or repaired in a file it did read (an
    encoding chosen, bad bytes replaced) and for folders it skipped (a link loop)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: text unchanged, metadata (title, author, date, ...) rewritten without annotating again
    described: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    resolved: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    spacy_model: str | None = None,
    as_of: str | None = None,
    encoding: str | None = None,
    progress: bool = False,
    batch_size: int = 16,
    resolve: bool = True,
    ontology: str | None = None,
    relation_patterns: str | None = None,
    max_file_bytes: int | None = None,
    on_event: Callable[[str, str], None] | None = None,
    workers: int | None = 1,
    cluster: str | None = None,
) -> IngestReport:
    """Ingest files and folders into `store`; a bad file is reported and skipped.

    Unchanged files (same path, same bytes, same pipeline version, same as_of) are skipped;
    a changed file replaces its old version in one transaction; sidecars beside them are read
    each time (`describe_source`). `ontology` and `relation_patterns` (paths) and
    `max_file_bytes` (the size limit per file) are recorded in the store and used by every
    later run until replaced; an empty string stops using a file, and a limit of 0 goes back
    to the default. `on_event(kind, message)` hears of each file as soon as it is done with
    ("added", "replaced", "failed" or "warning") and of each corpus stage ("stage").

    Annotation runs in `workers` processes (None: one per core; spawned, so a script must
    call this under `if __name__ == "__main__":`) or on the Dask cluster at `cluster`; this
    process alone writes, in the order of the files, whatever ran the annotation."""
    started = clock.perf_counter()
    report = IngestReport()
    options = _options(store, ontology, relation_patterns)
    version = options.version()
    max_bytes = _max_file_bytes(store, max_file_bytes)
    run_id = _start_run(store, "ingest", None)
    tell = _Telling(report, on_event)
    files = list(discover(paths, on_skip=tell.warn))
    sources = _sources(paths, files, report, tell.note)
    tell.bar = _progress_bar(len(files)) if progress else None
    annotator = Annotator(_workers(workers, files), cluster, spacy_model, options, batch_size)

    def pending() -> Iterator[Document]:
        for path in files:
            try:
                document = _read(path, encoding, as_of, sources, max_bytes)
            except ReadError as e:
                tell.failed(e.path, e.reason, str(e))
                continue
            if _skip_unchanged(store, document, version, report):
                tell.tick()
                continue
            for message in document.notes:  # said once, when the file is read in
                tell.warn(str(path), message)
            yield document

    for document, annotation in annotator.run(pending()):
        kind, message = _store(store, document, annotation, version, run_id, report)
        tell.note(kind, message)
        tell.tick(report.words)
    tell.close()
    # after a crash the mark (or, in a store from before it, unresolved mentions) says the
    # corpus stages are behind even when nothing changed this time
    if resolve and (
        report.changed or corpus_stages_pending(store) is not None or _unresolved(store)
    ):
        resolve_corpus(
            store,
            on_stage=lambda stage: tell.note("stage", stage),
            on_warning=lambda warning: tell.warn("resolution", warning),
        )
        report.resolved = True
    report.seconds = clock.perf_counter() - started
    _finish_run(store, run_id, report, annotator.description)
    return report


class _Telling:
    """How an ingest tells what happens: the report, the caller's `on_event`, the bar."""

    def __init__(self, report: IngestReport, on_event: Callable[[str, str], None] | None):
        self.report, self.on_event = report, on_event
        self.bar: Any = None

    def note(self, kind: str, message: str) -> None:
        if self.on_event:
            self.on_event(kind, message)

    def warn(self, path: str, message: str) -> None:
        self.report.warnings.append((path, message))
        self.note("warning", f"{path}: {message}")

    def failed(self, path: str, reason: str, message: str) -> None:
        self.report.failed.append((path, reason))
        self.note("failed", message)
        self.tick()

    def tick(self, words: int | None = None) -> None:
        if self.bar:
            self.bar.update(1)
            if words is not None:
                self.bar.set_postfix_str(f"{words} words", refresh=False)

    def close(self) -> None:
        if self.bar:
            self.bar.close()


def _store(
    store: Store,
    document: Document,
    annotation: Annotation | str,
    version: str,
    run_id: int,
    report: IngestReport,
) -> tuple[str, str]:
    """Write one annotated document (or record why it has none); what to tell on_event."""
    try:
        if isinstance(annotation, str):
            raise AnnotationFailed(annotation)
        replacing = _write(store, document, annotation, version, run_id)
    except Exception as e:  # one bad document must not stop a library-sized batch
        why = str(e) if isinstance(e, AnnotationFailed) else repr(e)
        report.failed.append(
            (document.path, f"could not be annotated ({why}); please report this with the file")
        )
        return "failed", f"{document.path}: {why}"
    (report.replaced if replacing else report.added).append(document.path)
    report.words += annotation.words
    return ("replaced" if replacing else "added"), document.path


class AnnotationFailed(Exception):
    """Annotation of one document failed where it ran; the message says how."""


def _workers(requested: int | None, files: Sequence[Path]) -> int:
    """No more workers than batches of files: each would load the spaCy pipeline for
    nothing (a few short files are annotated here sooner than a worker starts)."""
    from kartoteka.engines import default_workers

    wanted = default_workers() if requested is None else requested
    if wanted < 1:
        raise ValueError(f"workers must be at least 1, not {wanted}")
    if requested is None:  # by default, no worker for less than a batch each
        size = sum(path.stat().st_size for path in files if path.is_file())
        wanted = min(wanted, size // BATCH_CHARS)
    return max(1, min(wanted, len(files)))


def _sources(
    paths: Iterable[str | Path],
    files: list[Path],
    report: IngestReport,
    note: Callable[[str, str], None],
) -> SourceCatalog:
    """The sidecars of this ingest; their problems are reported with the bad files, at once."""
    sources = SourceCatalog.find(paths, files)
    report.failed += sources.problems
    for path, reason in sources.problems:
        note("failed", f"{path}: {reason}")
    return sources


def _read(
    path: Path, encoding: str | None, as_of: str | None, sources: SourceCatalog, max_bytes: int
) -> Document:
    """A file read, with what its sidecar says of it and its reference date."""
    document = read_document(path, encoding=encoding, as_of=as_of, max_bytes=max_bytes)
    describe_source(document, sources.lookup(path), as_of)
    return document


def _skip_unchanged(store: Store, document: Document, version: str, report: IngestReport) -> bool:
    """True when the document is stored already (same path, same bytes, same pipeline
    version, same as_of); if only its metadata changed, that is rewritten here."""
    existing = find_document(store.conn, document.path)
    if not (
        existing
        and existing["sha256"] == document.sha256
        and existing["pipeline_version"] == version
        and existing["as_of"] == document.as_of
    ):
        return False
    if any(existing[k] != v for k, v in described(document).items()):
        with store.transaction() as conn:
            update_description(conn, existing["id"], document)
        report.described.append(document.path)
    else:
        report.unchanged.append(document.path)
    return True


def _write(
    store: Store, document: Document, annotation: Annotation, version: str, run_id: int
) -> bool:
    """Store one document in a transaction of its own, which also marks the corpus stages
    pending; True if it replaced an earlier version."""
    replacing = find_document(store.conn, document.path) is not None
    with store.transaction() as conn:
        write_document(conn, document, annotation, pipeline_version=version, run_id=run_id)
        mark_corpus_stages_pending(conn, run_id)
    return replacing


def _options(store: Store, ontology: str | None, relation_patterns: str | None) -> PipelineOptions:
    """The user's files for this run: those given now (checked, then recorded), else those
    recorded by an earlier run."""
    from kartoteka.events.ontology import load_ontology
    from kartoteka.events.relations import load_relation_patterns
    from kartoteka.store import get_setting, set_setting

    for key, given, check in (
        ("ontology", ontology, load_ontology),
        ("relation_patterns", relation_patterns, load_relation_patterns),
    ):
        if given is None:
            continue
        if given:
            given = str(Path(given).resolve())
            check(given)  # a bad file stops the run before anything is written
        set_setting(store, key, given)
    return PipelineOptions(get_setting(store, "ontology"), get_setting(store, "relation_patterns"))


def _max_file_bytes(store: Store, given: int | None) -> int:
    """The size limit per file: the one given now (then recorded), else the one recorded by
    an earlier run, else the default."""
    from kartoteka.read import DEFAULT_MAX_FILE_BYTES
    from kartoteka.store import get_setting, set_setting

    if given is not None:
        set_setting(store, "max_file_bytes", str(given) if given > 0 else None)
        return given if given > 0 else DEFAULT_MAX_FILE_BYTES
    recorded = get_setting(store, "max_file_bytes")
    return int(recorded) if recorded else DEFAULT_MAX_FILE_BYTES


def _unresolved(store: Store) -> bool:
    return (
        store.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM mentions WHERE entity_id IS NULL)"
        ).fetchone()[0]
        == 1
    )


def _progress_bar(total: int):
    from tqdm import tqdm

    # only on a terminal: a log file or a pipe gets the summary alone
    return tqdm(total=total, unit="file", desc="ingest", disable=not sys.stderr.isatty())


def _start_run(store: Store, command: str, spacy_pipeline: str | None) -> int:
    with store.transaction() as conn:
        run_id = conn.execute(
            "INSERT INTO runs (started_at, command, pipeline_version, spacy_pipeline)"
            " VALUES (?, ?, ?, ?)",
            (now(), command, PIPELINE_VERSION, spacy_pipeline),
        ).lastrowid
    assert run_id is not None  # an INSERT into a rowid table always has one
    return run_id


def _finish_run(
    store: Store, run_id: int, report: IngestReport, spacy_pipeline: str | None = None
) -> None:
    stats = {
        "added": len(report.added),
        "replaced": len(report.replaced),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "warnings": len(report.warnings),
        "words": report.words,
        "seconds": round(report.seconds, 3),
    }
    with store.transaction() as conn:
        conn.execute(
            "UPDATE runs SET finished_at = ?, stats = ?,"
            " spacy_pipeline = COALESCE(?, spacy_pipeline) WHERE id = ?",
            (now(), json.dumps(stats), spacy_pipeline, run_id),
        )
