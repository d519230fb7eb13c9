-- storyline store, schema 12: the document time of an undated article (the year its text points
-- to, how it was found and how sure), as JSON; NULL when the article is dated to the day.
ALTER TABLE annotations ADD COLUMN doc_time TEXT;

-- quotes.anonymous: an unnamed source; speaker_name then holds how the text describes it.
ALTER TABLE quotes ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
