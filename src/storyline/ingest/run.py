"""The main job: read inputs, run every stage, store each batch in one transaction.

>>> from storyline.store.sqlite import Store
>>> report = ingest_paths([], Store(":memory:"))
>>> report.exit_code
0
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.ingest.main_text import article_from_raw
from storyline.ingest.readers import DEFAULT_MAX_BYTES, iter_inputs
from storyline.model import Article, RawDocument, Rejection
from storyline.pipeline import Pipeline, PipeResult
from storyline.store.sqlite import Store

DEFAULT_BATCH = 64
WORKER_BATCH = 8


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    stored_ids: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: all good; 3: finished, but some inputs were rejected."""
        return 3 if self.rejected else 0

    def as_dict(self) -> dict[str, int]:
        return {"read": self.read, "stored": self.stored, "duplicates": self.duplicates,
                "unchanged": self.unchanged, "rejected": self.rejected}


def sample_corpus_path() -> Path:
    """The sample corpus that ships with storyline (fictional articles written for it)."""
    return Path(str(resources.files("storyline").joinpath("samples", "corpus")))


def ingest_items(
    items: Iterable[RawDocument | Rejection],
    store: Store,
    pipeline: Pipeline | None = None,
    *,
    batch_size: int = DEFAULT_BATCH,
    workers: int = 1,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Run raw documents through the pipeline into the store, batch by batch.

    With ``workers > 1`` the per-article stages run in a pool of processes (each loads its
    resources once); cross-article stages and the store stay in this process.
    """
    pipeline = pipeline or Pipeline.from_config()
    pipeline.bind(store=store)
    per_article, cross = pipeline.split()
    report = IngestReport()
    for prepared, rejections in _prepared(items, per_article, batch_size, workers, pipeline):
        report.read += len(prepared.articles) + len(prepared.rejections)
        result = cross.pipe(prepared.articles)
        result.rejections[:0] = prepared.rejections
        new = [a for a in result.articles if not a.hints.get("exists")]
        report.unchanged += len(result.articles) - len(new)
        written = store.write_batch(new, [*rejections, *result.rejections])
        report.stored += written.stored
        report.duplicates += written.duplicates
        report.rejected += written.rejected
        report.stored_ids.extend(a.id for a in new)
        if on_batch is not None:
            on_batch(report)
    return report


def _prepared(
    items: Iterable[RawDocument | Rejection],
    per_article: Pipeline,
    batch_size: int,
    workers: int,
    pipeline: Pipeline,
) -> Iterator[tuple[PipeResult, list[Rejection]]]:
    """Per-article stages over batches, in this process or a process pool, in input order."""
    if workers <= 1 or pipeline.config is None:
        batches = _batches(items, batch_size)
        for articles, rejections in batches:
            yield _compact(per_article.pipe(articles)), rejections
        return
    # Smaller batches keep every worker busy; each is still stored in one transaction.
    batches = _batches(items, max(1, min(batch_size, WORKER_BATCH)))
    import multiprocessing as mp
    from concurrent.futures import Future, ProcessPoolExecutor

    pending: deque[tuple[Future[PipeResult], list[Rejection]]] = deque()
    context = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(pipeline.config,)) as pool:
        for articles, rejections in batches:
            pending.append((pool.submit(_run_worker, articles), rejections))
            if len(pending) >= workers * 2:  # bounded: memory stays flat
                future, rejected = pending.popleft()
                yield future.result(), rejected
        while pending:
            future, rejected = pending.popleft()
            yield future.result(), rejected


_WORKER: Pipeline | None = None


def _init_worker(config: dict[str, Any]) -> None:
    global _WORKER
    _WORKER = Pipeline.from_config(config).split()[0]
    _WORKER.warm_up()


def _run_worker(articles: list[Article]) -> PipeResult:
    assert _WORKER is not None
    return _compact(_WORKER.pipe(articles))


def _compact(result: PipeResult) -> PipeResult:
    """Drop working copies of the input once the per-article stages are done with them."""
    for article in result.articles:
        for key in ("raw", "body", "clean", "html"):
            article.hints.pop(key, None)
    return result


def ingest_paths(
    paths: Iterable[str],
    store: Store,
    pipeline: Pipeline | None = None,
    *,
    urls: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH,
    workers: int = 1,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Ingest files, directories, URLs or ``-`` (stdin); see :func:`ingest_items`."""
    from storyline.ingest.fetch import iter_urls

    paths = list(paths)
    pipeline = pipeline or Pipeline.from_config()
    pipeline.set_option("main_text", "max_bytes", max_bytes)
    run_id = store.start_run([*paths, *urls])

    def items() -> Iterator[RawDocument | Rejection]:
        yield from iter_inputs(paths, max_bytes=max_bytes, lazy=True)
        yield from iter_urls(urls, max_bytes=max_bytes)

    report = ingest_items(items(), store, pipeline, batch_size=batch_size, workers=workers,
                          on_batch=on_batch)
    store.finish_run(run_id, **{k: v for k, v in report.as_dict().items() if k != "read"})
    return report


def _batches(
    items: Iterable[RawDocument | Rejection], size: int
) -> Iterator[tuple[list[Article], list[Rejection]]]:
    articles: list[Article] = []
    rejections: list[Rejection] = []
    for item in items:
        if isinstance(item, Rejection):
            rejections.append(item)
        else:
            articles.append(article_from_raw(item))
        if len(articles) >= size or len(rejections) >= size:
            yield articles, rejections
            articles, rejections = [], []
    if articles or rejections:
        yield articles, rejections
