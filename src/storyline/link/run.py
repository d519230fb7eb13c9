"""The link stage: after each stored batch, put the new articles in stories, complete their dates
from the story, and link their events to the events other articles report.

Order, per batch: (1) stories from text, actors and the events already linked by date;
(2) year-less and weekday dates of articles without a publication date completed from their
story's period (method ``story``; the original value is kept); (3) same-event linking (year-less
dates link only inside their story). Everything is incremental: state is read for the candidates
a new article or event can join, and one transaction writes what the batch changed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from storyline.link import dates
from storyline.link.events import EventLinker
from storyline.link.persist import StoryState
from storyline.link.stories import StoryInput
from storyline.store.sqlite import set_event_date


@dataclass
class LinkReport:
    articles: int = 0
    stories: int = 0
    linked_events: int = 0
    dates_completed: int = 0


def move_story(conn: Any, gone: str, kept: str) -> None:
    """A story merged into another: its articles and linked events move, and the blocking keys
    of its year-less linked events (filed under the story) name the story kept."""
    conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (kept, gone))
    conn.execute(
        "UPDATE OR REPLACE linked_event_keys SET key = substr(key, 1, length(key) - length(?2)) "
        "|| ?1 WHERE linked_id IN (SELECT id FROM linked_events WHERE story_id = ?2) "
        "AND key LIKE '%|story:' || ?2", (kept, gone))
    conn.execute("UPDATE linked_events SET story_id = ? WHERE story_id = ?", (kept, gone))


def _published(value: str | None) -> dt.date | None:
    if value and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


class Linker:
    """Links batches of stored articles; keeps the story clusterer loaded between batches."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.conn = store.conn
        self.state = StoryState(self.conn)
        self.clusterer = self.state.load()

    def story_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM stories").fetchone()[0])

    def link_pending(self, batch: int = 256) -> LinkReport:
        """Link stored articles that have no story yet (a run stopped between storing a batch
        and linking it, or a store written with linking off)."""
        total = LinkReport()
        while True:
            # one sorted read of the pending ids, then batches (a query per batch would sort
            # every pending article again); the story_id index finds them
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM articles WHERE story_id IS NULL AND +duplicate_of IS NULL "
                "AND analysed_version IS NOT NULL ORDER BY coalesce(published, '9999'), id")]
            if not ids:
                return total
            linked = 0
            for start in range(0, len(ids), batch):
                report = self.link(ids[start:start + batch])
                total.articles += report.articles
                total.linked_events += report.linked_events
                linked += report.articles
            if linked == 0:
                return total

    def link(self, article_ids: list[str]) -> LinkReport:
        report = LinkReport()
        conn = self.conn
        ids = [i for i in dict.fromkeys(article_ids)]
        if not ids:
            return report
        rows = []
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            rows += conn.execute(
                # unary + keeps the planner on the primary key: without it, a long id list
                # loses to the duplicate_of index and every batch scans the whole table
                f"""SELECT id, title, text, published FROM articles WHERE id IN ({marks})
                    AND +duplicate_of IS NULL AND +story_id IS NULL
                    AND analysed_version IS NOT NULL""", chunk).fetchall()
        if not rows:
            return report
        rows.sort(key=lambda r: (r["published"] or "9999", r["id"]))
        inputs = []
        for r in rows:
            actors = tuple(a[0] for a in conn.execute(
                "SELECT DISTINCT actor_id FROM actor_mentions WHERE article_id = ?", (r["id"],)))
            published = _published(r["published"])
            inputs.append(StoryInput(r["id"], r["text"], title=r["title"], published=published,
                                     actors=actors,
                                     not_before=None if published else self._not_before(r["id"])))
        conn.execute("BEGIN IMMEDIATE")
        try:
            story_ids = self.clusterer.add_many(inputs)
            stories = {doc.id: sid for doc, sid in zip(inputs, story_ids, strict=True)}
            changed = self.state.save(self.clusterer)
            self.clusterer.forget_members()
            for gone, kept in self.clusterer.merged.items():
                move_story(conn, gone, kept)
            self.clusterer.merged.clear()
            conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?",
                             [(self.clusterer.story_of(doc.id), doc.id) for doc in inputs])
            stories = {a: self.clusterer.story_of(a) for a in stories}
            report.dates_completed = self._complete_dates(list(stories), stories)
            report.linked_events = EventLinker(conn).link(list(stories), stories)
            self._refresh_stories(changed)
            # a near-duplicate (a syndicated copy) belongs to its original's story, whether it
            # came in this batch or earlier (a run stopped before linking its original)
            marks = ",".join("?" * len(ids))
            conn.execute(f"""UPDATE articles SET story_id = (SELECT o.story_id FROM articles o
                             WHERE o.id = articles.duplicate_of)
                             WHERE id IN ({marks}) AND duplicate_of IS NOT NULL""", ids)
            linked = [doc.id for doc in inputs]
            conn.execute(f"""UPDATE articles SET story_id = (SELECT o.story_id FROM articles o
                             WHERE o.id = articles.duplicate_of)
                             WHERE duplicate_of IN ({",".join("?" * len(linked))})""", linked)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            self.clusterer = self.state.load()  # the saved state, not the half-applied one
            raise
        report.articles = len(rows)
        report.stories = len(set(stories.values()))
        return report

    def detach(self, article_ids: list[str], drop_analysis: bool = False) -> int:
        """Take articles out of the stories layer (before their analysis changes or goes):
        their events leave the linked events they joined (an emptied linked event is deleted;
        the others keep their counts right), they leave their story, and with
        ``drop_analysis`` their analysis is removed (near duplicates that were originals). A
        story keeps the words a departed article brought it (its vector sum is pruned and
        cannot give them back); ``relink`` rebuilds the layer exactly. Returns how many
        articles left a story."""
        from storyline.link.events import source_counts

        conn = self.conn
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return 0
        left = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            linked: set[str] = set()
            for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
                marks = ",".join("?" * len(chunk))
                linked.update(r[0] for r in conn.execute(
                    f"SELECT DISTINCT linked_id FROM events WHERE article_id IN ({marks}) "
                    "AND linked_id IS NOT NULL", chunk))
                conn.execute(f"UPDATE events SET linked_id = NULL WHERE article_id IN ({marks})",
                             chunk)
            if linked:
                ordered = sorted(linked)
                counts = source_counts(conn, ordered)
                for linked_id in ordered:
                    mentions = conn.execute("SELECT count(*) FROM events WHERE linked_id = ?",
                                            (linked_id,)).fetchone()[0]
                    if mentions == 0:
                        conn.execute("DELETE FROM linked_events WHERE id = ?", (linked_id,))
                    else:
                        conn.execute("UPDATE linked_events SET mentions = ?, sources = ? "
                                     "WHERE id = ?", (mentions, counts[linked_id], linked_id))
            for article_id in ids:
                if self.clusterer.leave(article_id):
                    left += 1
            changed = self.state.save(self.clusterer)
            self._refresh_stories(changed)
            for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"UPDATE articles SET story_id = NULL WHERE id IN ({marks})", chunk)
            if drop_analysis:
                self.store.drop_analysis(ids)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            self.clusterer = self.state.load()
            raise
        return left

    def follow_originals(self, article_ids: list[str]) -> None:
        """Near duplicates belong to their original's story (after settling moved them)."""
        ids = list(dict.fromkeys(article_ids))
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            self.conn.execute(
                f"""UPDATE articles SET story_id = (SELECT o.story_id FROM articles o
                    WHERE o.id = articles.duplicate_of)
                    WHERE id IN ({marks}) AND duplicate_of IS NOT NULL""", chunk)

    def _not_before(self, article_id: str) -> dt.date | None:
        """For an undated article: January 1 of the latest year its time expressions name in a
        past or present sense (an article is not older than the years it looks back on)."""
        row = self.conn.execute("SELECT timexes FROM annotations WHERE article_id = ?",
                                (article_id,)).fetchone()
        if row is None or not row[0]:
            return None
        years = []
        for t in json.loads(row[0]):
            value = str(t.get("value") or "")
            if value[:4].isdigit() and t.get("tense") != "future" and \
                    not str(t.get("text", "")).lower().startswith(("by ", "until ")):
                years.append(int(value[:4]))
        return dt.date(max(years), 1, 1) if years else None

    def _complete_dates(self, article_ids: list[str], stories: dict[str, str]) -> int:
        """Year-less and weekday event dates of undated articles, placed in the story period."""
        done = 0
        conn = self.conn
        for article_id in article_ids:
            row = conn.execute("SELECT published FROM articles WHERE id = ?",
                               (article_id,)).fetchone()
            if row is None or row["published"]:
                continue
            period = self._period(stories[article_id])
            if period is None:
                continue
            start, end = period
            for e in conn.execute("SELECT id, date, modality FROM events WHERE article_id = ?",
                                  (article_id,)).fetchall():
                date = json.loads(e["date"]) if e["date"] else None
                value = (date or {}).get("value")
                relative = (date or {}).get("relative")
                if (date or {}).get("method") == "inferred" and date.get("original"):
                    value = date["original"]  # the story's dated articles beat the text's year
                if not value and not relative:
                    # no time expression and no publication date: the story's dates
                    placed = start.isoformat() if start == end else f"{start}/{end}"
                    new = {"value": placed, "granularity": dates.granularity(placed),
                           "method": "story"}
                    set_event_date(conn, e["id"], new)
                    done += 1
                    continue
                if value and not dates.has_year(value):
                    placed = dates.complete(str(value), start, end, e["modality"] == "future")
                elif not value and relative:
                    placed = dates.resolve_relative(str(relative), start, end)
                else:
                    continue
                if not placed:
                    continue
                new = {"value": placed, "granularity": dates.granularity(placed),
                       "method": "story", "original": value or relative}
                set_event_date(conn, e["id"], new, original=value or relative)
                done += 1
        return done

    def _period(self, story_id: str) -> tuple[dt.date, dt.date] | None:
        """The dated span of a story: its articles' publication dates."""
        story = self.clusterer.story(story_id)
        if story is None or story.start is None or story.end is None:
            return None
        return story.start, story.end

    def _refresh_stories(self, story_ids: list[str]) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        for story_id in story_ids:
            story = self.clusterer.story(story_id)
            if story is None:
                self.conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
                continue
            span = ((story.start.isoformat(), story.end.isoformat())
                    if story.start and story.end else self._span(story_id))
            self.conn.execute(
                """INSERT INTO stories (id, title, start, end, articles, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,
                   start = excluded.start, end = excluded.end, articles = excluded.articles,
                   updated_at = excluded.updated_at""",
                (story_id, story.title, span[0], span[1], len(story.articles), now))

    def _span(self, story_id: str) -> tuple[str | None, str | None]:
        """A story's period: its articles' publication dates; for a story of undated articles,
        the dates (with a year) its sentences give its events."""
        days = sorted(str(r[0])[:10] for r in self.conn.execute(
            "SELECT published FROM articles WHERE story_id = ? AND published IS NOT NULL",
            (story_id,)))
        if not days:
            days = sorted(str(r[0])[:10] for r in self.conn.execute(
                """SELECT e.date_value FROM events e JOIN articles a ON a.id = e.article_id
                   WHERE a.story_id = ? AND e.date_value GLOB '[0-9][0-9][0-9][0-9]-*'""",
                (story_id,)))
        return (days[0], days[-1]) if days else (None, None)


