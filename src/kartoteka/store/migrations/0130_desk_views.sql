-- The reader's desk, second pass (network, timeline, map).
--
-- The timeline leaves out the dates events took (they are drawn as the event) by looking up
-- each date's telling by document and time expression.
CREATE INDEX IF NOT EXISTS desk_event_mentions_timex ON event_mentions(doc_id, timex_idx);
-- Dated sentences are found by their date's lower bound, of the date kinds only.
CREATE INDEX IF NOT EXISTS desk_timexes_type_lower ON timexes(type, lower);
-- Events by place, for the map.
CREATE INDEX IF NOT EXISTS desk_events_place ON events(place_entity_id);
-- An authority file may locate a place: latitude and longitude in decimal degrees (WGS 84),
-- preferred to the gazetteer's guess.
ALTER TABLE authorities ADD COLUMN lat REAL;
ALTER TABLE authorities ADD COLUMN lon REAL;
-- The sentence around a dated statement, found by where it starts.
CREATE INDEX IF NOT EXISTS desk_sentences_start ON sentences(doc_id, start);
