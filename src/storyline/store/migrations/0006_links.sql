-- storyline store, schema 6: links across articles. A linked event is one real-world event
-- reported by several event mentions (rows of `events`) in several articles; a story groups
-- articles. Blocking keys make linking incremental: a new event looks up candidates by key.
CREATE TABLE linked_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    mode TEXT,
    date_value TEXT,
    date TEXT,
    place TEXT,
    actors TEXT NOT NULL DEFAULT '[]',
    recipients TEXT NOT NULL DEFAULT '[]',
    summary TEXT,
    story_id TEXT,
    mentions INTEGER NOT NULL DEFAULT 0,
    sources INTEGER NOT NULL DEFAULT 0,
    confidence REAL,
    words TEXT NOT NULL DEFAULT '[]',  -- content words of its sentences, for linking by wording
    triggers TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX linked_events_story ON linked_events(story_id);
CREATE INDEX linked_events_date ON linked_events(date_value);

CREATE TABLE linked_event_keys (
    key TEXT NOT NULL,
    linked_id TEXT NOT NULL REFERENCES linked_events(id) ON DELETE CASCADE
);
CREATE INDEX linked_event_keys_key ON linked_event_keys(key);

ALTER TABLE events ADD COLUMN linked_id TEXT;
CREATE INDEX events_linked ON events(linked_id);
ALTER TABLE events ADD COLUMN original_date TEXT;

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    start TEXT,
    end TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT
);
ALTER TABLE articles ADD COLUMN story_id TEXT;
CREATE INDEX articles_story ON articles(story_id);

-- the story clusterer's state, kept per story so that a batch rewrites only what it touched
CREATE TABLE story_state (
    story_id TEXT PRIMARY KEY,
    state TEXT NOT NULL
);
CREATE TABLE link_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE story_df (
    feature TEXT PRIMARY KEY,
    count INTEGER NOT NULL
);
