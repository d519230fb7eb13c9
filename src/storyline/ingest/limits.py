"""Hard bounds for reading untrusted files: what a reader may open, hold and decompress.

Every limit here is checked while streaming, before the bytes are held, so that a hostile input (a
gzip bomb, a 1 GB line, a FIFO, ``/dev/zero``, a JSON line nested a million levels deep) costs a
bounded amount of memory and time and becomes a rejection instead of an exhausted process:

- only regular files are opened (:func:`open_regular`), without blocking on a FIFO;
- decompressed bytes are read in chunks of :data:`CHUNK` and counted against a per-file budget
  (:func:`read_chunks`, :func:`total_budget`);
- lines are split from those chunks with at most ``max_bytes`` of one line held, runs of blank
  lines skipped in C (:func:`iter_lines`);
- JSON nesting is measured on the raw bytes before :func:`json.loads` can recurse
  (:func:`json_too_deep`);
- a byte-order mark chooses the decoding of UTF-16 and UTF-32 text (:func:`bom_encoding`).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, NamedTuple

from storyline.errors import InputRejected, Msg

CHUNK = 1 << 20
"""Bytes read (after decompression) per step; the most a reader holds beyond one record."""

EXPANSION = 100
"""A file may yield at most this many times ``max_bytes`` — or its stored size, when larger — of
decompressed bytes; a legitimate gzip of text expands 3-10 times, a gzip bomb about 1,000 times."""

JSON_MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted on one JSONL line (an article needs two or
three)."""


class BudgetExceeded(Exception):
    """More decompressed bytes than one file may yield; the rest of the file is not read."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        super().__init__(f"more than {budget} bytes after decompression")


def total_budget(max_bytes: int, stored_size: int) -> int:
    """Decompressed bytes one input file may yield: ``EXPANSION`` × the larger of ``max_bytes`` and
    its stored size. Generous for real archives (a 1 GB CC-NEWS ``.warc.gz`` may expand to 100 GB),
    yet a 1 MB gzip bomb stops after 500 MB at the default ``max_bytes`` instead of running on."""
    return EXPANSION * max(max_bytes, stored_size)


_KINDS = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "directory"),
)


def file_kind(mode: int) -> str:
    """A readable name for what a non-regular ``st_mode`` is."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "special file"


def check_regular(path: Path) -> None:
    """Raise E017 unless ``path`` (symlinks followed) is a regular file, E001 if it cannot be
    stat'ed. Reading a FIFO blocks forever and a device such as ``/dev/zero`` never ends."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputRejected(Msg.E001, path=f"{path} ({exc.strerror})") from exc
    if not stat.S_ISREG(mode):
        raise InputRejected(Msg.E017, kind=file_kind(mode))


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for binary reading; anything else is refused with E017.

    The file is opened non-blocking (so a FIFO swapped in after :func:`check_regular` cannot hang
    the open) and checked again on the open descriptor, which is what will be read.
    """
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputRejected(Msg.E001, path=f"{path} ({exc.strerror})") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputRejected(Msg.E017, kind=file_kind(mode))
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a regular file (one more than allowed tells it is too big)."""
    with open_regular(path) as fh:
        try:
            return fh.read(limit + 1)
        except OSError as exc:
            raise InputRejected(Msg.E001, path=f"{path} ({exc.strerror})") from exc


def read_chunks(stream: IO[bytes], budget: int) -> Iterator[bytes]:
    """The stream in chunks of :data:`CHUNK` bytes; raises :class:`BudgetExceeded` once more than
    ``budget`` bytes were read (for a gzip stream: decompressed bytes)."""
    total = 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        if total > budget:
            raise BudgetExceeded(budget)
        yield chunk


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """``(encoding, BOM length)`` when ``data`` starts with a Unicode byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def utf8_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Chunks re-encoded as UTF-8 when the stream starts with a UTF-16 or UTF-32 byte-order mark
    (decoded incrementally, so a character split across chunks survives); a UTF-8 BOM is dropped.
    Undecodable code units become U+FFFD."""
    first = next(chunks, b"")
    found = bom_encoding(first)
    if found is None:
        if first:
            yield first
        yield from chunks
        return
    encoding, skip = found
    if encoding == "utf-8":
        yield first[skip:]
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    yield decoder.decode(first[skip:]).encode("utf-8")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


class Line(NamedTuple):
    """One non-blank line: its number (from 1) and its bytes, or None when it is longer than
    allowed (it is then skipped, never held; ``size`` is how much of it had been seen)."""

    number: int
    data: bytes | None
    size: int


_BLANKS = re.compile(rb"[ \t\r\n]*")


def iter_lines(chunks: Iterator[bytes], max_bytes: int) -> Iterator[Line]:
    """The non-blank lines of a chunked byte stream, holding at most ``max_bytes`` of one line.

    Unlike ``for line in fh`` (which holds a whole line however long) or ``readline`` per line
    (a Python call per newline: minutes for a gigabyte of them), runs of blank lines are skipped
    with a regular expression and counted with ``bytes.count``, and a line longer than
    ``max_bytes`` is reported as soon as that is known, then skipped chunk by chunk.
    """
    number = 0
    buf = b""
    skipping = False  # inside an over-long line, already reported
    for chunk in chunks:
        if skipping:
            end = chunk.find(b"\n")
            if end < 0:
                continue
            skipping, chunk = False, chunk[end + 1:]
        buf = buf + chunk if buf else chunk
        pos = 0
        while True:
            blank_end = _BLANKS.match(buf, pos).end()  # type: ignore[union-attr]
            last_newline = buf.rfind(b"\n", pos, blank_end)
            if last_newline >= 0:
                number += buf.count(b"\n", pos, last_newline + 1)
                pos = last_newline + 1
            end = buf.find(b"\n", pos)
            if end < 0:
                break
            number += 1
            size = end - pos
            yield Line(number, buf[pos:end] if size <= max_bytes else None, size)
            pos = end + 1
        buf = buf[pos:]
        if len(buf) > max_bytes:
            if _BLANKS.fullmatch(buf):  # leading blanks of a line are not held
                buf = b""
                continue
            number += 1
            yield Line(number, None, len(buf))
            skipping, buf = True, b""
    if buf.strip():
        yield Line(number + 1, buf, len(buf))


_JSON_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_OPENERS = frozenset(b"[{")
_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)


def json_too_deep(raw: bytes, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects more than ``limit`` deep.

    Checked on the raw bytes because :func:`json.loads` recurses once per level and a line of a
    few thousand ``[`` raises :class:`RecursionError` (or worse) before it can say anything useful.
    Brackets inside strings are not counted: strings are removed first (possessive quantifiers, so
    an unterminated string costs one linear pass). Most lines have fewer brackets than ``limit``
    and are answered by counting alone.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        depth += 1 if byte in _OPENERS else -1
        if depth > limit:
            return True
    return False
