-- What a user chose for this store and every later run must keep using (their event
-- ontology, their relation patterns): key -> value.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
