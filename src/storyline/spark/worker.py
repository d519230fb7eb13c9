"""The pipeline on executors: built once per Python worker (models loaded once), run over a
partition in small batches. Nothing that happens to one article fails the task: the pipeline
turns bad inputs into rejections and failed analysis stages into failures recorded on the
article, and anything that still escapes becomes a rejection (E015) of that batch's inputs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storyline.errors import Msg
from storyline.model import Article, Rejection
from storyline.pipeline import Pipeline

BATCH = 16

#: config (as JSON) -> (per-article prefix before dedup, analysis after it); one per process
_PIPELINES: dict[str, tuple[Pipeline, Pipeline]] = {}


def quiet_archive_rescans() -> None:
    """Spark's own archives are not re-read before every task.

    PySpark's worker calls ``importlib.invalidate_caches()`` before each task, and on Python 3.11
    that makes every ``zipimporter`` on ``sys.path`` read its archive's directory again; Spark
    puts ``pyspark.zip``, py4j's zip and the spark-core jar (about 15 MB) there. Profiled with
    py-spy over a 500-article ``local[2]`` run, a third of all worker time went to those rescans.
    The archives of the Spark installation do not change while a worker lives, so their
    importers skip the rescan; any other archive (a ``--py-files`` zip) is re-read as before.
    Called by the functions that run on executors; once per worker process."""
    import os
    import zipimport

    cls: Any = zipimport.zipimporter
    if getattr(cls, "_storyline_quiet", False) or not hasattr(cls, "invalidate_caches"):
        return
    try:
        import pyspark
    except ImportError:
        return
    home = os.path.dirname(os.path.abspath(pyspark.__file__))
    roots = tuple({home, os.path.abspath(os.environ.get("SPARK_HOME") or home)})
    original = cls.invalidate_caches

    def invalidate_caches(self: Any) -> None:
        if not os.path.abspath(str(self.archive)).startswith(roots):
            original(self)

    cls.invalidate_caches = invalidate_caches
    cls._storyline_quiet = True


def split_config(config: dict[str, Any]) -> tuple[Pipeline, Pipeline]:
    """The pipeline's per-article stages before the ``dedup`` stage and those after it. Dedup
    itself runs on Spark (:mod:`storyline.spark.dedup`); other cross-article stages have no
    Spark counterpart and are refused."""
    pipeline = Pipeline.from_config(config)
    before: list[Any] = []
    after: list[Any] = []
    seen_dedup = False
    for st in pipeline.stages:
        if st.name == "dedup":
            seen_dedup = True
            continue
        if st.cross_article:
            raise ValueError(f"stage {st.name!r} is cross-article and has no Spark counterpart")
        (after if seen_dedup else before).append(st)
    return Pipeline._unchecked(before), Pipeline._unchecked(after)


def pipelines(config: dict[str, Any]) -> tuple[Pipeline, Pipeline]:
    """This worker's two pipelines for ``config`` (built and warmed up at the first call)."""
    quiet_archive_rescans()
    key = json.dumps(config, sort_keys=True, default=str)
    found = _PIPELINES.get(key)
    if found is None:
        found = split_config(config)
        for part in found:
            part.warm_up()
        _PIPELINES[key] = found
    return found


def _compact(article: Article) -> None:
    for key in ("raw", "body", "clean", "html", "doc"):
        article.hints.pop(key, None)


def _crash(origin: str, stage: str, exc: BaseException) -> Rejection:
    detail = f"{type(exc).__name__}: {exc}"[:500]
    reason, hint = Msg.E015.render(stage=stage, detail=detail)
    return Rejection(origin, stage, reason, hint, Msg.E015.value)


def _batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def prepare_partition(items: Iterable[tuple[Any, Any]], config: dict[str, Any]
                      ) -> Iterator[tuple[str, Any, Any]]:
    """Raw documents to articles with their id, metadata and MinHash fingerprint.
    Yields ``("article", seq, Article)`` and ``("rejection", seq, Rejection)``."""
    from storyline.ingest.main_text import article_from_raw

    prefix, _ = pipelines(config)
    for batch in _batches(items):
        articles: list[Article] = []
        seqs: dict[int, Any] = {}
        for seq, item in batch:
            if isinstance(item, Rejection):
                yield "rejection", seq, item
                continue
            try:
                article = article_from_raw(item)
            except Exception as exc:  # noqa: BLE001 - a rejection, never a task failure
                yield "rejection", seq, _crash(item.origin, "read", exc)
                continue
            seqs[id(article)] = seq
            articles.append(article)
        if not articles:
            continue
        try:
            result = prefix.pipe(articles)
        except Exception as exc:  # noqa: BLE001
            for article in articles:
                yield "rejection", seqs[id(article)], _crash(article.origin, "pipeline", exc)
            continue
        origins = {a.origin: seqs[id(a)] for a in articles}
        for rejection in result.rejections:
            yield "rejection", origins.get(rejection.origin, (0, "", 0)), rejection
        for article in result.articles:
            _compact(article)
            yield "article", seqs[id(article)], article


def analyse_partition(articles: Iterable[Article], config: dict[str, Any]
                      ) -> Iterator[tuple[str, Any]]:
    """The analysis stages on originals; near duplicates pass through (they skip analysis, as
    in the local store). Yields ``("article", Article)`` and ``("rejection", Rejection)``."""
    _, analysis = pipelines(config)
    for batch in _batches(articles):
        todo = [a for a in batch if not a.duplicate_of]
        for article in batch:
            if article.duplicate_of:
                yield "article", article
        if not todo:
            continue
        try:
            result = analysis.pipe(todo)
        except Exception as exc:  # noqa: BLE001
            for article in todo:
                yield "rejection", _crash(article.origin, "pipeline", exc)
            continue
        for rejection in result.rejections:
            yield "rejection", rejection
        for article in result.articles:
            _compact(article)
            yield "article", article
