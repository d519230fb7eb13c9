"""Duplicates on Spark, with the local store's rules (:mod:`storyline.store.duplicates`).

- Exact: one article per id (the id hashes the normalised cleaned text); the copy read first
  (the smallest input sequence) is kept, as ``storyline ingest`` keeps the first one it stores.
- Near: the same MinHash signatures and banded LSH keys as the local store
  (:func:`storyline.dedup.near_duplicates.band_keys`). Articles are grouped by band key; inside
  a group every pair with estimated Jaccard similarity at least the threshold is an edge from
  the later-ranked article to the earlier-ranked one (rank: publication date, undated last,
  then id). The edges — only articles that have a near duplicate appear in them — go to the
  driver, which walks them in rank order: an article is a near duplicate of its most similar
  earlier-ranked *original* (then the earliest), an original when it has none. That is the
  function of the set of articles that the local store settles to, so a lake and a store built
  from the same input agree, whatever the partitioning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

Rank = tuple[str, str]
Edge = tuple[str, Rank, str, Rank, float]  # later id, its rank, earlier id, its rank, similarity

#: In a band group larger than this (boilerplate, near-empty pages) an article is compared with
#: the ``MAX_GROUP`` articles ranked just before it, so one huge group cannot stall a task (the
#: local store compares it with all of them).
MAX_GROUP = 2000


def rank(article: Any) -> Rank:
    from storyline.store.duplicates import rank_of

    return rank_of(article.published, article.id)


def band_entries(article: Any) -> Iterator[tuple[bytes, tuple[Rank, str, bytes]]]:
    """``(band key, (rank, id, signature bytes))`` for each of the article's bands."""
    fingerprint = article.hints.get("fingerprint")
    if not fingerprint:
        return
    sig, keys = fingerprint
    packed = np.asarray(sig, dtype=np.uint64).tobytes()
    for key in keys:
        yield bytes(key), (rank(article), article.id, packed)


def group_edges(members: Iterable[tuple[Rank, str, bytes]], threshold: float) -> Iterator[Edge]:
    """Similar pairs in one band group, later-ranked first (each article is compared with the
    ``MAX_GROUP`` articles ranked just before it)."""
    ordered = sorted(set(members))
    sigs = [np.frombuffer(m[2], dtype=np.uint64) for m in ordered]
    for j in range(len(ordered)):
        for i in range(max(0, j - MAX_GROUP), j):
            if ordered[i][0] >= ordered[j][0]:
                continue
            sim = float(np.mean(sigs[i] == sigs[j]))
            if sim >= threshold:
                yield ordered[j][1], ordered[j][0], ordered[i][1], ordered[i][0], sim


def near_duplicate_edges(articles_rdd: Any, threshold: float) -> list[Edge]:
    """Every similar (later, earlier) pair sharing a band, collected on the driver."""
    return (articles_rdd.flatMap(band_entries)
            .groupByKey()
            .flatMap(lambda kv: group_edges(kv[1], threshold) if len(kv[1]) > 1 else ())
            .map(lambda e: ((e[0], e[2]), e))
            .reduceByKey(lambda a, b: a)
            .values()
            .collect())


def resolve(edges: Iterable[Edge]) -> dict[str, tuple[str, float]]:
    """``{near duplicate id: (its original's id, similarity)}``, settled in rank order."""
    earlier: dict[str, list[tuple[str, Rank, float]]] = {}
    ranks: dict[str, Rank] = {}
    for later, later_rank, other, other_rank, sim in edges:
        earlier.setdefault(later, []).append((other, other_rank, sim))
        ranks[later] = later_rank
    duplicate_of: dict[str, tuple[str, float]] = {}
    for later in sorted(earlier, key=lambda a: ranks[a]):
        best: tuple[float, Rank, str] | None = None
        for other, other_rank, sim in earlier[later]:
            if other in duplicate_of:  # not an original
                continue
            if best is None or (-sim, other_rank) < (-best[0], best[1]):
                best = (sim, other_rank, other)
        if best is not None:
            duplicate_of[later] = (best[2], best[0])
    return duplicate_of
