"""``storyline import LAKE``: a lake (or a slice of it: a date window, a story of the lake's
``stories`` table, the articles that mention an actor) into the SQLite store, through the
store's normal write path — the same transactions, near-duplicate settling, canonical actors and
linking as ``storyline ingest`` — so the CLI, the API and the web UI work on it. Needs pyarrow
only, not Spark.

Articles are written month by month in rank order (publication date, undated last, then id),
so originals come before their copies; the analysis comes from the lake's ``analysis`` table
(nothing is analysed again). An original whose analysis is not in the slice (its earlier copy
was cut off by ``--since``) is analysed at the end, as ``storyline ingest`` does. Then the
articles are linked (stories, dates from stories, same-event links).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storyline.model import Article, Rejection
from storyline.spark import lake as lake_mod


@dataclass
class ImportReport:
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    analysed_later: int = 0
    stories: int = 0
    linked_events: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def months(lake: str, table: str = "articles") -> list[str]:
    """The month partitions of a table, in rank order (``undated`` last)."""
    root = Path(lake) / table
    found = [p.name.split("=", 1)[1] for p in root.glob("month=*") if p.is_dir()] \
        if root.is_dir() else []
    return sorted(found, key=lambda m: (m == lake_mod.UNDATED, m))


def read_rows(lake: str, table: str, month: str | None = None) -> list[dict[str, Any]]:
    """Rows of one table (of one month partition), as dicts with the export's columns."""
    import pyarrow.dataset as ds

    root = Path(lake) / table
    if month is not None:
        root = root / f"month={month}"
    if not root.is_dir():
        return []
    files = [str(p) for p in sorted(root.rglob("*.parquet"))
             if not any(part.startswith(("_", ".")) for part in p.relative_to(root).parts)]
    if not files:
        return []
    names = lake_mod.TABLES[table].names
    return ds.dataset(files, format="parquet").to_table(columns=names).to_pylist()


def _in_window(month: str, since: str | None, until: str | None) -> bool:
    if month == lake_mod.UNDATED:
        return since is None and until is None
    if since and not (month >= since[:7] or since.startswith(month)):
        return False
    return not (until and month > until)


