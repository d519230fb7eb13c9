-- storyline store, schema 8: linking rewrites a linked event's blocking keys by its id; without
-- this index each rewrite scanned the whole key table.
CREATE INDEX linked_event_keys_linked ON linked_event_keys(linked_id);
CREATE INDEX articles_duplicate ON articles(duplicate_of);
