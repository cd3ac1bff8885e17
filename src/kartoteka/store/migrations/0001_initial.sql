-- The first schema: documents and what was found in them (per document, replaced with the
-- document), what resolution derived from them (per corpus, rebuilt on every resolve), and
-- what people decided (judgements, never rewritten).

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    spacy_pipeline TEXT,
    stats TEXT  -- JSON: documents added, skipped, failed, words, seconds
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    title TEXT,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    as_of TEXT,
    text TEXT NOT NULL,          -- the original, as read; every offset indexes this
    clean_text TEXT NOT NULL,    -- what the NLP saw
    offset_map TEXT NOT NULL,    -- JSON OffsetMap: clean -> original
    removals TEXT NOT NULL,      -- JSON list of what cleaning removed and why
    words INTEGER NOT NULL DEFAULT 0,
    pipeline_version TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL
);

CREATE TABLE sentences (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,            -- position in the document's annotation
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    type TEXT NOT NULL CHECK (type IN ('PER', 'ORG', 'PLACE')),
    sentence INTEGER NOT NULL,
    source TEXT NOT NULL,
    entity_id INTEGER,               -- set by resolution
    UNIQUE (doc_id, idx)
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_doc ON mentions(doc_id, start);

CREATE TABLE timexes (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT,
    timex3 TEXT,
    lower TEXT,
    upper TEXT,
    anchor TEXT,
    mod TEXT,
    UNIQUE (doc_id, idx)
);
CREATE INDEX timexes_doc ON timexes(doc_id, start);
CREATE INDEX timexes_lower ON timexes(lower);

-- One telling of an event in one document; cross-source merging groups these.
CREATE TABLE event_mentions (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger_text TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    date TEXT,
    date_lower TEXT,
    date_upper TEXT,
    date_source TEXT,
    timex_idx INTEGER,
    place_mention_idx INTEGER,
    UNIQUE (doc_id, idx)
);

CREATE TABLE event_roles (
    event_mention_id INTEGER NOT NULL REFERENCES event_mentions(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    mention_idx INTEGER NOT NULL,    -- index of the mention within the same document
    PRIMARY KEY (event_mention_id, role, mention_idx)
) WITHOUT ROWID;

CREATE TABLE relation_mentions (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    subject_idx INTEGER NOT NULL,
    predicate TEXT NOT NULL,
    object_idx INTEGER NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    pattern TEXT
);
CREATE INDEX relation_mentions_doc ON relation_mentions(doc_id);

-- Derived per corpus by resolution: rebuilt whole, never edited by hand.
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,        -- stable across re-runs while the entity's mentions stay
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    identifier TEXT,                 -- e.g. a Wikidata QID from an authority file
    mention_count INTEGER NOT NULL DEFAULT 0,
    doc_count INTEGER NOT NULL DEFAULT 0,
    explanation TEXT                 -- JSON: why these mentions are one entity
);
CREATE INDEX entities_name ON entities(name);

CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    count INTEGER NOT NULL,
    doc_ids TEXT NOT NULL,           -- JSON list of document ids
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;

-- Merge suggestions below the threshold, for review.
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    left_entity_id INTEGER NOT NULL,
    right_entity_id INTEGER NOT NULL,
    score REAL NOT NULL,
    features TEXT NOT NULL           -- JSON: feature -> value, the explanation
);

-- Events after cross-source merging (one row per real event) and relations per entity pair.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    date TEXT,
    date_lower TEXT,
    date_upper TEXT,
    place_entity_id INTEGER,
    sources INTEGER NOT NULL DEFAULT 1,   -- corroboration: number of documents telling it
    roles TEXT NOT NULL                   -- JSON: role -> [entity id]
);
CREATE TABLE event_links (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    event_mention_id INTEGER NOT NULL,
    PRIMARY KEY (event_id, event_mention_id)
) WITHOUT ROWID;

CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    subject_entity_id INTEGER NOT NULL,
    predicate TEXT NOT NULL,
    object_entity_id INTEGER NOT NULL,
    relation_mention_ids TEXT NOT NULL,   -- JSON list
    UNIQUE (subject_entity_id, predicate, object_entity_id)
);

CREATE TABLE contradictions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                   -- date | place
    left_event_mention_id INTEGER NOT NULL,
    right_event_mention_id INTEGER NOT NULL,
    description TEXT NOT NULL
);

-- What people decided: append-only, re-applied on every resolve.
CREATE TABLE judgements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,          -- same | not_same | unsure | rename | split
    left_ref TEXT NOT NULL,      -- JSON: a stable reference to mentions (see resolve.judgements)
    right_ref TEXT,
    value TEXT,                  -- e.g. the new name for rename
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT
);

CREATE TABLE authorities (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,        -- the file it came from
    canonical TEXT NOT NULL,
    type TEXT NOT NULL,
    identifier TEXT,
    variants TEXT NOT NULL,      -- JSON list
    loaded_at TEXT NOT NULL
);
