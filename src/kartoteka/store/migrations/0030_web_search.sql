-- Full-text search (SQLite FTS5) over documents and over entity names and aliases, and the
-- indexes the web pages need.
--
-- Both search tables are derived: kartoteka.query.search brings them up to date from the
-- store when the web app starts and before each search, when what they were built from has
-- changed (documents by id, sha256 and ingest time; names by a signature of entities and
-- aliases kept in search_state). So ingest and resolution write nothing for search.

CREATE VIRTUAL TABLE search_documents USING fts5(
    title, text, tokenize = 'unicode61 remove_diacritics 2');

CREATE VIRTUAL TABLE search_names USING fts5(
    name, entity_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');

-- Which version of each document search_documents holds (its rowid is the document id).
CREATE TABLE search_document_state (
    doc_id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

-- What each derived index was built from, to tell when it is stale.
CREATE TABLE search_state (
    what TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    built_at TEXT NOT NULL
);

-- Pages: names in one sentence (network, paths), tellings of an event (timeline, network),
-- suggestions per entity (card), events by date (timeline).
CREATE INDEX IF NOT EXISTS web_mentions_sentence ON mentions(doc_id, sentence, entity_id);
CREATE INDEX IF NOT EXISTS web_event_mentions_doc ON event_mentions(doc_id);
CREATE INDEX IF NOT EXISTS web_event_links_mention ON event_links(event_mention_id);
CREATE INDEX IF NOT EXISTS web_events_date ON events(date_lower);
CREATE INDEX IF NOT EXISTS web_relations_object ON relations(object_entity_id);
CREATE INDEX IF NOT EXISTS web_suggestions_left ON suggestions(left_entity_id);
CREATE INDEX IF NOT EXISTS web_suggestions_right ON suggestions(right_entity_id);
