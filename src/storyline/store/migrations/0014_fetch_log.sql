-- storyline store, schema 14: the fetch log of `storyline watch`.
--
-- feeds: each watched RSS/Atom feed or sitemap, with what a conditional GET needs (etag,
-- last_modified) and its back-off: errors counts consecutive failures, next_due is the earliest
-- time it is fetched again (NULL: at the next poll). parent names the sitemap index that listed it.
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'feed',
    parent TEXT,
    added_at TEXT NOT NULL,
    last_fetch TEXT,
    last_status INTEGER,
    last_ok TEXT,
    etag TEXT,
    last_modified TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    next_due TEXT,
    last_error TEXT
);

-- fetch_log: every fetch of a feed, when, its HTTP status (NULL when no response came), the
-- validators it returned, how many of its entries were new and how many already known, and the
-- error (code and message) when it failed.
CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    at TEXT NOT NULL,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    items_new INTEGER NOT NULL DEFAULT 0,
    items_seen INTEGER NOT NULL DEFAULT 0,
    code TEXT,
    error TEXT,
    backoff_until TEXT,
    ms INTEGER
);
CREATE INDEX fetch_log_url ON fetch_log(url, at);

-- feed_entries: every entry (page URL) a feed listed. done_at is set once what was read from it
-- (articles or a rejection) is committed: such an entry is never fetched again. An entry without
-- done_at is fetched at the next poll (a run stopped midway, or a failure worth retrying:
-- attempts counts them).
CREATE TABLE feed_entries (
    url TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    title TEXT,
    published TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT,
    done_at TEXT,
    outcome TEXT,
    last_error TEXT
);
CREATE INDEX feed_entries_pending ON feed_entries(feed, first_seen, position) WHERE done_at IS NULL;
CREATE INDEX feed_entries_feed ON feed_entries(feed, done_at);
