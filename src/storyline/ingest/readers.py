"""Readers: turn paths, standard input and URLs into raw documents (or rejections).

Everything here streams: a directory is walked lazily, JSONL and WARC containers are read record by
record, so memory stays flat however large the input. A reader never raises for one bad input; it
yields a :class:`Rejection` with the reason and goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from storyline.errors import InputRejected, Msg
from storyline.model import RawDocument, Rejection

STAGE = "read"
DEFAULT_MAX_BYTES = 5_000_000

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}

Item = RawDocument | Rejection


def iter_inputs(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    lazy: bool = False,
) -> Iterator[Item]:
    """Yield raw documents and rejections for every path, directory, URL or ``-`` given.

    With ``lazy``, single-article files are not read here: their documents carry the path
    (``fmt="file"``) and the ``main_text`` stage loads them, in a worker process if there is one.
    """
    from storyline.ingest import fetch

    seen: set[str] = set()
    for spec in paths:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_blob("<stdin>", stream.read(max_bytes + 1), max_bytes, name="")
            continue
        if spec.startswith(("http://", "https://")):
            yield from fetch.iter_url(spec, max_bytes=max_bytes)
            continue
        path = Path(spec)
        if not path.exists():
            yield _rejection(spec, InputRejected(Msg.E001, path=spec))
            continue
        files = _walk(path) if path.is_dir() else iter([path])
        for file in files:
            key = str(file.resolve())
            if key in seen:
                continue
            seen.add(key)
            yield from read_file(file, max_bytes=max_bytes, lazy=lazy)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _suffixes(path: Path) -> tuple[bool, str]:
    """(gzipped?, the inner suffix that names the format)."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    inner = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes and not gz else "")
    return gz, inner


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, lazy: bool = False
              ) -> Iterator[Item]:
    """Read one file by its suffix; containers (JSONL, WARC) yield one item per record."""
    origin = str(path)
    gz, inner = _suffixes(path)
    try:
        if inner in WARC_SUFFIXES:
            yield from _read_warc(path)
            return
        if inner in JSONL_SUFFIXES:
            yield from _read_jsonl(path, gz=gz, max_bytes=max_bytes)
            return
        if inner and inner not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise InputRejected(Msg.E002, suffix="".join(path.suffixes[-2:]) or path.name)
        if lazy and inner:
            yield RawDocument(origin=origin, fmt="file", content=origin)
            return
        data = _read_bytes(path, gz, max_bytes)
    except InputRejected as exc:
        yield _rejection(origin, exc)
        return
    yield from _read_blob(origin, data, max_bytes, name=inner)


def load_single(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read a single-article file (text or HTML, maybe gzipped); raises :class:`InputRejected`."""
    gz, inner = _suffixes(Path(path))
    try:
        doc = _blob_document(path, _read_bytes(Path(path), gz, max_bytes), max_bytes, inner)
    except InputRejected as exc:
        exc.stage = STAGE
        raise
    return doc


def _read_bytes(path: Path, gz: bool, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        limit = max_bytes if not gz else max_bytes // 2
        if size > limit:
            raise InputRejected(Msg.E004, size=size, limit=limit)
        data = path.read_bytes()
    except OSError as exc:
        raise InputRejected(Msg.E001, path=f"{path} ({exc.strerror})") from exc
    return _gunzip(data, max_bytes) if gz else data


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputRejected(Msg.E006, detail=str(exc) or type(exc).__name__) from exc
    if len(out) > max_bytes:
        raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
    return out


def _read_blob(origin: str, data: bytes, max_bytes: int, name: str) -> Iterator[Item]:
    """Classify and decode an in-memory blob (a file body, stdin, a fetched page)."""
    try:
        if len(data) > max_bytes:
            raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, max_bytes)
        kind = name if name in TEXT_SUFFIXES | HTML_SUFFIXES else sniff(data)
        if kind == "warc":
            yield from _iter_warc_stream(origin, io.BytesIO(data))
            return
        if kind == "jsonl":
            yield from _iter_jsonl_lines(origin, io.BytesIO(data), max_bytes)
            return
        yield _blob_document(origin, data, max_bytes, kind)
    except InputRejected as exc:
        yield _rejection(origin, exc)


def _blob_document(origin: str, data: bytes, max_bytes: int, kind: str) -> RawDocument:
    if len(data) > max_bytes:
        raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes)
    if not data.strip():
        raise InputRejected(Msg.E005)
    if looks_binary(data):
        raise InputRejected(Msg.E003)
    if kind in HTML_SUFFIXES or kind == "html":
        return RawDocument(origin=origin, fmt="html", content=decode_html(data))
    return RawDocument(origin=origin, fmt="text", content=decode_text(data))


def sniff(data: bytes) -> str:
    """Guess the format of a blob with no telling file name."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<div" in low:
        return "html"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0]
        try:
            json.loads(first)
            return "jsonl"
        except ValueError:
            pass
    return "text"


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * 0.05


