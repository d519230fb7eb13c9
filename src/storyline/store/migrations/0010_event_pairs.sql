-- storyline store, schema 10: filtered event pages that combine two conditions are read from one
-- index in listing order. `event_codes` carries the event's type (actor + type pages), and
-- `event_pairs` holds each distinct (actor code, recipient code) of an event (pair pages: "USA
-- toward MLI"), so such a page stops after its rows instead of walking every event of the more
-- frequent code and checking the other condition per row.
ALTER TABLE event_codes ADD COLUMN type TEXT;
UPDATE event_codes SET type = (SELECT e.type FROM events e WHERE e.id = event_codes.event_id);
CREATE INDEX event_codes_code_type_sort ON event_codes(role, code, type, sort_key);

CREATE TABLE event_pairs (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    recipient TEXT NOT NULL,
    type TEXT,
    sort_key TEXT,
    PRIMARY KEY (event_id, actor, recipient)
) WITHOUT ROWID;
INSERT OR IGNORE INTO event_pairs (event_id, actor, recipient, type, sort_key)
    SELECT a.event_id, a.code, r.code, a.type, a.sort_key
    FROM event_codes a JOIN event_codes r ON r.event_id = a.event_id
    WHERE a.role = 'actor' AND r.role = 'recipient' AND a.code != '' AND r.code != '';
CREATE INDEX event_pairs_sort ON event_pairs(actor, recipient, sort_key);
CREATE INDEX event_pairs_type_sort ON event_pairs(actor, recipient, type, sort_key);
