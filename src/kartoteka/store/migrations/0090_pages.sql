-- Pages and boxes of laid-out sources (PDF, EPUB with print page markers, Word, ALTO, hOCR).
-- Both NULL for a source without pages (plain text, Markdown, HTML).

-- JSON [[offset, page number], ...]: the page of every character of `text` (kartoteka.read.pages)
ALTER TABLE documents ADD COLUMN page_map TEXT;
-- JSON [[start, end, page, "line"|"word", x, y, width, height], ...] in text order
ALTER TABLE documents ADD COLUMN boxes TEXT;
