"""The web UI in headless Chromium: what a person sees on the pages, clicking from the stories
list to a story, from a timeline event to its article; and that script payloads in an article's
title, text, quotes, outlet, URL and actor names never run.

Needs the Debian ``chromium`` package (``/usr/bin/chromium``) and the ``playwright`` Python
package (no downloaded browsers). Screenshots of each step go to pytest's temporary folder, or to
``$STORYLINE_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import SEEDS, needs_shared

CHROMIUM = Path("/usr/bin/chromium")
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="no /usr/bin/chromium (install the Debian chromium package)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed"),
]


# -- server and browser ------------------------------------------------------------------------


class LiveServer:
    """``storyline serve`` in a background thread on a free local port."""

    def __init__(self, db: str) -> None:
        import uvicorn

        self.db = db
        from storyline.serve.app import create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def ingest(folder: Path, db: str) -> None:
    from storyline.ingest.run import ingest_paths
    from storyline.store.sqlite import Store

    store = Store(db)
    try:
        ingest_paths([str(folder)], store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records script errors and dialogs (alert, confirm, ...)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("STORYLINE_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    shoot.folder = folder
    return shoot


# A timeline item (vis-timeline also marks the dot and line of a box item as .vis-item).
ITEM = ".vis-item:has(.tl-item)"


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).not_to_contain_text("Loading…")


# -- the seed corpus ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("../shared is absent (seed corpus)")
    db = str(tmp_path_factory.mktemp("browser-seeds") / "seeds.db")
    ingest(SEEDS, db)
    server = LiveServer(db)
    yield server
    server.stop()


@needs_shared
def test_stories_story_event_article(seeds, page, shots):
    page.goto(seeds.url + "/")
    settle(page)
    rows = page.locator("table.stories tbody tr")
    expect(rows).to_have_count(3)
    shots(page, "1-stories")

    # The story of three articles (the 2014 visit, reported by three outlets).
    counts = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(3)]
    assert sorted(counts) == ["1", "1", "3"]
    rows.nth(counts.index("3")).locator("a").click()
    settle(page)
    assert "/stories/" in page.url
    expect(page.locator("h1")).to_contain_text("Putin")
    # the main event, generated from the linked events, with its source count
    expect(page.locator("p.main-event")).to_contain_text("sources)")
    items = page.locator(f"#timeline {ITEM}")
    expect(items.first).to_be_visible()
    assert items.count() >= 3
    # no label is cut at the timeline's left edge (a box starts at its date, not centred on it)
    canvas = page.locator("#timeline .vis-timeline").bounding_box()
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        if box and box["x"] + box["width"] > canvas["x"]:  # on screen (not scrolled away)
            assert box["x"] >= canvas["x"] - 1, (i, box, canvas)

    # The briefing: sentences, each citing its articles; the visit cites all three.
    brief = page.locator("ol.brief > li")
    assert brief.count() >= 2
    for i in range(brief.count()):
        assert brief.nth(i).locator("sup.cites a").count() >= 1
    visit = brief.filter(has_text="2014-05-20").filter(has_text="visit")
    expect(visit.first.locator("sup.cites a")).to_have_count(3)
    shots(page, "2-story")

    # An event on the timeline shows its sources, each a sentence with a link to its article.
    items.filter(has_text="visits").first.click()
    panel = page.locator(".entry-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_contain_text("visits")
    expect(panel.locator("ul.sources li").first).to_contain_text("visit")
    assert panel.locator("ul.sources li").count() >= 2
    shots(page, "3-story-event")
    panel.locator("a.article-link").first.click()
    settle(page)
    assert "/articles/" in page.url and "#linked-" in page.url

    # The article: its text with actors, times, places and events highlighted.
    text = page.locator("#article-text")
    expect(text).to_be_visible()
    putin = text.locator("mark.hl-actor", has_text="Putin")
    expect(putin.first).to_be_visible()
    assert text.locator("mark.hl-time").count() >= 1
    assert text.locator("mark.hl-place").count() >= 1
    assert text.locator("mark.hl-event").count() >= 1
    # The event the timeline pointed at is outlined and described.
    expect(text.locator(".sentence-active").first).to_be_visible()
    expect(page.locator("#extraction")).to_contain_text("CONSULT")
    shots(page, "4-article")

    putin.first.click()
    expect(page.locator("#extraction")).to_contain_text("RUS")
    expect(page.locator("#extraction")).to_contain_text("person")
    text.locator("mark.hl-time").first.click()
    expect(page.locator("#extraction dl")).to_contain_text("granularity")

    # The boilerplate toggle.
    removed = page.locator("#removed")
    expect(removed).to_be_hidden()
    page.locator("#toggle-removed").click()
    expect(removed).to_be_visible()
    assert removed.locator("li .rule").count() >= 1
    shots(page, "5-article-removed")
    assert not page.errors, page.errors


@needs_shared
def test_article_with_captions_and_quotes(seeds, page, shots):
    page.goto(seeds.url + "/")
    settle(page)
    # The 2024 article keeps its image captions apart from the text.
    page.locator("table.articles a", has_text="expectations").click()
    settle(page)
    captions = page.locator("ul.captions li")
    assert captions.count() >= 1
    expect(captions.first).to_contain_text("Image: AFP")
    expect(page.locator("#article-text")).not_to_contain_text("Image: AFP")
    quote = page.locator("#article-text mark.hl-quote").first
    quote.click()
    expect(page.locator("#extraction")).to_contain_text("quote")
    expect(page.locator("#extraction dl")).to_contain_text("cue")
    # Switching a kind off removes its highlights, not its text.
    before = page.locator("#article-text").inner_text()
    page.locator('#legend input[name="actor"]').uncheck()
    expect(page.locator("#article-text mark.hl-actor")).to_have_count(0)
    assert page.locator("#article-text").inner_text() == before
    shots(page, "6-article-2024")
    assert not page.errors, page.errors


@needs_shared
def test_russia_china_timeline_cites_all_five(seeds, page, shots):
    page.goto(seeds.url + "/network")
    settle(page)
    expect(page.locator("#graph canvas")).to_be_visible()
    # after the layout, no two actors' dots and labels overlap
    expect(page.locator("#graph")).to_have_attribute("data-label-overlaps", "0", timeout=30000)
    expect(page.locator("#legend")).to_contain_text("material conflict")
    expect(page.locator("table.edges tbody tr").first).to_contain_text("RUS")
    page.locator('#pair input[name="a"]').fill("RUS")
    page.locator('#pair input[name="b"]').fill("CHN")
    page.locator("#pair button").click()
    view = page.locator("#pair-view")
    expect(view.locator(ITEM).first).to_be_visible()
    cited = view.locator("p.cited a.article-link")
    expect(cited).to_have_count(5)
    ids = {cited.nth(i).get_attribute("data-article") for i in range(5)}
    assert len(ids) == 5
    expect(view.locator("p.cited")).to_contain_text("citing 5 articles")
    # The axis spans the years of the five articles' events.
    axis = view.locator(".vis-time-axis.vis-foreground")
    expect(axis).to_contain_text("2014")
    expect(axis).to_contain_text("2015")
    assert "dyad=RUS%2CCHN" in page.url or "dyad=RUS,CHN" in page.url
    shots(page, "7-network-pair")

    # The same view straight from a link, and an edge row opens its pair.
    page.goto(seeds.url + "/network?dyad=CHN,RUS")
    settle(page)
    expect(page.locator("#pair-view p.cited a.article-link")).to_have_count(5)
    assert not page.errors, page.errors


@needs_shared
def test_api_docs_work_offline(seeds, page, shots):
    """/docs (Swagger UI) and /redoc (ReDoc) come from this server alone: every request to another
    host is refused, and both still render the API."""
    outside: list[str] = []

    def only_here(route):
        url = route.request.url
        if url.startswith(seeds.url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_here)
    page.goto(seeds.url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("storyline")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    shots(page, "9-docs")
    page.goto(seeds.url + "/redoc")
    expect(page.locator("redoc h1, [role=main] h1").first).to_contain_text("storyline")
    shots(page, "9-redoc")
    assert outside == []
    # ReDoc's "powered by" logo lives on its CDN: the policy blocks it (an image, not a script)
    assert not [e for e in page.errors if "Content Security Policy" in e
                and "img-src" not in e], page.errors


@needs_shared
def test_event_table_filters_and_csv(seeds, page, shots):
    page.goto(seeds.url + "/events")
    settle(page)
    all_rows = page.locator("table.events tbody tr")
    expect(all_rows.first).to_be_visible()
    total = all_rows.count()
    # where events happened, with the gazetteer's point
    expect(page.locator("table.events tbody td.where .coords").first).to_be_visible()
    page.locator('#filters input[name="actor"]').fill("RUS")
    page.locator('#filters select[name="type"]').select_option("CONSULT")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#status")).not_to_contain_text("Loading")
    rows = page.locator("table.events tbody tr")
    count = rows.count()
    assert 0 < count < total
    for i in range(count):
        expect(rows.nth(i).locator(".badge")).to_have_text("CONSULT")
    assert "type=CONSULT" in page.url and "actor=RUS" in page.url
    shots(page, "8-events")

    with page.expect_download() as info:
        page.locator("#csv").click()
    download = info.value
    assert download.suggested_filename == "events.csv"
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert len(table) == count
    assert {r["type"] for r in table} == {"CONSULT"}
    assert all(r["sentence"] and r["article_id"] for r in table)
    assert all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
               for r in table if r["lat"])

    # A date the API cannot read says so, and what to give instead (not "0 events").
    page.locator('#filters input[name="since"]').fill("yesterday")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#status .error")).to_contain_text("Check the filters")
    expect(page.locator("#status .error")).to_contain_text("'yesterday'")
    expect(page.locator("#status .error")).to_contain_text("2014-05")
    shots(page, "8-events-bad-date")
    # Chromium logs the refused request itself; that is the point here, not a script error
    assert all("422" in e for e in page.errors), page.errors
    page.errors.clear()
    page.goto(seeds.url + "/events")
    settle(page)
    rows = page.locator("table.events tbody tr")

    # A row links to its article, where that event is outlined.
    rows.first.locator("td.source a").click()
    settle(page)
    assert "#event-" in page.url
    expect(page.locator("#article-text .sentence-active").first).to_be_visible()
    assert not page.errors, page.errors


# -- hostile input -----------------------------------------------------------------------------

PAYLOAD = "window.pwn=1"
HOSTILE_TXT = f"""# <script>{PAYLOAD}</script> Kenya and Uganda <img src=x onerror="{PAYLOAD}"> sign pact

