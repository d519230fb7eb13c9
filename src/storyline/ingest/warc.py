"""WARC records through warcio, with hard bounds and one broken record at a time.

warcio's :class:`~warcio.archiveiterator.ArchiveIterator` trusts its input: a header line is read
whole however long, a chunked payload is held chunk by chunk however large the chunk, a gzip bomb
is decompressed to the end, and one malformed record (a response without ``WARC-Target-URI``
raises ``AttributeError`` deep inside) ends the iteration. :class:`BoundedArchiveIterator` keeps
warcio's parsing but

- reads through :class:`BoundedReader`, which caps the length of a header line, the header bytes
  of one record and the decompressed bytes of the whole file (:class:`~storyline.ingest.limits.
  BudgetExceeded`);
- reads a response without ``WARC-Target-URI`` as one with an empty URI (the reader rejects it);
- turns a record that cannot be parsed into a :class:`BrokenRecord` and, in a gzip WARC with one
  record per member (as CC-NEWS ships them), skips to the next member and goes on; in an
  uncompressed WARC there is no safe place to resume, so the error ends the file.

:func:`read_payload` reads at most ``limit + 1`` bytes of a response's HTTP payload.
"""

from __future__ import annotations

import zlib
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader, DecompressingBufferedReader
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecordLoader

from storyline.errors import InputRejected, Msg
from storyline.ingest.limits import BudgetExceeded

LINE_MAX = 1 << 20
"""Longest WARC or HTTP header line accepted."""

HEADER_MAX = 4 << 20
"""Most header bytes (WARC and HTTP headers, chunk sizes, blank lines) of one record."""

CHUNKED_SLACK = 1 << 16
"""Raw bytes allowed beyond the payload limit for chunk-size lines of a chunked payload."""


class RecordTooLarge(ValueError):
    """A header line or a record's headers exceed the bounds above."""


class BoundedReader(DecompressingBufferedReader):
    """warcio's decompressing reader with bounds on header lines and total decompressed bytes.

    ``readline`` is only used for headers (WARC, HTTP, chunk sizes, the blank lines between
    records); payloads are read with ``read``. Every decompressed byte passes ``_process_read``.
    """

    def __init__(self, stream: Any, *, budget: int, **kwargs: Any) -> None:
        super().__init__(stream, **kwargs)
        self.budget = budget
        self.header_bytes = 0

    def _process_read(self, data: bytes) -> None:
        super()._process_read(data)
        if self.num_read > self.budget:
            raise BudgetExceeded(self.budget)

    def readline(self, length: int | None = None) -> bytes:
        cap = LINE_MAX if length is None or length > LINE_MAX else length
        line: bytes = super().readline(cap)
        if cap == LINE_MAX and len(line) >= cap and not line.endswith(b"\n"):
            raise RecordTooLarge(f"a header line is longer than {LINE_MAX} bytes")
        self.header_bytes += len(line)
        if self.header_bytes > HEADER_MAX:
            raise RecordTooLarge(f"more than {HEADER_MAX} bytes of headers in one record")
        return line


class BrokenRecord:
    """Stands in for a record warcio could not parse; reading its stream skips the rest of the
    gzip member it was in."""

    rec_type = "broken"

    def __init__(self, error: Exception, reader: BoundedReader) -> None:
        self.error = error
        self.raw_stream = reader  # read to its end by ArchiveIterator.read_to_end


class _Loader(ArcWarcRecordLoader):  # type: ignore[misc]
    """warcio's record loader, reading a missing ``WARC-Target-URI`` as empty instead of failing
    on ``None.startswith``: the record is then parsed and skipped whole, and the reader reports it,
    in an uncompressed WARC too."""

    def _ensure_target_uri_format(self, rec_headers: Any) -> str:
        return super()._ensure_target_uri_format(rec_headers) or ""  # type: ignore[no-any-return]


class BoundedArchiveIterator(ArchiveIterator):  # type: ignore[misc]
    """An :class:`ArchiveIterator` over a :class:`BoundedReader` that yields :class:`BrokenRecord`
    for a record it cannot parse (gzip WARCs) instead of stopping."""

    truncated = False
    """Set when the file ended inside a gzip member (a cut-off download), known after the last
    record."""

    def __init__(self, fileobj: Any, *, budget: int) -> None:
        super().__init__(fileobj)
        self.loader = _Loader(verify_http=False, arc2warc=False)
        self.reader = BoundedReader(self.fh, budget=budget, block_size=self.reader.block_size)
        self._last_failure: tuple[int, int] | None = None

    def close(self) -> None:
        """warcio calls this after the last record; the decompressor tells whether the last gzip
        member was complete."""
        reader = self.reader
        if reader is not None and reader.decompressor is not None:
            self.truncated = not reader.decompressor.eof and self.fh.tell() > 0
        super().close()

    def _next_record(self, next_line: bytes | None) -> Any:
        self.reader.header_bytes = 0
        try:
            return super()._next_record(next_line)
        except (EOFError, BudgetExceeded):
            raise  # the end of the file, or the end of what may be read of it
        except Exception as exc:
            if not self.reader.decompressor:
                raise  # uncompressed: no member boundary to resume from
            where = (self.fh.tell(), self.reader.num_read)
            if where == self._last_failure:
                raise  # no progress since the last broken record
            self._last_failure = where
            self.member_info = None
            return BrokenRecord(exc, self.reader)


def _header(record: Any, name: str) -> str:
    headers = record.http_headers
    return ((headers.get_header(name) if headers is not None else None) or "").strip().lower()


def read_payload(record: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a record's HTTP payload, de-chunked and decompressed.

    A plain or content-encoded payload goes through warcio's ``content_stream`` (which inflates
    block by block). A chunked one does not: warcio would hold a whole chunk (a chunk may claim
    2 GB) and inflate it in one call. It is de-chunked from at most ``limit`` raw bytes (plus room
    for the chunk-size lines; more raises E004) and then inflated with an output bound.
    A payload that ends before the record says it should (a cut-off file) raises E009.
    """
    encoding = _header(record, "content-encoding")
    if _header(record, "transfer-encoding") != "chunked":
        data: bytes = record.content_stream().read(limit + 1)
        if not encoding and len(data) <= limit and getattr(record.raw_stream, "limit", 0) > 0:
            raise _truncated(record.raw_stream.limit)
        return data
    raw = LimitReader(record.raw_stream, limit + CHUNKED_SLACK)
    dechunked = ChunkedDataReader(raw)
    body: bytes = dechunked.read(limit + 1)
    if not dechunked.all_chunks_read and not dechunked.not_chunked and len(body) <= limit:
        if raw.limit == 0:  # stopped by the cap above, not by the record's end
            raise InputRejected(Msg.E004, size=f"more than {limit}", limit=limit)
        raise _truncated(getattr(record.raw_stream, "limit", 0))
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _inflate(body, limit)
    return body


def _truncated(missing: int) -> InputRejected:
    detail = "the record ends before its Content-Length (a cut-off file?)"
    if missing:
        detail = f"the record ends {missing} bytes before its Content-Length (a cut-off file?)"
    return InputRejected(Msg.E009, detail=detail)


def _inflate(data: bytes, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a gzip, zlib or raw-deflate stream."""
    for wbits in (zlib.MAX_WBITS | 32, -zlib.MAX_WBITS):  # gzip or zlib header; raw deflate
        try:
            return zlib.decompressobj(wbits).decompress(data, limit + 1)
        except zlib.error:
            continue
    return data
