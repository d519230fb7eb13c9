"""The story clusterer's state in the store, so that linking continues across runs.

Each story is one row of ``story_state`` (its pruned vector sum, blocking keys, articles, period
and title); the next story number and the document count are in ``link_meta``. A batch rewrites
only the stories it touched, so the cost of saving follows the batch, not the store.

The document frequencies behind IDF are ``story_df`` plus the increments appended to
``story_df_delta``: a batch adds thousands of features, and updating them in place would dirty
pages all over a table that grows with the store (the batch's write cost would grow with it).
Appends land on the table's last pages; once the log is as long as the table (and at least
:data:`FOLD_MIN` rows) it is folded into ``story_df`` in one pass, so each increment is written
a bounded number of times.
"""

from __future__ import annotations

import json
from typing import Any

from storyline.link.features import DocumentFrequencies
from storyline.link.stories import StoryClusterer

FOLD_MIN = 200_000  # least length of the increment log before it is folded into story_df


class StoryState:
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._logged = 0  # rows in story_df_delta (read by load)
        self._base: int | None = None

    def _base_rows(self) -> int:
        if self._base is None:
            self._base = int(self.conn.execute("SELECT count(*) FROM story_df").fetchone()[0])
        return self._base

    def fold(self) -> None:
        """Add the logged increments into ``story_df`` and empty the log (inside the caller's
        transaction)."""
        self.conn.execute(
            "INSERT INTO story_df (feature, count) SELECT feature, sum(count) FROM story_df_delta "
            "WHERE true GROUP BY feature "
            "ON CONFLICT(feature) DO UPDATE SET count = story_df.count + excluded.count")
        self.conn.execute("DELETE FROM story_df_delta")
        self._logged = 0
        self._base = None

    def load(self) -> StoryClusterer:
        self._logged = int(self.conn.execute("SELECT count(*) FROM story_df_delta").fetchone()[0])
        self._base = None
        df = DocumentFrequencies()
        for feature, count in self.conn.execute("SELECT feature, count FROM story_df"):
            df.counts[feature] = count
        for feature, count in self.conn.execute("SELECT feature, count FROM story_df_delta"):
            df.counts[feature] += count
        row = self.conn.execute("SELECT value FROM link_meta WHERE key = 'documents'").fetchone()
        df.documents = int(row[0]) if row else 0
        row = self.conn.execute("SELECT value FROM link_meta WHERE key = 'next_story'").fetchone()
        clusterer = StoryClusterer(df=df)
        clusterer.restore((json.loads(r[0]) for r in self.conn.execute(
            "SELECT state FROM story_state")), int(row[0]) if row else 1)
        clusterer.touched.clear()
        df.pending.clear()
        return clusterer

    def save(self, clusterer: StoryClusterer) -> list[str]:
        """Write the touched stories and the new document frequencies (inside the caller's
        transaction); returns the touched story ids (merged-away ones included)."""
        touched = sorted(clusterer.touched)
        for story_id in touched:
            data = clusterer.export_story(story_id)
            if data is None:
                self.conn.execute("DELETE FROM story_state WHERE story_id = ?", (story_id,))
            else:
                self.conn.execute(
                    "INSERT INTO story_state VALUES (?, ?) ON CONFLICT(story_id) DO UPDATE SET "
                    "state = excluded.state", (story_id, json.dumps(data, ensure_ascii=False)))
        df = clusterer.df
        self.conn.executemany("INSERT INTO story_df_delta (feature, count) VALUES (?, ?)",
                              df.pending.items())
        self._logged += len(df.pending)
        df.pending.clear()
        if self._logged >= max(FOLD_MIN, self._base_rows()):
            self.fold()
        for key, value in (("documents", df.documents), ("next_story", clusterer.next_id)):
            self.conn.execute("INSERT INTO link_meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                              "SET value = excluded.value", (key, str(value)))
        clusterer.touched.clear()
        return touched
