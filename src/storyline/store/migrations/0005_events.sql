-- storyline store, schema 5: PLOVER events, and their actor and recipient codes for filtering.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    mode TEXT,
    sentence INTEGER,
    char_start INTEGER,
    char_end INTEGER,
    trigger TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    actors TEXT NOT NULL DEFAULT '[]',
    recipients TEXT NOT NULL DEFAULT '[]',
    contexts TEXT NOT NULL DEFAULT '[]',
    date_value TEXT,
    date TEXT,
    place TEXT,
    modality TEXT,
    confidence REAL,
    cameo TEXT
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date_value);

CREATE TABLE event_codes (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL,  -- actor or recipient
    code TEXT NOT NULL,
    actor_id TEXT
);
CREATE INDEX event_codes_code ON event_codes(role, code);
CREATE INDEX event_codes_event ON event_codes(event_id);
