-- How sure the source is of each event and how its date was found (issue 10).
--
-- event_mentions.modality: asserted | reported | hedged | planned | attempted (negated and
-- questioned tellings are not stored: they are not events).
-- date_source: clause | narrative | none. Older stores said "timex" or "sentence" for a date
-- in the sentence and NULL for none; they are renamed here, and the next ingest (a new
-- events version) recomputes them.
ALTER TABLE event_mentions ADD COLUMN modality TEXT NOT NULL DEFAULT 'asserted';
UPDATE event_mentions SET date_source = 'clause' WHERE date_source IN ('timex', 'sentence');
UPDATE event_mentions SET date_source = 'none' WHERE date_source IS NULL;
-- told as already known ("the arrest", "Sorge's arrest", "had been arrested"): merging joins
-- it to the telling it looks back to
ALTER TABLE event_mentions ADD COLUMN refers_back INTEGER NOT NULL DEFAULT 0;

-- The merged event: the surest modality among its tellings and where its date came from.
ALTER TABLE events ADD COLUMN modality TEXT NOT NULL DEFAULT 'asserted';
ALTER TABLE events ADD COLUMN date_source TEXT NOT NULL DEFAULT 'none';

-- A disagreement where one side is only hedged or reported is an alternative account, listed
-- apart from the contradictions between asserted accounts.
ALTER TABLE contradictions ADD COLUMN alternative INTEGER NOT NULL DEFAULT 0;