LINK_TABLES = ("linked_event_keys", "linked_events", "stories", "story_state", "story_df",
               "story_df_delta", "link_meta")


def relink(store: Any, batch: int = 256) -> LinkReport:
    """Rebuild the stories layer from the stored articles and events: empty the link tables,
    give events back the dates they were extracted with, and link every analysed original
    again, oldest first (the order of ``link_pending``). A store written by two processes at
    once before schema 11, or one whose analysis changed, gets its stories right again."""
    conn = store.conn
    with store.writing():
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in LINK_TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL")
            restored = conn.execute(
                "SELECT id, extracted_date FROM events WHERE extracted_date IS NOT NULL"
            ).fetchall()
            for event_id, extracted in restored:
                date = json.loads(extracted)
                _restore_date(conn, event_id, date)
            conn.execute("UPDATE events SET linked_id = NULL, extracted_date = NULL, "
                         "original_date = NULL WHERE linked_id IS NOT NULL "
                         "OR extracted_date IS NOT NULL")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        linker = Linker(store)
        report = linker.link_pending(batch)
        linker.follow_originals([r[0] for r in conn.execute(
            "SELECT id FROM articles WHERE duplicate_of IS NOT NULL")])
        report.stories = linker.story_count()
        return report


def _restore_date(conn: Any, event_id: str, date: dict[str, Any] | None) -> None:
    from storyline.store.sqlite import event_sort_key

    row = conn.execute("SELECT article_id, trigger_start FROM events WHERE id = ?",
                       (event_id,)).fetchone()
    value = (date or {}).get("value")
    key = event_sort_key(value, row[0], row[1])
    conn.execute("UPDATE events SET date = ?, date_value = ?, sort_key = ? WHERE id = ?",
                 (json.dumps(date) if date else None, value, key, event_id))
    conn.execute("UPDATE event_codes SET sort_key = ? WHERE event_id = ?", (key, event_id))
    conn.execute("UPDATE event_pairs SET sort_key = ? WHERE event_id = ?", (key, event_id))
