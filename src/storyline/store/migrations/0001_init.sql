-- storyline store, schema 1: articles with full-text search, rejections, near-duplicate index.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    url TEXT,
    source TEXT,
    source_method TEXT,
    title TEXT,
    published TEXT,
    published_granularity TEXT,
    published_method TEXT,
    language TEXT,
    text TEXT NOT NULL,
    raw_text TEXT,
    captions TEXT NOT NULL DEFAULT '[]',
    headings TEXT NOT NULL DEFAULT '[]',
    removed TEXT NOT NULL DEFAULT '[]',
    repairs TEXT NOT NULL DEFAULT '[]',
    duplicate_of TEXT REFERENCES articles(id),
    pipeline_version TEXT,
    schema_version INTEGER,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

CREATE TABLE rejections (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    stage TEXT NOT NULL,
    code TEXT,
    reason TEXT NOT NULL,
    hint TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rejections_origin ON rejections(origin);

CREATE TABLE minhash (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
CREATE TABLE lsh_bands (
    band_key BLOB NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX lsh_bands_key ON lsh_bands(band_key);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    inputs TEXT,
    stored INTEGER DEFAULT 0,
    duplicates INTEGER DEFAULT 0,
    unchanged INTEGER DEFAULT 0,
    rejected INTEGER DEFAULT 0
);
