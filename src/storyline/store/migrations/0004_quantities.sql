-- storyline store, schema 4: quantities (figures with units, qualifiers and what they measure).
CREATE TABLE quantities (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    value REAL,
    value_max REAL,
    unit TEXT,
    normalized_value REAL,
    normalized_unit TEXT,
    qualifier TEXT,
    measures TEXT,
    year INTEGER
);
CREATE INDEX quantities_article ON quantities(article_id);