def _published_in(published: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    if not published or published.startswith("X"):
        return False
    return (since is None or published >= since) and (until is None or published <= until + "~")


def lake_articles(lake: str, since: str | None = None, until: str | None = None,
                  only: set[str] | None = None) -> Iterator[Article]:
    """Articles with their analysis, month by month, each month in rank order (with ``only``,
    just those ids)."""
    from storyline.dedup.near_duplicates import band_keys
    from storyline.store.duplicates import rank_of

    for month in months(lake):
        if not _in_window(month, since, until):
            continue
        rows = [r for r in read_rows(lake, "articles", month)
                if _published_in(r["published"], since, until)
                and (only is None or r["id"] in only)]
        if not rows:
            continue
        analysis = {r["article_id"]: r for r in read_rows(lake, "analysis", month)}
        rows.sort(key=lambda r: rank_of(r["published"], r["id"]))
        for row in rows:
            extra = analysis.get(row["id"])
            payload = json.loads(extra["payload"]) if extra and extra["payload"] else {}
            article = Article.from_dict({**row, **payload})
            if extra and extra["signature"]:
                sig = np.frombuffer(extra["signature"], dtype=np.uint64).copy()
                article.hints["fingerprint"] = (sig, band_keys(sig))
            yield article


def lake_rejections(lake: str) -> Iterator[tuple[Rejection, int]]:
    for row in read_rows(lake, "rejections"):
        yield (Rejection(row["origin"], row["stage"], row["reason"], row["hint"] or "",
                         row["code"] or ""), int(row["count"] or 1))


def selection(lake: str, story: str | None = None, actor: str | None = None) -> set[str] | None:
    """The article ids of a slice: a story of the lake's ``stories`` table (id or a prefix of
    at least 4 characters; ``storyline spark link`` writes it) and/or the articles that mention an
    actor (a country or sector code such as RUS or IGO, or an actor id). Copies come with their
    originals and originals with their copies. None: no slice asked for."""
    if story is None and actor is None:
        return None
    articles = read_rows(lake, "articles")
    chosen: set[str] | None = None
    if story is not None:
        if not (Path(lake) / "stories").is_dir():
            raise LookupError(f"{lake} has no stories yet: run storyline spark link {lake}")
        found = [r for r in read_rows(lake, "stories") if r["id"] == story
                 or (len(story) >= 4 and r["id"].startswith(story))]
        if len(found) != 1:
            raise LookupError(f"no story {story!r} in {lake}" if not found else
                              f"{story!r} names {len(found)} stories of {lake}")
        chosen = set(found[0]["article_ids"] or [])
    if actor is not None:
        wanted = actor.strip()
        ids = {r["id"] for r in read_rows(lake, "actors")
               if wanted in (r["id"], r["country"], r["sector"])}
        mentioning = {r["article_id"] for r in read_rows(lake, "mentions") if r["actor_id"] in ids}
        chosen = mentioning if chosen is None else chosen & mentioning
    originals = {r["duplicate_of"] for r in articles if r["id"] in chosen and r["duplicate_of"]}
    chosen |= originals
    chosen |= {r["id"] for r in articles if r["duplicate_of"] in chosen}
    return chosen


def import_lake(lake: str, store: Any, *, since: str | None = None, until: str | None = None,
                story: str | None = None, actor: str | None = None,
                pipeline: Any = None, batch_size: int = 64, link: bool = True,
                wait: float = 0.0, threshold: float | None = None) -> ImportReport:
    """Load ``lake`` (articles published in [since, until] when given, of one story and/or
    mentioning one actor; rejections only for the whole lake) into ``store``."""
    from storyline.ingest.run import _drop_demoted, analyse_stored

    if not (Path(lake) / "articles").is_dir():
        raise FileNotFoundError(f"{lake} is not a storyline lake (no articles table)")
    only = selection(lake, story, actor)
    report = ImportReport()
    with store.writing(wait):
        run_id = store.start_run([lake])
        linker = None
        if link:
            from storyline.link.run import Linker

            linker = Linker(store)
        moved: list[str] = []
        stored_ids: list[str] = []
        batch: list[Article] = []

        def flush() -> None:
            written = store.write_batch(batch, [], threshold=threshold)
            report.read += len(batch)
            report.stored += written.stored
            report.unchanged += written.unchanged
            report.rejected += written.rejected
            stored_ids.extend(written.stored_ids)
            moved.extend(a.id for a in batch if a.duplicate_of)
            if written.demoted:
                _drop_demoted(store, linker, written.demoted)
                moved.extend(written.demoted)
            if linker is not None:
                linked = linker.link([a.id for a in batch if not a.duplicate_of])
                report.linked_events += linked.linked_events
            batch.clear()

        for article in lake_articles(lake, since, until, only):
            batch.append(article)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        if since is None and until is None and only is None:
            rejections = [rej for rej, count in lake_rejections(lake) for _ in range(count)]
            for start in range(0, len(rejections), 500):
                report.rejected += store.write_batch([], rejections[start:start + 500]).rejected
        pending = store.pending_analysis()
        if pending:
            if pipeline is None:
                from storyline.pipeline import Pipeline

                pipeline = Pipeline.from_config()
            report.analysed_later = analyse_stored(pending, store, pipeline)
        if linker is not None:
            report.linked_events += linker.link_pending().linked_events
            linker.follow_originals(moved)
            report.stories = linker.story_count()
        report.duplicates = store.count_duplicates(stored_ids)
        store.finish_run(run_id, stored=report.stored, duplicates=report.duplicates,
                         unchanged=report.unchanged, rejected=report.rejected)
    return report