def decode_text(data: bytes) -> str:
    """UTF-8 when it is (a stray bad byte is replaced); otherwise the detected legacy encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(2, len(text) // 1000):
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputRejected(Msg.E014, detail="no known encoding fits")
    return str(best)


def decode_html(data: bytes) -> str:
    """UTF-8 (most of the web) directly; otherwise trafilatura's charset detection."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from trafilatura.utils import decode_file

    text = decode_file(data)
    if not isinstance(text, str):
        raise InputRejected(Msg.E014, detail="HTML could not be decoded")
    return text


def _read_jsonl(path: Path, *, gz: bool, max_bytes: int) -> Iterator[Item]:
    opener = gzip.open if gz else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        yield from _iter_jsonl_lines(str(path), fh, max_bytes)


FIELD_ALIASES = {
    "text": ("text", "body", "content", "articleBody"),
    "html": ("html", "raw_html"),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "datePublished", "pubdate"),
    "source": ("source", "outlet", "site", "sitename", "publisher"),
}


def _field(record: dict[str, object], name: str) -> str | None:
    for key in FIELD_ALIASES[name]:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _iter_jsonl_lines(origin: str, fh: IO[bytes], max_bytes: int) -> Iterator[Item]:
    line_no = 0
    try:
        for raw in fh:
            line_no += 1
            where = f"{origin}:{line_no}"
            if not raw.strip():
                continue
            try:
                if len(raw) > max_bytes:
                    raise InputRejected(Msg.E004, size=len(raw), limit=max_bytes)
                try:
                    record = json.loads(raw)
                except ValueError as exc:
                    raise InputRejected(Msg.E007, detail=str(exc)[:200]) from exc
                if not isinstance(record, dict):
                    raise InputRejected(Msg.E007, detail="not a JSON object")
                text, html = _field(record, "text"), _field(record, "html")
                if text is None and html is None:
                    raise InputRejected(Msg.E008)
                yield RawDocument(
                    origin=where,
                    fmt="html" if text is None else "text",
                    content=text if text is not None else str(html),
                    url=_field(record, "url"),
                    title=_field(record, "title"),
                    published=_field(record, "published"),
                    source=_field(record, "source"),
                    container="jsonl",
                )
            except InputRejected as exc:
                yield _rejection(where, exc)
    except (OSError, EOFError, zlib.error) as exc:
        yield _rejection(f"{origin}:{line_no + 1}", InputRejected(Msg.E006, detail=str(exc)))


def _read_warc(path: Path) -> Iterator[Item]:
    with open(path, "rb") as fh:
        yield from _iter_warc_stream(str(path), fh)


def _iter_warc_stream(origin: str, fh: BinaryIO) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(fh)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error) as exc:
            where = f"{origin}@{records.offset}" if hasattr(records, "offset") else origin
            yield _rejection(where, InputRejected(Msg.E009, detail=str(exc)[:300]))
            return
        if record.rec_type != "response":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        where = f"{origin}#{url}" if url else f"{origin}@{records.offset}"
        try:
            ctype = ""
            if record.http_headers is not None:
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            if ctype and "html" not in ctype:
                raise InputRejected(Msg.E010, ctype=ctype.split(";")[0])
            body = record.content_stream().read()
            if not body.strip():
                raise InputRejected(Msg.E005)
            yield RawDocument(origin=where, fmt="html", content=decode_html(body), url=url,
                              container="warc")
        except InputRejected as exc:
            yield _rejection(where, exc)
        except (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error) as exc:
            yield _rejection(where, InputRejected(Msg.E009, detail=str(exc)[:300]))
            return


def _rejection(origin: str, exc: InputRejected) -> Rejection:
    return Rejection(origin=origin, stage=exc.stage or STAGE, reason=exc.reason, hint=exc.hint,
                     code=exc.code)
