"""The API under hostile requests: bounded search queries, a time budget on every read, integer
parameters validated (422), LIKE wildcards in ids matching nothing, request bodies read as a
bounded stream, security headers on every response, and JSON (never plain text) for a crash."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from storyline.store.budget import BudgetExceeded, query_budget  # noqa: E402

SLOW_SQL = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)"
            " SELECT count(*) FROM n")
ARTICLE = ("Talks in Ankara\n\nMarch 3, 2025\n\nTurkish President Kemal Aydin will visit Egypt on "
           "Tuesday for talks on trade and energy, the foreign ministry in Ankara said. Egyptian "
           "police arrested 12 protesters in Cairo on Sunday.")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A small store without the pipeline: three articles in the full-text index, a story."""
    from storyline.store.sqlite import Store

    path = str(tmp_path_factory.mktemp("limits") / "limits.db")
    with Store(path) as store:
        for i, aid in enumerate(("abcd000000000001", "abcd000000000002", "ef01000000000003")):
            store.conn.execute(
                "INSERT INTO articles (id, origin, title, text, ingested_at, story_id) VALUES "
                "(?, ?, ?, ?, '2025-03-04T00:00:00', 's1')",
                (aid, f"t{i}", f"Talks {i}", f"{ARTICLE} Article number {i}."))
        store.conn.execute("INSERT INTO stories (id, title, articles) VALUES ('s1', 'Talks', 3)")
    return path


@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from storyline.serve.app import create_app

    return TestClient(create_app(db))


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert {"status", "code", "message"} <= set(body["error"])
    if code:
        assert body["error"]["code"] == code
    return body["error"]


# -- 1. bounded search queries and the time budget -------------------------------------------


@pytest.mark.parametrize("words", [400, 5000])
def test_long_queries_are_refused_quickly(client, words):
    started = time.monotonic()
    response = client.get("/api/search", params={"q": " ".join(["talks"] * words)})
    error = assert_error(response, 422, "E108")
    assert "at most 500" in error["message"]
    assert time.monotonic() - started < 1


def test_too_many_terms_are_refused(client):
    query = " OR ".join(f"w{i}" for i in range(33))  # 33 terms in fewer than 500 characters
    error = assert_error(client.get("/api/search", params={"q": query}), 422, "E108")
    assert "33 search terms" in error["message"]
    at_bounds = " OR ".join(f"w{i}" for i in range(32))
    assert client.get("/api/search", params={"q": at_bounds}).status_code == 200
    assert client.get("/api/search", params={"q": "talks"}).json()["items"]


def test_store_search_refuses_long_queries_for_the_cli(db, cli):
    from storyline.errors import StorylineError
    from storyline.store.sqlite import Store

    with Store(db) as store, pytest.raises(StorylineError) as caught:
        store.search("talks " * 100)
    assert caught.value.code == "E108"
    code, _, stderr = cli("search", "talks " * 100, "--db", db)
    assert code == 1 and "E108" in stderr


def test_budget_interrupts_a_slow_statement_and_leaves_no_handler():
    conn = sqlite3.connect(":memory:")
    started = time.monotonic()
    with pytest.raises(BudgetExceeded), query_budget(conn, 0.2):
        conn.execute(SLOW_SQL).fetchone()
    assert 0.15 < time.monotonic() - started < 1.5
    time.sleep(0.05)  # the deadline is long past: a handler left behind would stop this at once
    assert conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < 200000) SELECT count(*) FROM n").fetchone()[0] == 200000


def test_budget_catches_a_swallowed_interrupt_and_nests():
    conn = sqlite3.connect(":memory:")
    with pytest.raises(BudgetExceeded), query_budget(conn, 0.1):
        try:
            conn.execute(SLOW_SQL).fetchone()
        except sqlite3.OperationalError:
            pass  # code that hides the error still cannot return a half result
    started = time.monotonic()
    with pytest.raises(BudgetExceeded) as caught, query_budget(conn, 0.2):
        with query_budget(conn, 30):  # the inner budget keeps the outer deadline
            conn.execute(SLOW_SQL).fetchone()
    assert caught.value.seconds == 0.2 and time.monotonic() - started < 1.5
    with query_budget(conn, 5):
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_slow_read_answers_503(db, monkeypatch):
    from fastapi.testclient import TestClient

    from storyline.serve.app import create_app
    from storyline.store.sqlite import Store

    def slow(self, **_):
        return [dict(r) for r in self.conn.execute(SLOW_SQL)]

    monkeypatch.setattr(Store, "list_quantities", slow)
    client = TestClient(create_app(db, query_seconds=0.2))
    started = time.monotonic()
    error = assert_error(client.get("/api/quantities"), 503, "too_expensive")
    assert "0.2 s" in error["message"] and time.monotonic() - started < 2
    for _ in range(3):  # the threads' connections run later reads without a deadline left over
        assert client.get("/api/articles").status_code == 200


# -- 2. integer parameters --------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/api/articles?next=99999999999999999999999", "/api/events?next=99999999999999999999999",
    "/api/actors?next=99999999999999999999999", "/api/quotes?next=99999999999999999999999",
    "/api/quantities?next=99999999999999999999999", "/api/stories?next=99999999999999999999999",
    "/api/articles?next=-5", "/api/articles?next=%2B5", "/api/articles?next=1_0",
    "/api/events?next=abc",
])
def test_bad_next_tokens_answer_422(client, url):
    assert_error(client.get(url), 422, "bad_next")


