"""``POST /api/articles``: articles sent as JSON (one object or a list of ``{"text" | "html",
"title", "url", "published", "source"}``) or as uploaded files (multipart, one article per file,
``.txt``/``.md``/``.html``), run through the whole pipeline into the store. Bad articles become
stored rejections like any other input; the answer lists what was stored and rejected.

The body is read as a stream with a running count and refused (413) as soon as it passes
:data:`~storyline.serve.app.MAX_REQUEST_BYTES`, whatever ``Content-Length`` says (chunked bodies
have none); multipart bodies are parsed from that bounded stream (uploaded files spool to disk past
1 MB), at most :data:`~storyline.serve.app.MAX_ARTICLES_PER_REQUEST` files."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request

from storyline.model import RawDocument
from storyline.serve.app import (
    MAX_ARTICLE_BYTES,
    MAX_ARTICLES_PER_REQUEST,
    MAX_REQUEST_BYTES,
    ApiError,
)

#: Non-file form fields are ignored; each is held in memory, so keep them small and few.
MAX_FORM_FIELD_BYTES = 64 * 1024
MAX_FORM_FIELDS = 100

WRITE_WAIT = 30.0  # seconds a request waits for another writer of the store
_LOCK = asyncio.Lock()  # one pipeline run at a time: SQLite has one writer


def _from_json(data: Any) -> list[RawDocument]:
    records = data if isinstance(data, list) else [data]
    if not records or not all(isinstance(r, dict) for r in records):
        raise ApiError(400, "bad_body", "send an article object or a list of them")
    docs = []
    for i, r in enumerate(records):
        html, text = r.get("html"), r.get("text")
        content = html if isinstance(html, str) and html.strip() else text
        if not isinstance(content, str) or not content.strip():
            raise ApiError(400, "bad_article", f"article {i} needs a non-empty text or html")
        if len(content.encode()) > MAX_ARTICLE_BYTES:
            raise ApiError(413, "too_large", f"article {i} is over {MAX_ARTICLE_BYTES} bytes")
        meta = {k: r.get(k) if isinstance(r.get(k), str) else None
                for k in ("url", "title", "published", "source")}
        docs.append(RawDocument(origin=f"api:{meta['url'] or i}", fmt="html" if content is html
                                else "text", content=content, container="jsonl", **meta))
    return docs


def _too_large() -> ApiError:
    return ApiError(413, "too_large", f"the request is over {MAX_REQUEST_BYTES} bytes")


async def bounded_stream(request: Request, limit: int = MAX_REQUEST_BYTES
                         ) -> AsyncIterator[bytes]:
    """The request body's chunks; ApiError 413 once more than ``limit`` bytes have come (a
    ``Content-Length`` over the limit is refused before reading anything)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large()
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _too_large()
        yield chunk


async def read_body(request: Request, limit: int = MAX_REQUEST_BYTES) -> bytes:
    """The whole request body, at most ``limit`` bytes (else ApiError 413)."""
    body = bytearray()
    async for chunk in bounded_stream(request, limit):
        body += chunk
    return bytes(body)


async def _parse_form(request: Request) -> Any:
    from starlette.formparsers import MultiPartException, MultiPartParser

    parser = MultiPartParser(request.headers, bounded_stream(request),
                             max_files=MAX_ARTICLES_PER_REQUEST, max_fields=MAX_FORM_FIELDS,
                             max_part_size=MAX_FORM_FIELD_BYTES)
    try:
        return await parser.parse()
    except MultiPartException as exc:
        status, code = ((413, "too_many") if "Too many" in exc.message else
                        (413, "too_large") if "exceeded maximum size" in exc.message else
                        (400, "bad_form"))
        raise ApiError(status, code, f"the multipart body was refused: {exc.message}") from exc
    except BaseException:
        for file in getattr(parser, "_files_to_close_on_error", ()):  # spooled uploads so far
            file.close()
        raise


async def _from_files(request: Request) -> list[RawDocument]:
    form = await _parse_form(request)
    try:
        docs = []
        for name, value in form.multi_items():
            if not hasattr(value, "read"):
                continue
            raw = await value.read(MAX_ARTICLE_BYTES + 1)
            if len(raw) > MAX_ARTICLE_BYTES:
                raise ApiError(413, "too_large", f"file {value.filename!r} is over "
                               f"{MAX_ARTICLE_BYTES} bytes")
            try:
                content = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ApiError(400, "not_text",
                               f"file {value.filename!r} is not UTF-8 text") from exc
            filename = str(value.filename or name)
            fmt = "html" if filename.lower().endswith((".html", ".htm")) else "text"
            docs.append(RawDocument(origin=f"upload:{filename}", fmt=fmt, content=content))
    finally:
        await form.close()
    if not docs:
        raise ApiError(400, "no_files", "upload one or more files (multipart/form-data)")
    return docs


async def ingest_request(request: Request, db: str) -> dict[str, Any]:
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        docs = await _from_files(request)
    elif kind.startswith("application/json"):
        body = await read_body(request)
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ApiError(400, "bad_json", f"the body is not JSON: {exc}") from exc
        except RecursionError as exc:
            raise ApiError(400, "bad_json", "the body is JSON nested too deeply") from exc
        docs = _from_json(data)
    else:
        raise ApiError(415, "unsupported", "send application/json or multipart/form-data")
    if len(docs) > MAX_ARTICLES_PER_REQUEST:
        raise ApiError(413, "too_many", f"at most {MAX_ARTICLES_PER_REQUEST} articles a request")
    async with _LOCK:
        return await asyncio.to_thread(_run, docs, db)


def _run(docs: list[RawDocument], db: str) -> dict[str, Any]:
    from storyline.ingest.run import ingest_items
    from storyline.store.sqlite import Store

    store = Store(db)
    try:
        # another process (an ingest, a watch) may hold the store's write lock for a while:
        # wait for it, then answer 503 (E112) rather than hold the client forever
        report = ingest_items(docs, store, wait=WRITE_WAIT)
        rejections = store.rejections(limit=len(docs)) if report.rejected else []
    finally:
        store.close()
    return {**report.as_dict(), "ids": report.stored_ids,
            "rejections": [{k: r[k] for k in ("origin", "stage", "reason")} for r in rejections]}
