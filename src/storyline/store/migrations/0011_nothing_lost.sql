-- storyline store, schema 11: nothing lost, and the same store however it is run.
--
-- stage_failures: a stage (or one sentence inside it) that failed on an article stored anyway;
-- sentence -1 means the whole stage. The digest names the bug across articles.
CREATE TABLE stage_failures (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    part TEXT NOT NULL DEFAULT '',
    sentence INTEGER NOT NULL DEFAULT -1,
    code TEXT NOT NULL DEFAULT 'E015',
    error TEXT NOT NULL,
    digest TEXT NOT NULL,
    traceback TEXT,
    pipeline_version TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (article_id, stage, part, sentence)
);
CREATE INDEX stage_failures_digest ON stage_failures(digest);

-- analysed_version: the pipeline version whose analysis stages ran on the article; NULL for a
-- near-duplicate (not analysed) and for an original waiting for its analysis (a copy that became
-- the original when an earlier-ranked copy turned up, or a run stopped in between).
ALTER TABLE articles ADD COLUMN analysed_version TEXT;
UPDATE articles SET analysed_version = pipeline_version WHERE duplicate_of IS NULL;
CREATE INDEX articles_unanalysed ON articles(id)
    WHERE analysed_version IS NULL AND duplicate_of IS NULL;

-- the date an event had when it was extracted, before linking completed it from the story, so
-- that the stories layer can be rebuilt (storyline relink)
ALTER TABLE events ADD COLUMN extracted_date TEXT;

-- actor forms: each actor as an article's analysis found it (its id is a hash of kind, country
-- and name, so it depends on the article alone). `actors` holds the canonical actors; which form
-- belongs to which canonical actor is decided from the set of forms (see store/actors.py), and the
-- rows that name an actor keep the form beside the canonical id, so a form can move.
CREATE TABLE actor_forms (
    id TEXT PRIMARY KEY,
    canonical_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    roles TEXT NOT NULL DEFAULT '[]',
    affiliations TEXT NOT NULL DEFAULT '[]',
    aliases TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX actor_forms_canonical ON actor_forms(canonical_id);
-- look-up keys of the forms: 'org:' name or alias, 'tok:' first or last word of a full name,
-- 'one:' a one-word person name (all casefolded)
-- what each article said of each form (its analysis alone): the forms' merged fields are
-- recomputed from these rows when an article's analysis goes (reprocess, or it became a copy)
CREATE TABLE article_actors (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    form_id TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    roles TEXT NOT NULL DEFAULT '[]',
    affiliations TEXT NOT NULL DEFAULT '[]',
    aliases TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, form_id)
) WITHOUT ROWID;
CREATE INDEX article_actors_form ON article_actors(form_id);
CREATE TABLE actor_form_keys (
    key TEXT NOT NULL,
    form_id TEXT NOT NULL,
    PRIMARY KEY (key, form_id)
) WITHOUT ROWID;
INSERT INTO actor_forms (id, canonical_id, kind, name, country, sector, roles, affiliations, aliases)
    SELECT id, id, kind, name, country, sector, roles, affiliations, aliases FROM actors;

ALTER TABLE actor_mentions ADD COLUMN form_id TEXT;
UPDATE actor_mentions SET form_id = actor_id;
CREATE INDEX actor_mentions_form ON actor_mentions(form_id);
ALTER TABLE quotes ADD COLUMN speaker_form_id TEXT;
UPDATE quotes SET speaker_form_id = actor_id;
CREATE INDEX quotes_form ON quotes(speaker_form_id);
ALTER TABLE event_codes ADD COLUMN form_id TEXT;
UPDATE event_codes SET form_id = actor_id;
CREATE INDEX event_codes_form ON event_codes(form_id);
