"""Readers: turn paths, standard input and URLs into raw documents (or rejections).

Everything here streams: a directory is walked lazily, JSONL and WARC containers are read record by
record, so memory stays flat however large the input. A reader never raises for one bad input; it
yields a :class:`Rejection` with the reason and goes on.

Input is untrusted, so every read is bounded while it streams (see :mod:`storyline.ingest.limits`
and :mod:`storyline.ingest.warc`): only regular files are opened (E017 for a FIFO, a device or a
socket); one document, JSONL line or WARC payload holds at most ``max_bytes`` (E004), a longer one
is skipped without being held; one file yields at most ``max_total_bytes`` decompressed bytes
(default: 100 × the larger of ``max_bytes`` and its size on disk; E004 for the rest); a JSONL line
nested more than 64 levels is refused before parsing (E018). Text with a UTF-16 or UTF-32
byte-order mark is decoded as such, and stray NUL characters are removed from decoded content.
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
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from storyline.errors import InputRejected, Msg
from storyline.ingest import limits
from storyline.ingest.limits import BudgetExceeded
from storyline.model import RawDocument, Rejection

if TYPE_CHECKING:
    from storyline.ingest.fetch import FetchPolicy

STAGE = "read"
DEFAULT_MAX_BYTES = 5_000_000

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}
XML_SUFFIXES = {".xml"}  # token documents (ECB+), read by storyline.ingest.token_xml

Item = RawDocument | Rejection


def iter_inputs(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    lazy: bool = False,
    fetch_policy: FetchPolicy | None = None,
    max_total_bytes: int | None = None,
) -> Iterator[Item]:
    """Yield raw documents and rejections for every path, directory, URL or ``-`` given.

    With ``lazy``, single-article files are not read here: their documents carry the path
    (``fmt="file"``) and the ``main_text`` stage loads them, in a worker process if there is one.
    URLs are fetched under ``fetch_policy`` (None: :meth:`FetchPolicy.from_env`, the defaults
    unless ``STORYLINE_ALLOW_PRIVATE=1``), sharing one robots.txt cache. ``max_total_bytes`` bounds
    the decompressed bytes of one container file (None: see :func:`limits.total_budget`).
    """
    fetcher = None
    seen: set[str] = set()
    for spec in paths:
        if spec == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            continue
        if spec.startswith(("http://", "https://")):
            if fetcher is None:
                from storyline.ingest.fetch import Fetcher

                fetcher = Fetcher(max_bytes=max_bytes, policy=fetch_policy)
            yield from fetcher.iter_url(spec)
            continue
        path = Path(spec)
        if not path.exists():
            yield _rejection(spec, InputRejected(Msg.E001, path=spec))
            continue
        for found in _walk(path) if path.is_dir() else iter([path]):
            if isinstance(found, Rejection):
                yield found
                continue
            key = _identity(found)
            if key in seen:
                continue
            seen.add(key)
            yield from read_file(found, max_bytes=max_bytes, lazy=lazy,
                                 max_total_bytes=max_total_bytes)


def _read_stdin(stream: IO[bytes], max_bytes: int) -> Iterator[Item]:
    """Standard input, sniffed; never more than ``max_bytes + 1`` bytes are read from it."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        yield _rejection("<stdin>", InputRejected(Msg.E001, path=f"<stdin> ({exc.strerror})"))
        return
    yield from _read_blob("<stdin>", data, max_bytes, name="")


def _identity(path: Path) -> str:
    """The resolved path, so one file named twice is read once."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return str(path)


def _walk(root: Path) -> Iterator[Path | Rejection]:
    """Files under ``root`` in name order, hidden ones skipped; a folder that cannot be listed is a
    rejection rather than a silent gap. Special files are listed too: :func:`read_file` refuses
    them without opening them."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        while errors:
            exc = errors.pop()
            where = exc.filename or dirpath
            yield _rejection(str(where), InputRejected(Msg.E001, path=f"{where} ({exc.strerror})"))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
    for exc in errors:
        where = exc.filename or root
        yield _rejection(str(where), InputRejected(Msg.E001, path=f"{where} ({exc.strerror})"))


