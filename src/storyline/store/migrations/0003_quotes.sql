-- storyline store, schema 3: quotes (who said what), each pointing at its span in the text.
CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    content TEXT NOT NULL,
    cue TEXT,
    speaker_text TEXT,
    speaker_name TEXT,
    actor_id TEXT REFERENCES actors(id)
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_actor ON quotes(actor_id);
