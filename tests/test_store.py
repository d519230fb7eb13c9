"""The SQLite store: idempotent ids, near duplicates, FTS, migrations, crash safety."""

from __future__ import annotations

import sqlite3

import pytest

from storyline.errors import StorylineError
from storyline.ingest.run import ingest_items
from storyline.model import RawDocument
from storyline.store.sqlite import Store

BODY = (
    "The city council of Valparaíso approved a plan on Thursday to rebuild the old pier, which "
    "was damaged by storms last winter. Mayor Teresa Ortiz said the work would start in April "
    "and cost about 14 million dollars. Fishermen who use the pier welcomed the decision but "
    "asked for a temporary landing place while the works go on. The port authority will pay "
    "a third of the bill, and the national government has promised the rest."
)


def doc(text: str, origin: str = "x.txt") -> RawDocument:
    return RawDocument(origin=origin, fmt="text", content=text)


def test_same_text_same_id_and_rerun_is_noop():
    store = Store(":memory:")
    first = ingest_items([doc(BODY, "a.txt"), doc(BODY + "\n\nShare", "b.txt")], store)
    assert (first.stored, first.unchanged) == (1, 1)
    again = ingest_items([doc(BODY, "c.txt")], store)
    assert (again.stored, again.unchanged) == (0, 1)


def test_near_duplicate_is_flagged_not_dropped():
    store = Store(":memory:")
    syndicated = BODY.replace("on Thursday", "on Thursday evening") + " More details will follow."
    report = ingest_items([doc(BODY, "a.txt"), doc(syndicated, "b.txt")], store)
    assert (report.stored, report.duplicates) == (2, 1)
    rows = {r["origin"]: r for r in store.list_articles()}
    assert rows["b.txt"]["duplicate_of"] == rows["a.txt"]["id"]
    assert rows["a.txt"]["duplicate_of"] is None
    # found through the stored LSH bands in a later run as well
    later = ingest_items([doc(BODY.replace("welcomed", "praised"), "c.txt")], store)
    assert later.duplicates == 1


def test_different_reports_of_one_event_are_not_duplicates():
    store = Store(":memory:")
    other = ("Valparaíso's old pier will be rebuilt. Councillors voted for the project, "
             "which Mayor Teresa Ortiz expects to begin in April, after winter storms left the "
             "structure unsafe for the fishing fleet. The bill, roughly 14 million dollars, is "
             "shared between the port and the national government.")
    report = ingest_items([doc(BODY, "a.txt"), doc(other, "b.txt")], store)
    assert report.duplicates == 0


def test_full_text_search_and_bad_queries():
    store = Store(":memory:")
    ingest_items([doc(BODY)], store)
    hits = store.search("fishermen pier")
    assert len(hits) == 1 and "[" in hits[0]["snippet"]
    assert store.search('"temporary landing place"')
    assert store.search("pier AND (") , "a broken query falls back to plain words"
    assert store.search("nonexistentword") == []


def test_schema_version_and_newer_schema_refused(tmp_path):
    path = tmp_path / "s.db"
    store = Store(path)
    assert store.schema_version >= 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StorylineError) as info:
        Store(path)
    assert info.value.code == "E103" and info.value.hint


def test_crash_mid_run_keeps_committed_batches_and_rerun_completes(tmp_path):
    path = tmp_path / "crash.db"
    texts = [f"{BODY} Item number {i} in the series." + f" Unique clause {i}." * (i + 1)
             for i in range(6)]

    def items(crash_at: int | None):
        for i, text in enumerate(texts):
            if i == crash_at:
                raise KeyboardInterrupt("power cut")
            yield doc(text, f"{i}.txt")

    store = Store(path)
    with pytest.raises(KeyboardInterrupt):
        ingest_items(items(crash_at=4), store, batch_size=2)
    store.close()
    assert Store(path).count_articles() == 4
    rerun = ingest_items(items(crash_at=None), Store(path), batch_size=2)
    assert (rerun.stored, rerun.unchanged) == (2, 4)


def test_get_article_by_prefix():
    store = Store(":memory:")
    report = ingest_items([doc(BODY)], store)
    full = report.stored_ids[0]
    assert store.get_article(full[:6]).id == full
    with pytest.raises(StorylineError) as info:
        store.get_article("zzzz")
    assert info.value.code == "E104"