def _suffixes(path: Path) -> tuple[bool, str]:
    """(gzipped?, the inner suffix that names the format)."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    inner = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes and not gz else "")
    return gz, inner


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, lazy: bool = False,
              max_total_bytes: int | None = None) -> Iterator[Item]:
    """Read one file by its suffix; containers (JSONL, WARC) yield one item per record.

    Anything but a regular file is refused (E017) before it is opened; an unexpected error is a
    rejection (E015) for this file, never an exception for the batch.
    """
    origin = str(path)
    gz, inner = _suffixes(path)
    try:
        limits.check_regular(path)
        if inner in WARC_SUFFIXES:
            yield from _read_warc(path, max_bytes, max_total_bytes)
            return
        if inner in JSONL_SUFFIXES:
            yield from _read_jsonl(path, gz=gz, max_bytes=max_bytes, max_total_bytes=max_total_bytes)
            return
        if inner and inner not in TEXT_SUFFIXES | HTML_SUFFIXES | XML_SUFFIXES:
            raise InputRejected(Msg.E002, suffix="".join(path.suffixes[-2:]) or path.name)
        if lazy and inner:
            yield RawDocument(origin=origin, fmt="file", content=origin)
            return
        data = _read_bytes(path, gz, max_bytes)
    except InputRejected as exc:
        yield _rejection(origin, exc)
        return
    except Exception as exc:  # a bug or an input nobody foresaw: this file only
        yield _rejection(origin, _unexpected(exc))
        return
    yield from _read_blob(origin, data, max_bytes, name=inner)


def _unexpected(exc: BaseException) -> InputRejected:
    return InputRejected(Msg.E015, stage=STAGE, detail=f"{type(exc).__name__}: {exc}"[:300])


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
    """A single-article file's bytes (gunzipped), read with a bound rather than after a size
    check: the file may grow, or be a FIFO or device swapped in (refused by ``open_regular``)."""
    limit = max_bytes if not gz else max_bytes // 2
    data = limits.read_bounded(path, limit)
    if len(data) > limit:
        try:
            size: object = path.stat().st_size
        except OSError:
            size = f"more than {limit}"
        raise InputRejected(Msg.E004, size=size, limit=limit)
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


def _unpack(data: bytes, max_bytes: int) -> bytes:
    """Size check, then gunzip (bounded) when the blob is gzip."""
    if len(data) > max_bytes:
        raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes)
    return data


def to_utf8(data: bytes) -> bytes:
    """UTF-8 bytes for a blob that starts with a UTF-16 or UTF-32 byte-order mark (which would
    otherwise look binary: every other byte is NUL); a UTF-8 BOM is dropped; anything else is
    returned unchanged."""
    found = limits.bom_encoding(data)
    if found is None:
        return data
    encoding, skip = found
    if encoding == "utf-8":
        return data[skip:]
    return data[skip:].decode(encoding, errors="replace").encode("utf-8")


def _read_blob(origin: str, data: bytes, max_bytes: int, name: str) -> Iterator[Item]:
    """Classify and decode an in-memory blob (a file body, stdin, a fetched page)."""
    try:
        data = to_utf8(_unpack(data, max_bytes))
        kind = name if name in TEXT_SUFFIXES | HTML_SUFFIXES | XML_SUFFIXES else sniff(data)
        budget = limits.total_budget(max_bytes, len(data))
        if kind == "warc":
            yield from _iter_warc_stream(origin, io.BytesIO(data), max_bytes, budget)
            return
        if kind == "jsonl":
            yield from _iter_jsonl_stream(origin, io.BytesIO(data), max_bytes, budget)
            return
        yield _document(origin, data, kind)
    except InputRejected as exc:
        yield _rejection(origin, exc)
    except Exception as exc:  # never let one blob end the batch
        yield _rejection(origin, _unexpected(exc))


def _blob_document(origin: str, data: bytes, max_bytes: int, kind: str) -> RawDocument:
    return _document(origin, _unpack(data, max_bytes), kind)


def _document(origin: str, data: bytes, kind: str) -> RawDocument:
    """A text or HTML document from bytes already size-checked and gunzipped."""
    data = to_utf8(data)
    if not data.strip():
        raise InputRejected(Msg.E005)
    if looks_binary(data):
        raise InputRejected(Msg.E003)
    if kind in HTML_SUFFIXES or kind == "html":
        return RawDocument(origin=origin, fmt="html", content=decode_html(data))
    if kind in XML_SUFFIXES:
        from storyline.ingest.token_xml import token_document

        text, url = token_document(data)
        return RawDocument(origin=origin, fmt="text", content=text, url=url)
    return RawDocument(origin=origin, fmt="text", content=decode_text(data))


def sniff(data: bytes) -> str:
    """Guess the format of a blob with no telling file name."""
    sample = data[:2048]
    head = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<div" in low:
        return "html"
    if head.startswith(b"{"):
        start = len(sample) - len(head)
        end = data.find(b"\n", start)
        first = data[start:end] if end >= 0 else data[start:]
        if limits.json_too_deep(first):
            return "jsonl"  # refused line by line there (E018), not parsed here
        try:
            json.loads(first)
            return "jsonl"
        except (ValueError, RecursionError):
            pass
    return "text"


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """More than 5% control bytes (NUL included) in the first 8 KB: binary, not an article. A few
    stray NULs in text are not enough; they are removed when decoding."""
    sample = data[:8192]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * 0.05


def _without_nul(text: str) -> str:
    """NUL characters removed: they carry nothing in news text and break storage and display."""
    return text.replace("\x00", "") if "\x00" in text else text


def decode_text(data: bytes) -> str:
    """UTF-8 when it is (a stray bad byte is replaced); otherwise the detected legacy encoding."""
    try:
        return _without_nul(to_utf8(data).decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(2, len(text) // 1000):
        return _without_nul(text)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputRejected(Msg.E014, detail="no known encoding fits")
    return _without_nul(str(best))


def decode_html(data: bytes) -> str:
    """UTF-8 (most of the web) directly; otherwise trafilatura's charset detection."""
    try:
        return _without_nul(to_utf8(data).decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from trafilatura.utils import decode_file

    text = decode_file(data)
    if not isinstance(text, str):
        raise InputRejected(Msg.E014, detail="HTML could not be decoded")
    return _without_nul(text)


def _read_jsonl(path: Path, *, gz: bool, max_bytes: int, max_total_bytes: int | None
                ) -> Iterator[Item]:
    with limits.open_regular(path) as fh:
        budget = max_total_bytes or limits.total_budget(max_bytes, os.fstat(fh.fileno()).st_size)
        stream: IO[bytes] = gzip.GzipFile(fileobj=fh, mode="rb") if gz else fh
        yield from _iter_jsonl_stream(str(path), stream, max_bytes, budget)


FIELD_ALIASES = {
    "text": ("text", "body", "content", "articleBody"),
    "html": ("html", "raw_html"),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "datePublished", "pubdate"),
    "source": ("source", "outlet", "site", "sitename", "publisher"),
}


