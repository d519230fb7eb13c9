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
from storyline.ingest.netguard import FetchPolicy
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
    stories: int = 0
    linked_events: int = 0
    #: originals taken for copies at first, analysed at the end of the run
    analysed_later: int = 0
    stored_ids: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: all good; 3: finished, but some inputs were rejected."""
        return 3 if self.rejected else 0

    def as_dict(self) -> dict[str, int]:
        return {"read": self.read, "stored": self.stored, "duplicates": self.duplicates,
                "unchanged": self.unchanged, "rejected": self.rejected, "stories": self.stories,
                "linked_events": self.linked_events}


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
    link: bool = True,
    wait: float = 0.0,
) -> IngestReport:
    """Run raw documents through the pipeline into the store, batch by batch; once they are all
    stored, the link stage puts the new articles in stories and links their events, oldest first
    (publication date, then id), so that a run's stories do not depend on the order, batch size
    or workers it read its input with. A run stopped midway leaves its stored articles to the
    next run's linking.

    With ``workers > 1`` the per-article stages run in a pool of processes (each loads its
    resources once); cross-article stages (dedup) and the store stay in this process. Articles
    already stored, and near duplicates, skip the analysis stages after dedup. The store settles
    which copy of a near duplicate is the original when it writes a batch; originals that were
    taken for copies are analysed at the end, and stored originals that became copies leave
    their stories. The run holds the store's write lock (``wait``: seconds to wait for another
    writer).
    """
    pipeline = pipeline or Pipeline.from_config()
    with store.writing(wait):
        return _ingest(items, store, pipeline, batch_size, workers, on_batch, link)


def _ingest(items: Iterable[RawDocument | Rejection], store: Store, pipeline: Pipeline,
            batch_size: int, workers: int, on_batch: Callable[[IngestReport], None] | None,
            link: bool) -> IngestReport:
    pipeline.bind(store=store)
    # loaded here, before the pool forks: worker processes inherit the loaded models
    pipeline.warm_up()
    report = IngestReport()
    linker = None
    if link:
        from storyline.link.run import Linker

        linker = Linker(store)
    threshold = _dedup_threshold(pipeline)
    pool = _pool(workers, pipeline)
    size = batch_size if pool is None else max(1, min(batch_size, WORKER_BATCH))
    moved: list[str] = []  # near duplicates whose original may have changed
    try:
        _settle_leftovers(store, linker)
        stream: Iterator[_Batch] = (_Batch(articles, [], rejections, [])
                                    for articles, rejections in _batches(items, size))
        for index, (cross, segment) in enumerate(pipeline.segments()):
            stream = _apply(stream, index, cross, segment, pool, workers)
        for batch in stream:
            report.read += len(batch.articles) + len(batch.existing) + len(batch.failed) + \
                len(batch.read_failures)
            report.unchanged += len(batch.existing)
            written = store.write_batch(batch.articles, [*batch.read_failures, *batch.failed],
                                        threshold=threshold)
            pipeline.written([a.id for a in batch.articles])
            report.stored += written.stored
            report.unchanged += written.unchanged
            report.rejected += written.rejected
            report.stored_ids.extend(written.stored_ids)
            moved += [a.id for a in batch.articles if a.duplicate_of]
            if written.demoted:
                _drop_demoted(store, linker, written.demoted)
                moved += written.demoted
            if on_batch is not None:
                on_batch(report)
        analysed = analyse_stored(store.pending_analysis(), store, pipeline, pool, workers, size)
        if linker is not None:
            # stories are made once the run's articles are stored, oldest first: the same
            # articles give the same stories whatever order they arrived in
            report.linked_events += linker.link_pending().linked_events
            linker.follow_originals(moved)
            report.stories = linker.story_count()
        report.analysed_later = analysed
    finally:
        if pool is not None:
            pool.shutdown()
    report.duplicates = store.count_duplicates(report.stored_ids)
    return report


def _dedup_threshold(pipeline: Pipeline) -> float | None:
    for st in pipeline.stages:
        if st.name == "dedup":
            return float(getattr(st, "threshold", 0) or 0) or None
    return None


def _drop_demoted(store: Store, linker: Any, article_ids: list[str]) -> None:
    """Originals that turned out to be copies leave their stories and lose their analysis."""
    if linker is not None:
        linker.detach(article_ids, drop_analysis=True)
        return
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        store.drop_analysis(article_ids)
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise


def _settle_leftovers(store: Store, linker: Any) -> None:
    """What a stopped run left half done: copies still holding their analysis."""
    demoted = store.demoted_articles()
    if demoted:
        _drop_demoted(store, linker, demoted)


def analyse_stored(article_ids: list[str], store: Store, pipeline: Pipeline, pool: Any = None,
                   workers: int = 1, batch_size: int = DEFAULT_BATCH) -> int:
    """Run the analysis stages (those after the last cross-article stage) on stored articles
    and replace their stored analysis; returns how many were written. Used for originals that
    waited for their analysis and by ``storyline reprocess``."""
    segments = pipeline.segments()
    if not article_ids or not segments or segments[-1][0]:
        return 0
    index, analysis = len(segments) - 1, segments[-1][1]
    if pool is None:
        analysis.warm_up()
    written = 0
    for start in range(0, len(article_ids), batch_size):
        articles = store.load_for_analysis(article_ids[start:start + batch_size])
        if pool is None:
            result = analysis.pipe(articles)
        else:
            result = pool.submit(_run_worker, index, articles).result()
        written += store.write_analysis(result.articles)
    return written


@dataclass
class _Batch:
    articles: list[Article]
    failed: list[Rejection]  # rejected by a stage
    read_failures: list[Rejection]  # rejected while reading
    existing: list[Article]  # already in the store: nothing more to do


def _apply(stream: Iterator[_Batch], index: int, cross: bool, segment: Pipeline,
           pool: Any, workers: int) -> Iterator[_Batch]:
    """One run of stages over the stream of batches, here or in the pool (keeping order)."""
    if cross or pool is None:
        for batch in stream:
            result = segment.pipe(batch.articles)
            yield _merge(batch, result)
        return
    pending: deque[tuple[Any, _Batch]] = deque()
    for batch in stream:
        pending.append((pool.submit(_run_worker, index, batch.articles), batch))
        if len(pending) >= workers * 2:  # bounded: memory stays flat
            future, waiting = pending.popleft()
            yield _merge(waiting, future.result())
    while pending:
        future, waiting = pending.popleft()
        yield _merge(waiting, future.result())


def _merge(batch: _Batch, result: PipeResult) -> _Batch:
    fresh = [a for a in result.articles if not a.hints.get("exists")]
    existing = [a for a in result.articles if a.hints.get("exists")]
    _compact(fresh)
    return _Batch(fresh, [*batch.failed, *result.rejections], batch.read_failures,
                  [*batch.existing, *existing])


def _pool(workers: int, pipeline: Pipeline) -> Any:
    if workers <= 1 or pipeline.config is None:
        return None
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if "fork" in mp.get_all_start_methods():
        # forked workers start with the parent's loaded pipeline: no second model load
        _FORKED[:] = [pipeline] if pipeline.is_warm else []
        context = mp.get_context("fork")
    else:
        _FORKED[:] = []
        context = None
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(pipeline.config,))


_WORKER_SEGMENTS: list[Pipeline] = []
_FORKED: list[Pipeline] = []  # the warm pipeline a forked worker inherits


def _init_worker(config: dict[str, Any]) -> None:
    inherited = bool(_FORKED)
    pipeline = _FORKED[0] if inherited else Pipeline.from_config(config)
    _WORKER_SEGMENTS[:] = [segment for _cross, segment in pipeline.segments()]
    for cross, segment in zip(pipeline.segments(), _WORKER_SEGMENTS, strict=True):
        if inherited:
            segment.mark_warm()
        elif not cross[0]:
            segment.warm_up()


def _run_worker(index: int, articles: list[Article]) -> PipeResult:
    result = _WORKER_SEGMENTS[index].pipe(articles)
    _compact(result.articles)
    return result


def _compact(articles: list[Article]) -> None:
    """Drop working copies of the input once the stages that read them are done."""
    for article in articles:
        if article.text:
            for key in ("raw", "body", "clean", "html", "doc"):
                article.hints.pop(key, None)


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
    link: bool = True,
    wait: float = 0.0,
    fetch_policy: FetchPolicy | None = None,
) -> IngestReport:
    """Ingest files, directories, URLs or ``-`` (stdin); see :func:`ingest_items`.
    ``fetch_policy`` says what fetching may do (private addresses, deadline, feed cap, robots;
    default: :meth:`FetchPolicy.from_env`)."""
    from storyline.ingest.fetch import iter_urls

    paths = list(paths)
    pipeline = pipeline or Pipeline.from_config()
    pipeline.set_option("main_text", "max_bytes", max_bytes)

    def items() -> Iterator[RawDocument | Rejection]:
        yield from iter_inputs(paths, max_bytes=max_bytes, lazy=True, fetch_policy=fetch_policy)
        yield from iter_urls(urls, max_bytes=max_bytes, policy=fetch_policy)

    with store.writing(wait):
        run_id = store.start_run([*paths, *urls])
        report = ingest_items(items(), store, pipeline, batch_size=batch_size, workers=workers,
                              on_batch=on_batch, link=link)
        store.finish_run(run_id, **{k: v for k, v in report.as_dict().items()
                                    if k not in ("read", "stories", "linked_events")})
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
