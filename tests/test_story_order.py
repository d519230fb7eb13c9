"""Issue 15: the same articles give the same stories whatever order, batch size or number of
workers they were ingested with (stories are made once a run's articles are stored, oldest
first)."""

from __future__ import annotations

import json
import random

import pytest

from conftest import needs_shared

pytestmark = [pytest.mark.slow, needs_shared]


def _partition(store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article_id, story_id in store.conn.execute(
            "SELECT id, story_id FROM articles WHERE story_id IS NOT NULL"):
        groups.setdefault(story_id, set()).add(article_id)
    return {frozenset(g) for g in groups.values()}


def test_shuffled_input_gives_identical_stories(tmp_path):
    from realcorpora import ecbplus_documents, ecbplus_records
    from storyline.ingest.run import ingest_paths
    from storyline.store.sqlite import Store

    docs = [d for d in ecbplus_documents() if d.doc_id.split("_")[0] in
            {"1", "3", "12", "24", "36", "41"}]
    records = list(ecbplus_records(token_joined=False, docs=docs))
    assert len(records) >= 80
    partitions = []
    for seed, batch_size, workers in ((1, 64, 1), (2, 7, 1), (3, 16, 2)):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        path = tmp_path / f"shuffled-{seed}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in shuffled), encoding="utf-8")
        store = Store(tmp_path / f"s{seed}.db")
        ingest_paths([str(path)], store, batch_size=batch_size, workers=workers)
        partitions.append(_partition(store))
    assert partitions[0] and len(partitions[0]) > 3
    assert partitions[0] == partitions[1] == partitions[2]
