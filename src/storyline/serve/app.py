"""The web service: a read API under ``/api/`` over the store, one write endpoint, and the web UI
pages (static files, no build step) — one process, ``storyline serve``.

Lists answer ``{"items": [...], "next": TOKEN | null}``; pass ``next`` back to get the following
page; ``limit`` is capped at :data:`MAX_PAGE`. Every error is ``{"error": {"status", "code",
"message"}}``. ``POST /api/articles`` ingests articles (JSON or file upload) through the full
pipeline; it is disabled unless ``STORYLINE_TOKEN`` is set, and then wants that token as
``Authorization: Bearer TOKEN``. Everything that comes from articles is data: the API returns it
as JSON and the pages insert it as text, never as markup.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.errors import StorylineError

MAX_PAGE = 500
DEFAULT_PAGE = 50
MAX_ARTICLE_BYTES = 2_000_000
MAX_REQUEST_BYTES = 10_000_000
MAX_ARTICLES_PER_REQUEST = 100


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}},
                        status_code=status)


def static_dir() -> Path:
    return Path(str(resources.files("storyline.serve").joinpath("static")))


class _Stores:
    """One store connection per server thread (SQLite connections are not shared)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.local = threading.local()

    def get(self) -> Any:
        store = getattr(self.local, "store", None)
        if store is None:
            from storyline.store.sqlite import Store

            store = self.local.store = Store(self.db)
        return store


def _page(limit: int, next_token: str | None) -> tuple[int, int]:
    if limit < 1:
        raise ApiError(400, "bad_limit", "limit must be at least 1")
    try:
        offset = int(next_token) if next_token else 0
    except ValueError as exc:
        raise ApiError(400, "bad_next", "next must be a token from a previous page") from exc
    if offset < 0:
        raise ApiError(400, "bad_next", "next must be a token from a previous page")
    return min(limit, MAX_PAGE), offset


