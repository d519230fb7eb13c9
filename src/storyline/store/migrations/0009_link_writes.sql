-- storyline store, schema 9: the link tables that every batch updates at random places
-- become WITHOUT ROWID tables clustered on their key, so an update touches one B-tree instead of
-- a table and its index (fewer pages written per batch as the tables grow); the second index on
-- articles.duplicate_of (schema 8 repeated schema 1's) is dropped.
CREATE TABLE story_df_new (
    feature TEXT PRIMARY KEY,
    count INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO story_df_new (feature, count) SELECT feature, count FROM story_df;
DROP TABLE story_df;
ALTER TABLE story_df_new RENAME TO story_df;

CREATE TABLE linked_event_keys_new (
    key TEXT NOT NULL,
    linked_id TEXT NOT NULL REFERENCES linked_events(id) ON DELETE CASCADE,
    PRIMARY KEY (key, linked_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO linked_event_keys_new (key, linked_id)
    SELECT key, linked_id FROM linked_event_keys;
DROP TABLE linked_event_keys;
ALTER TABLE linked_event_keys_new RENAME TO linked_event_keys;
CREATE INDEX linked_event_keys_linked ON linked_event_keys(linked_id);

DROP INDEX IF EXISTS articles_duplicate;

-- document-frequency increments of each linked batch, appended; folded into story_df when the
-- log is as long as the table (src/storyline/link/persist.py)
CREATE TABLE story_df_delta (
    feature TEXT NOT NULL,
    count INTEGER NOT NULL
);
