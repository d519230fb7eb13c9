"""URLs and RSS/Atom feeds, fetched from a local server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import http.server
import threading

import pytest

from test_readers import ARTICLE, HTML

PAGES = {
    "/2025/02/03/crane.html": ("text/html; charset=utf-8", HTML.encode()),
    "/plain.txt": ("text/plain", (ARTICLE * 2).encode()),
}


@pytest.fixture(scope="module")
def server():
    base: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            if self.path == "/rss.xml":
                body = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>
                <item><title>Crane arrives</title><link>{base['url']}/2025/02/03/crane.html</link>
                <pubDate>Mon, 03 Feb 2025 08:00:00 GMT</pubDate></item>
                <item><title>Gone</title><link>{base['url']}/missing.html</link></item>
                </channel></rss>""".encode()
                ctype = "application/rss+xml"
            elif self.path == "/atom.xml":
                body = f"""<?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom"><title>Ledger</title>
                <entry><title>Plain</title><link href="{base['url']}/plain.txt"/>
                <published>2025-02-04T10:00:00Z</published></entry></feed>""".encode()
                ctype = "application/atom+xml"
            elif self.path in PAGES:
                ctype, body = PAGES[self.path]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base["url"] = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base["url"]
    httpd.shutdown()


def test_single_url(server, cli, db):
    code, _, _ = cli("ingest", f"{server}/2025/02/03/crane.html", "--db", db, "--allow-private")
    assert code == 0
    from storyline.store.sqlite import Store

    article = Store(db).iter_articles().__next__()
    assert article.url.endswith("/crane.html")
    assert article.source == "Coast Ledger" and article.title == "Crane arrives"
    assert article.published == "2025-02-03"


def test_rss_feed_entries_are_fetched_and_missing_pages_rejected(server, cli, db):
    code, _, _ = cli("ingest", f"{server}/rss.xml", "--db", db, "--allow-private")
    assert code == 3
    from storyline.store.sqlite import Store

    store = Store(db)
    assert store.count_articles() == 1
    article = next(store.iter_articles())
    assert (article.published, article.published_method) == ("2025-02-03", "feed")
    [rejection] = store.rejections()
    assert rejection["origin"].endswith("/missing.html") and rejection["code"] == "E013"


def test_atom_feed_and_url_list(server, cli, db, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# a list\n{server}/atom.xml\n\n{server}/2025/02/03/crane.html\n")
    code, _, _ = cli("ingest", "--urls", str(urls), "--db", db, "--allow-private")
    assert code == 0
    from storyline.store.sqlite import Store

    rows = Store(db).list_articles()
    assert len(rows) == 2
    plain = [r for r in rows if r["url"].endswith("plain.txt")][0]
    assert plain["published"] == "2025-02-04"


def test_loopback_is_refused_without_allow_private(server, cli, db, monkeypatch):
    monkeypatch.delenv("STORYLINE_ALLOW_PRIVATE", raising=False)
    code, _, _ = cli("ingest", f"{server}/2025/02/03/crane.html", "--db", db)
    from storyline.store.sqlite import Store

    store = Store(db)
    assert code == 3 and store.count_articles() == 0
    assert [r["code"] for r in store.rejections()] == ["E020"]
