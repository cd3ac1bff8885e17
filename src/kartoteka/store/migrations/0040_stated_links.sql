-- What a text says about identity ("Reiss, alias Ludwig", "Maclean (cryptonym: Homer)"):
-- the alias mention names the one the head mention names. Written by annotation
-- (kartoteka.nlp.identity), read by resolution as links stronger than any likeness, and
-- shown on the card and in the export as stated aliases with their passage.
CREATE TABLE stated_links (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head_idx INTEGER NOT NULL,       -- mentions.idx of the name the alias belongs to
    alias_idx INTEGER NOT NULL,      -- mentions.idx of the alias
    cue TEXT NOT NULL,               -- "alias", "cryptonym", "russian", "gloss", "title", ...
    start INTEGER NOT NULL,          -- the passage that states it, in the original text
    "end" INTEGER NOT NULL
);
CREATE INDEX stated_links_doc ON stated_links(doc_id);
