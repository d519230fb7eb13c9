"""The fetch policy, against a local server on 127.0.0.1 (never the internet): refused addresses
(checked on every redirect hop, before connecting), one deadline per URL, robots.txt, the feed
cap, and feeds built to blow up.

By default 127.0.0.1 itself is refused. Tests that need the server but not private addresses in
general let exactly that address through (``only_test_server``); nothing ever connects to
169.254.169.254 or another address the tests name (``connections`` records every connect).
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from storyline.ingest import netguard
from storyline.ingest.fetch import Fetcher, FetchPolicy, iter_url, iter_urls
from storyline.ingest.readers import iter_inputs
from storyline.model import RawDocument, Rejection
from test_readers import ARTICLE, HTML

LAUGHS_DTD = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))


def feed(base: str, count: int) -> bytes:
    items = "".join(f"<item><title>Story {i}</title><link>{base}/page.html?n={i}</link></item>"
                    for i in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


@pytest.fixture(scope="module")
def server():
    state: dict = {"robots": (404, b""), "robots_hits": 0, "base": ""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            route = getattr(self, "route_" + parts.path.strip("/").replace("/", "_")
                            .replace(".", "_").replace("-", "_"), None)
            if route is None:
                self.send_error(404)
                return
            try:
                route(query)
            except OSError:
                pass  # the client hung up (a deadline)

        def reply(self, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def route_robots_txt(self, query):
            state["robots_hits"] += 1
            status, body = state["robots"]
            self.reply(body, "text/plain", status)

        def route_page_html(self, query):
            self.reply(HTML.encode())

        def route_private_page_html(self, query):
            self.reply(HTML.encode())

        def route_redirect(self, query):
            time.sleep(float(query.get("sleep", ["0"])[0]))
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def route_loop(self, query):
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def route_drip_body(self, query):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(400):  # a byte every half second: 200 s in all
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.5)

        def route_drip_headers(self, query):
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 400:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)

        def route_feed_xml(self, query):
            self.reply(feed(state["base"], int(query["count"][0])), "application/rss+xml")

        def route_laughs_xml(self, query):
            base = state["base"]
            body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [{LAUGHS_DTD}]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>First</title><link>{base}/page.html?n=1</link></item>
<item><title>&lol9;</title><link>{base}/page.html?n=2</link></item>
<item><title>Third &amp; last</title><link>{base}/page.html?n=3&amp;x=y</link></item>
</channel></rss>"""
            self.reply(body.encode(), "text/xml")

        def route_broken_xml(self, query):
            self.reply(b"<rss><channel><item><link>" + b"<" * 50, "application/rss+xml")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state["base"] = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()


@pytest.fixture
def base(server):
    server["robots"] = (404, b"")
    server["robots_hits"] = 0
    return server["base"]


@pytest.fixture
def only_test_server(monkeypatch):
    """Refuse private addresses as by default, except exactly 127.0.0.1 (the test server)."""
    real = netguard.address_problem
    monkeypatch.setattr(netguard, "address_problem",
                        lambda ip: None if ip == "127.0.0.1" else real(ip))


@pytest.fixture
def connections(monkeypatch):
    """Every address a socket connects to, in order."""
    seen: list = []
    real = socket.socket.connect

    def connect(sock, address):
        seen.append(address)
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def kinds(items) -> list[str]:
    return [i.code if isinstance(i, Rejection) else "doc" for i in items]


LOCAL = FetchPolicy(allow_private=True)


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(("ip", "why"), [
    ("127.0.0.1", "loopback"), ("127.9.9.9", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.0.1", "private"),
    ("fd00::1", "private"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("240.0.0.1", ("reserved", "private")),
    ("100.64.0.1", "not globally routable"),
    ("::ffff:127.0.0.1", "loopback"), ("64:ff9b::a9fe:a9fe", "link-local"),
    ("2002:7f00:1::", "loopback"), ("93.184.216.34", None), ("2606:2800:220:1::1", None),
])
def test_address_classes(ip, why):
    got = netguard.address_problem(ip)
    assert got in why if isinstance(why, tuple) else got == why


def test_private_addresses_refused_by_default(base, connections):
    for url in (f"{base}/page.html", "http://10.0.0.1/", "http://[::1]:9/", "http://0.0.0.0:9/",
                "http://169.254.169.254/latest/meta-data/"):
        [got] = iter_url(url, policy=FetchPolicy())
        assert got.code == "E020" and got.stage == "fetch", url
    assert connections == []
    [page] = iter_url(f"{base}/page.html", policy=LOCAL)
    assert isinstance(page, RawDocument) and page.url == f"{base}/page.html"


@pytest.mark.usefixtures("only_test_server")
@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/",
                                    "http://127.0.0.2:{port}/page.html",
                                    "http://192.168.1.1/admin"])
def test_redirects_to_refused_addresses_are_checked_before_connecting(base, connections, target):
    target = target.format(port=urlsplit(base).port)
    started = time.monotonic()
    [got] = iter_url(f"{base}/redirect?to={target}", policy=FetchPolicy())
    assert got.code == "E020", got.reason
    assert urlsplit(target).hostname in got.reason
    assert time.monotonic() - started < 5
    assert {address[0] for address in connections} == {"127.0.0.1"}


def test_every_resolved_address_is_checked(monkeypatch, connections):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", resolve)
    [got] = iter_url("http://mixed.example/", policy=FetchPolicy(respect_robots=False))
    assert got.code == "E020" and "mixed.example is 127.0.0.1 (loopback)" in got.reason
    assert connections == []


