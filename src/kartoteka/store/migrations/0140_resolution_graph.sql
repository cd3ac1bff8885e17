-- The last full resolution's graph (kartoteka.graph_changes): its units, the representatives of
-- each name and the blocks they fall in, and every pair it scored with what the merge made
-- of it. With them, documents that are only added are resolved without reading the corpus
-- again: their names are scored against the blocks they fall in, and the merges are
-- replayed over the entities they reach. Rewritten by every full run; kept in step by
-- every run on added documents; a run of any other kind leaves it stale (resolution_state
-- says so) until the next full run.

CREATE TABLE graph_units (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL,        -- no foreign key: rewritten with the resolution
    doc TEXT NOT NULL,              -- the document's key (resolution orders units by doc, first_pos)
    name TEXT NOT NULL,
    gender TEXT,
    first_pos INTEGER NOT NULL,
    year INTEGER,
    own_type TEXT NOT NULL,         -- the type its own mentions give it
    type TEXT NOT NULL,             -- after the corpus's vote
    titled INTEGER NOT NULL,
    count INTEGER NOT NULL,         -- its mentions
    fold TEXT NOT NULL,             -- the folded name the corpus votes a type for
    signature TEXT,                 -- units of one signature are one name (NULL: none)
    rep INTEGER NOT NULL,           -- a representative: compared in blocks
    accounted INTEGER NOT NULL,     -- a name its text accounts for (a stated identity)
    acronym TEXT,                   -- an organization representative's acronym
    short TEXT,                     -- an organization representative written as one
    first_mention INTEGER NOT NULL,
    mention_ids TEXT NOT NULL,      -- JSON
    doc_name TEXT,                  -- what it adds to the names its document mentions
    data TEXT                       -- a representative: the unit in full (JSON), to compare
);
CREATE INDEX graph_units_signature ON graph_units(signature);
CREATE INDEX graph_units_fold ON graph_units(fold);
CREATE INDEX graph_units_doc ON graph_units(doc_id);
CREATE INDEX graph_units_first ON graph_units(first_mention);
CREATE INDEX graph_units_acronym ON graph_units(acronym) WHERE acronym IS NOT NULL;
CREATE INDEX graph_units_short ON graph_units(short) WHERE short IS NOT NULL;

CREATE TABLE graph_blocks (
    key TEXT NOT NULL,
    unit INTEGER NOT NULL,
    PRIMARY KEY (key, unit)
) WITHOUT ROWID;

CREATE TABLE graph_features (
    id INTEGER PRIMARY KEY,
    json TEXT NOT NULL UNIQUE
);

-- Every pair scored at least at the suggestion threshold; `merged`, for those at the merge
-- threshold (`above`): 1 merged, 0 kept apart by a constraint, 2 already one cluster.
CREATE TABLE graph_pairs (
    id INTEGER PRIMARY KEY,
    left INTEGER NOT NULL,
    right INTEGER NOT NULL,
    score REAL NOT NULL,
    same_doc INTEGER NOT NULL,
    rule TEXT NOT NULL,
    origin TEXT NOT NULL,           -- document, star, block, acronym, stated
    features INTEGER NOT NULL,
    merged INTEGER,
    above INTEGER NOT NULL
);
CREATE INDEX graph_pairs_left ON graph_pairs(left, above);
CREATE INDEX graph_pairs_right ON graph_pairs(right, above);

-- What each entity's cluster holds that can keep it from joining another (its constraints:
-- `resolve.cluster.profile_of`), to decide suggestions and additions without its units.
CREATE TABLE graph_profiles (
    entity_id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL
);

CREATE INDEX graph_units_name ON graph_units(doc, name);
