"""storyline watch / status: feeds polled from a local server on 127.0.0.1 (never the internet),
conditional GET, the fetch log, robots.txt, back-off, and a clean stop on SIGTERM that loses
nothing."""

from __future__ import annotations

import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate

import pytest

from storyline.store.sqlite import Store

# distinct short news texts (no two near duplicates), one per entry page
TEXTS = [
    "Harbour officials in Mombasa said on Monday that a new container crane had been installed. "
    "The crane, bought from a Finnish maker, can lift 65 tonnes and will cut waiting times for "
    "ships by a third, the port authority said in a statement.",
    "Farmers in the Rift Valley began planting maize after the first rains of the season fell "
    "on Tuesday. Agronomists warned that seed prices had doubled since last year and that many "
    "smallholders would plant less than half their usual acreage.",
    "The national rail company opened a second line between the capital and the northern "
    "border town, cutting the journey from eleven hours to six. Tickets sold out within a day, "
    "and the operator promised four more trains a week from March.",
    "A magnitude 5.8 earthquake shook the coastal province early on Wednesday, cracking walls "
    "in two hospitals. Emergency services reported eleven injuries and no deaths, while schools "
    "stayed closed so engineers could inspect their buildings.",
    "The central bank kept its main lending rate at nine percent, citing stubborn food "
    "inflation and a weaker currency. Economists had expected a small cut, and bond yields rose "
    "sharply after the governor spoke to reporters in the afternoon.",
    "Volunteers planted twelve thousand mangrove seedlings along the eroded shoreline near "
    "Lamu over the weekend. Fishermen said the young trees should shelter breeding grounds for "
    "crabs and shrimp within five years if storms spare them.",
    "The health ministry started a vaccination drive against measles in three northern "
    "counties after forty cases were confirmed in a month. Mobile teams will visit markets and "
    "schools, and parents were urged to bring vaccination cards.",
    "Striking university lecturers returned to classrooms on Thursday after the government "
    "agreed to pay salary arrears in two instalments. Student unions welcomed the deal but "
    "asked for the semester calendar to be extended by three weeks.",
    "A fire destroyed more than two hundred stalls at the old city market before dawn on "
    "Friday. Traders blamed faulty wiring, and the county governor promised temporary sheds and "
    "a fund to help owners restock their goods quickly.",
    "Wildlife rangers counted sixty elephant calves born in the reserve this year, the highest "
    "number in a decade. Conservationists credited better patrols against poachers and a "
    "corridor that lets herds reach water during the dry months.",
]


def page(n: int) -> bytes:
    title = TEXTS[n].split(" ")[:4]
    return (f"<!doctype html><html><head><title>{' '.join(title)}</title></head><body>"
            f"<article><h1>{' '.join(title)}</h1><p>{TEXTS[n]}</p></article></body></html>"
            ).encode()


def rss(base: str, paths: list[str], version: str) -> bytes:
    items = "".join(f"<item><title>Story {p}</title><link>{base}{p}</link>"
                    f"<pubDate>Mon, 03 Feb 2025 08:00:00 GMT</pubDate></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger {version}</title>'
            f"{items}</channel></rss>").encode()


class Site:
    """What the local server serves and what it saw."""

    def __init__(self) -> None:
        self.base = ""
        self.feeds: dict[str, list[str]] = {}  # feed path -> entry paths
        self.versions: dict[str, str] = {}  # feed path -> ETag
        self.pages: dict[str, bytes] = {}
        self.extra: dict[str, tuple[int, str, bytes]] = {}  # path -> (status, ctype, body)
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.page_delay = 0.0
        self.fail_once: set[str] = set()  # pages answering 503 the first time
        self.requests: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.lock = threading.Lock()

    def feed(self, path: str, entries: list[str], version: str) -> None:
        self.feeds[path] = entries
        self.versions[path] = version