@pytest.mark.parametrize("url", [
    "/api/search?q=talks&limit=-1", "/api/search?q=talks&limit=0",
    "/api/search?q=talks&limit=99999999999999999999999", "/api/articles?limit=-1",
    "/api/events?limit=0", "/api/events?limit=99999999999999999999999", "/api/actors?limit=-1",
    "/api/quotes?limit=-1", "/api/quantities?limit=-1", "/api/stories?limit=-1",
    "/api/network?limit=-1", "/api/network?limit=0",
])
def test_bad_limits_answer_422(client, url):
    assert_error(client.get(url), 422, "bad_limit")


def test_big_limits_are_capped(client):
    assert client.get("/api/search", params={"q": "talks", "limit": 100000}).status_code == 200
    assert client.get("/api/network", params={"limit": 100000}).status_code == 200
    assert client.get("/api/articles", params={"limit": 2**62}).status_code == 200


# -- 3. LIKE wildcards in ids -----------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/api/articles/%25%25%25%25", "/api/articles/abcd%25", "/api/articles/abc_",
    "/api/articles/____", "/api/stories/s%25%25%25", "/api/stories/____",
])
def test_wildcards_in_ids_match_nothing(client, url):
    assert_error(client.get(url), 404)


def test_plain_ids_still_match(client):
    assert client.get("/api/articles/ef01000000000003").json()["title"] == "Talks 2"
    assert client.get("/api/articles/ef01").status_code == 200  # unique prefix
    assert client.get("/api/stories/s1").json()["article_ids"]


# -- 4. request bodies as a bounded stream ----------------------------------------------------


def _post_stream(app, headers: dict[str, str], chunk: bytes, chunks: int) -> tuple[int, int]:
    """POST /api/articles with a body of ``chunks`` x ``chunk`` sent chunk by chunk (no length
    known up front, like chunked transfer encoding); returns (status, bytes the app took)."""
    taken = 0
    sent = 0
    status: list[int] = []

    async def receive():
        nonlocal taken, sent
        if sent == chunks:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent += 1
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/articles", "raw_path": b"/api/articles",
             "query_string": b"", "root_path": "", "server": ("testserver", 80),
             "client": ("127.0.0.1", 5000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(app(scope, receive, send))
    return status[0], taken


@pytest.mark.parametrize("kind", ["application/json", "multipart/form-data; boundary=xyz"])
@pytest.mark.parametrize("declared", [None, "100"])  # no Content-Length, or one that lies
def test_oversized_streamed_body_stops_early(db, monkeypatch, kind, declared):
    from storyline.serve.app import MAX_REQUEST_BYTES, create_app

    monkeypatch.setenv("STORYLINE_TOKEN", "s3cret")
    headers = {"authorization": "Bearer s3cret", "content-type": kind}
    if declared:
        headers["content-length"] = declared
    chunk = b"x" * 1_000_000
    if kind.startswith("multipart"):
        chunk = (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
                 b"Content-Type: text/plain\r\n\r\n" + chunk)[:1_000_000]
        # then more of the same file's bytes, chunk after chunk
    status, taken = _post_stream(create_app(db), headers, chunk, chunks=300)  # 300 MB offered
    assert status == 413
    assert taken <= MAX_REQUEST_BYTES + len(chunk)


def test_declared_oversized_body_is_refused_unread(db, monkeypatch):
    from storyline.serve.app import MAX_REQUEST_BYTES, create_app

    monkeypatch.setenv("STORYLINE_TOKEN", "s3cret")
    headers = {"authorization": "Bearer s3cret", "content-type": "application/json",
               "content-length": str(MAX_REQUEST_BYTES + 1)}
    status, taken = _post_stream(create_app(db), headers, b" " * 1000, chunks=10)
    assert status == 413 and taken == 0


def test_too_many_files_and_deep_json_are_4xx(client, monkeypatch):
    monkeypatch.setenv("STORYLINE_TOKEN", "s3cret")
    auth = {"Authorization": "Bearer s3cret"}
    files = [("file", (f"{i}.txt", b"text", "text/plain")) for i in range(101)]
    assert_error(client.post("/api/articles", headers=auth, files=files), 413, "too_many")
    deep = "[" * 100_000 + "]" * 100_000
    assert_error(client.post("/api/articles", content=deep.encode(),
                             headers={**auth, "content-type": "application/json"}), 400, "bad_json")


# -- 5. security headers ----------------------------------------------------------------------

HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff",
           "referrer-policy": "no-referrer"}


@pytest.mark.parametrize("url", ["/", "/events", "/api/articles", "/static/style.css",
                                 "/static/vendor/vis-network/vis-network.min.js",
                                 "/api/articles/nope", "/api/events?limit=x", "/no/such/page",
                                 "/docs"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    if url != "/docs":
        assert "script-src 'self';" in policy  # no inline script, no CDN on the pages


# -- 7. a crash answers JSON ------------------------------------------------------------------


def test_unexpected_errors_answer_json_500(client, monkeypatch, caplog):
    from storyline.store.sqlite import Store

    def broken(self, **_):
        raise RuntimeError("boom")

    monkeypatch.setattr(Store, "list_quantities", broken)
    with caplog.at_level(logging.ERROR, logger="storyline.serve"):
        response = client.get("/api/quantities")
    error = assert_error(response, 500, "internal")
    assert "boom" not in error["message"]  # details go to the log, not to the client
    assert response.headers["x-content-type-options"] == "nosniff"
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)
    assert json.loads(response.text)  # JSON, not text/plain