def _field(record: dict[str, Any], name: str) -> str | None:
    for key in FIELD_ALIASES[name]:
        value = record.get(key)
        if isinstance(value, str):
            value = _without_nul(value)
            if value.strip():
                return value
    return None


def _iter_jsonl_stream(origin: str, stream: IO[bytes], max_bytes: int, budget: int
                       ) -> Iterator[Item]:
    """One item per non-blank line, read in bounded chunks (see :func:`limits.iter_lines`): a line
    over ``max_bytes`` is an E004 rejection, skipped without being held; past ``budget``
    decompressed bytes the rest of the file is one E004 rejection; a UTF-16/32 file with a BOM is
    read as UTF-8."""
    number = 0
    try:
        chunks = limits.utf8_chunks(limits.read_chunks(stream, budget))
        for line in limits.iter_lines(chunks, max_bytes):
            number = line.number
            where = f"{origin}:{number}"
            if line.data is None:
                yield _rejection(where, InputRejected(Msg.E004, size=f"more than {max_bytes}",
                                                      limit=max_bytes))
            else:
                yield _jsonl_item(where, line.data)
    except BudgetExceeded as exc:
        yield _rejection(f"{origin}:{number + 1}", _over_budget(exc))
    except (OSError, EOFError, zlib.error) as exc:
        yield _rejection(f"{origin}:{number + 1}",
                         InputRejected(Msg.E006, detail=str(exc) or type(exc).__name__))


def _over_budget(exc: BudgetExceeded) -> InputRejected:
    """The rejection for the unread rest of a file that expanded past its budget."""
    return InputRejected(Msg.E004, size=f"more than {exc.budget} decompressed", limit=exc.budget)


