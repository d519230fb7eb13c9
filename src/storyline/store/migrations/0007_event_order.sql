-- storyline store, schema 7: events listed in one indexed order. `sort_key` is the listing
-- order (date, then article, then position: coalesce(date_value, '9999') | article_id |
-- trigger_start) kept on events and on their actor/recipient codes, so that a filtered page is
-- read from an index in order and stops at the page's end instead of sorting every match.
ALTER TABLE events ADD COLUMN sort_key TEXT;
ALTER TABLE event_codes ADD COLUMN sort_key TEXT;
UPDATE events SET sort_key = coalesce(date_value, '9999') || '|' || article_id || '|' ||
    printf('%08d', coalesce(trigger_start, 0));
UPDATE event_codes SET sort_key = (SELECT e.sort_key FROM events e WHERE e.id = event_codes.event_id);
CREATE INDEX events_sort ON events(sort_key);
CREATE INDEX events_type_sort ON events(type, sort_key);
CREATE INDEX event_codes_code_sort ON event_codes(role, code, sort_key);
CREATE INDEX event_codes_actor_sort ON event_codes(role, actor_id, sort_key);
