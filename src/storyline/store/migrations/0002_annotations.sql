-- storyline store, schema 2: annotations (sentences, time expressions, places) and actors with
-- their mentions.
CREATE TABLE annotations (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    sentences TEXT NOT NULL DEFAULT '[]',
    timexes TEXT NOT NULL DEFAULT '[]',
    places TEXT NOT NULL DEFAULT '[]',
    pipeline_version TEXT
);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    roles TEXT NOT NULL DEFAULT '[]',
    affiliations TEXT NOT NULL DEFAULT '[]',
    aliases TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX actors_country ON actors(country);
CREATE INDEX actors_name ON actors(name);

CREATE TABLE actor_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT,
    sentence INTEGER,
    PRIMARY KEY (article_id, start, end)
);
CREATE INDEX actor_mentions_actor ON actor_mentions(actor_id);
