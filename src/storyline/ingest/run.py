"""The main job: read inputs, run every stage, store each batch in one transaction.

>>> from storyline.store.sqlite import Store
>>> report = ingest_paths([], Store(":memory:"))
>>> report.exit_code
0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.ingest.main_text import article_from_raw
from storyline.ingest.readers import DEFAULT_MAX_BYTES, iter_inputs
from storyline.model import Article, RawDocument, Rejection
from storyline.pipeline import Pipeline
from storyline.store.sqlite import Store

DEFAULT_BATCH = 64


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
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Run raw documents through the pipeline into the store, batch by batch."""
    pipeline = pipeline or Pipeline.from_config()
    pipeline.bind(store=store)
    report = IngestReport()
    for articles, rejections in _batches(items, batch_size):
        report.read += len(articles)
        result = pipeline.pipe(articles)
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


def ingest_paths(
    paths: Iterable[str],
    store: Store,
    pipeline: Pipeline | None = None,
    *,
    urls: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[IngestReport], None] | None = None,
    **_: Any,
) -> IngestReport:
    """Ingest files, directories, URLs or ``-`` (stdin); see :func:`ingest_items`."""
    from storyline.ingest.fetch import iter_urls

    paths = list(paths)
    run_id = store.start_run([*paths, *urls])

    def items() -> Iterator[RawDocument | Rejection]:
        yield from iter_inputs(paths, max_bytes=max_bytes)
        yield from iter_urls(urls, max_bytes=max_bytes)

    report = ingest_items(items(), store, pipeline, batch_size=batch_size, on_batch=on_batch)
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
