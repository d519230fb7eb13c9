"""The web service: a read API under ``/api/`` over the store, one write endpoint, and the web UI
pages (static files, no build step) — one process, ``storyline serve``.

Lists answer ``{"items": [...], "next": TOKEN | null}``; pass ``next`` back to get the following
page; ``limit`` is at least 1 and capped at :data:`MAX_PAGE`. Every error is ``{"error":
{"status", "code", "message"}}``: 422 for a parameter out of range (a ``limit`` below 1, a ``next``
that is not a token, a search query over 500 characters or 32 terms), 503 ``too_expensive`` for a
read whose SQLite statements ran past the time budget (1.5 s, ``STORYLINE_QUERY_SECONDS``), 500
``internal`` for a bug. ``POST /api/articles`` ingests articles (JSON or file upload) through the
full pipeline; it is disabled unless ``STORYLINE_TOKEN`` is set, and then wants that token as
``Authorization: Bearer TOKEN``; the body is read as a stream and refused (413) past 10 MB.
Everything that comes from articles is data: the API returns it as JSON and the pages insert it
as text, never as markup; every response carries a Content-Security-Policy (no framing, scripts
only from the server) and ``nosniff``.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.errors import Msg, StorylineError
from storyline.store.budget import (
    DEFAULT_SECONDS,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    BudgetExceeded,
    query_budget,
)

MAX_PAGE = 500
DEFAULT_PAGE = 50
MAX_SEARCH_PAGE = MAX_PAGE
MAX_NETWORK_EDGES = 2000
#: The largest ``next`` token accepted (a row offset; far beyond any store, far below 2**63).
MAX_OFFSET = 1_000_000_000
#: Integers SQLite can take: a ``limit`` outside is refused rather than capped.
INT64_MAX = 2**63 - 1
MAX_ARTICLE_BYTES = 2_000_000
MAX_REQUEST_BYTES = 10_000_000
MAX_ARTICLES_PER_REQUEST = 100
#: Time budget of the SQLite statements of one API read, in seconds: past it the read answers
#: 503 ``too_expensive``. ``$STORYLINE_QUERY_SECONDS`` or ``create_app(query_seconds=)`` change it.
QUERY_SECONDS = DEFAULT_SECONDS

log = logging.getLogger("storyline.serve")

#: The pages' policy: scripts and styles from the server only (inline style attributes are what
#: the vendored vis-timeline/vis-network set), no plugins, no framing.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
#: /docs and /redoc: Swagger UI and ReDoc vendored under /static/vendor (they work offline), with
#: FastAPI's inline bootstrap script; nothing is loaded from another host.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; "
            "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
DOCS_PATHS = frozenset(("/docs", "/docs/oauth2-redirect", "/redoc"))
_COMMON_HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                   (b"referrer-policy", b"no-referrer")]
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), *_COMMON_HEADERS]
DOCS_SECURITY_HEADERS = [(b"content-security-policy", DOCS_CSP.encode()), *_COMMON_HEADERS]
_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}},
                        status_code=status)


class Hardening:
    """ASGI middleware: the security headers on every response (pages, API, static files,
    errors), and a JSON 500 ``internal`` answer, logged with its traceback, for an exception no
    handler took, so no endpoint answers plain text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = DOCS_SECURITY_HEADERS if scope.get("path") in DOCS_PATHS else SECURITY_HEADERS
        started = False

        async def send_hardened(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in _SECURITY_NAMES]
                message = {**message, "headers": headers + extra}
            await send(message)

        try:
            await self.app(scope, receive, send_hardened)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:  # the answer is half sent: nothing better to do than to cut it
                raise
            await internal_error()(scope, receive, send_hardened)


def internal_error() -> JSONResponse:
    return _error(500, "internal", "internal error; the details are in the server log")


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


def _limit(limit: int, cap: int = MAX_PAGE) -> int:
    """A ``limit`` parameter: at least 1 and a 64-bit integer (else 422), capped at ``cap``."""
    if not 1 <= limit <= INT64_MAX:
        raise ApiError(422, "bad_limit", f"limit must be an integer from 1 (at most {cap} are "
                       "returned)")
    return min(limit, cap)


_TOKEN = re.compile(r"[0-9]{1,10}")


def _page(limit: int, next_token: str | None) -> tuple[int, int]:
    """The page size and row offset of a list request; 422 for a bad ``limit`` or ``next``."""
    limit = _limit(limit)
    if next_token is None or next_token == "":
        return limit, 0
    if not _TOKEN.fullmatch(next_token) or int(next_token) > MAX_OFFSET:
        raise ApiError(422, "bad_next", "next must be a token from a previous page")
    return limit, int(next_token)


_LIKE_WILDCARDS = frozenset("%_\\")


