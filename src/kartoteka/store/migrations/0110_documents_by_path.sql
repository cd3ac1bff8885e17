-- Documents are named by the path they were read from, no longer by file name alone: two
-- files of one name in two folders are two documents to resolution and to the judgement log
-- (kartoteka.store.resolution.DocumentIndex).
--
-- A judgement logged before named each document by its file name. Each such reference is
-- pinned here to the path of the one document it can mean: the one document of that file
-- name, or of several, the one that holds the name the reference is about. A reference
-- that still may mean several documents is left as logged (DocumentIndex reads it the same
-- way; it is not applied and `kartoteka judgements` marks it), and so is one naming a
-- document the store no longer holds (it applies again when a document of that name comes
-- back). What a row said before is kept in refs_as_logged.

ALTER TABLE judgements ADD COLUMN refs_as_logged TEXT;

CREATE TEMP TABLE pinned_refs AS
SELECT j.id AS judgement_id, side.name AS side, r.key AS position, r.value AS logged,
    (SELECT d.path FROM documents d WHERE d.name = json_extract(r.value, '$[0]')) AS only_path,
    (SELECT COUNT(*) FROM documents d WHERE d.name = json_extract(r.value, '$[0]')) AS named,
    (SELECT MIN(d.path) FROM documents d WHERE d.name = json_extract(r.value, '$[0]')
        AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id = d.id
                    AND m.name = json_extract(r.value, '$[1]'))) AS holding_path,
    (SELECT COUNT(*) FROM documents d WHERE d.name = json_extract(r.value, '$[0]')
        AND EXISTS (SELECT 1 FROM mentions m WHERE m.doc_id = d.id
                    AND m.name = json_extract(r.value, '$[1]'))) AS holding
FROM judgements j
JOIN (SELECT 'left' AS name UNION ALL SELECT 'right') side
JOIN json_each(CASE side.name WHEN 'left' THEN j.left_ref ELSE COALESCE(j.right_ref, '[]') END) r
WHERE json_type(r.value) = 'array' AND json_type(r.value, '$[0]') = 'text'
    AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.path = json_extract(r.value, '$[0]'));

UPDATE pinned_refs SET logged = json_array(
    CASE WHEN named = 1 THEN only_path ELSE holding_path END, json_extract(logged, '$[1]'))
WHERE named = 1 OR holding = 1;

DELETE FROM pinned_refs WHERE NOT (named = 1 OR holding = 1);

UPDATE judgements SET
    refs_as_logged = json_array(json(left_ref), json(COALESCE(right_ref, '[]'))),
    left_ref = (
        SELECT json_group_array(json(COALESCE(p.logged, r.value)))
        FROM json_each(judgements.left_ref) r
        LEFT JOIN pinned_refs p ON p.judgement_id = judgements.id AND p.side = 'left'
            AND p.position = r.key
    ),
    right_ref = CASE WHEN right_ref IS NULL THEN NULL ELSE (
        SELECT json_group_array(json(COALESCE(p.logged, r.value)))
        FROM json_each(judgements.right_ref) r
        LEFT JOIN pinned_refs p ON p.judgement_id = judgements.id AND p.side = 'right'
            AND p.position = r.key
    ) END
WHERE id IN (SELECT judgement_id FROM pinned_refs);

DROP TABLE pinned_refs;

-- Where two documents share a file name, what resolution derived was made with the two as
-- one: mark the corpus stages pending, so the next command rebuilds it once.
INSERT OR IGNORE INTO settings (key, value)
SELECT 'corpus_stages_pending', '{}'
WHERE EXISTS (SELECT 1 FROM documents GROUP BY name HAVING COUNT(*) > 1);
