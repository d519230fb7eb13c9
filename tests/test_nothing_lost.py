"""Nothing lost: a bug in an analysis stage costs that stage (or that sentence), never the article;
rows that cannot be written become rejections while the batch commits; one writer at a time; a
new store's schema is created once however many processes open it; the stories layer can be
rebuilt; a killed run resumes to the store an unbroken run makes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from storyline.ingest.main_text import article_from_raw
from storyline.model import Article, RawDocument
from storyline.pipeline import Pipeline
from storyline.store.sqlite import Store

CANAL = ("Lagos, 12 May 2025 - The transport ministry said on Monday that the canal dredging "
         "near Badagry would finish in August. Engineers from three firms are working on the "
         "project, which cost 40 million dollars, officials said. "
         "\"We expect barges to use the canal before the rains , \" the minister told reporters. "
         "The ministry of Ghana praised the plan and Nigeria signed a cooperation accord with "
         "Benin on the waterway on Tuesday.\n")
FERRY = ("Dakar, 3 June 2025 - A new ferry linked Dakar and Ziguinchor on Thursday, the port "
         "authority said. The vessel carries 500 passengers and 40 lorries, and officials said "
         "trips would run twice a week. Senegal signed a maritime accord with Spain, which lent "
         "the money for the ship, and the two governments will study a second route.\n")


def _article(text: str, origin: str) -> Article:
    return article_from_raw(RawDocument(origin=origin, fmt="text", content=text))


# -- the quote extractor on text it used to crash on -----------------------------------------------


@pytest.mark.parametrize("text", [
    'The minister said : " We will open the canal in August . " Officials agreed .',
    "“We will open the canal in August , ” the minister said. “ It is ready. ”",
    'He said "the canal is ready ” and left, “ officials said " nothing more.',
    '" " " Engineers said " " the work goes on.',
    "The minister said “ ” before leaving.",
])
def test_quotes_with_spaces_and_mixed_marks_are_read(text):
    pipeline = Pipeline.from_config({"options": {"clean": {"min_words": 1}}})
    result = pipeline.pipe([_article(text, "q")])
    assert not result.rejections
    (article,) = result.articles
    assert not article.failures, article.failures
    for q in article.quotes:  # a quote's content is the quoted words, without the spaces
        assert q.content == q.content.strip() and q.content
        assert article.text[q.char_start:q.char_end] == q.content


# -- a bug costs the stage or the sentence, not the article ---------------------------------------


def test_a_bug_in_one_sentence_costs_that_sentence(monkeypatch, tmp_path, cli):
    from storyline.extract.events import EventExtractor

    real = EventExtractor._sentence

    def flaky(self, index, sent, *args, **kwargs):
        if "dredging" in sent.text:
            raise IndexError("a bug in this sentence")
        return real(self, index, sent, *args, **kwargs)

    monkeypatch.setattr(EventExtractor, "_sentence", flaky)
    result = Pipeline.from_config().pipe([_article(CANAL, "canal")])
    (article,) = result.articles
    assert not result.rejections
    (failure,) = article.failures
    assert (failure.stage, failure.part, failure.sentence) == ("extract", "events", 0)
    assert "a bug in this sentence" in failure.error and failure.digest
    assert article.quotes and article.quantities, "the other extractors went on"
    assert any(e.sentence > 0 for e in article.events), "the other sentences' events are kept"


def test_a_failing_stage_keeps_the_article_and_reprocess_retries_it(monkeypatch, tmp_path, cli):
    from storyline.annotate.stage import Annotate

    real = Annotate.pipe

    def broken(self, articles):
        if any("ferry" in a.text for a in articles):
            raise RuntimeError("annotate cannot read this")
        return real(self, articles)

    monkeypatch.setattr(Annotate, "pipe", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "canal.txt").write_text(CANAL)
    (folder / "ferry.txt").write_text(FERRY)
    db = str(tmp_path / "s.db")
    code, _, stderr = cli("ingest", str(folder), "--db", db, "--quiet")
    assert code == 0, stderr  # nothing was rejected: both articles are stored
    store = Store(db)
    assert store.count_articles() == 2
    (failure,) = store.failures()
    assert failure["stage"] == "annotate" and "cannot read this" in failure["error"]
    ferry = store.get_article(failure["article_id"])
    assert "Ziguinchor" in ferry.text
    assert store.list_events(article=ferry.id) == [], "extract needs annotate: it was skipped"

    code, stdout, _ = cli("show", ferry.id[:8], "--db", db, "--json")
    assert json.loads(stdout)["failures"][0]["stage"] == "annotate"
    code, stdout, _ = cli("rejections", "--db", db, "--json")
    (row,) = json.loads(stdout)
    assert (row["kind"], row["code"], row["article_id"]) == ("failed", "E015", ferry.id)

    monkeypatch.setattr(Annotate, "pipe", real)  # the fix
    code, stdout, _ = cli("reprocess", "--failed", "--db", db, "--json")
    assert code == 0 and json.loads(stdout)["reprocessed"] == 1
    store = Store(db)
    assert store.failures() == []
    assert store.annotations(ferry.id)["mentions"], "annotated now"
    assert store.list_events(article=ferry.id)
    story = store.conn.execute("SELECT story_id FROM articles WHERE id = ?", (ferry.id,)).fetchone()
    assert story[0], "linked again"


def test_failure_digest_names_the_bug_not_the_article():
    from storyline.pipeline import stage_failure

    def boom(n):
        raise ValueError(f"bad value {n}")

    failures = []
    for n in (1, 2):
        try:
            boom(n)
        except ValueError as exc:
            failures.append(stage_failure("extract", exc))
    assert failures[0].digest == failures[1].digest
    assert failures[0].error != failures[1].error
    assert "boom" in failures[0].traceback


# -- writing never raises on data ------------------------------------------------------------------


def _analysed(*texts: str) -> list[Article]:
    pipeline = Pipeline.from_config()
    return pipeline.pipe([_article(t, f"t{i}") for i, t in enumerate(texts)]).articles


def test_a_row_that_cannot_be_written_becomes_a_rejection(monkeypatch, tmp_path):
    canal, ferry = _analysed(CANAL, FERRY)
    store = Store(tmp_path / "s.db")
    real = Store._insert_article

    def insert(self, article, now):
        if article is canal:
            raise ValueError("this row cannot be written")
        return real(self, article, now)

    monkeypatch.setattr(Store, "_insert_article", insert)
    written = store.write_batch([canal, ferry], [])
    assert (written.stored, written.rejected) == (1, 1)
    assert store.count_articles() == 1
    (rejection,) = store.rejections()
    assert rejection["stage"] == "store" and "cannot be written" in rejection["reason"]


def test_analysis_that_cannot_be_written_keeps_the_article(monkeypatch, tmp_path):
    canal, ferry = _analysed(CANAL, FERRY)
    store = Store(tmp_path / "s.db")
    real = Store._write_annotations

    def write(self, article):
        if article is canal:
            real(self, article)  # half written, then a failure: rolled back to the article row
            raise sqlite_error()
        return real(self, article)

    monkeypatch.setattr(Store, "_write_annotations", write)
    written = store.write_batch([canal, ferry], [])
    assert (written.stored, written.rejected) == (2, 0)
    (failure,) = store.failures()
    assert (failure["article_id"], failure["stage"]) == (canal.id, "store")
    assert store.list_events(article=canal.id) == []
    assert store.list_events(article=ferry.id)


def sqlite_error():
    import sqlite3

    return sqlite3.IntegrityError("FOREIGN KEY constraint failed")


def test_a_copy_of_an_article_that_was_never_stored_becomes_an_original(tmp_path):
    """A near duplicate whose original was rejected (or written nowhere) used to fail the batch
    with a foreign-key error; now it is stored as an original and analysed later."""
    (ferry,) = _analysed(FERRY)
    copy = _article(FERRY.replace("Thursday", "Friday"), "copy")
    Pipeline.from_config({"stages": ["main_text", "clean", "identify", "metadata",
                                     "fingerprint"]}).pipe([copy])
    copy.duplicate_of = ferry.id  # provisional verdict of dedup; the original is not stored
    store = Store(tmp_path / "s.db")
    written = store.write_batch([copy], [])
    assert written.stored == 1 and written.pending == [copy.id]
    assert store.get_article(copy.id).duplicate_of is None
    assert store.pending_analysis() == [copy.id]


def test_near_duplicates_in_a_posted_batch_with_a_failing_article(monkeypatch, tmp_path):
    """The API's 4-article POST that answered a plain-text 500 and stored nothing."""
    from fastapi.testclient import TestClient

    from storyline.extract.stage import Extract
    from storyline.serve.app import create_app

    real = Extract.pipe

    def broken(self, articles):
        if any("Badagry" in a.text for a in articles):
            raise IndexError("[E1002] Span index out of range.")
        return real(self, articles)

    monkeypatch.setattr(Extract, "pipe", broken)
    monkeypatch.setenv("STORYLINE_TOKEN", "t")
    client = TestClient(create_app(str(tmp_path / "api.db")))
    body = [{"text": CANAL}, {"text": CANAL.replace("Monday", "Tuesday")},
            {"text": FERRY}, {"text": FERRY.replace("Thursday", "Friday")}]
    response = client.post("/api/articles", json=body, headers={"Authorization": "Bearer t"})
    assert response.status_code == 201, response.text
    data = response.json()
    assert (data["stored"], data["duplicates"], data["rejected"]) == (4, 2, 0)
    store = Store(tmp_path / "api.db")
    assert {f["stage"] for f in store.failures()} == {"extract"}
    assert store.count_articles() == 4


