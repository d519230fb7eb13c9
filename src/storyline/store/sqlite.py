"""The SQLite store: one file, WAL, FTS5, foreign keys, versioned schema, a transaction per batch.

>>> store = Store(":memory:")
>>> store.count_articles()
0
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.errors import Msg, StorylineError
from storyline.model import PIPELINE_VERSION, Article, Rejection

DEFAULT_DB = "storyline.db"
JSON_COLUMNS = ("captions", "headings", "removed", "repairs")


def default_db_path() -> str:
    """``$STORYLINE_DB`` when set, else ``./storyline.db``."""
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("storyline.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        m = re.match(r"(\d+)_.*\.sql$", entry.name)
        if m:
            found.append((int(m.group(1)), entry.read_text("utf-8")))
    return sorted(found)


@dataclass
class WriteResult:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    unchanged: int = 0
    stored_ids: list[str] = field(default_factory=list)
    #: originals that became near duplicates of an article of this batch (analysis to drop)
    demoted: list[str] = field(default_factory=list)
    #: new originals that were taken for copies and still need their analysis
    pending: list[str] = field(default_factory=list)


CACHE_KIB = 65536
BUSY_MS = 60_000
#: The stages whose results :meth:`Store.drop_analysis` removes with the article's analysis.
ANALYSIS_STAGES = ("annotate", "extract", "store")


class Store:
    """Library access to a storyline database; the CLI, API and UI all go through it."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = str(path or default_db_path())
        self._lock_depth = 0
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            # first, so that a second process opening the store waits for the first one's
            # schema transaction instead of failing
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # 64 MiB of page cache (SQLite's default is 2 MiB), allocated only as pages are read:
            # linking and the API look up index pages all over a store of a few hundred MB
            self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self.migrate()
        except sqlite3.Error as exc:
            raise StorylineError(Msg.E102, path=self.path, detail=str(exc)) from exc

    # -- schema ----------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Bring the schema up to date, one transaction per version. Each step re-reads the
        version inside its write lock, so two processes opening a new store at once apply every
        step exactly once."""
        steps = migrations()
        known = steps[-1][0] if steps else 0
        if self.schema_version > known:
            raise StorylineError(Msg.E103, found=self.schema_version, known=known)
        for version, sql in steps:
            if version <= self.schema_version:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                current = self.schema_version
                if current > known:
                    raise StorylineError(Msg.E103, found=current, known=known)
                if version > current:
                    for statement in _split_sql(sql):
                        self.conn.execute(statement)
                    if version == 11:
                        from storyline.store.actors import ActorIndex

                        ActorIndex(self.conn).backfill()
                    self.conn.execute(f"PRAGMA user_version = {version}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[None]:
        """Hold the store's write lock (one writing process at a time: ingest, reprocess,
        relink, the API's ingest). A second writer waits up to ``wait`` seconds, then gets
        E112 naming the process that holds it. In-memory stores need no lock."""
        if self.path == ":memory:" or self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        from filelock import FileLock, Timeout

        path = f"{self.path}.lock"
        lock = FileLock(path, timeout=wait)
        try:
            lock.acquire()
        except Timeout as exc:
            holder = _lock_holder(f"{path}.pid")
            raise StorylineError(Msg.E112, path=self.path, holder=holder) from exc
        self._lock_depth = 1
        try:
            Path(f"{path}.pid").write_text(f"{os.getpid()}\n")
            yield
        finally:
            self._lock_depth = 0
            lock.release()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def write_batch(self, articles: Sequence[Article], rejections: Sequence[Rejection], *,
                    threshold: float | None = None) -> WriteResult:
        """Store a batch in one transaction: new articles, their near-duplicate status settled
        by rank (see :mod:`storyline.store.duplicates`), the analysis of those that are
        originals, and the rejections. Nothing in the data makes it raise: an article whose row
        cannot be written becomes a rejection, one whose analysis cannot be written is stored
        with the failure recorded, and the rest of the batch commits.

        An article arriving with ``duplicate_of`` set (dedup's provisional verdict) was not
        analysed; when it turns out to be an original it waits for analysis (see
        :meth:`pending_analysis`). Stored originals that became duplicates keep their analysis
        until :meth:`drop_analysis` (the link stage detaches them first): see
        :meth:`demoted_articles`."""
        from storyline.dedup.near_duplicates import THRESHOLD
        from storyline.store.duplicates import Settler

        result = WriteResult()
        now = _now()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            fresh: list[Article] = []
            for article in articles:
                try:
                    with self._savepoint():
                        if self._insert_article(article, now):
                            fresh.append(article)
                        else:
                            result.unchanged += 1
                except Exception as exc:  # noqa: BLE001 - the row becomes a rejection
                    self._reject_row(article, exc, now)
                    result.rejected += 1
            settled = Settler(conn, threshold if threshold is not None else THRESHOLD).settle(
                a.id for a in fresh)
            result.demoted = sorted(settled.demoted)
            for article in fresh:
                provisional = article.duplicate_of
                article.duplicate_of = settled.duplicate_of.get(article.id)
                result.stored += 1
                result.stored_ids.append(article.id)
                if article.duplicate_of:
                    result.duplicates += 1
                    continue
                if provisional:  # analysed as a copy that it is not: analyse it now
                    result.pending.append(article.id)
                    continue
                self._store_analysis(article, now)
            for rej in rejections:
                self._write_rejection(rej, now)
                result.rejected += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result

    def write_analysis(self, articles: Sequence[Article]) -> int:
        """Replace the stored analysis of articles analysed again (``reprocess``, or originals
        that waited for their analysis); one transaction. Returns how many were written."""
        now = _now()
        written = 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for article in articles:
                row = self.conn.execute("SELECT duplicate_of FROM articles WHERE id = ?",
                                        (article.id,)).fetchone()
                if row is None or row[0] is not None:
                    continue  # gone, or a duplicate by now: nothing to analyse
                self._delete_analysis(article.id)
                self._store_analysis(article, now)
                written += 1
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return written

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self.conn.execute("SAVEPOINT row")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO row")
            self.conn.execute("RELEASE row")
            raise
        self.conn.execute("RELEASE row")

    def _insert_article(self, article: Article, now: str) -> bool:
        """The article row (as an original until settled), its signature, band keys and the
        failures of the stages before analysis. False when the id is already stored."""
        conn = self.conn
        row = article.stored_dict()
        for col in JSON_COLUMNS:
            row[col] = json.dumps(row[col], ensure_ascii=False)
        row["duplicate_of"] = None
        row["ingested_at"] = now
        cols = ", ".join(row)
        marks = ", ".join(f":{c}" for c in row)
        cur = conn.execute(f"INSERT OR IGNORE INTO articles ({cols}) VALUES ({marks})", row)
        if cur.rowcount != 1:
            return False
        fingerprint = article.hints.get("fingerprint") or article.hints.get("minhash")
        if fingerprint is not None:
            sig, keys = fingerprint
            conn.execute("INSERT OR REPLACE INTO minhash VALUES (?, ?)",
                         (article.id, np.asarray(sig, dtype=np.uint64).tobytes()))
            conn.executemany("INSERT INTO lsh_bands VALUES (?, ?)", [(k, article.id) for k in keys])
        self._write_failures(article.id, [f for f in article.failures
                                          if f.stage not in ANALYSIS_STAGES], now)
        return True

    def _store_analysis(self, article: Article, now: str) -> None:
        """Annotations, quotes, quantities, events and analysis failures of an original; when
        they cannot be written, the article stays with a 'store' failure instead."""
        try:
            with self._savepoint():
                self._write_annotations(article)
                self._write_failures(article.id, [f for f in article.failures
                                                  if f.stage in ANALYSIS_STAGES], now)
        except Exception as exc:  # noqa: BLE001 - recorded on the stored article
            from storyline.pipeline import stage_failure

            self._write_failures(article.id, [stage_failure("store", exc)], now)
        self.conn.execute("UPDATE articles SET analysed_version = ? WHERE id = ?",
                          (PIPELINE_VERSION, article.id))

    def _write_failures(self, article_id: str, failures: Sequence[Any], now: str) -> None:
        self.conn.executemany(
            """INSERT OR REPLACE INTO stage_failures (article_id, stage, part, sentence, code,
               error, digest, traceback, pipeline_version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,
               ?, ?)""",
            [(article_id, f.stage, f.part, -1 if f.sentence is None else f.sentence, f.code,
              f.error, f.digest, f.traceback, PIPELINE_VERSION, now) for f in failures])

    def _reject_row(self, article: Article, exc: BaseException, now: str) -> None:
        detail = f"{type(exc).__name__}: {exc}"[:500]
        reason, hint = Msg.E015.render(stage="store", detail=detail)
        self._write_rejection(Rejection(article.origin, "store", reason, hint, Msg.E015.value),
                              now)

    def _write_rejection(self, rej: Rejection, now: str) -> None:
        rid = hashlib.sha256(f"{rej.origin}\0{rej.stage}\0{rej.reason}".encode()).hexdigest()
        self.conn.execute(
            """INSERT INTO rejections (id, origin, stage, code, reason, hint, first_seen,
               last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen,
               count = count + 1""",
            (rid[:24], rej.origin, rej.stage, rej.code, rej.reason, rej.hint, now, now))

    def _delete_analysis(self, article_id: str) -> None:
        from storyline.store.actors import ActorIndex

        conn = self.conn
        for table in ("annotations", "actor_mentions", "quotes", "quantities", "events"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        ActorIndex(conn).remove_article(article_id)  # after the rows that name its actors
        marks = ",".join("?" * len(ANALYSIS_STAGES))
        conn.execute(f"DELETE FROM stage_failures WHERE article_id = ? AND stage IN ({marks})",
                     (article_id, *ANALYSIS_STAGES))
        conn.execute("UPDATE articles SET analysed_version = NULL WHERE id = ?", (article_id,))

    def drop_analysis(self, article_ids: Sequence[str]) -> None:
        """Remove the analysis of articles (inside the caller's transaction): near duplicates
        that were originals until an earlier copy arrived."""
        for article_id in article_ids:
            self._delete_analysis(article_id)

    def demoted_articles(self) -> list[str]:
        """Near duplicates that still hold the analysis they had as originals (a run stopped
        before dropping it, or it is about to be dropped)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE duplicate_of IS NOT NULL AND analysed_version IS NOT "
            "NULL ORDER BY id")]

    def pending_analysis(self) -> list[str]:
        """Originals whose analysis has not run (they were taken for copies, or a run stopped
        in between)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE analysed_version IS NULL AND duplicate_of IS NULL "
            "ORDER BY id")]

    def count_duplicates(self, article_ids: Sequence[str]) -> int:
        """How many of these articles are near duplicates now."""
        total = 0
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            total += self.conn.execute(f"SELECT count(*) FROM articles WHERE id IN ({marks}) "
                                       "AND duplicate_of IS NOT NULL", chunk).fetchone()[0]
        return int(total)

    def load_for_analysis(self, article_ids: Sequence[str]) -> list[Article]:
        """Stored articles as the analysis stages take them (no annotations yet)."""
        out = []
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk)
            found = {r["id"]: _article_from_row(r) for r in rows}
            out += [found[i] for i in chunk if i in found]
        return out

    def originals(self) -> list[str]:
        """Every stored article that is not a near duplicate."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE duplicate_of IS NULL ORDER BY id")]

    def analysed_before(self, version: str) -> list[str]:
        """Originals whose analysis ran under another pipeline version."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE duplicate_of IS NULL AND analysed_version IS NOT NULL "
            "AND analysed_version != ? ORDER BY id", (version,))]

    def failed_articles(self, stage: str | None = None) -> list[str]:
        """Articles with a recorded stage failure (of ``stage``, when given)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT article_id FROM stage_failures WHERE (? IS NULL OR stage = ?) "
            "ORDER BY article_id", (stage, stage))]

    def failures(self, article_id: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Stage failures on stored articles, newest first (of one article, when given)."""
        rows = self.conn.execute(
            """SELECT f.article_id, a.origin, f.stage, f.part, f.sentence, f.code, f.error,
                      f.digest, f.traceback, f.pipeline_version, f.at
               FROM stage_failures f JOIN articles a ON a.id = f.article_id
               WHERE (? IS NULL OR f.article_id = ?)
               ORDER BY f.at DESC, f.article_id, f.stage, f.sentence LIMIT ?""",
            (article_id, article_id, limit))
        return [{**dict(r), "sentence": None if r["sentence"] < 0 else r["sentence"]}
                for r in rows]

    def _write_annotations(self, article: Article) -> None:
        if not (article.sentences or article.timexes or article.actors or article.quotes
                or article.quantities or article.events):
            return
        from storyline.store.actors import ActorIndex

        conn = self.conn
        conn.execute(
            "INSERT OR REPLACE INTO annotations (article_id, sentences, timexes, places, "
            "pipeline_version, doc_time) VALUES (?, ?, ?, ?, ?, ?)",
            (article.id, json.dumps(article.sentences),
             json.dumps([t.to_dict() for t in article.timexes], ensure_ascii=False),
             json.dumps([p.to_dict() for p in article.places], ensure_ascii=False),
             article.pipeline_version,
             json.dumps(article.doc_time.to_dict(), ensure_ascii=False)
             if article.doc_time else None))
        canonical = ActorIndex(conn).add_forms(article.id, article.actors)
        forms = [actor.id for actor in article.actors]
        conn.executemany(
            "INSERT OR IGNORE INTO actor_mentions (article_id, actor_id, start, end, text, label, "
            "sentence, form_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article.id, canonical[forms[m.actor]], m.start, m.end, m.text, m.label, m.sentence,
              forms[m.actor]) for m in article.mentions if m.actor is not None])
        conn.executemany(
            "INSERT OR REPLACE INTO quotes (id, article_id, kind, char_start, char_end, content, "
            "cue, speaker_text, speaker_name, actor_id, speaker_form_id, anonymous) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(q.id, article.id, q.kind, q.char_start, q.char_end, q.content, q.cue,
              q.speaker_text, q.speaker_name,
              canonical[forms[q.actor]] if q.actor is not None else None,
              forms[q.actor] if q.actor is not None else None, int(q.anonymous))
             for q in article.quotes])
        conn.executemany(
            "INSERT OR REPLACE INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(q.id, article.id, q.text, q.char_start, q.char_end, q.value, q.value_max, q.unit,
              q.normalized_value, q.normalized_unit, q.qualifier, q.measures, q.year)
             for q in article.quantities])
        for e in article.events:
            # the stored lists name canonical actors; the form of each stays in event_codes
            refs = [(dict(ref), ref.get("id")) for ref in (*e.actors, *e.recipients)]
            for ref, form in refs:
                if form in canonical:
                    ref["id"] = canonical[form]
            actors = [r for r, _ in refs[:len(e.actors)]]
            recipients = [r for r, _ in refs[len(e.actors):]]
            key = event_sort_key((e.date or {}).get("value"), article.id, e.trigger_start)
            conn.execute(
                "INSERT OR REPLACE INTO events (id, article_id, type, mode, sentence, char_start, "
                "char_end, trigger, trigger_start, trigger_end, actors, recipients, contexts, "
                "date_value, date, place, modality, confidence, cameo, sort_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (e.id, article.id, e.type, e.mode, e.sentence, e.char_start, e.char_end, e.trigger,
                 e.trigger_start, e.trigger_end, json.dumps(actors, ensure_ascii=False),
                 json.dumps(recipients, ensure_ascii=False), json.dumps(e.contexts),
                 (e.date or {}).get("value"), json.dumps(e.date) if e.date else None,
                 json.dumps(e.place, ensure_ascii=False) if e.place else None, e.modality,
                 e.confidence, e.cameo, key))
            write_event_codes(conn, e.id, e.type, actors, recipients, key,
                              forms=[form if form in canonical else None for _, form in refs])

    def start_run(self, inputs: Iterable[str]) -> int:
        cur = self.conn.execute("INSERT INTO runs (started_at, inputs) VALUES (?, ?)",
                                (_now(), json.dumps(list(inputs))))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, **counts: int) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in counts)
        self.conn.execute(f"UPDATE runs SET finished_at = :t, {sets} WHERE id = :id",
                          {"t": _now(), "id": run_id, **counts})

    # -- dedup support ---------------------------------------------------------------------------

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def lsh_candidates(self, keys: list[bytes]) -> dict[str, tuple[np.ndarray, tuple[str, str],
                                                                  bool]]:
        """Stored articles sharing a band key: ``{id: (signature, rank, is_original)}``."""
        from storyline.store.duplicates import rank_of

        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            f"""SELECT m.article_id, m.signature, a.published, a.duplicate_of
                FROM minhash m JOIN articles a ON a.id = m.article_id WHERE m.article_id IN
                (SELECT article_id FROM lsh_bands WHERE band_key IN ({marks}))""",
            keys,
        ).fetchall()
        return {r[0]: (np.frombuffer(r[1], dtype=np.uint64), rank_of(r[2], r[0]), r[3] is None)
                for r in rows}

    # -- reading ---------------------------------------------------------------------------------

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT id, published, published_granularity, source, title, duplicate_of,
                      length(text) AS chars, url, origin
               FROM articles ORDER BY coalesce(published, '9999'), ingested_at, id
               LIMIT ? OFFSET ?""",
            (limit, offset),
        )
        return [dict(r) for r in rows]

    def get_article(self, key: str) -> Article:
        """An article by id or unique id prefix (at least 4 characters)."""
        rows = self.conn.execute(
            # a prefix is a range of the primary key: no LIKE, so '%' and '_' match themselves
            "SELECT * FROM articles WHERE id = ? OR (length(?) >= 4 AND id >= ? AND id < ? || "
            "char(1114111)) LIMIT 2",
            (key, key, key, key),
        ).fetchall()
        exact = [r for r in rows if r["id"] == key]
        if exact:
            rows = exact
        if not rows and len(key) < 4:
            raise StorylineError(Msg.E117, key=key)
        if not rows:
            raise StorylineError(Msg.E104, key=key)
        if len(rows) > 1:
            raise StorylineError(Msg.E105, key=key)
        return _article_from_row(rows[0])

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        last = ""
        while True:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article_from_row(row)
            last = rows[-1]["id"]

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over titles and texts (SQLite FTS5 syntax), best matches first.

        A query is at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_TERMS`` search terms
        (:mod:`storyline.store.budget`), else E108; ``limit`` is at least 1. A query FTS5 cannot
        parse is searched as its words. A statement stopped by a time budget is not retried."""
        from storyline.store.budget import MAX_QUERY_TERMS, interrupted, search_bounds_problem

        problem = search_bounds_problem(query)
        if problem:
            raise StorylineError(Msg.E108, detail=problem)
        limit = max(1, limit)
        sql = """SELECT a.id, a.published, a.source, a.title,
                        snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet,
                        bm25(articles_fts) AS score
                 FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
                 WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?"""
        # rank is bm25 ranked inside FTS5: no sorter, and the snippets of the page only
        try:
            rows = self.conn.execute(sql, (query, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            if interrupted(exc):
                raise
            words = list(dict.fromkeys(re.findall(r"\w+", query)))[:MAX_QUERY_TERMS]
            if not words:
                raise StorylineError(Msg.E108, detail=str(exc)) from exc
            literal = " ".join(f'"{w}"' for w in words)
            rows = self.conn.execute(sql, (literal, limit)).fetchall()
        return [dict(r) for r in rows]

    def annotations(self, article_id: str) -> dict[str, Any]:
        """Sentences, time expressions and actor mentions (with their actors) of one article."""
        row = self.conn.execute(
            "SELECT sentences, timexes, places, doc_time FROM annotations WHERE article_id = ?",
            (article_id,)).fetchone()
        mentions = self.conn.execute(
            """SELECT m.start, m.end, m.text, m.label, m.sentence, a.id AS actor_id, a.name,
                      a.kind, a.country, a.sector
               FROM actor_mentions m JOIN actors a ON a.id = m.actor_id
               WHERE m.article_id = ? ORDER BY m.start""", (article_id,)).fetchall()
        return {
            "sentences": json.loads(row[0]) if row else [],
            "timexes": json.loads(row[1]) if row else [],
            "places": json.loads(row[2]) if row else [],
            "doc_time": json.loads(row[3]) if row and row[3] else None,
            "mentions": [dict(m) for m in mentions],
        }

    def list_actors(self, limit: int = 100, offset: int = 0, country: str | None = None,
                    kind: str | None = None) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT a.*, count(m.article_id) AS mentions,
                      count(DISTINCT m.article_id) AS articles
               FROM actors a LEFT JOIN actor_mentions m ON m.actor_id = a.id
               WHERE (? IS NULL OR a.country = ?) AND (? IS NULL OR a.kind = ?)
               GROUP BY a.id ORDER BY articles DESC, mentions DESC, a.name LIMIT ? OFFSET ?""",
            (country, country, kind, kind, limit, offset)).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            for col in ("roles", "affiliations", "aliases"):
                d[col] = json.loads(d[col])
            out.append(d)
        return out

    def list_quotes(self, speaker: str | None = None, limit: int = 100, offset: int = 0,
                    article: str | None = None) -> list[dict[str, Any]]:
        """Quotes with their speakers; ``speaker`` matches part of the speaker's name."""
        rows = self.conn.execute(
            """SELECT q.*, a.name AS actor_name, a.country, a.sector, a.roles
               FROM quotes q LEFT JOIN actors a ON a.id = q.actor_id
               WHERE (? IS NULL OR q.speaker_name LIKE '%' || ? || '%' ESCAPE '\\'
                      OR a.name LIKE '%' || ? || '%' ESCAPE '\\')
                     AND (? IS NULL OR q.article_id = ?)
               ORDER BY q.article_id, q.char_start LIMIT ? OFFSET ?""",
            (speaker, _like(speaker), _like(speaker), article, article, limit,
             offset)).fetchall()
        out = []
        for r in rows:
            roles = json.loads(r["roles"]) if r["roles"] else []
            out.append({
                "id": r["id"], "article_id": r["article_id"],
                "speaker": {"id": r["actor_id"], "name": r["actor_name"] or r["speaker_name"],
                            "country": r["country"], "sector": r["sector"],
                            "role": roles[0] if roles else None,
                            "anonymous": bool(r["anonymous"])},
                "speaker_text": r["speaker_text"], "cue": r["cue"], "content": r["content"],
                "kind": r["kind"], "char_start": r["char_start"], "char_end": r["char_end"],
            })
        return out

    def list_events(self, actor: str | None = None, recipient: str | None = None,
                    type: str | None = None, since: str | None = None, until: str | None = None,
                    limit: int = 100, offset: int = 0, article: str | None = None
                    ) -> list[dict[str, Any]]:
        """Events, oldest first, filtered by actor or recipient code (ISO3, IGO, ...) or actor
        id, PLOVER type, and date window (TIMEX values compare as text: '2014' <= '2014-05').

        The page of ids is read from an index in listing order (``sort_key``, schema 7) and
        stops at the page's end; only those rows are then joined with their article."""
        ids = self._event_page(actor, recipient, type, since, until, limit, offset, article)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"""SELECT e.*, substr(a.text, e.char_start + 1, e.char_end - e.char_start)
                       AS sentence_text, a.url
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.id IN ({marks}) ORDER BY e.sort_key""", ids).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            out.append({
                "id": d["id"], "article_id": d["article_id"], "sentence": d["sentence_text"],
                "char_start": d["char_start"], "char_end": d["char_end"], "type": d["type"],
                "mode": d["mode"], "contexts": json.loads(d["contexts"]),
                "actors": json.loads(d["actors"]), "recipients": json.loads(d["recipients"]),
                "date": json.loads(d["date"]) if d["date"] else None,
                "place": json.loads(d["place"]) if d["place"] else None,
                "modality": d["modality"], "trigger": d["trigger"],
                "confidence": d["confidence"], "cameo": d["cameo"], "url": d["url"],
                "trigger_start": d["trigger_start"], "trigger_end": d["trigger_end"],
                "linked_id": d["linked_id"],
            })
        return out

    def list_events_json(self, actor: str | None = None, recipient: str | None = None,
                         type: str | None = None, since: str | None = None,
                         until: str | None = None, limit: int = 100, offset: int = 0
                         ) -> tuple[str, int]:
        """The same page as :meth:`list_events`, as a JSON array built by SQLite (the API's
        hot path: no Python object per field), and the number of events in it."""
        ids = self._event_page(actor, recipient, type, since, until, limit, offset, None)
        if not ids:
            return "[]", 0
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"""SELECT json_object('id', e.id, 'article_id', e.article_id,
                    'sentence', substr(a.text, e.char_start + 1, e.char_end - e.char_start),
                    'char_start', e.char_start, 'char_end', e.char_end, 'type', e.type,
                    'mode', e.mode, 'contexts', json(e.contexts), 'actors', json(e.actors),
                    'recipients', json(e.recipients), 'date', json(e.date),
                    'place', json(e.place), 'modality', e.modality, 'trigger', e.trigger,
                    'confidence', e.confidence, 'cameo', e.cameo, 'url', a.url,
                    'trigger_start', e.trigger_start, 'trigger_end', e.trigger_end,
                    'linked_id', e.linked_id)
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.id IN ({marks}) ORDER BY e.sort_key""", ids).fetchall()
        return "[" + ",".join(r[0] for r in rows) + "]", len(rows)

    def _event_page(self, actor: str | None, recipient: str | None, type: str | None,
                    since: str | None, until: str | None, limit: int, offset: int,
                    article: str | None) -> list[str]:
        window, params = [], []
        if since:
            window.append("{t}.sort_key >= ?")
            params.append(since)
        if until:
            window.append("{t}.sort_key <= ?")
            params.append(until + "~")
        if since or until:
            window.append("{t}.sort_key < '9999'")
        if actor and recipient and len(actor) <= 3 and len(recipient) <= 3:
            # a pair of codes: its own index (schema 10), in order, type included
            clauses = ["p.actor = ?", "p.recipient = ?"] + [w.format(t="p") for w in window]
            args = [actor.upper(), recipient.upper(), *params]
            _narrow(clauses, args, "p", type, article)
            rows = self.conn.execute(
                f"""SELECT p.event_id FROM event_pairs p WHERE {' AND '.join(clauses)}
                    ORDER BY p.sort_key LIMIT ? OFFSET ?""", (*args, limit, offset))
            return [r[0] for r in rows]
        coded = [(role, code) for role, code in (("actor", actor), ("recipient", recipient))
                 if code]
        if coded:
            # walk one code's index in order; check the rest per row
            (role, code), rest = coded[0], coded[1:]
            column = "code" if len(code) <= 3 else "actor_id"
            clauses = ["c.role = ?", f"c.{column} = ?"] + [w.format(t="c") for w in window]
            clauses.append(f"NOT EXISTS (SELECT 1 FROM event_codes d WHERE d.event_id = c.event_id"
                           f" AND +d.role = c.role AND +d.{column} = c.{column}"
                           f" AND d.rowid < c.rowid)")  # an event naming a code twice: once
            args: list[Any] = [role, code.upper() if column == "code" else code, *params]
            for other_role, other in rest:
                other_column = "code" if len(other) <= 3 else "actor_id"
                clauses.append(f"EXISTS (SELECT 1 FROM event_codes o WHERE o.event_id = "
                               f"c.event_id AND +o.role = ? AND +o.{other_column} = ?)")
                args += [other_role, other.upper() if other_column == "code" else other]
            # with a type: the (role, code, type, sort_key) index (schema 10)
            _narrow(clauses, args, "c", type, article)
            # the index (role, code, sort_key) gives the order: no sort, and the scan stops at
            # the page's end
            rows = self.conn.execute(
                f"""SELECT c.event_id FROM event_codes c WHERE {' AND '.join(clauses)}
                    ORDER BY c.sort_key LIMIT ? OFFSET ?""", (*args, limit, offset))
            return [r[0] for r in rows]
        clauses = [w.format(t="e") for w in window]
        args = list(params)
        if type:
            clauses.append("e.type = ?")
            args.append(type.upper())
        if article:
            clauses.append("e.article_id = ?")
            args.append(article)
        where = " AND ".join(clauses) or "1"
        rows = self.conn.execute(
            f"SELECT e.id FROM events e WHERE {where} ORDER BY e.sort_key, e.id LIMIT ? OFFSET ?",
            (*args, limit, offset))
        return [r[0] for r in rows]

    def list_stories(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Stories, largest first: id, title, start, end, article_ids, event_ids (linked)."""
        rows = self.conn.execute(
            "SELECT * FROM stories ORDER BY articles DESC, start, id LIMIT ? OFFSET ?",
            (limit, offset)).fetchall()
        return [self.story(r["id"]) or {} for r in rows]

    def story(self, story_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT * FROM stories WHERE id = ? OR (length(?) >= 4 AND id >= ? AND id < ? || "
            "char(1114111)) LIMIT 1",
            (story_id, story_id, story_id, story_id)).fetchone()
        if row is None:
            return None
        articles = [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY coalesce(published, '9999'), id",
            (row["id"],))]
        events = [r[0] for r in self.conn.execute(
            """SELECT DISTINCT e.linked_id FROM events e JOIN articles a ON a.id = e.article_id
               WHERE a.story_id = ? AND e.linked_id IS NOT NULL ORDER BY e.linked_id""",
            (row["id"],))]
        from storyline.report.headline import story_headline

        headline = story_headline(self.conn, row["id"]) if events else None
        return {"id": row["id"], "title": row["title"], "headline": headline or row["title"],
                "start": row["start"], "end": row["end"], "article_ids": articles,
                "event_ids": events}

    def list_quantities(self, limit: int = 100, offset: int = 0, article: str | None = None
                        ) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT * FROM quantities WHERE (? IS NULL OR article_id = ?) "
            "ORDER BY article_id, char_start LIMIT ? OFFSET ?",
            (article, article, limit, offset)).fetchall()
        return [dict(r) for r in rows]

    def iter_mentions(self) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(
            """SELECT m.article_id, m.actor_id, a.name AS actor_name, m.start, m.end, m.text,
                      m.label, m.sentence FROM actor_mentions m JOIN actors a ON a.id = m.actor_id
               ORDER BY m.article_id, m.start""")
        for row in cur:
            yield dict(row)

    def problems(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Rejections (``kind`` "rejected": the input was not stored) and stage failures on
        stored articles (``kind`` "failed": stored with what succeeded), newest first."""
        rows = [{"kind": "rejected", **r} for r in self.rejections(limit)]
        for f in self.failures(limit=limit):
            part = f" ({f['part']}, sentence {f['sentence']})" if f["sentence"] is not None else ""
            reason, hint = Msg.E015.render(stage=f["stage"], detail=f"{f['error']}{part}")
            rows.append({"kind": "failed", "origin": f["origin"], "stage": f["stage"],
                         "code": f["code"], "reason": reason, "hint": hint, "count": 1,
                         "last_seen": f["at"], "article_id": f["article_id"],
                         "digest": f["digest"], "sentence": f["sentence"]})
        rows.sort(key=lambda r: r["last_seen"], reverse=True)
        return rows[:limit]

    def rejections(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT origin, stage, code, reason, hint, count, last_seen FROM rejections
               ORDER BY last_seen DESC, origin LIMIT ?""", (limit,))
        return [dict(r) for r in rows]


def _narrow(clauses: list[str], args: list[Any], alias: str, type_: str | None,
            article: str | None) -> None:
    """Adds the type and article filters of an events page read from ``event_pairs`` or
    ``event_codes`` (``alias``), whose rows carry the event's type and id."""
    if type_:
        clauses.append(f"{alias}.type = ?")
        args.append(type_.upper())
    if article:
        clauses.append(f"EXISTS (SELECT 1 FROM events e WHERE e.id = {alias}.event_id"
                       " AND e.article_id = ?)")
        args.append(article)


def event_sort_key(date_value: str | None, article_id: str, trigger_start: int | None) -> str:
    """The order events are listed in (schema 7): date, article, position."""
    return f"{date_value or '9999'}|{article_id}|{trigger_start or 0:08d}"


def set_event_date(conn: sqlite3.Connection, event_id: str, date: dict[str, Any],
                   original: str | None = None) -> None:
    """Change an event's date (linking completes dates from the story) and its listing order."""
    row = conn.execute("SELECT article_id, trigger_start FROM events WHERE id = ?",
                       (event_id,)).fetchone()
    if row is None:
        return
    key = event_sort_key(date.get("value"), row[0], row[1])
    # the extracted date is kept the first time linking changes it (storyline relink restores it)
    conn.execute("UPDATE events SET extracted_date = coalesce(extracted_date, date, 'null'), "
                 "date = ?, date_value = ?, sort_key = ?, "
                 "original_date = coalesce(?, original_date) WHERE id = ?",
                 (json.dumps(date), date.get("value"), key, original, event_id))
    conn.execute("UPDATE event_codes SET sort_key = ? WHERE event_id = ?", (key, event_id))
    conn.execute("UPDATE event_pairs SET sort_key = ? WHERE event_id = ?", (key, event_id))


def _code(ref: dict[str, Any]) -> str:
    return str(ref.get("country") or ref.get("sector") or "")


def event_code_rows(event_id: str, type_: str, actors: list[dict[str, Any]],
                    recipients: list[dict[str, Any]], sort_key: str
                    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``event_codes`` rows (one per actor and recipient) and the ``event_pairs`` rows (one
    per distinct actor code x recipient code) of an event."""
    codes = [(event_id, role, _code(ref), ref.get("id"), sort_key, type_)
             for role, refs in (("actor", actors), ("recipient", recipients)) for ref in refs]
    pairs = sorted({(event_id, a, r, type_, sort_key)
                    for a in map(_code, actors) for r in map(_code, recipients) if a and r})
    return codes, pairs


def write_event_codes(conn: sqlite3.Connection, event_id: str, type_: str,
                      actors: list[dict[str, Any]], recipients: list[dict[str, Any]],
                      sort_key: str, forms: Sequence[str | None] = ()) -> None:
    """Replace an event's rows in the listing indexes (``event_codes``, ``event_pairs``);
    ``forms`` are the actor forms behind the actors and recipients, in their order."""
    codes, pairs = event_code_rows(event_id, type_, actors, recipients, sort_key)
    forms = list(forms) + [None] * (len(codes) - len(forms))
    conn.execute("DELETE FROM event_codes WHERE event_id = ?", (event_id,))
    conn.execute("DELETE FROM event_pairs WHERE event_id = ?", (event_id,))
    conn.executemany("INSERT INTO event_codes (event_id, role, code, actor_id, sort_key, type, "
                     "form_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(*row, form) for row, form in zip(codes, forms, strict=True)])
    conn.executemany("INSERT INTO event_pairs (event_id, actor, recipient, type, sort_key) "
                     "VALUES (?, ?, ?, ?, ?)", pairs)


def _article_from_row(row: sqlite3.Row) -> Article:
    data = dict(row)
    for col in JSON_COLUMNS:
        data[col] = json.loads(data[col] or "[]")
    return Article.from_dict(data)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements; trigger bodies keep their inner semicolons."""
    statements: list[str] = []
    current: list[str] = []
    for line in sql.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements


def _like(text: str | None) -> str | None:
    """Text for a LIKE pattern, with its wildcards matching themselves (ESCAPE '\\')."""
    if text is None:
        return None
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _lock_holder(pid_file: str) -> str:
    try:
        pid = Path(pid_file).read_text().strip()
    except OSError:
        return "another process"
    return f"process {pid}" if pid.isdigit() else "another process"
