-- The corpus stages (resolution, then events and relations across sources) now commit in one
-- transaction, and every document written sets `settings.corpus_stages_pending` until they
-- have run (see kartoteka.corpus). A store made before may have been left mid-way by an
-- interrupted ingest (resolution committed, event merging not) with nothing to say so: mark
-- it, so that the next command rebuilds what is derived once.
INSERT OR IGNORE INTO settings (key, value)
SELECT 'corpus_stages_pending', '{}' WHERE EXISTS (SELECT 1 FROM documents);