# -- one writer; the schema created once -----------------------------------------------------------


HOLD = """
import sys, time
from storyline.store.sqlite import Store
store = Store(sys.argv[1])
with store.writing():
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", time.monotonic(), flush=True)
"""


def test_a_second_writer_waits_or_says_who_writes(tmp_path, cli):
    db = str(tmp_path / "s.db")
    (tmp_path / "a.txt").write_text(FERRY)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db, "4"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        code, _, stderr = cli("ingest", str(tmp_path / "a.txt"), "--db", db, "--quiet")
        message = " ".join(stderr.split())
        assert code == 1 and "E112" in message and f"process {holder.pid}" in message
        code, _, stderr = cli("ingest", str(tmp_path / "a.txt"), "--db", db, "--quiet",
                              "--wait", "60")
        assert code == 0, stderr
        done = time.monotonic()
        # it waited for the holder to let go (the holder's process may take a moment more to
        # exit, so its exit is not the measure; the clock is the machine's monotonic one)
        word, released = holder.stdout.readline().split()
        assert word == "released" and float(released) <= done, "it wrote while the lock was held"
    finally:
        holder.kill()
        holder.wait()
    assert Store(db).count_articles() == 1


OPEN_AT = """
import sys, time
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
from storyline.store.sqlite import Store
print(Store(sys.argv[1]).schema_version)
"""