def _plain_id(value: str) -> bool:
    """Whether an id from the URL can name a record: article ids are hex and story ids ``sN``,
    so a key holding a LIKE wildcard (``%``, ``_``) or a backslash is answered 404 before any
    look-up, whatever the store's prefix matching does with it."""
    return not _LIKE_WILDCARDS.intersection(value)


def _paged(rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": rows, "next": str(offset + limit) if len(rows) == limit else None}


def _query_seconds(given: float | None) -> float:
    if given is not None:
        return given
    try:
        return float(os.environ.get("STORYLINE_QUERY_SECONDS") or QUERY_SECONDS)
    except ValueError:
        return QUERY_SECONDS


def create_app(db: str | None = None, query_seconds: float | None = None) -> FastAPI:
    """The application over one database file (default: ``$STORYLINE_DB`` or storyline.db);
    ``query_seconds`` is the time budget of one read (default :data:`QUERY_SECONDS` or
    ``$STORYLINE_QUERY_SECONDS``)."""
    from storyline.store.sqlite import default_db_path

    stores = _Stores(db or default_db_path())
    budget = _query_seconds(query_seconds)
    app = FastAPI(title="storyline", version="1", description=__doc__, docs_url=None,
                  redoc_url=None)
    app.state.stores = stores
    app.add_middleware(Hardening)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(StorylineError)
    async def _storyline_error(_: Request, exc: StorylineError) -> JSONResponse:
        status = {"E104": 404, "E108": 422, "E112": 503, "E116": 422}.get(exc.code, 400)
        message = exc.message
        if exc.code == "E116":
            message += ": give a year, a month or a day (2014, 2014-05, 2014-05-19), until not " \
                       "before since"
        return _error(status, exc.code, message)

    @app.exception_handler(BudgetExceeded)
    async def _too_expensive(_: Request, exc: BudgetExceeded) -> JSONResponse:
        return _error(503, "too_expensive", f"{exc}; narrow the request (fewer search terms, "
                      "a filter, a smaller page or time window)")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # reached only if the Hardening middleware itself failed
        return internal_error()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, "http", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid", f"{where}: {first.get('msg', 'invalid request')}")

    @contextmanager
    def reading() -> Iterator[Any]:
        """The thread's store, its statements under the time budget (BudgetExceeded past it)."""
        s = stores.get()
        with query_budget(s.conn, budget):
            yield s

    # -- read API ------------------------------------------------------------------------------

    @app.get("/api/articles")
    def articles(limit: int = DEFAULT_PAGE, next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        with reading() as s:
            return _paged(s.list_articles(limit=limit, offset=offset), limit, offset)

    @app.get("/api/articles/{article_id}")
    def article(article_id: str) -> dict[str, Any]:
        if not _plain_id(article_id):
            raise StorylineError(Msg.E104, key=article_id)
        with reading() as s:
            found = s.get_article(article_id)
            row = s.conn.execute("SELECT story_id FROM articles WHERE id = ?",
                                 (found.id,)).fetchone()
            return {
                "id": found.id, "title": found.title, "url": found.url, "source": found.source,
                "published": found.published,
                "published_granularity": found.published_granularity,
                "text": found.text, "captions": found.captions, "removed": found.removed,
                "duplicate_of": found.duplicate_of, "story_id": row["story_id"] if row else None,
                "annotations": s.annotations(found.id),
                "quotes": s.list_quotes(article=found.id, limit=MAX_PAGE),
                "quantities": s.list_quantities(article=found.id, limit=MAX_PAGE),
                "events": s.list_events(article=found.id, limit=MAX_PAGE),
                "failures": [{k: f[k] for k in ("stage", "part", "sentence", "code", "error",
                                                "digest")} for f in s.failures(found.id)],
            }

    @app.get("/api/events")
    async def events(actor: str | None = None, recipient: str | None = None,
                     type: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = DEFAULT_PAGE,
                     next: str | None = None) -> Response:
        # the busiest endpoint: indexed SQL, then JSON bytes straight out (no encoder pass);
        # async, so it runs on the event loop's own connection without a thread hop
        limit, offset = _page(limit, next)
        since, until = _window(since, until)
        with reading() as s:
            items, count = s.list_events_json(actor=actor, recipient=recipient, type=type,
                                              since=since, until=until, limit=limit,
                                              offset=offset)
        following = json.dumps(str(offset + limit) if count == limit else None)
        return Response(f'{{"items": {items}, "next": {following}}}',
                        media_type="application/json")

    @app.get("/api/actors")
    def actors(country: str | None = None, kind: str | None = None, limit: int = DEFAULT_PAGE,
               next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        with reading() as s:
            rows = s.list_actors(limit=limit, offset=offset, country=country, kind=kind)
        return _paged(rows, limit, offset)

    @app.get("/api/quotes")
    def quotes(speaker: str | None = None, limit: int = DEFAULT_PAGE,
               next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        with reading() as s:
            return _paged(s.list_quotes(speaker=speaker, limit=limit, offset=offset),
                          limit, offset)

    @app.get("/api/quantities")
    def quantities(limit: int = DEFAULT_PAGE, next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        with reading() as s:
            return _paged(s.list_quantities(limit=limit, offset=offset), limit, offset)

    @app.get("/api/stories")
    def stories(limit: int = DEFAULT_PAGE, next: str | None = None) -> dict[str, Any]:
        limit, offset = _page(limit, next)
        with reading() as s:
            return _paged(s.list_stories(limit=limit, offset=offset), limit, offset)

    @app.get("/api/stories/{story_id}")
    def story(story_id: str) -> dict[str, Any]:
        found = None
        if _plain_id(story_id):
            with reading() as s:
                found = s.story(story_id)
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
        with reading() as s:
            return build(s.conn, story=story, actor=actor, dyad=pair)

    @app.get("/api/brief")
    def brief(story: str | None = None, dyad: str | None = None, since: str | None = None,
              until: str | None = None) -> dict[str, Any]:
        since, until = _window(since, until)
        from storyline.report.brief import brief as build

        pair = _dyad(dyad)
        if (story is None) == (pair is None):
            raise ApiError(400, "bad_selector", "give story or dyad")
        with reading() as s:
            return build(s.conn, story=story, dyad=pair, since=since, until=until)

    @app.get("/api/search")
    def search(q: str = Query(description=f"SQLite FTS5 syntax; at most {MAX_QUERY_CHARS} "
                              f"characters and {MAX_QUERY_TERMS} search terms"),
               limit: int = 20) -> dict[str, Any]:
        if not q.strip():
            raise ApiError(400, "empty_query", "q must not be empty")
        limit = _limit(limit, MAX_SEARCH_PAGE)
        with reading() as s:  # Store.search refuses an over-long query (E108: 422)
            return {"items": s.search(q, limit=limit), "next": None}

    @app.get("/api/network")
    def network(since: str | None = None, until: str | None = None,
                limit: int = 300) -> dict[str, Any]:
        from storyline.report.network import network as build

        limit = _limit(limit, MAX_NETWORK_EDGES)
        since, until = _window(since, until)
        with reading() as s:
            return build(s.conn, since=since, until=until, limit=limit)

    @app.get("/api/status")
    def status(days: int = 14) -> dict[str, Any]:
        """The monitor: watched feeds (last fetch, status, back-off, entries done and pending),
        the latest fetches and the articles stored per day (``storyline status --json``)."""
        from storyline.ingest.watch import feed_status

        with reading() as s:
            return feed_status(s, days=_limit(days, 366))

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
        return await ingest_request(request, stores.db)  # reads at most MAX_REQUEST_BYTES

    # -- pages ---------------------------------------------------------------------------------

    folder = static_dir()
    if folder.is_dir():
        app.mount("/static", StaticFiles(directory=str(folder)), name="static")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> Response:
        """The API docs with the vendored Swagger UI (no CDN: they work offline)."""
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="storyline API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> Response:
        """The API reference with the vendored ReDoc, without web fonts from elsewhere."""
        from fastapi.openapi.docs import get_redoc_html

        return get_redoc_html(openapi_url="/openapi.json", title="storyline API",
                              redoc_js_url="/static/vendor/redoc/redoc.standalone.js",
                              redoc_favicon_url="/static/favicon.svg", with_google_fonts=False)

    def page(name: str, status: int = 200) -> Response:
        path = folder / name
        if not path.is_file():
            raise ApiError(404, "not_found", f"page {name} is not installed")
        return FileResponse(path, media_type="text/html", status_code=status)

    def not_found() -> Response:
        """A real 404 page (not a page that loads and then says "Could not load")."""
        return page("notfound.html", 404)

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return page("index.html")

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(story_id: str) -> Response:
        with reading() as s:
            if s.story(story_id) is None:
                return not_found()
        return page("story.html")

    @app.get("/events", include_in_schema=False)
    def events_page() -> Response:
        return page("events.html")

    @app.get("/status", include_in_schema=False)
    def status_page() -> Response:
        return page("status.html")

    @app.get("/network", include_in_schema=False)
    def network_page() -> Response:
        return page("network.html")

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_page(article_id: str) -> Response:
        with reading() as s:
            try:
                s.get_article(article_id)
            except StorylineError as exc:
                if exc.code in ("E104", "E117"):
                    return not_found()
                # several articles share the prefix: the page lists nothing useful either way
                if exc.code != "E105":
                    raise
        return page("article.html")

    return app


def _window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since`` / ``until`` checked as the CLI checks them (E116, answered 422)."""
    from storyline.periods import checked_period

    return checked_period(since, until, since_name="since", until_name="until")


def _dyad(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) != 2:
        raise ApiError(400, "bad_dyad", "dyad is two codes or actor ids: A,B")
    return parts[0], parts[1]
