"""``POST /api/articles``: articles sent as JSON (one object or a list of ``{"text" | "html",
"title", "url", "published", "source"}``) or as uploaded files (multipart, one article per file,
``.txt``/``.md``/``.html``), run through the whole pipeline into the store. Bad articles become
stored rejections like any other input; the answer lists what was stored and rejected."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import Request

from storyline.model import RawDocument
from storyline.serve.app import MAX_ARTICLE_BYTES, MAX_ARTICLES_PER_REQUEST, ApiError

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


async def _from_files(request: Request) -> list[RawDocument]:
    form = await request.form()
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
            raise ApiError(400, "not_text", f"file {value.filename!r} is not UTF-8 text") from exc
        filename = str(value.filename or name)
        fmt = "html" if filename.lower().endswith((".html", ".htm")) else "text"
        docs.append(RawDocument(origin=f"upload:{filename}", fmt=fmt, content=content))
    if not docs:
        raise ApiError(400, "no_files", "upload one or more files (multipart/form-data)")
    return docs


async def ingest_request(request: Request, db: str) -> dict[str, Any]:
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        docs = await _from_files(request)
    elif kind.startswith("application/json"):
        try:
            data = json.loads(await request.body())
        except ValueError as exc:
            raise ApiError(400, "bad_json", f"the body is not JSON: {exc}") from exc
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
        report = ingest_items(docs, store)
        rejections = store.rejections(limit=len(docs)) if report.rejected else []
    finally:
        store.close()
    return {**report.as_dict(), "ids": report.stored_ids,
            "rejections": [{k: r[k] for k in ("origin", "stage", "reason")} for r in rejections]}