def test_processes_opening_a_new_store_at_once(tmp_path):
    """Two ingests on one new store raced on the schema (E102 'table articles already
    exists'): each migration step now re-reads the version inside its write lock."""
    from storyline.store.sqlite import migrations

    path = str(tmp_path / "new.db")
    start = time.time() + 3.0  # every process imports first, then all open at once
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_AT, path, str(start)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert [int(out) for out, _ in results] == [migrations()[-1][0]] * 4


# -- the stories layer rebuilt ---------------------------------------------------------------------


def _partition(store: Store) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for article_id, story in store.conn.execute(
            "SELECT id, story_id FROM articles WHERE duplicate_of IS NULL ORDER BY id"):
        groups.setdefault(story, []).append(article_id)
    return sorted(groups.values())


def assert_stories_consistent(store: Store) -> None:
    """Each story's article count is its originals; every analysed original is in a story; a
    near duplicate is in its original's story; every linked event is named by its events."""
    conn = store.conn
    for story_id, count in conn.execute("SELECT id, articles FROM stories"):
        members = conn.execute("SELECT count(*) FROM articles WHERE story_id = ? AND "
                               "duplicate_of IS NULL", (story_id,)).fetchone()[0]
        assert members == count, story_id
    assert not conn.execute("SELECT id FROM articles WHERE story_id IS NULL AND duplicate_of IS "
                            "NULL AND analysed_version IS NOT NULL").fetchall()
    assert not conn.execute("SELECT a.id FROM articles a JOIN articles o ON o.id = a.duplicate_of "
                            "WHERE a.story_id IS NOT o.story_id").fetchall()
    for linked_id, mentions in conn.execute("SELECT id, mentions FROM linked_events"):
        found = conn.execute("SELECT count(*) FROM events WHERE linked_id = ?",
                             (linked_id,)).fetchone()[0]
        assert found == mentions, linked_id


def test_relink_rebuilds_the_stories_layer(tmp_path, cli):
    from storyline.ingest.run import ingest_paths, sample_corpus_path

    db = str(tmp_path / "s.db")
    store = Store(db)
    ingest_paths([str(sample_corpus_path())], store)
    before = _partition(store)
    assert_stories_consistent(store)
    # a store left wrong (two writers before schema 11 could leave it so)
    store.conn.execute("UPDATE stories SET articles = articles + 3")
    store.conn.execute("DELETE FROM story_state")
    store.conn.execute("UPDATE articles SET story_id = NULL WHERE rowid % 3 = 0")
    code, stdout, _ = cli("relink", "--db", db, "--json")
    assert code == 0 and json.loads(stdout)["stories"] == len(before)
    store = Store(db)
    assert _partition(store) == before
    assert_stories_consistent(store)


# -- kill -9 at random moments, then run again ------------------------------------------------------


def _snapshot(db: str) -> dict[str, object]:
    store = Store(db)
    conn = store.conn
    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(r) for r in conn.execute(sql))

    return {
        "articles": rows("SELECT id, duplicate_of, analysed_version FROM articles"),
        "events": rows("SELECT id, type, actors, recipients FROM events"),
        "quotes": rows("SELECT id, actor_id FROM quotes"),
        "stories": len(_partition(store)),
        "pending": store.pending_analysis(), "demoted": store.demoted_articles(),
        "failures": store.failures(),
    }


@pytest.mark.slow
def test_kill_9_then_a_rerun_completes_the_store(tmp_path):
    from storyline.ingest.run import sample_corpus_path

    clean_db = str(tmp_path / "clean.db")
    args = [sys.executable, "-m", "storyline", "ingest", str(sample_corpus_path()), "--quiet",
            "--batch-size", "2"]
    subprocess.run([*args, "--db", clean_db], check=False, capture_output=True, timeout=600)
    expected = _snapshot(clean_db)
    db = str(tmp_path / "killed.db")
    for delay in (4.0, 6.5, 9.0):
        proc = subprocess.Popen([*args, "--db", db], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    done = subprocess.run([*args, "--db", db], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    got = _snapshot(db)
    assert got == expected
    assert_stories_consistent(Store(db))
