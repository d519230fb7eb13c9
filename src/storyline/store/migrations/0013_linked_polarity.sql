-- storyline store, schema 13: a linked event's polarity. Mentions that deny an event ("had not
-- bombed") or only suppose it link with each other, never with the asserted event: '' asserted
-- or reported, 'negated', 'hypothetical'.
ALTER TABLE linked_events ADD COLUMN polarity TEXT NOT NULL DEFAULT '';
