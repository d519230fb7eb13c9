"""Inputs on the cluster: what ``storyline ingest`` reads, as (sequence, item) pairs.

Local paths (plain, ``file://``, folders walked as ``storyline ingest`` walks them, globs) are
listed on the driver and each file is read on an executor with the local readers (streaming,
bounded, every bad record a rejection). Single-article files are read lazily there too: the
``main_text`` stage loads them, so their paths must be visible to the executors (one machine, or
a shared file system). Any other URI (``hdfs://``, ``s3a://``, ``gs://`` …: a file, a folder or a
glob, with the user's Hadoop configuration) is read with ``binaryFiles``: one file is one record,
held in an executor's memory while its records are parsed (a CC-NEWS WARC is about 1 GB: give
executors the memory, or split the archives).

The sequence ``(input index, file key, record index)`` orders items as ``storyline ingest`` meets
them: of two copies with the same id (the same cleaned text), the first one read is kept.
"""

from __future__ import annotations

import glob
import gzip
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.errors import InputRejected, Msg
from storyline.ingest import readers
from storyline.model import RawDocument, Rejection

Item = RawDocument | Rejection
Seq = tuple[int, str, int]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_remote(spec: str) -> bool:
    """A URI Hadoop reads (anything with a scheme but ``file://``)."""
    return bool(_SCHEME.match(spec)) and not spec.startswith("file://")


def plan(specs: list[str]) -> tuple[list[tuple[Seq, str]], list[tuple[int, str]],
                                    list[tuple[Seq, Rejection]]]:
    """Split the inputs: local files ``(seq prefix, path)``, remote URIs ``(index, uri)``, and
    rejections for local inputs that do not exist or cannot be listed."""
    local: list[tuple[Seq, str]] = []
    remote: list[tuple[int, str]] = []
    rejected: list[tuple[Seq, Rejection]] = []
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        if spec.startswith(("http://", "https://")) or spec == "-":
            rejected.append(((index, "", 0), readers._rejection(spec, InputRejected(
                Msg.E002, suffix=spec + " (spark ingest reads files; use storyline ingest)"))))
            continue
        if is_remote(spec):
            remote.append((index, spec))
            continue
        spec = spec.removeprefix("file://")
        path = Path(spec)
        if path.exists():
            found: list[Path | Rejection] = list(readers._walk(path)) if path.is_dir() else [path]
        else:
            matches = sorted(glob.glob(spec, recursive=True)) if glob.has_magic(spec) else []
            if not matches:
                rejected.append(((index, "", 0), readers._rejection(
                    spec, InputRejected(Msg.E001, path=spec))))
                continue
            found = []
            for match in matches:
                p = Path(match)
                found.extend(readers._walk(p) if p.is_dir() else [p])
        for order, item in enumerate(found):
            if isinstance(item, Rejection):
                rejected.append(((index, f"{order:09d}", 0), item))
                continue
            key = readers._identity(item)
            if key in seen:
                continue
            seen.add(key)
            local.append(((index, f"{order:09d}", 0), str(item)))
    return local, remote, rejected


def read_local(entry: tuple[Seq, str], max_bytes: int) -> Iterator[tuple[Seq, Item]]:
    """One local file's items (on an executor)."""
    from storyline.spark.worker import quiet_archive_rescans

    quiet_archive_rescans()
    (index, order, _), path = entry
    try:
        for number, item in enumerate(readers.read_file(Path(path), max_bytes=max_bytes,
                                                        lazy=True)):
            yield (index, order, number), item
    except Exception as exc:  # noqa: BLE001 - never a task failure
        yield (index, order, 0), readers._rejection(path, readers._unexpected(exc))


def read_remote(index: int, path: str, data: bytes, max_bytes: int
                ) -> Iterator[tuple[Seq, Item]]:
    """One file fetched by ``binaryFiles`` (its whole content), read by its suffix."""
    from storyline.spark.worker import quiet_archive_rescans

    quiet_archive_rescans()
    try:
        for number, item in enumerate(_remote_items(path, data, max_bytes)):
            yield (index, path, number), item
    except Exception as exc:  # noqa: BLE001 - never a task failure
        yield (index, path, 0), readers._rejection(path, readers._unexpected(exc))


def _remote_items(path: str, data: bytes, max_bytes: int) -> Iterator[Item]:
    from storyline.ingest import limits

    gz, inner = readers._suffixes(Path(path.rsplit("/", 1)[-1]))
    budget = limits.total_budget(max_bytes, len(data))
    if inner in readers.WARC_SUFFIXES:
        yield from readers._iter_warc_stream(path, io.BytesIO(data), max_bytes, budget)
        return
    if inner in readers.JSONL_SUFFIXES:
        stream: Any = gzip.GzipFile(fileobj=io.BytesIO(data)) if gz else io.BytesIO(data)
        yield from readers._iter_jsonl_stream(path, stream, max_bytes, budget)
        return
    if inner and inner not in readers.TEXT_SUFFIXES | readers.HTML_SUFFIXES:
        yield readers._rejection(path, InputRejected(Msg.E002, suffix=inner))
        return
    if len(data) > (max_bytes if not gz else max_bytes // 2):
        yield readers._rejection(path, InputRejected(Msg.E004, size=len(data), limit=max_bytes))
        return
    yield from readers._read_blob(path, data, max_bytes, name=inner)


def items_rdd(sc: Any, specs: list[str], max_bytes: int, partitions: int) -> Any:
    """An RDD of ``(seq, RawDocument | Rejection)`` for every input, spread over
    ``partitions`` partitions (a WARC file's records are not left in one task)."""
    local, remote, rejected = plan(specs)
    rdds = []
    if local:
        slices = max(1, min(len(local), partitions * 4))
        rdds.append(sc.parallelize(local, slices).flatMap(
            lambda entry: read_local(entry, max_bytes)))
    for index, uri in remote:
        rdds.append(sc.binaryFiles(uri).flatMap(
            lambda pair, i=index: read_remote(i, pair[0], pair[1], max_bytes)))
    if rejected:
        rdds.append(sc.parallelize(rejected, 1))
    if not rdds:
        return sc.parallelize([], 1)
    return sc.union(rdds).repartition(partitions)