def _paged(rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": rows, "next": str(offset + limit) if len(rows) == limit else None}


def create_app(db: str | None = None) -> FastAPI:
    """The application over one database file (default: ``$STORYLINE_DB`` or storyline.db)."""
    from storyline.store.sqlite import default_db_path

    stores = _Stores(db or default_db_path())
    app = FastAPI(title="storyline", version="1", description=__doc__)
    app.state.stores = stores

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(StorylineError)
    async def _storyline_error(_: Request, exc: StorylineError) -> JSONResponse:
        status = 404 if exc.code in ("E104",) else 400
        return _error(status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid", f"{where}: {first.get('msg', 'invalid request')}")

    def store() -> Any:
        return stores.get()

    # -- read API ------------------------------------------------------------------------------

    @app.get("/api/articles")
    def articles(limit: int = DEFAULT_PAGE, next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        return _paged(store().list_articles(limit=limit, offset=offset), limit, offset)

    @app.get("/api/articles/{article_id}")
    def article(article_id: str) -> dict[str, Any]:
        s = store()
        found = s.get_article(article_id)
        row = s.conn.execute("SELECT story_id FROM articles WHERE id = ?", (found.id,)).fetchone()
        return {
            "id": found.id, "title": found.title, "url": found.url, "source": found.source,
            "published": found.published, "published_granularity": found.published_granularity,
            "text": found.text, "captions": found.captions, "removed": found.removed,
            "duplicate_of": found.duplicate_of, "story_id": row["story_id"] if row else None,
            "annotations": s.annotations(found.id),
            "quotes": s.list_quotes(article=found.id, limit=MAX_PAGE),
            "quantities": s.list_quantities(article=found.id, limit=MAX_PAGE),
            "events": s.list_events(article=found.id, limit=MAX_PAGE),
        }

    @app.get("/api/events")
    async def events(actor: str | None = None, recipient: str | None = None,
                     type: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = DEFAULT_PAGE,
                     next: str | None = None) -> Response:
        # the busiest endpoint: indexed SQL, then JSON bytes straight out (no encoder pass);
        # async, so it runs on the event loop's own connection without a thread hop
        limit, offset = _page(limit, next)
        items, count = store().list_events_json(actor=actor, recipient=recipient, type=type,
                                                since=since, until=until, limit=limit,
                                                offset=offset)
        following = json.dumps(str(offset + limit) if count == limit else None)
        return Response(f'{{"items": {items}, "next": {following}}}',
                        media_type="application/json")

    @app.get("/api/actors")
    def actors(country: str | None = None, kind: str | None = None, limit: int = DEFAULT_PAGE,
               next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        rows = store().list_actors(limit=limit, offset=offset, country=country, kind=kind)
        return _paged(rows, limit, offset)

    @app.get("/api/quotes")
    def quotes(speaker: str | None = None, limit: int = DEFAULT_PAGE,
               next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        return _paged(store().list_quotes(speaker=speaker, limit=limit, offset=offset),
                      limit, offset)

    @app.get("/api/quantities")
    def quantities(limit: int = DEFAULT_PAGE, next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        return _paged(store().list_quantities(limit=limit, offset=offset), limit, offset)

    @app.get("/api/stories")
    def stories(limit: int = DEFAULT_PAGE, next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        return _paged(store().list_stories(limit=limit, offset=offset), limit, offset)

    @app.get("/api/stories/{story_id}")
    def story(story_id: str) -> dict[str, Any]:
        found = store().story(story_id)
        if found is None:
            raise ApiError(404, "not_found", f"no story {story_id!r}")
        return found

    @app.get("/api/timeline")
    def timeline(story: str | None = None, actor: str | None = None,
                 dyad: str | None = Query(None, description="Two codes or ids: A,B")
                 ) -> dict[str, Any]:
        from storyline.report.timeline import timeline as build

        pair = _dyad(dyad)
        if sum(x is not None for x in (story, actor, pair)) != 1:
            raise ApiError(400, "bad_selector", "give exactly one of story, actor, dyad")
        return build(store().conn, story=story, actor=actor, dyad=pair)

    @app.get("/api/brief")
    def brief(story: str | None = None, dyad: str | None = None, since: str | None = None,
              until: str | None = None) -> dict[str, Any]:
        from storyline.report.brief import brief as build

        pair = _dyad(dyad)
        if (story is None) == (pair is None):
            raise ApiError(400, "bad_selector", "give story or dyad")
        return build(store().conn, story=story, dyad=pair, since=since, until=until)

    @app.get("/api/search")
    def search(q: str, limit: int = 20) -> dict[str, Any]:
        if not q.strip():
            raise ApiError(400, "empty_query", "q must not be empty")
        return {"items": store().search(q, limit=min(limit, MAX_PAGE)), "next": None}

    @app.get("/api/network")
    def network(since: str | None = None, until: str | None = None,
                limit: int = 300) -> dict[str, Any]:
        from storyline.report.network import network as build

        return build(store().conn, since=since, until=until, limit=min(limit, 2000))

    # -- write API -----------------------------------------------------------------------------

    @app.post("/api/articles", status_code=201)
    async def add_articles(request: Request) -> dict[str, Any]:
        from storyline.serve.ingest import ingest_request

        token = os.environ.get("STORYLINE_TOKEN")
        if not token:
            raise ApiError(403, "writes_disabled",
                           "adding articles is disabled; set STORYLINE_TOKEN to enable it")
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise ApiError(401, "unauthorized", "a valid 'Authorization: Bearer TOKEN' is needed")
        size = int(request.headers.get("content-length") or 0)
        if size > MAX_REQUEST_BYTES:
            raise ApiError(413, "too_large", f"the request is over {MAX_REQUEST_BYTES} bytes")
        return await ingest_request(request, stores.db)

    # -- pages ---------------------------------------------------------------------------------

    folder = static_dir()
    if folder.is_dir():
        app.mount("/static", StaticFiles(directory=str(folder)), name="static")

    def page(name: str) -> Response:
        path = folder / name
        if not path.is_file():
            raise ApiError(404, "not_found", f"page {name} is not installed")
        return FileResponse(path, media_type="text/html")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return page("index.html")

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(story_id: str) -> Response:
        return page("story.html")

    @app.get("/events", include_in_schema=False)
    def events_page() -> Response:
        return page("events.html")

    @app.get("/network", include_in_schema=False)
    def network_page() -> Response:
        return page("network.html")

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: str) -> Response:
        return page("article.html")

    return app


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) != 2:
        raise ApiError(400, "bad_dyad", "dyad is two codes or actor ids: A,B")
    return parts[0], parts[1]
