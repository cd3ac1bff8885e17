-- Incremental resolution (kartoteka.incremental): what the last resolution saw, so that the
-- next one re-resolves only the name blocks a change touches.

-- Each unit (every mention of one name in one document) as the last resolution left it.
CREATE TABLE resolution_units (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL,        -- no foreign key: a removed document's units say what it touched
    name TEXT NOT NULL,             -- the unit's name, as judgements refer to it
    entity_id INTEGER,
    UNIQUE (doc_id, name)
);
CREATE INDEX resolution_units_entity ON resolution_units(entity_id);
CREATE INDEX resolution_units_name ON resolution_units(name);

-- The blocking keys of each unit (a 64-bit hash of the key: a collision only re-resolves more).
CREATE TABLE resolution_keys (
    key INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES resolution_units(id) ON DELETE CASCADE,
    PRIMARY KEY (key, unit_id)
) WITHOUT ROWID;
CREATE INDEX resolution_keys_unit ON resolution_keys(unit_id);

-- Per document, the names its own text links (pairs resolution scores within the document),
-- found once per version of its mentions.
CREATE TABLE name_links (
    doc_id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,      -- of the mentions and settings the links were found with
    links TEXT NOT NULL             -- JSON [[name, name], ...]
);

-- Documents whose mentions changed since the last resolution. Kept by triggers, so that any
-- writer's change (an ingest, a replaced or removed document) is seen.
CREATE TABLE resolution_dirty (doc_id INTEGER PRIMARY KEY);

CREATE TRIGGER resolution_dirty_insert AFTER INSERT ON mentions BEGIN
    INSERT OR IGNORE INTO resolution_dirty (doc_id) VALUES (new.doc_id);
END;
CREATE TRIGGER resolution_dirty_delete AFTER DELETE ON mentions BEGIN
    INSERT OR IGNORE INTO resolution_dirty (doc_id) VALUES (old.doc_id);
END;
CREATE TRIGGER resolution_dirty_update
AFTER UPDATE OF doc_id, start, "end", text, name, title, type, sentence ON mentions BEGIN
    INSERT OR IGNORE INTO resolution_dirty (doc_id) VALUES (old.doc_id);
    INSERT OR IGNORE INTO resolution_dirty (doc_id) VALUES (new.doc_id);
END;
