"""The main job: read files, annotate each document, store it, then resolve the corpus.

`annotate` is pure: a Document and its spaCy Doc in, an Annotation out, every offset in
original-text coordinates. `ingest` is the loop around it that talks to the store: one
transaction per document (a crash loses at most the document in flight, never leaves half of
one behind), then resolution and event merging over the whole corpus.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time as clock
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kartoteka.events import VERSION as EVENTS_VERSION
from kartoteka.events import extract as extract_events
from kartoteka.model import Annotation, Document, Span
from kartoteka.nlp import describe_pipeline, load_pipeline
from kartoteka.nlp.identity import VERSION as IDENTITY_VERSION
from kartoteka.nlp.identity import find_links
from kartoteka.nlp.mentions import VERSION as MENTIONS_VERSION
from kartoteka.nlp.mentions import find_mentions
from kartoteka.nlp.parse import LINE_BREAKS, parse
from kartoteka.read import ReadError, discover, read_document
from kartoteka.store import Store
from kartoteka.store.documents import find_document, now, write_document
from kartoteka.time import VERSION as TIME_VERSION
from kartoteka.time import tag as tag_times

#: Bump when any stage's output changes: stored documents made by another version are
#: re-annotated on the next ingest, and every stored result says which version made it.
PIPELINE_VERSION = "+".join(
    (
        "kartoteka.pipeline.v2",
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
    title_end = document.clean_text.find("\n") if document.title else 0
    mentions = find_mentions(spacy_doc, sentences, title_end=max(title_end, 0))
    mentions, links = find_links(spacy_doc, mentions, sentences, title_end=max(title_end, 0))
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


def to_original(annotation: Annotation, document: Document) -> Annotation:
    """Map every span of an annotation from cleaned-text to original-text offsets."""
    offset_map, text = document.offset_map, document.text

    def span(s: Span) -> Span:
        start, end = offset_map.to_original(s.start, s.end)
        return Span(start, end, text[start:end])

    for i, s in enumerate(annotation.sentences):
        annotation.sentences[i] = span(s)
    for item in (*annotation.mentions, *annotation.timexes):
        item.start, item.end = offset_map.to_original(item.start, item.end)
        item.text = text[item.start : item.end]
    for e in annotation.events:
        e.trigger, e.evidence = span(e.trigger), span(e.evidence)
    for r in annotation.relations:
        r.evidence = span(r.evidence)
    for link in annotation.links:
        link.start, link.end = offset_map.to_original(link.start, link.end)
    return annotation


@dataclass
class IngestReport:
    """What an ingest did, file by file; `failed` holds (path, reason) for every bad file."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
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
    on_event: Callable[[str, str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into `store`; a bad file is reported and skipped.

    Unchanged files (same path, same bytes, same pipeline version, same as_of) are skipped;
    a changed file replaces its old version in one transaction. `ontology` and
    `relation_patterns` (paths) are recorded in the store and used by every later run
    until replaced; an empty string stops using them.
    """
    started = clock.perf_counter()
    report = IngestReport()
    options = _options(store, ontology, relation_patterns)
    version = options.version()
    nlp = load_pipeline(spacy_model)
    run_id = _start_run(store, "ingest", describe_pipeline(nlp))
    files = list(discover(paths))
    bar = _progress_bar(len(files)) if progress else None

    def note(kind: str, message: str) -> None:
        if on_event:
            on_event(kind, message)

    def pending() -> Iterator[Document]:
        for path in files:
            try:
                document = read_document(path, encoding=encoding, as_of=as_of)
            except ReadError as e:
                report.failed.append((e.path, e.reason))
                note("failed", str(e))
                if bar:
                    bar.update(1)
                continue
            existing = find_document(store.conn, document.path)
            if (
                existing
                and existing["sha256"] == document.sha256
                and existing["pipeline_version"] == version
                and existing["as_of"] == document.as_of
            ):
                report.unchanged.append(document.path)
                if bar:
                    bar.update(1)
                continue
            yield document

    texts = ((d.clean_text, d) for d in pending())
    for spacy_doc, document in parse(nlp, texts, batch_size=batch_size):
        try:
            annotation = annotate(document, spacy_doc, options)
            replacing = find_document(store.conn, document.path) is not None
            with store.transaction() as conn:
                write_document(conn, document, annotation, pipeline_version=version, run_id=run_id)
        except Exception as e:  # one bad document must not stop a library-sized batch
            report.failed.append(
                (document.path, f"could not be annotated ({e!r}); please report this with the file")
            )
            note("failed", f"{document.path}: {e!r}")
        else:
            (report.replaced if replacing else report.added).append(document.path)
            report.words += annotation.words
            note("replaced" if replacing else "added", document.path)
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    if resolve and (report.changed or _unresolved(store)):
        resolve_corpus(store)
        report.resolved = True
    report.seconds = clock.perf_counter() - started
    _finish_run(store, run_id, report)
    return report


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


def resolve_corpus(store: Store) -> None:
    """The corpus stages: who is who, then (inside it) events and relations across sources."""
    from kartoteka.store.resolution import run_resolution

    run_resolution(store)


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


def _start_run(store: Store, command: str, spacy_pipeline: str) -> int:
    with store.transaction() as conn:
        return conn.execute(
            "INSERT INTO runs (started_at, command, pipeline_version, spacy_pipeline)"
            " VALUES (?, ?, ?, ?)",
            (now(), command, PIPELINE_VERSION, spacy_pipeline),
        ).lastrowid


def _finish_run(store: Store, run_id: int, report: IngestReport) -> None:
    stats = {
        "added": len(report.added),
        "replaced": len(report.replaced),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "words": report.words,
        "seconds": round(report.seconds, 3),
    }
    with store.transaction() as conn:
        conn.execute(
            "UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
            (now(), json.dumps(stats), run_id),
        )