def _jsonl_item(where: str, raw: bytes) -> Item:
    """One JSONL line as a document, or a rejection: E018 when nested too deeply (checked before
    parsing), E007 when not a JSON object, E008 without a body; any other error is E007 for this
    line only."""
    try:
        if limits.json_too_deep(raw):
            raise InputRejected(Msg.E018, limit=limits.JSON_MAX_DEPTH)
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            # the line is the record: say where in it, not json's own line count (a missing
            # brace is found past the line's newline, "line 2 column 1")
            column = min(exc.pos, len(raw.rstrip())) + 1
            raise InputRejected(Msg.E007, detail=f"{exc.msg} at character {column}") from exc
        except (ValueError, RecursionError) as exc:
            raise InputRejected(Msg.E007, detail=str(exc)[:200] or type(exc).__name__) from exc
        if not isinstance(record, dict):
            raise InputRejected(Msg.E007, detail="not a JSON object")
        text, html = _field(record, "text"), _field(record, "html")
        if text is None and html is None:
            raise InputRejected(Msg.E008)
        return RawDocument(
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
        return _rejection(where, exc)
    except Exception as exc:
        return _rejection(where, InputRejected(Msg.E007, detail=f"{type(exc).__name__}: {exc}"[:200]))


def _read_warc(path: Path, max_bytes: int, max_total_bytes: int | None) -> Iterator[Item]:
    with limits.open_regular(path) as fh:
        budget = max_total_bytes or limits.total_budget(max_bytes, os.fstat(fh.fileno()).st_size)
        yield from _iter_warc_stream(str(path), fh, max_bytes, budget)


def _iter_warc_stream(origin: str, fh: BinaryIO, max_bytes: int, budget: int) -> Iterator[Item]:
    """One item per HTML response record (see :mod:`storyline.ingest.warc` for the bounds).

    A record that cannot be parsed is an E009 rejection and reading goes on with the next record
    when the file allows it (one gzip member per record); an error that leaves no next record ends
    the file with E009; past ``budget`` decompressed bytes the rest of the file is one E004. A
    file cut off inside a gzip member ends with E006, one with no record at all is E005.
    """
    from storyline.ingest.warc import BoundedArchiveIterator, BrokenRecord

    records = BoundedArchiveIterator(fh, budget=budget)
    seen = 0
    while True:
        try:
            record = next(records)
            seen += 1
            if isinstance(record, BrokenRecord):
                yield _rejection(f"{origin}@{records.offset}",
                                 InputRejected(Msg.E009, detail=_describe(record.error)))
            elif record.rec_type == "response":
                yield _warc_item(origin, records.offset, record, max_bytes)
        except StopIteration:
            if records.truncated:
                yield _rejection(f"{origin}@{records.offset}", InputRejected(
                    Msg.E006, detail="the file ends inside a record"))
            elif not seen:
                yield _rejection(origin, InputRejected(Msg.E005))
            return
        except BudgetExceeded as exc:
            yield _rejection(f"{origin}@{records.offset}", _over_budget(exc))
            return
        except Exception as exc:
            yield _rejection(f"{origin}@{records.offset}", InputRejected(Msg.E009, detail=_describe(exc)))
            return


def _describe(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:300]


def _warc_item(origin: str, offset: int, record: Any, max_bytes: int) -> Item:
    """One response record as an HTML document, or a rejection. At most ``max_bytes + 1`` bytes of
    its payload are read; the iterator skips the rest in bounded steps. Only exceeding the file's
    budget escapes (it ends the file)."""
    from storyline.ingest.warc import read_payload

    url = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{origin}#{url}" if url else f"{origin}@{offset}"
    try:
        if not url:
            raise InputRejected(Msg.E009, detail="response record without WARC-Target-URI")
        ctype = ""
        if record.http_headers is not None:
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
        if ctype and "html" not in ctype:
            raise InputRejected(Msg.E010, ctype=ctype.split(";")[0])
        body = read_payload(record, max_bytes)
        if len(body) > max_bytes:
            raise InputRejected(Msg.E004, size=f"more than {max_bytes}", limit=max_bytes)
        body = to_utf8(body)
        if not body.strip():
            raise InputRejected(Msg.E005)
        if looks_binary(body):
            raise InputRejected(Msg.E003)
        return RawDocument(origin=where, fmt="html", content=decode_html(body), url=url,
                           container="warc")
    except InputRejected as exc:
        return _rejection(where, exc)
    except BudgetExceeded:
        raise
    except Exception as exc:
        return _rejection(where, InputRejected(Msg.E009, detail=_describe(exc)))


def _rejection(origin: str, exc: InputRejected) -> Rejection:
    return Rejection(origin=origin, stage=exc.stage or STAGE, reason=exc.reason, hint=exc.hint,
                     code=exc.code)