@pytest.mark.usefixtures("only_test_server")
def test_connection_goes_to_the_address_that_was_checked(base, monkeypatch, connections):
    """One lookup per connection, and the connection uses its answer: a second, different answer
    (DNS rebinding) is never consulted."""
    port = urlsplit(base).port
    answers = iter([("127.0.0.1", port)] + [("169.254.169.254", port)] * 10)
    lookups = []

    def resolve(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", next(answers))]

    monkeypatch.setattr(netguard.socket, "getaddrinfo", resolve)
    [got] = iter_url(f"http://news.example:{port}/page.html",
                     policy=FetchPolicy(respect_robots=False))
    assert isinstance(got, RawDocument)
    assert lookups == ["news.example"] and connections == [("127.0.0.1", port)]


def test_other_schemes_are_refused(tmp_path):
    (tmp_path / "secret.txt").write_text(ARTICLE)
    got = list(iter_urls([f"file://{tmp_path}/secret.txt", "ftp://example.org/x"], policy=LOCAL))
    assert kinds(got) == ["E013", "E013"] and "http and https" in got[0].reason


@pytest.mark.usefixtures("only_test_server")
def test_redirect_to_another_scheme_and_redirect_loops_are_refused(base):
    [to_file] = iter_url(f"{base}/redirect?to=file:///etc/passwd", policy=FetchPolicy())
    assert to_file.code == "E013" and "file" in to_file.reason
    [loop] = iter_url(f"{base}/loop", policy=FetchPolicy(max_redirects=3))
    assert loop.code == "E013" and "3 redirects" in loop.reason


def test_policy_reaches_iter_inputs_and_the_environment_default(base, monkeypatch):
    monkeypatch.delenv("STORYLINE_ALLOW_PRIVATE", raising=False)
    assert kinds(iter_inputs([f"{base}/page.html"])) == ["E020"]
    assert kinds(iter_inputs([f"{base}/page.html"], fetch_policy=LOCAL)) == ["doc"]
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE", "1")
    assert FetchPolicy.from_env() == FetchPolicy(allow_private=True)
    assert kinds(iter_inputs([f"{base}/page.html"])) == ["doc"]


# ---------------------------------------------------------------- deadline


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_slow_drip_is_cut_at_the_deadline(base, path):
    started = time.monotonic()
    [got] = iter_url(base + path, policy=FetchPolicy(allow_private=True, deadline=2))
    elapsed = time.monotonic() - started
    assert got.code == "E021" and "2 s" in got.reason
    assert 1.5 < elapsed < 4


def test_deadline_covers_all_redirect_hops(base):
    hop = f"{base}/redirect?sleep=0.8&to={base}/page.html"
    chain = f"{base}/redirect?sleep=0.8&to={base}/redirect%3Fsleep%3D0.8%26to%3D{hop}"
    started = time.monotonic()
    [got] = iter_url(chain, policy=FetchPolicy(allow_private=True, deadline=2))
    assert got.code == "E021"
    assert time.monotonic() - started < 3.5


# ---------------------------------------------------------------- robots.txt


def test_robots_txt_is_obeyed_and_fetched_once_per_site(server, base):
    server["robots"] = (200, b"User-agent: *\nDisallow: /nothing\n\n"
                             b"User-agent: storyline\nDisallow: /private/\n")
    got = list(iter_urls([f"{base}/private/page.html", f"{base}/page.html",
                          f"{base}/page.html?n=2"], policy=LOCAL))
    assert kinds(got) == ["E022", "doc", "doc"]
    assert server["robots_hits"] == 1
    ignoring = FetchPolicy(allow_private=True, respect_robots=False)
    assert kinds(iter_url(f"{base}/private/page.html", policy=ignoring)) == ["doc"]


@pytest.mark.parametrize(("status", "expected"), [(401, "E022"), (403, "E022"), (404, "doc"),
                                                  (410, "doc"), (500, "doc")])
def test_robots_txt_status_conventions(server, base, status, expected):
    server["robots"] = (status, b"User-agent: *\nAllow: /\n")
    assert kinds(iter_url(f"{base}/page.html", policy=LOCAL)) == [expected]


def test_robots_txt_checked_on_redirect_targets(server, base):
    server["robots"] = (200, b"User-agent: *\nDisallow: /private/\n")
    got = list(iter_url(f"{base}/redirect?to=/private/page.html", policy=LOCAL))
    assert kinds(got) == ["E022"]


# ---------------------------------------------------------------- feeds


def test_feed_entries_are_capped_with_one_notice(base):
    fetcher = Fetcher(policy=FetchPolicy(allow_private=True, max_feed_entries=5))
    got = list(fetcher.iter_url(f"{base}/feed.xml?count=5000"))
    assert kinds(got) == ["E023"] + ["doc"] * 5
    assert "5000" in got[0].reason and "5" in got[0].reason and got[0].stage == "fetch"
    assert [g.title for g in got[1:]] == [f"Story {i}" for i in range(5)]
    assert FetchPolicy().max_feed_entries == 200


def test_billion_laughs_feed_keeps_its_items_and_says_what_was_dropped(base):
    started = time.monotonic()
    got = list(iter_url(f"{base}/laughs.xml", policy=LOCAL))
    assert time.monotonic() - started < 10
    assert kinds(got) == ["E019", "doc", "doc", "doc"]
    assert "DOCTYPE" in got[0].reason and "3 entries" in got[0].reason
    assert [g.title for g in got[1:]] == ["First", None, "Third & last"]
    assert got[3].url.endswith("?n=3&x=y")


def test_unreadable_feed_is_a_rejection(base):
    got = list(iter_url(f"{base}/broken.xml", policy=LOCAL))
    assert kinds(got)[0] == "E019"
