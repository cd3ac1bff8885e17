-- What is known of each source besides its text (kartoteka.model.SourceMetadata), from a
-- sidecar file beside the sources (sources.csv, CSL-JSON) or the file's own metadata. All
-- NULL when nothing is known. documents.title is the title shown: the metadata's, else the
-- one the text gives itself. documents.as_of is the reference date used: --as-of, else `date`.

-- as given; several authors separated by "; " ("Dewar, Hugo; Smith, Jane")
ALTER TABLE documents ADD COLUMN author TEXT;
-- EDTF: when the source was written or published ("1951", "1951-03")
ALTER TABLE documents ADD COLUMN date TEXT;
-- what the source is: memoir, history, newspaper, chapter, ... (free text, or a CSL type)
ALTER TABLE documents ADD COLUMN kind TEXT;
-- how far to trust it, in the user's words
ALTER TABLE documents ADD COLUMN reliability TEXT;
-- where the metadata came from: "/sources/sources.csv line 3", "EPUB metadata"
ALTER TABLE documents ADD COLUMN metadata_from TEXT;
