"""The story clusterer's state in the store, so that linking continues across runs.

Each story is one row of ``story_state`` (its pruned vector sum, blocking keys, articles, period
and title); the document frequencies behind IDF are rows of ``story_df``, updated by the counts
of each batch; the next story number is in ``link_meta``. A batch rewrites only the stories it
touched, so the cost of saving follows the batch, not the store.
"""

from __future__ import annotations

import json
from typing import Any

from storyline.link.features import DocumentFrequencies
from storyline.link.stories import StoryClusterer


class StoryState:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def load(self) -> StoryClusterer:
        df = DocumentFrequencies()
        for feature, count in self.conn.execute("SELECT feature, count FROM story_df"):
            df.counts[feature] = count
        row = self.conn.execute("SELECT value FROM link_meta WHERE key = 'documents'").fetchone()
        df.documents = int(row[0]) if row else 0
        row = self.conn.execute("SELECT value FROM link_meta WHERE key = 'next_story'").fetchone()
        clusterer = StoryClusterer(df=df)
        clusterer.restore((json.loads(r[0]) for r in self.conn.execute(
            "SELECT state FROM story_state")), int(row[0]) if row else 1)
        clusterer.touched.clear()
        df.changed.clear()
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
        self.conn.executemany(
            "INSERT INTO story_df VALUES (?, ?) ON CONFLICT(feature) DO UPDATE SET "
            "count = excluded.count", [(f, df.counts[f]) for f in df.changed])
        df.changed.clear()
        for key, value in (("documents", df.documents), ("next_story", clusterer.next_id)):
            self.conn.execute("INSERT INTO link_meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                              "SET value = excluded.value", (key, str(value)))
        clusterer.touched.clear()
        return touched
