"""Which stored copy of a near-duplicate group is the original: decided by rank, not arrival.

Every article is ranked by its publication date (undated ones last), then its id. An article is a
near duplicate of the best earlier-ranked *original* it resembles (estimated Jaccard similarity of
word 3-shingles at least the threshold; best = most similar, then earliest), and an original when
there is none. This is a function of the set of stored articles alone, so the same input gives the
same originals whatever the order, batch size or number of workers, and whether it came in one run
or several.

Arrival order still decides the work: when a copy that ranks earlier arrives after its original
was stored, the stored one becomes its duplicate (its analysis is dropped and it leaves its story)
and the articles that depended on it are settled again, in rank order. :meth:`Settler.settle`
does this inside the caller's transaction and returns what changed.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

UNDATED = "~"  # sorts after every date


def rank_of(published: str | None, article_id: str) -> tuple[str, str]:
    """Earlier publication first (a year-less date counts as undated), then the smaller id."""
    dated = published if published and not published.startswith("X") else UNDATED
    return dated, article_id


@dataclass
class Settled:
    """What settling changed: ``demoted`` originals became duplicates (their analysis must go),
    ``promoted`` duplicates became originals (they need analysing); ``duplicate_of`` is the final
    value for every article settled."""

    duplicate_of: dict[str, str | None] = field(default_factory=dict)
    demoted: set[str] = field(default_factory=set)
    promoted: set[str] = field(default_factory=set)


@dataclass
class _Stored:
    id: str
    rank: tuple[str, str]
    duplicate_of: str | None
    signature: np.ndarray | None


class Settler:
    def __init__(self, conn: sqlite3.Connection, threshold: float) -> None:
        self.conn = conn
        self.threshold = threshold

    def _load(self, ids: Iterable[str]) -> dict[str, _Stored]:
        ids = list(ids)
        out: dict[str, _Stored] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                    f"""SELECT a.id, a.published, a.duplicate_of, m.signature FROM articles a
                        LEFT JOIN minhash m ON m.article_id = a.id WHERE a.id IN ({marks})""",
                    chunk):
                sig = np.frombuffer(r[3], dtype=np.uint64) if r[3] is not None else None
                out[r[0]] = _Stored(r[0], rank_of(r[1], r[0]), r[2], sig)
        return out

    def _neighbours(self, article: _Stored) -> list[tuple[float, _Stored]]:
        """Stored articles sharing an LSH band with this one and similar enough."""
        if article.signature is None:
            return []
        ids = [r[0] for r in self.conn.execute(
            """SELECT DISTINCT b.article_id FROM lsh_bands b WHERE b.band_key IN
               (SELECT band_key FROM lsh_bands WHERE article_id = ?) AND b.article_id != ?""",
            (article.id, article.id))]
        found = []
        for other in self._load(ids).values():
            if other.signature is None or len(other.signature) != len(article.signature):
                continue
            sim = float(np.mean(other.signature == article.signature))
            if sim >= self.threshold:
                found.append((sim, other))
        return found

    def settle(self, new_ids: Iterable[str]) -> Settled:
        """Settle the newly written articles (stored with ``duplicate_of`` NULL) and every
        stored article their arrival changes."""
        result = Settled()
        new = set(new_ids)
        heap = [(a.rank, a.id) for a in self._load(new).values()]
        heapq.heapify(heap)
        done: set[str] = set()
        while heap:
            rank, article_id = heapq.heappop(heap)
            if article_id in done:
                continue
            done.add(article_id)
            article = self._load([article_id]).get(article_id)
            if article is None or article.signature is None:
                continue
            neighbours = self._neighbours(article)
            earlier = [(sim, o) for sim, o in neighbours
                       if o.rank < rank and o.duplicate_of is None]
            best = min(earlier, key=lambda p: (-p[0], p[1].rank))[1].id if earlier else None
            before = article.duplicate_of
            if best != before:
                self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?",
                                  (best, article_id))
            result.duplicate_of[article_id] = best
            if article_id not in new and (before is None) != (best is None):
                (result.demoted if best else result.promoted).add(article_id)
            # an original (new, or changed) may now be the original of later-ranked neighbours;
            # one that became a duplicate no longer is
            if (article_id in new and best is None) or (before is None) != (best is None):
                for _, other in neighbours:
                    if other.rank > rank and other.id not in done:
                        heapq.heappush(heap, (other.rank, other.id))
        return result