@pytest.fixture
def site():
    state = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            path = self.path
            with state.lock:
                state.requests[path] += 1
            if path == "/robots.txt":
                self._send(200, "text/plain", state.robots.encode())
            elif path in state.feeds:
                etag = f'"{state.versions[path]}"'
                modified = formatdate(1_700_000_000 + len(state.versions[path]), usegmt=True)
                asked = self.headers.get("If-None-Match")
                if asked or self.headers.get("If-Modified-Since"):
                    with state.lock:
                        state.conditional[path] += 1
                if asked == etag:
                    with state.lock:
                        state.not_modified[path] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self._send(200, "application/rss+xml",
                           rss(state.base, state.feeds[path], state.versions[path]),
                           {"ETag": etag, "Last-Modified": modified})
            elif path in state.extra:
                status, ctype, body = state.extra[path]
                self._send(status, ctype, body)
            elif path in state.pages:
                if path in state.fail_once:
                    state.fail_once.discard(path)
                    self._send(503, "text/plain", b"busy")
                    return
                if state.page_delay:
                    time.sleep(state.page_delay)
                self._send(200, "text/html; charset=utf-8", state.pages[path])
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status, ctype, body, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # a client gone mid-answer (a stopped watcher) is no error here

    httpd = Server(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def add_pages(site: Site, count: int, prefix: str = "/news/") -> list[str]:
    paths = [f"{prefix}{n}.html" for n in range(count)]
    for n, path in enumerate(paths):
        site.pages[path] = page(n)
    return paths


def fetch_log(db: str) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM fetch_log ORDER BY id")]
    finally:
        conn.close()


WATCH = ("--allow-private", "--delay", "0", "--quiet")


def test_two_polls_store_new_items_once_and_the_unchanged_feed_is_a_304(site, cli, db):
    paths = add_pages(site, 3)
    site.feed("/feed.xml", paths, "v1")
    feed = f"{site.base}/feed.xml"
    code, stdout, _ = cli("watch", feed, "--db", db, "--every", "0.2s", "--polls", "2", *WATCH)
    assert code == 0, stdout
    store = Store(db)
    assert store.count_articles() == 3
    assert store.rejections() == []
    # every entry page fetched once; the second poll asked conditionally and got a 304
    assert all(site.requests[p] == 1 for p in paths)
    assert site.requests["/feed.xml"] == 2
    assert site.conditional["/feed.xml"] == 1 and site.not_modified["/feed.xml"] == 1
    log = fetch_log(db)
    assert [(r["status"], r["items_new"], r["items_seen"]) for r in log] == [(200, 3, 0),
                                                                            (304, 0, 0)]
    assert log[0]["etag"] == '"v1"' and log[0]["last_modified"]
    assert "poll 1" in stdout and "poll 2" in stdout
    # articles come in through the normal ingest path, dated by the feed and linked
    article = next(store.iter_articles())
    assert (article.published, article.published_method) == ("2025-02-03", "feed")
    assert store.conn.execute("SELECT count(*) FROM articles WHERE story_id IS NOT NULL").fetchone()[0] == 3

    # the feed changes: only the new entry is fetched, the stored ones never again
    more = add_pages(site, 4)
    site.feed("/feed.xml", more, "v2")
    code, stdout, _ = cli("watch", feed, "--db", db, "--once", *WATCH)
    assert code == 0
    assert Store(db).count_articles() == 4
    assert all(site.requests[p] == 1 for p in more)
    assert [(r["status"], r["items_new"], r["items_seen"]) for r in fetch_log(db)][-1] == \
        (200, 1, 3)

    # status: the feed, its last fetch and the articles per day, as text and as JSON
    code, stdout, _ = cli("status", "--db", db)
    assert code == 0 and feed in stdout and "articles stored per day" in stdout
    code, stdout, _ = cli("status", "--db", db, "--json")
    data = json.loads(stdout)
    [row] = data["feeds"]
    assert (row["url"], row["last_status"], row["errors"], row["entries"], row["pending"]) == \
        (feed, 200, 0, 4, 0)
    assert sum(d["articles"] for d in data["articles_per_day"]) == 4
    assert len(data["recent_fetches"]) == 3


def test_status_never_creates_a_store(cli, tmp_path):
    db = tmp_path / "nope" / "x.db"
    code, _, stderr = cli("status", "--db", str(db))
    assert code == 1 and "E115" in stderr and not db.parent.exists()


def test_robots_disallow_is_respected_and_a_failing_feed_backs_off(site, cli, db):
    paths = add_pages(site, 2)
    site.pages["/private/secret.html"] = page(5)
    site.feed("/feed.xml", [*paths, "/private/secret.html"], "v1")
    site.feed("/private/feed.xml", paths, "p1")
    site.extra["/broken.xml"] = (500, "text/plain", b"oops")
    feeds = [f"{site.base}/broken.xml", f"{site.base}/private/feed.xml", f"{site.base}/feed.xml"]
    code, _, _ = cli("watch", *feeds, "--db", db, "--once", "--every", "10m", *WATCH)
    assert code == 3  # finished, with failures
    store = Store(db)
    assert store.count_articles() == 2  # the other feeds went on
    # robots.txt: neither the disallowed feed nor the disallowed entry was requested
    assert site.requests["/private/feed.xml"] == 0
    assert site.requests["/private/secret.html"] == 0
    assert site.requests["/robots.txt"] == 1  # one copy per host
    [rejection] = store.rejections()
    assert rejection["code"] == "E022" and rejection["origin"].endswith("/private/secret.html")
    by_url = {r["url"]: r for r in fetch_log(db)}
    assert by_url[feeds[1]]["code"] == "E022" and by_url[feeds[1]]["status"] is None
    broken = by_url[feeds[0]]
    assert (broken["status"], broken["code"]) == (500, "E013") and broken["backoff_until"]

    # the next poll leaves the failing feed alone while it backs off; the others go on
    code, stdout, _ = cli("watch", *feeds, "--db", db, "--once", "--every", "10m",
                          "--allow-private", "--delay", "0")
    assert site.requests["/broken.xml"] == 1 and site.not_modified["/feed.xml"] == 1
    assert "backing off until" in stdout
    assert store.count_articles() == 2 and site.requests["/private/secret.html"] == 0

    # once the back-off has passed it is tried again, and a second failure doubles it
    row = store.conn.execute("SELECT * FROM feeds WHERE url = ?", (feeds[0],)).fetchone()
    assert row["errors"] == 1 and "E013" in row["last_error"]
    store.conn.execute("UPDATE feeds SET next_due = '2000-01-01T00:00:00+00:00' WHERE url = ?",
                       (feeds[0],))
    cli("watch", *feeds, "--db", db, "--once", "--every", "10m", *WATCH)
    assert site.requests["/broken.xml"] == 2
    row = store.conn.execute("SELECT * FROM feeds WHERE url = ?", (feeds[0],)).fetchone()
    assert row["errors"] == 2
    import datetime as dt

    waited = dt.datetime.fromisoformat(row["next_due"]) - dt.datetime.fromisoformat(
        row["last_fetch"])
    assert waited == dt.timedelta(minutes=20)  # 10 min, then 20 min


def test_an_entry_that_failed_for_a_passing_reason_is_fetched_again(site, cli, db):
    paths = add_pages(site, 2)
    site.fail_once.add(paths[1])
    site.feed("/feed.xml", paths, "v1")
    feed = f"{site.base}/feed.xml"
    code, _, _ = cli("watch", feed, "--db", db, "--once", *WATCH)
    store = Store(db)
    assert code == 3 and store.count_articles() == 1
    [rejection] = store.rejections()  # nothing lost: the failure is a stored rejection
    assert rejection["code"] == "E013"
    # the feed has not changed (304), yet the entry left pending is fetched and stored
    code, _, _ = cli("watch", feed, "--db", db, "--once", *WATCH)
    assert code == 0 and store.count_articles() == 2
    assert site.not_modified["/feed.xml"] == 1 and site.requests[paths[1]] == 2


def test_sitemap_entries_are_ingested(site, cli, db):
    paths = add_pages(site, 2, prefix="/sm/")
    urls = "".join(
        f"<url><loc>{site.base}{p}</loc><news:news><news:publication_date>2025-03-0{i + 1}"
        f"</news:publication_date><news:title>Sitemap story {i}</news:title></news:news></url>"
        for i, p in enumerate(paths))
    site.extra["/sitemap.xml"] = (200, "application/xml", (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>"
    ).encode())
    site.extra["/index.xml"] = (200, "application/xml", (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/sitemap.xml</loc></sitemap></sitemapindex>").encode())
    code, _, _ = cli("watch", f"{site.base}/index.xml", "--db", db, "--once", *WATCH)
    assert code == 0
    store = Store(db)
    dates = sorted(a["published"] for a in store.list_articles())
    assert dates == ["2025-03-01", "2025-03-02"]
    kinds = dict(store.conn.execute("SELECT url, kind FROM feeds").fetchall())
    assert kinds == {f"{site.base}/index.xml": "sitemap", f"{site.base}/sitemap.xml": "sitemap"}


def _count(db: str, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_sigterm_mid_poll_loses_nothing_and_the_next_run_finishes(site, db, tmp_path):
    total = len(TEXTS)
    paths = add_pages(site, total)
    site.feed("/feed.xml", paths, "v1")
    site.page_delay = 0.6
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# watched\n{site.base}/feed.xml\n")
    args = [sys.executable, "-m", "storyline", "watch", str(feeds), "--db", db, "--once",
            "--batch-size", "1", "--allow-private", "--delay", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        deadline = time.monotonic() + 120
        while _count(db, "SELECT count(*) FROM articles") < 1:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no article stored in time"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    assert "stopped (SIGTERM): committed" in stderr
    stored = _count(db, "SELECT count(*) FROM articles")
    assert 1 <= stored < total
    # what was committed is marked done; the rest waits for the next run
    assert _count(db, "SELECT count(*) FROM feed_entries WHERE done_at IS NOT NULL") == stored
    assert _count(db, "SELECT count(*) FROM feed_entries WHERE done_at IS NULL") == total - stored

    site.page_delay = 0.0
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    store = Store(db)
    assert store.count_articles() == total and store.rejections() == []
    # no entry page was fetched twice, and the feed had not changed (304)
    assert all(site.requests[p] == 1 for p in paths), site.requests
    assert site.not_modified["/feed.xml"] == 1
    linked = "SELECT count(*) FROM articles WHERE story_id IS NOT NULL"
    assert store.conn.execute(linked).fetchone()[0] == total


def test_a_second_signal_stops_at_once_and_a_rerun_completes_without_duplicates(site, db):
    total = len(TEXTS)
    paths = add_pages(site, total)
    site.feed("/feed.xml", paths, "v1")
    site.page_delay = 0.5
    args = [sys.executable, "-m", "storyline", "watch", f"{site.base}/feed.xml", "--db", db,
            "--once", "--batch-size", "2", "--allow-private", "--delay", "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while _count(db, "SELECT count(*) FROM articles") < 1:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no article stored in time"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "stopped at once (SIGINT, then SIGINT)" in stderr and "rolled back" in stderr
    kept = _count(db, "SELECT count(*) FROM articles")
    assert 1 <= kept < total
    assert _count(db, "SELECT count(*) FROM feed_entries WHERE done_at IS NOT NULL") <= kept
    site.page_delay = 0.0
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    store = Store(db)
    assert store.count_articles() == total and store.rejections() == []
    assert store.conn.execute("SELECT count(*) FROM feed_entries WHERE done_at IS NULL"
                              ).fetchone()[0] == 0


def test_sigterm_while_waiting_for_the_next_poll_exits_cleanly(site, db):
    paths = add_pages(site, 1)
    site.feed("/feed.xml", paths, "v1")
    args = [sys.executable, "-m", "storyline", "watch", f"{site.base}/feed.xml", "--db", db,
            "--every", "1h", "--allow-private", "--delay", "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while _count(db, "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL") < 1:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the first poll did not finish in time"
            time.sleep(0.05)
        time.sleep(0.3)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and time.monotonic() - started < 10
    assert "poll 1" in stdout and "stopped (SIGTERM): committed 1 new article(s)" in stderr


def test_serve_watch_keeps_the_store_current_and_stops_cleanly(site, db):
    """``storyline serve --watch FEED``: the web server and the watcher in one process; new
    entries show up in the API and on /api/status, a new entry is picked up by the next poll,
    and SIGTERM stops both (exit 0, nothing lost)."""
    import socket
    import urllib.request

    paths = add_pages(site, 3)
    site.feed("/feed.xml", paths[:2], "v1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = [sys.executable, "-m", "storyline", "serve", "--db", db, "--port", str(port),
            "--watch", f"{site.base}/feed.xml", "--every", "2s", "--allow-private", "--delay",
            "0"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def get(path: str):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return json.loads(answer.read())

    def wait_for(check, what: str) -> None:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                if check():
                    return
            except OSError:
                pass  # the server is not listening yet
            assert time.monotonic() < deadline, what
            time.sleep(0.2)

    try:
        wait_for(lambda: len(get("/api/articles")["items"]) == 2, "the first poll's articles")
        status = get("/api/status")
        assert [f["url"] for f in status["feeds"]] == [f"{site.base}/feed.xml"]
        assert status["feeds"][0]["entries"] == 2 and status["articles"] == 2
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=10) as answer:
            assert answer.status == 200 and b"status.js" in answer.read()
        site.feed("/feed.xml", paths, "v2")  # a new entry: the next poll stores it
        wait_for(lambda: len(get("/api/articles")["items"]) == 3, "the new entry")
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    said = " ".join(stderr.split())  # the console wraps long lines
    assert "watching 1 feed source(s) every 2s" in said
    assert "watch stopped after" in said
    assert _count(db, "SELECT count(*) FROM articles") == 3
    assert _count(db, "SELECT count(*) FROM feed_entries WHERE done_at IS NULL") == 0
    assert site.requests["/news/0.html"] == 1  # each entry fetched once


def test_parse_every():
    from storyline.ingest.watch import parse_every

    assert parse_every("15m") == 900 and parse_every("1h30m") == 5400
    assert parse_every("90") == 90 and parse_every("0.5s") == 0.5
    for bad in ("", "soon", "15x", "0m"):
        with pytest.raises(ValueError):
            parse_every(bad)