NAIROBI, March 4, 2021 — Kenyan President Uhuru Kenyatta met Ugandan President Yoweri Museveni in \
Nairobi on Tuesday to sign a trade agreement worth $300 million <img src=x onerror="{PAYLOAD}">, \
officials said.

"We will <script>{PAYLOAD}</script> open the border to all trade," Kenyatta told reporters after \
the talks. Read more at javascript:{PAYLOAD} for details.

The agreement covers 40 <b onmouseover="{PAYLOAD}">tonnes</b> of maize, according to the Ugandan \
trade ministry. <svg onload="{PAYLOAD}"> Officials also attended the meeting with Museveni.

Kenya accused Uganda of blocking exports in January, and the two sides held talks in Kampala last \
week. <a href="javascript:{PAYLOAD}">click</a> <iframe src="javascript:alert(1)"></iframe>
"""
HOSTILE_JSONL = {
    "title": f"Talks <svg onload={PAYLOAD}> in Kampala",
    "url": f"javascript:{PAYLOAD}",
    "source": f"Daily <img src=x onerror={PAYLOAD}> News",
    "published": "2021-03-05",
    "text": ("Ugandan President Yoweri Museveni hosted Kenyan President Uhuru Kenyatta in Kampala on "
             "Friday for talks on the border. Museveni said the two countries would reopen the "
             "Busia crossing next week. \"Trade must flow <iframe src=javascript:alert(1)></iframe> "
             "again,\" Museveni told journalists at State House. Kenya and Uganda agreed to form a "
             "joint committee on cross-border trade, according to a statement."),
}
# The pipeline keeps no markup in actor names, so the test plants one in the store, as a
# tampered or future store could hold it: the pages must still show it as text.
HOSTILE_NAME = f"Uhuru <img src=x onerror={PAYLOAD}> Kenyatta"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from storyline.store.sqlite import Store

    folder = tmp_path_factory.mktemp("browser-hostile")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE_TXT, "utf-8")
    (corpus / "hostile.jsonl").write_text(json.dumps(HOSTILE_JSONL) + "\n", "utf-8")
    db = str(folder / "hostile.db")
    ingest(corpus, db)
    store = Store(db)
    with store.conn:
        store.conn.execute("UPDATE actors SET name = ? WHERE name = 'Uhuru Kenyatta'", (HOSTILE_NAME,))
        for table in ("events", "linked_events"):
            store.conn.execute(f"UPDATE {table} SET actors = replace(actors, 'Uhuru Kenyatta', ?), "
                               f"recipients = replace(recipients, 'Uhuru Kenyatta', ?)",
                               (HOSTILE_NAME, HOSTILE_NAME))
        store.conn.execute("UPDATE linked_events SET summary = replace(summary, 'Uhuru Kenyatta', ?)",
                           (HOSTILE_NAME,))
    assert store.conn.execute("SELECT count(*) FROM actors WHERE name = ?", (HOSTILE_NAME,)).fetchone()[0]
    store.close()
    server = LiveServer(db)
    yield server
    server.stop()


def assert_inert(page) -> None:
    """No payload ran, no markup from the data became elements, no javascript: links."""
    assert page.evaluate("typeof window.pwn") == "undefined"
    assert not page.dialogs, page.dialogs
    planted = page.locator("main script, main iframe, main img, main svg[onload], "
                           "main [onerror], main [onmouseover], main [onload]")
    assert planted.count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0


def poke(locator, limit: int = 40) -> None:
    """Hover and click the first `limit` matches."""
    for i in range(min(locator.count(), limit)):
        item = locator.nth(i)
        item.scroll_into_view_if_needed()
        item.hover()
        item.click()


def test_script_payloads_never_run(hostile, page, shots):
    page.goto(hostile.url + "/")
    settle(page)
    main = page.locator("main")
    expect(main).to_contain_text(f"<script>{PAYLOAD}</script> Kenya and Uganda")
    expect(main).to_contain_text(f"Daily <img src=x onerror={PAYLOAD}> News")
    assert_inert(page)
    shots(page, "x1-index")

    page.goto(hostile.url + "/?q=Kenya")
    settle(page)
    expect(page.locator("#search")).to_contain_text("<svg onload=")
    assert_inert(page)

    # Every story page: timeline items and their sources, the briefing.
    story_links = [a.get_attribute("href") for a in page.locator("table.stories a").all()]
    assert story_links
    names_shown = 0
    for href in story_links:
        page.goto(hostile.url + href)
        settle(page)
        expect(page.locator("h1")).to_contain_text("<")
        poke(page.locator(f"#timeline {ITEM}"))
        poke(page.locator("ul.undated button"))
        assert_inert(page)
        names_shown += HOSTILE_NAME in page.locator("main").inner_text()
        shots(page, f"x2-story-{names_shown}")
    assert names_shown

    # Every article: hover and click every highlight, every event row, the boilerplate toggle.
    article_links = [a.get_attribute("href") for a in page.locator("ol.refs a").all()]
    page.goto(hostile.url + "/")
    settle(page)
    article_links += [a.get_attribute("href") for a in page.locator("table.articles a").all()]
    for href in dict.fromkeys(article_links):
        page.goto(hostile.url + href)
        settle(page)
        poke(page.locator("#article-text mark"), limit=80)
        poke(page.locator("tr.event-row"))
        if page.locator("#toggle-removed").count():
            page.locator("#toggle-removed").click()
        assert_inert(page)
    page.goto(hostile.url + "/")
    settle(page)
    page.locator("table.articles a", has_text="sign pact").click()
    settle(page)
    expect(page.locator("h1")).to_have_text(f'<script>{PAYLOAD}</script> Kenya and Uganda '
                                            f'<img src=x onerror="{PAYLOAD}"> sign pact')
    text = page.locator("#article-text")
    expect(text).to_contain_text(f'<img src=x onerror="{PAYLOAD}">')
    expect(text).to_contain_text(f"javascript:{PAYLOAD}")
    text.locator("mark.hl-quote", has_text="<script>").first.click()
    expect(page.locator("#extraction blockquote")).to_contain_text(f"<script>{PAYLOAD}</script>")
    text.locator("mark.hl-actor", has_text="Kenyatta").first.click()
    expect(page.locator("#extraction")).to_contain_text(HOSTILE_NAME)
    assert_inert(page)
    shots(page, "x3-article")

    page.goto(hostile.url + "/")
    settle(page)
    page.locator("table.articles a", has_text="Kampala").click()
    settle(page)
    expect(page.locator("p.url")).to_have_text(f"javascript:{PAYLOAD}")
    assert page.locator("p.url a").count() == 0
    assert_inert(page)

    # The event table and its CSV, the network and a pair timeline.
    page.goto(hostile.url + "/events")
    settle(page)
    expect(page.locator("table.events")).to_contain_text(HOSTILE_NAME)
    with page.expect_download() as info:
        page.locator("#csv").click()
    assert HOSTILE_NAME in Path(info.value.path()).read_text("utf-8")
    assert_inert(page)
    shots(page, "x4-events")

    page.goto(hostile.url + "/network?dyad=KEN,UGA")
    settle(page)
    expect(page.locator(f"#pair-view {ITEM}").first).to_be_visible()
    poke(page.locator(f"#pair-view {ITEM}"))
    page.locator("#graph canvas").hover()
    assert_inert(page)
    shots(page, "x5-network")
    assert not page.errors, page.errors


def test_article_page_shows_failed_stages(hostile, page, shots):
    """An article stored with a failed stage says so (the error text is data, not markup)."""
    from storyline.store.sqlite import Store

    store = Store(hostile.db)
    article_id = store.conn.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
    with store.conn:
        store.conn.execute(
            "INSERT OR REPLACE INTO stage_failures (article_id, stage, part, sentence, error, "
            "digest, at) VALUES (?, 'extract', 'events', 2, ?, 'abc123def456', '2026-01-01')",
            (article_id, "IndexError: <img src=x onerror=window.pwn=1>"))
    store.close()
    page.goto(f"{hostile.url}/articles/{article_id}")
    settle(page)
    failures = page.locator("#failures")
    expect(failures).to_contain_text("stage extract failed")
    expect(failures).to_contain_text("sentence 2, events")
    expect(failures).to_contain_text("<img src=x onerror=window.pwn=1>")
    expect(failures).to_contain_text("bug abc123def456")
    assert_inert(page)
    shots(page, "article-failures")
    assert not page.errors, page.errors


# -- the monitor's status page -----------------------------------------------------------------


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    """A store kept by a watcher: one feed served on loopback (two entries of our own), one
    feed whose host refuses the connection (an error, backing off)."""
    import http.server

    from storyline.ingest.netguard import FetchPolicy
    from storyline.ingest.watch import Watcher
    from storyline.store.sqlite import Store

    bodies = {
        "/a.html": "Engineers finished the new footbridge over the river on Monday. The council "
                   "said the crossing would open to walkers and cyclists next week after a final "
                   "inspection of its lighting and railings.",
        "/b.html": "A bakery cooperative in the old quarter doubled its bread output after buying "
                   "a second oven. Members said the extra loaves go to two school canteens and a "
                   "shelter, and that three apprentices were hired.",
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/feed.xml":
                items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>"
                                for p in bodies)
                body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Town</title>' \
                       f"{items}</channel></rss>"
                ctype = "application/rss+xml"
            elif self.path in bodies:
                body = f"<html><head><title>{self.path}</title></head><body><article><p>" \
                       f"{bodies[self.path]}</p></article></body></html>"
                ctype = "text/html; charset=utf-8"
            else:
                self.send_response(404)
                self.end_headers()
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens there once the probe is closed
    db = str(tmp_path_factory.mktemp("browser-watch") / "watch.db")
    store = Store(db)
    try:
        policy = FetchPolicy(allow_private=True, deadline=10.0)
        report = Watcher(store, policy=policy, delay=0).poll(
            [f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml",
             f"http://127.0.0.1:{closed}/gone.xml"])
        assert report.stored == 2
    finally:
        store.close()
        httpd.shutdown()
        httpd.server_close()
    server = LiveServer(db)
    yield server
    server.stop()


def test_status_page_shows_feeds_fetches_and_articles_per_day(watched, page, shots):
    page.goto(watched.url + "/status")
    settle(page)
    expect(page.locator("#status-summary")).to_contain_text("2 feeds watched, 1 failing")
    expect(page.locator("#status-summary")).to_contain_text("2 articles stored")
    rows = page.locator("table.feeds tbody tr")
    expect(rows).to_have_count(2)
    good = rows.filter(has_text="feed.xml")
    expect(good.locator("td").nth(3)).to_have_text("200")
    expect(good.locator("td").nth(6)).to_have_text("2")  # entries
    bad = rows.filter(has_text="gone.xml")
    expect(bad).to_have_class("failing")
    assert bad.locator("td").nth(9).inner_text().strip()  # the error, said
    expect(page.locator("table.per-day tbody tr")).to_have_count(1)
    expect(page.locator("table.per-day tbody td.num")).to_have_text("2")
    assert page.locator("table.fetches tbody tr").count() >= 2
    expect(page.locator('header.nav a[href="/status"]')).to_have_attribute("aria-current", "page")
    shots(page, "10-status")
    assert not page.errors, page.errors


@needs_shared
def test_status_page_of_a_store_without_feeds(seeds, page, shots):
    page.goto(seeds.url + "/status")
    settle(page)
    expect(page.locator("#no-feeds")).to_contain_text("storyline watch")
    expect(page.locator("table.per-day tbody tr").first).to_be_visible()
    shots(page, "10-status-empty")
    assert not page.errors, page.errors
